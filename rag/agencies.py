"""Agency names as people write them (江镜镇, 平潭, 洪泽区, 市科委, "Pingtan") → agencies in the store."""

from __future__ import annotations

import re
from dataclasses import dataclass

_GOV_SUFFIX = re.compile(r"(人民政府|政府)$")
_DEPT = re.compile(r"(局|委员会|委|厅|办公室|办|中心|署|院|所)$")
_PLACE = re.compile(r"^(.{2,4}?(?:省|自治区|市|自治州|盟|地区))(?=.{2,})")
_ADMIN = re.compile(r"(综合实验区|新区|街道|自治县|区|县|市|镇|乡)$")
ABBREV = {"科学技术委员会": "科委", "发展和改革委员会": "发改委", "卫生健康委员会": "卫健委", "教育委员会": "教委"}
EN_WORDS = {"旅游": ("tourism",), "文化": ("culture",), "体育": ("sports",), "科学技术": ("science and technology",),
            "委员会": ("commission",), "局": ("bureau",)}


@dataclass(frozen=True)
class AgencyMatch:
    agency: str
    alias: str
    score: int
    is_department: bool


def _pinyin(s: str) -> str:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # optional: English place names then match only what is in the name
        return ""
    return "".join(lazy_pinyin(s))


def is_department(name: str) -> bool:
    core = _GOV_SUFFIX.sub("", name)
    return bool(_DEPT.search(core)) and not name.endswith("政府")


def aliases(name: str) -> dict[str, int]:
    """Return alias → strength (longer/more specific = stronger) for one agency name."""
    out: dict[str, int] = {name: 100}
    core = _GOV_SUFFIX.sub("", name)
    out[core] = 90
    dept = ""
    if is_department(name):
        # split place + department: 平潭综合实验区旅游与文化体育局 → 平潭综合实验区 / 旅游与文化体育局
        m = re.match(r"^(.*?(?:综合实验区|新区|省|市|县|区|镇|乡))(.+)$", core)
        if m:
            place, dept = m.group(1), m.group(2)
            out[dept] = 80
            parts = re.split(r"[与和及、]", re.sub(_DEPT, "", dept))
            suffix = _DEPT.search(dept).group(1)
            abbr = "".join(p[0] + "".join(p[i] for i in range(2, len(p), 2)) for p in parts if p)
            if len(abbr) >= 2:
                out[abbr + suffix] = 80
            for full, short in ABBREV.items():
                if dept.endswith(full):
                    out[dept[: -len(full)] + short] = 80
                    out[short] = 70
            place_core = _ADMIN.sub("", place)
            out[place_core + "".join(p[:2] for p in parts[:1])] = 75
            for zh, ens in EN_WORDS.items():
                if zh in dept:
                    for en in ens:
                        out.setdefault(en, 30 if en in ("bureau", "commission") else 45)
            # the place alone names the government more than the department
            out.setdefault(place, 20)
            out.setdefault(place_core, 15)
            py = _pinyin(place_core)
            if py:
                out.setdefault(py, 15)
            return out
        for full, short in ABBREV.items():
            if core.endswith(full):
                pre = core[: -len(full)]
                out[pre + short] = 85
                out[short] = 70
                if pre.endswith("市"):
                    out["市" + short] = 80
                    out.setdefault(pre, 20)
                    py = _pinyin(_ADMIN.sub("", pre))
                    if py:
                        out.setdefault(py, 15)
                for zh, ens in EN_WORDS.items():
                    if zh in full:
                        for en in ens:
                            out.setdefault(en, 30)
        return out
    m = _PLACE.match(core)
    local = core[m.end(1):] if m else core
    out[local] = 85
    short = _ADMIN.sub("", local)
    if len(short) >= 2:
        out[short] = 80
        py = _pinyin(short)
        if py:
            out[py] = 60
    return out


class AgencyIndex:
    """Resolve agency mentions in a question against the agencies in the store."""

    def __init__(self, names: list[str]):
        self.names = sorted(set(n for n in names if n))
        self.alias = {n: aliases(n) for n in self.names}

    def find(self, question: str) -> list[AgencyMatch]:
        """Return agencies named in the question, best first (ties: the government before departments)."""
        q = question.lower().replace("’", "").replace("'", "").replace("-", "")
        qz = re.sub(r"\s+", "", q)
        found: list[AgencyMatch] = []
        for n in self.names:
            hits = []
            for a, s in self.alias[n].items():
                al = a.lower()
                if (al in q) if re.search(r"[a-z]", al) else (al in qz):
                    hits.append((s, len(a), a))
            if hits:
                hits.sort(reverse=True)
                s0, _, a0 = hits[0]
                # other aliases that name a different part of the agency ("Pingtan" + "tourism bureau") add up
                extra = sum(s for s, _, a in hits[1:] if a.lower() not in a0.lower() and a0.lower() not in a.lower())
                found.append(AgencyMatch(n, a0, int((s0 + 0.5 * extra) * 100) + len(a0), is_department(n)))
        found.sort(key=lambda m: (-m.score, m.is_department, len(m.agency)))
        return found
