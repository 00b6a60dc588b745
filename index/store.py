"""Facts and reports in SQLite under the data folder; one transaction per report."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from gongkai.model import AuditIssue, Fact, NarrativeFigure, Report, Section, Span

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
  id TEXT PRIMARY KEY, source TEXT, sha256 TEXT, fmt TEXT, agency TEXT, year INTEGER, template TEXT,
  title TEXT, text TEXT, page_starts TEXT, warnings TEXT, chunks INTEGER DEFAULT 0,
  state TEXT DEFAULT 'ready', ingested_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS facts (
  report_id TEXT, tbl TEXT, key TEXT, value TEXT, vtype TEXT, raw TEXT, row_label TEXT, col TEXT,
  start INTEGER, end INTEGER, page INTEGER, ambiguous INTEGER, alternatives TEXT,
  PRIMARY KEY (report_id, tbl, key)
);
CREATE TABLE IF NOT EXISTS narrative (
  report_id TEXT, n INTEGER, value TEXT, unit TEXT, quote TEXT, context TEXT, start INTEGER, end INTEGER,
  page INTEGER, section TEXT, PRIMARY KEY (report_id, n)
);
CREATE TABLE IF NOT EXISTS sections (
  report_id TEXT, n INTEGER, number INTEGER, title TEXT, path TEXT, start INTEGER, end INTEGER, page INTEGER,
  PRIMARY KEY (report_id, n)
);
CREATE TABLE IF NOT EXISTS audit (
  report_id TEXT, identity TEXT, cells TEXT, printed TEXT, computed TEXT, message TEXT
);
CREATE INDEX IF NOT EXISTS facts_key ON facts(tbl, key);
CREATE TABLE IF NOT EXISTS generation (n INTEGER);
"""
# columns added after the first release: added to an older store when it is opened
_REPORT_COLUMNS = (("agency_source", "TEXT DEFAULT ''"), ("year_source", "TEXT DEFAULT ''"),
                   ("tables_unreadable", "TEXT DEFAULT '[]'"), ("unread", "TEXT DEFAULT '[]'"))


def _enc(v) -> tuple[str | None, str]:
    if v is None:
        return None, "null"
    if isinstance(v, bool):
        return str(int(v)), "int"
    if isinstance(v, int):
        return str(v), "int"
    if isinstance(v, Decimal):
        return str(v), "dec"
    return str(v), "str"


def _dec(s: str | None, t: str):
    if s is None or t == "null":
        return None
    if t == "int":
        return int(s)
    if t == "dec":
        return Decimal(s)
    return s


