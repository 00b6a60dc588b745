"""Number normalisation and row tokenising on the messy forms real reports print."""

from decimal import Decimal

import pytest

from index.numbers import parse_number, to_decimal
from index.rows import line_rows
from index.splitter import splits
from index.tables import extract


@pytest.mark.parametrize("raw,want", [("12", 12), ("１２", 12), ("1,234", 1234), ("7730.28", Decimal("7730.28")),
                                      ("12.5万", 125000), ("—", None), ("/", None), ("无", None), ("", None),
                                      ("1个", 1), ("246900元", 246900)])
def test_parse_number(raw, want):
    assert parse_number(raw) == want


def test_to_decimal_compares_printed_forms():
    assert to_decimal("73802895.90元") == to_decimal(73802895.9)
    assert to_decimal("+17") == 17
    assert to_decimal("7700余条") == 7700


def test_rows_keep_blank_cells_and_enumerators():
    (r,) = line_rows("行政许可\t1,234\t—\t１２", 0)
    assert [t.text for t in r.nums] == ["1,234", "", "１２"]
    rows = line_rows("规章000行政规范性文件693665第二十条", 0)
    assert [x.label for x in rows][:2] == ["规章", "行政规范性文件"]
    rows = line_rows("1.属于国家秘密00000002.其他法律行政法规禁止公开0000000", 0)
    assert [t.text for t in rows[0].nums] == ["0000000"] and rows[1].label.startswith("2.")


def test_splitter_respects_leading_zeros():
    assert ("64", "0", "0", "2", "0", "4", "70") in splits(["640020470"], 7)
    assert all(not (c != "0" and c.startswith("0")) for s in splits(["100153"], 3) for c in s)


def test_table_with_missing_row_and_odd_cells_is_reported_not_guessed():
    text = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
            "规章\t—\t/\t无\n行政规范性文件\t１２\t1,234\t3\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n")
    ex = extract(text, 2023)
    got = {f.full_key: f.value for f in ex.facts}
    assert got["table2.regulations.issued"] is None
    assert got["table2.normative_docs.issued"] == 12 and got["table2.normative_docs.repealed"] == 1234
    assert got["table3.new.total"] == 1
    assert any("行政许可" in w and "not found" in w for w in ex.warnings)
