"""What Word and PowerPoint outputs share: reproducible packages and document properties.

An Office file is a zip of XML parts. python-docx and python-pptx write each entry with the clock's
time and in the order parts were touched, so the same brief would give different bytes on every build.
``reproducible_package`` re-zips a package with one fixed entry time and a fixed order
(``[Content_Types].xml`` first, as readers expect, then the package relationships, then every part by
name), and ``set_core_properties`` fills the document properties from the view, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..select import BriefView

# The earliest time a zip entry can hold: entry times carry no information about the build.
ZIP_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name) if name in _FIRST else len(_FIRST), name)


def reproducible_package(data: bytes) -> bytes:
    """``data`` (a zip package) with fixed entry times, a fixed entry order and fixed compression."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist() if not info.is_dir()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name in sorted(entries, key=_order):
            info = zipfile.ZipInfo(name, date_time=ZIP_ENTRY_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0  # the same bytes whichever system builds it
            package.writestr(info, entries[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def document_time(view: BriefView) -> dt.datetime:
    """The document's created/modified time: ``SOURCE_DATE_EPOCH`` when set, else the brief's date."""
    stamp = view.modified
    if "T" in stamp:
        return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    return dt.datetime.combine(view.date, dt.time())


def set_core_properties(properties: Any, view: BriefView, *, subject: str) -> None:
    """Title, author, subject, keywords, language and dates of a python-docx / python-pptx document."""
    when = document_time(view)
    properties.title = view.title
    properties.subject = subject
    properties.author = view.author or view.organisation or ""
    properties.last_modified_by = view.author or view.organisation or ""
    properties.keywords = ", ".join(view.keywords)
    properties.language = view.target.language
    properties.category = view.classification or ""
    properties.comments = ""
    properties.created = when
    properties.modified = when
    properties.last_printed = when
    properties.revision = 1


APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           "<Application>briefing</Application><DocSecurity>0</DocSecurity>{company}</Properties>")
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def set_app_properties(package: Any, company: str | None) -> None:
    """Replace the template's ``docProps/app.xml`` (its application, page and word counts, template name)
    with what is true of the generated file: made by briefing, for ``company``."""
    from xml.sax.saxutils import escape

    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            shown = f"<Company>{escape(company)}</Company>" if company else ""
            part._blob = APP_XML.format(company=shown).encode("utf-8")


def drop_thumbnail(package: Any) -> None:
    """Drop the template's preview picture: it shows the template, not the generated document."""
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == THUMBNAIL:
            package.rels.pop(rel_id)
