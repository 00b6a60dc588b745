"""Question → ranked chunks: dense (Chroma, m3e-small) and BM25 (jieba), fused by reciprocal rank.

Filters (report ids, agency, year, chunk kind) apply to both retrievers before ranking, so a
filtered search ranks only the chunks of the reports asked about. Only reports whose ingest
finished (state 'ready') are searched. The BM25 index is built once per change of the stored reports and
saved in the data folder (bm25.pkl): a new process loads it instead of reading and tokenising every chunk.
The Chroma collection is opened on the first search that needs it, not with the retriever: opening the client
and Chroma's first read of 136,000 vectors take ~1 s, which a figure question never needs.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai import config
from gongkai.model import Chunk
from index.bm25 import BM25Index
from index.chunks import search_text

if TYPE_CHECKING:
    from index.vectors import VectorIndex
from index.store import open_store

MODES = ("dense", "bm25", "hybrid")
RRF_K = 60  # the usual constant: rank 1 scores 1/61, rank 10 scores 1/70
# BM25 counts more in the fusion: on the gold questions it is the stronger retriever for text
# answers (phone numbers, addresses, named problems) — see docs/index-measurements.md
RRF_WEIGHTS = (1.0, 2.0)  # (dense, bm25)
CANDIDATES = 50  # each retriever's depth before fusion
BM25_FILE = "bm25.pkl"


def _collection() -> str:
    """The vector collection's name (model + chunker): part of the saved index's key."""
    from index.vectors import collection_name

    return collection_name()

# English words of the domain → the template's Chinese terms, added to an English question so that
# BM25 and the (Chinese) embedding model have something to match
GLOSSARY = (
    (r"lawsuits?|litigation|sued|court", "行政诉讼"),
    (r"administrative review|reconsideration|appeals?", "行政复议"),
    (r"disclosure (?:requests?|applications?)|requests?|applications?", "政府信息公开申请"),
    (r"carried[- ]over|carry[- ]over|from (?:the )?previous year", "上年结转"),
    (r"carr(?:y|ied)[- ]forward|next year", "结转下年度继续办理"),
    (r"\bnew\b|received", "本年新收"),
    (r"partial(?:ly)? disclos\w*", "部分公开"),
    (r"full(?:y)? disclos\w*|granted", "予以公开"),
    (r"withheld|refused|denied|not disclosed", "不予公开"),
    (r"unable to provide|does not hold|not held", "无法提供"),
    (r"proactive(?:ly)?|publish(?:ed)?", "主动公开"),
    (r"policy interpretations?|interpretations?", "政策解读"),
    (r"press conferences?|news conferences?", "新闻发布会"),
    (r"fees?|charge[ds]?", "收取信息处理费"),
    (r"e-?mail", "电子邮箱"),
    (r"(?:tele)?phone|hotline", "电话"),
    (r"address|enquir(?:y|ies)|contact", "联系地址"),
    (r"inspections?|checks?", "检查"),
    (r"training", "培训"),
    (r"procurement", "政府集中采购"),
    (r"licen[cs]ing|permits?", "行政许可"),
    (r"penalt(?:y|ies)", "行政处罚"),
    (r"coerci\w*|enforcement measures?", "行政强制"),
    (r"normative documents?", "行政规范性文件"),
    (r"regulations?|rules", "规章"),
    (r"problems?|shortcomings?|weakness\w*", "存在的主要问题"),
    (r"statistic\w*|period", "统计期限"),
    (r"new media|wechat|weibo", "政务新媒体"),
    (r"upheld|maintained", "结果维持"),
    (r"corrected|overturned", "结果纠正"),
    (r"pending|unresolved", "尚未审结"),
    (r"quarterly", "季度"),
    (r"share|percent\w*|proportion", "占"),
    (r"(?:over|in) (?:all )?the years|cumulative\w*|in total", "历年累计"),
    (r"items? of information|government information", "政府信息"),
    (r"website", "网站"),
)
_GLOSSARY = [(re.compile(p, re.IGNORECASE), zh) for p, zh in GLOSSARY]
# words of agency names that also occur in ordinary questions ("政府信息公开")
_GENERIC_NAME_PARTS = {"人民", "政府", "人民政府", "办公室", "委员会", "综合", "实验", "管理", "服务", "中心"}


def expand_query(query: str) -> str:
    """Return the query with the Chinese template terms for any English domain words appended."""
    if not re.search(r"[A-Za-z]{3}", query):
        return query
    extra = [zh for rx, zh in _GLOSSARY if rx.search(query)]
    return " ".join([query, *dict.fromkeys(extra)])


def strip_context(query: str, agency: str | None, year: int | None) -> str:
    """Return the query without the year and agency words a filter already applies (for the dense model,
    which otherwise matches every chunk of the report on them and ranks by little else)."""
    if year is not None:
        query = re.sub(rf"{year}\s*年?度?", " ", query)
    if agency:
        from index.bm25 import _jieba

        parts = sorted({w for w in _jieba().lcut_for_search(agency) if len(w) >= 2} - _GENERIC_NAME_PARTS,
                       key=len, reverse=True)
        for w in parts:
            query = query.replace(w, " ")
    query = re.sub(r"\s+", " ", query).strip()
    return query or "？"


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk: fused (or single-retriever) score and its rank in each retriever (1-based)."""

    chunk: Chunk
    score: float
    dense_rank: int | None
    bm25_rank: int | None


