"""The Answerer's view of the store: a light head per report, everything else read when a question needs it.

Holding every report with its text made opening a store, and its memory, grow with the store (+0.5 GB and
+2.5 s per 1,000 reports). Here the Answerer keeps only (id, agency, year) per report; a report's facts,
narrative figures and text are loaded through `FactStore.load` into a bounded LRU cache, and its
whitespace-free text is computed with it. The names a report prints that differ from its agency's name by
one character (an OCR'd 沐阳县) are derived once per report and kept beside the store in
`agency-names.json`, keyed by report id + sha256 + agency, so a new process does not read every text again.
The agency alias tables built from them are kept too (`agency-index.marshal`, keyed by the store's stamp, its
report heads and the code that derives aliases): a process opening an unchanged store reads neither every
report's sha256 nor the 5 MB of variants, and does not derive 10,000 agencies' aliases again (~1 s at 10,000).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.model import Report
from index.store import FactStore
from rag.agencies import _report_variants, variant_local

CACHE_SIZE = 256  # loaded reports kept (one agency's years are a handful; a scan over the store cycles through)
SIDECAR = "agency-names.json"
SIDECAR_VERSION = 1
INDEX_FILE = "agency-index.marshal"
INDEX_VERSION = 1
TEXT_FOR_VARIANTS = 20000  # characters of each report searched for printed name variants (as before)


class ReportCache:
    """Loaded reports and their whitespace-free text, the most recently used CACHE_SIZE of them; thread-safe."""

    def __init__(self, store: FactStore, size: int = CACHE_SIZE):
        self.store = store
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[Report, str]] = OrderedDict()

    def _entry(self, rid: str) -> tuple[Report, str] | None:
        with self._lock:
            got = self._items.get(rid)
            if got is not None:
                self._items.move_to_end(rid)
                return got
        r = self.store.load(rid, with_text=True)
        if r is None:
            return None
        got = (r, re.sub(r"\s+", "", r.text))
        with self._lock:
            self._items[rid] = got
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return got

    def get(self, rid: str) -> Report | None:
        """The stored report (facts, narrative, sections, text), or None when it is gone."""
        got = self._entry(rid)
        return got[0] if got else None

    def squeezed(self, rid: str) -> str | None:
        """The report's text without whitespace (PDF line breaks), for quote checks and term counts."""
        got = self._entry(rid)
        return got[1] if got else None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


if TYPE_CHECKING:  # a head stands in for its report wherever a report is read
    _HeadBase = Report
else:
    _HeadBase = object


class ReportHead(_HeadBase):
    """A stored report's id, agency and year; any other attribute is the loaded report's (through the cache).

    Lets code written for a list of reports walk the whole store and load only the reports it reads."""

    __slots__ = ("id", "agency", "year", "_cache")

    def __init__(self, rid: str, agency: str, year: int | None, cache: ReportCache):
        self.id, self.agency, self.year, self._cache = rid, agency, year, cache

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        r = self._cache.get(self.id)
        if r is None:  # deleted since the heads were read: an empty report answers nothing
            r = Report(id=self.id, source="", sha256="", fmt="", agency=self.agency, year=self.year,
                       template="", title="", text="")
        return getattr(r, name)

    def __repr__(self) -> str:
        return f"ReportHead({self.id!r}, {self.agency!r}, {self.year!r})"


class Reports(Mapping[str, Report]):
    """report id → report, in store order (agency, year); length and membership from the heads alone."""

    def __init__(self, heads: dict[str, ReportHead], cache: ReportCache):
        self._heads, self._cache = heads, cache

    def __getitem__(self, rid: str) -> Report:
        if rid not in self._heads:
            raise KeyError(rid)
        r = self._cache.get(rid)
        if r is None:
            raise KeyError(rid)
        return r

    def __iter__(self) -> Iterator[str]:
        return iter(self._heads)

    def __len__(self) -> int:
        return len(self._heads)

    def __contains__(self, rid: object) -> bool:
        return rid in self._heads


class Squeezed(Mapping[str, str]):
    """report id → its text without whitespace, computed when the report is loaded."""

    def __init__(self, heads: dict[str, ReportHead], cache: ReportCache):
        self._heads, self._cache = heads, cache

    def __getitem__(self, rid: str) -> str:
        got = self._cache.squeezed(rid) if rid in self._heads else None
        if got is None:
            raise KeyError(rid)
        return got

    def get(self, rid: str, default=None):
        got = self._cache.squeezed(rid) if rid in self._heads else None
        return default if got is None else got

    def __iter__(self) -> Iterator[str]:
        return iter(self._heads)

    def __len__(self) -> int:
        return len(self._heads)


def read_heads(store: FactStore) -> list[tuple[str, str, int | None]]:
    """(id, agency, year) of every ready report, in the order the store lists them (agency, then year)."""
    rows = [(rid, agency or "", year) for agency, year, rid in store.agencies()]
    # as SQLite's ORDER BY agency, year: NULL first, text by code point (= UTF-8 bytes); ties in stored order
    rows.sort(key=lambda x: (x[1], x[2] is not None, x[2] or 0))
    return rows


def _code_digest() -> str:
    """sha256 of the code that derives aliases (rag.agencies, rag.catalog, index.template): tables saved by other
    code are not reused."""
    import index.template
    import rag.agencies
    import rag.catalog

    h = hashlib.sha256()
    for mod in (rag.agencies, rag.catalog, index.template):
        try:
            h.update(Path(mod.__file__ or "").read_bytes())
        except OSError:
            h.update(os.urandom(16))  # unreadable source: never reuse
    return h.hexdigest()


