"""A question in, an answer with its sources out: figures from the facts store, text extracted from
the right report, "not found" instead of a guess. No language model."""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from gongkai import config
from gongkai.model import Answer, Citation, Fact, NarrativeFigure, Report
from index.numbers import as_json
from index.store import open_store
from rag import catalog, extract
from rag.agencies import AgencyIndex
from rag.cells import cells_for, facts_for, fmt, total
from rag.figures import FigureOps
from rag.library import NameSidecar, ReportCache, ReportHead, Reports, Squeezed, read_heads
from rag.narrative import (
    _ASKS_TEXT,
    _ITEM_END,
    _META,
    _QUALIFIERS,
    _REPORT_REF,
    NarrativeOps,
    _cell_units,
    _unit_ok,
    _window,
)
from rag.question import _COLUMN_GROUPS, STRONG_SUM, Query, normalize, parse, parts_of, sums
from rag.terms import content_terms, place_names

SECTION_OF_TABLE = {"table2": "二、主动公开政府信息情况", "table3": "三、收到和处理政府信息公开申请情况",
                    "table4": "四、政府信息公开行政复议、行政诉讼情况"}
# provinces may hold agencies of the store under names that do not say so (江苏 → 淮安市): ask, do not refuse
PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏",
             "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾")
NOT_FOUND_ZH = "报告中没有找到这个问题的答案。"
NOT_FOUND_EN = "The reports do not give this."


