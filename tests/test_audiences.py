"""Audience profiles, brand and per-audience templates: each knob, on real outputs."""

from __future__ import annotations

import re

import pytest
from conftest import assert_problem, problems_of, write_files
from pypdf import PdfReader
from readers import md_headings, parse_html, pdf_pages_text

from briefing import ContentError
from briefing.cli import main
from briefing.load import load_project
from briefing.pipeline import build
from briefing.select import select_for_audience
from briefing.template_tools import eject, list_templates

THEME3 = """\
    id: demand
    title: Demand slows
    takeaway: Buyers wait for lower prices.
    summary: Orders slipped in the quarter as buyers waited.
    priority: low
    tags: [market]
    facts:
      - statement: Orders fell 5%.
        figure: {value: 5, unit: "%"}
        source: memo
        evidence: Orders fell 5% as buyers
        tags: [financial]
    risks:
      - risk: Demand stays weak.
        tags: [financial]
      - risk: A competitor undercuts us.
    recommendations:
      - action: Hold prices.
    """


def view_for(root, audience, profile_yaml, extra=None):
    write_files(root, {f"content/audiences/{audience}.yaml": profile_yaml, **(extra or {})})
    project = load_project(root)
    return select_for_audience(project, project.briefs[0], audience)


@pytest.fixture
def root(make_project):
    return make_project({"content/briefs/widgets/themes/03-demand.yaml": THEME3})


def test_theme_selection_by_ids_tags_priority_order_and_limit(root):
    def ids(profile):
        return [t.id for t in view_for(root, "technical", "name: T\ndescription: d\n" + profile).themes]

    assert ids("") == ["prices", "supply", "demand"]
    assert ids("themes: {ids: [demand, prices]}") == ["prices", "demand"]
    assert ids("themes: {ids: [demand, prices], order: listed}") == ["demand", "prices"]
    assert ids("themes: {tags: [market]}") == ["demand"]
    assert ids("themes: {min_priority: medium}") == ["prices", "supply"]
    assert ids("themes: {order: priority}") == ["prices", "supply", "demand"]
    assert ids("themes: {order: priority, limit: 1}") == ["prices"]


def test_depth_global_by_priority_and_by_theme(root):
    profile = """\
        name: T
        description: d
        depth: full
        depth_by_priority: {low: takeaway}
        depth_by_theme: {supply: summary}
        """
    view = view_for(root, "technical", profile)
    assert {t.id: t.depth for t in view.themes} == {"prices": "full", "supply": "summary", "demand": "takeaway"}
    assert [t.id for t in view.body_themes] == ["prices", "supply"]
    # Recommendations of themes not read in full close the brief, so none is lost.
    assert [rec.action for _, rec in view.action_list] == ["Qualify a second supplier.", "Hold prices."]
    build(root, audiences=["technical"], formats=["md"])
    md = (root / "output/technical/widgets.md").read_text()
    assert "## 3. Demand slows" not in md and "**Demand slows.** Buyers wait for lower prices." in md
    assert "## 2. Supply grows" in md and "Two factories opened." in md


def test_sections_order_item_tags_and_audience_lists(root):
    profile = """\
        name: T
        description: d
        sections: [risks, facts]
        item_tags: [financial]
        """
    view = view_for(root, "technical", profile)
    demand = view.themes[2]
    assert demand.sections == ("risks", "facts")
    assert [r.risk for r in demand.risks] == ["Demand stays weak."]
    assert [f.statement for f in demand.facts] == ["Orders fell 5%."]
    assert view.themes[0].quotes == () and view.themes[0].recommendations == ()
    # An item addressed to the audience by name is shown whatever its tags.
    executive = view_for(root, "executive", "name: E\ndescription: d\nitem_tags: [financial]\n")
    assert [r.action for r in executive.themes[0].recommendations] == ["Renegotiate widget contracts."]


def test_labels_reword_headings_in_every_format(root):
    view_for(root, "technical", "name: T\ndescription: d\nlabels: {facts: The evidence, sources: Reading list}\n")
    build(root, audiences=["technical"], formats=["md", "html"])
    md = (root / "output/technical/widgets.md").read_text()
    html = parse_html((root / "output/technical/widgets.html").read_text())
    assert (3, "The evidence") in md_headings(md) and (2, "Reading list") in md_headings(md)
    assert (3, "The evidence") in html.headings and (2, "Reading list") in html.headings


def test_unknown_label_is_an_error_with_a_suggestion(root):
    write_files(root, {"content/audiences/technical.yaml": "name: T\ndescription: d\nlabels: {implication: Perils}\n"})
    assert_problem(problems_of(root), "content/audiences/technical.yaml:3:10", "unknown field 'implication'",
                   "did you mean 'implications'?")


