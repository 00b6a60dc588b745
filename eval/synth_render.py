"""Synthetic reports on paper: the template's three tables as merged-cell grids, written as TXT, HTML,
DOCX and PDF.

A table is a list of rows; a row a list of cells (text, rowspan, colspan); positions covered by a
span are absent from the rows below/right of it (the HTML convention). `grid()` expands that to a
full rectangle for the formats that need one.
"""

from __future__ import annotations

import html as _html
from pathlib import Path

from index import template as T

Cell = tuple[str, int, int]

_T2_2021 = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("regulations", "normative_docs")),
    ("第二十条第（五）项", ("本年处理决定数量",), ("licensing",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("penalty", "coercion")),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("fees",)),
)
_T2_2019 = (
    ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("regulations", "normative_docs")),
    ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("licensing", "other_services")),
    ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("penalty", "coercion")),
    ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("fees",)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("procurement",)),
)


def _c(text, rowspan: int = 1, colspan: int = 1) -> Cell:
    return (str(text), rowspan, colspan)


def _val(s, key: str) -> str:
    from eval.synth import printed

    return printed(s.cells[key])


def table2_rows(s) -> list[list[Cell]]:
    """Table 2 of the report's template generation (4 columns)."""
    rows: list[list[Cell]] = []
    specs = {r.key: r for r in T.table2_rows(s.template)}
    for group, headers, keys in (_T2_2021 if s.template == "2021" else _T2_2019):
        rows.append([_c(group, 1, 4)])
        span = 4 - len(headers)  # the last header/value stretches over unused columns
        rows.append([_c("信息内容")] + [_c(h, 1, 1 + (span if i == len(headers) - 1 else 0))
                                       for i, h in enumerate(headers)])
        for k in keys:
            spec = specs[k]
            vals = [_val(s, f"table2.{k}.{col}") for col in spec.columns]
            rows.append([_c(spec.label)] + [_c(v, 1, 1 + (span if i == len(vals) - 1 else 0))
                                           for i, v in enumerate(vals)])
    return rows


