"""Blocks (``docx_model``) written into a python-docx document: runs, links, bookmarks, lists, tables, fields.

Everything here is WordprocessingML that python-docx has no call for: internal hyperlinks to bookmarks,
external ones through relationships, simple fields (PAGE, NUMPAGES, TITLE) with their shown result, a
table-of-contents field shown as the headings it will list until Word fills it, and a numbered list
that restarts at 1 for each list of the brief.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from .docx_model import Block, Cell, Contents, PageBreak, Para, Picture, Span, Spans, Table, plain_text
from .docx_styles import W_NS, hex_colour

_W = f"{{{W_NS}}}"
RT_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
TOC_HEADINGS = {"Heading 1": 1, "Heading 2": 2, "Heading 3": 3}
TALLEST_PICTURE = 0.6  # of the page's text height: a full-width picture is never taller
# What may follow a paragraph's borders in its properties, in the schema's order.
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(_W + name, value)
    return element


class Writer:
    """Writes blocks at the end of a document's body (or into a header, footer or table cell)."""

    def __init__(self, document: Any):
        self.document = document
        self._bookmarks = 0
        self._lists: dict[int, int] = {}  # a block's list number -> the Word numbering instance
        self._page_break = False

    # -- runs ------------------------------------------------------------------------------------

    def _run(self, paragraph: Any, span: Span) -> Any:
        from docx.text.run import Run

        run = Run(_element("w:r"), paragraph)
        if span.style:
            run.style = span.style
        elif span.code:
            run.style = "Verbatim Char"
        elif span.link:  # an address outside the document looks like one
            run.style = "Hyperlink"
        if span.bold:
            run.bold = True
        if span.italic:
            run.italic = True
        if span.strike:
            run.font.strike = True
        if span.script == "superscript":
            run.font.superscript = True
        elif span.script == "subscript":
            run.font.subscript = True
        if span.colour:
            from docx.shared import RGBColor

            run.font.color.rgb = RGBColor.from_string(hex_colour(span.colour))
        if span.shade:
            rpr = run._r.get_or_add_rPr()
            rpr.insert_element_before(_element("w:shd", val="clear", color="auto", fill=hex_colour(span.shade)),
                                      "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                                      "w:eastAsianLayout", "w:specVanish", "w:oMath")
        if span.line_break:
            run.add_break()
        elif span.tab:
            run.add_tab()
        elif span.text:
            run.text = span.text
        return run._r

    def add_spans(self, paragraph: Any, spans: Spans) -> None:
        """Append ``spans`` to a python-docx paragraph: links as ``w:hyperlink``, fields as ``w:fldSimple``."""
        part = paragraph.part
        for span in spans:
            run = self._run(paragraph, span)
            if span.field:
                holder = _element("w:fldSimple", instr=f" {span.field} ")
            elif span.anchor:
                holder = _element("w:hyperlink", anchor=span.anchor, history="1")
            elif span.link:
                holder = _element("w:hyperlink", history="1")
                holder.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
                           part.relate_to(span.link, RT_HYPERLINK, is_external=True))
            else:
                paragraph._p.append(run)
                continue
            holder.append(run)
            paragraph._p.append(holder)

    def bookmark(self, paragraph: Any, name: str) -> None:
        """Mark the whole paragraph as the bookmark ``name`` (a target of internal links and of the TOC)."""
        start = _element("w:bookmarkStart", id=str(self._bookmarks), name=name)
        end = _element("w:bookmarkEnd", id=str(self._bookmarks))
        self._bookmarks += 1
        p = paragraph._p
        p.insert(1 if p.pPr is not None else 0, start)
        p.append(end)

    # -- blocks ----------------------------------------------------------------------------------

    def write(self, blocks: Sequence[Block], container: Any = None) -> None:
        container = container if container is not None else self.document
        blocks = self._toc_bookmarks(blocks)
        for block in blocks:
            if isinstance(block, Para):
                self.paragraph(container, block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Contents):
                self.contents(block, [b for b in blocks if isinstance(b, Para) and b.style in TOC_HEADINGS])
            elif isinstance(block, PageBreak):
                self._page_break = True

    @staticmethod
    def _toc_bookmarks(blocks: Sequence[Block]) -> list[Block]:
        """Headings without a bookmark get a hidden one (``_Toc…``), for the contents' links."""
        from dataclasses import replace

        if not any(isinstance(block, Contents) for block in blocks):
            return list(blocks)
        return [replace(block, bookmark=f"_Toc{index:05d}") if isinstance(block, Para)
                and block.style in TOC_HEADINGS and not block.bookmark else block
                for index, block in enumerate(blocks)]

    def paragraph(self, container: Any, block: Para) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        paragraph = container.add_paragraph(style=block.style)
        if block.picture is not None:
            self.picture(paragraph, block.picture)
        self.add_spans(paragraph, block.spans)
        fmt = paragraph.paragraph_format
        if block.align:
            fmt.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                             "right": WD_ALIGN_PARAGRAPH.RIGHT}[block.align]
        if block.space_before is not None:
            fmt.space_before = Pt(block.space_before)
        if block.indent is not None:
            fmt.left_indent = Pt(block.indent)
        if block.keep_next:
            fmt.keep_with_next = True
        if block.rule_above:
            self._rule_above(paragraph, block.rule_above)
        if self._page_break and container is self.document:
            fmt.page_break_before = True
            self._page_break = False
        if block.numbering:
            self._number(paragraph, block)
        if block.bookmark:
            self.bookmark(paragraph, block.bookmark)
        return paragraph

    @staticmethod
    def _rule_above(paragraph: Any, colour: str) -> None:
        borders = _element("w:pBdr")
        borders.append(_element("w:top", val="single", sz="36", space="14", color=hex_colour(colour)))
        paragraph._p.get_or_add_pPr().insert_element_before(borders, *PPR_AFTER_BORDER)

    def _number(self, paragraph: Any, block: Para) -> None:
        """Give the paragraph its list's numbering instance: one per list, so each list starts at 1."""
        numbering = self.document.part.numbering_part.element
        if block.numbering not in self._lists:
            style_num = _style_num_id(self.document, block.style)
            if style_num is None:
                return
            abstract = numbering.num_having_numId(style_num).abstractNumId.val
            num = numbering.add_num(abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            self._lists[block.numbering] = num.numId
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = self._lists[block.numbering]

    def table(self, block: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Emu

        rows = ([block.header] if block.header else []) + list(block.rows)
        columns = len(block.widths)
        table = self.document.add_table(rows=len(rows), cols=columns, style=block.style)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        width = _text_width(self.document)
        widths = [Emu(width * share // sum(block.widths)) for share in block.widths]
        for column, column_width in zip(table.columns, widths, strict=True):
            column.width = column_width
        aligns = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
        for row_index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
            row._tr.get_or_add_trPr().append(_element("w:cantSplit"))
            if block.header and row_index == 0:
                row._tr.get_or_add_trPr().append(_element("w:tblHeader"))
            for column, (cell, content) in enumerate(zip(row.cells, cells, strict=True)):
                cell.width = widths[column]
                self._cell(cell, content, aligns.get(block.align[column] if block.align else ""))
        tbl_pr = table._tbl.tblPr
        for old in tbl_pr.findall(_W + "tblW"):
            tbl_pr.remove(old)
        tbl_w = _element("w:tblW", w=str(round(width / 635)), type="dxa")
        style = tbl_pr.find(_W + "tblStyle")
        tbl_pr.insert(list(tbl_pr).index(style) + 1 if style is not None else 0, tbl_w)
        if block.caption:  # the table's alternative text: last in its properties, as the schema orders them
            tbl_pr.append(_element("w:tblCaption", val=block.caption))
        if not block.header:  # no header row: the style's first-row look must not apply
            look = tbl_pr.find(_W + "tblLook")
            if look is not None:
                look.set(_W + "firstRow", "0")
                look.set(_W + "val", "0000")

    def _cell(self, cell: Any, content: Cell, align: Any) -> None:
        first = cell.paragraphs[0]
        for index, para in enumerate(content.paras):
            paragraph = first if index == 0 else cell.add_paragraph()
            paragraph.style = para.style
            if para.picture is not None:
                self.picture(paragraph, para.picture)
            self.add_spans(paragraph, para.spans)
            if align is not None:
                paragraph.paragraph_format.alignment = align
            if para.keep_next:  # in a table's last row: the table stays with what follows it
                paragraph.paragraph_format.keep_with_next = True

    def picture(self, paragraph: Any, picture: Picture) -> None:
        from docx.shared import Emu, Mm

        if picture.full_width:  # as wide as the text of this document's page (a reference's may differ) ...
            from docx.image.image import Image

            image = Image.from_blob(picture.data)
            width, section = _text_width(self.document), self.document.sections[-1]
            # ... unless that is too tall to share a page with its caption: a tall chart of many bars
            tallest = int((section.page_height - section.top_margin - section.bottom_margin) * TALLEST_PICTURE)
            if width * image.px_height > tallest * image.px_width:
                width = tallest * image.px_width // image.px_height
            paragraph.add_run().add_picture(io.BytesIO(picture.data), width=Emu(width))
        else:
            paragraph.add_run().add_picture(io.BytesIO(picture.data), height=Mm(picture.height_mm))
        for inline in paragraph._p.xpath(".//wp:inline"):  # no wrap distance: LibreOffice's default shifts it
            for side in ("distT", "distB", "distL", "distR"):
                inline.set(side, "0")
        for doc_pr in paragraph._p.xpath(".//wp:docPr"):
            doc_pr.set("descr", picture.alt)
            if picture.title:
                doc_pr.set("title", picture.title)

    def contents(self, block: Contents, headings: list[Para]) -> None:
        """The TOC field; its shown result lists the headings (linked), until Word fills in page numbers."""
        wanted = int(block.levels.split("-")[-1])
        entries = [h for h in headings if TOC_HEADINGS[h.style] <= min(wanted, 2)]
        begin = [_fld_char("begin", dirty=True), _instr(f' TOC \\o "{block.levels}" \\h \\z \\u '),
                 _fld_char("separate")]
        if not entries:
            entries = [Para("Heading 1")]
        for index, heading in enumerate(entries):
            paragraph = self.document.add_paragraph(style=f"toc {TOC_HEADINGS[heading.style]}")
            if index == 0:
                for run in begin:
                    paragraph._p.append(run)
            self.add_spans(paragraph, (Span(plain_text(heading.spans), anchor=heading.bookmark),))
            if index == len(entries) - 1:
                paragraph._p.append(_fld_char("end"))


def _fld_char(kind: str, dirty: bool = False) -> Any:
    run = _element("w:r")
    char = _element("w:fldChar", fldCharType=kind)
    if dirty:
        char.set(_W + "dirty", "true")
    run.append(char)
    return run


def _instr(text: str) -> Any:
    run = _element("w:r")
    instr = _element("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = text
    run.append(instr)
    return run


def _style_num_id(document: Any, style_name: str) -> int | None:
    """The numbering instance a paragraph style names (through its base styles)."""
    style = document.styles[style_name]
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            return int(ppr.numPr.numId.val)
        style = style.base_style
    return None


def _text_width(document: Any) -> int:
    section = document.sections[-1]
    return int(section.page_width - section.left_margin - section.right_margin)


def set_update_fields(document: Any) -> None:
    """Ask Word to update fields on opening (it fills the table of contents and its page numbers)."""
    settings = document.settings.element
    if settings.find(_W + "updateFields") is not None:
        return
    element = _element("w:updateFields", val="true")
    later = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
             "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
             "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
             "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
    for child in settings:
        if child.tag.startswith(_W) and child.tag[len(_W):] in later:
            child.addprevious(element)
            return
    settings.append(element)
