"""Report metadata from its text: agency (发布机关, as printed), statistics year, sections."""

from __future__ import annotations

import re

from gongkai.model import Section, Span

_CJK = "\u4e00-\u9fff"
_TITLE = re.compile(rf"(?P<pre>[^\n]*?)(?P<year>(?:19|20)\d\d)\s*年\s*度?\s*(?P<mid>[{_CJK}]{{0,20}}?)"
                    rf"\s*(?:政府信息公开|政务公开|信息公开)\s*(?:工\s*作)?\s*年\s*度\s*报\s*告")
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
    # site navigation lists other years' reports: the statistics period says which title is this one's
    period = fallback_year(text)
    found = []
    for t in _titles(head):
        if t[0] and (t[1] == period or period is None):
            return t  # the usual case: the first title names the agency and the period's year
        found.append(t)
    if found:
        return min(found, key=lambda t: (not (t[0] and t[1] == period), t[1] != period, not t[0]))
    # a title without a year: "XX局政府信息公开工作年度报告"
    m = re.search(rf"(?:^|\n)[ \t#]*(?:标题[:：])?\s*([{_CJK}（）()]{{3,30}}?)\s*(?:政府信息公开|政务公开)\s*(?:工\s*作)?"
                  r"\s*年\s*度\s*报\s*告", head)
    if m and is_agency(m.group(1), title=True):
        return m.group(1), None, m.start(1)
    return "", None, 0


def _titles(head: str):
    """Yield (agency, year, offset) for every title-like line of the head, in order."""
    for m in _TITLE.finditer(head):
        year = int(m.group("year"))
        agency = _clean(m.group("mid")) or _clean(m.group("pre"))
        if not agency:
            # title split over two lines: agency on the line before the year
            before = head[:m.start("year")].rstrip().split("\n")
            for line in reversed(before):
                if _clean(line):
                    agency = _clean(line) if is_agency(_clean(line), title=True) else ""
                    break
        agency = re.sub(r"(?:关于)?$", "", agency)
        # web pages: breadcrumb text before the title ("…年报 平潭综合实验区") → take the last word
        agency = re.split(r"[\s，,。：:]", agency)[-1]
        if len(agency) > 40:
            agency = agency[-20:]
        yield (agency if is_agency(agency, title=True) else ""), year, m.start()


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


_SUFFIX = ("人民政府办公室", "人民政府办公厅", "人民政府", "委员会", "综合实验区", "实验区", "开发区", "新区", "办事处",
           "管委会", "局", "厅", "署", "办公室", "中心", "委", "院", "会")
_AGENCY = re.compile(rf"[{_CJK}（）()]{{2,30}}(?:{'|'.join(_SUFFIX)})")
# characters that end the words before a name ("本报告由…", "请与…联系") and names that are not the agency
_BEFORE = re.compile(r"^.*(?:由|请与|是|据|照|的|在|对|为|向|经|报告|本机关|本单位)")
_NOT_AGENCY = re.compile(r"^(?:国务院|国家|中华人民共和国|中共中央)|信息与政务公开办公室|本机关|本单位")
_PLACE = re.compile(r"(?:省|市|县|区|镇|乡|街道|自治州|盟|旗)")


# a title may name a place alone (江镜镇, 某某街道) or a unit with a rarer ending
_TITLE_SUFFIX = _SUFFIX + ("省", "市", "县", "区", "镇", "乡", "街道", "旗", "盟", "州", "支队", "大队", "海关", "所", "站",
                           "处", "公司", "集团", "大学", "学院", "医院", "馆", "园", "社", "台", "部")


def is_agency(name: str, title: bool = False) -> bool:
    """Return True when a string reads as an agency's name: 3–30 CJK characters ending like one (a title
    also names places and rarer units)."""
    return bool(re.fullmatch(rf"[{_CJK}（）()]{{2,30}}", name)) and \
        name.endswith(_TITLE_SUFFIX if title else _SUFFIX) and not _NOT_AGENCY.search(name)


def _names(text: str) -> list[str]:
    """Agency names in a piece of text, in order (the words before a name cut off)."""
    out = []
    for m in _AGENCY.finditer(text):
        name = _BEFORE.sub("", m.group())
        # "淮安市洪泽区人民政府办公室" names the office; the report is the government's when both appear
        if is_agency(name) and _PLACE.search(name):
            out.append(name)
    return out


def agency_from_preamble(text: str, title_end: int = 0) -> str:
    """Return the agency the front matter names most often (before section 一), or ""."""
    m = re.search(r"(?:^|\n)\s*(?:#+\s*)?一\s*[、.．]", text[title_end:title_end + 6000])
    front = text[title_end:title_end + (m.start() if m else 1500)]
    names = _names(front)
    if not names:
        return ""
    # "请与XX局办公室联系": the office answers for the agency
    names = [n[: -len("办公室")] if n.endswith("办公室") and is_agency(n[: -len("办公室")]) else n for n in names]
    return max(names, key=lambda n: (names.count(n), -names.index(n)))


def agency_from_signature(text: str) -> str:
    """Return the issuing body of the closing lines ("淮安市洪泽区人民政府 / 2024年1月20日"), or ""."""
    lines = [ln.strip() for ln in text[-600:].split("\n") if ln.strip()]
    for ln in reversed(lines[-6:]):
        name = re.sub(r"\s*(?:(?:19|20)\d\d\s*年.*)$", "", re.sub(r"\s+", "", ln))
        if is_agency(name):
            return name
    tail = re.sub(r"\s+", "", text[-300:])
    m = re.search(rf"([{_CJK}]{{3,30}}?)(?:19|20)\d\d年\d{{1,2}}月\d{{1,2}}日", tail)
    if m:
        names = _names(m.group(1))
        if names:
            return names[-1]
    return ""


def agency_from_filename(path: str) -> str:
    """Return an agency name the file's name carries ("淮安市洪泽区人民政府2023年…报告.pdf"), or ""."""
    from pathlib import Path

    stem = Path(path).stem
    m = re.match(rf"([{_CJK}（）()]+?)(?:[-_ ]*(?:19|20)\d\d\s*年?度?|政府信息公开|政务公开)", stem)
    return m.group(1) if m and is_agency(m.group(1)) else ""


def year_from_filename(path: str) -> int | None:
    from pathlib import Path

    m = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", Path(path).stem)
    return int(m.group(1)) if m else None


def fallback_year(text: str) -> int | None:
    m = re.search(r"(?:统计期限|统计周期|统计期|期限)[^\n。]{0,12}?((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日", text)
    if m:
        return int(m.group(1))
    return None


def year_from_text(text: str) -> tuple[int | None, str]:
    """Return (year, where) when the title has none: the statistics period, the front matter's
    "YYYY年，…" or "YYYY年度", the closing date minus one."""
    y = fallback_year(text)
    if y:
        return y, "period"
    m = re.search(r"((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?至\s*(?:\1)\s*年\s*12\s*月\s*31\s*日", text)
    if m:
        return int(m.group(1)), "period"
    m = re.search(r"(?:^|\n|。)\s*((?:19|20)\d\d)\s*年(?:度)?\s*[，,]", text[:8000])
    if m:
        return int(m.group(1)), "preamble"
    dates = re.findall(r"((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", text[-400:])
    if dates:
        return int(dates[-1]) - 1, "signature"
    return None, ""


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
