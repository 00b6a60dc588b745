"""Embedding backends on this CPU: speed, memory, agreement with torch, and retrieval recall@5.

    python -m eval.bench_embed [--passages 1000] [--backends torch,onnx,onnx-int8] [--rounds 3]
                               [--batch-sizes 16,32,64] [--no-recall]

The passages are the real chunks of the bundled reports (data/reports) and the shared corpus
(../shared/corpus/reports), as index/chunks.py makes them (section pieces with their context line,
one chunk per table row) and as they are embedded (index.chunks.search_text). The corpus has fewer
unique chunks than --passages: the list is shuffled once (seed 0) and cycled, and the mix printed.

Speed: every (round, backend) runs in a fresh process, backends interleaved and their order rotated
per round, so all see the same machine load; each process imports and loads its backend (timed),
encodes one warm-up batch, measures passages/s per batch size on the first 300 passages, then
encodes all passages at its best batch size. Figures are the median over rounds; the load average
seen is printed (other work shares the cores: "under load").

Recall: the corpus is ingested once (torch vectors); for each backend a copy of that store gets the
backend's vectors for every chunk (no re-parsing), queries are embedded with the same backend, and
eval.retrieval's own evaluation gives recall@5 of the gold questions' evidence chunks — dense alone
and the shipped hybrid, with and without the agency/year filter — and the change vs torch in points.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
SWEEP_PASSAGES = 300


def _rss_mb(field: str = "VmRSS") -> float:
    """Return this process's resident memory (VmRSS) or its peak (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- worker (one backend, one process)

def worker(backend: str, texts_file: Path, out_file: Path, batch_sizes: list[int], unique: int) -> None:
    """Load one backend, time it, write figures (JSON) and the vectors of the unique passages (.npy)."""
    import numpy as np

    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    import index.embed as emb

    enc = emb.load(backend)  # ONNX files were exported by the parent: this is the steady-state load
    t1 = time.perf_counter()
    rss_loaded = _rss_mb()
    enc.encode(texts[:32], batch_size=32)  # warm-up
    sweep = {}
    for bs in batch_sizes:
        t = time.perf_counter()
        enc.encode(texts[:SWEEP_PASSAGES], batch_size=bs)
        sweep[bs] = SWEEP_PASSAGES / (time.perf_counter() - t)
    best = max(sweep, key=lambda b: sweep[b])
    t = time.perf_counter()
    vecs = enc.encode(texts, batch_size=best)
    full = len(texts) / (time.perf_counter() - t)
    np.save(out_file.with_suffix(".npy"), vecs[:unique])
    out_file.write_text(json.dumps({
        "backend": backend, "load_s": t1 - t0, "rss_loaded_mb": rss_loaded, "rss_peak_mb": _rss_mb("VmHWM"),
        "sweep": sweep, "best_batch": best, "per_s": full}), encoding="utf-8")


def run_worker(backend: str, texts_file: Path, out_file: Path, batch_sizes: list[int], unique: int) -> dict:
    """Run `worker` in a fresh interpreter; return its figures with the load average around it."""
    la0 = os.getloadavg()[0]
    cmd = [sys.executable, "-m", "eval.bench_embed", "--worker", backend, "--texts", str(texts_file),
           "--out", str(out_file), "--batch-sizes", ",".join(map(str, batch_sizes)), "--unique", str(unique)]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    res = json.loads(out_file.read_text(encoding="utf-8"))
    res["process_s"] = time.perf_counter() - t
    res["loadavg"] = (la0 + os.getloadavg()[0]) / 2
    return res


# ---------------------------------------------------------------- passages, recall

def passages(chunks, n: int) -> tuple[list[str], list, str]:
    """Return (n passage texts cycling the chunks in a seeded shuffle, those chunks, the mix in words).

    The first min(n, chunks) texts are the chunks' own, in the order of the chunks returned.
    """
    from index.chunks import search_text

    cs = sorted(chunks, key=lambda c: c.id)
    random.Random(0).shuffle(cs)
    picked = [cs[i % len(cs)] for i in range(n)]
    texts = [search_text(c) for c in picked]
    mix = []
    for kind, word in (("section", "section pieces"), ("row", "table-row chunks")):
        ls = [len(t) for c, t in zip(picked, texts) if c.kind == kind]
        if ls:
            mix.append(f"{len(ls)} {word} (mean {statistics.mean(ls):.0f} chars, median {statistics.median(ls):.0f})")
    return texts, cs[:n], (f"{n} passages = {len(cs)} unique chunks cycled: " + ", ".join(mix))


