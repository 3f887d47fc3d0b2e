"""The format registry: every output format is one registered ``Format``.

A format says its name and file suffix, how it renders one brief for one
audience, whether it runs on the engine pool (a worker process per core, for
slow engines such as PDF), what besides the view its output depends on (for
the build cache), and how its text is read back (for checks).  The build, the
cache, ``--format``, the index's download links, ``serve`` and ``publish`` all
read the registry, so a new format is one module that calls ``register``::

    from briefing.registry import Format, register

    @register
    class PlainText(Format):
        name, suffix = "txt", ".txt"

        def render(self, request):
            return request.view.title.encode()
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from .errors import UsageError, did_you_mean

if TYPE_CHECKING:
    import jinja2

    from .links import PageLinks
    from .project import Project
    from .select import BriefView


@dataclass(frozen=True)
class RenderRequest:
    """What a format needs to render one brief for one audience."""

    project: Project
    view: BriefView
    env: jinja2.Environment  # the audience's template environment for the format's markup
    links: PageLinks  # the page's links to other versions, downloads and the site


@dataclass(frozen=True)
class Rendered:
    """A rendered output: its bytes, its page count where it has pages, and warnings raised on the way."""

    data: bytes
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    text: str | None = None  # the reader-visible text, when the engine knows it without reading ``data``
    # Files that go with the output, by name relative to its folder ("brief-charts/share.svg"): written,
    # cached and removed with it.
    files: dict[str, bytes] = field(default_factory=dict)


class Job(Protocol):
    """Work for the engine pool: picklable data whose ``run`` renders one output in a worker."""

    def run(self) -> Rendered: ...


class Format:
    """One output format. Subclasses set the class attributes and implement ``render`` (or ``job``)."""

    name: str = ""
    suffix: str = ""
    markup: Literal["html", "markdown"] = "html"  # what its templates write: "html" (autoescaped) or "markdown"
    pooled: bool = False  # rendered by ``job`` on the engine pool instead of ``render`` in this process
    web_page: bool = False  # a page of the site: the build writes the index beside it
    shared_assets: bool = False  # links to the site's shared stylesheet, fonts and files
    downloadable: bool = True  # offered as a download on the web pages and the index

    def render(self, request: RenderRequest) -> bytes | Rendered:
        raise NotImplementedError(f"format {self.name} renders on the engine pool; use job()")

    def job(self, request: RenderRequest) -> Job:
        raise NotImplementedError(f"format {self.name} renders in process; use render()")

    def warm_up(self, request: RenderRequest) -> Job | None:
        """A job each pool worker runs when it starts, so it is warm (engine imported, fonts loaded) before its
        first document."""
        return None

    def cache_inputs(self, request: RenderRequest) -> Any:
        """What the output depends on besides the view, its templates and the brand's files."""
        return None

    def text(self, data: bytes) -> str:
        """The output's reader-visible text, for checks that compare formats."""
        return data.decode("utf-8")

    def blocks(self, data: bytes) -> list[str] | None:
        """The output's blocks (paragraphs, list items, cells) as a reader sees them, when the format has
        structure to read back; None checks the text as a whole (the parity check)."""
        return None


F = TypeVar("F", bound=type[Format])


class FormatRegistry:
    """Formats by name, in registration order (the order of download links)."""

    def __init__(self) -> None:
        self._formats: dict[str, Format] = {}

    def add(self, fmt: Format) -> None:
        if not fmt.name or not fmt.suffix.startswith("."):
            raise ValueError(f"a format needs a name and a suffix starting with '.': {fmt!r}")
        self._formats[fmt.name] = fmt

    def remove(self, name: str) -> None:
        self._formats.pop(name, None)

    def names(self) -> list[str]:
        return list(self._formats)

    def __iter__(self) -> Iterator[Format]:
        return iter(list(self._formats.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._formats

    def get(self, name: str) -> Format:
        try:
            return self._formats[name]
        except KeyError:
            hint = did_you_mean(name, self._formats)
            raise UsageError(f"unknown format '{name}'" + (f"; {hint}" if hint else "")
                             + f" (choose from {', '.join(self._formats)})") from None

    def resolve(self, names: Iterable[str]) -> list[Format]:
        """The formats named, once each, in registration order; an unknown name is a usage error."""
        chosen = {self.get(name).name for name in names}
        return [fmt for fmt in self if fmt.name in chosen]


FORMATS = FormatRegistry()
DEFAULT_FORMATS = ("md", "html", "pdf")


def register(cls: F) -> F:
    """Class decorator: register one instance of a format class."""
    FORMATS.add(cls())
    return cls
