"""Word-level readings the statement judge makes: lemmas, clauses, negations, directions, periods, and the
words that say what a number measures."""

from __future__ import annotations

import functools
import re

from .lexicon import (
    DEMONYMS,
    DIRECTION_DOWN,
    DIRECTION_UP,
    GENERIC,
    MEASURE_SYNONYMS,
    NEGATIONS,
    NUMBER_WORDS,
    STOPWORDS,
)
from .units import ISO_CODES, read_unit

WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*")


CLAUSE = re.compile(r"\s*[;:—–]\s*|\s+(?:but|while|whereas|although|though|however)\s+|,\s+(?:and|but)\s+"
                    r"|\s+and\s+(?=(?:will|would|has|have|is|are|was|were|did|does|could|can|may|plans|expects|also)\b)")


RELATIVE = re.compile(r",\s+(?:which|who|whose|where)\b[^,]*,")


COMPARATOR = re.compile(
    r"\b(?:than|compared\s+(?:with|to)|versus|vs\.?|against|relative\s+to)\s+(?P<what>[^,.;:()]+)", re.IGNORECASE)


@functools.lru_cache(maxsize=65536)
def lemma(word: str, language: str = "en") -> str:
    import simplemma

    lowered = word.lower().strip("'’-").removesuffix("'s").removesuffix("’s")
    return str(simplemma.lemmatize(lowered, lang=language if language in ("en", "fr", "de", "es") else "en"))


def lemmas(text: str, language: str = "en") -> list[str]:
    return [lemma(w, language) for w in WORD.findall(text)]


def evidence_clause(sentence: str, span: tuple[int, int]) -> str:
    """The clause(s) of ``sentence`` the evidence span is in, relative clauses about something else dropped."""
    pieces, start = [], 0
    for match in CLAUSE.finditer(sentence):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, len(sentence)))
    chosen = [sentence[a:b] for a, b in pieces if a < span[1] and b > span[0]] or [sentence]
    text = " ".join(chosen)
    return RELATIVE.sub(lambda m: " " if m.group() not in sentence[span[0]:span[1]] else m.group(), text)


def masked_quotes(sentence: str) -> str:
    return re.sub(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"", lambda m: " " * len(m.group()), sentence)


def matching_clause(statement: str, clause: str, language: str) -> str:
    """The clause of a two-part statement that says what the evidence's clause says (most words in common)."""
    pieces = [p for p in CLAUSE.split(statement) if p and p.strip()]
    if len(pieces) < 2:
        return statement
    theirs = set(lemmas(clause, language)) - STOPWORDS
    return max(pieces, key=lambda piece: len(set(lemmas(piece, language)) & theirs))


# A negation that makes a bound ('did not exceed 71%', 'never rose above 45 °C', 'at no point went above') is the
# figure check's: the statement may say 'capped at' or 'at most' for it.
_BOUND_NEGATION = re.compile(
    r"(?:\b(?:not|never|no)|n't|\bat\s+no\s+(?:point|time))\s+(?:[\w’']+\s+){0,6}?(?:exceed\w*|surpass\w*|top\w*|"
    r"(?:rise|rose|risen|go|went|gone|climb\w*|fall|fell|fallen|drop\w*|dip\w*|stay\w*|get|got)\s+(?:above|over|"
    r"beyond|below|under|past)|more\s+than|less\s+than|fewer\s+than|higher\s+than|lower\s+than|greater\s+than)",
    re.IGNORECASE)


def negated(text: str) -> tuple[bool, str]:
    """Whether the text is negated (an odd number of negations), and the first negation with its next words."""
    lowered = _BOUND_NEGATION.sub(" ", text.lower())
    found = [m for m in re.finditer(rf"(?:{NEGATIONS})", lowered)]
    if not found:
        return False, ""
    # Whether anything is negated, not how many times: 'has not decided ..., without reinvesting' is negative,
    # and so is 'without reinvestment' alone. The first negation of a verb says what the clause denies.
    verbs = [m for m in found if not m.group().startswith("without")] or found
    first = verbs[0]
    words = " ".join(lowered[first.start():].split()[:4])
    return True, words


