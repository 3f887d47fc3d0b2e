"""The parts of source fidelity one by one: reading texts, matching excerpts, numbers, attribution."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from briefing.fidelity.attribution import attributions_in, find_name, names_for
from briefing.fidelity.compare import compare_figure, figure_number
from briefing.fidelity.match import closest_hint, excerpt_parts, find, fold
from briefing.fidelity.numbers import Number, parse_numbers
from briefing.fidelity.source_text import (
    SourceText,
    SourceTextError,
    TextCache,
    digest,
    read_source_text,
    split,
)
from briefing.models import Figure

ARTICLE = (
    "Harbour Freight posts record year\n\n"
    "Harbour Freight moved 2.4 million containers in 2024, the port operator said on Friday. "
    "Its chief executive, Lena Maris, called the result \u201ca turning point for the whole estuary.\u201d\n\n"
    "The company plans to spend \u20ac1.2 billion on new cranes. Analysts at Tidewater Partners estimate "
    "that the cranes will lift capacity by 15\u201320 percent.\n"
)


def source(text: str = ARTICLE) -> SourceText:
    return SourceText("harbour", "harbour.txt", text, digest(text), split(text))


# --- reading and splitting --------------------------------------------------------------------

def test_paragraphs_and_sentences_keep_offsets():
    text = source()
    assert len(text.paragraphs) == 3
    second = text.paragraphs[1]
    assert len(second.sentences) == 2
    assert text.sentence_text(1, 1).startswith("Its chief executive, Lena Maris")
    for paragraph in text.paragraphs:
        for sentence in paragraph.sentences:
            assert text.text[sentence.start:sentence.end].strip() == text.sentence_text(paragraph.index,
                                                                                        sentence.index)
    assert text.sentence_at(text.text.index("Analysts")) == (2, 1)


def test_one_paragraph_a_line_without_blank_lines():
    text = source("First line. Still first.\nSecond line!\nThird line.")
    assert [text.paragraph_text(i) for i in range(len(text.paragraphs))] == [
        "First line. Still first.", "Second line!", "Third line."]
    assert len(text.paragraphs[0].sentences) == 2


def test_wrapped_lines_stay_one_paragraph_and_sentence():
    text = source("A sentence wrapped\nover two lines. Another one.\n\nNext paragraph.")
    assert len(text.paragraphs) == 2
    assert text.sentence_text(0, 0) == "A sentence wrapped\nover two lines."


def test_markdown_html_and_pdf_copies(tmp_path: Path):
    (tmp_path / "a.md").write_text("# Title\n\nThe **big** claim: [four times](http://x) faster.\n", encoding="utf-8")
    md = read_source_text(tmp_path, "a", "a.md")
    assert md.paragraph_text(1) == "The big claim: four times faster."
    page = ("<html><head><title>t</title></head><body><nav>Home | About</nav><article><h1>Port news</h1>"
            + "".join(f"<p>Paragraph {n} of the story says the port moved {n} million boxes this year, "
                      f"a figure the operator confirmed in a statement on Friday.</p>" for n in range(1, 6))
            + "</article><footer>Copyright</footer></body></html>")
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    html = read_source_text(tmp_path, "a", "a.html")
    assert find(html, "the port moved 3 million boxes this year").found
    assert "Copyright" not in html.text
    (tmp_path / "a.pdf").write_bytes(_pdf(["The port moved 2.4 million containers.", "A record, said Lena Maris."]))
    pdf = read_source_text(tmp_path, "a", "a.pdf")
    assert find(pdf, "moved 2.4 million containers").found


def test_unusable_copies_say_why(tmp_path: Path):
    with pytest.raises(SourceTextError, match="does not exist"):
        read_source_text(tmp_path, "a", "missing.txt")
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    with pytest.raises(SourceTextError, match="not a readable PDF"):
        read_source_text(tmp_path, "a", "bad.pdf")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(SourceTextError, match="no text"):
        read_source_text(tmp_path, "a", "empty.txt")
    with pytest.raises(SourceTextError, match="outside the project"):
        read_source_text(tmp_path, "a", "../outside.txt")


def test_cache_reads_each_copy_once(tmp_path: Path):
    (tmp_path / "a.txt").write_text("One sentence here.", encoding="utf-8")
    cache = TextCache(tmp_path)
    first = cache.get("a", "a.txt")
    (tmp_path / "a.txt").write_text("Changed.", encoding="utf-8")
    assert cache.get("a", "a.txt") is first
    assert isinstance(first, SourceText) and first.raw_sha256 == digest("One sentence here.")


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer, written by hand."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    stream = zlib.compress(content.encode("latin-1"))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- matching ---------------------------------------------------------------------------------

def test_fold_maps_back_to_the_original():
    folded, offsets = fold("A \u201cB\u201d\u00a0\u2014 c\u2011d\u2026")
    assert folded == 'a "b"-c-d...'
    assert len(offsets) == len(folded) + 1


@pytest.mark.parametrize("excerpt", [
    "moved 2.4 million containers in 2024",
    "MOVED 2.4 MILLION   containers",
    "\u201ca turning point for the whole estuary.\u201d",
    '"a turning point for the whole estuary,"',
    "Harbour Freight moved ... in 2024",
    "Harbour Freight moved [...] in 2024",
    "Harbour Freight moved [\u2026] in 2024",
    "Harbour Freight moved \u2026 in 2024",
    "by 15-20 percent",
    "by 15\u201120 percent",
])
def test_faithful_excerpts_are_found(excerpt):
    result = find(source(), excerpt)
    assert result.found and result.places == 1, excerpt


def test_gaps_stay_within_one_paragraph_and_in_order():
    text = source()
    assert not find(text, "2.4 million containers ... new cranes").found
    assert not find(text, "in 2024 ... Harbour Freight moved").found


def test_match_gives_paragraph_sentence_and_offsets():
    text = source()
    location = find(text, "lift capacity by 15-20 percent").location
    assert location is not None
    assert (location.paragraph, location.sentence) == (2, 1)
    assert text.text[location.start:location.end] == "lift capacity by 15\u201320 percent"


def test_words_must_be_whole():
    assert not find(source(), "arbour Freight moved 2.4 million").found


def test_short_or_common_evidence_cannot_pin_down():
    text = source()
    short = find(text, "the cranes")
    assert short.found and short.too_short and "2 words" in short.why_short()
    common = find(source(ARTICLE + "\nHarbour Freight moved again, said the port operator.\n"), "Harbour Freight moved")
    assert common.places == 2 and "2 places" in common.why_short()
    assert not find(text, "the port operator said on Friday").too_short


def test_closest_passage_for_words_not_found():
    text = source()
    assert not find(text, "moved 2.5 million containers in 2024").found
    assert 'closest passage (paragraph 2): "Harbour Freight moved 2.4 million containers in 2024' in closest_hint(
        text, "Harbour Freight moved 2.5 million containers in 2024")
    assert closest_hint(text, "zzzz qqqq xxxx") == "copy the exact words from the source's text"


def test_excerpt_parts_drop_edge_punctuation():
    assert excerpt_parts("\u201cGrowing, [...] fast.\u201d") == ["growing", "fast"]


# --- numbers ----------------------------------------------------------------------------------

CASES = [
    ("a 30-40% gain", dict(value=30, upper=40, unit="%")),
    ("30\u201340 percent better", dict(value=30, upper=40, unit="%")),
    ("30% to 40%", dict(value=30, upper=40, unit="%")),
    ("$8 billion", dict(value=8, scale="billion", currency="$")),
    ("8 billion dollars", dict(value=8, scale="billion", currency="$")),
    ("8 billion $", dict(value=8, scale="billion", currency="$")),
    ("\u20ac1.2bn", dict(value=1.2, scale="billion", currency="\u20ac")),
    ("100,000 GPUs", dict(value=100000)),
    ("100 000 GPUs", dict(value=100000)),
    ("four times greater", dict(value=4, unit="x")),
    ("2.5 times", dict(value=2.5, unit="x")),
    ("5x faster", dict(value=5, unit="x")),
    ("over five times the size", dict(value=5, unit="x", qualifier="over")),
    ("more than $100 billion", dict(value=100, scale="billion", currency="$", qualifier="over")),
    ("about 99%", dict(value=99, unit="%", qualifier="about")),
    ("up to 30%", dict(value=30, unit="%", qualifier="up to")),
    ("at least twenty-five firms", dict(value=25, qualifier="at least")),
    ("a 15-year deal", dict(value=15, unit="year")),
    ("4 cents per kilowatt-hour", dict(value=4, unit="cents per kilowatt-hour")),
    ("in 2027", dict(value=2027, is_year=True)),
    ("99% of the workloads", dict(value=99, unit="%")),
    ("half of them", dict(value=50, unit="%")),
    ("fell by a fifth", dict(value=20, unit="%")),
    ("seventeen people", dict(value=17)),
    ("a dozen sites", dict(value=12)),
    ("a million chips", dict(value=1, scale="million")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_numbers_parse(text, expected):
    found = parse_numbers(text)
    assert len(found) == 1, (text, found)
    for name, value in expected.items():
        assert getattr(found[0], name) == value, (text, name, found[0])


@pytest.mark.parametrize("text", ["hundreds of thousands of chips", "dozens of sites", "tens of billions of dollars",
                                  "Trainium2 and GPT-4 on H100s", "the 1990s", "several thousand people"])
def test_not_numbers(text):
    assert parse_numbers(text) == []


def test_spans_point_at_the_number():
    text = "Rainier will be over five times the size, and cost $8 billion."
    spans = [text[n.start:n.end] for n in parse_numbers(text)]
    assert spans == ["over five times", "$8 billion"]


def fig(**fields: object) -> Figure:
    return Figure.model_validate({"value": 1, **fields})


def stated(text: str) -> list[Number]:
    return parse_numbers(text)


@pytest.mark.parametrize(("figure", "text"), [
    (dict(value=8, unit="billion", currency="$"), "a total of $8 billion"),
    (dict(value=8000, unit="million", currency="$"), "a total of $8 billion"),
    (dict(value=4, unit="x"), "four times greater"),
    (dict(value=4, unit="times"), "4x greater"),
    (dict(value=30, upper=40, unit="%"), "30\u201340 percent"),
    (dict(value=5, unit="x", qualifier="more than"), "over five times the size"),
    (dict(value=100000, unit="GPUs"), "with 100,000 Nvidia GPUs"),
])
def test_figure_agrees(figure, text):
    assert compare_figure(fig(**figure), stated(text), text)[1] == []


@pytest.mark.parametrize(("figure", "text", "kind", "severity"), [
    (dict(value=54, unit="%"), "45% of demand", "number", "error"),
    (dict(value=8, unit="million", currency="$"), "$8 billion", "scale", "error"),
    (dict(value=30, unit="%"), "30-40%", "range", "error"),
    (dict(value=4, unit="%"), "four times", "unit", "error"),
    (dict(value=8, unit="billion", currency="\u20ac"), "$8 billion", "currency", "error"),
    (dict(value=8, unit="billion"), "$8 billion", "currency", "warning"),
    (dict(value=5, unit="x"), "over five times", "hedge", "warning"),
    (dict(value=5, unit="x", qualifier="under"), "five times", "hedge", "warning"),
    (dict(value=100000, unit="servers"), "100,000 Nvidia GPUs", "unit", "error"),
    (dict(value=5, unit="x"), "no number at all", "number", "error"),
])
def test_figure_disagrees(figure, text, kind, severity):
    _, problems = compare_figure(fig(**figure), stated(text), text)
    assert [(p.kind, p.severity) for p in problems] == [(kind, severity)], problems


def test_figure_unit_billion_is_a_scale():
    number = figure_number(fig(value=8, unit="billion", currency="$"))
    assert (number.scale, number.unit, number.magnitude) == ("billion", "", 8e9)


# --- attribution ------------------------------------------------------------------------------

def test_names_for_people_and_organisations():
    assert names_for("Matt Garman", "CEO, AWS") == ["Matt Garman", "Garman", "AWS"]
    assert names_for("Matt Garman (AWS)") == ["Matt Garman", "Garman", "AWS"]
    assert names_for("The Information") == ["The Information"]
    assert names_for("Tidewater Partners") == ["Tidewater Partners"]
    assert names_for("Lena Maris", "Chief executive of Harbour Freight") == ["Lena Maris", "Maris", "Harbour Freight"]


def test_find_name_folds_and_needs_whole_words():
    assert find_name("Northwind\u2019s chief executive", ["Northwind"]) == "Northwind"
    assert find_name("Northwinds", ["Northwind"]) is None


@pytest.mark.parametrize(("sentence", "name", "verb"), [
    ("Matt Garman, the CEO of AWS, told The Wall Street Journal that it was so.", "Matt Garman", "told"),
    ("\u201cIt works,\u201d said Ravi Olsen, an analyst.", "Ravi Olsen", "said"),
    ("According to Amazon, it will scale.", "Amazon", "according to"),
    ("\u201cIt works,\u201d the SemiAnalysis researchers wrote.", "SemiAnalysis", "wrote"),
    ("Brightline Research estimates that costs rise.", "Brightline Research", "estimates"),
])
def test_attributions_in_a_sentence(sentence, name, verb):
    found = attributions_in(sentence)
    assert found and (found[0].name, found[0].verb) == (name, verb)


def test_pronoun_is_not_a_name():
    assert attributions_in("\u201cWe like choice,\u201d he said.") == []


def test_hard_wrapped_lines_without_blank_lines_run_on():
    text = source("Widget prices \u201cfell by 20%\u201d over the quarter, as the\nmemo said in its opening line.\n"
                  "Short heading\nNext paragraph starts here.")
    assert [text.paragraph_text(i) for i in range(len(text.paragraphs))] == [
        "Widget prices \u201cfell by 20%\u201d over the quarter, as the\nmemo said in its opening line.",
        "Short heading", "Next paragraph starts here."]
    assert find(text, "over the quarter, as the memo said").found


def test_a_percentage_then_an_amount_are_two_numbers_not_a_range():
    from briefing.fidelity.numbers import parse_numbers

    found = [n.describe() for n in parse_numbers("Revenue rose 18% to $2.4 billion, and margins 12% to 15%.")]
    assert found == ["18%", "$2.4 billion", "12-15%"]


@pytest.mark.parametrize(("text", "value"), [
    ("across hundreds of thousands of chips", 1e5), ("dozens of towns", 10), ("tens of millions of users", 1e7),
    ("several thousand units", 1e3), ("thousands upon thousands of lamps", 1e3), ("billions of dollars", 1e9),
])
def test_vague_amounts_are_orders_of_magnitude_never_counts(text, value):
    assert parse_numbers(text) == [], "an exact reading of a vague amount would be a number the source never gave"
    vague = parse_numbers(text, vague=True)
    assert [(n.value, n.qualifier) for n in vague] == [(value, "order of magnitude")]


def test_a_figure_is_checked_against_the_vague_amount_of_its_evidence():
    sentence = "The cluster will span hundreds of thousands of chips."
    stated = parse_numbers(sentence, vague=True)
    same = Figure(value=100000, unit="chips", qualifier="order of magnitude")
    assert compare_figure(same, stated, sentence)[1] == []
    exact = Figure(value=100000, unit="chips")
    problems = compare_figure(exact, stated, sentence)[1]
    assert [(p.kind, p.severity) for p in problems] == [("vague", "error")]
    assert "order of magnitude" in problems[0].hint
    other = Figure(value=10000, unit="chips", qualifier="order of magnitude")
    assert [p.severity for p in compare_figure(other, stated, sentence)[1]] == ["error"]
    exact_source = parse_numbers("It has 100,000 chips.", vague=True)
    assert [p.severity for p in compare_figure(same, exact_source, "It has 100,000 chips.")[1]] == ["error"]


@pytest.mark.parametrize("fields", [
    {"value": 120000}, {"value": 100000, "upper": 1000000}, {"value": 1e5, "currency": "$"},
    {"value": 1e5, "unit": "%"},
])
def test_an_order_of_magnitude_figure_is_an_order(fields):
    with pytest.raises(ValueError, match="order"):
        Figure(qualifier="order of magnitude", **fields)


def test_an_order_of_magnitude_is_written_in_words_in_every_language():
    from briefing.filters import format_figure
    from briefing.labels import resolve_labels

    figure = Figure(value=100000, unit="chips", qualifier="order of magnitude")
    assert format_figure(figure, "en", None, resolve_labels("en")) == "hundreds of thousands of chips"
    assert format_figure(figure, "fr", None, resolve_labels("fr")) == "des centaines de milliers de chips"
