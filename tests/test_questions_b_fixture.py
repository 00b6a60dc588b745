"""Validates tests/fixtures/questions-b.jsonl, an independently written question set.

Each line: {"id", "q", "type", "a", "unit", "report", "keys", "op", "style"}.

- figure: "a" is recomputed from the gold files in ../shared/corpus/gold via keys + op.
  A key is "table.row.col" in the question's report, or "gold-id:table.row.col" for
  another report (year-on-year differences, maxima over several years).
  op: cell (one key), sum (all keys), diff (keys[0] - keys[1]), max (largest of keys),
  share (100 * sum(keys[:-1]) / keys[-1], rounded to as many decimals as "a" shows and
  the question states), narrative (keys == ["narrative"]: "a" is the value of one of the
  report's gold narrative figures, and that figure's quote is in the report text).
- text: "a" is a short string found verbatim in the report text (whitespace ignored).
- unanswerable / clarify: "a" is null; clarify questions name no single report.

Skips with a clear reason when ../shared (or $GONGKAI_SHARED) is not present.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "questions-b.jsonl"
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "corpus" / "gold"
REPORTS = SHARED / "corpus" / "reports"

needs_shared = pytest.mark.skipif(
    not GOLD.is_dir(),
    reason=f"gold files not present ({GOLD} missing): ../shared/corpus is needed to recompute answers",
)

TYPES = {"figure", "text", "unanswerable", "clarify"}
OPS = {"cell", "sum", "diff", "share", "max", "narrative"}
FIELDS = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style")


def _lines() -> list[dict]:
    rows = []
    for n, line in enumerate(FIXTURE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:  # pragma: no cover - reported as failure
            pytest.fail(f"line {n} is not valid JSON: {e}")
    return rows


ROWS = _lines()


def _num(v) -> Decimal:
    """A gold value as a number; amounts printed with a unit ("246900元") lose the unit."""
    if isinstance(v, str):
        m = re.match(r"-?[\d.]+", v.replace(",", ""))
        assert m, f"not a number: {v!r}"
        return Decimal(m.group())
    return Decimal(str(v))


def _decimals(d: Decimal) -> int:
    return max(0, -d.normalize().as_tuple().exponent)


@cache
def _gold(rid: str) -> dict:
    p = GOLD / f"{rid}.json"
    assert p.is_file(), f"no gold file {p}"
    return json.loads(p.read_text(encoding="utf-8"))


def _value(report: str, key: str) -> Decimal:
    rid, k = key.split(":", 1) if ":" in key else (report, key)
    table, cell = k.split(".", 1)
    g = _gold(rid)
    assert table in ("table2", "table3", "table4"), key
    assert cell in g[table], f"{rid}: no gold key {k}"
    v = g[table][cell]
    assert v is not None, f"{rid}: gold {k} is null, cannot be a figure answer"
    return _num(v)


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


@cache
def _report_text(rid: str) -> str | None:
    hits = sorted(REPORTS.glob(rid + ".*"))
    assert hits, f"no report file for {rid}"
    p = hits[0]
    if p.suffix == ".pdf":
        try:
            import pdfplumber
        except ImportError:
            return None
        with pdfplumber.open(p) as pdf:
            return _compact("".join(pg.extract_text() or "" for pg in pdf.pages))
    return _compact(p.read_text(encoding="utf-8"))


def test_fixture_shape():
    assert len(ROWS) >= 180, f"only {len(ROWS)} questions"
    ids = [r.get("id") for r in ROWS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in ROWS:
        missing = [f for f in FIELDS if f not in r]
        assert not missing, f"{r.get('id')}: missing {missing}"
        assert re.fullmatch(r"qb/\d+", r["id"]), r["id"]
        assert isinstance(r["q"], str) and r["q"].strip(), r["id"]
        assert r["type"] in TYPES, r["id"]
        assert isinstance(r["keys"], list), r["id"]
        assert isinstance(r["style"], list) and r["style"] and all(isinstance(s, str) for s in r["style"]), r[
            "id"
        ]
        if r["type"] == "figure":
            assert r["op"] in OPS, r["id"]
            assert isinstance(r["a"], str) and r["a"], r["id"]
            assert r["report"], r["id"]
            assert r["keys"], r["id"]
        else:
            assert r["op"] is None, r["id"]
        if r["type"] == "text":
            assert isinstance(r["a"], str) and r["a"] and r["report"], r["id"]
        if r["type"] in ("unanswerable", "clarify"):
            assert r["a"] is None, r["id"]
        if r["type"] == "clarify":
            assert r["report"] is None, r["id"]


def test_mix_of_types_and_styles():
    types = {t: sum(1 for r in ROWS if r["type"] == t) for t in TYPES}
    assert all(types[t] >= 10 for t in TYPES), types
    styles = {s for r in ROWS for s in r["style"]}
    for s in (
        "journalist",
        "lawyer",
        "retiree-typo",
        "student-en",
        "mixed",
        "traditional",
        "fullwidth",
        "short",
        "long",
        "cn-year",
    ):
        assert s in styles, s
    ops = {r["op"] for r in ROWS}
    assert OPS <= ops, OPS - ops


@needs_shared
def test_report_ids_known():
    known = {p.stem for p in REPORTS.iterdir()} if REPORTS.is_dir() else set()
    for r in ROWS:
        if r["report"] is not None:
            assert r["report"] in known, f"{r['id']}: unknown report {r['report']}"


FIGURES = [r for r in ROWS if r["type"] == "figure"]


@needs_shared
@pytest.mark.parametrize("row", FIGURES, ids=[r["id"] for r in FIGURES])
def test_figure_recomputed_from_gold(row):
    rep, keys, op, a = row["report"], row["keys"], row["op"], row["a"]
    got = Decimal(a)
    if op == "narrative":
        assert keys == ["narrative"], row["id"]
        ents = [n for n in _gold(rep).get("narrative", []) if isinstance(n.get("value"), (int, float))]
        match = [n for n in ents if _num(n["value"]) == got]
        assert match, f"{row['id']}: {a} is not a narrative figure of {rep}"
        text = _report_text(rep)
        if text is not None:
            assert any(_compact(n["quote"]) in text for n in match), f"{row['id']}: quote not found in report"
        return
    vals = [_value(rep, k) for k in keys]
    if op == "cell":
        assert len(vals) == 1, row["id"]
        want = vals[0]
    elif op == "sum":
        assert len(vals) >= 2, row["id"]
        want = sum(vals)
    elif op == "diff":
        assert len(vals) == 2, row["id"]
        want = vals[0] - vals[1]
    elif op == "max":
        assert len(vals) >= 2, row["id"]
        want = max(vals)
    elif op == "share":
        assert len(vals) >= 2 and vals[-1] != 0, row["id"]
        d = _decimals(got) if "." in a else 0
        assert d in (1, 2), f"{row['id']}: share must state its rounding"
        assert (
            ("一位小数" in row["q"] or "one decimal" in row["q"])
            if d == 1
            else ("两位小数" in row["q"] or "two decimal" in row["q"])
        ), row["id"]
        want = (Decimal(100) * sum(vals[:-1]) / vals[-1]).quantize(Decimal(1).scaleb(-d))
        assert row["unit"] == "%", row["id"]
    else:  # pragma: no cover
        pytest.fail(f"unknown op {op}")
    assert got == want, f"{row['id']}: a={a}, recomputed {want}"


TEXTS = [r for r in ROWS if r["type"] == "text"]


@needs_shared
@pytest.mark.parametrize("row", TEXTS, ids=[r["id"] for r in TEXTS])
def test_text_answer_in_report(row):
    text = _report_text(row["report"])
    if text is None:
        pytest.skip("pdfplumber not installed: cannot read the PDF report text")
    assert _compact(row["a"]) in text, f"{row['id']}: {row['a']!r} not found in {row['report']}"
