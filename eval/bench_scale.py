"""Benchmark: how query latency grows from the bundled corpus to many synthetic reports.

    python -m eval.bench_scale [--sizes 100,300,1000] [--rows summary|all] [--seed 0]

Starts from the bundled corpus (data/reports, the real ingest) and adds synthetic reports
(eval/synth.py, TXT and HTML) up to each size. A synthetic report goes in as its facts plus TABLE-ROW
chunks only (no section chunks), embedded with m3e-small: embedding cost grows linearly with the text
and is measured separately by eval/bench_ingest.py. `--rows summary` (default) embeds each synthetic
report's table-2 and table-4 rows and table 3's 一/二/（七）/四 rows (13–14 chunks), `--rows all`
every row (~34; ~3× the embedding time). At each size: the store load time, warm `ask` latency for the
bundled corpus's gold questions (figure / text / unanswerable) and for questions about synthetic
reports, and the hybrid retriever's latency. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from eval.bench_query import ROOT, SHARED, questions_for, time_asks, time_search
from eval.qa import QAItem

SUMMARY_ROWS = {"table3.new", "table3.carried_over", "table3.total", "table3.carry_forward"}


def add_synthetic(home: Path, reports: list[Path], rows: str) -> tuple[int, float, float]:
    """Store reports as facts + row chunks; return (chunks, parse seconds, embed+write seconds)."""
    from index.chunks import row_chunks, search_text
    from index.embed import embed
    from index.parse import parse_file
    from index.store import FactStore
    from index.vectors import VectorIndex

    facts, vectors = FactStore(home / "facts.sqlite"), VectorIndex(home)
    n = 0
    t_parse = t_embed = 0.0
    for p in reports:
        t = time.perf_counter()
        r = parse_file(p)
        chunks = [c for c in row_chunks(r) if rows == "all" or c.table != "table3" or c.row_key in SUMMARY_ROWS]
        t_parse += time.perf_counter() - t
        t = time.perf_counter()
        vecs = embed([search_text(c) for c in chunks])
        facts.put(r, state="indexing")
        vectors.add(chunks, vecs)
        facts.set_state(r.id, "ready", len(chunks))
        t_embed += time.perf_counter() - t
        n += len(chunks)
    facts.close()
    return n, t_parse, t_embed


def synthetic_questions(gold_dir: Path, limit: int) -> list[QAItem]:
    from eval.qa import load_items

    files = sorted(gold_dir.glob("*.json"))[:limit]
    return [it for it in load_items(files) if it.type != "text"] if files else []


def measure(home: Path, items: list[QAItem], synth_items: list[QAItem], repeat: int) -> dict:
    from rag.answer import Answerer

    t = time.perf_counter()
    answerer = Answerer(home)
    load = time.perf_counter() - t
    t = time.perf_counter()
    ret = answerer.retriever()
    ret.search("warm-up", k=1)
    bm25_build = time.perf_counter() - t
    asks = time_asks(answerer, items, repeat)
    synth = time_asks(answerer, synth_items, repeat) if synth_items else {}
    hybrid = time_search(ret, items, repeat)
    return {"reports": len(answerer.reports), "chunks": ret.vectors.count(), "load": load, "bm25_build": bm25_build,
            "asks": asks, "synth": synth, "hybrid": hybrid,
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _table(rows: list, rows_mode: str, repeat: int) -> str:
    from eval.qa import percentile

    def pp(xs):
        return f"{1000 * percentile(xs, 50):.1f} / {1000 * percentile(xs, 95):.1f}" if xs else "–"

    out = [(f"\nquery latency vs store size ({rows_mode} row chunks for synthetic reports; the bundled corpus fully "
            f"ingested; warm, × {repeat}; ms; first search = m3e load + BM25 build, in a process that has not "
            "loaded the model yet)\n"),
           ("| synthetic reports | reports | chunks | store load ms | first search ms | figure p50 / p95 "
            "| text p50 / p95 | unanswerable p50 / p95 | synthetic figure p50 / p95 | hybrid search p50 / p95 "
            "| peak RSS MB |"),
           "|---:|---:|---:|---:|---:|---|---|---|---|---|---:|"]
    for size, _, _, m in rows:
        out.append(f"| {size} | {m['reports']} | {m['chunks']} | {1000 * m['load']:.0f} | {1000 * m['bm25_build']:.0f} | "
                   f"{pp(m['asks'].get('figure', []))} | {pp(m['asks'].get('text', []))} | "
                   f"{pp(m['asks'].get('unanswerable', []))} | {pp(m['synth'].get('figure', []))} | {pp(m['hybrid'])} | "
                   f"{m['rss']:.0f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_scale", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100,300,1000", help="synthetic reports added, cumulative checkpoints")
    ap.add_argument("--rows", choices=("summary", "all"), default="summary")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--reports", type=Path, default=ROOT / "data" / "reports")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "gold")
    ap.add_argument("--keep", type=Path, help="work in (and keep) this folder")
    ap.add_argument("--measure", type=Path, metavar="WORK",
                    help="only measure WORK/home, a store kept by an earlier --keep run (e.g. again on a quiet machine)")
    a = ap.parse_args(argv)
    from eval.synth import generate
    from gongkai import config  # noqa: F401  (offline environment)
    from index.ingest import ingest

    if a.measure:
        home = a.measure / "home"
        items = questions_for(home, a.gold)
        m = measure(home, items, synthetic_questions(a.measure / "synth" / "gold", 20), a.repeat)
        from index.store import FactStore

        synth = sum(r["id"].startswith("synth-") for r in FactStore(home / "facts.sqlite").list_reports())
        print(_table([(synth, 0, 0.0, m)], a.rows, a.repeat))
        return 0
    sizes = sorted(int(x) for x in a.sizes.split(","))
    work = a.keep or Path(tempfile.mkdtemp(prefix="gongkai-scale-"))
    home = work / "home"
    try:
        s = ingest([a.reports], home=home, progress=False)
        print(f"bundled corpus {a.reports}: {s.line()}")
        items = questions_for(home, a.gold)
        rows = []
        m = measure(home, items, [], a.repeat)
        rows.append((0, 0, 0.0, m))
        done = 0
        for size in sizes:
            t = time.perf_counter()
            pairs = generate(work / "synth", size - done, seed=a.seed, formats=("txt", "html"), start=done + 1)
            gen = time.perf_counter() - t
            n, tp, te = add_synthetic(home, [rp for rp, _ in pairs], a.rows)
            print(f"+{size - done} synthetic reports: generated {gen:.0f} s, parsed {tp:.0f} s, {n} row chunks "
                  f"embedded+written {te:.0f} s ({n / te if te else 0:.1f} chunks/s)", flush=True)
            done = size
            m = measure(home, items, synthetic_questions(work / "synth" / "gold", 20), a.repeat)
            rows.append((size, n, te, m))
        print(_table(rows, a.rows, a.repeat))
        print("\nEmbedding is linear in the text and measured by eval/bench_ingest.py; here synthetic reports carry "
              "facts + table-row chunks only (no section text).")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
