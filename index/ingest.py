"""Files → facts (SQLite) → chunks → vectors (Chroma), idempotent and safe to kill at any moment.

Order of work for one file: parse, chunk and embed first (a failure there leaves the stores
untouched); then the facts in one transaction with state 'indexing'; then the report's old vectors
are deleted and the new ones added; then state 'ready' with the chunk count. A run that starts
finds any report that is not 'ready', or whose vector count differs from its chunk count, and
redoes its vectors from the stored facts — so a run killed mid-batch and run again ends exactly
like an uninterrupted run. A replaced report re-embeds only the chunks whose text changed; the
others keep their stored vectors (same model, same text, same vector).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import config
from gongkai.errors import GongkaiError, ReportError
from index.chunks import chunks_for, search_text
from index.parse import file_hash, parse_file, report_id
from index.readers import SUFFIXES
from index.store import FactStore


@dataclass
class IngestSummary:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line reason)
    recovered: list[str] = field(default_factory=list)  # reports whose vectors were redone from the store
    skipped: list[str] = field(default_factory=list)  # files with a suffix that is not a report format
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, stored report with its content)
    chunks: int = 0  # chunks written in this run
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        """Return the one-line summary printed at the end of `gongkai ingest`."""
        n = len(self.added) + len(self.unchanged) + len(self.replaced) + len(self.failed)
        s = (f"{n} files: {len(self.added)} added, {len(self.unchanged)} unchanged, {len(self.replaced)} replaced, "
             f"{len(self.failed)} failed · {self.chunks} chunks · {self.seconds:.1f} s")
        if self.recovered:
            s += f" · {len(self.recovered)} interrupted reports redone"
        if self.skipped:
            s += f" · {len(self.skipped)} other files skipped"
        if self.duplicates:
            s += f" · {len(self.duplicates)} duplicates kept once"
        return s

    def duplicate_lines(self) -> list[str]:
        """Return one line per file whose content is already stored under another name."""
        return [f"duplicate: {f} has the same content as stored report {rid} — kept once, under {rid}"
                for f, rid in self.duplicates]


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


class _Progress:
    """A progress line on stderr: a bar over files, and the chunks written so far."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled and total > 0
        self.tty = sys.stderr.isatty()
        self.done = 0
        self.chunks = 0

    def page(self, name: str, page: int, pages: int, seconds: float) -> None:
        """A scanned file's OCR progress, one page at a time (index.readers.ocr calls it)."""
        if not self.enabled:
            return
        if self.tty:
            sys.stderr.write(f"\ringest {self.done + 1}/{self.total} files · {name[:40]} · OCR page {page}/{pages} "
                             f"({seconds:.1f} s)".ljust(110)[:110])
        else:
            sys.stderr.write(f"ingest {self.done + 1}/{self.total} {name}: OCR page {page}/{pages} "
                             f"({seconds:.1f} s)\n")
        sys.stderr.flush()

    def step(self, name: str, status: str, chunks: int = 0) -> None:
        self.done += 1
        self.chunks += chunks
        if not self.enabled:
            return
        if self.tty:
            width = 24
            fill = int(width * self.done / self.total)
            line = (f"\ringest [{'#' * fill}{'.' * (width - fill)}] {self.done}/{self.total} files · "
                    f"{self.chunks} chunks · {name[:40]} {status}")
            sys.stderr.write(line.ljust(110)[:110])
            if self.done == self.total:
                sys.stderr.write("\n")
        else:
            sys.stderr.write(f"ingest {self.done}/{self.total} {name}: {status}"
                             + (f", {chunks} chunks" if chunks else "") + "\n")
        sys.stderr.flush()


