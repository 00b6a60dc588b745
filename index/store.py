"""Facts and reports in SQLite under the data folder, or in PostgreSQL when GONGKAI_DATABASE_URL is set
(what ingest workers on several machines share); one transaction per report.

Besides the reports the store holds `claims`: one row per piece of ingest work (a file's content hash, a
report id) that a worker is doing, with a lease the worker renews. Two workers never do the same work at
once; the claim of a dead worker (its process gone, or its lease expired) is taken over.
"""

from __future__ import annotations

import json
import os
import socket
from decimal import Decimal
from pathlib import Path

from gongkai.model import AuditIssue, Fact, NarrativeFigure, Report, Section, Span
from index.sqldb import Db, PostgresDb, SqliteDb, is_postgres_url

DATABASE_URL_ENV = "GONGKAI_DATABASE_URL"

# the tables both databases declare alike
_TEXT_TABLES = """
CREATE TABLE IF NOT EXISTS narrative (
  report_id TEXT, n INTEGER, value TEXT, unit TEXT, quote TEXT, context TEXT, start INTEGER, "end" INTEGER,
  page INTEGER, section TEXT, PRIMARY KEY (report_id, n)
);
CREATE TABLE IF NOT EXISTS sections (
  report_id TEXT, n INTEGER, number INTEGER, title TEXT, path TEXT, start INTEGER, "end" INTEGER, page INTEGER,
  PRIMARY KEY (report_id, n)
);
"""
SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
  id TEXT PRIMARY KEY, source TEXT, sha256 TEXT, fmt TEXT, agency TEXT, year INTEGER, template TEXT,
  title TEXT, text TEXT, page_starts TEXT, warnings TEXT, chunks INTEGER DEFAULT 0,
  state TEXT DEFAULT 'ready', ingested_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS facts (
  report_id TEXT, tbl TEXT, key TEXT, value TEXT, vtype TEXT, raw TEXT, row_label TEXT, col TEXT,
  start INTEGER, "end" INTEGER, page INTEGER, ambiguous INTEGER, alternatives TEXT,
  PRIMARY KEY (report_id, tbl, key)
);
""" + _TEXT_TABLES + """CREATE TABLE IF NOT EXISTS audit (
  report_id TEXT, identity TEXT, cells TEXT, printed TEXT, computed TEXT, message TEXT
);
CREATE INDEX IF NOT EXISTS facts_key ON facts(tbl, key);
CREATE TABLE IF NOT EXISTS generation (n INTEGER);
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, owner TEXT, host TEXT, pid INTEGER, expires REAL);
"""
# the same tables in PostgreSQL: every column in its final form, `seq` keeping insertion order (SQLite's
# rowid), the report-id indexes SQLite's primary keys give (audit has none there: a full scan is cheap in
# one file, not over a network); appended after the SQLite columns, so positional INSERTs fit both
PG_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
  id TEXT PRIMARY KEY, source TEXT, sha256 TEXT, fmt TEXT, agency TEXT, year INTEGER, template TEXT,
  title TEXT, text TEXT, page_starts TEXT, warnings TEXT, chunks INTEGER DEFAULT 0,
  state TEXT DEFAULT 'ready', ingested_at TEXT DEFAULT (CURRENT_TIMESTAMP(0)::text),
  agency_source TEXT DEFAULT '', year_source TEXT DEFAULT '', tables_unreadable TEXT DEFAULT '[]',
  unread TEXT DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS facts (
  report_id TEXT, tbl TEXT, key TEXT, value TEXT, vtype TEXT, raw TEXT, row_label TEXT, col TEXT,
  start INTEGER, "end" INTEGER, page INTEGER, ambiguous INTEGER, alternatives TEXT, seq BIGSERIAL,
  PRIMARY KEY (report_id, tbl, key)
);
""" + _TEXT_TABLES + """CREATE TABLE IF NOT EXISTS audit (
  report_id TEXT, identity TEXT, cells TEXT, printed TEXT, computed TEXT, message TEXT, seq BIGSERIAL
);
CREATE INDEX IF NOT EXISTS facts_key ON facts(tbl, key);
CREATE INDEX IF NOT EXISTS audit_report ON audit(report_id);
CREATE INDEX IF NOT EXISTS reports_sha ON reports(sha256);
CREATE INDEX IF NOT EXISTS reports_source ON reports(source);
CREATE INDEX IF NOT EXISTS reports_agency ON reports(agency, year);
CREATE TABLE IF NOT EXISTS generation (n BIGINT);
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, owner TEXT, host TEXT, pid INTEGER,
  expires DOUBLE PRECISION);
INSERT INTO generation(n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM generation);
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


def open_store(home: Path | None = None) -> FactStore:
    """Return the fact store: PostgreSQL at $GONGKAI_DATABASE_URL when set, else SQLite in the data folder."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        if not is_postgres_url(url):
            from gongkai.errors import StoreError

            raise StoreError(f"{DATABASE_URL_ENV} must be a postgresql://user:password@host:port/dbname URL, "
                             f"not {url.split(':', 1)[0]}:… — or unset it to use SQLite in the data folder")
        return FactStore(url)
    from gongkai import config

    return FactStore((Path(home) if home else config.data_home()) / "facts.sqlite")


