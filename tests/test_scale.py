"""Queries that do not grow with the store: report heads only at open, reports loaded on demand, printed name
variants and the BM25 index derived once and kept in the data folder — with answers unchanged."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import BUNDLED

from index.bm25 import BM25Index, tokenize
from index.parse import parse_file
from index.store import FactStore
from rag import library
from rag.answer import Answerer, answer_json
from rag.library import INDEX_FILE, SIDECAR

QUESTIONS = ["平潭2021年新收了多少件政府信息公开申请？", "江镜镇2020年有几起信息公开行政诉讼？",
             "平潭综合实验区2019年行政许可处理决定多少件？", "2019年行政许可处理决定最多的是哪家？",
             "平潭旅文体局2019年的联系电话是多少？", "沭阳县2025年行政复议总计多少件？", "平潭哪一年新收申请最多？"]


def _facts_home(home: Path, names: list[str]) -> Path:
    st = FactStore(home / "facts.sqlite")
    for n in names:
        st.put(parse_file(BUNDLED / n))
    st.close()
    return home


def _answers(a: Answerer) -> list[str]:
    return [json.dumps(answer_json(a.ask(q)), ensure_ascii=False, sort_keys=True) for q in QUESTIONS]


def test_open_reads_heads_and_a_question_loads_only_its_agency(tmp_path):
    home = _facts_home(tmp_path, ["pingtan-2019.txt", "pingtan-2021.txt", "jiangjing-2020.txt",
                                  "pingtan-tourism-2019.txt"])
    a = Answerer(home, use_index=False)
    assert len(a.reports) == 4 and "pingtan-2021" in a.reports
    assert not a._cache._items  # nothing loaded: no facts, no text
    got = a.ask("江镜镇2020年有几起信息公开行政诉讼？")
    assert got.kind == "figure" and got.reports[0]["id"] == "jiangjing-2020"
    assert set(a._cache._items) == {"jiangjing-2020"}  # found through the agency map, not a scan


def test_answers_identical_after_an_ingest_adds_a_report(tmp_path):
    first = ["pingtan-2019.txt", "pingtan-2021.txt", "jiangjing-2020.txt", "pingtan-tourism-2019.txt"]
    home = _facts_home(tmp_path / "grown", first)
    live = Answerer(home, use_index=False)
    before = _answers(live)
    assert live.ask("沭阳县2025年行政复议总计多少件？").kind != "figure"
    _facts_home(home, ["shuyang-2025.txt"])  # the store changes under a running answerer
    after = _answers(live)
    fresh = _answers(Answerer(_facts_home(tmp_path / "once", first + ["shuyang-2025.txt"]), use_index=False))
    assert after == fresh  # the refreshed answerer answers as one opened on the whole store
    assert live.ask("沭阳县2025年行政复议总计多少件？").kind == "figure"
    others = [i for i, q in enumerate(QUESTIONS) if "沭阳" not in q]
    assert [before[i] for i in others] == [after[i] for i in others]  # the other answers did not move


def test_printed_name_variant_derived_once_and_kept(tmp_path):
    # the report signs as 沐阳县人民政府 (an OCR'd 沭): a name the question may use
    assert "沐阳县" in (BUNDLED / "shuyang-2025.txt").read_text(encoding="utf-8")
    home = _facts_home(tmp_path, ["shuyang-2025.txt", "jiangjing-2020.txt"])
    a = Answerer(home, use_index=False)
    assert a.reports["shuyang-2025"].agency == "沭阳县人民政府"
    kept = json.loads((home / SIDECAR).read_text(encoding="utf-8"))["reports"]["shuyang-2025"]
    assert "沐阳县" in kept[2]
    got = a.ask("沐阳县2025年行政复议总计多少件？")
    assert got.kind == "figure" and got.reports[0]["id"] == "shuyang-2025"
    stamp = (home / SIDECAR).stat().st_mtime_ns
    b = Answerer(home, use_index=False)  # a new process reads the kept variants, not the report
    assert not b._cache._items and (home / SIDECAR).stat().st_mtime_ns == stamp
    assert b.index.resolve("沐阳县2025年").named[0].agency == "沭阳县人民政府"


def test_alias_tables_saved_and_reused_until_the_store_or_the_code_changes(tmp_path, monkeypatch):
    home = _facts_home(tmp_path, ["shuyang-2025.txt", "jiangjing-2020.txt"])
    a = Answerer(home, use_index=False)
    assert (home / INDEX_FILE).exists() and (home / SIDECAR).exists()
    (home / SIDECAR).unlink()
    b = Answerer(home, use_index=False)  # unchanged store: the saved tables, without the sidecar or any sha256
    assert not (home / SIDECAR).exists() and b.index._base == a.index._base
    assert b.index.resolve("沐阳县2025年").named[0].agency == "沭阳县人民政府"  # a printed variant, from the file
    assert _answers(b) == _answers(a)
    st = FactStore(home / "facts.sqlite")
    st.put(parse_file(BUNDLED / "pingtan-2019.txt"))
    st.close()
    c = Answerer(home, use_index=False)  # the store changed: derived again (the sidecar too)
    assert len(c.index.names) == len(a.index.names) + 1
    assert (home / SIDECAR).exists() and c.index.resolve("沐阳县2025年").named[0].agency == "沭阳县人民政府"
    before = (home / INDEX_FILE).read_bytes()
    monkeypatch.setattr(library, "_code_digest", lambda: "other alias code")
    d = Answerer(home, use_index=False)  # other alias code: built again, not reused
    assert (home / INDEX_FILE).read_bytes() != before and d.index._base == c.index._base
    (home / INDEX_FILE).write_bytes(os.urandom(64))
    e = Answerer(home, use_index=False)  # an unreadable file is rebuilt
    assert e.index._base == c.index._base and e.ask(QUESTIONS[1]).kind == "figure"


def test_vectors_opened_by_the_first_search_not_the_open(small_index):
    from index.retrieve import Retriever

    Retriever(small_index)  # builds and saves the BM25 index if this folder has none (reads every chunk)
    r = Retriever(small_index)  # a later process: the saved index only
    assert r._vectors is None and len(r._bm25) > 0
    assert r.search("政府信息公开申请 本年新收", k=3, mode="bm25") and r._vectors is not None  # chunks fetched
    dense = r.search("政府信息公开申请 本年新收", k=3, mode="dense")
    assert dense and all(h.dense_rank for h in dense)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> Path:
    from index.ingest import ingest

    home = tmp_path_factory.mktemp("scale-index")
    ingest([BUNDLED / "jiangjing-2020.txt"], home=home, progress=False)
    return home


def test_bm25_saved_once_and_rebuilt_on_change(small_index, tmp_path):
    from index.ingest import ingest
    from index.retrieve import BM25_FILE, Retriever

    home = tmp_path / "home"
    shutil.copytree(small_index, home)
    (home / BM25_FILE).unlink(missing_ok=True)
    live = Retriever(home)
    saved = home / BM25_FILE
    assert saved.exists()
    mtime = saved.stat().st_mtime_ns
    again = Retriever(home)  # a second process opens the saved index
    assert saved.stat().st_mtime_ns == mtime and len(again._bm25) == len(live._bm25) > 0
    q = "平潭综合实验区旅游与文化体育局 政策解读"
    assert all(h.chunk.report_id == "jiangjing-2020" for h in live.search(q, k=3, mode="bm25"))
    ingest([BUNDLED / "pingtan-tourism-2019.txt"], home=home, progress=False)
    hits = live.search(q, k=3, mode="bm25")  # the running retriever sees the change
    assert hits and hits[0].chunk.report_id == "pingtan-tourism-2019"
    assert saved.stat().st_mtime_ns != mtime
    fresh = Retriever(home)
    assert [h.chunk.id for h in fresh.search(q, k=5)] == [h.chunk.id for h in live.search(q, k=5)]
    assert fresh.chunks_of("pingtan-tourism-2019") and fresh.get_chunk(hits[0].chunk.id) == hits[0].chunk


def test_bm25_top_k_equals_a_full_stable_sort(small_index):
    from index.retrieve import Retriever

    bm = Retriever(small_index)._bm25
    for q in ("行政诉讼", "政府信息公开申请 本年新收", "联系电话", "主动公开 政策解读 网站"):
        scores = bm.bm25.get_scores(tokenize(q))
        assert np.array_equal(bm.scores(tokenize(q)), scores)  # our buffered sum = bm25s's, bit for bit
        full = [bm.ids[i] for i in np.argsort(-scores, kind="stable")[:7] if scores[i] > 0]
        assert [cid for cid, _ in bm.search(q, 7)] == full
    mask = bm.mask(["jiangjing-2020"], kinds=("row",))
    assert mask is not None and 0 < mask.sum() < len(bm)
    assert all(cid.startswith("jiangjing-2020:row") for cid, _ in bm.search("行政诉讼", 10, mask))


def test_unreadable_saved_files_are_rebuilt(tmp_path):
    home = _facts_home(tmp_path, ["jiangjing-2020.txt"])
    (home / SIDECAR).write_text("{not json", encoding="utf-8")
    a = Answerer(home, use_index=False)
    assert a.ask("江镜镇2020年有几起信息公开行政诉讼？").kind == "figure"
    assert json.loads((home / SIDECAR).read_text(encoding="utf-8"))["version"] == 1
    bad = tmp_path / "bm25.pkl"
    bad.write_bytes(os.urandom(64))
    assert BM25Index.load(bad, ("any",)) is None
