"""Scanned reports: image-only PDFs and page images are read offline with OCR, the template's identities vouch
for the OCR'd numbers, and a cell nobody can vouch for is flagged, never silently wrong.

The scans are made here: a synthetic report (eval.synth, gold known) printed to PDF, rasterised, turned a
little and given grain, wrapped into an image-only PDF. Small on purpose (two pages, 200 dpi): the full
measurement over the 11 gold reports is `python -m eval.bench_ocr`.
"""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path

import pytest
import zoo
from conftest import cell_equal

from gongkai.errors import ReportError
from index.parse import parse_file
from index.readers import ocr, read

pytestmark = pytest.mark.skipif(not ocr.available(), reason="rapidocr_onnxruntime is not installed")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A synthetic report as a PDF with a text layer, and its gold."""
    folder = tmp_path_factory.mktemp("ocr")
    pdf, gold = zoo.synth_report_pdf(folder)
    return folder, pdf, gold


@pytest.fixture(scope="module")
def scanned(printed):
    """The report scanned at 200 dpi, turned 0.8°, with grain: parsed once."""
    folder, pdf, gold = printed
    scan = zoo.image_only_pdf(folder / "scan-200dpi.pdf", zoo.raster(pdf, 200, angle=0.8, noise=10, seed=3), 200)
    calls = []
    ocr.progress = lambda name, page, pages, secs: calls.append((name, page, pages))
    t0 = time.perf_counter()
    try:
        report = parse_file(scan)
    finally:
        ocr.progress = None
    return report, gold, time.perf_counter() - t0, calls


def _score(report, gold):
    facts = {f.full_key: f for f in report.facts}
    right, flagged, wrong = 0, [], []
    for t in ("table2", "table3", "table4"):
        for k, v in gold[t].items():
            f = facts.get(f"{t}.{k}")
            if f is not None and f.ambiguous:
                flagged.append((f.full_key, v, f.value, f.alternatives))
            elif f is not None and cell_equal(f.value, v):
                right += 1
            else:
                wrong.append((f"{t}.{k}", v, f.value if f else "MISSING"))
    return right, flagged, wrong


def test_scan_cells_are_right_or_flagged_never_silently_wrong(scanned):
    report, gold, seconds, _ = scanned
    right, flagged, wrong = _score(report, gold)
    cells = right + len(flagged) + len(wrong)
    print(f"scan 200 dpi, turned 0.8°, grain: {right}/{cells} right, {len(flagged)} flagged, {len(wrong)} wrong, "
          f"{seconds:.1f} s")
    assert not wrong, wrong
    assert right >= 0.98 * cells, flagged


def test_scan_metadata_and_pages(scanned):
    report, gold, _, _ = scanned
    assert report.agency == gold["agency"] and report.year == gold["year"]
    assert report.template == str(gold["template"]) and report.fmt == "pdf"
    assert len(report.page_starts) == 2
    assert all(f.span.page in (1, 2) for f in report.facts)  # citations keep the page
    assert any(f.span.page == 2 for f in report.facts if f.table == "table4")


def test_page_image_png(printed, tmp_path):
    """A PNG of page 1 (tables 2 and part of 3): read as text with its table rows tab-separated."""
    _, pdf, gold = printed
    png = tmp_path / "page1.png"
    zoo.raster(pdf, 200)[0].save(png)
    doc = read(png)
    assert doc.fmt == "image" and doc.page_starts == [0]
    assert gold["agency"] in doc.text and f"{gold['year']}年政府信息公开工作年度报告" in doc.text
    lic = gold["table2"]["licensing.decisions"]
    assert re.search(rf"(?m)^行政许可\t{lic}\s*$", doc.text), doc.text[:1500]


def test_upside_down_scan_is_read_turned(printed, tmp_path):
    _, pdf, gold = printed
    pages = [p.rotate(180) for p in zoo.raster(pdf, 150)][:1]
    scan = zoo.image_only_pdf(tmp_path / "upside-down.pdf", pages, 150)
    doc = read(scan)
    assert doc.notes == ["page 1 was scanned upside down; read turned"]
    assert gold["agency"] in doc.text and "二、主动公开政府信息情况" in doc.text


def test_garbage_text_layer_is_read_as_a_scan(printed, tmp_path):
    """A PDF whose text layer is mojibake (wrong font encoding) under a page image: OCR reads the image."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _, pdf, gold = printed
    img = tmp_path / "page1.png"
    zoo.raster(pdf, 150)[0].save(img)
    out = tmp_path / "garbage-layer.pdf"
    c = canvas.Canvas(str(out), pagesize=A4)
    c.drawImage(str(img), 0, 0, width=A4[0], height=A4[1])
    c.setFont("Helvetica", 9)
    for i in range(40):
        c.drawString(40, 800 - i * 18, "Õþ¸®ÐÅÏ¢¹«¿ª¹¤×÷Äê¶È±¨¸æ ÕþÎñ¹«¿ª ÐÅÏ¢¹«¿ª ÉêÇë ÒÀÉêÇë¹«¿ª")
    c.save()
    doc = read(out)
    assert isinstance(doc, ocr.ScannedDocument)
    assert gold["agency"] in doc.text and "Õþ" not in doc.text


