"""The Word document's styles, list numbering and page setup, built from the brand.

Built-in styles carry what they mean (Title, Subtitle, Heading 1-3, List Bullet, List Number, Quote,
Caption, TOC Heading, toc 1-3, Header, Footer, Bibliography, Hyperlink); a few custom ones name what
Word has no style for (the cover's kicker and classification, a theme's takeaway, the figures table,
citation marks).  Headings take the brand's heading font and primary colour; body text its body font
and ink.  A project's ``reference.docx`` keeps its own styles: only the styles it lacks are added.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import quoteattr

from ..brand import Brand

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GENERIC_FONTS = {"serif": "Times New Roman", "sans-serif": "Arial", "monospace": "Courier New"}
CODE_FONT = "Courier New"
# Page sizes and margins in twentieths of a point.
PAPER = {"A4": (11906, 16838), "Letter": (12240, 15840), "A5": (8391, 11906), "Legal": (12240, 20160)}
MARGIN = 1247  # 2.2 cm
HEADER_DISTANCE = 624  # 1.1 cm
LIST_INDENT = 397  # 0.7 cm: room for a two-digit number


def hex_colour(colour: str) -> str:
    digits = colour.lstrip("#")
    return ("".join(c * 2 for c in digits) if len(digits) == 3 else digits).upper()


def word_font(family: str) -> str:
    return GENERIC_FONTS.get(family, family)


def _rpr(*, font: str = "", bold: bool = False, italic: bool = False, caps: bool = False, colour: str = "",
         spacing: int | None = None, size: float | None = None, underline: bool = False, script: str = "",
         lang: str = "") -> str:
    parts = []
    if font:
        name = quoteattr(font)
        parts.append(f"<w:rFonts w:ascii={name} w:hAnsi={name} w:eastAsia={name} w:cs={name}/>")
    parts += ["<w:b/><w:bCs/>"] if bold else []
    parts += ["<w:i/><w:iCs/>"] if italic else []
    parts += ["<w:caps/>"] if caps else []
    parts += [f'<w:color w:val="{hex_colour(colour)}"/>'] if colour else []
    parts += [f'<w:spacing w:val="{spacing}"/>'] if spacing is not None else []
    parts += [f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'] if size else []
    parts += ['<w:u w:val="single"/>'] if underline else []
    parts += [f'<w:vertAlign w:val="{script}"/>'] if script else []
    parts += [f'<w:lang w:val="{lang}"/>'] if lang else []
    return "".join(parts)


def _border(side: str, colour: str, size: int, space: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{hex_colour(colour)}"/>'


def _ppr(*, keep_next: bool = False, keep_lines: bool = False, num: int | None = None, border: str = "",
         tabs: str = "", before: float | None = None, after: float | None = None, line: float | None = None,
         left: int | None = None, hanging: int | None = None, jc: str = "", outline: int | None = None) -> str:
    parts = ["<w:keepNext/>"] if keep_next else []
    parts += ["<w:keepLines/>"] if keep_lines else []
    parts += [f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'] if num is not None else []
    parts += [f"<w:pBdr>{border}</w:pBdr>"] if border else []
    parts += [f"<w:tabs>{tabs}</w:tabs>"] if tabs else []
    spacing = ""
    if before is not None:
        spacing += f' w:before="{round(before * 20)}"'
    if after is not None:
        spacing += f' w:after="{round(after * 20)}"'
    if line is not None:
        spacing += f' w:line="{round(line * 240)}" w:lineRule="auto"'
    parts += [f"<w:spacing{spacing}/>"] if spacing else []
    if left is not None or hanging is not None:
        parts.append(f'<w:ind w:left="{left or 0}"' + (f' w:hanging="{hanging}"' if hanging else "") + "/>")
    parts += [f'<w:jc w:val="{jc}"/>'] if jc else []
    parts += [f'<w:outlineLvl w:val="{outline}"/>'] if outline is not None else []
    return "".join(parts)


def _style(kind: str, style_id: str, name: str, *, based: str = "", next_style: str = "", ppr: str = "",
           rpr: str = "", table: str = "", default: bool = False, custom: bool = False, priority: int | None = None,
           hidden: bool = False) -> str:
    attrs = f'w:type="{kind}" w:styleId="{style_id}"' + (' w:default="1"' if default else "")
    attrs += ' w:customStyle="1"' if custom else ""
    parts = [f"<w:name w:val={quoteattr(name)}/>"]
    parts += [f'<w:basedOn w:val="{based}"/>'] if based else []
    parts += [f'<w:next w:val="{next_style}"/>'] if next_style else []
    parts += [f'<w:uiPriority w:val="{priority}"/>'] if priority is not None else []
    parts += ["<w:semiHidden/><w:unhideWhenUsed/>"] if hidden else ["<w:qFormat/>"]
    parts += [f"<w:pPr>{ppr}</w:pPr>"] if ppr else []
    parts += [f"<w:rPr>{rpr}</w:rPr>"] if rpr else []
    parts += [table] if table else []
    return f"<w:style {attrs}>{''.join(parts)}</w:style>"


def text_width(paper: str) -> int:
    return PAPER.get(paper, PAPER["A4"])[0] - 2 * MARGIN


def word_language(language: str) -> str:
    """A language tag as Word's proofing tools want it, with a region: 'en' -> 'en-US', 'fr' -> 'fr-FR'."""
    if "-" in language:
        return language
    from babel.core import get_global

    region = str(get_global("likely_subtags").get(language.lower(), "")).split("_")[-1]
    return f"{language}-{region}" if len(region) == 2 and region.isupper() else language


