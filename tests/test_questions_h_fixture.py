"""Checks tests/fixtures/questions-h.jsonl, a held-out set of 220 questions written without sight of the product,
in voices the earlier sets did not use: staff of a 政务公开办 doing the year-end review (请核对…, 报表里…那一栏填的是多少,
comparisons across the years of one agency, rankings among the agencies of one year, shares); journalists who give
the context first and ask at the end, writing years in Chinese numerals (二〇二三年度) or full-width digits (２０２３年);
readers in Hong Kong or Taiwan writing in Traditional characters (資訊公開, 申請, 復議, 訴訟, 縣, 區); people who describe a
row by what it means or an applicant by an example (律所提的, 大学提的) instead of the template's label; WeChat voice input
with filler words and one wrongly recognised character. The cells asked lean on those rarely asked (table 2 废止/现行
有效/上一年项目数量/本年增减/采购/收费金额, table 3 research/legal/social/other columns and the rarer result rows, table 4
pending/other columns).

What is checked: the shape of every line; every figure answer recomputed from the gold files in
../shared/corpus/gold through its keys and op (tests/fixture_gold.py); no key reads a cell the gold notes call
doubtful or a blank cell; every text answer found verbatim in its report; the agency and year each question names
matched against the report(s) it is about; each clarify question really leaves the report or the cell open (its
candidate cells disagree); each unanswerable question really has no answer in the corpus; each style tag keeps its
promise; and the type/op/style/report mix."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from fixture_gold import gold_by_id, recompute, report_text, split, value

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "questions-h.jsonl"
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
GOLD_DIR = SHARED / "corpus" / "gold"
MANIFEST = SHARED / "corpus" / "MANIFEST.tsv"

N_ITEMS = 220
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style")
TYPE_RANGE = {"figure": (145, 155), "text": (22, 28), "unanswerable": (22, 28), "clarify": (18, 22)}
FIGURE_OPS = ("cell", "narrative", "sum", "diff", "share", "max")
COMPUTED_OPS = ("sum", "diff", "share", "max")
COMPUTED_RANGE = (22, 30)   # figures computed across cells, years or agencies
NARRATIVE_RANGE = (22, 30)  # figures stated in the report's text

# The style vocabulary of this set.
VOICES = {
    "review_staff",       # 政务公开办 staff checking a filled-in form: 请核对…, 报表里…那一栏填的是多少
    "journalist",         # context first, the ask at the end; long sentences
    "traditional",        # Hong Kong / Taiwan reader writing in Traditional characters
    "meaning_desc",       # a table row described by its meaning, none of the template's words for it
    "applicant_example",  # an applicant column described by an example (律所, 大学, 公司, 基金会 …)
    "voice_filler",       # WeChat voice input: filler words (嗯, 那个, 就是) and one misrecognised character
}
STYLES = VOICES | {
    # how numbers and years are written
    "cn_numeral",     # a year in Chinese numerals (二〇二三)
    "fullwidth",      # full-width digits (２０２３)
    "year_omitted",   # no year named: the agency has a single report in the corpus
    # what the question is about
    "old_template", "new_template", "pre_template", "department", "township",
    "rare_cell",      # reads a rarely asked cell (RARE_* below)
    "cross_year", "cross_agency", "rank",
    "text", "contact", "problem", "date", "name",
    # figure ops (each figure carries the tag of its op)
    *FIGURE_OPS,
    # why there is no answer
    "absent_concept",    # a template-like concept the report does not give (网上申请, 当面申请, 平均用时, a phone …)
    "absent_year",       # an agency of the corpus in a year the corpus lacks
    "absent_agency",     # an agency the corpus lacks, named like one it has
    "other_generation",  # a table-2 concept of the other template generation
    "sub_unit",          # a village, district or sub-district the report does not break out
    "monthly",           # a monthly figure: reports are yearly
    # why one must ask back
    "no_year", "no_agency", "ambiguous_word",
}
REQUIRED_STYLES = {
    "review_staff": 60, "journalist": 40, "traditional": 18, "meaning_desc": 25, "applicant_example": 8,
    "voice_filler": 20, "cn_numeral": 25, "fullwidth": 8, "year_omitted": 3, "rare_cell": 60,
    "old_template": 30, "new_template": 120, "pre_template": 2, "department": 25, "township": 12,
    "cross_year": 6, "cross_agency": 3, "rank": 4, "contact": 10, "problem": 6, "date": 2,
    "absent_concept": 4, "absent_year": 5, "absent_agency": 3, "other_generation": 3, "sub_unit": 2, "monthly": 1,
    "no_year": 5, "no_agency": 5, "ambiguous_word": 5,
}
UNANSWERABLE_REASONS = {"absent_concept", "absent_year", "absent_agency", "other_generation", "sub_unit", "monthly",
                        "pre_template"}
CLARIFY_REASONS = {"no_year", "no_agency", "ambiguous_word"}

FIGURE_UNITS = {"件", "条", "个", "%", "万元", "元", "期", "批次", "名", "篇", "次", "场", "家", "人", "项", "起", ""}
# The unit a table cell is counted in, by its column (table 2) or table (3, 4).
TABLE2_UNITS = {"new_made": "件", "new_published": "件", "total_published": "件", "issued": "件", "repealed": "件",
                "in_force": "件", "decisions": "件", "prev_items": "个", "change": "个", "items": "个"}
ROUNDING = {"一位小数": 1, "一位小數": 1, "两位小数": 2, "兩位小數": 2, "整数": 0, "整數": 0, "取整": 0}

# Cells the gold notes call doubtful (contradicted, assigned by row order only, approximate, of unknown unit):
# no key of this set reads them, as a figure or as a clarify candidate.
DOUBTFUL = {
    "hongze-2023": ("table4.", "table3.other."),
    "hongze-2024": ("table3.other.", "table3.new.", "table3.total.", "narrative.applications_received"),
    "shanghai-kewei-2024": (
        "table3.partial.", "table3.denied_2.", "table3.denied_5.", "table3.unable_", "table3.not_processed_4.",
        "table3.not_processed_5.", "table3.other_1.", "table3.other_2.", "table3.carry_forward.",
    ),
    "pingtan-2023": ("table2.normative_docs.in_force", "narrative.normative_docs_in_force_published"),
    "pingtan-2025": ("table2.normative_docs.in_force", "narrative.proactive_total_portal", "narrative.key_area_info"),
    "huaian-2024": ("narrative.proactive_total",),
    "jiangjing-2020": ("table2.procurement.amount",),
}

# Rarely asked cells: a "rare_cell" question reads at least one.
RARE_T2_ROWS = {"other_services", "procurement"}
RARE_T2_COLS = {"repealed", "in_force", "prev_items", "change", "items", "amount"}
RARE_T3_ROWS = {"carried_over", "carry_forward", "other", "other_1", "other_2", "other_3", "unable_2", "unable_3",
                *(f"denied_{i}" for i in range(3, 9)), *(f"not_processed_{i}" for i in range(2, 6))}
RARE_T3_COLS = {"research", "legal", "social", "other_org"}
RARE_T4_COLS = {"pending", "other"}

# Words of the template a "meaning_desc" question must not use for the row it asks about.
ROW_WORDS = {
    "new": ("本年新收",), "carried_over": ("上年结转",), "carry_forward": ("结转下年度", "继续办理"),
    "granted": ("予以公开",), "partial": ("部分公开",), "total": ("总计",), "other": ("其他处理",),
    "denied_1": ("国家秘密",), "denied_2": ("法律行政法规禁止",), "denied_3": ("三安全一稳定",),
    "denied_4": ("第三方合法权益",), "denied_5": ("内部事务",), "denied_6": ("过程性",), "denied_7": ("执法案卷",),
    "denied_8": ("行政查询",), "unable_1": ("不掌握",), "unable_2": ("另行制作", "现成信息"),
    "unable_3": ("补正后", "仍不明确"), "not_processed_1": ("信访举报投诉",), "not_processed_2": ("重复申请",),
    "not_processed_3": ("公开出版物",), "not_processed_4": ("大量反复",), "not_processed_5": ("重新出具", "确认或重新"),
    "other_1": ("逾期不补正",), "other_2": ("收费通知", "缴纳费用"), "other_3": (),
}
T4_WORDS = {"upheld": ("维持",), "corrected": ("纠正",), "other": ("其他结果",), "pending": ("尚未审结",), "total": ()}
T4_GROUP_WORDS = {"review": (), "suit_direct": ("直接起诉",), "suit_after_review": ("复议后起诉",)}
# Column labels an "applicant_example" question avoids, and the examples it uses instead.
COLUMN_WORDS = {"natural": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益组织",
                "legal": "法律服务机构"}
APPLICANT_EXAMPLES = ("律师", "律所", "法律援助", "大学", "研究院", "研究所", "公司", "基金会", "协会", "老百姓", "个人")

REVIEW_MARKERS = ("核对", "核一下", "报表", "那一栏", "那一行", "填的", "年终对比")
FILLERS = ("嗯", "那个", "就是", "呃")
# The one misrecognised character of each voice-input question (the word as heard, the word meant).
TYPOS = {"平谭": "平潭", "公凯": "公开", "申清": "申请", "采够": "采购", "年抱": "年报", "处里": "处理", "解独": "解读",
         "处发": "处罚", "节转": "结转", "收废": "收费", "催半": "催办", "公中号": "公众号"}
# Characters a Traditional-character question may keep although OpenCC maps them (臺/台, 裏/裡/里 …).
TRADITIONAL_OK = set("台里")

# How the questions name the agencies of the corpus, longest first (a department's name begins with its
# parent's, a district's with its city's), with the id prefix of their reports; Traditional forms and the
# misrecognised forms of the voice-input questions included.
ALIASES = (
    ("平潭综合实验区旅游与文化体育局", "pingtan-tourism"), ("平潭綜合實驗區旅遊與文化體育局", "pingtan-tourism"),
    ("平潭旅游与文化体育局", "pingtan-tourism"), ("旅游与文化体育局", "pingtan-tourism"),
    ("旅遊與文化體育局", "pingtan-tourism"), ("平潭旅文体局", "pingtan-tourism"), ("旅文体局", "pingtan-tourism"),
    ("淮安市洪泽区", "hongze"), ("洪泽", "hongze"), ("洪澤", "hongze"),
    ("淮安", "huaian"), ("沭阳", "shuyang"), ("沭陽", "shuyang"),
    ("上海市科学技术委员会", "shanghai-kewei"), ("上海市科學技術委員會", "shanghai-kewei"), ("科委", "shanghai-kewei"),
    ("江镜", "jiangjing"), ("江鏡", "jiangjing"), ("平潭", "pingtan"), ("平谭", "pingtan"),
)
# Agencies the corpus lacks, named like ones it has.
ABSENT_AGENCIES = ("福清市江阴镇", "淮安市淮阴区", "宿迁市泗阳县", "上海市经济和信息化委员会")
# Villages, districts and sub-districts the reports do not break out.
SUB_UNITS = ("新江村", "清江浦区", "沭城街道", "潭城镇")
# Table-2 words of one template generation only: an "other_generation" question asks a word of the other one.
OLD_ONLY = ("上一年项目数量", "本年增/减", "政府集中采购", "其他对外管理服务事项", "新制作", "对外公开总数量")
NEW_ONLY = ("本年废止件数", "现行有效件数", "本年制发件数", "本年收费金额")
MONTHLY = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,2})月份|每月|按月")
CONTACT_PATTERNS = {"电话": r"(电话|传真)[:：/（(]?\d", "邮箱": r"@|＠", "地址": r"地址[:：]"}

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN = "".join(CN_DIGITS)
FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

needs_shared = pytest.mark.skipif(not GOLD_DIR.is_dir(), reason=f"gold files not present at {GOLD_DIR}")


def _items():
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _manifest():
    rows = [line.split("\t") for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return {r[0]: {"agency": r[3], "year": int(r[4])} for r in rows}


def _prefix(report):
    return re.sub(r"-\d{4}$", "", report)


def _key_reports(item):
    """Reports the keys read (a key may name another report)."""
    return {split(item["report"], k)[0] for k in item["keys"]} if item["report"] or item["keys"] else set()


def _refs(item):
    """Reports a question is about: its own and, for figures and in-report clarify questions, those its keys read."""
    refs = {item["report"]} if item["report"] else set()
    if item["type"] == "figure" or (item["type"] == "clarify" and item["report"]):
        refs |= _key_reports(item)
    return refs


def _cn_years(q):
    return {2000 + CN_DIGITS[c] * 10 + CN_DIGITS[d] for a, b, c, d in re.findall(f"([{CN}])([{CN}])([{CN}])([{CN}])", q)
            if CN_DIGITS[a] == 2 and CN_DIGITS[b] == 0}


def _years(q):
    """Years a question names: 2023, ２０２３, 二〇二三, 23年."""
    q = q.translate(FULLWIDTH)
    years = {int(y) for y in re.findall(r"(?<!\d)(20[12]\d)(?!\d)", q)}
    years |= {2000 + int(y) for y in re.findall(r"(?<![\d.])(1\d|2\d)年", q)}
    return years | _cn_years(q)


def _agencies(q):
    """Id prefixes of the corpus agencies a question names (an alias, once matched, is blanked out)."""
    found = set()
    for alias, prefix in ALIASES:
        if alias in q:
            found.add(prefix)
            q = q.replace(alias, "□")
    return found


def _rounding(q):
    hits = {d for word, d in ROUNDING.items() if word in q}
    assert len(hits) == 1, q
    return hits.pop()


def _template_tags(gold, refs):
    tags = set()
    for r in refs:
        tags.add("pre_template" if r not in gold else {2019: "old_template", 2021: "new_template"}[gold[r]["template"]])
    return tags


def _is_rare(key):
    table, rest = key.split(".", 1)
    if table == "table2":
        row, col = rest.split(".")
        return row in RARE_T2_ROWS or col in RARE_T2_COLS
    if table == "table3":
        row, col = rest.split(".")
        return row in RARE_T3_ROWS or col in RARE_T3_COLS
    if table == "table4":
        return rest.split(".")[1] in RARE_T4_COLS
    return False


def test_lines_are_well_formed():
    items = _items()
    assert len(items) == N_ITEMS
    assert [it["id"] for it in items] == [f"qh/{n}" for n in range(1, N_ITEMS + 1)]
    assert len({it["q"] for it in items}) == N_ITEMS, "duplicate question text"
    for it in items:
        i = it["id"]
        assert tuple(it) == FIELDS, i
        assert isinstance(it["q"], str) and it["q"].strip() == it["q"] and it["q"], i
        assert it["type"] in TYPE_RANGE, i
        assert isinstance(it["a"], str) and isinstance(it["unit"], str), i
        assert it["report"] is None or (isinstance(it["report"], str) and it["report"]), i
        assert isinstance(it["keys"], list) and all(isinstance(k, str) for k in it["keys"]), i
        assert len(set(it["keys"])) == len(it["keys"]), i
        assert isinstance(it["style"], list) and len(set(it["style"])) == len(it["style"]), i
        assert set(it["style"]) <= STYLES, (i, set(it["style"]) - STYLES)
        assert set(it["style"]) & VOICES, f"{i}: no voice"
        style = set(it["style"])
        if it["type"] == "figure":
            assert it["op"] in FIGURE_OPS and it["report"] and it["keys"], i
            assert re.fullmatch(r"-?\d+(\.\d+)?", it["a"]), i
            assert it["unit"] in FIGURE_UNITS, i
            assert style & set(FIGURE_OPS) == {it["op"]}, f"{i}: op tag"
            for k in it["keys"]:
                assert split(it["report"], k)[1].split(".")[0] in {"table2", "table3", "table4", "narrative"}, i
            if it["op"] in ("cell", "narrative"):
                assert len(it["keys"]) == 1, i
            if it["op"] == "narrative":
                assert split(it["report"], it["keys"][0])[1].startswith("narrative."), i
            if it["op"] == "share":
                assert it["unit"] == "%" and len(it["keys"]) >= 2, i
                decimals = _rounding(it["q"])
                assert (len(it["a"].split(".")[1]) if "." in it["a"] else 0) == decimals, i
            cross = any(":" in k for k in it["keys"])
            if cross:
                assert all(":" in k for k in it["keys"]), f"{i}: prefix every key of a cross-report op"
                assert it["op"] in COMPUTED_OPS, i
            agencies = {_prefix(r) for r in _key_reports(it)}
            assert ("cross_agency" in style) == (cross and len(agencies) > 1), i
            assert ("cross_year" in style) == (cross and len(agencies) == 1), i
            if "rank" in style:
                assert it["op"] == "max" and cross, i
        else:
            assert it["op"] is None, i
            assert not style & set(FIGURE_OPS), i
        if it["type"] == "text":
            assert it["a"] and len(it["a"]) <= 30 and it["keys"] == [] and it["report"], i
            assert "text" in style and style & {"contact", "problem", "date", "name"}, i
        if it["type"] == "unanswerable":
            assert it["a"] == "" and it["keys"] == [] and it["unit"] == "", i
            reasons = style & UNANSWERABLE_REASONS
            assert reasons, i
            # an absent year or agency names no report; the other reasons name the report that lacks the answer
            assert (it["report"] is None) == bool(reasons & {"absent_year", "absent_agency"}), i
        if it["type"] == "clarify":
            assert it["a"] == "" and it["unit"] == "", i
            reasons = style & CLARIFY_REASONS
            assert len(reasons) == 1, i
            assert (it["report"] is not None) == ("ambiguous_word" in reasons), i
            if "ambiguous_word" in reasons:
                assert len(it["keys"]) >= 2, i


def test_voices_keep_their_promise():
    opencc = pytest.importorskip("opencc")
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    for it in _items():
        i, q, style = it["id"], it["q"], set(it["style"])
        keys = [split(it["report"], k)[1] for k in it["keys"]] if it["type"] == "figure" else []
        if "review_staff" in style:
            assert any(m in q for m in REVIEW_MARKERS) or style & {"rank", "cross_year"}, i
        if "journalist" in style:  # context first, the ask at the end
            assert len(q) >= 40 and q.endswith("？") and re.search(r"[，：。；—]", q[:-1]), i
        if "cn_numeral" in style:
            assert _cn_years(q), i
        if "fullwidth" in style:
            assert re.search("[０-９]", q), i
        if "voice_filler" in style:
            assert any(f in q for f in FILLERS), i
            assert sum(q.count(t) for t in TYPOS) == 1, f"{i}: exactly one misrecognised word"
        else:
            assert not any(t in q for t in TYPOS), i
        if "traditional" in style:
            assert t2s.convert(q) != q, f"{i}: no Traditional character"
            simplified = {c for c in q if s2t.convert(c) != c and t2s.convert(c) == c} - TRADITIONAL_OK
            assert not simplified, (i, simplified)
        if "meaning_desc" in style:
            words = []
            for k in keys:
                table, row, col = (k.split(".") + [""])[:3]
                if table == "table3":
                    words += ROW_WORDS[row]
                elif table == "table4":
                    words += T4_WORDS[col] + T4_GROUP_WORDS[row]
            assert any(k.startswith(("table3.", "table4.")) for k in keys), i
            assert not [w for w in words if w in q], (i, [w for w in words if w in q])
        if "applicant_example" in style:
            cols = {k.split(".")[2] for k in keys if k.startswith("table3.")} & set(COLUMN_WORDS)
            assert cols and not any(COLUMN_WORDS[c] in q for c in cols), i
            assert any(e in q for e in APPLICANT_EXAMPLES), i
        if "rare_cell" in style:
            assert any(_is_rare(k) for k in keys), i


@needs_shared
def test_mix_and_coverage():
    items, gold, manifest = _items(), gold_by_id(), _manifest()
    types = Counter(it["type"] for it in items)
    for t, (lo, hi) in TYPE_RANGE.items():
        assert lo <= types[t] <= hi, types
    ops = Counter(it["op"] for it in items if it["type"] == "figure")
    assert COMPUTED_RANGE[0] <= sum(ops[o] for o in COMPUTED_OPS) <= COMPUTED_RANGE[1], ops
    assert NARRATIVE_RANGE[0] <= ops["narrative"] <= NARRATIVE_RANGE[1], ops
    assert all(ops[o] >= 3 for o in COMPUTED_OPS), ops
    styles = Counter(s for it in items for s in it["style"])
    short = {s: (styles[s], n) for s, n in REQUIRED_STYLES.items() if styles[s] < n}
    assert not short, short
    # every report of the manifest is asked about; every gold report has figures of its own
    used = Counter(r for it in items for r in _refs(it))
    assert set(used) == set(manifest), set(manifest) - set(used)
    own = Counter(it["report"] for it in items if it["type"] == "figure")
    assert all(own[r] >= 7 for r in gold), own
    tables = Counter(split(it["report"], k)[1].split(".")[0] for it in items if it["type"] == "figure"
                     for k in it["keys"])
    assert all(tables[t] >= 20 for t in ("table2", "table3", "table4", "narrative")), tables
    for it in items:
        refs = _refs(it)
        style = set(it["style"])
        # the template, department and township tags say what the reports asked about are
        assert style & {"old_template", "new_template", "pre_template"} == _template_tags(gold, refs), it["id"]
        dept = any(_prefix(r) in ("pingtan-tourism", "shanghai-kewei") for r in refs)
        assert ("department" in style) == dept, it["id"]
        assert ("township" in style) == any(_prefix(r) == "jiangjing" for r in refs), it["id"]
        # the report without the national template has no gold: it can only lack the answer
        if refs - set(gold):
            assert it["type"] == "unanswerable" and "pre_template" in style, it["id"]


@needs_shared
def test_figures_recompute_from_gold():
    gold = gold_by_id()
    bad = []
    for it in _items():
        if it["type"] != "figure":
            continue
        vals = [value(gold, it["report"], k) for k in it["keys"]]
        assert all(v is not None for v in vals), f"{it['id']}: blank cell"
        got = recompute(gold, it)
        if got != it["a"]:
            bad.append((it["id"], it["a"], got))
        if it["op"] == "max":  # the report named is the one holding the largest value, a strict winner
            own = [k for k in it["keys"] if split(it["report"], k)[0] == it["report"]]
            assert len(own) == 1 and str(value(gold, it["report"], own[0])) == it["a"], it["id"]
        if len(it["keys"]) > 1:
            assert it["report"] in _key_reports(it), it["id"]
    assert not bad, bad


@needs_shared
def test_units_match_the_cells():
    gold = gold_by_id()
    for it in _items():
        if it["type"] != "figure" or it["op"] == "share":
            continue
        units = set()
        for k in it["keys"]:
            report, key = split(it["report"], k)
            table, rest = key.split(".", 1)
            if table == "narrative":
                hits = [n for n in gold[report]["narrative"] if n["key"] == rest]
                units.add(hits[0]["unit"].replace("余", ""))
            elif table == "table2":
                row, col = rest.split(".")
                if col == "amount":
                    v = gold[report]["table2"][rest]
                    units.add("元" if isinstance(v, str) and v.endswith("元") and not v.endswith("万元") else "万元")
                else:
                    units.add(TABLE2_UNITS[col])
            else:
                units.add("件")
        assert units == {it["unit"]}, (it["id"], units, it["unit"])


@needs_shared
def test_no_key_reads_a_doubtful_or_blank_cell():
    gold = gold_by_id()
    for it in _items():
        for k in it["keys"]:
            report, key = split(it["report"], k)
            assert not key.startswith(DOUBTFUL.get(report, ())), (it["id"], report, key)
            assert value(gold, report, key) is not None, (it["id"], report, key)


@needs_shared
def test_text_answers_appear_in_their_report():
    missing = [(it["id"], it["report"], it["a"]) for it in _items() if it["type"] == "text"
               and re.sub(r"\s+", "", it["a"]) not in report_text(it["report"])]
    assert not missing, missing


@needs_shared
def test_questions_name_the_agency_and_year_of_their_report():
    """A question about reports names their agencies (by name, Traditional form or the misheard form) and their
    years in any writing, and no other year of those agencies that the corpus holds; a question naming no year
    is about an agency with a single report ("year_omitted")."""
    manifest = _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    for it in _items():
        refs = _refs(it)
        if not refs:
            continue
        q, style = it["q"], set(it["style"])
        assert _agencies(q) == {_prefix(r) for r in refs}, (it["id"], _agencies(q))
        years = _years(q)
        if "year_omitted" in style:
            assert not years and all(per_agency[_prefix(r)] == 1 for r in refs), it["id"]
            continue
        assert {manifest[r]["year"] for r in refs} <= years, (it["id"], years)
        others = {manifest[r]["year"] for r in manifest if _prefix(r) in {_prefix(x) for x in refs}} - {
            manifest[r]["year"] for r in refs}
        assert not years & others, (it["id"], years & others)


@needs_shared
def test_clarify_questions_leave_the_answer_open():
    """no_year: one agency with several reports, no year; its candidate cells are that cell in each of the
    agency's gold reports. no_agency: no agency, at most one year, shared by several reports; the candidates are
    the cell in each of that year's gold reports. ambiguous_word: one report, named by agency and year; its
    candidates are cells of that report the question's word can name. Candidates must not all agree."""
    gold, manifest = gold_by_id(), _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    per_year = Counter(v["year"] for v in manifest.values())
    for it in _items():
        if it["type"] != "clarify":
            continue
        q, style = it["q"], set(it["style"])
        agencies, years = _agencies(q), _years(q)
        cands = {split(it["report"], k)[0] for k in it["keys"]} if it["keys"] else set()
        if "no_year" in style:
            assert not years and len(agencies) == 1, it["id"]
            agency = next(iter(agencies))
            assert per_agency[agency] > 1, it["id"]
            if it["keys"]:
                assert cands == {r for r in gold if _prefix(r) == agency}, it["id"]
            else:  # a contact asked with no year: the agency's reports print different ones
                phones = {m for r in manifest if _prefix(r) == agency
                          for m in re.findall(r"0591-\d{8}", report_text(r))}
                assert len(phones) > 1, it["id"]
        if "no_agency" in style:
            assert not agencies and len(years) <= 1, it["id"]
            if years:
                year = next(iter(years))
                assert per_year[year] > 1, it["id"]
                if it["keys"]:
                    assert cands == {r for r in gold if gold[r]["year"] == year}, it["id"]
            else:
                assert not it["keys"], it["id"]
        if "ambiguous_word" in style:
            assert agencies == {_prefix(it["report"])} and cands == {it["report"]}, it["id"]
            assert manifest[it["report"]]["year"] in years, it["id"]
        if it["keys"]:
            vals = [value(gold, it["report"], k) for k in it["keys"]]
            assert len({str(v) for v in vals}) > 1, (it["id"], vals)


