"""Where outputs find their stylesheets, fonts and project files, and the stylesheets themselves.

Stylesheets are templates, so a project overrides them like any other
template; ``css/brand.css`` turns the audience's brand into the CSS custom
properties that the web page and the PDF both read.

Project files (the logo, brand fonts) are read or linked only through the
containment rule of ``safe_files``: ``briefing check`` reports a refused file
at its line, and a file that changed since (swapped for a symlink to a secret,
a FIFO, a huge file) is a ``RenderError`` here, never inlined or copied.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .brand import Brand, project_font_faces
from .errors import RenderError
from .safe_files import MAX_ASSET_BYTES, UnsafeFile, check_file, read_bytes
from .settings import BUILTIN_FONTS, BUILTIN_TTF_FONTS
from .templating import render_template

if TYPE_CHECKING:
    from .project import Project
    from .select import BriefView

SCREEN_CSS = "css/brief.css"
BASE_CSS = "css/base.css"
FONTS_CSS = "css/fonts.css"
BRAND_CSS = "css/brand.css"
PRINT_CSS = "css/pdf.css"
FONT_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf"}


class AssetLinks:
    """Where an output finds the built-in fonts and the project's files (logo, brand fonts).

    ``web``: files copied beside the site (``assets/fonts/``, ``assets/files/``),
    linked relative to the document (``prefix``); ``pdf``: ``file:`` URLs the
    restricted fetcher allows; ``inline``: ``data:`` URIs for single-file pages.
    """

    def __init__(self, mode: str, root: Path, prefix: str = ""):
        self.mode, self.root, self.prefix = mode, root.resolve(), prefix

    def font(self, name: str) -> str:
        path = BUILTIN_FONTS / name
        if self.mode == "web":
            return f"{self.prefix}fonts/{name}"
        if self.mode == "pdf":
            # The engine's own decoding of WOFF2 was a quarter of a cold build: it gets the shipped
            # TrueType copies (the same bytes its decoder would make; scripts/decode_fonts.py).
            decoded = BUILTIN_TTF_FONTS / f"{path.stem}.ttf"
            return (decoded if decoded.is_file() else path).as_uri()
        # Built-in fonts are the package's own files: trusted, but read with the same size limit.
        return data_uri(path, BUILTIN_FONTS)

    def file(self, path: Path) -> str:
        """The URL of a project file (``path`` absolute, or relative to the project), checked or read first."""
        if self.mode == "inline":
            return data_uri(path, self.root)
        resolved = checked_file(self.root, path)
        if self.mode == "web":
            return f"{self.prefix}files/{site_path(resolved, self.root)}"
        return resolved.as_uri()  # the PDF engine's fetcher checks it again when it reads it


def refused(root: Path, path: str | Path, exc: UnsafeFile) -> RenderError:
    """The build-time error for a project file the containment rule refuses (it changed since the check)."""
    shown = Path(path)
    if shown.is_absolute() and shown.is_relative_to(root):
        shown = shown.relative_to(root)
    return RenderError("cannot use a file the brand names", shown.as_posix(),
                       exc.reason + (f" ({exc.hint})" if exc.hint else ""))


def checked_file(root: Path, path: str | Path) -> Path:
    """``path`` resolved, if the containment rule accepts it as an asset; else RenderError."""
    try:
        return check_file(root, path, max_bytes=MAX_ASSET_BYTES)
    except UnsafeFile as exc:
        raise refused(root, path, exc) from None


def read_asset(root: Path, path: str | Path) -> bytes:
    """The bytes of an asset inside ``root``, read through the containment rule; else RenderError."""
    try:
        return read_bytes(root, path, max_bytes=MAX_ASSET_BYTES)
    except UnsafeFile as exc:
        raise refused(root, path, exc) from None


def site_path(path: Path, root: Path) -> str:
    """Where a project file is published under ``assets/files/``."""
    return path.resolve().relative_to(root.resolve()).as_posix()


def data_uri(path: Path, root: Path) -> str:
    """``path`` (inside ``root``) as a ``data:`` URI, read through the containment rule."""
    path = Path(path)
    kind = mimetypes.guess_type(path.name)[0] or FONT_TYPES.get(path.suffix, "application/octet-stream")
    return f"data:{kind};base64," + base64.b64encode(read_asset(root, path)).decode("ascii")


def render_css(env: jinja2.Environment, name: str, assets: AssetLinks, *, view: BriefView | None = None,
               brand: Brand | None = None) -> str:
    """Render a stylesheet template (stylesheets are templates, overridable like the others)."""
    brand = brand or (view.brand if view is not None else Brand())
    return render_template(env, name, {
        "brief": view, "brand": brand, "font_url": assets.font, "screen": assets.mode != "pdf",
        "font_faces": [{**face, "url": assets.file(face["path"])}
                       for face in project_font_faces(brand, assets.root)],
    })


def favicon_svg(project: Project) -> str:
    """A favicon in the brand's primary colour with the project's initial, so tabs are recognisable."""
    colours = project.brand.colours
    initial = html.escape((project.config.organisation or project.config.title).strip()[:1].upper())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
            f'<rect width="64" height="64" rx="12" fill="{colours.primary}"/>'
            f'<text x="32" y="44" font-family="Georgia, serif" font-size="38" font-weight="700" '
            f'text-anchor="middle" fill="#ffffff">{initial}</text></svg>\n')
