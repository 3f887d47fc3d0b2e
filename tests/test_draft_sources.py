"""``briefing draft`` from a URL (real fetch, real extraction), with a plugged-in extractor, and on the seed.

The HTML article under tests/draft/ was written for these tests; the seed article is used only when it is
present at ../shared/seed/article.txt, copied into a temporary project, and never into the repository.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from briefing import load_project
from briefing.cli import main
from briefing.draft import Draft, FactCandidate, FigureCandidate, QuoteCandidate, RuleExtractor, draft
from briefing.draft.extract import TODO_SPEAKER
from briefing.errors import UsageError
from briefing.fidelity.source_text import SourceText
from briefing.pipeline import build
from briefing.scaffold import create_project

HERE = Path(__file__).resolve().parent
ARTICLE = (HERE / "draft" / "article.html").read_bytes()
SEED = HERE.parent.parent / "shared" / "seed" / "article.txt"


class ArticleSite(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/2025/05/ferrocell-tampere":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(ARTICLE)))
            self.end_headers()
            self.wfile.write(ARTICLE)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ArticleSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    create_project(root)
    return root


def test_a_url_is_fetched_extracted_and_drafted_with_its_metadata(site: str, project: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{site}/2025/05/ferrocell-tampere"
    assert main(["draft", url, str(project), "--brief", "battery-plant"]) == 0
    out = capsys.readouterr().out
    assert "Drafted 4 facts and 3 quotes from 'ferrocell-tampere' into brief 'battery-plant'" in out, out
    sources = yaml.safe_load((project / "content" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    entry = next(s for s in sources if s["id"] == "ferrocell-tampere")
    assert entry["title"] == "Ferrocell opens a battery plant in Tampere"
    assert entry["publisher"] == "The Northern Ledger" and entry["author"] == "Aino Virtanen"
    assert str(entry["date"]) == "2025-05-06"
    assert entry["url"] == "https://ledger.example/2025/05/ferrocell-tampere", "the page's canonical address"
    copy = (project / "sources" / "ferrocell-tampere.txt").read_text(encoding="utf-8")
    assert "Tampere on Tuesday" in copy
    assert "Subscribe" not in copy and "recipes" not in copy and "rights reserved" not in copy, "main text only"
    theme = yaml.safe_load((project / "content" / "briefs" / "battery-plant" / "themes" / "01-draft.yaml")
                           .read_text(encoding="utf-8"))
    figures = {f["figure"]["value"]: f["figure"] for f in theme["facts"]}
    assert figures[640] == {"value": 640, "unit": "million", "currency": "€", "basis": "reported"}
    assert figures[1100] == {"value": 1100, "unit": "people", "qualifier": "about", "basis": "reported"}
    assert figures[3] == {"value": 3, "unit": "x", "qualifier": "over", "basis": "estimate", "by": "Boreal Markets"}
    assert figures[40000]["unit"] == "electric cars"
    speakers = {q["speaker"]: q.get("role") for q in theme["quotes"]}
    assert speakers == {"Leena Aho": "chief executive of Ferrocell", "Boreal Markets": None,
                        "Jonas Berg": "battery researcher at Aalto University"}
    brief = yaml.safe_load((project / "content" / "briefs" / "battery-plant" / "brief.yaml").read_text("utf-8"))
    assert str(brief["date"]) == "2025-05-06"
    assert main(["check", str(project)]) == 0, "the draft passes check (placeholders are warnings)"
    report = capsys.readouterr()
    assert "still the draft's placeholder" in report.out + report.err
    assert main(["check", str(project), "--strict"]) == 1, "but not --strict: it is a draft"
    assert build(load_project(project), formats=["md"], out_dir=tmp_path / "out").outputs


def test_a_refused_redirect_is_a_clear_error_and_writes_nothing(site: str, project: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert main(["draft", f"{site}/moved", str(project)]) == 2
    err = capsys.readouterr().err
    assert "file:///etc/passwd" in err and "Traceback" not in err
    assert main(["draft", "ftp://example.org/article.txt", str(project)]) == 2
    assert "ftp://example.org/article.txt" in capsys.readouterr().err
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


class _Inventive(RuleExtractor):
    """A plugged-in extractor (as a language model might be) that proposes things the source does not say."""

    def facts(self, source: SourceText) -> list[FactCandidate]:
        good = super().facts(source)[0]
        made_up = FactCandidate("TODO a made-up fact", "the plant cost €900 million to build",
                                FigureCandidate(900, None, "million", "€", None, "reported", None), "€900 million",
                                0, 0)
        wrong = FactCandidate("TODO a misread figure", good.evidence,
                              FigureCandidate(64, None, "million", "€", None, "reported", None), "€64 million", 0, 0)
        return [good, made_up, wrong]

    def quotes(self, source: SourceText) -> list[QuoteCandidate]:
        return [QuoteCandidate("We will double the plant next year", "Leena Aho", 1, 0),
                *super().quotes(source)[:1]]


def test_a_plugged_in_extractor_keeps_only_what_the_source_bears_out(project: Path) -> None:
    drafted = draft(HERE / "draft" / "article.html", project, extractor=_Inventive())
    assert isinstance(drafted, Draft)
    assert [f.figure.value for f in drafted.theme.facts if f.figure] == [640]
    assert [q.speaker for q in drafted.theme.quotes] == ["Leena Aho"]
    assert len(drafted.dropped) == 3
    assert any("€900 million" in why and "not the source's words" in why for why in drafted.dropped)
    assert any("does not match its evidence" in why for why in drafted.dropped)
    assert any("not found word for word" in why for why in drafted.dropped)
    assert not (project / "sources" / "article.txt").exists(), "draft() writes nothing"


def _precision_recall(found: list[tuple[object, ...]], expected: set[tuple[object, ...]]) -> tuple[float, float]:
    hits = [item for item in found if item in expected]
    return len(hits) / max(len(found), 1), len(expected & set(found)) / len(expected)


# The seed article's figures and quotes as a careful reader drafts them: (words, value, unit, qualifier) and
# (first words of the quote, speaker). Facts only, no sentence of the article.
SEED_FIGURES = {
    ("30-40%", 30, "%", None), ("four times", 4, "x", None), ("$8 billion", 8, "billion", None),
    ("hundreds of thousands", 100000, "Trainium2 chips", "order of magnitude"),
    ("over five times", 5, "x", "over"), ("$100 billion", 100, "billion", None),
    ("100,000", 100000, "Nvidia GPUs", None), ("99%", 99, "%", None),
}
SEED_QUOTES = {
    ("30-40% better price", "Amazon"), ("underwhelming", "SemiAnalysis"), ("training non-complex", "SemiAnalysis"),
    ("With the release of", "SemiAnalysis"), ("next-generation AI training", TODO_SPEAKER),
    ("really only one choice", "Matt Garman"), ("We think that customers", "Matt Garman"),
    ("pushing the limits", "AWS"), ("hundreds of thousands of", "Amazon"), ("When completed, it is", "AWS"),
    ("over five times the", "AWS"), ("99% of the workloads", "Matt Garman"), ("Trainium can carve out", "Matt Garman"),
}


def test_the_seed_article_drafts_every_figure_and_quote(tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}: it is not ours to publish, so it is not in the repository")
    project = tmp_path / "seed-project"
    create_project(project)
    source = tmp_path / "bi-silicon-supercomputers.txt"
    shutil.copyfile(SEED, source)  # a temporary copy only: the seed never enters the repository
    drafted = draft(source, project)
    figures = [(f.number_text.strip("“”"), f.figure.value, f.figure.unit, f.figure.qualifier) for f in drafted.facts]
    precision, recall = _precision_recall(figures, SEED_FIGURES)
    quotes = [(next((w for w, _ in SEED_QUOTES if q.text.startswith(w)), q.text), q.speaker.split(" (")[0])
              for q in drafted.quotes]
    q_precision, q_recall = _precision_recall(quotes, SEED_QUOTES)
    print(f"seed: figures precision {precision:.2f} recall {recall:.2f}; "
          f"quotes precision {q_precision:.2f} recall {q_recall:.2f}")
    assert (precision, recall) == (1.0, 1.0), sorted(map(str, figures))
    assert (q_precision, q_recall) == (1.0, 1.0), quotes
    he_said = next(q for q in drafted.quotes if q.text.startswith("We think that customers"))
    assert (he_said.speaker, he_said.role) == ("Matt Garman", "CEO of AWS"), "'he said' resolves to the person named"
    billed = next(q for q in drafted.quotes if q.text.startswith("next-generation"))
    assert billed.note is not None and "billed as" in billed.note, "a passive quote keeps no invented speaker"
    claims = {f.number_text.strip("“”"): (f.figure.basis, f.figure.by) for f in drafted.facts}
    assert claims["four times"] == ("claim", "AWS") and claims["100,000"] == ("claim", "Elon Musk")
    drafted.write()
    loaded = load_project(project)  # no error: every evidence and quote passes the fidelity checks
    assert build(loaded, formats=["md"], out_dir=tmp_path / "out").outputs
    with pytest.raises(UsageError, match="already exists"):
        draft(source, project).write()


@pytest.mark.parametrize("linked", ["sources", "content"])
def test_draft_never_writes_through_a_folder_linked_out_of_the_project(project: Path, tmp_path: Path,
                                                                       linked: str, capsys) -> None:
    elsewhere = tmp_path / "elsewhere"
    if (project / linked).exists():
        (project / linked).rename(elsewhere)
    else:
        elsewhere.mkdir()
    (project / linked).symlink_to(elsewhere, target_is_directory=True)
    before = sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*"))
    article = tmp_path / "article.txt"
    article.write_text("Kelvar Mills said output rose 12% in March.\n\nThe plant employs 340 people.\n")
    code = main(["draft", str(article), str(project)])
    err = capsys.readouterr().err
    assert code == 2 and "is outside the project folder (through a symlink)" in err and "Traceback" not in err
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == before
