"""Writers for eval.shapes: markdown as converters write it, text copied from a PDF viewer, and HTML as
Word exports it (labels cut into <span>/<font> runs, "&nbsp;" cells, navigation, a script-written page).
"""

from __future__ import annotations

import html as _html
import json
import random
from pathlib import Path

from eval import synth_render as R


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
