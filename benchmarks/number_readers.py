"""Which reader of numbers to keep: briefing's parser (numbers.py with pint for units) against quantulum3, on
every figure of the corpus's answer keys (tests/corpus). For each keyed figure, the reader must find a
quantity over the key's words with the key's amount (value and scale; the upper end of a range), its unit
(same pint dimension, or the same count or percentage) and its bound.

    pip install quantulum3      # only for this comparison; briefing does not depend on it
    python benchmarks/number_readers.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import load_corpus  # noqa: E402
from fidelity import BOUND_CLASS, SCALE  # noqa: E402

QUANTULUM_UNITS = {"percentage": "%", "degree Celsius": "°C", "degree fahrenheit": "°F", "megawatt": "MW",
                   "gigawatt": "GW", "gigawatt hour": "GWh", "megawatt hour": "MWh", "terawatt hour": "TWh",
                   "milligram": "mg", "tonne": "t", "kilometre": "km", "mile": "mi", "hectare": "ha",
                   "basis point": "bp", "percentage point": "pp"}


def _ours(sentence: str) -> list[tuple[int, int, float, float | None, str, str | None]]:
    from briefing.fidelity.compare import amount
    from briefing.fidelity.numbers import parse_numbers

    out = []
    for number in parse_numbers(sentence, vague=True):
        held = amount(number)
        out.append((number.start, number.end, held.low, held.high, held.unit.written, number.qualifier))
    return out


def _quantulum(sentence: str) -> list[tuple[int, int, float, float | None, str, str | None]]:
    from quantulum3 import parser

    out = []
    for quantity in parser.parse(sentence):
        start, end = quantity.span
        low = quantity.value - (quantity.uncertainty or 0)
        high = quantity.value + quantity.uncertainty if quantity.uncertainty else None
        out.append((start, end, low, high, QUANTULUM_UNITS.get(quantity.unit.name, quantity.unit.name), None))
    return out


def score(read) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from briefing.fidelity.units import same_unit

    counts = {"figures": 0, "found": 0, "amount": 0, "unit": 0, "bound": 0}
    for article in load_corpus():
        for key in article.figures:
            if not key.core:
                continue
            counts["figures"] += 1
            start = max(0, article.text.rfind("\n", 0, key.start))
            end = article.text.find("\n", key.start)
            sentence = article.text[start:end if end > 0 else None]
            offset = key.start - start
            hits = [q for q in read(sentence) if q[0] < offset + len(key.text) and q[1] > offset]
            if not hits:
                continue
            counts["found"] += 1
            want = key.value * SCALE[key.scale] / (100 if key.unit == "cents" else 1)
            got = hits[0]
            if abs(got[2] - want) <= 1e-3 * max(1.0, abs(want)) or (got[3] and abs(got[3] - want) < 1e-3 * want):
                counts["amount"] += 1
            if (not key.unit and not key.noun) or same_unit(key.unit or key.noun, got[4]) or (
                    key.noun and key.noun.lower().rstrip("s") in got[4].lower()):
                counts["unit"] += 1
            if BOUND_CLASS.get(got[5], "?") == BOUND_CLASS[key.bound]:
                counts["bound"] += 1
    return counts


def main() -> int:
    readers = [("briefing (numbers.py + pint)", _ours)]
    try:
        import quantulum3  # noqa: F401

        readers.append(("quantulum3", _quantulum))
    except ImportError:
        print("quantulum3 is not installed: only briefing's reader is scored (pip install quantulum3)")
    for name, read in readers:
        started = time.perf_counter()
        counts = score(read)
        seconds = time.perf_counter() - started
        total = counts["figures"]
        print(f"{name:30} found {counts['found']}/{total} ({100 * counts['found'] / total:.1f}%), amount right "
              f"{100 * counts['amount'] / total:.1f}%, unit right {100 * counts['unit'] / total:.1f}%, bound right "
              f"{100 * counts['bound'] / total:.1f}% of all keyed figures; {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
