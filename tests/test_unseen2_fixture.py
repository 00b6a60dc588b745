"""Checks tests/fixtures/unseen2/ (four more synthetic reports of fictional agencies, held out: written without
sight of the parser, tables in shapes neither the sample corpus nor tests/fixtures/unseen/ has — a Word export
with dot leaders and units in the cells, table 3 printed as two sub-tables, an HTML export with ' | ' cells and
no header rows, PDF rows with the numbers glued to the labels) and tests/fixtures/questions-v.jsonl (100
questions about them).

Gold: the GOLD-SPEC shape and the keys of its template; every gold number printed in its report, row by row;
the template's arithmetic identities hold except where a note names an "ARITHMETIC EXCEPTION" (and there they
really fail); the county-level city's two years carry over; the manifest matches the files. Questions: shape
and type mix; every figure answer recomputed from the gold by its keys and op; every text answer verbatim in its
report; each question names the agency and year of its report; clarify and unanswerable questions really leave
the report open or ask what is not there. Self-contained: nothing here reads the product."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
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
UNSEEN = ROOT / "tests" / "fixtures" / "unseen2"
REPORTS = UNSEEN / "reports"
GOLD = UNSEEN / "gold"
MANIFEST = UNSEEN / "MANIFEST.tsv"
QUESTIONS = ROOT / "tests" / "fixtures" / "questions-v.jsonl"

SOURCE_REPO = "(synthetic, tests/fixtures/unseen2)"
# Place names of the sample corpus and of tests/fixtures/unseen/: none may recur here.
OLD_PLACES = ("平潭", "洪泽", "淮安", "沭阳", "上海", "江镜", "福清", "岚川", "汀澜", "望舒", "榆荫")

# ------------------------------------------------------------------------------------------------ template keys
T2_ROWS = {
    2019: [("regulations", ["new_made", "new_published", "total_published"]),
           ("normative_docs", ["new_made", "new_published", "total_published"]),
           ("licensing", ["prev_items", "change", "decisions"]), ("other_services", ["prev_items", "change", "decisions"]),
           ("penalty", ["prev_items", "change", "decisions"]), ("coercion", ["prev_items", "change", "decisions"]),
           ("fees", ["prev_items", "change"]), ("procurement", ["items", "amount"])],
    2021: [("regulations", ["issued", "repealed", "in_force"]), ("normative_docs", ["issued", "repealed", "in_force"]),
           ("licensing", ["decisions"]), ("penalty", ["decisions"]), ("coercion", ["decisions"]), ("fees", ["amount"])],
}
T2_KEYS = {tm: [f"{r}.{c}" for r, cols in rows for c in cols] for tm, rows in T2_ROWS.items()}

# Table shapes: each report shows its own and no other report repeats it.
SHAPES = {
    "qingluan-eco-2022": "dot_leaders",
    "fengzhu-city-2020": "split_table3",
    "fengzhu-city-2021": "html_pipes",
    "weiling-township-2023": "glued_pdf",
}
# Reports whose table 3 prints 自然人 apart from the other six columns: rows read as two runs.
SPLIT_T3 = {"fengzhu-city-2020"}

# ------------------------------------------------------------------------------------------------ question vocabulary
N_ITEMS = 100
TYPE_COUNTS = {"figure": 65, "text": 10, "unanswerable": 15, "clarify": 10}
OPS = {"cell", "sum", "diff", "share", "max", "narrative", None}
STYLES = {
    # voice
    "chat", "formal", "english", "pinyin", "typo", "abbrev", "yy", "plain_row", "plain_col", "plain_outcome",
    # subject
    "t2", "t3", "t4", "narr", "sum", "diff", "share", "max", "rank", "cross_year", "cross_agency",
    "old_tmpl", "new_tmpl", "dept", "city", "township", "contact", "problem", "date",
    # why there is no answer
    "no_such_year", "no_such_agency", "not_stated", "monthly", "tmpl_lacks",
    # why one must ask back
    "which_year", "which_agency", "which_cell",
}
MIN_STYLES = {"english": 5, "pinyin": 6, "typo": 2, "yy": 10, "plain_row": 5, "plain_col": 4, "chat": 60, "abbrev": 40,
              "cross_year": 2, "cross_agency": 1, "dept": 15, "city": 30, "township": 12, "contact": 4, "problem": 2,
              "no_such_year": 3, "no_such_agency": 3, "monthly": 2, "not_stated": 3, "tmpl_lacks": 2,
              "which_year": 3, "which_agency": 3, "which_cell": 3, "old_tmpl": 3, "new_tmpl": 4}
UNITS = {"件", "条", "个", "%", "元", "万元", "亿元", "篇", "场", "次", "期", "名", "万人次", "亿人次", "万件", "个工作日", ""}
CHAT_PUNCT = re.compile(r"[？?，,。！!；;：:、（）()]")
ROUNDING = {"取整": 0, "整数": 0, "一位小数": 1, "两位小数": 2}

# How people name the agencies (longest first), typos and pinyin included, with the id prefix of their reports.
ALIASES = (
    ("桐阳县苇岭乡人民政府", "weiling-township"), ("苇岭乡人民政府", "weiling-township"), ("苇岭乡", "weiling-township"),
    ("韦岭乡", "weiling-township"), ("苇岭", "weiling-township"), ("weiling", "weiling-township"),
    ("青峦省生态环境厅", "qingluan-eco"), ("青峦生态环境厅", "qingluan-eco"), ("青峦省环境厅", "qingluan-eco"),
    ("青峦环境厅", "qingluan-eco"), ("青峦省生态厅", "qingluan-eco"), ("青峦生态厅", "qingluan-eco"),
    ("qingluan", "qingluan-eco"),
    ("枫渚市人民政府", "fengzhu-city"), ("枫渚市政府", "fengzhu-city"), ("枫渚市", "fengzhu-city"),
    ("枫诸市", "fengzhu-city"), ("枫渚", "fengzhu-city"), ("fengzhu", "fengzhu-city"),
)
TYPOS = ("枫诸", "韦岭")
PINYIN = ("qingluan", "fengzhu", "weiling")
CN_DIGITS = "零一二三四五六七八九"


# ------------------------------------------------------------------------------------------------ helpers
def _gold() -> dict:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


def _manifest() -> dict:
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == MANIFEST_COLUMNS
    body = [line for line in lines[1:] if line.strip()]
    assert all(len(line.split("\t")) == len(MANIFEST_COLUMNS) for line in body)
    return {r["id"]: r for r in (dict(zip(MANIFEST_COLUMNS, line.split("\t"))) for line in body)}


def _raw(report_id: str) -> str:
    hits = sorted(REPORTS.glob(report_id + ".*"))
    assert len(hits) == 1, report_id
    return hits[0].read_text(encoding="utf-8")


def _flat(s: str) -> str:
    """Whitespace and commas removed."""
    return re.sub(r"[\s,，]", "", s)


def _tokens(report_id: str) -> list[Decimal]:
    """The numbers of a report in reading order (thousands separators joined, signs dropped)."""
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", _raw(report_id))
    return [Decimal(t) for t in re.findall(r"\d+(?:\.\d+)?", s)]


def _fmt(v) -> str:
    """A gold value as printed, without its unit."""
    if isinstance(v, str):
        return re.fullmatch(r"(-?\d+(?:\.\d+)?)(万元|元)", v).group(1)
    return str(v)


def _cn(n: int) -> str:
    """An integer below 100 in Chinese numerals (十二, 二十三)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if ones == 0 else CN_DIGITS[ones])


