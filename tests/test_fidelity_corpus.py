"""The source check and the draft on the corpus (tests/corpus: articles written for the tests, answer keys
written before the tool ran on them). benchmarks/fidelity.py prints the same figures per kind.

The ``tune`` split is what the rules were tuned on; the ``holdout`` split was written after them and never
tuned on: its floors are what the tool measured on first contact, held so that no change makes it worse.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from corpus import load_corpus  # noqa: E402
from fidelity import run, summarise  # noqa: E402


@pytest.fixture(scope="module")
def figures() -> dict[str, dict]:
    briefs, drafts = run(load_corpus(), jobs=2)
    out = {}
    for split in ("tune", "holdout"):
        out[split] = summarise([b for b in briefs if b.split == split], [d for d in drafts if d.split == split])
    return out


def test_the_corpus_is_large_and_varied():
    articles = load_corpus()
    assert len(articles) >= 12
    assert sum(a.has_brief for a in articles) >= 4
    assert {a.language for a in articles} >= {"en", "fr"}
    assert len({a.topic for a in articles}) >= 12
    for article in articles:
        if article.has_brief:
            assert len(article.paraphrases) >= 20 and len(article.plants) >= 40, article.slug


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


# (split, floor): what each split measured when the floors were set (benchmarks/fidelity.py prints them); the
# holdout's on first contact (tests/corpus/README.md says which round). Both are regression guards: where a figure
# is under the target, the target is the work left (see the closing note of the issue).
FLOORS = {
    "tune": dict(errors=0, strict_per_10=0.75, paraphrase_errors=0.021, plants=0.84, statement=0.73, recall=0.96,
                 precision=0.99, unit=0.94, currency=0.99, bound=0.99, speakers=0.95, wrong=4),
    "holdout": dict(errors=5, strict_per_10=2.2, paraphrase_errors=0.09, plants=0.73, statement=0.54, recall=0.98,
                    precision=0.98, unit=0.95, currency=0.97, bound=0.98, speakers=0.86, wrong=2),
}

@pytest.mark.parametrize("split", list(FLOORS))
def test_faithful_briefs_pass_and_paraphrases_raise_no_error(figures, split):
    floor, faithful, para = FLOORS[split], figures[split]["faithful"], figures[split]["paraphrases"]
    if split == "tune":
        assert faithful["errors"] == 0, faithful["per_brief"]
    else:
        assert faithful["errors"] <= floor["errors"], faithful["per_brief"]
    assert 10 * faithful["strict_findings"] / faithful["items"] <= floor["strict_per_10"], faithful["per_brief"]
    assert _rate(para["errors"], para["total"]) <= floor["paraphrase_errors"], para


@pytest.mark.parametrize("split", list(FLOORS))
def test_planted_errors_are_caught(figures, split):
    floor, plants = FLOORS[split], figures[split]["plants"]
    assert _rate(plants["strict"], plants["total"]) >= floor["plants"], plants["by_kind"]
    assert _rate(plants["statement_strict"], plants["statement_total"]) >= floor["statement"], plants["by_kind"]
    for kind in ("number", "range", "unit-magnitude", "bound"):
        row = plants["by_kind"][kind]
        assert row["strict"] == row["total"], (kind, row)


@pytest.mark.parametrize("split", list(FLOORS))
def test_the_draft_finds_the_figures_and_speakers_of_the_keys(figures, split):
    floor, draft, quotes = FLOORS[split], figures[split]["draft"], figures[split]["quotes"]
    assert _rate(draft["found"], draft["core_figures"]) >= floor["recall"], draft
    assert _rate(draft["found"], draft["candidates"]) >= floor["precision"], draft
    for name in ("unit", "currency", "bound"):
        assert _rate(draft[f"{name}_ok"], draft["found"]) >= floor[name], (name, draft)
    attributed = quotes["right"] + quotes["wrong"] + quotes["unattributed"]
    assert _rate(quotes["right"], attributed) >= floor["speakers"], quotes
    assert quotes["wrong"] <= floor["wrong"], quotes
