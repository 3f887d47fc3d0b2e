"""Write the TrueType copies of the shipped WOFF2 fonts (fonts/ttf/) and the chart faces (fonts/charts/).

The PDF engine can only use TrueType: given WOFF2 it decodes every face in every
process, which was a quarter of a cold build.  The decoded copies ship with the
package instead, made by the same decoder the engine uses (fontTools), so the
fonts embedded in a PDF are the same bytes either way; a test holds each copy
to that.  The chart engine's faces (one file per face, the subsets merged and
renamed to the family) ship too: merging them was a second of every cold build.  Run after changing any WOFF2 file:

    python3 scripts/decode_fonts.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools.ttLib import woff2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from briefing.brand import BUILTIN_FAMILIES, Brand  # noqa: E402
from briefing.charts.render import _faces, _font_files, shipped_faces  # noqa: E402
from briefing.settings import BUILTIN_FONTS, BUILTIN_TTF_FONTS  # noqa: E402


def decoded(path: Path) -> bytes:
    out = io.BytesIO()
    woff2.decompress(io.BytesIO(path.read_bytes()), out)
    return out.getvalue()


def main() -> None:
    BUILTIN_TTF_FONTS.mkdir(exist_ok=True)
    for stale in BUILTIN_TTF_FONTS.glob("*.ttf"):
        stale.unlink()
    for path in sorted(BUILTIN_FONTS.glob("*.woff2")):
        target = BUILTIN_TTF_FONTS / f"{path.stem}.ttf"
        target.write_bytes(decoded(path))
        print(f"wrote {target.relative_to(BUILTIN_FONTS.parent.parent.parent)}")
    # The chart engine's faces: each family's subsets merged into one file per face, renamed.
    for family in sorted(BUILTIN_FAMILIES):
        folder = shipped_faces(family)
        if folder.is_dir():
            for stale in folder.glob("*.ttf"):
                stale.unlink()
        folder.mkdir(parents=True, exist_ok=True)
        brand = Brand.model_validate({"fonts": {"body": {"family": family}}})
        for name, data in _faces(_font_files(brand, None), family).items():
            (folder / name).write_bytes(data)
            print(f"wrote {(folder / name).relative_to(BUILTIN_FONTS.parent.parent.parent)}")


if __name__ == "__main__":
    main()
