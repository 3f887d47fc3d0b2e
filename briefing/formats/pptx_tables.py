"""The deck's tables (figures, risks, decisions): measured row by row, continued on slides that repeat
the header row.  Cells are written at 16 pt, or 14 or 12 pt when that keeps the table on one slide; a row
taller than a whole slide is cut with an ellipsis (and the layout says so in a warning).
"""

from __future__ import annotations

from collections.abc import Sequence
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


def _pts(emu: float) -> float:
    return emu / EMU_PER_PT


def row_height(layout: Layout, cells: Sequence[Sequence[Para]], widths: Sequence[float]) -> float:
    """Points a row takes: its tallest cell, with the cell margins."""
    margin = _pts(CELL_MARGINS[1] + CELL_MARGINS[3])
    return max((sum(para_height(p, w, layout.book, first=i == 0) for i, p in enumerate(paras))
                for paras, w in zip(cells, widths, strict=True)), default=0.0) + margin


def table_slides(layout: Layout, spec: Slide) -> None:
    table = spec.table
    assert table is not None
    first, rest = layout.body_box(layout.heading(spec, 0)), layout.body_box(layout.heading(spec, 1))
    x, total = first[0], first[2]
    columns = [round(total * column.share) for column in table.columns]
    columns[-1] = total - sum(columns[:-1])
    inner = [_pts(w - CELL_MARGINS[0] - CELL_MARGINS[2]) for w in columns]
    available, later = _pts(first[3]), _pts(rest[3])
    header: list[list[Para]] = []
    rows: list[list[list[Para]]] = []
    heights: list[float] = []
    header_height = 0.0
    for scale in TABLE_SCALES:
        header = [[layout.text(c.header, "body", round(HEADER_SIZE * scale), "on_primary", bold=True, align=c.align)]
                  for c in table.columns]
        rows = [[[layout.para(item, scale, c.align) for item in cell] for cell, c in zip(row, table.columns,
                                                                                           strict=True)]
                for row in table.rows]
        heights = [row_height(layout, row, inner) for row in rows]
        header_height = row_height(layout, header, inner)
        if header_height + sum(heights) <= available:
            break
    pages: list[list[int]] = [[]]
    used = header_height
    for index, height in enumerate(heights):
        room = min(available, later) - header_height
        if height > room:
            rows[index] = cut_row(layout, rows[index], inner, room, spec.title)
            heights[index] = row_height(layout, rows[index], inner)
        if pages[-1] and used + heights[index] > (available if len(pages) == 1 else later):
            pages.append([])
            used = header_height
        pages[-1].append(index)
        used += heights[index]
    for page, indexes in enumerate(pages):
        slide, _ = layout.new_slide("title_only", spec, page)
        shown = [header] + [rows[i] for i in indexes]
        shown_heights = [header_height] + [heights[i] for i in indexes]
        top = (first if page == 0 else rest)[1]
        frame = slide.shapes.add_table(len(shown), len(columns), x, top, total, round(sum(shown_heights) * EMU_PER_PT))
        grid = frame.table
        grid.first_row, grid.horz_banding = True, False
        for index, width in enumerate(columns):
            grid.columns[index].width = width
        for r, (cells, height) in enumerate(zip(shown, shown_heights, strict=True)):
            grid.rows[r].height = round(height * EMU_PER_PT)
            for c, paras in enumerate(cells):
                write_cell(layout, grid.cell(r, c), paras, "primary" if r == 0 else ("soft" if r % 2 == 0 else
                                                                                     "#ffffff"))


def write_cell(layout: Layout, cell: Any, paras: Sequence[Para], colour: str) -> None:
    from pptx.enum.text import MSO_ANCHOR

    cell.fill.solid()
    cell.fill.fore_color.rgb = base.rgb(layout.colours.get(colour, colour))
    cell.margin_left, cell.margin_top, cell.margin_right, cell.margin_bottom = CELL_MARGINS
    cell.vertical_anchor = MSO_ANCHOR.TOP
    base.write(cell.text_frame, paras, layout.colours, layout.look.language)


def cut_row(layout: Layout, cells: list[list[Para]], widths: Sequence[float], height: float,
            title: str) -> list[list[Para]]:
    layout.warnings.append(f"PowerPoint: a row of '{title}' is too long for a slide and was shortened")
    room = height - _pts(CELL_MARGINS[1] + CELL_MARGINS[3])
    return [layout.shorten(paras, width, room) for paras, width in zip(cells, widths, strict=True)]
