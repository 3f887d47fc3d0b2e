"""When two numbers joined by a dash, 'to', 'and' or 'à' are one range, and when they are two numbers:
'between 500 and 550 MW' and '$410 million to $450 million' are ranges; 'rose 18% to $2.4 billion',
'fell from 31 to 26.5' (a change), '2019 to 26.5 million' (a year, then an amount) and '4% and 5%' are
two numbers each."""

from __future__ import annotations

import re

# "lift the bill from $61.40 to $68.75", "est passé de 12 à 15": a change from one number to another.
_CHANGED_FROM = re.compile(
    r"\b(?:r[io]se[sn]?|rising|f[ae]ll(?:s|en|ing)?|drop(?:s|ped|ping)?|climb(?:s|ed|ing)?|jump(?:s|ed|ing)?|"
    r"slipp(?:ed|ing)|declin(?:ed|ing)|gr[eo]wn?|grows|growing|(?:in|de)creas(?:e|es|ed|ing)|cut|cuts|cutting|"
    r"rais(?:e|es|ed|ing)|lift(?:s|ed|ing)?|lower(?:ed|ing)|reduc(?:e|es|ed|ing)|improv(?:e|es|ed|ing)|"
    r"shr[ai]nk|shrinking|went|mov(?:e|es|ed|ing)|boost(?:s|ed|ing)?|narrow(?:ed|ing)|widen(?:ed|ing)|"
    r"expand(?:ed|ing)|slashed|trimmed|pass(?:er|e|ée?s?|ent)|"
    r"augment\w*|baiss\w*|recul\w*|chut\w*|grimp\w*|diminu\w*)\b(?:\s+\S+){0,5}?\s+(?:from|de)\s+$", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _by_then_level(match: re.Match[str], text: str) -> bool:
    """'rose by about 3,200 to 118,400': a change, then the level it reached (the second far larger), not the
    range 'cut by 2 to 3 percent'."""
    if not re.search(r"\bby\s+$", text[max(0, match.start() - 10):match.start()]):
        return False
    try:
        low, high = (float(match.group(g).replace(",", "")) for g in ("num", "num2"))
    except (TypeError, ValueError):
        return False
    return low > 0 and high > 5 * low


def _and_without_between(match: re.Match[str], text: str) -> bool:
    """Not one range: '500 and 550 MW' is a range only after 'between' ('4% and 5%' alone is two numbers);
    'fell from 31 to 26.5' is a change; '2019 to 26.5 million' a year and an amount."""
    dash = match.group("dash")
    if not dash:
        return False
    if dash.strip().lower() in ("to", "à") and (
            _CHANGED_FROM.search(text[max(0, match.start() - 80):match.start()]) or _by_then_level(match, text)
            or (_YEAR.fullmatch(match.group("num")) and not _YEAR.fullmatch(match.group("num2") or ""))):
        return True
    if dash.strip().lower() not in ("and", "et", "à"):
        return False
    return re.search(r"\b(?:between|entre|de)\s+(?:(?:about|around|roughly|some)\s+)?$", text[:match.start()],
                     re.IGNORECASE) is None


def _two_numbers(match: re.Match[str]) -> bool:
    """A dash or 'to' between numbers whose units or currencies differ: two numbers, not one range."""
    if not match.group("dash"):
        return False
    percent_first = bool(match.group("pct1"))
    money_second = bool(match.group("cur2")) and not match.group("cur")
    return (percent_first and not match.group("pct")) or money_second




def not_one_range(match: re.Match[str], text: str) -> bool:
    """The numbers ``match`` (of ``numbers.NUMBER``) joins are two numbers, not one range."""
    return _two_numbers(match) or _and_without_between(match, text)
