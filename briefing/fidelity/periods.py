"""The periods and rates a text states: 'the first half', 'three years earlier', 'over the next four years',
a year or a month name (``PERIOD``); 'each year', 'a month', 'annually' (``rates``). The statement check
compares a statement's periods with its evidence's; the unit check lets a statement name the period of a rate
its figure's unit leaves out ('38 miles' with 'a year')."""

from __future__ import annotations

import re

from .lexicon import MONTHS, SEASONS

PERIOD = re.compile(
    r"\b(?:(?:first|second|third|fourth|final|last)\s+(?:quarter|half)|q[1-4]|h[12]"
    r"|(?:last|this|next|past|previous|coming|same)\s+(?:\w+\s+)?(?:year|month|week|quarter|decade|summer|winter|"
    r"spring|autumn|season)s?|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:years?|months?|weeks?|"
    r"decades?|quarters?)\s+(?:earlier|ago|later|before)|(?:after|within|over|in|for)\s+(?:the\s+)?(?:a|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|\d+)[-\s](?:years?|months?|weeks?|days?|decades?)"
    rf"|{'|'.join(sorted(SEASONS, key=len, reverse=True))}|(?:19|20)\d\d"
    rf"|(?-i:{'|'.join(sorted((m.title() for m in MONTHS), key=len, reverse=True))}))\b", re.IGNORECASE)
# 'a quarter' is more often a fraction than a rate: only 'each quarter', 'per quarter' and 'quarterly' count
RATE = re.compile(r"\b(?:(?:each|every|per)\s+(?P<unit>year|month|week|day|hour|quarter)|(?:a|an)\s+(?P<short>year|"
                   r"month|week|day|hour)|(?P<adverb>annual(?:ly)?|yearly|monthly|weekly|daily|hourly|quarterly))\b",
                   re.IGNORECASE)
_ADVERB_UNIT = {"annual": "year", "annually": "year", "yearly": "year", "monthly": "month", "weekly": "week",
                "daily": "day", "hourly": "hour", "quarterly": "quarter"}


def rates(text: str) -> set[str]:
    """The time units of the rates a text states ('each year', 'a month', 'annually' -> year, month)."""
    return {(m.group("unit") or m.group("short")).lower() if not m.group("adverb")
            else _ADVERB_UNIT[m.group("adverb").lower()] for m in RATE.finditer(text)}


def period_kind(phrase: str) -> str:
    """What kind of period a phrase names: a year, a month, a quarter or half, a season, or a span of time."""
    low = phrase.lower()
    if re.fullmatch(r"(?:19|20)\d\d", low):
        return "year"
    if any(re.search(rf"\b{m}\b", low) for m in MONTHS):
        return "month"
    if re.search(r"\b(?:quarter|half|q[1-4]|h[12])\b", low):
        return "part of a year"
    if any(re.search(rf"\b{season}\b", low) for season in SEASONS):
        return "season"
    return "span"
