"""Extraction on report shapes nobody tuned for (issue 11): one test per defect class, on inputs written here.

Each input is a small report in the national template typed as real reports are: tables found by their
shape, separators respected, negative numbers, row labels lost, agency and year from wherever they are.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import template as T
from index.parse import parse_file

# a 2021-template report's cells (every identity holds)
T3 = {"new": [5, 1, 0, 0, 0, 0, 6], "carried_over": [1, 0, 0, 0, 0, 0, 1], "granted": [3, 1, 0, 0, 0, 0, 4],
      "partial": [1, 0, 0, 0, 0, 0, 1], "unable_1": [1, 0, 0, 0, 0, 0, 1], "total": [5, 1, 0, 0, 0, 0, 6],
      "carry_forward": [1, 0, 0, 0, 0, 0, 1]}
T4 = [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
T2 = {"regulations": ["0", "0", "3"], "normative_docs": ["22", "4", "235"], "licensing": ["1280"],
      "penalty": ["96"], "coercion": ["7"], "fees": ["0"]}


def t3_row(key: str) -> list[int]:
    return T3.get(key, [0] * 7)


def report_text(*, title="福清市江镜镇人民政府\n2023年政府信息公开工作年度报告", t4_heading="四、政府信息公开行政复议、行政诉讼情况",
                sep="\t", t2=None, t3_label=None, t4_headers=True, preamble=None, sign="福清市江镜镇人民政府") -> str:
    """A 2021-template report as text; cells joined by `sep`; t3_label(key, label) may rewrite a row label."""
    t2 = t2 or T2
    lines = [title, preamble if preamble is not None else
             "本报告由福清市江镜镇人民政府根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自2023年1月1日起至"
             "2023年12月31日止。", "一、总体情况", "2023年，本机关主动公开政府信息120条。", "二、主动公开政府信息情况",
             "第二十条第（一）项", sep.join(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])]
    for spec in T.T2_2021:
        lines.append(sep.join([spec.label, *t2[spec.key]]))
    lines += ["三、收到和处理政府信息公开申请情况", sep.join(["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织",
                                                  "法律服务机构", "其他", "总计"])]
    for spec in T.T3_2021:
        label = t3_label(spec.key, spec.label) if t3_label else spec.label
        lines.append(sep.join([x for x in [label, *map(str, t3_row(spec.key))] if x != ""]))
    if t4_heading:
        lines.append(t4_heading)
    if t4_headers:
        lines.append(sep.join(["行政复议", "行政诉讼"]))
        lines.append(sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3))
    lines.append(sep.join(map(str, T4)))
    lines += ["五、存在的主要问题及改进情况", "一是政策解读形式不够丰富。", "六、其他需要报告的事项", "本机关未收取信息处理费。"]
    if sign:
        lines += [sign, "2024年1月20日"]
    return "\n".join(lines) + "\n"


def parse_text(tmp_path: Path, text: str, name: str = "r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return parse_file(p)


def cells(r, table: str) -> dict:
    return {f.key: f.value for f in r.facts if f.table == table}


def test_plain_report_reads_every_cell(tmp_path):
    r = parse_text(tmp_path, report_text())
    assert r.agency == "福清市江镜镇人民政府" and r.year == 2023
    assert (r.agency_source, r.year_source) == ("title", "title")
    assert cells(r, "table4")["suit_direct.total"] == 1
    assert cells(r, "table2")["normative_docs.in_force"] == 235
    assert not r.unread and not r.audit


# ---------------------------------------------------------------- 1. tables found by their shape

@pytest.mark.parametrize("heading", ["四、政府信息公开行政法复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                                     "五、政府信息公开行政复议、行政诉讼情况", None])
def test_table4_found_by_its_headers_whatever_the_heading(tmp_path, heading):
    r = parse_text(tmp_path, report_text(t4_heading=heading))
    t4 = cells(r, "table4")
    assert [t4[f"{g}.{c}"] for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS] == T4
    assert not r.tables_unreadable


def test_table4_without_headers_found_by_a_heading_with_a_typo(tmp_path):
    r = parse_text(tmp_path, report_text(t4_heading="四、政府信息公开行政法复议、行政诉讼情况", t4_headers=False))
    assert cells(r, "table4")["review.total"] == 4


def test_table4_missing_is_said_not_silent(tmp_path):
    text = report_text(t4_heading=None, t4_headers=False).replace("\t".join(map(str, T4)) + "\n", "")
    r = parse_text(tmp_path, text)
    assert "table4" in r.tables_unreadable
    assert "table4.suit_direct.total" in r.unread
    assert any("table 4" in w for w in r.warnings)


def test_glued_table4_split_under_its_identities(tmp_path):
    # "72 64 178 37 351 | 13 4 8 1 26 | 2 0 1 0 3" glued: only group sums tell the cells apart
    text = report_text().replace("\t".join(map(str, T4)), "7264178373511348126201 0 3")
    r = parse_text(tmp_path, text)
    t4 = cells(r, "table4")
    assert [t4[f"review.{c}"] for c in T.T4_COLUMNS] == [72, 64, 178, 37, 351]
    assert t4["suit_after_review.total"] == 3


def test_flattened_table4_ends_where_section_five_begins_on_the_same_line(tmp_path):
    # web page text: the fifteen cells glued, then section 5 on the same line with a year in its first sentence
    heads = "行政复议\t行政诉讼\n" + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3) + "\n"
    tail = heads + "\t".join(map(str, T4)) + "\n五、存在的主要问题及改进情况"
    assert tail in report_text()
    text = report_text().replace(tail, heads.replace("\n", "").replace("\t", "") + "0" * 15 +
                                 " 五、存在的主要问题及改进情况（一）存在的主要问题 3 条")
    r = parse_text(tmp_path, text)
    t4 = cells(r, "table4")
    assert [t4[f"{g}.{c}"] for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS] == [0] * 15
    assert not r.tables_unreadable


def test_fifteen_glued_digits_are_fifteen_cells_even_when_a_sum_fails(tmp_path):
    # a report whose own 复议 total is wrong (纠正 1, 总计 0): the cells as printed, the audit naming the group
    printed = [0, 1, 0, 0, 0] + [0] * 10
    text = report_text().replace("\t".join(map(str, T4)), "".join(map(str, printed)))
    r = parse_text(tmp_path, text)
    t4 = cells(r, "table4")
    assert [t4[f"{g}.{c}"] for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS] == printed
    assert "table4" not in r.tables_unreadable
    assert any("review.total" in str(a) for a in r.audit), r.audit


def test_a_glued_table2_row_settled_by_the_figures_its_own_text_states(tmp_path):
    t2 = {**T2, "normative_docs": ["224235"]}
    base = report_text(t2=t2).replace("行政规范性文件\t224235", "行政规范性文件224235")  # web text: label and cells glued
    glued = parse_text(tmp_path, base, "a.txt")
    assert cells(glued, "table2")["normative_docs.in_force"] is not None
    assert any(f.ambiguous for f in glued.facts if f.key.startswith("normative_docs."))
    said = base.replace("2023年，本机关主动公开政府信息120条。",
                                      "2023年，本机关主动公开政府信息120条，本年制发行政规范性文件22件，"
                                      "集中公开现行有效行政规范性文件235件。")
    r = parse_text(tmp_path, said, "b.txt")
    got = {f.key: (f.value, f.ambiguous) for f in r.facts if f.key.startswith("normative_docs.")}
    assert got == {"normative_docs.issued": (22, False), "normative_docs.repealed": (4, False),
                   "normative_docs.in_force": (235, False)}, got
    # a number the text gives another row (行政许可类235条) settles nothing here
    other = base.replace("2023年，本机关主动公开政府信息120条。", "2023年，公开行政规范性文件类5条，行政许可类235条。")
    o = parse_text(tmp_path, other, "c.txt")
    assert any(f.ambiguous for f in o.facts if f.key.startswith("normative_docs."))


# ---------------------------------------------------------------- 5. agency and year

@pytest.mark.parametrize("title,preamble,sign,name,source", [
    ("2023 年福清市江镜镇人民政府\n政府信息公开\n工作年度报告", None, "福清市江镜镇人民政府", "r.txt", "title"),
    ("福清市江镜镇人民政府2023年度政府信息公开年度报告", None, "福清市江镜镇人民政府", "r.txt", "title"),
    ("2023年政府信息公开工作年度报告", None, "", "r.txt", "preamble"),
    ("2023年政府信息公开工作年度报告", "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。", "福清市江镜镇人民政府",
     "r.txt", "signature"),
    ("2023年政府信息公开工作年度报告", "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。", "",
     "福清市江镜镇人民政府2023年政府信息公开工作年度报告.txt", "filename"),
])
def test_agency_found_and_its_source_recorded(tmp_path, title, preamble, sign, name, source):
    r = parse_text(tmp_path, report_text(title=title, preamble=preamble, sign=sign), name)
    assert r.agency == "福清市江镜镇人民政府"
    assert r.agency_source == source
    assert r.year == 2023


def test_year_from_the_statistics_period_when_the_title_has_none(tmp_path):
    r = parse_text(tmp_path, report_text(title="福清市江镜镇人民政府政府信息公开工作年度报告"))
    assert (r.agency, r.year, r.agency_source, r.year_source) == ("福清市江镜镇人民政府", 2023, "title", "period")


# ---------------------------------------------------------------- 2. separators respected

def test_separated_cells_are_never_cut_in_two(tmp_path):
    # "规章 22 235" with its 本年废止件数 blank (vanished in a space-separated copy): 22 · 2 · 35 is wrong
    t2 = {**T2, "regulations": ["22", "", "235"]}
    r = parse_text(tmp_path, report_text(sep=" ", t2=t2))
    facts = {f.key: f for f in r.facts if f.table == "table2"}
    got = [facts[f"regulations.{c}"] for c in ("issued", "repealed", "in_force")]
    assert {f.raw for f in got} <= {"22", "235", ""}
    assert all(f.ambiguous for f in got if f.value is None or f.key.endswith(("issued", "repealed")))
    assert facts["regulations.in_force"].value == 235
    assert facts["normative_docs.in_force"].value == 235 and not facts["normative_docs.in_force"].ambiguous


def test_trailing_empty_cells_are_blank_cells(tmp_path):
    # a tab-separated row whose 总计 cell is empty: the six numbers stay six cells
    text = report_text().replace("（一）予以公开\t3\t1\t0\t0\t0\t0\t4", "（一）予以公开\t31\t10\t0\t0\t0\t0\t")
    r = parse_text(tmp_path, text)
    t3 = cells(r, "table3")
    assert (t3["granted.natural"], t3["granted.commercial"], t3["granted.total"]) == (31, 10, None)


def test_glued_web_text_still_split(tmp_path):
    text = report_text().replace("行政规范性文件\t22\t4\t235", "行政规范性文件224235")
    r = parse_text(tmp_path, text)
    f = {x.key: x for x in r.facts}["normative_docs.in_force"]
    assert f.value is not None and f.ambiguous  # several readings: flagged, with the others kept
    assert f.alternatives


# ---------------------------------------------------------------- 3. negative numbers

@pytest.mark.parametrize("printed,value", [("-18", -18), ("－15", -15), ("−7", -7), ("减少3", -3), ("+5", 5)])
def test_negative_change_kept_and_row_not_resplit(tmp_path, printed, value):
    text = report_text().replace("2023年", "2020年").replace("2024年", "2021年")
    text = text.replace("\t".join(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
                        "\t".join(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]))
    rows = ["第二十条第（五）项", "\t".join(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]),
            f"行政许可\t396\t{printed}\t181", "其他对外管理服务事项\t10\t0\t153"]
    text = text.replace("行政许可\t1280", "\n".join(rows))
    r = parse_text(tmp_path, text)
    assert r.template == "2019"
    t2 = cells(r, "table2")
    assert (t2["licensing.prev_items"], t2["licensing.change"], t2["licensing.decisions"]) == (396, value, 181)


# ---------------------------------------------------------------- 4. row labels lost or merged

def test_row_whose_label_was_lost_takes_its_template_place(tmp_path):
    r = parse_text(tmp_path, report_text(t3_label=lambda k, lab: "" if k == "partial" else lab))
    t3 = cells(r, "table3")
    assert t3["partial.natural"] == 1 and t3["partial.total"] == 1
    assert t3["granted.total"] == 4 and t3["unable_1.total"] == 1
    assert not r.audit  # the parser's doubt is never reported as the report's arithmetic


def test_row_under_a_group_heading_whose_own_label_was_lost(tmp_path):
    # "（四）无法提供" printed on the row whose "1.本机关不掌握相关政府信息" went missing
    def label(key, lab):
        return "（四）无法提供" if key == "unable_1" else lab
    r = parse_text(tmp_path, report_text(t3_label=label))
    t3 = cells(r, "table3")
    assert t3["unable_1.natural"] == 1 and t3["unable_2.natural"] == 0
    assert not r.audit


def test_two_labels_merged_into_one_line(tmp_path):
    labels = {s.key: s.label for s in T.T3_2021}

    def label(key, lab):
        if key == "granted":
            return lab + labels["partial"]
        return "" if key == "partial" else lab
    r = parse_text(tmp_path, report_text(t3_label=label))
    t3 = cells(r, "table3")
    assert (t3["granted.total"], t3["partial.total"]) == (4, 1)
    assert not r.audit


# ---------------------------------------------------------------- 6. real HTML as published

def _word_html(report: str, *, nbsp_zero=False, nav=False, script=False) -> str:
    """A report as Word exports it to HTML: every cell a <p> with <span>/<font> runs cut mid-word."""
    import html
    import json as _json

    def spans(t: str) -> str:
        if len(t) < 3:
            return html.escape(t)
        a, b = len(t) // 3, 2 * len(t) // 3
        return (f"<span lang=EN-US>{html.escape(t[:a])}</span><font face=宋体>{html.escape(t[a:b])}</font>"
                f"<span style='mso-bidi-font-size:10.5pt'>{html.escape(t[b:])}</span>")

    body = []
    for line in report.splitlines():
        if "\t" in line:
            tds = []
            for c in line.split("\t"):
                if nbsp_zero and c == "0":
                    c = ""
                tds.append(f"<td><p class=MsoNormal>{spans(c) if c else '&nbsp;'}</p></td>")
            body.append(f"<table class=MsoNormalTable><tr>{''.join(tds)}</tr></table>")
        else:
            body.append(f"<p class=MsoNormal>{spans(line)}</p>")
    article = "\n".join(body)
    head = ("<div class=nav>首页 &gt; 政府信息公开 &gt; 年度报告</div><ul><li><a>2022年政府信息公开工作年度报告</a></li>"
            "</ul><table><tr><td>索引号：</td><td>11350100-2024-00012</td><td>发布机构：</td><td>办公室</td></tr></table>"
            if nav else "")
    if script:
        return (f"<html><body>{head}<div id=c></div><script>var html = {_json.dumps(article)};"
                "document.getElementById('c').innerHTML = html;</script></body></html>")
    return f"<html><body>{head}<div class=WordSection1>{article}</div></body></html>"


def test_word_html_labels_split_across_spans(tmp_path):
    r = parse_text(tmp_path, _word_html(report_text()), "r.html")
    assert cells(r, "table3")["granted.total"] == 4 and cells(r, "table4")["review.total"] == 4
    assert r.agency == "福清市江镜镇人民政府" and not r.unread


def test_word_html_blank_cells_keep_their_columns(tmp_path):
    r = parse_text(tmp_path, _word_html(report_text(), nbsp_zero=True), "r.html")
    t3 = cells(r, "table3")
    assert (t3["new.natural"], t3["new.commercial"], t3["new.research"], t3["new.total"]) == (5, 1, None, 6)
    assert all(t3[f"not_processed_1.{c}"] is None for c in T.T3_COLUMNS)  # a row of blank cells
    assert not [f for f in r.facts if f.ambiguous]


def test_blank_total_column_stays_blank(tmp_path):
    text = report_text().replace("（一）予以公开\t3\t1\t0\t0\t0\t0\t4", "（一）予以公开\t3\t1\t0\t0\t0\t0\t")
    t3 = cells(parse_text(tmp_path, _word_html(text), "r.html"), "table3")
    assert (t3["granted.natural"], t3["granted.commercial"], t3["granted.total"]) == (3, 1, None)


def test_navigation_before_the_report_is_not_its_title(tmp_path):
    r = parse_text(tmp_path, _word_html(report_text(), nav=True), "r.html")
    assert (r.agency, r.year) == ("福清市江镜镇人民政府", 2023)


def test_report_written_into_the_page_by_a_script(tmp_path):
    r = parse_text(tmp_path, _word_html(report_text(), script=True), "r.html")
    assert r.year == 2023 and cells(r, "table4")["suit_direct.total"] == 1


# ---------------------------------------------------------------- what `gongkai reports` shows

def test_reports_list_shows_tables_cells_and_sources(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from index.store import FactStore

    home = tmp_path / "home"
    store = FactStore(home / "facts.sqlite")
    no_t4 = report_text(title="2023年政府信息公开工作年度报告", t4_heading=None, t4_headers=False)
    no_t4 = no_t4.replace("\t".join(map(str, T4)) + "\n", "")
    store.put(parse_text(tmp_path, no_t4, "a.txt"))
    store.put(parse_text(tmp_path, report_text(), "b.txt"))
    store.close()
    env = {**os.environ, "GONGKAI_HOME": str(home)}
    out = subprocess.run([sys.executable, "-m", "gongkai.cli", "reports", "--json"], capture_output=True, text=True,
                         env=env, check=True)
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    a, b = rows["a"], rows["b"]
    assert a["tables_found"] == ["table2", "table3"] and a["tables_unreadable"] == ["table4"]
    assert (a["agency_source"], a["year_source"]) == ("preamble", "title")
    assert b["cells"] == len(T.all_keys("2021", True)) and b["ambiguous"] == 0 and b["audit_failures"] == 0
    text = subprocess.run([sys.executable, "-m", "gongkai.cli", "reports"], capture_output=True, text=True,
                          env=env, check=True).stdout
    assert "2 3 -4" in text and "preamble" in text
    assert "unreadable: a: table 4 could not be read" in text
    audit = subprocess.run([sys.executable, "-m", "gongkai.cli", "audit"], capture_output=True, text=True, env=env)
    assert "a: table 4 could not be read" in audit.stdout


# ---------------------------------------------------------------- 7. glued table-2 runs across years

def test_glued_table2_run_settled_by_the_year_before(tmp_path):
    from index.store import FactStore

    prev = report_text(t2={**T2, "normative_docs": ["5", "0", "257"]}).replace("2024年", "2023年")
    prev = prev.replace("2023年", "2022年")
    # 2023 prints 行政规范性文件 2 · 24 · 235 glued: "224235" reads 22 4 235 just as well (kept first alone)
    this = report_text().replace("行政规范性文件\t22\t4\t235", "行政规范性文件224235")
    alone = parse_text(tmp_path, this, "this.txt")
    f = alone.fact("table2.normative_docs.issued")
    assert f.ambiguous and f.value == 22 and any(a.startswith("2 24 ") for a in f.alternatives)
    store = FactStore(tmp_path / "facts.sqlite")
    store.put(alone)
    store.put(parse_text(tmp_path, prev, "prev.txt"))  # the neighbour arriving later settles it too
    r = store.load("this")
    got = [r.fact(f"table2.normative_docs.{c}") for c in ("issued", "repealed", "in_force")]
    assert [g.value for g in got] == [2, 24, 235] and not any(g.ambiguous for g in got)
    assert any("cross-year" in w and "prev" in w for w in r.warnings)


def test_without_a_neighbour_the_run_stays_flagged(tmp_path):
    from index.store import FactStore

    this = report_text().replace("行政规范性文件\t22\t4\t235", "行政规范性文件224235")
    store = FactStore(tmp_path / "facts.sqlite")
    store.put(parse_text(tmp_path, this, "this.txt"))
    assert store.load("this").fact("table2.normative_docs.issued").ambiguous


def test_glued_web_text_with_a_lost_label_splits_two_rows(tmp_path):
    # web text: "（一）予以公开3100004" then the 部分公开 row without its label, its digits run on
    text = report_text().replace("（一）予以公开\t3\t1\t0\t0\t0\t0\t4", "（一）予以公开31000041000001")
    text = text.replace("（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t0\t0\t0\t0\t0\t1\n", "")
    r = parse_text(tmp_path, text)
    t3 = cells(r, "table3")
    assert (t3["granted.natural"], t3["granted.total"], t3["partial.natural"], t3["partial.total"]) == (3, 4, 1, 1)
    assert not r.audit


def test_audit_leaves_cells_in_doubt_to_their_flag(tmp_path):
    import dataclasses

    from index.audit import audit

    r = parse_text(tmp_path, report_text())
    for doubt, failures in ((True, 0), (False, 1)):
        r.facts = [dataclasses.replace(f, value=9, ambiguous=doubt) if f.full_key == "table4.review.total" else f
                   for f in r.facts]
        assert len(audit(r)) == failures  # a reading in doubt is the parser's, not the report's arithmetic


def test_table2_found_by_its_column_headers_without_its_groups(tmp_path):
    r = parse_text(tmp_path, report_text().replace("第二十条第（一）项\n", ""))
    assert cells(r, "table2")["regulations.in_force"] == 3 and cells(r, "table2")["licensing.decisions"] == 1280


def test_reports_tab_shows_the_same_columns(tmp_path):
    from index.store import FactStore
    from ui import data as D

    store = FactStore(tmp_path / "facts.sqlite")
    no_t4 = report_text(title="2023年政府信息公开工作年度报告", t4_heading=None, t4_headers=False)
    store.put(parse_text(tmp_path, no_t4.replace("\t".join(map(str, T4)) + "\n", ""), "a.txt"))
    row = D.reports_frame(store).iloc[0]
    assert row["表格 tables"] == "表二 表三 表四✗ 无法读取 unreadable"
    assert row["单元格 cells"] == len(T.all_keys("2021", True)) - 15 and row["存疑 ambiguous"] == 0
    assert row["机构来源 agency from"] == "前言 preamble" and row["年份来源 year from"] == "标题 title"


def test_a_run_with_a_leading_zero_is_cells_run_together(tmp_path):
    r = parse_text(tmp_path, report_text().replace("规章\t0\t0\t3", "规章 003"))
    t2 = cells(r, "table2")
    assert (t2["regulations.issued"], t2["regulations.repealed"], t2["regulations.in_force"]) == (0, 0, 3)


def test_table4_without_headers_or_heading_found_by_its_arithmetic(tmp_path):
    r = parse_text(tmp_path, report_text(t4_heading=None, t4_headers=False))
    t4 = cells(r, "table4")
    assert [t4[f"{g}.{c}"] for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS] == T4
    # fifteen numbers that do not add up like table 4 are not taken for it
    r = parse_text(tmp_path, report_text(t4_heading=None, t4_headers=False).replace(
        "\t".join(map(str, T4)), "\t".join(["1"] * 15)))
    assert "table4" in r.tables_unreadable and not cells(r, "table4")


def test_a_cut_that_breaks_its_own_row_sum_is_flagged(tmp_path):
    text = report_text().replace("四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1", "四、结转下年度继续办理10000020")
    r = parse_text(tmp_path, text)
    row = [f for f in r.facts if f.key.startswith("carry_forward.")]
    assert len(row) == 7 and all(f.ambiguous for f in row)
    assert not r.audit  # the guess is flagged, not reported as the report's arithmetic
