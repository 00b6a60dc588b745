"""Checks tests/fixtures/questions-i.jsonl, a held-out set of 240 questions written without sight of the product.

Half are written like the gold files' own "qa" lists (plain, complete questions naming the agency and the year,
"gold" voice); half the way citizens type into a web chat ("chat" voice): the agency shortened (洪泽, 平潭, 科委,
旅文体局), a department named without its government (人社局, 市场监管局), two-digit years (23年) or none where the
agency has one report, English with pinyin place names, one mistyped character, no punctuation at all.
The questions cover the eleven gold reports of ../shared/corpus (pingtan-2018, which has no template tables, only
for questions without an answer) and the six reports of fictional agencies in tests/fixtures/unseen.

What is checked: the shape of every line; every figure answer recomputed from the gold files (shared and unseen)
through its keys and op with tests/fixture_gold.py; no key reads a cell the gold notes call doubtful or a blank
cell; every text answer found verbatim in its report (whitespace ignored); the agency and year each question names
matched against its report(s); each style tag keeps its promise; each clarify question really leaves the answer
open; each unanswerable question really has no answer in the corpus; and the type/op/style/report mix."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from fixture_gold import recompute, split, value

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "questions-i.jsonl"
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared")) / "corpus"
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
CORPORA = (SHARED, UNSEEN)  # each holds MANIFEST.tsv, gold/ and reports/

N_ITEMS = 240
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style")
TYPE_RANGE = {"figure": (155, 165), "text": (22, 28), "unanswerable": (27, 33), "clarify": (22, 28)}
FIGURE_OPS = ("cell", "narrative", "sum", "diff", "share", "max")
COMPUTED_OPS = ("sum", "diff", "share", "max")
COMPUTED_RANGE = (26, 34)
NARRATIVE_RANGE = (27, 34)
VOICE_RANGE = (110, 130)      # gold-file style and chat style, about half each
ENGLISH_CHAT_RANGE = (19, 30)  # about a fifth of the chat questions
UNSEEN_RANGE = (70, 95)        # about a third of the set touches the unseen reports

VOICES = {"gold", "chat"}
FEATURES = {"english", "pinyin", "abbrev", "short_year", "year_omitted", "typo", "no_punct", "dept_bare"}
UNANSWERABLE_REASONS = {"absent_concept", "absent_year", "absent_agency", "other_generation", "pre_template"}
CLARIFY_REASONS = {"no_year", "no_agency", "ambiguous_word"}
STYLES = VOICES | FEATURES | UNANSWERABLE_REASONS | CLARIFY_REASONS | {"cross_year", "cross_agency"}

# Cells the gold notes call doubtful (contradicted by the text, placed by row order only, approximate, of unknown
# unit, a printed arithmetic error, a quote that does not match its key): no key reads them. Narratives whose unit
# carries 余 ("more than") are doubtful everywhere.
DOUBTFUL = {
    "hongze-2023": ("table4.", "table3.other."),
    "hongze-2024": ("table3.other.", "table3.new.", "table3.total.", "narrative.applications_received"),
    "shanghai-kewei-2024": (
        "table3.partial.", "table3.denied_2.", "table3.denied_5.", "table3.unable_", "table3.not_processed_4.",
        "table3.not_processed_5.", "table3.other_1.", "table3.other_2.", "table3.carry_forward.",
    ),
    "pingtan-2019": ("narrative.food_drug_safety_info",),
    "pingtan-2023": ("table2.normative_docs.in_force", "narrative.normative_docs_in_force_published"),
    "pingtan-2025": ("table2.normative_docs.in_force", "narrative.proactive_total_portal", "narrative.key_area_info"),
    "huaian-2024": ("narrative.proactive_total",),
    "jiangjing-2020": ("table2.procurement.amount",),
    "wangshu-district-2023": ("table3.total.natural",),
}

FIGURE_UNITS = {"件", "条", "个", "%", "万元", "元", "期", "名", "篇", "次", "场", "场次", "家", "人次", "万人次", "万个",
                "项", "户", "台", "批次"}
TABLE2_UNITS = {"new_made": "件", "new_published": "件", "total_published": "件", "issued": "件", "repealed": "件",
                "in_force": "件", "decisions": "件", "prev_items": "个", "change": "个", "items": "个"}
ROUNDING = {"整数": 0, "一位小数": 1, "两位小数": 2}

# How the questions name the agencies (matched longest first, case-insensitive; a match is blanked out so that a
# department's or district's name does not also count as its parent's), with the id prefix of their reports.
ALIASES = (
    ("淮安市洪泽区人民政府", "hongze"), ("淮安市洪泽区", "hongze"), ("洪泽区", "hongze"), ("洪泽", "hongze"),
    ("红泽", "hongze"), ("hongze", "hongze"),
    ("淮安市人民政府", "huaian"), ("淮安市府", "huaian"), ("淮安市", "huaian"), ("淮安", "huaian"),
    ("huai'an", "huaian"), ("huaian", "huaian"),
    ("沭阳县人民政府", "shuyang"), ("沭阳县", "shuyang"), ("沭阳", "shuyang"), ("述阳", "shuyang"),
    ("shuyang", "shuyang"),
    ("上海市科学技术委员会", "shanghai-kewei"), ("上海市科委", "shanghai-kewei"), ("上海科委", "shanghai-kewei"),
    ("市科委", "shanghai-kewei"), ("科委", "shanghai-kewei"),
    ("shanghai science and technology commission", "shanghai-kewei"),
    ("shanghai sci & tech commission", "shanghai-kewei"),
    ("福清市江镜镇人民政府", "jiangjing"), ("福清市江镜镇", "jiangjing"), ("江镜镇", "jiangjing"), ("江镜", "jiangjing"),
    ("江境", "jiangjing"), ("jiangjing", "jiangjing"),
    ("平潭综合实验区旅游与文化体育局", "pingtan-tourism"), ("平潭旅游与文化体育局", "pingtan-tourism"),
    ("旅游与文化体育局", "pingtan-tourism"), ("平潭旅文体局", "pingtan-tourism"), ("平潭文旅局", "pingtan-tourism"),
    ("旅文体局", "pingtan-tourism"), ("pingtan tourism bureau", "pingtan-tourism"),
    ("平潭综合实验区", "pingtan"), ("平潭", "pingtan"), ("pingtan", "pingtan"),
    ("岚川县市场监督管理局", "lanchuan-amr"), ("岚川县市场监管局", "lanchuan-amr"), ("岚川市监局", "lanchuan-amr"),
    ("市场监管局", "lanchuan-amr"), ("市监局", "lanchuan-amr"),
    ("lanchuan market regulation bureau", "lanchuan-amr"),
    ("岚川县人民政府", "lanchuan-county"), ("岚川县", "lanchuan-county"), ("岚川", "lanchuan-county"),
    ("兰川县", "lanchuan-county"), ("lanchuan county", "lanchuan-county"), ("lanchuan", "lanchuan-county"),
    ("汀澜市人力资源和社会保障局", "tinglan-hrss"), ("汀澜市人社局", "tinglan-hrss"), ("汀澜人社局", "tinglan-hrss"),
    ("汀澜人社", "tinglan-hrss"), ("人社局", "tinglan-hrss"),
    ("tinglan human resources and social security bureau", "tinglan-hrss"), ("hrss tinglan", "tinglan-hrss"),
    ("汀澜市望舒区榆荫街道办事处", "yuyin-street"), ("榆荫街道办事处", "yuyin-street"), ("榆荫街道办", "yuyin-street"),
    ("榆荫街道", "yuyin-street"), ("榆阴街道", "yuyin-street"), ("yuyin subdistrict", "yuyin-street"),
    ("汀澜市望舒区人民政府", "wangshu-district"), ("望舒区人民政府", "wangshu-district"), ("望舒区", "wangshu-district"),
    ("望书区", "wangshu-district"), ("wangshu district", "wangshu-district"), ("wangshu", "wangshu-district"),
)
# A department named without its government: the words of the parent it leaves out.
DEPT_PARENTS = {"pingtan-tourism": ("平潭", "pingtan"), "shanghai-kewei": ("上海", "shanghai"),
                "lanchuan-amr": ("岚川", "lanchuan"), "tinglan-hrss": ("汀澜", "tinglan")}
PINYIN = ("hongze", "huai'an", "huaian", "shuyang", "pingtan", "jiangjing", "lanchuan", "tinglan", "wangshu", "yuyin",
          "tonghua")
# The one mistyped word of a "typo" question (as typed, as meant); no other question holds one.
TYPOS = {"红泽": "洪泽", "江境": "江镜", "述阳": "沭阳", "兰川": "岚川", "望书": "望舒", "榆阴": "榆荫", "申情": "申请",
         "复意": "复议"}
# Agencies the corpus lacks, named like ones it has.
ABSENT_AGENCIES = ("宿迁市泗洪县", "上海市教委", "福清市龙田镇", "岚川县教育局", "桐花街道")
# A concept a question asks about (as the question words it) and how a report would say it: an "absent_concept"
# question names one and its report says none of it.
CONCEPTS = {
    "在线访谈": r"访谈", "新闻发布会": r"新闻发布会", "press conference": r"新闻发布会", "平均": r"平均",
    "经费": r"经费", "地址": r"地址", "邮箱": r"邮箱|@|＠", "email": r"邮箱|@|＠", "访问量": r"访问量|浏览量",
    "网上": r"网上|网络提交|在线申请|网络申请",
}
# Table-2 words of one template generation only.
NEW_ONLY = ("废止", "现行有效", "制发", "收费金额")
OLD_ONLY = ("上一年项目", "本年增", "集中采购", "其他对外管理服务事项", "新制作", "对外公开总数")

SHORT_YEAR = re.compile(r"(?<![\d.])(1[89]|2[0-6])\s?年")
FULL_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")
PHONE = re.compile(r"0\d{2,3}-\d{7,8}")

needs_corpus = pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason=f"gold files not present at {SHARED}")


def _items():
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def _manifest():
    out = {}
    for base in CORPORA:
        for line in (base / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
            if line.strip():
                row = line.split("\t")
                out[row[0]] = {"file": base / row[1], "agency": row[3], "year": int(row[4]), "unseen": base == UNSEEN}
    return out


@cache
def _gold():
    return {g["id"]: g for base in CORPORA for g in
            (json.loads(p.read_text(encoding="utf-8")) for p in sorted((base / "gold").glob("*.json")))}


@cache
def _text(report):
    """A report's text with all whitespace removed (PDF text layers put spaces around digits)."""
    path = _manifest()[report]["file"]
    if path.suffix == ".pdf":
        pdfplumber = pytest.importorskip("pdfplumber")
        with pdfplumber.open(path) as doc:
            raw = "\n".join(page.extract_text() or "" for page in doc.pages)
    else:
        raw = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", "", raw)