class Variants(dict):
    """agency → its printed name variants, and (`aliases`) the alias tables saved for exactly these reports and
    this code, or None. `AgencyIndex` reuses `aliases` and hands what it built to `built()` to be saved."""

    def __init__(self, data, key: list, path: Path, aliases: dict | None = None):
        super().__init__(data)
        self.aliases, self._key, self._path = aliases, key, path

    def built(self, base: dict[str, dict[str, int]]) -> None:
        """Save the alias tables with their key (atomically: another process may be reading the file)."""
        tmp = self._path.with_name(f".{self._path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            state = {"version": INDEX_VERSION, "key": self._key, "aliases": base,
                     "variants": {a: sorted(v) for a, v in self.items()}}
            tmp.write_bytes(marshal.dumps(state))
            os.replace(tmp, self._path)
        except (OSError, ValueError):
            tmp.unlink(missing_ok=True)  # a read-only data folder: built again next time


class _LazyEnglish:
    """The sidecar's pinyin/English forms, read from the file only when a question first needs them."""

    def __init__(self, sidecar: NameSidecar):
        self._sidecar = sidecar

    def get(self, agency: str, default=None):
        return self._sidecar.english_forms.get(agency, default)

    def __setitem__(self, agency: str, value: dict) -> None:
        self._sidecar.english_forms[agency] = value


class NameSidecar:
    """Per-report printed name variants and per-agency pinyin/English forms, persisted in the data folder.

    The file is read only when needed: not at all when the saved alias tables fit the store (`variants()`), and
    its English forms on the first Latin question."""

    def __init__(self, home: Path):
        self.path = Path(home) / SIDECAR
        self.index_path = Path(home) / INDEX_FILE
        self._reports: dict[str, list] = {}  # report id → [sha256, agency, [variants]]
        self._english: dict[str, dict] = {}  # agency → {"of": [its aliases], "forms": {form: strength}}
        self._loaded = False
        self._load_lock = threading.Lock()
        self._saved = (0, 0)

    def _load(self) -> None:
        with self._load_lock:
            if self._loaded:
                return
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == SIDECAR_VERSION:
                    self._reports = data.get("reports", {})
                    self._english = data.get("english", {})
            except (OSError, ValueError, AttributeError):
                pass  # missing or unreadable: derived again
            self._saved = self._size()
            self._loaded = True

    @property
    def reports(self) -> dict[str, list]:
        self._load()
        return self._reports

    @reports.setter
    def reports(self, value: dict[str, list]) -> None:
        self._load()
        self._reports = value

    @property
    def english_forms(self) -> dict[str, dict]:
        self._load()
        return self._english

    @property
    def english(self) -> _LazyEnglish:
        """The pinyin/English forms as AgencyIndex uses them (get / set one agency's), read on first use."""
        return _LazyEnglish(self)

    def _size(self) -> tuple[int, int]:
        return len(self._reports), len(self._english)

    def _saved_index(self, key: list) -> Variants | None:
        try:
            state = marshal.loads(self.index_path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not isinstance(state, dict) or state.get("version") != INDEX_VERSION or state.get("key") != key:
            return None
        return Variants({a: set(v) for a, v in state["variants"].items()}, key, self.index_path, state["aliases"])

    def variants(self, store: FactStore, heads: list[tuple[str, str, int | None]]) -> Variants:
        """agency → the one-character variants of its name its reports print (derived for new reports only).

        When the store has not changed since the alias tables were saved (same stamp, same report heads, same
        alias code) they are returned with the variants saved beside them, without reading the sidecar."""
        key = [list(store.stamp()), hashlib.sha256(repr(heads).encode()).hexdigest(), _code_digest()]
        got_saved = self._saved_index(key)
        if got_saved is not None:
            return got_saved
        return Variants(self._derive(store, heads), key, self.index_path)

    def _derive(self, store: FactStore, heads: list[tuple[str, str, int | None]]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        keep: dict[str, list] = {}
        changed = False
        for rid, agency, _year in heads:
            if not variant_local(agency):
                continue  # a department, or a name too short or long: nothing to look for, no text to read
            sha = (store.hash_of(rid) or ("", ""))[0]
            got = self.reports.get(rid)
            if not got or got[0] != sha or got[1] != agency:
                r = store.load(rid, with_text=True)
                text = r.text[:TEXT_FOR_VARIANTS] if r else ""
                got = [sha, agency, sorted(_report_variants(agency, text))]
                changed = True
            keep[rid] = got
            out.setdefault(agency, set()).update(got[2])
        if changed or len(keep) != len(self.reports):
            self.reports = keep
            self.save()
        return out

    def save(self) -> None:
        """Write the file (atomically: another process may be reading it)."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_text(json.dumps({"version": SIDECAR_VERSION, "reports": self.reports,
                                       "english": self.english_forms}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
            self._saved = self._size()
        except OSError:
            tmp.unlink(missing_ok=True)  # a read-only data folder: derived again next time

    def save_if_grown(self) -> None:
        """Save when forms were added since the file was read or written (pinyin/English forms are filled lazily)."""
        if self._loaded and self._size() != self._saved:
            self.save()
