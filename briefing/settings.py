"""Names the tool uses on disk, each defined once: project files, folders, the symbols font's range.

Folder names here are defaults; a project's ``briefing.yaml`` can move
``content``, ``templates`` and ``output`` (see ``config.Paths``).
"""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"

PACKAGE_DIR = Path(__file__).parent
BUILTIN_TEMPLATES = PACKAGE_DIR / "templates"
BUILTIN_FONTS = BUILTIN_TEMPLATES / "fonts"
# TrueType copies of the WOFF2 fonts, for the PDF engine (scripts/decode_fonts.py: decoding costs a second a process)
BUILTIN_TTF_FONTS = BUILTIN_FONTS / "ttf"
# The built-in families' chart faces, merged and renamed for the chart engine (charts/render.py)
BUILTIN_CHART_FONTS = BUILTIN_FONTS / "charts"
LOCALES_DIR = PACKAGE_DIR / "locales"

CONFIG_FILE = "briefing.yaml"
BRAND_FILE = "brand.yaml"
SOURCES_FILE = "sources.yaml"
BRIEF_FILE = "brief.yaml"
AUDIENCES_DIR = "audiences"
BRIEFS_DIR = "briefs"
THEMES_DIR = "themes"

CONTENT_DIR = "content"
TEMPLATES_DIR = "templates"
OUTPUT_DIR = "output"
SITE_DIR = "site"
SOURCES_DIR = "sources"  # where draft keeps the text copies of sources
CACHE_DIR = ".briefing"  # build cache and compiled templates, inside the project
ASSETS_DIR = "assets"  # shared stylesheet, fonts and files beside the web pages
OUTPUT_MARKER = ".briefing-output"  # in every output folder briefing owns

# Characters the shipped "Briefing Symbols" font covers; scripts/make_symbols_font.py subsets to them.
SYMBOLS_UNICODE_RANGE = "U+0020, U+00A0, U+00B1, U+00D7, U+00F7, U+2190-21FF, U+2200-22FF, U+25A0-25FF, " \
    "U+2713-2717, U+27E8-27E9"

# How 'briefing draft' marks words the analyst must write; 'briefing check' warns while any is left.
DRAFT_PLACEHOLDER = "TODO"
# The kinds of file ``briefing schema`` describes (schema.SCHEMA_KINDS gives each its model), here so the
# command line knows them without importing the models
SCHEMA_KIND_NAMES = ("config", "brief", "theme", "sources", "audience", "brand")
