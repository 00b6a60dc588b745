"""Agency names as people write them → agencies in the store, as scored candidates.

Aliases are derived for every agency name in the store, never listed per agency: the place prefix
dropped or kept (平潭 / 平潭实验区 / 平潭综合实验区), standard abbreviations of department names
(市场监督管理局 → 市场监管局 / 市监局, 人民政府办公厅 → 政府办公厅 / 府办, 科学技术委员会 → 科委, the
first characters of a compound name: 旅游与文化体育局 → 旅文体局), pinyin of each (pingtan, pingtanlvwentiju),
English words for the department kind (Market Supervision Bureau, General Office, SASAC), and names the
agency's own report prints that differ from it in one character (an OCR'd 沐阳县 for 沭阳县).

A question may also misspell a name with a character of the same sound (平谭, 江静镇): such a match is
taken, scored a little lower, and reported. Mentions of agencies the store does not hold (平潭财政金融局,
清江浦区, "Qingjiangpu District") are returned as `unknown`, so the answer can say what is missing instead
of answering for the parent government or a namesake.
"""

from __future__ import annotations

import bisect
import gc
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rag.catalog import _splits_into_syllables, looks_pinyin, pinyin_of

_GOV_SUFFIX = re.compile(r"(人民政府|政府)$")
_LATIN = re.compile(r"[a-z]")
_DEPT = re.compile(r"(委员会|办公厅|办公室|管理委员会|管委会|局|委|厅|办|中心|署|院|所|部)$")
_PLACE = re.compile(r"^(.{2,4}?(?:省|自治区|市|自治州|盟|地区))(?=.{2,})")
_ADMIN = re.compile(r"(综合实验区|实验区|新区|街道|自治县|区|县|市|镇|乡|省)$")
_PLACE_SPLIT = re.compile(r"^(.*?(?:综合实验区|新区|自治区|自治州|省|市|县|区|镇|乡|街道))(.+)$")

# standard abbreviations of department names (general Chinese usage, not per agency)
ABBREV: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("市场监督管理局", ("市场监管局", "市监局")),
    ("国有资产监督管理委员会", ("国资委",)),
    ("国有资产管理局", ("国资局",)),
    ("人民政府办公厅", ("政府办公厅", "府办", "政府办")),
    ("人民政府办公室", ("政府办公室", "政府办", "府办")),
    ("管委会办公室", ("管委办",)),
    ("管理委员会办公室", ("管委办", "管委会办公室")),
    ("片区管理局", ("片区",)),  # 海坛片区管理局 is 海坛片区
    ("街道办事处", ("街道办", "街道")),
    ("科学技术委员会", ("科委",)),
    ("科学技术局", ("科技局",)),
    ("发展和改革委员会", ("发改委",)),
    ("发展和改革局", ("发改局",)),
    ("卫生健康委员会", ("卫健委",)),
    ("卫生和健康委员会", ("卫健委",)),
    ("教育委员会", ("教委",)),
    ("住房和城乡建设局", ("住建局",)),
    ("住房和城乡建设委员会", ("住建委",)),
    ("人力资源和社会保障局", ("人社局",)),
    ("人力资源和社会保障厅", ("人社厅",)),
    ("自然资源和规划局", ("自然资源局", "资规局")),
    ("交通运输局", ("交通局",)),
    ("农业农村局", ("农业局",)),
    ("文化和旅游局", ("文旅局",)),
    ("文化广电和旅游局", ("文广旅局", "文旅局")),
    ("生态环境局", ("环保局", "生态局")),
    ("应急管理局", ("应急局",)),
    ("医疗保障局", ("医保局",)),
    ("退役军人事务局", ("退役军人局",)),
    ("行政审批局", ("审批局",)),
    ("数据资源管理局", ("数据局",)),
    ("统计局", ("统计局",)),
)
# English words for department kinds and name parts (generic vocabulary, matched as words)
EN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("人民政府办公厅", ("general office",)), ("人民政府办公室", ("general office",)),
    ("市场监督管理", ("market supervision", "market regulation", "samr")),
    ("国有资产监督管理委员会", ("sasac", "state-owned assets")), ("国有资产", ("state-owned assets", "state assets")),
    ("科学技术", ("science and technology", "sci-tech")), ("发展和改革", ("development and reform", "ndrc")),
    ("卫生健康", ("health commission",)), ("教育", ("education",)), ("旅游", ("tourism",)), ("文化", ("culture",)),
    ("体育", ("sports",)), ("财政", ("finance",)), ("公安", ("public security", "police")),
    ("生态环境", ("ecology and environment", "environment")), ("自然资源", ("natural resources",)),
    ("住房和城乡建设", ("housing and urban", "housing")), ("交通运输", ("transport",)),
    ("委员会", ("commission",)), ("局", ("bureau",)), ("办公室", ("office",)), ("部", ("ministry",)),
    ("统计", ("statistics",)), ("海关", ("customs",)), ("税务", ("taxation", "tax")), ("商务", ("commerce",)),
    ("民政", ("civil affairs",)), ("司法", ("justice",)), ("水利", ("water resources",)),
)
EN_ADMIN = {"县": ("county",), "区": ("district",), "镇": ("town", "township"), "乡": ("township",),
            "市": ("city", "municipal"), "街道": ("subdistrict", "street"), "综合实验区": ("comprehensive pilot zone",
                                                                                   "pilot zone", "experimental zone")}
