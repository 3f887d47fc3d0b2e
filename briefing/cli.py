"""The command line: one small function per command over the Python API.

Argument parsing is click's; behaviour lives in the API.  ``main`` maps the
error tree to exit codes once: 0 success, 1 invalid content, 2 usage (an
unsafe or busy output folder too), 3 template error, 4 render error or a
failing machine (full disk, read-only folder, busy port: any ``OSError``).
User errors and machine failures print without a traceback.
"""

from __future__ import annotations

import errno
import io
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import stamps
from .errors import BriefingError, ContentError, RenderError
from .registry import DEFAULT_FORMATS, FORMATS
from .settings import SCHEMA_KIND_NAMES, VERSION
from .stopping import interrupted_code, stop_on_signals
from .terminal import RenderingBar, human_size, problem_lines, replayed, report, say

log = logging.getLogger("briefing")

PROJECT_ARGUMENT = click.argument("project", default=".", type=click.Path(path_type=Path))
STRICT_OPTION = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
SAFE_TEMPLATES_OPTION = click.option(
    "--safe-templates", is_flag=True,
    help="Render templates in a bounded sandbox: for projects that accept templates from others.")
FORCE_OUT_OPTION = click.option("--force-out", is_flag=True,
                                help="Write into the output folder even if it looks unsafe: the project, "
                                "a folder containing it, home, / or a folder holding other files.")


class FormatOption(click.Option):
    """``--format``, whose help lists the formats registered when the help is shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from . import formats  # noqa: F401 - registers the built-in formats (imported only when needed)

        self.help = f"Comma-separated formats: {', '.join(FORMATS.names())}."
        return super().get_help_record(ctx)


def _formats(text: str) -> list[str]:
    """The names in ``--format`` (checked against the registry where they are used)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def shown(path: Path) -> Path:
    """A path as the user would type it: relative to the working folder when it is inside it."""
    try:
        return path.relative_to(Path.cwd()) if path.is_absolute() else path
    except ValueError:
        return path


