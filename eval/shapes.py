"""Report shapes nobody tuned for: gold reports re-typeset with real-world defects, and how extraction holds.

    python -m eval.shapes [--half check|dev|all] [--out DIR] [--formats txt,md,...] [--json]

Each gold file of ../shared/corpus/gold/ (its printed cells, agency, year) is re-typeset as a report in
every format (txt with tabs, markdown, space-separated text, glued web text, HTML, Word-exported HTML,
DOCX, PDF) and with each defect class of issue 11, alone and combined:

  baseline     the template as the national notice prints it
  heading      table headings with a typo, another wording, numbering off by one, or no heading at all
               ("bare": nor table 4's column headers)
  separators   cells separated by spaces only; blank cells that vanish in the copy
  negative     本年增/减 printed as "-18", "－15", "减少3" (2019–2020 template only: no signed cell after)
  row_label    a table-3 row's label lost, or two rows' labels merged into one line
  agency_year  title wrapped over lines, title without 工作, agency only in the preamble / the signature /
               the file name, year only in the statistics period
  word_html    labels split across <span>/<font>, zeros printed as &nbsp;, a blank 总计 on the result rows,
               navigation and a metadata block before the report, the report inside a script string
  combined     heading + row_label + separators (+ negative) at once
  cross_year   glued web text stored next to the same agency's report of the neighbouring year (printed
               plainly, consistent with it under the template's cross-year relations)

and in the layouts that spread a table row over several lines (`--classes cell_lines,cards,wrapped,continued`):

  cell_lines   a PDF copied cell by cell: every cell on its own line, header cells split, page footers
  cards        label/value lines ("自然人：9；…"), labels reworded and renumbered, blanks as —, / or nothing
  wrapped      a row label over two lines, the numbers on the first or on the second
  continued    a table broken over a page: a footer, "（续表）" and the column headers again

Every cell is scored right (equal to the printed value), flagged (the parser marked it `ambiguous` or
listed it as not read) or silently wrong (anything else). Variants are generated from half of the gold
files (`dev`: the even-numbered ones in name order, used while developing) and scored by default on the
other half (`check`), which no rule was tuned on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from eval import shapes_render as W
from eval import shapes_text as ST
from eval import synth_render as R
from index import template as T

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "corpus" / "gold"
FORMATS = ("txt", "md", "spaced", "flat", "html", "wordhtml", "docx", "pdf")
CLASSES = ("baseline", "heading", "separators", "negative", "row_label", "agency_year", "word_html", "combined",
           "cross_year")
# which formats a class is rendered in (word_html is a format defect: Word-exported HTML only)
CLASS_FORMATS = {"word_html": ("wordhtml",), "separators": ("spaced", "md", "txt", "flat"), "cross_year": ("flat",)}
# layouts that spread a table row over several lines (python -m eval.shapes --classes …): cell_lines (a PDF
# copied cell by cell: every cell on its own line, header cells split, page footers), cards (label/value
# lines, reworded and renumbered labels, blanks as —, / or nothing), wrapped (a row label over two lines, the
# numbers on either), continued (a table broken over a page: footer, "（续表）", the headers again)
LAYOUT_CLASSES = ("cell_lines", "cards", "wrapped", "continued")
LAYOUT_FORMATS: tuple[str, ...] = ("cells", "cards")
CLASS_FORMATS.update({"cell_lines": ("cells",), "cards": ("cards",), "wrapped": ("spaced", "txt"),
                      "continued": ("spaced", "txt", "cells")})
# plain-text layouts written straight from the cells (eval/shapes_text.py): table 3 split by applicant columns,
# dot leaders with units, header-less pipe rows, numbers glued to labels
CLASS_FORMATS.update({c: (c,) for c in ST.TEXT_CLASSES})
LAYOUT_FORMATS += ST.TEXT_CLASSES
HEADING_KINDS = ("typo", "wording", "numbering", "none", "bare")
AGENCY_KINDS = ("wrapped", "no_gongzuo", "preamble", "signature", "filename", "period")
ROW_KINDS = ("lost", "merged")


@dataclass
class Shape:
    """One report to write: its text blocks, the file stem, and the values the parser must find."""

    gold_id: str
    cls: str
    kind: str
    fmt: str
    template: str
    agency: str
    year: int
    cells: dict[str, object]  # "table3.new.total" → printed text ("" blank)
    expected: dict[str, object]  # "table3.new.total" → value as in gold (None blank)
    blocks: list[list] = field(default_factory=list)  # [kind, content, tag]
    stem: str = ""
    word: dict = field(default_factory=dict)  # word_html options


def split_gold(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """Return (dev, check): even- and odd-numbered gold files in name order."""
    files = sorted(files)
    return files[0::2], files[1::2]


def _printed(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return format(Decimal(repr(v)), "f")
    return str(v)


class _Cells:
    """What synth_render's table functions need: template, cells (printed text per full key)."""

    def __init__(self, template: str, cells: dict[str, object]):
        self.template, self.cells = template, cells


