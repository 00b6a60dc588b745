"""PDF with a text layer: page text around pdfplumber tables, tables as tab-separated lines.

A PDF without a text layer (scanned images), or whose text layer is garbage (private-use glyphs, unmapped
font codes, mojibake), is read with OCR (index/readers/ocr.py) — never parsed into garbage.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from gongkai.errors import ReportError
from index.readers.base import MAX_PDF_PAGES, Document, grid_lines


def _page_text(page) -> str:
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    parts: list[str] = []
    top = 0.0
    for t in tables:
        x0, t_top, x1, t_bottom = t.bbox
        if t_top > top + 1:
            parts.append(page.crop((0, top, page.width, t_top)).extract_text() or "")
        parts.append("\n".join(grid_lines(t.extract())))
        top = max(top, t_bottom)
    if top < page.height - 1:
        parts.append(page.crop((0, top, page.width, page.height)).extract_text() or "")
    return "\n".join(x for x in parts if x.strip())


MAX_STREAM_BYTES = 64 * 2**20  # one decoded stream; a report page's content is a few hundred KB


def _inflates_beyond(data: bytes, limit: int) -> bool:
    """Return True if zlib data decodes to more than `limit` bytes (decoded a MB at a time, never kept)."""
    d = zlib.decompressobj()
    n = 0
    try:
        while data:
            n += len(d.decompress(data, 1 << 20))
            if n > limit:
                return True
            data = d.unconsumed_tail
    except zlib.error:
        return False  # damaged or encrypted data: pdfminer deals with it
    return False


def _stream_bomb(doc) -> int | None:
    """Return the id of a top-level Flate stream that inflates beyond MAX_STREAM_BYTES, else None.

    pdfminer inflates a whole stream in memory: a 300 KB PDF can hold a stream of 300 MB of spaces (it
    peaked at 643 MB). Streams inside object streams are covered by checking the object stream itself."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    for xref in doc.xrefs:
        for objid in xref.get_objids():
            try:
                if xref.get_pos(objid)[0] is not None:  # inside an object stream
                    continue
                obj = doc.getobj(objid)
            except Exception:  # noqa: BLE001 — a broken object is for pdfminer to report, not this check
                continue
            if isinstance(obj, PDFStream):
                filters = [f for f, _ in obj.get_filters()]
                if filters and filters[0] in LITERALS_FLATE_DECODE and \
                        _inflates_beyond(obj.rawdata or b"", MAX_STREAM_BYTES):
                    return objid
    return None


def read_pdf(p: Path) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    try:
        try:
            pdf = pdfplumber.open(str(p))
        except Exception as e:  # pdfplumber wraps pdfminer's errors in PdfminerException(original)
            cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else None
            if cause is None:
                raise
            raise cause from None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReportError(str(p), "the PDF is encrypted", "ask the publisher for an unprotected copy") from None
    except (PDFSyntaxError, PSException):  # PSEOF: the file ends before its cross-reference table
        raise ReportError(str(p), "the PDF is damaged or truncated", "download the report again") from None
    except Exception as e:
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            raise ReportError(str(p), "the PDF is encrypted", "ask the publisher for an unprotected copy") from None
        raise ReportError(str(p), f"cannot open the PDF ({name})", "download the report again") from None
    with pdf:
        bomb = _stream_bomb(pdf.doc)
        if bomb is not None:
            raise ReportError(str(p), f"a stream of the PDF (object {bomb}) inflates to more than "
                              f"{MAX_STREAM_BYTES // 2**20} MB", "this looks like a decompression bomb; print the "
                              "report to a new PDF")
        n = len(pdf.pages)
        if n > MAX_PDF_PAGES:
            raise ReportError(str(p), f"the PDF has {n} pages (limit {MAX_PDF_PAGES}); an annual report has "
                              "fewer than 30", "check the file, or raise GONGKAI_MAX_PDF_PAGES")
        text_parts: list[str] = []
        starts: list[int] = []
        offset = 0
        chars = 0
        try:
            for page in pdf.pages:
                chars += len(page.chars)
                t = _page_text(page)
                page.close()  # drop the page's parsed objects: memory stays flat over hundreds of pages
                starts.append(offset)
                text_parts.append(t)
                offset += len(t) + 1
        except Exception as e:
            raise ReportError(str(p), f"the PDF is damaged ({type(e).__name__})", "download the report again") \
                from None
        scanned = chars < 50 * max(1, n) // 10 and chars < 200
    if scanned:
        from index.readers.ocr import read_scanned_pdf
        return read_scanned_pdf(p, "the PDF has no text layer (scanned images)")
    text = "\n".join(text_parts)
    from index.readers.ocr import garbage_text
    why = garbage_text(text)
    if why:
        from index.readers.ocr import read_scanned_pdf
        return read_scanned_pdf(p, f"the PDF's text layer is garbage ({why})")
    return Document(path=str(p), fmt="pdf", text=text, page_starts=starts)