class FactStore:
    """Store of reports, facts, narrative figures, sections and audit results: a SQLite file (a path) or
    PostgreSQL (a postgresql:// URL)."""

    db: Db

    def __init__(self, path: str | Path):
        self.url = str(path) if is_postgres_url(str(path)) else ""
        self.path: Path | None = None
        if self.url:
            self.db = PostgresDb(self.url)
            with self.db:  # workers starting together: one creates the tables, the others wait for it
                self.db.execute("SELECT pg_advisory_xact_lock(7312001)")
                self.db.executescript(PG_SCHEMA)
            return
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        sq = SqliteDb(str(self.path))
        self.db = sq
        sq.executescript(SCHEMA)
        have = {row[1] for row in self.db.execute("PRAGMA table_info(reports)")}
        missing = [(name, decl) for name, decl in _REPORT_COLUMNS if name not in have]
        if missing:  # a write transaction only then: opening a store never waits for a running ingest
            with self.db:
                for name, decl in missing:
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
        return tuple(row or ())

    # ---------------------------------------------------------------- write
    def put(self, r: Report, state: str = "ready", chunks: int = 0) -> None:
        """Replace everything stored for r.id in one transaction."""
        with self.db:
            self._bump()  # first: every write takes the generation row first, so writers never deadlock
            self._delete(r.id)
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
                    self._bump()
                    self.db.execute("DELETE FROM facts WHERE report_id=? AND tbl='table2'", (t.id,))
                    self.db.executemany(
                        "INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        [(t.id, f.table, f.key, *_enc(f.value), f.raw, f.row_label, f.column, f.span.start,
                          f.span.end, f.span.page, int(f.ambiguous),
                          json.dumps(list(f.alternatives), ensure_ascii=False))
                         for f in t.facts if f.table == "table2"])
                    self.db.execute("UPDATE reports SET warnings=? WHERE id=?",
                                    (json.dumps(t.warnings, ensure_ascii=False), t.id))

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
            self._bump()
            self._delete(rid)

    # ---------------------------------------------------------------- read
    def hash_of(self, rid: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT sha256, state FROM reports WHERE id=?", (rid,)).fetchone()
        return (row[0], row[1]) if row else None

    def id_of_source(self, source: str) -> str | None:
        """Return the id of the report stored from that file path (another worker may have stored it)."""
        row = self.db.execute("SELECT id FROM reports WHERE source=? ORDER BY id", (source,)).fetchone()
        return row[0] if row else None

    def ids_with_hash(self, sha: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM reports WHERE sha256=?", (sha,))]

    def list_reports(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT r.id, r.agency, r.year, r.template, r.chunks, r.state, r.source, r.fmt,"
            " (SELECT COUNT(*) FROM audit a WHERE a.report_id=r.id),"
            " (SELECT COUNT(*) FROM facts f WHERE f.report_id=r.id),"
            " (SELECT COUNT(*) FROM facts f WHERE f.report_id=r.id AND f.ambiguous <> 0),"
            f" (SELECT {self.db.group_concat('f.tbl')} FROM facts f WHERE f.report_id=r.id),"
            " r.agency_source, r.year_source, r.tables_unreadable, r.unread"
            " FROM reports r").fetchall()
        # by agency and year, a missing one first, in code-point order on both databases (PostgreSQL's
        # collation would order Chinese names otherwise); the id breaks ties
        rows.sort(key=lambda x: (x[1] is not None, x[1] or "", x[2] is not None, x[2] or 0, x[0]))
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
                       "SELECT tbl,key,value,vtype,raw,row_label,col,start,\"end\",page,ambiguous,alternatives"
                       f" FROM facts WHERE report_id=? ORDER BY {self.db.rowid}", (rid,))]
        r.narrative = [NarrativeFigure(value=Decimal(v) if "." in v else int(v), unit=u, quote=q, context=c,
                                       span=Span(s, e, p), section=sec)
                       for v, u, q, c, s, e, p, sec in self.db.execute(
                           "SELECT value,unit,quote,context,start,\"end\",page,section FROM narrative"
                           " WHERE report_id=? ORDER BY n", (rid,))]
        r.sections = [Section(number=num, title=t, path=tuple(json.loads(pa)),
                              text=r.text[s:e] if with_text else "", span=Span(s, e, p))
                      for num, t, pa, s, e, p in self.db.execute(
                          "SELECT number,title,path,start,\"end\",page FROM sections WHERE report_id=? ORDER BY n",
                          (rid,))]
        r.audit = [AuditIssue(report_id=rid, identity=i, cells=tuple(json.loads(c)), printed=_num(pv),
                              computed=_num(cv), message=m)
                   for i, c, pv, cv, m in self.db.execute(
                       "SELECT identity,cells,printed,computed,message FROM audit WHERE report_id=?"
                       f" ORDER BY {self.db.rowid}", (rid,))]
        return r

    def all_reports(self, with_text: bool = True) -> list[Report]:
        return [r for r in (self.load(x["id"], with_text) for x in self.list_reports()
                            if x["state"] == "ready") if r]

    def agencies(self) -> list[tuple[str, int | None, str]]:
        return list(self.db.execute("SELECT agency, year, id FROM reports WHERE state='ready'"))

    # ---------------------------------------------------------------- claims (ingest workers)
    def claim(self, key: str, owner: str, lease: float) -> bool:
        """Take the claim `key` for `owner` for `lease` seconds; True when owner holds it now.

        A claim held by another owner is taken over only when it is stale: its lease expired (by the
        database's clock, one clock for every host), or its process is gone on this host."""
        now = self.db.now
        me = (owner, socket.gethostname(), os.getpid())
        if self.db.execute(f"INSERT INTO claims(key, owner, host, pid, expires) VALUES (?,?,?,?,{now} + ?)"
                           " ON CONFLICT (key) DO NOTHING", (key, *me, lease)).rowcount == 1:
            return True
        row = self.db.execute(f"SELECT owner, host, pid, expires < {now} FROM claims WHERE key=?", (key,)).fetchone()
        if row is None:  # released in between: try again
            return self.claim(key, owner, lease)
        holder, host, pid, expired = row
        if holder != owner and not expired and not (host == me[1] and not _alive(pid)):
            return False
        # compare-and-set on the holder: of two workers taking over one stale claim, one wins
        return self.db.execute(f"UPDATE claims SET owner=?, host=?, pid=?, expires={now} + ? WHERE key=? AND owner=?",
                               (*me, lease, key, holder)).rowcount == 1

    def renew(self, owner: str, lease: float) -> int:
        """Extend every claim of owner by lease seconds from now; return how many it holds."""
        return self.db.execute(f"UPDATE claims SET expires={self.db.now} + ? WHERE owner=?", (lease, owner)).rowcount

    def release(self, key: str, owner: str) -> None:
        self.db.execute("DELETE FROM claims WHERE key=? AND owner=?", (key, owner))

    def claims(self) -> list[tuple[str, str, str, int]]:
        """Return the claims held now: (key, owner, host, pid)."""
        return [tuple(r) for r in self.db.execute("SELECT key, owner, host, pid FROM claims ORDER BY key")]


def _alive(pid: int | None) -> bool:
    """Whether a process of this host with that id exists (a worker killed mid-report has none)."""
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _num(s: str | None):
    if s is None:
        return None
    return Decimal(s) if "." in s else int(s)
