"""Regenerate the golden Markdown outputs: every audience of the sample and of the second test brief.

    python3 scripts/update_golden.py

tests/test_golden.py compares fresh builds with these files and shows a readable diff; after an
intended change, run this and review `git diff tests/golden/` before committing.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.pipeline import build  # noqa: E402

PROJECTS = {"sample": REPO, "orbital": REPO / "tests" / "projects" / "orbital"}
# What a project is made of: the sample's source text (the seed article) is git-ignored and never part
# of a golden file, so the sample builds here without it, as it does on a machine without the article.
PARTS = ("briefing.yaml", "brand.yaml", "content", "templates")
GOLDEN = REPO / "tests" / "golden"


def golden_markdown(project: Path) -> dict[str, str]:
    """{audience/brief.md: text} for a fresh Markdown build of ``project``."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "project"
        copy.mkdir()
        parts = PARTS + (("sources",) if project != REPO else ())
        for name in parts:
            source = project / name
            if source.is_dir():
                shutil.copytree(source, copy / name)
            elif source.is_file():
                shutil.copy(source, copy / name)
        out = Path(scratch) / "out"
        result = build(copy, formats=["md"], out_dir=out, force=True)
        return {o.path.relative_to(out).as_posix(): o.path.read_text(encoding="utf-8")
                for o in result.outputs if o.format == "md"}


def main() -> None:
    for name, project in PROJECTS.items():
        target = GOLDEN / name
        shutil.rmtree(target, ignore_errors=True)
        for relative, text in golden_markdown(project).items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
