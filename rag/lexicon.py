"""Words people use → template cells. Longest phrases are matched first and consumed, so
"未经复议直接起诉" is not also read as "复议".

Each concept maps to row keys (a list means "sum these rows") and a table; column concepts map
to column keys, per template generation where they differ.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    name: str  # display name (Chinese)
    table: str
    rows: tuple[str, ...]  # row keys; several = a sum the template implies
    words: tuple[str, ...]
    default_col: str = "total"


T3_DENIED = tuple(f"denied_{i}" for i in range(1, 9))
T3_UNABLE = tuple(f"unable_{i}" for i in range(1, 4))
T3_NOTPROC = tuple(f"not_processed_{i}" for i in range(1, 6))
T3_OTHER = ("other", "other_1", "other_2", "other_3")  # whichever the report has
T3_ORG_COLS = ("commercial", "research", "social", "legal", "other_org")

ROW_CONCEPTS: tuple[Concept, ...] = (
    # table 4 (specific before generic)
    Concept("行政诉讼·未经复议直接起诉", "table4", ("suit_direct",),
            ("未经复议直接起诉", "未经复议直接", "直接起诉", "直接提起诉讼", "sued directly", "direct lawsuit")),
    Concept("行政诉讼·复议后起诉", "table4", ("suit_after_review",),
            ("复议后起诉", "复议后提起诉讼", "after reconsideration", "after review")),
    Concept("行政复议和行政诉讼", "table4", ("review", "suit_direct", "suit_after_review"),
            ("复议和诉讼", "复议和行政诉讼", "复议、行政诉讼", "复议、诉讼", "复议和起诉", "复议与诉讼", "复议及诉讼",
             "复议、起诉", "reconsideration and litigation", "reconsiderations and lawsuits",
             "reconsideration and lawsuit", "review and litigation")),
    Concept("行政诉讼", "table4", ("suit_direct", "suit_after_review"),
            ("行政诉讼", "诉讼", "起诉", "打官司", "被告", "lawsuits", "lawsuit", "litigation", "sued", "court cases",
             "court")),
    Concept("行政复议", "table4", ("review",), ("行政复议", "复议", "reconsideration", "administrative review",
                                               "appeals", "appeal")),
    # table 3
    Concept("一、本年新收和二、上年结转", "table3", ("new", "carried_over"),
            ("新收和上年结转", "新收加上年结转", "新收及上年结转", "new plus carried over", "new and carried-over",
             "new and carried over", "both new and carried", "new plus carried")),
    Concept("二、上年结转", "table3", ("carried_over",), ("上年结转", "上年度结转", "从上年结转", "carried over from",
                                                       "carried-over from")),
    Concept("四、结转下年度继续办理", "table3", ("carry_forward",),
            ("结转下年度", "结转到下一年", "转到下一年", "转入下一年度", "转下一年", "结转至下一年", "转下一年度", "结转下一年", "转入下一年", "carried forward",
             "carry forward", "into next year")),
    Concept("（一）予以公开和（二）部分公开", "table3", ("granted", "partial"),
            ("予以公开和部分公开", "予以公开及部分公开", "全部公开和部分公开", "full or partial disclosure",
             "fully or partially")),
    Concept("（一）予以公开", "table3", ("granted",), ("予以公开", "全部公开", "同意公开", "准予公开", "granted",
                                                    "fully disclosed", "full disclosure")),
    Concept("（二）部分公开", "table3", ("partial",), ("部分公开", "partially disclosed", "partial disclosure")),
    Concept("1.属于国家秘密", "table3", ("denied_1",), ("国家秘密", "state secret")),
    Concept("2.其他法律行政法规禁止公开", "table3", ("denied_2",), ("法律行政法规禁止", "其他法律行政法规")),
    Concept("3.危及“三安全一稳定”", "table3", ("denied_3",), ("三安全一稳定", "三安全")),
    Concept("4.保护第三方合法权益", "table3", ("denied_4",), ("第三方合法权益", "第三方", "third part")),
    Concept("5.属于三类内部事务信息", "table3", ("denied_5",), ("内部事务", "internal affairs")),
    Concept("6.属于四类过程性信息", "table3", ("denied_6",), ("过程性信息", "过程性", "process information")),
    Concept("7.属于行政执法案卷", "table3", ("denied_7",), ("行政执法案卷", "执法案卷", "law enforcement files")),
    Concept("8.属于行政查询事项", "table3", ("denied_8",), ("行政查询事项", "查询事项")),
    Concept("（三）不予公开", "table3", T3_DENIED, ("不予公开", "不公开", "denied", "refused", "withheld")),
    Concept("1.本机关不掌握相关政府信息", "table3", ("unable_1",), ("不掌握", "do not hold", "not held")),
    Concept("2.没有现成信息需要另行制作", "table3", ("unable_2",), ("没有现成", "另行制作")),
    Concept("3.补正后申请内容仍不明确", "table3", ("unable_3",), ("补正后", "仍不明确")),
    Concept("（四）无法提供", "table3", T3_UNABLE, ("无法提供", "could not be provided", "unable to provide")),
    Concept("1.信访举报投诉类申请", "table3", ("not_processed_1",), ("信访", "举报投诉", "投诉")),
    Concept("2.重复申请", "table3", ("not_processed_2",), ("重复申请", "repeated requests", "duplicate")),
    Concept("3.要求提供公开出版物", "table3", ("not_processed_3",), ("公开出版物",)),
    Concept("4.无正当理由大量反复申请", "table3", ("not_processed_4",), ("大量反复",)),
    Concept("5.要求行政机关确认或重新出具已获取信息", "table3", ("not_processed_5",), ("重新出具", "确认或重新")),
    Concept("（五）不予处理", "table3", T3_NOTPROC, ("不予处理", "not processed")),
    Concept("1.申请人无正当理由逾期不补正", "table3", ("other_1",), ("逾期不补正", "不补正")),
    Concept("2.申请人逾期未按收费通知要求缴纳费用", "table3", ("other_2",), ("收费通知", "缴纳费用", "逾期未缴费", "未缴费")),
    Concept("（六）其他处理", "table3", T3_OTHER, ("其他处理", "otherwise handled", "other handling")),
    Concept("（七）总计", "table3", ("total",), ("办结", "办理完毕", "答复了", "concluded", "handled in total",
                                              "办理结果总计")),
    Concept("一、本年新收政府信息公开申请数量", "table3", ("new",),
            ("本年新收", "新收", "收到", "提出了", "提出的", "申请数量", "received", "requests", "applications",
             "新增申请", "多收", "申请")),
    # table 2
    Concept("其他对外管理服务事项", "table2", ("other_services",), ("其他对外管理服务", "对外管理服务")),
    Concept("行政许可", "table2", ("licensing",), ("行政许可", "许可", "licens", "permit"), "decisions"),
    Concept("行政处罚和行政强制", "table2", ("penalty", "coercion"), ("行政处罚和行政强制", "处罚和强制",
                                                                  "行政处罚、行政强制"), "decisions"),
    Concept("行政处罚", "table2", ("penalty",), ("行政处罚", "处罚", "penalt", "fines"), "decisions"),
    Concept("行政强制", "table2", ("coercion",), ("行政强制", "强制措施", "强制", "coercive", "enforcement measures"),
            "decisions"),
    Concept("行政事业性收费", "table2", ("fees",), ("行政事业性收费", "事业性收费", "收费金额", "administrative fees"),
            "amount"),
    Concept("政府集中采购", "table2", ("procurement",), ("政府集中采购", "集中采购", "采购", "procurement"), "amount"),
    Concept("规章", "table2", ("regulations",), ("规章", "regulations", "rules"), "in_force"),
    Concept("行政规范性文件", "table2", ("normative_docs",), ("规范性文件", "normative documents", "normative"),
            "in_force"),
)

# column words → column concept (resolved per table and template in question.py)
COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # table 4
    ("upheld", ("结果维持", "维持", "upheld", "affirmed")),
    ("corrected", ("结果纠正", "被纠正", "纠正", "纠错", "corrected", "overturned", "reversed")),
    ("t4_other", ("其他结果", "other outcome", "other result")),
    ("pending", ("尚未审结", "未审结", "未结", "pending", "undecided")),
    # table 3 applicants
    ("org", ("法人或其他组织", "法人和其他组织", "legal persons", "organisations", "organizations")),
    ("natural", ("自然人", "个人", "公民", "群众", "individuals", "citizens", "natural person")),
    ("commercial", ("商业企业", "企业", "companies", "businesses", "enterprises")),
    ("research", ("科研机构", "research institutions")),
    ("social", ("社会公益组织", "公益组织", "public welfare", "charities", "ngo")),
    ("legal", ("法律服务机构", "律师事务所", "律所", "law firms", "legal service")),
    # table 2
    ("new_made", ("新制作", "新制发", "制发", "新出台", "issued", "new made")),
    ("new_published", ("新公开",)),
    ("repealed", ("废止", "repealed", "abolished")),
    ("in_force", ("现行有效", "有效的", "in force", "currently valid", "valid")),
    ("prev_items", ("上一年项目数量", "上一年项目", "上年项目", "上一年")),
    ("change", ("本年增/减", "增/减", "增减", "增加或减少")),
    ("decisions", ("处理决定", "决定", "decisions")),
    ("items", ("采购项目数量", "几个项目", "多少个项目", "项目数量", "项目有多少", "项目", "projects", "items")),
    ("amount", ("总金额", "金额", "多少钱", "amount", "how much money", "value")),
)

# column concept → key, per table/template
def column_key(concept: str, table: str, template: str, row: str) -> str | None:
    """Resolve a column concept for one row of one template generation; None if it does not apply."""
    if table == "table4":
        return {"upheld": "upheld", "corrected": "corrected", "t4_other": "other", "pending": "pending"}.get(concept)
    if table == "table3":
        return concept if concept in ("natural", "commercial", "research", "social", "legal") else None
    # table 2
    if row in ("regulations", "normative_docs"):
        if template == "2019":
            return {"new_made": "new_made", "new_published": "new_published", "in_force": "total_published",
                    "repealed": None}.get(concept)
        return {"new_made": "issued", "repealed": "repealed", "in_force": "in_force"}.get(concept)
    if row == "procurement":
        return concept if concept in ("items", "amount") else None
    if row == "fees":
        if template == "2019":
            return {"prev_items": "prev_items", "change": "change"}.get(concept)
        return "amount" if concept == "amount" else None
    if template == "2019":
        return concept if concept in ("prev_items", "change", "decisions") else None
    return "decisions" if concept == "decisions" else None


def default_column(row_concept: Concept, template: str, row: str) -> str:
    """The column a bare question about this row means (行政许可 → 处理决定数量, 规范性文件 → 现行有效)."""
    if row_concept.table != "table2":
        return "total"
    if row in ("regulations", "normative_docs"):
        return "total_published" if template == "2019" else "in_force"
    if row == "fees":
        return "prev_items" if template == "2019" else "amount"
    if row == "procurement":
        return "amount"
    return "decisions"


UNIT_OF = {"table2.fees.amount": "万元", "table2.procurement.items": "个", "table2.procurement.amount": ""}


def unit_for(full_key: str) -> str:
    """Unit of a template cell (件 for counts)."""
    if full_key in UNIT_OF:
        return UNIT_OF[full_key]
    if full_key.startswith("table2.") and full_key.endswith(("prev_items", "change")):
        return "项"
    return "件"
