"""File → Report: read, find title/agency/year, sections, template tables, narrative figures, audit."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from gongkai.errors import NotAReport
from gongkai.model import Report
from index import meta, narrative, tables
from index.audit import audit
from index.readers import read


def report_id(path: str | Path) -> str:
    """Stable id from the file name ("pingtan-2021.txt" → "pingtan-2021")."""
    stem = Path(path).stem
    return re.sub(r"[^\w\u4e00-\u9fff.-]+", "-", stem).strip("-") or "report"


def file_hash(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# The template's six parts; a report covers most of them, a document that only talks about reports (a
# notice asking agencies to publish theirs) names two or three in passing.
TOPICS = (("总体情况", "概述"), ("主动公开",), ("依申请", "收到和处理政府信息公开申请"), ("行政复议", "行政诉讼"),
          ("存在的主要问题", "主要问题", "存在问题", "不足"), ("其他需要报告",))


def looks_like_report(text: str) -> bool:
    """Return True when the text is about information disclosure and covers at least 4 of the 6 template parts."""
    t = re.sub(r"\s+", "", text)
    if "信息公开" not in t and "政务公开" not in t:
        return False
    return sum(any(w in t for w in words) for words in TOPICS) >= 4


def parse_file(path: str | Path, rid: str | None = None) -> Report:
    """Parse one report file; raise ReportError (naming the file and the fix) if it cannot be one."""
    doc = read(path)
    return parse_document(doc, rid or report_id(path), file_hash(path))


def parse_document(doc, rid: str, sha: str) -> Report:
    text = doc.text
    if not looks_like_report(text):
        raise NotAReport(doc.path, "this does not look like a 政府信息公开工作年度报告 (it covers fewer than 4 of "
                         "the template's 6 parts)",
                         "check that the file is an annual report")
    printed, year, tpos = meta.find_title(text)
    year_source = "title" if year else ""
    if year is None:
        year, year_source = meta.year_from_text(text)
    if year is None:
        year = meta.year_from_filename(doc.path)
        year_source = "filename" if year else ""
    # the agency: title, then the front matter, the closing signature, the file's name
    agency_source = "title" if printed else ""
    for source, find in (("preamble", lambda: meta.agency_from_preamble(text, tpos)),
                         ("signature", lambda: meta.agency_from_signature(text)),
                         ("filename", lambda: meta.agency_from_filename(doc.path))):
        if printed:
            break
        printed = find()
        agency_source = source if printed else ""
    agency = meta.resolve_agency(printed, text)
    r = Report(id=rid, source=doc.path, sha256=sha, fmt=doc.fmt, agency=agency, year=year, template="",
               title=printed, text=text, page_starts=doc.page_starts, agency_source=agency_source,
               year_source=year_source)
    ex = tables.extract(text, year, r.page_of).finish()
    r.template = ex.template
    if ex.template != "pre-2019" and year is not None and year < 2019:
        r.warnings.append(f"year {year} precedes the national template")
    r.facts = ex.facts
    r.unread = ex.unread
    r.tables_unreadable = ex.tables_unreadable
    r.warnings.extend(ex.warnings)
    r.sections = meta.find_sections(text, r.page_of)
    r.narrative = narrative.figures(text, r.sections, r.page_of)
    from index.crossyear import settle_by_text

    settle_by_text(r)  # a glued table-2 row read the way its own text states its figures
    r.audit = audit(r)
    if hasattr(doc, "doubts"):  # a scan: the template's identities vouch for its OCR'd numbers
        from index.readers.ocr import vouch
        vouch(r, doc)
    if not agency:
        r.warnings.append("agency not found (title, front matter, signature, file name)")
    if year is None:
        r.warnings.append("report year not found")
    return r
