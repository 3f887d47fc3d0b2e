"""How the source check reads numbers, units, bounds, statements and speakers, piece by piece (sentences in
the project's own words; the corpus in tests/corpus measures the whole)."""

from __future__ import annotations

import pytest

from briefing.fidelity.bounds import direction
from briefing.fidelity.compare import compare_figure, misstated, same_amount
from briefing.fidelity.judge import EvidencePassage, LexicalJudge
from briefing.fidelity.match import find
from briefing.fidelity.numbers import parse_numbers
from briefing.fidelity.source_text import SourceText, split
from briefing.fidelity.speakers import speaker_of
from briefing.fidelity.units import convert, currency_code, read_unit, same_currency
from briefing.models import Figure


def one(text: str):
    found = parse_numbers(text)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(("text", "value", "upper", "unit", "qualifier"), [
    ("between 500 and 550 MW", 500, 550, "MW", None),
    ("temperatures never rose above 45 °C", 45, None, "°C", "at most"),
    ("availability did not exceed 71%", 71, None, "%", "at most"),
    ("no more than 96 hours", 96, None, "hours", "at most"),
    ("the crowd never drew fewer than 33,000", 33000, None, "", "at least"),
    ("at no point did output go above 40%", 40, None, "%", "at most"),
    ("nearly two-thirds of homes", 200 / 3, None, "%", "nearly"),
    ("more than a third", 100 / 3, None, "%", "over"),
    ("one in four patients", 25, None, "%", None),
    ("a 550-megawatt plant", 550, None, "megawatt", None),
    ("cut by 25 basis points", 25, None, "basis points", None),
    ("narrowed by more than a percentage point", 1, None, "percentage point", "over"),
    ("four and a half hours", 4.5, None, "hours", None),
    ("pays twice that", 2, None, "x", None),
    ("job cuts capped at 450", 450, None, "", "at most"),
])
def test_numbers_are_read_as_the_sentence_means_them(text, value, upper, unit, qualifier):
    number = one(text)
    assert number.value == pytest.approx(value)
    assert number.upper == upper and number.unit == unit and number.qualifier == qualifier


@pytest.mark.parametrize(("text", "currency", "scale"), [
    ("SEK 4.2 billion", "SEK", "billion"), ("2 billion kronor", "SEK", "billion"),
    ("CHF 310 million", "CHF", "million"),
    ("kr 2,740", "kr", ""), ("between £880m and £940m", "£", "million"),
])
def test_currencies_by_symbol_code_and_word(text, currency, scale):
    number = one(text)
    assert (number.currency, number.scale) == (currency, scale)


def test_occasions_are_not_multiples_and_year_ranges_are_years():
    ten, years = parse_numbers("The bank raised its rate ten times between 2022 and 2023")
    assert ten.unit == "" and years.is_year


def test_units_convert_and_keep_their_dimension():
    assert convert(1.24, read_unit("TWh"), read_unit("GWh")) == pytest.approx(1240)
    assert convert(1, read_unit("MW"), read_unit("MWh")) is None  # power is not energy
    assert read_unit("people").kind == "count" and read_unit("in").kind == "count"  # never inches
    assert same_currency("kr", "SEK") and not same_currency("SEK", "€") and currency_code("euros") == "EUR"


def fig(**fields: object) -> Figure:
    return Figure.model_validate({"value": 1, **fields})


@pytest.mark.parametrize(("figure", "text"), [
    (dict(value=1.24, unit="TWh"), "a store of 1,240 GWh"),
    (dict(value=0.19, unit="million tonnes"), "190,000 tonnes of ammonia"),
    (dict(value=400, unit="%"), "four times as much"),
    (dict(value=67, unit="%", qualifier="nearly"), "nearly two-thirds of homes"),
    (dict(value=0.85, unit="per share", currency="EUR"), "a dividend of 85 euro cents a share"),
    (dict(value=500, upper=550, unit="MW"), "between 500 and 550 MW"),
    (dict(value=96, unit="hours", qualifier="up to"), "no more than 96 hours"),
    (dict(value=21400, unit="employees"), "21,400 people"),
    (dict(value=2, unit="billion", currency="SEK"), "2 billion kronor"),
])
def test_faithful_figures_agree(figure, text):
    assert compare_figure(fig(**figure), parse_numbers(text, vague=True), text)[1] == []