@needs_shared
def test_unanswerable_questions_have_no_answer_in_the_corpus():
    manifest, gold = _manifest(), gold_by_id()
    names = {v["agency"] for v in manifest.values()}
    for it in _items():
        if it["type"] != "unanswerable":
            continue
        i, q, style = it["id"], it["q"], set(it["style"])
        text = report_text(it["report"]) if it["report"] else ""
        if "absent_agency" in style:
            hits = [a for a in ABSENT_AGENCIES if a in q]
            assert len(hits) == 1 and hits[0] not in names, i
            for name in names:  # a corpus agency's full name only as the start of a unit's name
                for m in re.finditer(re.escape(name), q):
                    assert re.match(r"[\u4e00-\u9fff]", q[m.end():]), (i, name)
        if "absent_year" in style:
            agencies, years = _agencies(q), _years(q)
            assert len(agencies) == 1 and years, i
            prefix = next(iter(agencies))
            assert _agency_in_corpus(manifest, prefix) and all(f"{prefix}-{y}" not in manifest for y in years), i
        if "other_generation" in style:
            template = gold[it["report"]]["template"]
            asked = [w for w in (NEW_ONLY if template == 2019 else OLD_ONLY) if w in q]
            assert asked and not any(w in text for w in asked), (i, asked)
        if "pre_template" in style:
            assert it["report"] not in gold, i
            assert any(w in q for w in (*NEW_ONLY, "处理决定数量")), i
            assert not any(w in text for w in ("本年废止", "处理决定")), i
        if "sub_unit" in style:
            hits = [u for u in SUB_UNITS if u in q]
            assert len(hits) == 1 and hits[0] not in text, i
        if "monthly" in style:
            assert MONTHLY.search(q), i
        if "absent_concept" in style:
            for word, pat in CONTACT_PATTERNS.items():
                if word in q:
                    assert not re.search(pat, text), (i, word)


def _agency_in_corpus(manifest, prefix):
    return any(_prefix(r) == prefix for r in manifest)
