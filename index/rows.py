"""Turn the table area of a report's text into rows: (label as printed, number tokens, positions).

Works on every source: tab-separated lines (PDF/HTML/DOCX tables, text copied from PDFs), markdown
pipe tables, and web-page text where a whole table is one line of label+digits ("规章000行政规范性文件693665").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index import template as T
from index.numbers import BLANKS

_CJK = r"\u4e00-\u9fff"
# a number; a unit glued to it is kept (元 / 万元 / 个)
# a sign belongs to the number ("-18", "－15", "−3", "减少3", "+5", "增加5"): 本年增/减 is printed signed
_SIGN = r"(?:[-－−﹣](?=\d)|减少(?=\d)|增加(?=\d)|\+(?=\d))?"
# a count may carry its unit ("38件", "5项", procurement "2笔"); a blank mark stands after a space or a dot leader ("收费……—"),
# or glued to the label ("行政强制/")
_NUM_RE = re.compile(_SIGN + r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元|个|万|件(?!数)|项(?!目)|条(?!例)|笔)?"
                     r"|(?<=[\s…⋯])(?:—+|–|－|/|／|无|-{1,2})(?=\s|$)|(?<=[\u4e00-\u9fff])(?:—+|/|／)(?=\s|$)")
# an enumerator: "2.其他", "（1）属于…", and "1." ending a cell or followed by a space (its words on the next line)
_ENUM_RE = re.compile(rf"(?:\d\s*[.．、]|[（(]\d{{1,2}}[)）])(?=\s*[{_CJK}“\"])|(?<![\d.,])\d[.．、](?=\s|$)")
_DATE_RE = re.compile(r"\d+\s*[年月日号]")
# a page footer copied with the text: "— 5 —", "- 5 -", "第 4 页 共 7 页", "第4页", "共7页第4页", "4/7"
PAGE_FOOTER = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
                         r"|共\s*\d+\s*页\s*[,，/]?\s*第\s*\d+\s*页|\d+\s*/\s*\d+)\s*$")


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
    if PAGE_FOOTER.match(line) or re.match(r"^\s*\|?\s*-{3,}", line):
        return []
    card = card_row(line, base)
    if card is not None:
        return [card]
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


# ---------------------------------------------------------------- label/value cards

# A table printed as cards: each row one line of "column name + value" pairs ("自然人：9；商业企业：2；…；总计：12",
# "规章：本年制发件数—；本年废止件数0", "结果维持1件；…；总计1件。"). The names say which column each value is, so
# the values are put in the template's column order; a card whose names are not exactly one row's columns is
# not read as one (its numbers stay where a plain line would put them).
_CARD_SEQS: tuple[tuple[str, ...], ...] = (
    tuple(T.COLUMN_LABELS[c] for c in T.T3_COLUMNS),
    tuple(T.COLUMN_LABELS[c] for c in T.T4_COLUMNS),
    ("本年制发件数", "本年废止件数", "现行有效件数"), ("本年处理决定数量",), ("本年收费金额",),
    ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("上一年项目数量", "本年增/减", "处理决定数量"),
    ("上一年项目数量", "本年增/减"), ("采购项目数量", "采购总金额"),
)
_CARD_ALIASES = {"本年增减": "本年增/减", "本年增／减": "本年增/减"}
_CARD_NAMES = sorted({n for seq in _CARD_SEQS for n in seq} | set(_CARD_ALIASES), key=len, reverse=True)
_NAME = "(?P<name>" + "|".join(map(re.escape, _CARD_NAMES)) + r")(?:\s*[（(][^）)]{0,8}[)）])?\s*[：:]?\s*"
_VALUE = (r"(?P<val>[+\-－−﹣]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元)?|减少\d+|增加\d+|—+|–|－|/|／|无|-{1,2})?"
          r"\s*(?:件|个|项|条|次|人|篇|笔)?\s*[。.]?\s*$")
_CARD_FIRST = re.compile(r"^(?P<label>.*?)" + _NAME + _VALUE)
_CARD_NEXT = re.compile(r"^\s*" + _NAME + _VALUE)


def card_row(line: str, base: int) -> Row | None:
    """The row of a card line, its values in the template's column order; None if the line is no card."""
    if "\t" in line or "|" in line or not re.search(r"[；;]|[：:]|\d", line):
        return None
    pieces = [(m.group(), m.start()) for m in re.finditer(r"[^；;]+", line)]
    pieces = [(t, s) for t, s in pieces if t.strip()]
    if not pieces:
        return None
    label, label_at = "", base
    values: dict[str, Tok] = {}
    for k, (piece, at) in enumerate(pieces):
        m = (_CARD_FIRST if k == 0 else _CARD_NEXT).match(piece)
        if m is None:
            return None
        if k == 0:
            label = m.group("label").strip().rstrip("：:").strip()
            label_at = base + at + len(m.group("label")) - len(m.group("label").lstrip())
        name = _CARD_ALIASES.get(m.group("name"), m.group("name"))
        if name in values:
            return None
        val = m.group("val") or ""
        s = base + at + (m.start("val") if m.group("val") else m.end("name"))
        values[name] = Tok("" if val in BLANKS else val, s, s + len(val))
    seq = next((q for q in _CARD_SEQS if set(q) == set(values)), None)
    if seq is None or (len(seq) == 1 and not label):
        return None
    toks = [values[n] for n in seq]
    return Row(label=label, nums=toks, start=label_at if label else toks[0].start, end=max(t.end for t in toks),
               line=line)
