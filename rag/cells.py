"""Which template cells a question's metric means in one report, and the row text cited for them."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from gongkai.model import Fact, Report
from index import template as T
from index.numbers import to_decimal
from rag.catalog import T2_COLUMNS, T3_ORG_COLS, Concept, column_key, default_column, unit_for
from rag.question import Query


def cells_for(q: Query, concept: Concept, r: Report) -> list[str]:
    """Return the full fact keys to add up for this question in this report ([] if the cell does not exist)."""
    present = {f.full_key for f in r.facts}
    keys: list[str] = []
    for row in concept.rows:
        cols: list[str] = []
        for c in q.columns:
            if c == "org" and concept.table == "table3":
                cols = list(T3_ORG_COLS)
                break
            k = column_key(c, concept.table, r.template, row)
            if k and k not in cols:
                cols.append(k)
                if not q.sum_words:  # "维持和纠正加起来" adds the columns it names; otherwise the first one
                    break
        if not cols and concept.table == "table2" and any(c in T2_COLUMNS for c in q.columns):
            continue  # 收费的处理决定数量: the question names a column this row does not have — no cell, no default
        if not cols:
            cols = [default_column(concept, r.template, row)]
        units = {_unit(f"{concept.table}.{row}.{c}") for c in cols}
        if len(units) > 1:  # 采购项目数和总金额: a count and an amount are never added up
            fit = [c for c in cols if _unit_fits(q.unit_hint, _unit(f"{concept.table}.{row}.{c}"))]
            if len({_unit(f"{concept.table}.{row}.{c}") for c in fit}) != 1:
                return []
            cols = fit
        for c in cols:
            key = f"{concept.table}.{row}.{c}"
            if key in present:
                keys.append(key)
    return keys


def _unit(full_key: str) -> str:
    """The cell's unit; an amount printed with its own unit (采购总金额 "73802895.90元") counts as money."""
    u = unit_for(full_key)
    return u or ("元" if full_key.endswith(".amount") else u)


# the units money is printed in; a question's 金额 asks for money in whichever of them the report uses
MONEY = ("元", "万元", "亿元")


def _unit_fits(hint: str | None, unit: str) -> bool:
    if not hint:
        return False
    return hint == unit or ((hint in MONEY or hint == "金额") and unit in MONEY)


def facts_for(r: Report, keys: list[str]) -> list[Fact] | None:
    """The facts of these keys in this report; None when there are no keys or one is missing."""
    got = [r.fact(k) for k in keys]
    facts = [f for f in got if f is not None]
    return facts if keys and len(facts) == len(got) else None


def total(facts: list[Fact]):
    """Sum of cell values (int or Decimal); None if any is blank; an amount string stays as printed."""
    vals = [f.value for f in facts]
    if any(v is None for v in vals):
        return None
    if len(vals) == 1 and isinstance(vals[0], str):
        return vals[0]
    out: int | Decimal = 0
    for v in vals:
        if isinstance(v, str):
            v = to_decimal(v)
        if v is not None:
            out = out + v
    return out


def unit_of(keys: list[str], facts: list[Fact]) -> str:
    if len(facts) == 1 and isinstance(facts[0].value, str) and facts[0].value.endswith("元"):
        return "元"
    return unit_for(keys[0]) if keys else ""


def row_text(r: Report, table: str, row: str) -> str:
    """The row as a person reads it: agency, year, table, row label, each column with its value."""
    facts = [f for f in r.facts if f.table == table and f.key.split(".")[0] == row]
    if not facts:
        return ""
    label = T.row_label(table, row)
    printed = facts[0].row_label
    if printed and printed.replace(" ", "") not in label and table != "table4":
        label = f"{label}（表中：{printed}）"
    cells = " | ".join(f"{f.column} {'空' if f.value is None else f.value}" for f in facts)
    return f"{r.agency} {r.year}年 {T.TABLE_TITLES[table]} | {label} | {cells}"


def fmt(v) -> str:
    if isinstance(v, Decimal):
        s = format(v.normalize(), "f")
        return s
    return str(v)


_PCT = re.compile(r"\d\.(\d{1,3})\s*[%％]")


def share_places(q: Query, r: Report) -> int:
    """Decimal places of a computed share: as the question asks (保留两位小数); otherwise as the report itself
    prints its percentages (51.85% → 2), and one place when it prints none with decimals."""
    if q.decimals is not None:
        return q.decimals
    seen = Counter(len(m.group(1)) for m in _PCT.finditer(getattr(r, "text", "") or ""))
    return seen.most_common(1)[0][0] if seen else 1
