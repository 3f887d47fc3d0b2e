"""Whether a figure and the words it rests on state the same quantity.

A figure and its evidence agree when they are one amount in one unit, whatever the writing: ``1.24 TWh``
and ``1,240 GWh`` (pint converts), ``400%`` and ``four times``, ``about 67%`` and ``nearly two-thirds``,
``€0.85 per share`` and ``85 euro cents a share``, ``SEK 2 billion`` and ``2 billion kronor``, ``up to 96
hours`` and ``no more than 96 hours``. They disagree, with an error naming both sides, when the number,
scale or range differs, when the unit measures something else (``MW`` for the source's ``MWh``) or is
another unit of the same thing at the same number (``g`` for ``mg``), when the currency differs, or when
the bound points the other way (``over`` for the source's ``never rose above``). A count's noun is not
a unit: ``21,400 employees`` for ``21,400 people`` agrees.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..models import ORDER_OF_MAGNITUDE
from .bounds import direction, fold_qualifier
from .counts import counted_in
from .describe import _format, describe
from .numbers import _SCALE_ALIASES, SCALES, Number
from .periods import rates
from .units import (
    Unit,
    convert,
    currency_code,
    currency_display,
    describe_dimension,
    read_unit,
    same_currency,
    same_unit,
)

_CENTS = re.compile(r"^(?:(?P<cur>euro|us|u\.s\.)\s+)?(?:cents?|pence|p)\b\s*(?P<rest>.*)$", re.IGNORECASE)
_PER_SHARE = re.compile(r"^(?:a|per|each)\s+(?:share|unit)$", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """A number as a quantity: magnitudes with the scale applied and cents in whole units, its unit read."""

    low: float
    high: float | None
    unit: Unit
    currency: str  # ISO code, or ''
    tolerance: float  # absolute, in the unit: 0.5 for a fraction written in words


@functools.lru_cache(maxsize=65536)
def amount(number: Number) -> Amount:
    factor = SCALES.get(number.scale, 1.0)
    unit_text, currency = number.unit, currency_code(number.currency)
    cents = _CENTS.match(unit_text)
    if cents:  # "85 cents a share", "4 cents per kilowatt-hour": in whole units of the currency
        factor /= 100.0
        unit_text = cents.group("rest").strip()
        if cents.group("cur"):
            currency = currency or ("EUR" if cents.group("cur").lower() == "euro" else "USD")
    if _PER_SHARE.match(unit_text):
        unit_text = "per share"
    high = None if number.upper is None else number.upper * factor
    return Amount(number.value * factor, high, read_unit(unit_text), currency, number.tolerance * factor)


def _close(a: float | None, b: float | None, tolerance: float = 0.0) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=max(1e-12, tolerance))


def _in_unit_of(mine: Amount, theirs: Amount) -> tuple[float, float | None] | None:
    """``mine``'s magnitudes in ``theirs``' unit, when one converts to the other (TWh to GWh, % to x)."""
    a, b = mine.unit, theirs.unit
    if a.kind == "percent" and b.kind == "multiple":
        return mine.low / 100, None if mine.high is None else mine.high / 100
    if a.kind == "multiple" and b.kind == "percent":
        return mine.low * 100, None if mine.high is None else mine.high * 100
    if (a.physical and b.physical) or (a.kind == b.kind == "points"):
        low = convert(mine.low, a, b)
        high = None if mine.high is None else convert(mine.high, a, b)
        if low is not None and (mine.high is None or high is not None):
            return low, high
    return None


@functools.lru_cache(maxsize=262144)
def same_amount(a: Number, b: Number) -> bool:
    """The same quantity: 4x and four times, $8 billion and 8,000 million dollars, 1.24 TWh and 1,240 GWh."""
    mine, theirs = amount(a), amount(b)
    tolerance = max(mine.tolerance, theirs.tolerance)
    converted = _in_unit_of(mine, theirs)
    if converted is not None:  # units that convert: the converted amount decides (300 mg is not 300 g)
        return _close(converted[0], theirs.low, tolerance) and _close(converted[1], theirs.high, tolerance)
    same = _close(mine.low, theirs.low, tolerance) and _close(mine.high, theirs.high, tolerance)
    return same or (_close(a.value, b.value, tolerance) and _close(a.upper, b.upper) and a.scale == b.scale
                    and not _CENTS.match(a.unit) and not _CENTS.match(b.unit))


def traced(number: Number, candidates: Iterable[Number]) -> bool:
    """Whether ``number`` appears among ``candidates``: the same amount, or one bound of a range."""
    for other in candidates:
        if same_amount(number, other):
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
    if lowered in SCALES or (lowered in _SCALE_ALIASES and (figure.currency or lowered not in ("m", "k", "t", "b"))):
        scale, unit = _SCALE_ALIASES.get(lowered, lowered), ""
    elif lowered.split(" ", 1)[0] in SCALES:
        scale, unit = lowered.split(" ", 1)[0], unit.split(" ", 1)[1]
    if unit.lower() in ("percent", "per cent", "pct"):
        unit = "%"
    if unit.lower() in ("times", "×", "fold"):
        unit = "x"
    return Number(value=float(figure.value), upper=None if figure.upper is None else float(figure.upper),
                  unit=unit, scale=scale, currency=currency_display(figure.currency or "") if figure.currency else "",
                  qualifier=fold_qualifier(getattr(figure, "qualifier", None)))


@dataclass(frozen=True)
class Discrepancy:
    kind: str  # number, range, scale, unit, currency, hedge, bound, vague
    severity: Literal["error", "warning"]
    message: str
    hint: str = ""


def _unit_words(unit: Unit) -> list[str]:
    """Ways a text may write a unit (for a source that states the number with the unit in another place)."""
    from .units import _SYMBOL_UNITS, _WORD_UNITS

    if not unit.physical:
        return [w.rstrip("s") for w in re.findall(r"[a-z]{3,}", unit.written.lower())]
    return [s for s, n in [*_SYMBOL_UNITS.items(), *_WORD_UNITS.items()] if n == unit.name] + [unit.written]


def _unit_problem(mine: Number, theirs: Number, sentence: str, context: str = "",
                  before: str = "") -> Discrepancy | None:
    a, b = amount(mine).unit, amount(theirs).unit
    shown, said = mine.describe(), theirs.describe()
    if _rate_written_after(mine.unit, theirs, sentence):
        return None
    if a.kind in ("percent", "multiple") or b.kind in ("percent", "multiple"):
        if a.kind == b.kind or ({a.kind, b.kind} == {"percent", "multiple"} and same_amount(mine, theirs)):
            return None
        return Discrepancy("unit", "error", f"figure {shown} is {describe_dimension(a)}, the source says {said} "
                           f"({describe_dimension(b)})", "use the source's unit")
    if a.kind == "per" or b.kind == "per":  # '€640 a tonne': the thing priced must be the source's
        if a.kind == b.kind and not same_unit(a.written, b.written):
            return Discrepancy("unit", "error", f"figure {shown} is a price {mine.unit}, the source says {said}",
                               f"use the source's unit, '{theirs.unit}'")
        return None
    if a.kind == "points" or b.kind == "points":
        if a.kind == b.kind:
            return None
        return Discrepancy("unit", "error", f"figure {shown} has unit '{mine.unit}', the source says {said}",
                           "use the source's unit: percentage points and basis points are not per cent")
    if a.physical and b.physical:
        if b.dimension == f"{a.dimension} / [time]" and rates(context):
            return None  # '38 miles' for the source's '38 miles a year', where the statement or label says 'a year'
        if a.dimension != b.dimension:
            return Discrepancy("unit", "error", f"figure {shown} is in {mine.unit} ({describe_dimension(a)}), "
                               f"the source says {said} ({describe_dimension(b)})",
                               f"use the source's unit, '{theirs.unit}'")
        if convert(1.0, a, b) not in (None, 1.0) and _close(mine.value, theirs.value) and not same_amount(mine, theirs):
            return Discrepancy("unit", "error", f"figure {shown} is in {mine.unit}, the source says {said}: "
                               f"{mine.unit} is not {theirs.unit}", f"set the unit to '{theirs.unit}'")
        return None
    if a.physical:  # the source states the number without a unit next to it: the unit must be in the sentence
        lowered = sentence.lower()
        # whole words: the 't' of 'tonnes' is not the t of 'the'; a plural may follow ('tonnes', 'metres')
        if any(word and re.search(rf"(?<!\w){re.escape(word.lower())}(?:e?s)?(?!\w)", lowered)
               for word in _unit_words(a)):
            return None
        return Discrepancy("unit", "error", f"figure {shown} has unit '{mine.unit}', which its evidence does not "
                           f"state (the source says {said})", "use the source's unit")
    if b.physical and mine.unit:
        return Discrepancy("unit", "warning", f"figure {shown} counts '{mine.unit}', the source says {said}",
                           f"give the source's unit, '{theirs.unit}'")
    if b.physical:
        return Discrepancy("unit", "warning", f"figure {shown} leaves out the unit: the source says {said}",
                           f"add 'unit: {theirs.unit}'")
    if mine.unit and not same_unit(mine.unit, theirs.unit) and not counted_in(mine.unit, sentence) \
            and not (not theirs.unit and counted_in(mine.unit, before)):
        # a bare number counts what the sentence before it counted ('4,270 patients had been waiting ... a target of
        # no more than 2,500 by March')
        return Discrepancy("unit", "error", f"figure {shown} counts '{mine.unit}', which its evidence does not name "
                           f"(the source says '{theirs.text}')", "count what the source counts")
    return None


_PER_FORMS = {"kg": "kg|kilos?|kilograms?|kilogrammes?", "kilogram": "kg|kilos?|kilograms?|kilogrammes?",
              "t": "t|tonnes?|tons?", "tonne": "t|tonnes?|tons?", "l": "l|litres?|liters?",
              "litre": "l|litres?|liters?"}


def _rate_written_after(unit: str, theirs: Number, sentence: str) -> bool:
    """'4,300 kg of hydrogen a day', 'about 11 litres of water for every kilogram': the source reads the unit alone,
    the rate the figure adds is written right after it."""
    rate = re.fullmatch(r"(?P<base>.+?)\s+(?:per|a|an)\s+(?P<per>[a-z]+)", unit.strip().lower())
    if rate is None or not same_unit(rate.group("base"), theirs.unit or "-"):
        return False
    forms = _PER_FORMS.get(rate.group("per"), re.escape(rate.group("per")) + "s?")
    after = sentence[theirs.end:theirs.end + 60].lower()
    return re.match(rf"(?:\s+of\s+[\w-]+(?:\s+[\w-]+)?)?\s+(?:per|a|an|each|for\s+each|for\s+every)\s+(?:{forms})\b",
                    after) is not None


def _side(qualifier: str | None) -> str:
    """Which side of the number a bound puts the amount on: 'nearly 40%' is under 40%, as 'up to' is."""
    folded = fold_qualifier(qualifier)
    return "<" if folded == "nearly" else {"<=": "<", ">=": ">"}.get(direction(qualifier), "")


def _opposite(ours: str | None, theirs: str | None) -> bool:
    return {_side(ours), _side(theirs)} == {"<", ">"}


def _bound_problem(mine: Number, theirs: Number) -> Discrepancy | None:
    ours, source = direction(mine.qualifier), direction(theirs.qualifier)
    shown = mine.describe()
    said = f"'{theirs.text}'" + (f" ({theirs.qualifier})" if theirs.qualifier else "")
    if ours == source:
        return None
    if _opposite(mine.qualifier, theirs.qualifier):
        return Discrepancy("bound", "error", f"figure {shown} bounds the number the other way from its source, "
                           f"which says {said}", f"set 'qualifier: {theirs.qualifier}'")
    if source == "=":
        return Discrepancy("hedge", "warning", f"figure {shown} adds a hedge the source does not have "
                           f"('{theirs.text}')", "remove the qualifier, or quote the passage that hedges")
    if ours == "=":
        return Discrepancy("hedge", "warning", f"figure {shown} drops the hedge of its source, which says "
                           f"'{theirs.text}'", f"add 'qualifier: {theirs.qualifier}' to the figure")
    return Discrepancy("hedge", "warning", f"figure {shown} hedges the number otherwise than its source, which "
                       f"says {said}", f"set 'qualifier: {theirs.qualifier}'")


def best_candidate(figure: Number, stated: list[Number]) -> Number | None:
    """The stated number most like the figure: same amount first, then same digits, then unit."""
    def score(n: Number) -> tuple[int, int, int, int]:
        return (int(same_amount(figure, n)), int(_close(figure.value, n.value)),
                int(amount(figure).unit.kind == amount(n).unit.kind), int(not n.is_year))
    return max(stated, key=score) if stated else None


def compare_figure(figure: Any, stated: list[Number], sentence: str,
                   statement: str = "", before: str = "") -> tuple[Number | None, list[Discrepancy]]:
    """How a Figure differs from the numbers its evidence states; an empty list means it agrees. The fact's
    ``statement`` and the figure's label may name the period of a rate the unit leaves out."""
    mine = figure_number(figure)
    context = f"{statement} {getattr(figure, 'label', '') or ''}"
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
    if not same_amount(mine, candidate):
        same_digits = _close(mine.value, candidate.value) and _close(mine.upper, candidate.upper)
        if same_digits and mine.scale != candidate.scale:
            return candidate, [Discrepancy(
                "scale", "error", f"figure {shown} has the wrong scale: the source says {theirs}",
                f"set the unit to '{candidate.scale or 'nothing'}' to match the source")]
        if candidate.upper is not None and mine.upper is None and _close(mine.magnitude, candidate.magnitude):
            return candidate, [Discrepancy("range", "error", f"figure {shown} drops the range: the source says "
                                           f"{theirs}", f"add 'upper: {_format(candidate.upper)}'")]
        problem = _unit_problem(mine, candidate, sentence, context, before)
        if problem is not None and problem.severity == "error" and _close(mine.value, candidate.value):
            return candidate, [problem]
        return candidate, [Discrepancy(
            "number", "error", f"figure {shown} does not match its evidence: the source says {theirs}",
            "correct the value, or quote the passage the figure comes from")]
    problems = [p for p in (_unit_problem(mine, candidate, sentence, context, before),) if p is not None]
    ours_currency, their_currency = currency_code(mine.currency), currency_code(candidate.currency)
    if ours_currency and their_currency and not same_currency(ours_currency, their_currency):
        problems.append(Discrepancy("currency", "error", f"figure {shown} is in {mine.currency}, "
                                    f"the source says {theirs}", f"set currency: '{candidate.currency}'"))
    elif their_currency and not ours_currency and not amount(mine).unit.physical and not _CENTS.match(mine.unit):
        problems.append(Discrepancy("currency", "warning", f"figure {shown} leaves out the currency: "
                                    f"the source says {theirs}", f"add currency: '{candidate.currency}'"))
    bound = _bound_problem(mine, candidate)
    if bound is not None:
        problems.append(bound)
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


