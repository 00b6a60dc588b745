"""Report metadata from its text: agency (发布机关, as printed), statistics year, sections."""

from __future__ import annotations

import re

from gongkai.model import Section, Span

_CJK = "\u4e00-\u9fff"
_TITLE = re.compile(rf"(?P<pre>[^\n]*?)(?P<year>(?:19|20)\d\d)\s*年\s*度?\s*(?P<mid>[{_CJK}]{{0,20}}?)"
                    rf"\s*(?:政府信息公开|政务公开|信息公开)(?:工作)?\s*(?:\n\s*)?年\s*度\s*报\s*告")
# Known abbreviations in titles → the full name used in the preamble and elsewhere
ABBREVIATIONS = {"科委": "科学技术委员会", "发改委": "发展和改革委员会", "经信委": "经济和信息化委员会",
                 "卫健委": "卫生健康委员会", "教委": "教育委员会", "建委": "建设委员会", "交委": "交通委员会"}
# Place names that OCR misreads (the misreading is not a real place)
OCR_FIXES = {"沐阳县": "沭阳县"}
_PREFIX_NOISE = re.compile(r"^(?:标题[:：]|#+|当前位置[:：].*?\s|正文)\s*")


def _clean(s: str) -> str:
    s = _PREFIX_NOISE.sub("", s.strip())
    s = re.sub(r"\s+", "", s)
    s = re.sub(rf"^[^{_CJK}]+", "", s)
    return s


def find_title(text: str) -> tuple[str, int | None, int]:
    """Return (agency as printed in the title, statistics year, title offset)."""
    head = text[:4000]
    for m in _TITLE.finditer(head):
        year = int(m.group("year"))
        agency = _clean(m.group("mid")) or _clean(m.group("pre"))
        if not agency:
            # title split over two lines: agency on the line before the year
            before = head[:m.start("year")].rstrip().split("\n")
            for line in reversed(before):
                if _clean(line):
                    agency = _clean(line)
                    break
        agency = re.sub(r"(?:关于)?$", "", agency)
        # web pages: breadcrumb text before the title ("…年报 平潭综合实验区") → take the last word
        agency = re.split(r"[\s，,。：:]", agency)[-1]
        if len(agency) > 40:
            agency = agency[-20:]
        return agency, year, m.start()
    return "", None, 0


def resolve_agency(printed: str, text: str) -> str:
    """Return the agency's full name: expand abbreviations and a prefixed form used in the preamble."""
    name = printed
    for wrong, right in OCR_FIXES.items():
        name = name.replace(wrong, right)
    for short, full in ABBREVIATIONS.items():
        if name.endswith(short):
            name = name[: -len(short)] + full
    if not name:
        return name
    m = None
    for n in (2, 3):
        m = re.search(rf"([{_CJK}]{{{n}}}(?:省|市|自治区|自治州|地区|盟))\s*{re.escape(name)}", text[:3000])
        if m:
            break
    if m and not name.startswith(m.group(1)):
        name = m.group(1) + name
    return name


def fallback_year(text: str) -> int | None:
    m = re.search(r"(?:统计期限|统计周期|统计期|期限)[^\n。]{0,12}?((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日", text)
    if m:
        return int(m.group(1))
    return None


# ---------------------------------------------------------------- sections

SECTION_PATTERNS = (
    (1, "一、总体情况", r"总\s*体\s*情\s*况"),
    (2, "二、主动公开政府信息情况", r"主动公开政府信息(?:情况)?"),
    (3, "三、收到和处理政府信息公开申请情况", r"收到和处理政府信息公开申请"),
    (4, "四、政府信息公开行政复议、行政诉讼情况", r"(?:政府信息公开)?行政复议\s*[、和]\s*行政诉讼"),
    (5, "五、存在的主要问题及改进情况", r"(?:政府信息公开工作)?存在的主要问题|主要问题"),
    (6, "六、其他需要报告的事项", r"其他需要报告"),
)
_NUMERAL = r"[一二三四五六七]\s*[、.．]\s*(?:政府信息公开(?:工作)?)?"
_SUB = re.compile(r"(?:(?<=\n)|(?<=。)|(?<=\s)|^)(?:#+\s*)?([（(][一二三四五六七八九十][)）][^\n。；]{0,40})")


def find_sections(text: str, page_of) -> list[Section]:
    """Return the report's sections as leaf pieces: each top-level section cut at its sub-headings."""
    starts: list[tuple[int, int, str]] = []
    pos = 0
    for num, title, kw in SECTION_PATTERNS:
        rx = re.compile(rf"(?:#+\s*)?{_NUMERAL}(?:{kw})")
        m = rx.search(text, pos)
        if m is None and num == 5:
            m = re.compile(r"[（(]一[)）]\s*(?:存在的)?主要问题").search(text, pos)
        if m is None:
            continue
        st = m.start()
        starts.append((st, num, title))
        pos = m.end()
    out: list[Section] = []
    bounds = [(0, 0, "前言")] + starts
    for i, (st, num, title) in enumerate(bounds):
        en = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        if en <= st:
            continue
        body = text[st:en]
        subs = [m for m in _SUB.finditer(body)] if num in (1, 5, 6) else []
        cuts = [0] + [m.start(1) for m in subs if m.start(1) > 0] + [len(body)]
        for j in range(len(cuts) - 1):
            a, b = cuts[j], cuts[j + 1]
            piece = body[a:b]
            if not piece.strip():
                continue
            sub = ""
            if j > 0:
                sub = re.split(r"[。：:\s]", piece.strip(), maxsplit=1)[0][:30]
            path = (title,) + ((sub,) if sub else ())
            out.append(Section(number=num, title=title, path=path, text=piece,
                               span=Span(st + a, st + b, page_of(st + a))))
    return out
