"""Checks tests/fixtures/questions-w.jsonl, a held-out set of 120 questions over the 25 real 平潭 reports in
tests/fixtures/wild (web-page text with flattened tables), written from the report texts, the manifest, the
template and the gold key names only — without sight of the product, its index or the other question sets.

Half the questions are in the plain complete style of a report-reading product's gold files (full agency names,
printed row labels); half as a web chat receives them: agency abbreviations (平潭公安局, 财金局, 交建局, 社事局,
管委办, 海坛片区, 市场监管局, 资源生态局, 经发局), two-digit years, no punctuation, English, pinyin fragments, one
same-sound typo (平谭, 海谈, 复意), rows described by what they mean, context before the ask.

What is checked, without network and without the product:
- the shape of every line (fields, ids qw/1..qw/120 in order, types and their counts, style tags from a fixed list);
- every report id is in the manifest, every figure/text evidence is a verbatim (whitespace-insensitive) substring
  of its report's text — for a cross-report question each evidence is looked up in the report its key names;
- a cell or narrative answer appears in its evidence; a computed answer (sum, diff, share, max, min) is recomputed
  from `operands`, and every operand is read from the evidence (or from the recorded `cells`);
- where `cells` is recorded (3 cells of a table-2 row, 7 of a table-3 row, 15 of table 4) the cells written back
  together give exactly the run of digits the evidence ends with, the table-3 columns add up (自然人 + the five
  法人或其他组织 columns = 总计), each table-4 group adds up (维持 + 纠正 + 其他 + 尚未审结 = 总计), and the asked cell
  is the one the key names;
- no key reads a cell the reports themselves contradict (AVOIDED below);
- a year the question names is the year of (one of) its report(s);
- unanswerable and clarify questions carry no answer, keys or evidence.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "questions-w.jsonl"
WILD = ROOT / "tests" / "fixtures" / "wild"
MANIFEST = WILD / "MANIFEST.tsv"

N_ITEMS = 120
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style", "evidence")
OPTIONAL = ("operands", "cells")
TYPE_RANGE = {"figure": (80, 90), "text": (8, 12), "unanswerable": (13, 17), "clarify": (8, 12)}
FIGURE_OPS = ("cell", "sum", "diff", "share", "max", "min", "narrative")
COMPUTED_OPS = ("sum", "diff", "share", "max", "min")
NARRATIVE_RANGE = (17, 25)
UNITS = {"件", "条", "份", "个", "项", "篇", "场", "次", "期", "人", "元", "万元", "%"}

VOICES = {"gold", "chat"}
FEATURES = {"english", "pinyin", "abbrev", "short_year", "typo", "no_punct", "row_meaning", "context"}
REASONS = {"monthly", "absent_concept", "absent_year", "absent_agency", "no_year", "no_agency"}
STYLES = VOICES | FEATURES | REASONS | {"cross_year", "cross_agency"}

TABLE3_ROWS = {"new", "carried_over", "granted", "partial", "total", "carry_forward", "other", "other_1", "other_2",
               "other_3"} | {f"denied_{i}" for i in range(1, 9)} | {f"unable_{i}" for i in range(1, 4)} | {
                  f"not_processed_{i}" for i in range(1, 6)}
TABLE3_COLS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
TABLE4_GROUPS = ("review", "suit_direct", "suit_after_review")
TABLE4_COLS = ("upheld", "corrected", "other", "pending", "total")
TABLE2_ROWS = {"regulations", "normative_docs", "licensing", "other_services", "penalty", "coercion", "fees",
               "procurement"}
TABLE2_COLS3 = {"new_made": 0, "new_published": 1, "total_published": 2, "issued": 0, "repealed": 1, "in_force": 2}
TABLE2_COLS = set(TABLE2_COLS3) | {"prev_items", "change", "decisions", "items", "amount"}

# Cells the reports' own numbers contradict, never asked:
# - pingtan-2020: table 3 row （七）总计 prints 20 / 21 while the result rows add up to 26 / 27;
#   结转下年度 prints only six cells ("0 0 00 00 0").
# - pt-gaj-2019: 本年新收 prints six digits for seven cells ("0 00000").
# - pt-haitan-2021: （七）总计 reads 自然人 1, 总计 0, while every other row is zero.
# - pt-zrz-2021: 本年新收 and 予以公开 put 2 in the 社会公益组织 column (16 + 2 = 18) while （七）总计 puts all 18 under
#   自然人 — only the 总计 column agrees.
# - pt-junshan-2022: 本机关不掌握 row "30000252" (3 … 25 … 2) while 本年新收 and 总计 are all zero.
# - pt-haitan-2024: every table-3 row leaves the 总计 column 0 (本年新收 "5100000": 5 + 1 but 总计 0).
# - pt-jjf-2025: 本年新收 4, results 3 + 1, but （七）总计 all zero; table 4 "010000000000000" has 行政复议 纠正 1 and
#   总计 0.
# - pt-shs-2024: table 4 "00202000001324015" — the 复议后起诉 group cannot add up in any split.
# - pt-gwhbgs-2025: the text says 受理公开申请34件, table 3 本年新收 and 总计 say 32.
AVOIDED = {
    "pingtan-2020": ("table3.total.", "table3.carry_forward."),
    "pt-gaj-2019": ("table3.new.",),
    "pt-haitan-2021": ("table3.total.",),
    "pt-zrz-2021": tuple(f"table3.{r}.{c}" for r in TABLE3_ROWS for c in TABLE3_COLS[:-1]),
    "pt-junshan-2022": ("table3.unable_1.",),
    "pt-haitan-2024": ("table3.",),
    "pt-jjf-2025": ("table3.", "table4."),
    "pt-shs-2024": ("table4.",),
    "pt-gwhbgs-2025": ("table3.new.", "table3.total.", "narrative.applications_received"),
}

KEY_RE = re.compile(r"^(?:(?P<rid>[a-z0-9-]+):)?(?P<key>(?:table2|table3|table4)\.[a-z0-9_]+\.[a-z0-9_]+|"
                    r"narrative\.[a-z0-9_]+)$")


def norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


@cache
def manifest() -> dict[str, dict[str, str]]:
    with MANIFEST.open(encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f, delimiter="\t")}


@cache
def report_text(rid: str) -> str:
    return norm((WILD / manifest()[rid]["file"]).read_text(encoding="utf-8"))


@cache
def items() -> list[dict]:
    with FIXTURE.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def split_key(k: str, default_rid: str) -> tuple[str, str]:
    m = KEY_RE.match(k)
    assert m, k
    return (m.group("rid") or default_rid), m.group("key")


def evidences(it: dict) -> list[str]:
    ev = it["evidence"]
    return [ev] if isinstance(ev, str) else list(ev)


def trailing_run(ev: str) -> str:
    m = re.search(r"[0-9.]+$", norm(ev))
    assert m, ev
    return m.group(0)


def num(x) -> float:
    return float(x)


def test_shape_and_counts():
    its = items()
    assert len(its) == N_ITEMS
    assert [it["id"] for it in its] == [f"qw/{i}" for i in range(1, N_ITEMS + 1)]
    for it in its:
        assert set(FIELDS) <= set(it) <= set(FIELDS) | set(OPTIONAL), it["id"]
        assert isinstance(it["q"], str) and it["q"].strip(), it["id"]
        assert isinstance(it["a"], str) and isinstance(it["unit"], str), it["id"]
        assert isinstance(it["keys"], list) and isinstance(it["style"], list) and it["style"], it["id"]
        assert it["style"][0] in VOICES and set(it["style"]) <= STYLES, it["id"]
        assert sum(s in VOICES for s in it["style"]) == 1, it["id"]
    types = Counter(it["type"] for it in its)
    assert set(types) == set(TYPE_RANGE)
    for t, (lo, hi) in TYPE_RANGE.items():
        assert lo <= types[t] <= hi, (t, types[t])
    assert len({it["q"] for it in its}) == N_ITEMS, "duplicate question"
    voices = Counter(it["style"][0] for it in its)
    assert abs(voices["gold"] - voices["chat"]) <= 10, voices
    tags = Counter(s for it in its for s in it["style"])
    for f in FEATURES:
        assert tags[f] >= 1, f
    ops = Counter(it["op"] for it in its if it["type"] == "figure")
    assert set(ops) <= set(FIGURE_OPS), ops
    assert NARRATIVE_RANGE[0] <= ops["narrative"] <= NARRATIVE_RANGE[1], ops
    assert sum(ops[o] for o in COMPUTED_OPS) >= 8, ops


def test_figures_spread_over_reports_and_tables():
    figs = [it for it in items() if it["type"] == "figure"]
    per = Counter(it["report"] for it in figs)
    for rid in manifest():
        assert per[rid] >= 2, (rid, per[rid])
    keys = [split_key(k, it["report"])[1] for it in figs for k in it["keys"]]
    for prefix, least in (("table2.", 10), ("table3.", 20), ("table4.", 5), ("narrative.", 17)):
        assert sum(k.startswith(prefix) for k in keys) >= least, prefix
    cols = {k.split(".")[2] for k in keys if k.startswith("table3.")}
    assert {"natural", "commercial", "other_org", "total"} <= cols, cols


@pytest.mark.parametrize("it", items(), ids=lambda it: it["id"])
def test_item(it):
    t = it["type"]
    if t in ("unanswerable", "clarify"):
        assert it["a"] == "" and it["keys"] == [] and it["op"] == "none" and it["evidence"] == "", it["id"]
        assert it["report"] == "" and not set(OPTIONAL) & set(it), it["id"]
        assert len(set(it["style"]) & REASONS) == 1, it["id"]
        if t == "clarify":
            assert set(it["style"]) & {"no_year", "no_agency"}, it["id"]
        return
    assert it["report"] in manifest(), it["id"]
    if t == "text":
        assert it["op"] == "text" and it["keys"] == [] and it["a"] and len(it["a"]) <= 40, it["id"]
        assert norm(it["a"]) in norm(it["evidence"]), it["id"]
        assert norm(it["evidence"]) in report_text(it["report"]), it["id"]
        check_year(it, [it["report"]])
        return
    assert t == "figure"
    assert it["op"] in FIGURE_OPS and it["keys"], it["id"]
    assert it["unit"] in UNITS, it["id"]
    assert re.fullmatch(r"-?\d+(\.\d+)?", it["a"]), it["id"]
    rids = []
    for k in it["keys"]:
        rid, key = split_key(k, it["report"])
        assert rid in manifest(), (it["id"], k)
        rids.append(rid)
        check_key(key, it["id"])
        for bad in AVOIDED.get(rid, ()):
            assert not key.startswith(bad), (it["id"], k, "cell the report contradicts")
    evs = evidences(it)
    assert evs and all(isinstance(e, str) and e.strip() for e in evs), it["id"]
    cross = any(":" in k for k in it["keys"])
    if cross:
        assert len(evs) == len(it["keys"]), it["id"]
        for e, rid in zip(evs, rids):
            assert norm(e) in report_text(rid), (it["id"], rid, e)
        assert it["report"] in rids, it["id"]
    else:
        for e in evs:
            assert norm(e) in report_text(it["report"]), (it["id"], e)
    check_year(it, rids)
    if "cells" in it:
        check_cells(it, evs)
    if it["op"] in ("cell", "narrative"):
        assert len(it["keys"]) == 1 and "operands" not in it, it["id"]
        assert it["a"] in "".join(norm(e) for e in evs), (it["id"], it["a"])
        return
    ops = it["operands"]
    assert isinstance(ops, list) and len(ops) >= 2 and all(isinstance(x, (int, float)) for x in ops), it["id"]
    pool = "".join(norm(e) for e in evs)
    for x in ops:
        s = str(x)
        assert s in pool or ("cells" in it and x in it["cells"]), (it["id"], x)
    a = num(it["a"])
    if it["op"] == "sum":
        assert a == sum(ops), it["id"]
    elif it["op"] == "diff":
        assert len(ops) == 2 and a == ops[0] - ops[1], it["id"]
    elif it["op"] == "max":
        assert a == max(ops), it["id"]
    elif it["op"] == "min":
        assert a == min(ops), it["id"]
    elif it["op"] == "share":
        assert len(ops) == 2 and it["unit"] == "%", it["id"]
        decimals = len(it["a"].split(".")[1]) if "." in it["a"] else 0
        assert decimals >= 1, it["id"]
        assert f"{ops[0] / ops[1] * 100:.{decimals}f}" == it["a"], (it["id"], ops[0] / ops[1] * 100)


def check_key(key: str, qid: str) -> None:
    parts = key.split(".")
    if parts[0] == "table3":
        assert parts[1] in TABLE3_ROWS and parts[2] in TABLE3_COLS, (qid, key)
    elif parts[0] == "table4":
        assert parts[1] in TABLE4_GROUPS and parts[2] in TABLE4_COLS, (qid, key)
    elif parts[0] == "table2":
        assert parts[1] in TABLE2_ROWS and parts[2] in TABLE2_COLS, (qid, key)
    else:
        assert parts[0] == "narrative" and len(parts) == 2, (qid, key)


def splits(run: str, n: int):
    """Every way to cut a run of digits into n cells (no cell but 0 itself starts with 0)."""
    if n == 0:
        if not run:
            yield ()
        return
    for i in range(1, len(run) + 1):
        head = run[:i]
        if len(head) > 1 and head[0] == "0":
            break
        for rest in splits(run[i:], n - 1):
            yield (int(head),) + rest


def adds_up(cells: tuple[int, ...]) -> bool:
    if len(cells) == 7:
        return sum(cells[:6]) == cells[6]
    if len(cells) == 15:
        return all(sum(cells[g * 5:g * 5 + 4]) == cells[g * 5 + 4] for g in range(3))
    return True


def check_cells(it: dict, evs: list[str]) -> None:
    cells = it["cells"]
    assert isinstance(cells, list) and all(isinstance(c, int) and c >= 0 for c in cells), it["id"]
    assert len(evs) == 1, it["id"]
    run = trailing_run(evs[0])
    assert "".join(map(str, cells)) == run, (it["id"], cells, run)
    # The split must be certain: the only one that satisfies the row's identities, or (a table-2 row, which has
    # none) fixed by the printed spacing, or with all but one cell stated as "N件" in the report's own text.
    readings = [c for c in splits(run, len(cells)) if adds_up(c)]
    if len(readings) > 1:
        assert len(cells) == 3, (it["id"], "ambiguous split", readings[:3])
        tokens = re.findall(r"\d+$|\d+(?=\s)", evs[0].split("文件")[-1])
        stated = sum(f"{c}件" in report_text(it["report"]) for c in cells)
        assert [int(t) for t in tokens] == cells or stated >= 2, (it["id"], "ambiguous split", readings[:3])
    else:
        assert readings == [tuple(cells)], (it["id"], readings)
    keys = [split_key(k, it["report"])[1] for k in it["keys"]]
    if len(cells) == 7:
        assert sum(cells[:6]) == cells[6], (it["id"], "自然人 + 法人或其他组织 != 总计")
        for k in keys:
            assert k.startswith("table3."), it["id"]
        if it["op"] == "cell":
            assert int(it["a"]) == cells[TABLE3_COLS.index(keys[0].split(".")[2])], it["id"]
    elif len(cells) == 15:
        for g in range(3):
            assert sum(cells[g * 5:g * 5 + 4]) == cells[g * 5 + 4], (it["id"], TABLE4_GROUPS[g])
        picked = []
        for k in keys:
            _, grp, col = k.split(".")
            assert k.startswith("table4."), it["id"]
            picked.append(cells[TABLE4_GROUPS.index(grp) * 5 + TABLE4_COLS.index(col)])
        if it["op"] == "cell":
            assert int(it["a"]) == picked[0], it["id"]
        else:
            assert picked == it["operands"], it["id"]
    elif len(cells) == 3:
        assert len(keys) == 1 and keys[0].startswith("table2."), it["id"]
        assert int(it["a"]) == cells[TABLE2_COLS3[keys[0].split(".")[2]]], it["id"]
    else:
        raise AssertionError((it["id"], "cells must be 3, 7 or 15 long"))


def check_year(it: dict, rids: list[str]) -> None:
    years = {int(manifest()[r]["year"]) for r in rids}
    q = it["q"]
    named = {int(y) for y in re.findall(r"(?<!\d)(20[12]\d)(?!\d)", q)}
    named |= {2000 + int(y) for y in re.findall(r"(?<![\d])([12]\d)(?=年|\s)", q) if not re.search(r"20$", q[:q.find(y)])}
    named = {y for y in named if 2019 <= y <= 2025}
    assert named <= years, (it["id"], named, years)
    if not it["style"].count("short_year") and named:
        assert re.search(r"20[12]\d", q), it["id"]
