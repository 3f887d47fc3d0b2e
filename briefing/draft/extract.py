"""Candidate facts (one per figure) and quotes (one per quoted span) found in a source's text.

Every candidate is built so that ``briefing check`` finds it: a fact's ``evidence`` is the shortest
span of exact words (at least four, on word boundaries, within one sentence) around the number that
is found in one place in the source; a quote's ``text`` is the quoted words as the source has them.
The basis and the party behind a figure come from the same helpers the checks use
(``attribution.verb_basis`` and ``attribution.source_attribution``), so the draft agrees with the check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..fidelity.attribution import source_attribution, verb_basis
from ..fidelity.match import MIN_WORDS, Location, find, word_count
from ..fidelity.numbers import Number, compare_figure, parse_numbers
from ..fidelity.source_text import SourceText

REWRITE = "TODO rewrite in your own words: "
TODO_SPEAKER = "TODO speaker"
TODO_CLAIMANT = "TODO who claims this"
MIN_QUOTE_WORDS = 3
MAX_EVIDENCE_WORDS = 25
_WEAK_ENDS = {"the", "a", "an", "of", "to", "and", "or", "in", "on", "at", "for", "with", "by", "from", "as",
              "that", "its", "their", "his", "her", "is", "was", "be", "than", "this", "these"}
_QUOTED = re.compile(r"\u201c(?P<curly>[^\u201c\u201d]+)\u201d|\"(?P<straight>[^\"\n]+)\"")
_QUALIFIER_NAMES = {"more than": "over", "above": "over", "less than": "under", "below": "under"}


@dataclass(frozen=True)
class FigureCandidate:
    value: float
    upper: float | None
    unit: str  # '%', 'x', 'billion', 'year', ... as a Figure writes it
    currency: str
    qualifier: str | None
    basis: str
    by: str | None


@dataclass(frozen=True)
class FactCandidate:
    statement: str
    evidence: str
    figure: FigureCandidate
    number_text: str  # the number as the source writes it ("over five times")
    paragraph: int
    sentence: int


@dataclass(frozen=True)
class QuoteCandidate:
    text: str
    speaker: str
    paragraph: int
    sentence: int

    @property
    def has_speaker(self) -> bool:
        return self.speaker != TODO_SPEAKER


def is_figure(number: Number) -> bool:
    """A number worth drafting as a figure: not a year, and not a bare small count ('two companies')."""
    if number.is_year:
        return False
    if number.upper is None and re.search(r"[\d%]\S*\s+to\s", number.text, re.IGNORECASE):
        return False  # "rose 18% to $2.4 billion" read as one number: the parser's range gone wrong
    alone = parse_numbers(number.text)
    if len(alone) != 1 or _shape(alone[0]) != _shape(number):
        return False  # the parser gave the number a scale or currency its own words do not have

    if number.unit or number.scale or number.currency or number.qualifier or number.upper is not None:
        return True
    return not number.is_word and number.value >= 10


def _shape(number: Number) -> tuple[object, ...]:
    return number.value, number.upper, number.unit, number.scale, number.currency, number.qualifier


def figure_unit(number: Number) -> str:
    """The Figure unit for a number: the scale stands in for the unit ('billion'), '%' and 'x' stay."""
    if number.scale and number.unit and number.unit not in ("%", "x"):
        return f"{number.scale} {number.unit}"
    return number.scale or number.unit


def _tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _clean_edges(span: str) -> str:
    return span.strip(" ,;:([{").rstrip(")]}")


def shortest_evidence(source: SourceText, sentence: str, start: int, end: int) -> str:
    """The shortest span of ``sentence`` around ``[start, end)`` of at least MIN_WORDS words that is found
    in exactly one place in ``source``; the best found if none is. It grows a word at a time, right and
    left in turn, but never across a line break while it can grow the other way (a table's rows)."""
    tokens = _tokens(sentence)
    if not tokens:
        return sentence
    first = next((i for i, (a, b) in enumerate(tokens) if b > start), 0)
    last = next((i for i, (a, b) in enumerate(tokens) if b >= end), len(tokens) - 1)
    fallback = ""
    grow_right = True
    while True:
        span = " ".join(_clean_edges(sentence[tokens[first][0]:tokens[last][1]]).split())
        words = word_count(span)
        last_word = re.sub(r"\W+", "", sentence[tokens[last][0]:tokens[last][1]]).lower()
        if words >= MIN_WORDS and (last_word not in _WEAK_ENDS or last == len(tokens) - 1):
            fallback = fallback or span
            if find(source, span).places == 1:
                return span
        if (first == 0 and last == len(tokens) - 1) or words > MAX_EVIDENCE_WORDS:
            return fallback or span
        right_ok = last < len(tokens) - 1
        left_ok = first > 0
        right_breaks = right_ok and "\n" in sentence[tokens[last][1]:tokens[last + 1][0]]
        left_breaks = left_ok and "\n" in sentence[tokens[first - 1][1]:tokens[first][0]]
        if right_ok and left_ok and right_breaks != left_breaks:
            go_right = left_breaks
        else:
            go_right = right_ok and (grow_right or not left_ok)
        if go_right:
            last += 1
        else:
            first -= 1
        grow_right = not grow_right


def checks_out(source: SourceText, evidence: str, figure: FigureCandidate) -> bool:
    """Whether ``briefing check`` would accept the figure against its evidence (no error), as it checks it."""
    location = find(source, evidence).location
    if location is None:
        return False
    sentences = source.paragraphs[location.paragraph].sentences
    s_start, s_end = sentences[location.sentence].start, sentences[location.last_sentence].end
    stated = parse_numbers(source.text[s_start:s_end])
    inside = [n for n in stated if n.start < location.end - s_start and n.end > location.start - s_start]
    _, problems = compare_figure(figure, inside or stated, source.text[s_start:s_end])
    return not any(problem.severity == "error" for problem in problems)


def _location(source: SourceText, excerpt: str) -> Location | None:
    return find(source, excerpt).location


def _basis(source: SourceText, location: Location | None) -> tuple[str, str | None]:
    """(basis, by) for evidence at ``location``: the verb of its sentence, and the party named with it."""
    if location is None:
        return "reported", None
    verb = verb_basis(source, location, None)
    if verb is None:
        return "reported", None
    basis = verb[1]
    if basis == "reported":
        return basis, None
    attribution = source_attribution(source, location)
    return basis, attribution.name if attribution is not None else TODO_CLAIMANT


def draft_facts(source: SourceText) -> list[FactCandidate]:
    """One candidate fact per figure the source states, in reading order."""
    facts: list[FactCandidate] = []
    seen: set[str] = set()
    for paragraph in source.paragraphs:
        for index in range(len(paragraph.sentences)):
            sentence = source.sentence_text(paragraph.index, index)
            for number in parse_numbers(sentence):
                if not is_figure(number):
                    continue
                evidence = shortest_evidence(source, sentence, number.start, number.end)
                if evidence.casefold() in seen:
                    continue
                seen.add(evidence.casefold())
                basis, by = _basis(source, _location(source, evidence))
                qualifier = _QUALIFIER_NAMES.get(number.qualifier or "", number.qualifier)
                figure = FigureCandidate(number.value, number.upper, figure_unit(number), number.currency,
                                         qualifier, basis, by)
                if not checks_out(source, evidence, figure):  # the parser reads the passage otherwise
                    continue
                facts.append(FactCandidate(REWRITE + " ".join(sentence.split()), evidence, figure, number.text,
                                           paragraph.index, index))
    return facts


def draft_quotes(source: SourceText) -> list[QuoteCandidate]:
    """Every quoted span of at least MIN_QUOTE_WORDS words, with the speaker the source ties it to."""
    quotes: list[QuoteCandidate] = []
    seen: set[str] = set()
    for paragraph in source.paragraphs:
        text = source.paragraph_text(paragraph.index)
        for match in _QUOTED.finditer(text):
            words = " ".join((match.group("curly") or match.group("straight") or "").split())
            words = words.strip(" ,;:")
            if word_count(words) < MIN_QUOTE_WORDS or words.casefold() in seen:
                continue
            found = find(source, words)
            if found.location is None:
                continue
            seen.add(words.casefold())
            attribution = source_attribution(source, found.location)
            speaker = attribution.name if attribution is not None else TODO_SPEAKER
            quotes.append(QuoteCandidate(words, speaker, found.location.paragraph, found.location.sentence))
    return quotes
