"""Benchmark: scanned reports read by OCR — cells right / flagged / silently wrong per report, seconds per page.

    python -m eval.bench_ocr [--dpi 300] [--distort] [--only hongze-2023,pingtan-2021] [--keep DIR] [--json]

Every gold report of ../shared/corpus/gold is turned into an image-only PDF, as a scanner would:
- the PDFs of the corpus are rasterised page by page (pypdfium2);
- the text reports are printed first — their own front matter and closing sections as paragraphs, the three
  template tables as ruled grids with the gold values (eval.synth_render.write_pdf) — then rasterised;
- with --distort each page is also turned by a small angle (±0.4–1.5°), given grain and saved as a JPEG of
  quality 50 (use it with --dpi 150).
The scan is then read like any upload (`index.parse.parse_file`: OCR, table engine, audit, the identities'
vouching) and every gold cell is compared: right (equal, not flagged), flagged (`ambiguous`: the answer says
so — split by whether the kept value is the gold one), wrong (not flagged and not equal: silently wrong), not read
(no value: an answer says not found).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


# ---------------------------------------------------------------- printing a text report

class _Printed:
    """What eval.synth_render's table writers need: the template and the cells as printed."""

    def __init__(self, gold: dict):
        self.template = str(gold["template"])
        self.cells = _Cells({f"{t}.{k}": v for t in ("table2", "table3", "table4") for k, v in gold[t].items()})


class _Cells(dict):
    def __missing__(self, key):
        return ""


def _printed(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float):
        return format(Decimal(repr(v)), "f")
    return str(v)


def report_blocks(text: str, gold: dict) -> list[tuple[str, object]]:
    """The report as printed: title, its own paragraphs before section 二 and from section 五 on, and the three
    tables drawn from the gold values."""
    from eval.synth_render import table2_rows, table3_rows, table4_rows
    from index import meta

    s = _Printed(gold)
    for k in list(s.cells):
        s.cells[k] = _printed(s.cells[k])
    t = text.replace("\t", " ")
    # the tables' place: section 二 (a converted file may number it 一, after its narrative sections)
    m2 = re.search(r"二\s*[、.．]\s*主动公开政府信息", t) or re.search(r"[一三]\s*[、.．]\s*主动公开政府信息情况", t)
    m5 = re.search(r"[五六]\s*[、.．]\s*(?:政府信息公开工作)?(?:存在的主要问题|其他需要报告)", t[m2.end():] if m2 else t)
    head = t[:m2.start()] if m2 else t
    tail = (t[m2.end() + m5.start():] if m2 else t[m5.start():]) if m5 else ""
    blocks: list[tuple[str, object]] = []
    title = meta._TITLE.search(head[:3000])
    if title:
        before = head[:title.start("year")]
        line_start = before.rfind("\n") + 1
        pre = head[:line_start]
        name = head[line_start:title.end()].strip()
        blocks += _paras(pre)
        blocks.append(("title", re.sub(r"\s+", "", name)))
        head = head[title.end():]
    blocks += _paras(head)
    blocks += [("heading", "二、主动公开政府信息情况"), ("table", table2_rows(s)),
               ("heading", "三、收到和处理政府信息公开申请情况"), ("table", table3_rows(s)),
               ("heading", "四、政府信息公开行政复议、行政诉讼情况"), ("table", table4_rows(s))]
    blocks += _paras(tail)
    return blocks


def _paras(text: str) -> list[tuple[str, object]]:
    out = []
    for ln in text.split("\n"):
        if ln.count("|") >= 2 or "\t" in ln:
            continue  # a table row of the source: the tables are drawn from the gold values
        ln = re.sub(r"^#+\s*|\*\*|\|", " ", ln).strip()
        if ln:
            out.append(("para", ln))
    return out


def print_pdf(source: Path, gold: dict, out: Path) -> Path:
    """A PDF of a report: the PDF itself, or a text report printed with ruled tables."""
    if source.suffix.lower() == ".pdf":
        return source
    from eval.synth_render import write_pdf
    from index.readers import read

    write_pdf(report_blocks(read(source).text, gold), out)
    return out


# ---------------------------------------------------------------- scanning

