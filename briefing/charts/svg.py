"""The engine's SVG, made fit for a page: only drawing elements and attributes, unique ids, an accessible name.

Chart labels are content (untrusted): the engine escapes them, and this module parses its output as
XML and keeps only an allow-list of drawing elements and presentation attributes, so whatever a label
holds can only ever be the text of a ``<text>`` element. Ids are prefixed with the chart's own id, so
two charts (or the light and dark drawing of one) on a page never share one. The root gets
``role="img"`` with a ``<title>`` and ``<desc>`` (the chart's title and takeaway) as its accessible name
and description; the marks inside are then presentation, which is what a screen reader wants from a
picture whose data sits in a table beside it.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
_ELEMENTS = {"svg", "g", "path", "rect", "line", "circle", "ellipse", "polyline", "polygon", "text", "tspan",
             "title", "desc", "defs", "clipPath"}
_ATTRIBUTES = {"d", "x", "y", "dx", "dy", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "points", "width",
               "height",
               "viewBox", "transform", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity",
               "stroke-miterlimit", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "opacity",
               "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
               "class", "id", "clip-path", "display", "version"}
_URL = re.compile(r"url\(#([\w.-]+)\)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@functools.lru_cache(maxsize=256)  # the same drawing is cleaned for every page that shows it
def clean_svg(svg: str, uid: str, title: str, description: str, *, sized: bool = False) -> str:
    """``svg`` with only allowed elements and attributes, ids prefixed by ``uid``, and an accessible name.
    ``sized`` keeps the drawing's own width and height (a file shown as an image, at its natural size);
    otherwise the page's stylesheet sizes it."""
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(svg)
    ids: dict[str, str] = {}
    for element in root.iter():
        # Numbered in document order: the engine's own ids come from a counter that runs on across the
        # drawings of a process, so the same chart would get other ids after other charts.
        if "id" in element.attrib and element.attrib["id"] not in ids:
            ids[element.attrib["id"]] = f"{uid}-{len(ids) + 1}"
    _clean(root, ids)
    if not sized:
        root.attrib.pop("width", None)
        root.attrib.pop("height", None)
    root.set("role", "img")
    root.set("aria-labelledby", f"{uid}-title {uid}-desc")
    root.set("focusable", "false")
    name = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{uid}-title"})
    name.text = title
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{uid}-desc"})
    desc.text = description
    root.insert(0, desc)
    root.insert(0, name)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _clean(element: ET.Element, ids: dict[str, str]) -> None:
    for child in list(element):
        if _local(child.tag) not in _ELEMENTS:
            element.remove(child)
            continue
        _clean(child, ids)
    for name in list(element.attrib):
        value = element.attrib[name]
        if name not in _ATTRIBUTES and name != "focusable":
            del element.attrib[name]
        elif name == "id":
            element.attrib[name] = ids.get(value, f"x-{value}")
        elif "url(" in value:
            if re.fullmatch(r"url\(#[\w.-]+\)", value) and _URL.sub(lambda m: m.group(1), value) in ids:
                element.attrib[name] = _URL.sub(lambda m: f"url(#{ids[m.group(1)]})", value)
            else:
                del element.attrib[name]
