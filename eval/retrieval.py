"""Retrieval quality over the gold questions: recall@5 of each question's evidence chunk.

    python -m eval.retrieval [--reports DIR] [--gold DIR] [--k 5] [--keep DIR]

Ingests every report of DIR (default ../shared/corpus/reports) into a fresh temporary data
folder, then for every qa item of the gold files that has evidence (unanswerable items excluded:
their evidence says what is absent) finds the chunk(s) holding that evidence:
- table / sum questions: the row chunk(s) whose row the evidence names;
- narrative / text questions: the section chunk sharing the longest run of characters with the
  evidence (whitespace removed).
It prints recall@k for dense alone, BM25 alone and their fusion, with the agency/year filter
resolved from the gold file (what the answer pipeline does once it knows which report is meant)
and without any filter.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))

# ---------------------------------------------------------------- evidence → row keys

_T4 = (("suit_direct", ("未经复议直接起诉", "直接起诉")), ("suit_after_review", ("复议后起诉",)))
_GROUPS = {"（三）不予公开": "denied_", "不予公开": "denied_", "无法提供": "unable_", "不予处理": "not_processed_",
           "其他处理": "other"}
# patterns of the template that are too generic to name a row inside an evidence string
_GENERIC = {"总计", "其他", "止公开", "行政执"}
_EXTRA = {"total": ("（七）总计", "(七)总计"), "other_3": ("3.其他",), "other_2": ("未缴费",),
          "other_1": ("逾期不补正",), "other": ("（六）其他处理",)}


def _n(s: str) -> str:
    return re.sub(r"[\s>|…]+", "", s)


def evidence_rows(evidence: str, row_keys: set[str]) -> set[str]:
    """Return the row keys ("table3.new") of the report's rows that an evidence string names."""
    from index.template import T2_2019, T2_2021, T3_2019, T3_2021

    e = _n(evidence)
    found: set[str] = set()
    e4 = re.sub(r"行政复议[、和]行政诉讼", "", e)
    for key, pats in _T4:
        if any(p in e4 for p in pats):
            found.add(f"table4.{key}")
            e4 = e4.replace(pats[0], "")
    if "行政复议" in e4.replace("未经复议", ""):
        found.add("table4.review")
    for table, specs in (("table2", T2_2019 + T2_2021), ("table3", T3_2019 + T3_2021)):
        for spec in specs:
            pats = [p for p in spec.patterns if p not in _GENERIC] + list(_EXTRA.get(spec.key, ()))
            if table == "table3" and spec.key in _EXTRA:
                pats = list(_EXTRA[spec.key])
            if any(p in e for p in pats):
                found.add(f"{table}.{spec.key}")
    found &= row_keys
    for word, prefix in _GROUPS.items():
        if word in e and not any(k.startswith(f"table3.{prefix}") for k in found):
            found |= {k for k in row_keys if k.startswith(f"table3.{prefix}")}
    return found


def evidence_sections(evidence: str, chunks) -> set[str]:
    """Return the ids of the section chunks sharing the longest character run with the evidence."""
    from index.chunks import search_text

    e = _n(evidence)
    best, ids = 0, set()
    for c in chunks:
        if c.kind != "section":
            continue
        t = _n(search_text(c))
        m = SequenceMatcher(None, e, t, autojunk=False).find_longest_match(0, len(e), 0, len(t))
        if m.size > best:
            best, ids = m.size, {c.id}
        elif m.size == best and best:
            ids.add(c.id)
    return ids if best >= 6 else set()


# ---------------------------------------------------------------- evaluation

@dataclass
class Item:
    report_id: str
    agency: str
    year: int
    qtype: str
    question: str
    evidence: str
    targets: set[str] = field(default_factory=set)


