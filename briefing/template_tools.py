"""``briefing templates``: see which template file wins, and start an override.

``list_templates`` answers "which file renders brief.html.j2 for the board,
and what does it extend?"; ``eject`` writes a thin child template that extends
the built-in one, with its blocks listed (commented out) ready to edit: an
override replaces blocks, it never copies the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, nodes

from .errors import UsageError, did_you_mean
from .output import write_atomic
from .project import Project
from .templating import BUILTIN_DIR, make_environment, template_search_path

REFERENCE_DOCX = "reference.docx"  # the Word format's styles, page, header and footer (formats/docx.py)


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    path: Path
    origin: str  # "audience", "project" or "built-in"
    extends: str | None


def builtin_names() -> list[str]:
    return sorted(p.relative_to(BUILTIN_DIR).as_posix() for p in BUILTIN_DIR.rglob("*")
                  if p.is_file() and p.suffix in {".j2", ".css"})


def _extends(env: Environment, source: str) -> str | None:
    for node in env.parse(source).find_all(nodes.Extends):
        if isinstance(node.template, nodes.Const):
            return str(node.template.value)
    return None


def _origin(folder: Path, project: Project, audience: str | None) -> str:
    if folder == BUILTIN_DIR:
        return "built-in"
    return "audience" if audience and folder == project.templates_dir / audience else "project"


def list_templates(project: Project, audience: str | None = None) -> list[TemplateInfo]:
    """For every template name, the file that wins for ``audience`` and what it extends."""
    if audience is not None and audience not in project.audiences:
        raise UsageError(f"unknown audience '{audience}'")
    env = make_environment(project.templates_dir, audience)
    folders = template_search_path(project.templates_dir, audience)
    names = set(builtin_names())
    for folder in folders[:-1]:
        if folder.is_dir():
            names.update(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                         if p.is_file() and p.suffix in {".j2", ".css"}
                         and p.relative_to(folder).parts[0] not in project.audiences)
    found = []
    for name in sorted(names):
        for folder in folders:
            path = folder / name
            if path.is_file():
                found.append(TemplateInfo(name, path, _origin(folder, project, audience),
                                          _extends(env, path.read_text(encoding="utf-8"))))
                break
    return found


def _blocks(env: Environment, source: str) -> list[str]:
    names: list[str] = []
    for block in env.parse(source).find_all(nodes.Block):
        if block.name not in names:
            names.append(block.name)
    return names


def eject(project: Project, name: str, audience: str | None = None, *, force: bool = False) -> Path:
    """Write a thin override of the built-in template ``name`` into the project; returns its path."""
    builtin = BUILTIN_DIR / name
    if not builtin.is_file() and name != REFERENCE_DOCX:
        hint = did_you_mean(name, [*builtin_names(), REFERENCE_DOCX])
        raise UsageError(f"no built-in template '{name}'" + (f"; {hint}" if hint else "")
                         + f" (templates: {', '.join([*builtin_names(), REFERENCE_DOCX])})")
    if audience is not None and audience not in project.audiences:
        hint = did_you_mean(audience, project.audiences)
        raise UsageError(f"unknown audience '{audience}'" + (f"; {hint}" if hint else ""))
    target = project.templates_dir / (audience or "") / name
    if target.exists() and not force:
        raise UsageError(f"{target} exists already; edit it, or pass --force to replace it")
    if name == REFERENCE_DOCX:  # Word's styles, page, header and footer: built from the brand, in code
        from .formats.docx_reference import reference_docx

        write_atomic(target, reference_docx(project, audience))
        return target
    env = make_environment(None)
    whom = f"the {audience} audience" if audience else "every audience"
    if name.endswith(".css"):
        text = (f"/* Override of the built-in {name} for {whom}.\n"
                f"   The built-in rules come first; rules added below them win. */\n"
                f'{{% include "builtin/{name}" %}}\n\n')
    else:
        blocks = _blocks(env, builtin.read_text(encoding="utf-8"))
        lines = [f"{{#- Override of the built-in {name} for {whom}.",
                 "    Uncomment a block and change it; a block left out stays as built in.",
                 "    {{ super() }} inside a block renders the built-in version of it. -#}",
                 f'{{% extends "builtin/{name}" %}}', ""]
        for block in blocks:
            lines.append(f"{{# {{% block {block} %}}{{{{ super() }}}}{{% endblock %}} #}}")
        text = "\n".join(lines) + "\n"
    write_atomic(target, text.encode("utf-8"))
    return target
