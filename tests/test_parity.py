"""The format-parity check: every item of a view is in every format, as its own item."""

from __future__ import annotations

import pytest

from briefing.errors import ContentError
from briefing.parity import check_parity, fold, html_blocks, markdown_blocks
from briefing.pipeline import build

# The quotes section in the web page only: the PDF (which shares the template) keeps the built-in one.
QUOTES_ONLY_IN_PRINT = {
    "templates/technical/sections/quotes.html.j2":
        '{% if target == "pdf" %}{% include "builtin/sections/quotes.html.j2" %}{% endif %}\n',
}

# Two risks written into one list item: the bug the check exists for.
GLUED_RISKS = {
    "content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: Supply grows
        takeaway: New factories add supply.
        summary: Two factories opened.
        facts:
          - statement: Two factories opened.
            source: memo
        risks:
          - risk: New factories run late.
          - risk: Demand falls faster than supply grows.
        recommendations:
          - action: Qualify a second supplier.
        """,
    "templates/sections/risks.md.j2": "{% for risk in theme.risks %}- **{{ risk.risk }}**{% endfor %}\n",
}


def test_a_clean_build_has_no_parity_warning(make_project):
    result = build(make_project(), formats=["md", "html", "standalone", "pdf"])
    assert [w for w in result.warnings if "is missing" in w.message or "merged" in w.message] == []


def test_quotes_dropped_from_the_web_page_only_are_named(make_project):
    root = make_project(QUOTES_ONLY_IN_PRINT)
    result = build(root, formats=["md", "html", "pdf"], audiences=["technical"])
    found = [w for w in result.warnings if w.message.startswith(("html: quotes.0", "md: quotes.0", "pdf: quotes.0"))]
    assert [w.file for w in found] == ["technical/widgets.html"], [w.format() for w in result.warnings]
    [warning] = found
    assert warning.message.startswith("html: quotes.0 of theme 'prices' ('Widgets are cheaper than ever') is missing")
    assert "templates/technical/sections/quotes.html.j2" in warning.hint
    # The speaker is gone too, and said so; the PDF and the Markdown are complete.
    assert any("the speaker of quotes.0" in w.message for w in result.warnings)
    with pytest.raises(ContentError, match="quotes.0"):
        build(root, formats=["html"], audiences=["technical"], strict=True, force=True)


def test_risks_glued_into_one_markdown_item_are_named(make_project):
    root = make_project(GLUED_RISKS)
    result = build(root, formats=["md", "html"], audiences=["technical"])
    merged = [w for w in result.warnings if "merged" in w.message]
    assert len(merged) == 1, [w.format() for w in result.warnings]
    assert merged[0].file == "technical/widgets.md"
    assert "risks.1 of theme 'supply'" in merged[0].message and "risks.0 of theme 'supply'" in merged[0].message
    assert "templates/sections/risks.md.j2" in merged[0].hint


def test_readers_see_blocks_as_a_parser_does():
    blocks = markdown_blocks("- one\n- two\n\n| a | b |\n| - | - |\n| c | d |\n\n> quoted\n")
    assert blocks == ["one", "two", "a", "b", "c", "d", "quoted"]
    assert html_blocks("<ul><li>one <b>bold</b></li><li>two</li></ul><p>para</p>")[:3] == ["one bold", "two", "para"]
    assert fold("Big Tech’s “custom”\nsili-\ncon") == "bigtechscustomsilicon"


def test_pdf_text_is_checked_as_a_whole(make_project):
    from briefing.load import load_project
    from briefing.select import select_for_audience

    project = load_project(make_project())
    view = select_for_audience(project, project.briefs[0], "technical")
    assert check_parity(view, "pdf", None, "nothing here", "x.pdf")
    whole = " ".join(["Widget prices fell sharply this quarter.", "New factories add supply.",
                      "Widget prices fell 20% in the quarter.", "Two factories opened.",
                      "Widgets are cheaper than ever",
                      "Ann Example", "Renegotiate widget contracts.", "Qualify a second supplier.",
                      "Quarterly memo on widgets", "Earnings call transcript"])
    assert check_parity(view, "pdf", None, whole, "x.pdf") == []
