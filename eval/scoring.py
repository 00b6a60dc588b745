"""How an answer is scored against a gold question: numbers as numbers, text whitespace-insensitive,
and when a citation "holds the evidence".

Evidence strings in the gold files are written for people: they skip cells with "…", add the sum
("= 6", "共3") and comment in parentheses ("（注意：表三本年新收总计为95）"). The rule used here:

1. Commentary is removed: a parenthesised group holding 注意/表内/表中/表三/正文/亦/不一致/本文件/
   未注明/"=", a "；正文：…" tail, and for sums the result ("= 6", "，共3", "，其余为0" is kept).
2. The evidence's numbers are the number tokens left, without enumerators ("3.危及", "1. 本机关")
   and without dates ("2024 年", "12 月 31 日").
3. Figure questions (table, narrative): the top citation holds the evidence when every evidence number
   appears among the numbers of its quote. Sum questions: the same over all citations of the right
   report (one citation per added row). Text questions (and evidence without numbers): the quote holds
   the gold answer, or shares a run of at least min(12, half the cleaned evidence) characters with it.
4. And the citation must come from the gold report.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

FIGURE_TYPES = ("table", "sum", "narrative", "figure")  # "figure": dev-natural's one type for all figures
TYPES = ("table", "sum", "narrative", "figure", "text", "unanswerable", "clarify")

_NOTE_WORDS = ("注意", "注:", "表内", "表中", "表三", "正文", "亦", "不一致", "本文件", "未注明", "=")
_PAREN = re.compile(r"\([^()]*\)")
_NUM = re.compile(r"\d+(?:\.\d+)?")


def squeeze(s: str | None, keep_numbers_apart: bool = False) -> str:
    """NFKC, all whitespace removed (the comparison form of any text).

    keep_numbers_apart: whitespace between two digits becomes "|" so "705 3 0" stays three numbers.
    """
    t = unicodedata.normalize("NFKC", s or "")
    if keep_numbers_apart:
        t = re.sub(r"(?<=\d)\s+(?=\d)", "|", t)
    return re.sub(r"\s+", "", t)


def gold_number(a) -> Decimal | None:
    """The number a gold answer states: "73802895.90元" → 73802895.90, "+17" → 17, "7700余条" → 7700."""
    if a is None:
        return None
    if isinstance(a, bool):
        return None
    if isinstance(a, (int, Decimal)):
        return Decimal(a)
    if isinstance(a, float):
        return Decimal(repr(a))
    s = squeeze(str(a)).replace(",", "")
    m = re.search(r"[+-]?\d+(?:\.\d+)?", s)
    if not m:
        return None
    try:
        return Decimal(m.group()).copy_abs() if m.group().startswith("+") else Decimal(m.group())
    except InvalidOperation:
        return None


def printed_number(a) -> str | None:
    """The gold answer's number as printed ("73802895.90元" → "73802895.90", "+17" → "17")."""
    if a is None:
        return None
    m = re.search(r"\d+(?:\.\d+)?", squeeze(str(a)).replace(",", ""))
    return m.group() if m else None


def same_number(got, want) -> bool:
    """True when two values are the same number (Decimal comparison, 7730.280 == 7730.28)."""
    g, w = gold_number(got), gold_number(want)
    return g is not None and w is not None and g == w


def clean_evidence(evidence: str, qtype: str) -> str:
    """The evidence without commentary (see the module docstring), NFKC, whitespace removed."""
    e = squeeze(evidence, keep_numbers_apart=True)  # NFKC: （）→ (), … → ..., ＝ → =
    groups = [m.group() for m in _PAREN.finditer(e)]
    for g in groups:
        if any(w in g for w in _NOTE_WORDS):
            e = e.replace(g, "")
    e = re.sub(r"[;；]正文[:：].*$", "", e)
    if qtype == "sum" or "+" in e:
        e = re.sub(r"=[+-]?\d+(?:\.\d+)?", "", e)
        e = re.sub(r"[,，]?共\d+(?:\.\d+)?", "", e)
    return e


def numbers_in(text: str, drop_dates: bool = False) -> list[Decimal]:
    """The numbers of a text (whitespace removed): no enumerators ("3.危及"), optionally no dates."""
    t = squeeze(text, keep_numbers_apart=True)
    out = []
    for m in _NUM.finditer(t):
        after, next2 = t[m.end():m.end() + 1], t[m.end() + 1:m.end() + 2]
        if after in (".", "、") and (next2.isalpha() or next2 in "“\"'"):
            continue  # enumerator "1.本机关" / "2、重复申请"
        if drop_dates and after in ("年", "月", "日", "号"):
            continue
        out.append(Decimal(m.group()))
    return out


def evidence_numbers(evidence: str, qtype: str) -> list[Decimal]:
    """The numbers a citation must show for this evidence (dates and enumerators left out)."""
    return numbers_in(clean_evidence(evidence, qtype), drop_dates=True)


def common_run(a: str, b: str) -> int:
    """Length of the longest common run of characters of two texts (whitespace removed)."""
    a, b = squeeze(a), squeeze(b)
    if not a or not b:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def holds_evidence(quotes: list[str], evidence: str | None, qtype: str, gold_answer=None) -> bool:
    """True when the quote(s) hold the evidence by the rule of the module docstring."""
    if not quotes:
        return False
    if not evidence:
        return True
    if qtype in FIGURE_TYPES:
        want = evidence_numbers(evidence, qtype)
        if want:
            have = set()
            for q in quotes:
                have.update(numbers_in(q))
            return all(n in have for n in want)
    text = " ".join(quotes)
    if gold_answer is not None and qtype == "text" and squeeze(str(gold_answer)) in squeeze(text):
        return True
    e = clean_evidence(evidence, qtype)
    fragments = [f for f in re.split(r"…+|\.{3,}", e) if f]
    longest = max(fragments, key=len) if fragments else e
    need = max(4, min(12, len(longest) // 2))
    return common_run(longest, text) >= need


def text_holds(answer_text: str, gold) -> bool:
    """True when the gold answer string is in the text, whitespace- and width-insensitive."""
    g = squeeze(str(gold)) if gold is not None else ""
    return bool(g) and g in squeeze(answer_text)


def number_printed_in(text: str, gold) -> bool:
    """True when the gold figure, as printed, stands in the text as a whole number token."""
    p = printed_number(gold)
    if p is None:
        return False
    t = squeeze(text, keep_numbers_apart=True).replace(",", "")
    return re.search(rf"(?<![\d.]){re.escape(p)}(?![\d]|\.\d)", t) is not None