class Ingestor:
    """Writes reports into the fact store and the vector collection of one data folder."""

    def __init__(self, home: Path | None = None, url: str | None = None):
        from index.vectors import VectorIndex

        self.home = Path(home) if home else config.data_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.facts = FactStore(self.home / "facts.sqlite")
        self.vectors = VectorIndex(self.home, url)

    def close(self) -> None:
        self.facts.close()

    def _write(self, report, chunks, vectors) -> None:
        self.facts.put(report, state="indexing")
        self.vectors.delete_report(report.id)
        self.vectors.add(chunks, vectors)
        self.facts.set_state(report.id, "ready", len(chunks))

    def _embed(self, rid: str, chunks) -> list[list[float]]:
        """Return the chunks' vectors, reusing the stored vector of every chunk whose search text is unchanged."""
        from index.embed import embed

        stored = self.vectors.vectors_of(rid)
        texts = [search_text(c) for c in chunks]
        reuse = {c.id: stored[c.id][1] for c, t in zip(chunks, texts)
                 if c.id in stored and search_text(stored[c.id][0]) == t}
        fresh = iter(embed([t for c, t in zip(chunks, texts) if c.id not in reuse]))
        return [reuse[c.id] if c.id in reuse else next(fresh) for c in chunks]

    def recover(self) -> list[str]:
        """Redo the vectors of every report left unfinished; drop vectors of reports not in the store."""
        counts = self.vectors.report_counts()
        redone = []
        known = set()
        for row in self.facts.list_reports():
            rid = row["id"]
            known.add(rid)
            if row["state"] == "ready" and counts.get(rid, 0) == row["chunks"]:
                continue
            report = self.facts.load(rid)
            if report is None:
                continue
            chunks = chunks_for(report)
            vectors = self._embed(rid, chunks)
            self.vectors.delete_report(rid)
            self.vectors.add(chunks, vectors)
            self.facts.set_state(rid, "ready", len(chunks))
            redone.append(rid)
        for rid in counts:
            if rid not in known:
                self.vectors.delete_report(rid)
        return redone

    def _target(self, path: Path, sha: str, by_source: dict[str, str]) -> tuple[str, str]:
        """Return (report id, "added" | "replaced" | "unchanged" | "duplicate") for a file with content hash sha.

        A new file whose bytes are already stored under another name is a duplicate: the report is kept
        once (two copies would be one agency+year twice, and every answer would cite it twice)."""
        rid = by_source.get(str(path))
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
        path = path.resolve()
        if not path.is_file():
            raise ReportError(str(path), "file not found", "check the path")
        sha = file_hash(path)
        rid, status = self._target(path, sha, by_source)
        if status in ("unchanged", "duplicate"):
            return rid, status, 0
        report = parse_file(path, rid)
        chunks = chunks_for(report)
        vectors = self._embed(rid, chunks)
        self._write(report, chunks, vectors)
        by_source[str(path)] = rid
        return rid, status, len(chunks)

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
        for path in files:
            try:
                rid, status, n = self.ingest_file(path, by_source)
            except ReportError as e:
                summary.failed.append((str(path), str(e)))
                bar.step(path.name, "failed")
                continue
            except GongkaiError:
                raise  # the model or the store is missing: every other file would fail the same way
            except Exception as e:  # noqa: BLE001 — a parser bug on one file must not stop the batch
                why = (f"{path}: unexpected {type(e).__name__}: {e} — the file was skipped; "
                       "please report this with the file attached")
                summary.failed.append((str(path), why))
                bar.step(path.name, "failed")
                continue
            if status == "duplicate":
                summary.duplicates.append((str(path), rid))
                status = "unchanged"  # nothing was written: the content is stored (under rid)
            getattr(summary, status).append(rid)
            summary.chunks += n
            bar.step(path.name, status, n)


def ingest(paths: list[Path], home: Path | None = None, progress: bool = True,
           url: str | None = None) -> IngestSummary:
    """Ingest report files and folders into the data folder; return what was added/unchanged/replaced/failed."""
    ing = Ingestor(home, url)
    try:
        return ing.run([Path(p) for p in paths], progress)
    finally:
        ing.close()
