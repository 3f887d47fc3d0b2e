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

from ..fidelity.attribution import attributions_in, source_attribution, verb_basis
from ..fidelity.compare import compare_figure
from ..fidelity.match import MIN_WORDS, Location, find, word_count
from ..fidelity.numbers import Number, parse_numbers
from ..fidelity.source_text import SourceText
from ..fidelity.speakers import masked, person_name, speaker_of
from ..models import ORDER_OF_MAGNITUDE
from ..settings import DRAFT_PLACEHOLDER
from .entities import named_entities
from .promotion import left_out

REWRITE = f"{DRAFT_PLACEHOLDER} rewrite in your own words: "
TODO_SPEAKER = f"{DRAFT_PLACEHOLDER} speaker"
TODO_CLAIMANT = f"{DRAFT_PLACEHOLDER} who claims this"
MIN_QUOTE_WORDS = 3
MAX_EVIDENCE_WORDS = 25
_WEAK_ENDS = {"the", "a", "an", "of", "to", "and", "or", "in", "on", "at", "for", "with", "by", "from", "as",
              "that", "its", "their", "his", "her", "is", "was", "be", "than", "this", "these"}
_QUOTED = re.compile(r"\u201c(?P<curly>[^\u201c\u201d]+)\u201d|\"(?P<straight>[^\"\n]+)\""
                     r"|\u00ab[\s\u00a0\u202f]*(?P<guillemets>[^\u00ab\u00bb]+?)[\s\u00a0\u202f]*\u00bb")
_FOLLOWING = re.compile(r"[ \u00a0]+(?:of[ \u00a0]+(?:the[ \u00a0]+(?=\w+(?:[ \u00a0]+\w+)?[ \u00a0]*[,.;]?))?)?"
                        r"(?P<words>[A-Za-z][\w\-]*(?:[ \u00a0]+[A-Za-z][\w\-]*){0,3})")
_IRREGULAR_PLURALS = {"people", "staff", "children", "men", "women", "data", "personnel", "aircraft", "crew",
                      "cattle", "livestock", "sheep", "fish", "deer", "police", "workforce"}
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen", "hundred"}
_NOT_COUNTED = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "and", "or",
                "to", "in", "on", "at", "for", "by", "with", "from", "per", "than", "as", "is", "was", "are", "were",
                "has", "have", "had", "will", "would", "can", "could", "which", "who", "less", "times"}
_PASSIVE = re.compile(r"\b(?:is|was|are|were|been|being|be)\s+(?:billed|described|touted|called|dubbed|hailed|"
                      r"branded|pitched|marketed|characteri[sz]ed|labell?ed|framed|heralded)\s+as(?:\s+(?:an?|the))?$",
                      re.IGNORECASE)
_UNNAMED_SUBJECT = re.compile(
    r"\b(?:the|its|that|this)\s+(?:company|firm|group|business|startup|maker|chipmaker|bank|government|report|"
    r"study|agency)\s+(?:\w+\s+)?(?:says|said|claims|claimed|expects|expected|estimates|estimated|projects|"
    r"projected|forecasts|predicts|anticipates|told|wrote|added)\b", re.IGNORECASE)
_ROLE_WORD = re.compile(r"\b(?:ceo|chief|president|founder|co-founder|director|head|analyst|executive|officer|chair"
                        r"|chairman|chairwoman|spokesperson|spokesman|spokeswoman|professor|partner|manager|minister"
                        r"|secretary|economist|researcher|engineer|editor|cto|cfo|coo|lead|principal)\b", re.I)
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
    role: str | None = None
    note: str | None = None  # why the speaker is left to the analyst, written beside the quote

    @property
    def has_speaker(self) -> bool:
        return self.speaker != TODO_SPEAKER


