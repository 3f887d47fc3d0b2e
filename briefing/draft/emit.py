"""A small YAML emitter for drafted files: every string is double-quoted (a JSON string is a valid YAML
double-quoted scalar), so no text is ever read back as a number, a boolean, a date or a tag."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any


def scalar(value: Any) -> str:
    """One value as a YAML scalar: strings always quoted, whole floats written as integers."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} as a figure")
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _is_empty(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple)) and not value


def lines(value: Any, indent: int = 0) -> list[str]:
    """The block-style YAML lines of ``value`` (a mapping, list or scalar) at ``indent`` spaces."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            if isinstance(item, (Mapping, list, tuple)) and not _is_empty(item):
                out.append(f"{pad}{name}:")
                out.extend(lines(item, indent + 2))
            else:
                out.append(f"{pad}{name}: {'[]' if _is_empty(item) else scalar(item)}")
        return out
    if isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            if isinstance(item, (Mapping, list, tuple)) and not _is_empty(item):
                inner = lines(item, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip()}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {'[]' if _is_empty(item) else scalar(item)}")
        return out
    return [pad + scalar(value)]


def document(value: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    """A whole YAML file: ``header`` lines as comments, then ``value``."""
    comments = [f"# {line}".rstrip() if not line.startswith("#") else line for line in header]
    return "\n".join([*comments, *lines(value)]) + "\n"
