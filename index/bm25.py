"""BM25 over jieba-segmented chunk text (bm25s's own tokenizer does not split Chinese).

Built from the stored chunks when they change and saved in the data folder (bm25.pkl, keyed by the store's
stamp and the vector count): tokenising 140,000 row chunks takes about a minute, which a new process must not
pay again.
"""

from __future__ import annotations

import os
import pickle
import re
import threading
from pathlib import Path

import numpy as np

from gongkai import config
from gongkai.model import Chunk
from index.template import COLUMN_LABELS, SECTION_TITLES, T2_2019, T2_2021, T3_2019, T3_2021

# Question and function words that say nothing about which passage is meant
STOPWORDS = frozenset((
    "的", "了", "和", "与", "及", "或", "是", "在", "有", "为", "对", "把", "被", "从", "向", "等", "中", "其", "其中", "这",
    "那", "哪", "哪些", "哪个", "什么", "多少", "几", "几件", "几个", "几次", "几条", "吗", "呢", "吧", "啊", "么", "怎么", "怎样",
    "如何", "是否", "有没有", "一共", "共", "总共", "合计", "加起来", "分别", "按", "按照", "里", "里面", "上", "下", "个", "件", "条",
    "次", "项", "请问", "问", "请", "一下", "还", "也", "都", "就", "又", "被", "所", "以", "之", "而", "并", "我", "我们", "你",
    "你们", "他们", "它", "该", "此", "本", "year", "the", "a", "an", "of", "in", "to", "and", "for", "what",
    "how", "many", "much", "which", "did", "does", "do", "is", "are", "was", "were", "by", "on", "with",
    "年", "月", "日",
))
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)

# Template wording that must stay one token (jieba would otherwise cut some of it apart)
_DOMAIN_WORDS = ("政府信息公开", "依申请公开", "主动公开", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理",
                 "其他处理", "行政复议", "行政诉讼", "复议后起诉", "直接起诉", "结果维持", "结果纠正", "尚未审结",
                 "规范性文件", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "政府集中采购",
                 "政策解读", "信息处理费", "政务新媒体", "新闻发布会", "政府公报", "国家秘密", "过程性信息",
                 "内部事务信息", "行政执法案卷", "行政查询事项", "第三方合法权益", "三安全一稳定", "信访举报投诉",
                 "公开出版物", "法律服务机构", "社会公益组织", "科研机构", "商业企业", "自然人", "本年新收",
                 "上年结转", "结转下年度", "现行有效", "制发", "废止")

CACHE_VERSION = 1
_lock = threading.Lock()
_ready = False


def _jieba(cache_dir: Path | None = None):
    """Return jieba, initialised once with the template's words and its dictionary cache in the data
    folder (`cache_dir`, else data_home(); the first call in the process decides)."""
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(60)  # its "Building prefix dict…" lines on stderr
                jieba.dt.tmp_dir = str(cache_dir or config.data_home())
                jieba.initialize()
                for w in _DOMAIN_WORDS + SECTION_TITLES + tuple(COLUMN_LABELS.values()):
                    jieba.add_word(w)
                for spec in T2_2019 + T2_2021 + T3_2019 + T3_2021:
                    jieba.add_word(re.sub(r"^[\d.（）()一二三四五六七、]+", "", spec.label))
                _ready = True
    return jieba


def tokenize(text: str) -> list[str]:
    """Return the search tokens of a text: jieba search-mode words, lower-cased, no punctuation/stopwords."""
    jieba = _jieba()
    out = []
    for w in jieba.lcut_for_search(text):
        w = w.strip().lower()
        if not w or w in STOPWORDS or _PUNCT.match(w):
            continue
        out.append(w)
    return out


