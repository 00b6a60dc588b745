"""Template tables 2, 3 and 4 → facts keyed like GOLD-SPEC, from the rows of any source.

Tables are found by their shape (column headers; headings only as hints). Rows are matched to template
rows by their printed label (in template order); rows whose label was lost take the next template row.
A row's numbers become cells in index.cells; concatenated digit runs are split with the template's
identities; when the identities leave several splits the most plausible one is kept and the fact is
flagged `ambiguous` with its alternatives. Template cells not read are listed (`Extraction.unread`).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field, replace

from gongkai.model import Fact, Span
from index import layout
from index import template as T
from index.cells import cells_for, empty_grid_row, signless, t4_splits, value_or_zero, with_blanks
from index.numbers import parse_number
from index.rows import Row, text_rows
from index.splitter import splits

_T2_START = re.compile(r"第\s*二\s*十\s*条\s*第\s*[（(]\s*一\s*[)）]\s*项")
_T2_HEAD = re.compile(r"本\s*年\s*制\s*发\s*件\s*数|本\s*年\s*新\s*制\s*作\s*数\s*量|上\s*一\s*年\s*项\s*目\s*数\s*量")
# table 4 ends where section 5 (or 6) begins: at a line start, or inside a flattened line when the numbering is
# followed by the section's own words ("…000 五、存在的主要问题及改进情况", "五、政府信息公开工作存在的…")
_T4_END = re.compile(r"(?:^|\n)\s*(?:#+\s*)?(?:[五六]\s*[、.．]|[（(]一[)）]\s*主要问题)|"
                     r"[五六]\s*[、.．]\s*(?:[^\d\n。]{0,12}存在|其他需要报告)")


@dataclass
class Extraction:
    template: str  # "2019" | "2021" | "pre-2019"
    other_split: bool = False
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # template cells not read (full keys)
    tables_unreadable: list[str] = field(default_factory=list)  # tables present but not read

    def finish(self) -> Extraction:
        """Record every template cell that no fact holds as not read."""
        if self.template != "pre-2019":
            have = {f.full_key for f in self.facts}
            self.unread = [k for k in T.all_keys(self.template, self.other_split) if k not in have]
        return self


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def detect_template(text: str, year: int | None) -> str:
    """Return the template generation from the table headers, falling back on the year."""
    t = _norm(text)
    if not (_T2_START.search(text) or _T2_HEAD.search(text) or "本年新收" in t or "本年度新收" in t):
        return "pre-2019"
    if any(w in t for w in ("本年制发件数", "现行有效件数", "本年废止件数")):
        return "2021"
    if any(w in t for w in ("本年新制作数量", "上一年项目数量", "政府集中采购", "对外公开总数量")):
        return "2019"
    return "2021" if (year or 0) >= 2021 else "2019"


def _len(c: str) -> int:
    return len(c.split(".")[0])


def _t2_choose(spec: T.RowSpec, cands: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Rank table-2 splits (table 2 has no identity inside a row): plausibility rules, best first."""
    cols = spec.columns

    def key(c: tuple[str, ...]):
        return ("" in c, *_key(c))

    def _key(c: tuple[str, ...]):
        vals = [value_or_zero(x) for x in c]
        if cols == ("issued", "repealed", "in_force"):
            bad = vals[2] < max(vals[0], vals[1])
            return (bad, max(map(_len, c)), vals[0] < vals[1])
        if cols == ("new_made", "new_published", "total_published"):
            bad = vals[2] < vals[1]
            return (bad, max(map(_len, c)), 0)
        if cols[:2] == ("prev_items", "change"):
            chg = c[1]
            balance = abs(_len(c[0]) - _len(c[2])) if len(c) > 2 else 0
            return (chg != "0", _len(chg), balance, max(map(_len, c)))
        if cols == ("items", "amount"):
            per = float(vals[1]) / max(1, float(vals[0])) if vals[0] else 0.0
            return (0, abs(math.log10(per + 1) - 5.5), 0)
        return (0, max(map(_len, c)), 0)

    return sorted(cands, key=key)


