"""The web page reads right on any screen, and on paper: print stylesheet, brand-aware dark mode,
contents beside the text, a compact mobile masthead, and an index that says a takeaway once.

The layout checks run in Debian's Chromium (headless) through Playwright, as the accessibility tests do;
where either cannot be had they are skipped with the reason.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import tinycss2
from conftest import chromium_browser

from briefing.brand import Colours, contrast, dark_colours

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SHARED_TAKEAWAY = "AWS now sells its own training chips against Nvidia on price"
DARK = "screen and (prefers-color-scheme: dark)"


@pytest.fixture(scope="module")
def web(sample, tmp_path_factory) -> Path:
    """The sample's web pages, site pages and single-file pages (no PDF: nothing here needs it)."""
    from briefing.pipeline import build

    out = tmp_path_factory.mktemp("web")
    build(sample, formats=["md", "html", "standalone"], out_dir=out)
    return out


# -- reading the CSS ------------------------------------------------------------------------


def media_blocks(css: str, query: str) -> list[list]:
    """The rules inside every ``@media <query>`` block of a stylesheet (nested blocks flattened)."""
    found = []

    def walk(rules: list) -> None:
        for rule in rules:
            if rule.type != "at-rule" or rule.content is None:
                continue
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            if rule.lower_at_keyword == "media" and " ".join(tinycss2.serialize(rule.prelude).split()) == query:
                found.append(inner)
            walk(inner)

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


def declarations(rules: list, selector: str | None = None, at_keyword: str | None = None) -> dict[str, str]:
    """The declarations of the rules whose selector list includes ``selector`` (or of an ``@at_keyword``)."""
    found: dict[str, str] = {}
    for rule in rules:
        if at_keyword is not None:
            if rule.type != "at-rule" or rule.lower_at_keyword != at_keyword:
                continue
        elif rule.type != "qualified-rule" or selector not in [
                " ".join(part.split()) for part in tinycss2.serialize(rule.prelude).split(",")]:
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration":
                found[item.lower_name] = " ".join(tinycss2.serialize(item.value).split())
    return found


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def dark_palette(page: Path) -> dict[str, str]:
    """The custom properties a page sets for a dark screen."""
    blocks = media_blocks("\n".join(parse(page).styles), DARK)
    assert blocks, f"{page.name}: no '@media {DARK}' block in its styles"
    return declarations(blocks[-1], ":root")


# -- printing from a browser ------------------------------------------------------------------


def test_print_stylesheet_gives_light_paper_without_screen_furniture(web):
    css = (web / "assets" / "brief.css").read_text(encoding="utf-8")
    blocks = media_blocks(css, "print")
    assert blocks, "no @media print block in the web stylesheet"
    rules = [rule for block in blocks for rule in block]
    assert declarations(rules, at_keyword="page")["margin"] == "18mm 16mm"
    assert declarations(rules, ":root")["color-scheme"] == "light"
    assert declarations(rules, "body")["background"] == "#fff"
    masthead = declarations(rules, ".masthead")
    assert masthead["background"] == "none" and masthead["color"] == "var(--ink)"
    assert declarations(rules, ".masthead h1")["color"] == "var(--primary)"
    assert declarations(rules, ".masthead .logo")["print-color-adjust"] == "exact"
    for hidden in (".skip-link", ".page-nav", ".contents-nav", ".back-to-top", ".downloads"):
        assert declarations(rules, hidden)["display"].startswith("none"), hidden
    printed = tinycss2.serialize(rules)
    assert "attr(href)" not in printed and "sticky" not in printed
    # The dark palette is for screens only, so a dark-mode browser never prints it.
    assert "prefers-color-scheme" not in re.sub(r"@media\s+" + re.escape(DARK), "", css)


def test_each_page_sets_its_brand_light_colours_again_for_print(web, sample):
    investor = parse(web / "investor" / "ai-silicon.html")
    blocks = media_blocks("\n".join(investor.styles), "print")
    assert blocks, "the investor page's brand styles have no @media print block"
    light = declarations(blocks[-1], ":root")
    assert light["--primary"] == "#1d4a3c" and light["--ink"] == Colours().ink
    assert light["color-scheme"] == "light"


