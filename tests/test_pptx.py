"""The PowerPoint deck: opened with python-pptx as a reader's software would, and measured as it was laid out."""

from __future__ import annotations

import io
import pickle
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL_FILES, REPO, write_files

pptx = pytest.importorskip("pptx")

from pptx.enum.shapes import MSO_SHAPE_TYPE  # noqa: E402

from briefing.filters import format_figure  # noqa: E402
from briefing.formats.pptx_base import builtin_reference  # noqa: E402
from briefing.formats.pptx_fit import FontBook, frame_overflow  # noqa: E402
from briefing.formats.pptx_render import presentation_blocks  # noqa: E402
from briefing.labels import resolve_labels  # noqa: E402
from briefing.parity import check_parity, fold  # noqa: E402
from briefing.pipeline import build, render_requests  # noqa: E402
from briefing.registry import FORMATS  # noqa: E402
from briefing.select import make_target  # noqa: E402

BOOK = FontBook.builtin()
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def open_deck(path: Path):
    return pptx.Presentation(str(path))


def deck_text(prs) -> str:
    return "\n".join(presentation_blocks(prs))


def overflows(prs, book: FontBook = BOOK) -> list[str]:
    """Every text frame and table cell whose text is taller than its box by the renderer's measure, every
    shape off the slide, and every run without an explicit size (which the measure would have to guess)."""
    found = []
    width, height = prs.slide_width, prs.slide_height
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            where = f"slide {number} ({slide.name}) '{shape.name}'"
            if shape.left < 0 or shape.top < 0 or shape.left + shape.width > width or shape.top + shape.height > height:
                found.append(f"{where} is off the slide")
            if shape.has_text_frame:
                over = frame_overflow(shape._element, shape.width, shape.height, book)
                if over > 0.05:
                    found.append(f"{where} is {over:.1f} pt too short for {shape.text_frame.text[:50]!r}")
            if getattr(shape, "has_table", False) and shape.has_table:
                table = shape.table
                for row in table.rows:
                    for column, cell in zip(table.columns, row.cells, strict=True):
                        over = frame_overflow(cell._tc, column.width, row.height, book)
                        if over > 0.05:
                            found.append(f"{where}: a cell is {over:.1f} pt too short for {cell.text[:50]!r}")
                if shape.height < sum(row.height for row in table.rows) - 12700:
                    found.append(f"{where}: the table is taller than its frame")
            for run in shape._element.iter(f"{_A}r"):
                props = run.find(f"{_A}rPr")
                if props is None or props.get("sz") is None:
                    found.append(f"{where}: a run has no size")
    return found


def slides_named(prs, prefix: str) -> list:
    return [slide for slide in prs.slides if slide.name == prefix or slide.name.startswith(prefix + " ")
            or slide.name.startswith(prefix + "-")]


# -- builds, once per module ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_decks(sample, tmp_path_factory):
    """Every audience of the sample as a deck (on the engine pool, as the build runs it)."""
    out = tmp_path_factory.mktemp("sample-pptx")
    result = build(sample, formats=["pptx"], out_dir=out)
    return result, out


@pytest.fixture(scope="module")
def orbital_decks(tmp_path_factory):
    root = tmp_path_factory.mktemp("orbital") / "project"
    shutil.copytree(REPO / "tests" / "projects" / "orbital", root, ignore=shutil.ignore_patterns(".briefing"))
    result = build(root, formats=["pptx"], out_dir=root / "output", jobs=1)
    return result, root / "output"


WORDS = ("capacity", "accelerator", "procurement", "interconnect", "benchmark", "throughput", "a", "of", "the",
         "negotiation", "supply", "and", "inference", "cluster", "roadmap", "to", "Widget", "pricing")


def prose(count: int, seed: int = 0) -> str:
    """``count`` words in an order of their own (no text is part of another: items stay distinct)."""
    import random

    pick = random.Random(seed)
    return " ".join(pick.choice(WORDS) for _ in range(count)).capitalize() + "."


