"""The gold schema of GOLD-SPEC as the unseen-report validators check it (tests/test_unseen_fixture.py,
tests/test_unseen2_fixture.py): the manifest's columns, a gold file's fields, table 3's and table 4's keys in both
template generations, the template's row and column labels a plain-words question avoids, and the decimals the
arithmetic identities are checked in."""

from __future__ import annotations

import re
from decimal import Decimal

MANIFEST_COLUMNS = ["id", "file", "format", "agency", "year", "template", "source_repo", "source_path", "notes"]
GOLD_FIELDS = ["id", "agency", "year", "template", "table2", "table3", "table4", "narrative", "qa", "notes"]
T3_COLS = ["natural", "commercial", "research", "social", "legal", "other_org", "total"]
T3_PARTS = T3_COLS[:-1]
RESULTS = (["granted", "partial"] + [f"denied_{i}" for i in range(1, 9)] + [f"unable_{i}" for i in range(1, 4)]
           + [f"not_processed_{i}" for i in range(1, 6)])
T3_RESULTS = {2019: RESULTS + ["other"], 2021: RESULTS + ["other_1", "other_2", "other_3"]}
T3_ROWS = {t: ["new", "carried_over", *rows, "total", "carry_forward"] for t, rows in T3_RESULTS.items()}
T4_GROUPS = ["review", "suit_direct", "suit_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T4_KEYS = [f"{g}.{c}" for g in T4_GROUPS for c in T4_COLS]
# Rows and columns a plain-words question describes without naming.
ROW_LABELS = {
    "new": "新收", "carried_over": "上年结转", "carry_forward": "结转下年度", "granted": "予以公开", "partial": "部分公开",
    "denied_1": "国家秘密", "denied_2": "禁止公开", "denied_3": "三安全一稳定", "denied_4": "第三方合法权益",
    "denied_5": "内部事务", "denied_6": "过程性信息", "denied_7": "行政执法案卷", "denied_8": "行政查询事项",
    "unable_1": "不掌握", "unable_2": "另行制作", "unable_3": "补正后", "not_processed_1": "信访举报投诉",
    "not_processed_2": "重复申请", "not_processed_3": "公开出版物", "not_processed_4": "大量反复",
    "not_processed_5": "确认或重新出具", "other_1": "逾期不补正", "other_2": "收费通知",
    "suit_direct": "未经复议直接起诉", "suit_after_review": "复议后起诉",
}
COL_LABELS = {"natural": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益组织",
              "legal": "法律服务机构", "other_org": "其他"}
OUTCOME_LABELS = ("维持", "纠正", "其他结果", "尚未审结")


def dec(v) -> Decimal:
    """A gold value as a decimal (an amount printed with 元/万元 reads its number)."""
    if isinstance(v, str):
        return Decimal(re.fullmatch(r"(-?\d+(?:\.\d+)?)(万元|元)", v).group(1))
    return Decimal(str(v))


def contains_run(tokens: list[Decimal], run: list[Decimal]) -> bool:
    """Whether the numbers of a row stand one after another among a report's numbers."""
    n = len(run)
    return any(tokens[i:i + n] == run for i in range(len(tokens) - n + 1))


def z(v) -> Decimal:
    """A blank cell counts 0 in an identity."""
    return Decimal(0) if v is None else dec(v)
