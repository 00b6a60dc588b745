"""Benchmark: template cells extracted per second over the sample corpus (parse only, no store).

    python -m eval.bench_facts [--reports DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from index.parse import parse_file
from index.readers import SUFFIXES


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "reports"
    ap.add_argument("--reports", type=Path, default=default)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    files = sorted(p for p in a.reports.iterdir() if p.suffix.lower() in SUFFIXES)
    by_fmt: dict[str, list[float]] = {}
    cells = 0
    t0 = time.perf_counter()
    for _ in range(a.repeat):
        for f in files:
            t = time.perf_counter()
            r = parse_file(f)
            by_fmt.setdefault(r.fmt, []).append(time.perf_counter() - t)
            cells += len(r.facts)
    secs = time.perf_counter() - t0
    print(f"{len(files)} reports × {a.repeat}: {cells} cells in {secs:.2f} s → {cells / secs:,.0f} cells/s, "
          f"{len(files) * a.repeat / secs:.1f} reports/s")
    for fmt, ts in sorted(by_fmt.items()):
        print(f"  {fmt:5} {sum(ts) / len(ts) * 1000:8.1f} ms per report ({len(ts)} parses)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
