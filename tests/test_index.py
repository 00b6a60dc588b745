"""The index end to end: bundled reports → chunks → real m3e-small → real Chroma → hybrid search.

One ingested copy of the bundled corpus is shared by the session (conftest.index_home); tests that
change what is stored work in their own small data folder.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT

from index import template
from index.chunks import CHUNKER_VERSION, MAX_CHARS, MIN_CHARS, chunks_for
from index.ingest import ingest
from index.parse import parse_file
from index.retrieve import Hit, Retriever
from index.store import FactStore
from index.vectors import VectorIndex, collection_name

TINY = """测试县人民政府{year}年政府信息公开工作年度报告

本报告依据《中华人民共和国政府信息公开条例》编制。如对本报告有疑问，请联系测试县人民政府办公室，电话：0000-1234567。

一、总体情况
{year}年，我县主动公开政府信息{n}条，发布政策解读12篇。全年受理依申请公开5件。

二、主动公开政府信息情况
见上文。

三、收到和处理政府信息公开申请情况
见上文。

四、政府信息公开行政复议、行政诉讼情况
本年度未发生行政复议和行政诉讼。

五、存在的主要问题及改进情况
一是队伍建设有待加强；二是公开内容的深度有待提升。

六、其他需要报告的事项
无。
"""


def tiny_report(path: Path, n: int = 321, year: int = 2022) -> Path:
    """Write a minimal free-text report (7 chunks, embeds in well under a second)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TINY.format(year=year, n=n), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def retriever(index_home) -> Retriever:
    return Retriever(index_home)


@pytest.fixture(scope="module")
def stored(index_home) -> list[dict]:
    return FactStore(index_home / "facts.sqlite").list_reports()


# ---------------------------------------------------------------- chunks of the bundled corpus

def test_every_bundled_report_is_indexed(stored, index_home):
    files = sorted(p for p in BUNDLED.iterdir() if p.suffix in (".txt", ".md"))
    assert len(stored) == len(files) == 9
    assert all(r["state"] == "ready" and r["chunks"] > 0 for r in stored)
    counts = VectorIndex(index_home).report_counts()
    assert counts == {r["id"]: r["chunks"] for r in stored}
    total = sum(counts.values())
    assert 300 <= total <= 600, f"{total} chunks: the test suite's embedding time depends on this"


def test_one_row_chunk_per_template_row(retriever, stored):
    for r in stored:
        rows = [c for c in retriever.chunks_of(r["id"]) if c.kind == "row"]
        keys = [c.row_key for c in rows]
        assert len(keys) == len(set(keys)), r["id"]
        if r["template"] == "pre-2019":
            assert keys == [], "a report before the national template has no template tables"
            continue
        split = any(k == "table3.other_1" for k in keys)
        want = {k.rsplit(".", 1)[0] for k in template.all_keys(r["template"], split)}
        assert set(keys) == want, r["id"]
        assert all(c.id == f"{r['id']}:row:{c.row_key}" for c in rows)


def test_row_chunk_text_carries_its_context(retriever, index_home):
    c = retriever.get_chunk("pingtan-2021:row:table3.new")
    assert c is not None and c.kind == "row" and c.table == "table3"
    facts = FactStore(index_home / "facts.sqlite").load("pingtan-2021")
    total = facts.fact("table3.new.total").value
    assert c.text.startswith("平潭综合实验区 2021年 收到和处理政府信息公开申请情况 | 一、本年新收政府信息公开申请数量 | 自然人 ")
    assert c.text.endswith(f"| 总计 {total}")
    for label in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"):
        assert f"| {label} " in c.text or f" {label} " in c.text
    denied = retriever.get_chunk("pingtan-2021:row:table3.denied_1")
    assert "三、本年度办理结果 > （三）不予公开 > 1.属于国家秘密" in denied.text
    fees = retriever.get_chunk("pingtan-2021:row:table2.fees")
    assert "本年收费金额（单位：万元）" in fees.text  # the 2021 template's column wording