def is_figure(number: Number, sentence: str = "") -> bool:
    """A number worth drafting as a figure: not a year, and not a bare small count ('two companies')."""
    if number.qualifier == ORDER_OF_MAGNITUDE:
        return True
    if number.is_year:
        return False
    if number.upper is None and re.search(r"[\d%]\S*\s+to\s", number.text, re.IGNORECASE):
        return False  # "rose 18% to $2.4 billion" read as one number: the parser's range gone wrong
    alone = parse_numbers(number.text)
    if len(alone) != 1 or _shape(alone[0]) != _shape(number):
        return False  # the parser gave the number a scale or currency its own words do not have

    if number.unit or number.scale or number.currency or number.qualifier or number.upper is not None:
        return True
    if not number.is_word and "." in number.text:  # a decimal is a measure: '0.73'
        return True
    if number.is_word and number.value >= 2 and sentence and counted_noun(sentence[number.end:]):
        return True  # 'three members', 'fourteen new routes': a count of things the article names
    return not number.is_word and number.value >= 10


def _shape(number: Number) -> tuple[object, ...]:
    # Not the unit or the bound: the words around a number may give it those ("never rose above 285 ppm",
    # "4.2 kilometers (2.6 miles) a year"), so the number alone can read otherwise and still be right.
    return number.value, number.upper, number.scale, number.currency


def figure_unit(number: Number, sentence: str = "") -> str:
    """The Figure unit for a number: the scale stands in for the unit ('billion'), '%' and 'x' stay;
    a count takes the noun it counts ('100,000 GPUs', 'hundreds of thousands of Trainium2 chips')."""
    if number.scale and number.unit and number.unit not in ("%", "x"):
        return f"{number.scale} {number.unit}"
    if not (number.scale or number.unit or number.currency):
        return counted_noun(sentence[number.end:])
    if number.scale and not (number.unit or number.currency):  # '7.9 million seats'
        noun = counted_noun(sentence[number.end:])
        return f"{number.scale} {noun}" if noun else number.scale
    return number.scale or number.unit


_LINKED = re.compile(r"\b(?:from|against|than|versus|vs\.?|to|and|or|contre|à|et)\s+(?:(?:about|around|roughly|some|"
                     r"nearly|almost|just|over|under|more\s+than|less\s+than)\s+)?$", re.IGNORECASE)
_TIME_UNIT = re.compile(r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?)\b", re.IGNORECASE)
_SHARE_PRICE = re.compile(r"\bshares?\b[^.;]{0,60}\b(?:to|at)\s+$", re.IGNORECASE)


_MONEY_RATE = re.compile(r"\s+(?:a|an|per|each)\s+(?P<per>year|month|week|day|hour)\b", re.IGNORECASE)


def elided_unit(number: Number, unit: str, sentence: str, earlier: list[tuple[Number, str]]) -> str:
    """The unit a number leaves for the reader to carry over from an earlier one of its sentence: 'up from 388
    million' (parcels), '172 miles a day from about 140', 'conceded 38' (goals), '€2.71 per share, up from
    €2.38'; the nearest earlier figure of the same scale, currency and size (within ten times) gives it."""
    if number.unit or number.is_word or (unit and unit != number.scale):
        return unit
    if number.currency and not number.scale and (rate := _MONEY_RATE.match(sentence, number.end)):
        return f"per {rate.group('per').lower()}"  # '£94.50 a year', '£6,200 a week': money over a time
    if number.currency and not number.scale and _SHARE_PRICE.search(sentence[:number.start]):
        return "per share"  # 'Halvard shares fell 4.1% to €61.20': a share price
    linked = _LINKED.search(sentence[max(0, number.start - 40):number.start]) is not None
    for before, its_unit in reversed(earlier):
        if not its_unit or its_unit == before.scale or its_unit in ("%", "x") or before.is_word:
            continue
        if number.currency or before.currency:  # a price goes on being per what the one before was
            if before.currency == number.currency and not number.scale and its_unit.startswith(("per ", "a ")):
                return its_unit
            continue
        near = before.value > 0 and 0.1 <= number.value / before.value <= 10
        if before.scale == number.scale and near and (linked or not _TIME_UNIT.match(its_unit)):
            return its_unit
    plain = [u for n, u in earlier if u and not (n.scale or n.currency or n.is_word or _TIME_UNIT.match(u))
             and u not in ("%", "x")]
    if plain and not (linked or number.scale or number.currency or "." in number.text):
        return plain[-1]  # 'scored 71 goals, conceded 3': a bare count goes on counting what the one before did
    return unit


