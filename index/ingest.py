"""Files → facts (SQLite) → chunks → vectors (Chroma), idempotent and safe to kill at any moment.

Order of work for one file: parse, chunk and embed first (a failure there leaves the stores
untouched); then the facts in one transaction with state 'indexing'; then the report's old vectors
are deleted and the new ones added; then state 'ready' with the chunk count. A run that starts
finds any report that is not 'ready', or whose vector count differs from its chunk count, and
redoes its vectors from the stored facts — so a run killed mid-batch and run again ends exactly
like an uninterrupted run. A replaced report re-embeds only the chunks whose text changed; the
others keep their stored vectors (same model, same text, same vector).

Files are taken in groups (GROUP_FILES, GROUP_CHUNKS): the group's new chunks are embedded in one call
(a fuller last batch, and texts of like length padded together), then each report is written on its
own as above, so a kill mid-group loses nothing that was written and leaves at most one report to redo.

Several processes (`--workers N`, index.workers) and several machines (one PostgreSQL, one Chroma
server) can ingest into one store: before it touches a file a worker claims the file's content hash and
the report id in the store (FactStore.claim, a lease renewed by a heartbeat). A file whose claim is held
elsewhere waits until its owner is done — then it is usually "unchanged" — or until the owner is dead,
and the work is taken over; a worker never waits while holding a claim, so two never wait on each other.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import config
from gongkai.errors import GongkaiError, ReportError
from index.chunks import chunks_for, search_text
from index.ingest_summary import FileResult, IngestSummary, _Progress, record  # noqa: F401 (re-exported)
from index.parse import file_hash, parse_file, report_id
from index.readers import SUFFIXES
from index.store import open_store

GROUP_FILES = 8  # files whose chunks are embedded in one call
GROUP_CHUNKS = 512  # ... or fewer files, once this many chunks are waiting
WAIT_SECONDS = 0.5  # between two tries at a file another worker holds


def lease_seconds() -> float:
    """How long a claim lives without its worker's heartbeat (GONGKAI_INGEST_LEASE, default 60 s)."""
    try:
        return max(2.0, float(os.environ.get("GONGKAI_INGEST_LEASE", "60")))
    except ValueError:
        return 60.0


