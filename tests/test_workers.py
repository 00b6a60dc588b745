"""Several ingest workers on one PostgreSQL and one Chroma server give the store one process gives.

A real PostgreSQL (Debian's server binaries, `initdb` + `pg_ctl` into a temporary folder, loopback port,
run as the `postgres` user when the tests run as root) and real `chroma run` servers. Compared with a
single-process ingest of the same reports into the default stores (SQLite + a local Chroma): every
reports/facts/narrative/sections/audit row (less the ingest timestamp), and every Chroma id with its
document, metadata and vector. Then the same after a worker is SIGKILLed mid-report, and after the whole
ingest is SIGKILLed mid-report and run again. Skipped, with the reason, only when PostgreSQL cannot be
started here.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT

SUBSET = ["jiangjing-2020.txt", "pingtan-2021.txt", "pingtan-2023.txt", "pingtan-2025.txt"]
REPORT_COLS = ("id, source, sha256, fmt, agency, year, template, title, text, page_starts, warnings, chunks, state, "
               "agency_source, year_source, tables_unreadable, unread")
TABLES = {
    "facts": 'report_id, tbl, key, value, vtype, raw, row_label, col, start, "end", page, ambiguous, alternatives',
    "narrative": 'report_id, n, value, unit, quote, context, start, "end", page, section',
    "sections": 'report_id, n, number, title, path, start, "end", page',
    "audit": "report_id, identity, cells, printed, computed, message",
}
# SIGKILLs a worker (or the whole ingest) halfway through its KILL_AT_ADD-th write of a report's vectors
HOOK = """
import os, signal
if os.environ.get("GONGKAI_KILL_AT_ADD"):
    from index import vectors
    original = vectors.VectorIndex.add
    calls = [0]
    def add(self, chunks, embeddings):
        calls[0] += 1
        if calls[0] == int(os.environ["GONGKAI_KILL_AT_ADD"]):
            try:  # only the first worker to get here dies
                os.close(os.open(os.environ["GONGKAI_KILL_MARK"], os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return original(self, chunks, embeddings)
            half = len(chunks) // 2
            original(self, chunks[:half], embeddings[:half])
            if os.environ.get("GONGKAI_KILL_WHAT") == "all":
                os.killpg(os.getpgid(0), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, chunks, embeddings)
    vectors.VectorIndex.add = add
"""


def _pg_bin() -> Path | None:
    for name in ("initdb", "pg_ctl"):
        found = shutil.which(name)
        if found and Path(found).resolve().parent.joinpath("pg_ctl").exists():
            return Path(found).resolve().parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    return Path(dirs[-1]) if dirs and Path(dirs[-1], "pg_ctl").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server of its own on a loopback port; yields new_database(name) -> URL."""
    pytest.importorskip("psycopg", reason="psycopg is not installed — run `make install`")
    import psycopg

    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found — `make install` installs Debian's "
                    "postgresql package")
    base = Path(tempfile.mkdtemp(prefix="gongkai-pg-"))
    base.chmod(0o755)
    data, run = base / "data", base / "run"
    data.mkdir()
    run.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            pytest.skip("running as root and there is no `postgres` user to run the PostgreSQL server")
        for d in (data, run):
            os.chown(d, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    log = base / "server.log"
    init = subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "gongkai",
                           "-E", "UTF8", "--no-locale"], capture_output=True, text=True, cwd="/")
    if init.returncode:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"initdb failed: {init.stderr.strip()[-300:]}")
    start = subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(run / "server.log"), "-w",
                            "-t", "60", "-o", f"-h 127.0.0.1 -p {port} -k {run}", "start"],
                           capture_output=True, text=True, cwd="/")
    if start.returncode:
        text = (run / "server.log").read_text() if (run / "server.log").exists() else start.stderr
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"PostgreSQL did not start: {text.strip()[-300:]}")
    admin = f"postgresql://gongkai@127.0.0.1:{port}/postgres"

    def new_database(name: str) -> str:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")
            c.execute(f"CREATE DATABASE {name}")
        return f"postgresql://gongkai@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, cwd="/")
        _ = log
        shutil.rmtree(base, ignore_errors=True)


def chroma_server(path: Path):
    """A real `chroma run` on a free loopback port serving `path` (…/chroma) — the one `--workers` starts; yields
    its URL."""
    from index.workers import local_chroma

    assert path.name == "chroma"
    return local_chroma(path.parent)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("subset")
    for name in SUBSET:
        shutil.copy(BUNDLED / name, d / name)
    return d


