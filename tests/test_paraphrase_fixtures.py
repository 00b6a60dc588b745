"""The hand-written paraphrases (tests/fixtures/paraphrases.jsonl) are well formed and their answers hold.

Every figure answer is recomputed from the gold files through its "keys" and "op", every text
answer is looked up in its report, and every class of issue 10 has enough questions.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import GOLD, REPORTS

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "paraphrases.jsonl"

TYPES = {"figure", "text", "unanswerable", "clarify"}
OPS = {"cell", "sum", "diff", "share", "max", "narrative", None}
STYLES = {"colloquial", "typo", "no-punct", "english", "pinyin", "abbreviation", "formal"}
REQUIRED = ("id", "q", "type", "a", "unit", "report", "keys", "op", "style", "cls")
MIN_LINES = 100
MIN_PER_CLASS = 8

needs_shared = pytest.mark.skipif(
    not GOLD.is_dir() or not REPORTS.is_dir(),
    reason=f"{GOLD} or {REPORTS} missing: paraphrase answers are recomputed from the shared gold files",
)


def _rows() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _gold(report_id: str) -> dict:
    return json.loads((GOLD / f"{report_id}.json").read_text(encoding="utf-8"), parse_float=Decimal)


def _value(report_id: str, key: str):
    """Return the gold value behind `key` ("table3.new.total", "narrative.x", or "<report>:<key>")."""
    if ":" in key:
        report_id, key = key.split(":", 1)
    gold = _gold(report_id)
    part, rest = key.split(".", 1)
    if part == "narrative":
        hits = [n["value"] for n in gold["narrative"] if n["key"] == rest]
        assert hits, f"{report_id}: no narrative entry {rest!r}"
        return hits[0]
    assert rest in gold[part], f"{report_id}: no gold cell {key!r}"
    return gold[part][rest]


def _number(v) -> Decimal:
    """Return a gold value as a Decimal; amounts printed with a unit ("246900元") lose the unit."""
    assert v is not None, "a figure answer rests on a null gold cell"
    if isinstance(v, str):
        return Decimal(v.rstrip("元万个"))
    return Decimal(v)


def _expected(row: dict) -> Decimal:
    """Return the answer that `op` computes from the gold values named in `keys`."""
    nums = [_number(_value(row["report"], k)) for k in row["keys"]]
    op = row["op"]
    if op in ("cell", "narrative"):
        assert len(nums) == 1, row["id"]
        return nums[0]
    if op == "sum":
        return sum(nums, Decimal(0))
    if op == "diff":
        assert len(nums) == 2, row["id"]
        return nums[0] - nums[1]
    if op == "share":
        split = row.get("split", 1)
        share = sum(nums[:split], Decimal(0)) * 100 / sum(nums[split:], Decimal(0))
        return share.quantize(Decimal(1).scaleb(-row["ndigits"]), rounding=ROUND_HALF_UP)
    if op == "max":
        best = max(nums)
        winner = row["keys"][nums.index(best)].split(":", 1)[0]
        assert row.get("winner") == winner, f"{row['id']}: winner {row.get('winner')} != {winner}"
        return best
    raise AssertionError(f"{row['id']}: op {op!r} cannot give a figure")


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _source_text(report_id: str) -> str:
    """Return the report's text without whitespace; for a PDF, the gold file's quoted strings stand in."""
    path = next(REPORTS.glob(report_id + ".*"))
    if path.suffix != ".pdf":
        return _squeeze(path.read_text(encoding="utf-8"))
    gold = json.loads((GOLD / f"{report_id}.json").read_text(encoding="utf-8"))
    quoted = [str(n.get("value")) + "\n" + n.get("quote", "") for n in gold.get("narrative", [])]
    quoted += [str(q.get("a")) + "\n" + q.get("evidence", "") for q in gold.get("qa", [])]
    return _squeeze("\n".join(quoted))


def test_fixture_lines_are_json_with_the_required_fields():
    rows = _rows()
    assert len(rows) >= MIN_LINES, f"{len(rows)} paraphrases; the issue asks for at least {MIN_LINES}"
    ids = Counter(r["id"] for r in rows)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    questions = Counter(r["q"] for r in rows)
    assert not [q for q, n in questions.items() if n > 1], "duplicate questions"
    for r in rows:
        missing = [f for f in REQUIRED if f not in r]
        assert not missing, f"{r.get('id')}: missing {missing}"
        assert re.fullmatch(r"para/\d+", r["id"]), r["id"]
        assert r["q"].strip(), r["id"]
        assert r["type"] in TYPES, r["id"]
        assert r["op"] in OPS, r["id"]
        assert r["cls"] in range(1, 8), r["id"]
        assert r["style"] and set(r["style"]) <= STYLES, f"{r['id']}: style {r['style']}"
        assert isinstance(r["keys"], list), r["id"]


def test_every_class_of_issue_10_has_its_questions():
    per_class = Counter(r["cls"] for r in _rows())
    thin = {c: per_class.get(c, 0) for c in range(1, 8) if per_class.get(c, 0) < MIN_PER_CLASS}
    assert not thin, f"classes with fewer than {MIN_PER_CLASS} paraphrases: {thin}"


def test_every_type_and_style_is_present():
    rows = _rows()
    assert {r["type"] for r in rows} == TYPES
    assert {s for r in rows for s in r["style"]} == STYLES


@needs_shared
def test_figure_answers_recompute_from_gold():
    wrong = []
    for r in _rows():
        if r["type"] != "figure":
            continue
        assert r["keys"] and r["report"], r["id"]
        got, want = Decimal(r["a"]), _expected(r)
        if got != want:
            wrong.append(f"{r['id']} {r['q']}: a={r['a']} but gold gives {want}")
    assert not wrong, "\n".join(wrong)


@needs_shared
def test_text_answers_stand_in_their_report():
    missing = []
    for r in _rows():
        if r["type"] != "text":
            continue
        assert isinstance(r["a"], str) and r["a"], r["id"]
        if _squeeze(r["a"]) not in _source_text(r["report"]):
            missing.append(f"{r['id']} {r['a']!r} not in {r['report']}")
        if r["op"] == "narrative":
            assert str(_value(r["report"], r["keys"][0])) == r["a"], r["id"]
    assert not missing, "\n".join(missing)


@needs_shared
def test_narrative_figures_are_printed_in_their_report():
    for r in _rows():
        if r["op"] != "narrative" or r["type"] != "figure":
            continue
        gold = json.loads((GOLD / f"{r['report']}.json").read_text(encoding="utf-8"))
        (entry,) = [n for n in gold["narrative"] if n["key"] == r["keys"][0].split(".", 1)[1]]
        assert _squeeze(entry["quote"]) in _source_text(r["report"]), r["id"]


@needs_shared
def test_unanswerable_and_clarify_rows_are_consistent():
    known = {p.stem for p in REPORTS.iterdir()}
    for r in _rows():
        if r["type"] == "unanswerable":
            assert r["a"] is None and r["keys"] == [] and r["op"] is None, r["id"]
            assert r["report"] is None or r["report"] in known, r["id"]
        elif r["type"] == "clarify":
            assert r["a"] is None and r["report"] is None, r["id"]
            candidates = r.get("candidates") or []
            assert len(candidates) >= 2, f"{r['id']}: a clarify question needs at least two candidates"
            for c in candidates:
                for k in r["keys"]:
                    _value(c, k)


@needs_shared
@pytest.mark.parametrize("report_id", sorted({r["report"] for r in _rows() if r["report"]}))
def test_named_reports_exist(report_id):
    assert list(REPORTS.glob(report_id + ".*")), f"{report_id} is not in {REPORTS}"


@needs_shared
def test_generator_is_deterministic_and_its_answers_recompute_from_gold():
    from eval.paraphrase import generate

    rows = generate(GOLD, n=400, seed=7)
    assert rows == generate(GOLD, n=400, seed=7), "the same seed must give the same questions"
    assert rows != generate(GOLD, n=400, seed=8)
    assert len(rows) == 400 and len({r["q"] for r in rows}) == 400
    assert {r["cls"] for r in rows} == set(range(1, 8))
    for r in rows:
        assert all(f in r for f in REQUIRED), r
        if r["type"] == "figure":
            assert Decimal(r["a"]) == _expected(r), f"{r['id']} {r['q']}: {r['a']} != {_expected(r)}"
        elif r["type"] == "text":
            assert str(_value(r["report"], r["keys"][0])) == r["a"], r["id"]
        elif r["type"] == "clarify":
            assert len(r["candidates"]) >= 2, r["id"]
        else:
            assert r["a"] is None and r["keys"] == [], r["id"]
