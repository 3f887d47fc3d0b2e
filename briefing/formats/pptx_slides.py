"""Where the deck's words go: slides laid out by measuring, so no text ever overflows its box.

Every slide but the cover has the same frame: a small kicker line (the brief, or the theme's number and
title), the title (a theme's takeaway is its lead slide's headline), the body, and a footer (the brief's
title and classification, the slide number).  Text is fitted as follows (``pptx_fit`` measures it):

* Titles shrink (28 to 20 pt for a headline) and, if they still do not fit, are cut at a word with an
  ellipsis; the full headline is then the first line of the speaker notes (and every takeaway is on the
  takeaways slide in full).
* Lists (facts, implications, quotes, the bottom line, takeaways, sources) shrink to 90% and 80% of
  their size to stay on one slide; past that they continue on slides titled '<title> (continued)' (the
  ``continued`` label), never losing an item.  A theme's facts show at most ``FACTS_PER_SLIDE`` bullets
  a slide.  A paragraph taller than a whole slide is split between lines across slides.
* Prose shown instead of facts (a theme read at 'summary' depth, or one with no facts shown) is cut to
  the slide at a paragraph or word, with an ellipsis, instead of continued: its depth asks for the short
  version, and the whole summary is in the speaker notes.
* Tables (figures, risks, decisions) are measured row by row and continue on slides that repeat the
  header row; a row taller than a slide is cut with an ellipsis and reported as a warning (``pptx_tables``).
* A theme's quotes and implications sit side by side when they fit one slide (``pptx_columns``), else
  stacked as a list that continues; when they fit under the lead slide's facts, they go there
  (``pptx_lead``, which also draws the key-figure callout).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ..brand import contrast
from . import pptx_base as base
from .pptx_charts import lay_out_chart
from .pptx_columns import columns_slide
from .pptx_content import Deck, Item, Slide
from .pptx_fit import ELLIPSIS, EMU_PER_PT, FontBook, Para, Run, cut_runs, fit_para, para_height, shortened, wrap
from .pptx_lead import draw_below, draw_callout, joined, lead_boxes, plan_below
from .pptx_tables import table_slides

INCH = 914400
RECTANGLE = 1  # MSO_SHAPE.RECTANGLE
MARGIN = round(0.6 * INCH)
INSETS = (round(0.05 * INCH), round(0.03 * INCH), round(0.05 * INCH), round(0.03 * INCH))
HEADLINE_SIZES = (28, 26, 24, 22, 20)
TITLE_SIZES = (30, 28, 26, 24, 22, 20)
SCALES = (1.0, 0.9, 0.8)  # a list's sizes tried for one slide; it continues at the second
# role: (font, size, colour, bold, italic, bullet, space before as a share of the size)
ROLES: dict[str, tuple[str, float, str, bool, bool, str | None, float]] = {
    "bullet": ("body", 20, "ink", False, False, "•", 0.55), "lead": ("body", 24, "ink", False, False, None, 0.6),
    "prose": ("body", 20, "ink", False, False, None, 0.55), "number": ("body", 18, "ink", False, False, None, 0.5),
    "quote": ("heading", 28, "ink", False, True, None, 1.0), "attribution": ("body", 16, "muted", False, False,
                                                                             None, 0.3),
    "cell": ("body", 16, "ink", False, False, None, 0.3), "strong": ("body", 16, "ink", True, False, None, 0.3),
    "note": ("body", 13, "muted", False, False, None, 0.25),
    "label": ("body", 15, "primary", True, False, None, 1.6),
}


def pts(emu: float) -> float:
    return emu / EMU_PER_PT


class Layout:
    """Lays one deck out on a presentation; ``warnings`` says what had to be cut."""

    def __init__(self, prs: Any, deck: Deck, book: FontBook):
        self.prs, self.deck, self.book, self.look = prs, deck, book, deck.look
        self.width, self.height = prs.slide_width, prs.slide_height
        look = deck.look
        self.colours = {"primary": look.primary, "accent": look.accent, "ink": look.ink, "muted": look.muted,
                        "soft": look.soft, "rule": look.rule, "marking": look.marking,
                        "on_primary": "#ffffff" if contrast("#ffffff", look.primary) >= 4.5 else look.ink}
        self.warnings: list[str] = []
        self.slides: list[Any] = []
        self.title_box = (MARGIN, round(0.9 * INCH), self.width - 2 * MARGIN, round(1.3 * INCH))
        self.body_bottom = self.height - round(0.75 * INCH)

    # -- paragraphs ------------------------------------------------------------------------------------

    def para(self, item: Item, scale: float = 1.0, align: str = "l") -> Para:
        font, size, colour, bold, italic, bullet, before = ROLES[item.role]
        size = round(size * scale * 2) / 2
        runs = tuple(replace(run, italic=run.italic or italic) for run in item.runs) if italic else item.runs
        family = self.look.heading if font == "heading" else self.look.body
        return Para(runs, family, size, round(size * before, 1), round(size * 1.1, 1) if bullet else 0.0, bullet,
                    align, colour, bold)

    def text(self, text: str, font: str, size: float, colour: str, *, bold: bool = False,
             italic: bool = False, align: str = "l") -> Para:
        family = self.look.heading if font == "heading" else self.look.body
        return Para((Run(text, italic=italic),), family, size, 0.0, 0.0, None, align, colour, bold)

    def inner(self, box: Sequence[int], insets: Sequence[int] = INSETS) -> tuple[float, float]:
        return pts(box[2] - insets[0] - insets[2]), pts(box[3] - insets[1] - insets[3])

    def textbox(self, slide: Any, box: Sequence[int], paras: Sequence[Para], *, shape: Any = None,
                insets: tuple[int, int, int, int] = INSETS, anchor: str = "t") -> Any:
        if shape is None:
            shape = slide.shapes.add_textbox(*box)
        else:
            base.place(shape, box)
        base.frame(shape.text_frame, insets, anchor)
        base.write(shape.text_frame, paras, self.colours, self.look.language)
        return shape

    def fitted(self, text: str, box: Sequence[int], font: str, sizes: Sequence[float], colour: str, *,
               bold: bool = False, align: str = "l") -> Para:
        width, height = self.inner(box)
        return fit_para(self.text(text, font, sizes[0], colour, bold=bold, align=align), width, height, sizes,
                        self.book)

    # -- slides ----------------------------------------------------------------------------------------

    def heading(self, spec: Slide, page: int) -> Para:
        """The title of the slide's ``page``-th slide (the later ones say they continue it), fitted."""
        shown = spec.title if page == 0 else self.deck.continued.format(title=spec.title)
        return self.fitted(shown, self.title_box, "heading", HEADLINE_SIZES if spec.headline else TITLE_SIZES,
                           "primary", bold=True)

    def body_box(self, title: Para) -> tuple[int, int, int, int]:
        """The body's box: from just under the title, as tall as it is, to the footer."""
        width = pts(self.title_box[2] - INSETS[0] - INSETS[2])
        top = self.title_box[1] + round(para_height(title, width, self.book, first=True) * EMU_PER_PT) \
            + INSETS[1] + INSETS[3] + round(0.22 * INCH)
        return (MARGIN, top, self.title_box[2], self.body_bottom - top)

    def new_slide(self, kind: str, spec: Slide, page: int) -> tuple[Any, Any]:
        slide = self.prs.slides.add_slide(base.layout(self.prs, kind))
        slide.name = spec.name if page == 0 else f"{spec.name} ({page + 1})"
        self.slides.append(slide)
        bar = slide.shapes.add_shape(RECTANGLE, MARGIN, round(0.42 * INCH), round(0.5 * INCH), round(0.06 * INCH))
        base.fill(bar, self.look.accent)
        kicker_box = (MARGIN, round(0.5 * INCH), self.width - 2 * MARGIN, round(0.4 * INCH))
        self.textbox(slide, kicker_box, [self.fitted(spec.kicker, kicker_box, "body", (14,), "muted")])
        shown = spec.title if page == 0 else self.deck.continued.format(title=spec.title)
        para = self.heading(spec, page)
        box = self.title_box
        height = para_height(para, pts(box[2] - INSETS[0] - INSETS[2]), self.book, first=True)
        box = (box[0], box[1], box[2], round(height * EMU_PER_PT) + INSETS[1] + INSETS[3] + 1)
        self.textbox(slide, box, [para], shape=base.placeholder(slide, "title"))
        body = base.placeholder(slide, "body") if kind == "content" else None
        base.drop_unused_placeholders(slide, [base.placeholder(slide, "title"), body])
        notes = spec.notes if page == 0 else ""
        if page == 0 and para.text != shown:  # the headline was cut: the notes have it whole
            notes = shown + ("\n\n" + notes if notes else "")
        base.set_notes(slide, notes, self.look.language)
        return slide, body

    def cover(self) -> None:
        cover, look = self.deck.cover, self.look
        slide = self.prs.slides.add_slide(base.layout(self.prs, "title"))
        slide.name = "cover"
        self.slides.append(slide)
        band_height = round(self.height * 0.64)
        band = slide.shapes.add_shape(RECTANGLE, 0, 0, self.width, band_height)
        base.fill(band, look.primary)
        base.send_to_back(slide, band)
        inner = self.width - 2 * MARGIN
        kicker = (MARGIN, round(0.8 * INCH), inner, round(0.5 * INCH))
        self.textbox(slide, kicker, [self.fitted(cover.kicker, kicker, "body", (18, 16), "on_primary")])
        has_subtitle = bool(cover.subtitle)
        title_box = (MARGIN, round(1.35 * INCH), inner,
                     band_height - round(1.35 * INCH) - round((1.35 if has_subtitle else 0.4) * INCH))
        title = self.fitted(cover.title, title_box, "heading", (40, 36, 32, 28), "on_primary", bold=True)
        self.textbox(slide, title_box, [title], shape=base.placeholder(slide, "title"), anchor="b")
        subtitle_shape = base.placeholder(slide, "body") if has_subtitle else None
        if has_subtitle:
            box = (MARGIN, band_height - round(1.25 * INCH), inner, round(1.0 * INCH))
            self.textbox(slide, box, [self.fitted(cover.subtitle, box, "body", (20, 18, 16), "on_primary")],
                         shape=subtitle_shape)
        base.drop_unused_placeholders(slide, [base.placeholder(slide, "title"), subtitle_shape])
        logo_width = self.logo(slide, band_height) if self.logo_data else 0
        meta_box = (MARGIN, band_height + round(0.35 * INCH), inner - logo_width - (MARGIN if logo_width else 0),
                    self.height - band_height - round(0.7 * INCH))
        width, height = self.inner(meta_box)
        meta = [self.text(cover.date, "body", 20, "ink", bold=True)]
        if cover.byline:
            meta.append(replace(self.text(cover.byline, "body", 16, "muted"), before=6))
        if cover.classification:
            meta.append(replace(self.text(cover.classification, "body", 14, "marking", bold=True), before=10))
        fitted: list[Para] = []
        for para in meta:  # each line cut to what is left of the box
            left = height - sum(para_height(p, width, self.book, first=i == 0) for i, p in enumerate(fitted))
            lines = int((left - (para.before if fitted else 0)) // para.line)
            if lines >= 1:
                fitted.append(shortened(para, width, lines, self.book))
        self.textbox(slide, meta_box, fitted)

    logo_data: bytes | None = None

    def logo(self, slide: Any, band_height: int) -> int:
        """The logo at the cover's bottom right, at most 0.9 x 2.6 inches; returns the width it took."""
        import io

        try:
            picture = slide.shapes.add_picture(io.BytesIO(self.logo_data or b""), 0, 0)
        except Exception as error:  # noqa: BLE001 - an image the library cannot read is a warning, not a failure
            self.warnings.append(f"PowerPoint: the logo could not be read ({type(error).__name__})")
            return 0
        scale = min(0.9 * INCH / picture.height, 2.6 * INCH / picture.width)
        picture.width, picture.height = round(picture.width * scale), round(picture.height * scale)
        picture.left = self.width - MARGIN - picture.width
        picture.top = band_height + (self.height - band_height - picture.height) // 2
        picture.name = "Logo"
        picture._element.nvPicPr.cNvPr.set("descr", self.deck.cover.logo_alt)
        return int(picture.width)

    # -- lists -----------------------------------------------------------------------------------------

    def paras(self, items: Sequence[Item], scale: float) -> list[Para]:
        """The items' paragraphs; the one under a label sits close to it."""
        paras = [self.para(item, scale) for item in items]
        return [replace(para, before=round(para.size * 0.3, 1)) if index and items[index - 1].role == "label"
                else para for index, para in enumerate(paras)]

    def units(self, items: Sequence[Item], scale: float) -> list[list[Para]]:
        units: list[list[Para]] = []
        for item, para in zip(items, self.paras(items, scale), strict=True):
            if item.keep and units:
                units[-1].append(para)
            else:
                units.append([para])
        return units

    def unit_height(self, unit: Sequence[Para], width: float, first: bool) -> float:
        return sum(para_height(p, width, self.book, first=first and i == 0) for i, p in enumerate(unit))

    def paginate(self, units: list[list[Para]], widths: Callable[[int], float], heights: Callable[[int], float],
                 per_slide: int | None) -> list[list[Para]]:
        pages: list[list[list[Para]]] = [[]]
        used = 0.0
        for unit in units:
            page = len(pages) - 1
            need = self.unit_height(unit, widths(page), not pages[-1])
            if pages[-1] and (used + need > heights(page) or (per_slide is not None and len(pages[-1]) >= per_slide)):
                pages.append([])
                page += 1
                used, need = 0.0, self.unit_height(unit, widths(page), True)
            if need > heights(page):  # taller than a slide: split it between lines, piece by piece
                # pieces fit any page: the narrowest width and the shortest height
                for piece in self.split(unit, min(widths(0), widths(1)), min(heights(0), heights(1))):
                    if pages[-1]:
                        pages.append([])
                    pages[-1].append(piece)
                used = self.unit_height(pages[-1][-1], widths(len(pages) - 1), True)
                continue
            pages[-1].append(unit)
            used += need
        return [[para for unit in page for para in unit] for page in pages if page]

    def split(self, unit: list[Para], width: float, height: float) -> list[list[Para]]:
        pieces: list[list[Para]] = []
        for para in unit:
            lines = wrap(para, width, self.book)
            per_piece = max(int(height // para.line), 1)
            for start in range(0, len(lines), per_piece):
                chunk = lines[start:start + per_piece]
                runs = cut_runs(para.runs, chunk[0][0], chunk[-1][1])
                pieces.append([replace(para, runs=runs, bullet=para.bullet if start == 0 else None)])
        return pieces

    def pages(self, spec: Slide) -> tuple[list[list[Para]], float, bool]:
        """The list's paragraphs slide by slide, the scale they are at, and whether they were shortened."""
        rest = self.body_box(self.heading(spec, 1))
        boxes = [self.inner(lead_boxes(self, spec)[0]), self.inner(rest)]

        def widths(page: int) -> float:
            return boxes[min(page, 1)][0]

        def heights(page: int) -> float:
            return boxes[min(page, 1)][1]

        fitted = self.one_slide(spec)
        if fitted is not None:
            return [fitted[1]], fitted[0], False
        if spec.shorten:
            return [self.shorten([p for u in self.units(spec.items, SCALES[-1]) for p in u], *boxes[0])], \
                SCALES[-1], True
        return self.paginate(self.units(spec.items, SCALES[1]), widths, heights, spec.per_slide), SCALES[1], False

    def list_slides(self, spec: Slide) -> None:
        if spec.columns and columns_slide(self, spec):
            return
        rest = self.body_box(self.heading(spec, 1))
        narrow, panel = lead_boxes(self, spec)
        pages = self.pages(spec)[0] or [[]]
        below = plan_below(self, spec) if spec.below else None
        for page, paras in enumerate(pages):
            slide, body = self.new_slide("content", spec, page)
            box = narrow if page == 0 else rest
            last = below is not None and page == len(pages) - 1
            if paras:
                self.textbox(slide, (*box[:3], below.height) if below is not None and last else box, paras,
                             shape=body)
            elif body is not None:
                body._element.getparent().remove(body._element)
            if page == 0 and panel is not None:
                draw_callout(self, slide, spec, panel)
            if below is not None and last:
                draw_below(self, slide, below)

    def one_slide(self, spec: Slide) -> tuple[float, list[Para]] | None:
        """The list's paragraphs at the largest of ``SCALES`` that keeps it on one slide, with that scale."""
        width, height = self.inner(lead_boxes(self, spec)[0])
        for scale in SCALES:
            units = self.units(spec.items, scale)
            paras = [p for u in units for p in u]
            if (spec.per_slide is None or len(units) <= spec.per_slide) \
                    and self.unit_height(paras, width, True) <= height:
                return scale, paras
        return None

    def shorten(self, paras: list[Para], width: float, height: float) -> list[Para]:
        kept: list[Para] = []
        used = 0.0
        for para in paras:
            need = para_height(para, width, self.book, first=not kept)
            if used + need <= height:
                kept.append(para)
                used += need
                continue
            lines = int((height - used - (para.before if kept else 0)) // para.line)
            if lines >= 1:
                kept.append(shortened(para, width, lines, self.book))
            elif kept:  # nothing more fits: the last paragraph kept says that text was left out
                last = kept[-1]
                marked = replace(last, runs=last.runs + (Run(" " + ELLIPSIS),))
                kept[-1] = shortened(marked, width, len(wrap(last, width, self.book)), self.book)
            break
        return kept

    # -- footers ---------------------------------------------------------------------------------------

    def footers(self) -> None:
        total = len(self.slides)
        y, h = self.height - round(0.52 * INCH), round(0.34 * INCH)
        number_width = round(1.2 * INCH)
        for number, slide in enumerate(self.slides, start=1):
            if number == 1:
                continue
            left = (MARGIN, y, self.width - 2 * MARGIN - number_width, h)
            self.textbox(slide, left, [self.fitted(self.deck.footer, left, "body", (10,), "muted")])
            right = (self.width - MARGIN - number_width, y, number_width, h)
            self.textbox(slide, right, [self.text(f"{number} / {total}", "body", 10, "muted", align="r")])

    def build(self) -> None:
        self.cover()
        for spec in joined(self, self.deck.slides):
            if spec.chart is not None:
                lay_out_chart(self, spec)
            elif spec.table is not None:
                table_slides(self, spec)
            else:
                self.list_slides(spec)
        self.footers()


def lay_out(prs: Any, deck: Deck, book: FontBook, logo: bytes | None) -> list[str]:
    """Add the deck's slides to ``prs``; returns warnings about text cut to fit."""
    layout = Layout(prs, deck, book)
    layout.logo_data = logo
    layout.build()
    return layout.warnings
