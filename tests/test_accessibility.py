"""The published site in a real browser: axe-core finds no WCAG 2.1 AA violation; screenshots.

Runs Debian's Chromium (headless) through Playwright with axe-core from npm
(tests/browser/, installed by .ci/run).  Where either cannot be had, the tests
are skipped with the reason, which pytest prints in its summary.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import chromium_browser

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("BRIEFING_SCREENSHOTS", "")) if os.environ.get("BRIEFING_SCREENSHOTS") else None
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def browser():
    if not AXE.is_file():
        pytest.skip("axe-core not installed (npm ci --prefix tests/browser); browser accessibility tests not run")
    with chromium_browser("browser accessibility tests") as chromium:
        yield chromium


def axe_violations(browser, url: str, width: int, screenshot: str | None = None,
                   scheme: str = "light") -> list[str]:
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                               WCAG_AA)
        if SCREENSHOTS and screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-{width}.png"), full_page=True)
    finally:
        page.close()
    return [f"{v['id']} ({v['impact']}): {v['help']} -> " + json.dumps([n["target"] for n in v["nodes"]][:5])
            for v in result["violations"]]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("page", ["index.html", "technical/ai-silicon.html", "executive/ai-silicon.html",
                                  "sources.html"])
def test_no_accessibility_violations(browser, published_sample, page, width):
    _, site = published_sample
    name = page.replace("/", "-").removesuffix(".html")
    assert axe_violations(browser, (site / page).as_uri(), width, screenshot=name) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_dark_mode_has_no_violations(browser, published_sample, width):
    """Dark mode on the page with every chart: the dark drawings (wide, and narrow on a phone) included."""
    _, site = published_sample
    url = (site / "technical" / "ai-silicon.html").as_uri()
    assert axe_violations(browser, url, width, screenshot="technical-dark", scheme="dark") == []


def test_an_open_page_reloads_itself_after_an_edit(browser, make_project):
    """The live preview as a reader sees it: the open page picks up an edit without a manual reload."""
    from briefing.preview import PreviewServer

    root = make_project()
    preview = PreviewServer(root, port=0, formats=["html"])
    preview.start()
    page = browser.new_page()
    try:
        page.goto(f"{preview.url}technical/widgets.html")
        assert "Widget prices fell sharply" in page.inner_text("main")
        page.wait_for_timeout(300)  # let the page's event stream connect
        theme = root / "content/briefs/widgets/themes/01-prices.yaml"
        theme.write_text(theme.read_text().replace("fell sharply", "halved"))
        page.wait_for_function("document.querySelector('main').innerText.includes('Widget prices halved')",
                               timeout=20_000)
        theme.write_text(theme.read_text() + "priority: low\n")  # a duplicate key: the rebuild fails
        page.wait_for_selector("#briefing-build-error", timeout=20_000)
        assert "duplicate key 'priority'" in page.inner_text("#briefing-build-error")
        assert "Widget prices halved" in page.inner_text("main")  # still the last good build
    finally:
        page.close()
        preview.stop()
