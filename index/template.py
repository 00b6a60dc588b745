"""The national template's tables: Chinese labels ↔ stable English keys (the GOLD-SPEC schema)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str  # canonical printed label
    patterns: tuple[str, ...]  # any of these substrings (whitespace removed) identifies the row
    columns: tuple[str, ...]  # column keys in printed order
    group: str = ""  # heading printed above the row (e.g. 第二十条第（五）项 or （三）不予公开)
    whole: bool = False  # a pattern names the row only as the label's whole wording ("3.其他", not "不计其他情形")


# Column labels as printed in the template
COLUMN_LABELS: dict[str, str] = {
    # table 2, 2019-2020
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "prev_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "items": "采购项目数量",
    "amount": "采购总金额",
    # table 2, 2021+
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    # table 3
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social": "社会公益组织",
    "legal": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
    # table 4
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}

T2_2019: tuple[RowSpec, ...] = (
    RowSpec("regulations", "规章", ("规章",), ("new_made", "new_published", "total_published"), "第二十条第（一）项"),
    RowSpec("normative_docs", "规范性文件", ("规范性文件",), ("new_made", "new_published", "total_published"),
            "第二十条第（一）项"),
    RowSpec("licensing", "行政许可", ("行政许可",), ("prev_items", "change", "decisions"), "第二十条第（五）项"),
    RowSpec("other_services", "其他对外管理服务事项", ("其他对外管理服务", "对外管理服务事项"),
            ("prev_items", "change", "decisions"), "第二十条第（五）项"),
    RowSpec("penalty", "行政处罚", ("行政处罚",), ("prev_items", "change", "decisions"), "第二十条第（六）项"),
    RowSpec("coercion", "行政强制", ("行政强制",), ("prev_items", "change", "decisions"), "第二十条第（六）项"),
    RowSpec("fees", "行政事业性收费", ("行政事业性收费", "事业性收费"), ("prev_items", "change"), "第二十条第（八）项"),
    RowSpec("procurement", "政府集中采购", ("政府集中采购", "集中采购"), ("items", "amount"), "第二十条第（九）项"),
)

T2_2021: tuple[RowSpec, ...] = (
    RowSpec("regulations", "规章", ("规章",), ("issued", "repealed", "in_force"), "第二十条第（一）项"),
    RowSpec("normative_docs", "行政规范性文件", ("规范性文件",), ("issued", "repealed", "in_force"), "第二十条第（一）项"),
    RowSpec("licensing", "行政许可", ("行政许可",), ("decisions",), "第二十条第（五）项"),
    RowSpec("penalty", "行政处罚", ("行政处罚",), ("decisions",), "第二十条第（六）项"),
    RowSpec("coercion", "行政强制", ("行政强制",), ("decisions",), "第二十条第（六）项"),
    RowSpec("fees", "行政事业性收费", ("行政事业性收费", "事业性收费"), ("amount",), "第二十条第（八）项"),
)

T3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")


def _r3(key: str, label: str, patterns: tuple[str, ...], group: str = "", whole: bool = False) -> RowSpec:
    return RowSpec(key, label, patterns, T3_COLUMNS, group, whole)


_T3_HEAD = (
    _r3("new", "一、本年新收政府信息公开申请数量", ("本年新收", "本年度新收")),
    _r3("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转", "上年度结转")),
    _r3("granted", "（一）予以公开", ("予以公开",), "三、本年度办理结果"),
    _r3("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",), "三、本年度办理结果"),
    _r3("denied_1", "1.属于国家秘密", ("国家秘密",), "（三）不予公开"),
    _r3("denied_2", "2.其他法律行政法规禁止公开", ("其他法律", "行政法规禁止", "止公开"), "（三）不予公开"),
    _r3("denied_3", "3.危及“三安全一稳定”", ("三安全", "一稳定"), "（三）不予公开"),
    _r3("denied_4", "4.保护第三方合法权益", ("第三方",), "（三）不予公开"),
    _r3("denied_5", "5.属于三类内部事务信息", ("内部事务",), "（三）不予公开"),
    _r3("denied_6", "6.属于四类过程性信息", ("过程性",), "（三）不予公开"),
    _r3("denied_7", "7.属于行政执法案卷", ("执法案卷", "行政执"), "（三）不予公开"),
    _r3("denied_8", "8.属于行政查询事项", ("查询事项",), "（三）不予公开"),
    _r3("unable_1", "1.本机关不掌握相关政府信息", ("不掌握",), "（四）无法提供"),
    _r3("unable_2", "2.没有现成信息需要另行制作", ("没有现成", "另行制作"), "（四）无法提供"),
    _r3("unable_3", "3.补正后申请内容仍不明确", ("补正后", "仍不明确"), "（四）无法提供"),
    _r3("not_processed_1", "1.信访举报投诉类申请", ("信访", "举报投诉"), "（五）不予处理"),
    _r3("not_processed_2", "2.重复申请", ("重复申请",), "（五）不予处理"),
    _r3("not_processed_3", "3.要求提供公开出版物", ("公开出版物",), "（五）不予处理"),
    _r3("not_processed_4", "4.无正当理由大量反复申请", ("大量反复",), "（五）不予处理"),
    _r3("not_processed_5", "5.要求行政机关确认或重新出具已获取信息", ("重新出具", "确认或重"), "（五）不予处理"),
)
_T3_OTHER_ONE = (_r3("other", "（六）其他处理", ("其他处理",)),)
_T3_OTHER_THREE = (
    _r3("other_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ("逾期不补正", "不补正"),
        "（六）其他处理"),
    _r3("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("收费通知", "缴纳费用", "逾期未缴纳"), "（六）其他处理"),
    _r3("other_3", "3.其他", ("其他",), "（六）其他处理", whole=True),
)
_T3_TAIL = (
    _r3("total", "（七）总计", ("总计",)),
    _r3("carry_forward", "四、结转下年度继续办理", ("结转下年度", "结转下一年")),
)

T3_2019 = _T3_HEAD + _T3_OTHER_ONE + _T3_TAIL
T3_2021 = _T3_HEAD + _T3_OTHER_THREE + _T3_TAIL

T4_GROUPS = (("review", "行政复议"), ("suit_direct", "行政诉讼·未经复议直接起诉"),
             ("suit_after_review", "行政诉讼·复议后起诉"))
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

TABLE_TITLES = {
    "table2": "主动公开政府信息情况",
    "table3": "收到和处理政府信息公开申请情况",
    "table4": "政府信息公开行政复议、行政诉讼情况",
}

SECTION_TITLES = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)


# 2021+ table 2 words some columns differently from 2019–2020
COLUMN_LABELS_2021 = {"decisions": "本年处理决定数量", "amount": "本年收费金额（单位：万元）"}


def column_label(table: str, template: str, row: str, col: str) -> str:
    """The column header as the template of that generation prints it."""
    if table == "table2" and template == "2021" and col in COLUMN_LABELS_2021:
        return COLUMN_LABELS_2021[col]
    return COLUMN_LABELS[col]


def table2_rows(template: str) -> tuple[RowSpec, ...]:
    return T2_2019 if template == "2019" else T2_2021


def table3_rows(template: str, other_split: bool) -> tuple[RowSpec, ...]:
    return T3_2021 if other_split else T3_2019


def row_label(table: str, key: str) -> str:
    """Return the canonical Chinese label for a row/group key of any table."""
    if table == "table4":
        return dict(T4_GROUPS).get(key, key)
    for spec in (*T2_2019, *T2_2021, *T3_2019, *T3_2021):
        if spec.key == key:
            return spec.label
    return key


def all_keys(template: str, other_split: bool) -> list[str]:
    """Return every full fact key (`table3.new.total`) the template defines."""
    keys = [f"table2.{r.key}.{c}" for r in table2_rows(template) for c in r.columns]
    keys += [f"table3.{r.key}.{c}" for r in table3_rows(template, other_split) for c in r.columns]
    keys += [f"table4.{g}.{c}" for g, _ in T4_GROUPS for c in T4_COLUMNS]
    return keys
