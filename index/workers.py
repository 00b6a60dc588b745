"""`gongkai ingest --workers N`: N ingest processes on this machine, fed files by this one.

Each worker is an index.ingest.Ingestor in its own process (spawned: torch does not survive a fork),
given a few files at a time so it can embed them together. What makes several workers — here or on
other machines pointed at the same PostgreSQL and Chroma server — give the store one process would is
in index.ingest (claims in the store, deterministic chunk ids); this module only hands out files,
gathers results into one summary and one progress line, and replaces a worker that died: its unfinished
files go to another worker once (its claims are taken over, its half-written report finished).

Vectors must be shared by every worker, so without GONGKAI_CHROMA_URL a Chroma server is started on
the data folder's chroma/ (loopback, a free port) for the run and stopped after it.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import deque
from pathlib import Path
from typing import Any

from gongkai import config
from gongkai.errors import GongkaiError, StoreError
from index.ingest import GROUP_FILES, report_files
from index.ingest_summary import FileResult, IngestSummary, _Progress, record

CHROMA_START_SECONDS = 60


def _worker(wid: int, home: str, url: str, threads: int, tasks, results, do_recover: bool) -> None:
    """One worker process: recover (if asked), then ingest each batch of files it is sent."""
    config.set_offline()
    from index.ingest import Ingestor
    from index.readers import ocr

    ing = None
    try:
        ing = Ingestor(Path(home), url)
        from index.embed import embed

        embed(["预热"])  # load the model now, while the other workers load theirs
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)  # N workers share the cores: no oversubscription
        if do_recover:
            results.put(("recovered", wid, ing.recover()))
        by_source = {row["source"]: row["id"] for row in ing.facts.list_reports()}
        ocr.progress = lambda name, page, pages, seconds: results.put(("page", wid, name, page, pages, seconds))
        results.put(("idle", wid))
        while (batch := tasks.get()) is not None:
            ing.ingest_files([Path(p) for p in batch], by_source, lambda r: results.put(("done", wid, r)))
            results.put(("idle", wid))
    except GongkaiError as e:
        results.put(("fatal", wid, str(e)))
    except KeyboardInterrupt:
        pass
    finally:
        if ing is not None:
            ing.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def local_chroma(home: Path):
    """Serve the data folder's chroma/ on loopback for the duration; yield its URL."""
    exe = Path(sys.executable).parent / "chroma"
    cmd = str(exe) if exe.exists() else shutil.which("chroma")
    if not cmd:
        raise StoreError("--workers needs a Chroma server and `chroma` is not installed — run `make install`, "
                         "or set GONGKAI_CHROMA_URL to a running `chroma run`")
    port = _free_port()
    path = home / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    log = (home / "chroma-server.log").open("wb")
    proc = subprocess.Popen([cmd, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + CHROMA_START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise StoreError(f"the Chroma server for the workers did not start — see {log.name}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def ingest_parallel(paths: list[Path], home: Path | None, progress: bool, url: str | None,
                    workers: int) -> IngestSummary:
    """Ingest with `workers` processes; return one summary, as a single process would."""
    home = Path(home) if home else config.data_home()
    home.mkdir(parents=True, exist_ok=True)
    url = url if url is not None else os.environ.get("GONGKAI_CHROMA_URL", "")
    if url:
        return _Run(paths, home, progress, url, workers).go()
    with local_chroma(home) as served:
        return _Run(paths, home, progress, served, workers).go()


class _Run:
    """The parent's side of one parallel ingest."""

    def __init__(self, paths: list[Path], home: Path, progress: bool, url: str, workers: int):
        import multiprocessing

        self.ctx = multiprocessing.get_context("spawn")
        self.home, self.url, self.n = home, url, workers
        self.threads = max(1, (os.cpu_count() or 1) // workers)
        self.files, skipped = report_files(paths)
        self.summary = IngestSummary(skipped=[str(x) for x in skipped])
        self.bar = _Progress(len(self.files), progress)
        self.results = self.ctx.Queue()
        self.procs: dict[int, Any] = {}  # multiprocessing's spawn Process and Queue
        self.tasks: dict[int, Any] = {}
        self.inflight: dict[int, list[str]] = {}
        self.idle: set[int] = set()
        self.pending: deque[str] = deque(str(f) for f in self.files)
        self.outcome: dict[str, FileResult] = {}
        self.retried: set[str] = set()
        self.dead: set[int] = set()
        self.restarts = 0
        self.recovered = False  # worker 0 (or a replacement) has reported its recovery pass

    def _spawn(self, recover: bool) -> None:
        wid = len(self.procs)
        self.tasks[wid] = self.ctx.Queue()
        p = self.ctx.Process(target=_worker, name=f"gongkai-ingest-{wid}", daemon=True,
                             args=(wid, str(self.home), self.url, self.threads, self.tasks[wid], self.results, recover))
        p.start()
        self.procs[wid] = p
        self.inflight[wid] = []

    def go(self) -> IngestSummary:
        t0 = time.perf_counter()
        try:
            for i in range(min(self.n, max(1, len(self.files)))):
                self._spawn(recover=i == 0)
            while (len(self.outcome) < len(self.files) or self.pending or any(self.inflight.values())
                   or not self.recovered):
                self._step()
        finally:
            self._stop()
        self.summary.seconds = time.perf_counter() - t0
        return self.summary

    def _step(self) -> None:
        try:
            msg = self.results.get(timeout=0.5)
        except queue.Empty:
            self._check_deaths()
            return
        kind, wid = msg[0], msg[1]
        if kind == "recovered":
            self.summary.recovered.extend(r for r in msg[2] if r not in self.summary.recovered)
            self.recovered = True
        elif kind == "page":
            self.bar.page(*msg[2:])
        elif kind == "done":
            r: FileResult = msg[2]
            if r.path in self.inflight.get(wid, []):
                self.inflight[wid].remove(r.path)
            if r.path in self.pending:  # a late word of a dead worker on a file given out again
                self.pending.remove(r.path)
            if r.path not in self.outcome:
                self.outcome[r.path] = r
                record(self.summary, self.bar, r)
        elif kind == "idle" and wid not in self.dead:
            self.idle.add(wid)
            self._dispatch()
        elif kind == "fatal":
            raise GongkaiError(msg[2])

    def _dispatch(self) -> None:
        while self.idle and self.pending:
            wid = self.idle.pop()
            size = max(1, min(GROUP_FILES, math.ceil(len(self.pending) / self.n)))
            batch = [self.pending.popleft() for _ in range(min(size, len(self.pending)))]
            self.inflight[wid] = list(batch)
            self.tasks[wid].put(batch)

    def _check_deaths(self) -> None:
        for wid, p in list(self.procs.items()):
            if p.is_alive() or p.exitcode is None or wid in self.dead:
                continue
            self.dead.add(wid)
            self.idle.discard(wid)
            left = [f for f in self.inflight.get(wid, []) if f not in self.outcome]
            self.inflight[wid] = []
            code = p.exitcode
            how = f"signal {-code}" if code < 0 else f"exit code {code}"
            for f in left:
                if f in self.retried:
                    r = FileResult(f, "", "failed", why=f"{f}: the ingest worker died ({how}) twice on this file — "
                                   "it was skipped; run the ingest again, or with --workers 1 to see the error")
                    self.outcome[f] = r
                    record(self.summary, self.bar, r)
                else:
                    self.retried.add(f)
                    self.pending.appendleft(f)
            alive = [w for w, q in self.procs.items() if q.is_alive()]
            if (self.pending or not self.recovered) and self.restarts < self.n:
                self.restarts += 1
                self._spawn(recover=True)  # finishes what the dead worker left half-written
            elif not alive and (self.pending or not self.recovered):
                raise GongkaiError(f"every ingest worker died (last: {how}) — run the ingest again "
                                   "(it finishes what was left)")
        self._dispatch()

    def _stop(self) -> None:
        for wid, p in self.procs.items():
            if p.is_alive():
                with contextlib.suppress(Exception):
                    self.tasks[wid].put(None)
        for p in self.procs.values():
            p.join(timeout=60)
            if p.is_alive():
                p.terminate()
                p.join(timeout=10)