def directions(text: str, language: str) -> tuple[set[str], dict[str, str]]:
    """The directions ('up', 'down') the text's words give, with the word for each. Where the text states
    numbers, only the direction word nearest before a number counts ('Revenue fell to £1.1bn, lifted by ...'
    says 'fell' of the number)."""
    lowered = text.lower()
    lowered = re.sub(r"\b(?:up\s+to|down\s+to\s+earth|set\s+up)\b", " ", lowered)
    found: list[tuple[int, str, str]] = []
    for token in WORD.finditer(lowered):
        word, base = token.group(), lemma(token.group(), language)
        after = lowered[token.end():token.end() + 12]
        if word in ("up", "down") and not re.match(r"\s+(?:from|by|\d)", after):
            continue
        if word in ("more", "less", "fewer", "higher", "lower") and re.match(r"\s+than\s+(?:\d|[$€£¥]|a\s+third|half)",
                                                                           after):
            continue  # 'more than 5%' is a bound, not a direction
        following = re.match(r"\s+([a-z]+)", lowered[token.end():])
        if word in ("larger", "bigger", "smaller", "greater", "deeper", "steeper", "sharper") and not (
                following and following.group(1) == "than"):
            continue  # 'a larger cut', 'a larger 50-point cut': the noun gives the direction
        forms = {base, word, *stems(word)}
        if forms & DIRECTION_UP:
            found.append((token.start(), "up", word))
        elif forms & DIRECTION_DOWN:
            found.append((token.start(), "down", word))
    numbers = [m.start() for m in re.finditer(r"[$€£¥]?\d", lowered)]
    near = {}
    for at in numbers:
        before = [f for f in found if 0 <= at - f[0] <= 60]
        if before:
            near[before[-1][0]] = before[-1]
    chosen = list(near.values()) or found
    words: dict[str, str] = {}
    for _, way, word in chosen:
        words.setdefault(way, word)
    return set(words), words


def stems(word: str) -> set[str]:
    """Crude stems the lemmatiser may not give: 'cutting' -> 'cut', 'trimmed' -> 'trim'."""
    out = set()
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            out.update({stem, stem + "e"})
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.add(stem[:-1])
    return out


def content(text: str, language: str) -> list[tuple[str, str]]:
    """(word, lemma) of the words that carry meaning: no stop words, numbers or units."""
    return list(_content(text, language))


@functools.lru_cache(maxsize=16384)
def _content(text: str, language: str) -> tuple[tuple[str, str], ...]:
    out = []
    for word in WORD.findall(text):
        base = lemma(word, language)
        low = word.lower()
        if low in STOPWORDS or base in STOPWORDS or low in NUMBER_WORDS or base in GENERIC or len(low) < 3:
            continue
        out.append((word, base))
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def supported_words(text: str, language: str) -> frozenset[str]:
    words = set()
    for word in WORD.findall(text):
        words.add(lemma(word, language))
        words.add(word.lower()[:5])
        words.update(stems(word.lower()))
    return frozenset(words)


NUMBER_TOKEN = re.compile(r"[$€£¥]?\d[\d,.]*%?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|half|"
                           r"a\s+third|a\s+quarter|two-thirds)\b", re.IGNORECASE)


def measured(statement: str, language: str) -> list[tuple[str, str]]:
    """The words that say what a number of the statement measures: the noun before 'of'/'by'/'at' that leads
    to it ('the risk of death by 27%', 'availability of 78%') and the noun after 'of'/'in'/'on' that follows it
    and its unit ('$412 million in revenue', '19% of its customers')."""
    tokens = [m.group() for m in re.finditer(r"[$€£¥]?\d[\d,.]*%?(?![A-Za-z])|[A-Za-zÀ-ÿ][\wÀ-ÿ'’\-]*", statement)]
    words: list[str] = []
    for index, token in enumerate(tokens):
        if not NUMBER_TOKEN.fullmatch(token):
            continue
        before = index - 1
        if before >= 1 and tokens[before].lower() in ("by", "of"):
            # 'the risk of death by 27%': the noun before the preposition, and the one before its 'of'
            if not re.search(r"(?:ed|ing)$", tokens[before - 1].lower()):
                words.append(tokens[before - 1])
            if before >= 3 and tokens[before - 2].lower() == "of":
                words.append(tokens[before - 3])
        after = index + 1
        while after < len(tokens) and (read_unit(tokens[after]).kind != "count"
                                       or tokens[after].lower() in SCALE_WORDS):
            after += 1
        if after < len(tokens) and tokens[after].lower() in ("of", "in", "on", "for"):
            run = [t for t in tokens[after + 1:after + 5] if t.lower() not in STOPWORDS][:2]
            words.extend(t for t in run if not NUMBER_TOKEN.fullmatch(t))
    out = []
    for word in words:
        if word[:1].isalpha() and read_unit(word).kind == "count" and word.lower() not in BOUND_WORDS:
            out.extend(content(word, language))
    return out


SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion", "bn", "m", "cents", "cent", "percent", "per",
                         "percentage", "points", "point", "basis"})


BOUND_WORDS = frozenset({"maximum", "minimum", "most", "least", "cap", "ceiling", "floor", "limit"})


_PERIOD_SAME = ((re.compile(r"\b(?:first half|six months (?:to|ended|ending) (?:\d+ )?june|first six months|h1|"
                            r"half-year)\b"), "first half"),
                (re.compile(r"\b(?:second half|six months to december|last six months|h2)\b"), "second half"),
                (re.compile(r"\b(?:earlier|before|ago|previously|prior)\b"), "earlier"))


