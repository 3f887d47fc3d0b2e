"""What the fidelity checks verified: a summary for ``check``, and HTML and JSON reports.

``summary(result)`` counts, for each brief, the facts / figures / quotes / prose numbers verified,
flagged and unchecked; ``summary_lines`` writes one line a brief for ``check``'s output.
``report_data`` is the JSON form (``report.schema.json`` beside this file is its schema) and
``report_html`` a self-contained page: every item with its verdict and the source sentence it rests
on, linked from the source's paragraph number to that paragraph, quoted at the end.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..settings import VERSION
from .analysis import BriefResult, FidelityResult, analyse
from .checks import to_problem
from .source_text import SourceText
from .verdicts import Passage, Verdict

if TYPE_CHECKING:
    from ..project import Project

PLURALS: dict[str, str] = {"fact": "facts", "figure": "figures", "quote": "quotes", "prose-number": "prose_numbers",
                           "prose-statement": "prose_statements", "chart-point": "chart_points"}
STATUSES = ("verified", "flagged", "unchecked")
SCHEMA_FILE = "report.schema.json"


def summary(brief: BriefResult) -> dict[str, dict[str, int]]:
    counts = {plural: dict.fromkeys(STATUSES, 0) for plural in PLURALS.values()}
    for verdict in brief.verdicts:
        counts[PLURALS[verdict.kind]][verdict.status] += 1
    return counts


def summary_line(brief: BriefResult) -> str:
    """``fidelity ai-silicon: facts 12 verified, 1 flagged, 6 unchecked; figures ...``."""
    parts = []
    for plural, counts in summary(brief).items():
        if sum(counts.values()):
            shown = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
            parts.append(f"{plural.replace('_', ' ')} {shown}")
    return f"fidelity {brief.id}: " + ("; ".join(parts) if parts else "nothing to check")


def summary_lines(project: Project) -> list[str]:
    """One line a brief, for the end of ``briefing check``."""
    return [summary_line(brief) for brief in analyse(project).briefs]


def schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


# --- JSON ----------------------------------------------------------------------------------------

def _where(verdict: Verdict) -> dict[str, Any]:
    line, column = verdict.doc.locate(verdict.loc, prefer_key=False)
    from ..yamlsource import format_path

    return {"file": verdict.doc.name, "line": line, "column": column, "field": format_path(verdict.loc)}


def _passage(passage: Passage | None) -> dict[str, Any] | None:
    if passage is None:
        return None
    return {"source": passage.source, "paragraph": passage.paragraph + 1, "sentence": passage.sentence + 1,
            "text": passage.text, "marks": [list(mark) for mark in passage.marks]}


def _item(verdict: Verdict) -> dict[str, Any]:
    findings = []
    for finding in verdict.findings:
        problem = to_problem(finding)
        findings.append({"severity": problem.severity.value, "message": problem.message, "hint": problem.hint,
                         "file": problem.file, "line": problem.line, "column": problem.column,
                         "field": problem.field_path})
    return {"kind": verdict.kind, "label": verdict.label, "status": verdict.status, "reason": verdict.reason,
            "source": verdict.source, **_where(verdict), "passage": _passage(verdict.passage),
            "asserted": verdict.asserted, "stated": verdict.stated, "checked": list(verdict.checked),
            "findings": findings}


def _sources(project: Project, result: FidelityResult) -> list[dict[str, Any]]:
    out = []
    for source_id, source in project.sources.items():
        text = result.texts.get(source_id)
        entry: dict[str, Any] = {"id": source_id, "title": source.title, "text": source.text, "url": source.url}
        if isinstance(text, SourceText):
            entry.update(status="checked", reason="", sha256=text.raw_sha256, paragraphs=len(text.paragraphs))
        else:
            entry.update(status="no-text" if text is None else "unreadable",
                         reason="no local text copy" if text is None else text.reason, sha256=None, paragraphs=0)
        out.append(entry)
    return out


def report_data(project: Project) -> dict[str, Any]:
    """The report as JSON-ready data (see ``report.schema.json``)."""
    result = analyse(project)
    summaries = [summary(b) for b in result.briefs]
    briefs = [{"id": b.id, "title": b.title, "summary": counts, "line": summary_line(b),
               "items": [_item(v) for v in b.verdicts]} for b, counts in zip(result.briefs, summaries, strict=True)]
    totals = {plural: {s: sum(counts[plural][s] for counts in summaries) for s in STATUSES}
              for plural in PLURALS.values()}
    source_problems = [to_problem(f) for f in result.source_findings]
    return {
        "schema": "briefing-fidelity-report/1", "tool": f"briefing {VERSION}", "project": project.config.title,
        "totals": totals, "sources": _sources(project, result),
        "source_findings": [{"severity": p.severity.value, "message": p.message, "hint": p.hint, "file": p.file,
                             "line": p.line, "column": p.column, "field": p.field_path} for p in source_problems],
        "briefs": briefs,
    }


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
:root{color-scheme:light dark;--ok:#1a7f37;--bad:#b3261e;--na:#6b6b6b;--line:#d0d7de;--mark:#fff3b0}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid var(--line)}
table{border-collapse:collapse;width:100%;margin:.8rem 0}
th,td{border-bottom:1px solid var(--line);padding:.45rem .5rem;text-align:left;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;color:#fff;font-size:.8rem;font-weight:600}
.verified{background:var(--ok)}.flagged{background:var(--bad)}.unchecked{background:var(--na)}
.where,.reason{color:var(--na);font-size:.85rem}.finding{margin:.25rem 0}.error{color:var(--bad);font-weight:600}
.warning{color:#9a6700;font-weight:600}blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid var(--line)}
mark{background:var(--mark);color:inherit}a.pn{font-weight:600;text-decoration:none;margin-right:.4rem}
a:focus{outline:3px solid #0969da;outline-offset:2px}
.totals td,.totals th{text-align:right}.totals th:first-child{text-align:left}
.source p:target{background:var(--mark)}@media (prefers-color-scheme:dark){:root{--line:#444;--mark:#5c4b00}}
.compare{font-size:.9rem}.compare b{font-weight:600}.filter{margin:1rem 0}
body:has(#flagged-only:checked) tr.item:not(.status-flagged){display:none}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _anchor(source: str, paragraph: int) -> str:
    return f"src-{source}-p{paragraph + 1}"


def _marked(text: str, marks: tuple[tuple[int, int], ...]) -> str:
    out, cursor = [], 0
    for start, end in sorted(marks):
        if start < cursor or end <= start:
            continue
        out += [_e(text[cursor:start]), "<mark>", _e(text[start:end]), "</mark>"]
        cursor = end
    out.append(_e(text[cursor:]))
    return "".join(out)


def _counts_table(counts: dict[str, dict[str, int]], caption: str) -> str:
    rows = "".join(f"<tr><th scope=row>{_e(plural.replace('_', ' '))}</th>"
                   + "".join(f"<td>{c[s]}</td>" for s in STATUSES) + "</tr>" for plural, c in counts.items())
    head = "".join(f"<th scope=col>{s}</th>" for s in STATUSES)
    return f"<table class=totals><caption>{_e(caption)}</caption><tr><th></th>{head}</tr>{rows}</table>"


def _row(item: dict[str, Any]) -> str:
    passage = item["passage"]
    cell = "<span class=reason>" + _e(item["reason"] or "no source passage") + "</span>"
    if passage is not None:
        link = f'<a class=pn href="#{_e(_anchor(passage["source"], passage["paragraph"] - 1))}">' \
               f'¶&nbsp;{passage["paragraph"]}</a>'
        marks = tuple((int(m[0]), int(m[1])) for m in passage["marks"])
        cell = f'{link}<span class=where>{_e(passage["source"])}</span><blockquote>' \
               f'{_marked(passage["text"], marks)}</blockquote>'
    findings = "".join(
        f'<div class=finding><span class={_e(f["severity"])}>{_e(f["severity"])}</span> '
        f'<span class=where>{_e(f["file"])}:{f["line"]}:{f["column"]}</span> {_e(f["message"])}'
        + (f'<div class=reason>hint: {_e(f["hint"])}</div>' if f["hint"] else "") + "</div>"
        for f in item["findings"])
    compared = ""
    if item["asserted"]:
        compared = (f'<div class=compare>brief: <b>{_e(item["asserted"])}</b>'
                    + (f' · source: <b>{_e(item["stated"])}</b>' if item["stated"] else "") + "</div>")
    if item["checked"]:
        compared += f'<div class=reason>checked: {_e(", ".join(item["checked"]))}</div>'
    status = item["status"]
    return (f'<tr class="item status-{_e(status)}"><td>{_e(item["kind"])}</td><td>{_e(item["label"])}<div class=where>'
            f'{_e(item["file"])}:{item["line"]}:{item["column"]} {_e(item["field"])}</div>{compared}</td>'
            f'<td><span class="badge {_e(status)}">{_e(status)}</span></td>'
            f"<td>{cell}{findings}</td></tr>")


def _source_section(source: dict[str, Any], text: SourceText | None, cited: set[int]) -> str:
    head = f'<h3 id="src-{_e(source["id"])}">{_e(source["title"])} <span class=where>({_e(source["id"])}' \
           f'{", " + _e(source["text"]) if source["text"] else ""})</span></h3>'
    if text is None:
        return head + f"<p class=reason>Not checked: {_e(source['reason'])}.</p>"
    paragraphs = "".join(
        f'<p id="{_e(_anchor(source["id"], i))}"><a class=pn href="#{_e(_anchor(source["id"], i))}">¶&nbsp;{i + 1}'
        f"</a>{_e(' '.join(text.paragraph_text(i).split()))}</p>" for i in sorted(cited))
    note = f"<p class=reason>The {len(cited)} of its {len(text.paragraphs)} paragraphs that items rest on; " \
           f"sha256 {_e(text.raw_sha256)}.</p>"
    return head + note + paragraphs


def report_html(project: Project) -> str:
    """A self-contained HTML page: totals, every item's verdict and passage, the cited paragraphs."""
    data = report_data(project)
    result = analyse(project)
    body = [f"<h1>Source fidelity: {_e(data['project'])}</h1>",
            f"<p class=where>{_e(data['tool'])}. Every fact, figure, quote and number in prose, checked "
            "against the local text copies of its sources.</p>",
            _counts_table(data["totals"], "All briefs"),
            "<p class=filter><label><input type=checkbox id=flagged-only> Show only flagged items</label></p>"]
    if data["source_findings"]:
        body.append("<h2>Sources</h2>" + "".join(
            f'<div class=finding><span class={_e(f["severity"])}>{_e(f["severity"])}</span> '
            f'<span class=where>{_e(f["file"])}:{f["line"]}</span> {_e(f["message"])}</div>'
            for f in data["source_findings"]))
    cited: dict[str, set[int]] = {}
    for brief in data["briefs"]:
        body.append(f'<h2 id="brief-{_e(brief["id"])}">{_e(brief["title"])}</h2>'
                    + _counts_table(brief["summary"], f"Brief {brief['id']}")
                    + "<table><tr><th scope=col>item</th><th scope=col>what</th><th scope=col>verdict</th>"
                      "<th scope=col>source passage and findings</th></tr>"
                    + "".join(_row(item) for item in brief["items"]) + "</table>")
        for item in brief["items"]:
            if item["passage"]:
                cited.setdefault(item["passage"]["source"], set()).add(item["passage"]["paragraph"] - 1)
    body.append("<h2>Source paragraphs</h2>")
    for source in data["sources"]:
        text = result.texts.get(source["id"])
        body.append(_source_section(source, text if isinstance(text, SourceText) else None,
                                    cited.get(source["id"], set())))
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>Source fidelity: {_e(data['project'])}</title><style>{_CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")


def write_report(project: Project, path: str | Path, fmt: Literal["html", "json"] = "html") -> Path:
    """Write the report for ``briefing check --report FILE [--format json]``; returns the path."""
    target = Path(path)
    if fmt == "json":
        content = json.dumps(report_data(project), indent=2, ensure_ascii=False) + "\n"
    else:
        content = report_html(project)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    return target
