"""Figures stated in a report's text: which sentence a question means, or none.

A narrative figure (number + unit + sentence, extracted at ingest) answers when the question's content
words cover its clause well, weighted by how specific each word is in that report. A running total or a
part (累计, 其中, 其他) is not what a plain question asks for; when another clause or sentence states a
different number about as well, no number is given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

from gongkai.model import Answer, Citation, NarrativeFigure, Report
from index.template import SECTION_TITLES
from rag.agencies import AgencyIndex
from rag.catalog import looks_pinyin
from rag.cells import MONEY, fmt, share_places
from rag.question import Query, _share_parts
from rag.terms import content_terms, coverage, pinyin_terms, quoted_names
from rag.verify import narrative_ok

# What every report is about: the template's title and section titles. Their words (信息公开, 政府信息, 情况)
# and a causal link (因信息公开引起的) say what all of a report's figures concern, so they never pick one
# figure or one part of a row.
_SUBJECT = ("政府信息公开工作年度报告", "政务公开", *SECTION_TITLES)
_CAUSAL = re.compile(r"引起|引发|导致|造成|涉及|有关|相关|关于|方面")


_COMPARE_WORDS = re.compile(r"(?:比|较|相比|对比)(?:上一?年度?|去年|前一年|(?:19|20)\d\d\s*年?度?)|同比|"
                            r"(?:多|少|增加|减少|增长|下降|上升|高|低)(?:了|出)?(?:多少|几)|"
                            r"(?:than|compared (?:with|to)) (?:the )?(?:previous|prior|last|preceding) year|"
                            r"year-on-year|year on year")


_RANK_WORDS = re.compile(r"哪一?年(?:的|度)?(?:更|比较|较)?(?:多|少|高|低)|(?:多|少|高|低)的(?:那|哪)一?年|最多|最少|最高|最低|"
                         r"(?:in )?which year|the (?:most|fewest|highest|lowest)")


def _subject_word(t: str) -> bool:
    return any(t in s for s in _SUBJECT) or bool(_CAUSAL.fullmatch(t))


class NarrativeOps:
    """Mixed into the Answerer: needs `self.squeezed`, `self.index`, `self.reports`."""

    squeezed: Mapping[str, str]
    reports: Mapping[str, Report]
    index: AgencyIndex

    def _unexplained(self, q: Query, r: Report) -> list[str]:
        """The question's content words that neither the reading nor the agency's names explain."""
        aliases = list(self.index.alias.get(r.agency, {}))
        terms = content_terms(_REPORT_REF.sub(" ", q.residue), drop=aliases)
        ok = {"申请", "提出", "收到", "处理", "案件", "结果", "行政", "一栏", "填", "办理", "收", "新", "因", "而",
              "无法", "不予", "多少件", "申请人", "合计", "加起来", "一共", "总计", "面临", "信息", "诉讼", "复议",
              "起诉", "作出", "现行", "有效", "市政府", "区政府", "县政府", "政府", "作", "处理决定", "决定", "表三",
              "表二", "表四", "表格", "按表", "部门", "本机关", "机关", "历年", "趋势", "变化", "比较", "相比",
              "增加", "减少", "排名", "最多", "最少", "多出", "多了", "少了", "高出", "低了", "差了", "相差", "差距", "差额"}
        light = set("人去来了的有是在个些要给被把向到得过都也还就又才会能说做搞弄拿找那这")
        out = [t for t in terms if t not in ok and len(t) >= 2 and not set(t) <= light and not _subject_word(t)
               and not re.fullmatch(r"[多少][\u4e00-\u9fff]?了?", t)]  # 多收了, 少办: the comparison's own words
        if q.lang == "en":  # English words neither the catalog nor the agency explains
            known = _en_known() | {w for a in aliases for w in re.findall(r"[a-z]+", a)}
            out += [w for w in re.findall(r"[a-z]{4,}", q.residue) if w not in known and w.rstrip("s") not in known]
        return out

    def _narrative(self, q: Query, reports: list[Report], strict: bool, must: str | None = None):
        """The narrative figure whose sentence covers the question's content words best (None below the bar).
        `must`: a regex the sentence has to match (a department's name); quoted names must stand in it too."""
        best = None
        scored: list = []
        terms_of: dict[str, list[str]] = {}
        weights_of: dict[str, dict[str, float]] = {}
        quoted = [t for t in q.quoted if len(t) >= 2]
        for r in reports:
            aliases = [*self.index.alias.get(r.agency, {}), *q.names]
            asked = _REPORT_REF.sub(" ", _META.sub(" ", _without_preamble(q.text, aliases)))
            if q.op == "share":  # "X占全部主动公开信息的百分之几": X's words, not the base's
                asked = _share_parts(asked)[0] or asked
            # a remark in brackets ("（专项资金、预决算这些都算在内）") explains the question; its words are not the figure
            terms = content_terms(re.sub(r"[（(][^）)]{2,}[）)]", " ", asked), drop=aliases) or \
                content_terms(asked, drop=aliases)
            if not terms and looks_pinyin(asked):  # "zhudong gongkai zhengfu xinxi": the report's words it spells
                terms = [t for t in pinyin_terms(asked, [n.quote for n in r.narrative])
                         if not any(t in a or a in t for a in aliases if len(a) >= 2)]
            # verbs of publishing and setting words (发布, 全年) say little when the question has other words
            terms = [t for t in terms if not re.fullmatch(_SETTING, t)] or terms
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
            terms_of[r.id], weights_of[r.id] = terms, weights
            # "…里面说综合运用了图文图表、在线访谈等形式做解读。全年一共发布了多少篇？": the sentences before the ask
            # say what it is about (they match the figure's sentence), the ask names the figure (its own clause)
            said = [x for x in re.split(r"(?<=[。！!；;])", asked) if re.search(r"[\u4e00-\u9fff]", x)]
            ask_terms = content_terms(said[-1], drop=aliases) if len(said) >= 2 else []
            ctx_terms = [t for t in terms if t not in ask_terms] if ask_terms else []
            # the context's words the report uses (为了写稿子 is the asker's, not the report's) — most of them
            present = [t for t in ctx_terms if t in flat_text]
            ctx_terms = present if sum(map(len, present)) * 2 >= sum(map(len, ctx_terms)) else []
            cw = {t: weights.get(t, 1.0) for t in ctx_terms}
            for t in ask_terms:
                cw.setdefault(t, 1.0 / (1 + math.log1p(flat_text.count(t))))
            for n, own, prev in windows:
                raw_own = own  # the clause up to the number, before an enumeration is cut off it
                # an enumeration ("核准企业资质条、施工许可证76条"): the item before the last "unit、" is another item
                at = own.rfind(fmt(n.value) + n.unit)
                cut = _ITEM_END.split(own[:at]) if at > 0 else [own]
                if len(cut) > 1:
                    own, prev = cut[-1] + own[at:], prev + "".join(cut[:-1])
                if must and not re.search(must, re.sub(r"\s+", "", n.quote)):
                    continue
                if quoted and not all(t in n.quote for t in quoted):
                    continue
                if q.unit_hint and not _unit_ok(q.unit_hint, n.unit):
                    continue
                if not q.unit_hint and n.unit == "%" and q.op != "share":
                    continue
                bare = len(re.findall(r"[\u4e00-\u9fff]", re.sub(_GENERIC, "", re.sub(r"[\d.]+\s*\S?", "", own)))) < 2
                # "惠企政策兑现信息96条，涉及资金1.38亿元": a clause that opens with a linking verb continues the one
                # before, which says what it is about
                bare = bare or bool(prev and re.match(r"\s*(?:涉及|惠及|覆盖|包括|其中|累计|合计|共计)", own))
                if bare:  # "占51.85%": the clause before says what it is a share of
                    own, prev = prev + own, ""
                num_at = re.sub(r"\s+", "", own).rfind(fmt(n.value))
                near = re.sub(r"\s+", "", own)[max(0, num_at - 10):num_at] if num_at > 0 else ""
                # a heading sentence before ("三是做好惠企纾困政策公开。") names what the clause is about
                c = coverage(terms, own + _topic(r, n), weights, context=prev + n.quote, near=near)
                if ask_terms and ctx_terms:
                    c = max(c, min(coverage(ask_terms, own, cw, context=prev + n.quote, near=near),
                                   coverage(ctx_terms, n.quote, cw)))
                # a running total or a part ("历年累计", "其中") is not what a plain question asks for
                qualified = bool(re.search(_QUALIFIERS, own)) and not re.search(_QUALIFIERS, q.text) and \
                    not re.search(_QUALIFIERS_EN, q.text.lower()) or \
                    bool(re.search(_CHANNEL, re.split(r"[，,；;]", raw_own)[-1])) and \
                    not re.search(_CHANNEL_WORD, q.text)
                if qualified:
                    c -= 0.1
                scored.append((c, r, n, qualified))
                if best is None or c > best[0] + 1e-9:
                    best = (c, r, n)
        need = 0.75 if strict else 0.6
        if best and best[0] >= need:
            # another sentence saying a different number about as well: the question does not settle which
            rivals = [x for x in scored if x[0] >= best[0] - 0.03 and (x[2].value, x[2].unit) != (best[2].value,
                                                                                                 best[2].unit)]
            if rivals:
                # the clause that shares more of the question's own character pairs ("月通报" vs 季度通报): that one,
                # when exactly one stands out; otherwise the question does not settle which
                top = [(best[1], best[2])] + [(x[1], x[2]) for x in rivals]
                pick = _closest_clause(q.text, top, [a for r in reports for a in self.index.alias.get(r.agency, {})]) \
                    or _total_clause(q.text, top, [(x[1], x[2]) for x in scored if x[0] >= best[0] - 0.03]) \
                    or _noun_after(terms_of.get(best[1].id, []), top)
                if pick is None:
                    return None
                best = (best[0], *pick)
                return best[1], best[2]
            # a different sentence that says a different number and holds the question's words as fully
            whole = coverage(terms_of[best[1].id], best[2].quote, weights_of[best[1].id])
            for c, r, n, qualified in scored:
                if n.quote == best[2].quote or (n.value, n.unit) == (best[2].value, best[2].unit) or c < need - 0.3 \
                        or qualified:
                    continue
                if q.unit_hint and not _unit_ok(q.unit_hint, n.unit):
                    continue
                if coverage(terms_of[r.id], n.quote, weights_of[r.id]) >= whole - 0.02 and c >= best[0] - 0.5:
                    return None
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
        ctx = (n.context or n.quote)[-24:]
        ans.interpretation = {"agency": r.agency, "years": [r.year], "cells": [], "operation": "narrative",
                              "line": (f"按：{r.agency} · {r.year} · 报告正文：…{ctx}" if zh else
                                       f"Read as: {r.agency} · {r.year} · report text: …{ctx}")}
        return ans

    def _narrative_compare(self, q: Query, ans: Answer, reports: list[Report]) -> Answer | None:
        """A difference between two years of a figure stated in the text (主动公开信息 2023 vs 2021)."""
        zh = q.lang == "zh"
        got = []
        # each year's sentence is found by what is counted, not by the words of the comparison (比上年多了多少)
        asked = _COMPARE_WORDS.sub(" ", q.text)
        one = replace(q, text=asked, residue=_COMPARE_WORDS.sub(" ", q.residue))
        for y in q.years[:2]:
            hit = self._narrative(one, [r for r in reports if r.year == y], strict=True)
            if not hit:
                return None
            got.append(hit)
        if q.diff_dir < 0:  # "2024年比2021年少了多少": the amount by which the first is smaller
            got.reverse()
        (r1, n1), (r2, n2) = got
        if _unit_ok(n1.unit, n2.unit) is False or isinstance(n1.value, str) or isinstance(n2.value, str):
            return None
        diff = n1.value - n2.value
        ans.kind, ans.value, ans.unit = "figure", diff, n1.unit
        ans.answer = (f"{r1.agency}：{r1.year}年报告正文 {fmt(n1.value)}{n1.unit}，{r2.year}年 {fmt(n2.value)}{n2.unit}，"
                      f"相差 {fmt(diff)}{n1.unit}（{r1.year} − {r2.year}）。" if zh else
                      f"{r1.agency}: {r1.year} report text {fmt(n1.value)} {n1.unit}, {r2.year} {fmt(n2.value)} "
                      f"{n2.unit}; difference {fmt(diff)} ({r1.year} − {r2.year}).")
        ans.citations = [Citation(r.id, r.agency, r.year, n.section, None, n.span.page, r.source, n.quote)
                         for r, n in got]
        ans.verified = all(narrative_ok(self.squeezed[r.id], n) for r, n in got)
        ans.interpretation = {"agency": r1.agency, "years": [r1.year, r2.year], "cells": [], "operation": "compare",
                              "line": (f"按：{r1.agency} · {r1.year}、{r2.year} · 报告正文数字之差" if zh else
                                       f"Read as: {r1.agency} · {r1.year}, {r2.year} · difference of report-text "
                                       f"figures")}
        return ans

    def _narrative_sum(self, q: Query, ans: Answer, r: Report) -> tuple[Answer | None, int]:
        """Figures stated in the text that the question adds up ("人大代表建议和政协提案加在一起"): each part
        its own clause, found as surely as a single figure; any part not found leaves no answer.
        Returns (the answer or None, how many parts the question names)."""
        body = q.text
        for a in sorted(self.index.alias.get(r.agency, {}), key=len, reverse=True):
            body = body.replace(a, " ")  # names hold 与/和 (旅游与文化体育局): out before the split
        body = re.sub(_SUM_TAIL, " ", _REPORT_REF.sub(" ", _META.sub(" ", _without_preamble(body, []))))
        parts = [p for p in re.split(r"以及|加上|和|与|及|\+|＋|\band\b|\bplus\b", body)
                 if content_terms(p, drop=list(self.index.alias.get(r.agency, {})))]
        if len(parts) < 2:
            return None, len(parts)
        def find(text: str) -> NarrativeFigure | None:
            hit = self._narrative(replace(q, text=text, residue=text, quoted=(), sum_words=False), [r], strict=True)
            return hit[1] if hit else None

        got: list[NarrativeFigure] = []
        for part in parts:
            # "机构职能类、政策规范性文件类": items listed with 、 are figures of their own — unless the report's
            # own label holds the 、 ("政策、规范性文件信息4条")
            pieces = [p for p in part.split("、") if content_terms(p, drop=list(self.index.alias.get(r.agency, {})))]
            fine = [find(p) for p in pieces] if len(pieces) > 1 else []
            if fine and all(fine) and len({n.span.start for n in fine if n}) == len(fine):
                hits = [n for n in fine if n]
            else:
                one = find(part)
                if one is None or len(pieces) > 1 and "、" not in _window(one)[0]:
                    return None, len(parts)
                hits = [one]
            for n in hits:
                if any(_same_clause(n, m) for m in got):
                    return None, len(parts)
                got.append(n)
        if len({n.unit for n in got}) != 1 or any(isinstance(n.value, str) for n in got):
            return None, len(parts)
        v = sum(n.value for n in got)
        zh = q.lang == "zh"
        ans.kind, ans.value, ans.unit = "figure", v, got[0].unit
        parts_txt = " + ".join(f"{fmt(n.value)}" for n in got)
        ans.answer = (f"{r.agency}{r.year}年报告正文：合计{fmt(v)}{ans.unit} = {parts_txt}" if zh else
                      f"{r.agency} ({r.year}) report text: {fmt(v)} {ans.unit} in total = {parts_txt}")
        ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year}]
        ans.citations = [Citation(r.id, r.agency, r.year, n.section, None, n.span.page, r.source, n.quote) for n in got]
        ans.verified = all(narrative_ok(self.squeezed[r.id], n) for n in got)
        ans.interpretation = {"agency": r.agency, "years": [r.year], "cells": [], "operation": "sum",
                              "line": (f"按：{r.agency} · {r.year} · 报告正文数字之和" if zh else
                                       f"Read as: {r.agency} · {r.year} · sum of report-text figures")}
        return ans, len(parts)

    def _narrative_share(self, q: Query, ans: Answer, r: Report) -> Answer | None:
        """A share of two figures the text states ("主动公开的信息中，“其他…”占百分之几" → 494 ÷ 514), each found
        as surely as a single figure, in the same unit, from different clauses; computed, not printed."""
        num_t, base_t = _share_parts(q.text)
        if not base_t.strip() or not num_t.strip():
            return None

        def find(text: str):
            sub = replace(q, text=text, residue=text, quoted=(), op="value", unit_hint=None, sum_words=False,
                          share_base=None)
            return self._narrative(sub, [r], strict=True)

        n, d = find(num_t), find(base_t)
        if not n or not d or n[1].unit != d[1].unit or n[1].span.start == d[1].span.start or \
                isinstance(n[1].value, str) or isinstance(d[1].value, str) or not d[1].value:
            return None
        from decimal import ROUND_HALF_UP, Decimal
        places = share_places(q, r)
        v = (Decimal(str(n[1].value)) * 100 / Decimal(str(d[1].value))).quantize(Decimal(1).scaleb(-places),
                                                                                   rounding=ROUND_HALF_UP)
        zh = q.lang == "zh"
        ans.kind, ans.value, ans.unit = "figure", v, "%"
        ans.answer = (f"{r.agency}{r.year}年报告正文：{fmt(n[1].value)} ÷ {fmt(d[1].value)} = {fmt(v)}%（按正文的两个数字计算，"
                      f"保留{places}位小数）" if zh else
                      f"{r.agency} ({r.year}) report text: {fmt(n[1].value)} / {fmt(d[1].value)} = {fmt(v)}% "
                      f"(computed from two figures of the text, {places} decimals)")
        ans.reports = [{"id": r.id, "agency": r.agency, "year": r.year}]
        ans.citations = [Citation(r.id, r.agency, r.year, x.section, None, x.span.page, r.source, x.quote)
                         for x in (n[1], d[1])]
        ans.verified = all(narrative_ok(self.squeezed[r.id], x) for x in (n[1], d[1]))
        ans.interpretation = {"agency": r.agency, "years": [r.year], "cells": [], "operation": "share",
                              "line": (f"按：{r.agency} · {r.year} · 报告正文两个数字之比" if zh else
                                       f"Read as: {r.agency} · {r.year} · share of two report-text figures")}
        return ans

    def _narrative_years(self, q: Query, ans: Answer, reports: list[Report]) -> Answer:
        """A figure stated in the text, asked over several years: each year's own sentence — added up when the
        question says so (合计), otherwise each year's figure; a year whose text does not state it leaves no
        answer (one year's figure is not the answer for two)."""
        zh = q.lang == "zh"
        got = []
        ranked = q.op == "rank" and q.rank_over == "years"
        if ranked:  # "哪年多？多的那年是多少条": each year's sentence by what is counted, found as surely as one
            asked = _RANK_WORDS.sub(" ", q.text)
            q = replace(q, text=asked, residue=_RANK_WORDS.sub(" ", q.residue))
        for y in sorted({r.year or 0 for r in reports}):
            hit = self._narrative(q, [r for r in reports if (r.year or 0) == y], strict=ranked)
            if not hit:
                ans.notes.append(f"{y}年的报告正文中没有找到这个数字。" if zh else f"The {y} report's text does not state it.")
                return self._not_found(q, ans, reports[0].agency, None)  # type: ignore[attr-defined]
            got.append(hit)
        units = {n.unit for _, n in got}
        parts = "；".join(f"{r.year}年 {fmt(n.value)}{n.unit}" for r, n in got) if zh else \
            "; ".join(f"{r.year}: {fmt(n.value)} {n.unit}" for r, n in got)
        ans.citations = [Citation(r.id, r.agency, r.year, n.section, None, n.span.page, r.source, n.quote)
                         for r, n in got]
        ans.verified = all(narrative_ok(self.squeezed[r.id], n) for r, n in got)
        ag = got[0][0].agency
        if ranked and len(units) == 1 and not any(isinstance(n.value, str) for _, n in got) and \
                len({n.value for _, n in got}) == len(got):
            pick = (max if q.rank_dir == "max" else min)(got, key=lambda g: g[1].value)
            ans.kind, ans.value, ans.unit = "figure", pick[1].value, pick[1].unit
            most = ("最多" if q.rank_dir == "max" else "最少") if zh else ("highest" if q.rank_dir == "max" else "lowest")
            ans.answer = (f"{ag}报告正文：{pick[0].year}年{most}，{fmt(pick[1].value)}{ans.unit}（{parts}）。" if zh else
                          f"{ag}, report text: {pick[0].year} is the {most}, {fmt(pick[1].value)} {ans.unit} ({parts}).")
            ans.citations.sort(key=lambda c: c.year != pick[0].year)
            op = "rank"
        elif q.sum_words and len(units) == 1 and not any(isinstance(n.value, str) for _, n in got):
            v = sum(n.value for _, n in got)
            ans.kind, ans.value, ans.unit = "figure", v, got[0][1].unit
            ans.answer = (f"{ag}报告正文合计：{fmt(v)}{ans.unit}（{parts}）。" if zh else
                          f"{ag}, report text, total: {fmt(v)} {ans.unit} ({parts}).")
            op = "sum"
        else:
            ans.kind, ans.value, ans.unit = "clarify", None, None
            ans.answer = (f"{ag}各年报告正文的数字：{parts}。请问要哪一年，还是合计？" if zh else
                          f"{ag}, each year's report text: {parts}. Which year, or the total?")
            op = "each year"
        ys = [r.year for r, _ in got]
        ans.interpretation = {"agency": ag, "years": ys, "cells": [], "operation": op,
                              "line": (f"按：{ag} · {'、'.join(map(str, ys))} · 报告正文" if zh else
                                       f"Read as: {ag} · {', '.join(map(str, ys))} · report text")}
        return ans

    def _dept_narrative(self, q: Query, parent: str, name: str):
        """A department without a report of its own: a sentence about it in its government's report, if the
        question's year (or the only report) settles which one."""
        core = self.index.department_core(name, parent)
        if len(core) < 2:
            return None
        must = "".join(re.escape(ch) + (".{0,3}" if i < len(core) - 1 else "") for i, ch in enumerate(core))
        reports = [r for r in self._store_order([parent]) if not q.years or r.year in q.years]  # type: ignore[attr-defined]
        if not q.years and len({r.year for r in reports}) > 1:
            return None
        terms = content_terms(q.text.replace(name, " "))
        scored = []
        for r in reports:
            for n in r.narrative:
                quote = re.sub(r"\s+", "", n.quote)
                if not re.search(must, quote) or (q.unit_hint and not _unit_ok(q.unit_hint, n.unit)):
                    continue
                hit = [t for t in terms if re.search(".{0,3}".join(map(re.escape, t)), quote)]
                scored.append((sum(map(len, hit)) / max(1, sum(map(len, terms))), r, n))
        scored.sort(key=lambda x: -x[0])
        top = [x for x in scored if scored and x[0] >= scored[0][0] - 0.1]
        if scored and scored[0][0] >= 0.5 and len({(x[2].value, x[2].unit) for x in top}) == 1:
            return scored[0][1], scored[0][2]
        return None