class Answerer(FigureOps, NarrativeOps):
    """Answers questions over the reports in one data folder (loads the store once, refreshes on change)."""

    def __init__(self, home: Path | None = None, retriever=None, use_index: bool = True):
        """`use_index=False` answers from the facts store alone (text answers then scan whole reports)."""
        self.home = Path(home) if home else config.data_home()
        self.store = open_store(self.home)
        self._retriever = retriever
        self._use_index = use_index
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        # only a head per report is held; facts, narrative and text are loaded on demand (rag.library)
        self._cache = ReportCache(self.store)
        self._names = NameSidecar(self.home)
        self._heads: list[ReportHead] = []  # store order (agency, year), as `reports`
        self._by_agency: dict[str, list[ReportHead]] = {}  # agency → its reports by id: lookups do not scan
        self._newest: int | None = None
        self._order: dict[str, int] = {}
        self.reports: Mapping[str, Report] = {}
        self.squeezed: Mapping[str, str] = {}
        self.index = AgencyIndex([])
        self.refresh()

    # ---------------------------------------------------------------- store
    def refresh(self) -> None:
        stamp = self.store.stamp()
        if stamp == self._stamp:
            return
        with self._lock:
            rows = read_heads(self.store)
            self._cache.clear()  # a report stored again under its id must not be answered from the old one
            heads = [ReportHead(rid, agency, year, self._cache) for rid, agency, year in rows]
            by_agency: dict[str, list[ReportHead]] = {}
            for h in sorted(heads, key=lambda x: x.id):
                by_agency.setdefault(h.agency, []).append(h)
            ids = {h.id: h for h in heads}
            variants = self._names.variants(self.store, rows)
            index = AgencyIndex(list(by_agency), variants=variants, english=self._names.english,
                                persist=self._names.save_if_grown)
            self._order = {h.id: i for i, h in enumerate(heads)}
            self._heads, self._by_agency, self.index = heads, by_agency, index
            self._newest = max((h.year for h in heads if h.year), default=None)
            self.squeezed = Squeezed(ids, self._cache)
            self.reports = Reports(ids, self._cache)
            self._stamp = stamp

    def retriever(self):
        if not self._use_index:
            return None
        if self._retriever is None:
            try:
                from index.retrieve import Retriever
            except ImportError:
                return None
            self._retriever = Retriever(self.home)
        return self._retriever

    def by(self, agency: str, year: int | None) -> list[Report]:
        """The agency's reports (of that year), loaded: found through the agency map, never a scan."""
        out = []
        for h in self._by_agency.get(agency, ()):
            if year is None or h.year == year:
                r = self._cache.get(h.id)
                if r is not None:
                    out.append(r)
        return out

    def years_of(self, agency: str) -> list[int]:
        return sorted({h.year for h in self._by_agency.get(agency, ()) if h.year})

    def _pool(self, q: Query, agencies) -> list[Report]:
        """The reports of these agencies in the years the question asks (all years when it names none), in
        store order — the one pool that asking which agency, ranking and adding up all draw from."""
        return [r for r in self._store_order(agencies) if not q.years or r.year in q.years]

    def _store_order(self, agencies) -> list[Report]:
        """The reports of these agencies in store order (agency, year), loaded."""
        heads = sorted((h for ag in set(agencies) for h in self._by_agency.get(ag, ())),
                       key=lambda h: self._order.get(h.id, 0))
        return [r for h in heads if (r := self._cache.get(h.id)) is not None]

    def _all_names(self) -> tuple[str, ...]:
        """Every agency name and alias of the store (what a same-sound fix of template words must not touch)."""
        key = len(self.index.alias)
        if getattr(self, "_names_key", None) != key:
            self._alias_names = tuple(a for names in self.index.alias.values() for a in names)
            self._names_key = key
        return self._alias_names

    # ---------------------------------------------------------------- entry
    def ask(self, question: str, agency: str | None = None, year: int | None = None) -> Answer:
        """Answer one question (optionally narrowed to an agency and/or year)."""
        self.refresh()
        text, sounds = catalog.fix_sounds(normalize(question), names=self._all_names())
        q = parse(text)
        if year:
            q = replace(q, years=(year,))
        ans = Answer(question=question, answer="", kind="not_found")
        zh = q.lang == "zh"
        for written, read in sounds:  # 主动公凯 → 主动公开: said, so a misreading shows
            ans.notes.append(f"“{written}”按“{read}”理解（同音字）。" if zh else f"'{written}' read as '{read}' (same sound).")
        if q.rest:
            ans.notes.append(f"问题里有不止一问；这里回答第一问，后面的“{q.rest}”请单独再问。" if zh else
                             f"The question asks more than one thing; this answers the first. Ask '{q.rest}' separately.")
        if not self.reports:
            ans.answer = "还没有导入任何报告。" if zh else "No reports have been ingested yet."
            return ans
        agencies, stop, q = self._agencies(q, agency, ans)
        if stop is not None:
            return stop
        if not agencies:
            return self._no_agency(q, ans)
        if len(agencies) > 1:
            return self._several(q, ans, agencies)
        ag = agencies[0]
        years = self._years(q, ag, ans)
        if years is None:
            return self._not_found(q, ans, ag, None)
        if years == "clarify":
            return self._which_year(q, ans, ag)
        reports = [r for y in years for r in self.by(ag, y)]
        if not reports:
            have = "、".join(map(str, self.years_of(ag)))
            ans.notes.append(f"{ag} 的报告年份：{have}" if zh else f"{ag} has reports for: {have}")
            return self._not_found(q, ans, ag, years[0] if years else None)
        if len({(r.agency, r.year) for r in reports}) < len(reports):
            ans.notes.append("同一机关同一年度有不止一份报告，均已引用。" if zh else
                             "More than one report claims this agency and year; all are cited.")
        ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year} for r in reports]
        if q.intent == "text":
            return self._text(q, ans, reports)
        return self._figure(q, ans, reports)

    # ---------------------------------------------------------------- resolution
    def _agencies(self, q: Query, agency: str | None, ans: Answer) -> tuple[list[str], Answer | None, Query]:
        """(agencies the question names, an early answer when it names one the store does not hold, the reading
        with the names taken out of its residue)."""
        zh = q.lang == "zh"
        if agency:
            hits = [a for a in self.index.names if a == agency] or [m.agency for m in self.index.find(agency)]
            if not hits:
                ans.answer = f"报告库中没有“{agency}”的报告。" if zh else f"No reports of '{agency}' in the store."
                return [], ans, q
            return hits[:1], None, q
        res = self.index.resolve(q.text)
        residue = q.residue
        for m in res.named:  # the name as written (平谭, 宏泽区) is not a metric word
            residue = residue.replace(m.alias, " ")
        q = replace(q, residue=residue, names=tuple(m.alias for m in res.named if m.start >= 0))
        if q.sum_words and res.named and sums(q.text):  # 旅游与文化体育局: the 与 of a name adds nothing up
            rest = q.text.lower()
            for m in sorted(res.named, key=lambda m: -len(m.alias)):
                rest = rest.replace(m.alias.lower(), " ")
            q = replace(q, sum_words=sums(rest))
        for m in res.named:
            if m.how == "sound":
                ans.notes.append(f"“{m.alias}”按{m.agency}理解（同音字）。" if zh else
                                 f"'{m.alias}' read as {m.agency} (same sound).")
        if res.unknown:
            name = res.unknown[0]
            # the government a department name hangs on: a named agency written in it or before it ("平潭财政金融局",
            # "平潭2019年财政金融局"); one named only after it ("青峦环境厅比…苇岭乡多") is no parent
            text = re.sub(r"\s+", "", q.text.lower())
            name_at = text.find(name.lower())
            parent = next((m.agency for m in res.named if name.startswith(m.alias) or
                           0 <= text.find(m.alias.lower()) < max(name_at, 0) or name_at < 0), None)
            core = self.index.department_core(name, parent) or name
            if parent and q.intent == "text" and any(
                    name in self.squeezed.get(r.id, "") or (len(core) >= 2 and core in self.squeezed.get(r.id, ""))
                    for r in self.by(parent, None)):
                ans.notes.append(f"“{name}”出现在{parent}的报告中，按该报告回答。" if zh else
                                 f"'{name}' appears in {parent}'s report; answered from it.")
                return [parent], None, q
            if parent and q.intent == "figure":
                hit = self._dept_narrative(q, parent, name)
                if hit:
                    r, n = hit
                    ans.notes.append(f"报告库中没有“{name}”自己的报告；这个数字是{r.agency}{r.year}年报告正文中关于它的一句话。"
                                     if zh else f"No report of '{name}' itself is in the store; this figure is a "
                                     f"sentence about it in {r.agency}'s {r.year} report.")
                    return [], self._narrative_answer(q, ans, r, n), q
            like = self._like_department(name, parent)
            if len(like) == 1 and (parent or not re.match(r"[\u4e00-\u9fff]{2,}[省市县区镇]", name)):
                ans.notes.append(f"“{name}”按{like[0]}理解（报告库中只有它的名称含有这部分）。" if zh else
                                 f"'{name}' read as {like[0]} (the only agency in the store whose name holds it).")
                # an agency named apart from the department ("平潭管委会、平潭旅游局") stays named
                others = [m.agency for m in res.named if m.agency not in like and not name.startswith(m.alias)]
                residue = q.residue
                for m in res.named:  # the name as written is not a metric word (its place already taken out)
                    if name.startswith(m.alias):
                        residue = residue.replace(name[len(m.alias):], " ")
                q = replace(q, residue=residue.replace(name, " "), names=(*q.names, name))
                return others + like, None, q
            if like:
                ans.kind = "clarify"
                ans.answer = (f"报告库中没有“{name}”这个名字的报告；是指{'、'.join(like)}吗？" if zh else
                              f"No report is named '{name}'; do you mean {', '.join(like)}?")
                ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year} for r in self._heads
                               if r.agency in like]
                return [], ans, q
            ans.kind = "not_found"
            if parent:
                ans.answer = (f"报告库中没有“{name}”的报告（有{parent}的报告，但它的数字不是“{name}”的）。" if zh else
                              f"No report of '{name}' is in the store ({parent}'s reports are, but their figures "
                              f"are not '{name}''s).")
            else:
                ans.answer = f"报告库中没有“{name}”的报告。" if zh else f"No report of '{name}' is in the store."
            ans.interpretation = {"agency": name, "years": q.years, "cells": [], "operation": "",
                                  "line": (f"按：{name}（报告库中没有）" if zh else f"Read as: {name} (not in the store)")}
            return [], ans, q
        if res.ambiguous:
            # one name that fits several agencies equally (市场监管局 with three in the store): ask which,
            # unless the year asked leaves one of them (as when a question names no agency at all)
            alias, names = next(iter(res.ambiguous.items()))
            have = [n for n in names if q.years and all(self.by(n, y) for y in q.years)]
            if len(have) == 1 and len(res.named) == 1:
                ans.notes.append(f"“{alias}”对应报告库中{len(names)}个机关，只有{have[0]}有{'、'.join(map(str, q.years))}年的报告。"
                                 if zh else f"'{alias}' fits {len(names)} agencies; only {have[0]} has a report "
                                 f"for {', '.join(map(str, q.years))}.")
                return have, None, q
            ans.notes.append(f"“{alias}”在报告库中对应{len(names)}个机关。" if zh else
                             f"'{alias}' fits {len(names)} agencies in the store.")
            return [], self._ask_which_agency(q, ans, names), q
        def at(m) -> int:  # where the name stands in the question (English/pinyin spans are kept negative)
            return m.start if m.start >= 0 else (-1 - m.start if m.start > -1000 else -1000 - m.start)
        return [m.agency for m in sorted(res.named, key=at)], None, q

    def _years(self, q: Query, ag: str, ans: Answer):
        """The years to answer for; "clarify" when the question names none and the agency has several."""
        zh = q.lang == "zh"
        have = self.years_of(ag)
        if q.years:
            return q.years
        if q.relative_year and len(have) > 1 and q.intent == "figure":
            ans.notes.append(f"“{q.relative_year}”要看报告是哪年写的；{ag}有多份年报。" if zh else
                             f"'{q.relative_year}' depends on when the report was written; {ag} has several.")
            return "clarify"
        if q.relative_year and have:
            newest = self._newest or max(have)
            shift = {"去年": 0, "last year": 0, "previous year": 0, "前年": 1, "今年": -1, "this year": -1}[
                q.relative_year]
            y = newest - shift
            ans.notes.append(f"“{q.relative_year}”按最新报告年度 {newest} 推算为 {y} 年。" if zh else
                             f"'{q.relative_year}' taken relative to the newest report ({newest}): {y}.")
            return [y]
        if not have:
            return None
        if q.op == "trend" or (q.op == "rank" and q.rank_over == "years"):
            return have
        if len(have) == 1:
            ans.notes.append(f"问题没有说年份；{ag}只有{have[0]}年的报告。" if zh else
                             f"No year given; {ag} has only its {have[0]} report.")
            return have
        if q.intent == "text":
            if q.text_kind in ("phone", "fax", "email", "address", "postcode", "website", "cc"):
                got = {r.year: re.sub(r"\s+", "", p.answer) for r in self.by(ag, None)
                       if (p := extract.contact(r, q.text_kind)) is not None}
                if len(set(got.values())) > 1:  # the reports of different years give different answers: ask which
                    return "clarify"
                if got and have[-1] not in got:  # the newest report does not print it; an older one does
                    y = max(y for y in got if y)
                    ans.notes.append(f"问题没有说年份；最新一年的报告没有写这一项，按{y}年的报告回答。" if zh else
                                     f"No year given; the newest report does not print it — answered from {y}.")
                    return [y]
            ans.notes.append(f"问题没有说年份，按最新一年（{have[-1]}）回答。" if zh else
                             f"No year given: answered from the newest report ({have[-1]}).")
            return [have[-1]]
        return "clarify"

    def _which_year(self, q: Query, ans: Answer, ag: str) -> Answer:
        """No year named and the agency has several reports: ask back, with each year's figure and citation."""
        zh = q.lang == "zh"
        lines = []
        reports = [r for y in self.years_of(ag) for r in self.by(ag, y)]
        if q.rows:
            for r, _keys, facts, v in self._series(q, q.rows[0], reports):
                lines.append(f"{r.year}年 {fmt(v)}" if zh else f"{r.year}: {fmt(v)}")
                ans.citations.extend(self._cite_facts(r, facts))
        if q.intent == "text" and q.text_kind in ("phone", "fax", "email", "address", "postcode", "website", "cc"):
            for r in reports:
                p = extract.contact(r, q.text_kind)
                if p is not None:
                    lines.append(f"{r.year}年 {p.answer}" if zh else f"{r.year}: {p.answer}")
                    ans.citations.append(self._cite_passage(r, p))
        elif not q.rows or q.narrative_first:
            for r in reports:
                hit = self._narrative(q, [r], strict=True)
                if hit:
                    n = hit[1]
                    lines.append(f"{r.year}年 {fmt(n.value)}{n.unit}" if zh else f"{r.year}: {fmt(n.value)} {n.unit}")
                    ans.citations.append(Citation(r.id, r.agency, r.year, n.section, None, n.span.page, r.source,
                                                  n.quote))
        if not lines and (not q.rows or q.sub_period):
            return self._not_found(q, ans, ag, None)
        ans.kind = "clarify"
        years = "、".join(map(str, self.years_of(ag)))
        ans.answer = (f"请问是哪一年？{ag}有这些年份的报告：{years}。" if zh else
                      f"Which year do you mean? {ag} has reports for {years}.")
        if lines:
            ans.answer += ("各年的数字：" if zh else " Each year's figure: ") + ("；" if zh else "; ").join(lines)
        ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year} for r in reports]
        ans.interpretation = {"agency": ag, "years": [], "cells": [], "operation": "clarify year",
                              "line": (f"按：{ag} · 年份未定" if zh else f"Read as: {ag} · year not given")}
        return ans

    def _several(self, q: Query, ans: Answer, agencies: list[str]) -> Answer:
        """Several agencies named: rank among them (最多的那家), else ask which one, with each one's figure."""
        pool = self._pool(q, agencies)
        how_much_more = re.search(r"多多少|多几|少多少|少几|相差|差多少|差几|by how many|how many more|how much more|"
                                  r"difference", q.text.lower())
        if q.rows and not q.alternatives and len(agencies) == 2 and (q.op == "compare" or q.op == "rank" and how_much_more):
            # "淮安市2024年比沭阳县2025年多多少" (first minus second), "谁多？多多少" (the larger minus the other)
            years = list(q.years) if len(q.years) == 2 else [q.years[0]] * 2 if q.years else []
            got = self._agency_diff(q, ans, q.rows[0], agencies, years, larger_first=q.op == "rank")
            if got is not None:
                return got
        if q.op == "rank" and q.rows and not q.alternatives:
            got = self._rank(q, ans, q.rows[0], pool)
            if got is not None:
                return got
        if q.op == "value" and q.sum_words and q.rows and not q.alternatives and q.years and \
                len({r.agency for r in pool}) == len(agencies):
            got = self._sum_reports(q, ans, q.rows[0], pool)
            if got is not None:
                return got
        return self._ask_which_agency(q, ans, agencies)

    def _ask_which_agency(self, q: Query, ans: Answer, agencies: list[str]) -> Answer:
        """Ask which of these agencies is meant, with each one's figure (its newest report, or the year asked)."""
        zh = q.lang == "zh"
        pool = self._pool(q, agencies)
        ans.kind = "clarify"
        lines = []
        if q.rows:
            for ag in agencies:
                rs = [r for r in pool if r.agency == ag]
                if not rs:
                    continue
                s = self._series(q, q.rows[0], [max(rs, key=lambda x: x.year or 0)])
                for r, _k, facts, v in s:
                    lines.append(f"{ag} {r.year}: {fmt(v)}")
                    ans.citations.extend(self._cite_facts(r, facts))
        who = "、".join(agencies)
        ans.answer = (f"问题里提到了几个机关（{who}），请问是哪一个？" if zh else
                      f"The question names several agencies ({who}); which one do you mean?")
        if lines:
            ans.answer += ("各机关的数字：" if zh else " Each one's figure: ") + "；".join(lines)
        ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year} for r in pool][:20]
        return ans

    def _no_agency(self, q: Query, ans: Answer) -> Answer:
        """No agency named: answer if the year(s) pick one agency, rank across agencies, else ask back."""
        zh = q.lang == "zh"
        quoted = "".join(q.quoted)
        strange = [p for p in place_names(q.text) if p not in quoted and p.rstrip("省市") not in PROVINCES and not any(
            p.lower() in a or a in p.lower() for a in self.index.known if len(a) >= 2)]
        if strange:  # a place the store holds no report of (厦门, Xiamen): not the only agency that has one
            ans.answer = (f"报告库中没有“{strange[0]}”的报告。" if zh else f"No report of '{strange[0]}' is in the store.")
            ans.interpretation = {"agency": strange[0], "years": q.years, "cells": [], "operation": "",
                                  "line": (f"按：{strange[0]}（报告库中没有）" if zh else
                                           f"Read as: {strange[0]} (not in the store)")}
            return ans
        pool = [r for r in self._heads if not q.years or r.year in q.years]  # heads: loaded when read
        agencies = sorted({r.agency for r in pool})
        if q.op == "rank" and q.rows and q.rank_over != "years":
            got = self._rank(q, ans, q.rows[0], pool)
            if got is not None:
                return got
        names = [t for t in q.quoted if len(t) >= 2]
        owners = sorted({r.agency for r in (self._heads if names else ()) if all(
            re.sub(r"\s+", "", t) in self.squeezed[r.id] for t in names)})
        if len(owners) == 1:  # a quoted platform name (“上海科技”) only one agency's reports print
            ag = owners[0]
            ans.notes.append(f"问题没有说机关；只有{ag}的报告提到“{'、'.join(names)}”，按它回答。" if zh else
                             f"No agency named; only {ag}'s reports mention '{', '.join(names)}'.")
            years = self._years(q, ag, ans)
            if years == "clarify":
                return self._which_year(q, ans, ag)
            reports = [r for y in (years or []) for r in self.by(ag, y)]
            if reports:
                ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year} for r in reports]
                return self._text(q, ans, reports) if q.intent == "text" else self._figure(q, ans, reports)
        if q.intent == "figure" and (not q.rows or q.narrative_first) and not q.sub_period:
            hits = []
            for r in pool:
                h = self._narrative(q, [r], strict=True)
                if h:
                    hits.append(h)
            others = [x for x in pool if hits and x.agency != hits[0][0].agency]
            elsewhere = bool(hits) and self._said_elsewhere(q, hits[0], others)
            if elsewhere and len(hits) == 1:  # other agencies' reports speak of it too: ask which agency
                r, n = hits[0]
                ans.kind = "clarify"
                who = "、".join(sorted({x.agency for x in pool}))
                ans.answer = (f"请问是哪个机关？报告库中有这些机关的报告：{who}。{r.agency}{r.year}年报告正文："
                              f"{fmt(n.value)}{n.unit}。" if zh else f"Which agency do you mean? Reports exist for: "
                              f"{who}. {r.agency}'s {r.year} report text: {fmt(n.value)} {n.unit}.")
                ans.citations = [Citation(r.id, r.agency, r.year, n.section, None, n.span.page, r.source, n.quote)]
                return ans
            if len({r.agency for r, _ in hits}) == 1 and len(hits) == 1:
                r, n = hits[0]
                ans.notes.append(f"问题没有说机关；只有{r.agency}的报告有这句话，按它回答。" if zh else
                                 f"No agency named; only {r.agency}'s report states this.")
                return self._narrative_answer(q, ans, r, n)
        if q.intent == "figure" and not q.rows:  # no template cell: only the text can answer, and it did not
            loose = {r.agency for r in pool if self._narrative(q, [r], strict=False)}
            if len(loose) < 2:
                return self._not_found(q, ans, None, q.years[0] if q.years else None)
            agencies = sorted(loose)
        if len(agencies) == 1:
            ag = agencies[0]
            ans.notes.append(f"问题没有说机关；报告库中{'、'.join(map(str, q.years)) + '年' if q.years else ''}只有"
                             f"{ag}的报告，按它回答。" if zh else
                             f"No agency named; only {ag} has a report{' for ' + str(q.years[0]) if q.years else ''}.")
            years = self._years(q, ag, ans)
            if years == "clarify":
                return self._which_year(q, ans, ag)
            reports = [r for y in (years or []) for r in self.by(ag, y)]
            if not reports:
                return self._not_found(q, ans, ag, q.years[0] if q.years else None)
            ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year} for r in reports]
            return self._text(q, ans, reports) if q.intent == "text" else self._figure(q, ans, reports)
        if not agencies:
            return self._not_found(q, ans, None, q.years[0] if q.years else None)
        # several agencies match equally: ask which, showing what each report says when it is a figure
        ans.kind = "clarify"
        lines = []
        if q.intent == "figure" and q.rows:
            for ag in agencies:
                rs = [r for r in pool if r.agency == ag]
                for r, _k, facts, v in self._series(q, q.rows[0], [max(rs, key=lambda x: x.year or 0)]):
                    lines.append(f"{ag} {r.year}: {fmt(v)}")
                    ans.citations.extend(self._cite_facts(r, facts))
        who = "、".join(agencies[:8])
        ans.answer = (f"请问是哪个机关？报告库中{'、'.join(map(str, q.years)) + '年' if q.years else ''}有这些机关的报告：{who}。"
                      if zh else f"Which agency do you mean? Reports{' for ' + str(q.years[0]) if q.years else ''} "
                      f"exist for: {who}.")
        if lines:
            ans.answer += ("各机关的数字：" if zh else " Each one's figure: ") + "；".join(lines)
        ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year} for r in pool if r.agency in agencies][:20]
        return ans

    # ---------------------------------------------------------------- figures
    def _figure(self, q: Query, ans: Answer, reports: list[Report]) -> Answer:
        zh = q.lang == "zh"
        concept = q.rows[0] if q.rows else None
        r0 = reports[0]
        if q.sum_words and q.op == "value" and len(reports) == 1 and (concept is None or q.sub_period) and \
                not _NAMES_TABLE.search(q.text):
            got, named = self._narrative_sum(q, ans, r0)
            if got is not None:
                return got
            if named >= 2 and concept is None:  # "季度通报和月通报一共几次": one part's figure is not the sum
                ans.notes.append("问题要把几项加起来，报告正文中没有逐项找到它们的数字。" if zh else
                                 "The question adds several figures up; the report's text does not give each.")
                return self._not_found(q, ans, r0.agency, r0.year)
        if q.sub_period:  # the tables are annual: only a sentence naming that month/quarter can answer
            hit = self._narrative(q, reports, strict=True)
            if hit and q.sub_period.replace(" ", "") in hit[1].quote.replace(" ", ""):
                return self._narrative_answer(q, ans, *hit)
            ans.notes.append(f"年报只给全年数字，没有“{q.sub_period}”的数字。" if zh else
                             f"The annual report gives yearly figures only, not for '{q.sub_period}'.")
            return self._not_found(q, ans, r0.agency, r0.year)
        if q.doubt:  # a reading the parser knows it cannot trust for a number
            why = {"ratio": ("问题问的是倍数（“几倍”可以指比值，也可以指增长的倍数），这里不给出数字；可以改问两个数字之差或各自的数字。",
                             "The question asks for a multiple, which can be read two ways; no number is given — "
                             "ask for the difference or each figure instead."),
                   "include": ("问题要把括号里的一项加进来，但它和所问的一项不是同一类，没能确定要加的是什么。",
                               "The question adds an item of another kind to the one it counts; what to add could "
                               "not be settled.")}[q.doubt]
            ans.notes.append(why[0] if zh else why[1])
            return self._not_found(q, ans, r0.agency, r0.year)
        if q.excluded and not q.excluded_ok:  # "除了…以外": a reading that cannot leave it out gives no number
            ans.notes.append(f"问题要除去“{q.excluded}”，没能确定除去后是表中哪几项；请直接说要哪几项。" if zh else
                             f"The question leaves out '{q.excluded}'; which cells remain could not be settled — "
                             f"please name them.")
            return self._not_found(q, ans, r0.agency, r0.year)
        if q.alternatives and concept is not None and q.op != "compare":
            return self._which_metric(q, ans, [concept, *q.alternatives], reports)
        if q.op == "value" and not q.sum_words and len(reports) == 1 and len(q.column_order) >= 2 and \
                any(set(q.column_order[:2]) <= set(g) for g in _COLUMN_GROUPS):
            # "companies vs individuals": two columns of one row, neither added nor compared — each one's figure
            return self._which_columns(q, ans, concept, r0)
        unexplained = self._unexplained(q, r0) if concept else []
        weak = concept is not None and self._weak(q)
        # narrative first when the question says so, when the table cannot explain the question's words,
        # or for a share the report may print
        table_asked = concept is None and bool(_NAMES_TABLE.search(q.text))  # "T2 …", "表三里…": a cell, not a sentence
        if concept is None or q.narrative_first or (unexplained and weak) or (q.op == "share" and
                                                                              q.share_base is None):
            if q.op == "compare" and len(q.years) >= 2:
                got = self._narrative_compare(q, ans, reports)
                if got is not None:
                    return got
            if concept is None and (q.op in ("value", "trend") or q.op == "rank" and q.rank_over == "years") and \
                    len({r.year for r in reports}) >= 2 and not table_asked:
                return self._narrative_years(q, ans, reports)
            if concept is None and not q.columns and q.op == "value" and len(reports) == 1:
                asked, label = self._label_only(q, r0)
                if asked:  # “其他”是多少件: a label several rows and columns print
                    return self._which_row(q, ans, r0, asked, label)
            hit = None if table_asked else self._narrative(q, reports, strict=concept is not None and
                                                           not q.narrative_first)
            if hit and q.op != "compare":
                if concept is not None and q.op == "value" and len(reports) == 1 and not _ASKS_TEXT.search(q.text) \
                        and not re.search(_QUALIFIERS, q.text):
                    # 受理了多少件申请: the text says 17 (one office), the table 95 — the report says two things
                    table = self._value(q, copy.deepcopy(ans), concept, [r0])
                    if table is not None and table.kind == "figure" and table.value is not None and \
                            table.unit == hit[1].unit and str(table.value) != str(hit[1].value) and \
                            not self._unnamed_columns(q, concept, r0)[1:]:
                        return self._table_or_text(q, table, *hit)
                return self._narrative_answer(q, ans, *hit)
            if concept is None and q.op == "share" and len(reports) == 1 and not table_asked:
                got = self._narrative_share(q, ans, r0)
                if got is not None:
                    return got
            if concept is None and q.op == "value" and len(reports) == 1:
                asked = self._column_only(q, r0)
                if asked:  # 处理决定数量是多少 / “其他”是多少: a column or a label several rows have
                    return self._which_row(q, ans, r0, asked)
            if concept is None or (unexplained and weak):
                self._suggest(q, ans)
                return self._not_found(q, ans, r0.agency, r0.year)
        foreign = catalog.foreign_columns(q.columns, concept)
        if foreign:  # "复议申请人中有几位是律师": the table does not split this row that way
            ans.notes.append(f"{catalog.TABLE_NO[concept.table]}的这一项没有按“{foreign[0]}”细分。" if zh else
                             f"{concept.table} does not split this row by '{foreign[0]}'.")
            return self._not_found(q, ans, r0.agency, r0.year)
        if q.unit_hint and q.op != "share" and not any(_unit_ok(q.unit_hint, u) for u in _cell_units(concept)):
            # "行政许可类信息有几条": the words name a table row, the unit a figure the text states
            if q.op == "value" and len(reports) == 1:
                got = self._narrative_sum(q, ans, r0)[0] if q.sum_words else None
                if got is not None:
                    return got
                hit = self._narrative(q, reports, strict=True)
                if hit is not None:
                    return self._narrative_answer(q, ans, hit[0], hit[1])
            ans.notes.append(f"问题问的是“{q.unit_hint}”，表中这一项的单位不是它。" if zh else
                             f"The question asks for {q.unit_hint}; the table's cell is not in that unit.")
            return self._not_found(q, ans, r0.agency, r0.year)
        if unexplained and q.op == "value" and len(reports) == 1 and not q.columns and not q.sum_words and \
                not _NAMES_TABLE.search(q.text):
            # "第三方评估中位列第几名": the row's word stands in a sentence of the report together with the question's
            # other words — that sentence may be what is asked; with two different numbers, ask which
            hit = self._narrative(q, reports, strict=True)
            quote = re.sub(r"\s+", "", hit[1].quote) if hit else ""
            if hit and any(w in quote for w in q.row_words) and any(u in quote for u in unexplained):
                table = self._value(q, copy.deepcopy(ans), concept, [r0])
                if table is not None and table.kind == "figure" and str(table.value) != str(hit[1].value):
                    return self._table_or_text(q, table, *hit)
        part_words = [w for w in unexplained if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w) and not set(w) <= set("被人告了")]
        explicit_sum = bool(STRONG_SUM.search(q.text.lower())) or len(set(q.row_words)) >= 2
        if q.op == "value" and not q.columns and not explicit_sum and part_words and not weak and q.lang == "zh" and \
                (len(concept.rows) > 1 or concept.table == "table4") and len(reports) == 1 and \
                not re.search(r"总|共|合计|全部|所有|整体|全年|total", q.text.lower()):
            # "还在讨论研究的过程稿所以不公开的", "复议完了市政府输了的": words that pick one part of the group
            # (or one outcome) that the catalog could not read — the group's total is not that part
            ans.notes.append(f"问题里的“{'、'.join(part_words[:3])}”像是指{concept.name}中的某一项，没能确定是哪一项。" if zh
                             else f"'{', '.join(part_words[:3])}' seems to name one part of {concept.name}; "
                             f"which one could not be settled.")
            self._suggest(q, ans)
            return self._not_found(q, ans, r0.agency, r0.year)
        part = _SUBSET.search(q.text)
        if part and not q.columns and q.op == "value" and not any(w in part.group(1) for w in q.row_words):
            # "复议案件里，X的有多少件": a part of the row the catalog could not read — not the row's total
            aliases = [a for r in reports for a in self.index.alias.get(r.agency, {})]
            unread = [t for t in content_terms(part.group(1), drop=aliases) if t in q.residue]
            if unread:
                ans.notes.append(f"问题问的是其中“{part.group(1)}”的部分，表中没有认出对应的一栏。" if zh else
                                 f"The question asks for the part '{part.group(1)}'; no column of the table was "
                                 f"recognised for it.")
                self._suggest(q, ans)
                return self._not_found(q, ans, r0.agency, r0.year)
        got = None
        years_here = sorted({r.year or 0 for r in reports})
        if q.op == "value" and len(years_here) == 1 and len(reports) == 1:
            cells = self._unnamed_columns(q, concept, r0)
            # 规范性文件有多少件: made, repealed or in force? ask, with each
            if len(cells) > 1 and len({str(f.value) for f in cells}) > 1:
                return self._which_column(q, ans, concept, r0, cells)
            if len(cells) > 1:  # every column gives the same number: whichever is meant, it is this one
                ans.notes.append(("表二这一行各栏的数字相同：" if zh else "Every column of this table-2 row gives the same "
                                  "figure: ") + "；".join(f"{f.column} {fmt(f.value)}" for f in cells))
        if q.op == "compare" and q.alternatives and len(years_here) == 1:
            got = self._row_diff(q, ans, [concept, q.alternatives[0]], r0)
        elif q.op == "compare" and len(years_here) >= 2:
            got = self._compare(q, ans, concept, reports)
        elif q.op == "compare" and len(q.column_order) == 2 and len(reports) == 1:
            got = self._column_diff(q, ans, concept, r0)  # "个人申请比企业多多少"
        elif q.op == "compare" and r0.template == "2019" and concept.table == "table2" and \
                any(r0.fact(f"table2.{row}.change") for row in concept.rows):
            # the 2019–2020 table prints the change against the previous year itself (本年增/减)
            q = replace(q, columns=("change",))
            got = self._value(q, ans, concept, [r0])
        elif q.op == "compare":
            ans.notes.append("比较需要两个年份的报告。" if zh else "A comparison needs two years' reports.")
            return self._not_found(q, ans, r0.agency, r0.year)
        elif q.op == "value" and len(years_here) >= 2:
            got = self._sum_reports(q, ans, concept, reports) if q.sum_words else self._trend(q, ans, concept, reports)
        elif q.op == "trend" and len({r.year for r in reports}) >= 2:
            got = self._trend(q, ans, concept, reports)
        elif q.op == "rank" and q.rank_over == "years" and len({r.year for r in reports}) >= 2:
            got = self._rank(q, ans, concept, reports)
        elif q.op == "rank" and len(reports) == 1 and len(concept.rows) > 1 and not parts_of(concept):
            # one report and a group of rows: the largest of its rows ("不予公开的8个小项里最多的")
            singles = [next((c for c in catalog.ROW_CONCEPTS if c.table == concept.table and c.rows == (row,)), None)
                       for row in concept.rows if r0.fact(f"{concept.table}.{row}.total") or concept.table != "table3"]
            got = self._rank_rows(q, ans, [c for c in singles if c], r0) if singles and all(singles) else None
        elif q.op == "rank" and len(parts_of(concept)) >= 2:  # "三类处理决定中最多的那一类"
            singles = [next((c for c in catalog.ROW_CONCEPTS if c.table == p.table and c.rows == (row,)), None)
                       for p in parts_of(concept) for row in p.rows]
            got = self._rank_rows(q, ans, [c for c in singles if c], r0) if all(singles) else None
        elif q.op == "share":
            got = self._share(q, ans, concept, r0)
        else:
            got = self._value(q, ans, concept, reports)
            if got is not None and unexplained and not weak and len(reports) == 1:
                other = self._text_says_otherwise(q, unexplained, r0, got.value)
                if other is not None:
                    return self._table_or_text(q, got, r0, other)
            if got is not None and got.kind == "figure" and len(reports) == 1 and q.op == "value":
                other = self._text_disagrees(q, concept, r0, got.value)
                if other is not None:
                    return self._table_or_text(q, got, r0, other)
        if got is not None and got.kind == "figure" and _META.search(q.text) and not any(
                str(n.value) == str(got.value) for r in reports for n in r.narrative):
            # "按报告正文的数字": the text's figure was asked for; the table's, which the text never states, is not it
            ans.notes.append("问题要的是报告正文里的数字，正文中没有找到对应的一句。" if zh else
                             "The question asks for the figure in the report's text; no sentence there gives it.")
            return self._not_found(q, ans, r0.agency, r0.year)
        if got is not None:
            return got
        hit = self._narrative(q, reports, strict=False) if q.op in ("value", "rank") else None
        if hit:
            return self._narrative_answer(q, ans, *hit)
        keys = cells_for(q, concept, r0)
        facts = facts_for(r0, keys)
        lacking = [c for c in q.columns if c in catalog.T2_COLUMNS] if concept.table == "table2" and not keys else []
        missing = [c for c in lacking if not any(catalog.column_key(c, concept.table, r0.template, row)
                                                 for row in concept.rows)]
        if missing:
            col = next((c for c in catalog.COLUMNS if c.name == missing[0]), None)
            label = (col.zh if zh else col.en) if col else missing[0]
            ans.notes.append(f"表二“{concept.name}”这一行没有“{label}”这一栏。" if zh else
                             f"Table 2 row '{concept.name}' has no '{label}' column.")
        elif lacking:  # the row has the columns; they are a count and an amount, which are never added
            ans.notes.append("问题里的几栏单位不同（数量和金额），不能相加；请分别问。" if zh else
                             "The columns asked for are in different units (a count and an amount) and are not "
                             "added; ask for each.")
        if facts is not None and total(facts) is None:
            ans.citations.extend(self._cite_facts(r0, facts))
            ans.notes.append("表中该格为空。" if zh else "The table leaves this cell blank.")
            return self._not_found(q, ans, r0.agency, r0.year, keep=True)
        keys_wanted = [f"{concept.table}.{row}." for row in concept.rows]
        unreadable = concept.table in (getattr(r0, "tables_unreadable", None) or []) or (
            r0.template in ("2019", "2021") and not any(f.table == concept.table for f in r0.facts))
        unread = [k for k in (getattr(r0, "unread", None) or []) if k.startswith(tuple(keys_wanted))]
        if unreadable or unread:  # the report has the table, the parser could not read it: say so, no guess
            what = catalog.TABLE_NO[concept.table]
            ans.notes.append((f"这份报告的{what}没能读出来（报告里有这张表），所以无法给出数字。" if unreadable else
                              f"这份报告{what}中这一格没能读出来，所以无法给出数字。") if zh else
                             (f"{concept.table} could not be read in this report (the report has it), so no figure "
                              f"is given." if unreadable else
                              f"This cell of {concept.table} could not be read in this report, so no figure is given."))
        return self._not_found(q, ans, r0.agency, r0.year)

    def _said_elsewhere(self, q: Query, hit, others: Sequence[Report]) -> bool:
        """Another agency's report speaks of the same thing (every word of the question the sentence holds),
        only without a number: the question, naming no agency, may mean either."""
        r, n = hit
        quote = re.sub(r"\s+", "", n.quote)
        held = [t for t in content_terms(q.text, drop=list(self.index.alias.get(r.agency, {}))) if t in quote]
        return bool(held) and any(all(t in self.squeezed[o.id] for t in held) for o in others)

    def _text_says_otherwise(self, q: Query, unexplained: list[str], r: Report, value):
        """A sentence of the report that holds the question's words the table cannot explain and states a
        different number ("policy and normative-document items" → 政策、规范性文件信息4条 vs the table's 0)."""
        hit = self._narrative(q, [r], strict=True)
        if not hit or str(hit[1].value) == str(value):
            return None
        words = content_terms(" ".join(unexplained)) or unexplained
        quote = re.sub(r"\s+", "", hit[1].quote)
        # the clause must be about the row too ("行政复议案件2件、行政诉讼案件7件": 2 is not the lawsuits' number)
        own = _ITEM_END.split(re.sub(r"\s+", "", _window(hit[1])[0]))
        at = [p for p in own if fmt(hit[1].value) in p]
        clause = at[-1] if at else own[-1]
        row_named = [w for w in q.row_words if re.search(r"[\u4e00-\u9fff]", w)] or (
            [w for w in q.rows[0].words if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)] if q.rows else [])
        if row_named and not any(w in clause for w in row_named):
            return None
        return hit[1] if any(w in quote for w in words) else None

    def _text_disagrees(self, q: Query, concept, r: Report, value):
        """A clause of the report's text that names the same cell in the question's own words and gives another
        number (表：现行有效 470 件; 正文：集中发布现行有效行政规范性文件393件): the report says two things."""
        words = [re.sub(r"\s+", "", w) for w in q.row_words if re.search(r"[\u4e00-\u9fff]", w)]
        if not words or len(words) != len(q.row_words) or re.search(r"表[二三四2-4]|表格|按表|\btable", q.text.lower()):
            return None  # (a question that asks for the table's figure gets it)
        rivals = _rival_words(concept)
        named = [c for c in catalog.COLUMNS if c.name in q.columns]
        others = [c for c in catalog.COLUMNS if c.name not in q.columns]
        units = _cell_units(concept)
        for n in r.narrative:
            if str(n.value) == str(value) or not any(_unit_ok(u, n.unit) for u in units):
                continue
            own = re.sub(r"\s+", "", _window(n)[0])
            at = own.find(str(n.value))
            # the words right before the number, back to the previous figure or clause mark
            own = re.split(r"[、，,；;：:。\d]", own[:at] if at > 0 else own)[-1]
            if not all(w in own for w in words) or any(w in own for w in rivals if w not in words):
                continue
            if named and not any(w in own for c in named for w in c.words if re.search(r"[\u4e00-\u9fff]", w)):
                continue
            # the column in the question's own words (商业企业): a clause with a shorter word of it (企业登记) is
            # about something else
            asked = [max((w for w in c.words if w in q.text and re.search(r"[\u4e00-\u9fff]", w)), key=len, default="")
                     for c in named]
            if any(w and w not in own for w in asked):
                continue
            if not named and any(w in own for c in others for w in c.words if len(w) >= 2 and
                                 re.search(r"[\u4e00-\u9fff]", w)):
                continue  # the clause is about one column (其中自然人申请151件), the question about the row
            return n
        return None

    def _table_or_text(self, q: Query, got: Answer, r: Report, n: NarrativeFigure) -> Answer:
        """The table and the report's text both fit, with different numbers: ask back with both."""
        zh = q.lang == "zh"
        got.answer = (f"表格和正文都可能是答案，请问要哪一个？表格：{got.answer} 正文：{fmt(n.value)}{n.unit}（“{n.quote}”）"
                      if zh else f"Both the table and the text fit, with different numbers — which do you mean? "
                      f"Table: {got.answer} Text: {fmt(n.value)} {n.unit} (“{n.quote}”)")
        got.kind, got.value, got.unit = "clarify", None, None
        got.citations.append(Citation(r.id, r.agency, r.year, n.section, None, n.span.page, r.source, n.quote))
        return got

    def _which_metric(self, q: Query, ans: Answer, concepts: list, reports: list[Report]) -> Answer:
        """Two template rows fit the question about equally: ask back with both figures."""
        zh = q.lang == "zh"
        ans.kind = "clarify"
        lines = []
        for c in concepts:
            for r, keys, facts, v in self._series(q, c, reports[:1]):
                lines.append(f"{self._metric_name(q, keys, r) if len(keys) == 1 else c.name} {fmt(v)}")
                ans.citations.extend(self._cite_facts(r, facts))
        names = "、".join(c.name for c in concepts)
        ans.answer = (f"问题可以指几个不同的统计项（{names}），请问是哪一个？" if zh else
                      f"The question fits several template rows ({names}); which one do you mean?")
        if lines:
            ans.answer += ("各项的数字：" if zh else " Their figures: ") + "；".join(lines)
        return ans

    def _suggest(self, q: Query, ans: Answer) -> None:
        """No catalog phrase names the metric: name the template rows nearest in meaning (m3e-small), as
        candidates to ask again with — never their numbers."""
        zh = q.lang == "zh"
        try:
            from rag.semantic import nearest

            near = nearest(q.residue.strip() or q.text, k=3)
        except Exception:  # noqa: BLE001 — no model installed: the answer stands without suggestions
            return
        names = [f"{catalog.TABLE_NO[c.table]} {c.name}" for c, _ in near]
        ans.notes.append(("表格里没有直接对应这个问题的一项；意思最接近的统计项：" + "；".join(names) + "（可以换成这些说法再问）")
                         if zh else "No table row matches the question's words; nearest in meaning: " +
                         "; ".join(names) + " (ask again with one of them).")

    def _unnamed_columns(self, q: Query, concept, r: Report) -> list[Fact]:
        """A table-2 row with several columns the question names none of: the cells it could mean, narrowed by
        the unit it asks for (行政许可有多少项 → 上一年项目数量 / 本年增减, not 处理决定数量 in 件)."""
        if concept.table != "table2" or len(concept.rows) != 1:
            return []
        row = concept.rows[0]
        if any(catalog.column_key(c, "table2", r.template, row) for c in q.columns) or \
                any(c in catalog.T2_COLUMNS for c in q.columns):
            return []  # a column named (one the row may lack: then there is no cell, see cells_for)
        cells = [f for f in r.facts if f.table == "table2" and f.key.split(".")[0] == row]
        if q.unit_hint in ("元", "万元", "金额"):  # money: the amount column, whatever unit the report prints it in
            money = [f for f in cells if f.key.endswith(".amount")]
            return money or cells
        if q.unit_hint:  # counts of cases (件, 次, 起) are the decisions; counts of items (项) the item columns
            family = {"次": "件", "起": "件", "宗": "件", "个": "项"}.get(q.unit_hint, q.unit_hint)
            cells = ([f for f in cells if catalog.unit_for(f.full_key) == q.unit_hint] or
                     [f for f in cells if catalog.unit_for(f.full_key) == family] or cells)
        return cells

    def _which_column(self, q: Query, ans: Answer, concept, r: Report, facts: list[Fact]) -> Answer:
        """The row has several columns and the question names none: ask back, with each column's figure."""
        zh = q.lang == "zh"
        keys = [f.full_key for f in facts]
        ans.kind = "clarify"
        parts = [f"{f.column or f.key.split('.')[-1]} {'空' if f.value is None else fmt(f.value)}" for f in facts]
        ans.answer = (f"{r.agency}{r.year}年表二“{concept.name}”有几栏：{'；'.join(parts)}。请问问的是哪一栏？" if zh else
                      f"{r.agency} {r.year}, table 2 '{concept.name}' has several columns: {'; '.join(parts)}. "
                      f"Which one do you mean?")
        ans.citations.extend(self._cite_facts(r, facts))
        ans.interpretation = {"agency": r.agency, "years": [r.year], "cells": keys, "operation": "clarify column",
                              "line": (f"按：{r.agency} · {r.year} · 表二 {concept.name} · 栏目未定" if zh else
                                       f"Read as: {r.agency} · {r.year} · table 2 {concept.name} · column not given")}
        return ans

    def _which_columns(self, q: Query, ans: Answer, concept, r: Report) -> Answer:
        """Two columns named for one row with no sum or comparison: ask back, with each column's figure."""
        zh = q.lang == "zh"
        lines = []
        for col in q.column_order:
            for x, keys, facts, v in self._series(replace(q, columns=(col,)), concept, [r]):
                lines.append(f"{self._metric_name(q, keys, x)} {fmt(v)}")
                ans.citations.extend(self._cite_facts(x, facts))
        ans.kind, ans.value, ans.unit = "clarify", None, None
        ans.answer = ((f"{r.agency}{r.year}年：" + "；".join(lines) + "。请问要其中哪一个，还是两者之和或之差？") if zh else
                      f"{r.agency} ({r.year}): " + "; ".join(lines) + ". Which one — or their sum or difference?")
        return ans

    def _column_only(self, q: Query, r: Report) -> list[Fact]:
        """The question names a column and nothing else (处理决定数量是多少): every cell of this report in that
        column, one per row — when there are several; one alone is no reading of the question's other words."""
        if content_terms(_TABLE_TALK.sub(" ", q.residue), drop=list(self.index.alias.get(r.agency, {}))):
            return []  # 专项经费是多少万元: words the column does not explain
        seen: dict[str, Fact] = {}
        for c in catalog.ROW_CONCEPTS:
            if len(c.rows) != 1:
                continue
            for col in q.columns:
                key = catalog.column_key(col, c.table, r.template or "2021", c.rows[0])
                f = r.fact(f"{c.table}.{c.rows[0]}.{key}") if key else None
                if f is not None:
                    seen.setdefault(f.full_key, f)
        return list(seen.values()) if len(seen) > 1 else []

    def _label_only(self, q: Query, r: Report) -> tuple[list[Fact], str]:
        """The question's only content is a printed label several cells share (“其他”是多少件): those cells."""
        aliases = list(self.index.alias.get(r.agency, {}))
        quoted = [t.strip() for t in q.quoted if t.strip()]
        terms = quoted or [t for t in content_terms(_TABLE_TALK.sub(" ", q.residue), drop=aliases)
                           if t not in ("多少件", "多少", "几件")]
        if len(terms) != 1 or len(terms[0]) < 2:
            return [], ""
        t = terms[0]
        got = [f for f in r.facts if (f.column or "").startswith(t) or _label(f).startswith(t) or
               re.sub(r"\s+", "", f.row_label or "").startswith(t)]
        return (got, t) if len({_label(f) + (f.column or "") for f in got}) >= 2 else ([], "")

    def _which_row(self, q: Query, ans: Answer, r: Report, facts: list[Fact], label: str = "") -> Answer:
        """A column or label several rows share: ask back which row, with (the first few of) their figures."""
        zh = q.lang == "zh"
        shown = facts[:8]
        ans.kind, ans.value, ans.unit = "clarify", None, None
        if len(facts) > len(shown):  # too many cells to list: name the rows and columns the label stands for
            names: list[str] = []
            for f in facts:
                where = catalog.TABLE_NO.get(f.table, f.table)
                name = (f"{where} {f.row_label}" if not label or _label(f).startswith(label) else
                        f"{where}“{f.column}”栏" if zh else f"{where} column '{f.column}'")
                if name not in names:
                    names.append(name)
            if label:
                ans.answer = (f"“{label}”是表中{len(names)}处的名称：" + "；".join(names[:10]) + "。请问问的是哪一项？"
                              if zh else f"'{label}' names {len(names)} places in the tables: " +
                              "; ".join(names[:10]) + ". Which do you mean?")
            else:
                col = facts[0].column
                ans.answer = (f"“{col}”这一栏在{len(names)}行里都有：" + "；".join(names[:10]) +
                              ("……" if len(names) > 10 else "") + "。请问是哪一行？" if zh else
                              f"Column '{col}' appears in {len(names)} rows: " + "; ".join(names[:10]) +
                              (" …" if len(names) > 10 else "") + ". Which row do you mean?")
        else:
            parts = [f"{self._cell_name(f)} {'空' if f.value is None else fmt(f.value)}" for f in shown]
            ans.answer = (f"{r.agency}{r.year}年的报告里有{len(facts)}格都可能是问的这一项：" + "；".join(parts) +
                          "。请问是哪一行？" if zh else
                          f"{r.agency} {r.year}: {len(facts)} cells fit the question: " + "; ".join(parts) +
                          ". Which row do you mean?")
        ans.citations.extend(self._cite_facts(r, shown))
        ans.interpretation = {"agency": r.agency, "years": [r.year], "cells": [f.full_key for f in facts],
                              "operation": "clarify row",
                              "line": (f"按：{r.agency} · {r.year} · 行未定" if zh else
                                       f"Read as: {r.agency} · {r.year} · row not given")}
        return ans

    def _weak(self, q: Query) -> bool:
        """The metric was named only by generic words (申请, received) and no column of its table."""
        from rag.catalog import column_key
        from rag.question import WEAK_WORDS
        c = q.rows[0]
        cols = [k for k in q.columns if k == "org" and c.table == "table3" or any(
            column_key(k, c.table, t, row) for t in ("2019", "2021") for row in c.rows)]
        return all(w.lower() in WEAK_WORDS for w in q.row_words) and not cols

    def _like_department(self, name: str, parent: str | None) -> list[str]:
        """Departments in the store whose name holds the core of an unknown department's name
        (平潭旅游局 → 平潭综合实验区旅游与文化体育局), under the same government when one was named."""
        core = self.index.department_core(name, parent)
        if len(core) < 2:
            return []
        suffix = re.search(r"(局|委员会|委|厅|办公室)$", name)
        out = []
        for ag in self.index.names:
            if ag == parent or not re.search(r"(局|委员会|委|厅|办公室)$", ag):
                continue
            place_ok = parent is None or ag.startswith(re.sub(r"(人民政府|政府)$", "", parent))
            if not place_ok or suffix is not None and not ag.endswith(suffix.group(1)):
                continue
            if core in ag or len(core) >= 3 and _abbreviates(core, self.index.department_core(ag, parent)):
                out.append(ag)
        return out

    def _text(self, q: Query, ans: Answer, reports: list[Report]) -> Answer:
        r = reports[0]
        kind = q.text_kind
        p = None
        if kind in ("phone", "fax", "email", "address", "postcode", "website", "cc"):
            p = extract.contact(r, kind)
        elif kind == "date":
            p = extract.closing_date(r)
        elif kind == "period":
            p = extract.period(r)
        elif kind in ("problems", "improve"):
            p = extract.problems(r, kind)
        if kind in ("name", "docno"):  # "公众号叫什么名字", "请给出文号": the name or number in the sentence about it
            terms = [t for t in content_terms(_REPORT_REF.sub(" ", q.text), drop=list(self.index.alias.get(r.agency, {})))
                     if not re.search(r"名字|名称|叫什么|那个|这个|文号|字号|给出", t)]
            if kind == "docno":
                p = extract.numbered_document(r, terms)
            # a name is found by the words the report uses; the question's own frame (镇里用来…) matches nothing
            terms = [t for t in terms if t in self.squeezed[r.id]] or terms
            for cand in ([] if kind == "docno" else
                         extract.best_sentences(r, terms, spans=self._spans(q, r), k=6, min_cov=0.5)):
                p = extract.quoted_name(cand, terms)
                if p is not None:
                    break
        if p is None and kind in ("generic", "platform", "period", "date", "problems", "improve", "name", "docno"):
            terms = content_terms(_REPORT_REF.sub(" ", q.text), drop=list(self.index.alias.get(r.agency, {})))
            ps = extract.best_sentences(r, terms, spans=self._spans(q, r), k=2, min_cov=0.6)
            present = [t for t in terms if t in self.squeezed[r.id]]
            if not ps and len(present) >= 2 and sum(map(len, present)) * 2 >= sum(map(len, terms)):
                # the question's own frame (准备, 东西, 为了) is in no sentence: the words the report uses decide,
                # and must nearly all stand in one sentence
                ps = extract.best_sentences(r, present, spans=self._spans(q, r), k=2, min_cov=0.8)
            if ps:
                p = ps[0]
                if len(ps) > 1 and ps[1].score >= ps[0].score - 0.05 and ps[1].answer != p.answer:
                    ans.citations.append(self._cite_passage(r, ps[1]))
        if p is None:
            return self._not_found(q, ans, r.agency, r.year)
        ans.kind = "text"
        ans.answer = p.answer
        ans.citations.insert(0, self._cite_passage(r, p))
        ans.verified = None
        if re.sub(r"\s+", "", p.quote) not in self.squeezed[r.id]:
            ans.notes.append("quote not found verbatim in the report")
        return ans

    def _spans(self, q: Query, r: Report):
        ret = self.retriever()
        if ret is None:
            return None
        try:
            hits = ret.search(q.text, k=6, report_ids=[r.id], kinds=("section",))
        except Exception:  # noqa: BLE001 — no usable index (e.g. a facts-only store): scan the whole report
            return None
        spans = [(h.chunk.start, h.chunk.end) for h in hits if h.chunk.end > h.chunk.start]
        return spans or None

    # ---------------------------------------------------------------- not found, citations, checks
    def _not_found(self, q: Query, ans: Answer, agency, year, keep: bool = False) -> Answer:
        zh = q.lang == "zh"
        ans.kind, ans.value, ans.unit, ans.verified = "not_found", None, None, None
        who = f"{agency or ''}{f'{year}年' if year else ''}" if zh else \
            f"{agency or 'the reports'}{f' ({year})' if year else ''}"
        ans.answer = (f"{who}的报告中没有找到这个问题的答案。" if zh else f"{who}: the reports do not give this.") \
            if who else (NOT_FOUND_ZH if zh else NOT_FOUND_EN)
        if not keep:
            ans.citations = []
        # show the nearest passages so the user can look for themselves
        # within the reports the question is about; the agency's other years when it has none for the year asked
        ids = [r["id"] for r in ans.reports] or [h.id for h in self._by_agency.get(agency, ())] or None
        ret = self.retriever()
        if ret is not None:
            try:
                for h in ret.search(q.text, k=3, report_ids=ids):
                    c = h.chunk
                    rep = self.reports.get(c.report_id)  # one report, loaded on demand
                    ans.citations.append(Citation(c.report_id, c.agency, c.year, c.section, None, c.page,
                                                  rep.source if rep else c.source, c.text[:300]))
            except Exception:  # noqa: BLE001, S110 — nearest passages are a courtesy; not_found stands without them
                pass
        ans.notes.append("附上的是最接近的段落，仅供查阅，不是答案。" if zh else
                         "The passages shown are the nearest ones, for reference — not an answer.")
        return ans

    def _cite_passage(self, r: Report, p) -> Citation:
        return Citation(r.id, r.agency, r.year, p.section, None, r.page_of(p.start), r.source, p.quote)