def _split(report: str | None, key: str) -> tuple[str, str]:
    """'other-report:table3.new.total' names another report; a bare key reads the question's own report."""
    if ":" in key:
        rep, key = key.split(":", 1)
        return rep, key
    return report, key


def _value(gold: dict, report: str | None, key: str):
    rep, key = _split(report, key)
    section, rest = key.split(".", 1)
    if section == "narrative":
        hits = [n["value"] for n in gold[rep]["narrative"] if n["key"] == rest]
        assert len(hits) == 1, (rep, key)
        return hits[0]
    assert rest in gold[rep][section], (rep, key)
    return gold[rep][section][rest]


def _num_str(d: Decimal) -> str:
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())


def _recompute(gold: dict, it: dict) -> str:
    vals = [_value(gold, it["report"], k) for k in it["keys"]]
    assert all(v is not None for v in vals), (it["id"], "a figure answer reads a blank cell")
    ds = [_dec(v) for v in vals]
    op = it["op"]
    if op in ("cell", "narrative"):
        assert len(ds) == 1, it["id"]
        return _fmt(vals[0]) if isinstance(vals[0], str) else _num_str(ds[0])
    if op == "sum":
        return _num_str(sum(ds, Decimal(0)))
    if op == "diff":
        assert len(ds) == 2, it["id"]
        return _num_str(ds[0] - ds[1])
    if op == "max":
        return _num_str(max(ds))
    if op == "share":
        assert len(ds) == 2, it["id"]
        places = [p for w, p in ROUNDING.items() if w in it["q"]]
        assert len(places) == 1, it["id"]
        return str((ds[0] * 100 / ds[1]).quantize(Decimal(1).scaleb(-places[0]), rounding=ROUND_HALF_UP))
    raise AssertionError(it["id"])


