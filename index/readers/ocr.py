"""Scanned reports: image-only PDFs and page images (PNG/JPEG) read with OCR, offline.

The OCR is RapidOCR (`rapidocr_onnxruntime`, pinned): its wheel carries the PP-OCRv4 detection and
recognition models and the direction classifier as ONNX files, and loads them from its own package folder —
nothing is fetched at run time. It runs in a worker process (one per reader process, started on first use):
each page has a time limit (GONGKAI_OCR_PAGE_SECONDS, default 120 s) after which the worker is killed and the
file is refused with a message, so one bad page cannot stall a batch; the worker's memory is not the caller's.

A page goes: pixels (a PDF page rendered at GONGKAI_OCR_DPI, default 300, or the image as is) → grey →
straightened (the skew angle whose rows of ink are sharpest) → text boxes from the detector, the page turned
first if the direction classifier reads it upside down (or the lines stand upright: sideways) → each box
read from the full-resolution page with its table rules painted out, twice: every character, and digits
only (probabilities renormalised over 0–9, so 0/O, 1/l, 5/S, 8/B settle and each digit has a runner-up; a
number with room for more digits is read again stretched, for a doubled digit that collapsed) → the table
grid found from the ruling lines (merged cells recovered from the missing rules; a number cell with ink but
no box cut out and read alone) → each table as tab-separated rows with a merged cell's text in its first
row, like the PDF reader (a label a character from the template's wording gets its wording); text outside
tables as lines rebuilt from box coordinates. The table engine then reads the text as any other format.

OCR'd numbers are vouched for by the template's identities (`vouch`, called after parsing): a failing
identity flags `ambiguous` the cell(s) one OCR slip away from mending it, with the value it implies; a
doubtful reading is flagged with its readings unless an identity holding it passes. An identity no slip can
mend was printed so: the audit carries it, as for any report.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import select
import struct
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import NoTextLayer, ReportError
from index.readers.base import MAX_PDF_PAGES, Document, grid_lines

OCR_DPI = int(os.environ.get("GONGKAI_OCR_DPI", "300"))
PAGE_SECONDS = float(os.environ.get("GONGKAI_OCR_PAGE_SECONDS", "120"))
MAX_IMAGE_PIXELS = int(float(os.environ.get("GONGKAI_OCR_MAX_MEGAPIXELS", "60")) * 1_000_000)
LOW_SCORE = 0.80  # a number box read with less confidence than this is doubtful
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")

# progress: called as progress(file name, page, pages, seconds) after each page; set by `gongkai ingest`
progress: Callable[[str, int, int, float], None] | None = None


@dataclass
class Doubt:
    """A number in the OCR'd text that the OCR was not sure of: offsets in the document text, readings."""

    start: int
    end: int
    readings: tuple[str, ...]  # the reading kept first
    score: float
    why: str  # "low confidence" | "look-alike letters"


@dataclass
class ScannedDocument(Document):
    """A Document read by OCR: its doubtful numbers and what happened per page."""

    doubts: list[Doubt] = field(default_factory=list)
    page_seconds: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the OCR worker process

_WORKER_CODE = "from index.readers.ocr import _worker_main; _worker_main()"


def _send(f, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    f.write(struct.pack("<Q", len(data)) + data)
    f.flush()


def _read_exact(f, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = f.read(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def _recv(f):
    (n,) = struct.unpack("<Q", _read_exact(f, 8))
    return pickle.loads(_read_exact(f, n))


def _engine():
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    from rapidocr_onnxruntime import RapidOCR
    from rapidocr_onnxruntime.utils import infer_engine

    # threads that spin while waiting starve each other when the machine is busy: let them sleep
    plain = infer_engine.OrtInferSession._init_sess_opts

    def quiet_opts(config):
        opts = plain(config)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return opts

    infer_engine.OrtInferSession._init_sess_opts = staticmethod(quiet_opts)
    # keep weak boxes (a lone "0" in a table cell scores 0.7–0.8): they are flagged, not dropped
    return RapidOCR(text_score=0.3, max_side_len=int(os.environ.get("GONGKAI_OCR_MAX_SIDE", "2000")))


def _rotate(img, quarter: int):
    import numpy as np

    return np.ascontiguousarray(np.rot90(img, k=quarter)) if quarter else img


def _elongated(box) -> bool:
    """A text line rather than a lone character: one side of the box over 2.5 times the other."""
    r = _hw(box)
    return r > 2.5 or r < 0.4


def _upside_down(eng, img, boxes) -> bool:
    """True when the direction classifier reads most of the page's longer lines as turned 180°."""
    import numpy as np

    lines = sorted((b for b in boxes if _elongated(b)), key=lambda b: -max(_hw(b), 1 / max(_hw(b), 1e-6)))[:24]
    if not lines:
        return False
    crops = eng.get_crop_img_list(_bgr(img), [np.array(b, dtype=np.float32) for b in lines])
    _, cls_res, _ = eng.text_cls(crops)
    turned = sum(1 for label, score in cls_res if label == "180" and score > 0.8)
    return turned > 0.6 * len(cls_res)


def _bgr(img):
    import cv2

    return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR) if img.ndim == 2 else img


def _detect(eng, img) -> list:
    """Text boxes of an image (four corner points each, in the image's own pixels)."""
    res, _ = eng(img, use_det=True, use_cls=False, use_rec=False)
    return [[[float(x), float(y)] for x, y in box] for box in (res or [])]


def ocr_oriented(eng, img) -> tuple[list, int]:
    """OCR an image the right way up; return ([(box, text, score, digits, least, readings)], quarter turns
    counter-clockwise used).

    Boxes come from the detector on the page (reduced to GONGKAI_OCR_MAX_SIDE); each box is then read from the
    full-resolution page, once with every character and once digits only (read_cells). Upside down: the
    direction classifier reads most lines as turned 180°. Sideways: most text lines stand upright; both quarter
    turns are tried and the one with more lying lines kept."""

    boxes = _detect(eng, img)
    quarter = 0
    if boxes:
        lines = [b for b in boxes if _elongated(b)]
        if lines and sum(1 for b in lines if _hw(b) > 1) > 0.5 * len(lines):
            tries = []
            for q in (1, 3):
                bs = _detect(eng, _rotate(img, q))
                tries.append((sum(1 for b in bs if _elongated(b) and _hw(b) < 1), q, bs))
            _, quarter, boxes = max(tries, key=lambda x: x[0])
        if _upside_down(eng, _rotate(img, quarter), boxes):
            quarter = (quarter + 2) % 4
            boxes = _detect(eng, _rotate(img, quarter))
    if not boxes:
        return [], quarter
    page = _without_rules(_rotate(img, quarter))
    reads = read_cells(eng, [_crop(page, b) for b in boxes])
    out = [(box, text, score, digits, least, alts) for box, (text, score, digits, least, alts) in zip(boxes, reads)
           if score >= 0.3 and text.strip()]
    return out, quarter


def _without_rules(gray):
    """The page with its long ruling lines painted white: a box that reaches into a table's rule would read
    the rule as "-" (a lone "0" above a rule became a dash)."""
    import cv2
    import numpy as np

    if gray.ndim != 2:
        return gray
    h, w = gray.shape
    ink = (gray < 170).astype(np.uint8)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 15), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 25))))
    mask = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8))
    out = gray.copy()
    out[mask > 0] = 255
    return out


