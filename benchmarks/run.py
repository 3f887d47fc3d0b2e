"""Benchmarks for briefing builds: how fast, how much memory, against what baseline.

Measures, each as the median of several runs of the real command line (so
Python start-up and imports count):

* on the repository's sample project (every audience, Markdown + HTML + PDF):
  a cold build with one and with two jobs, a no-change rebuild, a rebuild
  after one theme changes, ``briefing check``, time per PDF page and peak
  memory; and, on the same print HTML, the naive pipeline (one ``weasyprint``
  command per document), the warm-engine floor (every document in one warm
  WeasyPrint process) and, where installed, ``pandoc --pdf-engine=weasyprint``;
* on a synthetic project of N briefs x 3 audiences at two sizes: time per
  brief, the speed-up from a second job, and peak memory per worker.

Every target of the "Fast builds" issue is printed with its measured value
and whether it is met.

    python benchmarks/run.py            # 5 runs each; synthetic sizes 10 and 100 briefs
    python benchmarks/run.py --quick    # 3 runs each; sizes 4 and 16; under two minutes
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "article.txt"  # the sample's source text, used when present
PYTHON = sys.executable
TIME = shutil.which("time") or "/usr/bin/time"
WARM_FLOOR = """
import sys, time, pathlib
start = time.perf_counter()
import weasyprint
imported = time.perf_counter()
base, files = sys.argv[1], sys.argv[2:]
for name in files:
    weasyprint.HTML(filename=name, base_url=base).write_pdf(name + ".pdf")
done = time.perf_counter()
print(imported - start, done - imported)
"""


def run(command: list[str], **options) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, **options)
    if result.returncode != 0:
        raise SystemExit(f"command failed ({result.returncode}): {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return result


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, the largest single process of the command's tree)."""
    start = time.perf_counter()
    result = run([TIME, "-f", "%M", *command])
    seconds = time.perf_counter() - start
    rss_kib = int(result.stderr.strip().splitlines()[-1])
    return seconds, rss_kib / 1024


def median_of(runs: int, measure: Callable[[], float], before: Callable[[], None] | None = None) -> float:
    values = []
    for _ in range(runs):
        if before is not None:
            before()
        values.append(measure())
    return statistics.median(values)


def briefing(*args: str | Path) -> list[str]:
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


def sample_figures(runs: int, work: Path) -> dict[str, float | str]:
    project = copy_sample(work / "sample")
    out = work / "sample-out"
    figures: dict[str, float | str] = {}
    for jobs in (1, 2):
        rss: list[float] = []

        def cold(jobs: int = jobs, rss: list[float] = rss) -> float:
            seconds, peak = timed(briefing("build", project, "--jobs", jobs, "--out", out))
            rss.append(peak)
            return seconds

        figures[f"cold_jobs{jobs}_s"] = median_of(runs, cold, before=lambda: clear(project, out))
        figures[f"peak_rss_jobs{jobs}_mib"] = max(rss)
    pages = pdf_pages(out)
    figures["pdf_pages"] = pages
    figures["per_page_ms"] = 1000 * float(figures["cold_jobs1_s"]) / pages
    figures["noop_s"] = median_of(runs, lambda: timed(briefing("build", project, "--out", out))[0])
    theme = next((project / "content/briefs").glob("*/themes/01-*.yaml"))
    original = theme.read_text(encoding="utf-8")
    edits = iter(range(1000))

    def touch_theme() -> None:
        theme.write_text(original.replace("takeaway: ", f"takeaway: (edit {next(edits)}) ", 1), encoding="utf-8")

    figures["one_theme_s"] = median_of(runs, lambda: timed(briefing("build", project, "--out", out))[0],
                                       before=touch_theme)
    theme.write_text(original, encoding="utf-8")
    figures["check_s"] = median_of(runs, lambda: timed(briefing("check", project))[0])
    # The fidelity checks: the same check with the source's text (the seed article, never committed), in
    # alternating runs so both see the same machine load.
    if SEED.is_file():
        text = project / "sources" / "bi-silicon-supercomputers.txt"
        text.parent.mkdir(parents=True, exist_ok=True)
        with_text, without = [], []
        for _ in range(runs):
            shutil.copy(SEED, text)
            with_text.append(timed(briefing("check", project))[0])
            text.unlink()
            without.append(timed(briefing("check", project))[0])
        figures["check_text_ratio"] = statistics.median(with_text) / statistics.median(without)

    html_files = print_html(project, work / "baseline")

    def naive() -> float:
        start = time.perf_counter()
        for path in html_files:
            run([PYTHON, "-m", "weasyprint", "-u", f"{project}/", str(path), str(path.with_suffix(".naive.pdf"))])
        return time.perf_counter() - start

    figures["naive_s"] = median_of(runs, naive)
    floors: list[tuple[float, float]] = []

    def warm() -> float:
        start = time.perf_counter()
        result = run([PYTHON, "-c", WARM_FLOOR, f"{project}/", *map(str, html_files)])
        floors.append(tuple(float(v) for v in result.stdout.split()))  # type: ignore[arg-type]
        return time.perf_counter() - start

    figures["warm_floor_s"] = median_of(runs, warm)
    figures["warm_floor_render_only_s"] = statistics.median(render for _import, render in floors)
    figures["pandoc_s"] = _pandoc(out, runs)
    return figures