def _tables(sh: Shape) -> tuple[list, list, list]:
    split = "table3.other_1.total" in sh.cells
    t2 = R.table2_rows(_Cells(sh.template, sh.cells))
    t3 = R.table3_rows(_Cells("2021" if split else "2019", sh.cells))
    t4 = R.table4_rows(_Cells(sh.template, sh.cells))
    if sh.word.get("t4_bare"):
        t4 = t4[-1:]  # the fifteen numbers alone
    return t2, t3, t4


def base_shape(g: dict, cls: str, kind: str, fmt: str) -> Shape:
    """The gold report typeset plainly in the template."""
    cells: dict[str, object] = {}
    expected: dict[str, object] = {}
    for t in ("table2", "table3", "table4"):
        for k, v in g[t].items():
            cells[f"{t}.{k}"] = _printed(v)
            expected[f"{t}.{k}"] = v
    sh = Shape(g["id"], cls, kind, fmt, str(g["template"]), g["agency"], g["year"], cells, expected)
    sh.stem = f"{g['id']}-{cls}-{kind}-{fmt}"
    y, ag = sh.year, sh.agency
    sh.blocks = [
        ["title", f"{ag}{y}年政府信息公开工作年度报告", "title"],
        ["para", (f"本报告由{ag}根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室关于政府"
                  f"信息公开工作年度报告的有关要求编制。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
                  f"如对本报告有疑问，请与{ag}办公室联系（电话：0591-23165370）。"), "preamble"],
        ["heading", "一、总体情况", "h1"],
        ["para", f"{y}年，本机关认真贯彻落实《条例》，主动公开政府信息，依法办理政府信息公开申请。", "p1"],
        ["heading", "二、主动公开政府信息情况", "h2"],
        ["table", None, "t2"],
        ["heading", "三、收到和处理政府信息公开申请情况", "h3"],
        ["table", None, "t3"],
        ["heading", "四、政府信息公开行政复议、行政诉讼情况", "h4"],
        ["table", None, "t4"],
        ["heading", "五、存在的主要问题及改进情况", "h5"],
        ["para", "一是政策解读形式还不够丰富；二是政务新媒体运维管理还需加强。下一步将逐项改进。", "p5"],
        ["heading", "六、其他需要报告的事项", "h6"],
        ["para", f"{y}年，本机关未收取政府信息公开信息处理费。", "p6"],
        ["para", ag, "sign"],
        ["para", f"{y + 1}年1月20日", "date"],
    ]
    return sh


def _block(sh: Shape, tag: str) -> list:
    return next(b for b in sh.blocks if b[2] == tag)


# ---------------------------------------------------------------- defect classes