def _exceptions(gold: dict) -> set[str]:
    """Gold keys a note declares as a deliberate arithmetic exception ("ARITHMETIC EXCEPTION table4.review.total")."""
    return {k for n in gold["notes"] for k in re.findall(r"ARITHMETIC EXCEPTION ((?:table[234])\.[a-z_0-9]+\.[a-z_]+)", n)}


def _identities(gold: dict) -> list[tuple[str, set[str], bool]]:
    """Every identity of report-template.md for one report: (name, keys it reads, holds?)."""
    out = []
    t3, tm = gold["table3"], gold["template"]
    for c in T3_COLS:
        res = [f"{r}.{c}" for r in T3_RESULTS[tm]]
        out.append((f"results sum to （七）总计 in {c}", {f"table3.{k}" for k in [*res, f"total.{c}"]},
                    sum(_z(t3[k]) for k in res) == _z(t3[f"total.{c}"])))
        keys = [f"new.{c}", f"carried_over.{c}", f"total.{c}", f"carry_forward.{c}"]
        out.append((f"一+二 = 七+四 in {c}", {f"table3.{k}" for k in keys},
                    _z(t3[keys[0]]) + _z(t3[keys[1]]) == _z(t3[keys[2]]) + _z(t3[keys[3]])))
    for r in T3_ROWS[tm]:
        out.append((f"row {r}: 总计 = sum of applicants", {f"table3.{r}.{c}" for c in T3_COLS},
                    sum(_z(t3[f"{r}.{c}"]) for c in T3_PARTS) == _z(t3[f"{r}.total"])))
    t4 = gold["table4"]
    for g in T4_GROUPS:
        out.append((f"table4 {g}: 总计 = sum", {f"table4.{g}.{c}" for c in T4_COLS},
                    sum(_z(t4[f"{g}.{c}"]) for c in T4_COLS[:-1]) == _z(t4[f"{g}.total"])))
    return out


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
    return years | {2000 + int(y) for y in re.findall(r"(?<!\d)(\d\d)年", q)}


def _refs(item) -> set[str]:
    refs = {_split(item["report"], k)[0] for k in item["keys"]}
    return refs | ({item["report"]} if item["report"] else set())


def _table_sections(raw: str) -> tuple[str, str]:
    """(prose, tables): the text of sections 二–四 apart from the rest."""
    a = re.search(r"^二、主动公开政府信息情况", raw, re.M).start()
    b = re.search(r"^五、存在的主要问题及改进情况", raw, re.M).start()
    return raw[:a] + raw[b:], raw[a:b]


