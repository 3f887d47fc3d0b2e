"""Units and currencies: what a figure's unit means, so that a figure and its evidence are compared as
quantities, not as strings.

* Physical units go through pint (dimensions and conversion): ``1.24 TWh`` is ``1,240 GWh``; ``MW``
  (power) is not ``MWh`` (energy); ``mg`` and ``g`` are one dimension but not one amount. pint is loaded
  only when a figure or its evidence has a physical unit, and its registry once per process.
* ``%``, ``x`` (multiples), percentage points and basis points are their own units: ``400%`` is ``4x``,
  ``25 basis points`` is ``0.25 percentage points``.
* A unit that is none of these is a count's noun (``people``, ``stores``): nouns are not units, so
  ``21,400 employees`` for the source's ``21,400 people`` is no mismatch.
* Currencies by symbol, ISO code or word (``$``, ``USD``, ``dollars``; ``SEK``, ``kronor``; ``kr``,
  which is Swedish, Norwegian, Danish or Icelandic) fold to one code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

# --- currencies ---------------------------------------------------------------------------------

_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "fr.": "CHF",
            "c$": "CAD", "a$": "AUD", "r": "ZAR",
            "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL", "kr": "KR", "kr.": "KR"}
_WORDS = {"dollar": "USD", "dollars": "USD", "us dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
          "pounds": "GBP", "sterling": "GBP", "pounds sterling": "GBP", "yen": "JPY", "krona": "SEK", "kronor": "SEK",
          "swedish kronor": "SEK", "krone": "NOK", "kroner": "NOK", "norwegian kroner": "NOK",
          "danish kroner": "DKK", "franc": "CHF", "francs": "CHF", "swiss francs": "CHF", "yuan": "CNY",
          "renminbi": "CNY", "rupee": "INR", "rupees": "INR", "won": "KRW", "zloty": "PLN", "rand": "ZAR",
          **{f"{country} dollar{plural}": code for country, code in (
              ("new zealand", "NZD"), ("australian", "AUD"), ("canadian", "CAD"), ("hong kong", "HKD"),
              ("singapore", "SGD")) for plural in ("", "s")}}
ISO_CODES = ("USD", "EUR", "GBP", "JPY", "SEK", "NOK", "DKK", "ISK", "CHF", "CNY", "INR", "KRW", "AUD", "CAD",
             "NZD", "HKD", "SGD", "BRL", "MXN", "ZAR", "PLN", "CZK", "HUF")
_KRONA = {"SEK", "NOK", "DKK", "ISK"}
_DISPLAY = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
# What the number parser accepts as a currency word after a number, and as a code or symbol before it.
CURRENCY_WORD_PATTERN = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _WORDS), key=len, reverse=True))
CURRENCY_CODE_PATTERN = "|".join(ISO_CODES)


def currency_code(text: str | None) -> str:
    """The ISO code of a currency as written: '$', 'US$', 'USD', 'dollars' -> 'USD'; 'kr' -> 'KR' (any krona)."""
    if not text:
        return ""
    folded = " ".join(text.strip().lower().split())
    if folded in _SYMBOLS:
        return _SYMBOLS[folded]
    if folded in _WORDS:
        return _WORDS[folded]
    if folded.upper() in ISO_CODES:
        return folded.upper()
    return text.strip().upper()


def same_currency(a: str | None, b: str | None) -> bool:
    """Whether two currencies as written are one: '€' and 'EUR'; 'kr' and 'SEK'."""
    x, y = currency_code(a), currency_code(b)
    if x == y:
        return True
    return (x == "KR" and y in _KRONA) or (y == "KR" and x in _KRONA)


def currency_display(code_or_symbol: str) -> str:
    """How the parser shows a currency: the symbol for the four everyone knows, the ISO code otherwise."""
    code = currency_code(code_or_symbol)
    if code == "KR":
        return "kr"
    return _DISPLAY.get(code, code)


# --- units ----------------------------------------------------------------------------------------

# Unit names as articles write them -> pint's names. Symbols are case-sensitive (MW is not mW); words are not.
_SYMBOL_UNITS = {
    "kN": "kilonewton", "MN": "meganewton",
    "W": "watt", "kW": "kilowatt", "MW": "megawatt", "GW": "gigawatt", "TW": "terawatt",
    "Wh": "watt_hour", "kWh": "kilowatt_hour", "MWh": "megawatt_hour", "GWh": "gigawatt_hour",
    "TWh": "terawatt_hour", "kV": "kilovolt", "°C": "degC", "ºC": "degC", "°F": "degF", "ºF": "degF",
    "mg": "milligram", "µg": "microgram", "μg": "microgram", "mcg": "microgram", "g": "gram", "kg": "kilogram",
    "t": "tonne", "Mt": "megatonne", "Gt": "gigatonne", "kt": "kilotonne",
    "mm": "millimeter", "cm": "centimeter", "km": "kilometer", "nm": "nanometer", "µm": "micrometer",
    "ha": "hectare", "km2": "kilometer**2", "km²": "kilometer**2", "m2": "meter**2", "m²": "meter**2",
    "m3": "meter**3", "m³": "meter**3", "l": "liter", "L": "liter", "ml": "milliliter", "mL": "milliliter",
    "ms": "millisecond", "µs": "microsecond", "Hz": "hertz", "kHz": "kilohertz", "MHz": "megahertz",
    "GHz": "gigahertz", "kbps": "kilobit/second", "Mbps": "megabit/second", "Gbps": "gigabit/second",
    "Tbps": "terabit/second", "GB": "gigabyte", "TB": "terabyte", "MB": "megabyte", "PB": "petabyte",
    "ppm": "ppm", "ppb": "ppb", "mph": "mile/hour", "km/h": "kilometer/hour", "kph": "kilometer/hour",
    "mg/kg": "milligram/kilogram", "mg/l": "milligram/liter", "mg/L": "milligram/liter", "bpd": "barrel/day",
}
_WORD_UNITS = {
    "kilonewtons": "kilonewton", "kilonewton": "kilonewton", "newtons": "newton",
    "watts": "watt", "kilowatts": "kilowatt", "megawatts": "megawatt", "gigawatts": "gigawatt",
    "terawatts": "terawatt", "kilowatt-hours": "kilowatt_hour", "kilowatt-hour": "kilowatt_hour",
    "megawatt-hours": "megawatt_hour", "gigawatt-hours": "gigawatt_hour", "terawatt-hours": "terawatt_hour",
    "degrees celsius": "degC", "degrees fahrenheit": "degF", "degrees c": "degC", "degrees f": "degF",
    "milligrams": "milligram", "milligram": "milligram", "micrograms": "microgram", "grams": "gram",
    "gram": "gram", "kilograms": "kilogram", "kilogram": "kilogram", "kilos": "kilogram",
    "tonnes": "tonne", "tonne": "tonne", "metric tons": "tonne", "metric tonnes": "tonne",
    "megatonnes": "megatonne", "gigatonnes": "gigatonne", "kilotonnes": "kilotonne",
    "millimetres": "millimeter", "millimeters": "millimeter", "centimetres": "centimeter", "centimeters": "centimeter",
    "metres": "meter", "meters": "meter", "kilometres": "kilometer", "kilometers": "kilometer", "miles": "mile",
    "mile": "mile", "nanometres": "nanometer", "nanometers": "nanometer", "feet": "foot", "foot": "foot",
    "square feet": "foot**2", "sq ft": "foot**2", "square metres": "meter**2", "square meters": "meter**2",
    "square kilometres": "kilometer**2", "square kilometers": "kilometer**2", "square miles": "mile**2",
    "hectares": "hectare", "hectare": "hectare", "acres": "acre", "acre": "acre",
    "cubic metres": "meter**3", "cubic meters": "meter**3", "cubic kilometres": "kilometer**3",
    "cubic kilometers": "kilometer**3", "litres": "liter", "liters": "liter", "litre": "liter",
    "liter": "liter", "megalitres": "megaliter", "megaliters": "megaliter",
    "millilitres": "milliliter", "milliliters": "milliliter", "gallons": "gallon",
    "barrels": "barrel", "barrel": "barrel", "barrels per day": "barrel/day", "barrels a day": "barrel/day",
    "bushels": "bushel", "bushel": "bushel", "knots": "knot", "knot": "knot",
    "milliseconds": "millisecond", "microseconds": "microsecond", "seconds": "second", "second": "second",
    "minutes": "minute", "minute": "minute", "hours": "hour", "hour": "hour", "days": "day", "day": "day",
    "weeks": "week", "week": "week", "months": "month", "month": "month", "years": "year", "year": "year",
    "decades": "decade", "centuries": "century", "gigahertz": "gigahertz", "megahertz": "megahertz",
    "parts per million": "ppm", "parts per billion": "ppb", "kilovolts": "kilovolt",
    "gigabits per second": "gigabit/second", "megabits per second": "megabit/second",
    "terabytes": "terabyte", "gigabytes": "gigabyte", "millimetres a year": "millimeter/year",
    "millimeters a year": "millimeter/year", "millimetres per year": "millimeter/year",
    "millimeters per year": "millimeter/year", "miles per hour": "mile/hour", "kilometres per hour": "kilometer/hour",
    "kilometers per hour": "kilometer/hour",
}
# A unit word in the singular, as in "a 550-megawatt plant" or "a 12-tonne truck".
_WORD_UNITS |= {word[:-1]: name for word, name in list(_WORD_UNITS.items())
                if word.endswith("s") and not word.endswith(("ss", "us")) and word[:-1] not in _WORD_UNITS}
_WORD_UNITS["kilometre"] = _WORD_UNITS["metre"] = _WORD_UNITS["litre"] = None  # type: ignore[assignment]
_WORD_UNITS |= {"kilometre": "kilometer", "metre": "meter", "litre": "liter", "centimetre": "centimeter",
                "millimetre": "millimeter", "square foot": "foot**2", "square metre": "meter**2"}
_POINTS = {"pp": "pp", "ppt": "pp", "pts": "pp", "percentage point": "pp", "percentage points": "pp",
           "percent point": "pp", "per cent point": "pp", "points": "pp", "bp": "bp", "bps": "bp",
           "basis point": "bp", "basis points": "bp"}
_PER = re.compile(r"^(?P<unit>.+?)\s*(?:/|\s+per\s+|\s+an?\s+)(?P<per>[\w°µμ²³]+)$")
_PER_WORDS = {"day": "day", "year": "year", "hour": "hour", "month": "month", "week": "week", "litre": "liter",
              "liter": "liter", "l": "liter", "kg": "kilogram", "kilogram": "kilogram", "second": "second",
              "s": "second", "h": "hour", "yr": "year", "annum": "year", "person": "", "patient": "", "share": "",
              "head": "", "capita": ""}


@dataclass(frozen=True)
class Unit:
    """A unit as a figure or a text writes it, read: its kind, its pint name and its dimension."""

    written: str
    kind: str  # 'percent', 'multiple', 'points' (pp or bp), 'physical', 'per' (a price per thing), 'count' (a noun)
    name: str = ""  # pint's name for a physical unit; 'pp' or 'bp' for points
    dimension: str = ""  # pint's dimensionality, e.g. '[mass]', for a physical unit

    @property
    def physical(self) -> bool:
        return self.kind == "physical"


@functools.lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


@functools.lru_cache(maxsize=1024)
def _pint(name: str) -> tuple[str, str] | None:
    """(canonical name, dimensionality) of a pint expression, or None when pint cannot read it."""
    try:
        quantity = _registry().Quantity(1, name)
    except Exception:  # pint raises several kinds for a name it does not know
        return None
    return str(quantity.units), str(quantity.dimensionality)


def _physical_name(text: str) -> str | None:
    if text in _SYMBOL_UNITS:
        return _SYMBOL_UNITS[text]
    lowered = " ".join(text.lower().split())
    if lowered in _WORD_UNITS:
        return _WORD_UNITS[lowered]
    match = _PER.match(text)
    if match:
        head = _physical_name(match.group("unit"))
        per = _PER_WORDS.get(match.group("per").lower(), _SYMBOL_UNITS.get(match.group("per")))
        if per is None:
            per = _WORD_UNITS.get(match.group("per").lower())
        if head and per:
            return f"({head})/({per})"
        if head and per == "":
            return head  # "mg per patient": a dose, in mg
    return None


@functools.lru_cache(maxsize=4096)
def read_unit(written: str) -> Unit:  # noqa: C901 (one reading per kind of unit)
    """What a unit as written is: ``'%'``, ``'x'``, ``'pp'``, ``'MW'``, ``'tonnes'``, ``'people'``."""
    text = " ".join(written.split()).strip()
    lowered = text.lower()
    if lowered in ("%", "percent", "per cent", "pct", "percentage", "pc"):
        return Unit(written, "percent")
    if lowered in ("x", "×", "times", "fold"):
        return Unit(written, "multiple")
    if lowered in _POINTS:
        return Unit(written, "points", _POINTS[lowered])
    text = re.sub(r"\bfor\s+(?:each|every)\b", "per", text, flags=re.IGNORECASE)  # 'kWh for each kilogram'
    rate = re.match(r"^(?:a|an|per|each)\s+(?P<thing>.+)$", text, re.IGNORECASE)
    if rate:  # '€640 a tonne', 'per share', 'per kilowatt-hour of cooling': a price per thing
        words = rate.group("thing").split()
        for size in range(min(3, len(words)), 0, -1):
            thing = read_unit(" ".join(words[:size]))
            if thing.physical:
                return Unit(written, "per", thing.name, thing.dimension)
        return Unit(written, "per", words[0].lower().rstrip("s"), "")
    name = _physical_name(text)
    if name is None and (text in _PINT_SYMBOLS or ("/" in text and _SYMBOL_LIKE.match(text))):
        name = text  # a symbol the tables do not list ('m', 'ft', 'km/yr'): pint may know it
    if name is not None:
        read = _pint(name)
        if read is not None:
            return Unit(written, "physical", name, read[1])
    return Unit(written, "count")


# Symbols pint reads that the tables above leave out (never 'in', which pint takes for inches).
_PINT_SYMBOLS = frozenset({"m", "ft", "yd", "mi", "lb", "lbs", "oz", "gal", "hr", "hrs", "h", "min", "s", "ns", "sq",
                           "Gt", "Mt", "kt", "MJ", "GJ", "kJ", "PJ", "EJ", "kcal", "cal", "atm", "psi", "Pa", "kPa",
                           "MPa", "bar", "mbar", "V", "mV", "A", "mA", "Wh", "Ah", "mAh", "dB", "nmi", "ly", "au"})
# Symbols pint may read (never an English word such as 'stores', which pint does not know but should not try).
_SYMBOL_LIKE = re.compile(r"^(?:[a-zA-Zµ°]{1,3}[23²³]?)(?:/(?:[a-zA-Z]{1,3}|day|week|month|year))?$")


def same_unit(a: str, b: str) -> bool:
    """Whether two units as written are the same unit (``'tonnes'`` and ``'t'``; ``'%'`` and ``'percent'``)."""
    x, y = read_unit(a), read_unit(b)
    if x.kind != y.kind:
        return False
    if x.kind == "physical":
        return _pint(x.name) == _pint(y.name)
    if x.kind == "count":
        return x.written.lower().rstrip("s") == y.written.lower().rstrip("s") or not (x.written or y.written)
    if x.kind == "per" and x.dimension and y.dimension:
        return _pint(x.name) == _pint(y.name)
    return x.name == y.name


def convert(value: float, source: Unit, target: Unit) -> float | None:
    """``value`` in unit ``source`` expressed in ``target``, or None when they measure different things."""
    if source.kind == "points" and target.kind == "points":
        factor = {"pp": 100.0, "bp": 1.0}
        return value * factor[source.name] / factor[target.name]
    if not (source.physical and target.physical) or source.dimension != target.dimension:
        return None
    registry = _registry()
    try:
        return float(registry.Quantity(value, source.name).to(target.name).magnitude)
    except Exception:  # offset units and odd combinations pint refuses to convert
        return None


def describe_dimension(unit: Unit) -> str:
    """A reader's word for what a unit measures: 'power', 'energy', 'mass', ..."""
    names = {"[mass] * [length] ** 2 / [time] ** 3": "power", "[mass] * [length] ** 2 / [time] ** 2": "energy",
             "[mass]": "mass", "[length]": "length", "[length] ** 2": "area", "[length] ** 3": "volume",
             "[temperature]": "temperature", "[time]": "time", "1 / [time]": "a rate per second",
             "[length] / [time]": "speed", "[mass] / [length] ** 3": "concentration",
             "dimensionless": "a ratio", "[length] ** 3 / [time]": "a flow"}
    if unit.kind == "physical":
        return names.get(unit.dimension, unit.dimension)
    return {"percent": "a percentage", "multiple": "a multiple", "points": "points"}.get(unit.kind, "a count")