def normal(text: str) -> str:
    text = text.lower()
    for pattern, same in _PERIOD_SAME:
        text = pattern.sub(same, text)
    words = [NUMBER_WORDS.get(w, w) for w in re.split(r"[\s\-]+", text) if w]
    return " ".join(w.rstrip("s") if w.endswith("s") and len(w) > 3 else w for w in words)


def shown(statement: str, source_words: str, language: str) -> str:
    """The statement's words that answer the source's negation ('taken' for 'not yet taken')."""
    wanted = {lemma(w, language) for w in WORD.findall(source_words)} - {"not", "never", "no", "yet", "n't"}
    for token in WORD.findall(statement):
        if lemma(token, language) in wanted:
            return token
    return " ".join(statement.split()[:6])


@functools.lru_cache(maxsize=64)
def measure_words(article: str, language: str = "en") -> frozenset[str]:
    """Lemmas the article writes right next to a number (three words either side): its measures ('margin',
    'availability', 'yield', 'inflation'), not its connecting words."""
    tokens = [m.group() for m in re.finditer(r"[$€£¥]?\d[\d,.]*%?(?![A-Za-z])|[A-Za-zÀ-ÿ][\wÀ-ÿ'’\-]*", article)]
    out: set[str] = set()
    for index, token in enumerate(tokens):
        if not token[:1].isdigit() and not token[1:2].isdigit():
            continue
        for near in tokens[max(0, index - 3):index] + tokens[index + 1:index + 4]:
            for word, base in content(near, language):
                if not re.search(r"(?:ed|ing|ly)$", word.lower()) and read_unit(word).kind == "count":
                    out.add(base)
    return frozenset(out)


def measure_like(word: str, article: str, topic_nouns: bool = False, slot: bool = False) -> bool:
    """Whether a word can name a measure: not a verb form, a unit or a currency, and (unless ``topic_nouns``)
    not one of the article's topic nouns (in three paragraphs or more: 'the plant', 'the bank')."""
    low = word.lower().removesuffix("'s").removesuffix("’s")
    if low in _NOT_MEASURES or low in DEMONYMS:
        return False
    if re.search(r"(?:ed|ly)$" if slot else r"(?:ed|ing|ly)$", low) or low in _UNIT_WORDS \
            or read_unit(low).kind != "count":
        return False  # in a measure's name, 'operating' and 'trailing' qualify it
    if topic_nouns:
        return True
    paragraphs = _paragraph_words(article)
    base = lemma(low)
    return sum(1 for words in paragraphs if base in words) <= 2


@functools.lru_cache(maxsize=64)
def _paragraph_words(article: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(lemma(w) for w in WORD.findall(p)) for p in re.split(r"\n+", article) if p.strip())


_UNIT_WORDS = frozenset({"cubic", "square", "francs", "franc", "euros", "euro", "dollars", "dollar", "pounds", "pound",
                         "yen", "kronor", "krona", "kroner", "krone", "cents", "cent", "pence", "sterling", "yuan",
                         "rupees", "won", "points", "point", "percent", "percentage", "basis"})


_SLOT_SKIP = re.compile(r"^(?:to|at|by|of|from|for|was|were|is|are|be|been|stood|hit|reached|totalled|totaled|"
                        r"amounted|came|grew|fell|rose|stayed|remained|climbed|dropped|slipped|jumped|eased|"
                        r"widened|narrowed|cut|raised|lowered|increased|decreased|improved|worsened|the|a|an|"
                        r"between|about|around|some|roughly|nearly|almost|over|under|more|less|than|up|down|just|"
                        r"only|least|most|no|its|their|his|her|stays|remains|stands|sits|runs|hits|reaches|tops|"
                        r"costs|totals|exceeds|averages|equals|represents|accounts|makes|takes|holds|employs|serves|"
                        r"carries|produces|generates|stores|delivers|offers|provides|uses|needs|requires|covers|"
                        r"supplies|sells|buys|pays|earns|spends|owes|rises|falls|grows|drops|climbs|gains|loses|"
                        r"stay|remain|stand|reach|cost|total|exceed|average|equal|represent|account|employ|serve|"
                        r"produce|generate|store|deliver|offer|provide|use|need|require|cover|supply|sell|buy|pay|"
                        r"earn|spend|owe|rise|fall|grow|drop|climb|gain|lose|has|have|had|will|would|could|can)$",
                        re.IGNORECASE)


_PERIOD_WORDS = frozenset({"first", "second", "third", "fourth", "final", "last", "half", "quarter", "year",
                           "month", "week", "season", "fiscal", "full-year", "half-year"})