def _crop(img, box):
    """The box's pixels, straightened, with a white margin. Unlike the library's crop, a box is turned only
    when it is a vertical line of text (three times taller than wide): a lone "0" stays upright."""
    import cv2
    import numpy as np

    pts = np.array(box, dtype=np.float32)
    w = int(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3])))
    h = int(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))
    w, h = max(w, 2), max(h, 2)
    m = cv2.getPerspectiveTransform(pts, np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32))
    out = cv2.warpPerspective(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    if h >= 3 * w:
        out = np.rot90(out)
    pad = max(2, int(min(out.shape[:2]) * 0.12))
    return np.pad(out, pad, mode="constant", constant_values=255)


def _hw(box) -> float:
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    return (max(ys) - min(ys)) / max(1.0, max(xs) - min(xs))


DIGITS = "0123456789.-—"
CELL_BATCH = 1
CELL_MIN_RATIO = 2.0  # narrow crops are padded to this width/height only: faster, and surer on lone digits


def read_cells(eng, crops) -> list[tuple[str, float, str, float, tuple[str, ...]]]:
    """Read table-cell crops twice: with every character, and with digits only (the recogniser's scores
    renormalised over 0-9 . - —). Returns per crop (text, score, digits, least digit probability, other
    digit readings: each uncertain position given its runner-up)."""
    import cv2
    import numpy as np

    rec = eng.text_rec
    chars = rec.postprocess_op.character
    allowed = np.array([0] + [i for i, c in enumerate(chars) if c in DIGITS])
    norms = []
    for crop in crops:
        img = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR) if crop.ndim == 2 else crop
        h, w = img.shape[:2]
        norms.append(rec.resize_norm_img(img, max(w / h, CELL_MIN_RATIO)).astype(np.float32))
    # crops of one shape (short numbers all pad to 320 px) go through the recogniser together
    preds_of: dict[int, np.ndarray] = {}
    by_shape: dict[tuple, list[int]] = {}
    for k, n in enumerate(norms):
        by_shape.setdefault(n.shape, []).append(k)
    for ks in by_shape.values():
        for b in range(0, len(ks), CELL_BATCH):
            part = ks[b:b + CELL_BATCH]
            batch = rec.session(np.stack([norms[k] for k in part]))[0]
            for k, pr in zip(part, batch):
                preds_of[k] = pr
    out = []
    upright = np.array([0] + [i for i, c in enumerate(chars) if c in DIGITS and c not in "-—"])
    for k in range(len(crops)):
        # a dash is flat: ink that stands taller is a digit ("1" read as "-" with 0.56), never a blank mark
        flat = _digit_room(crops[k]) > 1.4
        full_text, full_score, digits, least, alts = _decode(rec, preds_of[k], chars, allowed if flat else upright)
        wide = _digit_room(crops[k])
        if digits and re.fullmatch(r"[\d.,]+", digits) and wide >= len(re.sub(r"\D", "", digits)) + 0.8:
            # more room than digits: a doubled digit may have collapsed ("77" read "7"); read it stretched
            img = cv2.cvtColor(crops[k], cv2.COLOR_GRAY2BGR) if crops[k].ndim == 2 else crops[k]
            h, w = img.shape[:2]
            wider = cv2.resize(img, (int(w * 1.8), h), interpolation=cv2.INTER_CUBIC)
            norm = rec.resize_norm_img(wider, max(wider.shape[1] / h, CELL_MIN_RATIO)).astype(np.float32)
            again = _decode(rec, rec.session(norm[np.newaxis])[0][0], chars, allowed if flat else upright)[2]
            if again and again != digits and re.fullmatch(r"[\d.,]+", again):
                fits = sorted((digits, again), key=lambda d: abs(len(re.sub(r"\D", "", d)) - wide))
                digits, alts, least = fits[0], tuple(dict.fromkeys((fits[1], *alts))), min(least, 0.5)
        out.append((full_text, full_score, digits, least, alts))
    return out


