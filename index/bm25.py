"""BM25 over jieba-segmented chunk text (bm25s's own tokenizer does not split Chinese).

The index is small (a few hundred chunks per ten reports) and is rebuilt in memory from the stored
chunks whenever they change; building it takes well under a second.
"""

from __future__ import annotations

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
    """BM25 scores over a fixed list of chunks; search can be limited to a subset of them."""

    def __init__(self, chunks: list[Chunk], texts: list[str] | None = None, cache_dir: Path | None = None):
        import bm25s

        _jieba(cache_dir)
        self.chunks = list(chunks)
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        corpus = [tokenize(t) for t in (texts if texts is not None else [c.text for c in self.chunks])]
        self.bm25 = bm25s.BM25()
        if self.chunks:
            self.bm25.index(corpus, show_progress=False)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[Chunk, float]]:
        """Return up to k chunks with a positive score, best first; `allowed` is a boolean mask."""
        if not self.chunks:
            return []
        tokens = tokenize(query)
        if not tokens:
            return []
        scores = self.bm25.get_scores(tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]

    def mask(self, keep) -> np.ndarray:
        """Return the boolean mask of chunks for which keep(chunk) is true."""
        return np.fromiter((bool(keep(c)) for c in self.chunks), dtype=bool, count=len(self.chunks))

