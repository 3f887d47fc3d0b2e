"""The deck's tables (figures, risks, decisions, a chart's data): measured row by row, continued on slides
that repeat the header row.  Cells are written at 16 pt, or 14 or 12 pt when that keeps the table on one
slide; a row taller than a whole slide is cut with an ellipsis (and the layout says so in a warning).

A table with groups (the brief's risks and decisions, grouped by theme) names the group in its first
column on the group's first row of each slide only, and gives a group's rows one fill.  A slide with a
``compact`` version (the table without mitigations or rationales) shows that version when it takes fewer
slides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import pptx_base as base
from .pptx_fit import EMU_PER_PT, Para, para_height

if TYPE_CHECKING:
    from .pptx_content import Slide
    from .pptx_slides import Layout

INCH = 914400
CELL_MARGINS = (round(0.08 * INCH), round(0.05 * INCH), round(0.08 * INCH), round(0.05 * INCH))
TABLE_SCALES = (1.0, 0.875, 0.75)
HEADER_SIZE = 14

Cells = list[list[Para]]


def _pts(emu: float) -> float:
    return emu / EMU_PER_PT


def row_height(layout: Layout, cells: Sequence[Sequence[Para]], widths: Sequence[float]) -> float:
    """Points a row takes: its tallest cell, with the cell margins."""
    margin = _pts(CELL_MARGINS[1] + CELL_MARGINS[3])
    return max((sum(para_height(p, w, layout.book, first=i == 0) for i, p in enumerate(paras))
                for paras, w in zip(cells, widths, strict=True)), default=0.0) + margin


@dataclass
class TablePlan:
    """A table measured and split into slides: the rows each slide shows, as they are shown."""

    spec: Slide
    columns: list[int]  # widths in EMU
    header: Cells
    header_height: float
    pages: list[list[tuple[Cells, float, int]]] = field(default_factory=list)  # (cells, height, fill band)
    warnings: list[str] = field(default_factory=list)


def plan_table(layout: Layout, spec: Slide) -> TablePlan:
    table = spec.table
    assert table is not None
    first, rest = layout.body_box(layout.heading(spec, 0)), layout.body_box(layout.heading(spec, 1))
    total = first[2]
    columns = [round(total * column.share) for column in table.columns]
    columns[-1] = total - sum(columns[:-1])
    inner = [_pts(w - CELL_MARGINS[0] - CELL_MARGINS[2]) for w in columns]
    available, later = _pts(first[3]), _pts(rest[3])
    groups = table.groups or tuple(range(len(table.rows)))
    # A row continuing its group on the same slide leaves its first cell (the group's name) empty.
    continues = [index > 0 and groups[index] == groups[index - 1] and bool(table.groups)
                 for index in range(len(table.rows))]
    for scale in TABLE_SCALES:
        header = [[layout.text(c.header, "body", round(HEADER_SIZE * scale), "on_primary", bold=True, align=c.align)]
                  for c in table.columns]
        rows = [[[layout.para(item, scale, c.align) for item in cell] for cell, c in zip(row, table.columns,
                                                                                           strict=True)]
                for row in table.rows]
        short = [[[], *row[1:]] if keep else row for row, keep in zip(rows, continues, strict=True)]
        header_height = row_height(layout, header, inner)
        if header_height + sum(row_height(layout, row, inner) for row in short) <= available:
            break
    plan = TablePlan(spec, columns, header, header_height, [[]])
    used, band = header_height, 0
    for index, row in enumerate(rows):
        band += index > 0 and groups[index] != groups[index - 1]
        shown = short[index] if plan.pages[-1] else row
        height = row_height(layout, shown, inner)
        if plan.pages[-1] and used + height > (available if len(plan.pages) == 1 else later):
            plan.pages.append([])
            used, shown = header_height, row
            height = row_height(layout, shown, inner)
        room = min(available, later) - header_height
        if height > room:
            shown = cut_row(layout, shown, inner, room)
            height = row_height(layout, shown, inner)
            plan.warnings.append(f"PowerPoint: a row of '{spec.title}' is too long for a slide and was shortened")
        plan.pages[-1].append((shown, height, band))
        used += height
    return plan


def table_slides(layout: Layout, spec: Slide) -> None:
    """The table on as many slides as it needs; its compact version when that needs fewer."""
    plan = plan_table(layout, spec)
    if spec.compact is not None and len(plan.pages) > 1:
        compact = plan_table(layout, spec.compact)
        if len(compact.pages) < len(plan.pages):
            plan = compact
    layout.warnings.extend(plan.warnings)
    spec = plan.spec
    first, rest = layout.body_box(layout.heading(spec, 0)), layout.body_box(layout.heading(spec, 1))
    for page, shown in enumerate(plan.pages):
        slide, _ = layout.new_slide("title_only", spec, page)
        heights = [plan.header_height] + [height for _cells, height, _band in shown]
        top = (first if page == 0 else rest)[1]
        frame = slide.shapes.add_table(len(heights), len(plan.columns), first[0], top, first[2],
                                       round(sum(heights) * EMU_PER_PT))
        grid = frame.table
        grid.first_row, grid.horz_banding = True, False
        for index, width in enumerate(plan.columns):
            grid.columns[index].width = width
        rows = [(plan.header, "primary")] + [(cells, "soft" if band % 2 else "#ffffff") for cells, _h, band in shown]
        for r, ((cells, colour), height) in enumerate(zip(rows, heights, strict=True)):
            grid.rows[r].height = round(height * EMU_PER_PT)
            for c, paras in enumerate(cells):
                write_cell(layout, grid.cell(r, c), paras, colour)


def write_cell(layout: Layout, cell: Any, paras: Sequence[Para], colour: str) -> None:
    from pptx.enum.text import MSO_ANCHOR

    cell.fill.solid()
    cell.fill.fore_color.rgb = base.rgb(layout.colours.get(colour, colour))
    cell.margin_left, cell.margin_top, cell.margin_right, cell.margin_bottom = CELL_MARGINS
    cell.vertical_anchor = MSO_ANCHOR.TOP
    base.write(cell.text_frame, paras, layout.colours, layout.look.language)


def cut_row(layout: Layout, cells: Cells, widths: Sequence[float], height: float) -> Cells:
    room = height - _pts(CELL_MARGINS[1] + CELL_MARGINS[3])
    return [layout.shorten(paras, width, room) for paras, width in zip(cells, widths, strict=True)]
