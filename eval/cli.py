"""`gongkai eval`: score the answer engine on gold questions, optionally beside a naive llama-index RAG.

Exit codes: 0 every threshold met, 1 below a threshold, 2 unusable input (no questions, empty store).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))


def _progress(i: int, n: int, r) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\reval {i}/{n} {'ok ' if r.correct else 'MISS'} {r.item.q[:50]}".ljust(90)[:90])
        if i == n:
            sys.stderr.write("\n")
        sys.stderr.flush()


def cmd_eval(a) -> int:
    from eval import qa, report
    from gongkai import config
    from gongkai.errors import GongkaiError

    tmp = None
    meta: dict = {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "qa_files": list(a.qa)}
    try:
        items = qa.select_split(qa.load_items(a.qa), a.split)
        meta["split"] = a.split or "all"
        if a.ingest:
            from index.ingest import ingest

            tmp = Path(tempfile.mkdtemp(prefix="gongkai-eval-"))
            t0 = time.perf_counter()
            s = ingest([Path(a.ingest)], home=tmp, progress=not a.quiet)
            meta["ingest_s"] = time.perf_counter() - t0
            meta["ingested"] = a.ingest
            meta["ingest_summary"] = s.line()
            print(f"ingest {a.ingest}: {s.line()}", file=sys.stderr)
            for _, why in s.failed:
                print(f"  failed: {why}", file=sys.stderr)
            home = tmp
        else:
            home = Path(a.home) if a.home else config.data_home()
        meta["store"] = str(home) if not tmp else "a fresh temporary folder"
        meta["vectors"] = qa.has_vectors(home)
        results = qa.run(items, home, recall=not a.no_recall, progress=None if a.quiet else _progress)
        summary = qa.summarize(results)
        base = None
        if a.baseline:
            base = _baseline(items, results, home, a.quiet)
        checks = {"figure accuracy": (summary["figure_accuracy"], a.min_figure),
                  "unanswerable accuracy": (summary["unanswerable_accuracy"], a.min_unanswerable)}
        if a.min_text is not None:
            checks["text accuracy"] = (summary["text_accuracy"], a.min_text)
        if a.min_clarify is not None:
            checks["clarify accuracy"] = (summary["clarify_accuracy"], a.min_clarify)
        if a.max_wrong is not None:  # stored negated so "got >= need" reads "wrong <= max"
            checks["wrong-figure rate (negated)"] = (-(summary["wrong_figure_rate"] or 0), -a.max_wrong)
        meta["thresholds"] = {k: (got, need, got is None or got >= need) for k, (got, need) in checks.items()}
        md = report.markdown(summary, meta, base)
        out = Path(a.out) if a.out else (Path(a.home) if a.home and not tmp else config.data_home()) / "eval" / \
            time.strftime("qa-%Y%m%d-%H%M%S")
        out.parent.mkdir(parents=True, exist_ok=True)
        md_path, json_path = out.with_name(out.name + ".md"), out.with_name(out.name + ".json")
        md_path.write_text(md, encoding="utf-8")
        doc = {"meta": {k: v for k, v in meta.items() if k != "thresholds"},
               "thresholds": {k: {"value": g, "min": n, "ok": ok} for k, (g, n, ok) in meta["thresholds"].items()},
               "summary": summary, "baseline": _strip(base), "results": qa.results_json(results)}
        json_path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        print(md)
        print(f"wrote {md_path} and {json_path}", file=sys.stderr)
        failed = [k for k, (_, _, ok) in meta["thresholds"].items() if not ok]
        if failed:
            print(f"below threshold: {', '.join(failed)}", file=sys.stderr)
            return 1
        return 0
    except GongkaiError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _baseline(items, results, home: Path, quiet: bool) -> dict:
    from eval.baseline import NaiveRAG, compare, score_baseline
    from index.store import open_store

    rows = open_store(home).list_reports()
    files = [(r["id"], r["source"]) for r in rows if r["state"] == "ready"]
    if not quiet:
        print(f"baseline: indexing {len(files)} reports with llama-index …", file=sys.stderr)
    rag = NaiveRAG(files)
    try:
        base = score_baseline(rag, items)
        return compare(items, results, rag, base)
    finally:
        rag.close()


def _strip(base: dict | None) -> dict | None:
    if base is None:
        return None
    return {k: v for k, v in base.items()}


def register(sub) -> None:
    p = sub.add_parser("eval", help="score answers, citations, retrieval and speed on gold questions",
                       description="Run gold questions through the same code as `gongkai ask` and write a Markdown "
                       "and a JSON report. Exit 1 when below a threshold (for CI).")
    p.add_argument("qa", nargs="+", metavar="QA", help="gold JSON files (their \"qa\" lists), JSONL files of "
                   '{"q","a","type","unit"?,"report"?,"evidence"?}, or folders of them')
    p.add_argument("--home", help="data folder to evaluate (default $GONGKAI_HOME or ./.gongkai)")
    p.add_argument("--ingest", metavar="DIR", help="first ingest DIR into a fresh temporary store and evaluate that")
    p.add_argument("--out", metavar="PREFIX", help="write PREFIX.md and PREFIX.json (default DATA/eval/qa-TIME)")
    p.add_argument("--min-figure", type=float, default=0.98, help="figure accuracy threshold (default 0.98)")
    p.add_argument("--min-unanswerable", type=float, default=1.0, help="unanswerable threshold (default 1.0)")
    p.add_argument("--min-text", type=float, default=None, help="text accuracy threshold (default none)")
    p.add_argument("--baseline", action="store_true", help="also score a naive llama-index RAG side by side")
    p.add_argument("--split", choices=("even", "odd", "all"), default=None,
                   help="JSONL ids 'report/N': keep the tuning half (even N), the held-out half (odd N) or all; "
                   "with all, the summary also shows each half")
    p.add_argument("--min-clarify", type=float, default=None, help="clarify threshold (default none)")
    p.add_argument("--max-wrong", type=float, default=None, help="highest wrong-figure rate allowed (default none)")
    p.add_argument("--no-recall", action="store_true", help="skip retrieval recall (faster)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(fn=cmd_eval)


def main(argv: list[str] | None = None) -> int:
    """`python -m eval.cli QA...` — the same as `gongkai eval QA...`."""
    from gongkai import config  # noqa: F401  (offline environment first)

    ap = argparse.ArgumentParser(prog="gongkai")
    sub = ap.add_subparsers(dest="cmd", required=True)
    register(sub)
    a = ap.parse_args(["eval", *(argv if argv is not None else sys.argv[1:])])
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
