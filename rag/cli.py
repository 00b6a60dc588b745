"""`gongkai ask`: one question or a JSONL batch, answers as JSON or for a person."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _print_human(a, out=sys.stdout) -> None:
    from rag.answer import answer_json

    j = answer_json(a)
    if (j.get("interpretation") or {}).get("line"):  # how the question was read, so a misreading shows at once
        print(j["interpretation"]["line"], file=out)
    mark = {True: " ✓ verified", False: " ✗ NOT verified", None: ""}[j["verified"]]
    print(f"{j['answer']}{mark}", file=out)
    for n in j["notes"]:
        print(f"  note: {n}", file=out)
    for i, c in enumerate(j["citations"], 1):
        where = f"p.{c['page']}" if c["page"] else ""
        row = f" · {c['table_row']}" if c["table_row"] else ""
        print(f"  [{i}] {c['agency']} {c['year']} · {c['section']}{row} {where} ({c['source']})", file=out)
        print(f"      {c['quote'][:240]}", file=out)


def cmd_ask(a) -> int:
    from rag.answer import Answerer, answer_json

    home = Path(a.home) if a.home else None
    answerer = Answerer(home)
    if not answerer.reports:
        print("error: the store is empty — run `gongkai ingest data/reports` (or `make run`) first", file=sys.stderr)
        return 2
    if a.batch:
        bad = 0
        src = sys.stdin if a.batch == "-" else open(a.batch, encoding="utf-8")
        with src:
            for n, line in enumerate(src, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    q = item["q"] if isinstance(item, dict) else str(item)
                except (json.JSONDecodeError, KeyError, TypeError):
                    print(f"error: {a.batch}:{n}: not a JSON line with a \"q\" field — skipped", file=sys.stderr)
                    bad += 1
                    continue
                t = time.perf_counter()
                ans = answerer.ask(q, agency=item.get("agency") or a.agency, year=item.get("year") or a.year)
                if a.json:
                    j = answer_json(ans)
                    j["seconds"] = round(time.perf_counter() - t, 4)
                    print(json.dumps(j, ensure_ascii=False), flush=True)
                else:
                    print(f"Q: {q}")
                    _print_human(ans)
                    print()
        return 1 if bad else 0
    if not a.question:
        print("error: give a question, or --batch FILE.jsonl", file=sys.stderr)
        return 2
    ans = answerer.ask(a.question, agency=a.agency, year=a.year)
    if a.json:
        print(json.dumps(answer_json(ans), ensure_ascii=False, indent=1))
    else:
        _print_human(ans)
    return 0


def register(sub) -> None:
    p = sub.add_parser("ask", help="answer a question from the ingested reports (figures cited and verified)")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true", help="print the answer object (see README for the contract)")
    p.add_argument("--batch", metavar="FILE.jsonl", help='one {"q": ...} per line ("-" for stdin)')
    p.add_argument("--agency", help="only this agency")
    p.add_argument("--year", type=int, help="only this report year")
    p.add_argument("--home", help="data folder (default $GONGKAI_HOME or ./.gongkai)")
    p.set_defaults(fn=cmd_ask)

