"""Checks tests/fixtures/unseen/ (six synthetic reports of fictional agencies, held out: written without sight of
the parser, tables in shapes the sample corpus lacks — one cell per line, tab rows with a flattened header,
markdown with repeated merged cells, space-aligned columns with full-width digits, label/value cards with blank
cells, PDF rows broken over a page with thousands separators) and tests/fixtures/questions-u.jsonl (150
questions about them).

Gold: the GOLD-SPEC shape and the keys of its template; every gold number printed in its report, row by row;
the template's arithmetic identities (勾稽关系) hold except where a note names an "ARITHMETIC EXCEPTION" (and
there they really fail); the manifest matches the files. Questions: shape and type mix; every figure answer
recomputed from the gold by its keys and op; every text answer verbatim in its report; each question names the
agency and year of the report it is asked of; clarify and unanswerable questions really leave the report open
or ask what is not there."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from fixture_gold import fmt, recompute, split
from fixture_schema import (
    COL_LABELS,
    GOLD_FIELDS,
    MANIFEST_COLUMNS,
    OUTCOME_LABELS,
    ROW_LABELS,
    T3_COLS,
    T3_PARTS,
    T3_RESULTS,
    T3_ROWS,
    T4_COLS,
    T4_GROUPS,
    T4_KEYS,
)
from fixture_schema import contains_run as _contains_run
from fixture_schema import dec as _dec
from fixture_schema import z as _z

ROOT = Path(__file__).resolve().parents[1]
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
REPORTS = UNSEEN / "reports"
GOLD = UNSEEN / "gold"
MANIFEST = UNSEEN / "MANIFEST.tsv"
QUESTIONS = ROOT / "tests" / "fixtures" / "questions-u.jsonl"

SOURCE_REPO = "(synthetic, tests/fixtures/unseen)"

# ------------------------------------------------------------------------------------------------ template keys
T2_KEYS = {
    2019: {f"{r}.{c}" for r in ("regulations", "normative_docs") for c in ("new_made", "new_published", "total_published")}
    | {f"{r}.{c}" for r in ("licensing", "other_services", "penalty", "coercion") for c in ("prev_items", "change", "decisions")}
    | {"fees.prev_items", "fees.change", "procurement.items", "procurement.amount"},
    2021: {f"{r}.{c}" for r in ("regulations", "normative_docs") for c in ("issued", "repealed", "in_force")}
    | {"licensing.decisions", "penalty.decisions", "coercion.decisions", "fees.amount"},
}

# ------------------------------------------------------------------------------------------------ question vocabulary
N_ITEMS = 150
TYPE_COUNTS = {"figure": 100, "text": 15, "unanswerable": 20, "clarify": 15}
OPS = {"cell", "sum", "diff", "share", "max", "narrative", None}
STYLES = {
    # voice
    "chat", "formal", "english", "pinyin", "typo", "typo_word", "abbrev", "yy", "plain_row", "plain_col", "plain_outcome",
    # subject
    "t2", "t3", "t4", "narr", "sum", "diff", "share", "max", "rank", "cross_year", "cross_agency",
    "old_tmpl", "new_tmpl", "dept", "street", "district", "contact", "problem", "date",
    # why there is no answer
    "no_such_year", "no_such_agency", "not_stated", "monthly", "tmpl_lacks",
    # why one must ask back
    "which_year", "which_agency", "which_cell",
}
MIN_STYLES = {"english": 8, "pinyin": 8, "typo": 6, "typo_word": 3, "yy": 20, "plain_row": 10, "plain_col": 5, "chat": 100,
              "cross_year": 3, "cross_agency": 3, "dept": 25, "street": 12, "district": 20, "contact": 8,
              "problem": 4, "no_such_year": 5, "no_such_agency": 5, "which_year": 4, "which_agency": 4,
              "which_cell": 4, "tmpl_lacks": 2}
UNITS = {"件", "条", "个", "%", "万元", "亿元", "篇", "场", "次", "名", "户", "批次", "人次", "万人次", ""}
ROUNDING = ("位小数", "取整", "整数")
CHAT_PUNCT = re.compile(r"[？?，,。！!；;：:、]")

# How people name the six agencies (longest first: the department begins with its parent's name, the street
# office with its district's), typos and pinyin included, with the id prefix of their reports.
ALIASES = (
    ("汀澜市望舒区榆荫街道办事处", "yuyin-street"), ("榆荫街道", "yuyin-street"), ("榆阴街道", "yuyin-street"),
    ("榆荫", "yuyin-street"), ("yuyin", "yuyin-street"),
    ("汀澜市望舒区人民政府", "wangshu-district"), ("望舒区", "wangshu-district"), ("望书区", "wangshu-district"),
    ("望舒", "wangshu-district"), ("wangshu", "wangshu-district"),
    ("汀澜市人力资源和社会保障局", "tinglan-hrss"), ("汀澜市人社局", "tinglan-hrss"), ("汀澜人社", "tinglan-hrss"),
    ("汀兰人社", "tinglan-hrss"), ("tinglan hrss", "tinglan-hrss"),
    ("岚川县市场监督管理局", "lanchuan-amr"), ("岚川县市场监管局", "lanchuan-amr"), ("岚川市场监管局", "lanchuan-amr"),
    ("岚川县市监局", "lanchuan-amr"), ("岚川市监局", "lanchuan-amr"), ("lanchuan market regulation", "lanchuan-amr"),
    ("岚川县人民政府", "lanchuan-county"), ("岚川县政府", "lanchuan-county"), ("岚川县", "lanchuan-county"),
    ("蓝川县", "lanchuan-county"), ("岚川", "lanchuan-county"), ("lanchuan county", "lanchuan-county"),
    ("lanchuan", "lanchuan-county"),
)
TYPOS = ("蓝川", "汀兰", "榆阴", "望书")
TYPO_WORDS = ("申情", "处法", "附议")  # one wrong character in a common word
PINYIN = ("lanchuan", "tinglan", "yuyin", "wangshu")

FULLWIDTH = {ord(c): ord(a) for c, a in zip("０１２３４５６７８９－＋．，", "0123456789-+.,")}


# ------------------------------------------------------------------------------------------------ helpers
def _gold() -> dict:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


def _manifest() -> dict:
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == MANIFEST_COLUMNS
    rows = [dict(zip(MANIFEST_COLUMNS, line.split("\t"))) for line in lines[1:] if line.strip()]
    assert all(len(line.split("\t")) == len(MANIFEST_COLUMNS) for line in lines[1:] if line.strip())
    return {r["id"]: r for r in rows}


def _raw(report_id: str) -> str:
    hits = sorted(REPORTS.glob(report_id + ".*"))
    assert len(hits) == 1, report_id
    return hits[0].read_text(encoding="utf-8")


def _flat(s: str) -> str:
    """Whitespace and commas removed, full-width digits made ASCII."""
    return re.sub(r"[\s,]", "", s.translate(FULLWIDTH))


def _tokens(report_id: str) -> list[Decimal]:
    """The numbers of a report in reading order (thousands separators joined, full-width digits made ASCII)."""
    s = _raw(report_id).translate(FULLWIDTH)
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)
    return [Decimal(t) for t in re.findall(r"[+-]?\d+(?:\.\d+)?", s)]


def _exceptions(gold: dict) -> set[str]:
    """Gold keys a note declares as a deliberate arithmetic exception ("ARITHMETIC EXCEPTION table3.total.natural")."""
    return {k for n in gold["notes"] for k in re.findall(r"ARITHMETIC EXCEPTION ((?:table[234])\.[a-z_0-9]+\.[a-z_]+)", n)}


def _identities(gold: dict) -> list[tuple[str, set[str], bool]]:
    """Every identity of report-template.md for one report: (name, keys it reads, holds?)."""
    out = []
    t3, tm = gold["table3"], gold["template"]
    for c in T3_COLS:
        res = [f"{r}.{c}" for r in T3_RESULTS[tm]]
        keys = {*res, f"total.{c}"}
        out.append((f"results sum to （七）总计 in {c}", keys, sum(_z(t3[k]) for k in res) == _z(t3[f"total.{c}"])))
        keys = {f"new.{c}", f"carried_over.{c}", f"total.{c}", f"carry_forward.{c}"}
        out.append((f"一+二 = 七+四 in {c}", keys, _z(t3[f"new.{c}"]) + _z(t3[f"carried_over.{c}"])
                    == _z(t3[f"total.{c}"]) + _z(t3[f"carry_forward.{c}"])))
    for r in T3_ROWS[tm]:
        keys = {f"{r}.{c}" for c in T3_COLS}
        out.append((f"row {r}: 总计 = sum of applicants", keys,
                    sum(_z(t3[f"{r}.{c}"]) for c in T3_PARTS) == _z(t3[f"{r}.total"])))
    t4 = gold["table4"]
    for g in T4_GROUPS:
        keys = {f"{g}.{c}" for c in T4_COLS}
        out.append((f"table4 {g}: 总计 = sum", keys, sum(_z(t4[f"{g}.{c}"]) for c in T4_COLS[:-1]) == _z(t4[f"{g}.total"])))
    return [(name, {("table4." if name.startswith("table4") else "table3.") + k for k in keys}, ok)
            for name, keys, ok in out]


def _lines() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _prefix(report_id: str) -> str:
    return re.sub(r"-\d{4}$", "", report_id)


def _agencies(q: str) -> set[str]:
    found, s = set(), q.lower()
    for alias, prefix in ALIASES:
        if alias in s:
            found.add(prefix)
            s = s.replace(alias, "□")
    return found


def _years(q: str) -> set[int]:
    years = {int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", q)}
    return years | {2000 + int(y) for y in re.findall(r"(?<![\d.])(19|2[0-6])(?![\d.])", q)}


def _refs(item) -> set[str]:
    refs = {split(item["report"], k)[0] for k in item["keys"]}
    return refs | ({item["report"]} if item["report"] else set())


# ------------------------------------------------------------------------------------------------ gold
def test_gold_files_have_the_spec_shape_and_template_keys():
    gold = _gold()
    assert len(gold) == 6
    for rid, g in gold.items():
        assert list(g) == GOLD_FIELDS, rid
        assert g["id"] == rid and isinstance(g["agency"], str) and g["agency"]
        assert g["template"] == (2019 if g["year"] in (2019, 2020) else 2021), rid
        tm = g["template"]
        assert set(g["table2"]) == T2_KEYS[tm], (rid, set(g["table2"]) ^ T2_KEYS[tm])
        assert list(g["table3"]) == [f"{r}.{c}" for r in T3_ROWS[tm] for c in T3_COLS], rid
        assert list(g["table4"]) == T4_KEYS, rid
        for table in ("table2", "table3", "table4"):
            for k, v in g[table].items():
                ok = v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) or (
                    isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?(万元|元)", v))
                assert ok, (rid, table, k, v)
        keys = [n["key"] for n in g["narrative"]]
        assert len(keys) == len(set(keys)) and len(keys) >= 15, rid
        for n in g["narrative"]:
            assert list(n) == ["key", "value", "unit", "quote"], (rid, n)
            assert isinstance(n["value"], (int, float)) and n["unit"] and n["quote"], (rid, n)
        assert isinstance(g["qa"], list) and g["notes"] and all(isinstance(n, str) for n in g["notes"]), rid


def test_every_gold_number_is_printed_in_its_report():
    for rid, g in _gold().items():
        flat = _flat(_raw(rid))
        for table in ("table2", "table3", "table4"):
            for k, v in g[table].items():
                if v is not None:
                    assert fmt(v) in flat, (rid, table, k, v)
        for n in g["narrative"]:
            assert _flat(n["quote"]) in flat, (rid, n["key"])
            assert fmt(n["value"]) in _flat(n["quote"]), (rid, n["key"])


def test_gold_rows_are_printed_in_order():
    """Each printed row of tables 2/3 and each group of table 4 reads, in the report's stream of numbers, as one
    run in column order (blank cells print no number and are skipped)."""
    for rid, g in _gold().items():
        tokens = _tokens(rid)
        rows: dict[str, list] = {}
        for table in ("table2", "table3", "table4"):
            for k, v in g[table].items():
                row = table + "." + k.rsplit(".", 1)[0]
                rows.setdefault(row, [])
                if v is not None:
                    rows[row].append(_dec(v))
        for row, run in rows.items():
            if run:
                assert _contains_run(tokens, run), (rid, row, run)


def test_identities_hold_except_where_a_note_says():
    gold = _gold()
    with_exception = []
    for rid, g in gold.items():
        exc = _exceptions(g)
        for k in exc:
            assert k.split(".", 1)[1] in g[k.split(".", 1)[0]], (rid, k)
        if exc:
            with_exception.append(rid)
        for name, keys, ok in _identities(g):
            if keys & exc:
                assert not ok, f"{rid}: {name} holds although a note calls it an exception"
            else:
                assert ok, f"{rid}: {name} fails and no note names it"
    assert len(with_exception) == 1, with_exception


def test_cross_year_carry_over_agrees():
    """二 (year N) = 四 (year N−1) for the agency with two consecutive reports."""
    gold = _gold()
    pairs = [(a, b) for a in gold for b in gold
             if _prefix(a) == _prefix(b) and gold[b]["year"] == gold[a]["year"] + 1]
    assert pairs
    for a, b in pairs:
        for c in T3_COLS:
            assert gold[b]["table3"][f"carried_over.{c}"] == gold[a]["table3"][f"carry_forward.{c}"], (a, b, c)


def test_manifest_matches_the_files():
    manifest, gold = _manifest(), _gold()
    assert set(manifest) == set(gold)
    assert {p.name for p in REPORTS.iterdir()} == {Path(r["file"]).name for r in manifest.values()}
    for rid, row in manifest.items():
        path = UNSEEN / row["file"]
        assert path.is_file() and path.stem == rid and path.suffix == "." + row["format"], rid
        assert row["agency"] == gold[rid]["agency"] and int(row["year"]) == gold[rid]["year"], rid
        assert int(row["template"]) == gold[rid]["template"] and row["source_repo"] == SOURCE_REPO, rid
        assert str(gold[rid]["year"]) in rid, rid
        first = _raw(rid).strip().splitlines()[0:3]
        assert any(row["agency"] in line or str(row["year"]) in line for line in first), rid
        assert row["agency"] in "".join(first).replace(" ", "").lstrip("# "), rid
    templates = Counter(g["template"] for g in gold.values())
    assert templates[2019] >= 2 and templates[2021] >= 3, templates


def test_reports_have_six_sections_and_enough_prose():
    heads = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
             "存在的主要问题及改进情况", "其他需要报告的事项"]
    numerals = "一二三四五六"
    for rid in _gold():
        raw = _raw(rid)
        pos = 0
        for n, h in zip(numerals, heads):
            m = re.search(rf"^[#\s　]*{n}、{h}", raw[pos:], re.M)
            assert m, (rid, h)
            pos += m.end()
        cjk = len(re.findall(r"[\u4e00-\u9fff]", raw))
        assert cjk >= 1500, (rid, cjk)


# ------------------------------------------------------------------------------------------------ questions
def test_question_lines_are_valid_and_mixed():
    items = _lines()
    assert len(items) == N_ITEMS
    assert [it["id"] for it in items] == [f"qu/{n}" for n in range(1, N_ITEMS + 1)]
    assert len({it["q"] for it in items}) == N_ITEMS, "duplicate question text"
    for it in items:
        assert list(it) == ["id", "q", "type", "a", "unit", "report", "keys", "op", "style"], it["id"]
        assert it["type"] in TYPE_COUNTS and it["op"] in OPS and it["unit"] in UNITS, it["id"]
        assert isinstance(it["a"], str) and isinstance(it["keys"], list), it["id"]
        assert isinstance(it["style"], list) and it["style"] and set(it["style"]) <= STYLES, it["id"]
        assert len(set(it["style"])) == len(it["style"]), it["id"]
        _check_voice(it)
        if it["type"] == "figure":
            assert it["report"] and it["keys"] and it["op"], it["id"]
            assert re.fullmatch(r"-?\d+(\.\d+)?", it["a"]), it["id"]
            if it["op"] == "narrative":
                assert len(it["keys"]) == 1 and it["keys"][0].startswith("narrative.") and "narr" in it["style"], it["id"]
            if it["op"] in ("sum", "diff", "share", "max"):
                assert it["op"] in it["style"], it["id"]
            if it["op"] == "share":
                assert it["unit"] == "%" and any(r in it["q"] for r in ROUNDING), it["id"]
            if it["op"] == "diff" or any(":" in k for k in it["keys"]):
                assert all(":" in k for k in it["keys"]), it["id"]
                assert {"cross_year", "cross_agency"} & set(it["style"]), it["id"]
        elif it["type"] == "text":
            assert it["report"] and it["a"] and it["op"] is None and it["keys"] == [], it["id"]
        else:
            assert it["a"] == "" and it["op"] is None and it["keys"] == [], it["id"]
            if it["type"] == "clarify":
                assert it["report"] is None, it["id"]
                assert len({"which_year", "which_agency", "which_cell"} & set(it["style"])) == 1, it["id"]
            else:
                why = {"no_such_year", "no_such_agency", "not_stated", "monthly", "tmpl_lacks"} & set(it["style"])
                assert len(why) == 1, it["id"]
                assert (it["report"] is None) == bool(why & {"no_such_year", "no_such_agency"}), it["id"]
    assert Counter(it["type"] for it in items) == TYPE_COUNTS
    figures = [it for it in items if it["type"] == "figure"]
    ops = Counter(it["op"] for it in figures)
    assert 18 <= ops["sum"] + ops["diff"] + ops["share"] + ops["max"] <= 25, ops
    assert 18 <= ops["narrative"] <= 25, ops
    styles = Counter(s for it in items for s in it["style"])
    short = {s: (styles[s], n) for s, n in MIN_STYLES.items() if styles[s] < n}
    assert not short, short


def _check_voice(it):
    q, style = it["q"], set(it["style"])
    if "chat" in style:
        assert len(q) <= 32 and not CHAT_PUNCT.search(q), it["id"]
    if "english" in style:
        assert len(re.findall(r"[A-Za-z]+", q)) >= 4, it["id"]
    if "pinyin" in style:
        assert any(p in q.lower() for p in PINYIN), it["id"]
    if "typo" in style:
        assert any(t in q for t in TYPOS), it["id"]
    if "typo_word" in style:
        assert any(t in q for t in TYPO_WORDS), it["id"]
    if "yy" in style:
        assert re.search(r"(?<!\d)(19|2[0-6])年", q) and not re.search(r"20(19|2[0-6])", q), it["id"]
    if "abbrev" in style:
        assert not re.search(r"人民政府|人力资源和社会保障局|市场监督管理局|街道办事处", q), it["id"]
    keys = [split(it["report"] or "", k)[1] for k in it["keys"]]
    if "plain_row" in style:
        rows = {k.split(".")[1] for k in keys if k.startswith("table3.")}
        rows |= {k.split(".")[1] for k in keys if k.startswith("table4.") and not k.startswith("table4.review")}
        assert rows and not any(ROW_LABELS[r] in q for r in rows if r in ROW_LABELS), it["id"]
    if "plain_col" in style:
        cols = {k.split(".")[2] for k in keys if k.startswith("table3.")} - {"total"}
        assert cols and not any(COL_LABELS[c] in q for c in cols), it["id"]
    if "plain_outcome" in style:
        assert any(k.startswith("table4.") and not k.endswith(".total") for k in keys), it["id"]
        assert not any(label in q for label in OUTCOME_LABELS), it["id"]


def test_figure_answers_recompute_from_gold():
    gold = _gold()
    bad = []
    for it in _lines():
        if it["type"] != "figure":
            continue
        got = recompute(gold, it)
        if got != it["a"]:
            bad.append((it["id"], it["a"], got))
        refs = {split(it["report"], k)[0] for k in it["keys"]}
        assert it["report"] in refs, it["id"]
        if it["op"] == "max" and len(refs) > 1:  # the report named holds the larger value
            own = [k for k in it["keys"] if split(it["report"], k)[0] == it["report"]]
            assert fmt(gold[it["report"]][split(it["report"], own[0])[1].split(".")[0]][
                split(it["report"], own[0])[1].split(".", 1)[1]]) == it["a"], it["id"]
        for k in it["keys"]:  # no figure reads a cell a note declares wrong
            rep, key = split(it["report"], k)
            assert key not in _exceptions(gold[rep]), (it["id"], key)
    assert not bad, bad


def test_text_answers_are_verbatim_in_their_report():
    gold = _gold()
    for it in _lines():
        if it["type"] != "text":
            continue
        assert _flat(it["a"]) in _flat(_raw(it["report"])), it["id"]
        if "rank" in it["style"]:  # names the table-3 reason with the strictly largest 总计 of its group
            t3 = gold[it["report"]]["table3"]
            rows = [r for r, lab in ROW_LABELS.items() if lab in it["a"] and f"{r}.total" in t3]
            assert len(rows) == 1, it["id"]
            group = rows[0].rsplit("_", 1)[0]
            totals = {k: _z(v) for k, v in t3.items() if k.endswith(".total") and k.rsplit("_", 1)[0] == group}
            best = max(totals.values())
            assert totals[f"{rows[0]}.total"] == best and list(totals.values()).count(best) == 1, it["id"]


def test_every_report_is_asked_about():
    manifest, gold = _manifest(), _gold()
    figures = [it for it in _lines() if it["type"] == "figure"]
    per_report = Counter(it["report"] for it in figures)
    assert set(per_report) == set(manifest) and min(per_report.values()) >= 8, per_report
    tables = Counter(split(it["report"], k)[1].split(".")[0] for it in figures for k in it["keys"])
    assert all(tables[t] >= 8 for t in ("table2", "table3", "table4", "narrative")), tables
    for it in _lines():
        if it["report"] is None:
            continue
        tm = gold[it["report"]]["template"]
        assert not ("old_tmpl" in it["style"] and tm != 2019), it["id"]
        assert not ("new_tmpl" in it["style"] and tm != 2021), it["id"]


def test_questions_name_the_agency_and_year_of_their_report():
    manifest = _manifest()
    for it in _lines():
        refs = _refs(it)
        if not refs:
            continue
        assert _agencies(it["q"]) == {_prefix(r) for r in refs}, (it["id"], _agencies(it["q"]))
        years = _years(it["q"])
        assert all(int(manifest[r]["year"]) in years for r in refs), (it["id"], years)


def test_clarify_questions_really_leave_the_report_open():
    manifest = _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    per_year = Counter(int(v["year"]) for v in manifest.values())
    for it in _lines():
        if it["type"] != "clarify":
            continue
        agencies, years, style = _agencies(it["q"]), _years(it["q"]), set(it["style"])
        if "which_year" in style:
            assert not years and len(agencies) == 1 and per_agency[next(iter(agencies))] > 1, it["id"]
        if "which_agency" in style:
            assert not agencies and len(years) == 1 and per_year[next(iter(years))] > 1, it["id"]
        if "which_cell" in style:
            hits = [r for r, v in manifest.items() if _prefix(r) in agencies and int(v["year"]) in years]
            assert len(agencies) == 1 and len(hits) == 1, (it["id"], hits)


def test_unanswerable_questions_ask_what_is_not_there():
    manifest = _manifest()
    names = {v["agency"] for v in manifest.values()}
    contact = {"电话": r"(电话|传真)[:：]?\d", "邮箱": r"@", "地址": r"地址[:：]"}
    for it in _lines():
        if it["type"] != "unanswerable":
            continue
        q, style = it["q"], set(it["style"])
        if "no_such_year" in style:
            named, years = _agencies(q), _years(q)
            assert len(named) == 1 and years, it["id"]
            prefix = next(iter(named))
            assert all(f"{prefix}-{y}" not in manifest for y in years), it["id"]
        if "no_such_agency" in style:  # no agency of the set is named whole (a sub-unit may continue a name)
            for a in names:
                for m in re.finditer(re.escape(a), q):
                    assert re.match(r"[\u4e00-\u9fff]", q[m.end():]), (it["id"], a)
            assert _years(q), it["id"]
        if it["report"]:
            assert _agencies(q) == {_prefix(it["report"])}, it["id"]
            assert int(manifest[it["report"]]["year"]) in _years(q), it["id"]
            for word, pat in contact.items():
                if word in q:
                    assert not re.search(pat, _flat(_raw(it["report"]))), (it["id"], word)
        if "tmpl_lacks" in style:
            tm = json.loads((GOLD / f"{it['report']}.json").read_text(encoding="utf-8"))["template"]
            lacks = {2019: ("收费金额",), 2021: ("采购",)}[tm]
            assert any(w in q for w in lacks), it["id"]


@pytest.mark.parametrize("rid", sorted(p.stem for p in GOLD.glob("*.json")))
def test_report_title_names_agency_and_year(rid):
    g = json.loads((GOLD / f"{rid}.json").read_text(encoding="utf-8"))
    head = re.sub(r"[\s#]", "", "".join(_raw(rid).strip().splitlines()[:3]))
    assert f"{g['agency']}{g['year']}年" in head and "政府信息公开工作年度报告" in head, rid
