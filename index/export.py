"""A Report as one JSON object shaped like a gold file (GOLD-SPEC keys)."""

from __future__ import annotations

from gongkai.model import Report
from index.numbers import as_json


def report_json(r: Report) -> dict:
    """Return {"id","source","agency","year","template","table2","table3","table4","narrative","audit",...}."""
    out: dict = {"id": r.id, "source": r.source, "agency": r.agency, "year": r.year, "template": r.template,
                 "title_agency": r.title, "table2": {}, "table3": {}, "table4": {}}
    for f in r.facts:
        out[f.table][f.key] = as_json(f.value)
    out["sources"] = {f.full_key: {"row_label": f.row_label, "column": f.column, "page": f.span.page,
                                   "start": f.span.start, "end": f.span.end, "raw": f.raw,
                                   **({"ambiguous": True, "alternatives": list(f.alternatives)} if f.ambiguous
                                      else {})}
                      for f in r.facts}
    out["narrative"] = [{"value": as_json(n.value), "unit": n.unit, "quote": n.quote, "context": n.context,
                         "page": n.span.page, "start": n.span.start, "section": n.section} for n in r.narrative]
    out["sections"] = [{"number": s.number, "path": list(s.path), "start": s.span.start, "end": s.span.end,
                        "page": s.span.page} for s in r.sections]
    out["audit"] = [{"identity": a.identity, "cells": list(a.cells), "printed": as_json(a.printed),
                     "computed": as_json(a.computed), "message": a.message} for a in r.audit]
    out["warnings"] = list(r.warnings)
    out["agency_source"], out["year_source"] = r.agency_source, r.year_source
    out["tables_unreadable"], out["unread"] = list(r.tables_unreadable), list(r.unread)
    return out
