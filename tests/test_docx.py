"""The Word document as Word and python-docx see it: styles, contents field, header and footer, properties,
every figure and quote, links to the sources, reproducible bytes, a reference.docx override, French,
hostile content."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from unittest import mock

import pytest
from conftest import write_files
from docx import Document
from docx.shared import RGBColor

from briefing.charts import point_text
from briefing.cli import main
from briefing.errors import RenderError
from briefing.filters import typographic
from briefing.formats.docx_model import inline_spans, plain_text
from briefing.load import load_project
from briefing.parity import expected_items, fold
from briefing.pipeline import build, render_requests
from briefing.registry import FORMATS
from briefing.select import make_target

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_warnings(result) -> list[str]:
    """The build's warnings about Word documents."""
    return [w.format() for w in result.warnings if ".docx" in w.location or "docx:" in w.message]


@pytest.fixture(scope="module")
def sample_docx(sample, tmp_path_factory):
    """Every audience of the sample as Word documents, built with SOURCE_DATE_EPOCH set."""
    out = tmp_path_factory.mktemp("docx")
    with mock.patch.dict("os.environ", {"SOURCE_DATE_EPOCH": EPOCH}):
        result = build(sample, formats=["docx"], out_dir=out, jobs=1)
    return result, out


@pytest.fixture(scope="module")
def technical(sample_docx):
    result, out = sample_docx
    view = result.views[("ai-silicon", "technical")]
    return view, Document(out / "technical" / "ai-silicon.docx"), (out / "technical" / "ai-silicon.docx").read_bytes()


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def texts(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_builtin_styles_carry_the_structure(technical):
    view, document, _ = technical
    L = view.labels
    assert texts(document, "Title") == [typographic(view.title)]
    assert texts(document, "Subtitle") == [typographic(view.subtitle)]
    headings = texts(document, "Heading 1")
    themes = [f"{t.number}. {typographic(t.title)}" for t in view.body_themes]
    # The evidence appendix lists passages, which exist only when the source text is there (../shared).
    appendix = [L.evidence_appendix] if view.evidence_items else []
    assert headings == [L.bottom_line, L.figures, *themes, L.sources, *appendix]
    assert set(texts(document, "Heading 2")) >= {L.takeaways, L.facts, L.quotes, L.implications, L.risks,
                                                  L.recommendations}
    assert len(texts(document, "List Number")) >= len(view.themes)  # takeaways, actions, evidence
    assert texts(document, "List Bullet") and texts(document, "Quote") and texts(document, "Caption")
    assert texts(document, "Bibliography")[0].startswith("[1]\t")
    figures = document.tables[1]
    assert figures.style.name == "Figures Table"
    assert len(figures.rows) == len(view.figures) + 1
    assert [c.text for c in figures.rows[0].cells] == [L.figure, L.what, L.basis, L.source]
    assert figures.rows[0]._tr.trPr.find(W + "tblHeader") is not None  # repeats on every page
    # Brand fonts and colours are in the styles, not on the runs.
    brand = view.brand
    heading = document.styles["Heading 1"].font
    assert heading.name == brand.fonts.heading.family
    assert heading.color.rgb == RGBColor.from_string(brand.colours.primary.lstrip("#").upper())
    assert document.styles["Normal"].font.name is None  # from the defaults: the body font
    assert brand.fonts.body.family in part(technical[2], "word/styles.xml").split("<w:style ")[0]


def test_lists_restart_their_numbers(technical):
    _, document, _ = technical
    numbered = [p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style.name == "List Number"]
    lists = list(dict.fromkeys(numbered))
    assert len(lists) >= 3  # takeaways, each theme's recommendations, the actions, the evidence
    numbering = document.part.numbering_part.element
    for num_id in lists:
        assert numbering.num_having_numId(num_id).xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]


def test_contents_field_is_filled_by_word_on_opening(technical):
    _, document, data = technical
    body = part(data, "word/document.xml")
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert '<w:updateFields w:val="true"/>' in part(data, "word/settings.xml")
    assert texts(document, "TOC Heading") == [technical[0].labels.contents]
    shown = texts(document, "toc 1")  # the headings, until Word puts page numbers beside them
    assert shown[0] == technical[0].labels.bottom_line and len(shown) == len(texts(document, "Heading 1"))


def test_header_and_footer_have_title_classification_and_page_fields(technical):
    view, document, data = technical
    section = document.sections[0]
    assert section.different_first_page_header_footer  # the cover has none
    header, footer = FORMATS.get("docx").blocks(data)[:2]  # read back with the fields' shown results
    assert header == f"{typographic(view.title)}\t{view.classification}"
    assert footer == "Page 1 of 1"
    footer = part(data, "word/footer1.xml")
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert 'w:instr=" TITLE "' in part(data, "word/header1.xml")