UNBROKEN = "https://example.org/" + "very-long-path-" * 20  # one word wider than any box
LONG_THEME = f"""\
    id: long
    title: {prose(25, 1)}
    takeaway: {prose(70, 2)}
    summary: |
      {prose(160, 3)}

      {prose(160, 4)}
    facts:
      - statement: {prose(40, 5)}
        figure: {{value: 12500000, unit: kilowatt-hours of cooling overhead per quarter, qualifier: below,
                  basis: claim, by: {prose(12, 6)}, label: {prose(30, 7)}}}
      - statement: {prose(120, 8)}
      - statement: A link **in bold** to {UNBROKEN} and *on* [the memo](https://example.org/memo).
{chr(10).join(f"      - statement: {prose(18 + i, 20 + i)}" for i in range(6))}
      - statement: {prose(1400, 9)}
    quotes:
      - text: {prose(60, 10)}
        speaker: {prose(8, 11)}
        role: {prose(30, 12)}
        source: interview
    implications:
      - {prose(90, 13)}
    risks:
      - risk: {prose(50, 14)}
        likelihood: high
        impact: low
        mitigation: {prose(45, 15)}
      - risk: {prose(1300, 16)}
        likelihood: low
    recommendations:
      - action: {prose(60, 17)}
        rationale: {prose(80, 18)}
        owner: {prose(14, 19)}
        horizon: watch
    """


def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def long_decks(tmp_path_factory):
    """A brief written for this test: very long titles, statements, quotes, risks; nine facts; a PNG logo."""
    root = tmp_path_factory.mktemp("long") / "project"
    write_files(root, MINIMAL_FILES)
    sources = MINIMAL_FILES["content/sources.yaml"].rstrip(" ") + f"""\
          - id: interview
            title: {prose(40, 21)}
            publisher: {prose(12, 22)}
            url: {UNBROKEN}
        """
    write_files(root, {"content/briefs/widgets/themes/03-long.yaml": LONG_THEME, "content/sources.yaml": sources,
                       "brand.yaml": "logo: content/logo.png\n", "content/logo.png": png(400, 100)})
    result = build(root, formats=["pptx"], out_dir=root / "output", jobs=1)
    return result, root / "output"


# -- the sample ---------------------------------------------------------------------------------------


def test_every_audience_gets_a_16_9_deck_with_no_warning(sample_decks):
    result, out = sample_decks
    assert result.warnings == [], [w.format() for w in result.warnings]
    decks = sorted(out.glob("*/*.pptx"))
    assert [path.parent.name for path in decks] == sorted(["board", "executive", "investor", "technical"])
    for path in decks:
        prs = open_deck(path)
        assert prs.slide_width * 9 == prs.slide_height * 16


def test_the_cover_says_what_for_whom_when(sample_decks):
    _result, out = sample_decks
    cover = open_deck(out / "board" / "ai-silicon.pptx").slides[0]
    text = [shape.text_frame.text for shape in cover.shapes if shape.has_text_frame]
    assert "Big Tech’s custom AI silicon" in text  # the title, typographic as in every format
    assert "Prepared for Board" in text
    assert any("December 5, 2024" in t and "Internal" in t and "Northwind Advisory" in t for t in text)
    assert cover.shapes.title.text_frame.text == "Big Tech’s custom AI silicon"
    assert not [shape for shape in cover.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]  # SVG: none


CONTINUED = re.compile(r" \(\d+\)$")
BESIDE = ("quotes", "implications")


def slide_groups(prs) -> list[str]:
    """The deck's slide names, each slide's continuations folded into it."""
    names = [CONTINUED.sub("", slide.name) for slide in prs.slides]
    return [name for index, name in enumerate(names) if index == 0 or name != names[index - 1]]


def words_slide(theme) -> str | None:
    """The name of the slide of a theme's quotes and implications, when it shows any."""
    shown = [section for section in theme.sections if section in BESIDE and theme.items(section)]
    return f"theme-{theme.number}-" + "-".join(shown) if shown else None


def shown_recommendations(view) -> list:
    """Every recommendation the deck shows, in theme order, each once: those of themes read in full where
    the audience reads them, and the closing action list's."""
    found: list = []
    for theme in view.themes:
        shown = list(theme.items("recommendations")) if "recommendations" in theme.sections else []
        for rec in shown + [rec for owner, rec in view.action_list if owner is theme]:
            if not any(rec is seen for seen in found):
                found.append(rec)
    return found


