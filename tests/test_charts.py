"""Charts: every plotted value sourced, drawn by Vega-Lite in every format, accessible, reproducible, cached.

The sample's charts are read from the session's sample build; the checks and the cache are tried on a
small project of our own with a source text written for these tests.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing import load_project
from briefing.charts import render as chart_render
from briefing.errors import ContentError
from briefing.models import Chart
from briefing.pipeline import build
from tests.conftest import problems_of, write_files
from tests.readers import parse_html

SVG = "{http://www.w3.org/2000/svg}"
SAMPLE_CHARTS = {"claimed-multiples", "training-share", "supercomputer-money"}

SOURCE = """Lumen Grid reports a record year

Lumen Grid said its batteries now store 40% of the region's solar power, up from 25% a year earlier.
Rivals hold the rest of the market. The company expects to spend hundreds of millions of euros on new sites.
"""
CHART = """\
id: storage
title: Storage share
takeaway: Lumen Grid stores much of the region's solar power.
summary: Storage grew.
charts:
  - id: storage-share
    title: Share of solar power stored
    takeaway: Lumen Grid now stores two fifths of the region's solar power.
    kind: share
    unit: "%"
    points:
      - label: Lumen Grid
        value: {value}
        source: lumen
        evidence: {evidence}
      - label: Everyone else
        value: {rest}
        derived: 100% minus Lumen Grid's share
recommendations:
  - action: Watch storage.
