"""Understanding a question without the store: years, metric (template cells), operation, intent, language.

The metric is resolved from scored hits of the catalog (rag/catalog.py): several rows joined by a sum
word are a sum; a sub-row beats its group; two unrelated rows with no sum word are ambiguous and kept
as alternatives, so the answer can ask back instead of picking one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rag import catalog
from rag.catalog import ROW_CONCEPTS, Concept, Hit

_CN_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5}


@dataclass(frozen=True)
class Query:
    """How a question was read — the hand-off from parsing to answering. Frozen: a later stage that reads it
    differently (the agency's name taken out of the residue, a year given by the caller) makes a new one with
    `dataclasses.replace`, so no stage changes what an earlier one saw."""

    text: str
    lang: str  # "zh" | "en"
    years: tuple[int, ...] = ()
    relative_year: str | None = None  # "去年" / "今年" / "前年" / "last year"
    rows: tuple[Concept, ...] = ()
    alternatives: tuple[Concept, ...] = ()  # rows that scored as close as the chosen one
    columns: tuple[str, ...] = ()
    op: str = "value"  # value | compare | trend | rank | share
    rank_dir: str = "max"
    rank_over: str = ""  # "agencies" | "years" (what a ranking compares)
    share_base: Concept | None = None
    decimals: int | None = None
    intent: str = "figure"  # figure | text
    text_kind: str = ""  # phone | email | address | website | date | period | problems | fee | generic
    narrative_first: bool = False
    asks_number: bool = False
    unit_hint: str | None = None
    residue: str = ""  # the question with metric/agency/year words removed (for narrative matching)
    row_words: tuple[str, ...] = ()  # the phrases that named the metric
    sub_period: str = ""  # a month / quarter / half-year the question limits itself to
    quoted: tuple[str, ...] = ()
    sum_words: bool = False
    asks_name: bool = False  # "哪一家更多？": the answer is an agency, not a number
    diff_dir: int = 1  # +1: first minus second (多/增加/minus); -1: second minus first (少/减少/fewer)
    rest: str = ""  # a further question after the first ("…多少件？另外纠错的多不多？"), not answered
    excluded: str = ""  # what the question leaves out ("不算予以公开和部分公开")
    excluded_ok: bool = False  # whether the reading accounts for it (else the answer abstains)
    names: tuple[str, ...] = ()  # the agency names as the question writes them (set once agencies are resolved)
    column_order: tuple[str, ...] = ()  # the columns in the order the question names them (for a difference)
    doubt: str = ""  # why the reading cannot be trusted for a number (the answer says so instead of giving one)


@dataclass
class _Draft:
    """The reading while `parse` builds it (mutable); `parse` hands out the frozen Query."""

    text: str
    lang: str
    years: list[int] = field(default_factory=list)
    relative_year: str | None = None
    rows: list[Concept] = field(default_factory=list)
    alternatives: list[Concept] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    op: str = "value"
    rank_dir: str = "max"
    rank_over: str = ""
    share_base: Concept | None = None
    decimals: int | None = None
    intent: str = "figure"
    text_kind: str = ""
    narrative_first: bool = False
    asks_number: bool = False
    unit_hint: str | None = None
    residue: str = ""
    row_words: list[str] = field(default_factory=list)
    sub_period: str = ""
    quoted: list[str] = field(default_factory=list)
    sum_words: bool = False
    asks_name: bool = False
    diff_dir: int = 1
    rest: str = ""
    excluded: str = ""
    excluded_ok: bool = False
    names: list[str] = field(default_factory=list)
    column_order: list[str] = field(default_factory=list)
    doubt: str = ""

    def freeze(self) -> Query:
        fields: dict = {k: tuple(v) if isinstance(v, list) else v for k, v in vars(self).items()}
        return Query(**fields)


_FULLWIDTH = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_FULLWIDTH[0x3000] = 0x20
_CN_YEAR_DIGITS = {"〇": "0", "零": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
                   "七": "7", "八": "8", "九": "9"}
_t2s = None


def normalize(q: str) -> str:
    """The question as the catalog reads it: traditional characters → simplified (and 資訊 → 信息), full-width
    digits and letters → ASCII, years in Chinese numerals (二〇二三年) → 2023年, Huai'an → Huaian."""
    global _t2s
    q = q.translate(_FULLWIDTH)
    if re.search(r"[\u00c0-\u024f]", q):  # pinyin with tone marks (Huái'ān shì) → plain letters
        q = re.sub(r"[\u00c0-\u024f]", lambda m: "".join(
            c for c in unicodedata.normalize("NFD", m.group()) if not unicodedata.combining(c)), q)
    # a pinyin syllable mark inside a name (Huai'an, Xi'an) is not a possessive: the name is read without it
    q = re.sub(r"(?<=[A-Za-z])['’](?=[aeoAEO][a-z])", "", q)
    if re.search(r"[\u4e00-\u9fff]", q):
        try:
            if _t2s is None:
                from opencc import OpenCC
                _t2s = OpenCC("t2s")  # characters only: phrase tables would rewrite simplified text (文件 → 文档)
            simplified = _t2s.convert(q)
            if simplified != q:  # written in traditional characters: the Taiwan word for 信息 too
                q = simplified.replace("资讯", "信息")
        except ImportError:  # without OpenCC, traditional characters are read as they are
            pass
    # 二〇二三年, and 二〇二三 / 一九 without 年 when it starts like a year of these reports
    q = re.sub(r"([〇零○一二三四五六七八九]{4})(?=\s*年)|((?:二[〇零○]|一九)[〇零○一二三四五六七八九]{2})(?![〇零○一二三四五六七八九])",
               lambda m: "".join(_CN_YEAR_DIGITS[c] for c in (m.group(1) or m.group(2))), q)
    # 二四年, 一九年 (two Chinese digits and 年): 2024, 2019
    return re.sub(r"(?<![〇零○一二三四五六七八九十百千万两几])([一二])([〇零○一二三四五六七八九])(?=年)",
                  lambda m: _CN_YEAR_DIGITS[m.group(1)] + _CN_YEAR_DIGITS[m.group(2)], q)


def detect_lang(q: str) -> str:
    zh = len(re.findall(r"[\u4e00-\u9fff]", q))
    en = len(re.findall(r"[A-Za-z]", q))
    return "en" if en > zh * 2 else "zh"


_YEAR_RUN = re.compile(r"[\s、,，和与及到至-]*(\d\d)(?![\d.%％])")


def _years(q: str) -> tuple[list[int], str | None]:
    rng = re.search(r"((?:19|20)\d\d)\s*(?:年)?\s*(?:[-–—~～至到]|to|through|until)\s*((?:19|20)\d\d)", q)
    if rng:
        a, b = int(rng.group(1)), int(rng.group(2))
        if a <= b <= a + 30:
            return list(range(a, b + 1)), None
    found = [(m.start(), int(m.group(1))) for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?!\d)", q)]
    # two-digit years: 19年, 20年报, 23年度, '21, FY21
    for m in re.finditer(r"(?<![\d.])(\d\d)\s*(?=(?:两|三)?年(?!\d)|年度|年报|nian\b|(?:[、和与及,，]\s*\d\d)+\s*(?:两|三)?年)|"
                         r"(?:'|’|fy)(\d\d)(?!\d)", q.lower()):
        y = 2000 + int(m.group(1) or m.group(2))
        if 2008 <= y <= 2040 and not re.match(r"\d\d\s*年\s*\d", q[m.start():m.start() + 6]):
            found.append((m.start(), y))
    # bare two-digit years typed in chat, glued to a name or to 比 ("平潭25比23", "hz24 复议", "洪泽23 24两年")
    low = q.lower()
    bare = [m for m in re.finditer(r"(?:(?<=[\u4e00-\u9fffa-z])|(?<=[\u4e00-\u9fffa-z]\s))(\d\d)(?![\d.%％])(?!\s*(?:个|件|条|次|篇|项|人|名|家|份|元|万|"
                                   r"天|号|日|月|期|岁|位|余|多|来|栏|列|类|种|%|k\b|w\b)|\s*行(?!政))", low)]
    bare = [m for m in bare if not re.search(r"\b(?:top|first|last|over|under|about|around|than|past|next|the|of|"
                                             r"page|row|col|column|item|no)\s$", low[:m.start()])]
    if bare:
        for m in bare:
            found.append((m.start(), 2000 + int(m.group(1))))
            pos = m.end()
            while (n := _YEAR_RUN.match(low, pos)) and \
                    re.match(r"\s|[两三四]?年|[、,，和与及到至]|$", low[n.end():n.end() + 1] or "") is not None:
                found.append((n.start(1), 2000 + int(n.group(1))))
                pos = n.end()
        found = [(p, y) for p, y in found if 2008 <= y <= 2040]
    found.sort()
    ys = [y for _, y in found]
    rel = None
    for w in ("前年", "去年", "今年", "last year", "this year", "previous year"):
        if w in q.lower():
            rel = w
            break
    return sorted(set(ys), key=ys.index), rel


TEXT_INTENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("电子邮箱", "邮箱", "e-mail", "email", "电子邮件")),
    ("fax", ("传真", "fax")),
    ("cc", ("抄送", "copied to", "carbon copy")),
    ("phone", ("电话", "咨询电话", "联系方式", "phone", "telephone", "call")),
    ("postcode", ("邮编", "邮政编码", "postcode", "postal code", "zip code")),
    ("docno", ("文号", "发文字号", "文件号", "document number")),
    ("name", ("公众号叫", "号叫什么", "号叫啥", "叫啥", "栏叫什么", "栏目叫", "专栏叫", "平台叫", "网站叫", "名字", "名称是", "什么名称",
              "啥名",
              "what is the name", "what's the name", "name of the")),
    ("website", ("网址", "网站地址", "域名", "web address", "website address", "url of")),
    ("address", ("地址", "address", "在哪里", "where is", "哪条路", "哪条街", "门牌", "位于哪", "在哪儿", "哪栋",
                 "哪幢", "哪座楼", "几号楼", "办公地点", "在什么地方", "where are", "located")),
    ("period", ("统计期限", "统计周期", "统计期间", "统计的时间", "统计期", "哪段时间", "时间段", "时间范围", "what period",
                "period")),
    ("date", ("印发", "落款", "哪天", "发布日期", "日期是", "what date", "which date", "when was")),
    ("problems", ("存在的主要问题", "主要问题", "存在哪些问题", "哪些问题", "什么问题", "存在问题", "不足", "短板",
                  "第五部分", "第一个问题", "问题是啥", "problems", "shortcomings", "weaknesses", "issues",
                  "section 5", "first problem")),
    ("improve", ("改进措施", "改进情况", "如何改进", "怎么改进", "improve")),
    ("platform", ("平台", "网站", "公众号", "platform", "website")),
)
_NUMBER_Q = re.compile(r"多少|总数|[条件个次场篇项期]数|几[件个条篇次场期名人项家份起天]|几|how many|how much|what share|what percent|"
                       r"percentage|比例|占比|百分|数量|总额|金额|number of|total|minus|difference|shuliang|duoshao|"
                       r"ji ?jian|zongji|\bji\b")