def answer_json(a: Answer) -> dict:
    """The JSON contract of `gongkai ask --json`."""
    return {"question": a.question, "answer": a.answer, "kind": a.kind, "value": as_json(a.value),
            "unit": a.unit, "reports": a.reports,
            "citations": [{"report_id": c.report_id, "agency": c.agency, "year": c.year, "section": c.section,
                           "table_row": c.table_row, "page": c.page, "source": c.source, "quote": c.quote}
                          for c in a.citations],
            "verified": a.verified, "notes": a.notes, "interpretation": a.interpretation}


def _label(f: Fact) -> str:
    """A fact's printed row label without its numbering ("（六）其他处理" → "其他处理")."""
    return re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*", "", f.row_label or "")


# "复议案件里，复议机关支持了原决定的有多少件": the part of a row the question asks for
_SUBSET = re.compile(r"(?:里|中|当中|之中|其中)[，,]?\s*([^，。？?]{2,24}?)的(?:有|是|占)?(?:多少|几)")


def _abbreviates(short: str, full: str) -> bool:
    """Whether `short` is a Chinese abbreviation of `full`: its characters in order, starting with the same
    one (旅游文体 of 旅游与文化体育)."""
    if not full or short[0] != full[0]:
        return False
    it = iter(full)
    return all(c in it for c in short)
# words about the table itself, not about what it counts ("那一列的数", "表格里的", "件数")
_TABLE_TALK = re.compile(r"(?:[那这哪]一?|一)[列栏格行项]的?数?字?|栏|件数|表[一二三四1-4]里?|数字|数据|报表|表格里?|表里|年报|报告里|是多少|填的?是?|写的?是?")


@lru_cache(maxsize=512)
def _rival_words(concept) -> tuple[str, ...]:
    """Chinese phrases (3+ characters) of every row that shares no row with this concept."""
    return tuple(w for c in catalog.ROW_CONCEPTS if not set(c.rows) & set(concept.rows) for w in c.words
                 if len(w) >= 3 and re.search(r"[\u4e00-\u9fff]", w))
# the question names one of the statistical tables: the answer is a cell of it, not a figure from the text
_NAMES_TABLE = re.compile(r"表[二三四2-4]|\bT[234]\b|\btable\s*[234]\b|统计表", re.I)