def _ours(record: logging.LogRecord) -> bool:
    """briefing's own messages. A library's (the PDF engine's, the article extractor's) say in its own
    words what briefing reports once, located: the engine's come back as warnings naming the file, the
    extractor's 'Document is empty' as draft's own error. They show with ``--verbose``."""
    return record.name == "briefing" or record.name.startswith("briefing.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="briefing")
@click.option("-v", "--verbose", is_flag=True, help="Show debug messages.")
def cli(verbose: bool) -> None:
    """Turn structured YAML notes into executive briefs: Markdown, HTML and PDF."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s: %(name)s: %(message)s")
    if not verbose:
        for handler in logging.getLogger().handlers:
            if _ours not in handler.filters:
                handler.addFilter(_ours)


@cli.command()
@PROJECT_ARGUMENT
@STRICT_OPTION
@click.option("--report", "report_file", type=click.Path(path_type=Path),
              help="Write the fidelity report here: every figure and quote with its verdict and source sentence.")
@click.option("--format", "report_format", type=click.Choice(["html", "json"]), default="html", show_default=True,
              help="The report's format: html to read in a browser, json for CI (schema: "
              "briefing/fidelity/report.schema.json).")
def check(project: Path, strict: bool, report_file: Path | None, report_format: str) -> None:
    """Validate a project's content and check it against its sources, and summarise it."""
    options = {"strict": strict}
    if report_file is None and replayed(project, "check", options):
        return
    before = stamps.snapshot(project) if report_file is None else None
    from .fidelity.report import summary_lines, write_report
    from .load import load_project
    from .summary import describe_project

    # With a report asked for, a project whose checks fail still gets one: that is when it is read.
    loaded = load_project(project, strict=strict, raise_errors=report_file is None)
    if report_file is not None:
        written = write_report(loaded, report_file, "json" if report_format == "json" else "html")
        say(f"Wrote the fidelity report to {written}", err=True)
        problems = loaded.errors + ([w.as_error() for w in loaded.warnings] if strict else [])
        if problems:
            raise ContentError(problems)
    lines = problem_lines(loaded.warnings)
    lines += [(False, describe_project(loaded)), *((False, line) for line in summary_lines(loaded))]
    for err, text in lines:
        say(text, err=err)
    if before is not None:
        stamps.record(project, "check", options, lines, before)


@cli.command()
@PROJECT_ARGUMENT
@click.option("-a", "--audience", "audiences", multiple=True, help="Build only this audience (repeatable).")
@click.option("-f", "--format", "formats", cls=FormatOption, default=",".join(DEFAULT_FORMATS), show_default=True)
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), help="Output folder (default: output/).")
@click.option("--standalone", is_flag=True,
              help="Write single-file HTML pages (stylesheet, fonts and logo inlined) instead of site pages: "
              "the same as replacing html by standalone in --format.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="PDFs rendered in parallel (default: one per core).")
@click.option("--force", is_flag=True, help="Render every output, even those whose inputs did not change.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="List every file, the unchanged ones too.")
@FORCE_OUT_OPTION
@SAFE_TEMPLATES_OPTION
@STRICT_OPTION
def build(project: Path, audiences: tuple[str, ...], formats: str, out_dir: Path | None,
          standalone: bool, jobs: int | None, force: bool, quiet: bool, verbose: bool, force_out: bool,
          safe_templates: bool, strict: bool) -> None:
    """Render every audience's brief as Markdown, HTML and PDF."""
    chosen = _formats(formats)
    if standalone:
        chosen = [name for name in chosen if name != "html"] + ["standalone"]
    options = {"audiences": list(audiences), "formats": chosen, "out": str(out_dir.resolve()) if out_dir else None,
               "strict": strict, "safe_templates": safe_templates, "force_out": force_out,
               "quiet": quiet, "verbose": verbose}
    if not force and replayed(project, "build", options):
        return
    before = stamps.snapshot(project)
    from .load import load_project
    from .pipeline import Output
    from .pipeline import build as build_project

    loaded = load_project(project, strict=strict)
    report(loaded.warnings)

    def listed(output: Output, state: str) -> str | None:
        if output.format == "font" or quiet or (state != "wrote" and not verbose):
            return None  # the shipped font files are counted in the summary, not listed
        pages = f", {output.pages} page{'s' if output.pages != 1 else ''}" if output.pages else ""
        return f"  {state:9} {shown(output.path)} ({human_size(output.size)}{pages})"

    def progress(output: Output) -> None:
        line = listed(output, "wrote" if output.changed else "reused" if output.reused else "unchanged")
        if line is not None:
            say(line)

    with RenderingBar(shown=not quiet) as bar:
        result = build_project(loaded, audiences=audiences or None, formats=chosen,
                               out_dir=out_dir, strict=strict, jobs=jobs, force=force, force_out=force_out,
                               safe_templates=safe_templates, progress=progress, rendering=bar.update)
    report(result.warnings)
    out = shown(out_dir or loaded.output_dir)
    changed = sum(1 for o in result.outputs if o.changed)
    reused = sum(1 for o in result.outputs if o.reused)
    pdf_pages = sum(o.pages or 0 for o in result.outputs)
    pages = f", {pdf_pages} PDF pages" if pdf_pages else ""
    if not quiet:
        say(f"Built {len(result.outputs)} files ({changed} changed"
                   + (f", {reused} unchanged since the last build" if reused else "") + f"{pages}) in {out}")
    # What the next run prints if nothing changes by then: the same warnings, and no file written.
    lines = problem_lines(loaded.warnings) + problem_lines(result.warnings)
    lines += [(False, line) for output in result.outputs if (line := listed(output, "unchanged"))]
    if not quiet:
        lines.append((False, f"Nothing changed since the last build: {len(result.outputs)} files{pages} in {out}"))
    stamps.record(loaded.root, "build", options, lines, before, outputs=[o.path for o in result.outputs],
                  skip=[Path(out)])


@cli.command()
@PROJECT_ARGUMENT
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), help="Site folder (default: site/).")
@click.option("--base-url", help="The site's public address, e.g. https://intranet.example/briefs/: "
              "adds canonical links, social cards, sitemap.xml and an Atom feed.")
