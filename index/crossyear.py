"""Glued table-2 runs settled by the same agency's neighbouring reports.

Table 2 has no identity inside a row, so a run like "行政规范性文件693665" keeps several readings
(`ambiguous`). Across years the template does relate its cells:

- 2021+: 现行有效件数(N) = 现行有效件数(N−1) + 本年制发件数(N) − 本年废止件数(N)
- 2019–2020: 上一年项目数量(N+1) = 上一年项目数量(N) + 本年增/减(N)

When the report of the year before or after is stored (and its cells there are not in doubt), the
readings that break the relation are dropped; one reading left settles the row, and the fact says so.
"""

from __future__ import annotations

import dataclasses

from gongkai.model import Fact, Report
from index.numbers import parse_number

ROLL_ROWS = ("regulations", "normative_docs")
ITEM_ROWS = ("licensing", "other_services", "penalty", "coercion", "fees")


def _sure(r: Report | None, key: str):
    """The value of a cell that is not in doubt (int), else None."""
    if r is None:
        return None
    f = r.fact(key)
    if f is None or f.ambiguous or not isinstance(f.value, int):
        return None
    return f.value


def _readings(facts: list[Fact]) -> list[tuple[str, ...]]:
    """The row's readings: the kept one first, then its alternatives (cells joined by spaces)."""
    best = tuple(f.raw for f in facts)
    out = [best]
    for alt in facts[0].alternatives or next((f.alternatives for f in facts if f.alternatives), ()):
        cells = tuple(alt.split(" "))
        if len(cells) == len(best) and cells not in out:
            out.append(cells)
    return out


def _checks(r: Report, row: str, cols: tuple[str, ...], cells: tuple[str, ...], prev: Report | None,
            nxt: Report | None) -> tuple[int, int]:
    """(relations that hold, relations checked) for one reading of a row."""
    v = dict(zip(cols, (parse_number(c) or 0 for c in cells), strict=True))
    held = checked = 0
    if cols == ("issued", "repealed", "in_force"):
        before = _sure(prev, f"table2.{row}.in_force")
        if before is not None:
            checked += 1
            held += before + v["issued"] - v["repealed"] == v["in_force"]
        after = [_sure(nxt, f"table2.{row}.{c}") for c in cols]
        if None not in after:
            checked += 1
            held += v["in_force"] + after[0] - after[1] == after[2]
    elif cols[:2] == ("prev_items", "change"):
        after = _sure(nxt, f"table2.{row}.prev_items")
        if after is not None:
            checked += 1
            held += v["prev_items"] + v["change"] == after
        before = [_sure(prev, f"table2.{row}.{c}") for c in ("prev_items", "change")]
        if None not in before:
            checked += 1
            held += before[0] + before[1] == v["prev_items"]
    return held, checked


def _keep(r: Report, facts: list[Fact], keep: list[tuple[str, ...]]) -> str:
    """Rewrite one row's facts in r to the readings kept (the first as the value, the rest as alternatives of
    the cells they still differ in); return "settled" or "narrowed to N readings"."""
    others = tuple(" ".join(c) for c in keep[1:])
    new = {}
    for i, f in enumerate(facts):
        amb = len(keep) > 1 and any(c[i] != keep[0][i] for c in keep[1:])
        new[f.full_key] = dataclasses.replace(f, raw=keep[0][i], value=parse_number(keep[0][i]),
                                              ambiguous=amb, alternatives=others if amb else ())
    r.facts = [new.get(f.full_key, f) for f in r.facts]
    return "settled" if len(keep) == 1 else f"narrowed to {len(keep)} readings"


def settle(r: Report, neighbours: list[Report]) -> list[str]:
    """Settle r's ambiguous table-2 rows with the neighbouring years' reports (same agency); return notes.

    r.facts is replaced in place for each row the relations settle or narrow."""
    if r.year is None:
        return []
    by_year = {n.year: n for n in neighbours if n.agency == r.agency and n.id != r.id}
    prev, nxt = by_year.get(r.year - 1), by_year.get(r.year + 1)
    if prev is None and nxt is None:
        return []
    notes = []
    rows: dict[str, list[Fact]] = {}
    for f in r.facts:
        if f.table == "table2":
            rows.setdefault(f.key.split(".")[0], []).append(f)
    for row, facts in rows.items():
        if not any(f.ambiguous for f in facts):
            continue
        cols = tuple(f.key.split(".")[1] for f in facts)
        scored = [(c, *_checks(r, row, cols, c, prev, nxt)) for c in _readings(facts)]
        if not any(checked for _, _, checked in scored):
            continue
        keep = [c for c, held, checked in scored if held == checked]
        if not keep or len(keep) == len(scored):
            continue
        used = ", ".join(x.id for x in (prev, nxt) if x is not None)
        notes.append(f"table2: row '{row}' {_keep(r, facts, keep)} by the cross-year relation with {used}: "
                     f"{' '.join(keep[0])}")
    r.warnings.extend(notes)
    return notes


def _row_words(row: str) -> tuple[str, ...]:
    """How a report's text names a table-2 row: its printed label, and without 行政/政府 (规范性文件, 集中采购)."""
    from index import template as T

    label = T.row_label("table2", row)
    short = label[2:] if label[:2] in ("行政", "政府") and len(label) >= 6 else ""
    return tuple(w for w in (label, short) if w)


def _last_row_named(context: str) -> str | None:
    """The table-2 row whose name stands last in the words before a number ("行政许可类37条，行政处罚类" →
    penalty): the number is that row's."""
    from index import template as T

    best, at = None, -1
    for spec in T.T2_2021 + T.T2_2019:
        for w in _row_words(spec.key):
            i = context.rfind(w)
            if i >= 0 and i + len(w) > at:
                best, at = spec.key, i + len(w)
    return best


def settle_by_text(r: Report) -> list[str]:
    """Settle r's ambiguous table-2 rows with the numbers its own text states for them ("行政处罚类103条",
    "现行有效行政规范性文件698件"): the readings holding the most of those numbers are kept, when that is fewer
    than all; a reading none of them matches is never chosen this way, nor by a one-digit number. r.facts is
    replaced in place."""
    notes = []
    rows: dict[str, list[Fact]] = {}
    for f in r.facts:
        if f.table == "table2":
            rows.setdefault(f.key.split(".")[0], []).append(f)
    for row, facts in rows.items():
        if not any(f.ambiguous for f in facts):
            continue
        # two digits at least: a one-digit number stands among a glued row's readings by chance too often
        stated = {str(n.value) for n in r.narrative
                  if n.unit in ("件", "条", "项", "个", "宗") and _last_row_named(n.context) == row and
                  len(str(n.value)) >= 2}
        if not stated:
            continue
        readings = _readings(facts)
        scored = [(c, sum(1 for v in stated if v in c)) for c in readings]
        best = max(s for _, s in scored)
        keep = [c for c, s in scored if s == best]
        if best == 0 or len(keep) == len(readings):
            continue
        notes.append(f"table2: row '{row}' {_keep(r, facts, keep)} by the figures its text states "
                     f"({', '.join(sorted(stated))}): {' '.join(keep[0])}")
    r.warnings.extend(notes)
    return notes
