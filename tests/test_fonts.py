"""The shipped TrueType copies the PDF engine loads are the WOFF2 fonts, decoded (scripts/decode_fonts.py)."""

from __future__ import annotations

import io
import re

import pytest
from fontTools.ttLib import woff2

from briefing.assets import FONTS_CSS, AssetLinks, render_css
from briefing.brand import BUILTIN_FAMILIES, Brand
from briefing.charts.render import _faces, _font_files, shipped_faces
from briefing.settings import BUILTIN_FONTS, BUILTIN_TTF_FONTS
from briefing.templating import make_environment

WOFF2 = sorted(BUILTIN_FONTS.glob("*.woff2"))


def test_every_shipped_font_has_its_truetype_copy_and_no_other():
    assert WOFF2, "no shipped fonts found"
    assert sorted(p.stem for p in BUILTIN_TTF_FONTS.glob("*.ttf")) == [p.stem for p in WOFF2]


@pytest.mark.parametrize("path", WOFF2, ids=lambda p: p.stem)
def test_truetype_copy_is_the_engine_decoders_bytes(path):
    out = io.BytesIO()
    woff2.decompress(io.BytesIO(path.read_bytes()), out)
    assert (BUILTIN_TTF_FONTS / f"{path.stem}.ttf").read_bytes() == out.getvalue(), \
        "stale copy: run scripts/decode_fonts.py"


def test_print_stylesheet_loads_truetype_and_web_stylesheet_woff2(tmp_path):
    env = make_environment(None)
    pdf = render_css(env, FONTS_CSS, AssetLinks("pdf", tmp_path))
    web = render_css(env, FONTS_CSS, AssetLinks("web", tmp_path))
    pdf_urls = re.findall(r'url\("([^"]+)"\) format\("([^"]+)"\)', pdf)
    web_urls = re.findall(r'url\("([^"]+)"\) format\("([^"]+)"\)', web)
    assert len(pdf_urls) == len(web_urls) == len(WOFF2)
    assert all(url.startswith("file://") and url.endswith(".ttf") and kind == "truetype" for url, kind in pdf_urls)
    assert all(url.startswith("fonts/") and url.endswith(".woff2") and kind == "woff2" for url, kind in web_urls)


@pytest.mark.parametrize("family", sorted(BUILTIN_FAMILIES))
def test_shipped_chart_faces_are_the_merged_builtin_faces(family):
    brand = Brand.model_validate({"fonts": {"body": {"family": family}}})
    made = _faces(_font_files(brand, None), family)
    shipped = {path.name: path.read_bytes() for path in shipped_faces(family).glob("*.ttf")}
    assert made and shipped == made, "stale chart faces: run scripts/decode_fonts.py"
