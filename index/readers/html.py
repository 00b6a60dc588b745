"""HTML as government sites publish it: the report body, `<table>` with rowspan/colspan expanded."""

from __future__ import annotations

from pathlib import Path

from gongkai.errors import ReportError
from index.readers.base import MAX_COLSPAN, Document, cell_text
from index.readers.text import decode

_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "title"}
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "nav", "header", "footer",
         "form", "button", "select", "svg")


MAX_CELLS = 100_000  # one table after spans are expanded (the template's largest table has a few hundred)


class TableTooLarge(ValueError):
    """A table whose spans expand beyond MAX_CELLS cells."""


def table_grid(table) -> list[list[str]]:
    """Return the table as a full grid: rowspan/colspan cells repeated only in their first position.

    Spans are clamped as browsers do (rowspan to the table's last row, colspan to 1000), so a hostile
    `rowspan="100000" colspan="100000"` costs no more than the rows that exist; raises TableTooLarge
    beyond MAX_CELLS cells."""
    grid: dict[tuple[int, int], str] = {}
    taken: set[tuple[int, int]] = set()
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    ncols = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in taken:
                c += 1
            rs = min(max(1, _int(td.get("rowspan"))), len(rows) - r)
            cs = min(max(1, _int(td.get("colspan"))), MAX_COLSPAN)
            ncols = max(ncols, c + cs)
            if len(taken) + rs * cs > MAX_CELLS or len(rows) * ncols > MAX_CELLS:
                raise TableTooLarge(f"a table expands to more than {MAX_CELLS:,} cells")
            text = cell_text(td.get_text("\n"))
            for i in range(rs):
                for j in range(cs):
                    taken.add((r + i, c + j))
                    grid[(r + i, c + j)] = text if (i, j) == (0, 0) else ""
            c += cs
    if not grid:
        return []
    nrows = max(k[0] for k in grid) + 1
    ncols = max(k[1] for k in grid) + 1
    return [[grid.get((i, j), "") for j in range(ncols)] for i in range(nrows)]


def _int(v) -> int:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return 1


def _block_text(root) -> str:
    """Return the text of root with a line break around every block element (like get_text with "\n"
    inserted before and after each block tag, in one pass: inserting into a deeply nested tree costs
    O(depth) per tag, and 100,000 nested <div> took minutes)."""
    from bs4 import CData, NavigableString

    out: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            out.append("\n")
        elif isinstance(el, NavigableString):
            if type(el) in (NavigableString, CData):  # not comments, doctype, processing instructions
                out.append(str(el))
        else:
            block = el is not root and el.name in _BLOCK
            if block:
                out.append("\n")
                stack.append((el, True))
            stack.extend((c, False) for c in reversed(el.contents))
    return "".join(out)


def read_html(p: Path) -> Document:
    from bs4 import BeautifulSoup

    text, enc = decode(p.read_bytes(), str(p))
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(_DROP):
        tag.decompose()
    body = soup.body or soup
    # tables become tab-separated lines in place
    for table in body.find_all("table"):
        if table.find_parent("table") is not None:
            continue
        try:
            grid = table_grid(table)
        except TableTooLarge as e:
            raise ReportError(str(p), str(e), "check the file: a report's tables have a few hundred cells") from None
        lines = ["\t".join(row) for row in grid if any(row)]
        table.replace_with(soup.new_string("\n" + "\n".join(lines) + "\n"))
    out = _block_text(body)
    lines = [ln.strip() for ln in out.splitlines()]
    clean = "\n".join(ln for ln in lines if ln)
    return Document(path=str(p), fmt="html", text=clean, encoding=enc)