def recall(home: Path, backend: str, ids: list[str], vectors, gold: Path, k: int) -> dict[str, float]:
    """Return recall@k per (filter, method) over a copy of the store holding `backend`'s vectors."""
    import index.embed as emb
    from eval.retrieval import evaluate, load_items
    from index.retrieve import Retriever
    from index.vectors import VectorIndex

    copy = home.parent / f"{home.name}-{backend}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(home, copy)
    vi = VectorIndex(copy)
    for s in range(0, len(ids), 1000):
        vi.collection.update(ids=ids[s:s + 1000], embeddings=vectors[s:s + 1000].tolist())
    del vi
    enc = emb.load(backend, home)
    cache: dict[str, list[float]] = {}

    def embed(texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, enc.encode(missing).tolist()))
        return [cache[t] for t in texts]

    real = emb.embed
    emb.embed = embed  # retrieve.py imports it at call time: queries are embedded by the same backend
    try:
        r = Retriever(copy)
        items, _ = load_items(gold, r)
        res = evaluate(r, items, k)
    finally:
        emb.embed = real
        shutil.rmtree(copy, ignore_errors=True)
    out = {f"{'filtered' if f else 'unfiltered'} {m}": sum(x[-1] for x in rows) / len(rows)
           for (f, m), rows in res.items() if m in ("dense", "hybrid (shipped)")}
    out["questions"] = len(items)
    return out


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_embed", description=__doc__.split("\n")[0])
    ap.add_argument("--passages", type=int, default=1000)
    ap.add_argument("--backends", default="torch,onnx,onnx-int8")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-sizes", default="16,32,64")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "gold")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--no-recall", action="store_true")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--unique", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    batch_sizes = [int(x) for x in a.batch_sizes.split(",")]
    if a.worker:
        worker(a.worker, a.texts, a.out, batch_sizes, a.unique)
        return 0

    backends = [b.strip() for b in a.backends.split(",") if b.strip()]
    if "torch" not in backends:
        backends.insert(0, "torch")  # the reference of cosine and recall
    home = Path(tempfile.mkdtemp(prefix="gongkai-bench-embed-"))
    os.environ["GONGKAI_HOME"] = str(home)  # workers inherit it: they load the ONNX files exported below
    os.environ["GONGKAI_EMBED_BACKEND"] = "torch"  # the reference store is built with torch vectors
    os.environ.pop("GONGKAI_CHROMA_URL", None)
    import numpy as np

    import index.embed as emb
    from index.ingest import ingest
    from index.retrieve import Retriever

    try:
        for b in backends:
            if b not in emb.BACKENDS:
                print(f"unknown backend {b!r} (have {', '.join(emb.BACKENDS)})", file=sys.stderr)
                return 2
        folders = [ROOT / "data" / "reports", SHARED / "corpus" / "reports"]
        t = time.perf_counter()
        s = ingest([f for f in folders if f.is_dir()], home=home, progress=False)
        print(f"ingest (torch) of {', '.join(str(f) for f in folders)}: {s.line()} ({time.perf_counter() - t:.0f} s)")
        chunks = Retriever(home).vectors.all_chunks()
        texts, uniq, mix = passages(chunks, a.passages)
        unique = len(uniq)
        print(mix)
        texts_file = home / "passages.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        for b in backends:
            if b.startswith("onnx"):
                t = time.perf_counter()
                f = emb.onnx_file(b, home)
                print(f"{b}: exported once into the data folder's models/ ({f.stat().st_size / 1e6:.0f} MB, "
                      f"{time.perf_counter() - t:.1f} s; int8 starts from the fp32 file)")

        runs: dict[str, list[dict]] = {b: [] for b in backends}
        for r in range(a.rounds):
            order = backends[r % len(backends):] + backends[:r % len(backends)]
            for b in order:
                res = run_worker(b, texts_file, home / f"run-{b}-{r}.json", batch_sizes, unique)
                runs[b].append(res)
                print(f"  round {r + 1} {b}: {res['per_s']:.1f} passages/s (batch {res['best_batch']}), "
                      f"load {res['load_s']:.1f} s, load average {res['loadavg']:.1f}", flush=True)

        vecs = {b: np.load(home / f"run-{b}-0.npy") for b in backends}
        ref = vecs["torch"]
        med = {b: statistics.median(x["per_s"] for x in runs[b]) for b in backends}
        la = statistics.mean(x["loadavg"] for rs in runs.values() for x in rs)
        print(f"\nspeed: median of {a.rounds} interleaved rounds, {a.passages} passages, {os.cpu_count()} cores, "
              f"under load (mean load average {la:.1f} while measuring)\n")
        print("| backend | passages/s | vs torch | best batch | passages/s per batch size (300) | load (import+model) "
              "| RSS loaded | RSS peak | cosine to torch min / mean |")
        print("|---|---:|---:|---:|---|---:|---:|---:|---|")
        for b in backends:
            rs = runs[b]
            sweep = {bs: statistics.median(x["sweep"][str(bs)] for x in rs) for bs in batch_sizes}
            cos = (vecs[b] * ref).sum(axis=1)
            print(f"| {b} | {med[b]:.1f} | {med[b] / med['torch']:.2f}× | {rs[0]['best_batch']} | "
                  + ", ".join(f"{bs}: {v:.0f}" for bs, v in sweep.items())
                  + f" | {statistics.median(x['load_s'] for x in rs):.1f} s | "
                  f"{statistics.median(x['rss_loaded_mb'] for x in rs):.0f} MB | "
                  f"{statistics.median(x['rss_peak_mb'] for x in rs):.0f} MB | {cos.min():.4f} / {cos.mean():.4f} |")

        if not a.no_recall:
            if unique < len(chunks):
                print(f"\nrecall needs a vector for every chunk: --passages ≥ {len(chunks)}", file=sys.stderr)
                return 2
            ids = [c.id for c in uniq]
            rec = {b: recall(home, b, ids, vecs[b], a.gold, a.k) for b in backends}
            cols = [c for c in rec["torch"] if c != "questions"]
            print(f"\nrecall@{a.k} of the gold questions' evidence chunks ({rec['torch']['questions']} questions; "
                  "eval.retrieval's evaluation; points = change vs torch × 100)\n")
            print("| backend | " + " | ".join(cols) + " |")
            print("|---|" + "---:|" * len(cols))
            for b in backends:
                cells = [f"{rec[b][c]:.3f}" + ("" if b == "torch" else f" ({100 * (rec[b][c] - rec['torch'][c]):+.1f})")
                         for c in cols]
                print(f"| {b} | " + " | ".join(cells) + " |")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