@pytest.mark.parametrize(("figure", "text", "kind"), [
    (dict(value=550, unit="MWh"), "a 550 MW plant", "unit"),
    (dict(value=300, unit="g"), "a dose of 300 mg", "unit"),
    (dict(value=45, unit="°F", qualifier="at most"), "never rose above 45 °C", "unit"),
    (dict(value=4.2, unit="billion", currency="EUR"), "SEK 4.2 billion", "currency"),
    (dict(value=45, unit="°C", qualifier="over"), "never rose above 45 °C", "bound"),
    (dict(value=640, unit="per kilogram", currency="EUR"), "€640 a tonne", "unit"),
])
def test_untrue_figures_are_errors_naming_both_sides(figure, text, kind):
    _, problems = compare_figure(fig(**figure), parse_numbers(text, vague=True), text)
    assert [(p.kind, p.severity) for p in problems] == [(kind, "error")], problems


def test_prose_numbers_in_another_currency_or_the_other_bound_are_misstated():
    pool = parse_numbers("Shares closed at $52.30. Fewer than 5% of patients stopped.")
    assert "another currency" in misstated(one("€52.30"), pool)
    assert "the other way" in misstated(one("at least 5%"), pool)
    assert misstated(one("$52.30"), pool) is None and same_amount(one("$52.30"), pool[0])


def test_bound_directions():
    assert {direction(q) for q in ("up to", "at most", "under", "below")} == {"<="}
    assert {direction(q) for q in ("over", "more than", "at least")} == {">="}


ARTICLE = (
    "Corran Dairies reports a turn\n\n"
    "Corran Dairies said on Monday that milk volumes rose 4% to 2.1 billion litres, while rival Fenmoor "
    "Foods saw its volumes fall 2%. The cooperative has not yet taken a final decision on its new plant.\n\n"
    "“We are not in a hurry,” said Ines Walcott, Corran's chief executive. “The plant can wait a year.” "
    "A farmer who asked not to be named was blunter. “Nobody asked us,” he said.\n\n"
    "Walcott spoke after the results. “Prices will hold,” she said.\n"
)
SOURCE = SourceText("s", "s.txt", ARTICLE, "", split(ARTICLE))


def passage(evidence: str) -> EvidencePassage:
    from briefing.fidelity.judge import passage_of

    location = find(SOURCE, evidence).location
    assert location is not None
    return passage_of(SOURCE, location)


@pytest.mark.parametrize(("statement", "kind"), [
    ("Corran Dairies has taken a final decision on its new plant.", "negation"),
    ("Corran Dairies said milk volumes fell 4% to 2.1 billion litres.", "direction"),
    ("Fenmoor Foods said milk volumes rose 4% to 2.1 billion litres.", "subject"),
])
def test_statements_that_keep_the_number_and_lie_in_the_sentence(statement, kind):
    evidence = ("has not yet taken a final decision" if kind == "negation"
                else "milk volumes rose 4% to 2.1 billion litres")
    judgement = LexicalJudge().judge(statement, passage(evidence))
    assert kind in {m.kind for m in judgement.mismatches}, judgement


@pytest.mark.parametrize("statement", [
    "Corran Dairies has yet to make a final decision on its new plant.",
    "Corran Dairies says its milk volumes climbed 4% to 2.1 billion litres.",
])
def test_faithful_statements_are_supported(statement):
    evidence = "has not yet taken a final decision" if "decision" in statement else "milk volumes rose 4%"
    assert LexicalJudge().judge(statement, passage(evidence)).supported


@pytest.mark.parametrize(("words", "speaker", "how"), [
    ("We are not in a hurry", "Ines Walcott", "named"),
    ("The plant can wait a year", "Ines Walcott", "follow-on"),
    ("Nobody asked us", None, "anonymous"),
    ("Prices will hold", "Ines Walcott", "pronoun"),  # the full name the article gave first
])
def test_speakers_are_read_as_a_reader_reads_them(words, speaker, how):
    said = speaker_of(SOURCE, find(SOURCE, words).location)
    assert said is not None and (said.name, said.how) == (speaker, how)


