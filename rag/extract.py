"""Extractive answers from a report's text: contacts, dates, the problems section, best sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.model import Report
from index.narrative import flat
from rag.terms import coverage


@dataclass(frozen=True)
class Passage:
    answer: str
    quote: str
    start: int
    end: int
    section: str
    score: float = 1.0


def _section_at(r: Report, offset: int) -> str:
    for s in r.sections:
        if s.span.start <= offset < s.span.end:
            return " > ".join(s.path)
    return ""


def _sentence_around(text: str, start: int, end: int) -> tuple[str, int, int]:
    a = max(text.rfind(ch, 0, start) for ch in "。；;\n") + 1
    # PDF text breaks lines inside sentences: extend back over line breaks not preceded by a stop
    while a > 0 and text[a - 1] == "\n" and a >= 2 and text[a - 2] not in "。；;：:":
        a = max(text.rfind(ch, 0, a - 1) for ch in "。；;\n") + 1
    ends = [i for i in (text.find(ch, end) for ch in "。；;") if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    return flat(text[a:b]).strip(), a, b


def _squeeze(text: str) -> tuple[str, list[int]]:
    """Text without whitespace, with a map back to original offsets."""
    keep = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in keep), [i for i, _ in keep]


_PATTERNS = {
    "phone": r"(?:电话|传真|联系电话|咨询电话|热线)(?:/传真)?[:：]?((?:0\d{2,3}[-－—]?)?\d{7,8})",
    "fax": r"传真(?:号码|号)?[:：]?((?:0\d{2,3}[-－—]?)?\d{7,8})",
    "email": r"(?:邮箱|电子邮件|E-?mail|email)[:：]?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
    "address": r"(?:通讯地址|联系地址|地址)[:：]([^；;，,。)）]+)",
    "postcode": r"(?:邮编|邮政编码)[:：]?(\d{6})(?!\d)",
    "cc": r"抄送[:：]([^；;。]+?)(?:[，,、]存档)?(?:[。；;]|$)",  # an official document's copy line, printed under the signature
}


_URL = re.compile(r"((?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov\.cn|com\.cn|org\.cn|cn|com|org|net)"
                  r"(?:/[A-Za-z0-9_./%-]*)?)(?![A-Za-z0-9@])", re.I)


def website(r: Report) -> Passage | None:
    """The report's web address; of several, the one printed next to the agency's own name (the department's
    site, not its government's portal)."""
    sq, back = _squeeze(r.text)
    best, best_score = None, -1
    for m in _URL.finditer(sq):
        url = m.group(1)
        if "@" in sq[max(0, m.start() - 40):m.start()] and "@" in sq[m.start() - 1:m.start()]:
            continue
        if not re.match(r"(?:https?://|www\.)", url, re.I) and not url.lower().endswith(".gov.cn"):
            continue
        window = sq[max(0, m.start() - 30):m.start()]
        if re.search(r"(?:链接|原文|来源|url)[:：]?$", window, re.I):
            continue  # the address the page was saved from, not one the report gives
        score = max((k for k in range(len(r.agency), 0, -1) if r.agency[-k:] in window), default=0)
        if score > best_score:
            best, best_score = m, score
    if best is None:
        return None
    st, en = back[best.start(1)], back[best.end(1) - 1] + 1
    quote, _, _ = _sentence_around(r.text, st, en)
    return Passage(best.group(1), quote, st, en, _section_at(r, st))


def contact(r: Report, kind: str) -> Passage | None:
    """Phone / e-mail / address printed in the report, with the sentence holding it."""
    if kind == "website":
        return website(r)
    sq, back = _squeeze(r.text)
    m = re.search(_PATTERNS[kind], sq, flags=re.I)
    if not m and kind == "email":
        m = re.search(r"([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", sq)
    if not m:
        return None
    st, en = back[m.start(1)], back[m.end(1) - 1] + 1
    quote, _, _ = _sentence_around(r.text, st, en)
    return Passage(m.group(1), quote, st, en, _section_at(r, st))


_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def closing_date(r: Report) -> Passage | None:
    """The issuing date in the closing line (the last date of the report)."""
    tail_start = max(0, len(r.text) - 400)
    ms = list(_DATE.finditer(r.text, tail_start))
    if not ms:  # dated at the head: "（2024年1月18日印发）", or a short line ending with the date (机关名 2024年1月18日)
        ms = [m for m in _DATE.finditer(r.text[:600]) if "印发" in r.text[m.end():m.end() + 6] or
              r.text[max(0, m.start() - 2):m.start()] in ("(", "（") or _dated_line(r.text, m)]
    if not ms:
        return None
    m = ms[-1]
    ans = f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日"
    line_a = r.text.rfind("\n", 0, m.start()) + 1
    line_b = r.text.find("\n", m.end())
    quote = flat(r.text[max(line_a, m.start() - 40):line_b if line_b > 0 else len(r.text)]).strip()
    return Passage(ans, quote, m.start(), m.end(), _section_at(r, m.start()))


def _dated_line(text: str, m: re.Match) -> bool:
    """A short line that ends with the date (a signature or header line), not a sentence mentioning one."""
    a = text.rfind("\n", 0, m.start()) + 1
    b = text.find("\n", m.end())
    line = text[a:b if b >= 0 else len(text)].strip()
    return len(line) <= 40 and line.endswith(m.group(0)) and not re.search(r"[，。；,]", line)


def period(r: Report) -> Passage | None:
    sq, back = _squeeze(r.text)
    m = re.search(r"统计(?:期限|周期|时限|期间|时间)[^。；]{0,6}?((?:19|20)\d\d年\d{1,2}月\d{1,2}日(?:起)?(?:至|到|—|-)"
                  r"(?:(?:19|20)\d\d年)?\d{1,2}月\d{1,2}日)", sq)
    if not m:
        return None
    st, en = back[m.start(1)], back[m.end(1) - 1] + 1
    quote, _, _ = _sentence_around(r.text, st, en)
    return Passage(m.group(1), quote, st, en, _section_at(r, st))


_IMPROVE = re.compile(r"改进(?:措施|情况|方向)|下一步|针对(?:上述|存在的|以上|这些)?问题|采取以下措施|"
                      r"[（(]二[)）]\s*(?:改进|整改)|将采取|将着力|将切实")


def problems(r: Report, part: str = "problems") -> Passage | None:
    """Section 五: the problems (before the improvement measures), or the improvements."""
    secs = [s for s in r.sections if s.number == 5]
    if not secs:
        return None
    a, b = secs[0].span.start, secs[-1].span.end
    body = r.text[a:b]
    head = re.match(r"\s*(?:#+\s*)?五\s*[、.．][^\n。]*?改进情况|\s*(?:#+\s*)?[（(]一[)）]\s*主要问题", body)
    skip = head.end() if head else 0
    m = _IMPROVE.search(body, skip + 10)
    cut = m.start() if m else len(body)
    if part == "improve":
        seg = body[cut:]
        return Passage(flat(seg).strip(), flat(seg).strip(), a + cut, b, " > ".join(secs[0].path)) if seg.strip() \
            else None
    seg = body[skip:cut]
    txt = flat(seg).strip().lstrip("：:。 ")
    if not txt:
        return None
    return Passage(txt, flat(body).strip(), a, b, " > ".join(secs[0].path))


_DOCNO = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\s*(?:19|20)\d\d\s*[〕\]］)）]\s*\d+\s*号")


