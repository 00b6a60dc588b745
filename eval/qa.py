"""The Q&A harness: gold questions → the same `Answerer.ask` as `gongkai ask` → scores, misses, timings.

Scores (rules in eval/scoring.py):
- answer accuracy by type: figures (table, sum, narrative) exact in value with kind "figure"; text
  answers holding the gold answer (whitespace-insensitive) in the answer or its top citation's quote;
  unanswerable answered kind "not_found" with no value;
- citation accuracy: the top citation comes from the gold report and holds the evidence;
- retrieval recall@1/@5 of the evidence chunk (hybrid search, filtered to the gold report as the
  answer pipeline does, and unfiltered), when the store has vectors;
- latency p50/p95 per question type.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eval.scoring import FIGURE_TYPES, TYPES, holds_evidence, same_number, squeeze, text_holds
from gongkai.errors import GongkaiError


class QAFileError(GongkaiError):
    """A question file could not be read."""


@dataclass
class QAItem:
    """One gold question."""

    q: str
    a: object
    type: str
    unit: str | None = None
    report: str | None = None  # the gold report id (a gold file's "id")
    evidence: str | None = None
    origin: str = ""  # file:line or file#n
    id: str = ""  # "report/N" in dev-natural style files


@dataclass
class Result:
    """One question's outcome."""

    item: QAItem
    kind: str
    value: object
    answer: str
    correct: bool
    citation_ok: bool | None  # None for unanswerable questions
    citation_report_ok: bool | None
    top_citation: dict | None
    seconds: float
    citations: list[dict] = field(default_factory=list)
    unit_ok: bool | None = None
    recall: dict = field(default_factory=dict)  # {"filtered@1": 1.0, ...}; empty without vectors
    outcome: str = ""  # right | wrong (a number that is not the answer) | abstained (not_found/clarify/no number)


# ---------------------------------------------------------------- loading

def load_items(paths: list[str | Path]) -> list[QAItem]:
    """Return the questions of gold JSON files, JSONL files and folders of them (in name order)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(x for x in p.iterdir() if x.suffix in (".json", ".jsonl")))
        elif p.is_file():
            files.append(p)
        else:
            raise QAFileError(f"{p}: no such file or folder — give gold JSON files, JSONL files or a folder")
    items: list[QAItem] = []
    for f in files:
        items.extend(_load_file(f))
    if not items:
        raise QAFileError(f"no questions found in {', '.join(map(str, paths))} — gold files need a \"qa\" list, "
                          "JSONL lines need \"q\", \"a\" and \"type\"")
    return items


def _item(d: dict, report: str | None, origin: str) -> QAItem:
    t = d.get("type")
    if t not in TYPES:
        raise QAFileError(f"{origin}: type {t!r} is not one of {', '.join(TYPES)}")
    if "q" not in d:
        raise QAFileError(f"{origin}: no \"q\" field")
    ev = d.get("evidence")
    if isinstance(ev, list):  # one piece of evidence per operand of a computed answer
        ev = "；".join(str(x) for x in ev if x)
    elif ev is not None and not isinstance(ev, str):
        raise QAFileError(f"{origin}: \"evidence\" must be a string or a list of strings")
    return QAItem(q=d["q"], a=d.get("a"), type=t, unit=d.get("unit"), report=d.get("report") or report,
                  evidence=ev, origin=origin, id=str(d.get("id") or ""))


def split_of(item: QAItem) -> str:
    """"even" / "odd" by the number after the id's last slash ("pingtan-2019/14" → even); "" without one."""
    m = re.search(r"/(\d+)$", item.id)
    return ("even" if int(m.group(1)) % 2 == 0 else "odd") if m else ""


def select_split(items: list[QAItem], split: str | None) -> list[QAItem]:
    """Keep the tuning half ("even"), the held-out half ("odd") or all (None / "all")."""
    if not split or split == "all":
        return items
    return [it for it in items if split_of(it) == split]


def _load_file(f: Path) -> list[QAItem]:
    text = f.read_text(encoding="utf-8")
    if f.suffix == ".jsonl":
        out = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise QAFileError(f"{f}:{n}: not JSON ({e.msg})") from None
            out.append(_item(d, None, f"{f.name}:{n}"))
        return out
    try:
        g = json.loads(text)
    except json.JSONDecodeError as e:
        raise QAFileError(f"{f}: not JSON ({e.msg} at line {e.lineno})") from None
    if isinstance(g, list):
        return [_item(d, None, f"{f.name}#{i}") for i, d in enumerate(g, 1)]
    return [_item(d, g.get("id"), f"{f.name}#{i}") for i, d in enumerate(g.get("qa", []), 1)]


# ---------------------------------------------------------------- scoring one answer

