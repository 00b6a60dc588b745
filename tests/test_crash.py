"""Crash safety: `gongkai ingest` killed with SIGKILL in the middle of a batch, then run again, ends with a
store identical to an uninterrupted run (the session's conftest.index_home, which ingested the same folder).

Two kills on one data folder: one from outside once two reports are done (the process is somewhere in the
third), one from inside at the worst moment — the report's facts are committed in state 'indexing' and
half of its vectors are written. Then a plain rerun. Compared with the uninterrupted store: every SQLite
row (less the ingest timestamp), report states and chunk counts, and every Chroma id with its document,
metadata and vector.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT

# runs `gongkai ARGS`, but SIGKILLs itself halfway through the KILL_AT_ADD-th write of a report's vectors
KILLER = """
import os, signal, sys
from index import vectors
original = vectors.VectorIndex.add
calls = [0]
def add(self, chunks, embeddings):
    calls[0] += 1
    if calls[0] == int(os.environ["KILL_AT_ADD"]):
        half = len(chunks) // 2
        original(self, chunks[:half], embeddings[:half])
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, chunks, embeddings)
vectors.VectorIndex.add = add
from gongkai.cli import main
sys.exit(main(sys.argv[1:]))
"""


def store_state(home: Path) -> dict:
    """Return every stored row and vector, in a form two stores can be compared with ==."""
    from index.vectors import VectorIndex

    db = sqlite3.connect(home / "facts.sqlite")
    cols = [r[1] for r in db.execute("PRAGMA table_info(reports)") if r[1] != "ingested_at"]
    out = {"reports": db.execute(f"SELECT {', '.join(cols)} FROM reports ORDER BY id").fetchall()}
    for table in ("facts", "narrative", "sections", "audit"):
        out[table] = sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
    db.close()
    got = VectorIndex(home).collection.get(include=["documents", "metadatas", "embeddings"])
    out["chroma"] = {i: (d, sorted(m.items())) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}
    out["vectors"] = dict(zip(got["ids"], got["embeddings"]))
    return out


def assert_same_store(got: dict, want: dict) -> None:
    import numpy as np

    assert set(got["chroma"]) == set(want["chroma"])  # no orphan and no missing chunk
    for key, rows in want.items():
        if key != "vectors":
            assert got[key] == rows, key
    for i, v in want["vectors"].items():  # the same text embeds the same, up to float noise of batching
        assert np.abs(np.asarray(got["vectors"][i]) - np.asarray(v)).max() < 1e-4, i


def states(home: Path) -> dict[str, str]:
    if not (home / "facts.sqlite").exists():
        return {}
    db = sqlite3.connect(home / "facts.sqlite", timeout=30)
    try:
        return dict(db.execute("SELECT id, state FROM reports"))
    except sqlite3.DatabaseError:  # the schema is not created yet
        return {}
    finally:
        db.close()


def env_for(home: Path, **extra: str) -> dict:
    return dict(os.environ, GONGKAI_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
                ANONYMIZED_TELEMETRY="False", **extra)


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    """A data folder after two SIGKILLed runs of `gongkai ingest data/reports` (not yet rerun)."""
    home = tmp_path_factory.mktemp("crash-home")
    log = home.parent / "crash.log"
    # 1. from outside: kill once two reports are ready
    with log.open("w") as f:
        proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "ingest", "--no-progress", str(BUNDLED)],
                                cwd=ROOT, env=env_for(home), stdout=f, stderr=subprocess.STDOUT)
    deadline = time.time() + 600
    while sum(s == "ready" for s in states(home).values()) < 2:
        assert proc.poll() is None, f"ingest ended before it could be killed: {log.read_text()}"
        assert time.time() < deadline, "ingest made no progress in 600 s"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    after_first = states(home)
    # 2. from inside: the next run dies halfway through writing the vectors of its second report
    res = subprocess.run([sys.executable, "-c", KILLER, "ingest", "--no-progress", str(BUNDLED)], cwd=ROOT,
                         env=env_for(home, KILL_AT_ADD="2"), capture_output=True, text=True, timeout=900,
                         check=False)
    assert res.returncode == -signal.SIGKILL, res.stderr[-3000:]
    return home, after_first


def test_the_kills_left_the_store_half_written(crashed):
    from index.store import FactStore
    from index.vectors import VectorIndex

    home, after_first = crashed
    assert 2 <= sum(s == "ready" for s in after_first.values()) < 9
    now = states(home)
    half = [rid for rid, s in now.items() if s == "indexing"]
    assert len(half) == 1 and len(now) < 9, now
    stored = FactStore(home / "facts.sqlite")
    with_facts = stored.load(half[0])
    assert with_facts is not None and (with_facts.facts or with_facts.sections)
    n_vectors = len(VectorIndex(home).ids_of(half[0]))
    assert 0 < n_vectors  # half of its vectors were written before the kill
    # an unfinished report is not served: answers and search see ready reports only
    assert half[0] not in {r.id for r in stored.all_reports(with_text=False)}


def test_rerun_ends_identical_to_an_uninterrupted_run(crashed, index_home):
    from gongkai.cli import main

    home, _ = crashed
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stderr(err):
        mp.setenv("GONGKAI_HOME", str(home))
        code = main(["ingest", "--no-progress", str(BUNDLED)])
    assert code == 0, err.getvalue()
    assert "interrupted reports redone" in err.getvalue()
    want = store_state(index_home)
    assert_same_store(store_state(home), want)
    assert set(states(home).values()) == {"ready"}
    # and running it once more changes nothing
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stderr(io.StringIO()):
        mp.setenv("GONGKAI_HOME", str(home))
        assert main(["ingest", "--no-progress", str(BUNDLED)]) == 0
    assert_same_store(store_state(home), want)
