"""Answers → HTML for the chat: the figure or text, then openable source cards.

Every piece of report text goes through `html.escape` before it is placed in markup; highlights are
found in the raw text and the `<mark>` tags are added between escaped pieces, so a report containing
`<script>` or `<img onerror=…>` is shown as text and never becomes markup. The output is one line with
no blank lines, so the chat's Markdown renderer keeps it as a single raw HTML block.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape
from pathlib import PurePath

from gongkai.model import Answer, Citation

NOT_FOUND = "报告中未找到相关信息。Not found in the reports."

KIND_LABELS = {"figure": "数字 figure", "text": "原文 text", "not_found": "未找到 not found",
               "clarify": "需要澄清 clarify"}


def esc(s: object) -> str:
    """Return `s` as text safe inside HTML (quotes too); None → ""."""
    return "" if s is None else escape(str(s), quote=True)


def _lines(escaped: str) -> str:
    """Turn newlines into <br> (after escaping) and drop blank runs, keeping the output one line."""
    return "<br>".join(x for x in re.split(r"\s*\n\s*", escaped.strip()) if x)


def number_forms(value: object) -> list[str]:
    """Return the printed forms of a number to look for in a quote (3 → ["3"], 1282 → ["1282", "1,282"])."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str):
        m = re.match(r"[\d,.]+", value)
        return [m.group(0)] if m else []
    if isinstance(value, float):
        value = Decimal(repr(value))
    forms = [str(value)]
    if isinstance(value, Decimal):
        t = format(value.normalize(), "f") if value == value.to_integral() else str(value)
        forms.append(t)
        whole = value.to_integral()
        if whole == value:
            value = int(whole)
    if isinstance(value, int):
        forms += [str(value), f"{value:,}"]
    return sorted({f for f in forms if f}, key=len, reverse=True)


def highlight(text: str, value: object) -> str:
    """Return `text` escaped, with each standalone occurrence of `value` wrapped in <mark>."""
    forms = number_forms(value)
    if not forms or not text:
        return _lines(esc(text))
    pat = re.compile(r"(?<![\d.,])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\d]|[.,]\d)")
    out, pos = [], 0
    for m in pat.finditer(text):
        out.append(esc(text[pos:m.start()]))
        out.append("<mark>" + esc(m.group(0)) + "</mark>")
        pos = m.end()
    out.append(esc(text[pos:]))
    return _lines("".join(out))


