"""`gongkai ingest PATH...` and `gongkai reports`; ensure_bundled() for the app's first start."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gongkai import config


def cmd_ingest(a) -> int:
    from index.ingest import ingest

    if a.workers < 1:
        print("error: --workers must be 1 or more", file=sys.stderr)
        return 2
    s = ingest([Path(p) for p in a.paths], progress=not a.no_progress, workers=a.workers)
    for _, why in s.failed:
        print(f"failed: {why}", file=sys.stderr)
    for line in s.duplicate_lines():
        print(line, file=sys.stderr)
    print(s.line(), file=sys.stderr)
    if s.recovered:
        print(f"redone after an interrupted run: {', '.join(s.recovered)}", file=sys.stderr)
    return 1 if s.failed else 0


def cmd_reports(a) -> int:
    from index.store import open_store

    rows = open_store(config.data_home()).list_reports()
    if a.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("no reports indexed — run `gongkai ingest PATH...`", file=sys.stderr)
        return 0
    print(f"{'id':28} {'agency':34} {'year':>4} {'template':8} {'tables':7} {'cells':>5} {'ambig':>5} {'audit':>5} "
          f"{'agency from':11} {'year from':9} {'chunks':>6}  state")
    for r in rows:
        print(f"{r['id'][:28]:28} {(r['agency'] or '?')[:17]:\u3000<17} {r['year'] or '?':>4} {r['template']:8} "
              f"{tables_cell(r):7} {r['cells']:>5} {r['ambiguous']:>5} {r['audit_failures']:>5} "
              f"{r['agency_source'] or '?':11} {r['year_source'] or '?':9} {r['chunks']:>6}  {r['state']}")
    for r in rows:
        for t in r["tables_unreadable"]:
            print(f"unreadable: {r['id']}: table {t[-1]} could not be read in this report — answers that need it say so; "
                  "`gongkai facts FILE` shows why")
    seen = set()
    for r in rows:
        group = tuple(sorted([r["id"], *r["conflicts"]]))
        if r["conflicts"] and group not in seen:
            seen.add(group)
            print(f"conflict: {r['agency']} {r['year']} has {len(group)} different reports ({', '.join(group)}) — "
                  "answers cite all of them; remove the file that is not the published report and ingest again")
    print(f"{len(rows)} reports, {sum(r['chunks'] for r in rows)} chunks", file=sys.stderr)
    return 0


def tables_cell(r: dict) -> str:
    """The template tables read, e.g. "2 3 4", or "2 3 -4" when table 4 is there but could not be read."""
    if r["template"] == "pre-2019":
        return "—"
    found = {t[-1] for t in r["tables_found"]}
    bad = {t[-1] for t in r["tables_unreadable"]}
    return " ".join(t if t in found else f"-{t}" if t in bad else "·" for t in "234")


def ensure_bundled(home: Path | None = None, progress: bool = True):
    """Ingest the bundled demo reports if the data folder has no reports; else finish any interrupted ingest.

    Returns the IngestSummary.
    """
    from index.ingest import ingest
    from index.store import open_store

    home = Path(home) if home else config.data_home()
    store = open_store(home)
    try:
        empty = not store.list_reports()
    finally:
        store.close()
    return ingest([config.bundled_reports()] if empty else [], home=home, progress=progress)


def register(sub) -> None:
    p = sub.add_parser("ingest", help="parse report files/folders into the fact store and the search index")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files (PDF, DOCX, HTML, TXT, MD) or folders")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="ingest processes on this machine (several machines: see README, Several machines)")
    p.set_defaults(fn=cmd_ingest)
    p = sub.add_parser("reports", help="list the indexed reports (id, agency, year, template, tables read, cells, ambiguous cells, "
                       "audit failures, where agency and year came from, chunks)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_reports)
