"""How far the source check and ``briefing draft`` can be trusted on articles nobody tuned them to.

Runs over the corpus in tests/corpus (articles written for the tests, with answer keys written before
the tool was run on them) and prints, per kind and per split (``tune``: the rules were tuned on it;
``holdout``: never tuned on):

* the faithful briefs: errors under plain ``check``, findings under ``check --strict`` per 10 items;
* faithful paraphrases that raise an error (false alarms), by paraphrase kind;
* planted errors caught by plain ``check`` and by ``--strict``, by plant kind;
* the draft against the answer keys: core-figure recall and precision, value, unit, currency and bound
  right; quotes found, speakers right, wrong and left to the analyst.

    python benchmarks/fidelity.py                   # every split
    python benchmarks/fidelity.py --split holdout   # the articles never tuned on
    python benchmarks/fidelity.py --json out.json   # the figures, for the tests and for CI
    python benchmarks/fidelity.py --show plants     # each missed plant / alarm / draft miss, with why
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import Article, KeyFigure, Variant, load_corpus  # noqa: E402

STATEMENT_KINDS = ("subject", "counterpart", "direction", "comparator", "metric", "negation", "period",
                   "other-subject")
BOUND_CLASS = {None: "=", "at most": "<=", "up to": "<=", "under": "<=", "less than": "<=", "below": "<=",
               "at least": ">=", "over": ">=", "more than": ">=", "above": ">=", "about": "~", "nearly": "~",
               "order of magnitude": "oom"}
SCALE = {"": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

_PROJECT_YAML = "title: Corpus briefings\nauthor: Corpus analyst\norganisation: Corpus desk\nclassification: Internal\n"
_AUDIENCE_YAML = "name: Executive\ndescription: Leaders who decide.\n"


# --- a project around one article ------------------------------------------------------------

def make_project(article: Article, root: Path) -> Path:
    """A briefing project holding the article as source ``article`` and, if it has one, its faithful brief."""
    (root / "content" / "audiences").mkdir(parents=True)
    (root / "content" / "sources").mkdir()
    (root / "briefing.yaml").write_text(_PROJECT_YAML, encoding="utf-8")
    (root / "content" / "audiences" / "executive.yaml").write_text(_AUDIENCE_YAML, encoding="utf-8")
    shutil.copyfile(article.folder / "article.txt", root / "content" / "sources" / "article.txt")
    title = article.text.strip().splitlines()[0].strip().replace('"', "'")
    (root / "content" / "sources.yaml").write_text(
        f'sources:\n  - id: article\n    title: "{title}"\n    publisher: Corpus Wire\n'
        "    text: content/sources/article.txt\n", encoding="utf-8")
    if article.has_brief:
        themes = root / "content" / "briefs" / article.slug / "themes"
        themes.mkdir(parents=True)
        shutil.copyfile(article.folder / "brief.yaml", themes.parent / "brief.yaml")
        shutil.copyfile(article.folder / "theme.yaml", themes / "01-theme.yaml")
    return root


def _target(root: Path, article: Article, name: str) -> Path:
    brief = root / "content" / "briefs" / article.slug
    return brief / "brief.yaml" if name == "brief.yaml" else brief / "themes" / "01-theme.yaml"


def apply(root: Path, article: Article, variant: Variant) -> None:
    path = _target(root, article, variant.file)
    text = path.read_text(encoding="utf-8")
    for old, new in variant.edits:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


Finding = tuple[str, int, str, str]  # file, line, severity, message


def check(root: Path) -> list[Finding]:
    """Every error and warning ``briefing check`` reports for the project (``--strict`` makes warnings errors)."""
    from briefing.errors import Severity
    from briefing.load import load_project

    project = load_project(root, strict=False, raise_errors=False)
    problems = [*project.errors, *project.warnings]
    return sorted((p.file or "", p.line or 0, "error" if p.severity == Severity.ERROR else "warning",
                   p.message) for p in problems)


# --- the faithful briefs, their paraphrases and plants ----------------------------------------

@dataclass
class VariantResult:
    kind: str
    note: str
    errors: list[str]  # new errors (plain check)
    warnings: list[str]  # new warnings (what --strict adds)


@dataclass
class BriefResult:
    slug: str
    split: str
    items: int
    errors: list[str]
    warnings: list[str]
    paraphrases: list[VariantResult] = field(default_factory=list)
    plants: list[VariantResult] = field(default_factory=list)


def _items(root: Path, article: Article) -> int:
    import yaml

    theme = yaml.safe_load(_target(root, article, "theme.yaml").read_text(encoding="utf-8"))
    return len(theme.get("facts") or []) + len(theme.get("quotes") or [])


def _new(before: list[Finding], after: list[Finding]) -> tuple[list[str], list[str]]:
    """Findings of ``after`` that ``before`` has not (compared without line numbers: an edit may move lines)."""
    seen = Counter((f, s, m) for f, _, s, m in before)
    errors, warnings = [], []
    for file, line, severity, message in after:
        if seen[(file, severity, message)] > 0:
            seen[(file, severity, message)] -= 1
            continue
        (errors if severity == "error" else warnings).append(f"{Path(file).name}:{line}: {message}")
    return errors, warnings


def evaluate_brief(article: Article) -> BriefResult:
    with tempfile.TemporaryDirectory(prefix="briefing-corpus-") as tmp:
        base = make_project(article, Path(tmp) / "base")
        baseline = check(base)
        result = BriefResult(article.slug, article.split, _items(base, article),
                             [m for *_, s, m in baseline if s == "error"], [m for *_, s, m in baseline if s != "error"])
        for kind, variants, out in (("paraphrase", article.paraphrases, result.paraphrases),
                                    ("plant", article.plants, result.plants)):
            for index, variant in enumerate(variants):
                root = Path(tmp) / f"{kind}-{index}"
                shutil.copytree(base, root)
                apply(root, article, variant)
                errors, warnings = _new(baseline, check(root))
                out.append(VariantResult(variant.kind, variant.note, errors, warnings))
                shutil.rmtree(root)
    return result


# --- the draft against the answer key ---------------------------------------------------------

@dataclass
class DraftFigure:
    key: str  # the key's text, or '' for a candidate matching no key figure
    found: bool
    value_ok: bool = False
    unit_ok: bool = False
    currency_ok: bool = False
    bound_ok: bool = False
    drafted: str = ""
    expected: str = ""


@dataclass
class DraftQuote:
    key: str
    speaker: str | None
    drafted: str | None  # None: not drafted; TODO...: left to the analyst
    verdict: str  # right, wrong, unattributed, missed


@dataclass
class DraftResult:
    slug: str
    split: str
    figures: list[DraftFigure] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # candidates matching no core figure of the key
    quotes: list[DraftQuote] = field(default_factory=list)
    extra_quotes: list[str] = field(default_factory=list)


def _unit_ok(key: KeyFigure, unit: str, scale: str, article: str = "") -> bool:
    """Whether the drafted unit is the key's. Three readings the keys leave open count as right: a fraction
    or multiple keyed with the noun it is a share of ('one in 12 schools', unit %); a drafted unit that
    adds the rate the article writes right after the number ('38 miles a year' for the key's 'mi'); and,
    where the key gives no unit or noun at all, a drafted noun or price that the figure's sentence names
    ('about 9,200' vehicles, '$52.30' per share)."""
    from briefing.fidelity.units import same_unit

    words = unit.removeprefix(scale).split() if scale else unit.split()
    if key.noun and key.unit not in ("%", "x"):
        head = words[-1].lower() if words else ""
        noun = key.noun.split()[-1].lower()
        if head == noun or head.rstrip("s") == noun.rstrip("s"):
            return True
    elif same_unit(key.unit, unit):
        return True
    at = article.find(key.text, key.start) if article else -1
    after = article[at + len(key.text):at + len(key.text) + 40].lower() if at >= 0 else ""
    rate = re.match(r"(.*?)\s*\b((?:a|per|an)\s+\w+)$", " ".join(words))
    written = rate is not None and (after.lstrip().startswith(rate.group(2).lower())
                                    or key.text.lower().endswith(rate.group(2).lower()))
    if rate and written and (
            same_unit(key.unit, rate.group(1)) or (key.noun and rate.group(1).endswith(key.noun.split()[-1]))):
        return True
    if key.unit or key.noun or not words or not article:
        return False
    end = min((article.find(mark, at) for mark in (". ", ".\n") if article.find(mark, at) >= 0), default=len(article))
    sentence = article[article.rfind(". ", 0, max(at, 0)) + 1:end].lower()
    return re.search(rf"\b{re.escape(words[-1].lower().rstrip('s'))}", sentence) is not None


def _describe_key(key: KeyFigure) -> str:
    parts = [key.bound or "", key.currency, f"{key.value:g}" + (f"-{key.upper:g}" if key.upper is not None else ""),
             key.scale, key.unit, key.noun]
    return " ".join(p for p in parts if p)


def evaluate_draft(article: Article) -> DraftResult:
    from briefing.draft.extract import draft_facts, draft_quotes
    from briefing.fidelity.compare import figure_number
    from briefing.fidelity.match import find
    from briefing.fidelity.source_text import SourceText, split
    from briefing.fidelity.units import currency_code
    from briefing.settings import DRAFT_PLACEHOLDER

    source = SourceText("article", "article.txt", article.text, "", split(article.text))
    result = DraftResult(article.slug, article.split)
    spans = []
    for candidate in draft_facts(source):
        location = find(source, candidate.evidence).location
        start = -1
        if location is not None:
            inside = source.text.find(candidate.number_text, location.start, location.end + len(candidate.number_text))
            start = inside if inside >= 0 else location.start
        spans.append((start, start + len(candidate.number_text), candidate))
    matched: set[int] = set()
    for key in article.figures:
        if not key.core:
            continue
        end = key.start + len(key.text)
        hits = [i for i, (a, b, _) in enumerate(spans) if a < end and b > key.start]
        if not hits:
            result.figures.append(DraftFigure(key.text, False, expected=_describe_key(key)))
            continue
        index = hits[0]
        matched.update(hits)
        candidate = spans[index][2]
        figure = figure_number(candidate.figure)
        value = figure.value * SCALE.get(figure.scale, 1)
        upper = None if figure.upper is None else figure.upper * SCALE.get(figure.scale, 1)
        want = key.value * SCALE[key.scale]
        want_upper = None if key.upper is None else key.upper * SCALE[key.scale]
        unit = figure.unit
        if key.unit == "cents" and currency_code(figure.currency) and unit in ("", "cents"):
            value, unit = value * 100 if unit == "" else value, "cents"
        # The keys round fractions to two decimals (66.67 for two-thirds): agree to one part in a thousand.
        close = abs(value - want) <= 1e-3 * max(1.0, abs(want)) and (
            (upper is None and want_upper is None) or (upper is not None and want_upper is not None
                                                       and abs(upper - want_upper) <= 1e-3 * max(1.0, want_upper)))
        result.figures.append(DraftFigure(
            key.text, True, value_ok=close, unit_ok=_unit_ok(key, unit, figure.scale, article.text),
            currency_ok=currency_code(figure.currency) == key.currency,
            bound_ok=BOUND_CLASS.get(candidate.figure.qualifier, "?") == BOUND_CLASS[key.bound],
            drafted=f"{candidate.figure.qualifier or ''} {candidate.figure.currency} {candidate.figure.value:g}"
                    f"{'' if candidate.figure.upper is None else f'-{candidate.figure.upper:g}'} "
                    f"{candidate.figure.unit}".strip(),
            expected=_describe_key(key)))
    non_core = [(k.start, k.start + len(k.text)) for k in article.figures if not k.core]
    for index, (a, b, candidate) in enumerate(spans):
        if index in matched:
            continue
        if any(a < e and b > s for s, e in non_core):
            result.extra.append(f"non-core: {candidate.number_text}")
        else:
            result.extra.append(f"not in key: {candidate.number_text} ({candidate.evidence})")
    drafted = []
    for quote in draft_quotes(source):
        location = find(source, quote.text).location
        drafted.append((location.start if location else -1, location.end if location else -1, quote))
    used: set[int] = set()
    for key in article.quotes:
        end = key.start + len(key.text)
        hits = [i for i, (a, b, _) in enumerate(drafted) if a < end and b > key.start]
        if not hits:
            result.quotes.append(DraftQuote(key.text, key.speaker, None, "missed"))
            continue
        used.update(hits)
        speaker = drafted[hits[0]][2].speaker
        if speaker.startswith(DRAFT_PLACEHOLDER):
            verdict = "right" if key.speaker is None else "unattributed"
        elif key.speaker is None:
            verdict = "wrong"
        else:
            verdict = "right" if _same_speaker(speaker, key.speaker) else "wrong"
        result.quotes.append(DraftQuote(key.text, key.speaker, speaker, verdict))
    result.extra_quotes = [q.text for i, (_, _, q) in enumerate(drafted) if i not in used]
    return result


def _same_speaker(drafted: str, expected: str) -> bool:
    """The key's speaker, by the name the key gives or the short name the article uses ('Ostbrook' for
    'Ostbrook Container Line'); a surname alone is not enough for a person."""
    a, b = drafted.casefold().strip(), expected.casefold().strip()
    return a == b or (b.startswith(a + " ") and len(a) > 3 and not _looks_like_person(expected))


def _looks_like_person(name: str) -> bool:
    from briefing.fidelity.attribution import _ORG_WORDS

    words = name.split()
    return 2 <= len(words) <= 3 and not any(w.casefold().strip(".") in _ORG_WORDS for w in words)


# --- the report ---------------------------------------------------------------------------------

def _rate(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "-"


def summarise(briefs: list[BriefResult], drafts: list[DraftResult]) -> dict[str, Any]:
    """The benchmark's figures, as numbers (the tests hold these at or above the targets)."""
    out: dict[str, Any] = {}
    items = sum(b.items for b in briefs)
    out["faithful"] = {"briefs": len(briefs), "items": items, "errors": sum(len(b.errors) for b in briefs),
                       "strict_findings": sum(len(b.errors) + len(b.warnings) for b in briefs),
                       "per_brief": {b.slug: {"items": b.items, "errors": len(b.errors), "warnings": len(b.warnings)}
                                     for b in briefs}}
    paraphrases = [p for b in briefs for p in b.paraphrases]
    out["paraphrases"] = {"total": len(paraphrases), "errors": sum(1 for p in paraphrases if p.errors),
                          "strict": sum(1 for p in paraphrases if p.errors or p.warnings)}
    plants = [p for b in briefs for p in b.plants]
    by_kind: dict[str, list[VariantResult]] = defaultdict(list)
    for plant in plants:
        by_kind[plant.kind].append(plant)
    out["plants"] = {"total": len(plants), "plain": sum(1 for p in plants if p.errors),
                     "strict": sum(1 for p in plants if p.errors or p.warnings),
                     "statement_total": sum(1 for p in plants if p.kind in STATEMENT_KINDS),
                     "statement_strict": sum(1 for p in plants
                                             if p.kind in STATEMENT_KINDS and (p.errors or p.warnings)),
                     "by_kind": {k: {"total": len(v), "plain": sum(1 for p in v if p.errors),
                                     "strict": sum(1 for p in v if p.errors or p.warnings)}
                                 for k, v in sorted(by_kind.items())}}
    figures = [f for d in drafts for f in d.figures]
    found = [f for f in figures if f.found]
    extra = [e for d in drafts for e in d.extra if e.startswith("not in key")]
    out["draft"] = {"core_figures": len(figures), "found": len(found),
                    "candidates": len(found) + len(extra),
                    "value_ok": sum(f.value_ok for f in found), "unit_ok": sum(f.unit_ok for f in found),
                    "currency_ok": sum(f.currency_ok for f in found), "bound_ok": sum(f.bound_ok for f in found)}
    quotes = [q for d in drafts for q in d.quotes]
    out["quotes"] = {"total": len(quotes), **{v: sum(1 for q in quotes if q.verdict == v)
                                              for v in ("right", "wrong", "unattributed", "missed")},
                     "extra": sum(len(d.extra_quotes) for d in drafts)}
    return out