# "2023和2024年分别多少", "维持和纠正各多少件": each on its own, not added up
_EACH = re.compile(r"分别|各自|各是|各有|各为|各多少|各几|各占|respectively|\beach\b")
_SUM_WORDS = re.compile(r"加起来|加在一起|加一起|加一块|加到一起|合计|一共|总共|共计|相加|之和|\+|＋|combined|together|in total|total of|"
                        r"sum of|plus|both|across all|\ball\b|和|与|及|以及|、|\band\b|\bor\b|或|加")
# the explicit ones: the question says to add up, not only "X和Y"
STRONG_SUM = re.compile(r"加起来|加在一起|加一起|加一块|加到一起|合计|一共|总共|共计|相加|之和|\+|＋|combined|together|in total|"
                        r"total of|sum of|plus|across all")
_CONJ = {"和", "与", "及", "以及", "或", "或者", "跟", "同", "加", "加上"}


def sums(text: str) -> bool:
    """Whether the question adds things up: an explicit word (加起来, 合计), or a conjunction standing as a word of
    its own (维持和纠正, 2023、2024) — not the 及 of 涉及 or the 与 of 参与."""
    low = text.lower()
    if not _SUM_WORDS.search(low) or _EACH.search(low):
        return False
    if STRONG_SUM.search(low) or re.search(r"、|\b(?:and|or|both|all)\b", low):
        return True
    from rag.terms import _cut

    return any(w in _CONJ for w in _cut(re.sub(r"[a-z0-9]+", " ", low)))
