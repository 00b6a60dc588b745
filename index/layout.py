"""Table layouts that spread one row over several lines, put back together before rows are matched.

- Cell-per-line text (a PDF copied cell by cell): every cell on its own line, header cells split across
  lines, page footers between rows. `reflow` joins each row's lines into one tab-separated line: a row is
  label lines then number lines, and the next label line starts the next row. Same length as the input, so
  every offset (spans, pages) still points into the report's text.
- Wrapped row labels: "5.要求行政机关确认或  0 0 …" then "重新出具已获取信息" alone (the label's tail), or
  "1.申请人无正当理由逾期不补正、行政机关不再" alone then "处理其政府信息公开申请 21 2 …" (its head).
  `join_wrapped` gives such a line to the one neighbouring row it can belong to, and to neither when it could
  belong to both (a row left unread is better than numbers under the wrong label).
- Tables continued over a page: footers ("第 4 页 共 7 页") and "（续表）" with the repeated column headers are
  no labels of any row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index import template as T
from index.rows import PAGE_FOOTER, Row

_NUM_CELL = re.compile(r"[+\-－−﹣]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元|个|万|件|笔)?|减少\d+|增加\d+"
                       r"|—+|–|－|/|／|无|-{1,2}")
_CONTINUED = re.compile(r"^[（(]?\s*续\s*(?:表|上表)\s*[)）]?$")
_MAX_CELL = 40  # a line longer than this is a paragraph, not a cell


def _kind(line: str) -> str:
    """'skip' (blank, footer, 续表), 'num' (one number or blank mark), 'text' (one short text cell), 'other'."""
    s = line.strip()
    if not s or PAGE_FOOTER.match(s) or _CONTINUED.match(re.sub(r"\s+", "", s)):
        return "skip"
    if "\t" in s or "|" in s or len(s) > _MAX_CELL:
        return "other"
    if _NUM_CELL.fullmatch(s):
        return "num"
    if any(_NUM_CELL.fullmatch(tok) for tok in s.split()[1:]):
        return "other"  # "规章  0  0  0": a row on one line already
    return "text"


def reflow(text: str) -> str:
    """The text with cell-per-line tables joined into one line per row (same length, same offsets)."""
    lines: list[tuple[int, int, str]] = []  # (start, end, kind) of each line
    pos = 0
    for ln in text.split("\n"):
        lines.append((pos, pos + len(ln), _kind(ln)))
        pos += len(ln) + 1
    out = list(text)
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        cells = [x for x in run if x[2] != "skip"]
        nums = sum(1 for x in cells if x[2] == "num")
        adjacent = sum(1 for a, b in zip(cells, cells[1:]) if a[2] == b[2] == "num")
        if nums >= 7 and adjacent >= 3:
            for (_, a_end, a_kind), (b_start, _, b_kind) in zip(cells, cells[1:]):
                new_row = a_kind == "num" and b_kind == "text"
                # the newline(s), blank lines and footers between two cells: one separator, then spaces; pieces
                # of one label or header cell ("1." "属于国家秘密") are joined by a space, cells by a tab
                out[a_end] = "\n" if new_row else " " if a_kind == b_kind == "text" else "\t"
                for i in range(a_end + 1, b_start):
                    if out[i] != "\n" or not new_row:
                        out[i] = " "
        run.clear()

    for cell in lines:
        if cell[2] == "other":
            close()
        else:
            run.append(cell)
    close()
    return "".join(out)


# ---------------------------------------------------------------- wrapped labels

_HEADER_WORDS = {*T.COLUMN_LABELS.values(), *T.COLUMN_LABELS_2021.values(), "信息内容", "申请人情况",
                 "法人或其他组织", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"}
# a line that starts an item of its own: 一、 （三） 1. （2） 第二十条…
_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*(?:[一二三四五六七八九十]+|\d+)\s*(?:[)）]|$)"
                   r"|\d+\s*[.．、](?!\d)|第[一二三四五六七八九十]+条)")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def is_header(label: str, alone: bool = True) -> bool:
    """A line of column headers (two header words, or one `alone` on its line), or the 续表 mark of a
    continued table."""
    t = _norm(label)
    return (alone and t in _HEADER_WORDS) or bool(_CONTINUED.match(t)) or sum(w in t for w in _HEADER_WORDS) >= 2


def _fragment(r: Row) -> bool:
    """A number-less line that can be part of a row label."""
    t = _norm(r.label)
    return not r.nums and 0 < len(t) <= _MAX_CELL and bool(re.search(r"[\u4e00-\u9fff]", t)) and not is_header(t)


def _holds(r: Row, names: dict[str, int]) -> bool:
    """The row has numbers enough for a row the label names: at least half its cells (blank cells may be
    gone), counted in digits for a glued run; not a header's stray digit ("数据1")."""
    need = min(names.values(), default=0)
    have = sum(len(re.sub(r"\D", "", t.text)) for t in r.nums) if r.glued else len(r.nums) + r.trailing_blanks
    return bool(names) and 2 * have >= need


def join_wrapped(rows: list[Row], hits: Callable[[str], dict[str, int]]) -> list[Row]:
    """Rows with wrapped labels joined (label lines without numbers given to their row); `hits(label)` maps
    the template rows a label names to their number of columns. Returns the same rows, labels extended in
    place; a line is given only to a row with numbers enough for what the joined label names."""
    for i, x in enumerate(rows):
        if not _fragment(x):
            continue
        a = rows[i - 1] if i > 0 and rows[i - 1].nums else None
        b = rows[i + 1] if i + 1 < len(rows) and rows[i + 1].nums else None
        # joined only where the line changes what the label names
        tail = a is not None and not _ENUM.match(x.label) and not is_header(a.label, alone=False) and \
            _holds(a, hits(a.label + x.label)) and hits(a.label + x.label).keys() != hits(a.label).keys()
        # a row whose printed label starts mid-phrase (or is missing) and names no row continues the line above
        head = b is not None and not _ENUM.match(b.label) and not is_header(b.label, alone=False) and not hits(b.label) and \
            _holds(b, hits(x.label + b.label))
        if tail and head:  # the line could end the row above or begin the row below
            assert a is not None and b is not None
            need_a, need_b = not hits(a.label), not hits(b.label)
            if need_a == need_b:
                continue  # either reading is possible: give it to neither
            tail, head = need_a, need_b
        if tail and a is not None:
            a.label = a.label + x.label
        elif head and b is not None:
            b.label, b.start = x.label + b.label, x.start
    return rows
