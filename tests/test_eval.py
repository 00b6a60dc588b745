"""`gongkai eval`: scoring rules, question files, and the gold set held above its thresholds (CI's line)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import GOLD, REPORTS, needs_shared

from eval.scoring import (
    clean_evidence,
    evidence_numbers,
    holds_evidence,
    number_printed_in,
    same_number,
    text_holds,
)

# ---------------------------------------------------------------- scoring rules (fast)


@pytest.mark.parametrize("got,want", [(Decimal("73802895.9"), "73802895.90元"), (17, "+17"), (7700, "7700余条"),
                                      (Decimal("51.85"), "51.85%"), (0, "0"), (1, "1个"), (9487, 9487),
                                      (Decimal("7730.280"), 7730.28)])
def test_numbers_compare_as_numbers(got, want):
    assert same_number(got, want)


@pytest.mark.parametrize("got,want", [(None, "0"), (17, "71"), (Decimal("7730.29"), "7730.28"), (0, None)])
def test_different_numbers_differ(got, want):
    assert not same_number(got, want)


def test_text_is_whitespace_and_width_insensitive():
    assert text_holds("电话：0517-8729 0606。", "0517-87290606")
    assert text_holds("联系电话（０５９１）", "(0591)")
    assert not text_holds("0517-87290607", "0517-87290606")


def test_evidence_commentary_enumerators_and_sum_results_are_dropped():
    ev = "行政复议 结果维持 10 结果纠正 1 其他结果 0 尚未审结 0 总计 0（表内总计与分项之和11不一致，按表格所印为0）"
    assert Decimal(11) not in evidence_numbers(ev, "table")
    assert evidence_numbers("（三）不予公开 3.危及“三安全一稳定” … 总计 1", "table") == [Decimal(1)]
    assert evidence_numbers("行政诉讼 未经复议直接起诉 总计 1 + 复议后起诉 总计 3 = 4", "sum") == [1, 3]
    assert evidence_numbers("一、本年新收政府信息公开申请数量 705 3 0 0 5 0 总计 713", "table")[:2] == [705, 3]
    assert evidence_numbers("截至 2024 年 12 月 31 日，市科委发布政府信息 393 件", "narrative") == [393]
    assert "注意" not in clean_evidence("受理申请 17 件。（注意：表三本年新收总计为95）", "narrative")


def test_citation_must_hold_every_evidence_number():
    quote = "淮安市人民政府 2024年 表四 | 行政复议 | 结果维持 27 | 结果纠正 10 | 其他结果 9 | 尚未审结 15 | 总计 61"
    assert holds_evidence([quote], "行政复议 结果维持 27 结果纠正 10 其他结果 9 尚未审结 15 总计 61", "table")
    assert not holds_evidence([quote], "行政复议 结果维持 28 … 总计 61", "table")
    assert holds_evidence(["一是政策解读多样性需进一步加强。二是依申请办件质量需进一步提升。"],
                          "五、存在的主要问题及改进情况 一是政策解读多样性需进一步加强", "text")
    assert not holds_evidence(["全年发布政策解读117篇"], "五、存在的主要问题 一是政策解读多样性需进一步加强", "text")


def test_printed_number_is_a_whole_token():
    assert number_printed_in("总计 713", "713")
    assert not number_printed_in("705 3 0 0 5 0 7130", "713")
    assert not number_printed_in("12.5", "2.5")
    assert number_printed_in("采购总金额75394432.52元", "75394432.52元")


# ---------------------------------------------------------------- question files


def test_load_gold_and_jsonl(tmp_path):
    from eval.qa import QAFileError, load_items

    (tmp_path / "a.jsonl").write_text('{"q": "x?", "a": "3", "type": "table", "report": "r1"}\n\n'
                                      '{"q": "y?", "a": null, "type": "unanswerable"}\n', encoding="utf-8")
    (tmp_path / "g.json").write_text(json.dumps({"id": "r2", "qa": [{"q": "z?", "a": "t", "type": "text"}]}),
                                     encoding="utf-8")
    items = load_items([tmp_path])
    assert [(i.q, i.report) for i in items] == [("x?", "r1"), ("y?", None), ("z?", "r2")]
    (tmp_path / "bad.jsonl").write_text('{"q": "x?", "a": "3", "type": "guess"}\n', encoding="utf-8")
    with pytest.raises(QAFileError, match="bad.jsonl:1"):
        load_items([tmp_path / "bad.jsonl"])
    with pytest.raises(QAFileError, match="no such file"):
        load_items([tmp_path / "missing.json"])


# ---------------------------------------------------------------- the gold set


@pytest.fixture(scope="module")
def facts_home(tmp_path_factory):
    """A store with the facts of every sample report (what `ingest` writes, without vectors)."""
    from index.parse import parse_file
    from index.store import FactStore

    home = tmp_path_factory.mktemp("eval-facts")
    st = FactStore(home / "facts.sqlite")
    for p in sorted(REPORTS.iterdir()):
        st.put(parse_file(p))
    st.close()
    return home


@pytest.fixture(scope="module")
def gold_run(facts_home, tmp_path_factory):
    """`gongkai eval ../shared/corpus/gold --home STORE` run once in-process: (exit code, JSON report, stdout)."""
    from gongkai.cli import main

    out = tmp_path_factory.mktemp("eval-out") / "gold"
    code = main(["eval", str(GOLD), "--home", str(facts_home), "--out", str(out), "--quiet"])
    return code, json.loads(out.with_name("gold.json").read_text(encoding="utf-8")), out.with_name("gold.md")


@needs_shared
def test_gold_set_holds_the_line(gold_run, capsys):
    code, doc, md = gold_run
    s = doc["summary"]
    with capsys.disabled():
        print(f"\n[eval] figures {s['figure']['correct']}/{s['figure']['n']}, text {s['text']['correct']}/"
              f"{s['text']['n']}, unanswerable {s['unanswerable']['correct']}/{s['unanswerable']['n']}, "
              f"citations {s['citation_accuracy']}")
    assert s["figure"]["n"] == 150 and s["unanswerable"]["n"] == 24
    assert s["figure_accuracy"] >= 0.98, s["misses"]
    assert s["unanswerable_accuracy"] == 1.0, s["misses"]
    assert code == 0
    assert s["citation_accuracy_when_correct"] >= 0.95, s["citation_misses"]
    assert "## Misses" in md.read_text(encoding="utf-8")
    assert len(doc["results"]) == 204 and all("seconds" in r for r in doc["results"])


@needs_shared
def test_below_threshold_exits_1(facts_home, tmp_path):
    from gongkai.cli import main

    qa = tmp_path / "wrong.jsonl"
    qa.write_text(json.dumps({"q": "江镜镇2020年有几起信息公开行政诉讼？", "a": "4", "type": "sum",
                              "report": "jiangjing-2020"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["eval", str(qa), "--home", str(facts_home), "--out", str(tmp_path / "r"), "--quiet"]) == 1
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    miss = doc["summary"]["misses"][0]
    assert miss["value"] == 3 and miss["gold"] == "4"  # the system's answer is reported next to the gold one


@needs_shared
def test_empty_store_is_a_usage_error(tmp_path):
    from gongkai.cli import main

    assert main(["eval", str(GOLD / "jiangjing-2020.json"), "--home", str(tmp_path / "empty"), "--quiet",
                 "--out", str(tmp_path / "r")]) == 2


@needs_shared
def test_real_index_with_recall(index_home, tmp_path):
    """The session's real index of the bundled corpus (facts, chunks, m3e vectors, BM25): thresholds and recall.

    pingtan-2019 ("去年…") and pingtan-2025 (no agency named) are left out here: their answers depend on
    which other reports the store holds, and they are scored on the full sample store above."""
    from gongkai.cli import main

    ids = ("jiangjing-2020", "pingtan-2021", "pingtan-2023", "pingtan-tourism-2019", "shanghai-kewei-2024",
           "shuyang-2025")
    out = tmp_path / "r"
    code = main(["eval", *[str(GOLD / f"{r}.json") for r in ids], "--home", str(index_home), "--out", str(out),
                 "--quiet"])
    doc = json.loads(out.with_name("r.json").read_text(encoding="utf-8"))
    s = doc["summary"]
    assert doc["meta"]["vectors"] is True
    assert s["figure_accuracy"] >= 0.98 and s["unanswerable_accuracy"] == 1.0, s["misses"]
    assert code == 0
    assert s["recall"]["n"] > 80 and s["recall"]["filtered@5"] >= 0.8, s["recall"]


@needs_shared
def test_baseline_side_by_side_on_one_report(tmp_path):
    """The naive llama-index pipeline (SentenceSplitter → VectorStoreIndex on Chroma, m3e-small) runs and is
    scored beside gongkai on the same questions."""
    from eval import qa
    from eval.baseline import NaiveRAG, compare, score_baseline
    from index.parse import parse_file
    from index.store import FactStore

    src = next(REPORTS.glob("jiangjing-2020.*"))
    FactStore(tmp_path / "facts.sqlite").put(parse_file(src))
    items = qa.load_items([GOLD / "jiangjing-2020.json"])
    results = qa.run(items, tmp_path, recall=False)
    rag = NaiveRAG([("jiangjing-2020", str(src))])
    try:
        assert rag.chunks > 5 and not rag.failed
        base = score_baseline(rag, items)
        side = compare(items, results, rag, base)
    finally:
        rag.close()
    answerable = len([i for i in items if i.type != "unanswerable"])
    assert side["baseline"]["top1_report"] == f"{answerable}/{answerable}"  # one report: always the right one
    assert side["gongkai"]["figure_exact"].split("/")[0] == str(sum(r.correct for r in results
                                                                   if r.item.type in ("table", "sum", "narrative")))
    from eval.report import baseline_table

    assert "naive llama-index" in baseline_table(side)


def test_evidence_given_per_operand_is_joined_and_other_shapes_are_named(tmp_path):
    from eval.qa import QAFileError, load_items

    f = tmp_path / "q.jsonl"
    f.write_text(json.dumps({"id": "x/1", "q": "两年相差多少", "type": "figure", "a": "3", "report": "r",
                             "evidence": ["行政处罚67+36103", "行政处罚类103条"]}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    (item,) = load_items([f])
    assert "行政处罚67+36103" in item.evidence and "行政处罚类103条" in item.evidence
    f.write_text(json.dumps({"id": "x/2", "q": "几件", "type": "figure", "a": "3", "evidence": 7}) + "\n")
    with pytest.raises(QAFileError, match="evidence"):
        load_items([f])
