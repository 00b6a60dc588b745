"""Writers for eval.shapes: markdown as converters write it, text copied from a PDF viewer, and HTML as
Word exports it (labels cut into <span>/<font> runs, "&nbsp;" cells, navigation, a script-written page).
"""

from __future__ import annotations

import html as _html
import json
import random
import re
from pathlib import Path

from eval import synth_render as R
from index import template as T


def write_md(blocks, path: Path) -> None:
    """Markdown as a PDF→markdown converter writes it: pipe tables, merged cells once."""
    out = []
    for kind, content in blocks:
        if kind == "table":
            g, _ = R.grid(content)
            out.append("")
            for i, row in enumerate(g):
                out.append("| " + " | ".join(row) + " |")
                if i == 0:
                    out.append("|" + " --- |" * len(row))
            out.append("")
        elif kind == "title":
            out.append("# " + str(content).replace("\n", "\n# "))
        elif kind == "heading":
            out.append("## " + str(content))
        else:
            out.append(str(content))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_spaced(blocks, path: Path) -> None:
    """Text copied from a PDF viewer: cells separated by one space, empty cells gone."""
    out = []
    for kind, content in blocks:
        if kind == "table":
            g, _ = R.grid(content)
            out.extend(" ".join(c for c in row if c) for row in g)
        else:
            out.append(str(content))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _spans(text: str, rng: random.Random) -> str:
    """Word's HTML: a label cut into <span>/<font> runs at arbitrary characters."""
    e = _html.escape
    if len(text) < 2:
        return e(text)
    cuts = sorted(rng.sample(range(1, len(text)), min(3, len(text) - 1)))
    parts = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    tags = ("<span lang=EN-US style='font-family:宋体'>{}</span>", "<font face=宋体>{}</font>",
            "<span style='mso-bidi-font-size:10.5pt'>{}</span>")
    return "".join(tags[i % 3].format(e(p)) for i, p in enumerate(parts))


def write_wordhtml(blocks, path: Path, *, seed: str, year: int, nav: bool = False, script: bool = False) -> None:
    """An HTML page as Word exports it and a site publishes it (navigation and a metadata block before the
    report when `nav`, the report written by a script when `script`)."""
    rng = random.Random(seed)
    body = []
    for kind, content in blocks:
        if kind == "table":
            body.append("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>")
            for row in content:
                tds = []
                for t, rs, cs in row:
                    inner = _spans(t, rng) if t else "&nbsp;"
                    attrs = (f" rowspan={rs}" if rs > 1 else "") + (f" colspan={cs}" if cs > 1 else "")
                    tds.append(f"<td{attrs} valign=center><p class=MsoNormal align=center>{inner}</p></td>")
                body.append("<tr style='height:20.0pt'>" + "".join(tds) + "</tr>")
            body.append("</table>")
        else:
            text = str(content).replace("\n", "<br>")
            body.append(f"<p class=MsoNormal style='text-indent:21.0pt'>{_spans(text, rng) if '<br>' not in text else text}"
                        "</p>")
    article = "\n".join(body)
    head = ""
    if nav:
        other = year - 1
        head = ("<div class=nav><a href='/'>首页</a> &gt; <a>政府信息公开</a> &gt; <a>年度报告</a></div>"
                f"<ul class=links><li><a>{other}年政府信息公开工作年度报告</a></li><li><a>机构职能</a></li></ul>"
                "<table class=meta><tr><td>索引号：</td><td>11350100MB1234567X/2025-00012</td><td>发布机构：</td>"
                f"<td>办公室</td></tr><tr><td>生成日期：</td><td>{year + 1}-01-20</td><td>公开方式：</td>"
                "<td>主动公开</td></tr></table>")
    if script:
        js = json.dumps(article, ensure_ascii=True)
        page = (f"<html><head><meta charset=utf-8><title>年度报告</title></head><body>{head}<div id=content></div>"
                f"<script>var html = {js};document.getElementById('content').innerHTML = html;</script></body></html>")
    else:
        page = (f"<html><head><meta charset=utf-8><title>年度报告</title></head><body>{head}"
                f"<div class=WordSection1>{article}</div></body></html>")
    path.write_text(page, encoding="utf-8")


