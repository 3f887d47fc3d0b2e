"""The template sandbox for ``--safe-templates``: for projects that accept templates from others.

Project templates are trusted code by default, like MkDocs hooks or Sphinx's
``conf.py``: they run with the user's rights.  With ``--safe-templates`` they
render in Jinja's ``ImmutableSandboxedEnvironment`` instead, with bounds on
the work one render may do:

* no access to private attributes, to file paths or YAML documents in the
  data, or to any method of a path (``brief.audience.path.read_text()``);
* ``range`` counts every number it yields across one render, so nested loops
  cannot run for hours (``MAX_ITERATIONS``);
* ``*`` and ``**`` refuse to build huge strings, lists or numbers;
* the output of one render is capped (``MAX_OUTPUT_CHARS``) and so is its
  time (``MAX_SECONDS``), checked as it is produced.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_ITERATIONS = 1_000_000
MAX_OUTPUT_CHARS = 20_000_000
MAX_SECONDS = 30.0
MAX_EXPONENT = 64
_SIZED = (str, bytes, list, tuple)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with no file-system reach and bounded work per render."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.iterations = 0
        self.globals["range"] = self._range
        for name in ("lipsum", "cycler", "joiner"):  # unbounded or needless helpers
            self.globals.pop(name, None)

    def start_render(self) -> None:
        self.iterations = 0

    def _range(self, *args: int) -> Iterator[int]:
        for number in range(*args):
            self.iterations += 1
            if self.iterations > MAX_ITERATIONS:
                raise SecurityError(f"the template looped more than {MAX_ITERATIONS:,} times")
            yield number

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) or isinstance(value, PurePath) or type(value).__name__ == "YamlDocument":
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is over the limit of {MAX_EXPONENT}")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, _SIZED) and isinstance(count, int) and len(sized) * count > MAX_OUTPUT_CHARS:
                    raise SecurityError("the template builds a value over the size limit")
        return super().call_binop(context, operator, left, right)


def render_bounded(env: BoundedSandbox, template: Any, context: dict[str, Any]) -> str:
    """Render with the output and time bounds, checked as the output is produced."""
    env.start_render()
    started = time.monotonic()
    parts: list[str] = []
    size = 0
    for chunk in template.generate(context):
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise SecurityError(f"the template wrote more than {MAX_OUTPUT_CHARS:,} characters")
        if time.monotonic() - started > MAX_SECONDS:
            raise SecurityError(f"the template ran for more than {MAX_SECONDS:.0f} s")
    return "".join(parts)
