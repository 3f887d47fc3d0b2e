"""The PDF as a reader and a PDF tool see it: pages, outline, contents, links, metadata, fonts."""

from __future__ import annotations

import re

import pytest
from conftest import write_files
from pypdf import PdfReader
from readers import pdf_pages_text

from briefing.filters import typographic
from briefing.load import load_project
from briefing.pipeline import build
from briefing.select import select_for_audience


def outline(reader: PdfReader, items=None, depth=0):
    """Flattened outline: (depth, title, 1-based page)."""
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title.replace("\xa0", " "), reader.get_destination_page_number(item) + 1))
    return found


@pytest.fixture(scope="module")
def technical(sample_build):
    _, out = sample_build
    return out / "technical" / "ai-silicon.pdf"


def test_page_counts_fit_each_audience(sample, sample_build):
    _, out = sample_build
    counts = {a: len(PdfReader(out / a / "ai-silicon.pdf").pages) for a in sample.audiences}
    assert counts["executive"] == 1  # one page, no cover: its budget
    assert counts["board"] <= 1 + sample.audiences["board"].profile.budgets.pages
    assert counts["technical"] > counts["investor"] > counts["board"] > counts["executive"]


def test_outline_mirrors_the_headings(sample, technical):
    view = select_for_audience(sample, sample.briefs[0], "technical")
    expected = [(0, typographic(view.title)), (1, view.labels["bottom_line"]), (1, view.labels["figures"])]
    expected += [(1, f"{t.number} {typographic(t.title)}") for t in view.body_themes]
    expected += [(1, view.labels["sources"])]
    if view.evidence_items:  # the technical audience's evidence appendix, when the source text is there
        expected += [(1, view.labels["evidence_appendix"])]
    entries = outline(PdfReader(technical))
    assert [(depth, title) for depth, title, _ in entries] == expected
    pages = pdf_pages_text(technical)
    for _depth, title, page in entries[1:]:
        assert title.split(" ", 1)[-1] in pages[page - 1], (title, page)


def test_contents_page_numbers_are_the_real_pages_and_link_there(technical):
    reader = PdfReader(technical)
    real = {title.split(" ", 1)[-1] if title[0].isdigit() else title: page
            for _, title, page in outline(reader)}
    contents = reader.pages[1].extract_text()
    assert contents.startswith("Contents")
    entries = re.findall(r"^(?:\d+\. )?(.+?) \.{3,}\s*(\d+)$", contents, re.MULTILINE)
    assert len(entries) == len(real) - 1  # every heading but the title
    for title, page in entries:
        assert real[title.strip()] == int(page), title
    destinations = {annot.get_object().get("/Dest") for annot in reader.pages[1]["/Annots"]}
    assert {"bottom-line", "figures", "sources", "theme-project-rainier"} <= destinations


def test_citation_marks_link_to_the_sources_list(technical):
    reader = PdfReader(technical)
    dests = [a.get_object().get("/Dest") for page in reader.pages[2:] for a in page.get("/Annots", [])]
    assert dests.count("source-1") >= 10
    names = reader.named_destinations
    sources_page = reader.get_destination_page_number(names["source-1"]) + 1
    assert "source-1" in names and sources_page >= len(reader.pages) - 2  # the list closes the brief


def test_running_header_and_footer(sample, technical):
    pages = pdf_pages_text(technical)
    total = len(pages)
    assert "Page" not in pages[0]  # the cover has no page number
    for number, text in enumerate(pages[1:], start=2):
        assert "INTERNAL" in text  # the classification marking in the footer
        assert f"Page {number} of {total}" in text
        assert typographic(sample.briefs[0].meta.title) in text  # the running header
    # The current section runs in the header: theme 3 starts on some page whose header names it.
    assert any("3 Project Rainier" in text for text in pages[4:])


def test_metadata(sample, technical):
    meta = PdfReader(technical).metadata
    assert meta.title == typographic(sample.briefs[0].meta.title)
    assert meta.author == sample.config.author
    assert meta.subject.startswith("At re:Invent, AWS made Trainium2 generally available")
    assert "Trainium" in meta["/Keywords"] and "Technical brief" in meta["/Keywords"]
    assert meta["/CreationDate"] == "D:20241205"
    assert PdfReader(technical).trailer["/Root"]["/Lang"] == "en"


def test_the_engine_logs_no_warnings_on_the_sample(sample_build):
    result, _ = sample_build
    assert [r.getMessage() for r in result.engine_log] == []


def test_two_builds_are_byte_identical(sample, sample_build, tmp_path):
    _, out = sample_build
    build(sample, audiences=["technical", "executive"], formats=["pdf"], out_dir=tmp_path)
    for audience in ("technical", "executive"):
        assert (tmp_path / audience / "ai-silicon.pdf").read_bytes() == (out / audience / "ai-silicon.pdf").read_bytes()


def test_source_date_epoch_sets_the_modification_date(make_project, monkeypatch):
    root = make_project()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    build(root, audiences=["executive"], formats=["pdf"])
    meta = PdfReader(root / "output/executive/widgets.pdf").metadata
    assert meta["/ModDate"].startswith("D:20250101000000")
    assert meta["/CreationDate"] == "D:20250112"


def test_every_glyph_is_present_no_tofu(make_project, caplog):
    root = make_project({"content/briefs/widgets/brief.yaml": """\
        title: Prices ≈ 20% lower — € and × and ≤ → ✓
        date: 2025-01-12
        summary: "Costs fell ≈ 20% (€3 × 4 — roughly), ≥ forecast ± 2%; naïve café Zürich → ✓."
        """})
    with caplog.at_level("WARNING", logger="weasyprint"):
        build(root, audiences=["technical"], formats=["pdf"])
    assert not [r for r in caplog.records if "notdef" in r.getMessage() or "glyph" in r.getMessage()]
    text = " ".join(pdf_pages_text(root / "output/technical/widgets.pdf"))
    for char in "≈€—×≤≥±→✓ïéü":
        assert char in text, char


def test_letter_paper_and_pdf_ua_tagging(make_project):
    root = make_project()
    config = (root / "briefing.yaml").read_text()
    write_files(root, {"briefing.yaml": config + "paper_size: Letter\npdf: {variant: pdf/ua-1}\n"})
    assert load_project(root).config.pdf.variant == "pdf/ua-1"
    build(root, audiences=["technical"], formats=["pdf"])
    reader = PdfReader(root / "output/technical/widgets.pdf")
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]


def test_pdf_a_variant(make_project):
    root = make_project()
    config = (root / "briefing.yaml").read_text()
    write_files(root, {"briefing.yaml": config + "pdf: {variant: pdf/a-3b}\n"})
    build(root, audiences=["executive"], formats=["pdf"])
    reader = PdfReader(root / "output/executive/widgets.pdf")
    metadata_xml = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in metadata_xml
    assert "/OutputIntents" in reader.trailer["/Root"]