# ---------------------------------------------------------------- layouts that spread a row over lines

def _is_value(c: str) -> bool:
    return bool(c) and not re.search(r"[\u4e00-\u9fff]", c.replace("万元", "").replace("元", "").replace("减少", ""))


def _label_at(row: list[str]) -> int | None:
    """Index of a data row's label cell (the last cell with words before the values), None for a header."""
    if not any(_is_value(c) for c in row):
        return None
    words = [j for j, c in enumerate(row) if c and not _is_value(c)]
    return words[-1] if words else None


def _wrapped(row: list[str], sep: str, style: str, rng: random.Random) -> list[str]:
    """A row whose label is cut in two: the tail alone on the next line, or the head alone on the line above."""
    def line(cells: list[str]) -> str:
        return sep.join(c for c in cells if c) if sep == " " else sep.join(cells).rstrip(sep)

    j = _label_at(row)
    if j is None or len(row[j]) < 5:
        return [line(row)]
    cut = rng.randrange(2, len(row[j]) - 1)
    a, b = row[j][:cut], row[j][cut:]
    # tab-separated text keeps each piece in its column (the cells before it empty)
    pad = [""] * j if sep == "\t" else [" " * 11]
    if style == "tail":  # "5.要求行政机关确认或 0 0 …" then "重新出具已获取信息"
        return [line(row[:j] + [a] + row[j + 1:]), sep.join(pad + [b])]
    # "1.申请人无正当理由逾期不补正、行政机关不再" then "处理其政府信息公开申请 21 2 …"
    return [line(row[:j] + [a]), line(([""] * j if sep == "\t" else []) + [b] + row[j + 1:])]


def write_aligned(blocks, path: Path, *, sep: str = " ", wrap: str = "", continued: bool = False,
                  seed: str = "") -> None:
    """Text copied from a PDF (cells separated by `sep`) with row labels wrapped over two lines (`wrap`:
    tail, head or mixed) and/or each table broken over a page (`continued`: a footer, "（续表）" and the
    column headers again)."""
    rng = random.Random(seed)
    out: list[str] = []
    page = 2
    for kind, content in blocks:
        if kind != "table":
            out.append(str(content))
            continue
        g, _ = R.grid(content)
        data = [i for i, row in enumerate(g) if _label_at(row) is not None]
        heads = [row for row in g[:data[0]]] if data else []
        brk = rng.choice(data[1:] or data) if continued and data else -1
        for i, row in enumerate(g):
            if i == brk:
                out += ["", f"第 {page} 页 共 {page + 4} 页", "", "（续表）"]
                out += [sep.join(c for c in h if c) for h in heads]
                page += 1
            if wrap and i in data and rng.random() < 0.6:
                style = wrap if wrap != "mixed" else rng.choice(("tail", "head"))
                out += _wrapped(row, sep, style, rng)
            else:
                out.append(sep.join(c for c in row if c) if sep == " " else sep.join(row).rstrip(sep))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_cells(blocks, path: Path, *, seed: str = "", continued: bool = False) -> None:
    """Text copied from a PDF cell by cell: every table cell on its own line, longer header and label cells
    split over two lines, a page footer ("— 5 —") every few dozen lines, inside tables too."""
    rng = random.Random(seed)
    out: list[str] = []
    page, since = 1, 0

    def emit(s: str) -> None:
        nonlocal page, since
        out.append(s)
        since += 1
        if since >= rng.randrange(25, 45):
            page += 1
            out.extend(["", f"— {page} —", ""])
            since = 0

    for kind, content in blocks:
        if kind != "table":
            emit(str(content))
            continue
        g, _ = R.grid(content)
        data = [i for i, row in enumerate(g) if _label_at(row) is not None]
        brk = rng.choice(data[1:] or data) if continued and data else -1
        for i, row in enumerate(g):
            if i == brk:
                page += 1
                out.extend(["", f"— {page} —", "", "（续表）"])
            for c in row:
                if not c:
                    continue
                if not _is_value(c) and len(c) >= 4 and rng.random() < 0.5:
                    cut = rng.randrange(2, len(c) - 1)
                    emit(c[:cut])
                    emit(c[cut:])
                else:
                    emit(c)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- label/value cards

