"""Every number in an answer is checked against the structured extract and the cited text."""

from __future__ import annotations

import re

from gongkai.model import Fact, NarrativeFigure, Report
from index.narrative import _CN_FIG, cn_count
from index.numbers import normalize, parse_number


def fact_ok(r: Report, f: Fact) -> bool:
    """The stored value equals the printed cell, and the printed cell is in the report text at its span."""
    if f.value is None:
        return f.raw.strip() in ("", "-", "—", "/", "无")
    v = parse_number(f.raw) if not isinstance(f.value, str) else f.value
    if v != f.value:
        return False
    src = re.sub(r"\s+", "", normalize(r.text[f.span.start:f.span.end]))
    return re.sub(r"\s+", "", normalize(f.raw)) in src


def narrative_ok(report_text_squeezed: str, n: NarrativeFigure) -> bool:
    """The figure's number is in its sentence, and the sentence is in the report (whitespace ignored)."""
    text = report_text_squeezed
    quote = re.sub(r"\s+", "", n.quote)
    num = str(n.value)
    if quote not in text:
        return False
    if num in quote or num in re.sub(r"(?<=\d),(?=\d{3})", "", quote):  # 1,150 is printed for 1150
        return True
    return any(cn_count(m.group(1)) == n.value for m in _CN_FIG.finditer(quote))  # 十五场 is printed for 15