def _prefix(report):
    return re.sub(r"-\d{4}$", "", report)


def _key_reports(item):
    return {split(item["report"], k)[0] for k in item["keys"]}


def _refs(item):
    """Reports a question is about: its own and, for figures and in-report clarify questions, those its keys read."""
    refs = {item["report"]} if item["report"] else set()
    if item["type"] == "figure" or (item["type"] == "clarify" and item["report"]):
        refs |= _key_reports(item)
    return refs


def _agencies(q):
    q = q.lower()
    found = set()
    for alias, prefix in sorted(ALIASES, key=lambda a: -len(a[0])):
        if alias in q:
            found.add(prefix)
            q = q.replace(alias, "□")
    return found


def _years(q):
    return {int(y) for y in FULL_YEAR.findall(q)} | {2000 + int(y) for y in SHORT_YEAR.findall(q)}


def _is_english(q):
    cjk = sum(1 for ch in q if "\u4e00" <= ch <= "\u9fff")
    return cjk <= 12 and sum(ch.isascii() and ch.isalpha() for ch in q) >= 20


def _has_punct(q):
    return any(unicodedata.category(ch).startswith("P") for ch in q)


def _doubtful(report, key):
    if key.startswith(DOUBTFUL.get(report, ())):
        return True
    if key.startswith("narrative."):
        hits = [n for n in _gold()[report].get("narrative", []) if n["key"] == key.split(".", 1)[1]]
        return bool(hits) and "余" in (hits[0]["unit"] or "")
    return False