_MONTH = re.compile(r"(?<!\d)(?:1[0-2]|[1-9])\s*月(?!\s*\d{1,2}\s*日)|[一二三四五六七八九十]{1,2}月份?|月份|每月|月度|"
                    r"\byuedu\b|\bmeiyue\b|\bjidu\b|第\s*\d+\s*周|每周|周报|\bweek(?:ly)?\b|"
                    r"季度|上半年|下半年|\b(?:january|february|march|april|may|june|july|august|september|october|"
                    r"november|december|quarter|monthly)\b")

WEAK_WORDS = {"申请", "多收", "提出了", "提出的", "收到", "申请数量", "requests", "applications", "received", "新增申请",
              "提交", "递交", "提的", "filed",
              # one short English word that also means other things ("compile, review and release")
              "review", "reviews", "court", "suits", "appeal", "appeals", "rules", "direct", "value", "items"}
# verbs that name the result total only when no result row is named ("按其他处理办结的" is 其他处理)
WEAK_TOTAL = {"办结", "办理完毕", "答复了", "concluded", "dealt with", "completed", "answered", "handled in total"}


def _choose_rows(hits: list[Hit], text: str) -> tuple[list[Concept], list[Concept]]:
    """(the row concept the question means, close alternatives) from the row hits; a sum of several named rows
    is one concept carrying its parts."""
    cands: list[Concept] = []
    for h in sorted(hits, key=lambda h: h.start):
        if h.concept not in cands:
            cands.append(h.concept)  # type: ignore[arg-type]
    if not cands:
        return [], []
    # "受理的申请（含上年结转）": the row named after 含/包括 is added to the one the question counts
    inc = re.search(r"(?<![不未没])(?:含|包括|包含|连同|算上|加上)了?([^）)，。？?]{2,14})", text)
    if inc:
        added = [h.concept for h in hits if isinstance(h.concept, Concept) and inc.start(1) <= h.start < inc.end(1)
                 and h.concept.table == "table3"]
        base = [c for c in cands if c not in added and c.table == "table3"]
        if added and len(base) == 1 and not set(base[0].rows) & set(added[0].rows) and \
                _t3_group(base[0]) == _t3_group(added[0]):
            rows = tuple(dict.fromkeys((*base[0].rows, *added[0].rows)))
            same = next((c for c in ROW_CONCEPTS if set(c.rows) == set(rows)), None)
            return [same or Concept(f"{base[0].name}+{added[0].name}", "table3", rows, (),
                                    parts=(base[0], added[0]))], []
    generic = [c for c in cands if c.rows == ("new",) or (c.rows == ("total",) and all(
        h.phrase in WEAK_TOTAL for h in hits if h.concept is c))]
    if len(cands) > len(generic):
        cands = [c for c in cands if c not in generic]
    elif len(generic) > 1:  # "办结的申请": the result total, not new requests
        cands = [c for c in generic if c.rows != ("new",)] or cands
    # a word repeated inside another concept's phrase ("先复议、复议完了又去起诉") is not a second metric
    def inside(c: Concept) -> bool:
        own = [h for h in hits if h.concept is c]
        return all(any(o.concept is not c and o.concept in cands and h.phrase in o.phrase and len(o.phrase) > len(h.phrase)
                       for o in hits) for h in own)
    if len(cands) > 1:
        cands = [c for c in cands if not inside(c)] or cands
    # (七)总计 holds every result row: with one of them named ("无法提供这一类办理结果合计"), the total is its
    # own total, not a second row to add
    if any(c.table == "table3" and c.rows == ("total",) for c in cands) and \
            any(c.table == "table3" and set(c.rows) <= set(catalog.T3_RESULT_ROWS) for c in cands):
        cands = [c for c in cands if not (c.table == "table3" and c.rows == ("total",))]
    # a sub-row beats its group ("不掌握" over "无法提供"), unless the question adds the parts up
    specific = [c for c in cands if not any(o is not c and set(o.rows) < set(c.rows) for o in cands)]
    if len(specific) == 1:
        return specific, []
    same_table = len({c.table for c in specific}) == 1
    disjoint = all(not (set(a.rows) & set(b.rows)) for i, a in enumerate(specific) for b in specific[i + 1:])
    if same_table and disjoint and _SUM_WORDS.search(text):
        rows = tuple(r for c in specific for r in c.rows)
        name = "+".join(c.name for c in specific)
        return [Concept(name, specific[0].table, rows, (), specific[0].default_col, parts=tuple(specific))], []
    best = max(hits, key=lambda h: h.score if h.concept in specific else -1)
    alt = [c for c in specific if c is not best.concept and any(
        h.concept is c and h.score >= best.score - 1.5 for h in hits)]
    return [best.concept], alt  # type: ignore[list-item]


