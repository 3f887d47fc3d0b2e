"""PowerPoint: a 16:9 deck per audience (``pptx_render`` makes it; see its docstring).

Only the registration lives here: the deck code (and python-pptx) is imported when a deck is rendered
or read back, so a build or a check without ``--format pptx`` never loads it.
"""

from __future__ import annotations

from typing import Any

from ..registry import Format, Job, RenderRequest, register


@register
class PowerPoint(Format):
    """A 16:9 slide deck: the bottom line, a slide per theme with its key figure, risks, decisions, sources."""

    name = "pptx"
    suffix = ".pptx"
    markup = "markdown"  # it renders no template; content Markdown becomes runs (pptx_content)
    pooled = True

    def job(self, request: RenderRequest) -> Job:
        from .pptx_render import pptx_job

        return pptx_job(request)

    def warm_up(self, request: RenderRequest) -> Job:
        from .pptx_render import WarmUp

        return WarmUp()

    def cache_inputs(self, request: RenderRequest) -> Any:
        from .pptx_render import pptx_cache_inputs

        return pptx_cache_inputs(request)

    def text(self, data: bytes) -> str:
        return "\n".join(self.blocks(data))

    def blocks(self, data: bytes) -> list[str]:
        from .pptx_render import pptx_blocks

        return pptx_blocks(data)