def test_lines_are_well_formed():
    items = _items()
    assert len(items) == N_ITEMS
    assert [it["id"] for it in items] == [f"qi/{n}" for n in range(1, N_ITEMS + 1)]
    assert len({it["q"] for it in items}) == N_ITEMS, "duplicate question text"
    for it in items:
        i, style = it["id"], set(it["style"])
        assert tuple(it) == FIELDS, i
        assert isinstance(it["q"], str) and it["q"] and it["q"].strip() == it["q"], i
        assert it["type"] in TYPE_RANGE, i
        assert isinstance(it["a"], str) and isinstance(it["unit"], str), i
        assert it["report"] is None or (isinstance(it["report"], str) and it["report"]), i
        assert isinstance(it["keys"], list) and all(isinstance(k, str) and k for k in it["keys"]), i
        assert len(set(it["keys"])) == len(it["keys"]), i
        assert isinstance(it["style"], list) and len(style) == len(it["style"]), i
        assert style <= STYLES, (i, style - STYLES)
        assert len(style & VOICES) == 1, f"{i}: one voice"
        if it["type"] == "figure":
            assert it["op"] in FIGURE_OPS and it["report"] and it["keys"], i
            assert re.fullmatch(r"-?\d+(\.\d+)?", it["a"]), i
            assert it["unit"] in FIGURE_UNITS, i
            for k in it["keys"]:
                assert split(it["report"], k)[1].split(".")[0] in ("table2", "table3", "table4", "narrative"), i
            if it["op"] in ("cell", "narrative"):
                assert len(it["keys"]) == 1 and ":" not in it["keys"][0], i
                assert it["keys"][0].startswith("narrative.") == (it["op"] == "narrative"), i
            else:
                assert len(it["keys"]) >= 2, i
            if it["op"] == "share":
                assert it["unit"] == "%", i
            cross = any(":" in k for k in it["keys"])
            if cross:
                assert all(":" in k for k in it["keys"]), f"{i}: prefix every key of a cross-report op"
                assert it["report"] in _key_reports(it), i
            agencies = {_prefix(r) for r in _key_reports(it)} if cross else set()
            assert ("cross_agency" in style) == (cross and len(agencies) > 1), i
            assert ("cross_year" in style) == (cross and len(agencies) == 1), i
        else:
            assert it["op"] is None, i
            assert not style & {"cross_year", "cross_agency"}, i
        if it["type"] == "text":
            assert it["a"] and len(it["a"]) <= 40 and not it["keys"] and it["report"] and not it["unit"], i
        if it["type"] == "unanswerable":
            assert it["a"] == "" and it["unit"] == "" and not it["keys"], i
            reasons = style & UNANSWERABLE_REASONS
            assert len(reasons) == 1, i
            assert (it["report"] is None) == bool(reasons & {"absent_year", "absent_agency"}), i
        else:
            assert not style & UNANSWERABLE_REASONS, i
        if it["type"] == "clarify":
            assert it["a"] == "" and it["unit"] == "", i
            reasons = style & CLARIFY_REASONS
            assert len(reasons) == 1, i
            assert (it["report"] is not None) == ("ambiguous_word" in reasons), i
            if "ambiguous_word" in reasons:
                assert len(it["keys"]) >= 2 and not any(":" in k for k in it["keys"]), i
            else:
                assert all(":" in k for k in it["keys"]), i
        else:
            assert not style & CLARIFY_REASONS, i