def test_promotion_and_other_stories_headlines_give_no_candidate():
    from briefing.draft.extract import draft_facts, draft_quotes
    from briefing.draft.promotion import left_out_lines

    text = ("Corran Dairies reports a turn\n\n"
            "Corran Dairies said milk volumes rose 4% to 2.1 billion litres in the year.\n\n"
            "Read more: Fenmoor Foods cuts 300 jobs as milk prices fall 12%\n\n"
            "Why Cheese Makers Are Betting 40% More On Exports\n\n"
            "“We are not in a hurry,” said Ines Walcott, Corran's chief executive.\n")
    source = SourceText("s", "s.txt", text, "", split(text))
    numbers = [c.number_text for c in draft_facts(source)]
    assert numbers == ["4%", "2.1 billion litres"], numbers
    assert [q.speaker for q in draft_quotes(source)] == ["Ines Walcott"]
    lines = "\n".join(left_out_lines(source))
    assert "paragraph 3, promotion" in lines and "paragraph 4, a headline of another story" in lines


def test_the_report_shows_what_the_brief_asserts_beside_the_source_and_what_was_checked(tmp_path):
    import shutil
    from pathlib import Path

    from briefing.fidelity.report import report_data, report_html
    from briefing.load import load_project

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fidelity" / "project", root)
    project = load_project(root)
    items = [i for b in report_data(project)["briefs"] for i in b["items"]]
    figure = next(i for i in items if i["kind"] == "figure" and i["asserted"] == "over 5x")
    assert figure["stated"] == "over five times" and {"number", "unit", "bound", "currency"} <= set(figure["checked"])
    assert all(i["checked"] for i in items if i["status"] == "verified"), "verified only for what was compared"
    page = report_html(project)
    assert "id=flagged-only" in page and "tr.item:not(.status-flagged)" in page
    assert "brief: <b>over 5x</b> · source: <b>over five times</b>" in page


@pytest.mark.parametrize(("text", "value", "upper", "unit", "scale", "currency", "qualifier", "words"), [
    ("Le groupe a réalisé 2,4 milliards d'euros de chiffre d'affaires.", 2.4, None, "", "billion", "€", None,
     "2,4 milliards d'euros"),
    ("Le projet coûtera entre 300 et 350 millions d'euros selon la direction.", 300, 350, "", "million", "€", None,
     "entre 300 et 350 millions d'euros"),
    ("Près de la moitié des salariés partiront dans les deux ans.", 50, None, "%", "", "", "nearly",
     "Près de la moitié"),
    ("La marge atteint 11,3 % sur le semestre, selon la société.", 11.3, None, "%", "", "", None, "11,3 %"),
    ("Le dividende de 0,45 euro par action est maintenu par le groupe.", 0.45, None, "per share", "", "€", None,
     "0,45 euro par action"),
])
def test_french_numbers_are_read_with_their_own_words(text, value, upper, unit, scale, currency, qualifier, words):
    number = parse_numbers(text)[0]
    assert (number.value, number.upper, number.unit, number.scale, number.currency, number.qualifier) == \
        (pytest.approx(value), upper, unit, scale, currency, qualifier)
    assert number.text == words


def test_french_quotes_are_drafted_with_their_speakers():
    from briefing.draft.extract import draft_quotes

    text = ("Les Forges de Brénac ferment un site\n\n"
            "« Nous ne pouvons plus attendre », a déclaré Hélène Castagnet, directrice générale du groupe. "
            "« Le marché a changé », a-t-elle ajouté.\n")
    source = SourceText("s", "s.txt", text, "", split(text))
    assert [(q.text, q.speaker) for q in draft_quotes(source)] == [
        ("Nous ne pouvons plus attendre", "Hélène Castagnet"), ("Le marché a changé", "Hélène Castagnet")]