"""


def _chart_project(make_project, value: float = 40, evidence: str = "now store 40% of the region's solar power",
                   rest: float | None = None) -> Path:
    root = make_project()
    sources = (root / "content/sources.yaml").read_text()
    write_files(root, {
        "sources/lumen.txt": SOURCE,
        "content/sources.yaml": sources + "  - id: lumen\n    title: Lumen Grid's year\n    publisher: Grid Weekly\n"
                                          "    text: sources/lumen.txt\n",
        "content/briefs/widgets/themes/03-storage.yaml": CHART.format(
            value=value, evidence=evidence, rest=100 - value if rest is None else rest),
    })
    return root


def _error_at(root: Path, field: str, fragment: str) -> None:
    """``check`` reports an error at ``field`` of the chart theme, naming its line, mentioning ``fragment``."""
    problems = [p for p in problems_of(root) if p.file.endswith("03-storage.yaml")]
    found = [p for p in problems if p.field_path == field and fragment in p.message and p.line]
    assert found, "\n".join(p.format() for p in problems)


# -- the sample's charts, as readers get them --------------------------------------------------------

def test_html_charts_have_an_accessible_name_a_dark_variant_and_a_data_table(sample_build):
    _, out = sample_build
    html = (out / "technical" / "ai-silicon.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="chart chart-(\w+)" id="chart-([\w-]+)">(.*?)</figure>', html, re.S)
    assert {chart_id for _, chart_id, _ in figures} == SAMPLE_CHARTS
    for _kind, chart_id, body in figures:
        drawings = re.findall(r"<svg\b.*?</svg>", body, re.S)
        variants = ("light", "dark", "light-narrow", "dark-narrow")
        assert len(drawings) == 4, "light and dark drawings, wide and for phones"
        for variant, drawing in zip(variants, drawings, strict=True):
            root = ET.fromstring(drawing)
            assert root.get("role") == "img"
            title_id, desc_id = root.get("aria-labelledby", "").split()
            assert root.find(f"{SVG}title").get("id") == title_id == f"chart-{chart_id}-{variant}-title"
            assert root.find(f"{SVG}desc").text and root.find(f"{SVG}desc").get("id") == desc_id
            tags = {element.tag.removeprefix(SVG) for element in root.iter()}
            assert tags <= {"svg", "g", "path", "rect", "line", "text", "tspan", "title", "desc", "defs", "clipPath"}
            assert not any(name.startswith("on") or "href" in name for el in root.iter() for name in el.attrib)
        table = re.search(r'<details class="chart-data"><summary>The data</summary>(.*?)</details>', body, re.S)
        assert table and "<table>" in table.group(1) and '<th scope="row">' in table.group(1)
    share = next(body for kind, _, body in figures if kind == "share")
    assert "<td class=\"num\">99%</td>" in share and "derived: 100% minus Nvidia’s 99%" in share
    assert "Source: Business Insider" in share
    page = parse_html(html)
    assert page.headings  # the page still parses with inline drawings in it


def test_the_pdf_draws_charts_as_vectors_with_text(sample_build):
    _, out = sample_build
    pdf = out / "technical" / "ai-silicon.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("Trainium3 servers vs", "over 5×", "$100 billion", "Nvidia: 99%", "Everyone else: 1%"):
        assert words in text, words
    reader = PdfReader(pdf)
    images = [name for page in reader.pages for name, obj in (page["/Resources"].get("/XObject") or {}).items()
              if obj.get_object().get("/Subtype") == "/Image"]
    assert images == [], "charts are vectors, not pictures"
    assert "The data" not in text, "the data table is for screens; on paper the values are on the drawing"


def test_markdown_charts_are_files_beside_the_brief_with_alt_text_and_a_data_table(sample_build):
    _, out = sample_build
    markdown = (out / "technical" / "ai-silicon.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", markdown)
    assert {Path(path).stem for _, path in images} == SAMPLE_CHARTS
    for alt, path in images:
        assert len(alt.split()) >= 5, "the alt text states the takeaway"
        drawing = (out / "technical" / path).read_text(encoding="utf-8")
        assert ET.fromstring(drawing).get("role") == "img" and 'fill="#ffffff"' in drawing.replace("#fff\"", "")
    assert "| Nvidia | 99% | [1] |" in markdown
    assert "| Everyone else | 1% | derived: 100% minus Nvidia’s 99% |" in markdown
    executive = (out / "executive" / "ai-silicon.md").read_text(encoding="utf-8")
    assert len(re.findall(r"!\[", executive)) == 1, "charts_limit: 1"
    assert not (out / "board" / "ai-silicon-charts").exists(), "an audience without charts gets no chart files"


def test_the_executive_brief_carries_one_chart_on_its_one_page(sample_build):
    _, out = sample_build
    assert len(PdfReader(out / "executive" / "ai-silicon.pdf").pages) == 1
    html = (out / "executive" / "ai-silicon.html").read_text(encoding="utf-8")
    assert re.findall(r'<figure class="chart chart-\w+" id="chart-([\w-]+)"', html) == ["training-share"]


# -- what the checks refuse ------------------------------------------------------------------------------

def test_a_chart_value_whose_evidence_is_not_in_the_source_is_an_error(make_project):
    root = _chart_project(make_project, evidence="now store 45% of the region's solar power")
    _error_at(root, "charts[0].points[0].evidence", "evidence not found in the text of source 'lumen'")


def test_a_chart_value_that_differs_from_its_evidence_is_an_error(make_project):
    root = _chart_project(make_project, value=45)
    _error_at(root, "charts[0].points[0].value", "figure 45% does not match its evidence: the source says 40%")


def test_the_parts_of_a_share_chart_must_add_up(make_project):
    root = _chart_project(make_project, rest=50)
    _error_at(root, "charts[0].points", "add up to 90%, not 100%")


def test_a_vague_amount_can_never_be_plotted_as_an_exact_number(make_project):
    root = _chart_project(make_project, value=100000000, evidence="hundreds of millions of euros on new sites",
                          rest=0)
    _error_at(root, "charts[0].points[0].qualifier",
              "is exact, but the source gives only an order of magnitude ('hundreds of millions')")
    with pytest.raises(ValueError, match="a vague amount cannot be plotted"):
        Chart.model_validate({"id": "x", "title": "t", "takeaway": "t", "kind": "bar", "points": [
            {"label": "a", "value": 1e8, "qualifier": "order of magnitude", "source": "memo", "evidence": "e e e e"}]})


def test_a_value_without_source_or_derivation_is_refused(make_project):
    root = _chart_project(make_project)
    path = root / "content/briefs/widgets/themes/03-storage.yaml"
    path.write_text(path.read_text().replace("        derived: 100% minus Lumen Grid's share\n", ""))
    with pytest.raises(ContentError) as caught:
        load_project(root)
    assert "cites a source and its evidence" in str(caught.value)


# -- reproducible and cached -------------------------------------------------------------------------------

def test_charts_are_reproducible_and_cached(make_project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1736000000")
    root = _chart_project(make_project)
    first = build(root, formats=["md", "html"], out_dir=tmp_path / "a")
    drawings = sorted((tmp_path / "a").rglob("*.svg"))
    assert [p.name for p in drawings if "charts" in p.parent.name] == ["storage-share.svg"] * 2
    before = chart_render.renders
    build(root, formats=["md", "html"], out_dir=tmp_path / "a")
    assert chart_render.renders == before, "a no-op rebuild renders no chart"
    chart_render._MEMORY.clear()  # a new process: the project's cache folder still has every drawing
    second = build(root, formats=["md", "html"], out_dir=tmp_path / "b", force=True)
    assert chart_render.renders == before, "cached drawings are reused across processes"
    for output in first.outputs:
        other = tmp_path / "b" / output.path.relative_to(tmp_path / "a")
        assert output.path.read_bytes() == other.read_bytes(), output.path.name
    assert len(second.outputs) == len(first.outputs)
    # A chart that goes away takes its drawing with it.
    theme = root / "content/briefs/widgets/themes/03-storage.yaml"
    theme.write_text(theme.read_text().split("charts:")[0] + "recommendations:\n  - action: Watch storage.\n")
    build(root, formats=["md", "html"], out_dir=tmp_path / "a")
    assert not [p for p in (tmp_path / "a").rglob("*.svg") if "charts" in p.parent.name]


def test_hostile_chart_words_stay_text(make_project):
    payload = '<script>alert(1)</script>"><svg onload=alert(1)>'
    root = _chart_project(make_project)
    path = root / "content/briefs/widgets/themes/03-storage.yaml"
    path.write_text(path.read_text().replace("label: Everyone else", f"label: '{payload}'")
                    .replace("title: Share of solar power stored", f"title: '{payload}'"))
    build(root, formats=["md", "html"])
    html = (root / "output/technical/widgets.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "onload" not in html.replace("&lt;svg onload", "")
    for drawing in re.findall(r"<svg\b.*?</svg>", html, re.S):
        root_element = ET.fromstring(drawing)
        assert all(not name.startswith("on") for el in root_element.iter() for name in el.attrib)
        assert {el.tag.removeprefix(SVG) for el in root_element.iter()} <= {
            "svg", "g", "path", "rect", "line", "text", "tspan", "title", "desc", "defs", "clipPath"}
    markdown = (root / "output/technical/widgets.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown


@pytest.mark.parametrize("kind", ["bar", "column", "range", "share", "line"])
def test_every_kind_of_chart_draws_its_labels_and_values_as_text(kind):
    from briefing.brand import Brand
    from briefing.charts import ChartRenderer
    from briefing.labels import resolve_labels

    points = [{"label": label, "value": value, "source": "s", "evidence": "four words of evidence"}
              for label, value in (("Łódź depot", 30), ("Harbour works", 45), ("Other sites", 25))]
    if kind == "range":
        for point in points:
            point["upper"] = point["value"] + 10
    chart = Chart.model_validate({"id": f"k-{kind}", "title": "Kinds", "takeaway": "Each kind draws.",
                                  "kind": kind, "unit": "%", "points": points})
    drawing = ChartRenderer(Brand(), resolve_labels("fr"), "fr").svg(chart)
    words = " ".join(" ".join(el.itertext()) for el in ET.fromstring(drawing).iter(f"{SVG}text"))
    for point in points:
        assert point["label"].split()[0] in words
    assert ("30–40%" if kind == "range" else "30%") in words, words


def _kind_chart(kind: str, highlight: str | None = None) -> Chart:
    points = [{"label": label, "value": value, "source": "s", "evidence": "four words of evidence"}
              for label, value in (("North", 30), ("South", 45), ("East", 25))]
    if kind == "range":
        for point in points:
            point["upper"] = point["value"] + 10
    return Chart.model_validate({"id": f"k-{kind}", "title": "Kinds", "takeaway": "Each kind draws.",
                                 "kind": kind, "unit": "%", "points": points, "highlight": highlight})


@pytest.mark.parametrize("kind", ["bar", "column", "range", "share", "line"])
def test_dark_drawings_recoloured_from_light_ones_are_what_the_engine_draws(kind):
    import vl_convert

    from briefing.brand import Brand
    from briefing.charts import ChartRenderer
    from briefing.charts.svg import clean_svg
    from briefing.labels import resolve_labels

    chart = _kind_chart(kind, highlight="South" if kind in ("bar", "column") else None)
    brand = Brand.model_validate({"colours": {"primary": "#0B5FFF", "accent": "#C2410C"}})
    dark = brand.colours.dark["primary"]
    renderer = ChartRenderer(brand, resolve_labels("en"), "en")
    for variant in ("dark", "dark-narrow"):
        recoloured = renderer._recoloured(chart, variant)
        assert recoloured is not None, "light and dark specifications differ in more than colours"
        drawn = vl_convert.vegalite_to_svg(renderer.spec(chart, variant))
        assert clean_svg(recoloured.decode(), "c", "t", "d") == clean_svg(drawn, "c", "t", "d")
        assert dark.lower() in recoloured.decode().lower() and "#0b5fff" not in recoloured.decode().lower()


def test_a_drawing_is_the_same_whatever_the_engine_drew_before():
    from briefing.brand import Brand
    from briefing.charts import ChartRenderer
    from briefing.labels import resolve_labels

    renderer = ChartRenderer(Brand(), resolve_labels("en"), "en")
    chart = _kind_chart("bar")
    first = renderer.svg(chart)
    chart_render._MEMORY.clear()
    renderer.svg(_kind_chart("share"))  # moves the engine's own id counter on
    chart_render._MEMORY.clear()
    assert renderer.svg(chart) == first
