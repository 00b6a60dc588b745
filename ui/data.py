"""What the Figures and Reports tabs show, as pandas DataFrames read from the fact store.

No Gradio here: these functions are tested directly and the app only displays their results.
"""

from __future__ import annotations

import csv
import re
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd

from gongkai.model import Report
from index import template as T
from index.audit import cross_year
from index.store import FactStore
from index.store import open_store as _open_store
from ui.render import fmt_value

# Column names of the figures table (also the CSV header)
C_AGENCY, C_YEAR, C_METRIC, C_VALUE = "机构 agency", "年份 year", "指标 metric", "数值 value"
C_REPORT, C_ROW, C_RAW, C_PAGE, C_NOTE = "报告 report", "表格行 row label", "原文 printed", "页码 page", "备注 note"
FIGURE_COLUMNS = [C_AGENCY, C_YEAR, C_METRIC, C_VALUE, C_REPORT, C_ROW, C_RAW, C_PAGE, C_NOTE]


def _group(spec: T.RowSpec) -> str:
    return spec.group if spec.group and not spec.group.startswith("第二十条") else ""


def metrics() -> list[tuple[str, str]]:
    """Return (Chinese label, full key) for every template cell of both generations, tables 2–4."""
    out: dict[str, str] = {}
    only19 = {f"{r.key}.{c}" for r in T.T2_2019 for c in r.columns} - {
        f"{r.key}.{c}" for r in T.T2_2021 for c in r.columns}
    for rows in (T.T2_2021, T.T2_2019):
        for r in rows:
            for c in r.columns:
                k = f"{r.key}.{c}"
                edition = "（2019–2020版）" if k in only19 else ""
                out.setdefault(f"table2.{k}", f"表二 {r.label} · {T.COLUMN_LABELS[c]}{edition}")
    seen3: list[T.RowSpec] = []
    for r in (*T.T3_2019, *T.T3_2021):
        if r.key not in {s.key for s in seen3}:
            seen3.append(r)
    order = [s.key for s in T.T3_2019]
    seen3.sort(key=lambda s: order.index("other") + 0.5 if s.key.startswith("other_") else order.index(s.key))
    for r in seen3:
        group = _group(r)
        for c in r.columns:
            label = f"表三 {group + ' ' if group else ''}{r.label} · {T.COLUMN_LABELS[c]}"
            out[f"table3.{r.key}.{c}"] = label
    for g, glabel in T.T4_GROUPS:
        for c in T.T4_COLUMNS:
            out[f"table4.{g}.{c}"] = f"表四 {glabel} · {T.COLUMN_LABELS[c]}"
    return [(label, key) for key, label in out.items()]


def metric_label(key: str) -> str:
    return {k: lab for lab, k in metrics()}.get(key, key)


def open_store(home: Path) -> FactStore:
    return _open_store(home)


def filter_choices(store: FactStore) -> tuple[list[str], list[int]]:
    """Return (agencies, years) of the ready reports, sorted."""
    rows = [r for r in store.list_reports() if r["state"] == "ready"]
    agencies = sorted({r["agency"] for r in rows if r["agency"]})
    years = sorted({r["year"] for r in rows if r["year"]})
    return agencies, years


def figures(store: FactStore, key: str, agencies: list[str] | None = None,
            years: list[int] | None = None) -> pd.DataFrame:
    """Return one row per matching report: the cell's value with its source (report, row label, page)."""
    label = metric_label(key)
    rows = []
    for info in store.list_reports():
        if info["state"] != "ready":
            continue
        if agencies and info["agency"] not in agencies:
            continue
        if years and info["year"] not in {int(y) for y in years}:
            continue
        r = store.load(info["id"], with_text=False)
        if r is None:
            continue
        f = r.fact(key)
        if f is None:
            note = "旧版报告无模板表格 pre-2019 report" if r.template == "pre-2019" else "报告无此项 not in this report"
            rows.append([r.agency, r.year, label, "", r.id, "", "", "", note])
            continue
        note = "拆分有歧义 ambiguous split: " + " / ".join(f.alternatives) if f.ambiguous else ""
        if any(a.report_id == r.id and key in a.cells for a in r.audit):
            note = (note + "; " if note else "") + "勾稽不符 audit failure"
        rows.append([r.agency, r.year, label, fmt_value(f.value), r.id, short_label(f.row_label), f.raw,
                     f.span.page or "", note])
    df = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    return df.sort_values([C_AGENCY, C_YEAR], kind="stable").reset_index(drop=True)


def short_label(label: str, limit: int = 24) -> str:
    """Return a printed row label cut to its end (web-page tables often glue the headers in front)."""
    label = " ".join(label.split())
    return label if len(label) <= limit else "…" + label[-limit:]


def _number(s: object) -> float | None:
    if s is None or s == "":
        return None
    m = re.fullmatch(r"-?\d+(\.\d+)?", str(s).replace(",", ""))
    return float(Decimal(m.group(0))) if m else None