@needs_corpus
def test_styles_keep_their_promise():
    manifest = _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    full_names = {}
    for r, row in manifest.items():
        full_names.setdefault(_prefix(r), set()).add(row["agency"])
    for it in _items():
        i, q, style = it["id"], it["q"], set(it["style"])
        low = q.lower()
        agencies = {_prefix(r) for r in _refs(it)} | _agencies(q)
        assert ("english" in style) == _is_english(q), i
        assert ("pinyin" in style) == any(p in low for p in PINYIN), i
        assert ("short_year" in style) == bool(SHORT_YEAR.search(q) and not FULL_YEAR.search(q)), i
        assert ("no_punct" in style) == (not _has_punct(q)), i
        typos = sum(q.count(t) for t in TYPOS)
        assert typos == (1 if "typo" in style else 0), (i, typos)
        if "abbrev" in style:  # the agency is named by a shortened form, never by its full name
            assert agencies and not any(n in q for a in agencies for n in full_names.get(a, ())), i
        if "dept_bare" in style:  # a department named without its government
            assert agencies and agencies <= set(DEPT_PARENTS), i
            assert not any(w in low for a in agencies for w in DEPT_PARENTS[a]), i
        if "year_omitted" in style:  # no year, and the agency has a single report in the corpus
            assert not _years(q) and it["type"] != "clarify", i
            assert agencies and all(per_agency[a] == 1 for a in agencies), i
        elif _refs(it) or it["type"] == "unanswerable":
            assert _years(q), f"{i}: a year must be named (or the question tagged year_omitted)"
        if "gold" in style:  # a plain complete question, as in the gold files' qa lists
            assert q.endswith(("？", "?")), i
            assert not style & {"short_year", "typo", "no_punct", "dept_bare"}, i
            if "english" in style:
                assert q[0].isupper(), i


