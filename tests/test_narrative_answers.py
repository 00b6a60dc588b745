"""Figures stated in a report's sentences, answered: a variant of the bundled township report whose text
states figures in the ways other reports print them (thousands separators, 万元, a compound word with a word
inserted)."""

from __future__ import annotations

import pytest
from zoo import variant

from index.parse import parse_file
from index.store import FactStore
from rag.answer import Answerer

AGENCY = "福清市测试镇人民政府"
SENTENCES = ("全年组织政务公开业务培训7期，培训人员1,150人次；全镇政务公开专项工作经费28.6万元。"
             "全年承办市人大代表建议31件，均已按时办结。召开新闻发布会十二场。"
             "在便民服务中心配备自助查询机4台；依申请公开平均办理时长为9.5个工作日。"
             "全年公开惠企政策兑现信息52条，涉及资金2.6亿元。")


@pytest.fixture(scope="module")
def ans(tmp_path_factory):
    home = tmp_path_factory.mktemp("narrative-home")
    text = variant(AGENCY).replace("一、总体情况\n", "一、总体情况\n" + SENTENCES + "\n", 1)
    src = home / "ceshi-2020.txt"
    src.write_text(text, encoding="utf-8")
    st = FactStore(home / "facts.sqlite")
    st.put(parse_file(src))
    st.close()
    return Answerer(home, use_index=False)


def test_a_figure_printed_with_a_thousands_separator_is_found_whole(ans):
    a = ans.ask("测试镇2020年政务公开培训了多少人次")
    assert a.kind == "figure" and a.value == 1150, a.answer


def test_money_asked_without_a_unit_takes_the_unit_the_report_prints(ans):
    a = ans.ask("测试镇2020年政务公开专项经费多少")
    assert a.kind == "figure" and str(a.value) == "28.6" and a.unit == "万元", a.answer
    b = ans.ask("测试镇2020年政务公开专项经费是多少元")  # 元 asked in so many words: 28.6万元 is not 28.6元
    assert b.value is None or str(b.value) != "28.6", b.answer


def test_a_count_in_chinese_numerals_is_answered_and_verified(ans):
    a = ans.ask("测试镇2020年开了几场新闻发布会")
    assert a.kind == "figure" and a.value == 12 and a.verified, (a.answer, a.verified)
    b = ans.ask("测试镇2020年政务公开培训了多少人次")
    assert b.verified, b.answer  # 1,150 printed, 1150 answered: the same number


def test_measure_words_of_things_and_working_days(ans):
    a = ans.ask("测试镇2020年配了几台自助查询机")
    assert a.kind == "figure" and a.value == 4 and a.unit == "台", a.answer
    b = ans.ask("测试镇2020年依申请公开平均办理要多少个工作日")
    assert b.kind == "figure" and str(b.value) == "9.5", b.answer


def test_a_clause_opening_with_a_linking_verb_continues_the_one_before(ans):
    a = ans.ask("测试镇2020年惠企政策兑现涉及资金多少亿元")
    assert a.kind == "figure" and str(a.value) == "2.6" and a.unit == "亿元", a.answer


def test_a_compound_with_a_word_inserted_matches(ans):
    a = ans.ask("测试镇2020年人大建议承办了几件")  # 人大建议 in 人大代表建议
    assert a.kind == "figure" and a.value == 31, a.answer


def test_a_row_word_inside_a_sentence_of_the_text_asks_which(tmp_path):
    # "第三方评估中位列第几名": 第三方 names table 3's row 4.保护第三方合法权益, but the question's other words stand
    # with it in one sentence of the text that states another number — never the table's figure alone
    text = variant(AGENCY).replace("一、总体情况\n", "一、总体情况\n在全市政务公开第三方评估中位列乡镇第3名。\n", 1)
    src = tmp_path / "ceshi-2020.txt"
    src.write_text(text, encoding="utf-8")
    st = FactStore(tmp_path / "facts.sqlite")
    st.put(parse_file(src))
    st.close()
    a = Answerer(tmp_path, use_index=False).ask("测试镇2020年在全市政务公开第三方评估中位列第几名")
    assert a.value in (None, 3), a.answer