def test_document_properties_come_from_the_brief_and_source_date_epoch(technical):
    view, document, data = technical
    properties = document.core_properties
    assert properties.title == typographic(view.title)
    assert properties.language == view.language == "en"
    assert properties.author == view.author and properties.category == view.classification
    assert properties.keywords == ", ".join(view.keywords)
    assert properties.subject == f"{view.audience.name} brief"
    assert properties.created.isoformat() == properties.modified.isoformat() == "2023-11-14T22:13:20+00:00"
    assert "<Application>briefing</Application>" in part(data, "docProps/app.xml")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"] and "docProps/thumbnail.jpeg" not in names
    assert "<w:rsids>" not in part(data, "word/settings.xml")


def test_every_item_of_every_view_is_in_its_document(sample_docx):
    result, out = sample_docx
    assert docx_warnings(result) == []
    word = FORMATS.get("docx")
    for (brief, audience), view in result.views.items():
        blocks = [fold(block) for block in word.blocks((out / audience / f"{brief}.docx").read_bytes())]
        for item in expected_items(view):
            assert any(item.folded in block for block in blocks), (audience, item.name)
    view = result.views[("ai-silicon", "technical")]
    quotes = [q for theme in view.body_themes for q in theme.items("quotes")]
    assert quotes and view.figures


def shown_charts(view) -> list:
    return [chart for theme in view.body_themes if "charts" in theme.sections for chart in theme.items("charts")]


def following(element, count: int) -> list:
    """The ``count`` body elements after ``element``."""
    found = []
    while len(found) < count:
        element = element.getnext()
        found.append(element)
    return found


def test_charts_are_figures_with_alt_text_a_data_table_and_their_sources(technical):
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from PIL import Image

    view, document, _ = technical
    charts = shown_charts(view)
    assert {chart.id for chart in charts} == {"claimed-multiples", "training-share", "supercomputer-money"}
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    L = view.labels
    for chart in charts:
        takeaway = plain_text(inline_spans(chart.takeaway))
        [caption] = [p for p in captions if p.text == f"{typographic(chart.title)}. {takeaway}"]
        assert caption.paragraph_format.keep_with_next  # the caption stays with its drawing
        drawing, data, source = following(caption._p, 3)
        # The drawing: in line, as wide as the text, described by the takeaway, a PNG at print resolution.
        [inline] = drawing.xpath(".//wp:inline")
        assert inline.docPr.get("descr") == inline.docPr.get("title") == takeaway
        assert abs(inline.extent.cx - text_width) <= 635
        blip = inline.graphic.graphicData.pic.blipFill.blip.embed
        image = Image.open(io.BytesIO(document.part.related_parts[blip].blob))
        assert image.format == "PNG" and image.width >= 2000
        assert abs(inline.extent.cx / inline.extent.cy - image.width / image.height) < 0.01
        # The data: a row per value, its label, value as the audience reads it, and citation or derivation.
        table = Table(data, document)
        assert table.style.name == "Figures Table"
        assert [c.text for c in table.rows[0].cells] == [L.what, L.figure, L.source]
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert [row[:2] for row in rows] == [[typographic(p.label), point_text(chart, p, L, view.language)]
                                             for p in chart.points]
        for point, row, tr in zip(chart.points, rows, table.rows[1:], strict=True):
            if point.derived:
                assert row[2] == L.derived.format(how=typographic(point.derived))
            else:
                number = view.cite(point.source)
                assert row[2] == f"[{number}]"
                assert tr._tr.xpath(".//w:hyperlink/@w:anchor") == [f"source_{number}"]  # as every citation
        assert data.tblPr.find(W + "tblCaption").get(W + "val") == f"{L.chart_data}: {typographic(chart.title)}"
        # The source line: the publisher, linked to the sources list, and how any derived value is derived.
        line = Paragraph(source, document)
        assert line.style.name == "Caption" and line.text.startswith("Source: Business Insider[1]")
        assert ("derived: " in line.text) == any(point.derived for point in chart.points)


def test_citations_link_to_bookmarks_on_the_sources_list(technical):
    view, document, data = technical
    body = part(data, "word/document.xml")
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"/>', body))
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', body)
    assert anchors.count("source_1") >= len(view.figures)
    assert set(anchors) <= bookmarks
    sources = [p for p in document.paragraphs if p.style.name == "Bibliography"]
    assert sources[0]._p.xpath("./w:bookmarkStart/@w:name") == ["source_1"]
    assert "businessinsider.com" in document.part.rels[sources[0]._p.xpath(".//w:hyperlink/@r:id")[0]].target_ref


