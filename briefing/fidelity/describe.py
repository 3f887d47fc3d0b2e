"""A number as a reader writes it: ``over $8-9 billion``, ``30-40%``, ``5x``, ``hundreds of thousands of chips``."""

from __future__ import annotations

from ..models import MAGNITUDE_WORDS, ORDER_OF_MAGNITUDE

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _format(value: float) -> str:
    return f"{value:,.10g}" if abs(value) >= 10000 else f"{value:.10g}"


def describe(value: float, upper: float | None = None, unit: str = "", scale: str = "", currency: str = "",
             qualifier: str | None = None) -> str:
    """``over $8-9 billion``, ``30-40%``, ``5x``: a number as a reader writes it."""
    if qualifier == ORDER_OF_MAGNITUDE:
        words = MAGNITUDE_WORDS.get(value * SCALES.get(scale, 1), f"order of {_format(value)}")
        return f"{words} of {unit}" if unit and unit not in ("%", "x") else words
    number = _format(value) + (f"-{_format(upper)}" if upper is not None else "")
    text = f"{currency}{number}" if not currency[-1:].isalpha() else f"{currency} {number}"
    if unit in ("%", "x"):
        text += unit
    if scale:
        text += f" {scale}"
    if unit and unit not in ("%", "x"):
        text += f" {unit}"
    return f"{qualifier} {text}" if qualifier else text