_EN_COMMON = set("""how many much what which when where were was did does have has had with from that this these
those there their they them into onto about after before during total number numbers year years report reports
government information disclosure openness requests request applications application cases case count counted
according text table figure figures given give shown show listed list said says stated state county district city
town township bureau commission office municipal people peoples received receive filed file made make done under
sub item items ended ending closed close handled handle many much also still both each only same other others
over against between because since than then more most less least fewer fewest highest lowest largest smallest
pingtan round rounded decimal decimals percent percentage share rate ratio whole nearest answer answered
compared compare comparison versus difference change changed increase increased decrease decreased grow grew
previous prior last next""".split())


@lru_cache(maxsize=1)
def _en_known() -> frozenset[str]:
    """English words the catalog or the question grammar explains."""
    from rag import catalog as C
    words = set(_EN_COMMON)
    texts = [w for c in C.ROW_CONCEPTS for w in (*c.words, c.en)] + [w for c in C.COLUMNS for w in (*c.words, c.en)]
    for w in texts:
        words.update(re.findall(r"[a-z]+", w.lower()))
    return frozenset(words)


# words that say nothing about what a figure counts ("全年共公布631条": the clause before says what)
_GENERIC = r"全年|今年|本年|全区|全县|全市|全镇|我区|我县|我市|我镇|共计|合计|累计|共|公布|公开|发布|发出|各类|主动|信息|政府|完成|开展"
# the end of an enumerated item ("核准企业资质条、施工许可证76条"): a unit, then 、
_ITEM_END = re.compile(r"(?<=[条件个次篇项人元家份])\s*、")
# the question itself points at the report's text (not only at a verb the text tends to use, like 受理)
_ASKS_TEXT = re.compile(r"正文|原文|文中|总体情况|报告里说|报告中说|报告说|按报告.{0,4}说法|narrative|according to the report|"
                        r"the report says|report'?s? text", re.I)