def score(item: QAItem, ans, seconds: float) -> Result:
    """Score one Answer against its gold question."""
    from rag.answer import answer_json

    j = answer_json(ans)
    cits = j["citations"]
    top = cits[0] if cits else None
    if item.type in FIGURE_TYPES:
        correct = ans.kind == "figure" and ans.value is not None and same_number(ans.value, item.a)
    elif item.type == "text":
        correct = ans.kind == "text" and (text_holds(ans.answer, item.a) or
                                          (top is not None and text_holds(top["quote"], item.a)))
        # a figure the report states in a sentence ("访问量达108932人次") answers a text question asking for it,
        # when the figure itself is the gold text's number
        correct = correct or ans.kind == "figure" and ans.value is not None and bool(item.a) and \
            re.sub(r"\s+", "", str(item.a)).startswith(str(ans.value)) and text_holds(ans.answer, item.a)
    elif item.type == "clarify":
        correct = ans.kind == "clarify" and ans.value is None
    else:
        correct = ans.kind == "not_found" and ans.value is None
    gave_number = ans.kind == "figure" and ans.value is not None
    outcome = "right" if correct else ("wrong" if gave_number or item.type == "text" and ans.kind == "text"
                                       else "abstained")
    cit_ok = rep_ok = None
    if item.type not in ("unanswerable", "clarify"):
        rep_ok = top is not None and (item.report is None or top["report_id"] == item.report)
        if item.type == "sum":  # one citation per added row: all of them, from the gold report
            quotes = [c["quote"] for c in cits if item.report is None or c["report_id"] == item.report]
        else:
            quotes = [top["quote"]] if top else []
        cit_ok = bool(rep_ok) and ans.kind in ("figure", "text") and holds_evidence(
            quotes, item.evidence, item.type, item.a)
    unit_ok = None
    if item.type in FIGURE_TYPES and correct and item.unit and ans.unit:
        unit_ok = squeeze(item.unit).lstrip("余") == squeeze(ans.unit).lstrip("余")
    return Result(item=item, kind=ans.kind, value=j["value"], answer=ans.answer, correct=correct,
                  citation_ok=cit_ok, citation_report_ok=rep_ok, top_citation=top, seconds=seconds,
                  citations=cits, unit_ok=unit_ok, outcome=outcome)


# ---------------------------------------------------------------- retrieval recall

def recall_targets(retriever, item: QAItem) -> set[str]:
    """Return the ids of the chunks holding the evidence (the rules of eval.retrieval)."""
    from eval.retrieval import evidence_rows, evidence_sections

    if not item.evidence or item.type == "unanswerable" or not item.report:
        return set()
    chunks = retriever.chunks_of(item.report)
    if item.type in ("table", "sum"):
        rows = {c.row_key for c in chunks if c.kind == "row"}
        return {f"{item.report}:row:{k}" for k in evidence_rows(item.evidence, rows)}
    return evidence_sections(item.evidence, chunks)


def recall_of(retriever, item: QAItem) -> dict:
    """Return recall@1 and @5 of the evidence chunk(s), filtered to the gold report and unfiltered."""
    targets = recall_targets(retriever, item)
    if not targets:
        return {}
    out = {}
    for name, ids in (("filtered", [item.report]), ("unfiltered", None)):
        ranked = [h.chunk.id for h in retriever.search(item.q, k=5, report_ids=ids, mode="hybrid")]
        for k in (1, 5):
            out[f"{name}@{k}"] = len(targets & set(ranked[:k])) / len(targets)
    return out


# ---------------------------------------------------------------- running

def has_vectors(home: Path) -> bool:
    """True when the data folder's vector collection holds chunks."""
    try:
        from index.vectors import VectorIndex

        return VectorIndex(home).count() > 0
    except Exception:  # noqa: BLE001  (no Chroma folder or no model package: the store has no vectors to use)
        return False


def run(items: list[QAItem], home: Path, recall: bool = True, progress=None) -> list[Result]:
    """Ask every question through Answerer.ask (as `gongkai ask` does) and score it."""
    from rag.answer import Answerer

    answerer = Answerer(home)
    if not answerer.reports:
        raise GongkaiError(f"the store in {home} is empty — ingest reports first (gongkai ingest DIR, or --ingest DIR)")
    # warm up so that timings are warm: the first ask builds caches, the first search loads m3e-small
    answerer.ask(items[0].q)
    ret = answerer.retriever()
    if ret is not None:
        ret.search(items[0].q, k=1)
    retriever = ret if recall and has_vectors(home) else None
    results = []
    for i, it in enumerate(items, 1):
        t = time.perf_counter()
        ans = answerer.ask(it.q)
        dt = time.perf_counter() - t
        r = score(it, ans, dt)
        if retriever is not None:
            r.recall = recall_of(retriever, it)
        results.append(r)
        if progress:
            progress(i, len(items), r)
    return results


