"""Rendering charts: Vega-Lite through vl-convert, cached by their inputs, in the brand's own fonts.

Why vl-convert: a chart is a declarative specification (data and marks, no drawing code of ours), its
SVG keeps text as ``<text>`` (selectable on the web page, extractable from the PDF, drawn as vectors
by WeasyPrint), the same call gives a PNG at print resolution for Word and PowerPoint, the output is
the same bytes for the same specification (no ids from a counter that survives between charts, no
timestamps), and it is one wheel with no system libraries. Matplotlib, the other candidate, draws text
as paths unless told otherwise, needs numpy, and costs more to import and to install; neither ships a
check that a plotted number is in a source, which briefing does before rendering.

The engine is imported on first use only: a build with no chart never pays for it. Its first
conversion in a process starts its JavaScript runtime (about a second); each chart is then tens of
milliseconds, and every rendered chart is kept in the project's cache folder by a digest of its
specification, the engine's version and the fonts, so a rebuild renders only charts that changed.

Fonts: the engine measures and draws text with fonts registered from a folder of TrueType files. The
brand's body font is registered, so chart labels are set in the same face as the text around them: a
built-in family's faces ship merged (scripts/decode_fonts.py), and a project's own files, read through
the containment rule, are decoded and merged once into the cache folder.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import shutil
import struct
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..brand import BUILTIN_FAMILIES, Brand
from ..errors import RenderError
from ..labels import Labels
from ..models import Chart
from ..output import write_atomic
from ..safe_files import MAX_ASSET_BYTES, UnsafeFile, read_bytes
from ..sealed import read_sealed, write_sealed
from ..settings import BUILTIN_CHART_FONTS, BUILTIN_FONTS, BUILTIN_TTF_FONTS
from .spec import ChartStyle, vega_lite
from .svg import clean_svg

CHART_FACES = {(400, False), (600, False)}  # (weight, italic) of the faces spec.py draws with
# Chart labels are short: set without kerning or ligatures, so the layout tables (most of the cost of
# decoding and merging the shipped fonts) are left out, with the hinting programs.
_DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "STAT", "prep", "fpgm", "cvt ", "gasp")
PNG_SCALE = 4  # 560 px drawings at 2,240 px: over 300 dpi across a 6-inch column
FACES_MANIFEST = "complete"  # the sealed list of a faces folder's files and their digests
MEMORY_ENTRIES = 512  # drawings kept in memory per process, besides the cache folder
_MEMORY: dict[str, bytes] = {}
_REGISTERED: set[str] = set()
_FACES: dict[str, dict[str, bytes]] = {}
_LOCK = threading.Lock()
renders = 0  # engine conversions in this process: the cache's effect, for tests and benchmarks


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, read from its header (``ValueError`` if it is not a PNG)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@functools.cache
def engine_version() -> str:
    from importlib.metadata import version

    try:
        return version("vl-convert-python")
    except Exception:  # noqa: BLE001 - not installed: the key still differs from any real version
        return "missing"


def _faces(files: list[tuple[str, bytes]], family: str) -> dict[str, bytes]:
    """The font files as one TrueType/OpenType file per face, named ``family``: {file name: bytes}.

    The engine reads no web fonts; it picks one file per family, weight and style, so the shipped
    subsets of a face (latin, latin-ext) are merged into one; and it finds a face by the family in its
    name table, which in the shipped subsets is the variable font they were cut from ('Source Sans 3
    ExtraLight'), so the family is set to the one the brand asks for."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    def key(data: bytes) -> tuple[int, bool]:
        table = TTFont(io.BytesIO(data), lazy=True)["OS/2"]
        return table.usWeightClass, bool(table.fsSelection & 1)

    # Charts set labels in the regular face and values in the semibold one: decoding and merging only
    # those saves most of the one-off cost (other faces are used only when a brand lacks these two).
    keyed = [(key(data), data) for _name, data in files]
    wanted = [(k, data) for k, data in keyed if k in CHART_FACES] or keyed
    used: dict[tuple[int, bool], list[io.BytesIO]] = {}
    for face, data in wanted:
        font = TTFont(io.BytesIO(data), recalcTimestamp=False)
        font.flavor = None
        for table in _DROPPED_TABLES:  # layout and hinting tables: most of the decoding time, unused by a chart
            if table in font:
                del font[table]
        plain = io.BytesIO()
        font.save(plain)
        plain.seek(0)
        used.setdefault(face, []).append(plain)
    faces = {}
    for (weight, italic), members in sorted(used.items()):
        stamp = max(TTFont(member, lazy=True)["head"].modified for member in members)
        for member in members:
            member.seek(0)
        font = Merger().merge(members) if len(members) > 1 else TTFont(members[0])
        font["head"].created = font["head"].modified = stamp  # the merge would stamp today's date
        style = {400: "Regular", 600: "SemiBold", 700: "Bold"}.get(weight, str(weight))
        if italic:
            style = "Italic" if style == "Regular" else f"{style} Italic"
        names = font["name"]
        for record in list(names.names):
            if record.nameID in (1, 2, 4, 6, 16, 17):
                names.removeNames(nameID=record.nameID)
        postscript = "".join(family.split()) + "-" + style.replace(" ", "")
        for name_id, value in ((1, family), (2, style), (4, f"{family} {style}"), (6, postscript),
                               (16, family), (17, style)):
            names.setName(value, name_id, 3, 1, 0x409)
        out = io.BytesIO()
        font.recalcTimestamp = False  # the same files every time (they ship, and key the chart cache)
        font.save(out)
        faces[f"{postscript}.ttf"] = out.getvalue()
    return faces


def _font_files(brand: Brand, root: Path | None) -> list[tuple[str, bytes]]:
    family = brand.fonts.body
    if family.family in BUILTIN_FAMILIES:
        stem = family.family.lower().replace(" ", "-")
        # The shipped TrueType copies: the same faces as the WOFF2 files, with no decoding to pay.
        return [(path.name, path.read_bytes()) for path in sorted(BUILTIN_TTF_FONTS.glob(f"{stem}-*.ttf"))
                ] or [(path.name, path.read_bytes()) for path in sorted(BUILTIN_FONTS.glob(f"{stem}-*.woff2"))]
    files = []
    for file in family.files:
        if root is None:
            continue
        try:
            files.append((Path(file.path).name, read_bytes(root, file.path, max_bytes=MAX_ASSET_BYTES)))
        except UnsafeFile:
            continue  # 'check' reports the file; the chart falls back to the engine's own font
    return files


def shipped_faces(family: str) -> Path:
    """Where the package keeps a built-in family's chart faces, merged in advance (scripts/decode_fonts.py)."""
    return BUILTIN_CHART_FONTS / family.lower().replace(" ", "-")


def _faces_intact(folder: Path) -> bool:
    """Whether ``folder`` holds exactly the faces its sealed manifest lists, byte for byte: the engine
    loads every font file in the folder, so one planted or edited there is not used (the faces are
    written again)."""
    sealed = read_sealed(folder, folder / FACES_MANIFEST)
    try:
        manifest = json.loads(sealed) if sealed else None
        present = sorted(entry.name for entry in os.scandir(folder) if entry.name != FACES_MANIFEST)
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or present != sorted(manifest):
        return False
    try:
        return all(_regular(folder / name) and hashlib.sha256(
            read_bytes(folder, name, max_bytes=MAX_ASSET_BYTES)).hexdigest() == expected
            for name, expected in manifest.items())
    except UnsafeFile:
        return False


def _regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _clear(folder: Path) -> None:
    """Empty a faces folder (a symlink in its place is removed, never followed)."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.is_dir():
        shutil.rmtree(folder)


def register_fonts(brand: Brand, root: Path | None, cache_dir: Path | None) -> str:
    """Register the brand's body font with the engine; returns the fonts' digest (part of every chart's
    cache key). A built-in family's faces ship merged; others are decoded and merged once into
    ``cache_dir/fonts/<digest>/``."""
    family = brand.fonts.body.family
    shipped = shipped_faces(family)
    if family in BUILTIN_FAMILIES and shipped.is_dir():
        files = [(path.name, path.read_bytes()) for path in sorted(shipped.glob("*.ttf"))]
    else:
        files = _font_files(brand, root)
    digest = hashlib.sha256(family.encode() + b"".join(
        hashlib.sha256(data).digest() for _, data in files)).hexdigest()[:16]
    with _LOCK:
        if digest in _REGISTERED or not files:
            return digest
        base = cache_dir if cache_dir is not None else Path(tempfile.gettempdir()) / "briefing-fonts"
        folder = shipped if family in BUILTIN_FAMILIES and shipped.is_dir() else base / "fonts" / digest
        if folder != shipped and not _faces_intact(folder):
            if digest not in _FACES:  # decoding and merging take a second or two: once per process
                _FACES[digest] = _faces(files, brand.fonts.body.family)
            _clear(folder)
            for name, data in _FACES[digest].items():
                write_atomic(folder / name, data, force=True)
            manifest = {name: hashlib.sha256(data).hexdigest() for name, data in _FACES[digest].items()}
            write_sealed(folder / FACES_MANIFEST, json.dumps(manifest, sort_keys=True).encode())
        import vl_convert

        vl_convert.register_font_directory(str(folder))
        _REGISTERED.add(digest)
    return digest


_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def colour_map(light: Any, dark: Any, found: dict[str, str] | None = None) -> dict[str, str] | None:
    """{light colour: dark colour} when two specifications differ only in their colours, one for one;
    else None (then the dark drawing is rendered, not recoloured)."""
    found = {} if found is None else found
    if isinstance(light, dict) and isinstance(dark, dict):
        if light.keys() != dark.keys():
            return None
        pairs: list[tuple[Any, Any]] = [(light[key], dark[key]) for key in light]
    elif isinstance(light, list) and isinstance(dark, list):
        if len(light) != len(dark):
            return None
        pairs = list(zip(light, dark, strict=True))
    elif isinstance(light, str) and isinstance(dark, str) and _HEX.fullmatch(light) and _HEX.fullmatch(dark):
        if found.setdefault(light.lower(), dark.lower()) != dark.lower():
            return None  # one light colour becomes two dark ones: a drawing cannot be recoloured
        return found
    else:
        return found if light == dark else None
    for one, other in pairs:
        if colour_map(one, other, found) is None:
            return None
    return found


class ChartRenderer:
    """Renders one audience's charts (its brand, labels and language), through the shared cache."""

    def __init__(self, brand: Brand, labels: Labels, language: str, *, root: Path | None = None,
                 cache_dir: Path | None = None):
        self.brand, self.labels, self.language = brand, labels, language
        self.root, self.cache_dir = root, cache_dir
        self._fonts: str | None = None

    def spec(self, chart: Chart, variant: str = "light") -> dict[str, Any]:
        return vega_lite(chart, ChartStyle.of(self.brand, variant), self.labels, self.language)

    def svg(self, chart: Chart, variant: str = "light", *, uid: str | None = None) -> str:
        """The chart as accessible, cleaned SVG (``uid`` prefixes its ids; default: the chart's id)."""
        known = ("light", "dark", "paper", "light-narrow", "dark-narrow")
        drawing = self._render(chart, variant if variant in known else "light", "svg").decode("utf-8")
        return clean_svg(drawing, uid or f"chart-{chart.id}-{variant}", chart.title, chart.takeaway,
                         sized=variant == "paper")

    def png(self, chart: Chart, scale: int = PNG_SCALE) -> bytes:
        """The chart on white as a PNG at ``scale`` times its drawing size: for Word and PowerPoint."""
        return self._render(chart, "paper", "png", scale)

    def _recoloured(self, chart: Chart, variant: str) -> bytes | None:
        """A dark drawing made from the light one, when the two specifications differ only in colours:
        the engine lays out both the same, so swapping the colours gives the same bytes for half the work
        (a test holds them to that)."""
        if not variant.startswith("dark"):
            return None
        light = variant.replace("dark", "light", 1)
        mapping = colour_map(self.spec(chart, light), self.spec(chart, variant))
        if mapping is None:
            return None
        drawing = self._render(chart, light, "svg")
        return _HEX.sub(lambda match: mapping.get(match.group().lower(), match.group()),
                        drawing.decode("utf-8")).encode("utf-8")

    def _render(self, chart: Chart, variant: str, kind: str, scale: int = 1) -> bytes:
        global renders
        spec = self.spec(chart, variant)
        if self._fonts is None:
            self._fonts = register_fonts(self.brand, self.root, self.cache_dir)
        key = hashlib.sha256(json.dumps([spec, kind, scale, engine_version(), self._fonts], sort_keys=True,
                                        ensure_ascii=False).encode("utf-8")).hexdigest()
        if key in _MEMORY:
            return _MEMORY[key]
        path = self.cache_dir / "charts" / f"{key}.{kind}" if self.cache_dir is not None else None
        # Only a drawing this machine made counts (sealed): one edited, swapped or linked in is drawn again.
        cached = read_sealed(self.root or path.parent, path) if path is not None else None
        if cached:
            data = cached
        elif kind == "svg" and (derived := self._recoloured(chart, variant)) is not None:
            data = derived
        else:
            import vl_convert

            try:
                if kind == "svg":
                    data = vl_convert.vegalite_to_svg(spec).encode("utf-8")
                else:
                    data = vl_convert.vegalite_to_png(spec, scale=scale)
            except (ValueError, RuntimeError) as error:
                raise RenderError("cannot render", f"chart '{chart.id}'", str(error)) from None
            renders += 1
            if path is not None:
                write_sealed(path, data)
        if len(_MEMORY) >= MEMORY_ENTRIES:  # a long `serve` session: the cache folder still has them all
            _MEMORY.clear()
        _MEMORY[key] = data
        return data
