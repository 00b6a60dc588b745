"""The reader result shared by all formats, and the helpers they share."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

MAX_FILE_BYTES = int(float(os.environ.get("GONGKAI_MAX_FILE_MB", "50")) * 2**20)
MAX_PDF_PAGES = int(os.environ.get("GONGKAI_MAX_PDF_PAGES", "200"))
# the sample reports have under 10,000 characters each; a million is ~3,500 chunks, minutes of embedding —
# a text far beyond that is not one report, and would keep `ingest` busy for hours
MAX_TEXT_CHARS = int(os.environ.get("GONGKAI_MAX_TEXT_CHARS", "1000000"))
MAX_COLSPAN = 1000  # a table cell spans at most this many columns (HTML's limit; browsers clamp larger values)


@dataclass
class Document:
    """Plain text of a report with tables rendered as tab-separated lines; page_starts for PDFs."""

    path: str
    fmt: str
    text: str
    page_starts: list[int] = field(default_factory=list)
    encoding: str = "utf-8"


def cell_text(s: str | None) -> str:
    """Return a table cell's text on one line (line breaks inside a cell removed, tabs made spaces)."""
    if not s:
        return ""
    s = s.replace("\t", " ")
    s = re.sub(r"\s*\n\s*", "", s)
    return s.strip()


def grid_lines(rows: list[list[str | None]]) -> list[str]:
    """Render table rows as tab-separated lines (one line per row that has any text)."""
    out = []
    for row in rows:
        cells = [cell_text(c) for c in row]
        if any(cells):
            out.append("\t".join(cells))
    return out
