"""`ask` behaviour on the real sample reports: figures from the tables with citations and verification,
not_found instead of guesses, clarify when several agencies match, the JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import needs_shared

from rag.answer import Answerer, answer_json

pytestmark = needs_shared


@pytest.fixture(scope="module")
def facts_home(sample_facts_home):
    return sample_facts_home


@pytest.fixture(scope="module")
def ans(facts_home):
    return Answerer(facts_home, use_index=False)


def test_product_owner_example_chinese(ans):
    a = ans.ask("江镜镇2020年有几起信息公开行政诉讼？")
    assert a.kind == "figure" and a.value == 3 and a.verified is True
    rows = [c.table_row for c in a.citations]
    assert any("未经复议直接起诉" in r for r in rows) and any("复议后起诉" in r for r in rows)
    assert all(c.report_id == "jiangjing-2020" for c in a.citations)
    assert "3" in a.citations[0].quote


def test_litigation_2020_without_agency_picks_the_only_agency_with_2020(ans):
    a = ans.ask("how many litigation cases in 2020")
    assert a.kind == "figure" and a.value == 3
    assert any("only" in n for n in a.notes)


def test_litigation_without_agency_asks_back_when_several_match(ans):
    a = ans.ask("how many litigation cases in 2024")
    assert a.kind == "clarify" and a.value is None
    # it shows what each report says, so the user can pick
    for agency, v in (("淮安市人民政府", "46"), ("淮安市洪泽区人民政府", "4")):
        assert f"{agency} 2024: {v}" in a.answer


def test_unknown_agency_and_missing_year_are_not_found(ans):
    a = ans.ask("北京市2020年收到多少件政府信息公开申请？")
    assert a.kind == "not_found" and a.value is None
    b = ans.ask("平潭2020年收到多少件政府信息公开申请？")
    assert b.kind == "not_found" and b.value is None
    assert any("2019" in n and "2021" in n for n in b.notes)


def test_figure_the_report_does_not_state_is_not_found(ans):
    a = ans.ask("洪泽区2023年发布了多少条政策解读？")
    assert a.kind == "not_found" and a.value is None
    assert "多少" not in a.answer and not any(ch.isdigit() for ch in a.answer.replace("2023", ""))


def test_audit_note_on_inconsistent_cell(ans):
    a = ans.ask("洪泽区2023年年报表格里，行政复议“总计”一栏填的是多少？")
    assert a.kind == "figure" and a.value == 0
    assert any("11" in n for n in a.notes)  # printed 0, parts add up to 11


def test_ambiguous_split_is_flagged(ans):
    a = ans.ask("截至2021年底平潭现行有效的行政规范性文件有多少件？")
    assert a.value == 665
    assert any("run together" in n or "连在一起" in n for n in a.notes)


def test_sum_cites_every_cell(ans):
    a = ans.ask("洪泽区2024年政府信息公开行政复议和行政诉讼一共有多少件？")
    assert a.value == 6
    assert len(a.citations) == 3


def test_compare_trend_rank_share(ans):
    c = ans.ask("平潭2023年比2021年多收了多少申请？")
    assert c.value == 81 - 70
    t = ans.ask("平潭历年新收申请数量的趋势")
    assert [x.year for x in t.citations] == [2019, 2021, 2023, 2025]
    r = ans.ask("2024年哪个机关的行政诉讼最多？")
    # "哪个机关…最多" asks for the agency: its name first, the figures (46 …) after it, no bare number
    assert r.kind == "text" and r.answer.startswith("淮安市人民政府") and "46" in r.answer
    n = ans.ask("2024年行政诉讼最多的机关有多少件？")
    assert n.kind == "figure" and n.value == 46
    s = ans.ask("What share of Pingtan's 2023 applications ended in full or partial disclosure?")
    assert str(s.value) == "51.85" and s.unit == "%"


def test_narrative_figure_cited_to_its_sentence(ans):
    a = ans.ask("江镜镇历年累计主动公开的政府信息有多少条？")
    assert a.value == 451 and a.unit == "条" and a.verified
    assert "历年累计主动公开政府信息451条" in a.citations[0].quote


def test_text_answers(ans):
    a = ans.ask("江镜镇政府信息公开的联系电话是多少？")
    assert a.kind == "text" and a.answer == "0591-85728151"
    p = ans.ask("江镜镇2020年政府信息公开工作存在哪些主要问题？")
    assert "队伍建设仍需加强" in p.answer
    n = ans.ask("沭阳县政府信息公开工作的联系电话是多少？")
    assert n.kind == "not_found"


def test_json_contract(ans):
    j = answer_json(ans.ask("How many lawsuits over government information disclosure did Shuyang County face in 2025?"))
    assert set(j) == {"question", "answer", "kind", "value", "unit", "reports", "citations", "verified", "notes",
                      "interpretation"}
    assert j["interpretation"]["line"].startswith("Read as:")
    assert j["value"] == 13 and j["kind"] == "figure"
    c = j["citations"][0]
    assert set(c) == {"report_id", "agency", "year", "section", "table_row", "page", "source", "quote"}
    json.dumps(j, ensure_ascii=False)


def test_cli_batch_json(facts_home, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"q": "江镜镇2020年有几起信息公开行政诉讼？"}\nnot json\n{"q": "2019年平潭综合实验区一共收到了多少件政府信息公开申请？"}\n',
                     encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "gongkai.cli", "ask", "--batch", str(batch), "--json", "--home",
                          str(facts_home)], capture_output=True, text=True)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["value"] for x in lines] == [3, 23]
    assert out.returncode == 1 and "q.jsonl:2" in out.stderr