_DEPT_SUFFIX = re.compile(r"管理委员会|委员会|管委会|办公厅|办公室|局|委|厅|署")
_UNKNOWN_DEPT = re.compile(r"([\u4e00-\u9fff]{2,9}?(?:管理委员会|委员会|管委会|办公厅|办公室|局|委|厅|署))")
_UNKNOWN_PLACE = re.compile(r"([\u4e00-\u9fff]{2,5}?(?:自治县|街道|新区|区|县|镇|乡|市))")
_TIME_WORDS = frozenset({"去年", "今年", "前年", "明年", "全年", "当年", "年度", "上年", "本年"})
# two- to four-letter words that are English, not the initials of a place typed in chat
_NOT_INITIALS = frozenset("""in on to of is at by or an as if it do be we my no so up us am me he go ok hi the and for
are was how you who why new per via not all any can did has had our out off its two one year nian jian ji ge
sum max min pdf txt doc web app fax tel pt""".split()) - {"pt"}
# capitalised English words that split into pinyin syllables but name no place ("China", "Chinese" does not split)
_NOT_PLACE_EN = frozenset({"china", "zhongguo", "guojia", "gongkai", "xinxi", "zhengfu", "nianbao", "baogao", "shenqing",
                           "xingzheng", "fuyi", "susong", "ruguo", "qing", "nian", "duoshao", "jige", "jijian", "zong", "gong"})
_NOT_PLACE_HEAD = re.compile(r"^(本|我|全|该|各|这|年|市区|城区|地区|辖区|社区|政府|县区|区县|行政|这个|那个|同一|两个|三个|"
                             r"省市|市县|镇区|区域|去年|今年)")
_EN_VOCAB = {w for _, ens in EN_WORDS for e in ens for w in e.split()} | {
    w for ens in EN_ADMIN.values() for e in ens for w in e.split()} | set(
    "the and of for in at to from this that which whose its their municipal people peoples government information "
    "disclosure office general state owned assets reform development same local county district town city "
    "township bureau commission prefecture how many much what did does was were".split())
_DEPT_KIND = re.compile(r"(管理委员会|委员会|管委会|办公厅|办公室|局|委|厅|署|办)$")
_PLACE_KIND = re.compile(r"^(人民政府|政府|综合实验区|实验区|区|市|县|镇)")
_STOP_CHARS = r"[年的在了是和与及、由哪个负责被向对把给为从让将几多少什么怎么请问有没这那里中]"
_NOT_DEPT = ("复议委员会", "本机关", "法院", "检察院", "委员会和", "纪委监委")


@dataclass(frozen=True)
class AgencyMatch:
    agency: str
    alias: str
    score: int
    is_department: bool
    start: int = 0
    end: int = 0
    how: str = "name"  # name | sound (same-pinyin typo) | pinyin | english | printed (a variant the report prints)


@dataclass
class Resolution:
    """What the question names: agencies in the store (best first, one per mention) and names it does not hold."""

    named: list[AgencyMatch] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # a mention that fits several agencies equally (市场监管局 with three in the store): mention → agencies
    ambiguous: dict[str, list[str]] = field(default_factory=dict)


def _syllables(s: str) -> tuple[str, ...]:
    """The toneless pinyin of each character."""
    return tuple(pinyin_of(ch) or ch for ch in s)


@lru_cache(maxsize=1)
def _catalog_pinyin() -> list[str]:
    from rag.catalog import COLUMNS, ROW_CONCEPTS
    words = [w for c in ROW_CONCEPTS for w in c.words] + [w for c in COLUMNS for w in c.words]
    return [pinyin_of(w) for w in words if not re.search(r"[a-z]", w)]


def _quoted_spans(qz: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[《“\"「][^》”\"」]{1,30}[》”\"」]", qz)]


def _latin_words(question: str) -> tuple[str, str]:
    """(the question lower-cased without possessives and apostrophes, its words space-separated between spaces —
    a Latin name glued to Chinese, "fengzhu市2021年", a word of its own)."""
    q = re.sub(r"['’]s\b", "", question.lower()).replace("’", "").replace("'", "").replace("-", " ")
    qe = " " + re.sub(r"\s+", " ", re.sub(r"[^a-z0-9\u4e00-\u9fff]+", " ", q)) + " "
    return q, re.sub(r"(?<=[a-z])(?=[0-9\u4e00-\u9fff])|(?<=[0-9\u4e00-\u9fff])(?=[a-z])", " ", qe)


# a zone's, an area's or a subdistrict's government goes by these (海坛片区管理局: a 管理局 named for nothing but
# its area governs the area)
_KIND_ALIASES = ("综合实验区", "实验区")
_GOVERNING_BODY = ("管理委员会", "管委会", "办事处", "管理局")


@lru_cache(maxsize=1 << 16)
def is_department(name: str) -> bool:
    core = _GOV_SUFFIX.sub("", name)
    units, rest = split_places(core)
    if units and rest in _GOVERNING_BODY:
        return False
    return bool(_DEPT.search(core)) and not name.endswith("政府")


_ZONE = re.compile(r"^(.{2,}?)(经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区)$")


def _abbr(dept_core: str) -> str:
    """旅游与文化体育 → 旅文体 (first character of each part, then of each later pair)."""
    parts = [p for p in re.split(r"[与和及、]", dept_core) if p]
    return "".join(p[0] + "".join(p[i] for i in range(2, len(p), 2)) for p in parts)


_UNIT = re.compile(r"(?:(?![和与及的、])[\u4e00-\u9fff]){1,6}?"
                   r"(?:综合实验区|特别行政区|自治区|自治州|自治县|开发区|高新区|新区|街道|地区|省|市|县|区|镇|乡)")


@lru_cache(maxsize=1 << 16)
def split_places(core: str) -> tuple[tuple[str, ...], str]:
    """江城市东湖区财政局 → (["江城市", "东湖区"], "财政局"); 西山县城关镇 → (["西山县", "城关镇"], "").

    The administrative units a name starts with, each a short name and its kind, then the rest. A unit
    of one character plus its kind is taken only for a county (沛县): 城市管理局 and 城乡建设局 are not places."""
    units: list[str] = []
    i = 0
    while i < len(core):
        m = _UNIT.match(core, i)
        if not m or (len(m.group()) == 2 and not m.group().endswith("县")):
            break
        units.append(m.group())
        i = m.end()
    return tuple(units), core[i:]