def _digit_room(crop) -> float:
    """How many digits the crop's ink is wide enough for (a digit is about 0.55 of its height wide)."""
    import numpy as np

    g = crop if crop.ndim == 2 else crop.mean(axis=2)
    ink = g < 128
    rows = np.where(ink.any(axis=1))[0]
    cols = np.where(ink.any(axis=0))[0]
    if not len(rows) or not len(cols):
        return 0.0
    return (cols[-1] - cols[0] + 1) / max(1.0, 0.55 * (rows[-1] - rows[0] + 1))


def _decode(rec, preds, chars, allowed) -> tuple[str, float, str, float, tuple[str, ...]]:
    """One crop's recogniser output read twice: every character, and digits only (with probabilities)."""
    import numpy as np

    full = rec.postprocess_op(preds[np.newaxis])[0]
    p = preds[:, allowed]
    idx = p.argmax(axis=1)
    q = p[:, 1:] / np.maximum(p[:, 1:].sum(axis=1, keepdims=True), 1e-9)  # among the digits only
    text: list[str] = []
    probs: list[float] = []
    swaps: list[tuple[int, str, float]] = []
    prev = 0
    for t, i in enumerate(idx):
        if i != 0 and i != prev:
            order = np.argsort(q[t])[::-1]
            second = order[1] if order[0] == i - 1 else order[0]
            swaps.append((len(text), chars[allowed[second + 1]], float(q[t, second])))
            text.append(chars[allowed[i]])
            probs.append(float(q[t, i - 1]))
        prev = i
    digits = "".join(text)
    core = digits.strip(".,")  # a number neither starts nor ends with a point: a speck at the edge
    if core != digits and re.search(r"\d", core):
        lead = len(digits) - len(digits.lstrip(".,"))
        probs = probs[lead:lead + len(core)]
        swaps = [(pos - lead, alt, pr) for pos, alt, pr in swaps if lead <= pos < lead + len(core)]
        digits = core
    least = min(probs, default=1.0)
    alts = []
    for pos, alt, pr in sorted(swaps, key=lambda x: -x[2]):
        if pr >= 0.05:
            alts.append(digits[:pos] + alt + digits[pos + 1:])
    return full[0], float(full[1]), digits, least, tuple(alts[:3])


def _worker_main() -> None:
    """Serve OCR requests on stdin/stdout (length-prefixed pickles) until stdin closes."""
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the libraries print goes to stderr, never into the protocol
    inp = sys.stdin.buffer
    eng = _engine()
    _send(proto_out, ("ready", None))
    while True:
        try:
            kind, payload = _recv(inp)
        except EOFError:
            return
        try:
            result = ocr_oriented(eng, payload) if kind == "page" else read_cells(eng, payload)
            _send(proto_out, ("ok", result))
        except Exception as e:  # noqa: BLE001 — reported to the caller, which names the file and page
            _send(proto_out, ("error", f"{type(e).__name__}: {e}"))


class PageTimeout(Exception):
    pass


class _Worker:
    def __init__(self):
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, ORT_DISABLE_TELEMETRY="1")
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "") if env.get("PYTHONPATH") else root
        self.proc = subprocess.Popen([sys.executable, "-c", _WORKER_CODE], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env)
        self._wait(max(PAGE_SECONDS, 120))  # the "ready" message: the models are loaded

    def _wait(self, timeout: float):
        assert self.proc.stdout is not None
        if not select.select([self.proc.stdout], [], [], timeout)[0]:
            self.kill()
            raise PageTimeout
        try:
            status, value = _recv(self.proc.stdout)
        except EOFError:
            self.kill()
            raise RuntimeError("the OCR worker stopped") from None
        if status == "error":
            raise RuntimeError(value)
        return value

    def ask(self, kind: str, payload, timeout: float):
        _send(self.proc.stdin, (kind, payload))
        return self._wait(timeout)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


_worker: _Worker | None = None
_lock = threading.Lock()


def _ask(kind: str, payload, timeout: float | None = None):
    """Run one request ("page": a grey image; "cells": crops) in the worker process; raise PageTimeout past the
    time limit (the worker is then killed and restarted on the next request)."""
    global _worker
    with _lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        try:
            return _worker.ask(kind, payload, PAGE_SECONDS if timeout is None else timeout)
        except (PageTimeout, RuntimeError, OSError):
            if _worker is not None:
                _worker.kill()
            _worker = None
            raise


def shutdown() -> None:
    """Stop the OCR worker (it also stops by itself when this process ends: its stdin closes)."""
    global _worker
    with _lock:
        if _worker is not None:
            try:
                if _worker.proc.stdin is not None:
                    _worker.proc.stdin.close()
                _worker.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                _worker.kill()
            _worker = None


def available() -> bool:
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


# ---------------------------------------------------------------- page images