# words of setting and publishing verbs: little to say about which figure is meant when other words are there
_SETTING = r"全年|今年|本年|全区|全县|全市|全镇|我区|我县|我市|我镇|公布|公开|发布|发出|发了|发的|发过|各类|主动|完成|开展"
_QUALIFIERS_EN = r"cumulative|to date|so far|over the years|all years|of which|among them|\bother\b"
_QUALIFIERS = r"累计|历年|同比|较上年|比上年|增长|下降|占比|其中|其他"
# a clause about one channel (通过微信公众号公开…480条) tells a part of the year's whole, unless the question
# names a channel itself
_CHANNEL_WORD = r"微信|微博|公众号|新媒体|抖音|网站|公开栏|平台"
_CHANNEL = r"通过[^，。]{0,8}?(?:" + _CHANNEL_WORD + ")"


def _cell_units(concept) -> set[str]:
    """Units the concept's cells can be in (件 for counts, 万元/元 for amounts, 项 for table-2 items)."""
    if concept.table == "table2":
        return {"件", "项", "个", "万元", "元", "次"}
    return {"件", "家", "起", "次", "场", "个", "人", "名"}  # requests and cases, counted by whoever asks


# how the question asks to be answered ("按报告正文的数字"), not what it asks about: no content words
_META = re.compile(r"[按照依据以]*(?:报告)?(?:正文|原文|文字|文中)(?:里|中|部分)?(?:的|所)?(?:数字|数据|说法|口径|写的|说的)?"
                   r"|according to the (?:report'?s? )?(?:text|narrative)"
)
# where in the report a question points ("正文第一部分说", "年报里有写"): no words about what is counted
_REPORT_REF = re.compile(r"第[一二三四五六七八九十\d]+(?:部分|节|章|段)|(?:年报|报告|文件)(?:里|中|上)(?:有写|写了|写的|说的|提到的?)?|"
                         r"(?:年报|报告|年度报告|报)(?:称|说|显示|提到|指出|写道|披露)|据[^，,]{0,8}?披露|披露的?|"
                         r"里有写|有写|有提到|(?:印发|发布|公布|出)的?(?:那份|这份)(?:年报|报告)?|(?:那份|这份)(?:年报|报告)")  # "正文第一部分说": where in the report, not what


