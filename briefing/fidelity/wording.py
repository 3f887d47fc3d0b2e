"""Word-level readings the statement judge makes: lemmas, clauses, negations, directions, periods, and the
words that say what a number measures."""

from __future__ import annotations

import functools
import re

from .lexicon import (
    DIRECTION_DOWN,
    DIRECTION_UP,
    GENERIC,
    NEGATIONS,
    NUMBER_WORDS,
    STOPWORDS,
    WORD_SYNONYMS,
)

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
    r"(?:\b(?:not|never|no)|n't|\b(?:at|on|in)\s+no\s+(?:point|time|day|stage|occasion|month|week|year|quarter))\s+"
    r"(?:(?!(?:no|not|never)\b)[\w’']+\s+){0,6}?(?:exceed\w*|surpass\w*|top\w*|"
    r"(?:rise|rose|risen|go|went|gone|climb\w*|fall|fell|fallen|drop\w*|dip\w*|stay\w*|get|got)\s+(?:above|over|"
    r"beyond|below|under|past)|more\s+than|less\s+than|fewer\s+than|higher\s+than|lower\s+than|greater\s+than)",
    re.IGNORECASE)


@functools.lru_cache(maxsize=32768)
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


# Denials said without a negation word: 'missed its target' is 'did not meet it', 'dropped its plan to' is 'no
# longer plans to'. (negated form, affirmative form of the same denial)
_DENIALS = (
    (re.compile(r"(?:\b(?:not|never)|n't)\s+(?:\w+\s+)?(?:meet|met|reach|reached|hit|achieve|achieved|make|made)\b"),
     re.compile(r"\b(?:miss(?:ed|es)?|f[ae]ll(?:s|en)?\s+short)\b")),
    (re.compile(r"\bno\s+longer\s+(?:plans?|intends?|expects?|wants?)\b|\bnot\s+(?:\w+\s+)?(?:go\s+ahead|proceed)\b"),
     re.compile(r"\b(?:dropped|abandoned|scrapped|shelved|ditched|cancell?ed|axed|withdrew|withdrawn)\b")),
)


_AFFIRMED = re.compile(r"\b(?:met|meets?|hit|hits|achieved|achieves?|reached|reaches)\b")


def flipped_denial(ours: str, theirs: str) -> tuple[str, str] | None:
    """(statement's word, source's word) when the statement affirms what the source denies with a verb: 'met its
    interim target' where the source says 'missed its interim target' (the same thing after both verbs)."""
    a, b = ours.lower(), theirs.lower()
    missed = _DENIALS[0][1].search(b)
    met = _AFFIRMED.search(a)
    if missed is None or met is None or _DENIALS[0][1].search(a) or negated(a)[0]:
        return None
    after_ours = set(WORD.findall(a[met.end():])[:4])
    after_theirs = set(WORD.findall(b[missed.end():])[:5])
    if (after_ours & after_theirs) - STOPWORDS:
        return met.group(), missed.group()
    return None


def same_denial(ours: str, theirs: str) -> bool:
    """Whether one text denies with a negation what the other denies with a verb ('did not meet' / 'missed')."""
    a, b = ours.lower(), theirs.lower()
    return any((negative.search(a) and positive.search(b)) or (negative.search(b) and positive.search(a))
               for negative, positive in _DENIALS)


def directions(text: str, language: str) -> tuple[set[str], dict[str, str]]:
    """The directions ('up', 'down') the text's words give, with the word for each. Where the text states
    numbers, only the direction word nearest before a number counts ('Revenue fell to £1.1bn, lifted by ...'
    says 'fell' of the number)."""
    words = _directions(text, language)
    return {way for way, _ in words}, dict(words)


@functools.lru_cache(maxsize=16384)
def _directions(text: str, language: str) -> tuple[tuple[str, str], ...]:
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
    return tuple(words.items())


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
    for group in WORD_SYNONYMS:
        if words & group:
            words |= group
    return frozenset(words)


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