def _place_core(unit: str) -> str:
    """江城市 → 江城, 平潭综合实验区 → 平潭 (a unit without its kind; '' when one character is left)."""
    core = _ADMIN.sub("", unit)
    if core.endswith("综合"):
        core = core[:-2]
    return core if len(core) >= 2 else ""


@cache
def department_forms(dept: str) -> dict[str, int]:
    """A department's own name without its place, as people write it: the name, the first characters of a
    compound name (旅游与文化体育局 → 旅文体局) and standard abbreviations (市场监督管理局 → 市监局)."""
    suffix_m = _DEPT.search(dept)
    suffix = suffix_m.group(1) if suffix_m else ""
    dept_core = dept[: len(dept) - len(suffix)]
    forms = {dept: 80}
    if dept.startswith("国家") and len(dept) >= 5:  # 国家统计局 is also 统计局
        forms[dept[2:]] = 76
    ab = _abbr(dept_core)
    if 2 <= len(ab) < len(dept_core):
        forms[ab + suffix] = 78
    for full, shorts in ABBREV:
        if dept.endswith(full):
            head = dept[: len(dept) - len(full)]
            for s in shorts:
                forms.setdefault(head + s, 76)
    return forms


@cache
def bare_forms(name: str) -> frozenset[str]:
    """The forms of a department's name that carry no place (财政局, 市监局): shared by every place's department."""
    if not is_department(name):
        return frozenset()
    return frozenset(department_forms(split_places(_GOV_SUFFIX.sub("", name))[1]))


@cache
def place_of(name: str) -> str:
    """The place an agency belongs to: 江城市东湖区财政局 → 江城市东湖区, 西山县人民政府 → 西山县."""
    core = _GOV_SUFFIX.sub("", name)
    return "".join(split_places(core)[0]) if is_department(name) else core


def _same_place(a: str, b: str) -> bool:
    """淮安市洪泽区 and 洪泽区 are one place; 江城市 and 江城市东湖区 are not."""
    return bool(a) and bool(b) and (a.endswith(b) or b.endswith(a))


def aliases(name: str) -> dict[str, int]:
    """Return alias → strength (longer/more specific = stronger) for one agency name."""
    out: dict[str, int] = {name: 100}
    if name.startswith("中华人民共和国") and len(name) > 8:  # a ministry goes by its own name (教育部)
        for a, st in aliases(name[7:]).items():
            out.setdefault(a, min(st, 95))
        return out
    core = _GOV_SUFFIX.sub("", name)
    units, rest = split_places(core)
    if units and rest in _GOVERNING_BODY:  # 城南街道办事处, 江城经济技术开发区管理委员会: the place's government
        place = "".join(units)
        for a, st in aliases(place + "人民政府").items():
            if a != place + "人民政府":
                out.setdefault(a, st)
        kinds = {"办事处": ("办事处", "办"), "管理局": ("管理局",)}.get(rest, ("管委会", "管理委员会"))
        for base in {place, units[-1]}:
            for k in kinds:
                out.setdefault(base + k, 95 if base == place else 88)
        zone = _ZONE.match(units[-1])
        if zone:  # 江城经济技术开发区 → 江城经开区 / 江城开发区; 高新技术产业开发区 → 高新区
            zone_shorts = ("高新区",) if "高新" in zone.group(2) else ("经开区", "开发区")
            for sh in zone_shorts:
                out.setdefault(zone.group(1) + sh, 85)
        return out
    out.setdefault(core, 90)

    def en(a: str, s: int) -> None:
        out.setdefault(a, s)

    if is_department(name):
        units, dept = split_places(core)
        place = "".join(units)
        forms = department_forms(dept)
        local = units[-1] if units else ""
        local_core = _place_core(local)
        # the place as people write it before the department: the whole chain, the chain from any lower
        # unit on (东湖区财政局 for 江城市东湖区财政局), the lowest unit without its kind (东湖财政局), and for a
        # zone its shorter names (平潭实验区 / 平潭区); never an upper unit alone, which names its own department
        heads: dict[str, int] = {}
        if units:
            heads[place] = 95
            for j in range(1, len(units)):
                heads.setdefault("".join(units[j:]), 93)
            if len(units) == 1 and local_core and local_core != local:
                heads.setdefault(local_core, 92)
            elif len(units) > 1:
                heads.setdefault("".join(_place_core(u) for u in units[:-1]) + local, 92)
                if len(local_core) >= 2:
                    heads.setdefault(local_core, 91)
            for short_local in {re.sub(r"综合实验区$", "实验区", local), re.sub(r"综合实验区$", "区", local)}:
                if short_local != local:
                    heads.setdefault("".join(units[:-1]) + short_local, 92)
        for f, st in forms.items():
            out.setdefault(f, st)
            for h, hs in heads.items():
                out.setdefault(h + f, hs)
        # the place, then what the department does without its kind (平潭公安 for 平潭…公安局); never a
        # government's own body (管委会 of 管委会办公室 names the zone itself)
        core = _DEPT.sub("", dept)
        if len(core) >= 2 and not re.search(r"管委会|管理委员会|政府|片区|街道|办事处|[区县市镇乡]$", core):
            for h, hs in heads.items():
                out.setdefault(h + core, hs - 8)
        # the place alone names the government more than the department
        if units:
            out.setdefault(place, 20)
            out.setdefault(local, 20)
            if local_core:
                out.setdefault(local_core, 15)
        for zh, ens in EN_WORDS:
            if zh in dept:
                for e in ens:
                    en(e, 30 if e in ("bureau", "commission", "office") else 45)
        return out
    # a government (or an agency named without a department suffix)
    units, rest = split_places(core)
    if not rest and len(units) >= 2:  # 西山县城关镇, 江苏省淮安市洪泽区: the lowest unit, with and without its uppers
        local_unit, local_core = units[-1], _place_core(units[-1])
        out.setdefault(local_unit, 85)
        for j in range(1, len(units) - 1):
            out.setdefault("".join(units[j:]), 88)
        upper_core = _place_core(units[-2])
        if upper_core:
            out.setdefault(upper_core + local_unit, 86)
            if local_core:
                out.setdefault(upper_core + local_core, 86)
        if local_core:
            out.setdefault(local_core, 80)
    m = _PLACE.match(core)
    local = core[m.end(1):] if m else core
    out.setdefault(local, 85)
    if m:
        out.setdefault(m.group(1) + local, 88)
        upper = _ADMIN.sub("", m.group(1))
        out.setdefault(upper + local, 86)
        short_local = _ADMIN.sub("", local)
        if len(short_local) >= 2:
            out.setdefault(upper + short_local, 86)  # 淮安洪泽
    short = _ADMIN.sub("", local)
    if short.endswith("综合"):
        short = short[:-2]
    if len(short) >= 2 and short != local:
        out.setdefault(short, 80)
        for variant in ("实验区", "区"):
            if local.endswith("综合实验区"):
                out.setdefault(short + variant, 82)
    if local.endswith("综合实验区"):  # a kind of place few stores hold twice: 实验区 alone names it (asked back
        for k in _KIND_ALIASES:  # when another agency in the store shares it)
            out.setdefault(k, 60)
    if re.search(r"(实验区|新区|开发区|高新区)$", core):  # a zone's government is its administrative committee
        for base in {core, short, local}:
            if len(base) >= 2:
                out.setdefault(base + "管委会", 88)
                out.setdefault(base + "管理委员会", 88)
    for full, shorts in ABBREV:  # a municipal commission named as a government-level agency (上海市科学技术委员会)
        if core.endswith(full):
            pre = core[: -len(full)]
            for s in shorts:
                out.setdefault(pre + s, 85)
                out.setdefault(s, 70)
                if pre.endswith("市"):
                    out.setdefault("市" + s, 80)
            if pre:
                out[pre] = 20  # the place alone names the government
                out[_ADMIN.sub("", pre)] = 15
            for zh, ens in EN_WORDS:
                if zh in full:
                    for e in ens:
                        en(e, 30 if e in ("bureau", "commission", "office") else 45)
    return out


