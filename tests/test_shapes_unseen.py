"""Layouts that spread a table row over several lines (eval/shapes.py LAYOUT_CLASSES), generated from gold
reports of both template generations: every cell comes back, nothing lands in the wrong cell."""

from __future__ import annotations

import json

import pytest
from conftest import GOLD, needs_shared

from eval import shapes
from index.parse import parse_file
from index.tables import extract

pytestmark = needs_shared

# both generations: 2019–2020 (one with 政府集中采购 in 元), 2021+ with and without the three 其他处理 rows, and
# one with a blank cell
GOLDS = ("jiangjing-2020", "pingtan-tourism-2019", "hongze-2023", "pingtan-2021", "shanghai-kewei-2024")


def _golds() -> list[dict]:
    return [json.loads((GOLD / f"{g}.json").read_text(encoding="utf-8")) for g in GOLDS]


def _right(sh: shapes.Shape, path) -> tuple[set[str], list[str]]:
    """(cells read right, cells read wrong and not flagged)."""
    r = parse_file(path)
    got = {f.full_key: f for f in r.facts}
    right, wrong = set(), []
    for k, want in sh.expected.items():
        f = got.get(k)
        if f is not None and shapes._equal(f.value, want):
            right.add(k)
        elif f is not None and not f.ambiguous:
            wrong.append(f"{path.name}: {k} want {want!r} got {f.value!r}")
    return right, wrong


@pytest.mark.parametrize("cls", shapes.LAYOUT_CLASSES)
def test_every_cell_comes_back(cls, tmp_path):
    golds = _golds()
    made = shapes.variants(golds, ("spaced", "txt"), (cls,))
    assert {sh.template for sh in made} == {"2019", "2021"}
    baseline = {(sh.gold_id, sh.fmt): sh for sh in shapes.variants(golds, ("spaced", "txt"), ("baseline",))}
    for sh in made:
        path = shapes.write(sh, tmp_path)
        s = shapes.score(sh, path)
        assert s.wrong == 0 and s.false_audit == 0 and s.meta_right == 1, s.wrong_cells
        right, wrong = _right(sh, path)
        assert not wrong
        if sh.fmt in shapes.LAYOUT_FORMATS:
            missing = set(sh.expected) - right
        else:  # the same report typeset plainly in the same format: the layout loses no cell it reads
            base = baseline[(sh.gold_id, sh.fmt)]
            missing = _right(base, shapes.write(base, tmp_path))[0] - right
        assert not missing, f"{path.name}: {sorted(missing)[:10]}"


def test_the_layouts_look_like_what_they_are_named(tmp_path):
    g = _golds()[0]
    text = {sh.cls + "-" + sh.kind + "-" + sh.fmt: shapes.write(sh, tmp_path).read_text(encoding="utf-8")
            for sh in shapes.variants([g], ("spaced",), shapes.LAYOUT_CLASSES)}
    cells = text["cell_lines-plain-cells"].split("\n")
    assert "— 2 —" in cells and "0" in cells and not any("\t" in ln for ln in cells)
    assert "自然人：" in text["cards-renumbered-cards"] and "（1）属于国家秘密" in text["cards-renumbered-cards"]
    assert "（续表）" in text["continued-plain-spaced"] and "第 2 页 共 6 页" in text["continued-plain-spaced"]
    assert text["wrapped-tail-spaced"] != text["continued-plain-spaced"]


def _t3(lines: list[str]) -> str:
    head = ("第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 0 0 0\n规范性文件 1 1 1\n"
            "三、收到和处理政府信息公开申请情况\n")
    return head + "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况\n结果维持 结果纠正 其他结果 尚未审结 总计\n" + \
        " ".join(["0"] * 15) + "\n五、存在的主要问题\n"


def test_a_line_that_could_end_one_row_or_begin_the_next_goes_to_neither():
    # "确认或重新" could end the row above (5.要求行政机关) or begin the row below: neither row is read
    text = _t3(["4.无正当理由大量反复申请 0 0 0 0 0 0 0", "5.要求行政机关 1 0 0 0 0 0 1", "确认或重新",
                "出具已获取信息 2 0 0 0 0 0 2", "（六）其他处理 3 0 0 0 0 0 3"])
    ex = extract(text, 2020)
    got = {f.key: f.value for f in ex.facts if f.table == "table3"}
    assert "not_processed_5.natural" not in got
    assert got["other.natural"] == 3


def test_a_group_heading_alone_takes_no_row_of_another_group():
    # the label of 5.要求行政机关确认或重新出具已获取信息 lost: （六）其他处理's numbers stay 其他处理's
    text = _t3(["4.无正当理由大量反复申请 0 0 0 0 0 0 0", "5.要求行政机关确认或", "（六）其他处理 3 0 0 0 0 0 3"])
    got = {f.key: f.value for f in extract(text, 2020).facts if f.table == "table3"}
    assert "not_processed_5.natural" not in got and got["other.natural"] == 3
