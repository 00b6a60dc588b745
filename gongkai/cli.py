"""The `gongkai` command: nouns and verbs over reports, the index and answers.

The library raises GongkaiError subclasses; here they become one-line messages and exit codes
(0 ok, 1 some inputs failed, 2 usage / nothing usable).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gongkai import config  # noqa: F401  (sets the offline environment first)
from gongkai.errors import GongkaiError


def _files(paths: list[str]) -> list[Path]:
    from index.readers import SUFFIXES

    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out


def cmd_facts(a) -> int:
    from index.export import report_json
    from index.parse import parse_file

    try:
        r = parse_file(a.path)
    except GongkaiError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if a.json:
        print(json.dumps(report_json(r), ensure_ascii=False, indent=1))
        return 0
    print(f"{r.id}: {r.agency or '?'} (from the {r.agency_source or '—'}) · {r.year or '?'} (from the "
          f"{r.year_source or '—'}) · template {r.template} · {r.fmt} · {len(r.facts)} cells "
          f"({sum(f.ambiguous for f in r.facts)} ambiguous, {len(r.unread)} not read) · "
          f"{len(r.narrative)} narrative figures")
    for t in r.tables_unreadable:
        print(f"  table {t[-1]} could not be read in this report")
    for f in r.facts:
        flag = "  (ambiguous split)" if f.ambiguous else ""
        where = f"p.{f.span.page}" if f.span.page else f"@{f.span.start}"
        print(f"  {f.full_key:40} {str(f.value):>14}   {f.row_label[-24:]} | {f.column} [{where}]{flag}")
    for n in r.narrative:
        print(f"  narrative {n.value}{n.unit}: {n.quote[:70]}")
    for i in r.audit:
        print(f"  AUDIT {i.message}")
    for w in r.warnings:
        print(f"  warning: {w}")
    return 0


def cmd_audit(a) -> int:
    from index.audit import cross_year
    from index.parse import parse_file

    reports, failed = [], 0
    if a.paths:
        for p in _files(a.paths):
            try:
                reports.append(parse_file(p))
            except GongkaiError as e:
                print(f"error: {e}", file=sys.stderr)
                failed += 1
    else:
        from index.store import open_store
        store = open_store(config.data_home())
        reports = store.all_reports(with_text=False)
    issues = [i for r in reports for i in r.audit] + cross_year(reports)
    for i in issues:
        print(i.message)
    for r in reports:  # a table the report has but the parser could not read: its identities went unchecked
        for t in r.tables_unreadable:
            print(f"{r.id}: table {t[-1]} could not be read in this report — its identities are not checked")
    print(f"{len(reports)} reports checked, {len(issues)} identity failures", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="gongkai", description="Government information disclosure annual reports: "
                                 "facts, index, answers.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("facts", help="parse one report file and print its metadata and facts")
    p.add_argument("path")
    p.add_argument("--json", action="store_true", help="one JSON object shaped like a gold file")
    p.set_defaults(fn=cmd_facts)
    p = sub.add_parser("audit", help="list arithmetic identity failures (files, or the store)")
    p.add_argument("paths", nargs="*")
    p.set_defaults(fn=cmd_audit)
    _more_commands(sub)
    a = ap.parse_args(argv)
    try:
        return a.fn(a)
    except GongkaiError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _more_commands(sub) -> None:
    """Commands of index/, rag/, ui/, eval/ register here (imported lazily so `facts` stays fast)."""
    from gongkai import commands

    commands.register(sub)


if __name__ == "__main__":
    sys.exit(main())