def _english_forms(name: str, al: dict[str, int]) -> dict[str, int]:
    """Pinyin place + English kind ("jiangjing town", "hongze district") for the Chinese place aliases."""
    out: dict[str, int] = {}
    for a, s in al.items():
        if re.search(r"[a-z]", a) or s < 15 or len(a) > 12:
            continue
        py = pinyin_of(a)
        if len(py) >= 5:
            out.setdefault(py, min(s, 75))  # "pingtanlvwentiju", "jiangjingzhen"
        m = re.match(r"^(.+?)(综合实验区|街道|县|区|镇|乡|市)$", a)
        if m and len(m.group(1)) >= 2:
            base = pinyin_of(m.group(1))
            if base:
                out.setdefault(base, min(s, 60))
                for e in EN_ADMIN.get(m.group(2), ()):
                    out.setdefault(f"{base} {e}", min(s, 70))
    return out


def variant_local(name: str) -> str:
    """The local name whose one-character variants a report may print ('' when the agency has none to look for)."""
    core = _GOV_SUFFIX.sub("", name)
    m = _PLACE.match(core)
    local = core[m.end(1):] if m else core
    return local if 3 <= len(local) <= 6 and not is_department(name) else ""


def _report_variants(name: str, text: str) -> set[str]:
    """Names the report prints that differ from the agency's local name in one character (OCR: 沐阳县).

    The matches `re.finditer(prefix + one CJK character + suffix)` would give, found with str.find: compiling
    one pattern per name and position cost 3 ms a name, which 10,000 agencies could not afford."""
    local = variant_local(name)
    if not local or not text:
        return set()
    out = set()
    n = len(local)
    for i in range(n - 1):  # the admin suffix stays
        pre, post = local[:i], local[i + 1:]
        last_end = 0
        q = text.find(post, i + 1)
        while q >= 0:
            p = q - i - 1
            if p >= last_end and "\u4e00" <= text[p + i] <= "\u9fff" and text.startswith(pre, p):
                v = text[p:p + n]
                if v != local:
                    out.add(v)
                last_end = p + n
            q = text.find(post, q + 1)
    return out


class _AliasView(Mapping[str, dict[str, int]]):
    """agency → its aliases (pinyin and English forms included), each computed when first asked for."""

    def __init__(self, index: AgencyIndex):
        self._index = index

    def __getitem__(self, n: str) -> dict[str, int]:
        if n not in self._index._base:
            raise KeyError(n)
        # a kind of place alone (实验区) is a word of the reports' text too: never dropped from what is searched
        return {a: s for a, s in self._index.full_alias(n).items() if a not in _KIND_ALIASES}

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.names)

    def __len__(self) -> int:
        return len(self._index.names)


