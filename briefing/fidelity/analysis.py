"""One pass over a project that gives every fact, figure, quote and prose number a verdict.

``analyse(project)`` reads each cited source's text once, checks every item against it and returns
the verdicts (for the report) with their findings (for ``check``); it is computed once per loaded
project, so the check functions and the report share it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..settings import DRAFT_PLACEHOLDER
from .attribution import basis_fits, verb_basis
from .charts import chart_verdicts
from .compare import compare_figure, figure_number, misstated, traced
from .describe import describe
from .judge import DEFAULT_JUDGE, JUDGE_HINTS, STATEMENT_ERRORS, EvidencePassage, Judge, passage_of
from .match import Location, MatchResult, closest_hint, find
from .numbers import ORDER_OF_MAGNITUDE, Number, parse_numbers
from .prose import judged_prose, prose_fields, prose_numbers
from .source_text import SourceText, SourceTextError, TextCache
from .speakers import check_claimant, check_speaker
from .verdicts import Finding, Passage, Verdict, no_text

if TYPE_CHECKING:
    from ..models import Fact, Quote
    from ..project import BriefEntry, Project
    from ..yamlsource import YamlDocument

@dataclass
class BriefResult:
    id: str
    title: str
    verdicts: list[Verdict] = field(default_factory=list)


@dataclass
class FidelityResult:
    briefs: list[BriefResult]
    source_findings: list[Finding]
    texts: dict[str, SourceText | SourceTextError | None]  # None: the source has no text copy

    def findings(self) -> Iterator[Finding]:
        yield from self.source_findings
        seen: set[int] = set()
        for brief in self.briefs:
            for verdict in brief.verdicts:
                for finding in verdict.findings:
                    if id(finding) not in seen:  # a figure shares its fact's evidence finding
                        seen.add(id(finding))
                        yield finding


_RESULTS: dict[int, tuple[weakref.ref[Any], FidelityResult]] = {}


def analyse(project: Project, judge: Judge | None = None) -> FidelityResult:
    """The verdicts for ``project``, computed once per loaded project; ``judge`` replaces the built-in
    statement judge (an entailment model, say) for this analysis."""
    key = id(project)
    cached = _RESULTS.get(key)
    if judge is None and cached is not None and cached[0]() is project:
        return cached[1]
    result = _Analysis(project, judge).run()
    if judge is not None:
        return result

    def forget(_ref: weakref.ref[Any]) -> None:
        _RESULTS.pop(key, None)

    _RESULTS[key] = (weakref.ref(project, forget), result)
    return result


def _passage(source: SourceText, location: Location) -> Passage:
    sentences = source.paragraphs[location.paragraph].sentences
    start, end = sentences[location.sentence].start, sentences[location.last_sentence].end
    marks = tuple((max(a, start) - start, min(b, end) - start) for a, b in location.spans)
    return Passage(source.source_id, location.paragraph, location.sentence, source.text[start:end], marks)


class _Analysis:
    def __init__(self, project: Project, judge: Judge | None = None) -> None:
        self.project = project
        self.judge: Judge = judge or DEFAULT_JUDGE
        self.aliases: dict[str, list[str]] = {}
        self.passages: list[tuple[str, EvidencePassage]] = []  # each judged fact's statement and passage
        self.language = project.config.language.split("-")[0]
        self.cache = TextCache(project.root)
        self.texts: dict[str, SourceText | SourceTextError | None] = {}
        self.numbers: dict[str, list[Number]] = {}

    def text(self, source_id: str) -> SourceText | SourceTextError | None:
        if source_id not in self.texts:
            source = self.project.sources[source_id]
            self.texts[source_id] = None if source.text is None else self.cache.get(source_id, source.text)
        return self.texts[source_id]

    def source_numbers(self, source: SourceText) -> list[Number]:
        if source.source_id not in self.numbers:
            self.numbers[source.source_id] = parse_numbers(source.text)
        return self.numbers[source.source_id]

    def run(self) -> FidelityResult:
        briefs = [self.brief(brief) for brief in self.project.briefs]
        return FidelityResult(briefs, self.sources(briefs), self.texts)

    # --- sources -------------------------------------------------------------------------------

    def sources(self, briefs: list[BriefResult]) -> list[Finding]:
        doc = self.project.sources_doc
        if doc is None:
            return []
        findings = []
        for index, (source_id, source) in enumerate(self.project.sources.items()):
            items = [v for brief in briefs for v in brief.verdicts if v.source == source_id and v.kind in
                     ("fact", "quote", "chart-point")]
            text = self.text(source_id) if source.text is not None or items else None
            pin = getattr(source, "sha256", None)
            if isinstance(text, SourceText) and pin and pin.lower() != text.raw_sha256:
                findings.append(Finding(
                    "sources", "error", doc, ("sources", index, "sha256"),
                    f"the local text copy '{source.text}' has changed: its sha256 is {text.raw_sha256}",
                    f"check the copy against the source; if the change is intended, set sha256: {text.raw_sha256}"))
            if isinstance(text, SourceText) or not items:
                continue
            counts = _counts(items)
            if text is None:
                findings.append(Finding(
                    "sources", "warning", doc, ("sources", index),
                    f"source '{source_id}' has no local text copy, so its {counts} are unchecked",
                    "save the source's text in the project and add 'text: <path>' to this source"))
            else:
                findings.append(Finding(
                    "sources", "warning", doc, ("sources", index, "text"),
                    f"the local text copy '{source.text}' {text.reason}, so the {counts} citing "
                    f"'{source_id}' are unchecked", text.hint or "restore the copy, or fix the path"))
        return findings

    # --- briefs --------------------------------------------------------------------------------

    def brief(self, brief: BriefEntry) -> BriefResult:
        result = BriefResult(brief.id, brief.meta.title)
        self.aliases = dict(getattr(brief.meta, "aliases", {}) or {})
        self.passages = []
        for entry in brief.theme_files:
            for index, fact in enumerate(entry.theme.facts):
                result.verdicts.extend(self.fact(entry.doc, index, fact))
            for index, quote in enumerate(entry.theme.quotes):
                verdict = self.quote(entry.doc, index, quote)
                if verdict is not None:
                    result.verdicts.append(verdict)
            for index, chart in enumerate(entry.theme.charts):
                result.verdicts.extend(chart_verdicts(self, entry.doc, index, chart))
        result.verdicts.extend(self.prose(brief, result.verdicts))
        return result

    def fact(self, doc: YamlDocument, index: int, fact: Fact) -> list[Verdict]:
        base = ("facts", index)
        verdict = Verdict("fact", fact.statement, doc, (*base, "statement"), fact.source)
        figure = None
        if fact.figure is not None:
            figure = Verdict("figure", fact.figure.label or fact.statement, doc, (*base, "figure", "value"),
                             fact.source)
        verdicts = [verdict] + ([figure] if figure else [])
        if fact.source is None or fact.source not in self.project.sources:
            for item in verdicts:
                item.status, item.reason = "unchecked", "the fact cites no known source"
            return verdicts
        source = self.text(fact.source)
        if not isinstance(source, SourceText):
            for item in verdicts:
                item.status, item.reason = "unchecked", no_text(self.project.sources[fact.source], source)
            return verdicts
        location, pinned = None, False
        if fact.evidence:
            match = find(source, fact.evidence)
            location, pinned = self.evidence(verdict, source, fact, match), match.places == 1
        else:
            verdict.status, verdict.reason = "unchecked", "the fact has no evidence to check"
        if figure is not None:
            self.figure(figure, verdict, source, fact, location)
        if location is not None or not fact.evidence:
            self.statement(verdict, source, fact, location if pinned else None)
        if location is not None and pinned and DRAFT_PLACEHOLDER not in fact.statement:
            self.judged(verdict, source, fact, location)
        return verdicts

    def judged(self, verdict: Verdict, source: SourceText, fact: Fact, location: Location) -> None:
        """The statement against its evidence's passage: subject, direction, negation, comparator, period."""
        passage = passage_of(source, location, self.aliases, self.language)
        self.passages.append((fact.statement, passage))
        judgement = self.judge.judge(fact.statement, passage)
        verdict.checked += ("statement",)
        for mismatch in judgement.mismatches:
            severity: Literal["error", "warning"] = "error" if mismatch.kind in STATEMENT_ERRORS else "warning"
            verdict.add(Finding("facts", severity, verdict.doc, verdict.loc, mismatch.message,
                                JUDGE_HINTS[mismatch.kind], needle=mismatch.statement_words or None))

    def evidence(self, verdict: Verdict, source: SourceText, fact: Fact, match: MatchResult) -> Location | None:
        doc, loc = verdict.doc, (*verdict.loc[:-1], "evidence")
        if match.location is None:
            verdict.add(Finding("facts", "error", doc, loc,
                                f"evidence not found in the text of source '{source.source_id}' ({source.path})",
                                closest_hint(source, fact.evidence or "")))
            return None
        verdict.passage = _passage(source, match.location)
        verdict.checked += ("evidence",)
        if match.too_short:
            sentence = source.sentence_text(match.location.paragraph, match.location.sentence)
            verdict.add(Finding("facts", "warning", doc, loc,
                                f"evidence is too short to pin down: {match.why_short()}",
                                f"quote more of the passage, e.g. \"{_shorten(sentence)}\""))
        return match.location

    def figure(self, verdict: Verdict, fact_verdict: Verdict, source: SourceText, fact: Fact,
               location: Location | None) -> None:
        figure = fact.figure
        assert figure is not None
        base = verdict.loc[:-1]
        doc = verdict.doc
        if fact.evidence and location is None:
            verdict.status, verdict.findings = "flagged", list(fact_verdict.findings)
            return
        if location is None:
            mine = figure_number(figure)
            pool = self.source_numbers(source) if mine.qualifier != ORDER_OF_MAGNITUDE else \
                parse_numbers(source.text, vague=True)
            where = [n for n in pool if traced(mine, [n])]
            if not where:
                verdict.add(Finding("facts", "error", doc, base + ("value",),
                                    f"figure {mine.describe()} is nowhere in the text of source "
                                    f"'{source.source_id}' ({source.path})",
                                    "correct the figure, or cite the source it comes from, with its words in "
                                    "'evidence'"))
                return
            paragraph, sentence = source.sentence_at(where[0].start)
            verdict.passage = Passage(source.source_id, paragraph, sentence,
                                      source.sentence_text(paragraph, sentence))
            passage = _shorten(source.sentence_text(paragraph, sentence))
            verdict.add(Finding("facts", "warning", doc, base, "figure has no evidence",
                                f"quote the source's words in 'evidence', e.g. \"{where[0].text}\" from "
                                f"paragraph {paragraph + 1}: \"{passage}\""))
            return
        verdict.passage = fact_verdict.passage
        sentences = source.paragraphs[location.paragraph].sentences
        s_start, s_end = sentences[location.sentence].start, sentences[location.last_sentence].end
        stated = parse_numbers(source.text[s_start:s_end], vague=True)
        inside = [n for n in stated if n.start < location.end - s_start and n.end > location.start - s_start]
        before = source.text[sentences[location.sentence - 1].start:s_start] if location.sentence else ""
        candidate, problems = compare_figure(figure, inside or stated, source.text[s_start:s_end], fact.statement,
                                             before)
        verdict.asserted = figure_number(figure).describe()
        verdict.stated = candidate.text if candidate is not None else ""
        verdict.checked += ("number", "unit", "bound", "currency") + (("claimant",) if figure.by else ()) + ("basis",)
        field_of = {"scale": "unit", "unit": "unit", "currency": "currency", "range": "upper", "vague": "qualifier"}
        for problem in problems:
            name = field_of.get(problem.kind, "value")
            if problem.kind == "hedge" and getattr(figure, "qualifier", None):
                name = "qualifier"
            verdict.add(Finding("facts", problem.severity, doc, base + (name,), problem.message, problem.hint))
        if figure.by:
            why = check_claimant(source, location, figure.by)
            if why:
                verdict.add(Finding("facts", "warning", doc, base + ("by",), f"figure's claimant {why}",
                                    "name the party the source gives, or quote the sentence that names it"))
        verb = verb_basis(source, location, figure.by)
        fits = basis_fits(figure.basis, figure.by, source, location, verb)
        if verb is not None and verb[1] != figure.basis and not fits:
            verdict.add(Finding("facts", "warning", doc, base + ("basis",),
                                f"basis '{figure.basis}' does not fit the source, which says '{verb[0]}' "
                                f"({'an' if verb[1] == 'estimate' else 'a'} {verb[1]})", f"set 'basis: {verb[1]}'"))

    def statement(self, verdict: Verdict, source: SourceText, fact: Fact, location: Location | None) -> None:
        numbers = prose_numbers(fact.statement)
        if not numbers:
            return
        if location is not None:
            pool = parse_numbers(source.paragraph_text(location.paragraph))
            # The paragraphs either side may give a statement its context ('The union, which says it represents
            # about 2,900 of the company's 4,100 employees, will seek ...'): a number stated there as written agrees.
            around = [n for i in (location.paragraph - 1, location.paragraph + 1) if 0 <= i < len(source.paragraphs)
                      for n in parse_numbers(source.paragraph_text(i))]
            for number in numbers:
                if traced(number, around) and not traced(number, pool):
                    continue
                wrong = misstated(number, pool)
                if wrong is not None:
                    verdict.add(Finding("facts", "error", verdict.doc, verdict.loc, f"statement {wrong}",
                                        "state the number as the source does", needle=number.text))
                elif not traced(number, pool) and not (  # 'the earlier flood' in a paragraph that dates nothing
                        number.is_year and not any(n.is_year for n in pool)
                        and traced(number, self.source_numbers(source))):
                    said = ", ".join(dict.fromkeys(n.text for n in pool)) or "no number"
                    verdict.add(Finding("facts", "error", verdict.doc, verdict.loc,
                                        f"statement says {number.text}, which is not in its evidence's paragraph "
                                        f"(paragraph {location.paragraph + 1} says {said})",
                                        "correct the statement to what the source says", needle=number.text))
        else:
            for number in numbers:
                if not traced(number, self.source_numbers(source)):
                    verdict.add(Finding("facts", "warning", verdict.doc, verdict.loc,
                                        f"untraced number '{number.text}': not in the text of source "
                                        f"'{source.source_id}'",
                                        "correct it, or add the source's words in 'evidence'", needle=number.text))

    def quote(self, doc: YamlDocument, index: int, quote: Quote) -> Verdict | None:
        if quote.source not in self.project.sources:
            return None
        verdict = Verdict("quote", quote.text, doc, ("quotes", index, "text"), quote.source)
        source = self.text(quote.source)
        if not isinstance(source, SourceText):
            verdict.status, verdict.reason = "unchecked", no_text(self.project.sources[quote.source], source)
            return verdict
        match = find(source, quote.text)
        if match.location is None:
            verdict.add(Finding("quotes", "error", doc, verdict.loc,
                                f"quote not found verbatim in the text of source '{source.source_id}' "
                                f"({source.path})", closest_hint(source, quote.text)))
            return verdict
        verdict.passage = _passage(source, match.location)
        verdict.checked += ("words", "speaker")
        if match.places > 1:
            verdict.add(Finding("quotes", "warning", doc, verdict.loc,
                                f"quote is too short to pin down: {match.why_short()}",
                                "quote more of the passage so it names one place"))
        # A draft's placeholder speaker is already a warning of its own (check_placeholders).
        placeholder = quote.speaker.startswith(DRAFT_PLACEHOLDER)
        why = None if placeholder else check_speaker(source, match.location, quote.speaker, quote.role)
        if why:
            verdict.add(Finding("quotes", "warning", doc, ("quotes", index, "speaker"), f"speaker {why}",
                                "attribute the quote as the source does"))
        return verdict

    # --- numbers in prose ----------------------------------------------------------------------

    def prose(self, brief: BriefEntry, verdicts: list[Verdict]) -> list[Verdict]:
        figures = [figure_number(fact.figure) for entry in brief.theme_files for fact in entry.theme.facts
                   if fact.figure is not None]
        cited = list(dict.fromkeys([*brief.meta.sources, *(v.source for v in verdicts if v.source)]))
        cited = [s for s in cited if s in self.project.sources]
        texts = [t for t in (self.text(s) for s in cited) if isinstance(t, SourceText)]
        missing = [s for s in cited if not isinstance(self.text(s), SourceText)]
        pool = figures + [n for t in texts for n in self.source_numbers(t)]
        out = []
        for doc, loc, text in prose_fields(brief):
            out.extend(judged_prose(self.judge, self.passages, doc, loc, text, self.language))
            for number in prose_numbers(text):
                verdict = Verdict("prose-number", number.text, doc, loc)
                wrong = misstated(number, pool)
                if wrong is not None:
                    verdict.add(Finding("prose", "error", doc, loc, f"'{number.text}' {wrong}",
                                        "state the number as the source does", needle=number.text))
                elif traced(number, pool):
                    verdict.passage = self.trace(number, texts)
                    verdict.checked += ("number", "currency", "unit", "bound")
                elif missing or not cited:
                    verdict.status = "unchecked"
                    verdict.reason = "not in the brief's figures; " + _why_unchecked(missing)
                else:
                    verdict.add(Finding("prose", "warning", doc, loc,
                                        f"untraced number '{number.text}': it is in none of the brief's figures "
                                        f"and not in the text of {', '.join(cited)}",
                                        "correct it, or add the fact and figure it comes from", needle=number.text))
                out.append(verdict)
        return out

    def trace(self, number: Number, texts: list[SourceText]) -> Passage | None:
        for source in texts:
            for stated in self.source_numbers(source):
                if traced(number, [stated]):
                    paragraph, sentence = source.sentence_at(stated.start)
                    return Passage(source.source_id, paragraph, sentence, source.sentence_text(paragraph, sentence))
        return None


def _why_unchecked(missing: list[str]) -> str:
    if not missing:
        return "the brief cites no source"
    many = len(missing) > 1
    return f"source{'s' if many else ''} {', '.join(missing)} {'have' if many else 'has'} no text copy"


def _counts(items: list[Verdict]) -> str:
    counted = [(sum(1 for v in items if v.kind == kind), word) for kind, word in
               (("fact", "fact"), ("quote", "quote"), ("chart-point", "chart value"))]
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in counted if n]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else ""


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


__all__ = ["BriefResult", "FidelityResult", "Finding", "Passage", "Verdict", "analyse", "describe"]