def document_number(p: Passage, terms: list[str]) -> Passage | None:
    """A document number (国办公开办函〔2021〕30号) in a passage: the one nearest the question's words."""
    return _nearest(p, [(m.start(), re.sub(r"\s+", "", m.group())) for m in _DOCNO.finditer(p.quote)], terms)


def _nearest(p: Passage, found: list[tuple[int, str]], terms: list[str]) -> Passage | None:
    """Of the strings found in a passage (position, text), the one nearest the question's first word there."""
    if not found:
        return None
    at = [p.quote.find(t) for t in terms if t in p.quote]
    pos = min(at) if at else 0
    _, text = min(found, key=lambda x: abs(x[0] - pos))
    return Passage(text, p.quote, p.start, p.end, p.section, p.score)


def numbered_document(r: Report, terms: list[str]) -> Passage | None:
    """The document number the question asks for: of the report's sentences that print one, the sentence that
    holds most of the question's words (at least one), and in it the number nearest them."""
    best = None
    for sent, a, b in sentences(r):
        if not _DOCNO.search(sent):
            continue
        c = coverage(terms, sent)
        if c > 0 and (best is None or c > best[0]):
            best = (c, Passage(sent, sent, a, b, _section_at(r, a), c))
    return document_number(best[1], terms) if best else None


def quoted_name(p: Passage, terms: list[str]) -> Passage | None:
    """The name in quotes (“江镜正能量”, 《…》) in a passage: the one nearest the question's words there."""
    return _nearest(p, [(m.start(), m.group(1)) for m in re.finditer(r"[“\"《「]([^”\"》」]{2,30})[”\"》」]", p.quote)],
                    terms)


def sentences(r: Report, offsets: list[tuple[int, int]] | None = None):
    """Yield (sentence, start, end) over the report (or the given spans), PDF line breaks joined."""
    spans = offsets or [(0, len(r.text))]
    for a, b in spans:
        seg = r.text[a:b]
        for m in re.finditer(r"[^。；;！!？?]+[。；;！!？?]?", seg):
            s = flat(m.group(0)).strip()
            if len(s) >= 4:
                yield s, a + m.start(), a + m.end()


def best_sentences(r: Report, terms: list[str], spans=None, k: int = 2, min_cov: float = 0.5) -> list[Passage]:
    """Sentences covering the question's terms best; empty if none reaches min_cov."""
    scored = []
    for s, a, b in sentences(r, spans):
        c = coverage(terms, s)
        if c >= min_cov:
            scored.append((c, -len(s), s, a, b))
    scored.sort(reverse=True)
    out = []
    for c, _, s, a, b in scored[:k]:
        out.append(Passage(s, s, a, b, _section_at(r, a), c))
    return out
