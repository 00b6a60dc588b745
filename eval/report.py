"""The eval summary as Markdown for people (the JSON report is the summary dict itself)."""

from __future__ import annotations

TYPE_NAMES = {"table": "table (one cell)", "sum": "sum (several cells)", "narrative": "narrative figure",
              "figure": "figure", "text": "text", "unanswerable": "unanswerable → not_found",
              "clarify": "which agency/year? → clarify"}


def _pct(v) -> str:
    return "–" if v is None else f"{100 * v:.1f} %"


def _frac(a, n) -> str:
    return f"{a}/{n}" if n else "–"


def markdown(s: dict, meta: dict, baseline: dict | None = None) -> str:
    """Return the Markdown report of one eval run."""
    L = [f"# gongkai eval — {meta.get('when', '')}", ""]
    L.append(f"- questions: {s['questions']} from {', '.join(meta.get('qa_files', []))}")
    L.append(f"- store: {meta.get('store', '')}" + (f" (ingested from {meta['ingested']} in {meta['ingest_s']:.0f} s)"
                                                     if meta.get("ingested") else ""))
    L.append(f"- vectors: {'yes' if meta.get('vectors') else 'no (facts only: recall not measured)'}")
    L.append("")
    f = s["figure"]
    L.append(f"**Wrong figures: {f.get('wrong', 0)}/{f['n']} = {_pct(s.get('wrong_figure_rate'))}** (a number shown "
             f"that is not the answer) · numbers given where the answer is not_found/clarify: "
             f"{s.get('number_where_none', 0)}")
    L.append("")
    L.append("## Answers")
    L.append("")
    L.append("| type | questions | right | wrong | abstained | accuracy | top citation holds evidence | p50 ms | p95 ms |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t, d in s["by_type"].items():
        cit = _frac(d["citation_ok"], d["n"]) if "citation_ok" in d else "–"
        L.append(f"| {TYPE_NAMES.get(t, t)} | {d['n']} | {d['correct']} | {d.get('wrong', 0)} | {d.get('abstained', 0)} | "
                 f"{_pct(d['accuracy'])} | {cit} | {d['latency_ms']['p50']:.0f} | {d['latency_ms']['p95']:.0f} |")
    L.append("")
    for name, sub in (s.get("by_split") or {}).items():
        L.append(f"Split **{name}**: " + split_line(sub))
        L.append("")
    f, tx, un = s["figure"], s["text"], s["unanswerable"]
    L.append(f"**Figures (table + sum + narrative): {_frac(f['correct'], f['n'])} = {_pct(s['figure_accuracy'])}** · "
             f"text {_frac(tx['correct'], tx['n'])} · unanswerable {_frac(un['correct'], un['n'])} · "
             f"citation accuracy {_pct(s['citation_accuracy'])} of answerable questions "
             f"({_pct(s['citation_accuracy_when_correct'])} of those answered correctly) · "
             f"latency p50 {s['latency_ms']['p50']:.0f} ms, p95 {s['latency_ms']['p95']:.0f} ms")
    L.append("")
    if s.get("recall"):
        L.append("## Retrieval recall of the evidence chunk (hybrid search)")
        L.append("")
        L.append("| type | n | filtered to the report @1 | @5 | unfiltered @1 | @5 |")
        L.append("|---|---:|---:|---:|---:|---:|")
        rows = [(t, d["recall"]) for t, d in s["by_type"].items() if d.get("recall")] + [("all", s["recall"])]
        for t, r in rows:
            L.append(f"| {t} | {r.get('n', 0)} | {r.get('filtered@1', 0):.2f} | {r.get('filtered@5', 0):.2f} | "
                     f"{r.get('unfiltered@1', 0):.2f} | {r.get('unfiltered@5', 0):.2f} |")
        L.append("")
    if baseline:
        L.append(baseline_table(baseline))
        L.append("")
    if meta.get("thresholds"):
        L.append("## Thresholds")
        L.append("")
        for name, (got, need, ok) in meta["thresholds"].items():
            L.append(f"- {name}: {_pct(got)} (needs ≥ {_pct(need)}) — {'ok' if ok else '**BELOW**'}")
        L.append("")
    L.append(f"## Misses ({len(s['misses'])})")
    L.append("")
    for m in s["misses"]:
        L.append(f"- [{m['type']}] {m['report']}: {m['q']}  ")
        L.append(f"  gold `{m['gold']}` · got {m['kind']} `{m['value']}` — {m['answer'][:160]}")
    if not s["misses"]:
        L.append("(none)")
    if s["citation_misses"]:
        L.append("")
        L.append(f"## Right answer, citation not holding the evidence ({len(s['citation_misses'])})")
        L.append("")
        for m in s["citation_misses"]:
            c = m["top_citation"] or {}
            L.append(f"- [{m['type']}] {m['report']}: {m['q']}  ")
            L.append(f"  evidence `{(m['evidence'] or '')[:100]}` · top citation {c.get('report_id')} "
                     f"`{(c.get('quote') or '')[:120]}`")
    if s["unit_mismatches"]:
        L.append("")
        L.append(f"Unit differs from gold (value right): {len(s['unit_mismatches'])} — " + "; ".join(
            f"{m['q'][:30]} gold {m['gold_unit']}" for m in s["unit_mismatches"][:10]))
    return "\n".join(L) + "\n"


def split_line(sub: dict) -> str:
    """One line: figures right / wrong / abstained and each other type's right/n."""
    f = sub["figure"]
    parts = [f"figures right {_frac(f['correct'], f['n'])} ({_pct(sub['figure_accuracy'])}), wrong {f['wrong']} "
             f"({_pct(sub['wrong_figure_rate'])}), abstained {f['abstained']}"]
    for k in ("text", "unanswerable", "clarify"):
        if sub[k]["n"]:
            parts.append(f"{k} {_frac(sub[k]['correct'], sub[k]['n'])}")
    return " · ".join(parts)


def baseline_table(b: dict) -> str:
    """Return the side-by-side table of gongkai and the naive llama-index pipeline."""
    L = ["## gongkai vs a naive llama-index RAG (same questions, same reports, same m3e-small, one run)", ""]
    L.append(b.get("setup", ""))
    L.append("")
    L.append("| system | figure answer exact | text answer | unanswerable | top-1 holds answer | top-5 holds answer "
             "| top-1 holds evidence | top-1 from the right report |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in ("gongkai", "baseline"):
        d = b[name]
        L.append(f"| {d['label']} | {d['figure_exact']} | {d['text_answer']} | {d['unanswerable']} | "
                 f"{d['top1_answer']} | {d['top5_answer']} | {d['top1_evidence']} | {d['top1_report']} |")
    L.append("")
    for note in b.get("notes", []):
        L.append(f"- {note}")
    if b.get("by_type"):
        L.append("")
        L.append("Top-1 / top-5 holds the answer, by question type:")
        L.append("")
        L.append("| type | n | gongkai top-1 | gongkai top-5 | baseline top-1 | baseline top-5 |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for t, d in b["by_type"].items():
            L.append(f"| {t} | {d['n']} | {d['gongkai_top1']} | {d['gongkai_top5']} | {d['baseline_top1']} | "
                     f"{d['baseline_top5']} |")
    return "\n".join(L)
