"""Understanding a question: agency, years, metric (template cells), operation, intent, language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.lexicon import COLUMN_WORDS, ROW_CONCEPTS, Concept

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


@dataclass
class Query:
    text: str
    lang: str  # "zh" | "en"
    years: list[int] = field(default_factory=list)
    relative_year: str | None = None  # "去年" / "今年" / "前年" / "last year"
    rows: list[Concept] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    op: str = "value"  # value | compare | trend | rank | share
    rank_dir: str = "max"
    intent: str = "figure"  # figure | text
    text_kind: str = ""  # phone | email | address | date | period | problems | fee | generic
    narrative_first: bool = False
    asks_number: bool = False
    unit_hint: str | None = None
    residue: str = ""  # the question with metric/agency/year words removed (for narrative matching)
    row_words: list[str] = field(default_factory=list)  # the phrases that named the metric


def detect_lang(q: str) -> str:
    zh = len(re.findall(r"[\u4e00-\u9fff]", q))
    en = len(re.findall(r"[A-Za-z]", q))
    return "en" if en > zh * 2 else "zh"


def _years(q: str) -> tuple[list[int], str | None]:
    rng = re.search(r"((?:19|20)\d\d)\s*(?:年)?\s*(?:[-–—~～至到]|to|through|until)\s*((?:19|20)\d\d)", q)
    if rng:
        a, b = int(rng.group(1)), int(rng.group(2))
        if a <= b <= a + 30:
            return list(range(a, b + 1)), None
    ys = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", q)]
    rel = None
    for w in ("前年", "去年", "今年", "last year", "this year", "previous year"):
        if w in q.lower():
            rel = w
            break
    return sorted(set(ys), key=ys.index), rel


TEXT_INTENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("电子邮箱", "邮箱", "e-mail", "email", "电子邮件")),
    ("phone", ("电话", "咨询电话", "联系方式", "phone", "telephone", "call")),
    ("address", ("地址", "address", "在哪里", "where is")),
    ("date", ("印发", "落款", "哪天", "发布日期", "日期是", "what date", "which date", "when was")),
    ("period", ("统计期限", "统计周期", "统计期间", "统计的时间", "what period", "period")),
    ("problems", ("存在的主要问题", "主要问题", "存在哪些问题", "哪些问题", "什么问题", "存在问题", "不足", "短板",
                  "problems", "shortcomings", "weaknesses", "issues")),
    ("improve", ("改进措施", "改进情况", "如何改进", "怎么改进", "improve")),
    ("platform", ("平台", "网站", "公众号", "platform", "website")),
)
_NUMBER_Q = re.compile(r"多少|几[件个条篇次场期名人项家份起天]|几|how many|how much|what share|what percent|"
                       r"percentage|比例|占比|百分|数量|总额|金额|number of|total")


WEAK_WORDS = {"申请", "多收", "提出了", "提出的", "收到", "申请数量", "requests", "applications", "received", "新增申请"}


def _pick(spans: list[tuple[int, int, Concept]]) -> Concept:
    """The metric the question names: a sub-row beats its group ("不掌握" over "无法提供"), any named row
    beats the generic "申请", otherwise the longest phrase (combined phrases like "复议和诉讼" are their own)."""
    cands = [c for _, _, c in spans]
    generic = [c for c in cands if c.rows == ("new",)]
    if len(cands) > len(generic):
        cands = [c for c in cands if c not in generic] or cands
    specific = [c for c in cands if not any(o is not c and set(o.rows) < set(c.rows) for o in cands)]
    pool = specific or cands
    best = max((s for s in spans if s[2] in pool), key=lambda s: (s[1] - s[0], -s[0]))
    return best[2]


def parse(q: str) -> Query:
    """Return the structured reading of a question (no store needed)."""
    lang = detect_lang(q)
    qq = Query(text=q, lang=lang)
    qq.years, qq.relative_year = _years(q)
    low = q.lower()
    work = re.sub(r"\s+", "", low) if lang == "zh" else " " + low + " "
    # metric: longest phrase first, consumed so that "未经复议直接起诉" does not also read as "复议"
    spans: list[tuple[int, int, Concept]] = []
    matched: list[tuple[str, Concept]] = []
    words = sorted(((w, c) for c in ROW_CONCEPTS for w in c.words), key=lambda x: -len(x[0]))
    for w, c in words:
        wl = w.lower()
        start = 0
        while True:
            i = work.find(wl, start)
            if i < 0:
                break
            if lang == "en" and not re.match(r"[\W_]", work[i - 1:i] or " "):
                start = i + 1
                continue
            spans.append((i, i + len(wl), c))
            matched.append((w, c))
            work = work[:i] + "\x00" * len(wl) + work[i + len(wl):]
            start = i + len(wl)
    if spans:
        qq.rows.append(_pick(spans))
        qq.row_words = [w for w, c in matched if c is qq.rows[0]]
    cols = sorted(((w, c) for c, ws in COLUMN_WORDS for w in ws), key=lambda x: -len(x[0]))
    for w, c in cols:
        if w.lower() in work:
            if c not in qq.columns:
                qq.columns.append(c)
            work = work.replace(w.lower(), "\x01" * len(w))
    qq.residue = work.replace("\x00", " ").replace("\x01", " ")
    # operation
    if re.search(r"比.{0,8}(多|少|增|减)|增加了|减少了|增长|下降|变化|差多少|相比|compared|difference|increase|decrease"
                 r"|change from|more than|fewer than|less than", low):
        qq.op = "compare"
    if re.search(r"趋势|历年|逐年|每年|各年|trend|over the years|each year|year by year|历年来", low) \
            and "累计" not in low:
        qq.op = "trend"
    if re.search(r"哪个(地方|机关|单位|部门|地区|政府)|哪家|最多|最少|排名|排行|which agency|which government|"
                 r"the most|the fewest|rank", low):
        qq.op = "rank"
        qq.rank_dir = "min" if re.search(r"最少|fewest|least", low) else "max"
    if re.search(r"占比|比例|百分之|百分比|share|percent|proportion|rate", low) and qq.rows:
        qq.op = "share"
    qq.asks_number = bool(_NUMBER_Q.search(low))
    qq.narrative_first = bool(re.search(r"正文|总体情况里|报告里说|受理|按报告.{0,4}说法|narrative|accepted|"
                                        r"(公开|公布|发布)了?[^，。？?]{0,12}信息|information[^?]*publish|"
                                        r"publish[^?]*information", low)) and \
        not re.search(r"表[二三四]|表格|按表", low)
    for kind, ws in TEXT_INTENTS:
        if any(w in low for w in ws):
            if kind in ("problems", "improve") or not qq.asks_number or kind in ("phone", "email", "address"):
                qq.intent, qq.text_kind = "text", kind
                break
    if qq.intent == "figure" and not qq.asks_number and not qq.rows:
        qq.intent, qq.text_kind = "text", "generic"
    if qq.intent == "figure" and not qq.asks_number and qq.rows and re.search(
            r"有没有|是否|有无|did .* (charge|have)|whether|^is |^does ", low):
        qq.intent, qq.text_kind = "text", "generic"
    if re.search(r"有没有|是否|有无|did\b|whether", low) and not re.search(r"多少|几|how many|how much", low):
        qq.intent, qq.text_kind = "text", qq.text_kind or "generic"
    m = re.search(r"(?:多少|几)\s*(条|件|篇|次|场|期|个|名|人|项|家|份|元|万元|天)", q)
    if m:
        qq.unit_hint = m.group(1)
    elif re.search(r"比例|占比|百分|share|percent|proportion", low):
        qq.unit_hint = "%"
    return qq