def heading(sh: Shape, kind: str, rng: random.Random) -> None:
    h4 = _block(sh, "h4")
    if kind == "typo":
        h4[1] = "四、政府信息公开行政法复议、行政诉讼情况"
        _block(sh, "h3")[1] = "三、收到和处理政府信息公开申情况"
    elif kind == "wording":
        h4[1] = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
        _block(sh, "h2")[1] = "二、主动公开政府信息"
    elif kind == "numbering":
        for tag, text in (("h2", "三、主动公开政府信息情况"), ("h3", "四、收到和处理政府信息公开申请情况"),
                          ("h4", "五、政府信息公开行政复议、行政诉讼情况"), ("h5", "六、存在的主要问题及改进情况"),
                          ("h6", "七、其他需要报告的事项")):
            _block(sh, tag)[1] = text
    else:  # no heading above any table; "bare": table 4 printed without its column headers too
        sh.blocks = [b for b in sh.blocks if b[2] not in ("h2", "h3", "h4")]
        sh.word["t4_bare"] = kind == "bare"


def negative(sh: Shape, kind: str, rng: random.Random) -> bool:
    """Print some 本年增/减 cells negative; False when the template has no signed cell."""
    keys = [k for k in sh.cells if k.endswith(".change")]
    if not keys:
        return False
    forms = ("-{}", "－{}", "减少{}", "-{}")
    for i, k in enumerate(keys):
        if i % 2 == 0:
            n = rng.randint(1, 40)
            sh.cells[k] = forms[(i // 2) % len(forms)].format(n)
            sh.expected[k] = -n
    return True


def _t3_sub_keys(sh: Shape) -> list[str]:
    split = "table3.other_1.total" in sh.cells
    return [s.key for s in T.table3_rows(sh.template, split)][2:-2]


def row_label(sh: Shape, kind: str, rng: random.Random) -> None:
    """Record which table-3 row loses its label (applied when the table is built)."""
    subs = _t3_sub_keys(sh)
    i = rng.randrange(1, len(subs) - 1)
    sh.word["row_label"] = (kind, subs[i])


def agency_year(sh: Shape, kind: str, rng: random.Random) -> None:
    title, pre, sign = _block(sh, "title"), _block(sh, "preamble"), _block(sh, "sign")
    y, ag = sh.year, sh.agency
    if kind == "wrapped":
        title[1] = f"{y} 年{ag}\n政府信息公开\n工作年度报告"
    elif kind == "no_gongzuo":
        title[1] = f"{ag}{y}年度政府信息公开年度报告"
    elif kind == "preamble":
        title[1] = f"{y}年政府信息公开工作年度报告"
        sign[1] = ""
    elif kind == "signature":
        title[1] = f"{y}年政府信息公开工作年度报告"
        pre[1] = pre[1].replace(f"由{ag}", "").replace(f"请与{ag}办公室", "请与本机关办公室")
    elif kind == "filename":
        title[1] = f"{y}年政府信息公开工作年度报告"
        pre[1] = pre[1].replace(f"由{ag}", "").replace(f"请与{ag}办公室", "请与本机关办公室")
        sign[1] = ""
        sh.stem = f"{ag}{y}年政府信息公开工作年度报告-{sh.fmt}"
    else:  # period: no year in the title
        title[1] = f"{ag}政府信息公开工作年度报告"
        _block(sh, "p1")[1] = "本机关认真贯彻落实《条例》，主动公开政府信息，依法办理政府信息公开申请。"
        _block(sh, "p6")[1] = "本机关未收取政府信息公开信息处理费。"
    sh.blocks = [b for b in sh.blocks if not (b[0] == "para" and not b[1])]


def word_html(sh: Shape, kind: str, rng: random.Random) -> None:
    sh.word.update(spans=True, nbsp=kind in ("nbsp", "all"), blank_total=kind in ("blank_total", "all"),
                   nav=kind in ("nav", "all"), script=kind == "script")
    if sh.word["nbsp"]:
        for k, v in sh.cells.items():
            if v == "0" and k.startswith("table3."):
                sh.cells[k], sh.expected[k] = "", None
    if sh.word["blank_total"]:
        for k in _t3_sub_keys(sh) + ["total"]:
            sh.cells[f"table3.{k}.total"] = ""
            sh.expected[f"table3.{k}.total"] = None


def separators(sh: Shape, kind: str, rng: random.Random) -> None:
    """A 2021 table-2 cell left blank (vanishes in space-separated text); wide numbers elsewhere."""
    if kind == "blank":
        k = "table2.regulations.repealed" if sh.template == "2021" else "table2.regulations.new_published"
        sh.cells[k], sh.expected[k] = "", None


def _generation(year: int) -> str:
    return "2019" if year < 2021 else "2021"


def neighbours(g: dict) -> list[dict]:
    """The same agency's reports of the year before and after (where the template generation is the same),
    their table-2 cells consistent with g under the cross-year relations."""
    out = []
    for step in (-1, 1):
        year = g["year"] + step
        if year < 2019 or _generation(year) != _generation(g["year"]) or str(g["template"]) != _generation(year):
            continue
        n = json.loads(json.dumps(g))
        n["year"] = year
        t2, here = n["table2"], g["table2"]
        if str(g["template"]) == "2021":
            for row in ("regulations", "normative_docs"):
                iss, rep, now = (here.get(f"{row}.{c}") for c in ("issued", "repealed", "in_force"))
                if not all(isinstance(x, int) for x in (iss, rep, now)):
                    continue
                if step == 1:  # in_force(N+1) = in_force(N) + issued(N+1) − repealed(N+1)
                    t2[f"{row}.issued"], t2[f"{row}.repealed"], t2[f"{row}.in_force"] = 2, 1, now + 1
                else:  # in_force(N) = in_force(N−1) + issued(N) − repealed(N)
                    t2[f"{row}.issued"], t2[f"{row}.repealed"] = 0, 0
                    t2[f"{row}.in_force"] = now - iss + rep
        else:
            for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
                prev, chg = here.get(f"{row}.prev_items"), here.get(f"{row}.change")
                if not (isinstance(prev, int) and isinstance(chg, int)):
                    continue
                if step == 1:  # prev_items(N+1) = prev_items(N) + change(N)
                    t2[f"{row}.prev_items"], t2[f"{row}.change"] = prev + chg, 0
                else:  # prev_items(N) = prev_items(N−1) + change(N−1)
                    t2[f"{row}.prev_items"], t2[f"{row}.change"] = prev, 0
        out.append(n)
    return out


def cross_year(sh: Shape, kind: str, rng: random.Random) -> bool:
    found = neighbours(sh.word.pop("gold"))
    if not found:
        return False
    sh.word["neighbours"] = found
    return True


def cell_lines(sh: Shape, kind: str, rng: random.Random) -> None:
    """Blank cells printed as "—" (an empty cell on a line of its own is no line at all)."""
    for k, v in sh.cells.items():
        if v == "":
            sh.cells[k] = "—"


def cards(sh: Shape, kind: str, rng: random.Random) -> None:
    """Labels as printed or reworded/renumbered (kind); some zero cells printed blank as —, / or nothing."""
    sh.word["renumbered"] = kind == "renumbered"
    for k, v in sh.cells.items():
        if v == "0" and not k.startswith("table2.") and rng.random() < 0.3:
            sh.cells[k], sh.expected[k] = rng.choice(("—", "/", "")), None


def wrapped(sh: Shape, kind: str, rng: random.Random) -> None:
    sh.word["wrap"] = kind


def continued(sh: Shape, kind: str, rng: random.Random) -> None:
    sh.word["continued"] = True
    if sh.fmt == "cells":
        cell_lines(sh, kind, rng)


def text_layout(sh: Shape, kind: str, rng: random.Random) -> None:
    """The layout's kind; for glued PDF text some all-zero table-3 sub-rows printed blank (— / or no cells)."""
    sh.word["kind"] = kind
    if sh.cls != "glued":
        return
    for spec in T.T3_2019 + T.T3_2021:
        keys = [f"table3.{spec.key}.{c}" for c in T.T3_COLUMNS]
        if spec.group.startswith("（") and all(sh.cells.get(k) == "0" for k in keys) and rng.random() < 0.5:
            for k in keys:
                sh.cells[k], sh.expected[k] = "", None


MUTATORS = {"cross_year": (cross_year, ("pair",)), "heading": (heading, HEADING_KINDS), "row_label": (row_label, ROW_KINDS),
            "agency_year": (agency_year, AGENCY_KINDS),
            "word_html": (word_html, ("spans", "nbsp", "blank_total", "nav", "script", "all")),
            "separators": (separators, ("wide", "blank")), "negative": (negative, ("mixed",)),
            "cell_lines": (cell_lines, ("plain",)), "cards": (cards, ("template", "renumbered")),
            "wrapped": (wrapped, ("tail", "head", "mixed")), "continued": (continued, ("plain",)),
            **{c: (text_layout, ST.KINDS[c]) for c in ST.TEXT_CLASSES}}


def _apply_row_label(sh: Shape, t3: list) -> list:
    """Drop or merge a table-3 row's printed label (the rows are synth_render's cell lists)."""
    if "row_label" not in sh.word:
        return t3
    kind, key = sh.word["row_label"]
    spec = next(s for s in T.T3_2019 + T.T3_2021 if s.key == key)
    for i, row in enumerate(t3):
        idx = [j for j, c in enumerate(row) if c[0] == spec.label]
        if not idx:
            continue
        j = idx[0]
        text, rs, cs = row[j]
        row[j] = ("", rs, cs)
        if kind == "merged":  # the label glued to the previous row's label; this row has none
            prev = t3[i - 1]
            for pj in range(len(prev) - 8, -1, -1):
                if prev[pj][0] and not prev[pj][0].isdigit():
                    prev[pj] = (prev[pj][0] + text, prev[pj][1], prev[pj][2])
                    break
        break
    return t3


def variants(golds: list[dict], formats=FORMATS, classes=CLASSES, seed: int = 0) -> list[Shape]:
    """Every (gold, class, kind, format) shape, deterministic for a seed."""
    out = []
    for g in golds:
        for cls in classes:
            fmts = [f for f in CLASS_FORMATS.get(cls, formats) if f in formats or f in LAYOUT_FORMATS]
            kinds = MUTATORS[cls][1] if cls in MUTATORS else ("plain",)
            if cls == "combined":
                kinds = ("all",)
            for kind in kinds:
                for fmt in fmts:
                    rng = random.Random(f"{seed}-{g['id']}-{cls}-{kind}-{fmt}")
                    sh = base_shape(g, cls, kind, fmt)
                    sh.word["gold"] = g
                    if cls == "combined":
                        heading(sh, HEADING_KINDS[rng.randrange(3)], rng)
                        row_label(sh, rng.choice(ROW_KINDS), rng)
                        negative(sh, "mixed", rng)
                    elif cls in MUTATORS:
                        fn = MUTATORS[cls][0]
                        if fn(sh, kind, rng) is False:
                            continue
                    sh.word.pop("gold", None)
                    out.append(sh)
    return out


# ---------------------------------------------------------------- writing

def render_blocks(sh: Shape) -> list[tuple[str, object]]:
    t2, t3, t4 = _tables(sh)
    t3 = _apply_row_label(sh, t3)
    tables: dict[str, object] = {"t2": t2, "t3": t3, "t4": t4}
    if sh.fmt == "cards":
        tables = dict(W.card_tables(sh.template, {k: str(v) for k, v in sh.cells.items()},
                                    bool(sh.word.get("renumbered")), sh.stem))
    if sh.fmt in ST.TEXT_CLASSES:
        tables = dict(ST.tables(sh.fmt, str(sh.word.get("kind", "")), sh.template,
                                {k: str(v) for k, v in sh.cells.items()}, sh.stem))
    return [(k, tables[tag] if k == "table" else c) for k, c, tag in sh.blocks]


SUFFIX = {"txt": "txt", "md": "md", "spaced": "txt", "flat": "txt", "html": "html", "wordhtml": "html",
          "docx": "docx", "pdf": "pdf", "cells": "txt", "cards": "txt", **{c: "txt" for c in ST.TEXT_CLASSES}}


def write(sh: Shape, folder: Path) -> Path:
    """Write one shape in its format; return the file."""
    path = folder / f"{sh.stem}.{SUFFIX[sh.fmt]}"
    blocks = render_blocks(sh)
    wrap, cont = str(sh.word.get("wrap", "")), bool(sh.word.get("continued"))
    if sh.fmt == "cells":
        W.write_cells(blocks, path, seed=sh.stem, continued=cont)
    elif sh.fmt == "cards" or sh.fmt in ST.TEXT_CLASSES:
        W.write_cards(blocks, path)
    elif (wrap or cont) and sh.fmt in ("spaced", "txt"):
        W.write_aligned(blocks, path, sep=" " if sh.fmt == "spaced" else "\t", wrap=wrap, continued=cont,
                        seed=sh.stem)
    elif sh.fmt == "md":
        W.write_md(blocks, path)
    elif sh.fmt == "spaced":
        W.write_spaced(blocks, path)
    elif sh.fmt == "wordhtml":
        W.write_wordhtml(blocks, path, seed=sh.stem, year=sh.year, nav=bool(sh.word.get("nav")),
                         script=bool(sh.word.get("script")))
    else:
        if sh.fmt == "flat":  # write_flat takes the page title from the title blocks
            blocks = [(k, str(c).replace("\n", "") if k == "title" else c) for k, c in blocks]
        getattr(R, f"write_{sh.fmt}")(blocks, path)
    return path


# ---------------------------------------------------------------- scoring

def _equal(got, want) -> bool:
    from index.numbers import to_decimal

    if want is None:
        return got is None
    if isinstance(want, str):
        return isinstance(got, str) and to_decimal(got) == to_decimal(want)
    return got is not None and not isinstance(got, str) and to_decimal(got) == to_decimal(want)


@dataclass
class Score:
    right: int = 0
    flagged: int = 0
    wrong: int = 0
    reports: int = 0
    meta_right: int = 0
    false_audit: int = 0  # audit failures the printed arithmetic does not have (the parser's, not the report's)
    right_flagged: int = 0  # right, but flagged ambiguous (the kept reading of several)
    wrong_cells: list[str] = field(default_factory=list)

    def add(self, o: Score) -> None:
        self.false_audit += o.false_audit
        self.right_flagged += o.right_flagged
        self.right += o.right
        self.flagged += o.flagged
        self.wrong += o.wrong
        self.reports += o.reports
        self.meta_right += o.meta_right
        self.wrong_cells += o.wrong_cells

    @property
    def cells(self) -> int:
        return self.right + self.flagged + self.wrong


def _printed_audit(sh: Shape, template: str) -> set[str]:
    """The identities that fail in the printed cells themselves (what a perfect parser's audit reports)."""
    from gongkai.model import Fact, Report, Span
    from index.audit import audit

    r = Report(id=sh.stem, source="", sha256="", fmt=sh.fmt, agency=sh.agency, year=sh.year, template=template,
               title="", text="")
    r.facts = [Fact(table=k.split(".")[0], key=k.split(".", 1)[1], value=v, raw="", row_label="", column="",
                    span=Span(0, 0)) for k, v in sh.expected.items()]
    return {a.identity for a in audit(r)}


def score(sh: Shape, path: Path) -> Score:
    """Parse the written shape and score every expected cell."""
    from index.parse import parse_file

    s = Score(reports=1)
    try:
        r = parse_file(path)
    except Exception as e:  # noqa: BLE001 — a refusal is scored as every cell not read (flagged), and shown
        s.flagged = len(sh.expected)
        s.wrong_cells.append(f"{path.name}: refused ({type(e).__name__}: {e})")
        return s
    if "neighbours" in sh.word:  # stored next to its neighbouring years, as ingest does
        from index.store import FactStore

        store = FactStore(path.parent / f"{sh.stem}.sqlite")
        for i, n in enumerate(sh.word["neighbours"]):
            other = base_shape(n, sh.cls, "neighbour", "txt")
            other.stem = f"{sh.stem}-neighbour{i}"
            store.put(parse_file(write(other, path.parent)))
        store.put(r)
        r = store.load(r.id) or r
        store.close()
    got = {f.full_key: f for f in r.facts}
    unread = set(r.unread)
    for k, want in sh.expected.items():
        f = got.get(k)
        if f is not None and _equal(f.value, want):
            s.right += 1
            s.right_flagged += f.ambiguous
        elif (f is not None and f.ambiguous) or (f is None and k in unread):
            s.flagged += 1
        else:
            s.wrong += 1
            s.wrong_cells.append(f"{path.name}: {k} want {want!r} got {None if f is None else f.value!r}")
    printed = _printed_audit(sh, r.template)
    extra = sorted({a.identity for a in r.audit} - printed)
    if extra:
        s.false_audit = 1
        s.wrong_cells.append(f"{path.name}: audit failure(s) the report does not have: {'; '.join(extra)}")
    if r.agency == sh.agency and r.year == sh.year:
        s.meta_right += 1
    else:
        s.wrong_cells.append(f"{path.name}: agency/year want {sh.agency} {sh.year}, got {r.agency} {r.year}")
    return s


def run(half: str = "check", formats=FORMATS, classes=CLASSES, out: Path | None = None, gold_dir: Path = GOLD,
        seed: int = 0) -> tuple[dict, dict, Score, list[str]]:
    """Write and score every shape; return (per class, per format, total, problems)."""
    dev, check = split_gold(list(gold_dir.glob("*.json")))
    files = {"dev": dev, "check": check, "all": dev + check}[half]
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    shapes = variants(golds, formats, classes, seed)
    by_cls: dict[str, Score] = defaultdict(Score)
    by_fmt: dict[str, Score] = defaultdict(Score)
    total = Score()
    with tempfile.TemporaryDirectory() as tmp:
        folder = out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for sh in shapes:
            s = score(sh, write(sh, folder))
            by_cls[sh.cls].add(s)
            by_fmt[sh.fmt].add(s)
            total.add(s)
    return dict(by_cls), dict(by_fmt), total, total.wrong_cells


def _row(name: str, s: Score) -> str:
    pct = 100 * s.right / s.cells if s.cells else 0.0
    return (f"| {name} | {s.reports} | {s.cells:,} | {s.right:,} ({pct:.2f} %) | {s.right_flagged:,} | {s.flagged:,} | "
            f"{s.wrong:,} | {s.meta_right}/{s.reports} | {s.false_audit} |")


def table(by_cls: dict, by_fmt: dict, total: Score) -> str:
    head = ("| {} | reports | cells | right | of which flagged | wrong, flagged | silently wrong | agency+year right "
            "| false audit failures |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    lines = [head.format("class")] + [_row(c, by_cls[c]) for c in CLASSES + LAYOUT_CLASSES + ST.TEXT_CLASSES if c in by_cls]
    lines += ["", head.format("format")] + [_row(f, by_fmt[f]) for f in FORMATS + LAYOUT_FORMATS if f in by_fmt]
    lines += ["", head.format("all"), _row("total", total)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.shapes", description=__doc__.split("\n")[0])
    ap.add_argument("--half", choices=("check", "dev", "all"), default="check",
                    help="gold files the variants are made from (default: check, the half no rule was tuned on)")
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--classes", default=",".join(CLASSES + LAYOUT_CLASSES + ST.TEXT_CLASSES))
    ap.add_argument("--out", type=Path, help="keep the written reports here")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--show", type=int, default=20, help="list this many wrong cells (default 20)")
    a = ap.parse_args(argv)
    fmts = [f for f in a.formats.split(",") if f]
    classes = [c for c in a.classes.split(",") if c]
    if not a.gold.is_dir():
        print(f"error: no gold folder {a.gold}", file=sys.stderr)
        return 2
    by_cls, by_fmt, total, problems = run(a.half, fmts, classes, a.out, a.gold)
    print(f"shape suite: {a.half} half of {a.gold}\n")
    print(table(by_cls, by_fmt, total))
    if problems:
        print(f"\n{len(problems)} problems (first {min(a.show, len(problems))}):")
        for p in problems[:a.show]:
            print("  " + p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
