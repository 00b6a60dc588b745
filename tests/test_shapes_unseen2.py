"""Plain-text layouts seen in unseen reports (eval/shapes_text.py TEXT_CLASSES), generated from gold reports of
both template generations: every cell comes back, nothing lands in the wrong cell."""

from __future__ import annotations

import json

import pytest
from conftest import GOLD, needs_shared

from eval import shapes
from index.parse import parse_file
from index.tables import extract

pytestmark = needs_shared

ST_CLASSES = ("split3", "dots", "pipes", "glued")
GOLDS = ("jiangjing-2020", "pingtan-tourism-2019", "hongze-2023", "pingtan-2021", "shanghai-kewei-2024")


def _golds() -> list[dict]:
    return [json.loads((GOLD / f"{g}.json").read_text(encoding="utf-8")) for g in GOLDS]


@pytest.mark.parametrize("cls", ST_CLASSES)
def test_every_cell_comes_back_and_none_lands_wrong(cls, tmp_path):
    made = shapes.variants(_golds(), (cls,), (cls,))
    assert {sh.template for sh in made} == {"2019", "2021"}
    for sh in made:
        path = shapes.write(sh, tmp_path)
        got = {f.full_key: f for f in parse_file(path).facts}
        wrong = [f"{k} want {w!r} got {got[k].value!r}" for k, w in sh.expected.items()
                 if k in got and not shapes._equal(got[k].value, w)]
        assert not wrong, f"{path.name}: {wrong[:10]}"
        missing = sorted(set(sh.expected) - set(got))
        assert not missing, f"{path.name}: {missing[:10]}"
        s = shapes.score(sh, path)
        assert s.wrong == 0 and s.false_audit == 0 and s.meta_right == 1, s.wrong_cells


def _split(rows31: list[str], rows32: list[str]) -> dict:
    text = ("第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 0 0 0\n规范性文件 1 1 1\n"
            "三、收到和处理政府信息公开申请情况\n表3-1（自然人）\n项目　自然人\n" + "\n".join(rows31) +
            "\n表3-2\n项目　法人或其他组织　总计\n商业企业　科研机构　社会公益组织　法律服务机构　其他\n" + "\n".join(rows32) +
            "\n四、政府信息公开行政复议、行政诉讼情况\n结果维持 结果纠正 其他结果 尚未审结 总计\n" + " ".join(["0"] * 15) +
            "\n五、存在的主要问题\n")
    return {f.key: f.value for f in extract(text, 2020).facts if f.table == "table3"}


def test_a_sub_table_never_writes_into_another_ones_cells():
    got = _split(["一、本年新收政府信息公开申请数量　142", "二、上年结转政府信息公开申请数量　6"],
                 ["一、本年新收政府信息公开申请数量　19　0　2　6　4　173", "二、上年结转政府信息公开申请数量　1　0　0　7"])
    assert got["new.natural"] == 142 and got["new.commercial"] == 19 and got["new.total"] == 173
    # four numbers under six columns: which are blank is unknown, so none is read
    assert got["carried_over.natural"] == 6 and not any(k.startswith("carried_over.") and k != "carried_over.natural"
                                                         for k in got)


def test_a_header_less_table_2_reads_rows_not_sentences():
    text = ("二、主动公开政府信息情况\n本年度办理行政许可 45 件，较上年增加。\n行政处罚 | 12\n规章 | 0 | 0 | 0\n"
            "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1\n"
            "四、政府信息公开行政复议、行政诉讼情况\n结果维持 结果纠正 其他结果 尚未审结 总计\n" + " ".join(["0"] * 15) +
            "\n五、存在的主要问题\n")
    got = {f.key: f.value for f in extract(text, 2022).facts if f.table == "table2"}
    assert got["penalty.decisions"] == 12 and got["regulations.issued"] == 0 and "licensing.decisions" not in got


def _t3_2020(lines: list[str]) -> dict:
    text = ("第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 0 0 0\n规范性文件 1 1 1\n"
            "行政强制/\n三、收到和处理政府信息公开申请情况\n" + "\n".join(lines) +
            "\n四、政府信息公开行政复议、行政诉讼情况\n结果维持 结果纠正 其他结果 尚未审结 总计\n" + " ".join(["0"] * 15) +
            "\n五、存在的主要问题\n")
    return {f.key: f.value for f in extract(text, 2020).facts if f.table == "table3"}


def test_a_row_printed_with_no_cells_is_blank_but_a_label_above_its_numbers_is_not():
    got = _t3_2020(["（三）不予公开", "1.属于国家秘密1 0 0 0 0 0 1", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”0 0 0 0 0 0 0",
                    "4.保护第三方合法权益", "2 0 0 0 0 0 2", "5.属于三类内部事务信息0 0 0 0 0 0 0"])
    assert got["denied_1.natural"] == 1 and got["denied_2.natural"] is None and got["denied_3.total"] == 0
    assert got.get("denied_4.natural", "unread") in (2, "unread")