# ------------------------------------------------------------------------------------------------ reports
def test_reports_have_six_sections_and_enough_prose():
    heads = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
             "存在的主要问题及改进情况", "其他需要报告的事项"]
    for rid in _manifest():
        raw = _raw(rid)
        pos = 0
        for n, h in zip("一二三四五六", heads):
            m = re.search(rf"^{n}、{h}", raw[pos:], re.M)
            assert m, (rid, h)
            pos += m.end()
        prose, _ = _table_sections(raw)
        cjk = len(re.findall(r"[\u4e00-\u9fff]", prose))
        assert cjk >= 1500 and len(prose) <= 3500, (rid, cjk, len(prose))
        assert not [p for p in OLD_PLACES if p in raw], rid
        # figures in prose: thousands separators, 万/亿 units and Chinese numerals all occur
        assert re.search(r"\d,\d{3}", prose) and re.search(r"\d(?:\.\d+)?[万亿]", prose), rid
        assert re.search(r"[二三四五六七八九十]+[场期次个]", prose), rid


def test_table_shapes_are_the_ones_named_and_all_differ():
    assert set(SHAPES) == set(_manifest()) and len(set(SHAPES.values())) == len(SHAPES)
    for rid, shape in SHAPES.items():
        _, tables = _table_sections(_raw(rid))
        dot = re.search(r"^（一）予以公开…+\d+件", tables, re.M) is not None
        split = "表3-1" in tables and "表3-2" in tables and re.search(r"^（一）予以公开　\d+$", tables, re.M) is not None
        pipes = re.search(r"^(\d+ \| ){14}\d+$", tables, re.M) is not None and "信息内容" not in tables
        glued = re.search(r"^（一）予以公开\d", tables, re.M) is not None
        assert [dot, split, pipes, glued] == [shape == s for s in
                                              ("dot_leaders", "split_table3", "html_pipes", "glued_pdf")], rid
    # table 2 of the HTML export is out of template order; its header rows are gone
    _, tables = _table_sections(_raw("fengzhu-city-2021"))
    t2 = [line.split(" | ")[0] for line in tables.split("三、收到和处理")[0].splitlines() if " | " in line]
    assert t2 and t2 != ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"], t2
    assert "第二十条" not in tables and "申请人情况" not in tables


# ------------------------------------------------------------------------------------------------ gold
def test_gold_files_have_the_spec_shape_and_template_keys():
    gold = _gold()
    assert len(gold) == 4
    for rid, g in gold.items():
        assert list(g) == GOLD_FIELDS, rid
        assert g["id"] == rid and isinstance(g["agency"], str) and g["agency"]
        assert g["template"] == (2019 if g["year"] in (2019, 2020) else 2021), rid
        tm = g["template"]
        assert list(g["table2"]) == T2_KEYS[tm], rid
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
                    assert _fmt(v) in flat, (rid, table, k, v)
        for n in g["narrative"]:
            quote = _flat(n["quote"])
            assert quote in flat, (rid, n["key"])
            value = n["value"]
            in_digits = re.search(rf"(?<![\d.]){re.escape(str(value))}(?![\d])", quote)
            in_words = isinstance(value, int) and 0 <= value < 100 and _cn(value) in quote
            assert in_digits or in_words, (rid, n["key"])


def test_gold_rows_are_printed_in_order():
    """Each printed row of tables 2/3 and each group of table 4 reads, in the report's stream of numbers, as one
    run in column order (blank cells print no number and are skipped; a table 3 printed as two sub-tables reads
    as two runs, 自然人 and the rest)."""
    for rid, g in _gold().items():
        tokens = _tokens(rid)
        rows: dict[str, list] = {}
        for table in ("table2", "table3", "table4"):
            for k, v in g[table].items():
                row = table + "." + k.rsplit(".", 1)[0]
                if rid in SPLIT_T3 and table == "table3":
                    row += ".natural" if k.endswith(".natural") else ".orgs"
                rows.setdefault(row, [])
                if v is not None:
                    rows[row].append(abs(_dec(v)))
        for row, run in rows.items():
            if run:
                assert _contains_run(tokens, run), (rid, row, run)