def chart_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Return (plot data with numeric values, "line" | "bar"): a line over years, or bars for one year."""
    data = pd.DataFrame({C_AGENCY: df[C_AGENCY], C_YEAR: df[C_YEAR].astype(str), C_VALUE: df[C_VALUE].map(_number)})
    data = data.dropna(subset=[C_VALUE])
    kind = "line" if data[C_YEAR].nunique() > 1 else "bar"
    return data.reset_index(drop=True), kind


def write_csv(df: pd.DataFrame, home: Path, key: str) -> Path:
    """Write exactly the shown table as UTF-8 CSV (with BOM, for Excel) under home/exports; return the path."""
    folder = home / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    safe = re.sub(r"[^\w.]+", "-", key)
    path = folder / f"{safe}-{stamp}-{uuid.uuid4().hex[:6]}.csv"
    df.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL)
    return path


AUDIT_COLUMNS = ["报告 report", "机构 agency", "年份 year", "勾稽关系 identity", "表中数 printed", "计算值 computed",
                 "单元格 cells"]


def audit_frame(store: FactStore) -> pd.DataFrame:
    """Return every failed identity of the stored reports, within a report and across years."""
    reports = store.all_reports(with_text=False)
    by_id = {r.id: r for r in reports}
    issues = [i for r in reports for i in r.audit] + cross_year(reports)
    rows = []
    for i in issues:
        r = by_id.get(i.report_id)
        rows.append([i.report_id, r.agency if r else "", r.year if r else "", i.identity, fmt_value(i.printed),
                     fmt_value(i.computed), ", ".join(i.cells)])
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


REPORT_COLUMNS = ["报告 report", "机构 agency", "年份 year", "模板 template", "表格 tables", "单元格 cells",
                  "存疑 ambiguous", "片段 chunks", "状态 state", "勾稽核对 audit", "机构来源 agency from",
                  "年份来源 year from"]
_SOURCE = {"title": "标题 title", "preamble": "前言 preamble", "period": "统计期限 period", "signature": "落款 signature",
           "filename": "文件名 file name", "": "—"}


def _tables(r: dict) -> str:
    """Tables read: "表二 表三 表四", an unreadable one marked ✗ ("表四✗ 无法读取")."""
    if r["template"] == "pre-2019":
        return "— 无模板表格 no tables"
    found = set(r.get("tables_found") or [])
    bad = set(r.get("tables_unreadable") or [])
    names = {"table2": "表二", "table3": "表三", "table4": "表四"}
    out = []
    for t, zh in names.items():
        out.append(zh if t in found else f"{zh}✗ 无法读取 unreadable" if t in bad else f"{zh}✗")
    return " ".join(out)


def reports_frame(store: FactStore) -> pd.DataFrame:
    """Return the stored reports: tables read, cells, ambiguous cells, audit status, where agency/year came from."""
    rows = []
    for r in store.list_reports():
        if r["template"] == "pre-2019":
            status = "— 无模板表格 no tables"
        elif r["audit_failures"]:
            status = f"✗ {r['audit_failures']} 项不符 failures"
        else:
            status = "✓ 通过 ok"
        rows.append([r["id"], r["agency"], r["year"], r["template"], _tables(r), r.get("cells", 0),
                     r.get("ambiguous", 0), r["chunks"], r["state"], status,
                     _SOURCE.get(r.get("agency_source", ""), r.get("agency_source", "")),
                     _SOURCE.get(r.get("year_source", ""), r.get("year_source", ""))])
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def report_choices(store: FactStore) -> list[tuple[str, str]]:
    return [(f"{r['agency']} {r['year'] or ''} · {r['id']}", r["id"]) for r in store.list_reports()]


def table2_frame(r: Report) -> pd.DataFrame:
    """Return table 2 of a report as rows (row label · column · value · printed row)."""
    specs = T.table2_rows(r.template)
    order = [f"{s.key}.{c}" for s in specs for c in s.columns]
    facts = sorted((f for f in r.facts if f.table == "table2"),
                   key=lambda f: order.index(f.key) if f.key in order else len(order))
    rows = [[T.row_label("table2", f.key.split(".")[0]), T.COLUMN_LABELS.get(f.column, f.column) or f.column,
             fmt_value(f.value), f.row_label, f.span.page or ""] for f in facts]
    return pd.DataFrame(rows, columns=["行 row", "列 column", "数值 value", "原文行 printed row", "页码 page"])


def _wide(r: Report, table: str, rows: list[tuple[str, str]], columns: tuple[str, ...]) -> pd.DataFrame:
    cells = {f.key: f for f in r.facts if f.table == table}
    out = []
    for key, label in rows:
        if not any(f"{key}.{c}" in cells for c in columns):
            continue
        out.append([label] + [fmt_value(cells[f"{key}.{c}"].value) if f"{key}.{c}" in cells else ""
                              for c in columns])
    return pd.DataFrame(out, columns=["行 row"] + [T.COLUMN_LABELS[c] for c in columns])


def table3_frame(r: Report) -> pd.DataFrame:
    """Return table 3 of a report: one row per template row, one column per applicant type."""
    specs = T.T3_2021 if any(f.key.startswith("other_1.") for f in r.facts) else T.T3_2019
    rows = [(s.key, (_group(s) + " " if _group(s).startswith("（") else "") + s.label) for s in specs]
    return _wide(r, "table3", rows, T.T3_COLUMNS)


def table4_frame(r: Report) -> pd.DataFrame:
    """Return table 4 of a report: review and litigation groups × outcomes."""
    return _wide(r, "table4", list(T.T4_GROUPS), T.T4_COLUMNS)


def report_summary(r: Report) -> str:
    """Return a short Markdown-free text summary of a report (the UI shows it as text)."""
    lines = [(f"{r.agency} · {r.year or '年份未知'} · 模板 template {r.template} · 格式 {r.fmt} · "
              f"{len(r.facts)} 个单元格 cells · 文件 {Path(r.source).name}")]
    lines += [f"勾稽不符 audit: {a.message}" for a in r.audit]
    lines += [f"提示 warning: {w}" for w in r.warnings]
    return "\n".join(lines)