def test_figures_limit(root):
    view = view_for(root, "technical", "name: T\ndescription: d\nfigures_limit: 1\n")
    assert [f.statement for f in view.figures] == ["Widget prices fell 20% in the quarter."]
    assert view_for(root, "technical", "name: T\ndescription: d\nfigures_limit: 0\n").figures == []


def test_a_new_audience_is_one_yaml_file(root, capsys):
    write_files(root, {"content/audiences/sales.yaml": """\
        name: Sales
        description: Account teams who talk to customers.
        themes: {ids: [prices]}
        labels: {recommendations: Talking points}
        """})
    assert main(["build", str(root), "--format", "md,html"]) == 0
    md = (root / "output/sales/widgets.md").read_text()
    assert "**Prepared for:** Sales" in md and "## 1. Prices fall" in md and "Supply grows" not in md
    index = (root / "output/index.html").read_text()
    assert "sales/widgets.html" in index and "Account teams who talk to customers." in index


def _fill_colours(pdf_path):
    colours = set()
    for page in PdfReader(pdf_path).pages:
        data = page.get_contents().get_data()
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", data):
            colours.add(tuple(round(float(v) * 255) for v in (r, g, b)))
    return colours


def test_brand_colour_set_once_reaches_html_css_and_the_drawn_pdf(root):
    write_files(root, {"brand.yaml": "colours: {primary: '#7a1f5c'}\ncover: solid\n"})
    build(root, audiences=["technical"], formats=["html", "pdf"])
    html = (root / "output/technical/widgets.html").read_text()
    assert "--primary: #7a1f5c;" in html
    assert (0x7A, 0x1F, 0x5C) in _fill_colours(root / "output/technical/widgets.pdf")
    assert (0x14, 0x36, 0x5D) not in _fill_colours(root / "output/technical/widgets.pdf")


def test_profile_brand_override_applies_to_that_audience_only(root):
    write_files(root, {"content/audiences/executive.yaml": """\
        name: Executive
        description: Leaders who decide.
        brand: {colours: {accent: '#0a7a3f'}}
        """})
    build(root, formats=["html"])
    assert "--accent: #0a7a3f;" in (root / "output/executive/widgets.html").read_text()
    assert "--accent: #b4472f;" in (root / "output/technical/widgets.html").read_text()


def test_missing_logo_or_font_is_an_error_with_the_path(root):
    write_files(root, {"brand.yaml": """\
        logo: img/logo.svg
        fonts:
          body: {family: Inter}
          heading: {family: Brand Serif, files: [{path: fonts/serif.woff2}]}
        """})
    problems = problems_of(root)
    assert_problem(problems, "brand.yaml:1:7", "file 'img/logo.svg' does not exist")
    assert_problem(problems, "brand.yaml:3:18", "font family 'Inter' is neither built in nor shipped")
    assert_problem(problems, "brand.yaml:4:49", "file 'fonts/serif.woff2' does not exist")


def test_logo_and_project_font_are_published_with_the_site(root):
    font = (root.parent / "font.woff2")
    from briefing.settings import BUILTIN_FONTS as FONTS_DIR

    font.write_bytes((FONTS_DIR / "source-sans-3-latin-400-normal.woff2").read_bytes())
    write_files(root, {
        "assets/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        "assets/house.woff2": font.read_bytes(),
        "brand.yaml": """\
            logo: assets/logo.svg
            fonts:
              body: {family: House Sans, files: [{path: assets/house.woff2}]}
            """,
    })
    build(root, audiences=["technical"], formats=["html", "pdf"])
    out = root / "output"
    html = (out / "technical/widgets.html").read_text()
    assert 'src="../assets/files/assets/logo.svg"' in html
    assert 'url("../assets/files/assets/house.woff2")' in html and '"House Sans"' in html
    assert (out / "assets/files/assets/logo.svg").is_file() and (out / "assets/files/assets/house.woff2").is_file()
    reader = PdfReader(out / "technical/widgets.pdf")
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any(name.endswith("+House-Sans") for name in fonts), fonts  # the PDF embeds the house font


def test_over_budget_executive_warns_and_fails_under_strict(root, capsys):
    write_files(root, {"content/audiences/executive.yaml": """\
        name: Executive
        description: Leaders who decide.
        budgets: {pages: 1, summary_words: 3, list_items: 1}
        """})
    result = build(root, audiences=["executive"], formats=["pdf"])
    messages = [w.message for w in result.warnings]
    pages = next(m for m in messages if "PDF has" in m)
    assert re.fullmatch(r"executive brief 'widgets': the PDF has \d+ pages after the cover, over the budget of 1",
                        pages)
    prefix = "executive brief 'widgets': the "
    assert prefix + "summary of theme 'prices' has 5 words, over the budget of 3" in messages
    assert prefix + "list of key takeaways has 3 items, over the budget of 1" in messages
    assert prefix + "list of risks in theme 'demand' has 2 items, over the budget of 1" in messages
    before = (root / "output/executive/widgets.pdf").read_bytes()
    with pytest.raises(ContentError):
        build(root, audiences=["executive"], formats=["pdf", "md"], strict=True)
    assert not (root / "output/executive/widgets.md").exists()
    assert (root / "output/executive/widgets.pdf").read_bytes() == before
    assert main(["build", str(root), "-a", "executive", "-f", "pdf", "--strict"]) == 1
    assert "error: budgets.pages: executive brief 'widgets'" in capsys.readouterr().err