def test_blank_cells_are_blank_in_print():
    """A null cell is printed as '—', '/', an empty HTML cell or nothing — never as a number."""
    gold = _gold()
    assert sum(v is None for v in gold["fengzhu-city-2021"]["table3"].values()) == 42
    t3 = gold["weiling-township-2023"]["table3"]
    assert all(t3[f"{r}.{c}"] is None for r in ("denied_1", "denied_5", "denied_8", "unable_2") for c in T3_COLS)
    raw = _raw("weiling-township-2023")
    assert re.search(r"^5\.属于三类内部事务信息$", raw, re.M) and re.search(r"^1\.属于国家秘密(— ){6}—$", raw, re.M)
    assert re.search(r"^2\.没有现成信息需要另行制作(/ ){6}/$", raw, re.M)
    assert gold["qingluan-eco-2022"]["table2"]["fees.amount"] is None and re.search(r"^行政事业性收费…+—$", _raw(
        "qingluan-eco-2022"), re.M)


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
    assert with_exception == ["qingluan-eco-2022"], with_exception
    assert _exceptions(gold["qingluan-eco-2022"]) == {"table4.review.total"}
    t4 = gold["qingluan-eco-2022"]["table4"]
    assert t4["review.total"] == 16 and sum(t4[f"review.{c}"] for c in T4_COLS[:-1]) == 15


def test_cross_year_carry_over_agrees():
    """二 (year N) = 四 (year N−1) for the county-level city, whose two reports are in different templates."""
    gold = _gold()
    a, b = gold["fengzhu-city-2020"], gold["fengzhu-city-2021"]
    assert (a["template"], b["template"]) == (2019, 2021)
    for c in T3_COLS:
        assert _z(b["table3"][f"carried_over.{c}"]) == _z(a["table3"][f"carry_forward.{c}"]), c


def test_manifest_matches_the_files():
    manifest, gold = _manifest(), _gold()
    assert set(manifest) == set(gold)
    assert {p.name for p in REPORTS.iterdir()} == {Path(r["file"]).name for r in manifest.values()}
    for rid, row in manifest.items():
        path = UNSEEN / row["file"]
        assert path.is_file() and path.stem == rid and path.suffix == "." + row["format"], rid
        assert row["agency"] == gold[rid]["agency"] and int(row["year"]) == gold[rid]["year"], rid
        assert int(row["template"]) == gold[rid]["template"] and row["source_repo"] == SOURCE_REPO, rid
        assert str(gold[rid]["year"]) in rid and row["notes"], rid
        head = re.sub(r"\s", "", "".join(_raw(rid).strip().splitlines()[:3]))
        assert f"{row['agency']}{row['year']}年" in head and "政府信息公开工作年度报告" in head, rid
    assert Counter(g["template"] for g in gold.values()) == {2019: 1, 2021: 3}