# ---------------------------------------------------------------- identities

def _t3_row_ok(c: tuple[str, ...]) -> bool:
    vals = [value_or_zero(x) for x in c]
    return sum(vals[:6]) == vals[6]


def _t3_column_score(assign: dict[str, tuple[str, ...]], sub_keys: list[str]) -> int:
    """Number of per-column identities that hold (一+二 = 七+四; 七 = sum of result rows)."""
    score = 0
    for i in range(7):
        col = {k: value_or_zero(c[i]) for k, c in assign.items()}
        total = col.get("total")
        if total is not None and all(k in col for k in ("new", "carried_over", "carry_forward")) and \
                col["new"] + col["carried_over"] == total + col["carry_forward"]:
            score += 1
        if total is not None and all(k in col for k in sub_keys) and sum(col[k] for k in sub_keys) == total:
            score += 1
    return score


def _t4_ok(c: tuple[str, ...]) -> int:
    vals = [value_or_zero(x) for x in c]
    return sum(1 for g in range(3) if sum(vals[g * 5:g * 5 + 4]) == vals[g * 5 + 4])


# ---------------------------------------------------------------- matching

# table 3's group headings, printed on the first row of their group (（六）其他处理 is a row itself in the
# 2019–2020 template; it is then the next template row anyway)
_GROUP_HEADS = re.compile(r"三、本年度办理结果|[（(][三四五六][)）](?:不予公开|无法提供|不予处理|其他处理)")


def names(spec: T.RowSpec, lab: str) -> bool:
    """Whether a label (whitespace removed) names the template row: one of its patterns in it, or for a row
    as generic as "3.其他" its whole wording (group headings and numbering aside)."""
    if not spec.whole:
        return any(pt in lab for pt in spec.patterns)
    core = re.sub(r"[^\u4e00-\u9fff]", "", _GROUP_HEADS.sub("", lab))
    return core in spec.patterns


def _match(label: str, specs: list[T.RowSpec], p: int, done: set[str]) -> int | None:
    """Index of the template row this label names: nearest unassigned at/after p, else any earlier."""
    lab = _norm(label)
    hits = [i for i, s in enumerate(specs) if s.key not in done and names(s, lab)]
    if not hits:
        return None
    after = [i for i in hits if i >= p]
    return after[0] if after else hits[0]


def _group_row(label: str, specs: list[T.RowSpec], p: int, assigned: dict) -> int | None:
    """The row a group heading printed alone on a row stands for: the first unread row at/after p of the group
    it names ("（四）无法提供" on the row whose "1.本机关不掌握…" went missing; the 2019 single 其他处理 row)."""
    names = {re.sub(r"^[（(][三四五六][)）]|^三、", "", m.group()) for m in _GROUP_HEADS.finditer(_norm(label))}
    for i in range(p, len(specs)):
        s = specs[i]
        if s.key not in assigned and any(n in s.group or n in s.label for n in names):
            return i
    return None


def _ws(word: str) -> str:
    """A regex for a word that may be broken by whitespace anywhere (PDF and Word output)."""
    return r"\s*".join(map(re.escape, word))


# Table 4's column headers: 结果维持 … 总计, three times (行政复议 · 未经复议直接起诉 · 复议后起诉)
_T4_COLS = re.compile(_ws("结果维持") + "|" + _ws("尚未审结"))
# headings as hints only: typos ("行政法复议"), other wordings ("被申请行政复议、提起行政诉讼")
_T4_HINT = re.compile(r"行\s*政\s*(?:法\s*)?复\s*议[^\n。]{0,12}?行\s*政\s*诉\s*讼")
_T3_START = re.compile(_ws("本年新收") + "|" + _ws("本年度新收") + "|" + _ws("申请人情况"))