class BM25Index:
    """BM25 scores over a fixed list of chunks, searchable within a subset (reports, agency, year, kind).

    Holds chunk ids and a few filter columns, not the chunks: at 10,000 reports (~140,000 row chunks) the chunk
    objects would cost seconds to load in every process; the retriever fetches the few it returns. Saved to
    and loaded from one file, so a process opens the index instead of tokenising every chunk again."""

    def __init__(self, chunks: list[Chunk], texts: list[str] | None = None, cache_dir: Path | None = None):
        import bm25s

        _jieba(cache_dir)
        self.ids = [c.id for c in chunks]
        self.reports, self.report_code = _codes([c.report_id for c in chunks])
        self.agencies, self.agency_code = _codes([c.agency for c in chunks])
        self.kinds, self.kind_code = _codes([c.kind for c in chunks])
        self.year = np.array([-1 if c.year is None else int(c.year) for c in chunks], dtype=np.int32)
        corpus = [tokenize(t) for t in (texts if texts is not None else [c.text for c in chunks])]
        self.bm25 = bm25s.BM25()
        if self.ids:
            self.bm25.index(corpus, show_progress=False)
        self._position: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Return up to k (chunk id, score) with a positive score, best first; `allowed` is a boolean mask."""
        if not self.ids:
            return []
        tokens = tokenize(query)
        if not tokens:
            return []
        scores = self.scores(tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        neg = -scores
        if 0 < k < len(neg):
            # the k best without sorting every chunk; ties kept in index order, as a stable full sort would
            kth = np.partition(neg, k - 1)[k - 1]
            cand = np.flatnonzero(neg <= kth)
            top = cand[np.argsort(neg[cand], kind="stable")][:k]
        else:
            top = np.argsort(neg, kind="stable")[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def scores(self, tokens: list[str]) -> np.ndarray:
        """Every chunk's BM25 score for these tokens: bm25s's `get_scores`, summed with one buffered add per token.

        bm25s adds each token's postings with `np.add.at` (unbuffered: 30 ms for a common word over 136,000 chunks);
        a token's postings name each chunk once, so `scores[idx] += data` adds the same float32 values in the same
        order, 10× faster. Index methods that add a non-occurrence score go through bm25s itself."""
        bm = self.bm25
        if getattr(bm, "nonoccurrence_array", None) is not None or not tokens:
            return bm.get_scores(tokens)
        data, indices, indptr = bm.scores["data"], bm.scores["indices"], bm.scores["indptr"]
        out = np.zeros(bm.scores["num_docs"], dtype=np.dtype(bm.dtype))
        for t in bm.get_tokens_ids(tokens):
            a, b = indptr[t], indptr[t + 1]
            out[indices[a:b]] += data[a:b]
        return out

    def mask(self, report_ids: list[str] | None = None, agency: str | None = None, year: int | None = None,
             kinds: tuple[str, ...] | None = None) -> np.ndarray | None:
        """Return the boolean mask of chunks within the given reports/agency/year/kinds (None: no filter)."""
        m = None

        def both(a, b):
            return b if a is None else a & b

        if report_ids is not None:
            m = both(m, np.isin(self.report_code, [self.reports.get(r, -2) for r in report_ids] or [-2]))
        if agency:
            m = both(m, self.agency_code == self.agencies.get(agency, -2))
        if year is not None:
            m = both(m, self.year == int(year))
        if kinds:
            m = both(m, np.isin(self.kind_code, [self.kinds.get(x, -2) for x in kinds]))
        return m

    def ids_of(self, report_id: str) -> list[str]:
        """Return the ids of a report's chunks, in index order."""
        code = self.reports.get(report_id)
        return [] if code is None else [self.ids[i] for i in np.flatnonzero(self.report_code == code)]

    def __contains__(self, chunk_id: object) -> bool:
        if self._position is None:
            self._position = {cid: i for i, cid in enumerate(self.ids)}
        return chunk_id in self._position

    # ---------------------------------------------------------------- persistence
    def save(self, path: Path, key: tuple) -> None:
        """Write the index to path with the key it was built for (atomically: other processes read it)."""
        state = {"version": CACHE_VERSION, "key": key, "ids": self.ids, "reports": self.reports,
                 "report_code": self.report_code, "agencies": self.agencies, "agency_code": self.agency_code,
                 "kinds": self.kinds, "kind_code": self.kind_code, "year": self.year, "bm25": self.bm25}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "wb") as f:
                pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a read-only data folder: built again by the next process

    @classmethod
    def load(cls, path: Path, key: tuple, cache_dir: Path | None = None) -> BM25Index | None:
        """Return the index saved at path for this key, or None (missing, stale, or unreadable)."""
        try:
            with open(path, "rb") as f:
                state = pickle.load(f)  # noqa: S301 — our own file in the data folder, written by save()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None
        if not isinstance(state, dict) or state.get("version") != CACHE_VERSION or state.get("key") != key:
            return None
        _jieba(cache_dir)
        self = cls.__new__(cls)
        for name in ("ids", "reports", "report_code", "agencies", "agency_code", "kinds", "kind_code", "year",
                     "bm25"):
            setattr(self, name, state[name])
        self._position = None
        return self


def _codes(values: list[str]) -> tuple[dict[str, int], np.ndarray]:
    """(value → code, the code of each value) for vectorised filters."""
    names: dict[str, int] = {}
    codes = np.fromiter((names.setdefault(v, len(names)) for v in values), dtype=np.int32, count=len(values))
    return names, codes
