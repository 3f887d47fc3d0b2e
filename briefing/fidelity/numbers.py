"""The numbers a text states, and whether a figure agrees with the words it rests on.

``parse_numbers`` reads ``30-40%``, ``30–40 percent``, ``$8 billion``, ``8 billion dollars``, ``100,000``,
``100 000``, ``four times`` and ``2.5 times`` and ``5x`` (unit ``x``), ``over five times`` (qualifier
``over``), ``a 15-year deal`` (unit ``year``), ``4 cents per kilowatt-hour``, years, ``99%``, ``half``
(50%) and ``a fifth`` (20%), the words two to ninety and ``dozen``. Vague amounts (``hundreds of
thousands``, ``dozens``) are not exact numbers: ``parse_numbers(text, vague=True)`` reads them as an
order of magnitude (``hundreds of thousands`` is 100,000 with qualifier ``order of magnitude``), which
only a figure with that qualifier matches. Digits glued to a name (``Trainium2``, ``GPT-4``, ``H100``)
are not numbers either.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..models import MAGNITUDE_WORDS, ORDER_OF_MAGNITUDE

_VAGUE_HEADS = {"tens": 10.0, "dozens": 10.0, "scores": 10.0, "dozen": 10.0, "hundreds": 1e2, "hundred": 1e2,
                "thousands": 1e3, "thousand": 1e3, "millions": 1e6, "million": 1e6, "billions": 1e9,
                "billion": 1e9, "trillions": 1e12, "trillion": 1e12}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_ALIASES = {"k": "thousand", "m": "million", "mn": "million", "bn": "billion", "b": "billion",
                  "tn": "trillion", "t": "trillion"}
_CURRENCY_WORDS = {"dollar": "$", "dollars": "$", "usd": "$", "us$": "$", "euro": "€", "euros": "€",
                   "eur": "€", "pound": "£", "pounds": "£", "gbp": "£", "yen": "¥", "jpy": "¥"}
_WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
    "a hundred": 100, "a thousand": 1000, "a million": 1, "a billion": 1, "a trillion": 1,
}
_FRACTIONS = {"half": 50.0, "a fifth": 20.0, "one fifth": 20.0, "a tenth": 10.0, "one tenth": 10.0}  # as percentages
# Hedges, folded to the qualifier a Figure can carry.
QUALIFIERS = {
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "over": "over", "more than": "over", "above": "over", "upwards of": "over",
    "under": "under", "less than": "under", "fewer than": "under", "below": "under",
    "up to": "up to", "as many as": "up to", "as much as": "up to",
    "at least": "at least",
}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d.,])|\d+(?:\.\d+)?|\.\d+"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORDNUM = (rf"(?:{_TENS})[-\u2010\u2011 ](?:one|two|three|four|five|six|seven|eight|nine)"
            r"|a\s+(?:dozen|hundred|thousand|million|billion|trillion)"
            r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            rf"|sixteen|seventeen|eighteen|nineteen|{_TENS}|hundred|dozen")
_QUAL = "|".join(sorted((re.escape(q).replace(r"\ ", r"\s+") for q in QUALIFIERS), key=len, reverse=True))
_CUR = r"US\$|[$€£¥]|(?:USD|EUR|GBP)\s?"
_DASH = r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*|\s+to\s+"
_SCALE = r"thousand|million|billion|trillion|bn|mn|tn|[kmbt]"

NUMBER = re.compile(
    rf"""(?P<qual>\b(?:{_QUAL})\s+)?
    (?P<cur>{_CUR})?
    (?<![\w.,\u2010\u2011-])(?<![A-Za-z][-\u2010\u2011])
    (?P<num>{_NUM}|\b(?:{_WORDNUM})\b|\b(?:{_WORDNUM})(?=fold\b)|\b(?:half|(?:a|one)\s+(?:fifth|tenth))\b)
    (?P<pct1>\s?%)?
    (?:(?P<dash>{_DASH})(?P<cur2>{_CUR})?(?P<num2>{_NUM}|\b(?:{_WORDNUM})\b))?
    (?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b)?
    (?P<scale>(?:\s+|-)?(?:{_SCALE})\b)?
    (?P<mult>\s*[x×](?!\w)|\s+times\b|[-\u2011]?fold\b)?
    (?P<curword>\s*[$€£¥](?![\w$€£¥])|\s+(?:US\s+)?(?:dollars?|euros?|pounds|yen|usd|eur|gbp|jpy)\b)?
    (?P<hyph>[-\u2010\u2011](?P<hunit>year|month|week|day|hour|minute|second|mile|foot|inch|meter|metre|
        kilometer|kilometre|person|page|point|percent|story|seat|bit|core|GPU|chip)s?\b)?
    (?P<per>\s+(?P<perunit>[a-z]+\s+per\s+[a-z][\w-]*))?
    (?![\w])
    """,
    re.IGNORECASE | re.VERBOSE,
)
_VAGUE = re.compile(
    r"\b(?:(?:hundreds|thousands|millions|billions|trillions|tens|dozens|scores)(?:\s+(?:of|upon)"
    r"(?:\s+(?:thousands|millions|billions|trillions))?)?|(?:several|a\s+few|many|few)\s+"
    r"(?:dozen|hundred|thousand|million|billion|trillion)s?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    """One number a text states."""

    value: float
    upper: float | None = None
    unit: str = ""  # '%', 'x', 'year', 'cents per kilowatt-hour', or ''
    scale: str = ""  # '', 'thousand', 'million', 'billion', 'trillion'
    currency: str = ""  # '$', '€', '£', '¥' or ''
    qualifier: str | None = None  # folded: about, nearly, over, under, up to, at least
    start: int = 0
    end: int = 0
    text: str = ""
    is_year: bool = False
    is_word: bool = False  # written as a word ("four"), not digits

    @property
    def magnitude(self) -> float:
        return self.value * SCALES.get(self.scale, 1)

    @property
    def upper_magnitude(self) -> float | None:
        return None if self.upper is None else self.upper * SCALES.get(self.scale, 1)

    def describe(self) -> str:
        return describe(self.value, self.upper, self.unit, self.scale, self.currency, self.qualifier)


def _format(value: float) -> str:
    return f"{value:,.10g}" if abs(value) >= 10000 else f"{value:.10g}"


def describe(value: float, upper: float | None = None, unit: str = "", scale: str = "", currency: str = "",
             qualifier: str | None = None) -> str:
    """``over $8-9 billion``, ``30-40%``, ``5x``: a number as a reader writes it."""
    if qualifier == ORDER_OF_MAGNITUDE:
        words = MAGNITUDE_WORDS.get(value * SCALES.get(scale, 1), f"order of {_format(value)}")
        return f"{words} of {unit}" if unit and unit not in ("%", "x") else words
    number = _format(value) + (f"-{_format(upper)}" if upper is not None else "")
    text = f"{currency}{number}"
    if unit in ("%", "x"):
        text += unit
    if scale:
        text += f" {scale}"
    if unit and unit not in ("%", "x"):
        text += f" {unit}"
    return f"{qualifier} {text}" if qualifier else text


def _value(text: str) -> float | None:
    text = text.strip().lower()
    text = re.sub(r"\s+", " ", text)
    if text in _FRACTIONS:
        return _FRACTIONS[text]
    if text in _WORD_VALUES:
        return float(_WORD_VALUES[text])
    parts = re.split(r"[-\u2010\u2011 ]", text)
    if len(parts) == 2 and parts[0] in _WORD_VALUES and parts[1] in _WORD_VALUES:
        return float(_WORD_VALUES[parts[0]] + _WORD_VALUES[parts[1]])
    digits = re.sub(r"[,\s\u00a0\u202f\u2009]", "", text)
    try:
        return float(digits)
    except ValueError:
        return None


def _masked(text: str) -> str:
    """``text`` with vague amounts blanked out (same length), so they are not read as numbers."""
    return _VAGUE.sub(lambda m: " " * len(m.group()), text)


def vague_magnitude(words: str) -> float | None:
    """The order of magnitude of a vague amount: 'hundreds of thousands' -> 100,000; 'a few dozen' -> 10."""
    parts = [w for w in words.lower().split() if w not in ("of", "upon", "several", "a", "few", "many")]
    if not parts or parts[0] not in _VAGUE_HEADS:
        return None
    if len(parts) == 2 and parts[0] == parts[1]:  # "thousands upon thousands"
        parts = parts[:1]
    value = 1.0
    for part in parts:
        value *= _VAGUE_HEADS.get(part, 1.0)
    return value


def parse_vague(text: str) -> list[Number]:
    """The vague amounts ``text`` states, each as its order of magnitude."""
    found = []
    for match in _VAGUE.finditer(text):
        words = re.sub(r"\s+(?:of|upon)$", "", match.group(), flags=re.IGNORECASE)
        value = vague_magnitude(words)
        if value is not None:
            found.append(Number(value=value, qualifier=ORDER_OF_MAGNITUDE, start=match.start(),
                                end=match.start() + len(words), text=words, is_word=True))
    return found


def parse_numbers(text: str, *, vague: bool = False) -> list[Number]:
    """Every number ``text`` states, in order; with ``vague``, its vague amounts too."""
    if vague:
        return sorted([*parse_numbers(text), *parse_vague(text)], key=lambda n: n.start)
    found: list[Number] = []
    masked = _masked(text)
    position = 0
    while (match := NUMBER.search(masked, position)) is not None:
        if _two_numbers(match):
            # "rose 18% to $2.4 billion": two numbers of different kinds, not a range. Read the first
            # alone, then go on from its end so the second is read with its own currency and scale.
            end = match.end("pct1") if match.group("pct1") else match.end("num")
            match = NUMBER.match(masked[:end], match.start()) or match
        number = _number(match, text)
        if number is not None:
            found.append(number)
        position = max(match.end(), position + 1)
    return found


def _two_numbers(match: re.Match[str]) -> bool:
    """A dash or 'to' between numbers whose units or currencies differ: two numbers, not one range."""
    if not match.group("dash"):
        return False
    percent_first = bool(match.group("pct1"))
    money_second = bool(match.group("cur2")) and not match.group("cur")
    return (percent_first and not match.group("pct")) or money_second


def _number(match: re.Match[str], text: str) -> Number | None:
    groups = match.groupdict()
    raw = groups["num"]
    value = _value(raw)
    if value is None:
        return None
    is_word = not any(c.isdigit() for c in raw)
    lowered = raw.lower().split()
    # "a million", "a billion": the scale is in the word itself.
    scale_word = lowered[-1] if len(lowered) == 2 and lowered[-1] in SCALES else ""
    if scale_word == "thousand":
        scale_word, value = "", 1000.0
    upper = _value(groups["num2"]) if groups["num2"] else None
    if groups["dash"] and groups["dash"].strip().lower() == "to" and upper is None:
        return None
    scale_text = (groups["scale"] or "").strip(" -").lower()
    scale = _SCALE_ALIASES.get(scale_text, scale_text) or scale_word
    currency = (groups["cur"] or groups["cur2"] or "").strip()
    currency = _CURRENCY_WORDS.get(currency.lower(), currency)
    if groups["curword"]:
        word = groups["curword"].split()[-1]
        currency = _CURRENCY_WORDS.get(word.lower(), word)
    single = scale_text in ("k", "m", "b", "t")
    if single and not currency:  # "5m" alone is metres or minutes, not millions
        return None
    unit = ""
    if groups["pct"] or groups["pct1"] or " ".join(raw.lower().split()) in _FRACTIONS:
        unit = "%"
    elif groups["mult"]:
        unit = "x"
    elif groups["hunit"]:
        unit = groups["hunit"].lower()
    elif groups["perunit"]:
        unit = " ".join(groups["perunit"].split())
    start = match.start() if groups["qual"] or groups["cur"] else match.start("num")
    end = match.end()
    if upper is not None and upper < value and not groups["pct"]:  # "2024-12": a date, not a range
        upper, unit, end = None, "", match.end("num")
    qualifier = QUALIFIERS.get(" ".join(groups["qual"].lower().split())) if groups["qual"] else None
    is_year = (not is_word and upper is None and not unit and not scale and not currency
               and re.fullmatch(r"(1[89]|20|21)\d\d", raw) is not None)
    return Number(value=value, upper=upper, unit=unit, scale=scale, currency=currency, qualifier=qualifier,
                  start=start, end=end, text=text[start:end].strip(), is_year=is_year, is_word=is_word)


# --- comparing -----------------------------------------------------------------------------------

def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def same_number(a: Number, b: Number) -> bool:
    """The same amount, whatever the writing: 4x and four times, $8 billion and 8,000 million dollars."""
    return (_close(a.magnitude, b.magnitude) and _close(a.upper_magnitude, b.upper_magnitude)) or (
        _close(a.value, b.value) and _close(a.upper, b.upper) and a.scale == b.scale)


def traced(number: Number, candidates: Iterable[Number]) -> bool:
    """Whether ``number`` appears among ``candidates``: the same amount, or one bound of a range."""
    for other in candidates:
        if same_number(number, other):
            return True
        if number.upper is None and other.upper is not None and (
                _close(number.magnitude, other.upper_magnitude) or _close(number.magnitude, other.magnitude)):
            return True
        if number.upper is None and _close(number.value, other.value) and not number.scale and not other.scale:
            return True
    return False


def figure_number(figure: Any) -> Number:
    """A ``Figure`` (value, upper, unit, currency, qualifier) as a Number: 'billion' as unit is its scale."""
    unit = (figure.unit or "").strip()
    scale = ""
    lowered = unit.lower()
    if lowered in SCALES or lowered in _SCALE_ALIASES:
        scale, unit = _SCALE_ALIASES.get(lowered, lowered), ""
    elif lowered.split(" ", 1)[0] in SCALES:
        scale, unit = lowered.split(" ", 1)[0], unit.split(" ", 1)[1]
    if unit.lower() in ("percent", "per cent", "pct"):
        unit = "%"
    if unit.lower() in ("times", "×", "fold"):
        unit = "x"
    qualifier = getattr(figure, "qualifier", None)
    return Number(value=float(figure.value), upper=None if figure.upper is None else float(figure.upper),
                  unit=unit, scale=scale, currency=_CURRENCY_WORDS.get((figure.currency or "").lower(),
                                                                       figure.currency or ""),
                  qualifier=QUALIFIERS.get(qualifier, qualifier) if qualifier else None)


@dataclass(frozen=True)
class Discrepancy:
    kind: str  # number, range, scale, unit, currency, hedge
    severity: Literal["error", "warning"]
    message: str
    hint: str = ""


def _units_agree(figure: Number, stated: Number, sentence: str) -> bool:
    if figure.unit in ("%", "x") or stated.unit in ("%", "x"):
        return figure.unit == stated.unit
    if not figure.unit:
        return True
    words = [w.rstrip("s") for w in re.findall(r"[a-z]{3,}", figure.unit.lower())]
    lowered = sentence.lower()
    return not words or any(w in lowered for w in words)


def best_candidate(figure: Number, stated: list[Number]) -> Number | None:
    """The stated number most like the figure: same amount first, then same digits, then unit."""
    def score(n: Number) -> tuple[int, int, int, int]:
        return (int(same_number(figure, n)), int(_close(figure.value, n.value)),
                int(figure.unit == n.unit), int(not n.is_year))
    return max(stated, key=score) if stated else None


def compare_figure(figure: Any, stated: list[Number], sentence: str) -> tuple[Number | None, list[Discrepancy]]:
    """How a Figure differs from the numbers its evidence states; an empty list means it agrees."""
    mine = figure_number(figure)
    vague = [n for n in stated if n.qualifier == ORDER_OF_MAGNITUDE]
    if mine.qualifier == ORDER_OF_MAGNITUDE or (vague and len(vague) == len(stated)):
        return _compare_magnitude(mine, vague)
    stated = [n for n in stated if n.qualifier != ORDER_OF_MAGNITUDE]
    candidate = best_candidate(mine, stated)
    shown = mine.describe()
    if candidate is None:
        return None, [Discrepancy("number", "error", f"figure {shown}: the evidence states no number",
                                  "quote the words with the number in 'evidence'")]
    theirs = candidate.describe()
    problems: list[Discrepancy] = []
    if not same_number(mine, candidate):
        if _close(mine.value, candidate.value) and _close(mine.upper, candidate.upper):
            problems.append(Discrepancy(
                "scale", "error", f"figure {shown} has the wrong scale: the source says {theirs}",
                f"set the unit to '{candidate.scale or 'nothing'}' to match the source"))
        elif candidate.upper is not None and mine.upper is None and _close(mine.magnitude, candidate.magnitude):
            problems.append(Discrepancy(
                "range", "error", f"figure {shown} drops the range: the source says {theirs}",
                f"add 'upper: {_format(candidate.upper)}'"))
        else:
            problems.append(Discrepancy(
                "number", "error", f"figure {shown} does not match its evidence: the source says {theirs}",
                "correct the value, or quote the passage the figure comes from"))
        return candidate, problems
    if not _units_agree(mine, candidate, sentence):
        problems.append(Discrepancy("unit", "error", f"figure {shown} has unit '{mine.unit}', "
                                    f"the source says {theirs}", "use the source's unit"))
    if mine.currency != candidate.currency:
        if mine.currency and candidate.currency:
            problems.append(Discrepancy("currency", "error", f"figure {shown} is in {mine.currency}, "
                                        f"the source says {theirs}", f"set currency: '{candidate.currency}'"))
        elif candidate.currency:
            problems.append(Discrepancy("currency", "warning", f"figure {shown} leaves out the currency: "
                                        f"the source says {theirs}", f"add currency: '{candidate.currency}'"))
    if candidate.qualifier and candidate.qualifier != mine.qualifier:
        problems.append(Discrepancy(
            "hedge", "warning", f"figure {shown} drops the hedge of its source, which says '{candidate.text}'",
            f"add 'qualifier: {candidate.qualifier}' to the figure"))
    elif mine.qualifier and not candidate.qualifier:
        problems.append(Discrepancy(
            "hedge", "warning", f"figure {shown} adds a hedge the source does not have ('{candidate.text}')",
            "remove the qualifier, or quote the passage that hedges"))
    return candidate, problems


def _compare_magnitude(mine: Number, vague: list[Number]) -> tuple[Number | None, list[Discrepancy]]:
    """A figure against the vague amounts of its evidence: an order of magnitude matches only the same
    order; an exact figure never rests on a vague amount (a reader would take it for a count)."""
    shown = mine.describe()
    if mine.qualifier != ORDER_OF_MAGNITUDE:
        said = vague[0]
        return said, [Discrepancy(
            "vague", "error", f"figure {shown} is exact, but the source gives only an order of magnitude "
            f"('{said.text}')", f"set 'value: {_format(said.value)}' and 'qualifier: {ORDER_OF_MAGNITUDE}'")]
    same = [n for n in vague if _close(n.magnitude, mine.magnitude)]
    if same:
        return same[0], []
    if not vague:
        return None, [Discrepancy("number", "error", f"figure {shown}: the evidence states no vague amount",
                                  f"quote the words that say '{shown}', or drop 'qualifier: {ORDER_OF_MAGNITUDE}' "
                                  "for an exact number")]
    return vague[0], [Discrepancy(
        "number", "error", f"figure {shown} does not match its evidence: the source says '{vague[0].text}'",
        f"set 'value: {_format(vague[0].value)}'")]