def dump(db_url: str | None, home: Path, chroma_url: str | None) -> dict:
    """Every stored row and chunk, comparable with == across SQLite and PostgreSQL."""
    from index.vectors import VectorIndex

    if db_url:
        import psycopg

        conn = psycopg.connect(db_url)
    else:
        conn = sqlite3.connect(home / "facts.sqlite")  # type: ignore[assignment]
    try:
        out = {"reports": [tuple(r) for r in conn.execute(f"SELECT {REPORT_COLS} FROM reports ORDER BY id")]}
        for table, cols in TABLES.items():
            out[table] = sorted((tuple(r) for r in conn.execute(f"SELECT {cols} FROM {table}")), key=repr)
    finally:
        conn.close()
    got = VectorIndex(home, chroma_url or "").collection.get(include=["documents", "metadatas", "embeddings"])
    out["chroma"] = {i: (d, sorted(m.items())) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}
    out["vectors"] = dict(zip(got["ids"], [list(map(float, e)) for e in got["embeddings"]]))
    out["n_chunks"] = len(got["ids"])
    return out


def assert_same(got: dict, want: dict) -> None:
    import numpy as np

    assert got["n_chunks"] == want["n_chunks"] == len(got["chroma"])  # no duplicate, no missing chunk
    assert set(got["chroma"]) == set(want["chroma"])
    for key in ("reports", *TABLES, "chroma"):
        assert got[key] == want[key], key
    for i, v in want["vectors"].items():  # the same text embeds the same, up to the float noise of batching
        assert np.abs(np.asarray(got["vectors"][i]) - np.asarray(v)).max() < 1e-4, i


@pytest.fixture(scope="module")
def single(reports, tmp_path_factory) -> dict:
    """The reference: one process, the default stores (SQLite and a local Chroma in the data folder)."""
    from index.ingest import ingest

    home = tmp_path_factory.mktemp("single")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("GONGKAI_DATABASE_URL", raising=False)
        mp.delenv("GONGKAI_CHROMA_URL", raising=False)
        s = ingest([reports], home=home, progress=False)
    assert not s.failed and len(s.added) == len(SUBSET), s.line()
    return dump(None, home, None)


def run_ingest(home: Path, db_url: str, chroma_url: str, reports: Path, *extra: str, **env: str):
    hook = home.parent / f"{home.name}-hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(HOOK)
    e = dict(os.environ, GONGKAI_HOME=str(home), GONGKAI_DATABASE_URL=db_url, GONGKAI_CHROMA_URL=chroma_url,
             HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
             PYTHONPATH=os.pathsep.join([str(hook), str(ROOT)]), **env)
    return subprocess.run([sys.executable, "-m", "gongkai.cli", "ingest", "--no-progress", *extra, str(reports)],
                          cwd=ROOT, env=e, capture_output=True, text=True, timeout=900, start_new_session=True)


def test_two_workers_on_postgres_and_chroma_server_equal_one_process(postgres, reports, single, tmp_path):
    db = postgres("two_workers")
    with chroma_server(tmp_path / "chroma") as curl:
        res = run_ingest(tmp_path / "home", db, curl, reports, "--workers", "2")
        assert res.returncode == 0, res.stderr[-3000:]
        assert f"{len(SUBSET)} files: {len(SUBSET)} added, 0 unchanged" in res.stderr, res.stderr
        assert_same(dump(db, tmp_path / "home", curl), single)
        # a second machine running the same ingest afterwards changes nothing
        again = run_ingest(tmp_path / "home2", db, curl, reports, "--workers", "2")
        assert again.returncode == 0 and f"0 added, {len(SUBSET)} unchanged" in again.stderr, again.stderr[-3000:]
        assert_same(dump(db, tmp_path / "home", curl), single)
    from index.store import FactStore

    assert FactStore(db).claims() == []  # every claim was released


def test_worker_killed_mid_report_is_redone(postgres, reports, single, tmp_path):
    """A worker SIGKILLed with its report's facts committed and half its vectors written: the run replaces
    the worker, takes over its claim and finishes the report; a re-run then changes nothing."""
    db = postgres("killed_worker")
    mark = tmp_path / "killed"
    with chroma_server(tmp_path / "chroma") as curl:
        res = run_ingest(tmp_path / "home", db, curl, reports, "--workers", "2",
                         GONGKAI_KILL_AT_ADD="1", GONGKAI_KILL_MARK=str(mark), GONGKAI_KILL_WHAT="worker")
        assert mark.exists(), "no worker was killed"
        assert res.returncode == 0, res.stderr[-3000:]
        assert_same(dump(db, tmp_path / "home", curl), single)
        again = run_ingest(tmp_path / "home", db, curl, reports, "--workers", "2")
        assert again.returncode == 0 and f"0 added, {len(SUBSET)} unchanged" in again.stderr, again.stderr[-3000:]
        assert_same(dump(db, tmp_path / "home", curl), single)


