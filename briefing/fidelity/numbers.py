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

import functools
import re
from dataclasses import dataclass, replace

from ..models import ORDER_OF_MAGNITUDE
from .bounds import QUALIFIERS, flip, fold_qualifier, negated, verbal_bound
from .describe import describe
from .french import as_parsed, original_words
from .ranges import not_one_range
from .units import CURRENCY_CODE_PATTERN, CURRENCY_WORD_PATTERN, currency_display, unit_after

_VAGUE_HEADS = {"tens": 10.0, "dozens": 10.0, "scores": 10.0, "dozen": 10.0, "hundreds": 1e2, "hundred": 1e2,
                "thousands": 1e3, "thousand": 1e3, "millions": 1e6, "million": 1e6, "billions": 1e9,
                "billion": 1e9, "trillions": 1e12, "trillion": 1e12}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_ALIASES = {"k": "thousand", "m": "million", "mn": "million", "bn": "billion", "b": "billion",
                  "tn": "trillion", "t": "trillion"}
_WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
    "a hundred": 100, "a thousand": 1000, "a million": 1, "a billion": 1, "a trillion": 1,
}
_FRACTIONS = {"half": 50.0, "a half": 50.0}  # as percentages; the rest are read from their words
_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9}
_DENOMINATORS = {"third": 3, "quarter": 4, "fifth": 5, "sixth": 6, "eighth": 8, "tenth": 10}
_FRACTION = (r"(?:a|one|two|three|four|five|six|seven|eight|nine)[-\u2010\u2011 ]"
             r"(?:third|quarter|fifth|sixth|eighth|tenth)s?")
_IN_EVERY = (r"(?:one|two|three|four|five|six|seven|eight|nine|\d{1,2})\s+(?:in|out\s+of)\s+"
             r"(?:two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|\d{1,3})(?!\s*(?:%|per\s?cent))")

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d.,])|\d+(?:\.\d+)?|\.\d+"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_WORD = "one|two|three|four|five|six|seven|eight|nine"
_WORDNUM = (rf"(?:a|{_UNITS_WORD})\s+hundred(?:\s+(?:and\s+)?(?:(?:{_TENS})(?:[-\u2010\u2011 ](?:{_UNITS_WORD}))?|"
            rf"{_UNITS_WORD}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?"
            rf"|(?:{_TENS})[-\u2010\u2011 ](?:one|two|three|four|five|six|seven|eight|nine)"
            r"|a\s+(?:dozen|hundred|thousand|million|billion|trillion)"
            r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            rf"|sixteen|seventeen|eighteen|nineteen|{_TENS}|hundred|dozen")
_QUAL = "|".join(sorted((re.escape(q).replace(r"\ ", r"\s+") for q in QUALIFIERS), key=len, reverse=True))
_CUR = rf"(?-i:US|NZ|HK|C|A|S|R)\$|[$€£¥₩₹]|(?:{CURRENCY_CODE_PATTERN}|(?-i:kr)\.?)[ \u00a0]?"
_DASH = r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*|\s+to\s+|\s+and\s+|\s+et\s+|\s+à\s+"
_SCALE = r"thousand|million|billion|trillion|bn|mn|tn|[kmbt]"

