"""The deck's base presentation and how text is written into it.

The base is the project's ``templates/<audience>/reference.pptx`` or ``templates/reference.pptx`` (read
through the containment rule by the format) when there is one, else python-pptx's default template
widened to 16:9.  Its slides are removed; its master and layouts stay, and slides are made from its
layouts found by name ('Title Slide', 'Title and Content', 'Title Only'), or by their usual position
when a reference renames them.  ``builtin_reference()`` gives the built-in base as a file to start a
reference from (change its master's background, colours or decorations, keep the layouts).

Every paragraph is written with everything its measure depends on set explicitly (size, family,
weight, exact line pitch, space before, left margin, insets, no autofit), so what the layout measured
is what a viewer shows, whatever the reference's master says.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from .pptx_fit import EMU_PER_PT, MONOSPACE, Para, printable

SLIDE_WIDTH, SLIDE_HEIGHT = 12192000, 6858000  # 13.333 x 7.5 inches: 16:9
# Layouts by name, and where a reference that renames them usually has them.
LAYOUTS = {"title": ("Title Slide", 0), "content": ("Title and Content", 1), "title_only": ("Title Only", 5)}
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_BULLETS = ("buNone", "buAutoNum", "buChar", "buBlip", "buFont", "buFontTx", "buClr", "buClrTx", "buSzTx",
            "buSzPct", "buSzPts")


def builtin_base() -> Any:
    """python-pptx's default presentation at 16:9, its master's and layouts' shapes widened to match."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    ratio = SLIDE_WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
    for owner in [prs.slide_master, *prs.slide_layouts]:
        for shape in owner.shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = round(shape.left * ratio), round(shape.width * ratio)
    return prs


def builtin_reference() -> bytes:
    """The built-in base as a .pptx file: a starting point for a project's ``templates/reference.pptx``."""
    from .ooxml import reproducible_package

    out = io.BytesIO()
    builtin_base().save(out)
    return reproducible_package(out.getvalue())


def open_base(reference: bytes | None) -> Any:
    """The presentation the deck is built on, with no slides."""
    if reference is None:
        return builtin_base()
    from pptx import Presentation

    prs = Presentation(io.BytesIO(reference))
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return prs


def layout(prs: Any, kind: str) -> Any:
    name, index = LAYOUTS[kind]
    layouts = list(prs.slide_layouts)
    found = next((item for item in layouts if item.name == name), None)
    return found if found is not None else layouts[min(index, len(layouts) - 1)]


def placeholder(slide: Any, kind: str) -> Any:
    """The slide's title ('title') or body ('body') placeholder, or None when its layout has none."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    wanted = {"title": (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE),
              "body": (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)}[kind]
    return next((shape for shape in slide.placeholders if shape.placeholder_format.type in wanted), None)


def drop_unused_placeholders(slide: Any, keep: Sequence[Any]) -> None:
    """Remove the layout's placeholders the slide does not fill (an empty one shows 'Click to add text')."""
    kept = {id(shape._element) for shape in keep if shape is not None}
    for shape in list(slide.placeholders):
        if id(shape._element) not in kept:
            shape._element.getparent().remove(shape._element)


def rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return RGBColor.from_string(digits.upper())


def place(shape: Any, box: Sequence[int]) -> None:
    shape.left, shape.top, shape.width, shape.height = (int(v) for v in box)


def fill(shape: Any, colour: str | None) -> None:
    """A shape filled with ``colour`` (None: no fill), with no outline and no shadow."""
    if colour is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False
    style = shape._element.find(f"{_P}style")
    if style is not None:  # the theme's line, fill and shadow for shapes: none of them wanted
        shape._element.remove(style)


def frame(text_frame: Any, insets: tuple[int, int, int, int] | None, anchor: str = "t") -> None:
    """Wrap to the box, never autofit, and (for shapes; cells set margins) these insets in EMU."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    text_frame.vertical_anchor = {"t": MSO_ANCHOR.TOP, "m": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}[anchor]
    if insets is not None:
        (text_frame.margin_left, text_frame.margin_top,
         text_frame.margin_right, text_frame.margin_bottom) = insets


def write(text_frame: Any, paras: Sequence[Para], colours: dict[str, str], language: str) -> None:
    """Replace the frame's text with ``paras``; a run's colour may name a brand colour ('muted')."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    text_frame.clear()
    aligns = {"l": PP_ALIGN.LEFT, "ctr": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}
    for index, para in enumerate(paras):
        p = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        for run in list(p.runs):
            p._p.remove(run._r)
        p.alignment = aligns[para.align]
        p.line_spacing = Pt(para.line)
        p.space_before = Pt(0 if index == 0 else para.before)
        p.space_after = Pt(0)
        ppr = p._p.get_or_add_pPr()
        margin = round(para.margin * EMU_PER_PT)
        ppr.set("marL", str(margin))
        ppr.set("indent", str(-margin if para.bullet else 0))
        for child in list(ppr):
            if child.tag.removeprefix(_A) in _BULLETS:
                ppr.remove(child)
        if para.bullet:
            colour = ppr.makeelement(f"{_A}buClr", {})
            colour.append(_srgb(ppr, colours.get("accent", para.colour)))
            ppr.append(colour)
            ppr.append(ppr.makeelement(f"{_A}buFont", {"typeface": "Arial"}))
            ppr.append(ppr.makeelement(f"{_A}buChar", {"char": para.bullet}))
        else:
            ppr.append(ppr.makeelement(f"{_A}buNone", {}))
        for item in para.runs:
            run = p.add_run()
            run.text = printable(item.text)
            font = run.font
            font.size = Pt(para.size)
            font.bold = item.bold or para.bold
            font.italic = item.italic
            font.name = MONOSPACE if item.code else item.family or para.family
            colour_name = item.colour or para.colour
            font.color.rgb = rgb(colours.get(colour_name, colour_name))
            run._r.get_or_add_rPr().set("lang", language)
            if item.link:
                run.hyperlink.address = item.link
        if not para.runs:
            end = p._p.get_or_add_endParaRPr()
            end.set("sz", str(round(para.size * 100)))


def _srgb(parent: Any, colour: str) -> Any:
    element = parent.makeelement(f"{_A}srgbClr", {"val": colour.lstrip("#").upper()})
    return element


def set_notes(slide: Any, text: str, language: str) -> None:
    if not text:
        return
    notes = slide.notes_slide.notes_text_frame
    notes.text = "\n".join(printable(line) for line in text.split("\n"))
    for paragraph in notes.paragraphs:
        for run in paragraph.runs:
            run._r.get_or_add_rPr().set("lang", language)


def send_to_back(slide: Any, shape: Any) -> None:
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after the group's own properties: drawn first