def test_whole_ingest_killed_mid_report_then_rerun(postgres, reports, single, tmp_path):
    """Every process of the ingest SIGKILLed mid-report (a machine lost): the report is left 'indexing' with
    half its vectors; the re-run takes over the dead claims and ends with the single-process store."""
    import psycopg

    db = postgres("killed_all")
    mark = tmp_path / "killed"
    with chroma_server(tmp_path / "chroma") as curl:
        res = run_ingest(tmp_path / "home", db, curl, reports, "--workers", "2",
                         GONGKAI_KILL_AT_ADD="2", GONGKAI_KILL_MARK=str(mark), GONGKAI_KILL_WHAT="all")
        assert mark.exists() and res.returncode == -signal.SIGKILL, res.stderr[-3000:]
        with psycopg.connect(db) as c:
            states = dict(c.execute("SELECT id, state FROM reports").fetchall())
            assert "indexing" in states.values(), states
            assert c.execute("SELECT COUNT(*) FROM claims").fetchone()[0] > 0  # the dead workers' claims
        again = run_ingest(tmp_path / "home", db, curl, reports, "--workers", "2")
        assert again.returncode == 0, again.stderr[-3000:]
        assert "interrupted reports redone" in again.stderr, again.stderr
        assert_same(dump(db, tmp_path / "home", curl), single)


def test_fact_store_round_trip_postgres_equals_sqlite(postgres, tmp_path):
    from index.parse import parse_file
    from index.store import FactStore, open_store

    db = postgres("round_trip")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_DATABASE_URL", db)
        pg = open_store(tmp_path)
    assert pg.url == db
    sq = FactStore(tmp_path / "facts.sqlite")
    files = sorted(p for p in BUNDLED.iterdir() if p.suffix in (".txt", ".md"))
    for p in files:
        r = parse_file(p)
        pg.put(r)
        sq.put(r)
    assert pg.stamp() == sq.stamp()
    assert pg.list_reports() == sq.list_reports()
    assert pg.all_reports() == sq.all_reports()
    assert sorted(pg.agencies()) == sorted(sq.agencies())
    for row in sq.list_reports():
        assert pg.load(row["id"]) == sq.load(row["id"])
        assert pg.hash_of(row["id"]) == sq.hash_of(row["id"])
        sha = sq.hash_of(row["id"])[0]
        assert pg.ids_with_hash(sha) == sq.ids_with_hash(sha)
    rid = files[0].stem
    before = pg.stamp()
    for st in (pg, sq):
        st.set_state(rid, "indexing", 7)
    assert pg.stamp() != before and pg.list_reports() == sq.list_reports()
    for st in (pg, sq):
        st.delete(rid)
    assert pg.load(rid) is None and pg.list_reports() == sq.list_reports() and pg.stamp() == sq.stamp()
    # a NUL in a report's text (PostgreSQL text cannot hold it) is stored, offsets intact
    r = parse_file(files[1])
    r.text = r.text + "\x00尾"
    pg.put(r)
    assert len(pg.load(r.id).text) == len(r.text)


def test_claims_a_live_holder_keeps_a_dead_or_expired_one_is_taken_over(postgres):
    import psycopg

    from index.store import FactStore

    db = postgres("claims")
    st = FactStore(db)
    assert st.claim("sha:x", "a", 30) and st.claim("sha:x", "a", 30)  # its own claim, again
    assert not st.claim("sha:x", "b", 30)  # a live holder on this machine
    with psycopg.connect(db, autocommit=True) as c:
        # a worker on another machine whose lease runs out in one second
        c.execute("INSERT INTO claims VALUES ('id:y', 'far', 'another-host', 1, "
                  "EXTRACT(EPOCH FROM clock_timestamp()) + 1)")
        # a worker of this machine whose process is gone
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        c.execute("INSERT INTO claims VALUES ('id:z', 'gone', %s, %s, EXTRACT(EPOCH FROM clock_timestamp()) + 600)",
                  (socket.gethostname(), dead.pid))
    assert not st.claim("id:y", "b", 30)
    assert st.claim("id:z", "b", 30)
    time.sleep(1.5)
    assert st.claim("id:y", "b", 30)
    assert st.renew("b", 30) == 2
    st.release("id:y", "b")
    assert [k for k, *_ in st.claims()] == ["id:z", "sha:x"]
