"""Plain-text table layouts for eval.shapes, written straight from a report's cells (tables 2–4 as lines):

  split3  table 3 printed as sub-tables by applicant columns (表3-1 自然人; 表3-2 the five 法人或其他组织
          columns and 总计; kind "three": 总计 a third sub-table), cells separated by full-width spaces
  dots    a Word-to-text export: "label……cells" with dot leaders, counts carrying units ("38件"), table 3's
          two-row header on one line, table 4 one line per group
  pipes   " | "-separated rows with no header rows at all, table 2's rows shuffled, each group label an
          extra first cell on its group's first row, blank cells empty, table 4 one line of 15 numbers
  glued   PDF text: the numbers glued to the label ("（一）予以公开4 1  0 0 1 0  6"), long labels wrapped
          with the numbers in the middle, a page footer, blanks as — or / (a blank row with no cells at
          all, a blank glued to its label: "行政强制/"), table 4's 15 numbers wrapped
          over two lines under a spanned header
"""

from __future__ import annotations

import random

from index import template as T

TEXT_CLASSES = ("split3", "dots", "pipes", "glued")
KINDS = {"split3": ("two", "three"), "dots": ("plain",), "pipes": ("plain",), "glued": ("plain",)}
FS = "\u3000"  # full-width space
_COUNT_ROWS_2019 = ("new_made", "new_published", "total_published", "prev_items", "decisions", "items")


def _t2_groups(template: str) -> list[tuple[str, list[T.RowSpec]]]:
    out: list[tuple[str, list[T.RowSpec]]] = []
    for spec in T.table2_rows(template):
        if not out or out[-1][0] != spec.group:
            out.append((spec.group, []))
        out[-1][1].append(spec)
    return out


def _t3_lines(template: str, split: bool) -> list[tuple[str, T.RowSpec | None]]:
    """Table 3's label lines in order: group headings alone (spec None), then each row's label."""
    out: list[tuple[str, T.RowSpec | None]] = []
    group = ""
    for spec in T.table3_rows(template, split):
        if spec.key == "granted":
            out.append(("三、本年度办理结果", None))
        if spec.group.startswith("（") and spec.group != group:
            out.append((spec.group, None))
        group = spec.group
        out.append((spec.label, spec))
    return out


def _v(cells: dict[str, str], key: str, blank: str = "—", unit: str = "") -> str:
    v = cells[key]
    return blank if v in ("", "—", "/") else v + unit


