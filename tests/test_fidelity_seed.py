"""Source fidelity on the seed article, the sample's source, when ../shared/seed/article.txt is there.

The article is never committed: each test copies it into a temporary copy of the sample.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import briefing.checks as core
from briefing.checks import Findings
from briefing.errors import Problem, Severity
from briefing.fidelity.checks import FIDELITY_CHECKS
from briefing.fidelity.numbers import parse_numbers
from briefing.fidelity.source_text import read_source_text
from briefing.load import load_project

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "article.txt"
THEME = "content/briefs/ai-silicon/themes/99-fidelity.yaml"

# A theme of our own, added to a copy of the sample: its items rest on short excerpts of the article.
CLEAN_THEME = """\
id: fidelity-test
title: Fidelity test theme
takeaway: AWS pitches Trainium2 on price performance and Rainier on size.
summary: |
  AWS pitches Trainium2 on 30-40% better price performance than Nvidia GPU servers.
  Rainier is meant to be over five times the size of the cluster behind Anthropic's last model.
facts:
  - statement: Amazon claims Trainium2 offers 30-40% better price performance than current Nvidia GPU servers.
    figure: {value: 30, upper: 40, unit: "%", basis: claim, by: Amazon}
    source: bi-silicon-supercomputers
    evidence: 30-40% better price performance
  - statement: Anthropic has raised a total of $8 billion from Amazon.
    figure: {value: 8, unit: billion, currency: $, basis: reported}
    source: bi-silicon-supercomputers
    evidence: raised a total of $8 billion from the tech giant
  - statement: AWS says Rainier will be over five times the size of the cluster behind Anthropic's last model.
    figure: {value: 5, unit: x, qualifier: over, basis: claim, by: AWS}
    source: bi-silicon-supercomputers
    evidence: over five times the size
  - statement: Elon Musk says xAI built a supercomputer with 100,000 Nvidia GPUs in Memphis.
    figure: {value: 100000, unit: GPUs, basis: claim, by: Elon Musk}
    source: bi-silicon-supercomputers
    evidence: a supercomputer with 100,000 Nvidia GPUs in Memphis
  - statement: Trainium3 is due for release in late 2025.
    source: bi-silicon-supercomputers
    evidence: ahead of a late 2025 release
quotes:
  - text: We think that customers would appreciate having multiple choices
    speaker: Matt Garman
    role: CEO, AWS
    source: bi-silicon-supercomputers
recommendations:
  - action: Benchmark Trainium2 on our own workloads.
"""

PLANTED = {
    "figure value changed": ("{value: 30, upper: 40,", "{value: 35, upper: 40,", "35", "does not match its evidence",
                             Severity.ERROR),
    "evidence not in the source": ("evidence: a supercomputer with 100,000", "evidence: a cluster with 100,000",
                                   "a cluster", "evidence not found", Severity.ERROR),
    "quote words altered": ("text: We think that customers would appreciate having multiple choices",
                            "text: We think that customers would appreciate having several choices", "We think",
                            "quote not found verbatim", Severity.ERROR),
    "quote given to another person": ("speaker: Matt Garman\n    role: CEO, AWS",
                                      "speaker: Andy Jassy\n    role: CEO, Amazon", "Andy Jassy",
                                      "the source ties it to Matt Garman", Severity.WARNING),
    "fact with no source": ("quotes:\n", "  - statement: AWS is the largest cloud.\nquotes:\n", "statement",
                            "fact has no source", Severity.WARNING),
    "figure nowhere in the source": ("quotes:\n", "  - statement: Trainium3 has more memory.\n"
                                     "    figure: {value: 144, unit: GB, basis: claim, by: AWS}\n"
                                     "    source: bi-silicon-supercomputers\nquotes:\n", "144",
                                     "is nowhere in the text", Severity.ERROR),
    "unit changed": ("{value: 8, unit: billion,", "{value: 8, unit: million,", "million", "wrong scale",
                     Severity.ERROR),
    "claimant changed": ("qualifier: over, basis: claim, by: AWS}", "qualifier: over, basis: claim, by: Google}",
                         "Google", "the source ties it to AWS", Severity.WARNING),
    "summary number not in the source": ("than Nvidia GPU servers.\n",
                                         "than Nvidia GPU servers, at 12 cents an hour.\n", "12",
                                         "untraced number '12 cents'", Severity.WARNING),
    "year changed": ("release in late 2025.", "release in late 2026.", "2026", "statement says 2026", Severity.ERROR),
}


@pytest.fixture
def seed_sample(tmp_path: Path) -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed article not found: {SEED}")
    from conftest import copy_sample

    root = copy_sample(tmp_path / "sample")
    (root / THEME).write_text(CLEAN_THEME, encoding="utf-8")
    return root


def theme_problems(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    monkeypatch.setattr(core, "CHECKS", [c for c in core.CHECKS if c not in FIDELITY_CHECKS])
    if hasattr(core, "_check_evidence"):
        monkeypatch.setattr(core, "_check_evidence", lambda *args, **kwargs: None)
    project = load_project(root)
    found = Findings(project)
    for check in FIDELITY_CHECKS:
        check(found)
    return sorted(p for p in [*project.warnings, *found.errors, *found.warnings] if p.file == THEME)


def test_seed_numbers_parse(tmp_path: Path):
    if not SEED.is_file():
        pytest.skip(f"seed article not found: {SEED}")
    shutil.copy(SEED, tmp_path / "article.txt")
    text = read_source_text(tmp_path, "seed", "article.txt")
    numbers = {n.text: n for n in parse_numbers(text.text)}
    expected = {
        "30-40%": (30, 40, "%", "", "", None),
        "four times": (4, None, "x", "", "", None),
        "$8 billion": (8, None, "", "billion", "$", None),
        "over five times": (5, None, "x", "", "", "over"),
        "100,000": (100000, None, "", "", "", None),
        "99%": (99, None, "%", "", "", None),
        "$100 billion": (100, None, "", "billion", "$", None),
        "2025": (2025, None, "", "", "", None),
    }
    for shown, (value, upper, unit, scale, currency, qualifier) in expected.items():
        number = numbers[shown]
        assert (number.value, number.upper, number.unit, number.scale, number.currency, number.qualifier) == (
            value, upper, unit, scale, currency, qualifier), shown
    assert not any("thousand" in shown for shown in numbers), "hundreds of thousands is not a number"
    assert len(text.paragraphs) > 10 and all(p.sentences for p in text.paragraphs)


def test_seed_clean_theme_has_no_finding(seed_sample, monkeypatch):
    found = theme_problems(seed_sample, monkeypatch)
    assert found == [], "\n".join(p.format() for p in found)


@pytest.mark.parametrize("name", list(PLANTED))
def test_seed_planted_error(name, seed_sample, monkeypatch):
    old, new, target, fragment, severity = PLANTED[name]
    path = seed_sample / THEME
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new) + new.index(target)].count("\n") + 1
    found = theme_problems(seed_sample, monkeypatch)
    shown = "\n".join(p.format() for p in found)
    assert [(p.line, p.severity) for p in found] == [(line, severity)], shown
    assert fragment in found[0].message, shown
