"""Checks tests/fixtures/questions-j.jsonl, a held-out set of 160 questions written from the template, the manifest,
the report texts and the gold files only (without sight of the product or of the earlier sets).

The questions are typed the way a web chat receives them — agency names shortened (平潭, 实验区, 沭阳, 洪泽区, 市科委,
上海科委, 旅文体局), two-digit years, no punctuation, English with pinyin place names or pinyin fragments, one
same-sound typo, a table row described by what it means instead of its printed label, context before the ask,
polite long-winded asks, very short asks — and some in the plain complete style of the gold files' own qa lists.

What is checked: the shape of every line; every figure answer recomputed from the gold files through its keys and
op (tests/fixture_gold.py; `min` here); the unit each cell carries; no key reads a blank cell or a cell the gold
notes call doubtful; every text answer found verbatim (whitespace ignored) in its report's text, or for a PDF report
in its gold file's quotes; the agency and year each question names matched against its report(s); each style tag
keeps its promise; each clarify question leaves its answer open; each unanswerable question has no answer in the
corpus; and the type/op/table mix."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from fixture_gold import REPORTS, fmt, recompute, split, value

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "questions-j.jsonl"
CORPUS = REPORTS.parent
GOLD_DIR = CORPUS / "gold"

N_ITEMS = 160
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style")
TYPE_RANGE = {"figure": (105, 115), "text": (13, 17), "unanswerable": (18, 22), "clarify": (13, 17)}
FIGURE_OPS = ("cell", "narrative", "sum", "diff", "share", "max", "min")
COMPUTED_OPS = ("sum", "diff", "share", "max", "min")
COMPUTED_RANGE = (20, 32)
NARRATIVE_RANGE = (10, 15)

VOICES = {"gold", "chat"}
FEATURES = {"english", "pinyin", "abbrev", "short_year", "year_omitted", "typo", "no_punct", "row_meaning", "context",
            "polite", "short"}
UNANSWERABLE_REASONS = {"monthly", "absent_concept", "absent_year", "absent_agency", "other_generation", "pre_template"}
CLARIFY_REASONS = {"no_year", "no_agency"}
STYLES = VOICES | FEATURES | UNANSWERABLE_REASONS | CLARIFY_REASONS | {"cross_year", "cross_agency"}

# Cells the gold notes call doubtful: a printed total that contradicts its parts (hongze-2023 table 4), a table figure
# the narrative contradicts (hongze-2024 新收 95 vs 受理 17), rows placed by their order only (shanghai-kewei-2024),
# a narrative/table conflict or a broken cross-year identity (现行有效 of pingtan-2023/2025), a quote that does not
# say what its key says (pingtan-2019 food_drug_safety_info), an amount of unknown unit (jiangjing-2020). Narratives
# whose unit carries 余 ("more than") are doubtful everywhere.
DOUBTFUL = {
    "hongze-2023": ("table4.", "table3.other."),
    "hongze-2024": ("table3.new.", "table3.total.", "table3.other.", "narrative.applications_received"),
    "shanghai-kewei-2024": ("table3.partial.", "table3.denied_2.", "table3.denied_5.", "table3.unable_",
                            "table3.not_processed_4.", "table3.not_processed_5.", "table3.other_1.",
                            "table3.other_2.", "table3.carry_forward."),
    "pingtan-2019": ("narrative.food_drug_safety_info",),
    "pingtan-2023": ("table2.normative_docs.in_force", "narrative.normative_docs_in_force_published"),
    "pingtan-2025": ("table2.normative_docs.in_force",),
    "jiangjing-2020": ("table2.procurement.amount",),
}
TABLE2_UNITS = {"new_made": "件", "new_published": "件", "total_published": "件", "issued": "件", "repealed": "件",
                "in_force": "件", "decisions": "件", "prev_items": "个", "change": "个", "items": "个"}
PRECISION = {"一位小数": 1, "两位小数": 2, "one decimal": 1, "two decimals": 2}

# How questions name the agencies (longest first; a match is blanked so a bureau's name does not also count as
# its parent's), with the id prefix of their reports.
ALIASES = (
    ("淮安市洪泽区人民政府", "hongze"), ("洪泽区", "hongze"), ("洪泽", "hongze"), ("红泽", "hongze"), ("hongze", "hongze"),
    ("淮安市人民政府", "huaian"), ("淮安市", "huaian"), ("淮安", "huaian"), ("huai'an", "huaian"), ("huaian", "huaian"),
    ("沭阳县人民政府", "shuyang"), ("沭阳县", "shuyang"), ("沭阳", "shuyang"), ("述阳", "shuyang"),
    ("shuyang", "shuyang"),
    ("上海市科学技术委员会", "shanghai-kewei"), ("上海市科委", "shanghai-kewei"), ("上海科委", "shanghai-kewei"),
    ("市科委", "shanghai-kewei"), ("shanghai science and technology commission", "shanghai-kewei"),
    ("福清市江镜镇人民政府", "jiangjing"), ("江镜镇", "jiangjing"), ("江镜", "jiangjing"), ("江境", "jiangjing"),
    ("jiangjing", "jiangjing"),
    ("平潭综合实验区旅游与文化体育局", "pingtan-tourism"), ("平潭旅游与文化体育局", "pingtan-tourism"),
    ("旅游与文化体育局", "pingtan-tourism"), ("平潭旅文体局", "pingtan-tourism"), ("旅文体局", "pingtan-tourism"),
    ("平潭综合实验区", "pingtan"), ("实验区", "pingtan"), ("平潭", "pingtan"), ("pingtan", "pingtan"),
)
FULL_NAMES = {"hongze": "淮安市洪泽区人民政府", "huaian": "淮安市人民政府", "shuyang": "沭阳县人民政府",
              "shanghai-kewei": "上海市科学技术委员会", "jiangjing": "福清市江镜镇人民政府",
              "pingtan-tourism": "平潭综合实验区旅游与文化体育局", "pingtan": "平潭综合实验区"}
PINYIN = ("hongze", "huai'an", "huaian", "shuyang", "pingtan", "jiangjing", "suqian", "shenqing", "xingzheng",
          "qiangzhi")
TYPOS = {"红泽": "洪泽", "江境": "江镜", "述阳": "沭阳", "申情": "申请", "复意": "复议"}
ABSENT_AGENCIES = ("宿迁市泗洪县", "上海市教委", "福清市龙田镇", "suqian")
# A concept an absent_concept question asks about and how a report would say it.
CONCEPTS = {"平均": r"平均", "访问量": r"访问量|浏览量", "男性": r"男"}
NEW_ONLY = ("废止", "现行有效", "制发", "收费金额")
OLD_ONLY = ("上一年项目", "集中采购", "其他对外管理服务事项", "新制作")
MONTHLY = re.compile(r"\d+月|季度|month|quarter", re.I)
POLITE = re.compile(r"请问|请教|麻烦|您|谢|please|could you", re.I)

SHORT_YEAR = re.compile(r"(?<![\d.])(1[89]|2[0-6])\s?年")
FULL_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")


def _items():
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


needs_corpus = pytest.mark.skipif(not GOLD_DIR.is_dir(), reason=f"gold files not present at {GOLD_DIR}")


@cache
def _manifest():
    rows = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {r[0]: {"file": CORPUS / r[1], "agency": r[3], "year": int(r[4])} for r in (x.split("\t") for x in rows if x)}


@cache
def _gold():
    return {g["id"]: g for g in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD_DIR.glob("*.json")))}


def _squash(s):
    return re.sub(r"\s+", "", s)


@cache
def _gold_quotes(report):
    """Everything a gold file quotes from its report: narrative quotes and values, qa answers and evidence."""
    g = _gold()[report]
    parts = [n["quote"] for n in g["narrative"]] + [str(n["value"]) for n in g["narrative"]]
    parts += [str(q.get("a") or "") for q in g["qa"]] + [str(q.get("evidence") or "") for q in g["qa"]]
    return _squash("\n".join(parts))


@cache
def _text(report):
    path = _manifest()[report]["file"]
    if path.suffix == ".pdf":
        pdfplumber = pytest.importorskip("pdfplumber")
        with pdfplumber.open(path) as doc:
            return _squash("\n".join(page.extract_text() or "" for page in doc.pages))
    return _squash(path.read_text(encoding="utf-8"))


def _prefix(report):
    return re.sub(r"-\d{4}$", "", report)


def _key_reports(item):
    return {split(item["report"], k)[0] for k in item["keys"]}


def _refs(item):
    """The reports a question is about (none for clarify questions: those are the candidates)."""
    if item["type"] == "clarify" or not item["report"]:
        return set()
    return {item["report"]} | _key_reports(item)


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
        hits = [n for n in _gold()[report]["narrative"] if n["key"] == key.split(".", 1)[1]]
        return bool(hits) and "余" in (hits[0]["unit"] or "")
    return False


def _answer(gold, item):
    """recompute() of fixture_gold, plus `min` (a strict lowest value)."""
    if item["op"] != "min":
        return recompute(gold, item)
    vals = sorted(value(gold, item["report"], k) for k in item["keys"])
    assert len(vals) >= 2 and vals[0] != vals[1], f"{item['id']}: a min over tied values names no winner"
    return fmt(vals[0])


def test_lines_are_well_formed():
    items = _items()
    assert len(items) == N_ITEMS
    assert [it["id"] for it in items] == [f"qj/{n}" for n in range(1, N_ITEMS + 1)]
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
        assert isinstance(it["style"], list) and len(style) == len(it["style"]) and style <= STYLES, (i, style - STYLES)
        assert len(style & VOICES) == 1, f"{i}: one voice"
        if it["type"] == "figure":
            assert it["op"] in FIGURE_OPS and it["report"] and it["keys"] and it["unit"], i
            assert re.fullmatch(r"-?\d+(\.\d+)?", it["a"]), i
            for k in it["keys"]:
                assert split(it["report"], k)[1].split(".")[0] in ("table2", "table3", "table4", "narrative"), i
            if it["op"] in ("cell", "narrative"):
                assert len(it["keys"]) == 1 and ":" not in it["keys"][0], i
                assert it["keys"][0].startswith("narrative.") == (it["op"] == "narrative"), i
            else:
                assert len(it["keys"]) >= 2, i
            assert (it["op"] == "share") == (it["unit"] == "%" and it["op"] != "narrative"), i
            cross = any(":" in k for k in it["keys"])
            if cross:
                assert all(":" in k for k in it["keys"]), f"{i}: prefix every key of a cross-report op"
                assert it["report"] in _key_reports(it), i
            agencies = {_prefix(r) for r in _key_reports(it)}
            assert ("cross_agency" in style) == (cross and len(agencies) > 1), i
            assert ("cross_year" in style) == (cross and len(agencies) == 1), i
        else:
            assert not style & {"cross_year", "cross_agency"}, i
            assert it["unit"] == "", i
        if it["type"] == "text":
            assert it["op"] == "text" and it["a"] and len(it["a"]) <= 40 and not it["keys"] and it["report"], i
        if it["type"] in ("unanswerable", "clarify"):
            assert it["op"] == "none" and it["a"] == "", i
        if it["type"] == "unanswerable":
            assert not it["keys"], i
            assert len(style & UNANSWERABLE_REASONS) == 1, i
            assert (it["report"] is None) == bool(style & {"absent_year", "absent_agency"}), i
        else:
            assert not style & UNANSWERABLE_REASONS, i
        if it["type"] == "clarify":
            assert it["report"] is None and len(style & CLARIFY_REASONS) == 1, i
            assert all(":" in k for k in it["keys"]), i
        else:
            assert not style & CLARIFY_REASONS, i


@needs_corpus
def test_figures_recompute_from_gold():
    gold = _gold()
    bad = [(it["id"], it["a"], got) for it in _items() if it["type"] == "figure"
           for got in [_answer(gold, it)] if got != it["a"]]
    assert not bad, bad
    for it in _items():
        if it["op"] == "share":  # one decimal unless the question asks for another precision
            asked = {d for w, d in PRECISION.items() if w in it["q"].lower()}
            assert len(asked) <= 1, it["id"]
            decimals = asked.pop() if asked else 1
            assert (len(it["a"].split(".")[1]) if "." in it["a"] else 0) == decimals, it["id"]
        if it["op"] in ("max", "min"):  # the report named is the winner
            own = [k for k in it["keys"] if split(it["report"], k)[0] == it["report"]]
            assert len(own) == 1 and fmt(value(gold, it["report"], own[0])) == it["a"], it["id"]


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
                units |= {n["unit"] for n in gold[report]["narrative"] if n["key"] == rest}
            elif table == "table2":
                col = rest.split(".")[1]
                v = gold[report]["table2"][rest]
                units.add(("元" if v.endswith("元") and not v.endswith("万元") else "万元") if isinstance(v, str)
                          else "万元" if col == "amount" else TABLE2_UNITS[col])
            else:
                units.add("件")
        assert units == {it["unit"]}, (it["id"], units, it["unit"])


@needs_corpus
def test_no_key_reads_a_doubtful_or_blank_cell():
    gold = _gold()
    for it in _items():
        if it["type"] != "figure":
            continue
        for k in it["keys"]:
            report, key = split(it["report"], k)
            assert report in gold, (it["id"], report)
            assert not _doubtful(report, key), (it["id"], report, key)
            assert value(gold, report, key) is not None, (it["id"], report, key)


@needs_corpus
def test_text_answers_appear_in_their_report():
    missing = []
    for it in _items():
        if it["type"] != "text":
            continue
        path = _manifest()[it["report"]]["file"]
        where = _gold_quotes(it["report"]) if path.suffix == ".pdf" else _text(it["report"])
        if _squash(it["a"]) not in where:
            missing.append((it["id"], it["report"], it["a"]))
    assert not missing, missing


@needs_corpus
def test_styles_keep_their_promise():
    manifest = _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    for it in _items():
        i, q, style = it["id"], it["q"], set(it["style"])
        low = q.lower()
        assert ("english" in style) == _is_english(q), i
        assert ("pinyin" in style) == any(p in low for p in PINYIN), i
        assert ("short_year" in style) == bool(SHORT_YEAR.search(q) and not FULL_YEAR.search(q)), i
        assert ("no_punct" in style) == (not _has_punct(q)), i
        assert sum(q.count(t) for t in TYPOS) == (1 if "typo" in style else 0), i
        assert ("polite" in style) == bool(POLITE.search(q)), i
        if "short" in style:
            assert len(q) <= 16 and not _is_english(q), i
        if "context" in style:  # something said before the ask
            assert len(re.split(r"[。，,.]", q)) >= 3 and len(q) >= 25, i
        agencies = _agencies(q)
        if "abbrev" in style:
            assert agencies and not any(FULL_NAMES[a] in q for a in agencies), i
        if "year_omitted" in style:
            assert not _years(q) and agencies and all(per_agency[a] == 1 for a in agencies), i
        elif _refs(it) or it["type"] == "unanswerable":
            assert _years(q), f"{i}: a year must be named (or the question tagged year_omitted)"
        if "gold" in style:
            assert q.endswith(("？", "?")), i
            assert not style & {"short_year", "typo", "no_punct", "short"}, i


@needs_corpus
def test_questions_name_the_agency_and_year_of_their_report():
    manifest = _manifest()
    for it in _items():
        refs = _refs(it)
        if not refs:
            continue
        q, years = it["q"], _years(it["q"])
        assert _agencies(q) == {_prefix(r) for r in refs}, (it["id"], _agencies(q))
        if "year_omitted" in it["style"]:
            continue
        assert {manifest[r]["year"] for r in refs} <= years, (it["id"], years)
        others = {row["year"] for r, row in manifest.items() if _prefix(r) in {_prefix(x) for x in refs}}
        assert not years & (others - {manifest[r]["year"] for r in refs}), it["id"]


@needs_corpus
def test_clarify_questions_leave_the_answer_open():
    """no_year: one agency with several reports, no year; the candidates are the cell in every gold report of that
    agency that fills it. no_agency: no agency and at most one year; the candidates are the cell in every gold
    report of that year that fills it, from two agencies or more. The candidates' values differ."""
    gold, manifest = _gold(), _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    for it in _items():
        if it["type"] != "clarify":
            continue
        i, q, style = it["id"], it["q"], set(it["style"])
        agencies, years = _agencies(q), _years(q)
        cands = _key_reports(it)
        keys = {split(None, k)[1] for k in it["keys"]}
        assert len(keys) <= 1, i
        if keys:
            table, rest = next(iter(keys)).split(".", 1)

            def fills(r, table=table, rest=rest):
                if table == "narrative":
                    return any(n["key"] == rest for n in gold[r]["narrative"])
                return gold[r].get(table, {}).get(rest) is not None
            vals = [value(gold, None, k) for k in it["keys"]]
            assert len({str(v) for v in vals}) > 1, (i, vals)
        if "no_year" in style:
            assert not years and len(agencies) == 1, i
            agency = next(iter(agencies))
            assert per_agency[agency] > 1, i
            assert keys and cands == {r for r in gold if _prefix(r) == agency and fills(r)}, i
        if "no_agency" in style:
            assert not agencies and len(years) <= 1, i
            if years:
                year = next(iter(years))
                filled = {r for r in gold if gold[r]["year"] == year and fills(r)}
                assert cands == filled and len({_prefix(r) for r in cands}) >= 2, (i, cands, filled)
            else:
                assert not it["keys"], i