# -- dark mode follows the brand --------------------------------------------------------------


def test_dark_mode_keeps_each_audience_brand(web):
    technical = dark_palette(web / "technical" / "ai-silicon.html")
    investor = dark_palette(web / "investor" / "ai-silicon.html")
    assert technical["--primary"] != investor["--primary"]
    assert technical["--masthead"] != investor["--masthead"]
    # The investor brief's brand is green: its dark primary stays green, the technical one stays blue.
    r, g, b = (int(investor["--primary"][i:i + 2], 16) for i in (1, 3, 5))
    assert g > b and g > r, investor["--primary"]
    r, g, b = (int(technical["--primary"][i:i + 2], 16) for i in (1, 3, 5))
    assert b > g > r, technical["--primary"]
    assert investor["--primary"] == dark_colours(Colours(primary="#1d4a3c", accent="#b07d12"))["primary"]
    # The single-file page carries the same palette.
    assert dark_palette(web / "investor" / "ai-silicon.standalone.html") == investor


@pytest.mark.parametrize("colours", [
    Colours(), Colours(primary="#1d4a3c", accent="#b07d12"), Colours(primary="#ffcc00", accent="#00ff00"),
    Colours(primary="#000", accent="#777", ink="#000000"), Colours(primary="#6a1b9a", claim="#ff0000"),
    Colours(primary="#ffffff", accent="#ffffff", marking="#0000ff"),
])
def test_derived_dark_palette_passes_wcag_aa(colours):
    dark = dark_colours(colours)
    for ground in ("background", "soft"):
        for text in ("ink", "muted", "primary", "accent"):
            assert contrast(dark[text], dark[ground]) >= 4.5, (text, ground, dark)
    assert contrast(dark["on-primary"], dark["primary"]) >= 4.5
    assert contrast("#ffffff", dark["masthead"]) >= 7
    for basis in ("claim", "estimate", "reported"):
        assert contrast(dark[basis], dark[f"{basis}-background"]) >= 4.5, basis
    assert all(re.fullmatch(r"#[0-9a-f]{6}", value) for value in dark.values())


# -- contents, the single-file page, the index ------------------------------------------------


def test_single_file_page_has_in_page_contents(web, sample):
    page = parse(web / "technical" / "ai-silicon.standalone.html")
    navs = [attrs for tag, attrs in page.tags if tag == "nav"]
    assert any("contents-nav" in attrs.get("class", "") for attrs in navs)
    hrefs = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert "#bottom-line" in hrefs and "#sources" in hrefs and "#top" in hrefs
    assert sum(1 for href in hrefs if href and href.startswith("#theme-")) >= 6
    # Nothing beside it to link to: no versions or downloads bar.
    assert not any("page-nav" in attrs.get("class", "").split() for attrs in navs)


def test_single_file_page_has_an_inline_favicon(web, sample):
    page = parse(web / "technical" / "ai-silicon.standalone.html")
    icons = [attrs["href"] for tag, attrs in page.tags if tag == "link" and attrs.get("rel") == "icon"]
    assert len(icons) == 1 and icons[0].startswith("data:image/svg+xml"), icons


def test_index_says_the_shared_takeaway_once_per_brief(web):
    text = (web / "index.html").read_text(encoding="utf-8")
    assert text.count(SHARED_TAKEAWAY) == 1
    assert text.count('class="card"') == 4 and 'class="card-takeaway"' not in text
    # Each card says what differs: its themes, depth and page budget.
    assert "Takeaways only" in text and "1 page at most" in text and "3 pages at most" in text


def test_index_card_shows_a_takeaway_only_where_it_differs(make_project, tmp_path):
    from briefing.pipeline import build

    root = make_project({"content/audiences/executive.yaml": """\
        name: Executive
        description: Leaders who decide.
        depth: summary
        themes: {ids: [supply]}
        """})
    build(root, formats=["html"], out_dir=tmp_path / "out")
    text = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert text.count("Widget prices fell sharply this quarter.") == 1  # said once, for the brief
    assert text.count("New factories add supply.") == 1  # on the executive card, which leads with it
    assert text.count('class="card-takeaway"') == 1


