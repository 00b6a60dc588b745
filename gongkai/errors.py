"""Exceptions whose message names the file and says what to do."""

from __future__ import annotations


class GongkaiError(Exception):
    """Base error; `str()` is one line fit for the CLI."""


class ReportError(GongkaiError):
    """A file could not be read as a report."""

    def __init__(self, path: str, problem: str, fix: str = "", page: int | None = None):
        self.path, self.problem, self.fix, self.page = path, problem, fix, page
        where = f"{path}" + (f" (page {page})" if page else "")
        msg = f"{where}: {problem}"
        if fix:
            msg += f" — {fix}"
        super().__init__(msg)


class UnsupportedFormat(ReportError):
    pass


class NoTextLayer(ReportError):
    pass


class NotAReport(ReportError):
    pass


class StoreError(GongkaiError):
    pass