def _t3_group(c: Concept) -> str:
    """Which part of table 3 a row belongs to: what came in (新收, 上年结转), what was done with it, what is left."""
    if set(c.rows) <= {"new", "carried_over"}:
        return "in"
    if set(c.rows) <= set(catalog.T3_RESULT_ROWS) | {"total"}:
        return "results"
    return "other"


def parts_of(c: Concept) -> list[Concept]:
    """The named rows a summed concept adds up ([] for a template row)."""
    return list(c.parts)


def _decimals(low: str) -> int | None:
    m0 = re.search(r"精确到\s*0\.(0*)1|to\s*0\.(0*)1", low)
    if m0:
        return len(m0.group(1) or m0.group(2) or "") + 1
    m = re.search(r"保留\s*([0-9一两二三])\s*位|([0-9]|one|two|three)[\s-]*(?:decimal|dp\b|d\.p\.)|(?:精确到|保留到|小数点后)\s*([0-9一两二三])\s*位|"
                  r"([0-9一两二三])\s*位小数", low)
    if not m:
        if re.search(r"十分位", low):
            return 1
        if re.search(r"百分位", low):
            return 2
        if re.search(r"保留整数|取整|整数百分比|(?:四舍五入|精确|保留|舍入|取)到?(?:整数|个位)|不保留小数|不要小数|不带小数|"
                     r"whole percent|nearest percent|nearest whole|nearest integer|whole number|no decimal|"
                     r"round(?:ed)? to (?:an |the )?integer", low):
            return 0
        return None
    g = m.group(1) or m.group(2) or m.group(3) or m.group(4)
    return {"one": 1, "two": 2, "three": 3}.get(g) or _CN_DIGITS.get(g) or int(g)


def _share_parts(q: str) -> tuple[str, str]:
    """(numerator text, denominator text) of a share question; '' where the question names no base."""
    low = q.lower()
    m = re.search(r"占(?!比)(.+)", low)
    if m:
        head, base = low[:m.start()], m.group(1)
        inner = re.search(r"([^，。？?,]{2,24}?)(?:里|中|当中|之中)[，,]\s*(.+)$", head)
        if inner and not re.sub(r"了|全部|百分之|百分比|多少|几成|几|的|比例|比重|[？?。，,\s]|保留.*|四舍五入.*|精确.*", "", base):
            return inner.group(2), inner.group(1)  # "主动公开的信息中，“其他…”占百分之几": the base is named before
        return head, base
    m = re.search(r"按(.{2,30}?)(?:来算|来计算|计算|算|为基数|为分母)", low)
    if m:
        return low[:m.start()] + low[m.end():], m.group(1)
    # "新收申请里予以公开的比例": the part named after 里/中, of the whole named before it
    m = re.search(r"([^，。？?,]{2,20}?)(?:里|中|当中|之中)[，,]?\s*([^，。？?,]{2,20}?)的?(?:比例|占比|百分比|比重|比率|几成)", low)
    if m:
        return m.group(2), m.group(1)
    m = re.search(r"\b(?:share of|proportion of|percentage of|out of|of all|relative to|as a share of)\b(.+)", low)
    if m:
        return low[:m.start()], m.group(1)
    return low, ""