@needs_corpus
def test_mix_and_coverage():
    items, gold, manifest = _items(), _gold(), _manifest()
    types = Counter(it["type"] for it in items)
    for t, (lo, hi) in TYPE_RANGE.items():
        assert lo <= types[t] <= hi, types
    ops = Counter(it["op"] for it in items if it["type"] == "figure")
    assert COMPUTED_RANGE[0] <= sum(ops[o] for o in COMPUTED_OPS) <= COMPUTED_RANGE[1], ops
    assert NARRATIVE_RANGE[0] <= ops["narrative"] <= NARRATIVE_RANGE[1], ops
    assert all(ops[o] >= 4 for o in COMPUTED_OPS), ops
    styles = Counter(s for it in items for s in it["style"])
    assert all(VOICE_RANGE[0] <= styles[v] <= VOICE_RANGE[1] for v in VOICES), styles
    english_chat = sum(1 for it in items if {"english", "chat"} <= set(it["style"]))
    assert ENGLISH_CHAT_RANGE[0] <= english_chat <= ENGLISH_CHAT_RANGE[1], english_chat
    for tag, n in {"abbrev": 30, "short_year": 30, "year_omitted": 8, "pinyin": 20, "typo": 5, "no_punct": 60,
                   "dept_bare": 8, "cross_year": 4, "cross_agency": 3}.items():
        assert styles[tag] >= n, (tag, styles[tag])
    for reason in UNANSWERABLE_REASONS | CLARIFY_REASONS:
        assert styles[reason] >= 2, (reason, styles[reason])
    # every report of both manifests is asked about; the one without template tables only without an answer
    used = Counter(r for it in items for r in _refs(it) | _key_reports(it))
    assert set(used) == set(manifest), set(manifest) ^ set(used)
    for it in items:
        if (_refs(it) | _key_reports(it)) - set(gold):
            assert it["type"] in ("unanswerable", "clarify"), it["id"]
    own = Counter(it["report"] for it in items if it["type"] == "figure")
    assert all(own[r] >= 6 for r in gold), own
    tables = Counter(split(it["report"], k)[1].split(".")[0] for it in items if it["type"] == "figure"
                     for k in it["keys"])
    assert all(tables[t] >= 20 for t in ("table2", "table3", "table4", "narrative")), tables
    unseen = {_prefix(r) for r, row in manifest.items() if row["unseen"]}
    touching = sum(1 for it in items if ({_prefix(r) for r in _refs(it) | _key_reports(it)} | _agencies(it["q"])) & unseen)
    assert UNSEEN_RANGE[0] <= touching <= UNSEEN_RANGE[1], touching
    # no question is one of the gold files' own qa questions
    qa = {q["q"] for g in gold.values() for q in g.get("qa", [])}
    assert not [it["id"] for it in items if it["q"] in qa]


