"""Figures stated in a report's sentences (index/narrative.py): each number whole, with its unit."""

from __future__ import annotations

import pytest

from gongkai.model import Section, Span
from index.narrative import figures


def _figs(sentence: str):
    sec = Section(number=1, title="一、总体情况", path=["一、总体情况"], text=sentence, span=Span(0, len(sentence), 1))
    return [(f.value, f.unit) for f in figures(sentence, [sec], lambda _: 1)]


@pytest.mark.parametrize("sentence, want", [
    ("平台全年受理投诉举报2,874件，办结率99.6%。", (2874, "件")),
    ("全年主动公开政府信息12,306条。", (12306, "条")),
    ("为企业减免社会保险费17.36亿元。", (17.36, "亿元")),
])
def test_a_number_with_thousands_separators_is_read_whole(sentence, want):
    got = _figs(sentence)
    assert want in [(float(v) if isinstance(want[0], float) else v, u) for v, u in got], got
    assert all(v != 874 and v != 306 for v, _ in got), got


def test_a_comma_between_clauses_is_no_thousands_separator():
    assert _figs("发布政策解读5条,回应关切3件。") == [(5, "条"), (3, "件")]


@pytest.mark.parametrize("sentence, want", [
    ("全年举办政务公开业务培训班三期，培训260余人次。", (3, "期")),
    ("召开新闻发布会十五场，市领导出席发布7场。", (15, "场")),
    ("组织政策宣讲活动二十三场。", (23, "场")),
])
def test_a_count_in_chinese_numerals_is_a_figure(sentence, want):
    assert want in _figs(sentence), _figs(sentence)


def test_ordinals_and_set_phrases_are_no_counts():
    assert _figs("召开第三次会议，实行一次性告知。") == []