def print_report(title: str, figures: dict[str, Any]) -> None:
    names = ("faithful", "paraphrases", "plants", "draft", "quotes")
    faithful, para, plants, draft, quotes = (figures[k] for k in names)
    print(f"\n== {title}")
    print(f"faithful briefs: {faithful['briefs']} ({faithful['items']} facts and quotes): plain errors "
          f"{faithful['errors']}, --strict findings {faithful['strict_findings']} "
          f"({10 * faithful['strict_findings'] / max(1, faithful['items']):.2f} per 10 items)")
    for slug, row in faithful["per_brief"].items():
        print(f"    {slug:26} items {row['items']:3}  errors {row['errors']:2}  warnings {row['warnings']:2}")
    print(f"paraphrases raising an error (false alarms): {_rate(para['errors'], para['total'])}; "
          f"any finding under --strict: {_rate(para['strict'], para['total'])}")
    print(f"plants caught: plain {_rate(plants['plain'], plants['total'])}, "
          f"--strict {_rate(plants['strict'], plants['total'])}; "
          f"statement-level --strict {_rate(plants['statement_strict'], plants['statement_total'])}")
    for kind, row in plants["by_kind"].items():
        print(f"    {kind:16} plain {_rate(row['plain'], row['total']):>16}   "
              f"strict {_rate(row['strict'], row['total']):>16}")
    print(f"draft core figures: recall {_rate(draft['found'], draft['core_figures'])}, precision "
          f"{_rate(draft['found'], draft['candidates'])}")
    found = draft["found"]
    print(f"    of those found: value {_rate(draft['value_ok'], found)}, unit {_rate(draft['unit_ok'], found)}, "
          f"currency {_rate(draft['currency_ok'], found)}, bound {_rate(draft['bound_ok'], found)}")
    attributed = quotes["right"] + quotes["wrong"] + quotes["unattributed"]
    print(f"draft quotes: found {_rate(attributed, quotes['total'])}; "
          f"speakers right {_rate(quotes['right'], attributed)}, wrong {quotes['wrong']}, "
          f"left to the analyst {quotes['unattributed']}; quotes not in the key {quotes['extra']}")


