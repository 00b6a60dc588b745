"""Checks tests/fixtures/questions-g.jsonl (held-out set written without sight of the parser, in voices the
earlier sets did not imitate: mobile-chat shorthand with no punctuation, initials (pt2021, sy25, hz24),
voice-input homophones (宏泽, 述阳, 平谈, 上海科伟), years in Chinese numerals (二〇二三, 二零二一年度, 零八年),
quoted fragments of report sentences, rows described in plain words instead of their labels, applicants
described by example, outcomes by their consequence and refusals by their reason): shape of every line,
every figure answer recomputed from the gold files in ../shared/corpus/gold via its keys and op, every text
answer found verbatim in its report, no figure read from a cell the gold notes call doubtful, the agency and
year each question names matched against the report it is asked of, and the type/style/report mix."""

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
FIXTURE = ROOT / "tests" / "fixtures" / "questions-g.jsonl"
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "corpus" / "gold"
MANIFEST = SHARED / "corpus" / "MANIFEST.tsv"

N_ITEMS = 200
TYPES = {"figure", "text", "unanswerable", "clarify"}
OPS = {"cell", "sum", "diff", "share", "max", "narrative", None}
STYLES = {
    # how they ask
    "mobile", "initials", "homophone", "cn_numeral", "year_form", "quote", "row_desc", "applicant_example",
    "outcome_plain", "reason_plain", "no_year_single",
    # what they ask about
    "old_template", "new_template", "pre_template", "department", "township", "contact", "pub_date",
    "sum", "diff", "share", "compare", "multi_year", "cross_agency", "narrative", "text", "rank",
    # why there is no answer / why one must ask back
    "absent_figure", "absent_year", "absent_agency", "template_gap",
    "no_year", "no_agency", "ambiguous_cell", "shared_name",
}
# Styles this set is meant to exercise, with the least number of questions carrying each.
REQUIRED_STYLES = {
    "mobile": 150, "initials": 15, "homophone": 12, "cn_numeral": 20, "year_form": 100, "quote": 10,
    "row_desc": 15, "applicant_example": 8, "outcome_plain": 8, "reason_plain": 15, "no_year_single": 5,
    "old_template": 25, "new_template": 80, "pre_template": 5, "department": 20, "township": 10,
    "contact": 10, "pub_date": 3, "sum": 10, "diff": 5, "share": 3, "compare": 5, "multi_year": 8,
    "cross_agency": 4, "narrative": 20, "rank": 4, "absent_figure": 10, "absent_year": 8,
    "absent_agency": 8, "template_gap": 3, "no_year": 8, "no_agency": 6, "ambiguous_cell": 6, "shared_name": 3,
}
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style")
ROUNDING = ("位小数", "整数", "取整")

# Row labels of table 3, by gold row key (a "which reason is the most frequent" answer names one of them).
ROW_LABELS = {
    "denied_1": "属于国家秘密", "denied_2": "其他法律行政法规禁止公开", "denied_3": "危及“三安全一稳定”",
    "denied_4": "保护第三方合法权益", "denied_5": "属于三类内部事务信息", "denied_6": "属于四类过程性信息",
    "denied_7": "属于行政执法案卷", "denied_8": "属于行政查询事项",
    "unable_1": "本机关不掌握相关政府信息", "unable_2": "没有现成信息需要另行制作",
    "unable_3": "补正后申请内容仍不明确",
    "not_processed_1": "信访举报投诉类申请", "not_processed_2": "重复申请", "not_processed_3": "要求提供公开出版物",
    "not_processed_4": "无正当理由大量反复申请", "not_processed_5": "要求行政机关确认或重新出具已获取信息",
    "other_1": "无正当理由逾期不补正", "other_2": "逾期未按收费通知要求缴纳费用",
}
# Labels a "row_desc" question avoids: it describes the row instead of naming it.
OTHER_ROW_LABELS = ("本年新收", "上年结转", "结转下年度", "予以公开", "部分公开", "未经复议直接起诉", "复议后起诉")
COLUMN_LABELS = {"natural": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益组织",
                 "legal": "法律服务机构", "other_org": "其他"}
OUTCOME_LABELS = ("维持", "纠正", "其他结果", "尚未审结")
HOMOPHONES = ("宏泽", "述阳", "沐阳", "平谈", "科伟", "江静")
INITIALS = re.compile(r"(?i)(?<![a-z])(pt|hz|sy|jj|kw)(?![a-z])")
MOBILE_PUNCT = re.compile(r"[？?，,。！!；;：:、]")

