"""Benchmarks for briefing: the figures of "Speed where users wait", each measured as a ratio within one run.

The machine these run on is shared and noisy, so almost every figure is a ratio of two commands measured
in the same run, in alternating (rotated) rounds, and reported as the median of the per-round ratios: a
slow patch of the machine slows both sides of a round alike.  Every command is the real command line
(``python -m briefing ...`` in a subprocess), so Python start-up and imports count, as they do for a user.
Wall time is ``time.perf_counter``; CPU time is the ``resource.getrusage(RUSAGE_CHILDREN)`` delta (user +
system, every waited-for descendant); peak memory is GNU ``time -f %M`` (the largest single process of the
command's tree, so with ``--jobs 2`` the peak per process).

Figures (targets from the issue; "report" figures have none):

* sample project, cold builds: ``--jobs 2`` / the naive pipeline (one ``python -m weasyprint`` command per
  document on the exact print HTML); ``--jobs 2`` / ``--jobs 1``; ``--jobs 1`` (md+html+pdf) / ``pandoc
  --pdf-engine=weasyprint`` (pdf only) on the build's Markdown, wall and CPU; ``--jobs 2`` / pandoc;
  Typst (``pandoc --pdf-engine=typst``, whole process) / ``--jobs 1``, when ``typst`` is installed;
* no-change rebuild and ``briefing check``, each / the import floor ``python -c "import yaml, jinja2,
  pydantic"``;
* synthetic project (N briefs x 3 audiences): no-change rebuild at the large size / the sample's; cold
  ``--jobs 2`` / ``--jobs 1``; peak RSS per process at ``--jobs 2``; at the small size, seconds until the
  first progress line / total wall time;
* ``briefing serve``: seconds from a theme edit to the new HTML on disk (md,html), and to the new HTML and
  the new technical PDF with ``--format md,html,pdf`` (absolute seconds, medians over several edits).

    python benchmarks/run.py            # sizes 10 and 100 briefs; 5 rounds; about 15 minutes
    python benchmarks/run.py --quick    # sizes 4 and 10; fewer rounds; about 3 minutes on a quiet machine
    python benchmarks/run.py --json figures.json   # also write every figure (and the raw timings) as JSON

pandoc comes from PATH or the optional ``pypandoc-binary`` package (``pip install pypandoc-binary``).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TIME = shutil.which("time") or "/usr/bin/time"
IMPORT_FLOOR = [PYTHON, "-c", "import yaml, jinja2, pydantic"]
PANDOC_MISSING = "not installed (pip install pypandoc-binary)"
# Lines that show a build is under way or has written something; diagnostics (warnings with their context
# lines and hints) are not progress.
PROGRESS = re.compile(r"\b(wrote|writing|written|render(?:ed|ing)|built|building|done)\b|\[\s*\d+\s*/\s*\d+\s*\]"
                      r"|\b\d+\s*/\s*\d+\b|\d+\s*%", re.IGNORECASE)
DIAGNOSTIC = re.compile(r"\b(warning|error|hint):|^\s*\^\s*$", re.IGNORECASE)


class CommandFailed(RuntimeError):
    pass


# --- running and measuring commands ---------------------------------------------------------------------


@dataclass
class Run:
    """One measured command (or several, summed): wall seconds, CPU seconds, peak RSS of one process (MiB)."""

    wall: float
    cpu: float
    rss: float

    def __add__(self, other: Run) -> Run:
        return Run(self.wall + other.wall, self.cpu + other.cpu, max(self.rss, other.rss))


def run(command: list[str], **options) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, **options)
    if result.returncode != 0:
        raise CommandFailed(f"command failed ({result.returncode}): {' '.join(command)}\n"
                            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str], **options) -> Run:
    """Run ``command`` under GNU time: wall, CPU (getrusage of the children, as a delta) and peak RSS."""
    cpu = _cpu_children()
    start = time.perf_counter()
    result = run([TIME, "-f", "%M", *command], **options)
    wall = time.perf_counter() - start
    cpu = _cpu_children() - cpu
    rss_kib = int(result.stderr.strip().splitlines()[-1])
    return Run(wall, cpu, rss_kib / 1024)


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, the largest single process of the command's tree)."""
    result = measure(command)
    return result.wall, result.rss


def total(runs: list[Run]) -> Run:
    out = Run(0.0, 0.0, 0.0)
    for one in runs:
        out = out + one
    return out


