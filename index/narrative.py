"""Figures stated in the report's text, each with its unit and sentence."""

from __future__ import annotations

import re

from gongkai.model import NarrativeFigure, Section, Span
from index.numbers import parse_number

UNITS = ("余条", "余件", "余起", "起", "余次", "余个", "余篇", "余万", "万元", "万人次", "人次", "条", "件", "篇", "次", "个", "场",
         "人", "名", "期", "项", "元", "%", "％", "家", "份", "部", "批", "户", "天", "个工作日", "工作日", "万", "亿元", "亿", "余户", "万户",
         "台", "套", "处", "所", "座", "辆", "块", "余场", "余期")
# a number with thousands separators (2,874 / 12,486.35) is one number: "874" is never read out of it
_FIG = re.compile(r"(?<![\d.])(?<!\d,)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*("
                  + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True)) + r")")
_SENT = re.compile(r"[^。；;！!？?\n]*(?:[。；;！!？?]|$)")


# a count written in Chinese numerals ("培训班三期", "新闻发布会十五场", "二十三场"): 2 and more, never after 第/每
_CN_FIG = re.compile(r"(?<![第每单同唯之初一二三四五六七八九十百两])([二三四五六七八九十两][一二三四五六七八九十百]{0,3}|一[十百][一二三四五六七八九十]{0,2})"
                     r"(场|期|次|批|个|项|件|条|篇|名|家|户|天)(?![一二三四五六七八九十])")
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_count(s: str) -> int | None:
    """二十三 → 23, 十五 → 15, 一百二十 → 120, 三 → 3 (None when it is no plain count)."""
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGIT:
            cur = _CN_DIGIT[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur or None


# labels only the statistical tables print: a section holding one is a table, not sentences
_TABLE_MARK = re.compile(r"第二十条|本年新收|申请人情况|结果维持|未经复议|信息内容|处理决定数量|本年制发")


_HEADINGS = re.compile(r"[一二三四五六七]\s*[、.．]\s*[^。，；\d]{2,24}?情况|"
                       r"[（(][一二三四五六七八九十][)）]\s*[^。，；\d（(]{2,16}?(?:数量|情况|方面)(?=\s*(?:\d{4}|[^\d\s，。；]))")


def flat(s: str) -> str:
    """Join lines broken by the PDF layout (a quote reads as one sentence)."""
    return re.sub(r"\s*\n\s*", "", s)


def figures(text: str, sections: list[Section], page_of) -> list[NarrativeFigure]:
    """Return number+unit figures from narrative sections (1, 5, 6 and the front matter)."""
    out: list[NarrativeFigure] = []

    def add(value, unit: str, sent: str, m: re.Match, sec: Section, at: int) -> None:
        """One figure: its value and unit, the sentence it stands in, the words just before it, where it is."""
        st = at + m.start()
        out.append(NarrativeFigure(value=value, unit=unit, quote=flat(sent).strip(),
                                   context=flat(sent[max(0, m.start() - 24):m.start()]),
                                   span=Span(st, st + len(m.group(0)), page_of(st)), section=" > ".join(sec.path)))

    for sec in sections:
        body = sec.text
        mark = _TABLE_MARK.search(body) if sec.number in (2, 3, 4) else None
        if mark:  # the template's tables (a report before 2019 tells these sections in sentences): only the
            body = body[:body.rfind("。", 0, mark.start()) + 1]  # whole sentences written before the table
            if not body:
                continue
            # its headings are no words of those sentences ("二、主动公开政府信息情况（一）主动公开政府信息的数量
            # 2023年制作、获取政府信息509条": 509 is what was made and obtained); blanked, offsets kept
            body = _HEADINGS.sub(lambda m: " " * len(m.group()), body)
        base = sec.span.start
        # sentences on the flattened text, mapped back to offsets by walking
        for sm in re.finditer(r"[^。；;！!？?]+[。；;！!？?]?", body):
            sent = sm.group(0)
            for m in _FIG.finditer(sent):
                after = sent[m.end():m.end() + 1]
                if m.group(2) in ("万",) and after == "元":
                    continue
                num = m.group(1)
                if re.match(r"\s*[年月日号]", sent[m.end(1):m.end(1) + 2]):
                    continue
                value = parse_number(num)
                if value is None:
                    continue
                add(value, "%" if m.group(2) == "％" else m.group(2), sent, m, sec, base + sm.start())
            for m in _CN_FIG.finditer(sent):  # 十五场, 培训班三期
                cn = cn_count(m.group(1))
                if cn is None or re.match(r"[年月日号届类级是要]", sent[m.end():m.end() + 1] or " "):
                    continue
                add(cn, m.group(2), sent, m, sec, base + sm.start())
    return out
