"""Extension points: a format registered from outside, one section overridden, a brief in French."""

from __future__ import annotations

import re

import pytest
from conftest import write_files
from readers import parse_html, pdf_text

from briefing.cli import main
from briefing.labels import Labels, builtin_translation
from briefing.pipeline import build
from briefing.registry import FORMATS, Format, RenderRequest


class PlainText(Format):
    """A toy format, defined here and registered without touching the package."""

    name = "txt"
    suffix = ".txt"
    renders = 0

    def render(self, request: RenderRequest) -> bytes:
        PlainText.renders += 1
        view = request.view
        lines = [view.title.upper(), ""] + [f"* {theme.title}: {theme.takeaway}" for theme in view.themes]
        return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def plain_text():
    FORMATS.add(PlainText())
    PlainText.renders = 0
    yield
    FORMATS.remove("txt")


def test_a_format_registered_from_a_test_builds_is_cached_and_listed(make_project, plain_text, capsys):
    root = make_project()
    build(root, formats=["html", "txt"])
    text = (root / "output/technical/widgets.txt").read_text()
    assert text.startswith("THE WIDGET MARKET\n") and "* Prices fall: Widget prices fell sharply" in text
    assert PlainText.renders == 2  # one brief, two audiences

    index = parse_html((root / "output/index.html").read_text())
    links = dict(index.anchors)
    assert links["technical/widgets.txt"].startswith("TXT")  # named by its format when no label says otherwise
    assert "executive/widgets.txt" in links

    again = build(root, formats=["html", "txt"])
    assert PlainText.renders == 2, "an unchanged plain-text output was rendered again"
    assert all(o.reused for o in again.outputs if o.format == "txt")

    (root / "content/briefs/widgets/brief.yaml").write_text(
        (root / "content/briefs/widgets/brief.yaml").read_text().replace("The widget market", "Widgets now"))
    build(root, formats=["txt"])
    assert PlainText.renders == 4
    assert (root / "output/technical/widgets.txt").read_text().startswith("WIDGETS NOW\n")


