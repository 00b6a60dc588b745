"""txt / md: detect UTF-8 (with or without BOM), UTF-16, GBK/GB18030; refuse binary."""

from __future__ import annotations

from pathlib import Path

from gongkai.errors import ReportError
from index.readers.base import Document


def decode(raw: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding) for report bytes; never drops undecodable bytes silently."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:4096]:
        # UTF-16 without BOM shows NULs in every other byte; anything else with NULs is binary
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                t = raw.decode(enc)
                if sum(ch.isprintable() or ch.isspace() for ch in t[:2000]) > 0.95 * min(len(t), 2000):
                    return t, enc
            except UnicodeDecodeError:
                pass
        raise ReportError(path, "this is a binary file, not text", "give the original PDF/DOCX/HTML report")
    for enc in ("utf-8", "gb18030"):
        try:
            t = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030":
            enc = "gbk" if _is_gbk(raw) else "gb18030"
        bad = sum(1 for ch in t[:5000] if not (ch.isprintable() or ch.isspace()))
        if bad > 0.02 * max(1, min(len(t), 5000)):
            raise ReportError(path, "the file does not look like text", "give the original PDF/DOCX/HTML report")
        return t, enc
    raise ReportError(path, "the text encoding is not UTF-8, UTF-16, GBK or GB18030",
                      "save the file as UTF-8 and ingest it again")


def _is_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gbk")
        return True
    except UnicodeDecodeError:
        return False


def read_text(p: Path, fmt: str) -> Document:
    text, enc = decode(p.read_bytes(), str(p))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Document(path=str(p), fmt=fmt, text=text, encoding=enc)