def straighten(gray):
    """Return (image, degrees): the page rotated so that its lines of ink are horizontal (|skew| ≤ 5°)."""
    import cv2
    import numpy as np

    h, w = gray.shape
    scale = 1000 / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    if ink.sum() < 50:
        return gray, 0.0
    c = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(deg: float) -> float:
        m = cv2.getRotationMatrix2D(c, deg, 1.0)
        rot = cv2.warpAffine(ink, m, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        prof = rot.sum(axis=1)
        return float((prof ** 2).sum())

    best = max(np.arange(-5, 5.01, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=sharpness)
    if abs(best) < 0.15:
        return gray, 0.0
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(best), 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), float(best)


@dataclass
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float
    digits: str = ""  # the same box read digits only
    least: float = 1.0  # the least probability of those digits
    readings: tuple[str, ...] = ()  # other digit readings

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


def _boxes(res) -> list[_Box]:
    out = []
    for pts, text, score, *digit_reading in res:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        if text.strip():
            out.append(_Box(min(xs), min(ys), max(xs), max(ys), text.strip(), score, *digit_reading))
    return out


@dataclass
class _Table:
    x0: int
    y0: int
    x1: int
    y1: int
    ys: list[float]
    xs: list[float]
    anchor: dict  # (i, j) → (i0, j0): the first grid position of the merged cell holding (i, j)


def _cluster(values: list[tuple[float, float, float]], tol: float) -> list[tuple[float, list]]:
    """Group segments (position, a, b) whose positions are within tol; return (mean position, [(a, b)])."""
    out: list[tuple[float, list]] = []
    for pos, a, b in sorted(values):
        if out and pos - out[-1][0] <= tol:
            p, segs = out[-1]
            segs.append((a, b))
            out[-1] = ((p * (len(segs) - 1) + pos) / len(segs), segs)
        else:
            out.append((pos, [(a, b)]))
    return out


def _covered(segs: list[tuple[float, float]], a: float, b: float) -> float:
    """Fraction of [a, b] covered by the union of segments."""
    if b <= a:
        return 0.0
    total = 0.0
    cur = a
    for s, e in sorted(segs):
        s, e = max(s, cur), min(e, b)
        if e > s:
            total += e - s
            cur = e
    return total / (b - a)


def _find(parent: dict, a):
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def _union(parent: dict, a, b) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def find_tables(gray, unit: float) -> list[_Table]:
    """Ruled tables of a straightened page: grid lines, and merged cells where a rule is missing."""
    import cv2
    import numpy as np

    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    hk = max(15, int(unit * 3))
    vk = max(10, int(unit * 1.3))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    # bridge small breaks in scanned rules
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))

    def segments(mask, horizontal: bool):
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        out = []
        for x, y, w, h, _ in stats[1:n]:
            if horizontal and w >= hk:
                out.append((y + h / 2, float(x), float(x + w)))
            elif not horizontal and h >= vk:
                out.append((x + w / 2, float(y), float(y + h)))
        return out

    hsegs, vsegs = segments(horiz, True), segments(vert, False)
    both = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    tables = []
    tol = max(4.0, unit * 0.45)
    for x, y, w, h, _ in stats[1:n]:
        if w < unit * 5 or h < unit * 1.5:
            continue
        hs = [s for s in hsegs if y - 3 <= s[0] <= y + h + 3 and s[1] >= x - 3 and s[2] <= x + w + 3]
        vs = [s for s in vsegs if x - 3 <= s[0] <= x + w + 3 and s[1] >= y - 3 and s[2] <= y + h + 3]
        hc, vc = _cluster(hs, tol), _cluster(vs, tol)
        # a table cut by the page edge has no closing rule: its vertical rules end there
        if hc and y + h - hc[-1][0] > unit * 0.6:
            hc.append((float(y + h), [(float(x), float(x + w))]))
        if hc and hc[0][0] - y > unit * 0.6:
            hc.insert(0, (float(y), [(float(x), float(x + w))]))
        if len(hc) < 2 or len(vc) < 2:
            continue
        ys = [p for p, _ in hc]
        xs = [p for p, _ in vc]
        nr, nc = len(ys) - 1, len(xs) - 1
        parent = {(i, j): (i, j) for i in range(nr) for j in range(nc)}
        pad = tol
        for i in range(nr):
            for j in range(nc):
                if i + 1 < nr and _covered(hc[i + 1][1], xs[j] + pad, xs[j + 1] - pad) < 0.5:
                    _union(parent, (i, j), (i + 1, j))
                if j + 1 < nc and _covered(vc[j + 1][1], ys[i] + pad, ys[i + 1] - pad) < 0.5:
                    _union(parent, (i, j), (i, j + 1))
        anchor = {key: _find(parent, key) for key in parent}
        # the anchor of a merged cell is its top-left position
        groups: dict = {}
        for key, root in anchor.items():
            groups.setdefault(root, []).append(key)
        for members in groups.values():
            top = min(members)
            for m in members:
                anchor[m] = top
        tables.append(_Table(int(x), int(y), int(x + w), int(y + h), ys, xs, anchor))
    return tables


_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "u": "0", "C": "0", "c": "0",
                            "l": "1", "I": "1", "|": "1", "!": "1",
                            "i": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "．": ".", "，": ","})
_NUMERIC_LIKE = re.compile(r"[0-9OoDQUuCclIi|!SsBZz.．,，]+")
_BLANK_LIKE = {"一", "－", "-", "_", "—", "——", "一一", "~", "/", "／"}


def _number_cell(text: str) -> tuple[str, bool]:
    """Normalise a table cell that holds a number: (text, True if look-alike letters were replaced)."""
    t = unicodedata.normalize("NFKC", text).replace(" ", "")  # "Ⅱ" → "II", full-width digits → digits
    if t in _BLANK_LIKE:
        return "—", False
    if _NUMERIC_LIKE.fullmatch(t) and (any(c.isdigit() for c in t) or len(t) <= 2):
        fixed = t.translate(_LOOKALIKE)
        return fixed, fixed != t
    return text, False


