"""The brand: one set of colours, fonts, logo and cover style for HTML and PDF alike.

A project may keep a ``brand.yaml`` beside ``briefing.yaml`` (the role of
Quarto's ``_brand.yml``); an audience profile may override any brand value
under ``brand:``.  Stylesheets never hold colour values of their own: the
``css/brand.css`` template turns the resolved brand into CSS custom
properties that the web page and the PDF both read.
"""

from __future__ import annotations

import colorsys
import functools
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

    @property
    def dark(self) -> dict[str, str]:
        """The palette for a dark screen, derived from these colours (see ``dark_colours``)."""
        # Derived by search (lighten until the contrast holds): a fifth of a page's rendering time when
        # recomputed for each chart and stylesheet, so once per palette.
        return dict(_dark_palette(tuple(self.model_dump().items())))


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
    """``@font-face`` entries for the fonts a brand ships: family, weight, style and the file.

    The path is left as written (joined to ``root``, symlinks not followed): whoever reads or links it
    resolves it through the containment rule (``safe_files``), which refuses one that leads outside.
    """
    faces = []
    for role in ("body", "heading"):
        font: Font = getattr(brand.fonts, role)
        for file in font.files:
            faces.append({"family": font.family, "weight": file.weight, "style": file.style,
                          "path": root / file.path})
    return faces


# -- dark mode, derived from the brand ------------------------------------------------------

RGB = tuple[float, float, float]
# Contrast wanted on the dark ground, checked against the lighter of its two grounds (the page and the
# tinted panels): above WCAG AA's 4.5:1 for text, with a margin for headings and links read at length.
TEXT_CONTRAST = 7.0
SECONDARY_CONTRAST = 5.0


def _rgb(colour: str) -> RGB:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16) / 255, int(digits[2:4], 16) / 255, int(digits[4:6], 16) / 255)


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a hex colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two hex colours (1 to 21)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _hls(colour: str) -> RGB:
    return colorsys.rgb_to_hls(*_rgb(colour))


def _from_hls(hue: float, lightness: float, saturation: float) -> str:
    return _hex(colorsys.hls_to_rgb(hue, lightness, saturation))


def _lighter_until(colour: str, grounds: tuple[str, ...], ratio: float, *, max_saturation: float = 0.75) -> str:
    """``colour``'s hue, lightened (and its saturation capped) until it reads at ``ratio`` on every ground."""
    hue, lightness, saturation = _hls(colour)
    saturation = min(saturation, max_saturation)
    lightness = max(lightness, 0.5)
    while lightness < 1.0:
        candidate = _from_hls(hue, lightness, saturation)
        if all(contrast(candidate, ground) >= ratio for ground in grounds):
            return candidate
        lightness = round(lightness + 0.01, 2)
    return "#ffffff"


def _darker_until(colour: str, text: str, ratio: float, lightness: float, saturation: float) -> str:
    """``colour``'s hue as a dark ground (at most ``lightness``) on which ``text`` reads at ``ratio``."""
    hue, _, own_saturation = _hls(colour)
    saturation = min(own_saturation, saturation)
    while lightness > 0:
        candidate = _from_hls(hue, lightness, saturation)
        if contrast(text, candidate) >= ratio:
            return candidate
        lightness = round(lightness - 0.01, 2)
    return "#000000"


@functools.lru_cache(maxsize=64)
def _dark_palette(colours: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(dark_colours(Colours.model_validate(dict(colours))).items())


def dark_colours(colours: Colours) -> dict[str, str]:
    """A dark-screen palette in the brand's hues, as CSS custom property names and hex values.

    The page and its panels are near-black tinted with the primary's hue; the primary, accent and marking
    are the brand's own hues lightened until they pass WCAG AA on those grounds with a margin (7:1 for
    the primary, which colours headings and links); the masthead is the primary darkened under white
    text; the figure badges keep their hues. So each audience's brand reads as itself in dark mode too.
    The PDF never uses it: only browsers honour ``prefers-color-scheme``.
    """
    hue, _, saturation = _hls(colours.primary)
    tint = min(saturation, 0.35)
    background = _from_hls(hue, 0.075, tint)
    soft = _from_hls(hue, 0.13, tint)
    grounds = (background, soft)
    ink = _lighter_until(_from_hls(hue, 0.9, min(saturation, 0.2)), grounds, 12.0, max_saturation=0.2)
    primary = _lighter_until(colours.primary, grounds, TEXT_CONTRAST)
    palette = {
        "ink": ink,
        "muted": _lighter_until(_from_hls(hue, 0.6, min(saturation, 0.15)), grounds, SECONDARY_CONTRAST,
                                max_saturation=0.15),
        "primary": primary,
        "accent": _lighter_until(colours.accent, grounds, SECONDARY_CONTRAST),
        "marking": _lighter_until(colours.marking, grounds, SECONDARY_CONTRAST),
        "rule": _from_hls(hue, 0.26, min(saturation, 0.2)),
        "soft": soft,
        "on-primary": background,
        "masthead": _darker_until(colours.primary, "#ffffff", 12.0, 0.2, 0.6),
        "background": background,
    }
    for basis in ("claim", "estimate", "reported"):
        ground = _darker_until(getattr(colours, basis), "#ffffff", 12.0, 0.17, 0.5)
        palette[f"{basis}-background"] = ground
        palette[basis] = _lighter_until(getattr(colours, basis), (ground, soft), SECONDARY_CONTRAST + 1)
    return palette