def percentile(xs: list[float], p: float) -> float:
    """The p-th percentile (nearest-rank on sorted values; 0 for no values)."""
    if not xs:
        return 0.0
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def summarize(results: list[Result], nested: bool = False) -> dict:
    """Return the machine-readable summary: accuracy, citations, recall, latency by type and overall."""
    by: dict[str, list[Result]] = {}
    for r in results:
        by.setdefault(r.item.type, []).append(r)
    types = [t for t in TYPES if t in by]
    out: dict = {"questions": len(results), "by_type": {}}
    for t in types:
        rs = by[t]
        secs = [r.seconds for r in rs]
        d = {"n": len(rs), "correct": sum(r.correct for r in rs), "accuracy": _ratio(sum(r.correct for r in rs),
                                                                                     len(rs)),
             "latency_ms": {"p50": round(1000 * percentile(secs, 50), 1), "p95": round(1000 * percentile(secs, 95), 1),
                            "mean": round(1000 * statistics.mean(secs), 1)}}
        for o in ("right", "wrong", "abstained"):
            d[o] = sum(r.outcome == o for r in rs)
        if t not in ("unanswerable", "clarify"):
            d["citation_ok"] = sum(bool(r.citation_ok) for r in rs)
            d["citation_accuracy"] = _ratio(d["citation_ok"], len(rs))
            d["citation_right_report"] = sum(bool(r.citation_report_ok) for r in rs)
        rec = _recall(rs)
        if rec:
            d["recall"] = rec
        out["by_type"][t] = d
    figs = [r for r in results if r.item.type in FIGURE_TYPES]
    texts = by.get("text", [])
    una = by.get("unanswerable", [])
    answerable = [r for r in results if r.item.type not in ("unanswerable", "clarify")]
    clar = by.get("clarify", [])
    out["figure_accuracy"] = _ratio(sum(r.correct for r in figs), len(figs))
    out["figure"] = {"correct": sum(r.correct for r in figs), "n": len(figs)}
    out["text_accuracy"] = _ratio(sum(r.correct for r in texts), len(texts))
    out["text"] = {"correct": sum(r.correct for r in texts), "n": len(texts)}
    out["unanswerable_accuracy"] = _ratio(sum(r.correct for r in una), len(una))
    out["unanswerable"] = {"correct": sum(r.correct for r in una), "n": len(una)}
    out["clarify_accuracy"] = _ratio(sum(r.correct for r in clar), len(clar))
    out["clarify"] = {"correct": sum(r.correct for r in clar), "n": len(clar)}
    # the headline: a number shown that is not the answer (figure questions), and any number given where the
    # right answer is "not in the reports" or "which agency/year?"
    out["figure"].update(wrong=sum(r.outcome == "wrong" for r in figs), abstained=sum(r.outcome == "abstained"
                                                                                       for r in figs))
    out["wrong_figure_rate"] = _ratio(out["figure"]["wrong"], len(figs))
    out["number_where_none"] = sum(r.outcome == "wrong" for r in una + clar)
    out["citation_accuracy"] = _ratio(sum(bool(r.citation_ok) for r in answerable), len(answerable))
    out["citation_accuracy_when_correct"] = _ratio(sum(bool(r.citation_ok) for r in answerable if r.correct),
                                                   sum(r.correct for r in answerable))
    out["unit_mismatches"] = [_brief(r) for r in figs if r.unit_ok is False]
    out["recall"] = _recall(answerable)
    secs = [r.seconds for r in results]
    out["latency_ms"] = {"p50": round(1000 * percentile(secs, 50), 1), "p95": round(1000 * percentile(secs, 95), 1)}
    splits = sorted({split_of(r.item) for r in results} - {""})
    if splits and not nested:
        out["by_split"] = {sp: summarize([r for r in results if split_of(r.item) == sp], nested=True)
                           for sp in splits}
    out["misses"] = [_brief(r) for r in results if not r.correct]
    out["wrong"] = [_brief(r) for r in results if r.outcome == "wrong"]
    out["citation_misses"] = [_brief(r) for r in answerable if r.correct and not r.citation_ok]
    return out


def _ratio(a: int, n: int) -> float | None:
    return round(a / n, 4) if n else None


def _recall(rs: list[Result]) -> dict:
    keys = sorted({k for r in rs for k in r.recall})
    out = {}
    for k in keys:
        v = [r.recall[k] for r in rs if k in r.recall]
        out[k] = round(sum(v) / len(v), 4)
        out["n"] = len(v)
    return out


def _brief(r: Result) -> dict:
    it = r.item
    top = r.top_citation
    return {"report": it.report, "type": it.type, "q": it.q, "gold": it.a, "gold_unit": it.unit, "kind": r.kind,
            "value": r.value, "answer": r.answer[:300], "origin": it.origin, "outcome": r.outcome, "evidence": it.evidence,
            "top_citation": ({"report_id": top["report_id"], "table_row": top["table_row"],
                              "quote": top["quote"][:200]} if top else None)}


def results_json(results: list[Result]) -> list[dict]:
    """Every question's outcome, for the JSON report."""
    out = []
    for r in results:
        d = asdict(r)
        d["seconds"] = round(r.seconds, 4)
        out.append(d)
    return out
