"""The built-in output formats, registered on import.

Importing this package fills ``registry.FORMATS``; each module is one format.
The import order is the registration order, which is the order of download
links on the web pages and the index: PDF, Markdown, then the web pages.
"""

# isort: skip_file
from __future__ import annotations

from . import pdf
from . import markdown
from . import html
from . import docx
from . import pptx

__all__ = ["docx", "html", "markdown", "pdf", "pptx"]
