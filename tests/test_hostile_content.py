"""Hostile content: no value from content may put a tag, an event handler or a script link into any output.

Each case plants one payload in one field and checks every format: the HTML page and the single-file
page parsed as a browser would, the Markdown rendered by a CommonMark parser that lets raw HTML and
every link through (so the Markdown itself must carry none), and where it matters the PDF.
"""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from briefing.links import SiteOptions
from briefing.load import load_project
from briefing.models import Theme
from briefing.pipeline import build, render_requests
from briefing.registry import FORMATS, Rendered
from briefing.select import make_target
from briefing.site import site_files

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><svg onload=alert(1)>'
IMAGE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
JS_LINK = "[click](javascript:alert(1))"
PAYLOADS = [SCRIPT, BREAKOUT, IMAGE, ESCAPED, JS_LINK, "<a href='javascript:alert(1)'>x</a>",
            "[r]: javascript:alert(1)\n\n[r]", "<JAVASCRIPT:alert(1)>", "javascript\\:alert(1)",
            # Entity and backslash forms that one engine decodes and another passes through as a tag.
            "&lt;img src=x onerror=alert(1)&gt;", "&#60;script&#62;alert(1)&#60;/script&#62;",
            "\\<script>alert(1)\\</script>", "\\&lt;img src=x onerror=alert(1)>",
            "<!-- x --><script>alert(1)</script>", "<![CDATA[<script>alert(1)</script>]]>"]