def rrf(rankings: list[list[str]], k: int = RRF_K, weights: list[float] | None = None) -> list[tuple[str, float]]:
    """Return ids by reciprocal-rank fusion of several rankings (best first)."""
    scores: dict[str, float] = {}
    for j, ranking in enumerate(rankings):
        w = weights[j] if weights else 1.0
        for i, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + w / (k + i + 1)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class Retriever:
    """Searches the chunks of one data folder; safe to share between a web server's threads."""

    def __init__(self, home: Path | None = None, url: str | None = None):
        self.home = Path(home) if home else config.data_home()
        self.facts = open_store(self.home)
        self._url = url
        self._vectors: VectorIndex | None = None
        self._count: tuple | None = None  # (stamp, vectors stored) — counted once per change, not per search
        self._lock = threading.RLock()
        self._signature: tuple | None = None
        self._bm25 = BM25Index([], cache_dir=self.home)
        self._ready: set[str] = set()
        self._refresh()  # open the saved index now: a question should not pay for it

    @property
    def vectors(self):
        """The chunk collection (index.vectors.VectorIndex), opened on first use."""
        if self._vectors is None:
            with self._lock:
                if self._vectors is None:
                    from index.vectors import VectorIndex

                    self._vectors = VectorIndex(self.home, self._url)
        return self._vectors

    def _vector_count(self, stamp: tuple) -> int:
        """The number of stored vectors, counted again only when the store's stamp moved (18 ms at 136,000)."""
        got = self._count
        if got is None or got[0] != stamp:
            got = (stamp, self.vectors.count())
            self._count = got
        return got[1]

    # ---------------------------------------------------------------- cache of stored chunks
    def _refresh(self) -> None:
        """Open (or build and save) the BM25 index when the stored reports changed.

        Polls the store's stamp only (0.3 ms). An ingest writes a report's vectors before it marks the report
        ready, which changes the stamp, and only ready reports' chunks are indexed: the stamp, the ready reports
        and the collection key the saved index, so opening it needs no read of the vector store."""
        with self._lock:
            stamp = self.facts.stamp()
            if self._signature is not None and self._signature[0] == stamp:
                return
            sig = (stamp,)
            ready = {rid for _agency, _year, rid in self.facts.agencies()}
            # the stamp restarts with a new store: the ready reports and the collection are part of the key
            key = (*sig, _collection(), hashlib.sha256("\n".join(sorted(ready)).encode()).hexdigest())
            path = self.home / BM25_FILE
            bm25 = BM25Index.load(path, key, cache_dir=self.home)
            if bm25 is None:
                chunks = [c for c in self.vectors.all_chunks() if c.report_id in ready]
                chunks.sort(key=lambda c: (c.report_id, c.kind != "section", c.start, c.id))
                bm25 = BM25Index(chunks, [search_text(c) for c in chunks], cache_dir=self.home)
                bm25.save(path, key)
            self._bm25 = bm25
            self._ready = ready
            self._signature = sig

    def _fetch(self, ids: list[str]) -> dict[str, Chunk]:
        """The stored chunks with these ids (read from the vector store: only the few a caller returns)."""
        return {c.id: c for c in self.vectors.get(list(ids))} if ids else {}

    def get_chunk(self, chunk_id: str) -> Chunk | None:
        """Return a stored chunk by id, or None."""
        self._refresh()
        if chunk_id not in self._bm25:
            return None
        return self._fetch([chunk_id]).get(chunk_id)

    def chunks_of(self, report_id: str) -> list[Chunk]:
        """Return a report's chunks in reading order (sections, then table rows)."""
        self._refresh()
        ids = self._bm25.ids_of(report_id)
        got = self._fetch(ids)
        return [got[i] for i in ids if i in got]

    # ---------------------------------------------------------------- search
    def search(self, query: str, k: int = 5, report_ids: list[str] | None = None, agency: str | None = None,
               year: int | None = None, kinds: tuple[str, ...] | None = None, mode: str = "hybrid") -> list[Hit]:
        """Return the k best chunks for a question, within the given reports/agency/year/kinds."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        self._refresh()
        with self._lock:
            bm25, ready, stamp = self._bm25, self._ready, self._signature[0] if self._signature else None
        ids = None if report_ids is None else [r for r in report_ids if r in ready]
        depth = max(CANDIDATES, 2 * k)

        query = expand_query(query)
        dense: list[tuple[Chunk, float]] = []
        if mode in ("dense", "hybrid"):
            from index.embed import embed

            vec = embed([strip_context(query, agency, year)])[0]
            dense = [(c, s) for c, s in self.vectors.query(vec, depth, ids, agency, year, kinds,
                                                           count=self._vector_count(stamp or ()))
                     if c.report_id in ready]
        sparse: list[tuple[str, float]] = []
        if mode in ("bm25", "hybrid"):
            sparse = bm25.search(query, depth, bm25.mask(ids, agency, year, kinds))

        d_rank = {c.id: i + 1 for i, (c, _) in enumerate(dense)}
        b_rank = {cid: i + 1 for i, (cid, _) in enumerate(sparse)}
        if mode == "dense":
            scored = [(c.id, s) for c, s in dense]
        elif mode == "bm25":
            scored = sparse
        else:
            scored = rrf([[c.id for c, _ in dense], [cid for cid, _ in sparse]], weights=list(RRF_WEIGHTS))
        found = {c.id: c for c, _ in dense}
        # the returned chunks as stored (as the whole-collection read gave them before), dense ones as a fallback
        stored = self._fetch([cid for cid, _ in scored[:k]])
        out = []
        for cid, score in scored[:k]:
            c = stored.get(cid) or found.get(cid)
            if c is not None:
                out.append(Hit(chunk=c, score=score, dense_rank=d_rank.get(cid), bm25_rank=b_rank.get(cid)))
        return out
