"""Checks tests/fixtures/questions-f.jsonl (held-out set written without sight of the parser, in the
voices of people the earlier sets did not imitate: staff of other offices comparing numbers, lawyers,
thesis writers, elderly citizens, foreign researchers mixing English and Chinese, people pasting table
row labels): shape of every line, every figure answer recomputed from the gold files in
../shared/corpus/gold via its keys and op, every text answer found verbatim in its report, "which
reason is the most frequent" answers checked against gold, and the type/style/report mix."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from fixture_gold import fmt as _fmt
from fixture_gold import gold_by_id as _gold
from fixture_gold import recompute
from fixture_gold import report_text as _report_text
from fixture_gold import split as _split
from fixture_gold import value as _value

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "questions-f.jsonl"
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "corpus" / "gold"
MANIFEST = SHARED / "corpus" / "MANIFEST.tsv"

N_ITEMS = 240
TYPES = {"figure", "text", "unanswerable", "clarify"}
OPS = {"cell", "sum", "diff", "share", "max", "narrative", None}
STYLES = {
    # who asks
    "peer_office", "lawyer", "thesis", "elderly", "foreign", "pasted_label",
    # how they ask
    "legal_terms", "negation", "rank", "fraction", "section_ref", "row_ref", "year_form", "abbrev",
    "full_name", "synonym", "typo", "long", "no_year_single",
    # what they ask about
    "old_template", "new_template", "department", "township", "contact", "pub_date", "pre_template",
    "sum", "diff", "share", "compare", "multi_year", "cross_agency", "narrative", "text",
    # why there is no answer / why one must ask back
    "absent_figure", "absent_year", "absent_agency", "template_gap",
    "no_year", "no_agency", "ambiguous_cell", "shared_name",
}
# Styles this set is meant to exercise, with the least number of questions carrying each.
REQUIRED_STYLES = {
    "peer_office": 15, "lawyer": 30, "thesis": 12, "elderly": 20, "foreign": 15, "pasted_label": 20,
    "legal_terms": 12, "negation": 6, "rank": 8, "fraction": 3, "section_ref": 6, "row_ref": 5,
    "year_form": 15, "abbrev": 20, "full_name": 10, "no_year_single": 5,
    "old_template": 18, "new_template": 20, "department": 20, "township": 20, "contact": 8,
    "pre_template": 4, "sum": 12, "diff": 10, "share": 10, "compare": 5, "multi_year": 8,
    "cross_agency": 5, "narrative": 25, "absent_figure": 10, "absent_year": 8, "absent_agency": 10,
    "template_gap": 3, "no_year": 10, "no_agency": 8, "ambiguous_cell": 10, "shared_name": 3,
}
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style")
ROUNDING = ("位小数", "整数", "取整", "decimal", "whole number")

# Row labels of table 3 that a "which reason is the most frequent" answer may name, by gold row key.
ROW_LABELS = {
    "denied_1": "属于国家秘密", "denied_2": "其他法律行政法规禁止公开", "denied_3": "危及“三安全一稳定”",
    "denied_4": "保护第三方合法权益", "denied_5": "属于三类内部事务信息", "denied_6": "属于四类过程性信息",
    "denied_7": "属于行政执法案卷", "denied_8": "属于行政查询事项",
    "unable_1": "本机关不掌握相关政府信息", "unable_2": "没有现成信息需要另行制作",
    "unable_3": "补正后申请内容仍不明确",
    "not_processed_1": "信访举报投诉类申请", "not_processed_2": "重复申请", "not_processed_3": "要求提供公开出版物",
    "not_processed_4": "无正当理由大量反复申请", "not_processed_5": "要求行政机关确认或重新出具已获取信息",
}

needs_shared = pytest.mark.skipif(
    not GOLD.is_dir(),
    reason=f"gold files not present at {GOLD} (../shared missing); cannot recompute answers",
)


def _lines():
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _manifest_ids():
    rows = [line.split("\t") for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:] if line]
    return {r[0] for r in rows}


def _recompute(gold, item):
    return recompute(gold, item, max_of_two=False)


def test_lines_are_valid_and_complete():
    items = _lines()
    assert len(items) == N_ITEMS
    assert [it["id"] for it in items] == [f"qf/{n}" for n in range(1, N_ITEMS + 1)]
    assert len({it["q"] for it in items}) == len(items), "duplicate question text"
    for it in items:
        assert tuple(it) == FIELDS, it.get("id")
        assert it["type"] in TYPES and it["op"] in OPS, it["id"]
        assert isinstance(it["q"], str) and it["q"].strip(), it["id"]
        assert isinstance(it["a"], str) and isinstance(it["unit"], str), it["id"]
        assert isinstance(it["report"], str), it["id"]
        assert isinstance(it["keys"], list) and isinstance(it["style"], list) and it["style"], it["id"]
        assert len(set(it["style"])) == len(it["style"]), it["id"]
        assert set(it["style"]) <= STYLES, (it["id"], set(it["style"]) - STYLES)
        if "foreign" in it["style"]:  # English with Chinese terms mixed in
            assert re.search(r"[A-Za-z]{3}", it["q"]) and re.search(r"[\u4e00-\u9fff]", it["q"]), it["id"]
        if it["type"] == "figure":
            assert it["op"] and it["keys"] and it["report"] and it["a"], it["id"]
            assert re.fullmatch(r"-?\d+(\.\d+)?", it["a"]), it["id"]
            for k in it["keys"]:
                _, key = _split(it["report"], k)
                assert key.split(".", 1)[0] in {"table2", "table3", "table4", "narrative"}, it["id"]
            if it["op"] == "narrative":
                assert len(it["keys"]) == 1 and it["keys"][0].startswith("narrative."), it["id"]
                assert "narrative" in it["style"], it["id"]
            if it["op"] == "share":
                assert it["unit"] == "%" and any(r in it["q"] for r in ROUNDING), it["id"]
                assert "share" in it["style"], it["id"]
            if it["op"] in ("sum", "diff"):
                assert it["op"] in it["style"], it["id"]
            if it["op"] == "max":
                assert "compare" in it["style"], it["id"]
            if it["op"] == "diff" or any(":" in k for k in it["keys"]):
                assert all(":" in k for k in it["keys"]), f"{it['id']}: prefix every key of a cross-report op"
                assert set(it["style"]) & {"multi_year", "cross_agency"}, it["id"]
        elif it["type"] == "text":
            assert it["a"] and len(it["a"]) <= 20 and it["report"], it["id"]
            assert it["op"] is None and it["keys"] == [] and "text" in it["style"], it["id"]
        else:
            assert it["a"] == "" and it["op"] is None and it["keys"] == [], it["id"]
            if it["type"] == "clarify":
                assert it["report"] == "", it["id"]
                assert set(it["style"]) & {"no_year", "no_agency", "ambiguous_cell", "shared_name"}, it["id"]
            else:
                assert set(it["style"]) & {"absent_figure", "absent_year", "absent_agency"}, it["id"]
                # an absent year or agency names no report; an absent figure names the report lacking it
                assert bool(it["report"]) == ("absent_figure" in it["style"]), it["id"]
    counts = Counter(it["type"] for it in items)
    assert 130 <= counts["figure"] <= 150, counts
    assert 25 <= counts["text"] <= 35, counts
    assert 30 <= counts["unanswerable"] <= 40, counts
    assert 30 <= counts["clarify"] <= 40, counts
    styles = Counter(s for it in items for s in it["style"])
    short = {s: (styles[s], n) for s, n in REQUIRED_STYLES.items() if styles[s] < n}
    assert not short, short


@needs_shared
def test_reports_exist_and_are_all_covered():
    ids = _manifest_ids()
    gold = _gold()
    used = Counter()
    for it in _lines():
        refs = {it["report"]} | {_split(it["report"], k)[0] for k in it["keys"]}
        refs.discard("")
        assert refs <= ids, it["id"]
        used.update(refs)
    assert set(used) == ids, ids - set(used)
    figures = [it for it in _lines() if it["type"] == "figure"]
    per_report = Counter(it["report"] for it in figures)
    assert all(per_report[r] >= 8 for r in gold), per_report
    tables = Counter(_split(it["report"], k)[1].split(".")[0] for it in figures for k in it["keys"])
    assert all(tables[t] >= 20 for t in ("table2", "table3", "table4", "narrative")), tables
    # both template generations, judged by the report each figure is read from
    gens = Counter(gold[it["report"]]["template"] for it in figures)
    assert gens[2019] >= 30 and gens[2021] >= 60, gens
    for it in figures:  # the generation named in the style is the one of the report asked about
        if "old_template" in it["style"]:
            assert gold[it["report"]]["template"] == 2019, it["id"]
        if "new_template" in it["style"]:
            assert gold[it["report"]]["template"] == 2021, it["id"]
    assert any(gold[r]["template"] == 2019 for r in gold), "no 2019-template gold"


@needs_shared
def test_figures_recompute_from_gold():
    gold = _gold()
    bad = []
    for it in _lines():
        if it["type"] != "figure":
            continue
        got = _recompute(gold, it)
        if got != it["a"]:
            bad.append((it["id"], it["a"], got))
        cross = any(":" in k for k in it["keys"])
        if it["op"] == "max" and cross:  # the report named is the one holding the larger value
            own = [k for k in it["keys"] if _split(it["report"], k)[0] == it["report"]]
            assert own and _fmt(_value(gold, it["report"], own[0])) == it["a"], it["id"]
        if it["op"] in ("diff", "sum", "share", "max") and cross:  # the report named is one the op reads
            assert it["report"] in {_split(it["report"], k)[0] for k in it["keys"]}, it["id"]
    assert not bad, bad


@needs_shared
def test_text_answers_appear_in_report():
    missing = []
    for it in _lines():
        if it["type"] != "text":
            continue
        if re.sub(r"\s+", "", it["a"]) not in _report_text(it["report"]):
            missing.append((it["id"], it["report"], it["a"]))
    assert not missing, missing


@needs_shared
def test_most_frequent_reason_answers_match_gold():
    """A text answer naming a table-3 reason ("which reason is the most frequent") names the row with the
    strictly largest 总计 among the rows of its group in gold."""
    gold = _gold()
    checked = 0
    for it in _lines():
        if it["type"] != "text" or "rank" not in it["style"]:
            continue
        rows = [r for r, label in ROW_LABELS.items() if label == it["a"]]
        assert len(rows) == 1, (it["id"], it["a"])
        group = rows[0].rsplit("_", 1)[0]
        t3 = gold[it["report"]]["table3"]
        totals = {r: t3[f"{r}.total"] for r in ROW_LABELS if r.rsplit("_", 1)[0] == group}
        best = max(totals.values())
        assert totals[rows[0]] == best and list(totals.values()).count(best) == 1, (it["id"], totals)
        checked += 1
    assert checked >= 5, checked


@needs_shared
def test_unanswerable_reports_do_not_hold_the_asked_contact():
    """A question asking for a phone/e-mail/address its report does not print: the report really has none."""
    patterns = {"电话": r"(电话|传真)[:：]?\d", "邮箱": r"@", "地址": r"地址[:：]"}
    for it in _lines():
        if it["type"] != "unanswerable" or not it["report"]:
            continue
        for word, pat in patterns.items():
            if word in it["q"]:
                assert not re.search(pat, _report_text(it["report"])), (it["id"], word)


# How people name the agencies of the corpus, longest first, with the id prefix of their reports.
ALIASES = (
    ("旅游与文化体育局", "pingtan-tourism"), ("Hongze", "hongze"), ("洪泽", "hongze"), ("淮安", "huaian"),
    ("沭阳", "shuyang"), ("科委", "shanghai-kewei"), ("江镜", "jiangjing"), ("平潭", "pingtan"),
)


@needs_shared
def test_unanswerable_years_and_agencies_are_really_absent():
    """An absent year names an agency of the corpus in a year the corpus lacks for it; an absent agency is
    not named as the manifest names any agency (a department's name may begin with its parent's)."""
    rows = [line.split("\t") for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:] if line]
    agencies = {r[3] for r in rows}
    ids = {r[0] for r in rows}
    for it in _lines():
        if it["type"] != "unanswerable":
            continue
        if "absent_agency" in it["style"]:  # a department of a corpus agency continues its name
            for a in agencies:
                for m in re.finditer(re.escape(a), it["q"]):
                    assert re.match(r"[\u4e00-\u9fff]", it["q"][m.end():]), (it["id"], a)
        if "absent_year" in it["style"]:
            prefix = next(p for alias, p in ALIASES if alias in it["q"])
            m = re.search(r"(20\d\d)|(?<!\d)(\d\d)年", it["q"])
            year = m.group(1) or "20" + m.group(2)
            assert f"{prefix}-{year}" not in ids, it["id"]
            assert any(i.startswith(prefix + "-") and i[len(prefix) + 1:].isdigit() for i in ids), it["id"]
