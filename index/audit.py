"""The template's arithmetic identities (勾稽关系) checked per report and across years."""

from __future__ import annotations

from gongkai.model import AuditIssue, Report
from index import template as T

T3_COLS = T.T3_COLUMNS


def _get(r: Report, key: str):
    """A cell's value for the identities; None (identity not checked) when blank, an amount, or in doubt:
    an `ambiguous` cell is the parser's reading, not what the report printed, and its doubt is already
    carried by the flag — it must not turn into a failure of the report's arithmetic."""
    f = r.fact(key)
    if f is None or f.value is None or isinstance(f.value, str) or f.ambiguous:
        return None
    return f.value


def _check(r: Report, out: list, identity: str, printed_key: str, part_keys: list[str], sign=None) -> None:
    printed = _get(r, printed_key)
    parts = [_get(r, k) for k in part_keys]
    if printed is None or any(p is None for p in parts):
        return
    sign = sign or [1] * len(parts)
    computed = sum(s * p for s, p in zip(sign, parts))
    if computed != printed:
        out.append(AuditIssue(report_id=r.id, identity=identity, cells=(printed_key, *part_keys), printed=printed,
                              computed=computed,
                              message=f"{r.id}: {identity}: {printed_key} printed {printed}, computed {computed}"))


def audit(r: Report) -> list[AuditIssue]:
    """Return every identity of report-template.md that fails in this report (printed vs computed)."""
    out: list[AuditIssue] = []
    if r.template == "pre-2019" or not r.facts:
        return out
    keys3 = {f.key.split(".")[0] for f in r.facts if f.table == "table3"}
    order = [s.key for s in (*T.T3_2019, *T.T3_2021)]
    # every result row of the template, read or not: a row the parser could not read leaves the sum unchecked
    # (its cells are None) rather than failing it
    split = any(k.startswith("table3.other_1.") for k in (*r.unread, *(f.full_key for f in r.facts)))
    sub = [s.key for s in T.table3_rows(r.template, split)
           if s.key not in ("new", "carried_over", "total", "carry_forward")]
    for c in T3_COLS:
        _check(r, out, f"表三 {T.COLUMN_LABELS[c]}列: 一+二 = （七）总计+四", f"table3.new.{c}",
               [f"table3.total.{c}", f"table3.carry_forward.{c}", f"table3.carried_over.{c}"], [1, 1, -1])
        _check(r, out, f"表三 {T.COLUMN_LABELS[c]}列: （七）总计 = 办理结果各项之和", f"table3.total.{c}",
               [f"table3.{k}.{c}" for k in sub])
    for k in sorted(keys3, key=order.index):
        _check(r, out, f"表三 {T.row_label('table3', k)}: 总计 = 自然人 + 法人或其他组织", f"table3.{k}.total",
               [f"table3.{k}.{c}" for c in T3_COLS[:6]])
    for g, glabel in T.T4_GROUPS:
        _check(r, out, f"表四 {glabel}: 总计 = 维持+纠正+其他+尚未审结", f"table4.{g}.total",
               [f"table4.{g}.{c}" for c in T.T4_COLUMNS[:4]])
    return out


def cross_year(reports: list[Report]) -> list[AuditIssue]:
    """Return carry-over failures: 二 of year N = 四 of year N−1 (same agency); 现行有效件数 roll-forward."""
    out: list[AuditIssue] = []
    by = {(r.agency, r.year): r for r in reports if r.year and r.template != "pre-2019"}
    for (agency, year), r in by.items():
        prev = by.get((agency, year - 1))
        if prev is None:
            continue
        for c in T3_COLS:
            a, b = _get(r, f"table3.carried_over.{c}"), _get(prev, f"table3.carry_forward.{c}")
            if a is not None and b is not None and a != b:
                out.append(AuditIssue(r.id, f"跨年: {year}年 二、上年结转 = {year - 1}年 四、结转下年度 ({c})",
                                      (f"table3.carried_over.{c}", f"{prev.id}:table3.carry_forward.{c}"), a, b,
                                      f"{r.id}: 上年结转 {c} printed {a}, {prev.id} 结转下年度 printed {b}"))
        if r.template == "2021" and prev.template == "2021":
            for row in ("regulations", "normative_docs"):
                now, before = _get(r, f"table2.{row}.in_force"), _get(prev, f"table2.{row}.in_force")
                iss, rep = _get(r, f"table2.{row}.issued"), _get(r, f"table2.{row}.repealed")
                if None in (now, before, iss, rep):
                    continue
                if before + iss - rep != now:
                    out.append(AuditIssue(r.id, f"跨年: 现行有效件数 {year} = {year - 1} + 制发 − 废止 ({row})",
                                          (f"table2.{row}.in_force",), now, before + iss - rep,
                                          f"{r.id}: {row} 现行有效 printed {now}, {prev.id} {before} + {iss} − {rep}"
                                          f" = {before + iss - rep}"))
    return out