def tables(cls: str, kind: str, template: str, cells: dict[str, str], seed: str) -> dict[str, list[str]]:
    """Lines of tables 2, 3 and 4 ("t2", "t3", "t4") in layout `cls`."""
    rng = random.Random(seed)
    split = "table3.other_1.total" in cells
    t3 = _t3_lines(template, split)
    heads2 = {s.key: [T.column_label("table2", template, s.key, c) for c in s.columns] for s in T.table2_rows(template)}
    if cls == "split3":
        parts = [("表3-1", ("natural",), "自然人", "项目　自然人"),
                 ("表3-2", T.T3_COLUMNS[1:6] if kind == "three" else T.T3_COLUMNS[1:], "法人或其他组织",
                  "项目　法人或其他组织" + FS * 5 + ("" if kind == "three" else "总计") + "\n"
                  + FS + FS.join(T.COLUMN_LABELS[c] for c in T.T3_COLUMNS[1:6]))]
        if kind == "three":
            parts.append(("表3-3", ("total",), "总计", "项目　总计"))
        l2: list[str] = []
        for group, specs in _t2_groups(template):
            l2 += [group, FS.join(["信息内容", *heads2[specs[0].key]])]
            for s in specs:
                vals = [_v(cells, f"table2.{s.key}.{c}") for c in s.columns]
                vals = ["+" + x if c == "change" and x not in ("0", "—") and not x.startswith("-") else x
                        for c, x in zip(s.columns, vals)]
                l2.append(FS.join([s.label, *vals]))
        l3: list[str] = []
        for name, cols, what, head in parts:
            l3 += ["", f"{name}　收到和处理政府信息公开申请情况（{what}）", *head.split("\n")]
            for label, spec in t3:
                l3.append(label if spec is None else FS.join([label, *(_v(cells, f"table3.{spec.key}.{c}") for c in cols)]))
        heads4 = FS.join(T.COLUMN_LABELS[c] for c in T.T4_COLUMNS)
        l4 = ["行政复议" + FS * 5 + "行政诉讼", FS * 5 + "未经复议直接起诉" + FS * 5 + "复议后起诉",
              FS.join([heads4] * 3), FS.join(_v(cells, f"table4.{g}.{c}") for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS)]
        return {"t2": l2, "t3": l3, "t4": l4}
    if cls == "dots":
        sep = FS * 2

        def dots(label: str, vals: list[str]) -> str:
            return label + "…" * max(2, 22 - len(label)) + sep.join(vals)

        l2 = []
        for group, specs in _t2_groups(template):
            l2 += [group, dots("信息内容", heads2[specs[0].key])]
            for s in specs:
                l2.append(dots(s.label, [_v(cells, f"table2.{s.key}.{c}", unit="件" if c in (
                    "issued", "repealed", "in_force", "decisions", *_COUNT_ROWS_2019) else "") for c in s.columns]))
        l3 = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
              dots("申请人情况", ["自然人", "法人或其他组织：商业企业", *(T.COLUMN_LABELS[c] for c in T.T3_COLUMNS[2:])])]
        for label, spec in t3:
            l3.append(label if spec is None else
                      dots(label, [_v(cells, f"table3.{spec.key}.{c}", unit="件") for c in T.T3_COLUMNS]))
        l4 = ["（每栏依次为：" + FS.join(T.COLUMN_LABELS[c] for c in T.T4_COLUMNS) + "）"]
        for (g, _), name in zip(T.T4_GROUPS, ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
            l4.append(dots(name, [_v(cells, f"table4.{g}.{c}", unit="件") for c in T.T4_COLUMNS]))
        return {"t2": l2, "t3": l3, "t4": l4}
    if cls == "pipes":
        rows2 = [s for _, specs in _t2_groups(template) for s in specs]
        rng.shuffle(rows2)
        l2 = [" | ".join([s.label, *(_v(cells, f"table2.{s.key}.{c}", blank="") for c in s.columns)]) for s in rows2]
        l3 = []
        lead: list[str] = []
        for label, spec in t3:
            if spec is None:
                lead.append(label)
                continue
            l3.append(" | ".join([*lead, label, *(_v(cells, f"table3.{spec.key}.{c}", blank="") for c in T.T3_COLUMNS)]))
            lead = []
        l4 = [" | ".join(_v(cells, f"table4.{g}.{c}", blank="") for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS)]
        return {"t2": l2, "t3": l3, "t4": l4}
    # glued
    def sp() -> str:
        return " " if rng.random() < 0.8 else "  "

    def row(label: str, vals: list[str]) -> list[str]:
        if len(vals) == 7 and set(vals) == {blank} and rng.random() < 0.5:
            return [label]  # a blank row printed with no cells at all
        nums = sp().join(vals)
        if len(label) > 16 and rng.random() < 0.7:  # wrapped: the numbers after the label's first line
            cut = rng.randrange(12, len(label) - 2)
            return [label[:cut] + nums, label[cut:]]
        return [label + nums]

    blank = "—" if rng.random() < 0.5 else "/"
    l2 = []
    for group, specs in _t2_groups(template):
        l2 += [group, " ".join(["信息内容", *heads2[specs[0].key]])]
        for s in specs:
            l2 += row(s.label, [_v(cells, f"table2.{s.key}.{c}", blank=blank) for c in s.columns])
    l3 = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人 法人或其他组织 总计",
          " ".join(T.COLUMN_LABELS[c] for c in T.T3_COLUMNS[1:6])]
    for i, (label, spec) in enumerate(t3):
        l3 += [label] if spec is None else row(label, [_v(cells, f"table3.{spec.key}.{c}", blank=blank)
                                                       for c in T.T3_COLUMNS])
        if i == len(t3) // 2:
            l3.append(f"— {rng.randrange(2, 5)} —")
    heads4 = " ".join(T.COLUMN_LABELS[c] for c in T.T4_COLUMNS)
    nums4 = [_v(cells, f"table4.{g}.{c}", blank=blank) for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS]
    cut = rng.choice((5, 8, 10))
    l4 = ["行政复议 行政诉讼", f"{heads4} 未经复议直接起诉 复议后起诉", f"{heads4} {heads4}",
          " ".join(nums4[:cut]), " ".join(nums4[cut:])]
    return {"t2": l2, "t3": l3, "t4": l4}