# ------------------------------------------------------------------------------------------------ questions
def test_question_lines_are_valid_and_mixed():
    items = _lines()
    assert len(items) == N_ITEMS
    assert [it["id"] for it in items] == [f"qv/{n}" for n in range(1, N_ITEMS + 1)]
    assert len({it["q"] for it in items}) == N_ITEMS, "duplicate question text"
    for it in items:
        assert list(it) == ["id", "q", "type", "a", "unit", "report", "keys", "op", "style"], it["id"]
        assert it["type"] in TYPE_COUNTS and it["op"] in OPS and it["unit"] in UNITS, it["id"]
        assert isinstance(it["a"], str) and isinstance(it["keys"], list), it["id"]
        assert isinstance(it["style"], list) and it["style"] and set(it["style"]) <= STYLES, it["id"]
        assert len(set(it["style"])) == len(it["style"]), it["id"]
        _check_voice(it)
        if it["type"] == "figure":
            assert it["report"] and it["keys"] and it["op"] and it["unit"], it["id"]
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
    assert ops["sum"] + ops["diff"] + ops["share"] + ops["max"] == 12 and min(ops[o] for o in ("sum", "diff", "share", "max")) >= 2
    assert ops["narrative"] == 15, ops
    cross_year = [it for it in figures if "cross_year" in it["style"]]
    assert any({_split(it["report"], k)[0] for k in it["keys"]} == {"fengzhu-city-2020", "fengzhu-city-2021"}
               for it in cross_year)
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
    if "yy" in style:
        assert re.search(r"(?<!\d)\d\d年", q) and not re.search(r"20\d\d", q), it["id"]
    if "abbrev" in style:
        assert not re.search(r"人民政府|生态环境厅", q), it["id"]
    keys = [_split(it["report"] or "", k)[1] for k in it["keys"]]
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
        got = _recompute(gold, it)
        if got != it["a"]:
            bad.append((it["id"], it["a"], got))
        refs = {_split(it["report"], k)[0] for k in it["keys"]}
        assert it["report"] in refs, it["id"]
        if it["op"] == "max" and len(refs) > 1:  # the report named holds the larger value
            own = [k for k in it["keys"] if _split(it["report"], k)[0] == it["report"]]
            assert _fmt(_value(gold, it["report"], own[0])) == it["a"], it["id"]
        for k in it["keys"]:  # no figure reads a cell a note declares wrong
            rep, key = _split(it["report"], k)
            assert key not in _exceptions(gold[rep]), (it["id"], key)
        if it["op"] == "narrative":
            unit = [n["unit"] for n in gold[it["report"]]["narrative"] if n["key"] == it["keys"][0].split(".", 1)[1]]
            assert unit == [it["unit"]], it["id"]
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
    assert set(per_report) == set(manifest) and min(per_report.values()) >= 10, per_report
    tables = Counter(_split(it["report"], k)[1].split(".")[0] for it in figures for k in it["keys"])
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
        assert {int(manifest[r]["year"]) for r in refs} == years, (it["id"], years)


def test_clarify_questions_really_leave_the_report_open():
    manifest = _manifest()
    per_agency = Counter(_prefix(r) for r in manifest)
    for it in _lines():
        if it["type"] != "clarify":
            continue
        agencies, years, style = _agencies(it["q"]), _years(it["q"]), set(it["style"])
        if "which_year" in style:
            assert not years and len(agencies) == 1 and per_agency[next(iter(agencies))] > 1, it["id"]
        if "which_agency" in style:  # no agency named at all: any agency's report of that year would do
            assert not agencies and len(years) <= 1, it["id"]
        if "which_cell" in style:
            hits = [r for r, v in manifest.items() if _prefix(r) in agencies and int(v["year"]) in years]
            assert len(agencies) == 1 and len(hits) == 1, (it["id"], hits)


def test_unanswerable_questions_ask_what_is_not_there():
    manifest, gold = _manifest(), _gold()
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
        if "no_such_agency" in style:  # no agency of the set is named whole
            assert not any(a in q for a in names) and _years(q), it["id"]
        if it["report"]:
            assert _agencies(q) == {_prefix(it["report"])}, it["id"]
            assert {int(manifest[it["report"]]["year"])} == _years(q), it["id"]
            flat = _flat(_raw(it["report"]))
            for word, pat in contact.items():
                if word in q:
                    assert not re.search(pat, flat), (it["id"], word)
        if "tmpl_lacks" in style:
            lacks = {2019: ("收费金额",), 2021: ("采购",)}[gold[it["report"]]["template"]]
            assert any(w in q for w in lacks), it["id"]
        if "monthly" in style:
            assert re.search(r"\d+月|季度", q), it["id"]


@pytest.mark.parametrize("rid", sorted(p.stem for p in GOLD.glob("*.json")))
def test_report_title_names_agency_and_year(rid):
    g = json.loads((GOLD / f"{rid}.json").read_text(encoding="utf-8"))
    head = re.sub(r"[\s#]", "", "".join(_raw(rid).strip().splitlines()[:3]))
    assert f"{g['agency']}{g['year']}年" in head and "政府信息公开工作年度报告" in head, rid