@contextmanager
def _paused_gc():
    """No cyclic garbage collection while tables of ~150,000 small tuples and dicts are built: in a process that
    imported torch/chromadb each collection rescans millions of objects (0.2 s of a 0.3 s build at 10,000
    agencies); nothing built here is garbage."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class AgencyIndex:
    """Resolve agency mentions in a question against the agencies in the store."""

    def __init__(self, *args, **kwargs):
        with _paused_gc():
            self._build(*args, **kwargs)

    def _build(self, names: list[str], texts: dict[str, str] | None = None,
               variants: dict[str, set[str]] | None = None, english: dict[str, dict] | None = None,
               persist=None):
        """`texts`: agency → its reports' text, for the name variants the reports print; or `variants`: those
        variants already derived (rag.library keeps them per report in the data folder). `english`: a cache of
        pinyin/English forms per agency (filled here; `persist()` is called once the whole of it is built).

        Only what every Chinese question needs is built here (the Chinese alias table); the pinyin and English
        forms and the same-sound table are built on first use, so opening a store of 10,000 agencies is not
        paying for pypinyin on every name."""
        self.names = sorted(set(n for n in names if n))
        self._base: dict[str, dict[str, int]] = {}  # agency → its Chinese aliases (+ the Latin words of aliases())
        # rag.library hands the tables it saved for exactly these names, variants and this code (the build below
        # costs ~0.5 s at 10,000 agencies), and takes what is built here to save it
        saved = getattr(variants, "aliases", None)
        reuse = saved is not None and len(saved) == len(self.names) and all(n in saved for n in self.names)
        if reuse and saved is not None:
            self._base = {n: saved[n] for n in self.names}
        for n in self.names if not reuse else ():
            al = aliases(n)
            found = variants.get(n, ()) if variants is not None else _report_variants(n, (texts or {}).get(n, ""))
            for v in found:
                al.setdefault(v, 70)
            self._base[n] = al
        if not reuse and callable(getattr(variants, "built", None)):
            variants.built(self._base)  # type: ignore[union-attr]
        self._english = english if english is not None else {}
        self._persist = persist
        self._full: dict[str, dict[str, int]] = {}
        self.alias = _AliasView(self)
        # lookup tables: alias text → (agency, alias, strength), per space
        self._dept = {n: is_department(n) for n in self.names}
        self._zh_alias: dict[str, list[tuple[str, str, int]]] = {}
        for n in self.names:
            for a, st in self._base[n].items():
                if len(a) >= 2 and not _LATIN.search(a):  # compiled once: 70,000 aliases at 10,000 agencies
                    self._zh_alias.setdefault(a, []).append((n, a, st))
        self._longest = max((len(a) for a in self._zh_alias), default=2)
        self._known_zh = {a for al in self._base.values() for a in al}
        self._lazy_lock = threading.Lock()
        self._sound_table: dict[tuple[str, ...], list[tuple[str, str, int]]] | None = None
        self._latin: tuple[dict, dict, set, set] | None = None
        self._zh_reversed: list[str] | None = None
        self._en_words: frozenset[str] | None = None  # every word of the store's English aliases
        self._initials_table: dict[str, list[tuple[str, str, int]]] | None = None

    def full_alias(self, n: str) -> dict[str, int]:
        """One agency's aliases with their pinyin and English forms (computed on first use, then kept)."""
        got = self._full.get(n)
        if got is None:
            base = self._base[n]
            eng = self._english.get(n)
            if eng is None or eng.get("of") != sorted(base):
                eng = {"of": sorted(base), "forms": _english_forms(n, base)}
                self._english[n] = eng
            got = dict(base)
            got.update({k: v for k, v in eng["forms"].items() if k not in got})
            self._full[n] = got
        return got

    @property
    def _sound(self) -> dict[tuple[str, ...], list[tuple[str, str, int]]]:
        """Same-sound table: the syllables of every strong Chinese alias (built on the first question)."""
        if self._sound_table is None:
            with self._lazy_lock:
                if self._sound_table is None:
                    table: dict[tuple[str, ...], list[tuple[str, str, int]]] = {}
                    for n in self.names:
                        for a, st in self._base[n].items():
                            if st >= 60 and len(a) >= 2 and not re.search(r"[a-z]", a):
                                table.setdefault(_syllables(a), []).append((n, a, st))
                    self._sound_table = table
        return self._sound_table

    def _latin_tables(self) -> tuple[dict, dict, set, set]:
        """(English alias table, pinyin alias table, one-word Latin aliases, every alias) — built when a question
        first holds Latin letters or asks for every alias."""
        if self._latin is None:
            with self._lazy_lock:
                if self._latin is None:
                    en: dict[str, list[tuple[str, str, int]]] = {}
                    py: dict[str, list[tuple[str, str, int]]] = {}
                    for n in self.names:
                        for a, st in self.full_alias(n).items():
                            if not re.search(r"[a-z]", a):
                                continue
                            en.setdefault(a, []).append((n, a, st))
                            if " " not in a and len(a) >= 5:
                                py.setdefault(a, []).append((n, a, st))
                    known = {a for n in self.names for a in self.full_alias(n)}
                    places = {a for n in self.names for a in self.full_alias(n) if re.fullmatch(r"[a-z]+", a)}
                    self._latin = (en, py, places, known)
                    if self._persist is not None:
                        self._persist()
        return self._latin

    @property
    def _initials(self) -> dict[str, list[tuple[str, str, int]]]:
        """Pinyin initials of governments' short place names (平潭 → pt, 洪泽区 → hzq), as people type them in chat
        ("pt25 新收", "hz24 复议"); built on first use."""
        if self._initials_table is None:
            with self._lazy_lock:
                if self._initials_table is None:
                    table: dict[str, list[tuple[str, str, int]]] = {}
                    for n in self.names:
                        if self._dept[n]:
                            continue
                        for a, st in self._base[n].items():
                            if st >= 60 and 2 <= len(a) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", a):
                                ini = "".join(p[0] for p in _syllables(a) if p)
                                if len(ini) == len(a) and ini not in _NOT_INITIALS:
                                    table.setdefault(ini, []).append((n, a, st))
                    self._initials_table = table
        return self._initials_table

    @property
    def _en_alias(self) -> dict[str, list[tuple[str, str, int]]]:
        return self._latin_tables()[0]

    @property
    def _py_alias(self) -> dict[str, list[tuple[str, str, int]]]:
        return self._latin_tables()[1]

    @property
    def places_en(self) -> set[str]:
        return self._latin_tables()[2]

    @property
    def known(self) -> set[str]:
        """Every alias of every agency, pinyin and English forms included."""
        return self._latin_tables()[3]

    def _ends_an_alias(self, tok: str) -> bool:
        """Whether some Chinese alias ends with tok (a sorted list of reversed aliases, built on first use)."""
        if self._zh_reversed is None:
            self._zh_reversed = sorted(a[::-1] for a in self._zh_alias)
        rev = tok[::-1]
        i = bisect.bisect_left(self._zh_reversed, rev)
        return i < len(self._zh_reversed) and self._zh_reversed[i].startswith(rev)

    # ------------------------------------------------------------ candidates
    def candidates(self, question: str) -> list[AgencyMatch]:
        """Every agency alias found in the question (exact, same-sound, pinyin, English), with its span.

        Looked up by the question's substrings in prepared alias tables, so the cost grows with the
        question's length, not with the number of agencies in the store."""
        q, qe = _latin_words(question)
        qz = re.sub(r"\s+", "", q)
        qp = re.sub(r"[^a-z]", "", q) if looks_pinyin(q) else ""
        out: list[AgencyMatch] = []
        for i in range(len(qz)):
            for j in range(i + 2, min(len(qz), i + self._longest) + 1):
                for n, a, st in self._zh_alias.get(qz[i:j], ()):
                    out.append(AgencyMatch(n, a, st * 100 + len(a), self._dept[n], i, j, "name"))
        words = qe.split()
        starts = [m.start() for m in re.finditer(r"(?<= )\S", qe)]
        for i in range(len(words) if re.search(r"[a-z]", qe) else 0):  # Latin aliases need Latin letters
            for k in range(1, min(6, len(words) - i) + 1):
                phrase = " ".join(words[i:i + k])
                for n, a, st in self._en_alias.get(phrase, ()):
                    pos = starts[i] - 1
                    out.append(AgencyMatch(n, a, st * 100 + len(a), self._dept[n], -1 - pos, -1 - pos - len(a),
                                           "english"))
        if qp:
            seen_en = {(m.agency, m.alias) for m in out}
            for i in range(len(qp)):
                for j in range(i + 5, min(len(qp), i + 40) + 1):
                    for n, a, st in self._py_alias.get(qp[i:j], ()):
                        if (n, a) not in seen_en:
                            out.append(AgencyMatch(n, a, st * 100 + len(a), self._dept[n], -1000 - i, -1000 - j,
                                                   "pinyin"))
        # pinyin initials typed in chat ("pt25", "hz24 复议"), in a question written in Chinese or glued to a year
        for m in re.finditer(r"(?<![a-z])([a-z]{2,4})(?=\d|[\u4e00-\u9fff]|\s|$)", qe):
            tok = m.group(1)
            glued = bool(re.match(r"\d", qe[m.end():m.end() + 1]))
            if not (glued or re.search(r"[\u4e00-\u9fff]", q)) or tok in _NOT_INITIALS:
                continue
            for n, a, st in self._initials.get(tok, ()):
                pos = m.start() - 1
                out.append(AgencyMatch(n, tok, int(st * 0.5) * 100 + len(a), self._dept[n], -1 - pos,
                                       -1 - pos - len(tok), "english"))
        # same-sound typos (平谭 → 平潭): a window with the alias's pinyin and at least half its characters equal
        have = {(m.start, m.end) for m in out}
        for i in range(len(qz)):
            for j in range(i + 2, min(len(qz), i + self._longest) + 1):
                w = qz[i:j]
                if (i, j) in have or not re.fullmatch(r"[\u4e00-\u9fff]+", w):
                    continue
                if qz[j - 1:j + 1] in _TIME_WORDS:  # "平潭去年": 去 begins 去年, it is no typo of 区
                    continue
                for n, a, st in self._sound.get(_syllables(w), ()):
                    same = sum(x == y for x, y in zip(w, a))
                    if a != w and same * 2 >= len(a) and (w[0] == a[0] or w[-1] == a[-1]):
                        out.append(AgencyMatch(n, w, int(st * 0.9) * 100 + len(a), self._dept[n], i, j, "sound"))
        return out

    def resolve(self, question: str) -> Resolution:
        """The agencies the question names (one per mention, strongest first) and the names not in the store."""
        raw, composed_unknown = self._place_then_department(self.candidates(question), question)
        # a kind of place alone (实验区) names its agency only where nothing else does: "平潭…讲实验区…" is 平潭
        named_by_name = {m.agency for m in raw if m.alias not in _KIND_ALIASES}
        raw = [m for m in raw if m.alias not in _KIND_ALIASES or m.agency not in named_by_name]
        raw, foreign = self._english_place(raw, question)
        composed_unknown += foreign
        # English / pinyin words of one agency add up ("Pingtan" + "tourism" + "bureau"); Chinese names count alone
        groups: list[tuple[int, AgencyMatch, list[tuple[int, int]]]] = []
        latin: dict[str, list[AgencyMatch]] = {}
        for m in raw:
            if m.how in ("english", "pinyin"):
                latin.setdefault(m.agency, []).append(m)
            else:
                groups.append((m.score, m, [(m.start, m.end)]))
        for ms in latin.values():
            ms.sort(key=lambda m: -m.score)
            parts: list[AgencyMatch] = []
            for m in ms:
                a, b = sorted((m.start, m.end))
                if not any(min(p.start, p.end) < b and a < max(p.start, p.end) for p in parts):
                    parts.append(m)
            score = parts[0].score + sum(p.score for p in parts[1:]) // 2
            groups.append((score, AgencyMatch(parts[0].agency, parts[0].alias, score, parts[0].is_department,
                                              parts[0].start, parts[0].end, parts[0].how),
                           [(min(p.start, p.end), max(p.start, p.end)) for p in parts]))
        # a longer name beats a shorter one inside it (平潭综合实验区旅文体局 over 平潭综合实验区); then strength
        groups.sort(key=lambda g: (-(max(b for _, b in g[2]) - min(a for a, _ in g[2])) if g[1].start >= 0 else 0,
                                   -g[0], g[1].is_department, len(g[1].agency)))
        res = Resolution()
        weak: list[str] = []
        taken: list[tuple[int, int]] = []
        seen: set[str] = set()
        for gi, (score, m, spans) in enumerate(groups):
            spans = [(min(s), max(s)) for s in spans]
            if any(a < sb and sa < b for a, b in taken for sa, sb in spans):
                continue  # a stronger alias already covers this part of the question
            taken.extend(spans)
            if m.agency in seen:
                continue
            # the same words fit other agencies just as well (市场监管局, 城关镇 in several places; "Finance
            # Bureau" with three in the store): say so
            mine = sorted((min(s), max(s)) for s in spans)
            ties = [g[1].agency for g in groups[gi + 1:] if g[0] == score and g[1].how == m.how and
                    sorted((min(s), max(s)) for s in g[2]) == mine and g[1].agency != m.agency]
            if ties:
                res.ambiguous[m.alias] = list(dict.fromkeys([m.agency, *ties]))
            if m.how in ("name", "sound") and m.score < 5000 and m.is_department:
                # only the place of a department: its government, or another body there, is meant
                qz = re.sub(r"\s+", "", question)
                if any(a <= m.start < b for a, b in _quoted_spans(qz)):
                    continue  # a quoted platform name (“上海科技”网站) names no agency
                tail = re.match(r"[\u4e00-\u9fff]{0,6}?(?=\d|" + _STOP_CHARS + r"|$)", qz[m.end:])
                weak.append(m.alias + (tail.group() if tail else ""))
                continue
            seen.add(m.agency)
            res.named.append(m)
        res.unknown = list(dict.fromkeys(composed_unknown + self._unknown(
            question, [(m.start, m.end) for m in res.named if m.start >= 0], list(res.named))))
        if not res.named and weak and not res.unknown:
            res.unknown = weak[:1]
        return res

    def _english_place(self, raw: list[AgencyMatch], question: str) -> tuple[list[AgencyMatch], list[str]]:
        """"Beijing Science and Technology Commission" with only Shanghai's in the store: a capitalised pinyin
        word right before an English department name, that no agency of the store has in its names, is a place
        the store does not hold — the department there is unknown, not the namesake elsewhere."""
        en = [m for m in raw if m.how == "english"]
        if not en:
            return raw, []
        if self._en_words is None:
            self._en_words = frozenset(w for k in self._en_alias for w in k.split())
        q, qe = _latin_words(question)
        drop: set[str] = set()
        unknown: list[str] = []
        first: dict[str, AgencyMatch] = {}
        for m in en:  # the leftmost English words of each agency
            if m.agency not in first or -1 - m.start < -1 - first[m.agency].start:
                first[m.agency] = m
        for m in first.values():
            pos = -1 - m.start
            before = qe[:pos].split()
            if not before or any(o.agency == m.agency and o.how != "english" for o in raw):
                continue
            w = before[-1]
            cap = re.search(rf"\b{w[0].upper()}{re.escape(w[1:])}\b", question.replace("'", "").replace("’", ""))
            if len(w) >= 4 and cap and w not in self._en_words and w not in _NOT_PLACE_EN and \
                    _splits_into_syllables(w):
                drop.add(m.agency)
                unknown.append(f"{cap.group()} " + " ".join(qe[pos:].split()[:len(m.alias.split())]).title())
        return [m for m in raw if not (m.how == "english" and m.agency in drop)], unknown

    def _place_then_department(self, raw: list[AgencyMatch], question: str) -> tuple[list[AgencyMatch], list[str]]:
        """A department's bare name (财政局, 市监局) written right after a place: only that place's department is
        meant. The matches of other places' departments are dropped; when the place has no such department in
        the store, the place and the department together are a name the store does not hold (洪泽区财政局)."""
        qz = re.sub(r"\s+", "", question)
        zh = [m for m in raw if m.how in ("name", "sound") and m.start >= 0]
        bare: dict[tuple[int, int], list[AgencyMatch]] = {}
        for m in zh:
            if m.is_department and m.alias in bare_forms(m.agency) or m.how == "sound" and m.is_department and \
                    any(len(f) == len(m.alias) and _syllables(f) == _syllables(m.alias) for f in bare_forms(m.agency)):
                bare.setdefault((m.start, m.end), []).append(m)
        if not bare:
            return raw, []
        places = [p for p in zh if not p.is_department or p.score // 100 <= 20]
        drop: set[int] = set()
        added: list[AgencyMatch] = []
        unknown: list[str] = []
        for (a, b), ms in bare.items():
            if any(m.start <= a and b <= m.end and m.end - m.start > b - a for m in zh):
                continue  # a longer name holds these words (江城市场监管局)
            before = [p for p in places if p.end == a or (p.end == a - 1 and qz[a - 1] == "的")]
            if before:
                p = max(before, key=lambda p: (p.end - p.start, p.score))
                fits = [m for m in ms if _same_place(place_of(m.agency), place_of(p.agency))]
                drop.update(id(m) for m in ms if m not in fits)
                for m in fits:
                    how = "sound" if "sound" in (m.how, p.how) else "name"
                    added.append(AgencyMatch(m.agency, qz[p.start:b], 93 * 100 + b - p.start, True, p.start, b, how))
                if not fits:
                    unknown.append(qz[p.start:b])
                continue
            # a place the store does not hold right before (厦门市财政局; 厦门|市场监管局 sharing its 市)
            head = re.search(r"([\u4e00-\u9fff]{2,5}?[省市县区镇乡])$", qz[:a])
            if not head and qz[a] in "省市县区镇乡":
                head = re.search(r"([\u4e00-\u9fff]{2,4})$", qz[:a])
            if head and not re.search(_STOP_CHARS, head.group(1)) and not _NOT_PLACE_HEAD.match(head.group(1)) \
                    and not any(m.end > head.start(1) and m.start < a for m in zh if (m.start, m.end) != (a, b)):
                drop.update(id(m) for m in ms)
                unknown.append(head.group(1) + qz[a:b])
        return [m for m in raw if id(m) not in drop] + added, unknown

    def _unknown(self, question: str, spans: list[tuple[int, int]], named: list[AgencyMatch]) -> list[str]:
        qz = re.sub(r"\s+", "", question)
        out: list[str] = []
        free = list(qz)
        for a, b in spans:
            tail = re.match(r"人民政府|政府", qz[b:])
            for i in range(a, b + (tail.end() if tail else 0)):
                free[i] = "\x00"
        rest = "".join(free)
        known = self._known_zh  # the tokens below are Chinese
        for mm in re.finditer(r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=" + _STOP_CHARS + r"))([\u4e00-\u9fff]{2,4}?[省市县区](?:人民政府|政府))",
                              rest):
            tok = mm.group(1)
            if tok not in known and not _NOT_PLACE_HEAD.match(tok) and not re.search(_STOP_CHARS, tok[:-3]):
                out.append(tok)
                rest = rest.replace(tok, "\x00" * len(tok))
        for pat in (_UNKNOWN_DEPT, _UNKNOWN_PLACE):
            for mm in pat.finditer(rest):
                tok = mm.group(1)
                stops = _STOP_CHARS.replace("和与及", "") if pat is _UNKNOWN_DEPT else _STOP_CHARS
                if re.search(stops, tok[:-1]):
                    tok = re.split(stops, tok)[-1]
                cut = _drop_leading_words(qz, mm.start(1) + len(mm.group(1)) - len(tok), tok)
                # a verb before a bare kind is what the department does (审批局), not a word before a name
                tok = tok if pat is _UNKNOWN_DEPT and _DEPT_SUFFIX.fullmatch(cut) else cut
                if _government_after_verb(qz, mm.end(1) - len(tok), tok):
                    continue  # 复议机关认定管委会: the body that decided, then the government named already
                head = _NOT_PLACE_HEAD.match(tok)
                if head and pat is _UNKNOWN_DEPT and head.group() == "行政":
                    head = None  # 行政审批局, 行政执法局: departments are named by what they do
                if len(tok) < 3 or tok in known or head or any(x in tok for x in _NOT_DEPT):
                    continue
                if re.search(r"[各全本该每诸][省市县区镇乡局委厅办]", tok):  # 汇总各委办局: every one, no name
                    continue
                if self._ends_an_alias(tok):  # "那个综合实验区": the kind of a place named
                    continue
                if re.search(r"(?:全|本|我|该|各)[省市县区镇乡]$", tok):  # "报称全市": the whole city, no name
                    continue
                # a department named right after a matched place: 平潭 + 财政金融局
                prev = next((m for m in named if m.end == mm.start()), None)
                out.append((prev.alias if prev else "") + tok)
        low = " " + re.sub(r"[^a-z ]+", " ", question.lower()) + " "
        if looks_pinyin(low):  # pinyin department names the store does not hold ("pingtan lvyouju")
            matched = {m.alias for m in named}
            for tok in low.split():
                if re.search(r"(?:ju|weiyuanhui|bangongshi)$", tok) and len(tok) >= 5 and \
                        not any(tok in a for a in matched) and not any(tok in a for a in self.places_en) and \
                        not any(tok in p for p in _catalog_pinyin()):
                    out.append(tok)
        kind = re.search(r"((?:[a-z]+ ){1,3})(bureau|commission|department|administration)\b", low)
        if kind and not any(m.is_department for m in named):
            out.append((kind.group(1) + kind.group(2)).strip())
        for mm in re.finditer(r"\b([a-z]{3,})(?: ([a-z]{3,}))? (district|county|town|township|city|bureau|commission"
                              r"|prefecture)\b", low):
            words = [w for w in (mm.group(1), mm.group(2)) if w]
            if any(w in _EN_VOCAB for w in words[-1:]):
                continue  # "science and technology commission", "the district": words, not a place name
            words = [w for w in words if w not in _EN_VOCAB]
            # the name right before the kind decides ("Huaian Qingjiangpu District": Qingjiangpu)
            if words and not any(w in self.places_en or any(w in p for p in self.places_en) for w in words[-1:]):
                out.append(" ".join(words + [mm.group(3)]))
        return list(dict.fromkeys(out))

    def department_core(self, name: str, parent: str | None) -> str:
        """What names a department apart from its place and its kind: 平潭国资局 → 国资, 平潭区社会事业局 → 社会事业
        ('' when nothing is left)."""
        core = _DEPT_KIND.sub("", name)
        for a in sorted(self.alias.get(parent, {}) if parent else [], key=len, reverse=True):
            if core.startswith(a) and len(a) < len(core):
                core = core[len(a):]
                break
        return _PLACE_KIND.sub("", core)

    def find(self, question: str) -> list[AgencyMatch]:
        """Agencies named in the question, best first (kept for callers that want candidates only)."""
        return self.resolve(question).named


