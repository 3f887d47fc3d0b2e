"""Word: a real document per audience (``docx_render`` makes it; see its docstring).

Only the registration lives here: the document code (and python-docx) is imported when a Word document
is rendered or read back, so a build or a check without ``--format docx`` never loads it.
"""

from __future__ import annotations

from typing import Any

from ..registry import Format, Job, RenderRequest, register


@register
class Word(Format):
    """A Word document: styles for what they mean, contents, running header and footer, linked citations."""

    name = "docx"
    suffix = ".docx"
    pooled = True

    def job(self, request: RenderRequest) -> Job:
        from .docx_render import docx_job

        return docx_job(request)

    def warm_up(self, request: RenderRequest) -> Job:
        from .docx_render import WarmUp

        return WarmUp()

    def cache_inputs(self, request: RenderRequest) -> Any:
        from .docx_render import docx_cache_inputs

        return docx_cache_inputs(request)

    def text(self, data: bytes) -> str:
        return "\n".join(self.blocks(data))

    def blocks(self, data: bytes) -> list[str]:
        from .docx_render import docx_blocks

        return docx_blocks(data)