@FORCE_OUT_OPTION
@SAFE_TEMPLATES_OPTION
@STRICT_OPTION
def publish(project: Path, out_dir: Path | None, base_url: str | None, force_out: bool, safe_templates: bool,
            strict: bool) -> None:
    """Write a static site: every brief for every audience, downloads, sources, feed."""
    from .load import load_project
    from .publish import publish as publish_site
    from .settings import SITE_DIR

    loaded = load_project(project, strict=strict)
    report(loaded.warnings)
    result = publish_site(loaded, out_dir=out_dir, base_url=base_url, strict=strict, force_out=force_out,
                          safe_templates=safe_templates)
    report(result.warnings)
    changed = sum(1 for o in result.outputs if o.changed)
    site = shown(out_dir or loaded.root / SITE_DIR)
    say(f"Published {len(result.outputs)} files ({changed} changed) to {site}; open {site / 'index.html'}")


@cli.command()
@PROJECT_ARGUMENT
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the briefs to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("-f", "--format", "formats", default="md,html", show_default=True,
              help="Formats to rebuild on each change (add pdf to preview PDFs too); any of --format's.")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), help="Output folder (default: output/).")
@SAFE_TEMPLATES_OPTION
def serve(project: Path, host: str, port: int, formats: str, out_dir: Path | None, safe_templates: bool) -> None:
    """Build, serve the output locally, and rebuild and reload on every edit."""
    from . import formats as _builtin  # noqa: F401 - registers the built-in formats
    from .preview import LOOPBACK
    from .preview import serve as serve_project

    chosen = [fmt.name for fmt in FORMATS.resolve(_formats(formats))]
    if host not in LOOPBACK:
        say(f"Warning: listening on {host}: anyone who can reach this machine can read the briefs.",
                   err=True)
    try:
        serve_project(project, host=host, port=port, formats=chosen, out_dir=out_dir,
                      safe_templates=safe_templates, report=lambda text: say(text, err=True))
    except OSError as error:
        if error.filename is None and error.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
            raise RenderError.from_os_error("cannot listen", error, f"{host}:{port}") from error
        raise


@cli.group()
def templates() -> None:
    """See which templates a project uses, and start an override."""


@templates.command("list")
@PROJECT_ARGUMENT
@click.option("-a", "--audience", help="Resolve templates as this audience's build does.")
def templates_list(project: Path, audience: str | None) -> None:
    """For each template name: which file wins, and what it extends."""
    from .load import load_project
    from .template_tools import list_templates

    loaded = load_project(project)
    for info in list_templates(loaded, audience):
        extends = f"  (extends {info.extends})" if info.extends else ""
        shown = (info.path.relative_to(loaded.root) if info.origin != "built-in"
                 else f"briefing/templates/{info.name}")
        say(f"{info.name:22} {info.origin:9} {shown}{extends}")


@templates.command("eject")
@click.argument("name")
@PROJECT_ARGUMENT
@click.option("-a", "--audience", help="Write the override for this audience only.")
@click.option("--force", is_flag=True, help="Replace an existing override.")
def templates_eject(name: str, project: Path, audience: str | None, force: bool) -> None:
    """Write a thin override of built-in template NAME into the project's templates/
    (reference.docx: the Word format's styles, page, header and footer)."""
    from .load import load_project
    from .template_tools import eject

    loaded = load_project(project)
    path = eject(loaded, name, audience, force=force)
    if path.suffix == ".docx":
        say(f"Wrote {path.relative_to(loaded.root)}: change its styles, page, header and footer in Word; "
                   "Word outputs (--format docx) use them.")
        return
    say(f"Wrote {path.relative_to(loaded.root)}: uncomment the blocks you want to change.")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that already holds a project.")