def _pandoc(out: Path, runs: int) -> float | str:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        try:
            import pypandoc  # type: ignore[import-not-found]

            pandoc = pypandoc.get_pandoc_path()
        except (ImportError, OSError):
            return "not installed (pip install pypandoc-binary)"
    markdown = sorted(out.rglob("*.md"))

    def convert() -> float:
        start = time.perf_counter()
        for path in markdown:
            run([pandoc, str(path), "--pdf-engine=weasyprint", "-o", str(path.with_suffix(".pandoc.pdf"))])
        return time.perf_counter() - start

    return median_of(runs, convert)


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


def synthetic_project(root: Path, briefs: int, seed: int = 7) -> Path:
    """N briefs of four themes each, three audiences, ten sources: content in briefing's own format."""
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
        for t in range(4):
            facts = "".join(
                f"  - statement: {sentence(rng, 12)}\n    figure: {{value: {rng.randint(2, 400)}, unit: '%', "
                f"basis: claim, by: Vendor {f}}}\n    source: s{rng.randrange(10)}\n" for f in range(4))
            text = THEME.format(id=f"t{t}", title=f"Theme {t} of brief {b}", takeaway=sentence(rng, 14),
                                summary=textwrap.fill(sentence(rng, 90), 100).replace("\n", "\n  "),
                                priority=rng.choice(["critical", "high", "medium", "low"]), tag="market",
                                facts=facts, quote=sentence(rng, 8).rstrip("."), speaker=f"Person {t}",
                                source=rng.randrange(10), risk=sentence(rng, 10), action=sentence(rng, 8))
            (folder / "themes" / f"0{t}-t{t}.yaml").write_text(text)
    # Valid content: errors fail the benchmark; the synthetic sources have no text copies, so their facts
    # are reported unchecked (warnings), as a project without local copies would be.
    run(briefing("check", root))
    return root