def _unit_ok(hint: str, unit: str) -> bool:
    u = unit.lstrip("余")
    if hint == u or (hint == "金额" and u in MONEY):
        return True
    same = [{"件", "个", "项", "份", "起"}, {"条", "篇"}, {"次", "场", "期"}, {"人", "名"}]
    return any(hint in s and u in s for s in same)


def _topic(r: Report, n: NarrativeFigure) -> str:
    """The short sentence before the figure's that names its topic ("三是做好惠企纾困政策公开。在网站显眼位置设立
    专栏，发布政策文件20件"): '' when the sentence before is no such heading."""
    text = getattr(r, "text", "") or ""
    head = re.sub(r"\s+", "", n.quote)[:6]
    i = text.rfind(head[:4], max(0, n.span.start - len(n.quote) - 40), n.span.start + 1) if head else -1
    if i <= 0:
        return ""
    before = text[max(0, i - 40):i].rstrip()
    if not before.endswith(("。", "；", ";")):
        return ""
    last = re.split(r"[。；;！!？?]", before[:-1])[-1].strip()
    return last if re.match(r"[一二三四五六七八九十]是", last) and len(last) <= 24 and not re.search(r"\d", last) else ""


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
    marks = re.sub(r"(?<=\d),(?=\d{3})", "\x00", quote)  # 1,150: a thousands comma ends no clause
    start = max(marks.rfind(ch, 0, pos) for ch in seps) + 1
    prev = max(marks.rfind(ch, 0, max(0, start - 1)) for ch in seps) + 1 if start > 0 else 0
    ends = [j for j in (marks.find(ch, pos) for ch in seps) if j >= 0]
    return quote[start:min(ends) if ends else len(quote)], quote[prev:start]


