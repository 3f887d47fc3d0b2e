"""Benchmark for ``briefing draft``: time to draft a 1,000-word article, after imports; and how well it drafts.

The article is built from the test articles (tests/draft/, written for the tests) repeated and varied
until it has 1,000 words, so the figure does not depend on the seed article being present; when the
seed is present (../shared/seed/article.txt) it is timed too. Each run drafts into a fresh project and
does not write (``draft`` proposes; ``Draft.write`` writes), so the time is reading, sentence splitting,
number parsing, attribution, vetting against the source and building the models.

    python benchmarks/draft.py          # prints the figures
    python benchmarks/draft.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SEED = REPO.parent / "shared" / "seed" / "article.txt"
ARTICLES = REPO / "tests" / "draft"
TARGET_WORDS = 1000
BUDGET_SECONDS = 1.0


def thousand_word_article(folder: Path) -> Path:
    """A plain-text article of about 1,000 words, from the test articles with their numbers varied."""
    from briefing.fidelity.source_text import html_to_text

    parts = [(ARTICLES / "figures.md").read_text(encoding="utf-8"), (ARTICLES / "quotes.txt").read_text("utf-8"),
             html_to_text((ARTICLES / "article.html").read_text(encoding="utf-8"))]
    paragraphs: list[str] = []
    round_ = 0
    while sum(len(p.split()) for p in paragraphs) < TARGET_WORDS:
        for part in parts:
            for paragraph in part.split("\n\n"):
                # vary numbers and names so repeated paragraphs are distinct passages
                paragraphs.append(paragraph.replace("2025", str(2025 - round_)).replace("Oslo", f"Oslo {round_}")
                                  .replace("Tampere", f"Tampere {round_}").replace("18%", f"{18 + round_}%"))
        round_ += 1
    path = folder / "thousand-words.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def time_draft(source: Path, project: Path, runs: int) -> tuple[float, float, int, int]:
    from briefing.draft import draft

    start = time.perf_counter()
    first = draft(source, project)
    cold = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        draft(source, project)
        times.append(time.perf_counter() - start)
    return cold, statistics.median(times), len(first.theme.facts), len(first.theme.quotes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    options = parser.parse_args()
    start = time.perf_counter()
    import briefing.draft  # noqa: F401 - the import cost, reported apart from drafting
    from briefing.scaffold import create_project
    imports = time.perf_counter() - start
    figures: dict[str, float | int | str] = {"import_seconds": round(imports, 3)}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        project = work / "project"
        create_project(project)
        article = thousand_word_article(work)
        words = len(article.read_text(encoding="utf-8").split())
        cold, warm, facts, quotes = time_draft(article, project, options.runs)
        figures.update({"article_words": words, "first_draft_seconds": round(cold, 3),
                        "draft_seconds_median": round(warm, 3), "facts": facts, "quotes": quotes})
        if SEED.is_file():
            seed_cold, seed_warm, seed_facts, seed_quotes = time_draft(SEED, project, options.runs)
            figures.update({"seed_words": len(SEED.read_text(encoding="utf-8").split()),
                            "seed_first_draft_seconds": round(seed_cold, 3),
                            "seed_draft_seconds_median": round(seed_warm, 3)})
    print(f"imports (briefing.draft): {imports:.3f} s")
    print(f"{words}-word article: first draft in the process {cold:.3f} s, then median {warm:.3f} s "
          f"({facts} facts, {quotes} quotes)")
    if "seed_words" in figures:
        print(f"seed article ({figures['seed_words']} words): first {figures['seed_first_draft_seconds']} s, "
              f"then median {figures['seed_draft_seconds_median']} s")
    met = cold < BUDGET_SECONDS
    print(f"target: a 1,000-word article in under {BUDGET_SECONDS:.0f} s after imports: "
          f"{'met' if met else 'MISSED'} ({cold:.3f} s, first call)")
    figures["target_met"] = "yes" if met else "no"
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
