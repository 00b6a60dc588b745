"""Checks tests/fixtures/questions-e.jsonl (held-out set written without sight of the parser, in the
voices of citizens, journalists, researchers and civil servants): shape of every line, every figure answer
recomputed from the gold files in ../shared/corpus/gold via its keys and op, every text answer found verbatim
in its report, and the type/style/report mix."""

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
FIXTURE = ROOT / "tests" / "fixtures" / "questions-e.jsonl"
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "corpus" / "gold"
MANIFEST = SHARED / "corpus" / "MANIFEST.tsv"

N_ITEMS = 240
TYPES = {"figure", "text", "unanswerable", "clarify"}
OPS = {"cell", "sum", "diff", "share", "max", "narrative", None}
STYLES = {
    # shared with questions-d
    "formal", "colloquial", "applicant", "abbrev", "english", "pinyin", "typo", "traditional", "fullwidth",
    "sum", "diff", "share", "compare", "multi_year", "cross_agency", "narrative", "text", "absent_figure",
    "monthly", "pre_template", "absent_agency", "absent_year", "no_year", "no_agency", "ambiguous_cell",
    # new in questions-e
    "long", "journalist", "researcher", "civil_servant", "polite", "reversed", "keywords", "nonnative",
    "year_form", "synonym", "two_in_one", "department", "township", "shared_name", "pub_date",
}
# Styles this set is meant to exercise, with the least number of questions carrying each.
REQUIRED_STYLES = {
    "colloquial": 15, "applicant": 5, "abbrev": 20, "english": 12, "nonnative": 8, "pinyin": 6, "typo": 6,
    "traditional": 7, "fullwidth": 6, "year_form": 10, "reversed": 10, "synonym": 12, "long": 12,
    "journalist": 2, "researcher": 2, "civil_servant": 3, "polite": 3, "two_in_one": 3, "sum": 20, "diff": 8,
    "share": 10, "compare": 5, "multi_year": 10, "cross_agency": 4, "narrative": 25, "department": 12,
    "township": 15, "pub_date": 2, "absent_figure": 15, "monthly": 4, "absent_agency": 6, "absent_year": 8,
    "no_year": 8, "no_agency": 6, "ambiguous_cell": 15, "pre_template": 3,
}
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style")
ROUNDING = ("位小数", "整数", "取整", "decimal", "whole number")

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
    return recompute(gold, item, max_of_two=True)


def test_lines_are_valid_and_complete():
    items = _lines()
    assert len(items) == N_ITEMS
    assert [it["id"] for it in items] == [f"qe/{n}" for n in range(1, N_ITEMS + 1)]
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
            if it["op"] in ("diff", "max") or any(":" in k for k in it["keys"]):
                assert all(":" in k for k in it["keys"]), f"{it['id']}: prefix every key of a cross-report op"
        elif it["type"] == "text":
            assert it["a"] and len(it["a"]) <= 20 and it["report"], it["id"]
            assert it["op"] is None and it["keys"] == [] and "text" in it["style"], it["id"]
        else:
            assert it["a"] == "" and it["op"] is None and it["keys"] == [], it["id"]
            if it["type"] == "clarify":
                assert it["report"] == "", it["id"]
                assert set(it["style"]) & {"no_year", "no_agency", "ambiguous_cell"}, it["id"]
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
    old = sum(1 for it in figures if gold[it["report"]]["template"] == 2019)
    assert old >= 20, old


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
        if it["op"] == "max":  # the report named is the one holding the larger value
            own = [k for k in it["keys"] if _split(it["report"], k)[0] == it["report"]]
            assert own and _fmt(_value(gold, it["report"], own[0])) == it["a"], it["id"]
        if it["op"] in ("diff", "sum", "share"):  # the report named is one the op reads
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
def test_unanswerable_reports_do_not_hold_the_asked_contact():
    """A question asking for a phone/e-mail its report does not print: the report really has none."""
    patterns = {"电话": r"(电话|传真)[:：]?\d", "邮箱": r"@"}
    for it in _lines():
        if it["type"] != "unanswerable" or not it["report"]:
            continue
        for word, pat in patterns.items():
            if word in it["q"]:
                assert not re.search(pat, _report_text(it["report"])), (it["id"], word)