def find_table4(text: str, after: int) -> tuple[int, int] | None:
    """Return (where table 3's region ends, where table 4's numbers start), found by the table's shape.

    The column headers (结果维持 … 尚未审结 … 总计, repeated per group) mark the table whatever its heading
    says; a heading naming 行政复议 … 行政诉讼 (typos allowed) is the fallback for a table printed without
    headers."""
    m = _T4_COLS.search(text, after)
    if m:  # headers carry no digits: the numbers are read from the first header on (some reports
        return m.start(), m.start()  # print a header row above each group's numbers)
    h = _T4_HINT.search(text, after)
    if h:
        return h.start(), h.end()
    return None


def extract(text: str, year: int | None, page_of=None) -> Extraction:
    """Extract tables 2–4 from a report's text (tables already rendered as lines)."""
    template = detect_template(text, year)
    ex = Extraction(template=template)
    if template == "pre-2019":
        return ex
    text = layout.reflow(text)  # cell-per-line tables → one line per row (offsets unchanged)
    # table 2 by its first group (第二十条第（一）项), else by its column headers (its rows follow them)
    m = _T2_START.search(text) or _T2_HEAD.search(text)
    start = m.start() if m else _norm_find(text, "本年新收")
    if start < 0:
        return ex
    headless = None  # table 2 printed without group or column headers: its rows follow its section heading
    if not m:
        heads = [h for h in _T2_SECTION.finditer(text, 0, start)]
        if heads:
            headless = start
            start = heads[-1].end()
    t3 = _T3_START.search(text, start)
    t4 = find_table4(text, t3.end() if t3 else start)
    region_end = t4[0] if t4 else len(text)
    ex.other_split = bool(re.search(r"逾期不补正|收费通知|缴纳费用|逾期未缴纳", _norm(text[start:region_end])))
    specs2 = list(T.table2_rows(template))
    specs3 = list(T.table3_rows(template, ex.other_split))
    specs = specs2 + specs3
    def hits(label: str) -> dict[str, int]:
        lab = _norm(label)
        return {sp.key: len(sp.columns) for sp in specs if names(sp, lab)}

    joined = layout.join_wrapped(text_rows(text, start, region_end), hits)
    rows = [r for r in joined if r.nums or empty_grid_row(r)]
    split3 = _sub_tables(text, rows, specs3)
    assigned = _assign(rows[:split3[0][0]] if split3 else rows, specs, len(specs2))

    def span(r: Row) -> Span:
        return Span(r.start, r.end, page_of(r.start) if page_of else None)

    # table 2: each row on its own
    for spec in specs2:
        got = assigned.get(spec.key)
        if got is not None and headless is not None and not _bare_label(got.label, spec):
            got = None  # no headers: only a row whose label is the template's own wording, not a sentence
        if got is None:
            ex.warnings.append(f"table 2: row '{spec.label}' not found")
            continue
        r = got
        cands = cells_for(r, len(spec.columns))
        if r.glued and len(spec.columns) > 1 and 0 < len(r.nums) < len(spec.columns) and cands:
            # web text drops blank cells as well as separators: the fewer-cell readings stay possible
            for k in range(len(r.nums), len(spec.columns)):
                for c in splits([signless(t.text) for t in r.nums], k):
                    cands += [x for x in with_blanks(list(c), len(spec.columns)) if x not in cands]
        if not cands:
            ex.warnings.append(f"table 2: row '{spec.label}' has cells that do not fit the template")
            continue
        ranked = _t2_choose(spec, cands) if len(cands) > 1 else cands
        _emit(ex, "table2", spec, ranked, r, span(r))
    # table 3: rows jointly, under the row and column identities
    two = _two_rows_glued(specs3, assigned)
    doubtful: set[str] = set()
    row_cands: dict[str, list[tuple[str, ...]]] = {}
    if split3:
        row_cands = _merge_sub_tables(ex, rows, split3, specs3, assigned, span)
    for spec in specs3:
        got = assigned.get(spec.key)
        if split3:
            continue
        if got is None:
            ex.warnings.append(f"table 3: row '{spec.label}' not found")
            continue
        r = got
        cands = two.get(spec.key) or cells_for(r, 7)
        if len(cands) > 1:
            good = [c for c in cands if _t3_row_ok(c)]
            if not good:  # a cut run whose every reading breaks its own row sum: a guess, said as one
                doubtful.add(spec.key)
            cands = good or cands
        if cands:
            row_cands[spec.key] = cands
    sub_keys = [s.key for s in specs3 if s.key not in ("new", "carried_over", "total", "carry_forward")]
    chosen = _solve_t3(row_cands, sub_keys)
    for spec in specs3:
        if spec.key in chosen:
            r = assigned[spec.key]
            _emit(ex, "table3", spec, chosen[spec.key], r, span(r), doubt=spec.key in doubtful)
    if not split3:
        for spec, r in _cell_less_rows(joined, specs3, {f.key.split(".")[0] for f in ex.facts if f.table == "table3"}):
            _emit(ex, "table3", spec, [("",) * len(spec.columns)], r, span(r))
    # table 4: fifteen numbers after its headers
    if t4:
        _table4(ex, text, t4[1], page_of)
    elif "carry_forward" in assigned:
        # no headers, no heading: fifteen numbers after table 3 are table 4 only if its three group sums hold
        _table4(ex, text, assigned["carry_forward"].end, page_of, by_arithmetic=True)
    else:
        ex.warnings.append("table 4 could not be found (no 结果维持 … 总计 headers, no 行政复议/行政诉讼 heading)")
        ex.tables_unreadable.append("table4")
    for t in ("table2", "table3"):
        if not any(f.table == t for f in ex.facts):
            ex.tables_unreadable.append(t)
    return ex