@needs_corpus
def test_unanswerable_questions_have_no_answer_in_the_corpus():
    gold, manifest = _gold(), _manifest()
    for it in _items():
        if it["type"] != "unanswerable":
            continue
        i, q, style = it["id"], it["q"], set(it["style"])
        if it["report"]:
            assert it["report"] in manifest and _agencies(q) == {_prefix(it["report"])}, i
        if "absent_agency" in style:
            assert not _agencies(q) and sum(a in q.lower() for a in ABSENT_AGENCIES) == 1, i
        if "absent_year" in style:
            agencies, years = _agencies(q), _years(q)
            assert len(agencies) == 1 and years, i
            prefix = next(iter(agencies))
            assert any(_prefix(r) == prefix for r in manifest), i
            assert all(f"{prefix}-{y}" not in manifest for y in years), i
        if "monthly" in style:
            assert MONTHLY.search(q), i
        if "absent_concept" in style:
            asked = [w for w in CONCEPTS if w in q]
            assert asked and not [w for w in asked if re.search(CONCEPTS[w], _text(it["report"]))], (i, asked)
        if "other_generation" in style:
            template = gold[it["report"]]["template"]
            asked = [w for w in (NEW_ONLY if template == 2019 else OLD_ONLY) if w in q]
            assert asked and not [w for w in asked if w in _text(it["report"])], (i, asked)
        if "pre_template" in style:
            assert it["report"] not in gold, i
            asked = [w for w in (*NEW_ONLY, "处理决定") if w in q]
            assert asked and not [w for w in asked if w in _text(it["report"])], (i, asked)