def synthetic_figures(sizes: tuple[int, int], runs: tuple[int, int], work: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    for size, count in zip(sizes, runs, strict=True):
        project = synthetic_project(work / f"synthetic-{size}", size)
        out = work / f"synthetic-{size}-out"
        for jobs in (1, 2):
            rss: list[float] = []

            def cold(jobs: int = jobs, rss: list[float] = rss, project: Path = project, out: Path = out) -> float:
                seconds, peak = timed(briefing("build", project, "--jobs", jobs, "--out", out))
                rss.append(peak)
                return seconds

            seconds = median_of(count, cold, before=lambda project=project, out=out: clear(project, out))
            figures[f"n{size}_jobs{jobs}_per_brief_s"] = seconds / size
            figures[f"n{size}_jobs{jobs}_peak_rss_mib"] = max(rss)
    return figures


def report(sample: dict, synthetic: dict, sizes: tuple[int, int], runs: int, quick: bool) -> list[tuple]:
    def f(value: float | str, unit: str = "s") -> str:
        return value if isinstance(value, str) else f"{value:.3f} {unit}" if unit == "s" else f"{value:.0f} {unit}"

    print(f"\nSample project ({sample['pdf_pages']} PDF pages across every audience; median of {runs} runs)")
    for label, key in [("cold build, --jobs 1", "cold_jobs1_s"), ("cold build, --jobs 2", "cold_jobs2_s"),
                       ("no-change rebuild", "noop_s"), ("one-theme-change rebuild", "one_theme_s"),
                       ("briefing check", "check_s"), ("naive: one weasyprint command per document", "naive_s"),
                       ("warm-engine floor, with import", "warm_floor_s"),
                       ("warm-engine floor, rendering only", "warm_floor_render_only_s"),
                       ("pandoc --pdf-engine=weasyprint on the Markdown", "pandoc_s")]:
        print(f"  {label:48} {f(sample[key])}")
    print(f"  {'time per PDF page, --jobs 1':48} {sample['per_page_ms']:.0f} ms")
    print(f"  {'peak RSS, --jobs 1 / --jobs 2 (per process)':48} "
          f"{sample['peak_rss_jobs1_mib']:.0f} / {sample['peak_rss_jobs2_mib']:.0f} MiB")
    small, large = sizes
    print(f"\nSynthetic project, N briefs x 3 audiences (cold builds; {'1 run' if quick else f'median of {runs} runs'}"
          f"{' at the larger size' if quick else ''})")
    for size in sizes:
        rss = synthetic[f"n{size}_jobs1_peak_rss_mib"], synthetic[f"n{size}_jobs2_peak_rss_mib"]
        print(f"  N={size:<4} per brief: --jobs 1 {synthetic[f'n{size}_jobs1_per_brief_s']:.3f} s,"
              f" --jobs 2 {synthetic[f'n{size}_jobs2_per_brief_s']:.3f} s; peak RSS {rss[0]:.0f} / {rss[1]:.0f} MiB")
    if quick:
        print("  (--quick: sizes 4 and 16; the 10 and 100-brief figures need a full run)")
    jobs_ratio = sample["cold_jobs2_s"] / sample["naive_s"]
    floor_ratio = sample["cold_jobs1_s"] / sample["warm_floor_s"]
    scale = synthetic[f"n{large}_jobs1_per_brief_s"] / synthetic[f"n{small}_jobs1_per_brief_s"]
    speedup = synthetic[f"n{large}_jobs1_per_brief_s"] / synthetic[f"n{large}_jobs2_per_brief_s"]
    rss = max(v for k, v in synthetic.items() if k.endswith("rss_mib"))
    targets = [
        ("sample: --jobs 2 / naive pipeline", jobs_ratio, "<= 0.5", jobs_ratio <= 0.5),
        ("sample: --jobs 1 / warm-engine floor", floor_ratio, "<= 1.15", floor_ratio <= 1.15),
        ("sample: no-change rebuild (s)", sample["noop_s"], "<= 0.3", sample["noop_s"] <= 0.3),
        ("sample: briefing check (s)", sample["check_s"], "<= 0.3", sample["check_s"] <= 0.3),
        ("sample: check with its source text / without", sample.get("check_text_ratio", float("nan")), "< 2",
         sample.get("check_text_ratio", 0) < 2),
        (f"synthetic: per-brief time N={large} / N={small}", scale, "within 10%", abs(scale - 1) <= 0.10),
        (f"synthetic: throughput --jobs 2 / --jobs 1 at N={large}", speedup, ">= 1.8", speedup >= 1.8),
        ("synthetic: peak RSS per worker (MiB)", rss, "<= 300", rss <= 300),
    ]
    print("\nTargets")
    for name, value, target, met in targets:
        print(f"  {name:52} {value:8.3f}  target {target:10} {'met' if met else 'MISSED'}")
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller synthetic sizes")
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"), help="synthetic sizes")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()
    started = time.perf_counter()
    runs = 3 if args.quick else 5
    sizes = tuple(args.sizes) if args.sizes else ((4, 16) if args.quick else (10, 100))
    synthetic_runs = (runs, 1) if args.quick else (runs, 3)
    print(f"briefing benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}"
          f"{' (quick)' if args.quick else ''}")
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as temp:
        work = Path(temp)
        sample = sample_figures(runs, work)
        synthetic = synthetic_figures(sizes, synthetic_runs, work)  # type: ignore[arg-type]
    targets = report(sample, synthetic, sizes, runs, args.quick)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    print(f"\nWall time {elapsed:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"sample": sample, "synthetic": synthetic, "wall_s": elapsed,
                                         "targets": [list(t) for t in targets]}, indent=2))


if __name__ == "__main__":
    main()
