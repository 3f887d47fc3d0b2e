"""French numbers, read by the same parser: a French text is rewritten, character for character (so every
offset still points into the original), into the forms the parser reads: ``2,4 milliards d'euros`` as
``2.4 billion    euros``, ``plus de 40 %`` as ``over    40 %``, ``près d'un tiers`` as ``nearly a third ``,
``entre 300 et 350`` (the parser reads ``et`` and ``à`` ranges itself), ``0,45 euro par action`` as
``0.45 euro per share ``. What the parser then reports keeps the original words."""

from __future__ import annotations

import functools
import re

_FRENCH = re.compile(r"\b(?:le|la|les|des|du|une|est|dans|pour|avec|qui|sur|aux|selon|cette|leurs?|été)\b|\b[dl]['’]",
                     re.IGNORECASE)
_ENGLISH = re.compile(r"\b(?:the|and|of|to|with|for|that|was|were|is|are)\b", re.IGNORECASE)

# French words -> English words of the same length (padded with spaces) that the parser knows.
_WORDS = {
    "milliards": "billion  ", "milliard": "billion ", "millions": "million ", "d'euros": "  euros",
    "d’euros": "  euros", "plus de": "over   ", "plus d'": "over   ", "plus d’": "over   ", "moins de": "under   ",
    "moins d'": "under   ", "moins d’": "under   ", "près de": "nearly ", "près d'": "nearly ", "près d’": "nearly ",
    "environ": "about  ", "au moins": "at least", "jusqu'à": "up to  ", "jusqu’à": "up to  ", "quelque": "some   ",
    "presque": "nearly ", "au plus": "at most", "pas plus de": "at most    ", "un tiers": "a third ",
    "deux tiers": "two-thirds", "la moitié": "half     ", "par action": "per share ", "kilomètres": "kilometres",
    "mètres": "metres", "heures": "hours ", "deux": "2   ", "trois": "3    ", "quatre": "4     ", "cinq": "5   ",
    "huit": "8   ", "neuf": "9   ", "douze": "12   ", "vingt": "20   ", "trente": "30    ",
}
# Bounds written as French comparisons and negated verbs, padded to the French words' length.
_WORDS.update({french: english.ljust(len(french)) for french, english in [
    *((f"{word} à", "above") for word in ("supérieur", "supérieure", "supérieurs", "supérieures")),
    *((f"{word} à", "below") for word in ("inférieur", "inférieure", "inférieurs", "inférieures")),
    *((f"ne {verb} pas", "no more than") for verb in ("dépasse", "dépassera", "dépassent", "dépasseront",
                                                       "dépasserait", "dépasseraient")),
]})
_WORD = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(w) + ("" if w.endswith(("'", "’")) else r"(?!\w)") for w in sorted(_WORDS, key=len, reverse=True))
    + ")", re.IGNORECASE)
_FRENCH_NUMBERS = re.compile(r"\b(?:milliards?|millions\s+d['’]|d['’]euros|par\s+action|près\s+d|plus\s+d['’]|"
                             r"moins\s+d|jusqu['’]|la\s+moitié|tiers|environ|entre\s+\d|plus\s+de\s+\d|(?:supé|infé)rieure?s?\s+à|"
                             r"ne\s+dépass\w+\s+pas)|\d,\d{1,2}\s(?:%|euros?\b)|"
                             r"\d\s+à\s+\d", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d{1,2}(?!\d))")


def original_words(text: str, start: int, end: int) -> str:
    """The original words a number read in the rewritten text stands on (whole words: 'la moitié')."""
    while end < len(text) and (text[end].isalnum() or text[end] in "'’"):
        end += 1
    return text[start:end].strip()


def is_french(text: str) -> bool:
    """Whether a text is French: more French function words than English ones, three at least."""
    if _FRENCH_NUMBERS.search(text):
        return True  # '2,4 milliards d'euros' alone, as the draft reads a number again
    french = len(_FRENCH.findall(text))
    return french >= 3 and french > 2 * len(_ENGLISH.findall(text))


@functools.lru_cache(maxsize=4096)
def as_parsed(text: str) -> str:
    """``text`` as the parser reads it: French number writing rewritten, the length of every part kept."""
    if not is_french(text):
        return text
    text = _DECIMAL_COMMA.sub(".", text)
    return _WORD.sub(lambda m: _WORDS[m.group().lower()] if m.group().lower() in _WORDS else m.group(), text)
