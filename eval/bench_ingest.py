"""Ingest throughput and peak memory for a folder of reports (default: the bundled corpus).

    python -m eval.bench_ingest [--reports DIR]
    python -m eval.bench_ingest --backends torch,onnx,onnx-int8 [--passages 1000 --rounds 3]   # = eval.bench_embed

Ingests into a fresh temporary data folder and prints: model load time, ingest time, chunks/s and
reports/s (warm model), the time of a second run over the same files (all unchanged), and the
process's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from gongkai import config

    ap = argparse.ArgumentParser(prog="python -m eval.bench_ingest", description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=Path, default=config.bundled_reports())
    ap.add_argument("--backends", metavar="LIST",
                    help="instead: passages/s and recall@5 change per embedding backend (torch,onnx,onnx-int8) "
                         "— runs eval.bench_embed")
    a, rest = ap.parse_known_args(argv)
    if a.backends:
        from eval.bench_embed import main as bench_embed
        return bench_embed(["--backends", a.backends, *rest])
    if rest:
        ap.error(f"unrecognized arguments: {' '.join(rest)}")

    home = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ["GONGKAI_HOME"] = str(home)
    os.environ.pop("GONGKAI_CHROMA_URL", None)
    try:
        t0 = time.perf_counter()
        import index.embed as emb
        from index.ingest import ingest

        emb.model()
        spent = [0.0, 0]
        real = emb.embed

        def timed(texts):
            t = time.perf_counter()
            try:
                return real(texts)
            finally:
                spent[0] += time.perf_counter() - t
                spent[1] += len(texts)

        emb.embed = timed  # ingest imports it at call time: this measures the embedding share
        t1 = time.perf_counter()
        s = ingest([a.reports], home=home, progress=False)
        t2 = time.perf_counter()
        again = ingest([a.reports], home=home, progress=False)
        t3 = time.perf_counter()
        n_reports = len(s.added) + len(s.replaced)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(f"corpus: {a.reports} ({n_reports} reports, {s.chunks} chunks, {len(s.failed)} failed)")
        print(f"imports + model load: {t1 - t0:.1f} s")
        print(f"ingest (parse, chunk, embed, write): {t2 - t1:.1f} s → {s.chunks / (t2 - t1):.1f} chunks/s, "
              f"{n_reports / (t2 - t1):.2f} reports/s")
        print(f"  of which embedding: {spent[0]:.1f} s for {spent[1]} texts ({spent[1] / max(spent[0], 1e-9):.1f}/s)")
        print(f"second run, all unchanged: {t3 - t2:.2f} s ({again.line()})")
        print(f"peak memory (max RSS): {peak:.0f} MiB")
        print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
