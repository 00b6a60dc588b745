"""Report → retrievable chunks: section text cut at sentence boundaries, and one chunk per table row.

Chunk ids derive from the report id and the chunk's position, so re-ingesting a report gives the
same ids. CHUNKER_VERSION goes into the vector collection's name: change it whenever the chunk
texts or ids would come out differently, so old and new chunks never mix.
"""

from __future__ import annotations

import re
from collections import defaultdict

from gongkai.model import Chunk, Fact, Report
from index import template
from index.template import TABLE_TITLES, column_label

CHUNKER_VERSION = 2
MAX_CHARS = 300  # a section piece holds at most this many characters (one over-long sentence is cut)
MIN_CHARS = 60  # a trailing piece shorter than this joins the previous one (up to MAX_CHARS + MIN_CHARS)
BLANK = "空"

# Sections 2–4 of a template report are its tables; their rows are covered by row chunks, so the
# table text itself (cells run together) is left out of the section chunks.
TABLE_OF_SECTION = {2: "table2", 3: "table3", 4: "table4"}

_ENDERS = "。！？；!?;"
_CLOSERS = "”’」』）)】"
_SENT = re.compile(rf"[{_ENDERS}][{_CLOSERS}]*")
_FOOTER = re.compile(r"^\s*[-—–]\s*\d{1,3}\s*[-—–]\s*$")  # PDF page numbers "- 2 -"
_SHORT_LINE = 16  # a line this short is a heading (or a paragraph end), not a PDF line wrap

# table2 of the 2021+ template prints these columns with different wording than 2019–2020
_T3_ORG = ("commercial", "research", "social", "legal", "other_org")


# ---------------------------------------------------------------- section chunks

_HEADING = re.compile(r"(?:#+\s*)?(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]\D)")


def line_width(text: str) -> int:
    """Return the width of a full line of wrapped text (PDF): the 90th percentile of line lengths."""
    lens = sorted(len(ln.strip()) for ln in text.split("\n") if ln.strip() and "\t" not in ln)
    return lens[int(0.9 * (len(lens) - 1))] if lens else 0


def _lines(text: str, base: int, width: int) -> list[tuple[int, int, bool]]:
    """Return the non-blank lines of `text` as (start, end, wraps): offsets shifted by `base`.

    `wraps` is True where the line break before the line is only a wrap (PDF or text copied from a
    PDF): the line before does not look finished — no closing punctuation, not a short heading, not
    a table line, at least 3/4 of a full line — and this line does not start a heading.
    """
    short = max(_SHORT_LINE, int(0.75 * width))
    out: list[tuple[int, int, bool]] = []
    prev = ""
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        s = line.strip()
        if not s or _FOOTER.match(line):
            continue
        p = prev.strip()
        finished = p[-1:] in tuple(_ENDERS + "：:" + _CLOSERS) or len(p) < short or p.endswith("报告")
        wraps = bool(p) and not (finished or "\t" in p or "\t" in s or _HEADING.match(s))
        lead = len(line) - len(line.lstrip())
        out.append((base + a + lead, base + a + len(line.rstrip()), wraps))
        prev = line
    return out