_ENUM_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d\.)")
_REWORDED = {"new": "本年度新收政府信息公开申请数量", "carried_over": "上年度结转政府信息公开申请数量",
             "partial": "部分公开（区分处理的，只计这一情形）", "carry_forward": "结转下年度继续办理的申请数量",
             "other_2": "申请人逾期未缴纳信息处理费，行政机关不再处理"}


def card_tables(template: str, cells: dict[str, str], renumbered: bool, seed: str) -> dict[str, list[str]]:
    """Tables 2–4 as label/value cards ("自然人：9；商业企业：2；…"), labels as the template prints them or
    reworded and renumbered (1.–7., （1）…). Returns the lines of each table ("t2", "t3", "t4")."""
    rng = random.Random(seed)
    split = "table3.other_1.total" in cells

    def val(k: str, unit: str = "") -> str:
        v = cells[k]
        return v + unit if v and v not in ("—", "/") else v

    t2: list[str] = []
    group = ""
    for n, spec in enumerate(T.table2_rows(template)):
        if spec.group != group:
            group = spec.group
            t2.append(f"（{'一二三四五'[len({s.group for s in T.table2_rows(template)[:n]})]}）{group}")
        pairs = [f"{T.column_label('table2', template, spec.key, c)}{val(f'table2.{spec.key}.{c}')}"
                 for c in spec.columns]
        t2.append(f"{spec.label}：{'；'.join(pairs)}")
    t3 = ["（说明：本表第一项加第二项之和，等于第三项加第四项之和；“—”“/”表示无此项）"]
    specs = T.table3_rows(template, split)
    heads = ["一", "二", "三", "四", "五", "六", "七"]
    top = 0
    group = ""
    sub = 0
    for spec in specs:
        label = spec.label
        if renumbered:
            bare = _ENUM_LEAD.sub("", _REWORDED.get(spec.key, label) if rng.random() < 0.7 else label)
            if spec.key in ("new", "carried_over", "carry_forward"):
                label = f"{heads[top]}、{bare}"
                top += 1
                if spec.key == "carried_over":
                    t3_after = f"{heads[top]}、本年度办理结果"
                    top += 1
            elif spec.group.startswith("（"):
                if spec.group != group:
                    group, sub = spec.group, 0
                    t3.append(f"{'一二三四五六七'.index(group[1]) + 1}.{group[3:]}")
                sub += 1
                label = f"（{sub}）{bare}{'的' if rng.random() < 0.5 else ''}"
            else:  # （一）予以公开 … （七）总计, one row each
                label = f"{'一二三四五六七'.index(spec.label[1]) + 1}.{bare}"
        elif spec.group.startswith("（") and spec.group != group:
            group = spec.group
            t3.append(group)
        if spec.key == "granted":
            t3.append(t3_after if renumbered else "三、本年度办理结果")
        t3.append(label)
        t3.append("　　" + "；".join(f"{T.COLUMN_LABELS[c]}：{cells[f'table3.{spec.key}.{c}']}"
                                   for c in T.T3_COLUMNS))
    t4 = []
    for i, (g, _) in enumerate(T.T4_GROUPS):
        pairs = "；".join(f"{T.COLUMN_LABELS[c]}{val(f'table4.{g}.{c}', '件')}" for c in T.T4_COLUMNS) + "。"
        if i == 0:
            t4.append(f"（一）行政复议：{pairs}")
        else:
            if i == 1:
                t4.append("（二）行政诉讼")
            t4.append(f"{i}.{'未经复议直接起诉' if i == 1 else '复议后起诉'}：{pairs}")
    return {"t2": t2, "t3": t3, "t4": t4}


def write_cards(blocks, path: Path) -> None:
    """A web page whose tables are label/value cards: table blocks hold their lines already."""
    out = []
    for kind, content in blocks:
        out.extend(content if kind == "table" else [str(content)])
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
