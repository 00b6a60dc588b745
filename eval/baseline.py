"""A naive llama-index RAG over the same reports and the same m3e-small model, scored side by side.

    python -m eval.baseline [QA...] [--reports DIR]      (= gongkai eval QA... --ingest DIR --baseline)

The pipeline is what a first attempt looks like: each report's plain text (index.readers, so PDFs
work) → `SentenceSplitter` chunks (256 m3e tokens, 32 overlap; the model reads at most 512) →
`VectorStoreIndex` on its own Chroma collection in a temporary folder → top-k retrieval. No LLM
(`Settings.llm = None`), so it cannot state an answer: it is scored the only fair way without one —
does the top-1 / top-5 retrieved text hold the gold answer (a figure as printed, as a whole number;
a text answer as a string, whitespace-insensitive) and the evidence, and does the top-1 chunk come
from the right report. gongkai is scored on the same questions in the same run: its answer, and
its citations in place of retrieved chunks.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eval.scoring import FIGURE_TYPES, holds_evidence, number_printed_in, text_holds

CHUNK_SIZE = 256  # tokens of the m3e tokenizer
CHUNK_OVERLAP = 32
TOP_K = 5


def _embedding_class():
    from llama_index.core.embeddings import BaseEmbedding

    class M3ESmall(BaseEmbedding):
        """llama-index embedding over index.embed (the same m3e-small, normalised, as gongkai)."""

        @classmethod
        def class_name(cls) -> str:
            return "m3e-small"

        def _get_query_embedding(self, query: str) -> list[float]:
            from index.embed import embed
            return embed([query])[0]

        def _get_text_embedding(self, text: str) -> list[float]:
            from index.embed import embed
            return embed([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            from index.embed import embed
            return embed(texts)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return M3ESmall


class NaiveRAG:
    """SentenceSplitter → VectorStoreIndex (Chroma, temp folder) → top-k retriever."""

    def __init__(self, files: list[tuple[str, str]], folder: Path | None = None):
        """files: (report id, path). Builds the index; `build_seconds` and `chunks` say what it cost."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.core import Document, Settings, StorageContext, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from index.embed import model
        from index.readers import read

        t0 = time.perf_counter()
        self._tmp = None
        if folder is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="gongkai-baseline-"))
            folder = self._tmp
        Settings.llm = None
        Settings.embed_model = _embedding_class()(embed_batch_size=32)
        tok = model().tokenizer
        import transformers

        transformers.utils.logging.set_verbosity_error()  # "sequence longer than 512" while only counting tokens
        splitter = SentenceSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP,
                                    tokenizer=lambda s: tok.encode(s, add_special_tokens=False))
        docs = []
        self.failed: list[str] = []
        for rid, path in files:
            try:
                text = read(path).text
            except Exception as e:  # noqa: BLE001  (any reader failure is reported, the rest still indexed)
                self.failed.append(f"{path}: {e}")
                continue
            # as SimpleDirectoryReader does: the file name is metadata, kept out of the embedded text
            docs.append(Document(text=text, metadata={"report_id": rid, "file_name": Path(path).name},
                                 excluded_embed_metadata_keys=["report_id", "file_name"],
                                 excluded_llm_metadata_keys=["report_id"]))
        client = chromadb.PersistentClient(path=str(folder / "chroma"),
                                           settings=ChromaSettings(anonymized_telemetry=False))
        # Chroma's default embedding function would download a model: embeddings are always passed in
        collection = client.get_or_create_collection("naive-baseline", embedding_function=None)
        store = ChromaVectorStore(chroma_collection=collection)
        nodes = splitter.get_nodes_from_documents(docs)
        self.chunks = len(nodes)
        self.index = VectorStoreIndex(nodes, storage_context=StorageContext.from_defaults(vector_store=store))
        self.retriever = self.index.as_retriever(similarity_top_k=TOP_K)
        self.build_seconds = time.perf_counter() - t0

    def search(self, question: str) -> list[tuple[str, str]]:
        """Return the top-k (report id, chunk text) for a question."""
        return [(n.node.metadata.get("report_id", ""), n.node.get_content()) for n in self.retriever.retrieve(question)]

    def close(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _holds_answer(text: str, item) -> bool:
    if item.type in FIGURE_TYPES:
        return number_printed_in(text, item.a)
    return text_holds(text, item.a)


def _evidence(texts: list[str], item) -> bool:
    return holds_evidence(texts, item.evidence, item.type, item.a)


def score_baseline(rag: NaiveRAG, items) -> list[dict]:
    """Return, per question, what the baseline's top-1 / top-5 hold."""
    out = []
    for it in items:
        t = time.perf_counter()
        hits = rag.search(it.q)
        dt = time.perf_counter() - t
        d = {"type": it.type, "seconds": dt, "top1_report": bool(hits) and hits[0][0] == it.report}
        if it.type != "unanswerable":
            texts = [h[1] for h in hits]
            d["top1_answer"] = bool(texts) and _holds_answer(texts[0], it)
            d["top5_answer"] = any(_holds_answer(x, it) for x in texts)
            ev = texts if it.type == "sum" else texts[:1]
            d["top1_evidence"] = _evidence(ev, it)
        out.append(d)
    return out


def score_gongkai(results) -> list[dict]:
    """Return, per question, what gongkai's answer and citations hold (citations in place of chunks)."""
    out = []
    for r in results:
        it = r.item
        cits = r.citations
        d = {"type": it.type, "correct": r.correct, "top1_report": bool(cits) and cits[0]["report_id"] == it.report}
        if it.type != "unanswerable":
            quotes = [c["quote"] for c in cits[:TOP_K]]
            d["top1_answer"] = bool(quotes) and _holds_answer(quotes[0], it)
            d["top5_answer"] = any(_holds_answer(x, it) for x in quotes)
            d["top1_evidence"] = _evidence(quotes if it.type == "sum" else quotes[:1], it)
        out.append(d)
    return out


def _f(rows: list[dict], key: str, types=None) -> str:
    rs = [r for r in rows if key in r and (types is None or r["type"] in types)]
    return f"{sum(bool(r[key]) for r in rs)}/{len(rs)}" if rs else "–"


def compare(items, results, rag: NaiveRAG, base: list[dict]) -> dict:
    """Return the side-by-side summary (gongkai vs baseline) for the report."""
    g = score_gongkai(results)
    answerable = [r for r in g if r["type"] != "unanswerable"]
    figs = [r for r in g if r["type"] in FIGURE_TYPES]
    texts = [r for r in g if r["type"] == "text"]
    una = [r for r in g if r["type"] == "unanswerable"]
    secs = [b["seconds"] for b in base]
    gk = {"label": "gongkai (facts + hybrid retrieval)",
          "figure_exact": f"{sum(r['correct'] for r in figs)}/{len(figs)}",
          "text_answer": f"{sum(r['correct'] for r in texts)}/{len(texts)}",
          "unanswerable": f"{sum(r['correct'] for r in una)}/{len(una)}",
          "top1_answer": _f(answerable, "top1_answer"), "top5_answer": _f(answerable, "top5_answer"),
          "top1_evidence": _f(answerable, "top1_evidence"), "top1_report": _f(answerable, "top1_report")}
    bl = {"label": f"naive llama-index (SentenceSplitter {CHUNK_SIZE}/{CHUNK_OVERLAP}, top-{TOP_K})",
          "figure_exact": "– (no reader)", "text_answer": "– (no reader)", "unanswerable": "– (cannot abstain)",
          "top1_answer": _f(base, "top1_answer"), "top5_answer": _f(base, "top5_answer"),
          "top1_evidence": _f(base, "top1_evidence"), "top1_report": _f([b for b in base if "top1_answer" in b],
                                                                         "top1_report")}
    by_type = {}
    for t in ("table", "sum", "narrative", "text"):
        gt = [r for r in g if r["type"] == t]
        if not gt:
            continue
        by_type[t] = {"n": len(gt), "gongkai_top1": _f(gt, "top1_answer"), "gongkai_top5": _f(gt, "top5_answer"),
                      "baseline_top1": _f(base, "top1_answer", (t,)), "baseline_top5": _f(base, "top5_answer", (t,))}
    return {
        "setup": (f"Baseline: {rag.chunks} chunks of {len(rag.failed) and 'some' or 'all'} the stored reports, "
                  f"built in {rag.build_seconds:.0f} s (embedding included); query p50 "
                  f"{1000 * statistics.median(secs):.0f} ms. gongkai's \"top-k\" are its citations."),
        "gongkai": gk, "baseline": bl, "by_type": by_type,
        "notes": [
            ("Holds the answer: a figure as printed (a whole number token, whitespace-insensitive); a text answer as "
             "a string. For gongkai's sums the total is computed, so its cited rows rarely print it — its answer "
             "column is the fair measure there; the baseline has no answer column at all."),
            ("Holds the evidence: the rule of eval/scoring.py (the evidence's numbers in the text; for text answers a "
             "shared run of characters); for sum questions over the top-5 texts (one per added row)."),
            "The baseline cannot say 'not found': a retriever always returns passages.",
            ("The baseline's Chroma collection uses the default L2 space; with unit-length m3e vectors that ranks "
             "exactly as cosine."),
        ] + [f"baseline could not read {f}" for f in rag.failed],
        "rows": {"gongkai": g, "baseline": base},
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    from eval.cli import SHARED
    from eval.cli import main as eval_main

    ap = argparse.ArgumentParser(prog="python -m eval.baseline", description="gongkai vs a naive llama-index RAG")
    ap.add_argument("qa", nargs="*", default=[str(SHARED / "corpus" / "gold")])
    ap.add_argument("--reports", default=str(SHARED / "corpus" / "reports"), help="folder ingested first")
    ap.add_argument("--home", help="use this data folder instead of ingesting --reports")
    ap.add_argument("--out", help="report path prefix")
    a = ap.parse_args(argv)
    args = list(a.qa) + (["--home", a.home] if a.home else ["--ingest", a.reports]) + ["--baseline"]
    return eval_main(args + (["--out", a.out] if a.out else []))


if __name__ == "__main__":
    sys.exit(main())
