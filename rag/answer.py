"""A question in, an answer with its sources out: figures from the facts store, text extracted from
the right report, "not found" instead of a guess. No language model."""

from __future__ import annotations

import math
import re
import threading
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from gongkai import config
from gongkai.model import Answer, Citation, Fact, NarrativeFigure, Report
from index import template as T
from index.numbers import as_json, to_decimal
from index.store import FactStore
from rag import extract
from rag.agencies import AgencyIndex
from rag.cells import cells_for, fmt, row_text, total, unit_of
from rag.question import Query, parse
from rag.terms import content_terms, coverage, quoted_names
from rag.verify import fact_ok, narrative_ok

SECTION_OF_TABLE = {"table2": "二、主动公开政府信息情况", "table3": "三、收到和处理政府信息公开申请情况",
                    "table4": "四、政府信息公开行政复议、行政诉讼情况"}
NOT_FOUND_ZH = "报告中没有找到这个问题的答案。"
NOT_FOUND_EN = "The reports do not give this."


class Answerer:
    """Answers questions over the reports in one data folder (loads the store once, refreshes on change)."""

    def __init__(self, home: Path | None = None, retriever=None, use_index: bool = True):
        """`use_index=False` answers from the facts store alone (text answers then scan whole reports)."""
        self.home = Path(home) if home else config.data_home()
        self.store = FactStore(self.home / "facts.sqlite")
        self._retriever = retriever
        self._use_index = use_index
        self._lock = threading.Lock()
        self._stamp = None
        self.reports: dict[str, Report] = {}
        self.squeezed: dict[str, str] = {}
        self.index = AgencyIndex([])
        self.refresh()

    # ---------------------------------------------------------------- store
    def refresh(self) -> None:
        stamp = self.store.db.execute("SELECT COUNT(*), MAX(ingested_at), GROUP_CONCAT(sha256) FROM reports"
                                      " WHERE state='ready'").fetchone()
        if stamp == self._stamp:
            return
        with self._lock:
            reports = {r.id: r for r in self.store.all_reports(with_text=True)}
            # each report's text without whitespace (PDF line breaks), for quote checks and term counts;
            # set before `reports` so a concurrent question never finds a report without it
            self.squeezed = {rid: re.sub(r"\s+", "", r.text) for rid, r in reports.items()}
            self.reports = reports
            self.index = AgencyIndex([r.agency for r in self.reports.values()])
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
        return sorted((r for r in self.reports.values() if r.agency == agency and (year is None or r.year == year)),
                      key=lambda r: r.id)

    def years_of(self, agency: str) -> list[int]:
        return sorted({r.year for r in self.reports.values() if r.agency == agency and r.year})

    # ---------------------------------------------------------------- entry
    def ask(self, question: str, agency: str | None = None, year: int | None = None) -> Answer:
        """Answer one question (optionally narrowed to an agency and/or year)."""
        self.refresh()
        q = parse(question)
        if year:
            q.years = [year]
        ans = Answer(question=question, answer="", kind="not_found")
        zh = q.lang == "zh"
        if not self.reports:
            ans.answer = "还没有导入任何报告。" if zh else "No reports have been ingested yet."
            return ans
        agencies, notes, stop = self._agencies(q, agency)
        ans.notes.extend(notes)
        if stop:
            ans.answer = stop
            ans.kind = "not_found"
            return ans
        if not agencies:
            return self._no_agency(q, ans)
        ag = agencies[0]
        years = self._years(q, ag, ans)
        if years is None:
            return self._not_found(q, ans, ag, None)
        reports = [r for y in years for r in self.by(ag, y)]
        if q.op == "trend" and q.rows and not q.years:
            reports = [r for y in self.years_of(ag) for r in self.by(ag, y)]
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
    def _agencies(self, q: Query, agency: str | None) -> tuple[list[str], list[str], str | None]:
        zh = q.lang == "zh"
        if agency:
            hits = [a for a in self.index.names if a == agency] or [m.agency for m in self.index.find(agency)]
            if not hits:
                return [], [], (f"报告库中没有“{agency}”的报告。" if zh else f"No reports of '{agency}' in the store.")
            return hits[:1], [], None
        found = self.index.find(q.text)
        if not found:
            m = re.search(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,6}?(?:省|市|县|镇|乡|街道))", q.text)
            if m and not re.match(r"(本|我|全|该|各|这|年|区|市|县|政府)", m.group(1)):
                return [], [], (f"报告库中没有“{m.group(1)}”的报告。" if zh
                                else f"No reports of '{m.group(1)}' in the store.")
            return [], [], None
        top = found[0]
        notes = []
        rivals = [m for m in found[1:] if m.alias == top.alias]
        if rivals:
            notes.append(f"“{top.alias}”按{top.agency}（政府本身）理解，不是其部门。" if zh else
                         f"'{top.alias}' read as {top.agency} (the government itself), not its departments.")
        return [top.agency], notes, None

    def _years(self, q: Query, ag: str, ans: Answer) -> list[int] | None:
        zh = q.lang == "zh"
        have = self.years_of(ag)
        if q.years:
            return q.years
        if q.relative_year and have:
            newest = max(r.year for r in self.reports.values() if r.year)
            shift = {"去年": 0, "last year": 0, "previous year": 0, "前年": 1, "今年": -1, "this year": -1}[
                q.relative_year]
            y = newest - shift
            ans.notes.append(f"“{q.relative_year}”按最新报告年度 {newest} 推算为 {y} 年。" if zh else
                             f"'{q.relative_year}' taken relative to the newest report ({newest}): {y}.")
            return [y]
        if not have:
            return None
        if q.op in ("trend",):
            return have
        ans.notes.append(f"问题没有说年份，按最新一年（{have[-1]}）回答。" if zh else
                         f"No year given: answered for the newest report ({have[-1]}).")
        return [have[-1]]

    def _no_agency(self, q: Query, ans: Answer) -> Answer:
        """No agency named: answer if the year(s) pick one agency, rank across agencies, else ask back."""
        zh = q.lang == "zh"
        pool = [r for r in self.reports.values() if not q.years or r.year in q.years]
        agencies = sorted({r.agency for r in pool})
        if q.op == "rank" and q.rows:
            return self._rank(q, ans, pool)
        if q.intent == "figure" and (not q.rows or q.narrative_first):
            hits = []
            for r in pool:
                h = self._narrative(q, [r], strict=True)
                if h:
                    hits.append(h)
            if len({r.agency for r, _ in hits}) == 1:
                r, n = hits[0]
                ans.notes.append(f"问题没有说机关；只有{r.agency}的报告有这句话，按它回答。" if zh else
                                 f"No agency named; only {r.agency}'s report states this.")
                return self._narrative_answer(q, ans, r, n)
        if len(agencies) == 1:
            ag = agencies[0]
            ans.notes.append(f"问题没有说机关；报告库中{'、'.join(map(str, q.years)) + '年' if q.years else ''}只有"
                             f"{ag}的报告，按它回答。" if zh else
                             f"No agency named; only {ag} has a report{' for ' + str(q.years[0]) if q.years else ''}.")
            years = q.years or [max(self.years_of(ag))]
            reports = [r for y in years for r in self.by(ag, y)]
            if not reports:
                return self._not_found(q, ans, ag, years[0])
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
                r = max(rs, key=lambda x: x.year or 0)
                keys = cells_for(q, q.rows[0], r)
                facts = [r.fact(k) for k in keys]
                if facts and all(facts):
                    v = total(facts)
                    if v is not None:
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
        unexplained = self._unexplained(q, reports[0]) if concept else []
        weak = concept is not None and self._weak(q)
        # narrative first when the question says so, when the table cannot explain the question's words,
        # or for a share the report may print
        if concept is None or q.narrative_first or (unexplained and weak) or q.op == "share":
            hit = self._narrative(q, reports, strict=concept is not None and not q.narrative_first)
            if hit:
                return self._narrative_answer(q, ans, *hit)
            if concept is None or (unexplained and weak):
                return self._not_found(q, ans, reports[0].agency, reports[0].year)
        if q.op == "compare" and len({r.year for r in reports}) >= 2:
            return self._compare(q, ans, concept, reports)
        if q.op == "trend" and len({r.year for r in reports}) >= 2:
            return self._trend(q, ans, concept, reports)
        if q.op == "share":
            return self._share(q, ans, concept, reports[0])
        results = []
        for r in reports:
            keys = cells_for(q, concept, r)
            facts = [r.fact(k) for k in keys]
            if not keys or not all(facts):
                continue
            results.append((r, keys, facts, total(facts)))
        if not results or all(v is None for *_, v in results):
            hit = self._narrative(q, reports, strict=False)
            if hit:
                return self._narrative_answer(q, ans, *hit)
            if results:
                r, keys, facts, _ = results[0]
                ans.citations.extend(self._cite_facts(r, facts))
                ans.notes.append("表中该格为空。" if zh else "The table leaves this cell blank.")
            return self._not_found(q, ans, reports[0].agency, reports[0].year, keep=True)
        r, keys, facts, value = results[0]
        unit = unit_of(keys, facts)
        ans.kind = "figure"
        ans.value = to_decimal(value) if isinstance(value, str) else value  # "75394432.52元" → its number
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
        for rr, k2, f2, v2 in results[1:]:
            ans.answer += (f" 另一份报告 {rr.id}：{fmt(v2)}。" if zh else f" Another report ({rr.id}): {fmt(v2)}.")
            ans.citations.extend(self._cite_facts(rr, f2))
        ans.citations[:0] = self._cite_facts(r, facts)
        self._verify_facts(ans, [(r, facts)] + [(rr, f2) for rr, _, f2, _ in results[1:]])
        return ans

    def _weak(self, q: Query) -> bool:
        from rag.question import WEAK_WORDS
        return all(w.lower() in WEAK_WORDS for w in q.row_words) and not q.columns

    def _unexplained(self, q: Query, r: Report) -> list[str]:
        aliases = list(self.index.alias.get(r.agency, {}))
        terms = content_terms(q.residue, drop=aliases)
        ok = {"申请", "提出", "收到", "处理", "案件", "结果", "行政", "一栏", "填", "办理", "收", "新", "因", "而",
              "无法", "不予", "多少件", "申请人", "合计", "加起来", "一共", "总计", "面临", "信息", "诉讼", "复议",
              "起诉", "作出", "现行", "有效", "市政府", "区政府", "县政府", "政府", "作", "处理决定", "决定", "表三",
              "表二", "表四", "表格", "按表", "部门", "本机关", "机关", "历年", "趋势", "变化", "比较", "相比",
              "增加", "减少", "排名", "最多", "最少"}
        return [t for t in terms if t not in ok and len(t) >= 2]

    def _narrative(self, q: Query, reports: list[Report], strict: bool):
        best = None
        for r in reports:
            aliases = list(self.index.alias.get(r.agency, {}))
            terms = content_terms(q.text, drop=aliases)
            if not terms:
                continue
            windows = [(n, *_window(n)) for n in r.narrative]
            flat_text = self.squeezed[r.id]
            # terms rare in this report say what the question is about; frequent ones are its setting
            owns = [re.sub(r"\s+", "", o) for _, o, _ in windows]
            weights = {t: 1.0 / (1 + math.log1p(flat_text.count(t))) / (1 + math.log1p(sum(t in o for o in owns)))
                       for t in terms}
            for t in quoted_names(q.text):  # a quoted name (《问政平潭有事你说》) is what the question is about
                if t in weights and sum(t in o for o in owns) <= 1:
                    weights[t] *= 2
            for n, own, prev in windows:
                if q.unit_hint and not _unit_ok(q.unit_hint, n.unit):
                    continue
                if not q.unit_hint and n.unit == "%" and q.op != "share":
                    continue
                bare = len(re.findall(r"[\u4e00-\u9fff]", re.sub(r"[\d.]+\s*\S?", "", own))) < 3
                if bare:  # "占51.85%": the clause before says what it is a share of
                    own, prev = prev + own, ""
                num_at = re.sub(r"\s+", "", own).rfind(fmt(n.value))
                near = re.sub(r"\s+", "", own)[max(0, num_at - 10):num_at] if num_at > 0 else ""
                c = coverage(terms, own, weights, context=prev + n.quote, near=near)
                if best is None or c > best[0] + 1e-9:
                    best = (c, r, n)
        need = 0.75 if strict else 0.6
        if best and best[0] >= need:
            return best[1], best[2]
        return None

    def _narrative_answer(self, q: Query, ans: Answer, r: Report, n: NarrativeFigure) -> Answer:
        zh = q.lang == "zh"
        ans.kind = "figure"
        ans.value = n.value
        ans.unit = n.unit
        ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year}]
        ans.answer = (f"{r.agency}{r.year}年报告正文：{fmt(n.value)}{n.unit}（“{n.quote}”）" if zh else
                      f"{r.agency} ({r.year}) report text: {fmt(n.value)} {n.unit} — “{n.quote}”")
        ans.citations = [Citation(r.id, r.agency, r.year, n.section, None, n.span.page, r.source, n.quote)]
        ans.verified = narrative_ok(self.squeezed[r.id], n)
        return ans

    def _compare(self, q: Query, ans: Answer, concept, reports: list[Report]) -> Answer:
        zh = q.lang == "zh"
        order = q.years if len(q.years) >= 2 else sorted({r.year for r in reports}, reverse=True)[:2]
        got = {}
        for y in order[:2]:
            r = next((x for x in reports if x.year == y), None)
            if r is None:
                return self._not_found(q, ans, reports[0].agency, y)
            facts = [r.fact(k) for k in cells_for(q, concept, r)]
            if not facts or not all(facts) or total(facts) is None:
                return self._not_found(q, ans, r.agency, y)
            got[y] = (r, facts, total(facts))
        (y1, (r1, f1, v1)), (y2, (r2, f2, v2)) = list(got.items())[:2]
        diff = v1 - v2
        ans.kind, ans.value, ans.unit = "figure", diff, unit_of(cells_for(q, concept, r1), f1)
        name = self._metric_name(q, cells_for(q, concept, r1), r1)
        word = ("增加" if diff > 0 else "减少" if diff < 0 else "持平") if zh else \
            ("up" if diff > 0 else "down" if diff < 0 else "unchanged")
        ans.answer = (f"{r1.agency}{name}：{y1}年 {fmt(v1)}，{y2}年 {fmt(v2)}，{y1}年比{y2}年{word} {fmt(abs(diff))}。"
                      if zh else f"{r1.agency}, {name}: {y1} {fmt(v1)}, {y2} {fmt(v2)} — {word} {fmt(abs(diff))}.")
        ans.citations = self._cite_facts(r1, f1) + self._cite_facts(r2, f2)
        self._verify_facts(ans, [(r1, f1), (r2, f2)])
        return ans

    def _trend(self, q: Query, ans: Answer, concept, reports: list[Report]) -> Answer:
        zh = q.lang == "zh"
        series = []
        for r in sorted(reports, key=lambda x: x.year or 0):
            facts = [r.fact(k) for k in cells_for(q, concept, r)]
            if facts and all(facts) and total(facts) is not None:
                series.append((r, facts, total(facts)))
        if not series:
            return self._not_found(q, ans, reports[0].agency, None)
        ans.kind = "figure"
        ans.value = None
        name = self._metric_name(q, cells_for(q, concept, series[0][0]), series[0][0])
        pts = "，".join(f"{r.year}年 {fmt(v)}" for r, _, v in series) if zh else \
            ", ".join(f"{r.year}: {fmt(v)}" for r, _, v in series)
        ans.answer = f"{series[0][0].agency}{name}历年：{pts}。" if zh else \
            f"{series[0][0].agency}, {name} by year: {pts}."
        for r, f, _ in series:
            ans.citations.extend(self._cite_facts(r, f))
        self._verify_facts(ans, [(r, f) for r, f, _ in series])
        return ans

    def _rank(self, q: Query, ans: Answer, pool: list[Report]) -> Answer:
        zh = q.lang == "zh"
        concept = q.rows[0]
        rows = []
        for r in pool:
            facts = [r.fact(k) for k in cells_for(q, concept, r)]
            if facts and all(facts) and total(facts) is not None and not isinstance(total(facts), str):
                rows.append((total(facts), r, facts))
        if not rows:
            return self._not_found(q, ans, None, q.years[0] if q.years else None)
        rows.sort(key=lambda x: x[0], reverse=q.rank_dir == "max")
        v, r, facts = rows[0]
        name = self._metric_name(q, cells_for(q, concept, r), r)
        listing = "；".join(f"{x.agency} {x.year}年 {fmt(val)}" for val, x, _ in rows[:10])
        ans.kind, ans.value, ans.unit = "figure", v, unit_of(cells_for(q, concept, r), facts)
        ans.reports = [{"id": x.id, "agency": x.agency, "year": x.year} for _, x, _ in rows]
        ans.answer = (f"{name}{'最多' if q.rank_dir == 'max' else '最少'}的是{r.agency}（{r.year}年）：{fmt(v)}。排序：{listing}。"
                      if zh else f"{'Highest' if q.rank_dir == 'max' else 'Lowest'} {name}: {r.agency} ({r.year}), "
                      f"{fmt(v)}. Ranking: {listing}.")
        for _, x, f in rows:
            ans.citations.extend(self._cite_facts(x, f))
        self._verify_facts(ans, [(x, f) for _, x, f in rows])
        return ans

    def _share(self, q: Query, ans: Answer, concept, r: Report) -> Answer:
        zh = q.lang == "zh"
        facts = [r.fact(k) for k in cells_for(q, concept, r)]
        base_key = "table3.new.total" if concept.table != "table3" or concept.rows == ("new",) else "table3.total.total"
        base = r.fact(base_key)
        if not facts or not all(facts) or base is None or not base.value:
            return self._not_found(q, ans, r.agency, r.year)
        num = total(facts)
        pct = (Decimal(num) * 100 / Decimal(base.value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        ans.kind, ans.value, ans.unit = "figure", pct, "%"
        ans.answer = (f"{r.agency}{r.year}年：{fmt(num)} ÷ {fmt(base.value)}（{self._cell_name(base)}）= {pct}%（按表格计算）。"
                      if zh else f"{r.agency} ({r.year}): {fmt(num)} / {fmt(base.value)} ({self._cell_name(base)}) = "
                      f"{pct}% (computed from the table).")
        ans.citations = self._cite_facts(r, facts + [base])
        self._verify_facts(ans, [(r, facts + [base])])
        return ans

    # ---------------------------------------------------------------- text
    def _text(self, q: Query, ans: Answer, reports: list[Report]) -> Answer:
        r = reports[0]
        kind = q.text_kind
        p = None
        if kind in ("phone", "email", "address"):
            p = extract.contact(r, kind)
        elif kind == "date":
            p = extract.closing_date(r)
        elif kind == "period":
            p = extract.period(r)
        elif kind in ("problems", "improve"):
            p = extract.problems(r, kind)
        if p is None and kind in ("generic", "platform", "period", "date", "problems", "improve"):
            terms = content_terms(q.text, drop=list(self.index.alias.get(r.agency, {})))
            ps = extract.best_sentences(r, terms, spans=self._spans(q, r), k=2, min_cov=0.6)
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
        ids = [r["id"] for r in ans.reports] or None
        ret = self.retriever()
        if ret is not None:
            try:
                for h in ret.search(q.text, k=3, report_ids=ids):
                    c = h.chunk
                    rep = self.reports.get(c.report_id)
                    ans.citations.append(Citation(c.report_id, c.agency, c.year, c.section, None, c.page,
                                                  rep.source if rep else c.source, c.text[:300]))
            except Exception:  # noqa: BLE001, S110 — nearest passages are a courtesy; not_found stands without them
                pass
        ans.notes.append("附上的是最接近的段落，仅供查阅，不是答案。" if zh else
                         "The passages shown are the nearest ones, for reference — not an answer.")
        return ans

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

    def _cite_passage(self, r: Report, p) -> Citation:
        return Citation(r.id, r.agency, r.year, p.section, None, r.page_of(p.start), r.source, p.quote)

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


def _unit_ok(hint: str, unit: str) -> bool:
    u = unit.lstrip("余")
    if hint == u:
        return True
    same = [{"件", "个", "项", "份"}, {"条", "篇"}, {"次", "场", "期"}, {"人", "名"}]
    return any(hint in s and u in s for s in same)


def _window(n: NarrativeFigure) -> tuple[str, str]:
    """(the clause holding the figure, the clause before it) — 'X件，占Y%' needs both."""
    quote, ctx = n.quote, n.context
    idx = quote.find(ctx) if ctx else -1
    pos = idx + len(ctx) if idx >= 0 else -1
    if pos < 0 and ctx:
        j = quote.find(ctx[-8:])
        pos = j + len(ctx[-8:]) if j >= 0 else -1
    if pos < 0:
        return ctx + quote[:60], ""
    seps = "，,；;：:。"
    start = max(quote.rfind(ch, 0, pos) for ch in seps) + 1
    prev = max(quote.rfind(ch, 0, max(0, start - 1)) for ch in seps) + 1 if start > 0 else 0
    ends = [j for j in (quote.find(ch, pos) for ch in seps) if j >= 0]
    return quote[start:min(ends) if ends else len(quote)], quote[prev:start]


def answer_json(a: Answer) -> dict:
    """The JSON contract of `gongkai ask --json`."""
    return {"question": a.question, "answer": a.answer, "kind": a.kind, "value": as_json(a.value),
            "unit": a.unit, "reports": a.reports,
            "citations": [{"report_id": c.report_id, "agency": c.agency, "year": c.year, "section": c.section,
                           "table_row": c.table_row, "page": c.page, "source": c.source, "quote": c.quote}
                          for c in a.citations],
            "verified": a.verified, "notes": a.notes}
