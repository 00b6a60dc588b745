"""Checks tests/fixtures/questions-c.jsonl: shape of every line, and every figure answer
recomputed from the gold files in ../shared/corpus/gold via its keys and op."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import gold_files, load_gold

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "questions-c.jsonl"
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "corpus" / "gold"
MANIFEST = SHARED / "corpus" / "MANIFEST.tsv"

TYPES = {"figure", "text", "unanswerable", "clarify"}
OPS = {"cell", "sum", "diff", "share", "max", "narrative", None}
STYLES = {"civil", "analyst", "netizen", "reporter", "text", "trap"}
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style")

needs_shared = pytest.mark.skipif(
    not GOLD.is_dir(), reason=f"gold files not present at {GOLD} (../shared missing); cannot recompute answers"
)


def _lines():
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _gold():
    return {g["id"]: g for g in map(load_gold, gold_files())}


def _fmt(x):
    if isinstance(x, float):
        x = round(x, 6)
        if x == int(x):
            return str(int(x))
        return f"{x:.6f}".rstrip("0").rstrip(".")
    return str(x)


def _value(gold, report, key):
    if ":" in key:
        report, key = key.split(":", 1)
    table, k = key.split(".", 1)
    return gold[report][table][k]


def _recompute(gold, item):
    rep, keys, op = item["report"], item["keys"], item["op"]
    vals = [_value(gold, rep, k) for k in keys]
    if op == "cell":
        return vals[0] if isinstance(vals[0], str) else _fmt(vals[0])
    assert all(not isinstance(v, str) for v in vals), "arithmetic over string cells"
    vals = [v or 0 for v in vals]
    if op == "sum":
        return _fmt(sum(vals))
    if op == "diff":
        assert len(vals) == 2
        return _fmt(vals[0] - vals[1])
    if op == "max":
        return _fmt(max(vals))
    if op == "share":
        assert len(vals) == 2 and vals[1]
        return f"{round(vals[0] / vals[1] * 100 + 1e-9, 1):.1f}"
    raise AssertionError(f"unknown op {op}")


def test_lines_are_valid_and_complete():
    items = _lines()
    assert len(items) >= 150
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids))
    for it in items:
        for f in FIELDS:
            assert f in it, (it.get("id"), f)
        assert re.fullmatch(r"qc/\d+", it["id"])
        assert it["type"] in TYPES and it["op"] in OPS
        assert isinstance(it["q"], str) and it["q"].strip()
        assert isinstance(it["keys"], list) and isinstance(it["style"], list) and it["style"]
        assert set(it["style"]) <= STYLES, it["id"]
        if it["type"] == "figure":
            assert it["op"] and it["keys"] and it["report"] and isinstance(it["a"], str), it["id"]
            if it["op"] == "narrative":
                assert it["keys"] == ["narrative"], it["id"]
        elif it["type"] == "text":
            assert isinstance(it["a"], str) and it["a"] and it["report"], it["id"]
        else:
            assert it["op"] is None and "trap" in it["style"], it["id"]
    counts = Counter(it["type"] for it in items)
    assert counts["unanswerable"] >= 15 and counts["clarify"] >= 15 and counts["text"] >= 15


@needs_shared
def test_reports_exist_in_manifest():
    ids = {line.split("\t")[0] for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:] if line}
    for it in _lines():
        if it["report"] is not None:
            assert it["report"] in ids, it["id"]


@needs_shared
def test_figures_recompute_from_gold():
    gold = _gold()
    bad = []
    for it in _lines():
        if it["type"] != "figure":
            continue
        if it["op"] == "narrative":
            values = {_fmt(n["value"]) for n in gold[it["report"]].get("narrative", [])}
            if it["a"] not in values:
                bad.append((it["id"], it["a"], sorted(values)))
            continue
        got = _recompute(gold, it)
        if got != it["a"]:
            bad.append((it["id"], it["a"], got))
    assert not bad, bad