@needs_corpus
def test_figures_recompute_from_gold():
    gold = _gold()
    bad = []
    for it in _items():
        if it["type"] != "figure":
            continue
        got = recompute(gold, it)
        if got != it["a"]:
            bad.append((it["id"], it["a"], got))
        if it["op"] == "share":
            hits = {d for w, d in ROUNDING.items() if w in it["q"]}
            assert len(hits) == 1, (it["id"], "the question states its precision once")
            decimals = hits.pop()
            assert (len(it["a"].split(".")[1]) if "." in it["a"] else 0) == decimals, it["id"]
        if it["op"] == "max":  # the report named holds the largest value, a strict winner
            own = [k for k in it["keys"] if split(it["report"], k)[0] == it["report"]]
            assert len(own) == 1 and str(value(gold, it["report"], own[0])) == it["a"], it["id"]
    assert not bad, bad


@needs_corpus
def test_units_match_the_cells():
    gold = _gold()
    for it in _items():
        if it["type"] != "figure" or it["op"] == "share":
            continue
        units = set()
        for k in it["keys"]:
            report, key = split(it["report"], k)
            table, rest = key.split(".", 1)
            if table == "narrative":
                units |= {n["unit"].replace("余", "") for n in gold[report]["narrative"] if n["key"] == rest}
            elif table == "table2":
                col = rest.split(".")[1]
                v = gold[report]["table2"][rest]
                if col == "amount":
                    units.add("元" if isinstance(v, str) and not v.endswith("万元") else "万元")
                else:
                    units.add(TABLE2_UNITS[col])
            else:
                units.add("件")
        assert units == {it["unit"]}, (it["id"], units, it["unit"])


@needs_corpus
def test_no_key_reads_a_doubtful_or_blank_cell():
    gold = _gold()
    for it in _items():
        for k in it["keys"]:
            report, key = split(it["report"], k)
            assert report in gold, (it["id"], report)
            assert not _doubtful(report, key), (it["id"], report, key)
            assert value(gold, report, key) is not None, (it["id"], report, key)


@needs_corpus
def test_text_answers_appear_in_their_report():
    missing = [(it["id"], it["report"], it["a"]) for it in _items()
               if it["type"] == "text" and re.sub(r"\s+", "", it["a"]) not in _text(it["report"])]
    assert not missing, missing


@needs_corpus
def test_questions_name_the_agency_and_year_of_their_report():
    """A question about reports names their agencies and their years (2023, 23年), and no other year of those
    agencies that the corpus holds; a question naming no year is about agencies with a single report."""
    manifest = _manifest()
    for it in _items():
        refs = _refs(it)
        if not refs:
            continue
        q = it["q"]
        assert _agencies(q) == {_prefix(r) for r in refs}, (it["id"], _agencies(q))
        years = _years(q)
        if "year_omitted" in it["style"]:
            assert not years, it["id"]
            continue
        assert {manifest[r]["year"] for r in refs} <= years, (it["id"], years)
        prefixes = {_prefix(r) for r in refs}
        others = {row["year"] for r, row in manifest.items() if _prefix(r) in prefixes} - {
            manifest[r]["year"] for r in refs}
        assert not years & others, (it["id"], years & others)