def init(directory: Path, force: bool) -> None:
    """Create a new project in DIRECTORY that passes 'briefing check'."""
    from .scaffold import create_project

    written = create_project(directory, force=force)
    say(f"Created a briefing project in {directory} ({len(written)} files).")
    say(f"Next: edit {directory}/content/, then run 'briefing check {directory}'.")


@cli.command()
@click.argument("source")
@click.argument("project", default=".", type=click.Path(path_type=Path))
@click.option("--brief", help="The brief to draft into (default: the source's id).")
@click.option("--id", "--source-id", "source_id", help="The source's id (default: from its file name or URL).")
@click.option("--force", is_flag=True, help="Overwrite the text copy, source entry and draft theme if they exist.")
def draft(source: str, project: Path, brief: str | None, source_id: str | None, force: bool) -> None:
    """Draft a brief's source entry and a theme of candidate facts and quotes from SOURCE: a saved article
    (text, Markdown, HTML or PDF) or an http(s) address, fetched once."""
    from .draft import draft as draft_source

    drafted = draft_source(source, project, brief=brief, source_id=source_id)
    for path in drafted.write(force=force):
        say(f"wrote {path}")
    for reason in drafted.dropped:
        say(f"left out {reason}")
    unnamed = sum(1 for quote in drafted.theme.quotes if quote.speaker.startswith("TODO"))
    say(f"Drafted {len(drafted.theme.facts)} facts and {len(drafted.theme.quotes)} quotes"
               + (f" ({unnamed} without a named speaker)" if unnamed else "")
               + f" from '{drafted.source_id}' into brief '{drafted.brief_id}'.")
    say("Next: rewrite every 'TODO' in your own words, then run 'briefing check'.")


@cli.command()
@click.argument("kind", required=False, type=click.Choice(list(SCHEMA_KIND_NAMES)))
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Write every kind's schema into this folder instead of printing one.")
@click.option("--docs", is_flag=True, help="Print the field reference as Markdown instead.")
def schema(kind: str | None, out_dir: Path | None, docs: bool) -> None:
    """Print the JSON Schema of a project file KIND (default: theme)."""
    from .schema import field_reference, schema_text, write_schemas

    if docs:
        click.echo(field_reference(), nl=False)
        return
    if out_dir is not None:
        for path in write_schemas(out_dir):
            say(f"wrote {path}")
        return
    click.echo(schema_text(kind or "theme"), nl=False)


def _command(argv: Sequence[str] | None) -> str:
    """The command being run, for messages ('build'); empty when it cannot be told."""
    words = list(argv) if argv is not None else sys.argv[1:]
    return next((word for word in words if word in cli.commands), "")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of exiting, for tests and embedding.

    Ctrl-C, SIGTERM and SIGHUP stop a command the same way (``stopping``): 130, 143 and 129; ``serve``,
    for which stopping is the normal end, exits 0."""
    try:
        with stop_on_signals():
            return _run(argv)
    except KeyboardInterrupt as interrupt:  # a signal while the outcome was being printed
        message, code = interrupted_code(interrupt)
        say(message, err=True)
        return code


def _run(argv: Sequence[str] | None) -> int:
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="briefing",
                          standalone_mode=False)
    except click.exceptions.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)  # click's wording, usage and hint included; printed with its controls escaped
        say(shown.getvalue().rstrip("\n"), err=True)
        return exc.exit_code
    except click.exceptions.Abort as exc:  # click's name for an interrupt: the signal is its cause
        message, code = interrupted_code(exc.__cause__)
        say(message, err=True)
        return code
    except ContentError as exc:
        report(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity.value == "error")
        say(f"Error: {errors} problem{'s' if errors != 1 else ''} found.",
                   err=True)
        return exc.exit_code
    except BriefingError as exc:
        say(f"Error: {exc}", err=True)
        return exc.exit_code
    except OSError as exc:  # the machine failed us (disk full, read-only, permissions): one line, no traceback
        error = RenderError.from_os_error(" ".join(filter(None, ("briefing", _command(argv), "failed"))), exc)
        say(f"Error: {error}", err=True)
        return error.exit_code
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
