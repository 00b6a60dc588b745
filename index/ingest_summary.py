"""What an ingest run reports: the summary of a run, one file's result, the progress line on stderr.

Shared by the single-process ingest (index.ingest) and the parent of `--workers N` (index.workers),
which turns its workers' results into the same summary and the same progress line.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path


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


@dataclass
class FileResult:
    """What became of one file: status added | replaced | unchanged | duplicate | failed."""

    path: str
    rid: str
    status: str
    chunks: int = 0
    why: str = ""  # the one-line reason of a failure
    recovered: bool = False  # an unfinished report of this file (a dead worker's) was finished


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


def record(summary: IngestSummary, bar: _Progress, r: FileResult) -> None:
    """Add one file's result to the summary and the progress line."""
    name = Path(r.path).name
    if r.status == "failed":
        summary.failed.append((r.path, r.why))
        bar.step(name, "failed")
        return
    if r.recovered:
        summary.recovered.append(r.rid)
    status = r.status
    if status == "duplicate":
        summary.duplicates.append((r.path, r.rid))
        status = "unchanged"  # nothing was written: the content is stored (under rid)
    getattr(summary, status).append(r.rid)
    summary.chunks += r.chunks
    bar.step(name, status, r.chunks)
