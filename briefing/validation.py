"""Turn pydantic validation errors into located, actionable problems.

Pydantic reports a field path and an error type; we add the file, line and
column from the YAML document, say what was expected in plain words, and
suggest a fix (``did you mean 'quotes'?`` for a misspelled key).
"""

from __future__ import annotations

import copy
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import Problem, did_you_mean
from .yamlsource import YamlDocument

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], doc: YamlDocument, problems: list[Problem],
             data: Any = None, loc: tuple[str | int, ...] = ()) -> M | None:
    """Validate ``data`` (default: the whole document) against ``model``.

    Problems are appended to ``problems``; returns None when any were found.
    """
    value = doc.data if data is None and not loc else data
    if not isinstance(value, dict):
        found = describe(value)
        problems.append(doc.problem(
            loc, f"expected a mapping of fields ({', '.join(model.model_fields)}), found {found}",
            hint="write one 'field: value' per line" if value is not None
            else "the file is empty; see 'briefing init' for a complete example"))
        return None
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in errors:
            problems.append(_to_problem(model, doc, loc, error))
    return _salvage(model, value, [tuple(e["loc"]) for e in errors])


def _salvage(model: type[M], value: dict[str, Any], bad: list[tuple[Any, ...]]) -> M | None:
    """The model with the offending parts cut out, or None.

    The problems are already recorded, so this never passes invalid content on;
    it lets the cross-reference checks still look at the rest of a file, so one
    run reports a misspelled key and an unknown source id in the same file.
    """
    data = copy.deepcopy(value)
    for _attempt in range(3):
        for loc in sorted(bad, key=len, reverse=True):
            _cut(data, loc)
        data = _drop_cut(data)
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            # Cutting a value can leave a required field missing: cut its container next.
            bad = [tuple(e["loc"])[:-1] or tuple(e["loc"]) for e in exc.errors(include_url=False)]
    return None


def _cut(data: Any, loc: tuple[Any, ...]) -> None:
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    last = loc[-1] if loc else None
    if isinstance(parent, dict) and last in parent:
        del parent[last]
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent[last] = _CUT  # a marker keeps the other cuts' indexes valid; dropped by _drop_cut


_CUT = object()


def _drop_cut(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _drop_cut(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_drop_cut(item) for item in data if item is not _CUT]
    return data


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _to_problem(model: type[BaseModel], doc: YamlDocument, base: tuple[str | int, ...],
                error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    full = (*base, *loc)
    kind = error["type"]
    found = describe(error.get("input"))
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = fields_at(model, loc[:-1])
        hint = did_you_mean(key, allowed) or f"allowed fields: {', '.join(allowed)}"
        return doc.problem(full, f"unknown field '{key}'", hint)
    if kind == "missing":
        name = str(loc[-1])
        description = field_description(model, loc)
        hint = f"add '{name}:' ({description})" if description else f"add '{name}:'"
        return doc.problem(full, f"missing required field '{name}'", hint)
    message, hint = _expected(kind, error, found, ctx)
    return doc.problem(full, message, hint, prefer_key=False)


def _expected(kind: str, error: ErrorDetails, found: str, ctx: dict[str, Any]) -> tuple[str, str]:
    if kind in {"string_type"}:
        return f"expected text, found {found}", "write the text on the same line, or use '|' for a block"
    if kind == "string_too_short":
        return "expected text, found nothing", "write the text after the colon, or remove the field"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "https?" in pattern:
            return f"expected a web address, found {found}", "start it with https:// or http://"
        if "a-z0-9" in pattern:
            suggestion = _slugify(str(error.get("input", "")))
            return (f"expected an id (lowercase letters, digits and hyphens), found {found}",
                    f"write it as '{suggestion}'" if suggestion else "e.g. 'custom-silicon'")
        return f"{found} does not have the expected form ({pattern})", ""
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        choices = [part.strip(" '") for part in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(error.get("input", "")), choices)
        return f"expected one of {expected}, found {found}", hint
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}:
        whole = kind.startswith("int")
        return (f"expected a {'whole ' if whole else ''}number, found {found}",
                "write the number alone, e.g. 30; a unit goes in 'unit'")
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a date like 2024-12-03, found {found}", "write dates as YYYY-MM-DD"
    if kind == "list_type":
        return f"expected a list, found {found}", "put each item on its own line starting with '- '"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"expected a mapping of fields, found {found}", "write one 'field: value' per line, indented"
    if kind in {"bool_parsing", "bool_type"}:
        return f"expected true or false, found {found}", ""
    if kind in {"greater_than_equal", "greater_than"}:
        return f"expected a number of at least {ctx.get('ge', ctx.get('gt'))}, found {found}", ""
    if kind == "string_too_long":
        return f"text is longer than {ctx.get('max_length')} characters", "shorten it"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, "), ""
    return str(error["msg"]), ""


def _slugify(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower().strip())
    return "-".join(part for part in out.split("-") if part)


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional wrappers down to the interesting type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = members[0] if len(members) == 1 else annotation
            if len(members) != 1:
                return annotation
        else:
            return annotation


def _descend(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else None
    if origin in (list, tuple) and isinstance(part, int):
        return typing.get_args(annotation)[0]
    if origin is dict:
        return typing.get_args(annotation)[1]
    return None


def fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed in the mapping at ``loc`` inside ``model``."""
    annotation: Any = model
    for part in loc:
        annotation = _descend(annotation, part)
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def field_description(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    annotation: Any = model
    for part in loc[:-1]:
        annotation = _descend(annotation, part)
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(loc[-1]))
        if field and field.description:
            return field.description.rstrip(".")
    return ""