def test_format_help_lists_the_registry(plain_text, capsys):
    assert main(["build", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Comma-separated formats: pdf, md, html, standalone, docx, pptx, txt." in help_text


def test_an_unknown_format_is_a_usage_error_with_a_suggestion(make_project, capsys):
    root = make_project()
    assert main(["build", str(root), "--format", "md,htm"]) == 2
    assert "unknown format 'htm'; did you mean 'html'?" in capsys.readouterr().err


OVERRIDE = {
    "content/audiences/board.yaml": """\
        name: Board
        description: Directors.
        """,
    "templates/technical/sections/quotes.html.j2": """\
        <ul class="custom-quotes">
        {% for quote in theme.quotes %}<li>{{ quote.speaker }} put it this way: {{ quote.text }}</li>
        {% endfor %}
        </ul>
        """,
}


def test_one_section_overridden_in_one_format_for_one_audience(make_project):
    root = make_project(OVERRIDE)
    build(root, formats=["md", "html"])
    technical = parse_html((root / "output/technical/widgets.html").read_text())
    board = parse_html((root / "output/board/widgets.html").read_text())
    assert technical.with_class("ul", "custom-quotes")
    assert "Ann Example put it this way: Widgets are cheaper than ever" in technical.all_text
    assert not technical.with_class("figure", "pull-quote")  # the built-in section is replaced
    assert board.with_class("figure", "pull-quote") and not board.with_class("ul", "custom-quotes")
    # The other sections and the other format are untouched.
    assert technical.with_class("ul", "facts")
    markdown = (root / "output/technical/widgets.md").read_text()
    assert "> “Widgets are cheaper than ever”" in markdown and "put it this way" not in markdown


FRENCH = {
    "briefing.yaml": """\
        title: Notes de veille
        author: Équipe stratégie
        organisation: Exemple SA
        classification: Interne
        """,
    "content/sources.yaml": """\
        sources:
          - id: memo
            title: Note trimestrielle sur les widgets
            publisher: Revue des widgets
            date: 2025-01-10
            url: https://example.org/memo
        """,
    "content/audiences/direction.yaml": """\
        name: Direction
        description: Les dirigeants qui décident.
        language: fr
        """,
    "content/audiences/executive.yaml": None,
    "content/audiences/technical.yaml": None,
    "content/briefs/widgets/brief.yaml": """\
        title: Le marché des widgets
        date: 2025-01-12
        summary: Les widgets coûtent moins cher.
        sources: [memo]
        """,
    "content/briefs/widgets/themes/01-prices.yaml": """\
        id: prix
        title: Les prix baissent
        takeaway: Le prix des widgets a chuté ce trimestre.
        summary: Les prix ont baissé d’un cinquième.
        priority: high
        facts:
          - statement: Le prix des widgets a baissé de 20 % sur le trimestre.
            figure: {value: 20, unit: "%", basis: claim, by: Widget SA}
            source: memo
          - statement: La production a atteint 12 500 unités.
            figure: {value: 12500.5, unit: unités, basis: estimate, by: Revue des widgets}
            source: memo
        quotes:
          - text: Jamais aussi bon marché
            speaker: Anne Exemple
            role: PDG, Widget SA
            source: memo
        implications:
          - Les contrats doivent être renégociés.
        risks:
          - risk: Les prix remontent.
            likelihood: medium
            impact: high
            mitigation: Signer des contrats à prix fixe.
        recommendations:
          - action: Renégocier les contrats de widgets.
            horizon: next-quarter
            owner: Achats
        """,
    "content/briefs/widgets/themes/02-supply.yaml": """\
        id: offre
        title: L’offre augmente
        takeaway: De nouvelles usines ajoutent de l’offre.
        summary: Deux usines ont ouvert.
        facts:
          - statement: Deux usines ont ouvert.
            source: memo
        recommendations:
          - action: Qualifier un second fournisseur.
            horizon: watch
        """,
}


def english_template_words() -> set[str]:
    """Words of the English labels that the French wording does not also use."""
    english = Labels()
    french = builtin_translation("fr")
    french_words = {word.lower() for value in french.values() if isinstance(value, str)
                    for word in re.findall(r"[^\W\d_]+", value)}
    words = {word for key in Labels.model_fields if key not in {"format_names", "qualifiers", "date_format"}
             for word in re.findall(r"[^\W\d_]{3,}", english[key])}
    words |= {"January", "December", "Claims", "Mitigation", "Contents", "brief"}
    return {word for word in words if word.lower() not in french_words}


@pytest.fixture(scope="module")
def french_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("french") / "project"
    from conftest import MINIMAL_FILES

    write_files(root, MINIMAL_FILES)
    write_files(root, FRENCH)
    build(root)
    return root / "output" / "direction"


def test_a_french_profile_has_no_english_template_word_in_any_format(french_build):
    words = english_template_words()
    assert {"Mitigation", "Contents", "takeaways", "Prepared"} <= words  # the check has teeth
    texts = {
        "md": (french_build / "widgets.md").read_text(),
        "html": parse_html((french_build / "widgets.html").read_text()).all_text,
        "pdf": pdf_text(french_build / "widgets.pdf"),
    }
    for fmt, text in texts.items():
        found = sorted(word for word in words if re.search(rf"\b{re.escape(word)}\b", text))
        assert found == [], f"English words in the French {fmt}: {found}"


def test_french_dates_numbers_and_wording(french_build):
    markdown = (french_build / "widgets.md").read_text()
    assert "12 janvier 2025" in markdown and "10 janvier 2025" in markdown
    assert "12\u202f500,5" in markdown  # French grouping and decimal comma
    assert "## L’essentiel" in markdown and "### Faits marquants" in markdown
    assert "*(Affirmation : Widget SA)*" in markdown  # names as written
    assert "probabilité moyenne, impact élevé" in markdown
    assert "Parade" in markdown and "Trimestre prochain" in markdown
    html = (french_build / "widgets.html").read_text()
    assert '<html lang="fr">' in html and "Aller au contenu" in html
    pdf = pdf_text(french_build / "widgets.pdf")
    assert "Page 2 sur 4" in pdf and "Sommaire" in pdf


def test_a_label_without_its_placeholder_is_refused(make_project):
    from conftest import problems_of

    root = make_project({"content/audiences/technical.yaml": """\
        name: Technical
        description: Engineers.
        labels:
          page_of: Page {current}
        """})
    [problem] = [p for p in problems_of(root) if "page_of" in p.message]
    assert "{page}" in problem.message and "{current}" in problem.message