# Units the number parser reads after a number: the longest first, symbols as written, words in any case.
_AFTER_SYMBOLS = sorted(_SYMBOL_UNITS, key=len, reverse=True)
_AFTER_WORDS = sorted([*_WORD_UNITS, *(w for w in _POINTS if " " in w or len(w) > 3)], key=len, reverse=True)
UNIT_AFTER = re.compile(
    r"(?:[ \u00a0\u202f]|[-\u2010\u2011](?=[a-zA-Z]{3}))?"
    r"(?:(?P<symbol>" + "|".join(re.escape(s) for s in _AFTER_SYMBOLS) + r")(?![\w°])"
    r"|(?P<word>(?i:" + "|".join(re.escape(w).replace(r"\ ", r"[ \u00a0]+") for w in _AFTER_WORDS) + r"))\b)"
    # '3,400 kWh of electricity per tonne of iron', '100 kg of CO2 per tonne': what is measured may stand between
    # the unit and the thing it is per (not a time: '18 million litres of water a day' stays litres)
    r"(?:(?:[ \u00a0]+of(?:[ \u00a0]+[\w-]+){1,2}?"
    r"(?=[ \u00a0]+(?:per|an?|for[ \u00a0]+(?:each|every))[ \u00a0]+(?:tonne|ton|t|kg|kilogram|person|head|capita)\b))?"
    r"(?P<per>(?:/|[ \u00a0]+per[ \u00a0]+|[ \u00a0]+an?[ \u00a0]+|[ \u00a0]+for[ \u00a0]+(?:each|every)[ \u00a0]+)"
    r"(?:day|year|hour|month|week|litre|liter|kg|"
    r"kilogram|second|annum|person|patient|share|head|capita|tonne|ton|t)\b))?")


def unit_after(text: str, position: int) -> tuple[str, int] | None:
    """The physical unit or points written right after ``position`` (``' MW'``, ``'°C'``, ``' basis points'``),
    as (unit, end), or None."""
    match = UNIT_AFTER.match(text, position)
    if match is None:
        return None
    unit = (match.group("symbol") or " ".join(match.group("word").split()))
    if match.group("per"):
        per = " ".join(re.sub(r"for\s+(?:each|every)", "per", match.group("per").replace("/", " per ")).split())
        unit = f"{unit} {per}" if not per.startswith("per") else f"{unit} {per}"
    return unit, match.end()