def _without_preamble(text: str, aliases: list[str]) -> str:
    """The question without the clauses before it that say who asks ("我是跑政务口的记者，想核实一个数字："):
    the leading clauses before the first that names a year or the agency."""
    clauses = re.split(r"(?<=[，,：:。！!；;])", text)
    for i, c in enumerate(clauses):
        if re.search(r"(?:19|20)\d\d|\d\d\s*年|[〇零一二三四五六七八九]{4}年", c) or any(a and a in c for a in aliases):
            lead = "".join(clauses[:i])
            # only a lead-in about the asker ("我是…记者，想核实一个数字：") — "政策解读，平潭2025年…" keeps its words
            return "".join(clauses[i:]) if i and re.search(r"我|本人|想|请|帮|麻烦|领导|需要|核实|了解", lead) else text
    return text


def _pairs(text: str) -> set[str]:
    zh = re.sub(r"[^\u4e00-\u9fff]+", " ", re.sub(_GENERIC + "|" + _SETTING, " ", text))
    return {w[i:i + 2] for w in zh.split() for i in range(len(w) - 1)}


def _closest_clause(question: str, cands: list[tuple[Report, NarrativeFigure]], aliases: list[str]):
    """Of clauses that cover the question's words equally, the one sharing strictly the most character pairs
    with the question (its own words, agency names and setting words left out); None on a tie."""
    for a in sorted(aliases, key=len, reverse=True):
        question = question.replace(a, " ")
    want = _pairs(question)
    def own(n: NarrativeFigure) -> str:  # the words since the previous figure: 季度通报3次、月通报7次 → 月通报
        clause = re.sub(r"\s+", "", _window(n)[0])
        at = clause.rfind(fmt(n.value))
        return re.split(r"\d+(?:\.\d+)?", clause[:at] if at > 0 else clause)[-1]

    scored = sorted(((len(want & _pairs(own(n))), r, n) for r, n in cands), key=lambda x: -x[0])
    # the winner must share the rivals' word and more of the question ("月通报": 月通+通报 vs 通报 alone)
    if len(scored) < 2 or scored[0][0] < 2 or scored[1][0] < 1 or scored[0][0] == scored[1][0]:
        return None
    return scored[0][1], scored[0][2]


