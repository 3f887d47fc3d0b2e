"""The brand: one set of colours, fonts, logo and cover style for HTML and PDF alike.

A project may keep a ``brand.yaml`` beside ``briefing.yaml`` (the role of
Quarto's ``_brand.yml``); an audience profile may override any brand value
under ``brand:``.  Stylesheets never hold colour values of their own: the
``css/brand.css`` template turns the resolved brand into CSS custom
properties that the web page and the PDF both read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from .models import Model, Text

Colour = Annotated[str, StringConstraints(pattern=r"^#(?:[0-9a-fA-F]{3}){1,2}$")]
BUILTIN_FAMILIES = {"Source Sans 3", "Source Serif 4"}
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace"}
BRAND_FILE = "brand.yaml"


class Colours(Model):
    """Colours used across the web page and the PDF (hex, e.g. '#14365d')."""

    primary: Colour = Field(default="#14365d", description="Headings, cover, table rules and links.")
    accent: Colour = Field(default="#b4472f", description="Highlights: takeaway bars, pull-quote rules.")
    ink: Colour = Field(default="#1b2230", description="Body text.")
    muted: Colour = Field(default="#586174", description="Secondary text: captions, running heads.")
    rule: Colour = Field(default="#d8dde5", description="Hairlines between rows.")
    soft: Colour = Field(default="#f3f5f8", description="Tinted panels: the bottom line, cards.")
    marking: Colour = Field(default="#b4472f", description="The classification marking.")
    claim: Colour = Field(default="#8a4b00", description="Badge text for claimed figures.")
    claim_background: Colour = Field(default="#fff3e0", description="Badge background for claimed figures.")
    estimate: Colour = Field(default="#4a3a8c", description="Badge text for estimates.")
    estimate_background: Colour = Field(default="#efecfa", description="Badge background for estimates.")
    reported: Colour = Field(default="#1f5e3a", description="Badge text for reported figures.")
    reported_background: Colour = Field(default="#e8f4ec", description="Badge background for reported figures.")


class FontFile(Model):
    """One font file the project ships for a family."""

    path: str = Field(description="Path of a .woff2, .woff, .ttf or .otf file, relative to the project.")
    weight: int = Field(default=400, ge=100, le=900, description="CSS font-weight of this file.")
    style: Literal["normal", "italic"] = Field(default="normal", description="CSS font-style of this file.")


class Font(Model):
    """A font family, built in or shipped by the project."""

    family: Text = Field(description="Family name: a built-in one (Source Sans 3, Source Serif 4) "
                         "or one whose files the project lists.")
    files: list[FontFile] = Field(default=[], description="Files for a family that is not built in.")


class Fonts(Model):
    body: Font = Field(default=Font(family="Source Sans 3"), description="Body text.")
    heading: Font = Field(default=Font(family="Source Serif 4"), description="Headings and pull quotes.")


class Brand(Model):
    """``brand.yaml``: the look shared by every format; profiles override parts of it."""

    colours: Colours = Field(default_factory=Colours, description="The palette.")
    fonts: Fonts = Field(default_factory=Fonts, description="Body and heading fonts.")
    logo: str | None = Field(
        default=None, description="Path of a logo image (SVG or PNG), relative to the project.")
    cover: Literal["solid", "band", "minimal"] = Field(
        default="solid",
        description="PDF cover: 'solid' fills the page with the primary colour, 'band' puts a colour band "
        "across the top, 'minimal' is white with a rule.")


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` onto ``base`` (mappings merge, everything else replaces)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def resolve_brand(project_brand: Brand, override: Brand | None) -> Brand:
    """The project's brand with a profile's explicitly set values laid over it."""
    if override is None:
        return project_brand
    data = merge(project_brand.model_dump(), override.model_dump(exclude_unset=True))
    return Brand.model_validate(data)


def brand_files(brand: Brand) -> list[tuple[tuple[str, ...], str]]:
    """Every file a brand names, with the field path that names it."""
    found: list[tuple[tuple[str, ...], str]] = []
    if brand.logo:
        found.append((("logo",), brand.logo))
    for role in ("body", "heading"):
        for index, file in enumerate(getattr(brand.fonts, role).files):
            found.append((("fonts", role, "files", index, "path"), file.path))  # type: ignore[arg-type]
    return found


def font_problems(brand: Brand) -> list[tuple[tuple[Any, ...], str, str]]:
    """Families that would fall back silently: neither built in nor shipped with files."""
    problems = []
    for role in ("body", "heading"):
        font: Font = getattr(brand.fonts, role)
        if font.family not in BUILTIN_FAMILIES and font.family not in GENERIC_FAMILIES and not font.files:
            problems.append((("fonts", role, "family"),
                             f"font family '{font.family}' is neither built in nor shipped with files",
                             "list its files under 'files:' (path, weight, style), or use "
                             + " or ".join(sorted(BUILTIN_FAMILIES))))
    return problems


def project_font_faces(brand: Brand, root: Path) -> list[dict[str, Any]]:
    """``@font-face`` entries for the fonts a brand ships: family, weight, style and the file."""
    faces = []
    for role in ("body", "heading"):
        font: Font = getattr(brand.fonts, role)
        for file in font.files:
            faces.append({"family": font.family, "weight": file.weight, "style": file.style,
                          "path": (root / file.path).resolve()})
    return faces