def test_two_renders_are_byte_identical(sample):
    target = make_target(sample, "investor")
    fmt = FORMATS.get("docx")
    (_, request), = render_requests(sample, [target], [fmt])
    first, second = fmt.job(request).run().data, fmt.job(request).run().data
    assert first == second
    assert zipfile.ZipFile(io.BytesIO(first)).infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_a_project_reference_docx_wins_and_an_audience_one_wins_for_it(make_project):
    root = make_project()
    assert main(["templates", "eject", "reference.docx", str(root)]) == 0
    assert main(["templates", "eject", "reference.docx", str(root)]) == 2  # never overwritten by accident
    reference = Document(root / "templates" / "reference.docx")
    assert "Heading 1" in [p.style.name for p in reference.paragraphs]  # a sample of each style to restyle

    def restyle(path, font: str, colour: str) -> None:
        document = Document(path)
        heading = document.styles["Heading 1"].font
        heading.name, heading.color.rgb = font, RGBColor.from_string(colour)
        document.save(path)

    restyle(root / "templates" / "reference.docx", "Georgia", "C00000")
    (root / "templates" / "technical").mkdir()
    (root / "templates" / "technical" / "reference.docx").write_bytes(
        (root / "templates" / "reference.docx").read_bytes())
    restyle(root / "templates" / "technical" / "reference.docx", "Courier New", "00A000")
    result = build(root, formats=["docx"], jobs=1)
    assert docx_warnings(result) == []
    for audience, font, colour in (("executive", "Georgia", "C00000"), ("technical", "Courier New", "00A000")):
        document = Document(root / "output" / audience / "widgets.docx")
        heading = document.styles["Heading 1"].font
        assert (heading.name, str(heading.color.rgb)) == (font, colour), audience
        assert texts(document, "Heading 1")[0] == "Bottom line"  # the body is the brief's, not the sample's
        assert "Title" not in [p.text for p in document.paragraphs]
        header = FORMATS.get("docx").blocks((root / "output" / audience / "widgets.docx").read_bytes())[0]
        assert header == "The widget market\tInternal"  # the reference's fields, refreshed for this brief


def test_a_reference_outside_the_project_is_refused(make_project, tmp_path):
    root = make_project()
    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes(b"PK")
    (root / "templates").mkdir()
    (root / "templates" / "reference.docx").symlink_to(outside)
    with pytest.raises(RenderError, match="reference.docx.*outside the project"):
        build(root, formats=["docx"], jobs=1)


def test_a_french_profile_has_no_english_word(make_project):
    from test_extension import FRENCH, english_template_words

    root = make_project(FRENCH)
    result = build(root, formats=["docx"], jobs=1)
    assert docx_warnings(result) == []
    data = (root / "output" / "direction" / "widgets.docx").read_bytes()
    text = FORMATS.get("docx").text(data)
    found = sorted(word for word in english_template_words() if re.search(rf"\b{re.escape(word)}\b", text))
    assert found == []
    assert "L’essentiel" in text and "Page 1 sur 1" in text and "12 janvier 2025" in text
    assert "Affirmation : Widget SA" in text and "Trimestre prochain" in text
    document = Document(io.BytesIO(data))
    assert document.core_properties.language == "fr"
    assert '<w:lang w:val="fr-FR"/>' in part(data, "word/styles.xml")  # what Word's proofing tools want


def test_hostile_content_is_text_never_markup(make_project):
    statement = ("Prices fell 20% <script>alert(1)</script><b>raw</b> &lt;i&gt;shown&lt;/i&gt; "
                 "[click](javascript:alert(1)) [ok](https://example.org/ok)")
    root = make_project({"content/briefs/widgets/themes/01-prices.yaml": f"""\
        id: prices
        title: Prices <img src=x onerror=alert(1)>
        takeaway: "Widget prices fell sharply this quarter."
        summary: Prices fell by a fifth.
        facts:
          - statement: "{statement}"
            source: memo
        """})
    build(root, formats=["docx"], jobs=1)
    data = (root / "output" / "technical" / "widgets.docx").read_bytes()
    body = part(data, "word/document.xml")
    assert "<script" not in body and "<b>" not in body and "<img" not in body and "javascript" not in body
    document = Document(io.BytesIO(data))
    fact = next(p for p in document.paragraphs if p.text.startswith("Prices fell 20%"))
    assert "raw <i>shown</i> click ok" in fact.text  # an escaped tag is text; a raw one is stripped
    assert not any(run.bold for run in fact.runs)
    links = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert "https://example.org/ok" in links and not [link for link in links if "javascript" in link]


def png(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x14\x36\x5d" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_a_png_logo_is_on_the_cover_and_in_the_cache_key(make_project):
    root = make_project({"brand.yaml": "logo: logo.png\n", "logo.png": png()})
    build(root, formats=["docx"], jobs=1)
    document = Document(root / "output" / "technical" / "widgets.docx")
    pictures = document.inline_shapes
    assert len(pictures) == 1 and pictures[0]._inline.docPr.get("descr") == "Test Org"
    project = load_project(root)
    fmt = FORMATS.get("docx")
    (_, request), = render_requests(project, [make_target(project, "technical")], [fmt])
    before = fmt.cache_inputs(request)
    write_files(root, {"logo.png": png(6, 3)})
    assert fmt.cache_inputs(request)["logo"] != before["logo"]
    assert before["reference"] is None