def show(kind: str, briefs: list[BriefResult], drafts: list[DraftResult]) -> None:
    if kind in ("plants", "all"):
        for brief in briefs:
            for plant in brief.plants:
                if not (plant.errors or plant.warnings):
                    print(f"MISSED plant {brief.slug} [{plant.kind}] {plant.note}")
    if kind in ("alarms", "all"):
        for brief in briefs:
            for message in brief.errors + brief.warnings:
                print(f"FAITHFUL {brief.slug}: {message}")
            for para in brief.paraphrases:
                for message in para.errors + para.warnings:
                    print(f"PARAPHRASE {brief.slug} [{para.kind}] {para.note}: {message}")
    if kind in ("draft", "all"):
        for draft in drafts:
            for figure in draft.figures:
                if not figure.found:
                    print(f"DRAFT MISSED {draft.slug}: {figure.key!r} ({figure.expected})")
                elif not (figure.value_ok and figure.unit_ok and figure.currency_ok and figure.bound_ok):
                    print(f"DRAFT WRONG {draft.slug}: {figure.key!r} drafted {figure.drafted!r}, "
                          f"key {figure.expected!r}")
            for extra in draft.extra:
                if extra.startswith("not in key"):
                    print(f"DRAFT EXTRA {draft.slug}: {extra}")
            for quote in draft.quotes:
                if quote.verdict != "right":
                    print(f"QUOTE {quote.verdict.upper()} {draft.slug}: {quote.key[:60]!r} key {quote.speaker!r} "
                          f"drafted {quote.drafted!r}")


