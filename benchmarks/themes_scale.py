"""Does a build stay linear in its content? One brief of N themes, built at several sizes in one run.

Each size is a synthetic project (``run.synthetic_project``: one brief of N themes, three audiences, ten
sources) built cold with ``python -m briefing build --format md,html --jobs 1``, and checked with
``python -m briefing check``. The figure is the time per theme at each size divided by the time per theme
at the smallest size: a build linear in its content keeps it near 1 (a quadratic step doubles it with
every doubling of N). Peak RSS (GNU time) is printed beside it.

    python benchmarks/themes_scale.py                    # 500, 1000, 2000, 5000 themes (about 4 minutes)
    python benchmarks/themes_scale.py --sizes 250 500 1000
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from run import briefing, measure, synthetic_project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 5000], help="themes per brief")
    parser.add_argument("--limit", type=float, default=1.5,
                        help="largest allowed ratio of per-theme build time to the smallest size's")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefing-scale-"))
    rows = []
    try:
        for size in sorted(args.sizes):
            root = synthetic_project(work / f"themes-{size}", 1, themes=size)
            # Cold: no stamp of the generator's own check, no cache.
            shutil.rmtree(root / ".briefing", ignore_errors=True)
            check = measure(briefing("check", root))
            built = measure(briefing("build", root, "--format", "md,html", "--jobs", "1"))
            rows.append((size, built, check))
            print(f"  {size:>6} themes: build {built.wall:7.1f} s ({built.wall / size * 1000:5.1f} ms a theme, "
                  f"peak {built.rss:6.0f} MiB), check {check.wall:6.1f} s", flush=True)
            shutil.rmtree(root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base_size, base, base_check = rows[0]
    print(f"\nper-theme time / per-theme time at {base_size} themes (linear: about 1; limit {args.limit}):")
    worst = 1.0
    for size, built, check in rows:
        ratio = (built.wall / size) / (base.wall / base_size)
        check_ratio = (check.wall / size) / (base_check.wall / base_size)
        worst = max(worst, ratio)
        print(f"  {size:>6} themes: build {ratio:4.2f}  check {check_ratio:4.2f}")
    print(f"\n{'OK' if worst <= args.limit else 'OVER'}: worst build ratio {worst:.2f}")
    raise SystemExit(0 if worst <= args.limit else 1)


if __name__ == "__main__":
    main()