def counted_noun(after: str) -> str:
    """The plural noun (with up to two words before it) that follows a count: ' GPUs for ...' -> 'GPUs';
    '' when the count is not followed by one ('100,000 of them', '100,000.')."""
    run = _FOLLOWING.match(after)
    if run is None:
        return ""
    words: list[str] = []
    following = run.group("words").split()[:4]
    for at, word in enumerate(following):
        if word.lower() in _NOT_COUNTED or word.lower() in _NUMBER_WORDS:
            break
        if word.lower() in ("more", "extra", "additional", "further"):  # '11 more points' counts points
            continue
        words.append(word)
        lowered = word.lower()
        if lowered in _IRREGULAR_PLURALS or (len(word) > 3 and lowered.endswith("s") and not lowered.endswith("ss")):
            return " ".join(words)
        if word.isupper() and 2 <= len(word) <= 4 and word.isalpha() and not (
                at + 1 < len(following) and following[at + 1].lower().endswith("s")):
            return " ".join(words)  # '1.36 million TEU': an acronym counts what it names ('36 GPS stations' not)
    return ""


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
    stated = parse_numbers(source.text[s_start:s_end], vague=True)
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
    own = source.sentence_text(location.paragraph, location.sentence)
    unnamed = _UNNAMED_SUBJECT.search(own)
    if unnamed and not attributions_in(own):
        # "The company expects ...": the party is a noun the draft cannot resolve safely; the sentence
        # before may name someone else entirely ("Analysts at Harbor Research estimate ...").
        return basis, f"{TODO_CLAIMANT} (the source says '{' '.join(unnamed.group().split())}')"
    attribution = source_attribution(source, location)
    return basis, attribution.name if attribution is not None else TODO_CLAIMANT


def draft_facts(source: SourceText) -> list[FactCandidate]:
    """One candidate fact per figure the source states, in reading order."""
    facts: list[FactCandidate] = []
    seen: set[str] = set()
    skipped = left_out(source)
    for paragraph in source.paragraphs:
        if paragraph.index in skipped:
            continue  # 'Read more: ...', another story's headline
        for index in range(len(paragraph.sentences)):
            sentence = source.sentence_text(paragraph.index, index)
            earlier: list[tuple[Number, str]] = []  # this sentence's figures so far, with their drafted units
            for number in parse_numbers(sentence, vague=True):
                if not is_figure(number, sentence):
                    continue
                unit = elided_unit(number, figure_unit(number, sentence), sentence, earlier)
                earlier.append((number, unit))
                evidence = shortest_evidence(source, sentence, number.start, number.end)
                if evidence.casefold() in seen:
                    continue
                seen.add(evidence.casefold())
                basis, by = _basis(source, _location(source, evidence))
                qualifier = _QUALIFIER_NAMES.get(number.qualifier or "", number.qualifier)
                figure = FigureCandidate(number.value, number.upper, unit, number.currency, qualifier, basis, by)
                if not checks_out(source, evidence, figure):  # the parser reads the passage otherwise
                    continue
                facts.append(FactCandidate(REWRITE + " ".join(sentence.split()), evidence, figure, number.text,
                                           paragraph.index, index))
    return facts


