"""What checking against the source costs: ``briefing check`` of the sample with its source text, against the
same check with the text taken away (every fact then left unchecked), as a ratio measured in one run.

Each round runs both commands in a fresh process, in alternating order; the figure is the median of the
per-round ratios. The sample's text is the seed article, copied into a temporary project when
../shared/seed/article.txt exists; without it the orbital test project (its source text written for the
tests) is measured, and the output says so.

    python benchmarks/fidelity_speed.py            # 7 rounds
    python benchmarks/fidelity_speed.py --rounds 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "article.txt"
TARGET = 2.0


def projects(folder: Path) -> tuple[str, Path, Path]:
    """(name, project with its text, the same project without it)."""
    with_text = folder / "with-text"
    if SEED.is_file():
        with_text.mkdir()
        for name in ("briefing.yaml", "brand.yaml"):
            shutil.copy(REPO / name, with_text / name)
        shutil.copytree(REPO / "content", with_text / "content")
        (with_text / "sources").mkdir()
        shutil.copy(SEED, with_text / "sources" / "bi-silicon-supercomputers.txt")
        name = "sample (seed article)"
    else:
        shutil.copytree(REPO / "tests" / "projects" / "orbital", with_text)
        name = "orbital test project (no ../shared/seed: the sample's text is not here)"
    without = folder / "without-text"
    shutil.copytree(with_text, without)
    sources = without / "content" / "sources.yaml"
    sources.write_text("\n".join(line for line in sources.read_text(encoding="utf-8").splitlines()
                                 if not line.strip().startswith(("text:", "sha256:"))) + "\n", encoding="utf-8")
    return name, with_text, without


def timed(project: Path, report: Path) -> float:
    # --report makes check run in full every time (no 'nothing changed' answer from the stamp).
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "briefing", "check", str(project), "--report", str(report),
                    "--format", "json"], cwd=REPO, capture_output=True, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefing-speed-") as tmp:
        name, with_text, without = projects(Path(tmp))
        ratios, seconds = [], []
        for round_ in range(args.rounds):
            pair = [(with_text, "a"), (without, "b")]
            if round_ % 2:
                pair.reverse()
            times = {label: timed(project, Path(tmp) / f"{label}.json") for project, label in pair}
            ratios.append(times["a"] / times["b"])
            seconds.append((times["a"], times["b"]))
    ratio = statistics.median(ratios)
    print(f"check {name}: with its source text / without, median of {args.rounds} rounds: {ratio:.2f} "
          f"({statistics.median(s[0] for s in seconds):.2f} s vs {statistics.median(s[1] for s in seconds):.2f} s); "
          f"target <= {TARGET}: {'met' if ratio <= TARGET else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