def test_sources_page_has_one_main_heading(published_sample):
    _, site = published_sample
    page = parse(site / "sources.html")
    tags = [tag for tag, _ in page.tags]
    assert tags.count("h1") == 1 and tags.count("main") == 1
    assert ("link", {"rel": "icon", "href": "assets/favicon.svg", "type": "image/svg+xml"}) in page.tags
    assert any(tag == "a" and attrs.get("href") == "sources.html" for tag, attrs in parse(site / "index.html").tags)


# -- in a browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with chromium_browser("browser layout tests") as chromium:
        yield chromium


@pytest.mark.parametrize("name", ["ai-silicon.html", "ai-silicon.standalone.html"])
def test_bottom_line_starts_on_a_phone_first_screen(browser, web, name):
    page = browser.new_page(viewport={"width": 375, "height": 812})
    try:
        page.goto((web / "technical" / name).as_uri())
        top = page.evaluate("document.querySelector('#bottom-line').getBoundingClientRect().top")
        contents_open = page.evaluate("document.querySelector('.contents-nav ol').checkVisibility()")
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.close()
    assert top < 450, f"the bottom line starts {top:.0f} px down"
    assert not contents_open  # a disclosure on a phone, closed until asked for
    assert width <= 375


@pytest.mark.parametrize("name", ["ai-silicon.html", "ai-silicon.standalone.html"])
def test_contents_stay_beside_the_text_on_a_wide_screen(browser, web, name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((web / "technical" / name).as_uri())
        state = page.evaluate("""() => {
            const nav = document.querySelector('.contents-nav'), main = document.querySelector('main');
            return {position: getComputedStyle(nav).position, visible: nav.checkVisibility(),
                    listVisible: nav.querySelector('ol').checkVisibility(),
                    navRight: nav.getBoundingClientRect().right, mainLeft: main.getBoundingClientRect().left};
        }""")
        page.evaluate("window.scrollTo(0, 4000)")
        page.wait_for_timeout(100)
        scrolled = page.evaluate("document.querySelector('.contents-nav').getBoundingClientRect().top")
        to_top = page.evaluate("document.querySelector('.contents-nav a[href=\"#top\"]').checkVisibility()")
    finally:
        page.close()
    assert state["visible"] and state["listVisible"], state
    assert state["position"] == "sticky"
    assert state["navRight"] <= state["mainLeft"], state  # beside the text, not above it
    assert 0 <= scrolled < 50  # still in view after scrolling down
    assert to_top


def test_printed_in_dark_mode_without_backgrounds_is_light_paper(browser, web):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page.goto((web / "investor" / "ai-silicon.html").as_uri())
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
        page.emulate_media(media="print", color_scheme="dark")
        state = page.evaluate("""() => {
            const style = (selector) => getComputedStyle(document.querySelector(selector));
            return {body: style('body').backgroundColor, title: style('.masthead h1').color,
                    masthead: style('.masthead').backgroundImage + ' ' + style('.masthead').backgroundColor,
                    logo: style('.masthead .logo').printColorAdjust, nav: style('.page-nav').display,
                    contents: style('.contents-nav').display, sticky: style('.contents-nav').position,
                    top: style('.back-to-top').display};
        }""")
        pdf = page.pdf(print_background=False)
    finally:
        page.close()
    assert state["body"] == "rgb(255, 255, 255)"
    assert state["title"] == "rgb(29, 74, 60)"  # the brand's primary, dark on paper
    assert state["masthead"] == "none rgba(0, 0, 0, 0)"
    assert state["logo"] == "exact"
    assert state["nav"] == state["contents"] == state["top"] == "none"
    assert pdf.startswith(b"%PDF")


def test_investor_dark_mode_has_no_contrast_violations(browser, web):
    if not AXE.is_file():
        pytest.skip("axe-core not installed (npm ci --prefix tests/browser); contrast check not run")
    failures = []
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme="dark")
        try:
            page.goto((web / "investor" / "ai-silicon.html").as_uri())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {runOnly: ['color-contrast']})")
        finally:
            page.close()
        failures += [n["target"] for v in result["violations"] for n in v["nodes"]]
    assert failures == []