def _assign(rows: list[Row], specs: list[T.RowSpec], first3: int) -> dict[str, Row]:
    """Template row key → the row printed for it (labels matched in template order; a bare row with a full
    table-3 row of numbers takes the next template row; `first3`: index of table 3's first row in `specs`)."""
    assigned: dict[str, Row] = {}
    p = 0
    for r in rows:
        own = _GROUP_HEADS.sub("", _norm(r.label))  # a group heading alone is no row label
        bare = len(re.sub(r"[^\u4e00-\u9fff]", "", own)) < 2
        heading_only = bare and own != _norm(r.label)
        if not r.nums and (bare or heading_only):
            continue  # an empty grid row counts only with a label of its own
        i = _group_row(r.label, specs, max(p, first3), assigned) if heading_only \
            else _match(r.label, specs, p, set(assigned))
        if i is None:
            # a row with no label words takes the next template row (its label was lost); a group heading
            # alone that fits no row of its group takes none
            if bare and not heading_only and p < len(specs) and p >= first3 and len(r.nums) + r.trailing_blanks >= 7 \
                    and specs[p].key not in assigned:
                i = p
            else:
                continue
        assigned[specs[i].key] = r
        p = max(p, i + 1)

    return assigned


# table 3 printed as sub-tables by applicant columns (表3-1 自然人; 表3-2 法人或其他组织 and 总计): each repeats the
# row labels under its own column headers
_APPLICANT = tuple((c, T.COLUMN_LABELS[c]) for c in T.T3_COLUMNS)