__all__ = ["Amount", "Discrepancy", "amount", "best_candidate", "compare_figure", "describe", "figure_number",
           "same_amount", "traced"]


def misstated(number: Number, pool: Iterable[Number]) -> str | None:
    """How prose states a number its source states otherwise: the amount is there, but only in another
    currency ('€52.30' for '$52.30'), another unit ('80 g' for '80 mg') or bounded the other way ('at least 5%'
    for 'fewer than 5%'). None when some number of ``pool`` agrees, or when none has the amount at all."""
    same = [other for other in pool if same_amount(number, other)
            or (_close(number.value, other.value) and _close(number.upper, other.upper)
                and number.scale == other.scale)]
    if not same:
        return None
    shown = number.describe()
    problems = []
    for other in same:
        theirs = other.describe()
        mine_code, their_code = currency_code(number.currency), currency_code(other.currency)
        if mine_code and their_code and not same_currency(mine_code, their_code):
            problems.append(f"says {shown}, in another currency than the source's {theirs}")
            continue
        rate = number.unit and other.unit and (number.unit.startswith(other.unit) or other.unit.startswith(number.unit))
        # 'two months' is not a misstated '2 flights': a count and a measure are different numbers
        unit = _unit_problem(number, other, "") if (amount(number).unit.physical and amount(other).unit.physical) \
            and not rate else None
        if unit is not None and unit.severity == "error" and amount(number).unit.kind != "count":
            problems.append(f"says {shown}, in another unit than the source's {theirs}")
            continue
        if not same_amount(number, other):
            if number.unit or number.currency or number.scale:
                problems.append(f"says {shown}, the source says {theirs}")
            continue
        if fold_qualifier(number.qualifier) in ("over", "under") and fold_qualifier(other.qualifier) == "about":
            problems.append(f"says {shown}, where the source says '{other.text}'")  # 'more than 6,150' for 'about'
            continue
        if _opposite(number.qualifier, other.qualifier):
            problems.append(f"says {shown}, bounded the other way from the source's '{other.text}'")
            continue
        return None
    return problems[0] if problems else None