def check_structure(prs, view) -> set[int]:
    """Title, bottom line, takeaways, figures; per theme its lead slide (and continuations), its charts, its
    quotes and implications; one risks group, one decisions group; sources.  Returns the themes whose quotes
    and implications went onto their lead slide (checked to be there)."""
    groups = slide_groups(prs)
    joined = {theme.number for theme in view.body_themes if words_slide(theme) and words_slide(theme) not in groups}
    expected = ["cover", "bottom-line"] + ["takeaways"] * bool(view.themes) + ["figures"] * bool(view.figures)
    for theme in view.body_themes:
        expected.append(f"theme-{theme.number}")
        if "charts" in theme.sections:
            for chart in theme.items("charts"):
                name = f"theme-{theme.number}-chart-{chart.id}"
                expected += [name] + [f"{name}-data"] * (f"{name}-data" in groups)
        if words_slide(theme) and theme.number not in joined:
            expected.append(words_slide(theme))
    expected += ["risks"] * any(theme.items("risks") for theme in view.body_themes if "risks" in theme.sections)
    expected += ["decisions"] * bool(shown_recommendations(view)) + ["sources"] * bool(view.citations)
    assert groups == expected
    labels = view.labels
    for theme in view.body_themes:
        if theme.number in joined:  # under the facts of the lead slide's last slide
            last = slides_named(prs, f"theme-{theme.number}")[-1]
            shown = fold(" ".join(presentation_blocks_of(last)))
            for section in BESIDE:
                if section in theme.sections and theme.items(section):
                    assert fold(labels[section]) in shown
                    assert all(fold(item if isinstance(item, str) else item.text) in shown
                               for item in theme.items(section))
            assert overlapping(last) == [], last.name
    return joined


def test_each_theme_is_its_lead_slide_charts_and_one_slide_of_quotes_and_implications(sample_decks):
    result, out = sample_decks
    for (brief, audience), view in result.views.items():
        check_structure(open_deck(out / audience / f"{brief}.pptx"), view)
    view = result.views[("ai-silicon", "technical")]
    prs = open_deck(out / "technical" / "ai-silicon.pptx")
    assert len(prs.slides) <= 20  # 36 when each section had a slide of its own
    joined = check_structure(prs, view)
    apart = {theme.number for theme in view.body_themes if words_slide(theme)} - joined
    assert joined and apart  # the sample has both: short ones on the lead slide, longer ones on their own
    for theme in view.body_themes:
        lead = slides_named(prs, f"theme-{theme.number}")[0]
        assert fold(lead.shapes.title.text_frame.text) == fold(theme.takeaway)
        bullets = [p for shape in lead.placeholders if shape.placeholder_format.idx == 1
                   for p in shape.text_frame.paragraphs]
        assert 1 <= len(bullets) <= 5 and len(bullets) == len(theme.items("facts"))
    # The quotes and implications of a theme: one slide, titled with the theme's title, two labelled blocks
    # side by side.
    theme = next(theme for theme in view.body_themes if theme.number in apart)
    [slide] = [slide for slide in prs.slides if CONTINUED.sub("", slide.name) == words_slide(theme)]
    assert fold(slide.shapes.title.text_frame.text) == fold(theme.title)
    blocks = [shape for shape in slide.shapes if shape.has_text_frame and shape.top > slide.shapes.title.top
              and shape.text_frame.text.startswith((view.labels.quotes, view.labels.implications))]
    assert [block.text_frame.paragraphs[0].text for block in blocks] == [view.labels.quotes, view.labels.implications]
    assert blocks[0].top == blocks[1].top and blocks[0].left + blocks[0].width < blocks[1].left
    assert overlapping(slide) == []
    # At 'takeaway' depth a theme has no slide of its own, at 'summary' depth one and its chart.
    view = result.views[("ai-silicon", "executive")]
    assert {theme.depth for theme in view.themes} == {"takeaway", "summary"}  # the sample's executive mixes them
    executive = open_deck(out / "executive" / "ai-silicon.pptx")
    assert [slide.name for slide in executive.slides] == ["cover", "bottom-line", "takeaways", "theme-2",
                                                          "theme-2-chart-training-share", "decisions", "sources"]


def table_rows(slide) -> list[list[list[str]]]:
    """A slide's table: row -> cell -> paragraphs."""
    [table] = [shape.table for shape in slide.shapes if shape.has_table]
    return [[[p.text for p in cell.text_frame.paragraphs if p.text] for cell in row.cells] for row in table.rows]


def check_theme_column(rows: list[list[list[str]]], themes: list) -> None:
    """The first column names a row's theme on the first row of its theme on each slide, else is empty."""
    for index, (row, theme) in enumerate(zip(rows, themes, strict=True)):
        first = index == 0 or themes[index - 1] is not theme
        assert row[0] == ([f"{theme.number} · {plain_words(theme.title)}"] if first else []), row[0]