def test_pdf_without_cover_or_contents(root):
    write_files(root, {"content/audiences/executive.yaml": """\
        name: Executive
        description: Leaders who decide.
        pdf: {cover: false, contents: false}
        """})
    build(root, audiences=["executive"], formats=["pdf"])
    pages = pdf_pages_text(root / "output/executive/widgets.pdf")
    total = len(pages)
    assert "The widget market" in pages[0] and "Bottom line" in pages[0] and f"Page 1 of {total}" in pages[0]
    assert "Contents" not in " ".join(pages)


def test_templates_list_shows_the_winner_and_what_it_extends(root):
    write_files(root, {
        "templates/brief.md.j2": '{% extends "builtin/brief.md.j2" %}',
        "templates/executive/brief.md.j2": '{% extends "project/brief.md.j2" %}',
    })
    project = load_project(root)
    executive = {t.name: t for t in list_templates(project, "executive")}
    technical = {t.name: t for t in list_templates(project, "technical")}
    assert executive["brief.md.j2"].origin == "audience"
    assert executive["brief.md.j2"].extends == "project/brief.md.j2"
    assert technical["brief.md.j2"].origin == "project"
    assert technical["brief.md.j2"].extends == "builtin/brief.md.j2"
    assert technical["brief.html.j2"].origin == "built-in" and technical["brief.html.j2"].extends is None
    assert "css/pdf.css" in technical


def test_eject_then_edit_one_block_changes_only_that_block_for_that_audience(root, tmp_path, capsys):
    build(root, formats=["md", "html"], out_dir=tmp_path / "before")
    assert main(["templates", "eject", "brief.html.j2", str(root), "--audience", "executive"]) == 0
    path = root / "templates/executive/brief.html.j2"
    text = path.read_text()
    assert '{% extends "builtin/brief.html.j2" %}' in text and "{# {% block sources %}" in text
    # Unedited, the override changes nothing.
    build(root, formats=["md", "html"], out_dir=tmp_path / "same")
    assert (tmp_path / "same/executive/widgets.html").read_bytes() == (
        tmp_path / "before/executive/widgets.html").read_bytes()
    path.write_text(text.replace("{# {% block footer %}{{ super() }}{% endblock %} #}",
                                 "{% block footer %}<footer>Board pack</footer>{% endblock %}"))
    build(root, formats=["md", "html"], out_dir=tmp_path / "after")
    before = (tmp_path / "before/executive/widgets.html").read_text()
    after = (tmp_path / "after/executive/widgets.html").read_text()
    cut = before.index('<footer class="page-footer">')
    assert after[:cut] == before[:cut] and "<footer>Board pack</footer>" in after[cut:]
    for unchanged in ("technical/widgets.html", "executive/widgets.md", "technical/widgets.md"):
        assert (tmp_path / "after" / unchanged).read_bytes() == (tmp_path / "before" / unchanged).read_bytes()
    assert main(["templates", "eject", "brief.html.j2", str(root), "--audience", "executive"]) == 2
    assert main(["templates", "eject", "brief.htm", str(root)]) == 2
    assert "did you mean 'brief.html.j2'" in capsys.readouterr().err


def test_ejected_stylesheet_keeps_the_built_in_rules(root):
    project = load_project(root)
    path = eject(project, "css/base.css")
    assert path.read_text().startswith("/* Override of the built-in css/base.css for every audience.")
    path.write_text(path.read_text() + ".takeaway { color: #123456; }\n")
    build(root, audiences=["technical"], formats=["html"])
    css = (root / "output/assets/brief.css").read_text()
    assert ".takeaway { color: #123456; }" in css and ".bottom-line {" in css




def test_readme_tutorial_audience_builds_on_the_sample(tmp_path):
    """The 'Customize for your audience' profile in the README is valid and builds as it says."""
    import shutil

    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\n", readme.index("### 1. Add an audience")) + len("```yaml\n")
    profile = readme[start: readme.index("```", start)]
    for name in ("briefing.yaml", "brand.yaml", "content"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    write_files(tmp_path, {"content/audiences/sales.yaml": profile})
    result = build(tmp_path, audiences=["sales"], formats=["md"])
    md = result.outputs[0].path.read_text()
    assert "**Prepared for:** Sales" in md and len([h for h in md_headings(md) if h[1][0].isdigit()]) <= 3
