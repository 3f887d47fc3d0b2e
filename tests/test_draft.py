"""``briefing draft``: candidate facts and quotes from a local source, drafted into a project that checks.

The two articles under tests/draft/ were written for these tests; the seed article is used only when
it is present at ../shared/seed/article.txt, and never copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefing import load_project
from briefing.draft import Draft, draft
from briefing.draft.emit import document, scalar
from briefing.draft.extract import REWRITE, TODO_SPEAKER
from briefing.errors import UsageError
from briefing.fidelity.source_text import digest
from briefing.pipeline import build
from briefing.scaffold import create_project

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "draft"
SEED = HERE.parent.parent / "shared" / "seed" / "article.txt"

Key = tuple[float, str, str | None]

# Every figure the figures article states, as (value, unit, qualifier): the vague "hundreds of thousands"
# and "dozens" as orders of magnitude of the nouns they count, never as exact numbers.
FIGURES: set[Key] = {
    (2.4, "billion", None), (18, "%", None), (31.5, "%", None), (4200, "", None), (3100, "", None),
    (12, "", None), (4, "cents per kilowatt-hour", None), (25, "%", "about"), (900, "million", "up to"),
    (15, "year", None), (1.2, "billion", "over"), (100000, "households", "order of magnitude"),
    (10, "towns", "order of magnitude"),
}
QUOTES = {
    "We are building the machine we always wanted to use": "Ingrid Dahl",
    "People kept telling us ‘it cannot be done in Norway,’ and we took that as a challenge": "Ingrid Dahl",
    "This is a press release dressed up as a breakthrough": "Tom Reyes",
    "small steps, big machines": TODO_SPEAKER,
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    create_project(root)
    return root


def _written(source: Path | str, project: Path, *, force: bool = False, **options: str) -> Draft:
    """Draft and write, as the CLI does."""
    drafted = draft(source, project, **options)
    drafted.write(force=force)
    return drafted


def _keys(result: Draft) -> list[Key]:
    return [(f.figure.value, f.figure.unit, f.figure.qualifier) for f in result.facts]


def _precision_recall(found: list, expected: set) -> tuple[float, float]:
    hits = [item for item in found if item in expected]
    precision = len(hits) / len(found) if found else 0.0
    recall = len(expected & set(found)) / len(expected) if expected else 1.0
    return precision, recall


def _theme(project: Path, brief: str) -> dict:
    path = project / "content" / "briefs" / brief / "themes" / "01-draft.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _loads_and_builds(project: Path, tmp_path: Path) -> None:
    loaded = load_project(project)  # raises ContentError on any error; warnings are allowed
    result = build(loaded, formats=["md"], out_dir=tmp_path / "out")
    assert result.outputs, "the drafted project renders"


def test_figures_are_drafted_with_value_unit_and_qualifier(project: Path, tmp_path: Path) -> None:
    result = _written(ARTICLES / "figures.md", project)
    keys = _keys(result)
    precision, recall = _precision_recall(keys, FIGURES)
    print(f"figures article: {len(keys)} drafted, precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.8 and recall >= 0.8, keys
    by_value = {f.figure.value: f for f in result.facts}
    assert by_value[25].figure.basis == "estimate" and by_value[25].figure.by == "Harbor Research"
    assert by_value[1.2].figure.currency == "€" and by_value[1.2].figure.basis == "reported"
    assert by_value[900].figure.currency == "$"
    assert all(f.statement.startswith(REWRITE) for f in result.facts)
    assert all(len(f.evidence.split()) >= 4 for f in result.facts)
    assert not any(f.figure.value == 2019 or f.figure.value == 2028 for f in result.facts), "years are not figures"
    assert result.document.date is not None and result.document.date.isoformat() == "2025-03-14"
    assert result.document.title == "Northwind Grid posts a record quarter"
    spending = by_value[900].figure
    assert spending.basis == "estimate" and spending.by is not None and spending.by.startswith("TODO"), \
        "'The company expects' is not lent to the analysts named in the sentence before"
    households = by_value[100000].figure
    assert (households.unit, households.qualifier) == ("households", "order of magnitude")
    theme = _theme(project, "figures")
    drafted = {f["figure"]["value"]: f["figure"] for f in theme["facts"]}
    assert drafted[100000]["qualifier"] == "order of magnitude" and "currency" not in drafted[100000]
    _loads_and_builds(project, tmp_path)


def test_quotes_are_drafted_with_speakers(project: Path, tmp_path: Path) -> None:
    result = _written(ARTICLES / "quotes.txt", project, brief="oslo-lab", source_id="harbour-labs")
    found = {q.text: q.speaker for q in result.quotes}
    pairs = list(found.items())
    precision, recall = _precision_recall(pairs, set(QUOTES.items()))
    print(f"quotes article: {len(pairs)} drafted, precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.8 and recall >= 0.8, found
    assert found == QUOTES
    assert "Wow." not in found and "ambitious but unproven" not in found  # too short; single quotes
    assert [(f.figure.value, f.figure.by, f.figure.unit) for f in result.facts] == [(40, "Dahl", "researchers")]
    roles = {q.speaker: q.role for q in result.quotes}
    assert roles["Ingrid Dahl"] == "chief executive" and roles["Tom Reyes"] == "analyst at Fjord Capital"
    people = {e.name: e.mentions for e in result.entities if e.kind == "person"}
    organisations = {e.name for e in result.entities if e.kind == "organisation"}
    assert people == {"Ingrid Dahl": 2, "Tom Reyes": 1} and organisations == {"Harbour Labs", "Fjord Capital"}
    header = (project / "content" / "briefs" / "oslo-lab" / "themes" / "01-draft.yaml").read_text(encoding="utf-8")
    assert "#   people: Ingrid Dahl (2), Tom Reyes (1)" in header
    theme = _theme(project, "oslo-lab")
    assert [q["speaker"] for q in theme["quotes"]] == list(QUOTES.values())
    assert all(q["source"] == "harbour-labs" for q in theme["quotes"])
    _loads_and_builds(project, tmp_path)


def test_the_source_is_copied_listed_and_pinned(project: Path) -> None:
    result = draft(ARTICLES / "figures.md", project)
    assert not (project / "sources" / "figures.txt").exists(), "draft() proposes; write() writes"
    written = result.write()
    copy = project / "sources" / "figures.txt"
    assert copy.is_file() and "**" not in copy.read_text(encoding="utf-8")
    listed = yaml.safe_load((project / "content" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    entry = next(s for s in listed if s["id"] == "figures")
    assert entry["text"] == "sources/figures.txt"
    assert entry["sha256"] == digest(copy.read_bytes())
    assert entry["publisher"] == "TODO publisher"
    assert "# TODO: name the publisher" in (project / "content" / "sources.yaml").read_text(encoding="utf-8")
    assert [s["id"] for s in listed] == ["briefing-guide", "figures"]
    brief = yaml.safe_load((project / "content" / "briefs" / "figures" / "brief.yaml").read_text(encoding="utf-8"))
    assert str(brief["date"]) == "2025-03-14" and brief["sources"] == ["figures"]
    assert set(written) >= {copy, project / "content" / "briefs" / "figures" / "themes" / "01-draft.yaml"}
    header = (project / "content" / "briefs" / "figures" / "themes" / "01-draft.yaml").read_text().splitlines()[:3]
    assert header[0].startswith("# yaml-language-server") and "rewrite" in header[1] + header[2]


def test_nothing_is_overwritten_without_force(project: Path, tmp_path: Path) -> None:
    _written(ARTICLES / "figures.md", project)
    theme = project / "content" / "briefs" / "figures" / "themes" / "01-draft.yaml"
    theme.write_text(theme.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    sources_before = (project / "content" / "sources.yaml").read_text(encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        _written(ARTICLES / "figures.md", project)
    assert "--force" in str(caught.value) and "figures.txt" in str(caught.value)
    assert theme.read_text(encoding="utf-8").endswith("# my edits\n")
    assert (project / "content" / "sources.yaml").read_text(encoding="utf-8") == sources_before
    # a new copy under another id is refused while the theme file is taken
    with pytest.raises(UsageError, match=r"01-draft\.yaml already exists; use --force"):
        _written(ARTICLES / "figures.md", project, source_id="figures-again", brief="figures")
    assert (project / "content" / "sources.yaml").read_text(encoding="utf-8") == sources_before
    assert not (project / "sources" / "figures-again.txt").exists()
    _written(ARTICLES / "figures.md", project, force=True)
    assert not theme.read_text(encoding="utf-8").endswith("# my edits\n")
    listed = yaml.safe_load((project / "content" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    assert [s["id"] for s in listed] == ["briefing-guide", "figures"], "force replaces the entry, never doubles it"
    _loads_and_builds(project, tmp_path)


def test_a_second_source_goes_into_its_own_brief(project: Path, tmp_path: Path) -> None:
    _written(ARTICLES / "figures.md", project)
    _written(ARTICLES / "quotes.txt", project)
    names = sorted(p.name for p in (project / "content" / "briefs").iterdir())
    assert names == ["figures", "first-brief", "quotes"]
    _loads_and_builds(project, tmp_path)


def test_bad_input_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a file"):
        draft(tmp_path / "missing.txt", project)
    with pytest.raises(UsageError, match="not a briefing project"):
        draft(ARTICLES / "figures.md", tmp_path / "nowhere")
    with pytest.raises(UsageError, match="not an id"):
        draft(ARTICLES / "figures.md", project, brief="Not An Id")


def test_the_emitter_quotes_every_string() -> None:
    tricky = ["NO", "on", "1.10", "012", "12:30", "!!python/object", "a: b # c", "say \"hi\"", "line\nbreak", "é"]
    text = document({"items": tricky, "n": 4.0, "x": 2.5, "none": None, "empty": []}, ["a header"])
    assert text.startswith("# a header\n")
    assert yaml.safe_load(text) == {"items": tricky, "n": 4, "x": 2.5, "none": None, "empty": []}
    assert scalar("NO") == '"NO"'