def doc_defaults(brand: Brand, language: str) -> str:
    colours = brand.colours
    rpr = _rpr(font=word_font(brand.fonts.body.family), colour=colours.ink, size=10.5, lang=word_language(language))
    return (f"<w:docDefaults><w:rPrDefault><w:rPr>{rpr}</w:rPr></w:rPrDefault>"
            f"<w:pPrDefault><w:pPr>{_ppr(after=6, line=1.2)}</w:pPr></w:pPrDefault></w:docDefaults>")


def style_definitions(brand: Brand, width: int) -> dict[str, str]:
    """Every style the document uses, by name, as ``w:style`` XML."""
    c = brand.colours
    body, heading = word_font(brand.fonts.body.family), word_font(brand.fonts.heading.family)
    right_tab = f'<w:tab w:val="right" w:leader="dot" w:pos="{width}"/>'
    quote_border = _border("left", c.accent, 18, 10)
    table = ('<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
             '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
             "</w:tblCellMar></w:tblPr>")
    figures_table = (
        f'<w:pPr>{_ppr(before=3, after=3, line=1.1)}</w:pPr><w:rPr>{_rpr(size=9.5)}</w:rPr>'
        f'<w:tblPr><w:tblBorders>{_border("bottom", c.primary, 8, 0)}{_border("insideH", c.rule, 4, 0)}'
        '</w:tblBorders><w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:pPr><w:keepNext/></w:pPr>'
        f"<w:rPr>{_rpr(bold=True, caps=True, colour=c.muted, spacing=10, size=8)}</w:rPr>"
        f'<w:tcPr><w:tcBorders>{_border("bottom", c.primary, 12, 0)}</w:tcBorders></w:tcPr></w:tblStylePr>')
    styles = {
        "Normal": _style("paragraph", "Normal", "Normal", default=True, priority=0),
        "Default Paragraph Font": _style("character", "DefaultParagraphFont", "Default Paragraph Font",
                                         default=True, priority=1, hidden=True),
        "Normal Table": _style("table", "TableNormal", "Normal Table", default=True, priority=99, hidden=True,
                               table=table),
        "No List": _style("numbering", "NoList", "No List", default=True, priority=99, hidden=True),
        "Title": _style("paragraph", "Title", "Title", based="Normal", next_style="Subtitle", priority=10,
                        ppr=_ppr(keep_next=True, before=0, after=10, line=1.0),
                        rpr=_rpr(font=heading, bold=True, colour=c.primary, size=30)),
        "Subtitle": _style("paragraph", "Subtitle", "Subtitle", based="Normal", next_style="Normal", priority=11,
                           ppr=_ppr(after=18, line=1.15), rpr=_rpr(font=body, colour=c.muted, size=14)),
        "Heading 1": _style("paragraph", "Heading1", "heading 1", based="Normal", next_style="Normal", priority=9,
                            ppr=_ppr(keep_next=True, keep_lines=True, before=22, after=8, line=1.05, outline=0,
                                     border=_border("bottom", c.rule, 4, 3)),
                            rpr=_rpr(font=heading, bold=True, colour=c.primary, size=17)),
        "Heading 2": _style("paragraph", "Heading2", "heading 2", based="Normal", next_style="Normal", priority=9,
                            ppr=_ppr(keep_next=True, keep_lines=True, before=14, after=4, line=1.05, outline=1),
                            rpr=_rpr(font=heading, bold=True, colour=c.primary, size=12.5)),
        "Heading 3": _style("paragraph", "Heading3", "heading 3", based="Normal", next_style="Normal", priority=9,
                            ppr=_ppr(keep_next=True, keep_lines=True, before=10, after=3, outline=2),
                            rpr=_rpr(font=heading, bold=True, italic=True, colour=c.primary, size=11)),
        "TOC Heading": _style("paragraph", "TOCHeading", "TOC Heading", based="Heading1", next_style="Normal",
                              priority=39, ppr=_ppr(outline=9)),
        "toc 1": _style("paragraph", "TOC1", "toc 1", based="Normal", next_style="Normal", priority=39,
                        ppr=_ppr(tabs=right_tab, before=4, after=2), rpr=_rpr(bold=True)),
        "toc 2": _style("paragraph", "TOC2", "toc 2", based="Normal", next_style="Normal", priority=39,
                        ppr=_ppr(tabs=right_tab, after=1, left=283), rpr=_rpr(size=9.5, colour=c.muted)),
        "toc 3": _style("paragraph", "TOC3", "toc 3", based="Normal", next_style="Normal", priority=39,
                        ppr=_ppr(tabs=right_tab, after=1, left=567), rpr=_rpr(size=9.5, colour=c.muted)),
        "List Bullet": _style("paragraph", "ListBullet", "List Bullet", based="Normal", priority=99,
                              ppr=_ppr(num=1, after=3, left=LIST_INDENT, hanging=LIST_INDENT)),
        "List Bullet 2": _style("paragraph", "ListBullet2", "List Bullet 2", based="Normal", priority=99,
                                ppr=_ppr(num=2, after=3, left=2 * LIST_INDENT, hanging=LIST_INDENT)),
        "List Number": _style("paragraph", "ListNumber", "List Number", based="Normal", priority=99,
                              ppr=_ppr(num=3, after=3, left=LIST_INDENT, hanging=LIST_INDENT)),
        "List Number 2": _style("paragraph", "ListNumber2", "List Number 2", based="Normal", priority=99,
                                ppr=_ppr(num=4, after=3, left=2 * LIST_INDENT, hanging=LIST_INDENT)),
        "Quote": _style("paragraph", "Quote", "Quote", based="Normal", next_style="Normal", priority=29,
                        ppr=_ppr(border=quote_border, before=8, after=2, line=1.15, left=300),
                        rpr=_rpr(font=heading, italic=True, colour=c.primary, size=11.5)),
        "Caption": _style("paragraph", "Caption", "caption", based="Normal", next_style="Normal", priority=35,
                          ppr=_ppr(after=8, line=1.1, left=520), rpr=_rpr(colour=c.muted, size=9)),
        "Header": _style("paragraph", "Header", "header", based="Normal", priority=99, hidden=True,
                         ppr=_ppr(tabs=f'<w:tab w:val="right" w:pos="{width}"/>', after=0),
                         rpr=_rpr(colour=c.muted, size=8.5)),
        "Footer": _style("paragraph", "Footer", "footer", based="Normal", priority=99, hidden=True,
                         ppr=_ppr(tabs=f'<w:tab w:val="right" w:pos="{width}"/>', after=0, jc="right"),
                         rpr=_rpr(colour=c.muted, size=8.5)),
        "Bibliography": _style("paragraph", "Bibliography", "Bibliography", based="Normal", next_style="Normal",
                               priority=37, ppr=_ppr(after=5, left=567, hanging=567, line=1.15),
                               rpr=_rpr(size=9.5)),
        "Hyperlink": _style("character", "Hyperlink", "Hyperlink", based="DefaultParagraphFont", priority=99,
                            rpr=_rpr(colour=c.primary, underline=True)),
        "Citation": _style("character", "Citation", "Citation", based="DefaultParagraphFont", custom=True,
                           rpr=_rpr(colour=c.primary, script="superscript")),
        "Verbatim Char": _style("character", "VerbatimChar", "Verbatim Char", based="DefaultParagraphFont",
                                custom=True, rpr=_rpr(font=CODE_FONT, size=9.5)),
        "Kicker": _style("paragraph", "Kicker", "Kicker", based="Normal", next_style="Title", custom=True,
                         ppr=_ppr(keep_next=True, after=6), rpr=_rpr(bold=True, caps=True, colour=c.accent,
                                                                      spacing=20, size=9)),
        "Classification": _style("paragraph", "Classification", "Classification", based="Normal", custom=True,
                                 ppr=_ppr(jc="right", after=0), rpr=_rpr(bold=True, caps=True, colour=c.marking,
                                                                         spacing=20, size=8.5)),
        "Meta Label": _style("paragraph", "MetaLabel", "Meta Label", based="Normal", next_style="Meta", custom=True,
                             ppr=_ppr(keep_next=True, before=6, after=0),
                             rpr=_rpr(bold=True, caps=True, colour=c.muted, spacing=10, size=7.5)),
        "Meta": _style("paragraph", "Meta", "Meta", based="Normal", custom=True, ppr=_ppr(after=4),
                       rpr=_rpr(size=9.5)),
        "Takeaway": _style("paragraph", "Takeaway", "Takeaway", based="Normal", next_style="Normal", custom=True,
                           ppr=_ppr(border=_border("left", c.accent, 24, 8), before=2, after=10, left=170,
                                    line=1.15),
                           rpr=_rpr(bold=True, size=11.5)),
        "Figures Table": _style("table", "FiguresTable", "Figures Table", based="TableNormal", custom=True,
                                priority=59, table=figures_table),
    }
    return styles