# Cells the gold notes call doubtful or contradicted elsewhere in the report: no figure reads them.
DOUBTFUL = {
    "hongze-2023": ("table4.", "table3.other."),
    "hongze-2024": ("table3.other.", "table3.new.total", "narrative.applications_received"),
    "shanghai-kewei-2024": (
        "table3.partial.", "table3.denied_2.", "table3.denied_5.", "table3.unable_", "table3.not_processed_4.",
        "table3.not_processed_5.", "table3.other_1.", "table3.other_2.", "table3.carry_forward.",
    ),
    "pingtan-2023": ("table2.normative_docs.in_force", "narrative.normative_docs_in_force_published"),
    "pingtan-2025": ("narrative.proactive_total_portal", "narrative.key_area_info", "table2.normative_docs.in_force"),
    "huaian-2024": ("narrative.proactive_total",),
    "jiangjing-2020": ("table2.procurement.amount",),
}

# How people name the agencies of the corpus (longest first: a department's name begins with its
# parent's, a district's with its city's), with the id prefix of their reports.
ALIASES = (
    ("平潭综合实验区旅游与文化体育局", "pingtan-tourism"), ("平潭旅游与文化体育局", "pingtan-tourism"),
    ("旅游与文化体育局", "pingtan-tourism"), ("平潭旅文体局", "pingtan-tourism"), ("旅文体局", "pingtan-tourism"), ("淮安市洪泽区", "hongze"), ("洪泽", "hongze"), ("宏泽", "hongze"),
    ("淮安", "huaian"), ("沭阳", "shuyang"), ("述阳", "shuyang"), ("沐阳", "shuyang"),
    ("上海市科学技术委员会", "shanghai-kewei"), ("科委", "shanghai-kewei"), ("科伟", "shanghai-kewei"),
    ("江镜", "jiangjing"), ("江静", "jiangjing"), ("平潭", "pingtan"), ("平谈", "pingtan"),
)
INITIAL_PREFIX = {"pt": "pingtan", "hz": "hongze", "sy": "shuyang", "jj": "jiangjing", "kw": "shanghai-kewei"}
CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN = "〇零○一二三四五六七八九"

needs_shared = pytest.mark.skipif(
    not GOLD.is_dir(),
    reason=f"gold files not present at {GOLD} (../shared missing); cannot recompute answers",
)


def _lines():
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _manifest():
    rows = [line.split("\t") for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:] if line]
    return {r[0]: {"agency": r[3], "year": int(r[4])} for r in rows}


def _prefix(report_id):
    return re.sub(r"-\d{4}$", "", report_id)


def _recompute(gold, item):
    return recompute(gold, item, max_of_two=False)


def _cn_years(q):
    """Years written in Chinese numerals: 二〇二三 / 二零二一 anywhere, 二三年 / 零八年 before 年."""
    years = {2000 + CN_DIGITS[m[2]] * 10 + CN_DIGITS[m[3]] for m in re.findall(f"(二)([{CN}])([{CN}])([{CN}])", q)
             if CN_DIGITS[m[1]] == 0}
    for a, b in re.findall(f"(?<![{CN}十])([{CN}])([{CN}])年", q):
        years.add(2000 + CN_DIGITS[a] * 10 + CN_DIGITS[b])
    return years


