"""The parties a statement names, and whether its evidence names them: names found by capitals (a word
opening a sentence only when the article capitalises it inside one, or the dictionary does not know it),
short names and the aliases a brief declares."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from .lexicon import DEMONYMS, GENERIC_ACRONYMS, MONTHS, SEASONS, STOPWORDS
from .units import ISO_CODES, read_unit
from .wording import WORD

NAME_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'&.\-]*(?:[ \t]+(?:of[ \t]+|de[ \t]+|du[ \t]+|for[ \t]+|and[ \t]+|&[ \t]+)?"
                      r"[A-ZÀ-ÖØ-Þ][\w’'&.\-]*)*")


def is_name(word: str, article_lower_words: frozenset[str]) -> bool:
    if re.fullmatch(r"[A-Z][a-z]+(?:ian|ean|ese|ish|ch|ic|i)", word) and word.lower() not in article_lower_words \
            and word.lower() in DEMONYMS:
        return False  # 'Australian dollar', 'Chinese deliveries'
    bare = word.lower().strip(".,").removesuffix("'s").removesuffix("’s")
    if word.isupper() and word.upper() in ISO_CODES or len(bare) < 2:
        return False  # 'USD 85 million': a currency, not a party
    if read_unit(word.strip(".,")).physical or word.strip(".,") in ("C", "F", "MW", "GW", "kW"):
        return False  # '400 MW', '45 °C': units
    return bare not in article_lower_words and bare not in STOPWORDS and bare not in MONTHS and bare not in SEASONS


def names_in(statement: str, article: str) -> list[str]:
    """The names a statement uses (capitalised runs that the article does not use as common words; a word that
    opens a sentence is a name only if the article capitalises it inside a sentence too)."""
    lower_words = article_words(article)
    out = []
    for match in NAME_RUN.finditer(statement):
        words = match.group().split()
        opening = match.start() == 0 or statement[:match.start()].rstrip().endswith((".", "!", "?", ":", "\n"))
        if opening and words and not proper(words[0], article):
            words = words[1:]
        while words and not is_name(words[0], lower_words):
            words = words[1:]
        while words and not is_name(words[-1], lower_words) and words[-1].lower() in ("of", "and", "for", "de"):
            words = words[:-1]
        while words and words[-1].upper() in ROLE_ACRONYMS:
            words = words[:-1]
        if statement[match.end():match.end() + 1] == "$" or re.match(
                r"\s+(?:dollars?|francs?|pounds?|pesos?|rupees?|kron[aeo]r?|euros?)\b", statement[match.end():]):
            continue  # 'NZ$1.2 billion', 'HK$40', '75 million New Zealand dollars': a currency, not a party
        if words and re.search(r"-(?:based|born|listed|owned|headquartered|registered|made)$", words[-1]):
            words = words[:-1]  # 'the Vellach-based bank': a place that says where, not a party
        if len(words) == 1 and opening and len(words[0]) > 5 and words[0].rstrip(",").isupper():
            continue  # 'COPENHAGEN, 14 May – Quillon Pharma cut ...': a dateline, not a party
        if words:
            out.append(" ".join(words).removesuffix("'s").removesuffix("’s").rstrip(".,"))
    return out


ROLE_ACRONYMS = frozenset({"CEO", "CFO", "CTO", "COO", "CIO", "CMO", "VP", "SVP", "EVP", "MD"})


def proper(word: str, article: str) -> bool:
    """Whether a word opening a sentence is a name: the article capitalises it inside a sentence, or it is no
    word the dictionary knows ('Easton', 'Veloxa'; not 'Lawmakers')."""
    import simplemma

    bare = word.strip(".,").removesuffix("'s").removesuffix("’s")
    return bare in inner_capitals(article) or not simplemma.is_known(bare.lower(), lang="en")


@functools.lru_cache(maxsize=64)
def inner_capitals(article: str) -> frozenset[str]:
    """Capitalised words the article writes inside a sentence (after a lower-case word or a comma)."""
    return frozenset(m.group(1) for m in re.finditer(r"(?:[a-z,;’'\"”)]|\d)\s+([A-Z][\w\-]*)", article))


@functools.lru_cache(maxsize=64)
def article_words(article: str) -> frozenset[str]:
    """Words the article writes in lower case somewhere (so 'Hospitals' at a sentence start is no name)."""
    return frozenset(w for w in WORD.findall(article) if w[:1].islower())


CONTRAST = re.compile(r"\b(?:than|compared\s+(?:with|to)|versus|vs\.?|against|while|whereas|unlike)\s+"
                       r"(?P<what>[^,.;:]+)", re.IGNORECASE)


def acronym(name: str) -> bool:
    """'AI', 'GPUs', 'R&D': capitals that name a kind of thing, not a party."""
    return name.removesuffix("s") in GENERIC_ACRONYMS


# 'Orbital claims Meridian delivers ...': the party that claims is the claimant, checked as such; the statement is
# about what follows.
CLAIMS = re.compile(r"[’']?s?\s+(?:also\s+)?(?:says|said|claims|claimed|expects|expected|estimates|estimated|argues|"
                     r"argued|reports|reported|believes|forecasts|predicts|projects|sees|judged|found|told)\b"
                     r"(?!\s+(?:\w+ed|rose|fell|were|was|are|is|grew)\b)")





def subject_of(statement: str, names: list[str]) -> str | None:
    """The statement's first name, unless it only owns the subject ('AWS's CEO says ...')."""
    names = [n for n in names if not acronym(n)] or names[:0]
    if not names:
        return None
    first = names[0]
    if re.match(r"(?:the|a|an|its|their)\s+[^,;]*\b(?:with|against|versus|for|from|to)\s+$",
                statement[:statement.find(first)], re.IGNORECASE) and not re.search(
                    r"\b(?:is|are|was|were|has|have|had|will|would|said|says)\b", statement[:statement.find(first)]):
        return None  # 'The authority's contract with Medivane's clinic is capped at ...': about the contract
    if CLAIMS.match(statement, statement.find(first) + len(first)):
        return subject_of(statement, names[1:]) if len(names) > 1 else None  # 'AWS says Project Rainier will'
    if re.search(rf"{re.escape(first)}[’']s\s+(?:chief|ceo|cfo|cto|coo|head|boss|chair|president|founder|"
                 r"spokes\w+|analysts?|executives?|researchers?)\b", statement, re.IGNORECASE):
        return names[1] if len(names) > 1 else None
    return first


def topic(name: str, article: str, aliases: Mapping[str, Sequence[str]]) -> bool:
    """A name the article keeps returning to (three paragraphs or more): the setting, not a counterpart."""
    paragraphs = [p for p in re.split(r"\n+", article) if p.strip()]
    return sum(1 for p in paragraphs if mentions(p, name, aliases)) >= 3


def variants(name: str, aliases: Mapping[str, Sequence[str]]) -> list[str]:
    words = name.split()
    out = [name] + ([words[0], words[-1]] if len(words) > 1 else [])
    if re.search(r"[A-Za-z]\d+$", name):
        out.append(re.sub(r"\d+$", "", name))  # 'Trainium1' is the first 'Trainium'
    for key, others in aliases.items():
        group = [key, *others]
        if any(name.lower() == g.lower() for g in group):
            out.extend(group)
    return [v for v in out if (v == name or len(v) > 2) and v.lower() not in STOPWORDS]  # 'GP' is itself


def mentions(text: str, name: str, aliases: Mapping[str, Sequence[str]]) -> bool:
    lowered = text.lower()
    return any(re.search(rf"(?<!\w){re.escape(v.lower())}(?!\w)", lowered) for v in variants(name, aliases))


def opens(text: str, name: str) -> bool:
    """Whether ``name`` opens ``text`` (after 'The', or 'Shares in') or owns something in it ('Alpenrail's
    revenue', 'Teodor Labs' shares')."""
    at = text.find(name)
    if at < 0:
        return False
    after = text[at + len(name):]
    owner = re.match(r"[’']s\b", after) or (name.endswith("s") and re.match(r"[’'](?!\w)", after))
    return bool(owner) or re.fullmatch(r"(?:the\s+)?(?:(?:shares?|stock)\s+(?:in|of)\s+)?", text[:at],
                                       re.IGNORECASE) is not None