class _Active(HTMLParser):
    """Collects what a browser would run: script-like elements, event handlers, script URLs."""

    DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "base", "form", "meta-refresh"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "link" and any(k == "rel" and v and "attachment" in v for k, v in attrs):
            self.found.append("<link rel=attachment>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    parser.close()
    return parser.found


def _permissive_markdown() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    parser.validateLink = lambda url: True  # let every link through: the Markdown itself must be safe
    return parser


MARKDOWN = _permissive_markdown()


def markdown_active_content(text: str) -> list[str]:
    """What a browser would run in the Markdown rendered by CommonMark (markdown-it) and by
    Python-Markdown (MkDocs' engine, which honours no backslash before '<'), raw HTML allowed in both."""
    import markdown as python_markdown

    return active_content(MARKDOWN.render(text)) + active_content(
        python_markdown.markdown(text, extensions=["tables"]))


# -- one payload per field, every format ---------------------------------------------------------------

FIELDS = {
    "figure by": ("content/briefs/widgets/themes/01-prices.yaml", "figure: {value: 20, unit: \"%\", basis: reported}",
                  "figure: {{value: 20, unit: \"%\", basis: claim, by: {payload}}}"),
    # Without evidence: a unit that disagrees with the source's is (rightly) an error, which would stop the build.
    "figure unit": ("content/briefs/widgets/themes/01-prices.yaml",
                    "unit: \"%\", basis: reported}\n    source: memo\n"
                    "    evidence: Widget prices fell 20% in the quarter",
                    "unit: {payload}, basis: reported}}\n    source: memo"),
    "source author": ("content/sources.yaml", "publisher: Widget Weekly",
                      "publisher: Widget Weekly\n    author: {payload}"),
    "source publisher": ("content/sources.yaml", "publisher: Widget Weekly", "publisher: {payload}"),
    "source title": ("content/sources.yaml", "title: Quarterly memo on widgets", "title: {payload}"),
    "summary": ("content/briefs/widgets/brief.yaml", "summary: Widgets are getting cheaper.", "summary: {payload}"),
    "takeaway": ("content/briefs/widgets/themes/01-prices.yaml", "takeaway: Widget prices fell sharply this quarter.",
                 "takeaway: {payload}"),
    "quote speaker": ("content/briefs/widgets/themes/01-prices.yaml", "speaker: Ann Example", "speaker: {payload}"),
    "quote context": ("content/briefs/widgets/themes/01-prices.yaml", "role: CEO, Widget Corp",
                      "role: CEO, Widget Corp\n    context: {payload}"),
    "recommendation owner": ("content/briefs/widgets/themes/01-prices.yaml", "- action: Renegotiate widget contracts.",
                             "- action: Renegotiate widget contracts.\n    owner: {payload}"),
    "classification": ("briefing.yaml", "classification: Internal", "classification: {payload}"),
    "audience name": ("content/audiences/technical.yaml", "name: Technical", "name: {payload}"),
    "label": ("content/audiences/technical.yaml", "name: Technical", "name: Technical\nlabels: {{risks: {payload}}}"),
    "brief title": ("content/briefs/widgets/brief.yaml", "title: The widget market", "title: {payload}"),
}


def _quoted(payload: str) -> str:
    import json

    return json.dumps(payload)  # a YAML double-quoted scalar


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_no_payload_in_any_field_becomes_active_in_html_or_markdown(make_project, field):
    path, old, new = FIELDS[field]
    root = make_project()
    text = (root / path).read_text()
    assert old in text, f"the test project changed: {old!r} not in {path}"
    found: dict[str, list[str]] = {}
    for payload in PAYLOADS:
        if field == "takeaway":
            payload = payload.replace("\n", " ")  # a takeaway is one line
        (root / path).write_text(text.replace(old, new.format(payload=_quoted(payload))))
        # Rendered as the build renders (templates, filters, sanitizer), without writing: every format
        # that writes HTML or Markdown from content, for every audience, and the site's index.
        project = load_project(root)
        targets = [make_target(project, audience) for audience in project.audiences]
        views = {}
        for fmt, request in render_requests(project, targets, FORMATS.resolve(["md", "html", "standalone"])):
            views[(request.view.id, request.view.target.id)] = request.view
            rendered = fmt.render(request)
            output = (rendered.data if isinstance(rendered, Rendered) else rendered).decode()
            hits = markdown_active_content(output) if fmt.name == "md" else active_content(output)
            if hits:
                found[f"{payload} -> {request.view.target.id}{fmt.suffix}"] = hits
        index = site_files(project, views, targets, FORMATS.resolve(["md", "html"]), site=SiteOptions())
        for name, (data, _kind) in index.items():
            if name.endswith(".html") and (hits := active_content(data.decode())):
                found[f"{payload} -> {name}"] = hits
    assert found == {}


def test_the_detectors_detect(make_project):
    assert active_content('<p><svg onload="x"></svg><a href=" JavaScript:alert(1)">a</a></p>') == [
        "<svg>", "svg onload=", "a href= JavaScript:alert(1)"]
    assert markdown_active_content("hello <script>x</script>") == ["<script>", "<script>"]  # both engines
    assert markdown_active_content("[a](javascript:alert(1))")


def test_code_spans_keep_their_text_in_the_markdown(make_project):
    root = make_project({"content/briefs/widgets/brief.yaml": (
        "title: The widget market\ndate: 2025-01-12\nsummary: \"Strip `<script>` tags and `a < b` checks.\"\n"
        "sources: [memo]\n")})
    build(root, formats=["md"])
    markdown = (root / "output/technical/widgets.md").read_text()
    assert "Strip `<script>` tags and `a < b` checks." in markdown
    import markdown as python_markdown

    for rendered in (MARKDOWN.render(markdown), python_markdown.markdown(markdown)):
        assert "<code>&lt;script&gt;</code>" in rendered and "<script>" not in rendered


def test_payload_text_is_kept_as_text(make_project):
    """Escaping keeps what the author wrote readable instead of deleting it."""
    root = make_project({"content/briefs/widgets/themes/01-prices.yaml": (
        "id: prices\ntitle: Prices < costs & \"margins\"\ntakeaway: Prices fell.\nsummary: x\n"
        "facts:\n  - statement: Up 5%.\n    figure: {value: 5, unit: \"%\", basis: claim, by: \"<Widget & Co>\"}\n"
        "    source: memo\n")})
    build(root, formats=["md", "html"])
    html = (root / "output/technical/widgets.html").read_text()
    assert "Prices &lt; costs &amp; “margins”" in html  # escaped, and typographic
    assert "Claim by &lt;Widget &amp; Co&gt;" in html
    markdown = (root / "output/technical/widgets.md").read_text()
    # Entities, never backslashes: Python-Markdown (MkDocs) ignores a backslash before '<'.
    assert "Prices &lt; costs & “margins”" in markdown and "Claim by &lt;Widget & Co&gt;" in markdown
    import markdown as python_markdown

    for rendered in (MARKDOWN.render(markdown), python_markdown.markdown(markdown, extensions=["tables"])):
        assert "Claim by &lt;Widget &amp; Co&gt;" in rendered and "<Widget" not in rendered


def test_a_link_element_in_a_figure_cannot_embed_a_project_file_in_the_pdf(make_project):
    root = make_project({
        ".env": "API_TOKEN=very-secret-value\n",
        "content/briefs/widgets/themes/02-supply.yaml": (
            "id: supply\ntitle: Supply grows\ntakeaway: New factories add supply.\nsummary: Two opened.\n"
            "facts:\n  - statement: 'Two factories <link rel=attachment href=\".env\"> opened.'\n"
            "    figure: {value: 2, unit: '<link rel=attachment href=\".env\">', basis: reported,"
            " label: '<link rel=\"attachment\" href=\".env\">x'}\n    source: memo\n")})
    build(root, formats=["pdf"], audiences=["technical"])
    data = (root / "output/technical/widgets.pdf").read_bytes()
    assert b"very-secret-value" not in data and b"/EmbeddedFile" not in data


# -- property-based: any text in any field, no active content in any format ---------------------------

FRAGMENTS = st.sampled_from([
    "<", ">", "&", "\"", "'", "`", "[", "]", "(", ")", ":", "\\", "/", "=", "*", "_", "|", "!", "\n", " ",
    "script", "javascript", "JaVaScRiPt", "onload", "onerror", "svg", "img", "a href", "&lt;", "&gt;", "&#x3c;",
    "&#58;", "&colon;", "data:text/html", "vbscript", SCRIPT, BREAKOUT, IMAGE, ESCAPED, JS_LINK,
])
HOSTILE_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), min_size=1, max_size=12).map("".join).filter(
    lambda text: text.strip() != "")


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    from conftest import MINIMAL_FILES, write_files

    root = tmp_path_factory.mktemp("fuzz") / "project"
    write_files(root, MINIMAL_FILES)
    return load_project(root)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          database=None)
