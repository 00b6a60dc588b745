"""One small connection type over SQLite and PostgreSQL, so index.store writes its SQL once.

Why a layer and not an ORM: the store's SQL is a dozen plain statements; what differs between the
two databases is the placeholder (? vs %s), the schema types, the row order column (SQLite's rowid,
PostgreSQL's `seq`), string aggregation and "now" as epoch seconds. Statements are written with `?`
and translated here. Results are fetched whole under a lock, so one store object can be shared by a
web server's threads; a `with db:` block is one transaction (nested blocks join the outer one).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from gongkai.errors import StoreError


class Result:
    """Rows of one statement, already fetched (iterate, fetchone, fetchall) and its rowcount."""

    def __init__(self, rows: list[tuple], rowcount: int):
        self.rows, self.rowcount = rows, rowcount

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[tuple]:
        return list(self.rows)


class Db:
    """A connection to the fact store's database; subclasses fill in the dialect."""

    dialect = ""
    rowid = "rowid"  # the column that keeps insertion order
    now = ""  # SQL for the database's clock in epoch seconds (leases use one clock for every host)

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0

    def group_concat(self, expr: str) -> str:
        raise NotImplementedError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        raise NotImplementedError

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def executescript(self, script: str) -> None:
        raise NotImplementedError

    def __enter__(self) -> Db:
        raise NotImplementedError

    def __exit__(self, kind, value, tb) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SqliteDb(Db):
    """SQLite in WAL mode (readers never wait for the writer)."""

    dialect = "sqlite"
    rowid = "rowid"
    now = "((julianday('now') - 2440587.5) * 86400.0)"

    def __init__(self, path: str):
        super().__init__()
        # autocommit outside `with db:` (a claim is one statement; no write lock is held between calls)
        self.conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")

    def group_concat(self, expr: str) -> str:
        return f"GROUP_CONCAT(DISTINCT {expr})"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        with self.lock:
            cur = self.conn.execute(sql, tuple(params))
            rows = cur.fetchall()
            return Result(rows, cur.rowcount)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> None:
        with self.lock:
            self.conn.executemany(sql, seq)

    def executescript(self, script: str) -> None:
        with self.lock:
            self.conn.executescript(script)

    def __enter__(self) -> SqliteDb:
        self.lock.acquire()
        try:
            if self.depth == 0:
                self.conn.execute("BEGIN IMMEDIATE")  # the write lock first: no upgrade deadlock between writers
        except BaseException:
            self.lock.release()
            raise
        self.depth += 1
        return self

    def __exit__(self, kind, value, tb) -> None:
        try:
            self.depth -= 1
            if self.depth == 0:
                self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self.lock.release()

    def close(self) -> None:
        self.conn.close()


def _clean(v: Any) -> Any:
    # PostgreSQL text cannot hold NUL; one replacement character keeps every character offset of a report
    return v.replace("\x00", "\ufffd") if isinstance(v, str) and "\x00" in v else v


class PostgresDb(Db):
    """PostgreSQL through psycopg 3, autocommit outside `with db:` (no reader holds a transaction open)."""

    dialect = "postgres"
    rowid = "seq"
    now = "EXTRACT(EPOCH FROM clock_timestamp())::float8"

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.conn = self._connect()
        self.tx: list[Any] = []

    def _connect(self):
        try:
            import psycopg
        except ImportError:
            raise StoreError("GONGKAI_DATABASE_URL is set but psycopg is not installed — run `make install`") from None
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=15)
        except psycopg.Error as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise StoreError(f"cannot reach PostgreSQL at {_redact(self.url)} ({first}) — start the server, check "
                             "GONGKAI_DATABASE_URL, or unset it to use SQLite in the data folder") from None

    def group_concat(self, expr: str) -> str:
        return f"STRING_AGG(DISTINCT {expr}, ',')"

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def _retry(self, fn):
        """Run fn(); a connection lost outside a transaction (server restarted) is opened again once."""
        import psycopg

        try:
            return fn()
        except psycopg.OperationalError:
            if self.depth or not self.conn.closed and not self.conn.broken:
                raise
            self.conn = self._connect()
            return fn()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        q, p = self._sql(sql), [_clean(v) for v in params]

        def go() -> Result:
            with self.conn.cursor() as cur:
                cur.execute(q, p)
                rows = cur.fetchall() if cur.description else []
                return Result([tuple(r) for r in rows], cur.rowcount)

        with self.lock:
            return self._retry(go)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> None:
        q = self._sql(sql)
        rows = [[_clean(v) for v in r] for r in seq]
        if not rows:
            return

        def go() -> None:
            with self.conn.cursor() as cur:
                cur.executemany(q, rows)

        with self.lock:
            self._retry(go)

    def executescript(self, script: str) -> None:
        with self.lock:
            self._retry(lambda: self.conn.execute(script))

    def __enter__(self) -> PostgresDb:
        self.lock.acquire()
        try:
            if self.depth == 0 and (self.conn.closed or self.conn.broken):
                self.conn = self._connect()
            tx = self.conn.transaction()
            tx.__enter__()
        except BaseException:
            self.lock.release()
            raise
        self.tx.append(tx)
        self.depth += 1
        return self

    def __exit__(self, kind, value, tb) -> None:
        try:
            self.depth -= 1
            self.tx.pop().__exit__(kind, value, tb)
        finally:
            self.lock.release()

    def close(self) -> None:
        self.conn.close()


def _redact(url: str) -> str:
    """The URL without its password (it goes into error messages)."""
    from urllib.parse import urlsplit, urlunsplit

    u = urlsplit(url)
    if u.password:
        netloc = u.netloc.replace(f":{u.password}@", ":***@")
        return urlunsplit(u._replace(netloc=netloc))
    return url


def is_postgres_url(s: str) -> bool:
    return s.startswith(("postgres://", "postgresql://"))