def _metric(q: str) -> tuple[list[Hit], list[Hit], str]:
    text = catalog.prepare(q)
    rows = catalog.find(text, "row")
    cols = catalog.find(text, "column")
    residue = text.zh if detect_lang(q) == "zh" else text.en
    return rows, cols, residue.replace("\x00", " ")


_EXCLUDE = re.compile(r"(?:不算|除了|除去|扣除|去掉|排除|不包括|不包含|不含|刨去|除开)(?:上|掉)?([^，。？?,）)」”]{2,30}?)"
                      r"(?:以外|之外|外)?(?=[，,。？?）)」”]|的|$)")
_NEGATED = re.compile(r"(?:非|不是|并非|而非|不属于)$")
_NOT_BUT = re.compile(r"不是([^，。？?,]{1,10}?)[，,]?(?:而)?是")  # "不是个人是单位申请的": 个人 is left out
# columns that make up a row between them: leaving some out leaves the others
_COLUMN_GROUPS = (("upheld", "corrected", "t4_other", "pending"),
                  ("natural", "commercial", "research", "social", "legal", "other_org"))
_CARRY_IN = r"(?=[^，。？?]{0,4}(?:遗留|结转|转来|转过来|转入|没办完|没有办完|未办完|留下))"
_CARRY_OUT = r"(?:转到|转入|转至|结转到|结转至|结转入|留到|拖到|顺延到|延到|带到|延续到)"


def _carry_years(q: str) -> str:
    """A year named as where requests came from or go to ("从2023年遗留下来", "转到2022年接着办") is not a
    second report year: read it as 上一年 / 下一年 when it is next to the year the question asks about."""
    mentions = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", q)]
    if len(set(mentions)) != 2:
        return q
    a, b = sorted(set(mentions))
    if b != a + 1:
        return q
    q = re.sub(rf"(?:从|由)?{a}\s*年度?{_CARRY_IN}", "从上一年", q) if f"{b}" in q else q
    return re.sub(rf"{_CARRY_OUT}\s*{b}\s*年度?", "转到下一年", q) if f"{a}" in q else q


_T3_ITEMS = {"一": "一、本年新收", "二": "二、上年结转", "三": "（七）总计", "四": "四、结转下年度继续办理"}
# table 3's result rows by their printed numbering alone ("(七) total", "（四）那一行")
_T3_RESULTS = {"一": "（一）予以公开", "二": "（二）部分公开", "三": "（三）不予公开", "四": "（四）无法提供", "五": "（五）不予处理",
               "六": "（六）其他处理", "七": "（七）总计"}


def _table3_items(q: str) -> str:
    """Table 3 prints its identity as "第一项加第二项之和，等于第三项加第四项之和": in a question about table 3,
    第N项 is that row (第三项 = 三、本年度办理结果, whose total is （七）总计)."""
    if not re.search(r"表三|表3|\bT3\b|table\s*3|第[一二三四]项加第[一二三四]项", q, re.I):
        return q
    q = re.sub(r"[（(]([一二三四五六七])[）)](?![\u4e00-\u9fff]{2})", lambda m: _T3_RESULTS[m.group(1)], q)
    return re.sub(r"第([一二三四])项", lambda m: _T3_ITEMS[m.group(1)], q)