def plain_words(text: str) -> str:
    from briefing.formats.pptx_content import words

    return words(text)


def test_one_risks_table_holds_every_risk_of_the_brief(sample_decks):
    result, out = sample_decks
    columns_seen = set()
    for (brief, audience), view in result.views.items():
        prs = open_deck(out / audience / f"{brief}.pptx")
        expected = [(theme, risk) for theme in view.body_themes if "risks" in theme.sections
                    for risk in theme.items("risks")]
        slides = slides_named(prs, "risks")
        assert bool(slides) == bool(expected), audience
        shown, notes = [], ""
        for slide in slides:
            rows = table_rows(slide)
            header = [cell[0] if cell else "" for cell in rows[0]]
            labels = view.labels
            assert header[:4] == ["", labels.risk, labels.likelihood, labels.impact], header  # repeated on each
            columns_seen.add(len(header))
            themes = [theme for theme, _risk in expected[len(shown):len(shown) + len(rows) - 1]]
            check_theme_column(rows[1:], themes)
            shown += [row[1] for row in rows[1:]]
            notes += slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        # Each risk a cell of its own, in theme order.
        assert [[fold(p) for p in cell] for cell in shown] == [[fold(risk.risk)] for _theme, risk in expected]
        if shown and len(header) == 4:  # the mitigations took more slides: they are in the notes
            assert all(fold(risk.mitigation) in fold(notes) for _theme, risk in expected if risk.mitigation)
    assert columns_seen == {4, 5}  # the sample shows both: with mitigations, and without when they do not fit


def test_one_decisions_table_holds_every_recommendation_once(sample_decks):
    result, out = sample_decks
    for (brief, audience), view in result.views.items():
        prs = open_deck(out / audience / f"{brief}.pptx")
        expected = shown_recommendations(view)
        slides = slides_named(prs, "decisions")
        assert bool(slides) == bool(expected)
        shown = []
        for slide in slides:
            rows = table_rows(slide)
            assert [cell[0] if cell else "" for cell in rows[0]][1:] == [view.labels.decision, view.labels.owner,
                                                                         view.labels.horizon]
            shown += [row[1][0] for row in rows[1:]]
        assert [fold(text) for text in shown] == [fold(rec.action) for rec in expected], audience
        folded = fold(deck_text(prs))
        assert all(folded.count(fold(rec.action)) == 1 for rec in expected)  # once, not again in a theme
    executive = result.views[("ai-silicon", "executive")]
    assert executive.action_list and all(any(rec is found for found in shown_recommendations(executive))
                                         for _theme, rec in executive.action_list)


def test_every_figure_quote_and_item_of_the_view_is_on_a_slide(sample_decks):
    result, out = sample_decks
    for (brief, audience), view in result.views.items():
        prs = open_deck(out / audience / f"{brief}.pptx")
        blocks = presentation_blocks(prs)
        assert check_parity(view, "pptx", blocks, "", audience) == []
        folded = fold(" ".join(blocks))
        language, labels = view.language, view.labels
        for theme in view.body_themes:
            for fact in theme.items("facts") if "facts" in theme.sections else ():
                if fact.figure is not None:
                    shown = format_figure(fact.figure, language, labels.qualifier(fact.figure.qualifier)
                                          if fact.figure.qualifier else None, labels)
                    assert fold(shown) in folded, (audience, shown)
            for quote in theme.items("quotes") if "quotes" in theme.sections else ():
                assert fold(quote.text) in folded and fold(quote.speaker) in folded


def test_the_speaker_notes_carry_the_theme_summary(sample_decks):
    result, out = sample_decks
    view = result.views[("ai-silicon", "technical")]
    prs = open_deck(out / "technical" / "ai-silicon.pptx")
    for theme in view.body_themes:
        lead = slides_named(prs, f"theme-{theme.number}")[0]
        notes = lead.notes_slide.notes_text_frame.text
        assert fold(theme.summary.split("\n")[0].replace("**", "")) in fold(notes)
    if view.evidence:  # with the source's text: the technical audience's notes have the words behind each fact
        notes = slides_named(prs, "theme-1")[0].notes_slide.notes_text_frame.text
        assert "30-40% better price performance" in notes
        assert "better price performance" not in deck_text(prs)  # notes are not what the slides show


