"""Benchmark for Word and PowerPoint: cost per DOCX and per PPTX of the sample, cold and cached.

Each format is built for every audience of the sample (4 documents) in this process, with one job so
the figure is the rendering itself: cold (``force``: every document rendered, charts drawn from the
cache folder after the first build) and cached (nothing changed: the build finds every document
unchanged and renders none). Ratios are printed beside the seconds, since machines here are shared.

    python benchmarks/office.py
    python benchmarks/office.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SEED = REPO.parent / "shared" / "seed" / "article.txt"


def copy_sample(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("briefing.yaml", "brand.yaml", "content"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    if SEED.is_file():
        (target / "sources").mkdir()
        shutil.copy(SEED, target / "sources" / "bi-silicon-supercomputers.txt")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    options = parser.parse_args()
    from briefing.load import load_project
    from briefing.pipeline import build

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        project = load_project(copy_sample(Path(tmp) / "sample"))
        out = Path(tmp) / "out"
        build(project, formats=["md"], out_dir=out, jobs=1)  # warm: imports, fonts, chart engine
        for name in ("docx", "pptx"):
            cold, cached = [], []
            for _ in range(options.runs):
                start = time.perf_counter()
                result = build(project, formats=[name], out_dir=out, jobs=1, force=True)
                cold.append(time.perf_counter() - start)
                start = time.perf_counter()
                build(project, formats=[name], out_dir=out, jobs=1)
                cached.append(time.perf_counter() - start)
            documents = len(result.of_format(name))
            figures[f"{name}_cold_per_document_s"] = round(statistics.median(cold) / documents, 3)
            figures[f"{name}_cached_per_document_s"] = round(statistics.median(cached) / documents, 4)
            figures[f"{name}_cached_over_cold"] = round(statistics.median(cached) / statistics.median(cold), 3)
            print(f"{name}: {documents} documents; cold {figures[f'{name}_cold_per_document_s']} s each, cached "
                  f"{figures[f'{name}_cached_per_document_s']} s each ({figures[f'{name}_cached_over_cold']} "
                  "of cold)")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
