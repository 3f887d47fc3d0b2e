"""Text blocks side by side on one slide: a theme's quotes ('In their words') beside its implications.

The blocks share the body's width, with a thin rule between them.  The split is chosen by measuring: at
the largest size (100%, 90%, 80%) at which every block fits its column, the split that leaves the taller
block shortest.  When no split fits, the caller lays the blocks out stacked (the slide's ``items``), which
may continue on more slides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import pptx_base as base
from .pptx_fit import EMU_PER_PT, Para, paras_height

if TYPE_CHECKING:
    from .pptx_content import Item, Slide
    from .pptx_slides import Layout

INCH = 914400
RECTANGLE = 1  # MSO_SHAPE.RECTANGLE
GAP = round(0.6 * INCH)  # between two blocks; the rule runs down its middle
RULE = round(0.02 * INCH)
SCALES = (1.0, 0.9, 0.8)
SHARES = (0.5, 0.55, 0.45, 0.6, 0.4)  # the first of two blocks' share of the width


def _splits(count: int) -> tuple[tuple[float, ...], ...]:
    if count == 2:
        return tuple((share, 1 - share) for share in SHARES)
    return ((1 / count,) * count,)


Box = tuple[int, int, int, int]


def fit_columns(layout: Layout, columns: Sequence[Sequence[Item]], box: Box, scales: Sequence[float] = SCALES
                ) -> tuple[list[list[Para]], list[Box], float] | None:
    """The blocks side by side in ``box`` at the largest of ``scales`` at which each fits its column: their
    paragraphs, boxes, and the taller block's height in points; None when no split fits."""
    x, top, width, height = box
    count = len(columns)
    free = width - GAP * (count - 1)
    for scale in scales:
        blocks = [layout.paras(block, scale) for block in columns]
        best: tuple[float, list[Box]] | None = None
        for split in _splits(count):
            widths = [round(free * share) for share in split]
            widths[-1] = free - sum(widths[:-1])
            lefts = [x + sum(widths[:index]) + GAP * index for index in range(count)]
            boxes = [(left, top, wide, height) for left, wide in zip(lefts, widths, strict=True)]
            used = [paras_height(paras, layout.inner(box)[0], layout.book)
                    for paras, box in zip(blocks, boxes, strict=True)]
            fits = all(need <= layout.inner(box)[1] for need, box in zip(used, boxes, strict=True))
            if fits and (best is None or max(used) < best[0]):
                best = (max(used), boxes)
        if best is not None:
            return blocks, best[1], best[0]
    return None


def columns_slide(layout: Layout, spec: Slide) -> bool:
    """Lay the slide's ``columns`` out side by side; False (and nothing added) when they do not fit."""
    fitted = fit_columns(layout, spec.columns, layout.body_box(layout.heading(spec, 0)))
    if fitted is None:
        return False
    slide, body = layout.new_slide("content", spec, 0)
    draw_columns(layout, slide, *fitted, body=body)
    return True


def draw_columns(layout: Layout, slide: Any, blocks: list[list[Para]], boxes: list[Box], used: float, *,
                 body: Any = None) -> None:
    """The blocks in their boxes (the first in the slide's ``body`` placeholder, when given), ruled apart."""
    for index, (paras, box) in enumerate(zip(blocks, boxes, strict=True)):
        shape = layout.textbox(slide, box, paras, shape=body if index == 0 else None)
        if index:
            shape.name = f"Block {index + 1}"
            rule = slide.shapes.add_shape(RECTANGLE, box[0] - (GAP + RULE) // 2, box[1],
                                          RULE, round(used * EMU_PER_PT) + round(0.1 * INCH))
            base.fill(rule, layout.look.rule)
            rule.name = "Rule"