_MEASURE_MODIFIERS = frozenset({"operating", "trailing", "leading", "outstanding", "remaining", "existing",
                                "underlying", "recurring", "manufacturing", "banking", "shipping", "spending",
                                "funding", "pricing",
                                "housing", "lending", "selling", "listing", "training", "processing", "booking",
                                "adjusted", "reported", "diluted", "combined", "installed", "unadjusted", "annualised",
                                "earned", "written", "insured", "contracted", "levered", "unlevered",
                                "annualized", "weighted", "audited", "disposable", "ongoing"})
_MODALS = frozenset({"would", "will", "could", "can", "may", "might", "should", "must", "to", "does", "did", "do",
                     "which", "who", "that"})
_NOT_MEASURES = frozenset({"first", "second", "third", "fourth", "half", "better", "worse", "higher", "lower",
                           "larger", "smaller", "bigger", "late", "early", "mid", "end", "start", "versus", "vs",
                           "against", "compared", "maximum", "minimum", "cap", "total", "average",
                           "median", "combined", "overall", "record", "further", "another", "extra", "additional"})


def metric_slot(statement: str) -> list[str]:
    """The words naming what each number of the statement measures: the noun phrase just before it, past the
    verb and preposition that lead to it ('Headline inflation eased to 2.9%' -> Headline, inflation; 'the risk
    of death by 27%' -> death, risk)."""
    pattern = r"[$€£¥]?\d[\d,.]*%?(?![A-Za-z])|[A-Za-zÀ-ÿ][\wÀ-ÿ'’\-]*|[,;:()]"
    tokens = [(m.start(), m.group()) for m in re.finditer(pattern, statement)]
    out: list[str] = []
    for index, (_, token) in enumerate(tokens):
        if not NUMBER_TOKEN.fullmatch(token) or (index and NUMBER_TOKEN.fullmatch(tokens[index - 1][1])) \
                or re.fullmatch(r"(?:19|20)\d\d", token):
            continue  # a year is a period, which the period check reads
        back = index - 1
        while back >= 0 and (_SLOT_SKIP.match(tokens[back][1]) or re.search(r"(?:ed)$", tokens[back][1].lower())
                             or tokens[back][1].upper() in ISO_CODES):  # 'at CHF 2.7 billion'
            back -= 1
        words: list[str] = []
        walked: list[str] = []  # every word passed, kept or not ('the first half')
        while back >= 0 and len(words) < 4:
            word = tokens[back][1]
            if word.lower() in ("in", "at", "across", "from", "during", "for", "over", "the") and walked and (
                    all(w[:1].isupper() for w in walked) or all(w.lower() in _PERIOD_WORDS for w in walked)):
                # 'Sales in Japan reached', 'Operating profit in the first half fell to': the place or the period
                # is not the measure; go on past its preposition
                back -= 2 if word.lower() == "the" and back >= 1 and tokens[back - 1][1].lower() in (
                    "in", "at", "across", "from", "during", "for", "over") else 1
                words, walked = [], []
                continue
            if word in ",;:()" or (_SLOT_SKIP.match(word) or word.lower() in STOPWORDS) and word.lower() != "of" \
                    or NUMBER_TOKEN.fullmatch(word):
                break
            modifier = words and word.lower() in _MEASURE_MODIFIERS
            named = word[:1].isupper() and back > 0  # 'the United States': a name, not a verb
            if re.search(r"(?:ed|ing|ly|s’|'s|’s)$", word.lower()) and not modifier and not (
                    named and not re.search(r"(?:s’|'s|’s)$", word)) and word.lower() not in ("earnings", "savings"):
                break  # a verb, or an owner ('Alpenrail's'); 'operating' before 'profit' modifies it
            if back >= 1 and tokens[back - 1][1].lower() in _MODALS:
                break  # 'would store up to 480 million': a verb
            if word.lower() != "of" and word.lower() not in _NOT_MEASURES and word.upper() not in ISO_CODES:
                words.append(word)
            walked.append(word)
            back -= 1
        out.extend(words)
    return out


def same_measure(base: str, supported: frozenset[str] | set[str]) -> bool:
    """A measure the evidence names with another word of the same meaning ('turnover' for 'revenue')."""
    return any(base in group and supported & group for group in MEASURE_SYNONYMS)


def ways_by_number(text: str, language: str) -> dict[str, tuple[str, str]]:
    """Each number of ``text`` (as digits) -> the direction and word the words between it and the number before
    give it ('rose to £2.84 billion, missing the £2.79 billion' -> 2.84: up 'rose', 2.79: down 'missing')."""
    out: dict[str, tuple[str, str]] = {}
    previous = 0
    for match in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        ways, words = directions(text[previous:match.start()], language)
        if len(ways) == 1:
            way = next(iter(ways))
            out.setdefault(match.group().replace(",", ""), (way, words[way]))
        previous = match.end()
    return out