def _noun_after(terms: list[str], cands: list[tuple[Report, NarrativeFigure]]):
    """Numbers of one enumeration that name their thing after the count ("2个政府网站、29个政务新媒体"): the one
    number whose own words — after it, up to the next 、 or clause mark — hold the most of the question's words;
    None when no one number stands out."""
    def after(n: NarrativeFigure) -> str:
        q = re.sub(r"\s+", "", n.quote)
        at = q.find(fmt(n.value) + n.unit)
        return re.split(r"[、，,；;。：:]", q[at + len(fmt(n.value) + n.unit):])[0] if at >= 0 else ""

    scored = sorted(((sum(len(t) for t in terms if t in after(n)), r, n) for r, n in cands), key=lambda x: -x[0])
    if len(scored) < 2 or scored[0][0] == 0 or scored[0][0] == scored[1][0]:
        return None
    return scored[0][1], scored[0][2]


_TOTAL_CUE = r"全年|全区|共计|一共|总共|总计|合计|总数|共(?=\s*(?:\d|多少|几))"


def _total_clause(question: str, cands: list[tuple[Report, NarrativeFigure]],
                  equal: list[tuple[Report, NarrativeFigure]]):
    """Numbers that cover the question equally (`cands`, one per number; `equal`, every clause scored as well),
    and the question asks for a whole (全年…共多少条): the one number some clause states as a whole (全年公开政府信息
    共228条, not 通过微信公众号公开…480条 or 其他…12条); None otherwise."""
    if not re.search(_TOTAL_CUE, question):
        return None
    whole = {(n.value, n.unit) for _, n in equal if re.search(_WHOLE, re.sub(r"\s+", "", _window(n)[0])) and
             not re.search(r"其中|其他|通过|累计", _window(n)[0])}
    hits = [(r, n) for r, n in cands if (n.value, n.unit) in whole]
    return hits[0] if len({(n.value, n.unit) for _, n in hits}) == 1 else None


_WHOLE = r"全年|全[区镇县市乡]|共|总计|合计|总数"


_SUM_TAIL = r"加起来|加在一起|合计|一共|总共|共计|总计|相加|之和|in total|combined|together"


def _same_clause(a: NarrativeFigure, b: NarrativeFigure) -> bool:
    return a.span.start == b.span.start