def alternate(rounds: int, contenders: dict[str, Callable[[], Run]],
              before: dict[str, Callable[[], None]] | None = None, label: str = "") -> dict[str, list[Run]]:
    """Measure every contender once per round, rotating the order each round so none always goes first."""
    names = list(contenders)
    results: dict[str, list[Run]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            if before and name in before:
                before[name]()
            results[name].append(contenders[name]())
        if label:
            progress(f"{label}: round {index + 1}/{rounds} done")
    return results


def paired(results: dict[str, list[Run]], top: str, bottom: str, attribute: str = "wall") -> float:
    """The median over rounds of top/bottom, each round's pair measured back to back."""
    return statistics.median(getattr(a, attribute) / getattr(b, attribute)
                             for a, b in zip(results[top], results[bottom], strict=True))


def med(results: dict[str, list[Run]], name: str, attribute: str = "wall") -> float:
    return statistics.median(getattr(one, attribute) for one in results[name])


def progress(text: str) -> None:
    print(f"  .. {text}", flush=True)


# --- projects -----------------------------------------------------------------------------------------


def briefing(*args: str | Path | int) -> list[str]:
    return [PYTHON, "-m", "briefing", *map(str, args)]


def copy_sample(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("briefing.yaml", "brand.yaml", "content"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


def clear(project: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(project / ".briefing", ignore_errors=True)


def pdf_pages(out: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(path).pages) for path in out.rglob("*.pdf"))


def print_html(project: Path, target: Path) -> list[Path]:
    """The exact HTML the build hands the PDF engine, one file per audience and brief."""
    from briefing.load import load_project
    from briefing.pipeline import render_requests
    from briefing.registry import FORMATS
    from briefing.select import make_target

    loaded = load_project(project)
    target.mkdir(parents=True, exist_ok=True)
    files = []
    pdf = FORMATS.get("pdf")
    targets = [make_target(loaded, audience) for audience in loaded.audiences]
    for fmt, request in render_requests(loaded, targets, [pdf]):
        path = target / f"{request.view.target.id}-{request.view.id}.html"
        path.write_text(fmt.job(request).html, encoding="utf-8")  # type: ignore[attr-defined]
        files.append(path)
    return files


def naive(project: Path, html_files: list[Path]) -> Run:
    """The naive pipeline: one ``python -m weasyprint`` command per document, one after another."""
    return total([measure([PYTHON, "-m", "weasyprint", "-u", f"{project}/", str(path),
                           str(path.with_suffix(".naive.pdf"))]) for path in html_files])


THEME = """\
id: {id}
title: {title}
takeaway: {takeaway}
summary: |
  {summary}
priority: {priority}
tags: [{tag}]
facts:
{facts}
quotes:
  - text: {quote}
    speaker: {speaker}
    role: Analyst
    source: s{source}
risks:
  - risk: {risk}
    likelihood: medium
    impact: high
    mitigation: Review quarterly.
recommendations:
  - action: {action}
    rationale: It keeps options open.
    horizon: next-quarter
    owner: CTO
"""
WORDS = ["chip", "supply", "cluster", "cloud", "model", "training", "inference", "price", "cost", "vendor",
         "lock-in", "capacity", "energy", "data", "network", "memory", "software", "compiler", "roadmap",
         "contract", "margin", "demand", "buyer", "leverage", "risk", "portfolio"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def synthetic_project(root: Path, briefs: int, seed: int = 7, themes: int = 4) -> Path:
    """N briefs of ``themes`` themes each, three audiences, ten sources: content in briefing's own format."""
    rng = random.Random(seed)
    (root / "content/audiences").mkdir(parents=True)
    (root / "briefing.yaml").write_text("title: Synthetic series\nauthor: Bench\norganisation: Bench Co\n"
                                        "classification: Internal\naudiences: [executive, technical, board]\n")
    sources = "".join(f"  - id: s{i}\n    title: Source {i}\n    publisher: Publisher {i}\n"
                      f"    date: 2025-01-{i + 1:02d}\n" for i in range(10))
    (root / "content/sources.yaml").write_text("sources:\n" + sources)
    profiles = {
        "executive": "name: Executive\ndescription: Leaders.\nthemes: {order: priority, limit: 3}\ndepth: takeaway\n"
                     "sections: [facts, recommendations]\npdf: {cover: false, contents: false}\n",
        "technical": "name: Technical\ndescription: Engineers.\n",
        "board": "name: Board\ndescription: Directors.\nsections: [summary, risks, recommendations]\n",
    }
    for name, text in profiles.items():
        (root / f"content/audiences/{name}.yaml").write_text(text)
    for b in range(briefs):
        folder = root / f"content/briefs/brief-{b:03d}"
        (folder / "themes").mkdir(parents=True)
        (folder / "brief.yaml").write_text(f"title: Brief {b}\ndate: 2025-02-{b % 28 + 1:02d}\n"
                                           f"summary: {sentence(rng, 40)}\nsources: [s{b % 10}]\n")
        for t in range(themes):
            facts = "".join(
                f"  - statement: {sentence(rng, 12)}\n    figure: {{value: {rng.randint(2, 400)}, unit: '%', "
                f"basis: claim, by: Vendor {f}}}\n    source: s{rng.randrange(10)}\n" for f in range(4))
            text = THEME.format(id=f"t{t}", title=f"Theme {t} of brief {b}", takeaway=sentence(rng, 14),
                                summary=textwrap.fill(sentence(rng, 90), 100).replace("\n", "\n  "),
                                priority=rng.choice(["critical", "high", "medium", "low"]), tag="market",
                                facts=facts, quote=sentence(rng, 8).rstrip("."), speaker=f"Person {t}",
                                source=rng.randrange(10), risk=sentence(rng, 10), action=sentence(rng, 8))
            (folder / "themes" / f"{t:04d}-t{t}.yaml").write_text(text)
    # Valid content: errors fail the benchmark; the synthetic sources have no text copies, so their facts
    # are reported unchecked (warnings), as a project without local copies would be.
    run(briefing("check", root))
    return root


# --- figures ------------------------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: float | str | None = None  # a string: why there is no number (not installed, n/a, failed)
    unit: str = "x"  # "x": a ratio; "s": absolute seconds; "MiB"
    limit: float | None = None  # the target is value <= limit; None: report only
    target: str = "report"
    detail: str = ""
    hint: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        if not isinstance(self.value, float | int):
            return "n/a"
        if self.limit is None:
            return "report"
        return "met" if self.value <= self.limit else "MISSED"

    def shown(self) -> str:
        if self.value is None:
            return "not measured"
        if isinstance(self.value, str):
            return self.value
        return {"x": f"{self.value:.2f}x", "s": f"{self.value:.3f} s", "MiB": f"{self.value:.0f} MiB"}[self.unit]


def failed(figures: list[Figure], error: BaseException) -> None:
    """Mark every figure of a section that raised as failed, keeping the ones already measured."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    for figure in figures:
        if figure.value is None:
            figure.value = f"failed: {first[:140]}"


def find_pandoc() -> str | None:
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc  # type: ignore[import-not-found]

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None
    return path if path and Path(path).is_file() else shutil.which(path or "")


def converter(tool: str, engine: str, markdown: Callable[[], list[Path]]) -> Callable[[], Run]:
    """``pandoc x.md -o x.pdf --pdf-engine=ENGINE`` for every Markdown file, each in its own folder (so the
    relative chart images resolve), with this Python's scripts (weasyprint) first on PATH."""
    env = {**os.environ, "PATH": f"{Path(PYTHON).parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    def convert() -> Run:
        return total([measure([tool, path.name, f"--pdf-engine={engine}", "-o", f"{path.stem}.{engine}.pdf"],
                              cwd=path.parent, env=env) for path in markdown()])

    return convert


def _top_imports(command: list[str]) -> dict[str, int]:
    """Microseconds per top-level import of ``command`` (a Python command line), from ``-X importtime``."""
    try:
        result = subprocess.run([PYTHON, "-X", "importtime", *command[1:]], capture_output=True, text=True,
                                timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    top: dict[str, int] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:"):].split("|")
        if len(name) - len(name.lstrip()) == 1:  # top level: one space of indentation
            top[name.strip()] = top.get(name.strip(), 0) + int(cumulative)
    return top


def import_hint(command: list[str], wall: float) -> str:
    """Where a short command's time goes: its largest top-level imports beyond the interpreter's own start-up."""
    startup = _top_imports([PYTHON, "-c", "pass"])
    top = {name: us for name, us in _top_imports(command).items() if name not in startup}
    if not top:
        return ""
    spent = sum(top.values())
    largest = [item for item in sorted(top.items(), key=lambda item: -item[1])[:4] if 100 * item[1] >= spent]
    return (f"{wall * 1000:.0f} ms in all; its imports beyond start-up ({spent / 1000:.0f} ms under -X importtime): "
            + ", ".join(f"{name} {100 * us / spent:.0f}%" for name, us in largest))


def cpu_hint(results: dict[str, list[Run]], parallel: str, serial: str) -> str:
    cpu = med(results, parallel, "cpu") / med(results, serial, "cpu")
    busy = med(results, parallel, "cpu") / med(results, parallel)
    return (f"--jobs 2 used {cpu:.2f}x the CPU of --jobs 1 and kept {busy:.2f} of 2 cores busy on average"
            f" (--jobs 1: {med(results, serial, 'cpu') / med(results, serial):.2f})")


def sample_section(rounds: int, cheap_rounds: int, work: Path, raw: dict, warm_up: bool) -> list[Figure]:
    naive_fig = Figure("jobs2_over_naive", "sample: cold --jobs 2 / naive (weasyprint per document)",
                       target="report (was <= 0.5)")
    jobs_fig = Figure("jobs2_over_jobs1", "sample: cold --jobs 2 / --jobs 1", limit=0.65, target="<= 0.65")
    pandoc_wall = Figure("jobs1_over_pandoc_wall", "sample: --jobs 1 (md+html+pdf) / pandoc (pdf), wall")
    pandoc_cpu = Figure("jobs1_over_pandoc_cpu", "sample: --jobs 1 (md+html+pdf) / pandoc (pdf), CPU")
    pandoc_j2 = Figure("jobs2_over_pandoc", "sample: --jobs 2, all formats / pandoc's PDFs", limit=0.5,
                       target="<= 0.5")
    typst_fig = Figure("typst_over_jobs1", "sample: Typst via pandoc (whole process) / --jobs 1")
    noop_fig = Figure("noop_over_import_floor", "sample: no-change rebuild / import floor", limit=1.5,
                      target="<= 1.5")
    check_fig = Figure("check_over_import_floor", "sample: check / import floor", limit=1.5, target="<= 1.5")
    figures = [naive_fig, jobs_fig, pandoc_wall, pandoc_cpu, pandoc_j2, typst_fig, noop_fig, check_fig]
    try:
        _sample(rounds, cheap_rounds, work, raw, figures, warm_up)
    except Exception as error:  # noqa: BLE001 - report the section as failed, keep the other sections
        failed(figures, error)
    return figures


def _sample(rounds: int, cheap_rounds: int, work: Path, raw: dict, figures: list[Figure], warm_up: bool) -> None:
    naive_fig, jobs_fig, pandoc_wall, pandoc_cpu, pandoc_j2, typst_fig, noop_fig, check_fig = figures
    project = copy_sample(work / "sample")
    out = work / "sample-out"
    if warm_up:  # an untimed cold build first, to warm the disk cache (skipped by --quick)
        run(briefing("build", project, "--jobs", 1, "--out", out))
    # pandoc and Typst convert a copy of a build's Markdown (and charts): the first round's --jobs 1 build runs
    # before them, and the output folder is cleared before every cold build.
    markdown_copy = work / "sample-markdown"
    markdown: list[Path] = []

    def build_markdown() -> list[Path]:
        if not markdown:
            shutil.copytree(out, markdown_copy)
            markdown.extend(sorted(markdown_copy.rglob("*.md")))
        return markdown

    contenders: dict[str, Callable[[], Run]] = {
        "jobs1": lambda: measure(briefing("build", project, "--jobs", 1, "--out", out)),
        "jobs2": lambda: measure(briefing("build", project, "--jobs", 2, "--out", out)),
    }
    before = {"jobs1": lambda: clear(project, out), "jobs2": lambda: clear(project, out)}
    try:
        html_files = print_html(project, work / "baseline")
        contenders["naive"] = lambda: naive(project, html_files)
    except Exception as error:  # noqa: BLE001 - briefing's internals may move; the figure says so
        naive_fig.value = f"n/a (print HTML: {type(error).__name__}: {str(error)[:80]})"
    pandoc = find_pandoc()
    typst = shutil.which("typst")
    if pandoc is None:
        for figure in (pandoc_wall, pandoc_cpu, pandoc_j2):
            figure.value = PANDOC_MISSING
    else:
        contenders["pandoc"] = converter(pandoc, "weasyprint", build_markdown)
    if typst is None:
        typst_fig.value = "not installed (typst not on PATH)"
    elif pandoc is None:
        typst_fig.value = "n/a (needs pandoc to convert the Markdown)"
    else:
        contenders["typst"] = converter(pandoc, "typst", build_markdown)
    results = alternate(rounds, contenders, before, label="sample cold builds")
    raw["sample_pdf_pages"] = pdf_pages(out)  # the last cold build's
    raw["sample"] = {name: [asdict(one) for one in runs] for name, runs in results.items()}
    for name in results:
        raw[f"sample_{name}_median"] = {"wall": med(results, name), "cpu": med(results, name, "cpu"),
                                        "rss": max(one.rss for one in results[name])}
    raw["sample_per_page_ms_jobs1"] = 1000 * med(results, "jobs1") / max(1, raw["sample_pdf_pages"])

    def secs(name: str, attribute: str = "wall") -> str:
        return f"{med(results, name, attribute):.2f} s"

    if "naive" in results:
        naive_fig.value = paired(results, "jobs2", "naive")
        naive_fig.detail = (f"--jobs 2 {secs('jobs2')} vs naive {secs('naive')}; "
                            f"earlier target 0.5 {'met' if naive_fig.value <= 0.5 else 'not met'}")
    jobs_fig.value = paired(results, "jobs2", "jobs1")
    jobs_fig.detail = f"--jobs 2 {secs('jobs2')} vs --jobs 1 {secs('jobs1')}; {raw['sample_pdf_pages']} PDF pages"
    jobs_fig.hint = cpu_hint(results, "jobs2", "jobs1")
    if "pandoc" in results:
        pandoc_wall.value = paired(results, "jobs1", "pandoc")
        pandoc_wall.detail = f"--jobs 1 {secs('jobs1')} vs pandoc {secs('pandoc')} ({len(markdown)} PDFs)"
        pandoc_cpu.value = paired(results, "jobs1", "pandoc", "cpu")
        pandoc_cpu.detail = f"--jobs 1 {secs('jobs1', 'cpu')} CPU vs pandoc {secs('pandoc', 'cpu')} CPU"
        pandoc_j2.value = paired(results, "jobs2", "pandoc")
        pandoc_j2.detail = f"--jobs 2 {secs('jobs2')} vs pandoc {secs('pandoc')}"
        pandoc_j2.hint = cpu_hint(results, "jobs2", "jobs1")
    if "typst" in results:
        typst_fig.value = paired(results, "typst", "jobs1")
        typst_fig.detail = f"typst {secs('typst')} vs --jobs 1 {secs('jobs1')} ({len(markdown)} PDFs)"

    # No-change rebuild and check against the import floor: cheap, so more rounds.
    noop = briefing("build", project, "--out", out)
    check = briefing("check", project)
    run(noop)  # warm-up: the outputs are on disk after the last cold build; this one records nothing new
    cheap = alternate(cheap_rounds, {"floor": lambda: measure(IMPORT_FLOOR), "noop": lambda: measure(noop),
                                     "check": lambda: measure(check)})
    raw["sample_cheap"] = {name: [asdict(one) for one in runs] for name, runs in cheap.items()}
    for name in cheap:
        raw[f"sample_{name}_median"] = {"wall": med(cheap, name), "cpu": med(cheap, name, "cpu")}
    floor = med(cheap, "floor")
    noop_fig.value = paired(cheap, "noop", "floor")
    noop_fig.detail = f"no-op {med(cheap, 'noop') * 1000:.0f} ms vs import floor {floor * 1000:.0f} ms"
    check_fig.value = paired(cheap, "check", "floor")
    check_fig.detail = f"check {med(cheap, 'check') * 1000:.0f} ms vs import floor {floor * 1000:.0f} ms"
    for figure, command, name in ((noop_fig, noop, "noop"), (check_fig, check, "check")):
        if figure.status == "MISSED":
            figure.hint = import_hint(command, med(cheap, name))


def large_section(size: int, rounds: int, noop_rounds: int, work: Path, raw: dict) -> list[Figure]:
    noop_fig = Figure("noop_large_over_sample", f"{size} briefs: no-change rebuild / sample's", limit=2.0,
                      target="<= 2")
    jobs_fig = Figure("large_jobs2_over_jobs1", f"{size} briefs x 3 audiences: cold --jobs 2 / --jobs 1",
                      limit=0.55, target="<= 0.55")
    rss_fig = Figure("large_peak_rss_jobs2", f"{size} briefs: peak RSS per process, --jobs 2", unit="MiB",
                     limit=200.0, target="<= 200 MiB")
    figures = [noop_fig, jobs_fig, rss_fig]
    try:
        project = synthetic_project(work / f"synthetic-{size}", size)
        out = work / f"synthetic-{size}-out"
        results = alternate(rounds, {
            "jobs1": lambda: measure(briefing("build", project, "--jobs", 1, "--out", out)),
            "jobs2": lambda: measure(briefing("build", project, "--jobs", 2, "--out", out)),
        }, {"jobs1": lambda: clear(project, out), "jobs2": lambda: clear(project, out)},
            label=f"{size}-brief cold builds")
        raw[f"synthetic_{size}"] = {name: [asdict(one) for one in runs] for name, runs in results.items()}
        jobs_fig.value = paired(results, "jobs2", "jobs1")
        throughput = 1 / jobs_fig.value
        jobs_fig.detail = (f"--jobs 2 {med(results, 'jobs2'):.1f} s vs --jobs 1 {med(results, 'jobs1'):.1f} s; "
                           f"throughput {throughput:.2f}x; {1000 * med(results, 'jobs1') / size:.0f} ms per brief"
                           f" at --jobs 1")
        jobs_fig.extra = {"throughput_ratio": throughput}
        jobs_fig.hint = cpu_hint(results, "jobs2", "jobs1")
        rss_fig.value = max(one.rss for one in results["jobs2"])
        rss_fig.detail = f"--jobs 1 peak {max(one.rss for one in results['jobs1']):.0f} MiB"
        # The no-change rebuild, in the output folder of the last cold build, paired with the sample's.
        sample, sample_out = work / "sample", work / "sample-out"
        noop = briefing("build", project, "--out", out)
        run(noop)  # warm-up
        if not (sample_out / "index.html").exists():
            run(briefing("build", sample, "--out", sample_out))
        noops = alternate(noop_rounds, {"large": lambda: measure(noop),
                                        "sample": lambda: measure(briefing("build", sample, "--out", sample_out))})
        raw[f"synthetic_{size}_noop"] = {name: [asdict(one) for one in runs] for name, runs in noops.items()}
        noop_fig.value = paired(noops, "large", "sample")
        per_brief = 1000 * med(noops, "large") / size
        noop_fig.detail = (f"{med(noops, 'large') * 1000:.0f} ms vs {med(noops, 'sample') * 1000:.0f} ms; "
                           f"{per_brief:.1f} ms per brief")
        noop_fig.extra = {"ms_per_brief": per_brief}
    except Exception as error:  # noqa: BLE001
        failed(figures, error)
    return figures


def first_output(command: list[str]) -> tuple[float | None, float, str]:
    """Seconds until the first progress line on stdout or stderr, the command's total seconds, and the line."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # as on a terminal: lines appear as they are written
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    seen: dict[str, tuple[float, str]] = {}
    lock = threading.Lock()
    tails: list[str] = []

    def read(stream) -> None:  # noqa: ANN001
        for line in iter(stream.readline, b""):
            now = time.perf_counter() - start
            text = line.decode("utf-8", errors="replace").rstrip()
            with lock:
                tails.append(text)
                if "progress" not in seen and PROGRESS.search(text) and not DIAGNOSTIC.search(text):
                    seen["progress"] = (now, text.strip())

    readers = [threading.Thread(target=read, args=(stream,), daemon=True) for stream in (proc.stdout, proc.stderr)]
    for reader in readers:
        reader.start()
    code = proc.wait()
    for reader in readers:
        reader.join()
    wall = time.perf_counter() - start
    if code != 0:
        raise CommandFailed(f"command failed ({code}): {' '.join(command)}\n" + "\n".join(tails[-20:]))
    first, line = seen.get("progress", (None, ""))
    return first, wall, line


def first_line_section(size: int, runs: int, work: Path, raw: dict) -> list[Figure]:
    figure = Figure("first_output_over_wall", f"{size}-brief build --jobs 2: first progress line / wall")
    try:
        project = synthetic_project(work / f"first-{size}", size)
        out = work / f"first-{size}-out"
        measured = []
        for _ in range(runs):
            clear(project, out)
            measured.append(first_output(briefing("build", project, "--jobs", 2, "--out", out)))
        raw["first_output"] = [{"first_s": first, "wall_s": wall, "line": line} for first, wall, line in measured]
        ratios = [first / wall for first, wall, _line in measured if first is not None]
        if not ratios:
            figure.value = "n/a (no progress line seen)"
        else:
            figure.value = statistics.median(ratios)
            firsts = [first for first, _wall, _line in measured if first is not None]
            figure.detail = (f"first line after {statistics.median(firsts):.2f} s of "
                             f"{statistics.median(wall for _f, wall, _l in measured):.2f} s: "
                             f"{measured[0][2].replace(str(work), '')[:60]!r}")
    except Exception as error:  # noqa: BLE001
        failed([figure], error)
    return [figure]


# --- serve --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _pdf_has(path: Path, marker: str) -> bool | None:
    """Whether the PDF's text shows the marker; None when the PDF cannot be read (yet)."""
    try:
        from pypdf import PdfReader

        text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    except Exception:  # noqa: BLE001 - a half-written or unreadable PDF
        return None
    number = re.escape(marker.strip("()").split()[-1])
    return re.search(rf"\(\s*edit\s+{number}\s*\)", " ".join(text.split())) is not None


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server (its own process group), then kill it if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def serve_session(work: Path, tag: str, formats: str, edits: int, want_pdf: bool,
                  help_text: str) -> tuple[list[float | None], list[float | None], dict]:
    """Start ``briefing serve``, wait for its first build, then edit a theme ``edits`` times and time how long
    each edit takes to reach the output HTML (and the technical PDF) on disk."""
    project = copy_sample(work / f"serve-{tag}")
    port = free_port()
    command = briefing("serve", project, "--port", port)
    out = project / "output"
    if "--out" in help_text:
        out = work / f"serve-{tag}-out"
        command += ["--out", str(out)]
    if "--format" in help_text:
        command += ["--format", formats]
    for flag in ("--no-browser", "--no-open"):
        if flag in help_text:
            command.append(flag)
    theme = sorted((project / "content/briefs").glob("*/themes/*.yaml"))[0]
    brief = theme.parent.parent.name
    original = theme.read_text(encoding="utf-8")
    match = re.search(r"^takeaway: *(.+)$", original, re.MULTILINE)
    if match is None or match.group(1)[0] in "'\"|>":
        raise CommandFailed(f"no plain 'takeaway:' line to edit in {theme.name}")
    takeaway = match.group(1)
    log_path = work / f"serve-{tag}.log"
    info: dict = {"command": " ".join(command[2:])}
    html_times: list[float | None] = []
    pdf_times: list[float | None] = []
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            started = time.perf_counter()
            page: Path | None = None
            while page is None or (want_pdf and not page.with_suffix(".pdf").exists()):
                if proc.poll() is not None:
                    raise CommandFailed(f"serve exited ({proc.returncode}): {_read(log_path)[-300:]}")
                if time.perf_counter() - started > 240:
                    raise CommandFailed("serve wrote no first build within 240 s")
                pages = sorted(out.glob(f"*/{brief}.html"), key=lambda p: p.parent.name != "technical")
                page = next((p for p in pages if html.escape(takeaway[:40], quote=False) in _read(p)),
                            pages[0] if pages else None)
                time.sleep(0.05)
            info["first_build_s"] = time.perf_counter() - started
            while True:  # listening means the watcher has been started too
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                if proc.poll() is not None or time.perf_counter() - started > 300:
                    raise CommandFailed(f"serve is not listening: {_read(log_path)[-300:]}")
                time.sleep(0.05)
            time.sleep(1.0)  # let the watcher settle before the first edit
            pdf = page.with_suffix(".pdf")
            info["page"] = str(page.relative_to(out))
            for number in range(1, edits + 1):
                marker = f"(edit {number})"
                old_pdf = _mtime(pdf)
                edited = original.replace(match.group(0), f"takeaway: {takeaway} {marker}", 1)
                theme.write_text(edited, encoding="utf-8")
                edit_at = time.perf_counter()
                html_at: float | None = None
                pdf_at: float | None = None
                deadline = edit_at + (60 if want_pdf else 30)
                while time.perf_counter() < deadline and (html_at is None or (want_pdf and pdf_at is None)):
                    now = time.perf_counter()
                    if html_at is None and marker in _read(page):
                        html_at = now - edit_at
                    if want_pdf and pdf_at is None and _mtime(pdf) not in (old_pdf, None):
                        verified = _pdf_has(pdf, marker)
                        if verified is None:  # mid-write: look again
                            time.sleep(0.05)
                            verified = _pdf_has(pdf, marker)
                        if verified:
                            pdf_at = now - edit_at
                        else:
                            old_pdf = _mtime(pdf)  # a different rebuild's PDF: wait for the next one
                    if proc.poll() is not None:
                        raise CommandFailed(f"serve exited ({proc.returncode}): {_read(log_path)[-300:]}")
                    time.sleep(0.01)
                html_times.append(html_at)
                pdf_times.append(pdf_at)
                time.sleep(0.6 if not want_pdf else 1.0)  # let that rebuild finish before the next edit
        finally:
            theme.write_text(original, encoding="utf-8")
            _stop(proc)
    return html_times, pdf_times, info


def _latency(figure: Figure, times: list[float | None]) -> None:
    good = [value for value in times if value is not None]
    if len(good) <= len(times) // 2:
        figure.value = f"n/a (seen after {len(good)} of {len(times)} edits)"
        return
    figure.value = statistics.median(good)
    figure.detail = (f"{len(good)}/{len(times)} edits; min {min(good):.3f} s, max {max(good):.3f} s; "
                     "edit -> file on disk")


def serve_section(edits: int, pdf_edits: int, work: Path, raw: dict) -> list[Figure]:
    html_fig = Figure("serve_html_s", "serve (md,html): edit -> new HTML on disk", unit="s", limit=0.3,
                      target="<= 0.3 s")
    pdf_html_fig = Figure("serve_pdf_html_s", "serve (md,html,pdf): edit -> new HTML on disk", unit="s",
                          limit=0.3, target="<= 0.3 s")
    pdf_fig = Figure("serve_pdf_s", "serve (md,html,pdf): edit -> new technical PDF", unit="s", limit=2.0,
                     target="<= 2 s")
    figures = [html_fig, pdf_html_fig, pdf_fig]
    try:
        help_text = run(briefing("serve", REPO, "--help")).stdout
    except CommandFailed as error:
        failed(figures, error)
        return figures
    raw["serve"] = {}
    try:
        html_times, _pdf, info = serve_session(work, "html", "md,html", edits, False, help_text)
        raw["serve"]["md,html"] = {"html_s": html_times, **info}
        _latency(html_fig, html_times)
    except Exception as error:  # noqa: BLE001
        failed([html_fig], error)
    if "--format" not in help_text:
        pdf_html_fig.value = pdf_fig.value = "n/a (serve has no --format)"
        return figures
    try:
        html_times, pdf_times, info = serve_session(work, "pdf", "md,html,pdf", pdf_edits, True, help_text)
        raw["serve"]["md,html,pdf"] = {"html_s": html_times, "pdf_s": pdf_times, **info}
        _latency(pdf_html_fig, html_times)
        _latency(pdf_fig, pdf_times)
    except Exception as error:  # noqa: BLE001
        failed([pdf_html_fig, pdf_fig], error)
    return figures


# --- report -------------------------------------------------------------------------------------------


def report(figures: list[Figure]) -> None:
    width = max(len(figure.label) for figure in figures)
    print(f"\n{'figure':{width}}  {'value':>9}  {'target':20} status")
    print("-" * (width + 42))
    for figure in figures:
        value = figure.shown()
        if len(value) > 9:  # a reason, not a number: on its own line's end
            print(f"{figure.label:{width}}  {'':>9}  {figure.target:20} {value}")
        else:
            print(f"{figure.label:{width}}  {value:>9}  {figure.target:20} {figure.status}")
        if figure.detail:
            print(f"{'':{width}}    {figure.detail}")
        if figure.hint and figure.status == "MISSED":
            print(f"{'':{width}}    hint: {figure.hint}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller synthetic sizes (~3 min)")
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"),
                        help="synthetic sizes in briefs (default 10 100; --quick: 4 10)")
    parser.add_argument("--rounds", type=int, help="rounds of the sample's cold builds (default 5; --quick: 2)")
    parser.add_argument("--large-rounds", type=int, help="rounds of the large synthetic cold builds (default 1)")
    parser.add_argument("--edits", type=int, help="edits per serve session (default 7; --quick: 4, and 3 with pdf)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()
    started = time.perf_counter()
    rounds = args.rounds or (2 if args.quick else 5)
    cheap_rounds = 5 if args.quick else 9
    small, large = args.sizes or ((4, 10) if args.quick else (10, 100))
    large_rounds = args.large_rounds or 1
    edits = args.edits or (4 if args.quick else 7)
    first_runs = 1 if args.quick else 3
    print(f"briefing benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}"
          f"{' (quick)' if args.quick else ''}: sample {rounds} rounds, cheap commands {cheap_rounds}, "
          f"synthetic {small} and {large} briefs ({large_rounds} round{'s' if large_rounds > 1 else ''} at "
          f"{large}), serve {edits} edits", flush=True)
    raw: dict = {}
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as temp:
        work = Path(temp)
        sections: list[tuple[str, Callable[[], list[Figure]]]] = [
            ("sample", lambda: sample_section(rounds, cheap_rounds, work, raw, warm_up=not args.quick)),
            ("serve", lambda: serve_section(edits, min(edits, 3) if args.quick else edits, work, raw)),
            ("first line", lambda: first_line_section(small, first_runs, work, raw)),
            ("large", lambda: large_section(large, large_rounds, cheap_rounds, work, raw)),
        ]
        for name, section in sections:
            section_start = time.perf_counter()
            figures += section()
            progress(f"{name} section: {time.perf_counter() - section_start:.0f} s")
    order = ["jobs2_over_naive", "jobs2_over_jobs1", "jobs1_over_pandoc_wall", "jobs1_over_pandoc_cpu",
             "jobs2_over_pandoc", "typst_over_jobs1", "noop_over_import_floor", "check_over_import_floor",
             "noop_large_over_sample", "large_jobs2_over_jobs1", "serve_html_s", "serve_pdf_html_s", "serve_pdf_s",
             "large_peak_rss_jobs2", "first_output_over_wall"]
    figures.sort(key=lambda figure: order.index(figure.key) if figure.key in order else len(order))
    report(figures)
    elapsed = time.perf_counter() - started
    missed = [figure.key for figure in figures if figure.status == "MISSED"]
    print(f"\n{sum(f.status == 'met' for f in figures)} met, {len(missed)} missed; wall time {elapsed:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({
            "quick": args.quick, "cores": os.cpu_count(), "python": sys.version.split()[0],
            "sizes": [small, large], "rounds": rounds, "cheap_rounds": cheap_rounds, "large_rounds": large_rounds,
            "edits": edits, "wall_s": elapsed,
            "figures": [{"key": f.key, "label": f.label, "value": f.value, "unit": f.unit, "target": f.target,
                         "limit": f.limit, "status": f.status, "detail": f.detail, "hint": f.hint, **f.extra}
                        for f in figures],
            "raw": raw,
        }, indent=2))


if __name__ == "__main__":
    main()