@given(text=HOSTILE_TEXT, other=HOSTILE_TEXT)
def test_fuzzed_content_never_reaches_an_output_as_active_content(fuzz_project, text, other):
    project = fuzz_project
    brief = project.briefs[0]
    entry = brief.theme_files[0]
    theme = Theme.model_validate({
        "id": "prices", "title": text, "takeaway": other.replace("\n", " ").strip() or "x", "summary": text,
        "implications": [other], "risks": [{"risk": text, "mitigation": other}],
        "facts": [{"statement": other, "source": "memo",
                   "figure": {"value": 3, "unit": text, "currency": other[:3], "basis": "claim", "by": text,
                              "label": other}}],
        "quotes": [{"text": text, "speaker": other, "role": text, "context": other, "source": "memo"}],
        "recommendations": [{"action": text, "rationale": other, "owner": text, "horizon": "now"}],
    })
    fuzzed = dataclasses.replace(brief, theme_files=(dataclasses.replace(entry, theme=theme),))
    patched = dataclasses.replace(project, briefs=[fuzzed])
    targets = [make_target(patched, "technical")]
    formats = FORMATS.resolve(["md", "html", "standalone"])
    for fmt, request in render_requests(patched, targets, formats):
        rendered = fmt.render(request)
        output = (rendered.data if isinstance(rendered, Rendered) else rendered).decode()
        hits = markdown_active_content(output) if fmt.name == "md" else active_content(output)
        assert hits == [], (fmt.name, hits)