def load_items(gold_dir: Path, retriever) -> tuple[list[Item], list[str]]:
    """Return the gold questions with evidence and their target chunk ids; and problems found."""
    items, problems = [], []
    for p in sorted(gold_dir.glob("*.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        chunks = retriever.chunks_of(g["id"])
        if not chunks:
            problems.append(f"{g['id']}: no chunks (report not ingested?)")
            continue
        rows = {c.row_key for c in chunks if c.kind == "row"}
        for qa in g.get("qa", []):
            ev = qa.get("evidence")
            if not ev or qa.get("type") == "unanswerable":
                continue
            it = Item(g["id"], g["agency"], g["year"], qa["type"], qa["q"], ev)
            if qa["type"] in ("table", "sum"):
                it.targets = {f"{g['id']}:row:{k}" for k in evidence_rows(ev, rows)}
            else:
                it.targets = evidence_sections(ev, chunks)
            if not it.targets:
                problems.append(f"{g['id']}: no chunk found for evidence {ev[:50]!r}")
                continue
            items.append(it)
    return items, problems


def rankings(retriever, it: Item, filtered: bool, depth: int = 50) -> dict[str, list[str]]:
    """Return chunk-id rankings of one question: each retriever, the shipped fusion, and ablations."""
    from index import retrieve

    f = {"agency": it.agency, "year": it.year} if filtered else {}

    def ranked(mode: str) -> list[str]:
        return [h.chunk.id for h in retriever.search(it.question, k=depth, mode=mode, **f)]

    dense, bm25, hybrid = ranked("dense"), ranked("bm25"), ranked("hybrid")
    out = {"dense": dense, "bm25": bm25, "hybrid (shipped)": hybrid,
           "hybrid, plain RRF": [c for c, _ in retrieve.rrf([dense, bm25])]}
    saved = retrieve.expand_query, retrieve.strip_context
    retrieve.expand_query, retrieve.strip_context = (lambda q: q), (lambda q, a, y: q)
    try:
        raw_dense, raw_bm25 = ranked("dense"), ranked("bm25")
    finally:
        retrieve.expand_query, retrieve.strip_context = saved
    out["dense, raw query"] = raw_dense
    out["bm25, raw query"] = raw_bm25
    out["plain RRF, raw query"] = [c for c, _ in retrieve.rrf([raw_dense, raw_bm25])]
    retrieve.expand_query = lambda q: q
    try:
        out["hybrid, no glossary"] = ranked("hybrid")
    finally:
        retrieve.expand_query = saved[0]
    return out


def evaluate(retriever, items: list[Item], k: int) -> dict:
    """Return {(filtered, method): [(question type, language, recall), ...]}."""
    out: dict = {}
    for filtered in (True, False):
        for it in items:
            lang = "en" if re.search(r"[A-Za-z]{4}", it.question) else "zh"
            for method, ranked in rankings(retriever, it, filtered).items():
                r = len(it.targets & set(ranked[:k])) / len(it.targets)
                out.setdefault((filtered, method), []).append((it.qtype, lang, r))
    return out


def table(results: dict) -> str:
    """Return a Markdown table: mean recall per question type and language, (questions) in brackets."""
    groups = (("table", 0), ("sum", 0), ("narrative", 0), ("text", 0), ("zh", 1), ("en", 1))
    lines = ["| filter | method | " + " | ".join(g for g, _ in groups) + " | all |", "|" + "---|" * (len(groups) + 3)]
    for (filtered, method), rows in results.items():
        cells = []
        for g, i in groups:
            v = [r for *key, r in rows if key[i] == g]
            cells.append(f"{sum(v) / len(v):.2f} ({len(v)})" if v else "–")
        cells.append(f"**{sum(r for *_, r in rows) / len(rows):.3f}**")
        lines.append(f"| {'agency+year' if filtered else 'none'} | {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.retrieval", description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=Path, default=SHARED / "corpus" / "reports")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "gold")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="use (and keep) this data folder instead of a temporary one")
    ap.add_argument("--misses", action="store_true", help="list the questions the fused search misses")
    a = ap.parse_args(argv)

    home = a.keep or Path(tempfile.mkdtemp(prefix="gongkai-eval-"))
    os.environ["GONGKAI_HOME"] = str(home)
    os.environ.pop("GONGKAI_CHROMA_URL", None)
    from index.ingest import ingest
    from index.retrieve import Retriever

    try:
        t0 = time.perf_counter()
        s = ingest([a.reports], home=home, progress=False)
        print(f"ingest {a.reports}: {s.line()}", file=sys.stderr)
        for _path, why in s.failed:
            print(f"  failed: {why}", file=sys.stderr)
        r = Retriever(home)
        items, problems = load_items(a.gold, r)
        for p in problems:
            print(f"  gold: {p}", file=sys.stderr)
        t1 = time.perf_counter()
        res = evaluate(r, items, a.k)
        t2 = time.perf_counter()
        n_q = len(items) * 2 * 6
        stored = r.vectors.all_chunks()
        print(f"\nrecall@{a.k} of the evidence chunk, {len(items)} gold questions with evidence "
              f"(per type: mean recall, (questions)); {len(stored)} chunks in "
              f"{len({c.report_id for c in stored})} reports\n")
        print(table(res))
        print(f"\ningest {t1 - t0:.1f} s; {n_q} searches in {t2 - t1:.1f} s "
              f"({1000 * (t2 - t1) / n_q:.0f} ms per search)")
        if a.misses:
            print("\nmissed by hybrid (filtered):")
            for it in items:
                top = rankings(r, it, True)["hybrid (shipped)"][: a.k]
                if not it.targets & set(top):
                    print(f"  [{it.qtype}] {it.report_id}: {it.question}\n     want {sorted(it.targets)}\n"
                          f"     got  {top}")
    finally:
        if not a.keep:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