def test_chunk_metadata(retriever, stored):
    for r in stored:
        chunks = retriever.chunks_of(r["id"])
        assert len(chunks) == r["chunks"]
        for c in chunks:
            assert (c.report_id, c.agency, c.year, c.template) == (r["id"], r["agency"], r["year"], r["template"])
            assert c.section and c.text.strip() and c.source == r["source"] and Path(c.source).is_file()
            assert 0 <= c.start < c.end
            if c.kind == "section":
                assert c.id.startswith(f"{r['id']}:sec:")
                assert len(c.text) <= MAX_CHARS + MIN_CHARS
                assert not c.table and not c.row_key
            else:
                assert c.table in ("table2", "table3", "table4") and c.row_key.startswith(c.table + ".")


def test_section_chunks_cut_at_sentence_ends(retriever):
    pieces = [c for c in retriever.chunks_of("pingtan-2019") if c.kind == "section"]
    long_section = [c for c in pieces if c.section.startswith("一、总体情况 > （二）")]
    assert len(long_section) > 5  # a 3,400-character section in ≤ 300-character pieces
    assert all(c.text[-1] in "。；！？”)）" for c in long_section[:-1])


def test_chunks_rebuilt_from_the_store_equal_the_parsed_ones(index_home):
    """Recovery after a crash rebuilds chunks from the fact store: they must be the same chunks."""
    store = FactStore(index_home / "facts.sqlite")
    for p in sorted(BUNDLED.glob("*.txt"))[:4]:
        parsed = parse_file(p.resolve())
        assert chunks_for(store.load(parsed.id)) == chunks_for(parsed)


def test_collection_name_records_model_and_chunker():
    name = collection_name()
    assert "m3e-small" in name and name.endswith(f"c{CHUNKER_VERSION}") and 3 <= len(name) <= 512


# ---------------------------------------------------------------- idempotence

def test_reingest_adds_nothing(index_home, stored):
    vi = VectorIndex(index_home)
    before = {r["id"]: sorted(vi.ids_of(r["id"])) for r in stored}
    count = vi.count()
    s = ingest([BUNDLED], home=index_home, progress=False)
    assert (s.added, s.replaced, s.failed, s.recovered) == ([], [], [], [])
    assert sorted(s.unchanged) == sorted(before) and s.chunks == 0
    assert s.skipped and all(Path(x).name == "MANIFEST.tsv" for x in s.skipped)
    assert vi.count() == count
    assert {rid: sorted(vi.ids_of(rid)) for rid in before} == before


def test_ensure_bundled_reuses_the_index(index_home):
    from index.cli import ensure_bundled

    s = ensure_bundled(index_home, progress=False)
    assert (s.added, s.replaced, s.failed, s.chunks) == ([], [], [], 0)


# ---------------------------------------------------------------- retrieval