def table3_rows(s) -> list[list[Cell]]:
    """Table 3 (3 label columns + 7 number columns) with the template's merged group headers."""
    split = s.template == "2021"
    specs = T.table3_rows(s.template, split)

    def nums(key: str) -> list[Cell]:
        return [_c(_val(s, f"table3.{key}.{col}")) for col in T.T3_COLUMNS]

    rows: list[list[Cell]] = [
        [_c("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), _c("申请人情况", 1, 7)],
        [_c("自然人", 2), _c("法人或其他组织", 1, 5), _c("总计", 2)],
        [_c(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
        [_c(specs[0].label, 1, 3)] + nums("new"),
        [_c(specs[1].label, 1, 3)] + nums("carried_over"),
    ]
    results = list(specs[2:-1])  # （一）予以公开 … （七）总计
    groups: dict[str, list] = {}
    for spec in results:
        groups.setdefault(spec.group if spec.group.startswith("（") else spec.key, []).append(spec)
    lead = [_c("三、本年度办理结果", len(results))]
    for head, members in groups.items():
        if head.startswith("（"):  # a group with numbered sub-rows
            for j, spec in enumerate(members):
                cells = lead + ([_c(head, len(members))] if j == 0 else [])
                rows.append(cells + [_c(spec.label)] + nums(spec.key))
                lead = []
        else:
            rows.append(lead + [_c(members[0].label, 1, 2)] + nums(members[0].key))
            lead = []
    rows.append([_c(specs[-1].label, 1, 3)] + nums("carry_forward"))
    return rows


def table4_rows(s) -> list[list[Cell]]:
    """Table 4: 行政复议 (5 columns) and 行政诉讼 (two groups of 5), fifteen numbers in one row."""
    heads = [_c(T.COLUMN_LABELS[c]) for c in T.T4_COLUMNS]
    return [
        [_c("行政复议", 2, 5), _c("行政诉讼", 1, 10)],
        [_c("未经复议直接起诉", 1, 5), _c("复议后起诉", 1, 5)],
        heads * 3,
        [_c(_val(s, f"table4.{g}.{c}")) for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS],
    ]


def grid(rows: list[list[Cell]]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Return (full grid with text in each span's first position, spans as (r0, c0, r1, c1))."""
    taken: dict[tuple[int, int], str] = {}
    spans = []
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            for i in range(rs):
                for j in range(cs):
                    taken[(r + i, c + j)] = text if (i, j) == (0, 0) else ""
            if rs > 1 or cs > 1:
                spans.append((r, c, r + rs - 1, c + cs - 1))
            c += cs
    nr = max(k[0] for k in taken) + 1
    nc = max(k[1] for k in taken) + 1
    return [[taken.get((i, j), "") for j in range(nc)] for i in range(nr)], spans


# ---------------------------------------------------------------- writers

def write_txt(blocks, path: Path) -> None:
    """Text as copied out of a PDF or web page: table cells tab-separated, merged cells once."""
    out = []
    for kind, content in blocks:
        if kind == "table":
            g, _ = grid(content)
            out.extend("\t".join(row).rstrip("\t") for row in g)
        else:
            out.append(str(content))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_flat(blocks, path: Path) -> None:
    """Text copied off a web page: the page title on its own line, then the whole article on one line
    with the table cells run together without separators (as in the corpus's pingtan-*.txt)."""
    titles = [str(c) for k, c in blocks if k == "title"]
    out = []
    for kind, content in blocks:
        if kind == "table":
            g, _ = grid(content)
            out.append("".join("".join(row) for row in g))
        else:
            out.append(str(content) + (" " if kind == "title" else ""))
    path.write_text("".join(titles) + "\n当前位置： 首页 > 政府信息公开 > 年度报告 " + "".join(out) + " 附件下载\n",
                    encoding="utf-8")


def write_html(blocks, path: Path) -> None:
    """A government web page: <h>/<p> and <table> with rowspan/colspan."""
    e = _html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{e(blocks[0][1])}{e(blocks[1][1])}</title></head><body>",
           '<div class="nav">首页 &gt; 政府信息公开 &gt; 年度报告</div>', '<div class="article">']
    for kind, content in blocks:
        if kind == "title":
            out.append(f"<h2>{e(content)}</h2>")
        elif kind == "heading":
            out.append(f"<p><strong>{e(content)}</strong></p>")
        elif kind == "para":
            out.append(f"<p>{e(content)}</p>")
        else:
            out.append('<table border="1" cellspacing="0">')
            for row in content:
                tds = "".join(f"<td{f' rowspan={rs}' if rs > 1 else ''}{f' colspan={cs}' if cs > 1 else ''}>"
                              f"{e(t)}</td>" for t, rs, cs in row)
                out.append(f"<tr>{tds}</tr>")
            out.append("</table>")
    out.append("</div></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def write_docx(blocks, path: Path) -> None:
    """A Word document: paragraphs and tables whose group headers are merged cells."""
    import docx

    d = docx.Document()
    for kind, content in blocks:
        if kind == "title":
            d.add_heading(str(content), level=1)
        elif kind in ("heading", "para"):
            d.add_paragraph(str(content))
        else:
            g, spans = grid(content)
            t = d.add_table(rows=len(g), cols=len(g[0]))
            t.style = "Table Grid"
            for i, row in enumerate(g):
                for j, text in enumerate(row):
                    if text:
                        t.cell(i, j).text = text
            for r0, c0, r1, c1 in spans:
                text = g[r0][c0]
                m = t.cell(r0, c0).merge(t.cell(r1, c1))
                m.text = text  # merging joins the cells' paragraphs; keep one
    d.save(str(path))


_FONT = "STSong-Light"


def write_pdf(blocks, path: Path) -> None:
    """A PDF with a text layer (reportlab, built-in CID font) and ruled tables (pdfplumber finds them)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    body = ParagraphStyle("body", fontName=_FONT, fontSize=10.5, leading=16, wordWrap="CJK", firstLineIndent=21)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1, firstLineIndent=0)
    head = ParagraphStyle("head", parent=body, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName=_FONT, fontSize=7, leading=9, wordWrap="CJK")
    story = []
    width = A4[0] - 2 * 56
    for kind, content in blocks:
        if kind == "title":
            story.append(Paragraph(_html.escape(str(content)), title))
        elif kind == "heading":
            story.append(Paragraph(_html.escape(str(content)), head))
        elif kind == "para":
            story.append(Paragraph(_html.escape(str(content)), body))
        else:
            g, spans = grid(content)
            nc = len(g[0])
            if nc == 10:  # table 3: wide label columns
                cols = [40, 40, 110] + [(width - 190) / 7] * 7
            elif nc == 4:
                cols = [width * 0.34] + [width * 0.22] * 3
            else:
                cols = [width / nc] * nc
            data = [[Paragraph(_html.escape(t), cell) if t else "" for t in row] for row in g]
            tbl = Table(data, colWidths=cols, repeatRows=0)
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), _FONT),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans]
            tbl.setStyle(TableStyle(style))
            story += [Spacer(1, 4), tbl, Spacer(1, 6)]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=56, rightMargin=56, topMargin=56, bottomMargin=56,
                      title="政府信息公开工作年度报告").build(story)
