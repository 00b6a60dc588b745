"""Synthetic annual reports in the national template, with their gold JSON — for scale and robustness.

    python -m eval.synth OUTDIR -n N [--seed S] [--formats txt,html,docx,pdf] [--errors 0.1]

Writes OUTDIR/reports/synth-NNNN.{txt,html,docx,pdf} (formats taken in turn) and
OUTDIR/gold/synth-NNNN.json in the GOLD-SPEC shape. Tables are random but arithmetically consistent
(every identity of report-template.md holds) unless an identity error is injected (probability
--errors per report): the printed cell is then off, and the gold file records the printed value, a
note and an "injected_errors" entry. Both template generations (2019–2020 and 2021+) by year.
Never use these as the accuracy figure for real reports: their wording is the generator's own.
PDF needs reportlab (its built-in STSong-Light CID font: no font file needed).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from index import template as T

FORMATS = ("txt", "html", "docx", "pdf")
EXTRA_FORMATS = ("flat",)  # web-page text with table cells run together (written as .txt); not in the default set
SUFFIX = {"flat": "txt"}
_SYL = "安宁丰和华平清泰兴永长新东西南北江河山海林溪云阳明德福瑞嘉春峰湖桥川"
_PROVINCES = ("江苏省", "浙江省", "福建省", "安徽省", "江西省", "湖南省", "四川省", "广东省")
_DEPTS = ("生态环境局", "教育局", "卫生健康委员会", "自然资源和规划局", "市场监督管理局", "交通运输局", "民政局", "财政局")
T3_ORG = ("natural", "commercial", "research", "social", "legal", "other_org")


@dataclass
class Synth:
    """One synthetic report: metadata, printed cell values (after any injected error) and text parts."""

    id: str
    agency: str
    short: str  # how the report calls itself ("我区", "我局")
    year: int
    template: str
    cells: dict[str, object]  # full key "table3.new.total" → printed value (int | Decimal | str)
    narrative: list[dict] = field(default_factory=list)
    qa: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    injected: list[dict] = field(default_factory=list)
    phone: str = ""
    address: str = ""
    problems: str = ""
    issued: str = ""


# ---------------------------------------------------------------- content

def _place(rng: random.Random, suffix: str) -> str:
    return "".join(rng.sample(_SYL, 2)) + suffix


def agency_name(rng: random.Random) -> tuple[str, str]:
    """Return (agency name, how the report calls itself)."""
    kind = rng.choice(("district", "county", "town", "city", "dept", "county"))
    city = _place(rng, "市")
    if kind == "district":
        return f"{city}{_place(rng, '区')}人民政府", "我区"
    if kind == "county":
        return f"{city}{_place(rng, '县')}人民政府", "我县"
    if kind == "town":
        return f"{_place(rng, '县')}{_place(rng, rng.choice(('镇', '乡')))}人民政府", "我镇"
    if kind == "city":
        return f"{rng.choice(_PROVINCES)}{city}人民政府", "我市"
    return f"{city}{rng.choice(_DEPTS)}", "我局"


def _small(rng: random.Random, zero: float = 0.6, top: int = 6) -> int:
    return 0 if rng.random() < zero else rng.randint(1, top)


def table2(rng: random.Random, template: str) -> dict[str, object]:
    c: dict[str, object] = {}
    if template == "2021":
        for row in ("regulations", "normative_docs"):
            issued, repealed = _small(rng, 0.4, 12), _small(rng, 0.6, 5)
            c[f"{row}.issued"], c[f"{row}.repealed"] = issued, repealed
            c[f"{row}.in_force"] = issued + rng.randint(repealed, 120)
        for row, top in (("licensing", 20000), ("penalty", 5000), ("coercion", 300)):
            c[f"{row}.decisions"] = rng.randint(0, top)
        c["fees.amount"] = Decimal(rng.randint(0, 9_999_999)) / 100 if rng.random() < 0.8 else 0
    else:
        for row in ("regulations", "normative_docs"):
            made = _small(rng, 0.4, 30)
            pub = rng.randint(0, made)
            c[f"{row}.new_made"], c[f"{row}.new_published"] = made, pub
            c[f"{row}.total_published"] = pub + rng.randint(0, 400)
        for row, top in (("licensing", 3000), ("other_services", 500), ("penalty", 2000), ("coercion", 100)):
            c[f"{row}.prev_items"] = rng.randint(0, 300)
            c[f"{row}.change"] = _small(rng, 0.7, 9)
            c[f"{row}.decisions"] = rng.randint(0, top)
        c["fees.prev_items"], c["fees.change"] = rng.randint(0, 40), _small(rng, 0.8, 3)
        c["procurement.items"] = rng.randint(0, 60)
        amount = Decimal(rng.randint(0, 90_000_000_00)) / 100
        c["procurement.amount"] = f"{amount:.2f}元" if rng.random() < 0.5 else amount
    return c


def table3(rng: random.Random, template: str) -> dict[str, object]:
    specs = T.table3_rows(template, other_split=template == "2021")
    results = [s.key for s in specs if s.key not in ("new", "carried_over", "total", "carry_forward")]
    c: dict[str, object] = {}
    for col in T3_ORG:
        busy = col == "natural" or rng.random() < 0.35
        scale = 40 if col == "natural" else 5
        vals = {k: (rng.randint(0, scale) if busy and (k in ("granted", "partial", "unable_1") or rng.random() < 0.3)
                    else 0) for k in results}
        total = sum(vals.values())
        carry_forward = rng.randint(0, 4) if busy else 0
        carried_over = rng.randint(0, min(3, total + carry_forward)) if busy else 0
        new = total + carry_forward - carried_over
        for k, v in {**vals, "total": total, "carry_forward": carry_forward, "carried_over": carried_over,
                     "new": new}.items():
            c[f"{k}.{col}"] = v
    for s in specs:
        c[f"{s.key}.total"] = sum(c[f"{s.key}.{col}"] for col in T3_ORG)  # type: ignore[misc]
    return c


def table4(rng: random.Random) -> dict[str, object]:
    c: dict[str, object] = {}
    for g, _ in T.T4_GROUPS:
        parts = [_small(rng, 0.5, 5) for _ in range(4)]
        for col, v in zip(T.T4_COLUMNS[:4], parts):
            c[f"{g}.{col}"] = v
        c[f"{g}.total"] = sum(parts)
    return c


def _inject(rng: random.Random, s: Synth) -> None:
    """Break one identity: a printed total that is off by a few."""
    d = rng.choice((1, 2, 3, 5, 10))
    if rng.random() < 0.5:
        g, glabel = rng.choice(T.T4_GROUPS)
        key, identity = f"table4.{g}.total", f"表四 {glabel}: 总计 = 维持+纠正+其他+尚未审结"
    else:
        key, identity = "table3.total.total", "表三 （七）总计: 总计 = 自然人 + 法人或其他组织"
    computed = s.cells[key]
    printed = computed + d  # type: ignore[operator]
    s.cells[key] = printed
    s.injected.append({"cell": key, "printed": printed, "computed": computed, "identity": identity})
    s.notes.append(f"injected error: {key} printed {printed} while its parts add up to {computed} ({identity})")


def make(i: int, seed: int, errors: float, taken: set) -> Synth:
    """Return synthetic report number i (deterministic for a seed)."""
    rng = random.Random(seed * 1_000_003 + i)
    while True:
        agency, short = agency_name(rng)
        year = rng.randint(2019, 2025)
        if (agency, year) not in taken:
            taken.add((agency, year))
            break
    template = "2019" if year < 2021 else "2021"
    cells = {f"table2.{k}": v for k, v in table2(rng, template).items()}
    cells.update({f"table3.{k}": v for k, v in table3(rng, template).items()})
    cells.update({f"table4.{k}": v for k, v in table4(rng).items()})
    s = Synth(id=f"synth-{i:04d}", agency=agency, short=short, year=year, template=template, cells=cells)
    s.phone = f"0{rng.randint(510, 599)}-{rng.randint(20000000, 89999999)}"
    s.address = f"{agency[:6]}{_place(rng, '路')}{rng.randint(1, 300)}号"
    s.issued = f"{year + 1}年1月{rng.randint(5, 28)}日"
    s.problems = rng.choice((
        "一是政策解读形式还不够丰富；二是依申请公开答复的规范性有待提高；三是政务新媒体运维管理还需加强。",
        "一是主动公开的及时性有待提升；二是基层政务公开专区建设还不够均衡。",
        "一是政府信息公开队伍业务能力仍需加强；二是公开内容的全面性、准确性有待提高。"))
    proactive, interp, train = rng.randint(50, 20000), rng.randint(0, 300), rng.randint(1, 30)
    new_total = cells["table3.new.total"]
    sentences = [
        ("proactive_total", proactive, "条", f"{year}年，{short}通过政府门户网站主动公开政府信息{proactive}条。"),
        ("policy_interpretations", interp, "篇", f"全年发布政策解读{interp}篇。"),
        ("training_sessions", train, "次", f"组织政府信息公开业务培训{train}次。"),
        ("applications_received", new_total, "件", f"全年共收到政府信息公开申请{new_total}件。"),
    ]
    s.narrative = [{"key": k, "value": v, "unit": u, "quote": q} for k, v, u, q in sentences]
    if rng.random() < errors:
        _inject(rng, s)
    lit = cells["table4.suit_direct.total"] + cells["table4.suit_after_review.total"]  # type: ignore[operator]
    lic_key = "table2.licensing.decisions"
    s.qa = [
        {"q": f"{year}年{agency}行政许可的处理决定数量是多少？", "a": str(cells[lic_key]), "unit": "件",
         "type": "table", "evidence": f"行政许可 处理决定数量 {cells[lic_key]}"},
        {"q": f"{agency}{year}年新收了多少件政府信息公开申请？", "a": str(new_total), "unit": "件", "type": "table",
         "evidence": f"一、本年新收政府信息公开申请数量 … 总计 {new_total}"},
        {"q": f"{agency}{year}年涉及政府信息公开的行政诉讼一共有多少件？", "a": str(lit), "unit": "件", "type": "sum",
         "evidence": f"行政诉讼 未经复议直接起诉 总计 {cells['table4.suit_direct.total']} + 复议后起诉 总计 "
                     f"{cells['table4.suit_after_review.total']} = {lit}"},
        {"q": f"{agency}{year}年发布了多少篇政策解读？", "a": str(interp), "unit": "篇", "type": "narrative",
         "evidence": sentences[1][3]},
        {"q": f"{agency}{year}年报告留的联系电话是多少？", "a": s.phone, "unit": None, "type": "text",
         "evidence": f"电话：{s.phone}"},
        {"q": f"{agency}{year}年报告公布的电子邮箱是什么？", "a": None, "unit": None, "type": "unanswerable",
         "evidence": "报告只给了地址和电话，没有电子邮箱。"},
    ]
    return s


def gold(s: Synth, fmt: str) -> dict:
    """Return the GOLD-SPEC JSON of a synthetic report."""
    out: dict = {"id": s.id, "agency": s.agency, "year": s.year, "template": int(s.template), "format": fmt}
    for t in ("table2", "table3", "table4"):
        out[t] = {k[len(t) + 1:]: _json(v) for k, v in s.cells.items() if k.startswith(t + ".")}
    out["narrative"] = s.narrative
    out["qa"] = s.qa
    out["notes"] = ["synthetic report written by eval/synth.py"] + s.notes
    out["injected_errors"] = [{**e, "printed": _json(e["printed"]), "computed": _json(e["computed"])}
                              for e in s.injected]
    return out


def _json(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral_value() else int(v)
    return v


# ---------------------------------------------------------------- rendering

def printed(v) -> str:
    """A cell value as the report prints it."""
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def blocks(s: Synth) -> list[tuple[str, object]]:
    """The report as a list of ("title"|"heading"|"para"|"table", content) in reading order.

    A table is a list of rows; a row is a list of cells (text, rowspan, colspan); spanned positions are
    simply absent from the following rows (HTML convention).
    """
    from eval.synth_render import table2_rows, table3_rows, table4_rows

    y, ag, sh = s.year, s.agency, s.short
    n = {d["key"]: d for d in s.narrative}
    return [
        ("title", ag),
        ("title", f"{y}年政府信息公开工作年度报告"),
        ("para", (f"本报告由{ag}根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室关于政府信息"
                  f"公开工作年度报告的有关要求编制。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
                  f"如对本报告有疑问，请与{ag}办公室联系（地址：{s.address}；电话：{s.phone}）。")),
        ("heading", "一、总体情况"),
        ("heading", "（一）主动公开"),
        ("para", n["proactive_total"]["quote"] + n["policy_interpretations"]["quote"]),
        ("heading", "（二）依申请公开"),
        ("para", n["applications_received"]["quote"] + "均在法定期限内予以答复。"),
        ("heading", "（三）平台建设和监督保障"),
        ("para", n["training_sessions"]["quote"] + f"{sh}持续加强政府网站和政务新媒体管理。"),
        ("heading", "二、主动公开政府信息情况"),
        ("table", table2_rows(s)),
        ("heading", "三、收到和处理政府信息公开申请情况"),
        ("table", table3_rows(s)),
        ("heading", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table", table4_rows(s)),
        ("heading", "五、存在的主要问题及改进情况"),
        ("para", (f"{y}年，{sh}政府信息公开工作取得一定成效，但仍存在一些不足：{s.problems}"
                  "下一步将针对上述问题逐项改进。")),
        ("heading", "六、其他需要报告的事项"),
        ("para", f"{y}年，{sh}未收取政府信息公开信息处理费。"),
        ("para", ag),
        ("para", f"{s.issued}印发"),
    ]


def write(s: Synth, fmt: str, folder: Path) -> Path:
    """Render one report in one format; return the file."""
    from eval import synth_render

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{s.id}.{SUFFIX.get(fmt, fmt)}"
    getattr(synth_render, f"write_{fmt}")(blocks(s), path)
    return path


def generate(out: Path, n: int, seed: int = 0, formats=FORMATS, errors: float = 0.0, start: int = 1,
             log=None) -> list[tuple[Path, Path]]:
    """Write n reports and their gold files under out/; return (report, gold) paths."""
    formats = list(formats)
    if "pdf" in formats:
        try:
            import reportlab  # noqa: F401
        except ImportError:
            formats.remove("pdf")
            print("note: PDF skipped — reportlab is not installed (pip install reportlab); the other formats "
                  "are written", file=sys.stderr)
    if not formats:
        raise SystemExit("no format left to write")
    taken: set = set()
    pairs = []
    for i in range(start, start + n):
        s = make(i, seed, errors, taken)
        fmt = formats[(i - start) % len(formats)]
        rp = write(s, fmt, out / "reports")
        gp = out / "gold" / f"{s.id}.json"
        gp.parent.mkdir(parents=True, exist_ok=True)
        gp.write_text(json.dumps(gold(s, fmt), ensure_ascii=False, indent=1), encoding="utf-8")
        pairs.append((rp, gp))
        if log:
            log(i - start + 1, n, rp)
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.synth", description=__doc__.split("\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("-n", type=int, default=12, help="number of reports (default 12)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", default=",".join(FORMATS),
                    help="comma-separated, taken in turn (default txt,html,docx,pdf; also: flat = web-page text with "
                    "table cells run together, written as .txt)")
    ap.add_argument("--errors", type=float, default=0.0, help="probability of an injected identity error per report")
    a = ap.parse_args(argv)
    fmts = [f.strip() for f in a.formats.split(",") if f.strip()]
    bad = [f for f in fmts if f not in FORMATS + EXTRA_FORMATS]
    if bad:
        ap.error(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS + EXTRA_FORMATS)}")
    pairs = generate(a.outdir, a.n, a.seed, fmts, a.errors)
    errs = sum(bool(json.loads(g.read_text(encoding="utf-8"))["injected_errors"]) for _, g in pairs)
    print(f"wrote {len(pairs)} reports to {a.outdir / 'reports'} and their gold files to {a.outdir / 'gold'} "
          f"({errs} with an injected identity error)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
