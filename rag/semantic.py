"""Semantic candidates over the template catalog, with the m3e-small model: when no catalog phrase names the
question's metric, the cells nearest in meaning are offered as candidates — named, never answered with a
number (a guessed cell is the wrong figure the product promises never to show).

Each row concept is described by its printed label, its English description and its first everyday words;
the descriptions are embedded once per process, on the first question that needs them."""

from __future__ import annotations

import threading

import numpy as np

from rag.catalog import ROW_CONCEPTS, TABLE_NO, Concept

_lock = threading.Lock()
_table: tuple[list[Concept], np.ndarray] | None = None


def _describe(c: Concept) -> str:
    words = "、".join(w for w in c.words[:6] if not w.isascii())
    return f"{TABLE_NO[c.table]} {c.name}：{words} {c.en}".strip()


def _vectors() -> tuple[list[Concept], np.ndarray]:
    global _table
    with _lock:
        if _table is None:
            from index.embed import embed

            concepts = [c for c in ROW_CONCEPTS if len(c.rows) == 1]
            _table = concepts, np.asarray(embed([_describe(c) for c in concepts]), dtype=np.float32)
    return _table


def nearest(question: str, k: int = 3) -> list[tuple[Concept, float]]:
    """The k template rows nearest the question in meaning, best first, with their cosine similarity."""
    from index.embed import embed

    concepts, vecs = _vectors()
    q = np.asarray(embed([question])[0], dtype=np.float32)
    scores = vecs @ q
    order = np.argsort(-scores)[:k]
    return [(concepts[i], float(scores[i])) for i in order]
