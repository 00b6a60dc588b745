"""One small reader per input format; each returns a Document (text with page offsets)."""

from __future__ import annotations

from pathlib import Path

from gongkai.errors import ReportError, UnsupportedFormat
from index.readers.base import MAX_FILE_BYTES, MAX_TEXT_CHARS, Document

SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
            ".pdf": "pdf", ".docx": "docx", ".png": "image", ".jpg": "image", ".jpeg": "image"}


def read(path: str | Path) -> Document:
    """Read any supported file into a Document; raise ReportError naming the file and the fix."""
    p = Path(path)
    fmt = SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        raise UnsupportedFormat(str(p), f"unsupported file type '{p.suffix or '(none)'}'",
                                "convert it to PDF, DOCX, HTML, TXT, MD, or a PNG/JPEG page image")
    if not p.is_file():
        raise ReportError(str(p), "file not found", "check the path")
    size = p.stat().st_size
    if size == 0:
        raise ReportError(str(p), "the file is empty (0 bytes)", "export the report again")
    if size > MAX_FILE_BYTES:
        raise ReportError(str(p), f"file too large ({size // 2**20} MB > {MAX_FILE_BYTES // 2**20} MB)",
                          "split it or raise GONGKAI_MAX_FILE_MB")
    doc = _read(p, fmt)
    if len(doc.text) > MAX_TEXT_CHARS:
        raise ReportError(str(p), f"the text is {len(doc.text):,} characters (limit {MAX_TEXT_CHARS:,}); an annual "
                          "report has fewer than 100,000", "check the file, or raise GONGKAI_MAX_TEXT_CHARS")
    return doc


def _read(p: Path, fmt: str) -> Document:
    if fmt in ("txt", "md"):
        from index.readers.text import read_text
        return read_text(p, fmt)
    if fmt == "html":
        from index.readers.html import read_html
        return read_html(p)
    if fmt == "pdf":
        from index.readers.pdf import read_pdf
        return read_pdf(p)
    if fmt == "image":
        from index.readers.ocr import read_image
        return read_image(p)
    from index.readers.docx import read_docx
    return read_docx(p)
