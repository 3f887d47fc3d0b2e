"""Golden outputs: the Markdown of every audience, for the sample and the second test brief.

Regenerate after an intended change with ``python3 scripts/update_golden.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("update_golden", REPO / "scripts" / "update_golden.py")
assert _spec and _spec.loader
update_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_golden)


@pytest.mark.parametrize("name", sorted(update_golden.PROJECTS))
def test_markdown_matches_the_golden_files(name, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fresh = update_golden.golden_markdown(update_golden.PROJECTS[name])
    golden_dir = update_golden.GOLDEN / name
    golden = {p.relative_to(golden_dir).as_posix(): p.read_text(encoding="utf-8") for p in golden_dir.rglob("*.md")}
    assert sorted(fresh) == sorted(golden), "audiences or briefs differ; run python3 scripts/update_golden.py"
    diffs = ["".join(difflib.unified_diff(golden[k].splitlines(True), fresh[k].splitlines(True),
                                          f"golden/{name}/{k}", f"fresh/{name}/{k}")) for k in sorted(fresh)]
    diffs = [d for d in diffs if d]
    assert not diffs, "outputs differ from tests/golden (python3 scripts/update_golden.py regenerates):\n" + \
        "\n".join(diffs)[:6000]
