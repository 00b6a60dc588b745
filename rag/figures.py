"""Figure operations over the facts of resolved reports: one cell or a sum, a year-on-year difference, a
trend, a ranking, a share — each answer with its cells cited, verified, and its reading shown."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from gongkai.model import Answer, Citation, Fact, Report
from index import template as T
from rag.catalog import T3_RESULT_ROWS, Concept, cell_label
from rag.cells import cells_for, facts_for, fmt, row_text, share_places, total, unit_of
from rag.question import Query
from rag.verify import fact_ok

SECTION_OF_TABLE = {"table2": "二、主动公开政府信息情况", "table3": "三、收到和处理政府信息公开申请情况",
                    "table4": "四、政府信息公开行政复议、行政诉讼情况"}
OP_NAMES = {"value": ("数值", "value"), "sum": ("求和", "sum"), "compare": ("年度差", "year-on-year difference"),
            "trend": ("历年", "trend"), "rank": ("排序取最", "ranking"), "share": ("占比", "share"),
            "narrative": ("报告正文数字", "figure from the report text"), "difference": ("两项之差", "difference")}


def interpretation(q: Query, agencies: list[str], years: list, keys: list[str], op: str, template: str = "2021",
                   extra: str = "") -> dict:
    """The reading of a figure question, for the JSON and the one line shown above the answer."""
    zh = q.lang == "zh"
    cells = [{"key": k, "label": cell_label(k, template)} for k in keys]
    ys = [y for y in years if y]
    who = "、".join(agencies) if zh else ", ".join(agencies)
    what = " + ".join(c["label"] for c in cells) if cells else extra
    opn = OP_NAMES.get(op, (op, op))[0 if zh else 1]
    parts = [p for p in (who, "、".join(map(str, ys)) if zh else ", ".join(map(str, ys)), what) if p]
    tail = "" if op in ("value", "sum") else f"（{opn}）" if zh else f" ({opn})"
    line = ("按：" if zh else "Read as: ") + " · ".join(parts) + tail
    return {"agency": agencies[0] if len(agencies) == 1 else agencies, "years": ys, "cells": cells,
            "operation": op, "line": line}


class FigureOps:
    """Mixed into the Answerer: needs `self.squeezed` (report id → whitespace-free text)."""

    squeezed: Mapping[str, str]

    # ------------------------------------------------------------ one report, one cell or a sum
    def _value(self, q: Query, ans: Answer, concept: Concept, reports: list[Report]) -> Answer | None:
        """The cell (or implied sum) in each report; None when no report has it."""
        zh = q.lang == "zh"
        results = []
        for r in reports:
            keys = cells_for(q, concept, r)
            facts = facts_for(r, keys)
            if facts is None:
                continue
            results.append((r, keys, facts, total(facts)))
        if not results or all(v is None for *_, v in results):
            return None
        r, keys, facts, value = results[0]
        unit = unit_of(keys, facts)
        ans.kind = "figure"
        from index.numbers import to_decimal
        ans.value = to_decimal(value) if isinstance(value, str) else value
        ans.unit = unit or None
        name = self._metric_name(q, keys, r)
        parts = ""
        if len(facts) > 1:
            parts = " = " + " + ".join(f"{self._cell_name(f)} {fmt(f.value)}" for f in facts)
        val = fmt(value)
        if zh:
            ans.answer = f"{r.agency}{r.year}年{name}：{val}{unit if not val.endswith(unit) else ''}{parts}。"
        else:
            ans.answer = f"{r.agency} ({r.year}), {name}: {val}{' ' + unit if unit and not val.endswith(unit) else ''}" \
                         f"{parts}."
        for rr, _k2, f2, v2 in results[1:]:
            ans.answer += (f" 另一份报告 {rr.id}：{fmt(v2)}。" if zh else f" Another report ({rr.id}): {fmt(v2)}.")
            ans.citations.extend(self._cite_facts(rr, f2))
        ans.citations[:0] = self._cite_facts(r, facts)
        ans.interpretation = interpretation(q, [r.agency], [r.year], keys, "sum" if len(keys) > 1 else "value",
                                            r.template)
        self._verify_facts(ans, [(r, facts)] + [(rr, f2) for rr, _, f2, _ in results[1:]])
        return ans

    def _series(self, q: Query, concept: Concept, reports: Sequence[Report]):
        out = []
        for r in sorted(reports, key=lambda x: (x.year or 0, x.agency)):
            keys = cells_for(q, concept, r)
            facts = facts_for(r, keys)
            if facts is not None and total(facts) is not None and not isinstance(total(facts), str):
                out.append((r, keys, facts, total(facts)))
        return out

    def _compare(self, q: Query, ans: Answer, concept: Concept, reports: list[Report]) -> Answer | None:
        zh = q.lang == "zh"
        order = q.years if len(q.years) >= 2 else sorted({r.year for r in reports if r.year}, reverse=True)[:2]
        got = {}
        for y in order[:2]:
            s = self._series(q, concept, [x for x in reports if x.year == y])
            if not s:
                return None
            got[y] = s[0]
        (y1, (r1, k1, f1, v1)), (y2, (r2, _k2, f2, v2)) = list(got.items())[:2]
        if q.diff_dir < 0:  # "2024年比2023年少了多少": the amount by which it is smaller
            (y1, r1, k1, f1, v1), (y2, r2, f2, v2) = (y2, r2, _k2, f2, v2), (y1, r1, f1, v1)
        diff = v1 - v2
        ans.kind, ans.value, ans.unit = "figure", diff, unit_of(k1, f1)
        name = self._metric_name(q, k1, r1)
        word = ("增加" if diff > 0 else "减少" if diff < 0 else "持平") if zh else \
            ("up" if diff > 0 else "down" if diff < 0 else "unchanged")
        ans.answer = (f"{r1.agency}{name}：{y1}年 {fmt(v1)}，{y2}年 {fmt(v2)}，{y1}年比{y2}年{word} {fmt(abs(diff))}"
                      f"（{y1} − {y2} = {fmt(diff)}）。" if zh else
                      f"{r1.agency}, {name}: {y1} {fmt(v1)}, {y2} {fmt(v2)} — {word} {fmt(abs(diff))} "
                      f"({y1} − {y2} = {fmt(diff)}).")
        ans.citations = self._cite_facts(r1, f1) + self._cite_facts(r2, f2)
        ans.interpretation = interpretation(q, [r1.agency], [y1, y2], k1, "compare", r1.template)
        self._verify_facts(ans, [(r1, f1), (r2, f2)])
        return ans

    def _sum_reports(self, q: Query, ans: Answer, concept: Concept, reports: list[Report]) -> Answer | None:
        """One cell added over several reports (years or agencies) the question names with a sum word."""
        zh = q.lang == "zh"
        series = self._series(q, concept, reports)
        if len(series) < len({(r.agency, r.year) for r in reports}):
            return None  # a year/agency without the cell: no partial sum
        v = sum(x[3] for x in series)
        r0, k0 = series[0][0], series[0][1]
        ans.kind, ans.value, ans.unit = "figure", v, unit_of(k0, series[0][2])
        name = self._metric_name(q, k0, r0)
        parts = " + ".join(f"{r.agency if len({x[0].agency for x in series}) > 1 else ''}{r.year}年 {fmt(val)}"
                           for r, _, _, val in series)
        ans.answer = (f"{name}合计：{fmt(v)} = {parts}。" if zh else f"{name}, total: {fmt(v)} = {parts}.")
        for r, _, f, _ in series:
            ans.citations.extend(self._cite_facts(r, f))
        ans.interpretation = interpretation(q, sorted({r.agency for r, *_ in series}),
                                            sorted({r.year for r, *_ in series}), k0, "sum", r0.template)
        self._verify_facts(ans, [(r, f) for r, _, f, _ in series])
        return ans

    def _agency_diff(self, q: Query, ans: Answer, concept: Concept, agencies: list[str], years: list,
                     larger_first: bool) -> Answer | None:
        """One cell of two agencies, the difference: first named minus second (or the larger minus the other)."""
        zh = q.lang == "zh"
        got = []
        for i, ag in enumerate(agencies):
            rs = [r for r in self.by(ag, None) if not years or r.year == years[i]]  # type: ignore[attr-defined]
            if len(rs) != 1:
                return None  # no year named and several reports, or none: not for guessing
            s = self._series(q, concept, rs)
            if not s:
                return None
            got.append(s[0])
        if larger_first:
            got.sort(key=lambda x: x[3], reverse=True)
        elif q.diff_dir < 0:
            got.reverse()
        (r1, k1, f1, v1), (r2, k2, f2, v2) = got
        diff = v1 - v2
        ans.kind, ans.value, ans.unit = "figure", diff, unit_of(k1, f1)
        name = self._metric_name(q, k1, r1)
        ans.answer = (f"{name}：{r1.agency}{r1.year}年 {fmt(v1)}，{r2.agency}{r2.year}年 {fmt(v2)}，相差 {fmt(diff)}"
                      f"（{r1.agency} − {r2.agency}）。" if zh else
                      f"{name}: {r1.agency} ({r1.year}) {fmt(v1)}, {r2.agency} ({r2.year}) {fmt(v2)}; difference "
                      f"{fmt(diff)} ({r1.agency} − {r2.agency}).")
        ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year} for r in (r1, r2)]
        ans.citations = self._cite_facts(r1, f1) + self._cite_facts(r2, f2)
        ans.interpretation = interpretation(q, [r1.agency, r2.agency], [r1.year, r2.year], k1, "difference", r1.template)
        self._verify_facts(ans, [(r1, f1), (r2, f2)])
        return ans

    def _row_diff(self, q: Query, ans: Answer, concepts: list[Concept], r: Report) -> Answer | None:
        """The difference between two rows of one report ("予以公开的比部分公开的多多少")."""
        got = [self._series(q, c, [r]) for c in concepts]
        if not all(got):
            return None
        return self._difference(q, ans, r, got[0][0], got[1][0])

    def _column_diff(self, q: Query, ans: Answer, concept: Concept, r: Report) -> Answer | None:
        """The difference between two columns of one row ("个人申请比企业多多少"): first named minus second."""
        got = []
        for col in q.column_order[:2]:
            s = self._series(replace(q, columns=(col,), sum_words=False), concept, [r])
            if not s:
                return None
            got.append(s[0])
        if len(got) < 2 or got[0][1] == got[1][1]:
            return None
        return self._difference(q, ans, r, got[0], got[1])

    def _difference(self, q: Query, ans: Answer, r: Report, first, second) -> Answer:
        """first − second (second − first when the question says 少), two series points of one report."""
        (_, k1, f1, v1), (_, k2, f2, v2) = first, second
        if q.diff_dir < 0:
            (k1, f1, v1), (k2, f2, v2) = (k2, f2, v2), (k1, f1, v1)
        diff = v1 - v2
        zh = q.lang == "zh"
        ans.kind, ans.value, ans.unit = "figure", diff, unit_of(k1, f1)
        n1, n2 = self._metric_name(q, k1, r), self._metric_name(q, k2, r)
        ans.answer = (f"{r.agency}{r.year}年：{n1} {fmt(v1)} − {n2} {fmt(v2)} = {fmt(diff)}。" if zh else
                      f"{r.agency} ({r.year}): {n1} {fmt(v1)} − {n2} {fmt(v2)} = {fmt(diff)}.")
        ans.citations = self._cite_facts(r, f1) + self._cite_facts(r, f2)
        ans.interpretation = interpretation(q, [r.agency], [r.year], k1 + k2, "difference", r.template)
        self._verify_facts(ans, [(r, f1 + f2)])
        return ans

    def _trend(self, q: Query, ans: Answer, concept: Concept, reports: list[Report]) -> Answer | None:
        zh = q.lang == "zh"
        series = self._series(q, concept, reports)
        if not series:
            return None
        ans.kind = "figure"
        ans.value = None
        r0 = series[0][0]
        name = self._metric_name(q, series[0][1], r0)
        pts = "，".join(f"{r.year}年 {fmt(v)}" for r, _, _, v in series) if zh else \
            ", ".join(f"{r.year}: {fmt(v)}" for r, _, _, v in series)
        ans.answer = f"{r0.agency}{name}历年：{pts}。" if zh else f"{r0.agency}, {name} by year: {pts}."
        for r, _, f, _ in series:
            ans.citations.extend(self._cite_facts(r, f))
        ans.interpretation = interpretation(q, [r0.agency], [r.year for r, *_ in series], series[0][1], "trend",
                                            r0.template)
        self._verify_facts(ans, [(r, f) for r, _, f, _ in series])
        return ans

    def _rank(self, q: Query, ans: Answer, concept: Concept, pool: Sequence[Report]) -> Answer | None:
        """The largest (smallest) among the reports in the pool: named agencies, or one agency's years."""
        zh = q.lang == "zh"
        rows = self._series(q, concept, pool)
        if not rows:
            return None
        rows.sort(key=lambda x: x[3], reverse=q.rank_dir == "max")
        r, keys, facts, v = rows[0]
        if len(rows) > 1 and rows[1][3] == v:
            ans.notes.append("并列：" + "、".join(f"{x.agency} {x.year}" for x, _, _, vv in rows if vv == v) if zh else
                             "Tied: " + ", ".join(f"{x.agency} {x.year}" for x, _, _, vv in rows if vv == v))
        name = self._metric_name(q, keys, r)
        listing = "；".join(f"{x.agency} {x.year}年 {fmt(val)}" for x, _, _, val in rows[:10])
        ans.kind, ans.value, ans.unit = "figure", v, unit_of(keys, facts)
        ans.reports = [{"id": x.id, "agency": x.agency, "year": x.year} for x, *_ in rows]
        ans.answer = (f"{name}{'最多' if q.rank_dir == 'max' else '最少'}的是{r.agency}（{r.year}年）：{fmt(v)}。排序：{listing}。"
                      if zh else f"{'Highest' if q.rank_dir == 'max' else 'Lowest'} {name}: {r.agency} ({r.year}), "
                      f"{fmt(v)}. Ranking: {listing}.")
        for x, _, f, _ in rows:
            ans.citations.extend(self._cite_facts(x, f))
        ans.interpretation = interpretation(q, sorted({x.agency for x, *_ in rows}), sorted({x.year for x, *_ in rows}),
                                            keys, "rank", r.template)
        self._verify_facts(ans, [(x, f) for x, _, f, _ in rows])
        if q.asks_name and len({x.agency for x, *_ in rows}) > 1:
            # "哪一家更多？": the answer is the agency; its figure and the ranking stay in the sentence
            ans.kind, ans.value, ans.unit = "text", None, None
            ans.answer = (f"{r.agency}。" if zh else f"{r.agency}. ") + ans.answer
        return ans

    def _rank_rows(self, q: Query, ans: Answer, concepts: list[Concept], r: Report) -> Answer | None:
        """The largest (smallest) of several rows the question names, in one report."""
        zh = q.lang == "zh"
        got = [s[0] for c in concepts if (s := self._series(q, c, [r]))]
        if len(got) < len(concepts):
            return None
        got.sort(key=lambda x: x[3], reverse=q.rank_dir == "max")
        _, keys, facts, v = got[0]
        if len(got) > 1 and got[1][3] == v:
            return None  # a tie: no one row is the answer
        listing = "；".join(f"{self._metric_name(q, k, r)} {fmt(val)}" for _, k, _, val in got)
        ans.kind, ans.value, ans.unit = "figure", v, unit_of(keys, facts)
        ans.answer = (f"{r.agency}{r.year}年{'最多' if q.rank_dir == 'max' else '最少'}的是{self._metric_name(q, keys, r)}："
                      f"{fmt(v)}。各项：{listing}。" if zh else
                      f"{r.agency} ({r.year}): {'largest' if q.rank_dir == 'max' else 'smallest'} is "
                      f"{self._metric_name(q, keys, r)}, {fmt(v)}. All: {listing}.")
        for _, _, f, _ in got:
            ans.citations.extend(self._cite_facts(r, f))
        ans.interpretation = interpretation(q, [r.agency], [r.year], [k for _, ks, _, _ in got for k in ks], "rank",
                                            r.template)
        self._verify_facts(ans, [(r, f) for _, _, f, _ in got])
        if q.asks_name:  # "哪一种件数最多": the answer is the row; its figure and the others stay in the sentence
            top = re.sub(r"（总计）$", "", self._metric_name(q, keys, r))
            ans.kind, ans.value, ans.unit = "text", None, None
            ans.answer = f"{top}。" + ans.answer
        return ans

    def _share(self, q: Query, ans: Answer, concept: Concept, r: Report) -> Answer | None:
        zh = q.lang == "zh"
        keys = cells_for(q, concept, r)
        facts = facts_for(r, keys)
        if facts is None:
            return None
        base_keys = self._base_keys(q, concept, keys, r)
        base_facts = facts_for(r, base_keys)
        if base_facts is None:
            return None
        num, den = total(facts), total(base_facts)
        if num is None or den is None or isinstance(num, str) or isinstance(den, str) or not den:
            return None
        places = share_places(q, r)
        pct = (Decimal(num) * 100 / Decimal(den)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        ans.kind, ans.value, ans.unit = "figure", pct, "%"
        base_name = " + ".join(self._cell_name(f) for f in base_facts)
        ans.answer = (f"{r.agency}{r.year}年：{fmt(num)} ÷ {fmt(den)}（{base_name}）= {fmt(pct)}%（按表格计算，保留{places}位小数）。"
                      if zh else f"{r.agency} ({r.year}): {fmt(num)} / {fmt(den)} ({base_name}) = {fmt(pct)}% "
                      f"(computed from the table, {places} decimals).")
        ans.citations = self._cite_facts(r, facts + base_facts)
        ans.interpretation = interpretation(q, [r.agency], [r.year], keys, "share", r.template,
                                            ) | {"base": [{"key": k, "label": cell_label(k, r.template)}
                                                          for k in base_keys]}
        ans.interpretation["line"] += ("；分母：" if zh else "; base: ") + " + ".join(
            cell_label(k, r.template) for k in base_keys)
        self._verify_facts(ans, [(r, facts + base_facts)])
        return ans

    def _base_keys(self, q: Query, concept: Concept, keys: list[str], r: Report) -> list[str]:
        """The denominator: what the question names, else the row's own total (a column's share), else 办理结果
        总计 for a result row, else 本年新收 总计."""
        if q.share_base is not None:
            bq = Query(text=q.text, lang=q.lang, columns=tuple(c for c in q.columns if q.share_base.table == "table3"
                                                               and c not in ("natural", "commercial", "research",
                                                                             "social", "legal", "other_org", "org")))
            return cells_for(bq, q.share_base, r)
        table, row, col = keys[0].split(".")
        if len(keys) == 1 and col != "total" and table in ("table3", "table4"):
            return [f"{table}.{row}.total"]
        if table == "table4":
            return []
        if all(k.split(".")[1] in T3_RESULT_ROWS for k in keys):
            return ["table3.total.total"]
        return ["table3.new.total"] if table == "table3" else []

    # ------------------------------------------------------------ citations, checks, names
    def _cite_facts(self, r: Report, facts: list[Fact]) -> list[Citation]:
        out, seen = [], set()
        for f in facts:
            row = f.key.split(".")[0]
            if (f.table, row, f.column) in seen:
                continue
            seen.add((f.table, row, f.column))
            label = T.row_label(f.table, row)
            out.append(Citation(r.id, r.agency, r.year, SECTION_OF_TABLE[f.table],
                                f"{label} · {f.column}", f.span.page, r.source, row_text(r, f.table, row)))
        return out

    def _verify_facts(self, ans: Answer, groups: list[tuple[Report, list[Fact]]]) -> None:
        zh = ans.question and re.search(r"[\u4e00-\u9fff]", ans.question)
        ok = True
        for r, facts in groups:
            for f in facts:
                if not fact_ok(r, f):
                    ok = False
                    ans.notes.append(f"{r.id} {f.full_key}: value could not be verified against the text")
                for a in r.audit:
                    if f.full_key in a.cells:
                        ans.notes.append((f"注意：该报告的表内数字自相矛盾——{a.identity}，印的是 {a.printed}，按分项算是 "
                                          f"{a.computed}。答案采用表中所印数字。") if zh else
                                         f"Note: the report's own arithmetic fails here — {a.identity}: printed "
                                         f"{a.printed}, parts add up to {a.computed}. The printed value is used.")
                if f.ambiguous:
                    ans.notes.append((f"注意：{f.row_label} 一行的数字在原文中连在一起（{f.raw} 取自多种可能的拆分），"
                                      f"其他拆分：{'；'.join(f.alternatives[:3])}。") if zh else
                                     f"Note: the cells of row {f.row_label} are run together in the source; "
                                     f"other readings: {'; '.join(f.alternatives[:3])}.")
        ans.notes = list(dict.fromkeys(ans.notes))
        ans.verified = ok

    def _metric_name(self, q: Query, keys: list[str], r: Report) -> str:
        if not keys:
            return q.rows[0].name if q.rows else ""
        if len(keys) == 1:
            f = r.fact(keys[0])
            return self._cell_name(f) if f else keys[0]
        return q.rows[0].name

    @staticmethod
    def _cell_name(f: Fact) -> str:
        row = T.row_label(f.table, f.key.split(".")[0])
        return f"{row}（{f.column}）"
