"""HTML as government sites publish it: the report body, `<table>` with rowspan/colspan expanded."""

from __future__ import annotations

from pathlib import Path

from index.readers.base import Document, cell_text
from index.readers.text import decode

_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "title"}
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "nav", "header", "footer",
         "form", "button", "select", "svg")


def table_grid(table) -> list[list[str]]:
    """Return the table as a full grid: rowspan/colspan cells repeated only in their first position."""
    grid: dict[tuple[int, int], str] = {}
    taken: set[tuple[int, int]] = set()
    r = 0
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in taken:
                c += 1
            rs = max(1, _int(td.get("rowspan")))
            cs = max(1, _int(td.get("colspan")))
            text = cell_text(td.get_text("\n"))
            for i in range(rs):
                for j in range(cs):
                    taken.add((r + i, c + j))
                    grid[(r + i, c + j)] = text if (i, j) == (0, 0) else ""
            c += cs
        r += 1
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
        lines = ["\t".join(row) for row in table_grid(table) if any(row)]
        table.replace_with(soup.new_string("\n" + "\n".join(lines) + "\n"))
    for tag in body.find_all(_BLOCK):
        tag.insert_before("\n")
        tag.insert_after("\n")
    out = body.get_text("")
    lines = [ln.strip() for ln in out.splitlines()]
    clean = "\n".join(ln for ln in lines if ln)
    return Document(path=str(p), fmt="html", text=clean, encoding=enc)
