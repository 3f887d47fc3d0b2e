"""Word-level readings the statement judge makes: lemmas, clauses, negations, directions, periods, and the
words that say what a number measures."""

from __future__ import annotations

import functools
import re

from .lexicon import DIRECTION_DOWN, DIRECTION_UP, GENERIC, MONTHS, NEGATIONS, NUMBER_WORDS, SEASONS, STOPWORDS
from .units import read_unit

WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*")


CLAUSE = re.compile(r"\s*[;:—–]\s*|\s+(?:but|while|whereas|although|though|yet|however)\s+|,\s+(?:and|but)\s+")


RELATIVE = re.compile(r",\s+(?:which|who|whose|where)\b[^,]*,")


COMPARATOR = re.compile(
    r"\b(?:than|compared\s+(?:with|to)|versus|vs\.?|against|relative\s+to)\s+(?P<what>[^,.;:()]+)", re.IGNORECASE)


PERIOD = re.compile(
    r"\b(?:(?:first|second|third|fourth|final|last)\s+(?:quarter|half)|q[1-4]|h[12]"
    r"|(?:last|this|next|past|previous|coming|same)\s+(?:\w+\s+)?(?:year|month|week|quarter|decade|summer|winter|"
    r"spring|autumn|season)s?|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:years?|months?|weeks?|"
    r"decades?|quarters?)\s+(?:earlier|ago|later|before)|(?:after|within|over|in|for)\s+(?:the\s+)?(?:a|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|\d+)[-\s](?:years?|months?|weeks?|days?|decades?)"
    rf"|{'|'.join(sorted(SEASONS, key=len, reverse=True))}|(?:19|20)\d\d"
    rf"|(?-i:{'|'.join(sorted((m.title() for m in MONTHS), key=len, reverse=True))}))\b", re.IGNORECASE)


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


def negated(text: str) -> tuple[bool, str]:
    """Whether the text is negated (an odd number of negations), and the first negation with its next words."""
    lowered = text.lower()
    found = [m for m in re.finditer(rf"(?:{NEGATIONS})", lowered)]
    if not found:
        return False, ""
    first = found[0]
    words = " ".join(lowered[first.start():].split()[:4])
    return len(found) % 2 == 1, words


def directions(text: str, language: str) -> tuple[set[str], dict[str, str]]:
    lowered = text.lower()
    lowered = re.sub(r"\b(?:up\s+to|down\s+to\s+earth|set\s+up)\b", " ", lowered)
    words: dict[str, str] = {}
    for token in WORD.finditer(lowered):
        word, base = token.group(), lemma(token.group(), language)
        after = lowered[token.end():token.end() + 12]
        if word in ("up", "down") and not re.match(r"\s+(?:from|by|\d)", after):
            continue
        if word in ("more", "less", "fewer", "higher", "lower") and re.match(r"\s+than\s+(?:\d|[$€£¥]|a\s+third|half)",
                                                                           after):
            continue  # 'more than 5%' is a bound, not a direction
        forms = {base, word, *stems(word)}
        if forms & DIRECTION_UP:
            words.setdefault("up", word)
        elif forms & DIRECTION_DOWN:
            words.setdefault("down", word)
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
    out = []
    for word in WORD.findall(text):
        base = lemma(word, language)
        low = word.lower()
        if low in STOPWORDS or base in STOPWORDS or low in NUMBER_WORDS or base in GENERIC or len(low) < 3:
            continue
        out.append((word, base))
    return out


def supported_words(text: str, language: str) -> set[str]:
    words = set()
    for word in WORD.findall(text):
        words.add(lemma(word, language))
        words.add(word.lower()[:5])
        words.update(stems(word.lower()))
    return words


NUMBER_TOKEN = re.compile(r"[$€£¥]?\d[\d,.]*%?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|half|"
                           r"a\s+third|a\s+quarter|two-thirds)\b", re.IGNORECASE)


def measured(statement: str, language: str) -> list[tuple[str, str]]:
    """The words that say what a number of the statement measures: the noun before 'of'/'by'/'at' that leads
    to it ('the risk of death by 27%', 'availability of 78%') and the noun after 'of'/'in'/'on' that follows it
    and its unit ('$412 million in revenue', '19% of its customers')."""
    tokens = [m.group() for m in re.finditer(r"[$€£¥]?\d[\d,.]*%?|[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*", statement)]
    words: list[str] = []
    for index, token in enumerate(tokens):
        if not NUMBER_TOKEN.fullmatch(token):
            continue
        before = index - 1
        if before >= 1 and tokens[before].lower() in ("by", "of"):
            # 'the risk of death by 27%': the noun before the preposition, and the one before its 'of'
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


def normal(text: str) -> str:
    words = [NUMBER_WORDS.get(w, w) for w in re.split(r"[\s\-]+", text.lower()) if w]
    return " ".join(w.rstrip("s") if w.endswith("s") and len(w) > 3 else w for w in words)


def shown(statement: str, source_words: str, language: str) -> str:
    """The statement's words that answer the source's negation ('taken' for 'not yet taken')."""
    wanted = {lemma(w, language) for w in WORD.findall(source_words)} - {"not", "never", "no", "yet", "n't"}
    for token in WORD.findall(statement):
        if lemma(token, language) in wanted:
            return token
    return " ".join(statement.split()[:6])