@pytest.fixture(scope="module")
def ans2(tmp_path_factory):
    """A report whose text also states a channel's count (微信公众号) beside its year's whole, and writes a
    sentence in section 二 before the table."""
    home = tmp_path_factory.mktemp("narrative-home-2")
    text = variant("福清市样本镇人民政府").replace(
        "（六）监督保障情况\n", "我镇通过微信公众号公开政府信息480条。\n（六）监督保障情况\n", 1).replace(
        "二、主动公开政府信息情况\n", "二、主动公开政府信息情况\n（一）主动公开政府信息的数量2020年制作、获取政府信息500条。"
        "2020年，我镇公开规范性文件类信息37条，均在网站专栏发布。\n", 1)
    src = home / "yangben-2020.txt"
    src.write_text(text, encoding="utf-8")
    st = FactStore(home / "facts.sqlite")
    st.put(parse_file(src))
    st.close()
    return Answerer(home, use_index=False)


def test_a_sentence_written_before_a_table_is_read(ans2):
    a = ans2.ask("样本镇2020年公开了多少条规范性文件类信息")
    assert a.kind == "figure" and a.value == 37, a.answer
    # the section's headings are not the sentence's words: 500 is what was made and obtained, not 主动公开
    b = ans2.ask("样本镇2020年主动公开政府信息多少条")
    assert b.kind == "figure" and b.value == 9, b.answer


def test_the_years_whole_is_asked_for_not_one_channels_count(ans2):
    # 全年…共 asks for the whole the report states (共主动公开政府信息9条), not what one channel published (480)
    a = ans2.ask("样本镇2020年全年公开政府信息共多少条")
    assert a.kind == "figure" and a.value == 9, a.answer
    b = ans2.ask("样本镇2020年通过微信公众号公开了多少条信息")
    assert b.kind == "figure" and b.value == 480, b.answer


def test_a_heading_sentence_names_what_the_next_sentence_counts(tmp_path):
    # "三是做好惠企纾困政策公开。在网站设立专栏，发布政策文件20件": the heading says what the 20 are about
    home = tmp_path
    text = variant("福清市样例镇人民政府").replace(
        "（六）监督保障情况\n", "三是做好惠企纾困政策公开。在网站显眼位置设立专栏，发布政策文件20件。\n（六）监督保障情况\n", 1)
    src = home / "yangli-2020.txt"
    src.write_text(text, encoding="utf-8")
    st = FactStore(home / "facts.sqlite")
    st.put(parse_file(src))
    st.close()
    a = Answerer(home, use_index=False).ask("样例镇2020年在惠企纾困政策专栏发布政策文件多少件")
    assert a.kind == "figure" and a.value == 20, a.answer


def test_a_phrase_of_the_question_with_a_word_inserted_in_the_report(tmp_path):
    # a real department report prints 公开公安政府信息184条: 公开政府信息 with the agency's word inserted
    from pathlib import Path

    st = FactStore(tmp_path / "facts.sqlite")
    for rid in ("pt-gaj-2021", "pt-gaj-2024"):
        st.put(parse_file(Path(__file__).parent / "fixtures" / "wild" / "reports" / f"{rid}.txt", rid))
    st.close()
    ans = Answerer(tmp_path, use_index=False)
    a = ans.ask("平潭公安局2021年主动公开了多少条信息")
    assert a.kind == "figure" and a.value == 184, a.answer
    b = ans.ask("平潭公安局2024年主动公开的信息比21年少了多少条")  # 少了: the amount it fell, not −49
    assert b.kind == "figure" and b.value == 184 - ans.ask("平潭公安局2024年主动公开了多少条信息").value, b.answer


def test_counts_that_name_their_thing_after_the_number(tmp_path):
    # "对全镇3个政府网站、12个政务新媒体开展常态化监管": each count's thing follows it
    text = variant("福清市样貌镇人民政府").replace(
        "（六）监督保障情况\n", "对全镇3个政府网站、12个政务新媒体开展常态化监管。\n（六）监督保障情况\n", 1)
    src = tmp_path / "yangmao-2020.txt"
    src.write_text(text, encoding="utf-8")
    st = FactStore(tmp_path / "facts.sqlite")
    st.put(parse_file(src))
    st.close()
    a = Answerer(tmp_path, use_index=False).ask("样貌镇2020年对多少个政务新媒体开展常态化监管")
    assert a.kind == "figure" and a.value == 12, a.answer