@needs_corpus
def test_mix_and_coverage():
    items, gold = _items(), _gold()
    types = Counter(it["type"] for it in items)
    for t, (lo, hi) in TYPE_RANGE.items():
        assert lo <= types[t] <= hi, types
    ops = Counter(it["op"] for it in items if it["type"] == "figure")
    assert COMPUTED_RANGE[0] <= sum(ops[o] for o in COMPUTED_OPS) <= COMPUTED_RANGE[1], ops
    assert NARRATIVE_RANGE[0] <= ops["narrative"] <= NARRATIVE_RANGE[1], ops
    assert all(ops[o] >= 2 for o in COMPUTED_OPS), ops
    styles = Counter(s for it in items for s in it["style"])
    for tag, n in {"gold": 20, "english": 12, "abbrev": 60, "short_year": 30, "no_punct": 25, "pinyin": 10,
                   "typo": 4, "row_meaning": 15, "context": 4, "polite": 4, "short": 4, "year_omitted": 6,
                   "cross_year": 4, "cross_agency": 3}.items():
        assert styles[tag] >= n, (tag, styles[tag])
    for reason in UNANSWERABLE_REASONS | CLARIFY_REASONS:
        assert styles[reason] >= 2, (reason, styles[reason])
    own = Counter(it["report"] for it in items if it["type"] == "figure")
    assert all(own[r] >= 4 for r in gold), own
    # both template generations, every table, every table-4 column and group
    keys = [split(it["report"], k) for it in items if it["type"] == "figure" for k in it["keys"]]
    tables = Counter(k.split(".")[0] for _, k in keys)
    assert all(tables[t] >= 12 for t in ("table2", "table3", "table4", "narrative")), tables
    for t in ("table2", "table3"):
        assert {gold[r]["template"] for r, k in keys if k.startswith(t)} == {2019, 2021}, t
    t4 = {k.split(".", 1)[1] for _, k in keys if k.startswith("table4.")}
    assert {c.split(".")[1] for c in t4} == {"upheld", "corrected", "other", "pending", "total"}, t4
    assert {c.split(".")[0] for c in t4} == {"review", "suit_direct", "suit_after_review"}, t4
    t3cols = {k.rsplit(".", 1)[1] for _, k in keys if k.startswith("table3.")}
    assert {"natural", "commercial", "social", "legal", "other_org", "total"} <= t3cols, t3cols
    # no question is one of the gold files' own qa questions
    qa = {q["q"] for g in gold.values() for q in g["qa"]}
    assert not [it["id"] for it in items if it["q"] in qa]
