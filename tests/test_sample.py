"""The repository's sample project, built once per session in every format and asserted on at length."""

from __future__ import annotations

import shutil

from conftest import REPO
from pypdf import PdfReader
from readers import md_headings, parse_html, pdf_pages_text

from briefing.filters import typographic
from briefing.pipeline import build


def test_sample_checks_clean_with_six_themes_and_four_audiences(sample):
    from conftest import SEED

    if SEED.is_file():  # with its source text, every figure and quote verified: not one warning
        assert sample.warnings == []
    else:  # without it (no ../shared): its facts are unchecked, and check says so once
        assert [w.field_path for w in sample.warnings] == ["sources[0].text"]
        assert "unchecked" in sample.warnings[0].message
    assert len(sample.briefs) == 1
    assert len(sample.briefs[0].themes) >= 6
    assert {"executive", "technical", "investor", "board"} <= set(sample.audiences)


def test_every_audience_in_every_format(sample, sample_build):
    result, out = sample_build
    for audience in sample.audiences:
        for ext in ("md", "html", "pdf"):
            path = out / audience / f"ai-silicon.{ext}"
            assert path.is_file() and path.stat().st_size > 1000, path
    assert len(result.of_format("pdf")) == len(sample.audiences) >= 4
    assert result.warnings == []


def test_technical_pdf_text_holds_title_figures_and_page_numbers(sample, sample_build):
    _, out = sample_build
    path = out / "technical" / "ai-silicon.pdf"
    pages = pdf_pages_text(path)
    title = typographic(sample.briefs[0].meta.title)
    assert " ".join(title.split()) in pages[0]
    assert "Page" not in pages[0], "the cover has no page number"
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text
    body = " ".join(pages)
    for figure in ("30–40%", "4×", "$8 billion", "99%"):
        assert figure in body, figure
    assert "Contents" in pages[1]


def test_pdf_metadata_and_fonts(sample, sample_build):
    _, out = sample_build
    reader = PdfReader(out / "executive" / "ai-silicon.pdf")
    meta = reader.metadata
    assert meta.title.startswith(typographic(sample.briefs[0].meta.title))
    assert meta.author == sample.config.author
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            parts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for part in parts:
                descriptor = part["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"Source-Sans-3-Bold", "Source-Serif-4-Bold"} <= fonts, fonts


def test_markdown_heading_tree(sample, sample_build):
    _, out = sample_build
    text = (out / "technical" / "ai-silicon.md").read_text()
    headings = md_headings(text)
    assert headings[0] == (1, typographic(sample.briefs[0].meta.title))
    assert [h for h in headings if h[0] == 1] == [headings[0]]
    theme_titles = [typographic(t.title) for t in sample.briefs[0].themes]
    numbered = [text for level, text in headings if level == 2 and text[0].isdigit()]
    assert [t.split(". ", 1)[1] for t in numbered] == theme_titles
    assert (2, "Sources") in headings[-2:]  # last, or followed by the evidence appendix
    assert "\n\n\n" not in text


def test_html_pages_parse_with_headings_in_order(sample, sample_build):
    _, out = sample_build
    for audience in sample.audiences:
        page = parse_html((out / audience / "ai-silicon.html").read_text())
        levels = [level for level, _ in page.headings]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (audience, page.headings)


def test_audiences_get_different_briefs(sample, sample_build):
    _, out = sample_build
    texts = {a: (out / a / "ai-silicon.md").read_text() for a in sample.audiences}
    assert len(set(texts.values())) == len(texts)
    technical_themes = [h for h in md_headings(texts["technical"]) if h[0] == 2 and h[1][0].isdigit()]
    executive_themes = [h for h in md_headings(texts["executive"]) if h[0] == 2 and h[1][0].isdigit()]
    assert len(executive_themes) < len(technical_themes)


def test_readme_commands_render_the_sample_into_output(tmp_path):
    """The README's first command builds content/ into output/: run it on a copy of the repo's project."""
    for name in ("briefing.yaml", "content", "schemas"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    result = build(tmp_path, formats=["md", "html"])
    assert (tmp_path / "output" / "index.html").is_file()
    assert len(result.of_format("md")) >= 4