def test_hybrid_search_finds_table_rows_and_text(retriever):
    hits = retriever.search("2021年平潭综合实验区新收了多少件政府信息公开申请？", agency="平潭综合实验区", year=2021)
    assert len(hits) == 5 and all(isinstance(h, Hit) for h in hits)
    assert "pingtan-2021:row:table3.new" in [h.chunk.id for h in hits[:3]]
    assert all(h.chunk.agency == "平潭综合实验区" and h.chunk.year == 2021 for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert all(h.dense_rank or h.bm25_rank for h in hits)

    phone = retriever.search("江镜镇政府信息公开的联系电话是多少？", agency="福清市江镜镇人民政府", year=2020)
    assert any("0591-85728151" in h.chunk.text for h in phone)

    english = retriever.search("How many lawsuits over government information disclosure did Shuyang County face "
                               "in 2025?", agency="沭阳县人民政府", year=2025)
    assert {"table4.suit_direct", "table4.suit_after_review"} & {h.chunk.row_key for h in english}


def test_search_modes_and_filters(retriever):
    q = "存在的主要问题"
    for mode in ("dense", "bm25", "hybrid"):
        hits = retriever.search(q, k=4, mode=mode, report_ids=["pingtan-2023", "shuyang-2025"])
        assert hits and len(hits) <= 4
        assert {h.chunk.report_id for h in hits} <= {"pingtan-2023", "shuyang-2025"}
        if mode == "dense":
            assert all(h.bm25_rank is None and h.dense_rank for h in hits)
        if mode == "bm25":
            assert all(h.dense_rank is None and h.bm25_rank for h in hits)
    rows = retriever.search(q, k=5, kinds=("row",))
    assert rows and all(h.chunk.kind == "row" for h in rows)
    assert retriever.search(q, report_ids=[]) == []
    assert retriever.search("   ") == []
    assert retriever.search(q, year=1999) == []
    with pytest.raises(ValueError):
        retriever.search(q, mode="nope")


def test_search_is_thread_safe(retriever):
    from concurrent.futures import ThreadPoolExecutor

    qs = ["政策解读", "行政复议结果纠正", "主动公开政府信息多少条", "依申请公开", "信息处理费"] * 2
    solo = {q: [h.chunk.id for h in retriever.search(q)] for q in set(qs)}
    with ThreadPoolExecutor(4) as ex:
        together = list(ex.map(lambda q: (q, [h.chunk.id for h in retriever.search(q)]), qs))
    assert all(ids == solo[q] for q, ids in together)


# (question, filters): filtered searches are exact in Chroma; an unfiltered one goes through the HNSW
# graph, whose approximate neighbours at the tail of the 50 candidates can differ between the process
# that built it and one that loads it — so that one is compared on its first hits only
_QUERIES = [("2023年平潭行政事业性收费金额是多少？", {"agency": "平潭综合实验区", "year": 2023}),
            ("存在的主要问题", {"report_ids": ["pingtan-2021", "shuyang-2025"]}),
            ("How many policy interpretations did Pingtan publish?", {"year": 2025}),
            ("江镜镇政府信息公开的联系电话是多少？", {})]
_PROBE = """
import json, sys
from pathlib import Path
from index.retrieve import Retriever
r = Retriever(Path(sys.argv[1]))
print(json.dumps([[[h.chunk.id, h.score] for h in r.search(q, k=5, **f)] for q, f in json.loads(sys.argv[2])]))
"""


def test_reopened_from_disk_in_a_fresh_process(retriever, index_home):
    here = [[[h.chunk.id, h.score] for h in retriever.search(q, k=5, **f)] for q, f in _QUERIES]
    env = {k: v for k, v in os.environ.items() if k != "GONGKAI_CHROMA_URL"}
    out = subprocess.run([sys.executable, "-c", _PROBE, str(index_home), json.dumps(_QUERIES)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    there = json.loads(out.stdout.strip().splitlines()[-1])
    for (q, f), a, b in zip(_QUERIES, here, there):
        n = 5 if f else 1
        assert [i for i, _ in a[:n]] == [i for i, _ in b[:n]], q
        assert all(abs(x[1] - y[1]) < 1e-6 for x, y in zip(a[:n], b[:n])), q
    assert all(len(a) == 5 for a in there)


# ---------------------------------------------------------------- changes, failures, crashes (own folder)

@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A data folder and an input folder: a copy of one real report, an empty file, a non-report."""
    root = tmp_path_factory.mktemp("ingest-work")
    src = root / "in"
    src.mkdir()
    shutil.copy(BUNDLED / "pingtan-2025.txt", src / "pingtan-2025.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "notes.txt").write_text("会议纪要：明天上午九点开会，讨论食堂菜单。\n" * 5, encoding="utf-8")
    (src / "MANIFEST.tsv").write_text("id\tfile\n", encoding="utf-8")
    home = root / "home"
    first = ingest([src], home=home, progress=False)
    return home, src, first


def test_failed_files_are_reported_and_the_rest_ingested(work):
    home, src, s = work
    assert s.added == ["pingtan-2025"]
    assert len(s.failed) == 2
    reasons = dict(s.failed)
    empty = reasons[str(src / "empty.txt")]
    notes = reasons[str(src / "notes.txt")]
    assert "empty.txt" in empty and "empty" in empty and "\n" not in empty
    assert "notes.txt" in notes and "does not look like" in notes and "\n" not in notes
    assert [Path(x).name for x in s.skipped] == ["MANIFEST.tsv"]
    ids = [r["id"] for r in FactStore(home / "facts.sqlite").list_reports()]
    assert ids == ["pingtan-2025"]  # the failed files left nothing behind
    assert "2 failed" in s.line() and "1 added" in s.line()


def test_modified_copy_replaces_its_chunks(work):
    home, src, _ = work
    f = src / "pingtan-2025.txt"
    vi = VectorIndex(home)
    old_ids = set(vi.ids_of("pingtan-2025"))
    text = f.read_text(encoding="utf-8")
    assert "672条" in text
    # change a figure and drop a sentence, so texts and the number of section pieces change
    f.write_text(text.replace("672条", "999条").replace("发布文字、图解、H5等多形式政策解读82篇", ""), encoding="utf-8")
    s = ingest([src], home=home, progress=False)
    assert s.replaced == ["pingtan-2025"] and not s.added
    new = chunks_for(parse_file(f.resolve()))
    assert set(vi.ids_of("pingtan-2025")) == {c.id for c in new}
    assert vi.count() == len(new)
    texts = [c.text for c in Retriever(home).chunks_of("pingtan-2025")]
    assert not any("672条" in t for t in texts) and any("999条" in t for t in texts)
    assert old_ids & {c.id for c in new}  # ids derive from position: unchanged pieces keep theirs
    row = FactStore(home / "facts.sqlite").list_reports()[0]
    assert (row["state"], row["chunks"]) == ("ready", len(new))


def test_same_name_different_file_gets_its_own_id(work):
    home, src, _ = work
    a = tiny_report(src.parent / "a" / "tiny-2022.txt", n=321)
    b = tiny_report(src.parent / "b" / "tiny-2022.txt", n=654)
    s = ingest([a, b], home=home, progress=False)
    assert len(s.added) == 2 and s.added[0] == "tiny-2022" and s.added[1].startswith("tiny-2022-")
    again = ingest([a, b], home=home, progress=False)
    assert sorted(again.unchanged) == sorted(s.added) and not again.added
    r = Retriever(home)
    assert any("654条" in c.text for c in r.chunks_of(s.added[1]))


def test_interrupted_ingest_is_redone(work):
    """A report left in state 'indexing' (killed between facts and vectors) is redone on the next run."""
    home, _, _ = work
    vi = VectorIndex(home)
    store = FactStore(home / "facts.sqlite")
    ids = sorted(vi.ids_of("pingtan-2025"))
    total = vi.count()
    store.set_state("pingtan-2025", "indexing")
    vi.collection.delete(ids=ids[::2])
    vi.collection.add(ids=["ghost:sec:0:0"], embeddings=[[0.0] * 511 + [1.0]], documents=["x"],
                      metadatas=[{"report_id": "ghost", "kind": "section"}])
    assert Retriever(home).chunks_of("pingtan-2025") == []  # not searchable while unfinished
    s = ingest([], home=home, progress=False)
    assert s.recovered == ["pingtan-2025"]
    assert sorted(vi.ids_of("pingtan-2025")) == ids and vi.ids_of("ghost") == [] and vi.count() == total
    assert store.hash_of("pingtan-2025")[1] == "ready"


def test_cli_ingest_and_reports(work, monkeypatch, capsys):
    from gongkai.cli import main

    home, src, _ = work
    monkeypatch.setenv("GONGKAI_HOME", str(home))
    assert main(["ingest", "--no-progress", str(src / "pingtan-2025.txt")]) == 0
    assert "1 unchanged" in capsys.readouterr().err
    assert main(["ingest", "--no-progress", str(src)]) == 1
    err = capsys.readouterr().err
    assert "failed:" in err and "empty.txt" in err and "0 added" in err
    assert main(["reports", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} >= {"pingtan-2025", "tiny-2022"}
    assert all({"id", "agency", "year", "template", "chunks", "audit_failures"} <= set(r) for r in rows)
    assert main(["reports"]) == 0
    assert "pingtan-2025" in capsys.readouterr().out


# ---------------------------------------------------------------- Chroma as a server

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_chroma_server(tmp_path, monkeypatch):
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.skip("the chroma CLI is not installed in this environment")
    port = _free_port()
    data = tmp_path / "server-data"
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / "chroma.log").read_text()
            assert time.time() < deadline, "chroma run did not answer its heartbeat within 60 s"
            time.sleep(0.3)
        monkeypatch.setenv("GONGKAI_CHROMA_URL", url)
        home = tmp_path / "home"
        s = ingest([tiny_report(tmp_path / "in" / "tiny-2022.txt")], home=home, progress=False)
        assert s.added == ["tiny-2022"] and s.chunks == 7
        assert not (home / "chroma").exists()  # the vectors went to the server
        hits = Retriever(home).search("政策解读多少篇", k=3)
        assert hits and hits[0].chunk.report_id == "tiny-2022" and "政策解读12篇" in hits[0].chunk.text
        assert VectorIndex(home, url=url).count() == 7
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
