"""A table row's numbers → candidate cells: separators respected, blank cells kept in their columns, signs
kept, and only runs with no separator at all cut (under the callers' identities).
"""

from __future__ import annotations

import itertools
import re

from index import template as T
from index.numbers import BLANKS, parse_number
from index.rows import Row
from index.splitter import splits


def signless(t: str) -> str:
    """A glued run with its sign in one form ("减少3" → "-3"), for the splitter."""
    t = re.sub(r"^(?:减少|[－−﹣])", "-", t)
    return re.sub(r"^(?:增加|\+)", "", t)


def with_blanks(toks: list[str], n: int) -> list[tuple[str, ...]]:
    """Every way to place n - len(toks) blank cells among separated cells (their order kept)."""
    out = []
    for pos in itertools.combinations(range(n), n - len(toks)):
        it = iter(toks)
        out.append(tuple("" if i in pos else next(it) for i in range(n)))
    return out


_CELL = re.compile(r"[+\-－−]?\d[\d,]*(?:\.\d+)?(?:万元|元|个|万)?|减少\d+|增加\d+")


def grid_tail(row: Row, n: int) -> tuple[str, ...] | None:
    """The row's last n cells when its line is a full table grid (tabs or pipes; blank cells kept).

    HTML, DOCX and PDF tables are rendered one grid row a line, every row as wide as the table: the
    numbers stand in the last columns, so a blank cell anywhere (a "&nbsp;" 自然人, an empty 总计) keeps
    its column."""
    line = row.line.strip(" ")
    if row.glued or not row.full_width or ("\t" not in line and not line.startswith("|")):
        return None
    cells = [c.strip() for c in re.split(r"[\t|]", line)]
    if line.startswith("|"):
        cells = cells[1:-1] if line.endswith("|") else cells[1:]
    if len(cells) <= n:
        return None
    head, tail = cells[:-n], cells[-n:]
    if not any(re.search(r"[\u4e00-\u9fff]", c) for c in head):
        return None
    if not all(c in BLANKS or _CELL.fullmatch(c) for c in tail):
        return None
    if sum(1 for c in tail if c not in BLANKS) != sum(1 for t in row.nums if t.text):
        return None  # numbers outside the last columns: not a plain grid row
    return tuple("" if c in BLANKS else c for c in tail)


_HEADER_WORDS = {*T.COLUMN_LABELS.values(), *T.COLUMN_LABELS_2021.values(), "信息内容", "申请人情况", "法人或其他组织"}


def empty_grid_row(row: Row) -> bool:
    """A table grid line with label cells and only empty cells after them (a row of "&nbsp;" cells)."""
    if not row.label or ("\t" not in row.line and "|" not in row.line):
        return False
    cells = [c.strip() for c in re.split(r"[\t|]", row.line.strip(" "))]
    if any(c in _HEADER_WORDS for c in cells):
        return False  # a header row: 商业企业 … 其他
    last_label = max((i for i, c in enumerate(cells) if re.search(r"[\u4e00-\u9fff]", c)), default=-1)
    rest = cells[last_label + 1:]
    return bool(rest) and all(c in BLANKS for c in rest)


def cells_for(row: Row, n: int) -> list[tuple[str, ...]]:
    """Candidate cell tuples of length n for a row (one if the row is unambiguous).

    Spaces, tabs and cell boundaries separate cells: a row whose cells are separated and too few has
    blank cells somewhere (at its end when the table shows empty cells there), never a number cut in
    two. Only runs of digits glued together (web-page text) are split."""
    toks = [t.text for t in row.nums]
    if len(toks) == n:
        return [tuple(toks)]
    grid = grid_tail(row, n) if n > 1 else None
    if grid is not None:
        return [grid]
    if len(toks) > n:
        return [tuple(toks[-n:])]
    if "" not in toks and len(toks) + row.trailing_blanks >= n and all(len(t) == 1 for t in toks):
        return [tuple(toks + [""] * (n - len(toks)))]
    # a run no number is printed as ("000", "0012") is cells run together, whatever separates it from its label
    glued = row.glued or any(re.fullmatch(r"[-]?0\d+", signless(t)) for t in toks)
    if not glued:
        if row.trailing_blanks >= n - len(toks):
            return [tuple(toks + [""] * (n - len(toks)))]
        return with_blanks(toks, n)
    if "" in toks:
        return []
    cands = splits([signless(t) for t in toks], n)
    if not cands and len(toks) + row.trailing_blanks >= n:
        return [tuple(toks + [""] * (n - len(toks)))]
    return cands


def value_or_zero(cell: str):
    v = parse_number(cell)
    return 0 if v is None else v


def t4_splits(runs: list[str], limit: int = 50) -> list[tuple[str, ...]]:
    """Every cut of glued runs into 15 cells whose three groups each satisfy 维持+纠正+其他+尚未审结 = 总计.

    A cell never spans two runs (a separator is a cell boundary); searched group by group, so a
    26-digit run costs milliseconds instead of millions of unconstrained splits."""
    out: list[tuple[str, ...]] = []

    def rec(ri: int, pos: int, acc: tuple[str, ...]) -> None:
        if len(out) >= limit:
            return
        if len(acc) % 5 == 0 and acc:
            g = [value_or_zero(x) for x in acc[-5:]]
            if sum(g[:4]) != g[4]:
                return
        if len(acc) == 15:
            if ri == len(runs):
                out.append(acc)
            return
        if ri == len(runs):
            return
        run = runs[ri]
        for e in range(pos + 1, len(run) + 1):
            cell = run[pos:e]
            if cell != "0" and cell.startswith("0"):
                break
            if e == len(run):
                rec(ri + 1, 0, acc + (cell,))
            else:
                rec(ri, e, acc + (cell,))

    rec(0, 0, ())
    return out