_NOT_NAME_FLAGS = ("v", "vd", "d", "a", "ad")  # verbs, adverbs, adjectives; and (below) function words


_GOVERNMENT_BODY = re.compile(r"(?:省|市|县|区|镇|乡)?(?:人民)?政府|管委会|管理委员会")


def _government_after_verb(text: str, start: int, tok: str) -> bool:
    """Whether the would-be name is a phrase — a word, a verb, then a government's own body: 复议机关认定管委会,
    法院判决县政府. A verb cannot stand inside a name's place part, and what follows it names the government the
    question is about, not another agency (审批 in 行政审批局 is followed by a department kind, not a government)."""
    import jieba.posseg as pseg

    pos, end = 0, start + len(tok)
    for w in pseg.cut(text):
        a, b = pos, pos + len(w.word)
        pos = b
        if b <= start:
            continue
        if a >= end:
            break
        if w.flag == "v" and a > start and b < end and _GOVERNMENT_BODY.match(text[b:end + 5]):
            return True
    return False


def _drop_leading_words(text: str, start: int, tok: str) -> str:
    """The unknown name without the words before it that no name begins with: "说实验区" → 实验区 (说 is a
    verb), "发布原市" → 原市. Words as jieba's part-of-speech tagger cuts the question."""
    import logging

    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.ERROR)
    pos = 0
    for w in pseg.cut(text):
        end = pos + len(w.word)
        if end <= start:
            pos = end
            continue
        if pos >= start + len(tok) - 1:
            break
        if (w.flag in _NOT_NAME_FLAGS or w.flag[:1] in "pcurfmq") and end < start + len(tok):
            tok = text[end:start + len(tok)]
            start = end
        else:
            break
        pos = end
    return tok