def fmt_value(value: object) -> str:
    """Return a number as printed for people: ints plain, Decimals without trailing zeros."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return "" if value is None else str(value)


def where(c: Citation) -> str:
    """Return the row label or page of a citation, as plain text."""
    parts = []
    if c.table_row:
        parts.append(f"表格行 row: {c.table_row}")
    if c.page:
        parts.append(f"第{c.page}页 p.{c.page}")
    return " · ".join(parts)


def row_quote(quote: str, table_row: str | None, value: object = None) -> str | None:
    """Render a table-row quote ("title | row | 列 值 | …") as cells, marking the cell the citation names.

    Returns None when the quote is not shaped like that (the caller then highlights it as a passage)."""
    segs = [s.strip() for s in quote.split(" | ")]
    if not table_row or len(segs) < 3:
        return None
    column = table_row.rsplit(" · ", 1)[-1].strip()
    cells = []
    for s in segs[2:]:
        m = re.fullmatch(r"(.*?)\s*(-?[\d,.]+\S*)", s)
        if m and m.group(1) == column:
            cells.append(f'<span class="gk-cell gk-cited">{esc(m.group(1))} <mark>{esc(m.group(2))}</mark></span>')
        else:
            cells.append(f'<span class="gk-cell">{esc(s)}</span>')
    if not any("gk-cited" in c for c in cells):
        cells = [f'<span class="gk-cell">{highlight(s, value)}</span>' for s in segs[2:]]
    return (f'<div class="gk-rowtitle">{esc(segs[0])}</div><div class="gk-rowlabel">{esc(segs[1])}</div>'
            f'<div class="gk-cells">{"".join(cells)}</div>')


def card(c: Citation, value: object = None, open_: bool = False) -> str:
    """Return one source card: a <details> whose summary names agency, year, section, row/page."""
    year = f"{c.year}年" if c.year else "年份未知"
    head = " · ".join(x for x in (esc(c.agency), esc(year), esc(c.section), esc(where(c))) if x)
    source = PurePath(c.source).name if c.source else ""
    foot = f"报告 report: {esc(c.report_id)}" + (f" · 文件 file: {esc(source)}" if source else "")
    if not c.quote:
        quote = "<i>（无引文 no quote）</i>"
    else:
        quote = row_quote(c.quote, c.table_row, value) or highlight(c.quote, value)
    return (f'<details class="gk-card"{" open" if open_ else ""}><summary>{head}</summary>'
            f'<div class="gk-quote">{quote}</div><div class="gk-foot">{foot}</div></details>')


def reading_line(a: Answer) -> str:
    """Return how the question was read ("按：机构 · 2019 · 表三 … · 总计"), one line; "" when not given."""
    interp = getattr(a, "interpretation", None)
    line = interp.get("line") if isinstance(interp, dict) else None
    return " ".join(str(line).split()) if line else ""


def answer_html(a: Answer) -> str:
    """Return the chat message for an answer: the reading, figure/text, verified mark, notes, source cards."""
    parts = ['<div class="gk-answer">']
    reading = reading_line(a)
    if reading:
        parts.append(f'<div class="gk-reading">{esc(reading)}</div>')
    if a.kind == "not_found":
        parts.append(f'<p class="gk-notfound">{esc(NOT_FOUND)}</p>')
        if a.answer and a.answer.strip() and a.answer.strip() != NOT_FOUND:
            parts.append(f'<p class="gk-text">{_lines(esc(a.answer))}</p>')
    else:
        if a.kind == "figure" and a.value is not None:
            badge = ""
            if a.verified is True:
                badge = '<span class="gk-verified" title="与报告原表核对一致 checked against the report table">✓ 已核对 verified</span>'
            elif a.verified is False:
                badge = '<span class="gk-unverified" title="未能与报告原表核对 not checked">未核对 unverified</span>'
            parts.append(f'<div class="gk-figure"><span class="gk-value">{esc(fmt_value(a.value))}</span>'
                         f'<span class="gk-unit">{esc(a.unit or "")}</span>{badge}</div>')
        if a.answer:
            parts.append(f'<p class="gk-text">{_lines(esc(a.answer))}</p>')
    for n in a.notes:
        parts.append(f'<div class="gk-note">⚠ {_lines(esc(n))}</div>')
    if a.citations:
        value = a.value if a.kind == "figure" else None
        parts.append(f'<div class="gk-sources-title">来源 Sources（{len(a.citations)}）</div>')
        parts += [card(c, value, open_=(i == 0)) for i, c in enumerate(a.citations)]
    parts.append("</div>")
    return "".join(parts)


# 20 distinct colours (Tableau 20 order: strong then light); more series than this repeat them
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]


def series_colors(names) -> dict[str, str]:
    """Return one colour per distinct name, in first-seen order (the chart's color_map and its legend)."""
    out: dict[str, str] = {}
    for n in names:
        if n not in out:
            out[n] = PALETTE[len(out) % len(PALETTE)]
    return out


def legend_html(colors: dict[str, str], title: str = "") -> str:
    """Return the chart's legend as wrapping HTML items (the plot's own legend is one row that clips and
    overlaps with many agencies); a long name is cut with … and shown whole on hover."""
    if not colors:
        return ""
    items = "".join(f'<span class="gk-legend-item" title="{esc(n)}"><span class="gk-swatch" '
                    f'style="background:{esc(c)}"></span><span class="gk-legend-name">{esc(n)}</span></span>'
                    for n, c in colors.items())
    head = f'<span class="gk-legend-title">{esc(title)}</span>' if title else ""
    return f'<div class="gk-legend">{head}{items}</div>'


def error_html(message: str) -> str:
    """Return a chat message for a failure (the message is escaped)."""
    return f'<div class="gk-answer"><div class="gk-note">⚠ {esc(message)}</div></div>'


CSS = """
.gk-answer { line-height: 1.55; }
.gk-reading { font-size: .85em; color: #6b7280; margin-bottom: .2em; overflow-wrap: anywhere; }
.gk-figure { display: flex; align-items: baseline; gap: .4em; margin: .1em 0 .3em; }
.gk-value { font-size: 1.9em; font-weight: 700; }
.gk-unit { font-size: 1.1em; }
.gk-verified { font-size: .8em; color: #166534; background: #dcfce7; border-radius: 999px; padding: 0 .6em; }
.gk-unverified { font-size: .8em; color: #92400e; background: #fef3c7; border-radius: 999px; padding: 0 .6em; }
.gk-notfound { font-weight: 600; }
.gk-note { color: #92400e; background: #fffbeb; border-left: 3px solid #f59e0b; padding: .3em .6em; margin: .3em 0; }
.gk-sources-title { margin-top: .6em; font-size: .85em; color: #6b7280; }
details.gk-card { border: 1px solid #d1d5db; border-radius: 8px; padding: .3em .7em; margin: .35em 0;
  background: rgba(127,127,127,.05); }
details.gk-card > summary { cursor: pointer; font-size: .9em; }
.gk-quote { white-space: normal; font-size: .9em; margin: .4em 0; padding-left: .6em;
  border-left: 3px solid #93c5fd; overflow-wrap: anywhere; }
.gk-quote mark { background: #fde047; color: inherit; padding: 0 .15em; border-radius: 3px; font-weight: 700; }
.gk-rowtitle { font-size: .8em; color: #6b7280; }
.gk-rowlabel { font-weight: 600; margin: .15em 0; }
.gk-cells { display: flex; flex-wrap: wrap; gap: .3em; }
.gk-cell { border: 1px solid #e5e7eb; border-radius: 4px; padding: 0 .4em; white-space: nowrap; }
.gk-cell.gk-cited { border-color: #eab308; }
.gk-foot { font-size: .75em; color: #6b7280; }
.gk-legend { display: flex; flex-wrap: wrap; gap: .25em 1em; align-items: center; font-size: .85em; }
.gk-legend-title { color: #6b7280; margin-right: .3em; }
.gk-legend-item { display: inline-flex; align-items: center; gap: .35em; min-width: 0; max-width: 22em; }
.gk-legend-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.gk-swatch { flex: none; width: .9em; height: .9em; border-radius: 2px; }
#gk-source-text textarea { font-family: ui-monospace, monospace; font-size: .85em; }
"""
