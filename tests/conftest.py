"""Shared fixtures and domain assertion helpers for the test suite."""

from __future__ import annotations

import os
import shutil
import signal
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefing.errors import ContentError, Problem
from briefing.load import Project, load_project

REPO = Path(__file__).resolve().parent.parent

# A small valid project written for the tests (never the seed article).
MINIMAL_FILES: dict[str, str] = {
    "briefing.yaml": """\
        title: Test briefings
        author: Test author
        organisation: Test Org
        classification: Internal
        """,
    "content/sources.yaml": """\
        sources:
          - id: memo
            title: Quarterly memo on widgets
            publisher: Widget Weekly
            date: 2025-01-10
            url: https://example.org/memo
            text: sources/memo.txt
          - id: call
            title: Earnings call transcript
            publisher: Widget Corp
            text: sources/call.txt
        """,
    "sources/memo.txt": """\
        Widget prices fell 20% in the quarter, the steepest drop on record.

        Two factories opened in the quarter, adding supply across the region. Orders fell 5% as buyers
        waited for lower prices.
        """,
    "sources/call.txt": """\
        Ann Example, the chief executive of Widget Corp, spoke on the call. "Widgets are cheaper than ever,"
        she said, adding that demand held up. Gadget orders doubled year on year, or 2x.
        """,
    "content/audiences/executive.yaml": """\
        name: Executive
        description: Leaders who decide.
        depth: summary
        """,
    "content/audiences/technical.yaml": """\
        name: Technical
        description: Engineers who want detail.
        """,
    "content/briefs/widgets/brief.yaml": """\
        title: The widget market
        date: 2025-01-12
        summary: Widgets are getting cheaper.
        sources: [memo]
        """,
    "content/briefs/widgets/themes/01-prices.yaml": """\
        id: prices
        title: Prices fall
        takeaway: Widget prices fell sharply this quarter.
        summary: Prices fell by a fifth.
        priority: high
        facts:
          - statement: Widget prices fell 20% in the quarter.
            figure: {value: 20, unit: "%", basis: reported}
            source: memo
            evidence: Widget prices fell 20% in the quarter
        quotes:
          - text: Widgets are cheaper than ever
            speaker: Ann Example
            role: CEO, Widget Corp
            source: call
        recommendations:
          - action: Renegotiate widget contracts.
            audiences: [executive]
        """,
    "content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: Supply grows
        takeaway: New factories add supply.
        summary: Two factories opened.
        facts:
          - statement: Two factories opened.
            source: memo
            evidence: Two factories opened in the quarter
        recommendations:
          - action: Qualify a second supplier.
        """,
}


def write_files(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write ``files`` (dedented text, raw bytes, or None to delete) under ``root``."""
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path: Path):
    """Write the minimal valid project with some files replaced; returns its root."""

    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        root = tmp_path / "project"
        write_files(root, MINIMAL_FILES)
        write_files(root, files or {})
        return root

    return make


def problems_of(root: Path, *, strict: bool = False) -> list[Problem]:
    """The problems loading ``root`` raises; fails the test if it loads cleanly."""
    with pytest.raises(ContentError) as caught:
        load_project(root, strict=strict)
    return caught.value.problems


def assert_problem(problems: list[Problem], location: str, *fragments: str) -> Problem:
    """Assert one problem is at ``file:line:col`` and mentions every fragment."""
    at = [p for p in problems if p.location == location]
    assert at, f"no problem at {location}; got:\n" + "\n".join(p.format() for p in problems)
    text = "\n".join(p.format() for p in at)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    return at[0]


@pytest.fixture
def loaded_minimal(make_project) -> Project:
    return load_project(make_project())


SEED = REPO.parent / "shared" / "seed" / "article.txt"
SAMPLE_TEXT = "sources/bi-silicon-supercomputers.txt"  # where the sample's sources.yaml expects the article


def copy_sample(target: Path) -> Path:
    """A copy of the repository's sample project, with the seed article as its source text when it exists
    (the article is never committed: tests copy it from ../shared/seed/)."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for name in ("briefing.yaml", "brand.yaml"):
        shutil.copy(REPO / name, target / name)
    for folder in ("content", "templates"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    if SEED.is_file():
        (target / SAMPLE_TEXT).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SEED, target / SAMPLE_TEXT)
    return target


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Project:
    """The repository's sample project, loaded strictly: with the seed article as its source, every figure
    and quote is verified and no warning is allowed. Without the article (no ../shared), its facts are
    unchecked, which is the only warning allowed."""
    root = copy_sample(tmp_path_factory.mktemp("sample") / "project")
    if SEED.is_file():
        return load_project(root, strict=True)
    project = load_project(root)
    assert all("unchecked" in w.message for w in project.warnings), [w.format() for w in project.warnings]
    return project


@pytest.fixture(scope="session")
def sample_build(sample, tmp_path_factory):
    """Every audience of the sample in every format, built once per test session.

    Records what WeasyPrint logged while rendering, so tests can require silence.
    """
    import logging

    from briefing.pipeline import build

    out = tmp_path_factory.mktemp("sample-output")
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        result = build(sample, out_dir=out)
    finally:
        logger.removeHandler(handler)
    result.engine_log = records
    return result, out


BASE_URL = "https://intranet.example/briefs/strategy/"


@pytest.fixture(scope="session")
def published_sample(sample, tmp_path_factory):
    """The sample published as a site with a public address, once per session."""
    from briefing.publish import publish

    site = tmp_path_factory.mktemp("site")
    return publish(sample, out_dir=site, base_url=BASE_URL), site


class Hung(Exception):
    """Raised by ``deadline``; not an OSError, so the CLI cannot mistake it for a machine failure."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block takes longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise Hung(f"blocked for more than {seconds}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


CHROMIUM = os.environ.get("BRIEFING_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def chromium_browser(purpose: str) -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright; the test is skipped, saying why, without either."""
    if not CHROMIUM:
        pytest.skip(f"no Chromium found (apt-get install chromium); {purpose} not run")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install '.[test]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()
