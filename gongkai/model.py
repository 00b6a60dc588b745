"""The typed values shared by index/, rag/, ui/ and eval/: report → sections, facts, chunks → answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

Number = int | Decimal


@dataclass(frozen=True)
class Span:
    """Where something sits in the source: character offsets into the report text, and the PDF page."""

    start: int
    end: int
    page: int | None = None


@dataclass(frozen=True)
class Section:
    """A numbered section or sub-heading of a report with its text."""

    number: int  # 1..6 for the template sections, 0 for the front matter
    title: str
    path: tuple[str, ...]  # heading path, e.g. ("一、总体情况", "（二）主动公开政府信息情况")
    text: str
    span: Span


@dataclass(frozen=True)
class Fact:
    """One template cell: `table2.licensing.decisions` etc., with the printed row label and position."""

    table: str  # "table2" | "table3" | "table4"
    key: str  # "licensing.decisions"
    value: Number | str | None  # str only for amounts printed with a unit ("75394432.52元")
    raw: str  # as printed ("" for a blank cell)
    row_label: str  # row label as printed
    column: str  # column header (template wording)
    span: Span
    ambiguous: bool = False  # the printed run allowed several splits; value is the most plausible
    alternatives: tuple[str, ...] = ()

    @property
    def full_key(self) -> str:
        return f"{self.table}.{self.key}"


@dataclass(frozen=True)
class NarrativeFigure:
    """A number stated in the report's text, with its unit and sentence."""

    value: Number
    unit: str
    quote: str  # the sentence
    context: str  # the words just before the number ("主动公开政府信息")
    span: Span
    section: str = ""


@dataclass(frozen=True)
class AuditIssue:
    """A failed arithmetic identity of the template (勾稽关系)."""

    report_id: str
    identity: str
    cells: tuple[str, ...]
    printed: Number | None
    computed: Number | None
    message: str


@dataclass
class Report:
    """A parsed annual report."""

    id: str
    source: str
    sha256: str
    fmt: str
    agency: str
    year: int | None
    template: str  # "2019" | "2021" | "pre-2019"
    title: str
    text: str
    page_starts: list[int] = field(default_factory=list)  # offset of each PDF page in `text`
    sections: list[Section] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    narrative: list[NarrativeFigure] = field(default_factory=list)
    audit: list[AuditIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # full keys of template cells the parser could not read
    agency_source: str = ""  # where the agency was found: title | preamble | period | signature | filename
    year_source: str = ""  # where the year was found: title | period | preamble | signature | filename
    tables_unreadable: list[str] = field(default_factory=list)  # tables the report has but could not be read

    def page_of(self, offset: int) -> int | None:
        """Return the 1-based PDF page holding `offset`, or None for text sources."""
        if not self.page_starts:
            return None
        page = 1
        for i, s in enumerate(self.page_starts):
            if offset >= s:
                page = i + 1
        return page

    def fact(self, full_key: str) -> Fact | None:
        for f in self.facts:
            if f.full_key == full_key:
                return f
        return None


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: a section piece or a table row, with the metadata the stores keep."""

    id: str
    report_id: str
    kind: str  # "section" | "row"
    text: str
    agency: str
    year: int | None
    template: str
    section: str  # heading path joined by " > "
    table: str = ""
    row_key: str = ""
    source: str = ""
    page: int | None = None
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Citation:
    report_id: str
    agency: str
    year: int | None
    section: str
    table_row: str | None
    page: int | None
    source: str
    quote: str


@dataclass
class Answer:
    question: str
    answer: str
    kind: str  # "figure" | "text" | "not_found" | "clarify"
    value: Number | None = None
    unit: str | None = None
    reports: list[dict] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    verified: bool | None = None
    notes: list[str] = field(default_factory=list)
    interpretation: dict | None = None
