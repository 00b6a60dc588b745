"""Chunk vectors in Chroma, written and queried through llama-index's ChromaVectorStore.

Embeddings are always computed here (index.embed) and passed in: Chroma's default embedding
function would try to download a model. The collection uses cosine space and is named after the
model and the chunker version, so chunks of two configurations never share a collection.
A local PersistentClient under the data folder by default; GONGKAI_CHROMA_URL (http://host:port)
switches to a Chroma server (`chroma run`), which is what several processes must share.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from urllib.parse import urlparse

from gongkai import config
from gongkai.errors import StoreError
from gongkai.model import Chunk
from index.chunks import CHUNKER_VERSION, from_metadata, to_metadata
from index.embed import MODEL_NAME

COLLECTION = f"gongkai-{MODEL_NAME}-c{CHUNKER_VERSION}"
_PAGE = 5000  # rows per Chroma get()


def collection_name() -> str:
    """Return the collection name for the current model and chunker (3–512 characters)."""
    return COLLECTION


def _client(home: Path | None, url: str | None):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    url = url if url is not None else os.environ.get("GONGKAI_CHROMA_URL", "")
    if url:
        u = urlparse(url if "://" in url else f"http://{url}")
        if not u.hostname:
            raise StoreError(f"GONGKAI_CHROMA_URL={url!r} is not a URL — use http://host:port")
        port = u.port or (443 if u.scheme == "https" else 8000)
        try:
            return chromadb.HttpClient(host=u.hostname, port=port, ssl=u.scheme == "https", settings=settings)
        except Exception as e:  # noqa: BLE001 — the client contacts the server: any failure = unreachable
            raise StoreError(f"cannot reach the Chroma server at {url} ({type(e).__name__}) — start it with "
                             "`chroma run --path DIR --host HOST --port PORT` or unset GONGKAI_CHROMA_URL") from None
    path = (home or config.data_home()) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorIndex:
    """The chunk collection: add, delete by report, query by vector with metadata filters."""

    def __init__(self, home: Path | None = None, url: str | None = None):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.client = _client(home, url)
        self.collection = self.client.get_or_create_collection(
            COLLECTION, embedding_function=None,
            metadata={"hnsw:space": "cosine", "model": MODEL_NAME, "chunker": CHUNKER_VERSION})
        space = (self.collection.metadata or {}).get("hnsw:space")
        if space != "cosine":
            raise StoreError(f"Chroma collection {COLLECTION} uses {space!r} distance, not cosine — delete the "
                             "data folder's chroma/ and ingest again")
        self.store = ChromaVectorStore(chroma_collection=self.collection)

    # ---------------------------------------------------------------- write
    def add(self, chunks: list[Chunk], embeddings: list[list[float]]) -> None:
        """Store chunks with their vectors (ids must be new: delete the report's old chunks first)."""
        from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode

        if len(chunks) != len(embeddings):
            raise ValueError("one embedding per chunk")
        nodes: list[BaseNode] = []
        for c, e in zip(chunks, embeddings):
            meta = to_metadata(c)
            nodes.append(TextNode(
                id_=c.id, text=c.text, embedding=e, metadata=meta,
                # the vector is computed by us from index.chunks.search_text; keep metadata out of it
                excluded_embed_metadata_keys=list(meta), excluded_llm_metadata_keys=list(meta),
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=c.report_id)}))
        if nodes:
            self.store.add(nodes)

    def delete_report(self, report_id: str) -> None:
        """Delete every chunk of a report."""
        self.store.delete(report_id)  # where document_id == report_id (the node's source)
        left = self.ids_of(report_id)  # chunks written by something other than add() have no document_id
        if left:
            self.collection.delete(ids=left)

    # ---------------------------------------------------------------- read
    def count(self) -> int:
        return self.collection.count()

    def ids_of(self, report_id: str) -> list[str]:
        """Return the ids of a report's chunks."""
        return list(self.collection.get(where={"report_id": report_id}, include=[])["ids"])

    def _all(self, include: list[str]) -> list[tuple[str, str | None, dict]]:
        out: list[tuple[str, str | None, dict]] = []
        offset = 0
        while True:
            got = self.collection.get(include=include, limit=_PAGE, offset=offset)
            ids = got["ids"]
            docs = got.get("documents") or [None] * len(ids)
            metas = got.get("metadatas") or [{}] * len(ids)
            out.extend(zip(ids, docs, metas))
            if len(ids) < _PAGE:
                return out
            offset += _PAGE

    def vectors_of(self, report_id: str) -> dict[str, tuple[Chunk, list[float]]]:
        """Return a report's stored chunks with their vectors, by chunk id."""
        got = self.collection.get(where={"report_id": report_id}, include=["documents", "metadatas", "embeddings"])
        embs = got.get("embeddings")
        if embs is None:
            embs = []
        return {i: (from_metadata(i, d or "", m), [float(x) for x in e])
                for i, d, m, e in zip(got["ids"], got["documents"], got["metadatas"], embs)}

    def report_counts(self) -> dict[str, int]:
        """Return the number of stored chunks per report id."""
        counts: dict[str, int] = {}
        for _, _, m in self._all(["metadatas"]):
            rid = (m or {}).get("report_id", "")
            counts[rid] = counts.get(rid, 0) + 1
        return counts

    def all_chunks(self) -> list[Chunk]:
        """Return every stored chunk (text and metadata, no vectors)."""
        return [from_metadata(i, d or "", m) for i, d, m in self._all(["documents", "metadatas"])]

    def get(self, ids: list[str]) -> list[Chunk]:
        got = self.collection.get(ids=ids, include=["documents", "metadatas"])
        return [from_metadata(i, d or "", m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]

    def query(self, embedding: list[float], k: int, report_ids: list[str] | None = None,
              agency: str | None = None, year: int | None = None,
              kinds: tuple[str, ...] | None = None, count: int | None = None) -> list[tuple[Chunk, float]]:
        """Return the k nearest chunks that pass the filters, with cosine similarity, best first.

        `count`: the number of stored vectors when the caller knows it (index.retrieve counts once per change of
        the store; counting here costs 18 ms a search at 136,000 chunks)."""
        from llama_index.core.vector_stores.types import (
            FilterOperator,
            MetadataFilter,
            MetadataFilters,
            VectorStoreQuery,
        )

        filters: list[MetadataFilter | MetadataFilters] = []
        if report_ids is not None:
            if not report_ids:
                return []
            filters.append(MetadataFilter(key="report_id", value=list(report_ids), operator=FilterOperator.IN))
        if agency:
            filters.append(MetadataFilter(key="agency", value=agency))
        if year is not None:
            filters.append(MetadataFilter(key="year", value=int(year)))
        if kinds:
            filters.append(MetadataFilter(key="kind", value=list(kinds), operator=FilterOperator.IN))
        n = self.count() if count is None else count
        if n == 0:
            return []
        q = VectorStoreQuery(query_embedding=embedding, similarity_top_k=min(k, n),
                             filters=MetadataFilters(filters=filters) if filters else None)
        res = self.store.query(q)
        out = []
        for node, sim in zip(res.nodes or [], res.similarities or []):
            # the store reports exp(-distance); with cosine space, distance = 1 - cosine
            cos = 1.0 + math.log(sim) if sim > 0 else -1.0
            m = {k: v for k, v in node.metadata.items() if not k.startswith("_")}
            out.append((from_metadata(node.node_id, node.get_content(), m), cos))
        return out
