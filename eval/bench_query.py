"""Benchmark: warm query latency (p50/p95) of `ask` for figure, text and unanswerable questions.

    python -m eval.bench_query [--reports DIR] [--gold DIR] [--home DIR] [--repeat 3]

Ingests the bundled corpus (data/reports, the real ingest: facts, chunks, m3e vectors) into a
temporary data folder — or uses --home — then asks every gold question of those reports once to
warm up and `--repeat` times more, timing each `Answerer.ask` (what `gongkai ask` and the web app
call). Also times the hybrid retriever alone. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from eval.qa import load_items, percentile
from eval.scoring import FIGURE_TYPES

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))


def questions_for(home: Path, gold: Path) -> list:
    """Return the gold questions of the reports stored in home."""
    from index.store import open_store

    ids = {r["id"] for r in open_store(home).list_reports()}
    files = [p for p in sorted(gold.glob("*.json")) if json.loads(p.read_text(encoding="utf-8"))["id"] in ids]
    return load_items(files) if files else []


def time_asks(answerer, items, repeat: int) -> dict[str, list[float]]:
    """Return seconds per ask by group (figure / text / unanswerable), warm (after one untimed pass)."""
    for it in items:
        answerer.ask(it.q)
    out: dict[str, list[float]] = {}
    for _ in range(repeat):
        for it in items:
            t = time.perf_counter()
            answerer.ask(it.q)
            group = "figure" if it.type in FIGURE_TYPES else it.type
            out.setdefault(group, []).append(time.perf_counter() - t)
    return out


def time_search(retriever, items, repeat: int, **kw) -> list[float]:
    for it in items:
        retriever.search(it.q, k=5, **kw)
    secs = []
    for _ in range(repeat):
        for it in items:
            t = time.perf_counter()
            retriever.search(it.q, k=5, **kw)
            secs.append(time.perf_counter() - t)
    return secs


def line(name: str, secs: list[float]) -> str:
    return (f"| {name} | {len(secs)} | {1000 * percentile(secs, 50):.1f} | {1000 * percentile(secs, 95):.1f} | "
            f"{1000 * max(secs):.1f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_query", description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=Path, default=ROOT / "data" / "reports")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "gold")
    ap.add_argument("--home", type=Path, help="benchmark this data folder instead of ingesting --reports")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    from gongkai import config  # noqa: F401  (offline environment)

    home = a.home or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        if not a.home:
            from index.ingest import ingest

            s = ingest([a.reports], home=home, progress=False)
            print(f"ingest {a.reports}: {s.line()}")
        items = questions_for(home, a.gold)
        if not items:
            print(f"no gold questions for the stored reports in {a.gold}", file=sys.stderr)
            return 2
        from rag.answer import Answerer

        t = time.perf_counter()
        answerer = Answerer(home)
        load = time.perf_counter() - t
        t = time.perf_counter()
        answerer.ask(items[0].q)
        answerer.retriever().search("warm-up", k=1)
        first = time.perf_counter() - t
        asks = time_asks(answerer, items, a.repeat)
        ret = answerer.retriever()
        hybrid = time_search(ret, items, a.repeat)
        dense = time_search(ret, items, a.repeat, mode="dense")
        bm25 = time_search(ret, items, a.repeat, mode="bm25")
        n = len(answerer.reports)
        print(f"\nwarm query latency, {n} reports, {len(items)} gold questions × {a.repeat} "
              f"(store load {load * 1000:.0f} ms; first question incl. model load {first:.1f} s)\n")
        print("| what | calls | p50 ms | p95 ms | max ms |")
        print("|---|---:|---:|---:|---:|")
        for g in ("figure", "text", "unanswerable"):
            if g in asks:
                print(line(f"ask · {g} questions", asks[g]))
        print(line("retriever · hybrid, k=5, all reports", hybrid))
        print(line("retriever · dense only", dense))
        print(line("retriever · BM25 only", bm25))
        print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        if not a.home:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
