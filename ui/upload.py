"""Uploads from the page (only with `gongkai serve --allow-upload`): copy safely, then ingest.

A file's user-given name is never used as a path: the copy goes to <data home>/uploads/<random id>/
under a cleaned stem (letters, digits, Chinese, '-', at most 40 characters; the stem becomes the report
id) and the original extension only if it is one the readers accept. Files over MAX_BYTES are refused.
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from index.readers import SUFFIXES

MAX_BYTES = 50 * 1024 * 1024
MAX_FILES = 20


@dataclass
class Saved:
    name: str  # the name the user gave (for messages only)
    path: Path | None  # the copy under uploads/, None when refused
    error: str = ""


def safe_name(original: str) -> str | None:
    """Return "<random id>/<cleaned stem><allowed suffix>", or None if the suffix is not allowed."""
    base = re.split(r"[\\/]", original)[-1]
    suffix = Path(base).suffix.lower()
    if suffix not in SUFFIXES:
        return None
    stem = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff-]+", "-", Path(base).stem).strip("-")[:40] or "upload"
    return f"{uuid.uuid4().hex}/{stem}{suffix}"


def save_uploads(files: list[tuple[str, str | Path]], home: Path) -> list[Saved]:
    """Copy (user name, temp path) pairs into home/uploads; return one Saved per file, refusals included."""
    folder = home / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Saved] = []
    for i, (name, tmp) in enumerate(files):
        if i >= MAX_FILES:
            out.append(Saved(name, None, f"最多一次上传 {MAX_FILES} 个文件 at most {MAX_FILES} files per upload"))
            continue
        tmp = Path(tmp)
        target = safe_name(name)
        if target is None:
            allowed = " ".join(sorted(SUFFIXES))
            out.append(Saved(name, None, f"不支持的文件类型 unsupported file type (allowed: {allowed})"))
            continue
        try:
            size = tmp.stat().st_size
        except OSError as e:
            out.append(Saved(name, None, f"无法读取 cannot read the upload: {e.strerror}"))
            continue
        if size > MAX_BYTES:
            out.append(Saved(name, None, f"文件过大 too large: {size / 1e6:.1f} MB > {MAX_BYTES // (1024 * 1024)} MB"))
            continue
        if size == 0:
            out.append(Saved(name, None, "空文件 empty file"))
            continue
        dest = folder / target
        dest.parent.mkdir()
        shutil.copyfile(tmp, dest)
        out.append(Saved(name, dest))
    return out