# The list styles' numbering: bullets, dashes, and decimal numbers, at two indents.
LIST_KINDS = {"List Bullet": ("bullet", "•", LIST_INDENT), "List Bullet 2": ("bullet", "–", 2 * LIST_INDENT),
              "List Number": ("decimal", "%1.", LIST_INDENT), "List Number 2": ("decimal", "%1.", 2 * LIST_INDENT)}


def abstract_num_xml(abstract_id: int, style: str) -> str:
    fmt, text, left = LIST_KINDS[style]
    return (f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="{LIST_INDENT}"/></w:pPr>'
            "</w:lvl></w:abstractNum>")


def numbering_xml() -> str:
    """List definitions for the list styles, numbered 1-4 in ``LIST_KINDS`` order (the styles name them)."""
    abstract = "".join(abstract_num_xml(index, style) for index, style in enumerate(LIST_KINDS))
    nums = "".join(f'<w:num w:numId="{index + 1}"><w:abstractNumId w:val="{index}"/></w:num>'
                   for index in range(len(LIST_KINDS)))
    return abstract + nums


def add_list_numbering(document: Any, style: str) -> int:
    """A new list definition for a list style (in a reference document whose style has none); its numId."""
    numbering = document.part.numbering_part.element
    used = [int(value) for value in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    abstract_id = max(used, default=-1) + 1
    element = _parse(abstract_num_xml(abstract_id, style))[0]
    nums = numbering.findall(f"{{{W_NS}}}num")
    if nums:
        nums[0].addprevious(element)
    else:
        numbering.append(element)
    return int(numbering.add_num(abstract_id).numId)


def _parse(xml: str) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(f'<w:root xmlns:w="{W_NS}">{xml}</w:root>')


def install_styles(document: Any, brand: Brand, language: str, paper: str) -> None:
    """Replace the base document's styles and list numbering with the brief's own."""
    styles = document.styles.element
    for child in list(styles):
        styles.remove(child)
    for child in _parse(doc_defaults(brand, language) + "".join(style_definitions(brand, text_width(paper)).values())):
        styles.append(child)
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in _parse(numbering_xml()):
        numbering.append(child)


def add_missing_styles(document: Any, brand: Brand, width: int) -> list[str]:
    """Add the styles a reference document lacks (its own styles win), and numbering to list styles that
    have none; returns the names of the styles added."""
    styles = document.styles
    definitions = style_definitions(brand, width)
    ids = {style.style_id for style in styles}
    own_ids = {_parse(xml)[0].get(f"{{{W_NS}}}styleId"): name for name, xml in definitions.items()}
    added = []
    for name, xml in definitions.items():
        if name in styles:
            continue
        element = _parse(xml)[0]
        style_id = element.get(f"{{{W_NS}}}styleId")
        if style_id in ids:  # the reference gives the id to a style of another name
            element.set(f"{{{W_NS}}}styleId", style_id + "Brief")
        for link in element.xpath("./w:basedOn | ./w:next"):  # point at the reference's own style ids
            linked = own_ids.get(link.get(f"{{{W_NS}}}val"))
            if linked is not None and linked in styles:
                link.set(f"{{{W_NS}}}val", styles[linked].style_id)
        styles.element.append(element)
        ids.add(element.get(f"{{{W_NS}}}styleId"))
        added.append(name)
        if name in LIST_KINDS:
            num = element.xpath("./w:pPr/w:numPr/w:numId")
            if num:
                num[0].set(f"{{{W_NS}}}val", str(add_list_numbering(document, name)))
    for name in LIST_KINDS:
        style = styles[name]
        ppr = style.element.get_or_add_pPr()
        if not _has_numbering(style):
            num_pr = ppr.get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = add_list_numbering(document, name)
    return added


def _has_numbering(style: Any) -> bool:
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            return True
        style = style.base_style
    return False


FONT_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"


def font_kind(family: str) -> str:
    """Word's font family class of a family name, for substitution where the font is not installed."""
    lowered = family.lower()
    if "mono" in lowered or "code" in lowered or "courier" in lowered:
        return "modern"
    return "roman" if "serif" in lowered and "sans" not in lowered or "times" in lowered else "swiss"


def declare_fonts(document: Any, brand: Brand) -> None:
    """List the brand's fonts in the font table with their kind (serif or sans serif), so a reader without
    them gets a font of the same kind instead of the default one."""
    from lxml import etree

    for rel in document.part.rels.values():
        if rel.reltype != FONT_TABLE or rel.is_external:
            continue
        part = rel.target_part
        root = etree.fromstring(part.blob)
        known = {font.get(f"{{{W_NS}}}name") for font in root.findall(f"{{{W_NS}}}font")}
        for family in dict.fromkeys(word_font(f.family) for f in (brand.fonts.heading, brand.fonts.body)):
            if family in known:
                continue
            font = etree.SubElement(root, f"{{{W_NS}}}font", {f"{{{W_NS}}}name": family})
            etree.SubElement(font, f"{{{W_NS}}}family", {f"{{{W_NS}}}val": font_kind(family)})
            etree.SubElement(font, f"{{{W_NS}}}pitch", {f"{{{W_NS}}}val": "variable"})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_page(section: Any, paper: str) -> None:
    from docx.shared import Twips

    width, height = PAPER.get(paper, PAPER["A4"])
    section.page_width, section.page_height = Twips(width), Twips(height)
    section.left_margin = section.right_margin = Twips(MARGIN)
    section.top_margin = section.bottom_margin = Twips(MARGIN)
    section.header_distance = section.footer_distance = Twips(HEADER_DISTANCE)
