"""Number normalisation: printed cell text → int / Decimal / amount string, never float."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from gongkai.model import Number

BLANKS = {"", "-", "—", "–", "－", "/", "／", "无", "--", "——", "\\", "×"}
_NUM = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def normalize(s: str) -> str:
    """NFKC (full-width digits → ASCII), strip spaces and thousands separators."""
    s = unicodedata.normalize("NFKC", s).strip()
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)  # "1,286件": a unit after the digits
    return s.replace(" ", "")


def parse_number(s: str) -> Number | None:
    """Return int or Decimal for a printed number ("12", "7730.28", "１２", "1,234", "12.5万"); None if blank."""
    t = normalize(s).replace("−", "-").replace("﹣", "-")
    if t in BLANKS:
        return None
    if t.startswith(("减少", "增加")):  # 本年增/减 printed in words: "减少3" = -3
        t = ("-" if t.startswith("减少") else "") + t[2:]
    t = t.lstrip("+")
    mult = 1
    if t.endswith("万") and _NUM.match(t[:-1]):
        t, mult = t[:-1], 10000
    t = re.sub(r"(元|万元|个|件|条|项|次|人|篇|笔)$", "", t)
    if not _NUM.match(t):
        return None
    try:
        d = Decimal(t) * mult
    except InvalidOperation:
        return None
    if d == d.to_integral_value() and ("." not in t or mult != 1):
        return int(d)
    return d


def as_json(v: Number | str | None):
    """Return a JSON-friendly value: int stays int, Decimal → float only at the JSON edge."""
    if isinstance(v, Decimal):
        exp = v.as_tuple().exponent  # a str ('n', 'N', 'F') only for NaN / infinity, which parse_number never makes
        return int(v) if v == v.to_integral_value() and isinstance(exp, int) and exp >= 0 else float(v)
    return v


def to_decimal(v) -> Decimal | None:
    """Compare helper: numbers and amount strings ("75394432.52元", "+17") → Decimal."""
    if v is None:
        return None
    if isinstance(v, (int, Decimal)):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    m = re.search(r"[+-]?\d+(?:\.\d+)?", normalize(str(v)))
    return Decimal(m.group()) if m else None
