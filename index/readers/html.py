"""HTML as government sites publish it: the report body, `<table>` with rowspan/colspan expanded."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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
    stack: list[tuple[Any, bool]] = [(root, False)]  # bs4 nodes: a Tag or a NavigableString
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


_JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.){200,})"|\'((?:[^\'\\\n]|\\.){200,})\'')
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _script_article(soup) -> str | None:
    """The longest string literal of the page's scripts that holds more Chinese text than the page itself
    (sites that write the report into the page with JavaScript), decoded; None if there is none."""
    visible = len(_CJK_CHAR.findall(soup.get_text()))
    best = None
    for sc in soup.find_all("script"):
        for m in _JS_STRING.finditer(sc.string or ""):
            raw = m.group(1) if m.group(1) is not None else m.group(2)
            try:
                s = json.loads('"' + raw.replace("\\'", "'") + '"')
            except ValueError:
                continue
            n = len(_CJK_CHAR.findall(s))
            if n > 200 and n > visible and (best is None or n > len(_CJK_CHAR.findall(best))):
                best = s
    return best


def read_html(p: Path) -> Document:
    from bs4 import BeautifulSoup

    text, enc = decode(p.read_bytes(), str(p))
    soup = BeautifulSoup(text, "lxml")
    article = _script_article(soup)
    if article is not None:
        soup = BeautifulSoup(f"<html><body>{article}</body></html>", "lxml")
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
    # spaces go, tabs stay: a table row's empty cells at either end are cells (a blank 总计 column)
    lines = [ln.strip(" \r\f\v\xa0\u3000") for ln in out.splitlines()]
    clean = "\n".join(ln for ln in lines if ln.strip())
    return Document(path=str(p), fmt="html", text=clean, encoding=enc)