def _years(q):
    """Every year a question may name: 2023, pt2021, 洪泽24, 23年, 二〇二三, 二三年."""
    years = {int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", q)}
    years |= {2000 + int(y) for y in re.findall(r"(?<![\d.])(1[89]|2[0-6])(?![\d.])", q)}
    return years | _cn_years(q)


def _agencies(q):
    """Id prefixes of the corpus agencies a question names (an alias, once matched, is blanked out)."""
    found = set()
    for alias, prefix in ALIASES:
        if alias in q:
            found.add(prefix)
            q = q.replace(alias, "□")
    found |= {INITIAL_PREFIX[m.lower()] for m in INITIALS.findall(q)}
    return found


def _refs(item):
    return {_split(item["report"], k)[0] for k in item["keys"]} | ({item["report"]} - {""})


def test_lines_are_valid_and_complete():
    items = _lines()
    assert len(items) == N_ITEMS
    assert [it["id"] for it in items] == [f"qg/{n}" for n in range(1, N_ITEMS + 1)]
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
        q, style = it["q"], set(it["style"])
        if "mobile" in style:  # short, no sentence punctuation
            assert len(q) <= 30 and not MOBILE_PUNCT.search(q), it["id"]
        if "initials" in style:
            assert INITIALS.search(q), it["id"]
        if "homophone" in style:
            assert any(h in q for h in HOMOPHONES), it["id"]
        if "cn_numeral" in style:
            assert _cn_years(q), it["id"]
        if it["type"] == "figure":
            assert it["op"] and it["keys"] and it["report"] and it["a"], it["id"]
            assert re.fullmatch(r"-?\d+(\.\d+)?", it["a"]), it["id"]
            for k in it["keys"]:
                _, key = _split(it["report"], k)
                assert key.split(".", 1)[0] in {"table2", "table3", "table4", "narrative"}, it["id"]
            if it["op"] == "narrative":
                assert len(it["keys"]) == 1 and it["keys"][0].startswith("narrative."), it["id"]
                assert "narrative" in style, it["id"]
            if it["op"] == "share":
                assert it["unit"] == "%" and any(r in q for r in ROUNDING), it["id"]
                assert "share" in style, it["id"]
            if it["op"] in ("sum", "diff"):
                assert it["op"] in style, it["id"]
            if it["op"] == "max":
                assert "compare" in style, it["id"]
            if it["op"] == "diff" or any(":" in k for k in it["keys"]):
                assert all(":" in k for k in it["keys"]), f"{it['id']}: prefix every key of a cross-report op"
                assert style & {"multi_year", "cross_agency"}, it["id"]
            _check_plain_words(it)
        elif it["type"] == "text":
            assert it["a"] and len(it["a"]) <= 20 and it["report"], it["id"]
            assert it["op"] is None and it["keys"] == [] and "text" in style, it["id"]
        else:
            assert it["a"] == "" and it["op"] is None and it["keys"] == [], it["id"]
            if it["type"] == "clarify":
                assert it["report"] == "", it["id"]
                assert style & {"no_year", "no_agency", "ambiguous_cell", "shared_name"}, it["id"]
            else:
                assert style & {"absent_figure", "absent_year", "absent_agency"}, it["id"]
                # an absent year or agency names no report; an absent figure names the report lacking it
                assert bool(it["report"]) == ("absent_figure" in style), it["id"]
    counts = Counter(it["type"] for it in items)
    assert 110 <= counts["figure"] <= 120, counts
    assert 22 <= counts["text"] <= 28, counts
    assert 28 <= counts["unanswerable"] <= 34, counts
    assert 28 <= counts["clarify"] <= 34, counts
    styles = Counter(s for it in items for s in it["style"])
    short = {s: (styles[s], n) for s, n in REQUIRED_STYLES.items() if styles[s] < n}
    assert not short, short


def _check_plain_words(it):
    """Styles promising plain words instead of the template's labels keep that promise."""
    q, style = it["q"], set(it["style"])
    keys = [_split(it["report"], k)[1] for k in it["keys"]]
    if "row_desc" in style:
        assert any(k.startswith(("table3.", "table4.")) for k in keys), it["id"]
        assert not any(label in q for label in (*ROW_LABELS.values(), *OTHER_ROW_LABELS)), it["id"]
    if "reason_plain" in style:
        rows = {k.split(".")[1] for k in keys if k.startswith("table3.")} & set(ROW_LABELS)
        assert rows and not any(ROW_LABELS[r] in q for r in rows), it["id"]
    if "applicant_example" in style:
        cols = {k.split(".")[2] for k in keys if k.startswith("table3.")} - {"total"}
        assert cols and not any(COLUMN_LABELS[c] in q for c in cols), it["id"]
    if "outcome_plain" in style:
        assert any(k.startswith("table4.") and not k.endswith(".total") for k in keys), it["id"]
        assert not any(label in q for label in OUTCOME_LABELS), it["id"]


@needs_shared
def test_reports_exist_and_are_all_covered():
    manifest = _manifest()
    gold = _gold()
    used = Counter()
    for it in _lines():
        refs = _refs(it)
        assert refs <= set(manifest), it["id"]
        used.update(refs)
    assert set(used) == set(manifest), set(manifest) - set(used)
    figures = [it for it in _lines() if it["type"] == "figure"]
    per_report = Counter(it["report"] for it in figures)
    assert all(per_report[r] >= 8 for r in gold), per_report
    tables = Counter(_split(it["report"], k)[1].split(".")[0] for it in figures for k in it["keys"])
    assert all(tables[t] >= 20 for t in ("table2", "table3", "table4", "narrative")), tables
    gens = Counter(gold[it["report"]]["template"] for it in figures)
    assert gens[2019] >= 25 and gens[2021] >= 80, gens
    for it in _lines():  # the generation named in the style is the one of the report asked about
        if not it["report"]:
            continue
        if "old_template" in it["style"]:
            assert gold[it["report"]]["template"] == 2019, it["id"]
        if "new_template" in it["style"]:
            assert gold[it["report"]]["template"] == 2021, it["id"]
        # the pre-template report has no gold: only its text can answer, or nothing
        assert ("pre_template" in it["style"]) == (it["report"] not in gold), it["id"]
        if it["report"] not in gold:
            assert it["type"] in ("text", "unanswerable"), it["id"]


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
def test_no_figure_reads_a_doubtful_cell():
    for it in _lines():
        for k in it["keys"]:
            report, key = _split(it["report"], k)
            assert not key.startswith(DOUBTFUL.get(report, ())), (it["id"], report, key)


@needs_shared
def test_text_answers_and_quotes_appear_in_report():
    missing = []
    for it in _lines():
        if it["type"] == "text" and re.sub(r"\s+", "", it["a"]) not in _report_text(it["report"]):
            missing.append((it["id"], it["report"], it["a"]))
        if "quote" in it["style"]:  # at least eight characters copied from the report's own sentence
            q, text = re.sub(r"\s+", "", it["q"]), _report_text(it["report"])
            if not any(q[i:i + 8] in text for i in range(len(q) - 7)):
                missing.append((it["id"], it["report"], "quote"))
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
        totals = {k.split(".")[0]: v for k, v in t3.items()
                  if k.endswith(".total") and k.split(".")[0].rsplit("_", 1)[0] == group}
        best = max(totals.values())
        assert totals[rows[0]] == best and list(totals.values()).count(best) == 1, (it["id"], totals)
        checked += 1
    assert checked >= 4, checked


@needs_shared
def test_questions_name_the_agency_and_year_of_their_report():
    """A question with a report names that report's agency (by name, homophone or initials) and its year in
    any form, unless the agency has a single report and the question says no year ("no_year_single")."""
    manifest = _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    for it in _lines():
        refs = _refs(it)
        if not refs:
            continue
        q = it["q"]
        assert _agencies(q) == {_prefix(r) for r in refs}, (it["id"], _agencies(q))
        years = _years(q)
        if "no_year_single" in it["style"]:
            assert not years and all(per_agency[_prefix(r)] == 1 for r in refs), it["id"]
        else:
            assert all(manifest[r]["year"] in years for r in refs), (it["id"], years)


@needs_shared
def test_clarify_questions_really_leave_the_report_open():
    """no_year: an agency with several reports and no year; no_agency: a year several reports share and no
    agency; shared_name: no agency of the corpus named, a year two agencies share; ambiguous_cell: exactly one
    report (the doubt is within it)."""
    manifest = _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    per_year = Counter(v["year"] for v in manifest.values())
    for it in _lines():
        if it["type"] != "clarify":
            continue
        q, style = it["q"], set(it["style"])
        agencies, years = _agencies(q), _years(q)
        if "no_year" in style:
            assert not years and len(agencies) == 1 and per_agency[next(iter(agencies))] > 1, it["id"]
        if style & {"no_agency", "shared_name"}:
            assert not agencies and len(years) == 1 and per_year[next(iter(years))] > 1, it["id"]
        if "ambiguous_cell" in style:
            hits = [r for r, v in manifest.items() if _prefix(r) in agencies and v["year"] in years]
            assert len(agencies) == 1 and len(hits) == 1, (it["id"], hits)


@needs_shared
def test_unanswerable_reports_do_not_hold_the_asked_contact():
    """A question asking for a phone/e-mail/address its report does not print: the report really has none."""
    patterns = {"电话": r"(电话|传真)[:：]?\d", "邮箱": r"@|＠", "地址": r"地址[:：]"}
    for it in _lines():
        if it["type"] != "unanswerable" or not it["report"]:
            continue
        for word, pat in patterns.items():
            if word in it["q"]:
                assert not re.search(pat, _report_text(it["report"])), (it["id"], word)


@needs_shared
def test_unanswerable_years_and_agencies_are_really_absent():
    """An absent year names an agency of the corpus in a year the corpus lacks for it; an absent agency is
    not named as the manifest names any agency (a department's name may begin with its parent's)."""
    manifest = _manifest()
    agencies = {v["agency"] for v in manifest.values()}
    for it in _lines():
        if it["type"] != "unanswerable":
            continue
        if "absent_agency" in it["style"]:  # a department of a corpus agency continues its name
            for a in agencies:
                for m in re.finditer(re.escape(a), it["q"]):
                    assert re.match(r"[\u4e00-\u9fff]", it["q"][m.end():]), (it["id"], a)
        if "absent_year" in it["style"]:
            named, years = _agencies(it["q"]), _years(it["q"])
            assert len(named) == 1 and years, it["id"]
            prefix = next(iter(named))
            assert all(f"{prefix}-{y}" not in manifest for y in years), it["id"]
            assert any(_prefix(r) == prefix for r in manifest), it["id"]