def report_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Return (report files, skipped files): folders are searched recursively, in name order."""
    files: list[Path] = []
    skipped: list[Path] = []
    for p in map(Path, paths):
        found = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for x in found:
            if x.suffix.lower() in SUFFIXES or (not x.exists() and not p.is_dir()):
                files.append(x)
            else:
                skipped.append(x)
    return files, skipped


@dataclass
class _Job:
    path: Path
    rid: str
    status: str
    held: list[str]
    report: object = None
    chunks: list = field(default_factory=list)
    vectors: list | None = None
    recovered: bool = False


class Ingestor:
    """Writes reports into the fact store and the vector collection of one data folder."""

    def __init__(self, home: Path | None = None, url: str | None = None):
        from index.vectors import VectorIndex

        self.home = Path(home) if home else config.data_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.facts = open_store(self.home)
        self.vectors = VectorIndex(self.home, url)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease = lease_seconds()
        self._held: set[str] = set()
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def close(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=10)
        for key in list(self._held):
            self.facts.release(key, self.owner)
        self.facts.close()

    # ---------------------------------------------------------------- claims
    def _claim(self, key: str) -> bool:
        """Claim key for this ingestor (True), or False while another live worker holds it — or this one:
        a second file of a group with the same content or report id waits until the first is written."""
        if key in self._held or not self.facts.claim(key, self.owner, self.lease):
            return False
        self._held.add(key)
        if self._beat is None:
            self._beat = threading.Thread(target=self._heartbeat, name="gongkai-lease", daemon=True)
            self._beat.start()
        return True

    def _release(self, keys: list[str]) -> None:
        for key in keys:
            if key in self._held:
                self.facts.release(key, self.owner)
                self._held.discard(key)

    def _heartbeat(self) -> None:
        """Renew this ingestor's claims every third of a lease (its own connection: never inside a write)."""
        store = None
        while not self._stop.wait(self.lease / 3):
            if not self._held:
                continue
            try:
                store = store or open_store(self.home)
                store.renew(self.owner, self.lease)
            except Exception:  # noqa: BLE001 — a missed beat only shortens the lease; the next one retries
                store = None
        if store is not None:
            store.close()

    def _write(self, report, chunks, vectors) -> None:
        self.facts.put(report, state="indexing")
        self.vectors.delete_report(report.id)
        self.vectors.add(chunks, vectors)
        self.facts.set_state(report.id, "ready", len(chunks))

    def _embed(self, rid: str, chunks) -> list[list[float]]:
        """Return the chunks' vectors, reusing the stored vector of every chunk whose search text is unchanged."""
        from index.embed import embed

        texts, vecs = self._reuse(rid, chunks)
        fresh = iter(embed(texts))
        return [v if v is not None else next(fresh) for v in vecs]

    def _reuse(self, rid: str, chunks) -> tuple[list[str], list[list[float] | None]]:
        """Return (the texts to embed, one stored vector or None per chunk): a chunk whose search text is
        unchanged keeps its stored vector."""
        stored = self.vectors.vectors_of(rid) if self.facts.hash_of(rid) else {}
        out: list[list[float] | None] = []
        texts = []
        for c in chunks:
            t = search_text(c)
            if c.id in stored and search_text(stored[c.id][0]) == t:
                out.append(stored[c.id][1])
            else:
                out.append(None)
                texts.append(t)
        return texts, out

    def recover(self) -> list[str]:
        """Redo the vectors of every report left unfinished; drop vectors of reports not in the store.

        A report another live worker is writing (its claim is held) is left to it."""
        counts = self.vectors.report_counts()
        redone = []
        known = set()
        for row in self.facts.list_reports():
            rid = row["id"]
            known.add(rid)
            if row["state"] == "ready" and counts.get(rid, 0) == row["chunks"]:
                continue
            key = f"id:{rid}"
            if not self._claim(key):
                continue
            try:
                if self._finish(rid):
                    redone.append(rid)
            finally:
                self._release([key])
        # a report's row is always committed before its first vector, so vectors counted before the rows
        # were listed whose report is not listed belong to no report (also with other workers writing)
        for rid in counts:
            if rid not in known:
                self.vectors.delete_report(rid)
        return redone

    def _finish(self, rid: str) -> bool:
        """Redo a stored report's vectors from its stored facts unless it is complete; True when redone.
        The caller holds the report's claim."""
        report = self.facts.load(rid)
        if report is None:
            return False
        chunks = chunks_for(report)
        stored = self.facts.hash_of(rid)
        if stored and stored[1] == "ready" and set(self.vectors.ids_of(rid)) == {c.id for c in chunks}:
            return False  # finished meanwhile by the worker that held it
        vectors = self._embed(rid, chunks)
        self.vectors.delete_report(rid)
        self.vectors.add(chunks, vectors)
        self.facts.set_state(rid, "ready", len(chunks))
        return True

    def _target(self, path: Path, sha: str, by_source: dict[str, str]) -> tuple[str, str]:
        """Return (report id, "added" | "replaced" | "unchanged" | "duplicate") for a file with content hash sha.

        A new file whose bytes are already stored under another name is a duplicate: the report is kept
        once (two copies would be one agency+year twice, and every answer would cite it twice)."""
        rid = by_source.get(str(path)) or self.facts.id_of_source(str(path))  # or stored by another worker
        if rid is not None:
            stored = self.facts.hash_of(rid)
            return rid, "unchanged" if stored and stored[0] == sha else "replaced"
        same = self.facts.ids_with_hash(sha)
        if same:
            return min(same), "duplicate"
        base = report_id(path)
        for rid in (base, f"{base}-{sha[:8]}"):
            stored = self.facts.hash_of(rid)
            if stored is None:
                return rid, "added"
            if stored[0] == sha:
                return rid, "unchanged"  # the same content is already stored (from another path)
        # a third different file with the same name and the same hash prefix: practically impossible
        return f"{base}-{sha[:16]}", "added"

    def ingest_file(self, path: Path, by_source: dict[str, str]) -> tuple[str, str, int]:
        """Ingest one file; return (report id, status, chunks written). Raises ReportError."""
        while True:
            job = self._prepare(path, by_source)
            if job is not None:
                break
            time.sleep(WAIT_SECONDS)  # another worker holds it: wait for it to finish (or die)
        try:
            if job.report is not None:
                job.vectors = self._embed(job.rid, job.chunks)
                self._write(job.report, job.chunks, job.vectors)
                by_source[str(job.path)] = job.rid
            return job.rid, job.status, len(job.chunks)
        finally:
            self._release(job.held)

    def _prepare(self, path: Path, by_source: dict[str, str]) -> _Job | None:
        """Claim a file and its report, parse and chunk it; None while another worker holds either claim.
        On return the job holds its claims (released by the caller); on an error it holds none."""
        path = path.resolve()
        if not path.is_file():
            raise ReportError(str(path), "file not found", "check the path")
        sha = file_hash(path)
        held = [f"sha:{sha}"]
        if not self._claim(held[0]):
            return None
        try:
            rid, status = self._target(path, sha, by_source)
            if not self._claim(f"id:{rid}"):
                self._release(held)
                return None
            held.append(f"id:{rid}")
            if (rid, status) != self._target(path, sha, by_source):  # stored meanwhile, before our claim
                self._release(held)
                return None
            job = _Job(path, rid, status, held)
            if status in ("unchanged", "duplicate"):
                stored = self.facts.hash_of(rid)
                if stored and stored[1] != "ready":  # its worker died before the report was ready
                    job.recovered = self._finish(rid)
                return job
            job.report = parse_file(path, rid)
            job.chunks = chunks_for(job.report)
            return job
        except BaseException:
            self._release(held)
            raise

    def ingest_files(self, files: list[Path], by_source: dict[str, str],
                     done: Callable[[FileResult], None]) -> None:
        """Ingest files in groups whose new chunks are embedded together; call done() once per file.

        A ReportError or any other error of one file fails that file only; a GongkaiError (the model or a
        store is missing) stops the run, as every other file would fail the same way."""
        pending: deque[Path] = deque(files)
        waiting: list[Path] = []  # files another worker holds: tried again once this worker holds nothing
        progressed = True
        while pending or waiting:
            if not pending:
                if not progressed:  # every file left is another worker's: give it time
                    time.sleep(WAIT_SECONDS)
                pending.extend(waiting)
                waiting.clear()
            progressed = False
            group: list[_Job] = []
            try:
                while pending and len(group) < GROUP_FILES and sum(len(j.chunks) for j in group) < GROUP_CHUNKS:
                    path = pending.popleft()
                    try:
                        job = self._prepare(path, by_source)
                    except ReportError as e:
                        done(FileResult(str(path), "", "failed", why=str(e)))
                        continue
                    except GongkaiError:
                        raise
                    except Exception as e:  # noqa: BLE001 — a parser bug on one file must not stop the batch
                        done(FileResult(str(path), "", "failed", why=_unexpected(path, e)))
                        continue
                    progressed = progressed or job is not None
                    if job is None:
                        waiting.append(path)
                    elif job.report is None:
                        self._release(job.held)
                        done(FileResult(str(path), job.rid, job.status, recovered=job.recovered))
                    else:
                        group.append(job)
                self._embed_group(group, done)
                for job in group:
                    if job.vectors is None:
                        continue  # failed in _embed_group, already reported
                    try:
                        self._write(job.report, job.chunks, job.vectors)
                    except GongkaiError:
                        raise
                    except Exception as e:  # noqa: BLE001 — one report's write must not stop the batch
                        done(FileResult(str(job.path), job.rid, "failed", why=_unexpected(job.path, e)))
                        continue
                    finally:
                        self._release(job.held)
                    by_source[str(job.path)] = job.rid
                    done(FileResult(str(job.path), job.rid, job.status, len(job.chunks), recovered=job.recovered))
            finally:
                for job in group:
                    self._release(job.held)

    def _embed_group(self, group: list[_Job], done: Callable[[FileResult], None]) -> None:
        """Set every job's vectors with one embedding call for the group's new chunks (a job whose
        chunks cannot be embedded fails alone: then each is embedded on its own)."""
        from index.embed import embed

        if not group:
            return
        try:
            plans = [self._reuse(j.rid, j.chunks) for j in group]
            fresh = iter(embed([t for texts, _ in plans for t in texts]))
            for j, (_, vecs) in zip(group, plans):
                j.vectors = [v if v is not None else next(fresh) for v in vecs]
            return
        except GongkaiError:
            raise
        except Exception:  # noqa: BLE001 — find the job that cannot be embedded, keep the others
            pass
        for j in group:
            try:
                j.vectors = self._embed(j.rid, j.chunks)
            except GongkaiError:
                raise
            except Exception as e:  # noqa: BLE001
                j.vectors = None
                self._release(j.held)
                done(FileResult(str(j.path), j.rid, "failed", why=_unexpected(j.path, e)))

    def run(self, paths: list[Path], progress: bool = True) -> IngestSummary:
        t0 = time.perf_counter()
        summary = IngestSummary()
        summary.recovered = self.recover()
        files, skipped = report_files(paths)
        summary.skipped = [str(x) for x in skipped]
        by_source = {row["source"]: row["id"] for row in self.facts.list_reports()}
        bar = _Progress(len(files), progress)
        from index.readers import ocr
        ocr.progress = bar.page if progress else None
        try:
            self._run_files(files, by_source, bar, summary)
        finally:
            ocr.progress = None
        summary.seconds = time.perf_counter() - t0
        return summary

    def _run_files(self, files: list[Path], by_source: dict[str, str], bar: _Progress,
                   summary: IngestSummary) -> None:
        self.ingest_files(files, by_source, lambda r: record(summary, bar, r))


def _unexpected(path: Path, e: Exception) -> str:
    return (f"{path}: unexpected {type(e).__name__}: {e} — the file was skipped; "
            "please report this with the file attached")


def ingest(paths: list[Path], home: Path | None = None, progress: bool = True,
           url: str | None = None, workers: int = 1) -> IngestSummary:
    """Ingest report files and folders into the data folder; return what was added/unchanged/replaced/failed.

    workers > 1 runs that many ingest processes (index.workers)."""
    if workers > 1:
        from index.workers import ingest_parallel

        return ingest_parallel([Path(p) for p in paths], home, progress, url, workers)
    ing = Ingestor(home, url)
    try:
        return ing.run([Path(p) for p in paths], progress)
    finally:
        ing.close()