def test_no_text_overflows_its_box_in_any_sample_deck(sample_decks):
    _result, out = sample_decks
    for path in sorted(out.glob("*/*.pptx")):
        assert overflows(open_deck(path)) == [], path


def test_the_overflow_measure_can_fail(sample_decks):
    _result, out = sample_decks
    prs = open_deck(out / "technical" / "ai-silicon.pptx")
    shape = prs.slides[1].placeholders[1]  # the bottom line's text
    shape.height = shape.height // 4
    assert overflows(prs) and "too short" in overflows(prs)[0]


# -- long names, long statements, many facts ------------------------------------------------------------


def test_orbital_decks_fit_and_continue_the_nine_facts(orbital_decks):
    result, out = orbital_decks
    assert result.warnings == [], [w.format() for w in result.warnings]
    prs = open_deck(out / "technical" / "orbital-launch.pptx")
    lead, more = slides_named(prs, "theme-1")[:2]
    assert more.name == "theme-1 (2)"
    assert more.shapes.title.text_frame.text.endswith("(continued)")
    assert more.shapes.title.text_frame.text.startswith(lead.shapes.title.text_frame.text)
    for path in sorted(out.glob("*/*.pptx")):
        assert overflows(open_deck(path)) == [], path


def test_very_long_content_is_shrunk_continued_or_shortened_never_overflowing(long_decks):
    result, out = long_decks
    technical, executive = open_deck(out / "technical" / "widgets.pptx"), open_deck(out / "executive" / "widgets.pptx")
    assert overflows(technical) == [] and overflows(executive) == []
    # Full depth: the facts continue over slides, the headline is cut and kept whole in the notes.
    lead = [slide for slide in technical.slides if re.fullmatch(r"theme-3( \(\d+\))?", slide.name)]
    assert len(lead) >= 4  # nine facts, one of them longer than a slide
    title = lead[0].shapes.title.text_frame.text
    assert title.endswith("…") and title[:-1].rstrip() in lead[0].notes_slide.notes_text_frame.text
    # Quotes and implications too long for one slide are stacked and continue; the risks table continues
    # with its header repeated.
    words = [slide for slide in technical.slides if slide.name.startswith("theme-3-quotes-implications")]
    assert [slide.name for slide in words] == ["theme-3-quotes-implications", "theme-3-quotes-implications (2)"]
    assert words[1].shapes.title.text_frame.text.endswith("(continued)")
    risks = slides_named(technical, "risks")
    assert len(risks) >= 2 and all(table_rows(slide)[0][1] == ["Risk"] for slide in risks)
    # The unbreakable link is broken between characters, and shown whole.
    assert fold(UNBROKEN) in fold(deck_text(technical))
    # 'summary' depth: the summary is shortened to the lead slide, whole in the notes.
    [summary] = slides_named(executive, "theme-3")
    body = summary.placeholders[1].text_frame.text
    assert body.endswith("…") and len(body) < len(prose(160, 3)) * 2
    assert fold(prose(160, 4)) in fold(summary.notes_slide.notes_text_frame.text)
    # Only the fact longer than a whole slide and the over-long risk cannot be kept whole.
    messages = [w.message for w in result.warnings if "widgets.pptx" in w.file]
    assert any("too long for a slide" in m for m in messages)
    leftover = [m for m in messages if "too long for a slide" not in m and "facts.9 of theme 'long'" not in m
                and "risks.1 of theme 'long'" not in m]
    assert leftover == []