def parse(q: str) -> Query:
    """Return the structured reading of a question (no store needed)."""
    lang = detect_lang(q)
    qq = _Draft(text=q, lang=lang)
    q = _table3_items(_carry_years(q))
    qq.years, qq.relative_year = _years(q)
    asks = [p for p in re.split(r"(?<=[？?])", q) if re.search(r"[\w\u4e00-\u9fff]", p)]
    rest = "".join(asks[1:]).lower()
    if len(asks) >= 2 and _NUMBER_Q.search(asks[0].lower()) and catalog.find(catalog.prepare(asks[0]), "row") and \
            re.search(r"多少|几|吗|呢|多不多|是否|有没有|怎么|为什么|哪|\bwhat\b|\bhow\b|\bwhich\b|\bwhy\b", rest) and \
            not re.search(r"保留|四舍五入|精确|取整|小数|百分|round|decimal|percent|按|according", rest):
        # "行政复议一共多少件？另外纠错的多不多？": the first question is answered, the rest is noted
        q, qq.rest = asks[0], "".join(asks[1:]).strip()
    low = q.lower()
    pub = re.search(r"((?:19|20)\d\d)\s*年\s*(?:初|年初|1月|一月|上半年|春)?[^，。？?]{0,4}(?:发布|印发|公布|出)的?(?:那份|这份)?"
                    r"[^，。？?]{0,8}(?:年报|报告)", q)
    if pub and len(qq.years) == 1:  # the report published in year N covers year N-1
        qq.years = [int(pub.group(1)) - 1]
    if len(qq.years) == 1 and re.search(r"比(?:上一?年|去年|上年度|前一年)(?!度?结转|转来)|较(?:上一?年|去年|上年度)(?!度?结转)|同比|"
                                        r"than (?:the )?(?:previous|prior|last|preceding) year|year-on-year|"
                                        r"year on year|from the previous year", low):
        qq.years = [qq.years[0], qq.years[0] - 1]
        qq.relative_year = None
    qq.quoted = re.findall(r"[《“\"「]([^》”\"」]{1,30})[》”\"」]", q)
    # operation first: a share has a numerator and a base
    if re.search(r"占比|比例|比重|百分之|百分比|百分数|占[^，。？?]{0,14}(?:多少|几成)|%\s*of\b|\bas %|\bin %|(?:纠错|纠正|公开|维持|败诉|胜诉|办结|答复)率|"
                 r"\bshare\b|percent|proportion|\brate\b|\bratio\b", low):
        qq.op = "share"
    if qq.op == "share":
        num, base = _share_parts(q)
        rows, cols, residue = _metric(num)
        if not rows:  # "what share of [base] ended [column]", "新收申请里自然人占比": the parts are in one phrase
            num, base = q, ""
            rows, cols, residue = _metric(q)
        if base:
            brows, bcols, _ = _metric(base)
            chosen, _ = _choose_rows(brows, base)
            if chosen:
                qq.share_base = chosen[0]
        qq.decimals = _decimals(qq.text.lower())
    else:
        rows, cols, residue = _metric(q)
    # "不算予以公开和部分公开，其余…", "除去尚未审结的": what the question leaves out is not what it counts
    excl = _EXCLUDE.search(q) or _NOT_BUT.search(q)
    left_rows: list[Hit] = []
    left_cols: list[Hit] = []
    if excl:
        a, b = excl.span()
        left_rows = [h for h in rows if a <= h.start < b]
        left_cols = [h for h in cols if a <= h.start < b]
        rows = [h for h in rows if not a <= h.start < b]
        cols = [h for h in cols if not a <= h.start < b]
        qq.excluded = excl.group(1)
    # "既非维持也非纠正": an outcome negated where it is named is left out, as 不算 leaves it out
    zq = re.sub(r"\s+", "", q.lower())  # where the hits were found
    negated = [h for h in cols if _NEGATED.search(zq[max(0, h.start - 3):h.start])]
    # "不属于企业、科研、公益、律所的其他组织": applicants listed after a negation, up to 的, are all left out
    for neg in re.finditer(r"不属于|不是|并非|而非", zq):
        end = re.compile(r"[的，,。？?而]").search(zq, neg.end())
        stop = end.start() if end else len(zq)
        negated += [h for h in cols if neg.end() <= h.start < stop and h.concept.name in _COLUMN_GROUPS[1] and
                    h not in negated]
    complement = False
    if negated:
        cols = [h for h in cols if h not in negated]
        left_cols += negated
        qq.excluded = qq.excluded or "、".join(h.phrase for h in negated)
    qq.rows, qq.alternatives = _choose_rows(rows, q)
    if not qq.rows or all(h.phrase.lower() in WEAK_WORDS for h in rows):
        for pat, names in catalog.SHARED_WORDS:  # 被拒绝的申请: refused to disclose, or refused to handle?
            if re.search(pat, low):
                shared = [c for n in names for c in ROW_CONCEPTS if c.name == n]
                qq.rows, qq.alternatives = shared[:1], shared[1:]
                rows = [h for h in rows if h.concept in shared]
                break
    chosen_rows = set(qq.rows[0].rows) if qq.rows else set()
    qq.row_words = [h.phrase for h in rows if qq.rows and (h.concept is qq.rows[0] or set(
        getattr(h.concept, "rows", ())) <= chosen_rows)]
    for h in sorted(cols, key=lambda h: -h.score):
        if h.concept.name not in qq.columns:
            qq.columns.append(h.concept.name)
    for h in sorted(cols, key=lambda h: h.start):
        if h.concept.name not in qq.column_order:
            qq.column_order.append(h.concept.name)
    if (excl or negated) and (left_rows or left_cols):
        out = {h.concept.name for h in left_cols}
        group = next((g for g in _COLUMN_GROUPS if out and out <= set(g)), None)
        if left_cols and not qq.columns and group:  # 除去尚未审结的: the other outcomes, added up
            qq.columns = ["org"] if out == {"natural"} else [c for c in group if c not in out]
            qq.excluded_ok = complement = True
        elif (left_rows and qq.rows or not left_rows) and (left_cols and qq.columns or not left_cols):
            qq.excluded_ok = True  # what the question counts is named outside what it leaves out
    elif excl:
        qq.excluded_ok = True  # nothing the catalog reads was left out (除了…以外 about something else)
    # "2023和2024年分别多少": each on its own, not added up
    qq.sum_words = sums(q) or complement  # the outcomes left after 除去/不是 one of them are added up
    if not qq.rows and any(c in ("upheld", "corrected", "t4_other", "pending") for c in qq.columns):
        # an outcome of table 4 with neither 复议 nor 诉讼 named: all three added up when the question says
        # so (一共被纠错几件); otherwise ask which, with each group's figure and the sum
        groups = [next(c for c in ROW_CONCEPTS if c.rows == rows) for rows in
                  (("review", "suit_direct", "suit_after_review"), ("review",), ("suit_direct",),
                   ("suit_after_review",))]
        qq.rows = groups[:1]
        if not qq.sum_words and qq.op == "value":
            qq.alternatives = groups[1:]
    qq.residue = residue
    if qq.op != "share":
        if re.search(r"比.{0,12}(多|少|增|减|高|低)|(?<![对占])比(?![例重率较])[^，。？?]{0,40}(?:多出|多了|少了|高出|低了|多多少|少多少)|"
                     r"增加了|减少了|[多少]了几|[多少]了多少|增长|下降|变化|差多少|相差|相比|同比|\bminus\b|减去|减掉|净增|净减|"
                     r"compared|difference|increase|decrease|change from|more than|fewer than|less than|"
                     r"\brise\b|\brose\b|\brisen\b|\bgrew\b|\bgrow\b|\bfell\b|\bdeclined? by\b|how many fewer|"
                     r"how many more|how much more|how much less|"
                     r"year-on-year|year on year", low) and not re.search(r"较多|较少|更多的|最多|最少", low):
            qq.op = "compare"
            if re.search(r"少[\u4e00-\u9fff]?了?多少|少[\u4e00-\u9fff]?了?几|减少了?多少|减少了?几|下降了?多少|少多少|fewer|"
                         r"less than|decrease|"
                         r"\bfell\b|declin", low):
                qq.diff_dir = -1
            rng = re.search(r"((?:19|20)\d\d)\s*年?\s*(?:[-–—~～至到]|to|through|until)\s*((?:19|20)\d\d)", q)
            if rng and len(qq.years) >= 2:  # "2023年到2025年少了几件": the two ends, later minus earlier
                qq.years = [int(rng.group(2)), int(rng.group(1))]
        if re.search(r"趋势|历年|逐年|每年|各年|trend|over the years|each year|year by year|历年来", low) \
                and "累计" not in low:
            qq.op = "trend"
        if re.search(r"哪个(地方|机关|单位|部门|地区|政府)|哪一?个[^，。？?,]{0,12}(?:多|少|高|低)|哪家|哪一家|那家|哪一年|哪年|最多|最少|较多|较少|更多|更少|谁|"
                     r"最高|最低|排名|排行|which agency|which government|which year|the most|the fewest|the largest|"
                     r"the highest|the lowest|the smallest|\blargest\b|\bhighest\b|\blowest\b|\bsmallest\b|\bmaximum\b|"
                     r"\bminimum\b|\bmax\b|\bmin\b|rank|larger|higher|more of", low) and not re.search(
                r"(?<!相)比[^，。？?,]{0,12}(多|少)|\bthan\b", low):
            qq.op = "rank"
            qq.rank_dir = "min" if re.search(r"最少|较少|更少|最低|哪一?(?:年|个|家)(?:更|比较|较)?(?:少|低)|fewest|least|lowest|"
                                             r"smallest|minimum|\bmin\b", low) \
                else "max"
            qq.rank_over = "years" if re.search(r"哪一年|哪年|一年|which year|in which year", low) else "agencies"
    named = list(dict.fromkeys(h.concept for h in sorted(rows, key=lambda h: h.start) if isinstance(h.concept, Concept)
                               and h.phrase.lower() not in WEAK_WORDS))
    if qq.op == "compare" and len(qq.years) <= 1 and len(named) == 2 and not set(named[0].rows) & set(named[1].rows) \
            and named[0].table == named[1].table:  # "结转下年度的比上年结转来的多多少": the two rows, first minus second
        qq.rows, qq.alternatives = [named[0]], [named[1]]
    if re.search(r"几倍|多少倍|倍数|翻了几番|\btimes (?:as|more|higher|larger)\b|\b\w+-?fold\b", low):
        qq.doubt = "ratio"  # "增长了几倍" and "是…的多少倍" are read two ways: no number, the figures instead
    inc = re.search(r"(?<![不未没])(?:含|包括|包含|连同|算上|加上)了?([^）)，。？?]{2,14})", q)
    inside = [h.concept for h in rows if inc and inc.start(1) <= h.start < inc.end(1) and isinstance(h.concept, Concept)]
    if inc and qq.rows and qq.rows[0] in inside and len(qq.rows[0].rows) == len(inside[0].rows):
        qq.doubt = "include"  # "公开了多少件（含部分公开）": a row to add that is not of the counted row's kind
    qq.asks_number = bool(_NUMBER_Q.search(low))
    if lang == "en" and not qq.asks_number and (qq.rows or qq.columns or "narrative" in low) and not re.search(
            r"\b(?:which|what|who|whom|why|where|when|how|is|are|was|were|did|does|do|has|have)\b|\?", low):
        qq.asks_number = True  # "Hongze T4 review total": a terse lookup asks for the figure
    qq.narrative_first = bool(re.search(r"正文|总体情况里|报告里说|受理|按报告.{0,4}说法|narrative|accepted|"
                                        r"according to the report'?s? text|(公开|公布|发布)了?[^，。？?]{0,12}信息|"
                                        r"information[^?]*publish|publish[^?]*information", low)) and \
        not re.search(r"表[二三四]|表格|按表", low)
    if re.search(r"问题", low) and re.search(r"第[一二三四五六七八九十\d]+[条个点项]", low) and \
            not re.search(r"改进|措施", low):  # "列的问题里，第三条说的是什么"
        qq.intent, qq.text_kind = "text", "problems"
    for kind, ws in TEXT_INTENTS:
        if qq.text_kind == "problems" or qq.op == "share":  # "联系方式这类信息占百分之几": a share, not a phone number
            break
        if any(w in low for w in ws):
            if kind in ("problems", "improve") or not qq.asks_number or kind in ("phone", "fax", "email", "address", "cc",
                                                                                 "postcode", "website", "name", "docno"):
                qq.intent, qq.text_kind = "text", kind
                break
    if qq.intent == "figure" and not qq.asks_number and not qq.rows:
        qq.intent, qq.text_kind = "text", "generic"
    if qq.intent == "figure" and not qq.asks_number and all(w.lower() in WEAK_WORDS for w in qq.row_words) and \
            re.search(r"哪些|哪个|哪家|什么|谁|怎么|怎样|如何|为什么|\bwhich\b|\bwhat\b|\bwho\b|\bwhy\b|"
                      r"\bhow\b(?! many| much)", low):
        qq.intent, qq.text_kind = "text", "generic"  # "和哪些部门沟通协调": asks what, not how many
    # "有没有结转到明年的申请" asks whether a count of table 3 or 4 is above zero: the count answers it
    counted = bool(qq.rows) and all(c.table in ("table3", "table4") for c in qq.rows) and \
        any(w.lower() not in WEAK_WORDS for w in qq.row_words)
    if qq.intent == "figure" and not qq.asks_number and qq.rows and not counted and re.search(
            r"有没有|是否|有无|did .* (charge|have)|whether|^is |^does ", low):
        qq.intent, qq.text_kind = "text", "generic"
    polite = re.sub(r"[，,]?\s*(?:能|可以|可不可以|能不能|麻烦|请)?(?:你)?(?:告诉|帮|替)我?(?:查一下|查查|说一下|讲讲|看看|一下)?"
                    r"(?:吗|吧|好吗|可以吗|行吗)?[？?。]?\s*$", "", low.strip())
    if re.search(r"有没有|是否|有无|吗[？?]?\s*$|^(?:did|does|do|is|are|was|were|has|have)\b|whether",
                 polite) and \
            not re.search(r"多少|几|how many|how much", low) and not (counted and qq.intent == "figure"):
        qq.intent, qq.text_kind = "text", qq.text_kind or "generic"
    qq.asks_name = bool(re.search(r"哪一家|哪家|哪个(?:机关|单位|部门|地方|政府|县|区|市)|哪一种|哪种|哪一类|哪类|哪一项|哪项|"
                                  r"哪个理由|哪种理由|哪种情形|哪一种情形|谁的|谁作出|谁收到|"
                                  r"回答机关名称|which (?:agency|government|one|county|district|city)", low)) and \
        not re.search(r"多少|几[件个条次篇人名]|有几|how many|how much|回答数字", low)
    m = re.search(r"(?:多少|几)\s*(个工作日|工作日|亿元|万人次|人次|万元|条|件|篇|次|场|期|个|名|人|项|家|份|元|天|起|户|台|套|处|所|座|辆|块)",
                  q) or \
        re.search(r"(条|件|篇|次|场|期|项)数(?!据|字)", q)  # "信息的条数": counted in 条
    en_unit = re.search(r"how many (days|people|persons|staff|employees|times|hours|yuan)|how much (money)|"
                        r"\bin (yuan|rmb|cny)\b|"
                        r"(多少钱|赔了多少|花了多少|多少经费|经费[是有]?多少|花费[是有]?多少|开支[是有]?多少|支出[是有]?多少|"
                        r"平均.{0,4}天|多少天|多少人)", low)
    if m:
        qq.unit_hint = "人" if m.group(1) == "个" and q[m.end():m.end() + 1] == "人" else m.group(1)  # 几个人
    elif re.search(r"(?:多少|几)\s*位", q):
        qq.unit_hint = "人"
    elif en_unit:
        w = next(g for g in en_unit.groups() if g)
        qq.unit_hint = {"days": "天", "people": "人", "persons": "人", "staff": "人", "employees": "人", "times": "次",
                        "hours": "小时", "yuan": "元", "money": "金额", "多少钱": "金额", "赔了多少": "金额", "多少人": "人"
                        }.get(w, "天" if "天" in w else "金额" if re.search(r"花|经费|开支|支出", w) else w)
        # 金额: money in whatever unit the report prints (元, 万元, 亿元); "多少元" / "in yuan" asks 元 itself
    elif qq.op == "share":
        qq.unit_hint = "%"
    mm = _MONTH.search(low[:pub.start()] + " " * (pub.end() - pub.start()) + low[pub.end():] if pub else low)
    if mm and not re.search(r"1\s*月\s*1\s*日.{0,6}12\s*月\s*31", low):
        qq.sub_period = mm.group()
    return qq.freeze()


__all__ = ["Query", "parse", "detect_lang", "ROW_CONCEPTS", "WEAK_WORDS", "TEXT_INTENTS"]
