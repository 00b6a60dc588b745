"""Gold look-ups shared by the held-out question-set validators (tests/test_questions_{d,e,f,g}_fixture.py):
the gold files by report id, a gold key's value (a key may name another report), numbers written as the sets
write them, and the recomputation of an answer from its keys and operation (sets e, f, g; set d reads blank
cells as 0 and keeps its own)."""

from __future__ import annotations

import os
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import gold_files, load_gold

ROOT = Path(__file__).resolve().parents[1]
REPORTS = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared")) / "corpus" / "reports"


def gold_by_id() -> dict:
    return {g["id"]: g for g in map(load_gold, gold_files())}


def fmt(x) -> str:
    if isinstance(x, float):
        x = round(x, 6)
        if x == int(x):
            return str(int(x))
        return f"{x:.6f}".rstrip("0").rstrip(".")
    return str(x)


def split(report, key):
    """A key may name another report ("hongze-2023:table3.new.total") for two-year/two-agency ops."""
    if ":" in key:
        report, key = key.split(":", 1)
    return report, key


def value(gold, report, key):
    report, key = split(report, key)
    table, k = key.split(".", 1)
    if table == "narrative":
        hits = [n["value"] for n in gold[report].get("narrative", []) if n["key"] == k]
        assert len(hits) == 1, (report, key)
        return hits[0]
    return gold[report][table][k]


def recompute(gold, item, max_of_two: bool = False) -> str:
    """The answer an item's keys and op give: cell/narrative, sum, diff (first − second), max (a strict winner;
    `max_of_two`: exactly two years or agencies), share (numerator = every key but the last, at the answer's
    precision, rounded half up)."""
    rep, keys, op = item["report"], item["keys"], item["op"]
    vals = [value(gold, rep, k) for k in keys]
    if op in ("cell", "narrative"):
        assert len(vals) == 1
        v = vals[0]
        assert v is not None, f"{item['id']}: blank cell"
        if isinstance(v, str):  # amounts printed with their unit, e.g. "246900元"
            return item["a"] if v in (item["a"], item["a"] + item["unit"]) else v
        return fmt(v)
    assert all(v is not None and not isinstance(v, str) for v in vals), "arithmetic over blank/string cells"
    if op == "sum":
        assert len(vals) >= 2
        return fmt(sum(vals))
    if op == "diff":
        assert len(vals) == 2
        return fmt(vals[0] - vals[1])
    if op == "max":
        assert (len(vals) == 2 if max_of_two else len(vals) >= 2) and sorted(vals)[-1] != sorted(vals)[-2], \
            "a max over tied values names no winner"
        return fmt(max(vals))
    if op == "share":
        num, den = sum(vals[:-1]), vals[-1]
        assert den
        decimals = len(item["a"].split(".")[1]) if "." in item["a"] else 0
        quantum = Decimal(1).scaleb(-decimals)
        return str((Decimal(str(num)) * 100 / Decimal(str(den))).quantize(quantum, rounding=ROUND_HALF_UP))
    raise AssertionError(f"unknown op {op}")


@cache
def report_text(report):
    """Report text with all whitespace removed (PDF text layers put spaces around digits)."""
    txt = REPORTS / f"{report}.txt"
    md = REPORTS / f"{report}.md"
    pdf = REPORTS / f"{report}.pdf"
    if txt.exists():
        raw = txt.read_text(encoding="utf-8")
    elif md.exists():
        raw = md.read_text(encoding="utf-8")
    else:
        pdfplumber = pytest.importorskip("pdfplumber")
        with pdfplumber.open(pdf) as doc:
            raw = "\n".join(page.extract_text() or "" for page in doc.pages)
    return re.sub(r"\s+", "", raw)
