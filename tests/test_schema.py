"""The exported JSON Schemas validate real content and stay in step with the models."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO

from briefing.schema import schema_filename, schema_for

SAMPLE_FILES = {
    "config": ["briefing.yaml"],
    "sources": ["content/sources.yaml"],
    "audience": sorted(str(p.relative_to(REPO)) for p in (REPO / "content/audiences").glob("*.yaml")),
    "brief": sorted(str(p.relative_to(REPO)) for p in (REPO / "content/briefs").glob("*/brief.yaml")),
    "theme": sorted(str(p.relative_to(REPO)) for p in (REPO / "content/briefs").glob("*/themes/*.yaml")),
}


def as_json(data):
    """What an editor's YAML 1.2 reader sees: dates are text."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else v))


@pytest.mark.parametrize("kind", sorted(SAMPLE_FILES))
def test_schema_validates_the_sample_content(kind):
    files = SAMPLE_FILES[kind]
    assert files, f"the sample has no {kind} files"
    validator = jsonschema.Draft202012Validator(schema_for(kind))
    for name in files:
        data = as_json(yaml.safe_load((REPO / name).read_text(encoding="utf-8")))
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], name


def test_schema_rejects_a_misspelled_key():
    validator = jsonschema.Draft202012Validator(schema_for("theme"))
    bad = {"id": "x", "title": "T", "takeaway": "T", "summary": "S", "qoutes": []}
    assert any("qoutes" in e.message for e in validator.iter_errors(bad))


def test_committed_schemas_are_current():
    """The repo's schemas/ (used by editor modelines) match the models; regenerate with
    'briefing schema --out schemas'."""
    for kind in SAMPLE_FILES:
        committed = json.loads((REPO / "schemas" / schema_filename(kind)).read_text(encoding="utf-8"))
        assert committed == schema_for(kind), f"schemas/{schema_filename(kind)} is stale"


def test_sample_files_declare_their_schema():
    for kind, files in SAMPLE_FILES.items():
        for name in files:
            first = (REPO / name).read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), name
            target = (REPO / name).parent / first.split("$schema=", 1)[1]
            assert target.resolve() == (REPO / "schemas" / schema_filename(kind)).resolve(), name
            assert Path(target).is_file()


def test_field_reference_docs_are_current():
    """docs/fields.md is generated from the models; regenerate with
    'briefing schema --docs > docs/fields.md'."""
    from briefing.schema import field_reference

    text = (REPO / "docs" / "fields.md").read_text(encoding="utf-8")
    assert text == field_reference()
    assert "| `takeaway` | text | required | The one line a reader must remember. |" in text


def test_readme_theme_example_is_the_sample_file():
    """The README's complete theme is the sample's own file, so it can never go stale or invalid."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    theme = (REPO / "content/briefs/ai-silicon/themes/03-project-rainier.yaml").read_text(encoding="utf-8")
    assert "```yaml\n" + theme + "```" in readme