def _sub_tables(text: str, rows: list[Row], specs3: list[T.RowSpec]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Table 3's sub-tables as (first row, end row, the columns their headers name in template order), or []
    when 一、本年新收 is printed once (one table with every column)."""
    starts = [i for i, r in enumerate(rows) if r.nums and [s.key for s in specs3 if names(s, _norm(r.label))] == ["new"]]
    if len(starts) < 2:
        return []
    out = []
    for k, i in enumerate(starts):
        head = _norm(text[rows[i - 1].end if i else 0:rows[i].start]).replace("法人或其他组织", "")
        cols = tuple(c for c, word in _APPLICANT if word in head)
        if not cols:
            return []  # a repeated row, not a sub-table with its own column headers
        out.append((i, starts[k + 1] if k + 1 < len(starts) else len(rows), cols))
    return out


def _merge_sub_tables(ex: Extraction, rows: list[Row], subs: list[tuple[int, int, tuple[str, ...]]],
                      specs3: list[T.RowSpec], assigned: dict[str, Row], span) -> dict[str, list[tuple[str, ...]]]:
    """Join the sub-tables' cells row by row. A row whose numbers are not exactly its sub-table's columns, or a
    cell two sub-tables print differently, is left unread (never guessed). Rows complete in all seven columns
    are returned as candidates (and put in `assigned`); cells of rows only partly read are emitted here."""
    got: dict[str, dict[str, str]] = {}
    first: dict[str, Row] = {}
    clash: set[tuple[str, str]] = set()
    for a, b, cols in subs:
        for key, r in _assign(rows[a:b], specs3, 0).items():
            cands = cells_for(r, len(cols)) if cols else []
            if len(cands) != 1:
                ex.warnings.append(f"table 3: row '{r.label[:30]}' of a sub-table has cells that do not fit its "
                                   f"{len(cols)} column(s); not read")
                continue
            first.setdefault(key, r)
            for col, cell in zip(cols, cands[0]):
                have = got.setdefault(key, {})
                if col in have and have[col] != cell:
                    clash.add((key, col))
                have[col] = cell
    out: dict[str, list[tuple[str, ...]]] = {}
    for spec in specs3:
        have = {c: v for c, v in got.get(spec.key, {}).items() if (spec.key, c) not in clash}
        if not have:
            continue
        if len(have) == len(T.T3_COLUMNS):
            out[spec.key] = [tuple(have[c] for c in T.T3_COLUMNS)]
            assigned[spec.key] = first[spec.key]
        else:
            part = replace(spec, columns=tuple(c for c in T.T3_COLUMNS if c in have))
            _emit(ex, "table3", part, [tuple(have[c] for c in part.columns)], first[spec.key],
                  span(first[spec.key]))
    return out


def _two_rows_glued(specs3: list[T.RowSpec], assigned: dict[str, Row]) -> dict[str, list[tuple[str, ...]]]:
    """Glued web text whose next row lost its label: one run holds two rows' 14 numbers.

    When no 7-cell reading of a row's run satisfies 总计 = 自然人 + 法人或其他组织 but 14-cell readings
    satisfy it for both halves, and the next template row is missing, the second half is that row's
    (assigned here). Returns candidate cells per row key."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for i, spec in enumerate(specs3[:-1]):
        r, nxt = assigned.get(spec.key), specs3[i + 1]
        if r is None or not r.glued or nxt.key in assigned:
            continue
        toks = [signless(t.text) for t in r.nums if t.text]
        if len(toks) != len(r.nums) or any(_t3_row_ok(c) for c in splits(toks, 7)):
            continue
        pairs = [c for c in splits(toks, 14) if _t3_row_ok(c[:7]) and _t3_row_ok(c[7:])]
        if pairs:
            out[spec.key] = list(dict.fromkeys(c[:7] for c in pairs))
            out[nxt.key] = list(dict.fromkeys(c[7:] for c in pairs))
            assigned[nxt.key] = r
    return out


_T2_SECTION = re.compile(r"(?m)^\s*(?:#+\s*)?[二2]\s*[、.．]\s*" + _ws("主动公开政府信息情况") + r"\s*$")


def _bare_label(label: str, spec: T.RowSpec) -> bool:
    """Whether a label is the row's template wording alone (its words, no more), enumerators and marks aside."""
    core = re.sub(r"[^\u4e00-\u9fff]", "", _GROUP_HEADS.sub("", _norm(label)))
    return core in {re.sub(r"[^\u4e00-\u9fff]", "", x) for x in (spec.label, *spec.patterns)}


def _cell_less_rows(rows: list[Row], specs3: list[T.RowSpec], read: set[str]) -> list[tuple[T.RowSpec, Row]]:
    """Table-3 rows printed with no cells at all (blank): a line that is one row's whole template wording and
    nothing else, between lines that start rows of their own (not a label whose numbers follow on the next line,
    nor a piece of a wrapped one). Returns (row, line) pairs for rows not read otherwise."""
    out = []
    for i, r in enumerate(rows):
        if r.nums or not _ENUM_BACK.match(r.label.strip()):
            continue
        found = [s for s in specs3 if s.key not in read and _bare_label(r.label, s)]
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if len(found) != 1 or nxt is None or not _ENUM_BACK.match(nxt.label.strip()):
            continue
        out.append((found[0], r))
    return out


def _norm_find(text: str, word: str) -> int:
    m = re.search(r"\s*".join(word), text)
    return m.start() if m else -1


def _solve_t3(row_cands: dict[str, list[tuple[str, ...]]], sub_keys: list[str]) -> dict[str, list]:
    fixed = {k: v[0] for k, v in row_cands.items() if len(v) == 1}
    amb = {k: v for k, v in row_cands.items() if len(v) > 1}
    if not amb:
        return {k: [v] for k, v in fixed.items()}
    keys = list(amb)
    best: list[tuple[int, dict]] = []
    total = math.prod(len(v) for v in amb.values())
    if total <= 200000:
        for combo in itertools.product(*(amb[k] for k in keys)):
            assign = dict(fixed)
            assign.update(zip(keys, combo))
            best.append((_t3_column_score(assign, sub_keys), assign))
    else:  # too many: choose each ambiguous row greedily
        assign = dict(fixed)
        for k in keys:
            scored = []
            for c in amb[k]:
                trial = dict(assign)
                trial[k] = c
                scored.append((_t3_column_score(trial, sub_keys), c))
            assign[k] = max(scored, key=lambda x: x[0])[1]
        best.append((_t3_column_score(assign, sub_keys), assign))
    top = max(s for s, _ in best)
    winners = [a for s, a in best if s == top]
    out: dict[str, list] = {k: [v] for k, v in fixed.items()}
    for k in keys:
        options = []
        for a in winners:
            if a[k] not in options:
                options.append(a[k])
        out[k] = options
    return out


_ENUM_BACK = re.compile(r"(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]|\d\s*[.．、])")


def printed_label(label: str, spec: T.RowSpec) -> str:
    """The row's own label as printed, without table headers glued before it in flattened text."""
    lab = label.strip()
    pos = [lab.find(p) for p in spec.patterns if lab.find(p) >= 0]
    if not pos:
        return lab[-40:] or spec.label
    i = min(pos)
    start = i
    for m in _ENUM_BACK.finditer(lab, max(0, i - 14), i + 1):
        start = m.start()
    return lab[start:].strip()[:60]


def _emit(ex: Extraction, table: str, spec: T.RowSpec, ranked: list, r: Row, sp: Span, doubt: bool = False) -> None:
    best = ranked[0]
    alts = tuple(" ".join(c) for c in ranked[1:6])
    for col, cell, i in zip(spec.columns, best, range(len(best))):
        amb = doubt or (len(ranked) > 1 and any(c[i] != cell for c in ranked[1:]))
        ex.facts.append(Fact(table=table, key=f"{spec.key}.{col}", value=_value(spec.key, col, cell), raw=cell,
                             row_label=printed_label(r.label, spec),
                             column=T.column_label(table, ex.template, spec.key, col), span=sp,
                             ambiguous=amb, alternatives=alts if amb else ()))
    if doubt:
        ex.warnings.append(f"{table}: row '{spec.label}' printed as '{' '.join(t.text for t in r.nums)}': no cut of the "
                           f"digits satisfies its row sum; kept {' '.join(best)} as a guess")
    elif len(ranked) > 1:
        ex.warnings.append(f"{table}: row '{spec.label}' printed as '{' '.join(t.text for t in r.nums)}' splits "
                           f"several ways; kept {' '.join(best)} (also possible: {'; '.join(alts)})")


def _value(row: str, col: str, cell: str):
    if row == "procurement" and col == "amount" and re.search(r"元$", cell):
        return re.sub(r"(?<=\d),(?=\d{3})", "", cell)  # an amount in 元 stays a string; thousands commas go
    return parse_number(cell)


def _table4(ex: Extraction, text: str, start: int, page_of, by_arithmetic: bool = False) -> None:
    """Table 4's fifteen cells from the numbers after `start`; `by_arithmetic`: found by no header or heading,
    so the numbers are taken only when each group's 维持+纠正+其他+尚未审结 = 总计 holds."""
    m = _T4_END.search(text, start)
    end = m.start() if m else min(len(text), start + 3000)
    rows = [r for r in text_rows(text, start, end) if r.nums]
    if by_arithmetic:
        every = [t for r in rows for t in r.nums]
        runs = [t.text for t in every if t.text]
        cands = [tuple(runs)] if len(runs) == 15 else t4_splits(runs) if runs and all(x.isdigit() for x in runs) \
            else []
        if len(every) != len(runs) or not cands or any(_t4_ok(c) != 3 for c in cands):
            ex.warnings.append("table 4 could not be found (no 结果维持 … 总计 headers, no 行政复议/行政诉讼 heading, "
                               "no fifteen numbers after table 3 that add up like it)")
            ex.tables_unreadable.append("table4")
            return
    every = [t for r in rows for t in r.nums]
    toks = [t for t in every if t.text]
    if not toks:
        ex.warnings.append("table 4: no numbers found")
        ex.tables_unreadable.append("table4")
        return
    runs = [t.text for t in toks]
    if len(every) == 15:  # blank cells keep their place
        cands = [tuple(t.text for t in every)]
        toks = every
    elif len(runs) >= 15:
        cands = [tuple(runs[:15])]
        toks = toks[:15]
    else:
        cands = t4_splits(runs) if all(r.isdigit() for r in runs) else []
        if not cands and all(r.isdigit() for r in runs) and len("".join(runs)) == 15:
            # fifteen digits for fifteen cells split one way only, whether or not the report's sums hold
            # (the audit names the group that does not add up)
            cands = [tuple("".join(runs))]
            ex.warnings.append(f"table 4: '{' '.join(runs)}' read as fifteen one-digit cells; its sums do not hold")
        if not cands:
            ex.warnings.append(f"table 4 could not be read: the numbers '{' '.join(runs)}' do not split into 15 "
                               "cells that satisfy its identities")
            ex.tables_unreadable.append("table4")
            return
        # prefer splits whose multi-digit cells are totals (group sums) rather than parts
        cands.sort(key=lambda c: sum(len(x) - 1 for i, x in enumerate(c) if i % 5 != 4))
    sp = Span(toks[0].start, toks[-1].end, page_of(toks[0].start) if page_of else None)
    best = cands[0]
    alts = tuple(" ".join(c) for c in cands[1:6])
    for gi, (g, glabel) in enumerate(T.T4_GROUPS):
        for ci, col in enumerate(T.T4_COLUMNS):
            idx = gi * 5 + ci
            amb = len(cands) > 1 and any(c[idx] != best[idx] for c in cands[1:])
            ex.facts.append(Fact(table="table4", key=f"{g}.{col}", value=parse_number(best[idx]), raw=best[idx],
                                 row_label=glabel, column=T.COLUMN_LABELS[col], span=sp, ambiguous=amb,
                                 alternatives=alts if amb else ()))
    if len(cands) > 1:
        ex.warnings.append(f"table4: '{' '.join(runs)}' splits several ways; kept {' '.join(best)}")