def _units(text: str, base: int, lines: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """Return sentence spans of a section's text (offsets into the report text)."""
    units: list[tuple[int, int]] = []
    cur: int | None = None
    prev_end = base
    for a, b, wraps in lines:
        if cur is not None and not wraps:
            units.append((cur, prev_end))
            cur = None
        seg = text[a - base:b - base]
        start = 0
        for m in _SENT.finditer(seg):
            if cur is None:
                cur = a + start
            units.append((cur, a + m.end()))
            cur = None
            start = m.end()
            while start < len(seg) and seg[start].isspace():
                start += 1
        if start < len(seg) and cur is None:
            cur = a + start
        prev_end = b
    if cur is not None:
        units.append((cur, prev_end))
    return units


def _display(report_text: str, lines: list[tuple[int, int, bool]], a: int, b: int) -> str:
    """Return the text of span [a, b): wrapped lines joined, other line breaks kept, tabs made spaces."""
    out = ""
    for ls, le, wraps in lines:
        if le <= a or ls >= b:
            continue
        part = report_text[max(a, ls):min(b, le)].strip()
        if not part:
            continue
        if out:
            if not wraps:
                out += "\n"
            elif re.match(r"[A-Za-z0-9]", part[0]) and re.match(r"[A-Za-z0-9]", out[-1]):
                out += " "
        out += part
    return re.sub(r"[ \t\u3000]+", " ", out).strip()


def _pieces(units: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Pack consecutive sentences into spans of at most MAX_CHARS; cut a longer sentence at commas."""
    spans: list[tuple[int, int]] = []
    for a, b in units:
        while b - a > MAX_CHARS:
            window = text[a:a + MAX_CHARS]
            cut = max(window.rfind("，"), window.rfind(","), window.rfind("、"))
            cut = cut + 1 if cut > MAX_CHARS // 2 else MAX_CHARS
            spans.append((a, a + cut))
            a += cut
        spans.append((a, b))
    out: list[list[int]] = []
    for a, b in spans:
        if out and b - out[-1][0] <= MAX_CHARS:
            out[-1][1] = b
        else:
            out.append([a, b])
    if len(out) > 1 and out[-1][1] - out[-1][0] < MIN_CHARS and out[-1][1] - out[-2][0] <= MAX_CHARS + MIN_CHARS:
        tail = out.pop()
        out[-1][1] = tail[1]
    return [(a, b) for a, b in out]


def section_chunks(report: Report) -> list[Chunk]:
    """Return the section chunks of a report: each section's text in sentence-bounded pieces."""
    tables = {f.table for f in report.facts}
    width = line_width(report.text)
    out: list[Chunk] = []
    for n, sec in enumerate(report.sections):
        if TABLE_OF_SECTION.get(sec.number) in tables:
            continue
        st = sec.span.start
        body = report.text[st:sec.span.end]
        path = " > ".join(sec.path)
        lines = _lines(body, st, width)
        for k, (a, b) in enumerate(_pieces(_units(body, st, lines), report.text)):
            text = _display(report.text, lines, a, b)
            if not text or _norm(text) in {_norm(x) for x in sec.path}:
                continue  # nothing but the heading, which every piece of the section carries anyway
            out.append(Chunk(id=f"{report.id}:sec:{n}:{k}", report_id=report.id, kind="section", text=text,
                             agency=report.agency, year=report.year, template=report.template, section=path,
                             source=report.source, page=report.page_of(a), start=a, end=b))
    return out


# ---------------------------------------------------------------- table-row chunks

def _norm(s: str) -> str:
    return re.sub(r"[\s、.．,，()（）:：]", "", s)


def _spec(report: Report, table: str, row: str) -> template.RowSpec | None:
    if table == "table2":
        specs = template.table2_rows(report.template)
    elif table == "table3":
        specs = template.T3_2021 + template.T3_2019
    else:
        return None
    return next((s for s in specs if s.key == row), None)


def row_heading(report: Report, table: str, row: str, printed: str = "") -> str:
    """Return the row's label path as the template prints it ("三、本年度办理结果 > （三）不予公开 > 1.…")."""
    spec = _spec(report, table, row)
    label = spec.label if spec else template.row_label(table, row)
    parts = []
    if table == "table4":
        parts = label.split("·")
    else:
        if table == "table3" and row not in ("new", "carried_over", "carry_forward"):
            parts.append("三、本年度办理结果")
        if spec and spec.group and spec.group not in parts:
            parts.append(spec.group)
        parts.append(label)
    head = " > ".join(parts)
    p = _norm(printed)
    if p and not p.endswith(_norm(label)) and len(p) <= 40:
        head += f"（表中印作：{printed.strip()}）"
    return head


def _column_label(report: Report, table: str, col: str) -> str:
    return column_label(table, "2019" if report.template == "2019" else "2021", "", col)


def _value(f: Fact) -> str:
    if f.value is None:
        return BLANK
    return str(f.value)


def row_chunks(report: Report) -> list[Chunk]:
    """Return one chunk per template row (table 2/3/4) present in the report's facts."""
    rows: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in report.facts:
        rows[(f.table, f.key.rsplit(".", 1)[0])].append(f)
    year = f"{report.year}年" if report.year else ""
    out: list[Chunk] = []
    # template order, whatever order the facts come in (the fact store returns them sorted by key)
    for (table, row), facts in sorted(rows.items(), key=lambda kv: _row_order(report, *kv[0])):
        order = _column_order(report, table, row)
        facts = sorted(facts, key=lambda f: order.get(f.key.rsplit(".", 1)[1], len(order)))
        head = row_heading(report, table, row, facts[0].row_label)
        cells = []
        for f in facts:
            col = f.key.rsplit(".", 1)[1]
            label = _column_label(report, table, col)
            if table == "table3" and col == _T3_ORG[0]:
                label = "法人或其他组织 " + label
            cells.append(f"{label} {_value(f)}")
        title = TABLE_TITLES.get(table, table)
        text = " | ".join([" ".join(x for x in (report.agency, year, title) if x), head, *cells])
        start = min(f.span.start for f in facts)
        end = max(f.span.end for f in facts)
        out.append(Chunk(id=f"{report.id}:row:{table}.{row}", report_id=report.id, kind="row", text=text,
                         agency=report.agency, year=report.year, template=report.template,
                         section=_table_section(table), table=table, row_key=f"{table}.{row}",
                         source=report.source, page=facts[0].span.page, start=start, end=end))
    return out


def _row_order(report: Report, table: str, row: str) -> tuple[str, int, str]:
    if table == "table4":
        keys = [g for g, _ in template.T4_GROUPS]
    elif table == "table2":
        keys = [s.key for s in template.table2_rows(report.template)]
    else:
        keys = [s.key for s in template.T3_2021 + template.T3_2019]
    return table, keys.index(row) if row in keys else len(keys), row


def _column_order(report: Report, table: str, row: str) -> dict[str, int]:
    spec = _spec(report, table, row)
    cols = spec.columns if spec else template.T4_COLUMNS
    return {c: i for i, c in enumerate(cols)}


def _table_section(table: str) -> str:
    return {"table2": "二、主动公开政府信息情况", "table3": "三、收到和处理政府信息公开申请情况",
            "table4": "四、政府信息公开行政复议、行政诉讼情况"}.get(table, "")


def chunks_for(report: Report) -> list[Chunk]:
    """Return all chunks of a report: section pieces in reading order, then table rows."""
    return section_chunks(report) + row_chunks(report)


# ---------------------------------------------------------------- text for search, metadata

def search_text(c: Chunk) -> str:
    """Return the text that is embedded and BM25-indexed: a section piece gets its context in front."""
    if c.kind == "row":
        return c.text
    year = f"{c.year}年" if c.year else ""
    head = " ".join(x for x in (c.agency, year, c.section) if x)
    return f"{head}\n{c.text}"


_META_FIELDS = ("report_id", "kind", "agency", "year", "template", "section", "table", "row_key", "source",
                "page", "start", "end")


def to_metadata(c: Chunk) -> dict:
    """Return the chunk's metadata as flat scalars (None becomes "" or -1, which stores accept)."""
    m = {k: getattr(c, k) for k in _META_FIELDS}
    m["year"] = c.year if c.year is not None else -1
    m["page"] = c.page if c.page is not None else -1
    return m


def from_metadata(cid: str, text: str, m: dict) -> Chunk:
    """Return the Chunk stored under `cid` with `text` and metadata `m` (inverse of to_metadata)."""
    year = m.get("year")
    page = m.get("page")
    return Chunk(id=cid, report_id=m["report_id"], kind=m["kind"], text=text, agency=m.get("agency", ""),
                 year=year if isinstance(year, int) and year >= 0 else None, template=m.get("template", ""),
                 section=m.get("section", ""), table=m.get("table", ""), row_key=m.get("row_key", ""),
                 source=m.get("source", ""), page=page if isinstance(page, int) and page >= 0 else None,
                 start=int(m.get("start", 0)), end=int(m.get("end", 0)))
