"""Turn the table area of a report's text into rows: (label as printed, number tokens, positions).

Works on every source: tab-separated lines (PDF/HTML/DOCX tables, text copied from PDFs), markdown
pipe tables, and web-page text where a whole table is one line of label+digits ("规章000行政规范性文件693665").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.numbers import BLANKS

_CJK = r"\u4e00-\u9fff"
# a number; a unit glued to it is kept (元 / 万元 / 个)
# a sign belongs to the number ("-18", "－15", "−3", "减少3", "+5", "增加5"): 本年增/减 is printed signed
_SIGN = r"(?:[-－−﹣](?=\d)|减少(?=\d)|增加(?=\d)|\+(?=\d))?"
_NUM_RE = re.compile(_SIGN + r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元|个|万)?"
                     r"|(?<=\s)(?:—+|–|－|/|／|无|-{1,2})(?=\s|$)")
_ENUM_RE = re.compile(rf"\d\s*[.．、](?=\s*[{_CJK}“\"])")
_DATE_RE = re.compile(r"\d+\s*[年月日号]")
_PAGE_FOOTER = re.compile(r"^\s*[-—–]\s*\d+\s*[-—–]\s*$")


@dataclass
class Tok:
    text: str  # "" for a blank cell
    start: int
    end: int
    sep_before: bool = True  # separated from the previous number by a space/tab/pipe


@dataclass
class Row:
    label: str
    nums: list[Tok] = field(default_factory=list)
    trailing_blanks: int = 0
    start: int = 0  # offset of the label (or first number)
    end: int = 0
    line: str = ""
    glued: bool = False  # cells run together: several rows on one line, or digits touching the label
    full_width: bool = False  # a grid line as wide as its table (no empty cells trimmed off its end)

    @property
    def bare(self) -> bool:
        """No label words of its own (a row whose label was lost in conversion)."""
        return len(re.sub(rf"[^{_CJK}]", "", self.label)) < 2


def _scan(cell: str, base: int) -> list[tuple[str, str, int, int]]:
    """Split one cell into ('text'|'num', s, start, end) pieces."""
    protected = [(m.start(), m.end()) for rx in (_ENUM_RE, _DATE_RE) for m in rx.finditer(cell)]
    out: list[tuple[str, str, int, int]] = []
    pos = 0
    for m in _NUM_RE.finditer(cell):
        s, e = m.start(), m.end()
        if any(ps <= s < pe for ps, pe in protected):
            continue  # the digit of an enumerator ("2.其他") or of a date ("2020年")
        # an enumerator glued after a run of digits ("00000002.其他"): the digits before it are the number
        e = min([ps for ps, _ in protected if s < ps < e] + [e])
        if s > pos:
            out.append(("text", cell[pos:s], base + pos, base + s))
        out.append(("num", cell[s:e], base + s, base + e))
        pos = e
    if pos < len(cell):
        out.append(("text", cell[pos:], base + pos, base + len(cell)))
    return out


def line_rows(line: str, base: int) -> list[Row]:
    """Rows of one line; a line may hold several rows when cells were concatenated."""
    if _PAGE_FOOTER.match(line) or re.match(r"^\s*\|?\s*-{3,}", line):
        return []
    rows: list[Row] = []
    cur = Row(label="", start=base)
    in_nums = False
    # split into cells on tabs and markdown pipes, keeping offsets
    cells: list[tuple[str, int]] = []
    pos = 0
    for m in re.finditer(r"[\t|]", line):
        cells.append((line[pos:m.start()], base + pos))
        pos = m.end()
    cells.append((line[pos:], base + pos))
    multi_cell = len(cells) > 1

    def flush() -> None:
        nonlocal cur, in_nums
        if cur.nums or cur.label.strip():
            cur.line = line
            rows.append(cur)
        cur = Row(label="", start=0)
        in_nums = False

    for cell, cbase in cells:
        stripped = cell.strip()
        if multi_cell and (stripped in BLANKS or stripped == ""):
            if stripped and cur.label and not in_nums:
                # "规章 | — | / | 无": marked-blank cells right after a label are cells of that row
                cur.nums.append(Tok("", cbase, cbase + len(cell)))
                in_nums = True
            elif in_nums and stripped and all(t.text == "" for t in cur.nums):
                cur.nums.append(Tok("", cbase, cbase + len(cell)))
            elif in_nums and stripped in BLANKS:
                cur.trailing_blanks += 1
            continue
        first_in_cell = True
        for kind, s, st, en in _scan(cell, cbase):
            if kind == "text":
                if not s.strip():
                    continue
                if in_nums:
                    flush()
                if not cur.label:
                    cur.start = st
                cur.label += s.strip() if not cur.label else s
                cur.end = en
            else:
                if not in_nums and not cur.label:
                    cur.start = st
                sep = first_in_cell or (st > 0 and line[st - base - 1:st - base].isspace()) or not in_nums
                if cur.trailing_blanks and in_nums:
                    # a blank cell between numbers is a real (empty) cell
                    for _ in range(cur.trailing_blanks):
                        cur.nums.append(Tok("", st, st))
                    cur.trailing_blanks = 0
                cur.nums.append(Tok("" if s in BLANKS else s, st, en, sep))
                cur.end = en
                in_nums = True
            first_in_cell = False
    flush()
    if len([r for r in rows if r.nums]) > 1 or (not multi_cell and rows and not re.search(r"\s", line.strip())):
        for r in rows:
            r.glued = True
    for r in rows:  # digits touching the label's last character: "行政规范性文件693665"
        if r.nums and r.label and r.nums[0].start > 0 and r.nums[0].start - base <= len(line) and \
                not line[r.nums[0].start - base - 1].isspace() and line[r.nums[0].start - base - 1] not in "\t|":
            r.glued = True
    return rows


def _width(line: str) -> int:
    """Cells of a grid line (tabs or markdown pipes); 0 for a line that is not one."""
    if "\t" not in line and not line.lstrip().startswith("|"):
        return 0
    return len(re.split(r"[\t|]", line.strip(" ")))


def text_rows(text: str, start: int, end: int) -> list[Row]:
    """All rows between two offsets of the report text."""
    out: list[Row] = []
    offset = start
    block: list[tuple[list[Row], int]] = []  # consecutive grid lines: one table

    def close() -> None:
        widest = max((w for _, w in block), default=0)
        for rows, w in block:
            for r in rows:
                r.full_width = w == widest
        block.clear()

    for line in text[start:end].split("\n"):
        rows = line_rows(line, offset) if line.strip() else []
        w = _width(line)
        if w:
            block.append((rows, w))
        else:
            close()
        out.extend(rows)
        offset += len(line) + 1
    close()
    return out
