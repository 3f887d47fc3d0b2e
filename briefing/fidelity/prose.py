"""The prose of a brief whose numbers must be traceable, and the numbers it states."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from .numbers import Number, parse_numbers
from .verdicts import Finding, Verdict

if TYPE_CHECKING:
    from ..project import BriefEntry
    from ..yamlsource import YamlDocument
    from .judge import EvidencePassage, Judge

_URL = re.compile(r"\(?https?://\S+|`[^`]*`")


def prose_numbers(text: str) -> list[Number]:
    """The numbers a piece of prose states (a bare 'one' is a word, not a figure)."""
    text = _URL.sub(lambda m: " " * len(m.group()), text)
    return [n for n in parse_numbers(text) if not (n.is_word and n.value == 1 and not n.unit and not n.scale)]


def prose_fields(brief: BriefEntry) -> Iterator[tuple[YamlDocument, tuple[Any, ...], str]]:
    """(document, field path, text) of the bottom line, takeaways, summaries, implications, risks and
    recommendations."""
    yield brief.doc, ("summary",), brief.meta.summary
    for entry in brief.theme_files:
        theme, doc = entry.theme, entry.doc
        yield doc, ("takeaway",), theme.takeaway
        yield doc, ("summary",), theme.summary
        for k, implication in enumerate(theme.implications):
            yield doc, ("implications", k), implication
        for k, risk in enumerate(theme.risks):
            yield doc, ("risks", k, "risk"), risk.risk
            if risk.mitigation:
                yield doc, ("risks", k, "mitigation"), risk.mitigation
        for k, recommendation in enumerate(theme.recommendations):
            yield doc, ("recommendations", k, "action"), recommendation.action
            if recommendation.rationale:
                yield doc, ("recommendations", k, "rationale"), recommendation.rationale


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_AND_SUBJECT = re.compile(r",?\s+and\s+(?=[A-Z][a-z])")
_PROSE_KINDS = ("negation",)
_NOT_ASSERTED = re.compile(r"\b(?:to|will|would|could|may|might|should|plans?|expects?|wants?|aims?|hopes?|whether|if|"
                           r"watch|when|once)\s+(?:\w+\s+)?$|\b(?:until|till|unless|before|if|once|when|whether)\s+"
                           r"(?:[\w'’-]+\s+){0,4}$", re.IGNORECASE)


def _asserts(sentence: str, word: str, source_words: str, language: str) -> bool:
    """Whether the prose states as done what the source negates: the source's own verb, not after 'to', 'will',
    'whether', or in a clause 'until'/'unless' opens ('Watch for a decision', 'plans to file', 'until Brayford
    restarts' restate no fact; 'has decided to sell' does)."""
    from .wording import lemma

    tokens = re.findall(r"[\w'’-]+", source_words.lower())
    verbs = [t for t in tokens[1:] if t not in ("yet", "been", "be", "have", "has", "had", "already", "even", "a", "an",
                                                "the", "ever", "to")]
    if not word or " " in word.strip() or not verbs or not verbs[0].isalpha():
        return False
    if lemma(word, language) != lemma(verbs[0], language):  # 'taken' for the source's 'not yet taken'
        return False
    at = sentence.find(word)
    return at >= 0 and _NOT_ASSERTED.search(sentence[:at]) is None


def judged_prose(judge: Judge, passages: list[tuple[str, EvidencePassage]], doc: YamlDocument, loc: tuple[Any, ...],
                 text: str, language: str = "en") -> list[Verdict]:
    """A summary, takeaway, implication or rationale says what its facts say: each of its sentences is read
    against the passage of the fact it restates (the one with most words in common, three at least) for its
    negation and direction ('Halvard has decided to sell' where the fact's source says 'has not yet decided')."""
    from .judge import JUDGE_HINTS, STATEMENT_ERRORS, LexicalJudge
    from .wording import CLAUSE, content

    out = []
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    # Each clause on its own: '..., but first hydrogen is 14 months late and Tsurumaki has signed' restates two facts
    pieces = [p.strip() for s in sentences for p in _AND_SUBJECT.split(s) for p in CLAUSE.split(p) if p and p.strip()]
    seen: set[str] = set()
    for sentence in dict.fromkeys([*sentences, *pieces]):
        words = {base for _, base in content(sentence, language)}
        best = max(passages, key=lambda item: len(words & {b for _, b in content(item[0], language)}), default=None)
        if best is None or len(words & {b for _, b in content(best[0], language)}) < 3:
            continue
        # Prose is read for negation only, so the built-in judge runs only that check (another judge judges whole).
        found = judge.negation(sentence, best[1]) if isinstance(judge, LexicalJudge) \
            else judge.judge(sentence, best[1]).mismatches
        mismatches = [m for m in found
                      if m.kind in _PROSE_KINDS and (m.kind != "negation" or _asserts(sentence, m.statement_words,
                                                                                       m.source_words, language))
                      and m.message not in seen]
        seen.update(m.message for m in mismatches)
        if not mismatches:
            continue
        verdict = Verdict("prose-statement", sentence, doc, loc)
        for mismatch in mismatches:
            severity: Literal["error", "warning"] = "error" if mismatch.kind in STATEMENT_ERRORS else "warning"
            verdict.add(Finding("prose", severity, doc, loc, f"{mismatch.message} (as the fact '{_short(best[0])}' "
                                "rests on it)", JUDGE_HINTS[mismatch.kind], needle=mismatch.statement_words or None))
        out.append(verdict)
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
