"""Regenerate briefing/templates/fonts/briefing-symbols.woff2.

Source Sans 3 and Source Serif 4 (the built-in text faces) lack some symbols
briefs use: ≈ ≤ ≥ ± → ↑ ↓ ✓ ✗ and the like.  This takes those glyphs from
DejaVu Sans (Debian's fonts-dejavu-core, Bitstream Vera licence, which allows
modified copies under a new name), with the spaces so a run set in it never
lacks one, renames the family "Briefing Symbols", and
writes a small WOFF2 that both the web page and the PDF load, so no glyph
falls back to whatever the machine happens to have.

    python3 scripts/make_symbols_font.py [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from briefing.settings import BUILTIN_FONTS, SYMBOLS_UNICODE_RANGE  # noqa: E402

RANGES = SYMBOLS_UNICODE_RANGE
TARGET = BUILTIN_FONTS / "briefing-symbols.woff2"
FAMILY = "Briefing Symbols"


def main(source: str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf") -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    codepoints = []
    for part in RANGES.split(","):
        part = part.strip()
        start, _, end = part.removeprefix("U+").partition("-")
        codepoints.extend(range(int(start, 16), int(end or start, 16) + 1))
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
        elif record.nameID == 3:
            record.string = f"{FAMILY} (subset of DejaVu Sans)"
    font.flavor = "woff2"
    font.save(TARGET)
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes); now run scripts/decode_fonts.py for the PDF's copy")


if __name__ == "__main__":
    main(*sys.argv[1:])