@needs_corpus
def test_clarify_questions_leave_the_answer_open():
    """no_year: one agency with several reports and no year; its candidates are the cell in each of the agency's
    gold reports (or, without keys, the contact phones its reports print). no_agency: no agency, at most one year;
    the candidates are the cell in every gold report of that year that fills it, from two agencies or more.
    ambiguous_word: one report, named by agency and year, and cells of it the word can name. Candidates differ."""
    gold, manifest = _gold(), _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    for it in _items():
        if it["type"] != "clarify":
            continue
        i, q, style = it["id"], it["q"], set(it["style"])
        agencies, years = _agencies(q), _years(q)
        cands = _key_reports(it) if it["keys"] else set()
        if "no_year" in style:
            assert not years and len(agencies) == 1, i
            agency = next(iter(agencies))
            assert per_agency[agency] > 1, i
            if it["keys"]:
                assert cands == {r for r in gold if _prefix(r) == agency}, i
            else:
                phones = {p for r in manifest if _prefix(r) == agency for p in PHONE.findall(_text(r))}
                assert len(phones) > 1, (i, phones)
        if "no_agency" in style:
            assert not agencies and len(years) <= 1, i
            if years:
                year = next(iter(years))
                keys = {split(it["report"], k)[1] for k in it["keys"]}
                assert len(keys) == 1, i
                key = keys.pop()
                table, rest = key.split(".", 1)
                filled = {r for r in gold if gold[r]["year"] == year and gold[r].get(table, {}).get(rest) is not None}
                assert cands == filled and len({_prefix(r) for r in cands}) >= 2, (i, cands, filled)
            else:
                assert not it["keys"], i
        if "ambiguous_word" in style:
            assert agencies == {_prefix(it["report"])} and cands == {it["report"]}, i
            assert manifest[it["report"]]["year"] in years, i
        if it["keys"]:
            vals = [value(gold, it["report"], k) for k in it["keys"]]
            assert len({str(v) for v in vals}) > 1, (i, vals)


@needs_corpus
def test_unanswerable_questions_have_no_answer_in_the_corpus():
    gold, manifest = _gold(), _manifest()
    names = {row["agency"] for row in manifest.values()}
    for it in _items():
        if it["type"] != "unanswerable":
            continue
        i, q, style = it["id"], it["q"], set(it["style"])
        text = _text(it["report"]) if it["report"] else ""
        if "absent_agency" in style:
            hits = [a for a in ABSENT_AGENCIES if a in q]
            assert len(hits) == 1 and not any(n in q for n in names), i
            assert not any(hits[0] in row["agency"] for row in manifest.values()), i
        if "absent_year" in style:
            agencies, years = _agencies(q), _years(q)
            assert len(agencies) == 1 and years, i
            prefix = next(iter(agencies))
            assert any(_prefix(r) == prefix for r in manifest), i
            assert all(f"{prefix}-{y}" not in manifest for y in years), i
        if "absent_concept" in style:
            asked = [w for w in CONCEPTS if w in q.lower()]
            assert asked, i
            assert not [w for w in asked if re.search(CONCEPTS[w], text)], (i, asked)
        if "other_generation" in style:
            template = gold[it["report"]]["template"]
            asked = [w for w in (NEW_ONLY if template == 2019 else OLD_ONLY) if w in q]
            assert asked and not [w for w in asked if w in text], (i, asked)
        if "pre_template" in style:
            assert it["report"] not in gold, i
            asked = [w for w in (*NEW_ONLY, "处理决定") if w in q]
            assert asked and not [w for w in asked if w in text], (i, asked)
