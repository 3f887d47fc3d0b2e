"""How a sentence bounds a number, read the way the sentence means it.

``no more than 96 hours``, ``did not exceed 71%``, ``never rose above 45 °C``, ``up to``, ``at most`` and
``below`` put a ceiling on the number; ``at least``, ``more than``, ``above`` and ``no fewer than`` a floor;
a negation flips the word after it (``not more than`` is a ceiling, ``never fell below`` a floor). Every
bound folds to a qualifier a Figure can carry, and each qualifier has a direction: ``<=`` (a ceiling),
``>=`` (a floor), ``~`` (a hedge: about, nearly) or ``oom`` (an order of magnitude). The draft and the
check both read bounds here, so what one drafts the other accepts, and a hint never suggests the
opposite of what the source says.
"""

from __future__ import annotations

import re

# Every qualifier a figure or a text can carry, folded, with its direction.
DIRECTION = {"about": "~", "nearly": "~", "over": ">=", "at least": ">=", "under": "<=", "up to": "<=",
             "at most": "<=", "order of magnitude": "oom"}
# Words written before a number -> the folded qualifier.
QUALIFIERS = {
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "circa": "about", "approx.": "about", "nearer": "about", "closer to": "about",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly", "just shy of": "nearly",
    "over": "over", "more than": "over", "above": "over", "upwards of": "over", "in excess of": "over",
    "just over": "over", "just above": "over", "a little over": "over", "slightly more than": "over",
    "well over": "over",
    "under": "under", "less than": "under", "fewer than": "under", "below": "under",
    "longer than": "over", "larger than": "over", "bigger than": "over", "shorter than": "under",
    "smaller than": "under",
    "up to": "up to", "as many as": "up to", "as much as": "up to", "as high as": "up to",
    "at most": "at most", "a maximum of": "at most", "capped at": "at most", "a cap of": "at most",
    "limited to": "at most", "a ceiling of": "at most", "a floor of": "at least",
    "no more than": "at most", "not more than": "at most", "none larger than": "at most", "no larger than": "at most",
    "none bigger than": "at most", "no bigger than": "at most", "none above": "at most", "no smaller than": "at least",
    "no higher than": "at most", "not above": "at most", "no greater than": "at most",
    "at least": "at least", "a minimum of": "at least", "no fewer than": "at least", "not fewer than": "at least",
    "no less than": "at least", "not less than": "at least", "no lower than": "at least",
}
# Folded names of the Figure model's qualifiers that are not folded forms themselves.
FIGURE_QUALIFIERS = {"more than": "over", "above": "over", "less than": "under", "below": "under"}
_FLIP = {"over": "at most", "under": "at least", "at least": "under", "at most": "over", "up to": "over"}
_NEGATION = r"(?:not|never|no|n't|nor)"
# Verbs of moving past a level: "did not exceed 71%", "never rose above 45 °C", "topped 3%", "fell below 2%".
_VERBAL = re.compile(
    rf"(?:\b(?P<neg>{_NEGATION})\s+(?:\w+ly\s+)?|n't\s+)?(?:\w+\s+)?"
    r"\b(?P<verb>exceed(?:ed|s|ing)?|surpass(?:ed|es)?|top(?:ped|s)?|pass(?:ed|es)?|"
    r"(?:rise|rose|risen|rising|climb(?:ed)?|go|went|gone|get|got|stay(?:ed)?|remain(?:ed)?|kept|"
    r"fall|fell|fallen|dip(?:ped)?|drop(?:ped)?|sink|sank|slip(?:ped)?)\s+(?P<prep>above|over|beyond|below|under|past))"
    r"\s+$", re.IGNORECASE)
_NO_TIME = r"(?:at|on|in)\s+no\s+(?:point|time|day|stage|occasion|month|week|year|quarter)\b"
_MOVE = (r"(?:rise|rose|risen|go|went|gone|climb(?:ed)?|get|got|fall|fell|fallen|drop(?:ped)?|dip(?:ped)?|sink|sank"
         r"|be|been|stay(?:ed)?|remain(?:ed)?|run|ran|reach(?:ed)?|grow|grew|grown|come|came)")
# "not more than", "never rose above", "never drew fewer than": a negation, then at most one verb.
_NEGATED_WORD = re.compile(rf"(?:(?:\b{_NEGATION}|n't)\s+(?:\w+ly\s+)?(?:(?:going|likely|expected)\s+to\s+)?"
                           rf"(?:{_MOVE}\s+|[a-z]+\s+)?"
                           rf"|\b(?:no|none|not\s+one)\s+(?:(?!that\b|which\b|who\b|but\b|and\b|doubt\b)[a-z]+\s+){{1,3}}"
                           rf"|\b{_NO_TIME}(?:\s+[\w'’]+){{0,9}}\s+(?:{_MOVE}\s+)?)$", re.IGNORECASE)
# An inverted negation before the verb: 'On no day between December and February did occupancy fall below 91%'.
_INVERTED = re.compile(rf"\b{_NO_TIME}[^,.;:]*$", re.IGNORECASE)


def fold_qualifier(words: str | None) -> str | None:
    """The folded qualifier of a hedge as written ('more than' -> 'over', 'no more than' -> 'at most')."""
    if not words:
        return None
    folded = " ".join(words.lower().split())
    return QUALIFIERS.get(folded, FIGURE_QUALIFIERS.get(folded, folded if folded in DIRECTION else None))


def direction(qualifier: str | None) -> str:
    """'<=', '>=', '~', 'oom', or '=' for an exact number."""
    folded = fold_qualifier(qualifier)
    return DIRECTION.get(folded, "=") if folded else "="


def negated(before: str) -> bool:
    """Whether the words right before a qualifier negate it ('not more than', 'never')."""
    return _NEGATED_WORD.search(before[-60:]) is not None


def flip(qualifier: str) -> str:
    return _FLIP.get(qualifier, qualifier)


# A ceiling a verb sets: 'the fee could rise to €48 million' (with add-ons). Not 'could reach £1.1-1.3 billion'
# (an estimate) nor 'caps water use at 160 liters' (the cap is the number itself: stating it exactly is faithful).
_CEILING = re.compile(r"\b(?:could|might|may)\s+(?:rise|climb|increase|grow|go\s+up)\s+to\s+$", re.IGNORECASE)


def verbal_bound(before: str) -> tuple[str, int] | None:
    """The bound a verb puts on the number that follows ``before``: ('at most', where the words start) for
    'did not exceed ' or 'never rose above '; ('over', ...) for 'topped ' or 'rose above '."""
    if (ceiling := _CEILING.search(before[-80:])) is not None:
        return "up to", len(before) - len(ceiling.group())
    match = _VERBAL.search(before[-60:])
    if match is None:
        return None
    prep = (match.group("prep") or "").lower()
    rising = prep in ("above", "over", "beyond", "past") or not prep
    bound = "over" if rising else "under"
    ahead = before[: len(before) - len(match.group())]
    if match.group("neg") or ahead.rstrip().lower().endswith("n't") or _INVERTED.search(ahead[-90:]):
        bound = "at most" if rising else "at least"
    start = len(before) - len(match.group()) + (match.start("neg") - match.start() if match.group("neg") else
                                               match.start("verb") - match.start())
    return bound, start