def _lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Group boxes into lines: a box joins a line when their vertical extents overlap by half."""
    lines: list[list[_Box]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        for line in lines[-3:]:
            top = min(x.y0 for x in line)
            bot = max(x.y1 for x in line)
            overlap = min(bot, b.y1) - max(top, b.y0)
            if overlap > 0.5 * min(b.h, bot - top):
                line.append(b)
                break
        else:
            lines.append([b])
    for line in lines:
        line.sort(key=lambda b: b.x0)
    lines.sort(key=lambda ln: min(b.y0 for b in ln))
    return lines


def _join_line(line: list[_Box], unit: float) -> tuple[str, list[tuple[int, int, _Box]]]:
    """One text line from its boxes: a gap wider than a character becomes a tab. Returns (text, box offsets)."""
    text = ""
    where = []
    prev = None
    for b in line:
        if prev is not None:
            gap = b.x0 - prev.x1
            text += "\t" if gap > 0.9 * unit else ("" if _cjk_edge(prev.text[-1], b.text[0]) else " ")
        where.append((len(text), len(text) + len(b.text), b))
        text += b.text
        prev = b
    return text, where


def _cjk_edge(a: str, b: str) -> bool:
    return bool(re.match(r"[\u3000-\u9fff\uff00-\uffef]", a) or re.match(r"[\u3000-\u9fff\uff00-\uffef]", b))


@dataclass
class _PageText:
    text: str
    doubts: list[tuple[int, int, tuple[str, ...], float, str]]  # offsets in the page text


def layout(gray, res, reread=None) -> _PageText:
    """Rebuild a page's text from OCR boxes: ruled tables as tab-separated rows, other text as lines.

    reread(crops) → read_cells results: table cells that hold a number (or ink that no box covered) are
    read again one by one, digits only, from their own crop."""
    boxes = _boxes(res)
    if not boxes:
        return _PageText("", [])
    heights = sorted(b.h for b in boxes)
    unit = max(8.0, heights[len(heights) // 2])
    tables = find_tables(gray, unit)
    blocks: list[tuple[float, str, list]] = []  # (top, text, doubts in block offsets)
    free = []
    inside: dict[int, list[_Box]] = {}
    for b in boxes:
        for k, t in enumerate(tables):
            if t.x0 <= b.cx <= t.x1 and t.y0 <= b.cy <= t.y1:
                inside.setdefault(k, []).append(b)
                break
        else:
            free.append(b)
    for line in _lines(free):
        text, where = _join_line(line, unit)
        doubts = []
        for s, _, b in where:
            for m in re.finditer(r"\d+", b.text):
                if b.score < LOW_SCORE:
                    doubts.append((s + m.start(), s + m.end(), (m.group(),), b.score, "low confidence"))
        blocks.append((min(b.y0 for b in line), text, doubts))
    for k, t in enumerate(tables):
        text, doubts = _table_text(gray, t, inside.get(k, []), unit, reread)
        if text:
            blocks.append((t.y0, text, doubts))
    blocks.sort(key=lambda x: x[0])
    out = ""
    all_doubts: list[tuple[int, int, tuple[str, ...], float, str]] = []
    for _, text, doubts in blocks:
        if out:
            out += "\n"
        all_doubts += [(s + len(out), e + len(out), r, sc, why) for s, e, r, sc, why in doubts]
        out += text
    return _PageText(out, all_doubts)


DIGIT_SURE = 0.9  # a digit read with less probability (among digits) than this is doubtful


def _contrast(crop, paper: float | None = None):
    """Stretch a grey crop so that its darkest ink is black and its paper white (faint print reads better)."""
    import numpy as np

    if crop.size == 0:
        return crop
    lo = float(np.percentile(crop, 2))
    hi = float(np.median(crop)) if paper is None else paper
    if hi - lo < 30:
        return crop
    out = (crop.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.clip(out, 0, 255).astype(np.uint8)


def _cell_crop(gray, t: _Table, members: list[tuple[int, int]], unit: float):
    """The ink of a (merged) cell, cut with a white margin; None when the cell is empty."""
    import cv2
    import numpy as np

    i0 = min(i for i, _ in members)
    i1 = max(i for i, _ in members) + 1
    j0 = min(j for _, j in members)
    j1 = max(j for _, j in members) + 1
    m = max(3, int(unit * 0.15))
    y0, y1 = int(t.ys[i0]) + m, int(t.ys[i1]) - m
    x0, x1 = int(t.xs[j0]) + m, int(t.xs[j1]) - m
    if y1 - y0 < 4 or x1 - x0 < 4:
        return None
    region = gray[y0:y1, x0:x1]
    # ink: clearly darker than this cell's paper (a thin "1" of a small font scanned at 150 dpi is grey)
    paper = float(np.median(region))
    ink = (region < min(150, paper - 45)).astype(np.uint8)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 1), np.uint8))  # grain specks are single pixels
    rows = np.where(ink.sum(axis=1) > 0)[0]
    cols = np.where(ink.sum(axis=0) > 0)[0]
    if ink.sum() < max(6, unit * unit * 0.01) or not len(rows):
        return None
    cy0, cy1, cx0, cx1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    crop = _contrast(region[cy0:cy1, cx0:cx1], paper)
    pad = max(4, int((cy1 - cy0) * 0.35))
    return np.pad(crop, pad, mode="constant", constant_values=255)


_LABELS: list[tuple[str, str]] = []  # (label without punctuation, label as printed)
_PATTERNS: list[str] = []


def _template_label(text: str) -> str:
    """A row label one or two misread characters away from the template's wording gets the template's wording
    ("（一）子以公开" → "（一）予以公开"); a label that already names a template row is kept as read."""
    import difflib

    from index import template as T

    core = re.sub(r"[^\u4e00-\u9fff]", "", text)
    if len(core) < 3:
        return text
    if not _LABELS:
        specs = (*T.T2_2019, *T.T2_2021, *T.T3_2019, *T.T3_2021)
        for spec in specs:
            for lab in (spec.label, spec.group):
                if lab and all(lab != x for _, x in _LABELS):
                    _LABELS.append((re.sub(r"[^\u4e00-\u9fff]", "", lab), lab))
            _PATTERNS.extend(spec.patterns)
    if any(pt in core for pt in _PATTERNS if len(pt) >= 2):
        return text
    best, ratio = None, 0.0
    for plain, lab in _LABELS:
        if abs(len(plain) - len(core)) > 1:
            continue
        r = difflib.SequenceMatcher(None, core, plain).ratio()
        if r > ratio:
            best, ratio = lab, r
    if best is None or ratio < 0.75:
        return text
    return best


def _enumerator(text: str) -> str:
    """Put back the point of a row enumerator that OCR dropped ("1属于国家秘密" → "1.属于国家秘密")."""
    return re.sub(r"^(\d)\s*[,，、:：]?\s*(?=[\u4e00-\u9fff])", r"\1.", text)


def _numberish(text: str) -> bool:
    t = text.replace(" ", "")
    if t in ("三", "二", "口", "〇", "日", "目"):
        return True  # "111", "11", "0" read as Chinese characters
    if len(t) <= 2 and not re.search(r"[\u4e00-\u9fff]", t):
        return True  # a lone mark ('"', "°", "o"): a small digit misread by the every-character pass
    return t == "" or t in _BLANK_LIKE or bool(_NUMERIC_LIKE.fullmatch(t)) or bool(
        re.fullmatch(r"[0-9０-９.．,，OoDQlIi|!SsBZzCc]+", t))


def _table_text(gray, t: _Table, boxes: list[_Box], unit: float, reread=None) -> tuple[str, list]:
    """A ruled table as tab-separated rows (a merged cell's text in its first row), with doubtful numbers."""
    import bisect

    nr, nc = len(t.ys) - 1, len(t.xs) - 1
    cells: dict[tuple[int, int], list[_Box]] = {}
    for b in boxes:
        i = min(max(bisect.bisect(t.ys, b.cy) - 1, 0), nr - 1)
        j = min(max(bisect.bisect(t.xs, b.cx) - 1, 0), nc - 1)
        cells.setdefault(t.anchor[(i, j)], []).append(b)
    members: dict[tuple[int, int], list] = {}
    for key, anc in t.anchor.items():
        members.setdefault(anc, []).append(key)
    texts: dict[tuple[int, int], str] = {}
    marks: dict[tuple[int, int], tuple] = {}
    todo, crops = [], []
    results: dict[tuple[int, int], tuple] = {}
    for anc in sorted(members):
        bs = cells.get(anc, [])
        text = "".join(b.text for line in _lines(bs) for b in line)
        texts[anc] = text
        score = min((b.score for b in bs), default=1.0)
        if len(bs) == 1 and re.search(r"\d", bs[0].digits) and _numberish(text):
            # one box: its digits-only reading is at hand
            b = bs[0]
            results[anc] = (b.text, b.score, b.digits, b.least, b.readings)
            continue
        if reread is not None and _numberish(text):
            crop = _cell_crop(gray, t, members[anc], unit)
            if crop is not None:
                todo.append(anc)
                crops.append(crop)
                continue
        fixed, replaced = _number_cell(_template_label(_enumerator(text)))
        texts[anc] = fixed
        if (replaced or score < LOW_SCORE) and re.search(r"\d", fixed):
            marks[anc] = ((fixed,), score, "look-alike letters" if replaced else "low confidence")
    if crops:
        results.update(zip(todo, reread(crops)))
    for anc, (full, _, digits, least, alts) in results.items():
        if not texts[anc] and not _numberish(full):
            continue  # ink that is not a number (a stamp, a stroke of a header): left as it was
        first = texts[anc] or full
        if not digits or digits.strip("-—") == "" or not re.search(r"\d", digits):
            if digits.strip("-—") == "" and (digits or first.strip() in _BLANK_LIKE):
                texts[anc] = "—"
                continue
            fixed, replaced = _number_cell(first)
            texts[anc] = fixed
            if replaced and re.search(r"\d", fixed):  # a letter taken for a digit: the identities must vouch
                marks[anc] = ((fixed,), 0.5, "look-alike letters")
            continue
        texts[anc] = digits
        plain = unicodedata.normalize("NFKC", _number_cell(first)[0]).strip(".,") if first else ""
        if least < DIGIT_SURE or (plain and plain.replace(",", "") != digits.replace(",", "")):
            readings = tuple(dict.fromkeys([digits, *alts, *([plain] if plain and plain != digits else [])]))
            marks[anc] = (readings, least, "low confidence" if least < DIGIT_SURE else "two readings")
    out_lines = []
    doubts = []
    offset = 0
    for i in range(nr):
        row = [texts[(i, j)] if t.anchor[(i, j)] == (i, j) else None for j in range(nc)]
        lines = grid_lines([row])
        if not lines:
            continue
        line = lines[0]
        pos = 0
        for j, cell in enumerate(line.split("\t")):
            mark = marks.get((i, j)) if t.anchor.get((i, j)) == (i, j) else None
            if mark is not None and cell:
                doubts.append((offset + pos, offset + pos + len(cell), mark[0], mark[1], mark[2]))
            pos += len(cell) + 1
        out_lines.append(line)
        offset += len(line) + 1
    return "\n".join(out_lines), doubts


# ---------------------------------------------------------------- files

def _gray(pil_img):
    import numpy as np

    return np.asarray(pil_img.convert("L"), dtype=np.uint8)


def _blank(gray) -> bool:
    """A page with (almost) no dark ink: nothing for the OCR to read."""
    import cv2

    h, w = gray.shape
    scale = 800 / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    return float((small < 140).mean()) < 0.0004


def read_page(gray, name: str = "", page: int = 1) -> tuple[_PageText, dict]:
    """OCR one grey page image; return its text and what was done (angle, turns, seconds)."""
    t0 = time.perf_counter()
    if _blank(gray):
        return _PageText("", []), {"angle": 0.0, "quarter": 0, "seconds": time.perf_counter() - t0}
    straight, angle = straighten(gray)
    try:
        res, quarter = _ask("page", straight)
        if quarter:
            import numpy as np

            straight = np.ascontiguousarray(np.rot90(straight, k=quarter))

        def reread(crops):
            return _ask("cells", crops, max(5.0, PAGE_SECONDS - (time.perf_counter() - t0)))

        pt = layout(straight, res, reread)
    except PageTimeout:
        raise ReportError(name, f"OCR of page {page} took longer than {PAGE_SECONDS:.0f} s",
                          "raise GONGKAI_OCR_PAGE_SECONDS, or check the scan", page=page) from None
    except RuntimeError as e:
        raise ReportError(name, f"OCR failed on page {page} ({e})", "check the scan", page=page) from None
    return pt, {"angle": angle, "quarter": quarter, "seconds": time.perf_counter() - t0}


def _assemble(path: str, fmt: str, pages, n: int) -> ScannedDocument:
    """OCR page images (an iterator of grey arrays) into one ScannedDocument."""
    name = Path(path).name
    texts, starts, doubts, secs, notes = [], [], [], [], []
    offset = 0
    for k, gray in enumerate(pages, 1):
        pt, info = read_page(gray, path, k)
        starts.append(offset)
        texts.append(pt.text)
        doubts += [Doubt(offset + s, offset + e, r, sc, why) for s, e, r, sc, why in pt.doubts]
        offset += len(pt.text) + 1
        secs.append(info["seconds"])
        if info["quarter"]:
            notes.append(f"page {k} was scanned {'upside down' if info['quarter'] == 2 else 'sideways'}; "
                         "read turned")
        if progress is not None:
            progress(name, k, n, info["seconds"])
    text = "\n".join(texts)
    if not text.strip():
        raise ReportError(path, f"no text found on the scanned page{'s' if n > 1 else ''} (a blank scan?)",
                          "check that the scan shows the report")
    return ScannedDocument(path=path, fmt=fmt, text=text, page_starts=starts, doubts=doubts, page_seconds=secs,
                           notes=notes)


def _need_ocr(path: str, why: str) -> None:
    if not available():
        raise NoTextLayer(path, f"{why} and the OCR package is not installed",
                          "install rapidocr_onnxruntime (make install does), or run OCR on it (e.g. ocrmypdf) "
                          "and ingest the OCR'd PDF")


def read_scanned_pdf(p: Path, why: str = "the PDF has no text layer (scanned images)") -> ScannedDocument:
    """OCR every page of a PDF (rendered at OCR_DPI with pypdfium2); the page cap is checked first."""
    import pypdfium2 as pdfium

    _need_ocr(str(p), why)
    try:
        doc = pdfium.PdfDocument(str(p))
    except Exception as e:  # noqa: BLE001 — pdfium's errors: damaged or encrypted
        raise ReportError(str(p), f"cannot render the scanned PDF ({type(e).__name__})",
                          "download the report again") from None
    try:
        n = len(doc)
        if n > MAX_PDF_PAGES:
            raise ReportError(str(p), f"the PDF has {n} pages (limit {MAX_PDF_PAGES}); an annual report has "
                              "fewer than 30", "check the file, or raise GONGKAI_MAX_PDF_PAGES")

        def pages():
            for i in range(n):
                page = doc[i]
                w, h = page.get_size()
                scale = OCR_DPI / 72
                if w * h * scale * scale > MAX_IMAGE_PIXELS:
                    scale = (MAX_IMAGE_PIXELS / (w * h)) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                img = bitmap.to_pil()
                page.close()
                yield _gray(img)

        return _assemble(str(p), "pdf", pages(), n)
    finally:
        doc.close()


def read_image(p: Path) -> ScannedDocument:
    """OCR a page image (PNG or JPEG; the camera's orientation tag is applied)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    _need_ocr(str(p), "the file is a page image")
    Image.MAX_IMAGE_PIXELS = None  # checked below, without decoding
    try:
        with Image.open(p) as im:
            w, h = im.size
            if w * h > MAX_IMAGE_PIXELS:
                raise ReportError(str(p), f"the image is {w}×{h} pixels (limit {MAX_IMAGE_PIXELS // 10**6} "
                                  "megapixels)", "scan at 300 dpi, or raise GONGKAI_OCR_MAX_MEGAPIXELS")
            im.load()
            img = ImageOps.exif_transpose(im)
            gray = _gray(img)
    except ReportError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise ReportError(str(p), f"not a readable image ({type(e).__name__})", "export the page again as PNG "
                          "or JPEG") from None
    return _assemble(str(p), "image", iter([gray]), 1)


# ---------------------------------------------------------------- garbage text layers

_PRIVATE = re.compile(r"[\ue000-\uf8ff\ufffd]|\(cid:\d+\)")
_GOOD = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef0-9A-Za-z\s.,:;()%/\-—“”‘’《》、]")


def garbage_text(text: str) -> str | None:
    """Return why a text layer is garbage (private-use glyphs, unmapped CIDs, mojibake), else None."""
    t = re.sub(r"\s+", "", text)
    if len(t) < 20:
        return None
    private = len(_PRIVATE.findall(t))
    if private > 0.1 * len(t):
        return "private-use glyphs or unmapped font codes"
    good = len(_GOOD.findall(t))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", t))
    if good < 0.7 * len(t):
        return "mojibake (characters that are not Chinese text)"
    if cjk < 0.05 * len(t) and not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", text):
        return "no Chinese text and no words"
    return None


# ---------------------------------------------------------------- identities vouch for OCR'd numbers

def _identities(report):
    """Every template identity of the report as (name, printed key, [(sign, key)])."""
    from index import template as T

    keys3 = {f.key.split(".")[0] for f in report.facts if f.table == "table3"}
    order = [s.key for s in (*T.T3_2019, *T.T3_2021)]
    sub = sorted((k for k in keys3 if k not in ("new", "carried_over", "total", "carry_forward")), key=order.index)
    out = []
    for c in T.T3_COLUMNS:
        out.append((f"table3 {c}: 一+二 = 七+四", [(1, f"table3.new.{c}"), (1, f"table3.carried_over.{c}"),
                                                 (-1, f"table3.total.{c}"), (-1, f"table3.carry_forward.{c}")]))
        out.append((f"table3 {c}: 七 = sum of results", [(1, f"table3.total.{c}")]
                    + [(-1, f"table3.{k}.{c}") for k in sub]))
    for k in keys3:
        out.append((f"table3 {k}: row total", [(1, f"table3.{k}.total")]
                    + [(-1, f"table3.{k}.{c}") for c in T.T3_COLUMNS[:6]]))
    for g, _ in T.T4_GROUPS:
        out.append((f"table4 {g}: total", [(1, f"table4.{g}.total")]
                    + [(-1, f"table4.{g}.{c}") for c in T.T4_COLUMNS[:4]]))
    return out


def _num(f):
    from decimal import Decimal

    if f is None:
        return None
    if f.value is None:
        return 0
    return f.value if isinstance(f.value, (int, Decimal)) else None


def _cell_doubts(report, doc: ScannedDocument) -> dict[str, Doubt]:
    """Map fact keys to the OCR doubt on their printed number (when the row's numbers line up with its cells)."""
    from index import template as T

    by_row: dict[tuple, list] = {}
    for f in report.facts:
        by_row.setdefault((f.table, f.span.start, f.span.end), []).append(f)
    out = {}
    text = report.text
    for (table, s, e), facts in by_row.items():
        doubts = [d for d in doc.doubts if s <= d.start < e]
        if not doubts:
            continue
        toks = [(m.start() + s, m.end() + s) for m in re.finditer(r"\d+(?:[.,]\d+)*|—", text[s:e])]
        if table == "table4":
            order = [f"{g}.{c}" for g, _ in T.T4_GROUPS for c in T.T4_COLUMNS]
            facts = sorted(facts, key=lambda f: order.index(f.key) if f.key in order else 99)
        if len(toks) < len(facts):
            continue
        toks = toks[-len(facts):] if table != "table4" else toks[:len(facts)]
        for f, (ts, te) in zip(facts, toks):
            for d in doubts:
                if d.start <= ts < d.end or ts <= d.start < te:
                    out[f.full_key] = d
    return out


def _digits(s: str) -> str:
    return re.sub(r"[^\d.]", "", s or "")


def _one_slip(read: str, implied: str) -> bool:
    """True when one OCR slip turns `read` into `implied`: a digit changed, dropped or added."""
    if read == implied or abs(len(read) - len(implied)) > 1:
        return False
    if len(read) == len(implied):
        return sum(a != b for a, b in zip(read, implied)) == 1
    short, long_ = sorted((read, implied), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def vouch(report, doc) -> None:
    """Flag OCR'd cells the template's identities cannot vouch for (in place): `ambiguous`, with readings.

    A failing identity suspects the cells that one OCR slip (a digit changed, dropped or doubled) away from
    the value it implies would satisfy it; where a suspect sits in two failing identities (its row and its
    column) it alone is flagged. An identity that no single slip can mend was printed that way: the audit
    carries it, as for any report, and no cell is flagged for it. A doubtful reading (low digit probability,
    the two readings disagree) is kept clean only when an identity holding it passes."""
    if not isinstance(doc, ScannedDocument) or not report.facts:
        return
    facts = {f.full_key: f for f in report.facts}
    doubts = _cell_doubts(report, doc)
    ids = _identities(report)
    failing: list[tuple[str, list, int]] = []
    passing: list[tuple[str, list, int]] = []
    for name, terms in ids:
        vals = [_num(facts.get(k)) for _, k in terms]
        if any(v is None for v in vals) or len(terms) < 2:
            continue
        total = sum(s * v for (s, _), v in zip(terms, vals))
        (failing if total != 0 else passing).append((name, terms, total))
    suspects: list[dict[str, str]] = []  # per failing identity: suspect cell → the value that mends it
    for _, terms, total in failing:
        cand = {}
        for s, k in terms:
            implied = _num(facts[k]) - s * total
            if implied >= 0 and (k in doubts or _one_slip(_digits(facts[k].raw), _digits(str(implied)))):
                cand[k] = str(implied)
        suspects.append(cand)
    count: dict[str, int] = {}
    for cand in suspects:
        for k in cand:
            count[k] = count.get(k, 0) + 1
    flag: dict[str, list[str]] = {}
    for cand in suspects:
        strong = [k for k in cand if count[k] >= 2]
        for k in strong or cand:
            flag.setdefault(k, [])
            if cand[k] not in flag[k]:
                flag[k].append(cand[k])
    # a blank among numbers: the OCR may have missed a small "0" (a blank and a 0 satisfy the same identities)
    rows: dict[tuple, list] = {}
    for f in report.facts:
        if f.table in ("table3", "table4"):
            rows.setdefault((f.table, f.span.start, f.span.end), []).append(f)
    for cells in rows.values():
        if any(c.value is not None for c in cells):
            for c in cells:
                if c.value is None:
                    flag.setdefault(c.full_key, [])
                    if "0" not in flag[c.full_key]:
                        flag[c.full_key].append("0")
    held = {k for _, terms, _ in passing for _, k in terms}
    for k, d in doubts.items():
        if k not in held:
            flag.setdefault(k, [])
            for r in d.readings[1:]:
                if r not in flag[k]:
                    flag[k].append(r)
    if not flag:
        return
    new = []
    for f in report.facts:
        if f.full_key in flag:
            alts = tuple(dict.fromkeys([*f.alternatives, *(a for a in flag[f.full_key] if a != f.raw)]))
            f = dataclasses.replace(f, ambiguous=True, alternatives=alts)
        new.append(f)
    report.facts = new
    report.warnings.append(f"OCR: {len(flag)} cell(s) not vouched for by the template's identities, flagged "
                           f"ambiguous: {', '.join(sorted(flag)[:12])}{' …' if len(flag) > 12 else ''}")