NUMBER = re.compile(
    rf"""(?P<qual>\b(?:{_QUAL})\s+)?
    (?P<cur>{_CUR})?
    (?<![\w.,\u2010\u2011-])(?<![A-Za-z][-\u2010\u2011])
    (?P<num>\b(?:half\s+)?an?(?=\s+(?:percentage|basis)\s+points?\b)|\b(?:twice|thrice|doubled?|tripled?|quadrupled)\b(?![-\u2010\u2011])|\b{_IN_EVERY}\b|\b{_FRACTION}\b|{_NUM}|\b(?:{_WORDNUM})\b|\b(?:{_WORDNUM})(?=fold\b)|\b(?:a\s+)?half\b)
    (?P<half>\s+and\s+a\s+half\b)?
    (?P<pct1>\s?%)?
    (?P<scale1>(?:\s+|-)?(?:{_SCALE})\b(?=(?:{_DASH})(?:{_CUR})?\d))?
    (?:(?P<dash>{_DASH})(?P<cur2>{_CUR})?(?P<num2>{_NUM}|\b(?:{_WORDNUM})\b))?
    (?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b)?
    (?P<scale>(?:\s+|-)?(?:{_SCALE})\b)?
    (?P<mult>\s*[x×](?!\w)|\s+times\b|[-\u2011]?fold\b)?
    (?P<curword>\s*[$€£¥](?![\w$€£¥])|\s+(?:US\s+)?(?:{CURRENCY_WORD_PATTERN}|{CURRENCY_CODE_PATTERN}|kr)\b(?!\s+cents?\b))?
    (?P<hyph>[-\u2010\u2011](?P<hunit>year|month|week|day|hour|minute|second|mile|foot|inch|meter|metre|
        kilometer|kilometre|person|page|point|percent|story|seat|bit|core|GPU|chip)s?\b)?
    (?P<per>\s+(?P<perunit>[a-z]+\s+per\s+[a-z][\w-]*))?
    (?P<pence>(?<=\d)p(?![\w'’]|\.\w))?
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
    tolerance: float = 0.0  # how far a figure may round it: 0.5 for "two-thirds" (66.67%: 67% is faithful)

    @property
    def magnitude(self) -> float:
        return self.value * SCALES.get(self.scale, 1)

    @property
    def upper_magnitude(self) -> float | None:
        return None if self.upper is None else self.upper * SCALES.get(self.scale, 1)

    def describe(self) -> str:
        return describe(self.value, self.upper, self.unit, self.scale, self.currency, self.qualifier)


def fraction_percent(text: str) -> float | None:
    """'two-thirds' -> 66.67, 'a quarter' -> 25, 'one in four' -> 25, 'half' -> 50: a fraction as a percentage."""
    words = re.sub(r"[-\u2010\u2011\s]+", " ", text.strip().lower()).split()
    if " ".join(words) in _FRACTIONS:
        return _FRACTIONS[" ".join(words)]
    if len(words) == 2 and words[0] in _NUMERATORS and words[1].rstrip("s") in _DENOMINATORS:
        return 100.0 * _NUMERATORS[words[0]] / _DENOMINATORS[words[1].rstrip("s")]
    if len(words) >= 3 and words[-2] in ("in", "of"):
        top, bottom = _value(words[0]), _value(words[-1])
        if top is not None and bottom and top < bottom:
            return 100.0 * top / bottom
    return None


_POINT_WORDS = {"a": 1.0, "an": 1.0, "half a": 0.5}  # 'more than a percentage point', 'half a point'
_MULTIPLE_WORDS = {"twice": 2.0, "thrice": 3.0, "double": 2.0, "doubled": 2.0, "triple": 3.0, "tripled": 3.0,
                   "quadrupled": 4.0}
_COMPARED = re.compile(r"\s*(?:as|more|less|larger|bigger|greater|higher|faster|slower|smaller|the|that|this|its|their|"
                       r"his|her|what|over|above|below|cheaper|costlier|stronger|longer|heavier|lighter|fewer|wider|"
                       r"over|[,.;)]|$)", re.IGNORECASE)


def _occasions(match: re.Match[str], text: str) -> bool:
    """'raised its rate ten times between 2022 and 2023': 'times' counting occasions, not a multiple (which
    compares: 'four times greater', 'ten times the size', 'five times as much')."""
    if not match.group("mult") or "times" not in match.group("mult").lower() or "." in match.group("num"):
        return False  # '1.3 times' is never a count of occasions
    return _COMPARED.match(text, match.end()) is None or bool(re.match(r"\s+(?:since|between|in|this|last|a|per|"
                                                                         r"each|every|over\s+the)\b",
                                                                         text[match.end():], re.IGNORECASE))


def _value(text: str) -> float | None:
    text = text.strip().lower()
    text = re.sub(r"\s+", " ", text)
    fraction = fraction_percent(text) if re.search(r"[a-z]", text) and text not in _WORD_VALUES else None
    if fraction is not None:
        return fraction
    if text in _WORD_VALUES:
        return float(_WORD_VALUES[text])
    parts = [p for p in re.split(r"[-\u2010\u2011 ]", text) if p != "and"]
    if len(parts) >= 2 and parts[1] == "hundred" and (parts[0] in _WORD_VALUES or parts[0] == "a"):
        rest = _value(" ".join(parts[2:])) if parts[2:] else 0.0  # 'one hundred and forty'
        return None if rest is None else 100.0 * (_WORD_VALUES.get(parts[0], 1)) + rest
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
    return list(_parsed(text, vague))


@functools.lru_cache(maxsize=8192)
def _parsed(text: str, vague: bool) -> tuple[Number, ...]:
    # A check reads the same sentences for each figure, statement and prose number: each is parsed once.
    readable = as_parsed(text)  # French number writing, rewritten in place
    if vague:
        found = sorted([*_parsed(text, False), *parse_vague(readable)], key=lambda n: n.start)
    else:
        found = _parse(readable)
    if readable is not text:
        found = [replace(n, text=original_words(text, n.start, n.end)) for n in found]
    return tuple(found)


def _parse(text: str) -> list[Number]:
    found: list[Number] = []
    masked = _masked(text)
    position = 0
    while (match := NUMBER.search(masked, position)) is not None:
        if not_one_range(match, masked):
            # "rose 18% to $2.4 billion": two numbers of different kinds, not a range. Read the first
            # alone, then go on from its end so the second is read with its own currency and scale.
            end = max(match.end(group) for group in ("num", "half", "pct1", "scale1") if match.group(group))
            match = NUMBER.match(masked[:end], match.start()) or match
        number = _number(match, text)
        if number is not None and _period_half(match, masked):
            number = None  # 'the first half', 'a half-year': a period, not 50%
        if number is not None:
            number = _bounded(number, masked, match)
            between = re.search(r"\b(?:between|entre)\s+$", masked[:number.start], re.IGNORECASE)
            if match.group("dash") and match.group("dash").strip().lower() in ("and", "et") and between:
                number = replace(number, start=between.start(), text=text[between.start():number.end].strip())
            found.append(number)
        position = max(match.end(), position + 1)
    return _parenthetical(found, text)


_CENTS_AFTER = re.compile(r"[ \u00a0]+(?P<unit>(?:(?:euro|US)[ \u00a0]+)?(?:cents?|pence))\b", re.IGNORECASE)
# A price per thing ('85 cents a share', '€640 a tonne', '$1.90 per cubic meter'); not a time ('$305 million a
# year' is an amount, and the analyst's figure rarely carries 'a year').
_PER_AFTER = re.compile(
    r"[ \u00a0]+(?P<per>(?:a|per|each)[ \u00a0]+(?:share|unit|container|barrel|tonne|ton|head|passenger|seat|person|"
    r"bushel|litre|liter|gallon|kilogram|kilo|pound|ounce|night|ticket|room|pupil|patient|dose|megawatt-hour|"
    r"kilowatt-hour|cubic[ \u00a0]+met(?:er|re)|square[ \u00a0]+(?:foot|met(?:er|re))|hectare|acre|TEU|kWh|MWh|t)\b)",
    re.IGNORECASE)
# 'per parcel', 'for each parcel', 'per Alpenrail share': the thing priced, any noun but a time (kept apart).
_PER_OPEN = re.compile(r"[ \u00a0]+(?:per|each|for[ \u00a0]+each)[ \u00a0]+(?:[A-Z][\w-]+[ \u00a0]+)?"
                       r"(?P<thing>(?!(?:year|month|week|day|hour|decade|quarter|cent)\b)[a-z][a-z-]{2,})\b")
_TIME_RATE = re.compile(r"[ \u00a0]+(?P<per>(?:a|per)[ \u00a0]+(?:year|day|month|week|hour|decade))\b", re.I)
_DURATION = re.compile(r"^(?:years?|months?|weeks?|days?|decades?|quarters?|hours?|seasons?|centuries)$", re.I)
_OPEN = re.compile(r"^\s*\(\s*$")


def _parenthetical(found: list[Number], text: str) -> list[Number]:
    """'about 4.2 kilometers (2.6 miles) a year': the number in brackets restates the one before it, so it
    takes that number's hedge, and a rate written after the brackets belongs to both."""
    out = list(found)
    for index in range(len(out) - 1):
        first, second = out[index], out[index + 1]
        if not _OPEN.match(text[first.end:second.start]) or not text[second.end:].lstrip().startswith(")"):
            continue
        close = text.index(")", second.end) + 1
        per = _PER_AFTER.match(text, close) or _TIME_RATE.match(text, close)
        if per is not None:
            rate = " ".join(per.group("per").split())
            if first.unit and not first.unit.endswith(rate):
                out[index] = first = replace(first, unit=f"{first.unit} {rate}")
            if second.unit and not second.unit.endswith(rate):
                out[index + 1] = second = replace(second, unit=f"{second.unit} {rate}")
        if first.qualifier and not second.qualifier:
            out[index + 1] = replace(second, qualifier=first.qualifier)
    return out


def _period_half(match: re.Match[str], text: str) -> bool:
    if match.group("num").lower() not in ("half", "a half"):
        return False
    before = re.search(r"\b(?:first|second|1st|2nd|latter|former|the|this|last|next)\s+$", text[:match.start("num")],
                       re.IGNORECASE)
    return before is not None or re.match(r"[-\s](?:year|time|term)", text[match.end("num"):]) is not None


def _sentence_before(text: str, start: int) -> str:
    """The words before ``start`` back to the start of its sentence (or 80 characters)."""
    before = text[max(0, start - 80):start]
    cut = max(before.rfind(". "), before.rfind("\n"), before.rfind("; "))
    return before[cut + 1:] if cut >= 0 else before


def _bounded(number: Number, text: str, match: re.Match[str]) -> Number:
    """The number with its bound read as the sentence means it: a negated qualifier flips ('not more than'
    is 'at most'), and a verb can bound it ('did not exceed 71%', 'never rose above 45 °C')."""
    if number.qualifier == ORDER_OF_MAGNITUDE:
        return number
    if re.match(r"\s+ago\b", text[number.end:]):
        return replace(number, qualifier=None)  # '310 fewer than two years ago': a time, not a bound
    if match.group("qual"):
        if _DURATION.match(number.unit) and match.group("qual").strip().lower() == "over" \
                and not re.match(r"\s+of\b", text[number.end:]):
            return replace(number, qualifier=None)  # "over five years" is a span of time, not "more than"
        before = _sentence_before(text, match.start("qual"))
        if number.qualifier and negated(before):
            return replace(number, qualifier=flip(number.qualifier))
        return number
    before = _sentence_before(text, match.start())
    bound = verbal_bound(before)
    if bound is None:
        tail = re.match(r"(?:\s+[A-Za-z]+)?\s+or\s+(?:(?P<up>more|larger|higher|greater|bigger|longer|above|over)|"
                        r"(?P<down>less|fewer|lower|smaller|shorter|below|under))\b", text[number.end:], re.IGNORECASE)
        return replace(number, qualifier=("at least" if tail.group("up") else "at most")) if tail else number
    return replace(number, qualifier=bound[0])


def _number(match: re.Match[str], text: str) -> Number | None:
    groups = match.groupdict()
    raw = groups["num"]
    value = _MULTIPLE_WORDS.get(raw.lower()) or _POINT_WORDS.get(" ".join(raw.lower().split())) or _value(raw)
    if value is None:
        return None
    is_word = not any(c.isdigit() for c in raw)
    multiple = _MULTIPLE_WORDS.get(raw.lower())
    lowered = raw.lower().split()
    # "a million", "a billion": the scale is in the word itself.
    scale_word = lowered[-1] if len(lowered) == 2 and lowered[-1] in SCALES else ""
    if scale_word == "thousand":
        scale_word, value = "", 1000.0
    if groups["half"]:  # "four and a half hours"
        value += 0.5
    upper = _value(groups["num2"]) if groups["num2"] else None
    if groups["dash"] and groups["dash"].strip().lower() == "to" and upper is None:
        return None
    scale_text = (groups["scale"] or groups["scale1"] or "").strip(" -").lower()
    scale = _SCALE_ALIASES.get(scale_text, scale_text) or scale_word
    first_text = (groups["scale1"] or "").strip(" -").lower()
    first = _SCALE_ALIASES.get(first_text, first_text)
    if first and upper is not None and first != scale:  # "$500 million to $1.2 billion": the range in millions
        upper, scale = upper * SCALES.get(scale, 1) / SCALES[first], first
    currency = currency_display((groups["cur"] or groups["cur2"] or "").strip())
    if groups["curword"]:
        currency = currency_display(" ".join(groups["curword"].split()).removeprefix("US ").removeprefix("us "))
    single = scale_text in ("k", "m", "b", "t")
    if single and not currency:  # "5m" alone is metres or minutes, not millions
        return None
    unit = ""
    fraction = (is_word or re.search(r"[a-z]", raw, re.IGNORECASE) is not None) and fraction_percent(raw) is not None
    if groups["pct"] or groups["pct1"] or fraction:
        unit = "%"
    elif (groups["mult"] and not _occasions(match, text)) or multiple:
        unit = "x"
    elif groups["pence"]:  # '61p of every pound'
        unit = "pence"
    elif groups["hunit"]:
        unit = groups["hunit"].lower()
    elif groups["perunit"]:
        unit = " ".join(groups["perunit"].split())
    start = match.start() if groups["qual"] or groups["cur"] else match.start("num")
    end = match.end()
    if not unit and not currency and not groups["mult"]:
        after = unit_after(text, end)  # '550 MW', '45 °C', '25 basis points', '300 mg/kg'
        if after is not None:
            unit, end = after
        elif (cents := _CENTS_AFTER.match(text, end)) is not None:  # '85 cents a share'
            unit, end = " ".join(cents.group("unit").split()).lower().replace("us ", "US "), cents.end()
    priced = currency or unit.endswith(("cents", "cent", "pence"))
    if (not unit or unit.endswith(("cents", "cent", "pence"))) and priced and (per := _PER_AFTER.match(text, end)):
        unit, end = f"{unit} {' '.join(per.group('per').split())}".strip(), per.end()
    elif (not unit or unit.endswith(("cents", "cent", "pence"))) and priced and (per := _PER_OPEN.match(text, end)):
        unit, end = f"{unit} per {per.group('thing').lower()}".strip(), per.end()
    elif unit == "x" and "times" in (groups["mult"] or "").lower() and (rate := _TIME_RATE.match(text, end)):
        unit, end = f"times {' '.join(rate.group('per').split())}", rate.end()  # 'visit 2.3 times a month'
    elif multiple and raw.lower() == "twice" and re.match(r"\s*(?:[.,;)]|$|(?:since|in|before|already|this|last)\b)",
                                                           text[end:]):
        unit = ""  # 'has turned down twice.': occasions, not a multiple
    if unit and re.match(r"-(?:long|old|wide|high|deep|tall)\b", text[end:]) and text[match.end("num")] == " ":
        unit, end = "", match.end("num")  # '2,500 year-long waits': the waits are counted; 'year' describes them
    if upper is not None and upper < value and not groups["pct"]:  # "2024-12": a date, not a range
        upper, unit, end = None, "", match.end("num")
    qualifier = fold_qualifier(groups["qual"]) if groups["qual"] else None
    year = r"(1[89]|20|21)\d\d"
    is_year = (not is_word and not unit and not scale and not currency and re.fullmatch(year, raw) is not None
               and (upper is None or re.fullmatch(year, groups["num2"] or "") is not None))
    return Number(value=value, upper=upper, unit=unit, scale=scale, currency=currency, qualifier=qualifier,
                  start=start, end=end, text=text[start:end].strip(), is_year=is_year, is_word=is_word,
                  tolerance=(1.5 if qualifier in ("nearly", "about") else 0.5) if fraction else 0.0)


