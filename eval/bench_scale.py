"""Benchmark: query time, store open and memory from 100 to 10,000 reports.

    python -m eval.bench_scale [--sizes 100,1000,10000] [--rows summary|all] [--pool 400] [--keep DIR]
    python -m eval.bench_scale --measure DIR      # measure a store kept by --keep again (e.g. on a quiet machine)

Starts from the bundled corpus (data/reports, the real ingest: facts, every chunk, m3e vectors) and adds
synthetic reports (eval/synth.py) up to each size. A synthetic report is rendered as TXT and parsed by the real
parser (7 ms a report), stored as its facts plus TABLE-ROW chunks only (no section chunks). **Its vectors are
not computed**: a pool of real m3e embeddings of synthetic row chunks (`--pool`, embedded once) is reused,
each chunk taking a pool vector of its own row key at random — so the figures measure search TIME at that
size, not recall (embedding cost is measured by eval/bench_ingest.py). `--rows summary` (default) keeps
table-2 and table-4 rows and table 3's 一/二/（七）/四 rows (13–14 chunks a report), `--rows all` every row.

At each size: the build time (synthetic reports added; then the first open, which derives and saves the
name variants, the agency alias tables and the BM25 index), then in a NEW process: store open (Answerer +
Retriever ready: report heads, agency index, BM25 loaded; imports and the m3e model load apart), the first search
(opens the Chroma collection: the client and Chroma's first read of the vectors, paid by the first question that
searches text, never by a figure question), warm `ask` latency for the bundled
corpus's gold figure questions and for synthetic reports' figure questions, hybrid search latency (k=5, the
whole store), and the process's peak RSS. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eval.bench_query import ROOT, SHARED, questions_for, time_asks, time_search
from eval.qa import QAItem

SUMMARY_ROWS = {"table3.new", "table3.carried_over", "table3.total", "table3.carry_forward"}
BATCH = 250  # synthetic reports written to Chroma per add (one add per report is far slower)


def _keep_row(c, rows: str) -> bool:
    return rows == "all" or c.table != "table3" or c.row_key in SUMMARY_ROWS


def embedding_pool(work: Path, n: int, rows: str, seed: int) -> dict[str, list[list[float]]]:
    """Real m3e vectors of the row chunks of a few synthetic reports, by row key (embedded once)."""
    from eval.synth import generate
    from index.chunks import row_chunks, search_text
    from index.embed import embed
    from index.parse import parse_file

    chunks = []
    pairs = generate(work / "pool", max(1, n // 12), seed=seed + 7919, formats=("txt",))
    for rp, _ in pairs:
        chunks += [c for c in row_chunks(parse_file(rp)) if _keep_row(c, rows)]
    chunks = chunks[:n]
    vecs = embed([search_text(c) for c in chunks])
    pool: dict[str, list[list[float]]] = {}
    for c, v in zip(chunks, vecs):
        pool.setdefault(c.row_key, []).append(v)
    return pool


def add_synthetic(home: Path, reports: list[Path], rows: str, pool: dict[str, list[list[float]]],
                  rng: random.Random) -> tuple[int, float, float]:
    """Store reports as facts + row chunks with pooled vectors; return (chunks, parse s, store s)."""
    from index.chunks import row_chunks
    from index.parse import parse_file
    from index.store import FactStore
    from index.vectors import VectorIndex

    facts, vectors = FactStore(home / "facts.sqlite"), VectorIndex(home)
    every = [v for vs in pool.values() for v in vs]
    n = 0
    t_parse = t_store = 0.0
    for i in range(0, len(reports), BATCH):
        batch, chunks = [], []
        for p in reports[i:i + BATCH]:
            t = time.perf_counter()
            r = parse_file(p)
            cs = [c for c in row_chunks(r) if _keep_row(c, rows)]
            t_parse += time.perf_counter() - t
            batch.append((r, len(cs)))
            chunks += cs
        t = time.perf_counter()
        for r, _ in batch:
            facts.put(r, state="indexing")
        vectors.add(chunks, [rng.choice(pool.get(c.row_key) or every) for c in chunks])
        for r, k in batch:
            facts.set_state(r.id, "ready", k)
        t_store += time.perf_counter() - t
        n += len(chunks)
    facts.close()
    return n, t_parse, t_store


def synthetic_questions(gold_dir: Path, limit: int) -> list[QAItem]:
    from eval.qa import load_items

    files = sorted(gold_dir.glob("*.json"))[:limit]
    return [it for it in load_items(files) if it.type != "text"] if files else []


def first_open(home: Path) -> float:
    """Seconds for the first Answerer + Retriever after a change (derives and saves what later opens load)."""
    from rag.answer import Answerer

    t = time.perf_counter()
    a = Answerer(home)
    a.retriever()
    return time.perf_counter() - t


def measure(home: Path, items: list[QAItem], synth_items: list[QAItem], repeat: int) -> dict:
    """Measure one store in this process (run in a fresh one: open time and RSS are per process)."""
    t = time.perf_counter()
    import bm25s  # noqa: F401  — libraries imported and jieba set up before the clock: constant, not the store's
    import chromadb  # noqa: F401
    from llama_index.vector_stores.chroma import ChromaVectorStore  # noqa: F401

    from index.bm25 import _jieba
    from index.retrieve import Retriever  # noqa: F401
    from rag.answer import Answerer
    _jieba(home)
    imports = time.perf_counter() - t
    t = time.perf_counter()
    answerer = Answerer(home)
    t_answerer = time.perf_counter() - t
    ret = answerer.retriever()
    open_s = time.perf_counter() - t
    rss_open = _rss_now()
    from index.embed import embed

    t = time.perf_counter()
    embed(["warm-up"])
    model = time.perf_counter() - t
    t = time.perf_counter()
    ret.search("warm-up", k=1)  # opens the Chroma collection (deferred from the open)
    first_search = time.perf_counter() - t
    figure_items = [it for it in items if it.type != "text" and it.type != "unanswerable"]
    asks = time_asks(answerer, figure_items, repeat)
    synth = time_asks(answerer, synth_items, repeat) if synth_items else {}
    hybrid = time_search(ret, items, repeat)
    return {"reports": len(answerer.reports), "chunks": ret.vectors.count(), "imports": imports,
            "answerer": t_answerer, "open": open_s, "model": model, "first_search": first_search, "rss_open": rss_open,
            "figure": asks.get("figure", []), "synth": synth.get("figure", []), "hybrid": hybrid,
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _rss_now() -> float:
    """The process's resident memory now, MB (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_in_new_process(home: Path, gold: Path, synth_gold: Path | None, repeat: int) -> dict:
    cmd = [sys.executable, "-m", "eval.bench_scale", "--measure-one", str(home), "--gold", str(gold),
           "--repeat", str(repeat)] + (["--synth-gold", str(synth_gold)] if synth_gold else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def _table(rows: list, rows_mode: str, repeat: int) -> str:
    from eval.qa import percentile

    def pp(xs):
        return f"{1000 * percentile(xs, 50):.1f} / {1000 * percentile(xs, 95):.1f}" if xs else "–"

    out = [(f"\nper store size ({rows_mode} row chunks for synthetic reports, vectors reused from a pool of real "
            f"embeddings: search TIME, not recall; warm, × {repeat}; each size measured in a new process)\n"),
           ("| synthetic reports | reports | chunks | build s | first open s | store open s | first search s "
            "| figure p50 / p95 ms "
            "| synthetic figure p50 / p95 ms | hybrid search p50 / p95 ms | RSS after open MB | peak RSS MB "
            "| imports + set-up s | m3e load s |"),
           "|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|---:|"]
    for size, build, first, m in rows:
        out.append(f"| {size:,} | {m['reports']:,} | {m['chunks']:,} | {build:.0f} | {first:.1f} | {m['open']:.2f} | "
                   f"{m.get('first_search', 0.0):.2f} | "
                   f"{pp(m['figure'])} | {pp(m['synth'])} | {pp(m['hybrid'])} | {m['rss_open']:.0f} | {m['rss']:.0f} | "
                   f"{m['imports']:.1f} | {m['model']:.1f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_scale", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="synthetic reports added, cumulative checkpoints")
    ap.add_argument("--rows", choices=("summary", "all"), default="summary")
    ap.add_argument("--pool", type=int, default=400, help="real embeddings computed and reused (default 400)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reports", type=Path, default=ROOT / "data" / "reports")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "gold")
    ap.add_argument("--keep", type=Path, help="work in (and keep) this folder")
    ap.add_argument("--measure", type=Path, metavar="WORK",
                    help="only measure WORK/home, a store kept by an earlier --keep run (e.g. again on a quiet machine)")
    ap.add_argument("--measure-one", type=Path, metavar="HOME", help=argparse.SUPPRESS)
    ap.add_argument("--synth-gold", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    from gongkai import config  # noqa: F401  (offline environment)

    if a.measure_one:  # the child process: one store, figures as one JSON line
        synth = synthetic_questions(a.synth_gold, 20) if a.synth_gold else []
        print(json.dumps(measure(a.measure_one, questions_for(a.measure_one, a.gold), synth, a.repeat)))
        return 0
    if a.measure:
        home = a.measure / "home"
        first = _first_open_in_new_process(home)  # saves what a changed code or store needs (0 s work if current)
        m = measure_in_new_process(home, a.gold, a.measure / "synth" / "gold", a.repeat)
        print(_table([(m["reports"], 0.0, first, m)], a.rows, a.repeat))
        return 0
    from eval.synth import generate
    from index.ingest import ingest

    sizes = sorted(int(x) for x in a.sizes.split(","))
    work = a.keep or Path(tempfile.mkdtemp(prefix="gongkai-scale-"))
    home = work / "home"
    rng = random.Random(a.seed)
    try:
        t = time.perf_counter()
        s = ingest([a.reports], home=home, progress=False)
        print(f"bundled corpus {a.reports}: {s.line()}", flush=True)
        pool = embedding_pool(work, a.pool, a.rows, a.seed)
        print(f"embedding pool: {sum(map(len, pool.values()))} real m3e vectors of synthetic row chunks over "
              f"{len(pool)} row keys, reused for every synthetic chunk (search time, not recall) — "
              f"{time.perf_counter() - t:.0f} s with the bundled ingest", flush=True)
        rows = []
        done = 0
        for size in sizes:
            t = time.perf_counter()
            pairs = generate(work / "synth", size - done, seed=a.seed, formats=("txt",), start=done + 1)
            gen = time.perf_counter() - t
            n, tp, ts = add_synthetic(home, [rp for rp, _ in pairs], a.rows, pool, rng)
            build = time.perf_counter() - t
            first = _first_open_in_new_process(home)
            print(f"+{size - done} synthetic reports: rendered {gen:.0f} s, parsed {tp:.0f} s, facts + {n} row chunks "
                  f"stored {ts:.0f} s; first open (derives name variants, builds BM25) {first:.1f} s", flush=True)
            done = size
            m = measure_in_new_process(home, a.gold, work / "synth" / "gold", a.repeat)
            rows.append((size, build, first, m))
            print(_table(rows[-1:], a.rows, a.repeat), flush=True)
        print(_table(rows, a.rows, a.repeat))
        print("\nbuild s = render + parse + store the synthetic reports added at that step (no embedding: pooled "
              "vectors); first open s = the first Answerer + Retriever after the build (derives each new report's "
              "printed name variants and alias tables, tokenises every chunk for BM25, saves them); store open s = a later "
              "process: Answerer + Retriever ready (imports, jieba's set-up and the m3e model load — constant — apart); "
              "first search s = that process's first search, which opens the Chroma collection.")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _first_open_in_new_process(home: Path) -> float:
    code = f"from eval.bench_scale import first_open; from pathlib import Path; print(first_open(Path({str(home)!r})))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return float(out.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