def scan(pdf: Path, out: Path, dpi: int, distort: bool = False, seed: int = 0) -> tuple[Path, int]:
    """Rasterise a PDF into an image-only PDF (what a scanner makes); return (path, pages)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    for i in range(len(doc)):
        img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if distort:
            angle = rng.choice((-1, 1)) * rng.uniform(0.4, 1.5)
            img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            arr = np.asarray(img, dtype=np.float32)
            noise = np.random.default_rng(seed * 100 + i).normal(0, 12, arr.shape)
            img = Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))
        pages.append(img)
    doc.close()
    quality = 50 if distort else 90
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=quality)
    return out, len(pages)


# ---------------------------------------------------------------- scoring

def score(report, gold: dict) -> dict:
    """Cells right / flagged (kept value right or wrong) / wrong (silently) / not read, against a gold file."""
    from index.export import report_json

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import cell_equal

    out = report_json(report)
    facts = {f.full_key: f for f in report.facts}
    res = {"right": 0, "flagged_right": 0, "flagged_wrong": 0, "wrong": 0, "missing": 0, "wrong_cells": [],
           "flagged_cells": []}
    for t in ("table2", "table3", "table4"):
        for k, v in gold[t].items():
            f = facts.get(f"{t}.{k}")
            ok = cell_equal(out[t].get(k, "MISSING"), v)
            if f is not None and f.ambiguous:
                res["flagged_right" if ok else "flagged_wrong"] += 1
                res["flagged_cells"].append(f"{t}.{k}: gold {v!r}, kept {out[t].get(k)!r}, readings "
                                            f"{list(f.alternatives)}")
            elif ok:
                res["right"] += 1
            elif f is None:  # not read at all: an answer says "not found", it does not state a wrong figure
                res["missing"] += 1
                res["wrong_cells"].append(f"{t}.{k}: gold {v!r}, not read")
            else:
                res["wrong"] += 1
                res["wrong_cells"].append(f"{t}.{k}: gold {v!r}, got {out[t].get(k)!r}")
    res["cells"] = sum(len(gold[t]) for t in ("table2", "table3", "table4"))
    res["agency_ok"] = report.agency == gold["agency"]
    res["year_ok"] = report.year == gold["year"]
    return res


def run_one(gold_path: Path, work: Path, dpi: int, distort: bool) -> dict:
    from index.parse import parse_document
    from index.readers import read

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    rid = gold["id"]
    source = next((CORPUS / "reports").glob(rid + ".*"))
    printed = print_pdf(source, gold, work / f"{rid}-printed.pdf")
    seed = sum(map(ord, rid))
    pdf, pages = scan(printed, work / f"{rid}-scan-{dpi}{'-distorted' if distort else ''}.pdf", dpi, distort, seed)
    t0 = time.perf_counter()
    doc = read(pdf)
    report = parse_document(doc, rid, "bench")
    secs = time.perf_counter() - t0
    res = score(report, gold)
    res.update(id=rid, pages=pages, seconds=secs, seconds_per_page=secs / max(1, pages),
               ocr_seconds=list(getattr(doc, "page_seconds", [])), agency=report.agency, year=report.year,
               source=source.suffix.lstrip("."))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=CORPUS / "gold")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--distort", action="store_true", help="turn pages slightly, add grain, JPEG quality 50")
    ap.add_argument("--only", default="", help="comma-separated report ids")
    ap.add_argument("--keep", type=Path, help="keep the printed PDFs and scans in this folder")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    golds = sorted(a.gold.glob("*.json"))
    if a.only:
        keep = set(a.only.split(","))
        golds = [g for g in golds if g.stem in keep]
    if not golds:
        print(f"no gold files in {a.gold}", file=sys.stderr)
        return 2
    from index.readers import ocr

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = a.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for g in golds:
            r = run_one(g, work, a.dpi, a.distort)
            results.append(r)
            if not a.json:
                print(f"{r['id']:22} {r['source']:4} {r['pages']:2} p  right {r['right']:3}/{r['cells']}  flagged "
                      f"{r['flagged_right'] + r['flagged_wrong']:3} ({r['flagged_wrong']} kept wrong)  wrong "
                      f"{r['wrong']:2}  not read {r['missing']:2}  agency {'ok' if r['agency_ok'] else 'NO ' + repr(r['agency'])}  year "
                      f"{'ok' if r['year_ok'] else 'NO ' + repr(r['year'])}  {r['seconds_per_page']:5.1f} s/page",
                      flush=True)
                for c in r["wrong_cells"][:8]:
                    print(f"    wrong   {c}")
                for c in r["flagged_cells"][:4]:
                    print(f"    flagged {c}")
    ocr.shutdown()
    cells = sum(r["cells"] for r in results)
    right = sum(r["right"] for r in results)
    flagged = sum(r["flagged_right"] + r["flagged_wrong"] for r in results)
    wrong = sum(r["wrong"] for r in results)
    missing = sum(r["missing"] for r in results)
    pages = sum(r["pages"] for r in results)
    secs = sum(r["seconds"] for r in results)
    total = {"dpi": a.dpi, "distort": a.distort, "reports": len(results), "cells": cells, "right": right,
             "flagged": flagged, "wrong": wrong, "missing": missing, "right_pct": round(100 * right / max(1, cells), 2),
             "pages": pages, "seconds_per_page": round(secs / max(1, pages), 2),
             "agency_year_ok": sum(r["agency_ok"] and r["year_ok"] for r in results)}
    if a.json:
        print(json.dumps({"total": total, "reports": results}, ensure_ascii=False, indent=1))
    else:
        print(f"\n{a.dpi} dpi{' distorted' if a.distort else ''}: {len(results)} reports, {cells} cells: right {right} "
              f"({total['right_pct']} %), flagged {flagged}, silently wrong {wrong}, not read {missing}; agency+year right on "
              f"{total['agency_year_ok']}/{len(results)}; {pages} pages, {total['seconds_per_page']} s/page "
              "(read + OCR + parse, 2-core CPU)")
    return 0 if wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