def _evaluate(article: Article) -> tuple[BriefResult | None, DraftResult]:
    return (evaluate_brief(article) if article.has_brief else None), evaluate_draft(article)


def run(articles: Iterable[Article] | None = None, jobs: int = 2) -> tuple[list[BriefResult], list[DraftResult]]:
    articles = list(load_corpus() if articles is None else articles)
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_evaluate, articles))
    else:
        results = [_evaluate(a) for a in articles]
    return [b for b, _ in results if b is not None], [d for _, d in results]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="all")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--show", choices=("plants", "alarms", "draft", "all"), help="list each miss with its reason")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--article", action="append", help="only this article (a folder name; repeatable)")
    args = parser.parse_args(argv)
    if args.article:
        from corpus import CORPUS, load_article

        articles = [load_article(CORPUS / name) for name in args.article]
    else:
        articles = load_corpus()
    articles = [a for a in articles if args.split == "all" or a.split == args.split]
    briefs, drafts = run(articles, args.jobs)
    figures = {}
    for split in ("tune", "holdout", "all"):
        if args.split not in ("all", split):
            continue
        chosen_b = [b for b in briefs if split == "all" or b.split == split]
        chosen_d = [d for d in drafts if split == "all" or d.split == split]
        figures[split] = summarise(chosen_b, chosen_d)
        print_report(f"{split} ({len(chosen_d)} articles, {len(chosen_b)} with a faithful brief)", figures[split])
    if args.show:
        show(args.show, briefs, drafts)
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "briefs": [asdict(b) for b in briefs],
                                         "drafts": [asdict(d) for d in drafts]}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
