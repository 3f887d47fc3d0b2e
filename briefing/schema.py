"""JSON Schema for each kind of project file, generated from the typed models.

Editors that speak the yaml-language-server protocol (VS Code's YAML
extension, JetBrains, Neovim) complete and check content from these schemas
through a first line such as
``# yaml-language-server: $schema=../../schemas/theme.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .brand import Brand
from .config import AudienceProfile, ProjectConfig
from .models import Brief, SourceList, Theme
from .settings import SCHEMA_KIND_NAMES

SCHEMA_KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "config": (ProjectConfig, "briefing.yaml"),
    "brief": (Brief, "content/briefs/<brief>/brief.yaml"),
    "theme": (Theme, "content/briefs/<brief>/themes/<theme>.yaml"),
    "sources": (SourceList, "content/sources.yaml"),
    "audience": (AudienceProfile, "content/audiences/<audience>.yaml"),
    "brand": (Brand, "brand.yaml"),
}

if tuple(SCHEMA_KINDS) != SCHEMA_KIND_NAMES:  # pragma: no cover - a developer's slip, caught by any test run
    raise RuntimeError("settings.SCHEMA_KIND_NAMES must name the kinds of SCHEMA_KINDS, in order")


def schema_for(kind: str) -> dict[str, Any]:
    model, applies_to = SCHEMA_KINDS[kind]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"briefing {kind} file ({applies_to})"
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


def write_schemas(directory: Path) -> list[Path]:
    """Write every kind's schema into ``directory``; returns the paths written."""
    from .output import write_atomic

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in SCHEMA_KINDS:
        path = directory / schema_filename(kind)
        write_atomic(path, schema_text(kind).encode("utf-8"))
        written.append(path)
    return written


def _type_name(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        return defs[prop["$ref"].rsplit("/", 1)[1]].get("title", "mapping")
    if "anyOf" in prop:
        names = [_type_name(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(names) + (" (optional)" if len(names) < len(prop["anyOf"]) else "")
    if "enum" in prop:
        return " / ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_name(prop.get('items', {}), defs)}"
    if kind == "object":
        return "mapping"
    if prop.get("format") == "date":
        return "date"
    return {"string": "text", "number": "number", "integer": "whole number", "boolean": "true/false"}.get(
        kind, kind)


def _default(prop: dict[str, Any], required: bool) -> str:
    if required:
        return "required"
    if "default" not in prop:
        return ""
    value = prop["default"]
    if value in (None, [], {}, ""):
        return "—"
    return f"`{json.dumps(value)}`"


def _model_table(title: str, schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    lines = [f"### {title}", "", schema.get("description", ""), "",
             "| field | type | default | meaning |", "| --- | --- | --- | --- |"]
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        meaning = prop.get("description", "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{name}` | {_type_name(prop, defs)} | {_default(prop, name in required)} | {meaning} |")
    lines.append("")
    return lines


def field_reference() -> str:
    """Markdown tables of every field of every file kind, generated from the models."""
    lines = ["# Field reference", "",
             "Generated from the typed models by `briefing schema --docs`; do not edit by hand.", ""]
    seen: set[str] = set()
    for kind, (_model, applies_to) in SCHEMA_KINDS.items():
        schema = schema_for(kind)
        defs = schema.get("$defs", {})
        lines += [f"## {kind}: `{applies_to}`", ""]
        lines += _model_table(schema["title"].split(" (")[0], schema, defs)
        for name, sub in defs.items():
            if name in seen or "properties" not in sub:
                continue
            seen.add(name)
            lines += _model_table(name, sub, defs)
    return "\n".join(lines).rstrip() + "\n"
