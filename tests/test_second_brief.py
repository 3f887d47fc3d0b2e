"""A second brief shaped unlike the sample (tests/projects/orbital): long names and units, hedged
figures, a theme with nine facts, a theme without quotes, one-item sections; every format reads right."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from readers import md_tokens, parse_html

from briefing.pipeline import build

ORBITAL = Path(__file__).parent / "projects" / "orbital"
SCAFFOLD_AUDIENCES = Path(__file__).resolve().parent.parent / "briefing" / "scaffold" / "content" / "audiences"
# A word broken across two lines at a hyphen.
BROKEN = re.compile(r"(\w+)-\n(\w+)")
WRITTEN = (ORBITAL / "content/briefs/orbital-launch/brief.yaml").read_text() + "".join(
    path.read_text() for path in (ORBITAL / "content/briefs/orbital-launch/themes").glob("*.yaml"))


def hyphenated_breaks(text: str) -> list[str]:
    """Words the engine hyphenated: broken at a hyphen the author did not write."""
    return [f"{a}-{b}" for a, b in BROKEN.findall(text) if f"{a}-{b}" not in WRITTEN]


@pytest.fixture(scope="module")
def orbital(tmp_path_factory):
    root = tmp_path_factory.mktemp("orbital") / "project"
    shutil.copytree(ORBITAL, root)
    result = build(root)
    return root, result


def test_every_format_builds_without_a_warning(orbital):
    _, result = orbital
    assert [w.format() for w in result.warnings] == []  # no parity, budget or engine warning
    assert {o.format for o in result.outputs} >= {"md", "html", "pdf"}


def test_markdown_items_stay_separate_and_names_are_as_written(orbital):
    root, _ = orbital
    text = (root / "output/technical/orbital-launch.md").read_text()
    items = [t.content for t in md_tokens(text) if t.type == "inline" and t.map]
    risks = [item for item in items if "Porting our inference stack" in item or "deprioritises" in item]
    assert len(risks) == 2  # two list items, not one glued line
    assert "*(Claim by Orbital Cloud Infrastructure Engineering (Orbital))*" in text
    facts = [line for line in text.splitlines() if line.startswith("- **") and "[1]" in line]
    assert len([f for f in facts if "Meridian" in f or "Orbital" in f]) >= 8  # the nine-fact theme
    assert "\n1. " in text.split("### Recommendations")[1].split("##")[0]  # one-item section still a list


def test_hedged_figures_keep_their_hedge_in_every_format(orbital):
    root, _ = orbital
    out = root / "output/technical"
    md = (out / "orbital-launch.md").read_text().replace("\u00a0", " ")
    html = parse_html((out / "orbital-launch.html").read_text()).all_text
    pdf = " ".join(page.extract_text() for page in PdfReader(out / "orbital-launch.pdf").pages)
    for hedged in ("about 80%", "over 5×", "up to 600", "below 4 cents"):
        assert hedged in md and hedged.replace(" ", "\u00a0") in html.replace(" ", "\u00a0"), hedged
        assert re.search(re.escape(hedged).replace("\\ ", r"\s"), pdf), hedged


def test_no_hyphenated_break_on_the_cover_in_headings_or_ratings(orbital):
    root, _ = orbital
    reader = PdfReader(root / "output/technical/orbital-launch.pdf")
    cover = reader.pages[0].extract_text()
    assert "Orbital" in cover and hyphenated_breaks(cover) == [], cover
    for page in reader.pages[1:]:
        lines = page.extract_text().splitlines()
        for line, following in zip(lines, lines[1:], strict=False):
            if "likelihood" in line or "impact" in line:
                assert hyphenated_breaks(line + "\n" + following) == [], (line, following)


def test_the_figures_table_wraps_in_its_columns(orbital):
    root, _ = orbital
    page = parse_html((root / "output/technical/orbital-launch.html").read_text())
    assert page.with_class("table", "figures-table") and page.with_class("th", "basis-col")
    reader = PdfReader(root / "output/technical/orbital-launch.pdf")
    texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    first = [i for i, text in enumerate(texts) if "Meridian training throughput relative" in text]
    table_pages = [i for i, text in enumerate(texts) if "Length of the wind power" in text]
    assert len(first) == 1 and table_pages == first  # ten rows, long units and names: still one page


def test_budgets_hold_with_the_profiles_init_writes(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ORBITAL, root)
    shutil.rmtree(root / "content/audiences")
    shutil.copytree(SCAFFOLD_AUDIENCES, root / "content/audiences")
    (root / "briefing.yaml").write_text(
        (root / "briefing.yaml").read_text().replace("audiences: [executive, technical, board]", "audiences: []"))
    result = build(root, formats=["pdf"])
    assert [w.format() for w in result.warnings if "budget" in w.message] == []
    assert len(PdfReader(root / "output/executive/orbital-launch.pdf").pages) == 1


def test_each_figure_and_quote_shows_its_source_passage_on_the_web_page(orbital):
    root, _ = orbital
    html = (root / "output/technical/orbital-launch.html").read_text()
    page = parse_html(html)
    passages = page.with_class("details", "passage")
    assert len(passages) == 13  # twelve facts and one quote, each confirmed by the source's text
    assert "<mark>Meridian servers hold 16 chips each</mark>" in html
    pdf = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(
        root / "output/executive/orbital-launch.pdf").pages)
    assert "In the source" not in pdf  # on demand on the web only


def test_the_technical_audience_has_an_evidence_appendix_in_every_format(orbital):
    root, _ = orbital
    out = root / "output/technical"
    md = (out / "orbital-launch.md").read_text()
    appendix = md.split("## Evidence", 1)[1]
    assert "> Meridian servers hold 16 chips each, and Orbital expects" in appendix.replace("**", "")
    assert appendix.count("> ¶ ") == 11  # ten figures and one quote
    html = parse_html((out / "orbital-launch.html").read_text())
    assert html.with_class("section", "appendix") and len(html.with_class("blockquote", "evidence-words")) == 11
    pdf = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out / "orbital-launch.pdf").pages)
    assert "Evidence Each figure and quote, with the source’s own words." in pdf
    assert "¶ 5" in pdf
    board = (root / "output/board/orbital-launch.md").read_text()
    assert "## Evidence" not in board  # only the audiences that ask for it