def passive_attribution(sentence: str, quoted_at: int) -> str | None:
    """The passive verb that introduces a quote without naming who said it ('has been billed as'), or None.

    Words introduced this way have no speaker in the source: the draft leaves the speaker to the analyst
    rather than lending the words to the nearest name."""
    before = sentence[:quoted_at].rstrip(" \u201c\u2018\"'")
    match = _PASSIVE.search(before[-60:])
    if match is None or re.search(r"\bby\s+[A-Z]", sentence[quoted_at:]):
        return None
    return re.sub(r"\s+(?:an?|the)$", "", " ".join(match.group().split()))


def role_of(source: SourceText, name: str) -> str | None:
    """The role an apposition gives a speaker: 'Matt Garman, the CEO of AWS, ...' -> 'CEO of AWS'."""
    pattern = (rf"(?<!\w){re.escape(name)},\s+(?:(?:the\s+)?(?:company|firm|group)[’']s\s+|the\s+|an?\s+|its\s+)?"
               r"(?P<role>[^,.;:\n“”\"]{2,70}?)(?:[,.;:]|$)")
    match = re.search(pattern, source.text, re.MULTILINE)
    if match is None or not _ROLE_WORD.search(match.group("role")):
        return None
    return match.group("role").strip()


def full_name(speaker: str, people: list[str]) -> str:
    """A surname the source uses alone ('Garman') as the full name it gave first ('Matt Garman')."""
    if " " in speaker:
        return speaker
    return next((person for person in people if person.endswith(" " + speaker)), speaker)


def _short_quote(source: SourceText, words: str, location: Location) -> bool:
    """A quote under MIN_QUOTE_WORDS words is drafted only when its own sentence names who said it and the
    words are found in one place ('described as “underwhelming”'); a quoted name (“UltraCluster”) or a
    scare-quoted word with no speaker is not a quote."""
    if word_count(words) == 1 and words[:1].isupper():
        return False
    if find(source, words).places != 1:
        return False
    return bool(attributions_in(source.sentence_text(location.paragraph, location.sentence)))


def draft_quotes(source: SourceText) -> list[QuoteCandidate]:
    """Every quoted span (of at least MIN_QUOTE_WORDS words, or shorter when its sentence names the speaker),
    with the speaker the source ties it to."""
    quotes: list[QuoteCandidate] = []
    seen: set[str] = set()
    people = [entity.name for entity in named_entities(source) if entity.kind == "person"]
    skipped = left_out(source)
    for paragraph in source.paragraphs:
        if paragraph.index in skipped:
            continue
        text = source.paragraph_text(paragraph.index)
        for match in _QUOTED.finditer(text):
            words = " ".join((match.group("curly") or match.group("straight") or match.group("guillemets") or "")
                             .split())
            words = words.strip(" ,;:")
            if not words or words.casefold() in seen:
                continue
            found = find(source, words)
            if found.location is None or (word_count(words) < MIN_QUOTE_WORDS and not _short_quote(source, words,
                                                                                                 found.location)):
                continue
            seen.add(words.casefold())
            location = found.location
            own = source.sentence_text(location.paragraph, location.sentence)
            start = source.paragraphs[location.paragraph].sentences[location.sentence].start
            passive = passive_attribution(own, max(0, location.start - start))
            said = speaker_of(source, location)
            if said is not None and said.how == "anonymous":
                quotes.append(QuoteCandidate(
                    words, TODO_SPEAKER, location.paragraph, location.sentence,
                    note="the source quotes an anonymous speaker: name one only if the source does, or delete "
                         "the quote"))
                continue
            if passive and not attributions_in(masked(own)):
                quotes.append(QuoteCandidate(
                    words, TODO_SPEAKER, location.paragraph, location.sentence,
                    note=f"the source names no speaker ('{passive}'): name one only if the source does, "
                         "or delete the quote"))
                continue
            title = None
            if said is not None and said.name:
                speaker, title = person_name(full_name(said.name, people), source)
            else:
                speaker = TODO_SPEAKER
            role = (role_of(source, speaker) or title) if speaker != TODO_SPEAKER else None
            quotes.append(QuoteCandidate(words, speaker, location.paragraph, location.sentence, role=role))
    return quotes