def test_inline_markdown_becomes_runs_and_the_logo_sits_on_the_cover(long_decks):
    _result, out = long_decks
    prs = open_deck(out / "technical" / "widgets.pptx")
    runs = [run for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for run in p.runs]
    assert any(run.text == "in bold" and run.font.bold for run in runs)
    assert any(run.text == "on" and run.font.italic for run in runs)
    assert any(run.text == "the memo" and run.hyperlink.address == "https://example.org/memo" for run in runs)
    [logo] = [shape for shape in prs.slides[0].shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert logo.width == 4 * logo.height and logo.left + logo.width <= prs.slide_width
    assert logo._element.nvPicPr.cNvPr.get("descr") == "Test Org"  # its alternative text, as on the web page


# -- reproducible, themable, translated, safe ------------------------------------------------------------


def test_two_renders_are_byte_identical(loaded_minimal):
    fmt = FORMATS.get("pptx")
    [(_fmt, request)] = [pair for pair in render_requests(loaded_minimal, [make_target(loaded_minimal, "technical")],
                                                          [fmt])]
    job = fmt.job(request)
    first = job.run().data
    assert fmt.job(request).run().data == first
    assert pickle.loads(pickle.dumps(job)).run().data == first  # what a worker process renders
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"
    properties = pptx.Presentation(io.BytesIO(first)).core_properties
    assert properties.title == "The widget market" and properties.created.date().isoformat() == "2025-01-12"
    assert properties.modified == properties.created and properties.language == "en"


def reference(colour: str, *, extra_slide: bool = False) -> bytes:
    from pptx.dml.color import RGBColor

    prs = pptx.Presentation(io.BytesIO(builtin_reference()))
    background = prs.slide_master.background.fill
    background.solid()
    background.fore_color.rgb = RGBColor.from_string(colour)
    if extra_slide:  # a reference's own slides are not part of the deck
        prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "Template slide"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def test_a_reference_pptx_gives_the_master_per_audience_too(make_project):
    root = make_project({"templates/reference.pptx": reference("FFF4E0", extra_slide=True),
                         "templates/technical/reference.pptx": reference("E0F0FF")})
    result = build(root, formats=["pptx"], jobs=1)
    assert result.warnings == [], [w.format() for w in result.warnings]
    colours = {}
    for audience in ("executive", "technical"):
        prs = open_deck(root / "output" / audience / "widgets.pptx")
        colours[audience] = str(prs.slide_master.background.fill.fore_color.rgb)
        assert prs.slides[0].name == "cover" and "Template slide" not in deck_text(prs)
        assert prs.slide_width * 9 == prs.slide_height * 16
    assert colours == {"executive": "FFF4E0", "technical": "E0F0FF"}
    # A changed reference is a changed input: the deck is rendered again.
    write_files(root, {"templates/technical/reference.pptx": None})
    again = build(root, formats=["pptx"], jobs=1)
    assert {o.audience for o in again.outputs if not o.reused} == {"technical"}
    prs = open_deck(root / "output" / "technical" / "widgets.pptx")
    assert str(prs.slide_master.background.fill.fore_color.rgb) == "FFF4E0"


def test_a_reference_that_is_not_a_deck_is_an_error_naming_it(make_project):
    from briefing.errors import RenderError

    root = make_project({"templates/reference.pptx": b"not a zip"})
    with pytest.raises(RenderError, match="reference"):
        build(root, formats=["pptx"], jobs=1)


FRENCH_MORE_FACTS = {"content/briefs/widgets/themes/03-usines.yaml": "id: usines\ntitle: Les usines\n"
                     "takeaway: Les usines tournent à plein.\nsummary: Elles tournent.\nfacts:\n"
                     + "".join(f"  - statement: L’usine numéro {n} tourne à plein régime depuis janvier.\n"
                               for n in range(1, 8))}


def test_a_french_audience_gets_french_labels_only(tmp_path):
    from test_extension import FRENCH, english_template_words

    root = write_files(tmp_path / "project", MINIMAL_FILES)
    write_files(root, FRENCH)
    write_files(root, FRENCH_MORE_FACTS)
    build(root, formats=["pptx"], jobs=1)
    prs = open_deck(root / "output" / "direction" / "widgets.pptx")
    text = deck_text(prs)
    found = sorted(word for word in english_template_words() | {"Likelihood", "Decision", "Owner", "When",
                                                                 "continued", "Medium", "High"}
                   if re.search(rf"\b{re.escape(word)}\b", text))
    assert found == [], f"English words in the French deck: {found}"
    for words in ("L’essentiel", "Préparé pour Direction", "12 janvier 2025", "12\u202f500,5", "Probabilité",
                  "Moyenne", "Élevé", "Parade", "Décision", "Responsable", "Échéance", "Trimestre prochain",
                  "Les usines tournent à plein. (suite)"):
        assert words in text, words
    labels = resolve_labels("fr")
    assert f"{labels.quote_open}Jamais aussi bon marché{labels.quote_close}" in text


HOSTILE = {
    "content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: <script>alert('title')</script>Supply grows
        takeaway: New factories add supply <img src=x onerror=alert(1)>.
        summary: Two factories opened. <iframe src="https://evil.example"></iframe>
        facts:
          - statement: "<b>Raw</b> tags &lt;i&gt;stay text&lt;/i&gt; and [a link](javascript:alert(1)) is text;\
              **real bold**."
        implications:
          - "A bell\\a and a \\x01 control character."
        risks:
          - risk: 'A risk & its <![CDATA[x]]> "quoted" ending'
        recommendations:
          - action: Qualify a second supplier [here](https://example.org/ok).
        """,
}


def test_hostile_content_stays_text(make_project):
    root = make_project(HOSTILE)
    build(root, formats=["pptx"], jobs=1)
    prs = open_deck(root / "output" / "technical" / "widgets.pptx")
    text = deck_text(prs)
    assert "Raw tags <i>stay text</i> and [a link](javascript:alert(1)) is text; real bold." in text
    assert "A risk & its <![CDATA[x]]> “quoted” ending" in text  # written as text, not parsed as XML
    assert "A bell and a control character." in text and "_x0" not in text  # control characters dropped
    assert "2 · <script>alert(‘title’)</script>Supply grows" in text  # a title is plain text, shown as written
    assert "onerror" not in text and "evil.example" not in deck_text(prs)  # tags in Markdown fields are dropped
    frames = [shape.text_frame for slide in prs.slides for shape in slide.shapes if shape.has_text_frame]
    frames += [cell.text_frame for slide in prs.slides for shape in slide.shapes if shape.has_table
               for row in shape.table.rows for cell in row.cells]
    links = {run.hyperlink.address for frame in frames for p in frame.paragraphs for run in p.runs
             if run.hyperlink.address}
    assert links == {"https://example.org/ok", "https://example.org/memo"}
    raw = zipfile.ZipFile(root / "output" / "technical" / "widgets.pptx")
    assert not any("javascript" in raw.read(name).decode("utf-8", "replace").lower()
                   for name in raw.namelist() if name.endswith(".rels"))


def test_the_command_line_builds_decks(make_project, tmp_path):
    """``--format pptx`` through the command line; the index offers the deck for download."""
    from click.testing import CliRunner

    from briefing.cli import cli

    root = make_project()
    outcome = CliRunner().invoke(cli, ["build", str(root), "--format", "pptx,html", "--audience", "executive",
                                       "--out", str(tmp_path / "out")])
    assert outcome.exit_code == 0, outcome.output
    assert "widgets.pptx" in outcome.output
    assert open_deck(tmp_path / "out" / "executive" / "widgets.pptx").slides[0].name == "cover"
    page = (tmp_path / "out" / "executive" / "widgets.html").read_text()
    assert 'href="widgets.pptx"' in page and "PowerPoint" in page


# -- charts ---------------------------------------------------------------------------------------------


def pictures(slide) -> list:
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def overlapping(slide) -> list[tuple[str, str]]:
    """Pairs of shapes with text (and pictures) that overlap: a drawing or text drawn over another text."""
    shown = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
             or (shape.has_text_frame and shape.text_frame.text.strip())]
    pairs = []
    for index, a in enumerate(shown):
        for b in shown[index + 1:]:
            if (a.left < b.left + b.width and b.left < a.left + a.width and a.top < b.top + b.height
                    and b.top < a.top + a.height):
                pairs.append((a.name, b.name))
    return pairs


def check_chart_slides(prs, view) -> int:
    """Every chart of the view on its slide: headline the takeaway, the drawing inside the slide at its
    aspect ratio with the takeaway as its alternative text, each value as text, the values in the notes."""
    from PIL import Image

    from briefing.charts import point_text
    from briefing.formats.pptx_content import plain

    checked = 0
    for theme in view.body_themes:
        for chart in theme.items("charts") if "charts" in theme.sections else ():
            [slide] = slides_named(prs, f"theme-{theme.number}-chart-{chart.id}")[:1]
            assert slide.shapes.title.text_frame.text == plain(chart.takeaway)
            [picture] = pictures(slide)
            assert picture._element.nvPicPr.cNvPr.get("descr") == plain(chart.takeaway)
            image = Image.open(io.BytesIO(picture.image.blob))
            assert image.format == "PNG" and image.width >= 2000  # print resolution
            assert picture.left >= 0 and picture.top >= 0
            assert picture.left + picture.width <= prs.slide_width and picture.top + picture.height <= prs.slide_height
            assert abs(picture.width / picture.height - image.width / image.height) < 0.01  # not stretched
            assert overlapping(slide) == [], slide.name
            # The values as text, on this slide or on the data slides that follow it.
            shown = [block for s in slides_named(prs, slide.name) for block in presentation_blocks_of(s)]
            notes = slide.notes_slide.notes_text_frame.text
            for point in chart.points:
                value = point_text(chart, point, view.labels, view.language)
                assert any(fold(point.label) in fold(block) for block in shown), point.label
                assert fold(value) in fold(" ".join(shown)) and f"{plain(point.label)}: {value}" in notes
            checked += 1
    return checked


def presentation_blocks_of(slide) -> list[str]:
    return [p.text for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs] + [
        cell.text for shape in slide.shapes if shape.has_table for row in shape.table.rows for cell in row.cells]


def test_each_chart_has_a_slide_with_its_drawing_values_and_sources(sample_decks):
    result, out = sample_decks
    checked = 0
    for (brief, audience), view in result.views.items():
        prs = open_deck(out / audience / f"{brief}.pptx")
        checked += check_chart_slides(prs, view)
        assert overflows(prs) == [], audience
    assert checked >= 6  # technical 3, investor 2, executive 1 (its limit)
    prs = open_deck(out / "technical" / "ai-silicon.pptx")
    [slide] = slides_named(prs, "theme-4-chart-training-share")
    text = presentation_blocks_of(slide)
    assert "Source: Business Insider [1]" in text  # the source line, under the drawing
    assert "Everyone else: 1%" in text and "derived: 100% minus Nvidia’s 99%" in text  # its own paragraph
    assert "Nvidia: 99% [1]" in text


def test_a_chart_deck_is_the_same_bytes_from_a_worker(sample):
    fmt = FORMATS.get("pptx")
    [(_fmt, request)] = list(render_requests(sample, [make_target(sample, "investor")], [fmt]))
    job = fmt.job(request)
    assert any(spec.chart is not None for spec in job.deck.slides)  # the drawing travels as PNG bytes
    first = job.run().data
    assert pickle.loads(pickle.dumps(job)).run().data == first == fmt.job(request).run().data


MANY_VALUES = f"""\
    id: suppliers
    title: Many suppliers
    takeaway: {prose(30, 30)}
    summary: Suppliers vary.
    charts:
      - id: shipments
        title: Widgets shipped each quarter, in thousands of units
        takeaway: A long tail of small suppliers ships most widgets; no one supplier dominates this year.
        kind: bar
        unit: "%"
        points:
          - label: Widget prices, change in the quarter
            value: 20
            source: memo
            evidence: Widget prices fell 20% in the quarter
{"".join(f'''          - label: {"Consortium member " + chr(65 + i) + " of the northern regional widget group"
                                if i % 3 == 0 else "Maker " + chr(65 + i)}
            value: {i * 3 + 1}
            derived: the memo's table, row {chr(65 + i)}
''' for i in range(17))}
      - id: price-index
        title: Widget price index
        takeaway: The index climbed for ten quarters.
        kind: line
        unit: "%"
        points:
          - label: Orders, change in the quarter
            value: 5
            source: memo
            evidence: Orders fell 5% as buyers
{"".join(f'''          - label: "Q{i % 4 + 1} {2020 + i // 4}"
            value: {10 + i * i}
            derived: the model's quarter {chr(65 + i)}
''' for i in range(10))}
    """


def test_a_chart_with_many_values_keeps_them_all_on_data_slides(make_project, tmp_path):
    root = make_project({"content/briefs/widgets/themes/03-suppliers.yaml": MANY_VALUES})
    result = build(root, formats=["pptx"], out_dir=tmp_path / "out", jobs=1)
    assert [w.format() for w in result.warnings if "pptx" in w.location] == []  # every value is on a slide
    prs = open_deck(tmp_path / "out" / "technical" / "widgets.pptx")
    names = [slide.name for slide in prs.slides]
    assert "theme-3-chart-shipments-data (2)" in names  # eighteen values do not fit beside the drawing
    data = slides_named(prs, "theme-3-chart-shipments-data")
    assert [s.shapes.title.text_frame.text for s in data] == [
        "The data: Widgets shipped each quarter, in thousands of units",
        "The data: Widgets shipped each quarter, in thousands of units (continued)"]
    assert check_chart_slides(prs, result.views[("widgets", "technical")]) == 2
    assert overflows(prs) == []
