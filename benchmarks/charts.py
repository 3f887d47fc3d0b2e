"""Benchmark for charts: what a chart costs to render, cold and cached, and what charts cost a build without any.

Measured in one run, as ratios where the machine's speed cancels out:

* the engine's first conversion in a process (its JavaScript runtime starting) and the brand's fonts
  decoded into the cache folder, once;
* each chart then, not cached (a new specification), and cached (the drawing read back from the
  project's cache folder, as a later build in a new process does);
* the import cost charts add to a build that has no chart: ``vl_convert`` and ``fontTools.merge`` must
  not be imported at all (checked in a fresh interpreter that builds a chart-less project).

    python benchmarks/charts.py            # prints the figures
    python benchmarks/charts.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

NO_CHART_BUILD = textwrap.dedent("""
    import sys, time
    start = time.perf_counter()
    from briefing.pipeline import build
    from briefing.scaffold import create_project
    create_project(sys.argv[1])
    build(sys.argv[1], formats=["md", "html"])
    print(time.perf_counter() - start)
    print(",".join(name for name in ("vl_convert", "fontTools.merge") if name in sys.modules))
""")


def _chart(index: int):  # noqa: ANN202 - a Chart, imported lazily like the build does
    from briefing.models import Chart

    return Chart.model_validate({
        "id": f"bench-{index}", "title": "Benchmark chart", "takeaway": f"Variant {index} of a bar chart.",
        "kind": "bar", "unit": "%", "points": [
            {"label": f"Category {n} of run {index}", "value": 10 + n * 7 + index, "source": "s",
             "evidence": "four words of evidence"} for n in range(5)]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--charts", type=int, default=20, help="charts per measurement")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    options = parser.parse_args()
    from briefing.brand import Brand
    from briefing.charts import render
    from briefing.labels import Labels

    figures: dict[str, float | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        renderer = render.ChartRenderer(Brand(), Labels(), "en", cache_dir=cache)
        start = time.perf_counter()
        renderer.svg(_chart(0))
        figures["first_chart_in_process_s"] = round(time.perf_counter() - start, 3)
        cold = []
        for index in range(1, options.charts + 1):
            start = time.perf_counter()
            renderer.svg(_chart(index))
            cold.append(time.perf_counter() - start)
        render._MEMORY.clear()  # as in a new process: only the cache folder is left
        cached = []
        for index in range(1, options.charts + 1):
            start = time.perf_counter()
            renderer.svg(_chart(index))
            cached.append(time.perf_counter() - start)
        png = []
        for index in range(1, 6):
            start = time.perf_counter()
            renderer.png(_chart(index))
            png.append(time.perf_counter() - start)
        figures["chart_svg_cold_ms"] = round(statistics.median(cold) * 1000, 1)
        figures["chart_svg_cached_ms"] = round(statistics.median(cached) * 1000, 2)
        figures["cached_over_cold"] = round(statistics.median(cached) / statistics.median(cold), 3)
        figures["chart_png_print_ms"] = round(statistics.median(png) * 1000, 1)
        result = subprocess.run([sys.executable, "-c", NO_CHART_BUILD, str(Path(tmp) / "plain")],
                                capture_output=True, text=True, check=True, cwd=REPO)
        seconds, imported = result.stdout.split("\n")[:2]
        figures["chartless_build_s"] = round(float(seconds), 3)
        figures["chart_modules_imported_by_a_chartless_build"] = imported or "none"
    print(f"first chart in a process (engine start, fonts decoded): {figures['first_chart_in_process_s']} s")
    print(f"each chart after: {figures['chart_svg_cold_ms']} ms not cached, {figures['chart_svg_cached_ms']} ms "
          f"cached ({figures['cached_over_cold']} of the cold cost); print PNG {figures['chart_png_print_ms']} ms")
    print(f"a build without charts imports: {figures['chart_modules_imported_by_a_chartless_build']} "
          f"(target: none)")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
