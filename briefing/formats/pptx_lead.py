"""A theme's lead slide: the key-figure callout beside the facts, and the theme's quotes and implications
brought onto it when they fit.

A theme's quotes and implications have a slide of their own after its lead slide and charts
(``pptx_deck``), which names the lead slide it may ``join``.  When they fit under the facts (and callout)
of the lead slide's last slide, with a rule between, the blocks side by side as on their own slide and no
larger than the facts, they go there instead: a theme with three short facts and two implications is one
slide, not two half-empty ones.  Shortened prose (a summary cut to its slide) takes no blocks under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import pptx_base as base
from .pptx_columns import SCALES, Box, draw_columns, fit_columns
from .pptx_fit import EMU_PER_PT, Para, fit_para, para_height, paras_height, shortened, wrap

if TYPE_CHECKING:
    from .pptx_content import Callout, Slide
    from .pptx_slides import Layout

INCH = 914400
RECTANGLE = 1  # MSO_SHAPE.RECTANGLE
NARROW = 0.64  # of the body's width: the facts beside a callout
ALONE = 0.5  # of the body's width: a callout with no facts beside it
CALLOUT_GAP = round(0.35 * INCH)
BELOW_GAP = round(0.4 * INCH)  # between the facts and the blocks under them; the rule runs across its middle
PAD = round(0.22 * INCH)  # inside the callout


def lead_boxes(layout: Layout, spec: Slide) -> tuple[Box, Box | None]:
    """The facts' box (narrow beside a callout) and the callout's, on the lead slide's first slide; a callout
    with nothing beside it (a theme read at 'summary' depth by an audience without summaries) starts the body."""
    first = layout.body_box(layout.heading(spec, 0))
    if spec.callout is None:
        return first, None
    if not spec.items:
        return (first[0], first[1], 0, first[3]), (first[0], first[1], round(first[2] * ALONE), first[3])
    narrow = (first[0], first[1], round(first[2] * NARROW), first[3])
    return narrow, (narrow[0] + narrow[2] + CALLOUT_GAP, first[1], first[2] - narrow[2] - CALLOUT_GAP, first[3])


def callout_paras(layout: Layout, callout: Callout, box: Box) -> tuple[list[Para], Box]:
    """The callout's figure, caption and basis fitted to ``box``, and the panel's box (as tall as they are)."""
    width, height = layout.inner(box, (PAD,) * 4)
    # The figure's no-break spaces may break here: '$100 / billion' reads, '$100 billi / on' does not.
    # One line at 40 pt or more, else two lines broken at a space, at the largest size that allows it.
    figure = layout.text(callout.figure.replace("\u00a0", " "), "heading", 54, "accent", bold=True)
    one_line = [size for size in (54, 48, 44, 40) if len(wrap(replace(figure, size=size), width, layout.book)) == 1]
    for size in one_line[:1] or [54, 48, 42, 36, 30, 26]:
        figure = replace(figure, size=size)
        lines = wrap(figure, width, layout.book)
        if len(lines) <= 2 and all(figure.text[end - 1] == " " for _start, end in lines[:-1]):
            break
    figure = fit_para(figure, width, height * 0.6, (figure.size, 26), layout.book)
    caption = Para(callout.caption, layout.look.body, 16, 10, 0, None, "l", "ink")
    basis = replace(layout.text(callout.basis, "body", 13, "muted", italic=True), before=8)
    left = height - para_height(figure, width, layout.book, first=True)
    caption = shortened(caption, width, max(int((left - caption.before) // caption.line) - 1, 1), layout.book)
    left -= para_height(caption, width, layout.book)
    paras = [figure, caption]
    if left - basis.before >= basis.line:
        paras.append(shortened(basis, width, int((left - basis.before) // basis.line), layout.book))
    used = paras_height(paras, width, layout.book)
    return paras, (box[0], box[1], box[2], round(used * EMU_PER_PT) + 2 * PAD + 1)


def draw_callout(layout: Layout, slide: Any, spec: Slide, box: Box) -> None:
    """The theme's key figure on a soft panel with an accent rule at its left."""
    assert spec.callout is not None
    paras, shape_box = callout_paras(layout, spec.callout, box)
    panel = slide.shapes.add_shape(RECTANGLE, *shape_box)
    base.fill(panel, layout.look.soft)
    panel.name = "Key figure"
    layout.textbox(slide, shape_box, paras, shape=panel, insets=(PAD,) * 4)
    rule = slide.shapes.add_shape(RECTANGLE, box[0], box[1], round(0.07 * INCH), shape_box[3])
    base.fill(rule, layout.look.accent)


@dataclass(frozen=True)
class Below:
    """Blocks under the lead slide's last facts: how tall the facts' box is, and the blocks fitted."""

    height: int  # EMU
    blocks: list[list[Para]]
    boxes: list[Box]
    used: float


def plan_below(layout: Layout, spec: Slide) -> Below | None:
    """The ``below`` blocks under the facts (and callout) of the lead slide's last slide, or None when they
    do not fit there at the size the facts have (shortened prose leaves no room)."""
    pages, scale, cut = layout.pages(spec)
    if cut:
        return None
    facts, panel = lead_boxes(layout, spec)
    if len(pages) > 1:
        facts, panel = layout.body_box(layout.heading(spec, 1)), None
    paras = pages[-1] if pages else []
    width, inner_height = layout.inner(facts)
    height = round(paras_height(paras, width, layout.book) * EMU_PER_PT) + facts[3] - round(inner_height * EMU_PER_PT)
    top = facts[1] + height
    if panel is not None and spec.callout is not None:
        top = max(top, panel[1] + callout_paras(layout, spec.callout, panel)[1][3])
    body = layout.body_box(layout.heading(spec, len(pages) - 1))
    top += BELOW_GAP
    fitted = fit_columns(layout, spec.below, (body[0], top, body[2], body[1] + body[3] - top),
                         [size for size in SCALES if size <= scale])
    return None if fitted is None else Below(height, *fitted)


def draw_below(layout: Layout, slide: Any, plan: Below) -> None:
    """The blocks, with a rule across between them and the facts above."""
    x, width = plan.boxes[0][0], plan.boxes[-1][0] + plan.boxes[-1][2] - plan.boxes[0][0]
    rule = slide.shapes.add_shape(RECTANGLE, x, plan.boxes[0][1] - BELOW_GAP // 2, width, round(0.02 * INCH))
    base.fill(rule, layout.look.rule)
    rule.name = "Rule"
    draw_columns(layout, slide, plan.blocks, plan.boxes, plan.used)


def joined(layout: Layout, specs: Sequence[Slide]) -> list[Slide]:
    """The slides, each that may ``join`` its theme's lead slide moved under the lead's facts when it fits."""
    slides = list(specs)
    for spec in specs:
        lead = next((index for index, found in enumerate(slides) if spec.join and found.name == spec.join), None)
        if lead is None or slides[lead].below:
            continue
        merged = replace(slides[lead], below=spec.columns or (spec.items,),
                         notes="\n\n".join(notes for notes in (slides[lead].notes, spec.notes) if notes))
        if plan_below(layout, merged) is not None:
            slides[lead] = merged
            slides.remove(spec)
    return slides