def test_garbage_text_detector():
    assert ocr.garbage_text("政府信息公开工作年度报告" * 5) is None
    assert ocr.garbage_text("Government information disclosure annual report " * 3) is None
    assert "private-use" in ocr.garbage_text("\ue001\ue002\ue003" * 20 + "政府")
    assert "private-use" in ocr.garbage_text("(cid:12)(cid:345)" * 20)
    assert "mojibake" in ocr.garbage_text("Õþ¸®ÐÅÏ¢¹«¿ª¹¤×÷Äê¶È±¨¸æ" * 4)


def test_blank_scan_is_refused_with_a_message(tmp_path):
    with pytest.raises(ReportError) as e:
        parse_file(zoo.blank_scan(tmp_path / "blank.pdf"))
    assert "no text found" in str(e.value) and e.value.fix


def test_page_time_limit_stops_a_stalled_page_and_the_next_file_still_reads(printed, tmp_path, monkeypatch):
    import numpy as np

    _, pdf, gold = printed
    png = tmp_path / "page1.png"
    zoo.raster(pdf, 110)[0].save(png)
    ocr._ask("cells", [np.full((20, 20), 255, np.uint8)])  # the worker is up (its models loaded)
    monkeypatch.setattr(ocr, "PAGE_SECONDS", 0.05)
    t0 = time.perf_counter()
    with pytest.raises(ReportError) as e:
        read(png)
    assert "took longer than" in str(e.value) and "GONGKAI_OCR_PAGE_SECONDS" in str(e.value)
    assert time.perf_counter() - t0 < 10
    monkeypatch.setattr(ocr, "PAGE_SECONDS", 120.0)
    assert gold["agency"] in read(png).text  # a fresh worker


def test_page_cap_applies_to_scans(printed, tmp_path, monkeypatch):
    _, pdf, _ = printed
    scan = zoo.image_only_pdf(tmp_path / "scan.pdf", zoo.raster(pdf, 72), 72)
    monkeypatch.setattr(ocr, "MAX_PDF_PAGES", 1)
    with pytest.raises(ReportError) as e:
        ocr.read_scanned_pdf(scan)
    assert "2 pages (limit 1)" in str(e.value) and "GONGKAI_MAX_PDF_PAGES" in str(e.value)


def test_progress_is_reported_per_page(scanned):
    assert scanned[3] == [("scan-200dpi.pdf", 1, 2), ("scan-200dpi.pdf", 2, 2)]


def _misread(report, key: str, value) -> object:
    import dataclasses

    r = dataclasses.replace(report, facts=[dataclasses.replace(f, ambiguous=False, alternatives=())
                                           for f in report.facts], warnings=[])
    r.facts = [dataclasses.replace(f, value=value, raw=str(value)) if f.full_key == key else f for f in r.facts]
    ocr.vouch(r, ocr.ScannedDocument(path="x", fmt="pdf", text=report.text))
    return r


def test_identities_flag_a_cell_they_cannot_settle(scanned):
    """One digit of a table-3 cell misread: its row and its column identity both fail on it, it alone is
    flagged (with the value they imply), its neighbours stay clean."""
    report = scanned[0]
    key = "table3.new.natural"
    old = report.fact(key).value
    wrong = int(str(old)[:-1] + str((int(str(old)[-1]) + 3) % 10))
    r = _misread(report, key, wrong)
    flagged = {f.full_key: f for f in r.facts if f.ambiguous}
    assert set(flagged) == {key}
    assert flagged[key].alternatives == (str(old),)


def test_an_identity_printed_wrong_is_left_to_the_audit(scanned):
    """A table-4 total that no single OCR slip can reconcile with its parts was printed so: nothing is
    flagged ambiguous for it (the audit reports it, as for a text PDF)."""
    report = scanned[0]
    parts = sum(report.fact(f"table4.review.{c}").value for c in ("upheld", "corrected", "other", "pending"))
    r = _misread(report, "table4.review.total", parts + 111)
    assert not [f for f in r.facts if f.ambiguous]


def test_models_ship_inside_the_wheel_and_nothing_is_fetched():
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    pkg = Path(spec.submodule_search_locations[0])
    models = sorted(p.name for p in (pkg / "models").glob("*.onnx"))
    assert len(models) == 3 and any("det" in m for m in models) and any("rec" in m for m in models)
    code = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in pkg.rglob("*.py"))
    for fetch in ("urlopen", "urlretrieve", "requests.get", "http.client", "download_file"):
        assert fetch not in code, fetch