class FactStore:
    """SQLite store of reports, facts, narrative figures, sections and audit results."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        have = {row[1] for row in self.db.execute("PRAGMA table_info(reports)")}
        with self.db:
            for name, decl in _REPORT_COLUMNS:
                if name not in have:
                    self.db.execute(f"ALTER TABLE reports ADD COLUMN {name} {decl}")

    def close(self) -> None:
        self.db.close()

    def _bump(self) -> None:
        """Count one change to the stored reports (inside the caller's transaction)."""
        if self.db.execute("UPDATE generation SET n = n + 1").rowcount == 0:
            self.db.execute("INSERT INTO generation(n) VALUES (1)")

    def stamp(self) -> tuple:
        """A value that changes whenever a report is stored, deleted or changes state: one cheap query,
        so readers can poll it per question at any store size."""
        row = self.db.execute("SELECT (SELECT MAX(n) FROM generation), COUNT(*) FROM reports").fetchone()
        return tuple(row)

    # ---------------------------------------------------------------- write
    def put(self, r: Report, state: str = "ready", chunks: int = 0) -> None:
        """Replace everything stored for r.id in one transaction."""
        with self.db:
            self._delete(r.id)
            self._bump()
            self.db.execute(
                "INSERT INTO reports(id,source,sha256,fmt,agency,year,template,title,text,page_starts,warnings,"
                "chunks,state,agency_source,year_source,tables_unreadable,unread)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (r.id, r.source, r.sha256, r.fmt, r.agency, r.year, r.template, r.title, r.text,
                 json.dumps(r.page_starts), json.dumps(r.warnings, ensure_ascii=False), chunks, state,
                 r.agency_source, r.year_source, json.dumps(r.tables_unreadable), json.dumps(r.unread)))
            self.db.executemany(
                "INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(r.id, f.table, f.key, *_enc(f.value), f.raw, f.row_label, f.column, f.span.start, f.span.end,
                  f.span.page, int(f.ambiguous), json.dumps(list(f.alternatives), ensure_ascii=False))
                 for f in r.facts])
            self.db.executemany(
                "INSERT INTO narrative VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(r.id, i, str(n.value), n.unit, n.quote, n.context, n.span.start, n.span.end, n.span.page,
                  n.section) for i, n in enumerate(r.narrative)])
            self.db.executemany(
                "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?)",
                [(r.id, i, s.number, s.title, json.dumps(list(s.path), ensure_ascii=False), s.span.start,
                  s.span.end, s.span.page) for i, s in enumerate(r.sections)])
            self.db.executemany(
                "INSERT INTO audit VALUES (?,?,?,?,?,?)",
                [(a.report_id, a.identity, json.dumps(list(a.cells)), _enc(a.printed)[0], _enc(a.computed)[0],
                  a.message) for a in r.audit])
        self.settle_cross_year(r)

    def _neighbours(self, agency: str, year: int, loaded: dict[str, Report]) -> list[Report]:
        out = []
        for (rid,) in self.db.execute("SELECT id FROM reports WHERE agency=? AND year IN (?, ?)",
                                      (agency, year - 1, year + 1)).fetchall():
            if rid not in loaded:
                got = self.load(rid, with_text=False)
                if got is not None:
                    loaded[rid] = got
            if rid in loaded:
                out.append(loaded[rid])
        return out

    def settle_cross_year(self, r: Report) -> None:
        """Settle ambiguous table-2 readings of r and of its neighbouring years with the cross-year
        relations (index.crossyear); the facts rows of a settled report are rewritten."""
        from index.crossyear import settle

        if not r.agency or r.year is None or r.template == "pre-2019":
            return
        loaded: dict[str, Report] = {r.id: r}
        targets = [r] + self._neighbours(r.agency, r.year, loaded)
        for t in targets:
            if t.year is None or not any(f.ambiguous and f.table == "table2" for f in t.facts):
                continue
            if settle(t, self._neighbours(t.agency, t.year, loaded)):
                with self.db:
                    self.db.execute("DELETE FROM facts WHERE report_id=? AND tbl='table2'", (t.id,))
                    self.db.executemany(
                        "INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        [(t.id, f.table, f.key, *_enc(f.value), f.raw, f.row_label, f.column, f.span.start,
                          f.span.end, f.span.page, int(f.ambiguous),
                          json.dumps(list(f.alternatives), ensure_ascii=False))
                         for f in t.facts if f.table == "table2"])
                    self.db.execute("UPDATE reports SET warnings=? WHERE id=?",
                                    (json.dumps(t.warnings, ensure_ascii=False), t.id))
                    self._bump()

    def set_state(self, rid: str, state: str, chunks: int | None = None) -> None:
        with self.db:
            self._bump()
            if chunks is None:
                self.db.execute("UPDATE reports SET state=? WHERE id=?", (state, rid))
            else:
                self.db.execute("UPDATE reports SET state=?, chunks=? WHERE id=?", (state, chunks, rid))

    def _delete(self, rid: str) -> None:
        for t in ("reports", "facts", "narrative", "sections", "audit"):
            col = "id" if t == "reports" else "report_id"
            self.db.execute(f"DELETE FROM {t} WHERE {col}=?", (rid,))

    def delete(self, rid: str) -> None:
        with self.db:
            self._delete(rid)
            self._bump()

    # ---------------------------------------------------------------- read
    def hash_of(self, rid: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT sha256, state FROM reports WHERE id=?", (rid,)).fetchone()
        return (row[0], row[1]) if row else None

    def ids_with_hash(self, sha: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM reports WHERE sha256=?", (sha,))]

    def list_reports(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT r.id, r.agency, r.year, r.template, r.chunks, r.state, r.source, r.fmt,"
            " (SELECT COUNT(*) FROM audit a WHERE a.report_id=r.id),"
            " (SELECT COUNT(*) FROM facts f WHERE f.report_id=r.id),"
            " (SELECT COUNT(*) FROM facts f WHERE f.report_id=r.id AND f.ambiguous),"
            " (SELECT GROUP_CONCAT(DISTINCT f.tbl) FROM facts f WHERE f.report_id=r.id),"
            " r.agency_source, r.year_source, r.tables_unreadable, r.unread"
            " FROM reports r ORDER BY r.agency, r.year")
        out = [dict(id=a, agency=b, year=c, template=d, chunks=e, state=f, source=g, fmt=h, audit_failures=i,
                    cells=n, ambiguous=amb, tables_found=sorted((tbls or "").split(",")) if tbls else [],
                    tables_unreadable=json.loads(tu or "[]"), unread=len(json.loads(ur or "[]")),
                    agency_source=asrc or "", year_source=ysrc or "")
               for a, b, c, d, e, f, g, h, i, n, amb, tbls, asrc, ysrc, tu, ur in rows]
        # two different reports claiming one agency+year are both kept; each names the others
        by: dict[tuple, list[str]] = {}
        for r in out:
            if r["agency"] and r["year"]:
                by.setdefault((r["agency"], r["year"]), []).append(r["id"])
        for r in out:
            r["conflicts"] = [x for x in by.get((r["agency"], r["year"]), []) if x != r["id"]]
        return out

    def load(self, rid: str, with_text: bool = True) -> Report | None:
        row = self.db.execute("SELECT id,source,sha256,fmt,agency,year,template,title,text,page_starts,warnings,"
                              "agency_source,year_source,tables_unreadable,unread FROM reports WHERE id=?",
                              (rid,)).fetchone()
        if row is None:
            return None
        r = Report(id=row[0], source=row[1], sha256=row[2], fmt=row[3], agency=row[4], year=row[5],
                   template=row[6], title=row[7], text=row[8] if with_text else "",
                   page_starts=json.loads(row[9] or "[]"), warnings=json.loads(row[10] or "[]"),
                   agency_source=row[11] or "", year_source=row[12] or "",
                   tables_unreadable=json.loads(row[13] or "[]"), unread=json.loads(row[14] or "[]"))
        r.facts = [Fact(table=t, key=k, value=_dec(v, vt), raw=raw, row_label=rl, column=col,
                        span=Span(s, e, p), ambiguous=bool(am), alternatives=tuple(json.loads(alts or "[]")))
                   for t, k, v, vt, raw, rl, col, s, e, p, am, alts in self.db.execute(
                       "SELECT tbl,key,value,vtype,raw,row_label,col,start,end,page,ambiguous,alternatives"
                       " FROM facts WHERE report_id=? ORDER BY rowid", (rid,))]
        r.narrative = [NarrativeFigure(value=Decimal(v) if "." in v else int(v), unit=u, quote=q, context=c,
                                       span=Span(s, e, p), section=sec)
                       for v, u, q, c, s, e, p, sec in self.db.execute(
                           "SELECT value,unit,quote,context,start,end,page,section FROM narrative"
                           " WHERE report_id=? ORDER BY n", (rid,))]
        r.sections = [Section(number=num, title=t, path=tuple(json.loads(pa)),
                              text=r.text[s:e] if with_text else "", span=Span(s, e, p))
                      for num, t, pa, s, e, p in self.db.execute(
                          "SELECT number,title,path,start,end,page FROM sections WHERE report_id=? ORDER BY n",
                          (rid,))]
        r.audit = [AuditIssue(report_id=rid, identity=i, cells=tuple(json.loads(c)), printed=_num(pv),
                              computed=_num(cv), message=m)
                   for i, c, pv, cv, m in self.db.execute(
                       "SELECT identity,cells,printed,computed,message FROM audit WHERE report_id=?", (rid,))]
        return r

    def all_reports(self, with_text: bool = True) -> list[Report]:
        return [r for r in (self.load(x["id"], with_text) for x in self.list_reports()
                            if x["state"] == "ready") if r]

    def agencies(self) -> list[tuple[str, int | None, str]]:
        return list(self.db.execute("SELECT agency, year, id FROM reports WHERE state='ready'"))


def _num(s: str | None):
    if s is None:
        return None
    return Decimal(s) if "." in s else int(s)
