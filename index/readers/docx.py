"""DOCX: paragraphs and tables in body order; merged cells counted once; zip bombs refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

from gongkai.errors import ReportError
from index.readers.base import MAX_COLSPAN, Document, cell_text

MAX_UNZIPPED = 200 * 2**20


def read_docx(p: Path) -> Document:
    try:
        with zipfile.ZipFile(p) as z:
            total = sum(i.file_size for i in z.infolist())
            if total > MAX_UNZIPPED:
                raise ReportError(str(p), f"the DOCX unpacks to {total // 2**20} MB (limit {MAX_UNZIPPED // 2**20} MB)",
                                  "this looks like a zip bomb; re-save the document in Word/WPS")
            if "word/document.xml" not in z.namelist():
                raise ReportError(str(p), "not a Word document (no word/document.xml)", "save it as .docx again")
    except zipfile.BadZipFile:
        raise ReportError(str(p), "not a valid DOCX (damaged zip)", "re-save the document as .docx") from None
    import docx
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(str(p))
    except Exception as e:  # python-docx raises many types for broken packages
        raise ReportError(str(p), f"cannot open the DOCX ({type(e).__name__})", "re-save it as .docx") from None
    lines: list[str] = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            t = Paragraph(child, d).text.strip()
            if t:
                lines.append(t)
        elif tag == "tbl":
            for row in Table(child, d).rows:
                # the row's own <w:tc> elements, not row.cells: python-docx repeats a vertically merged
                # cell's text on every row it spans; like the HTML reader, a merged cell's text stands
                # only in its first (top-left) position
                # (spans clamped: a 10 KB file declaring gridSpan=200000000 must not build 200 million cells)
                cells = [""] * min(row.grid_cols_before, MAX_COLSPAN)
                for tc in row._tr.tc_lst:
                    # the document as the cell's parent: only the text is read (python-docx types it as a table)
                    first = "" if tc.vMerge == "continue" else cell_text(_Cell(tc, d).text)  # type: ignore[arg-type]
                    cells += [first] + [""] * (min(tc.grid_span, MAX_COLSPAN) - 1)
                if any(cells):
                    lines.append("\t".join(cells))
    return Document(path=str(p), fmt="docx", text="\n".join(lines))
