"""The template catalog: every cell of both generations (table, row, column, printed labels, zh/en
descriptions) and the words people use for them — the one home of the template's question vocabulary.

Rows and columns are separate concepts: a question names a row ("复议后起诉", "carried forward") and
maybe a column ("企业", "尚未审结"); the cell is their product in the report's generation. A row concept
with several row keys is a sum the template implies (行政诉讼 = 未经复议直接起诉 + 复议后起诉).

Matching (`find`) returns scored hits, never one guess: exact phrases (longest first, consumed), the
same phrases with one or two characters inserted ("结转到下年度" for 结转下年度), patterns for the
constructions people use ("复议之后又去法院起诉"), English, and pinyin input ("fuyi hou qisu").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from index import template as T


@dataclass(frozen=True)
class Concept:
    """A row (or a sum of rows) of one table, with the words that name it."""

    name: str  # display name (Chinese, as printed)
    table: str
    rows: tuple[str, ...]  # row keys; several = a sum the template implies
    words: tuple[str, ...]  # zh and en phrases
    default_col: str = "total"
    patterns: tuple[str, ...] = ()  # regexes over the squeezed lower-case question
    en: str = ""  # English description
    parts: tuple[Concept, ...] = ()  # for a sum the question names (无法提供和不予处理): the rows it adds


@dataclass(frozen=True)
class Column:
    """A column concept (resolved per table and generation by `column_key`)."""

    name: str
    words: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    zh: str = ""
    en: str = ""


@dataclass(frozen=True)
class Hit:
    """Where a concept was named in the question, and how strongly."""

    concept: Concept | Column
    phrase: str
    start: int
    end: int
    score: float  # phrase length, less for inserted characters / pinyin
    how: str  # exact | gap | pattern | pinyin


T3_DENIED = tuple(f"denied_{i}" for i in range(1, 9))
T3_UNABLE = tuple(f"unable_{i}" for i in range(1, 4))
T3_NOTPROC = tuple(f"not_processed_{i}" for i in range(1, 6))
T3_OTHER = ("other", "other_1", "other_2", "other_3")  # whichever the report has
T3_ORG_COLS = ("commercial", "research", "social", "legal", "other_org")
T3_RESULT_ROWS = ("granted", "partial", *T3_DENIED, *T3_UNABLE, *T3_NOTPROC, *T3_OTHER)

_SUIT = r"(?:起诉|诉讼|告到?法院|告上法庭|打官司|上法院|去法院|到法院|(?<![报公通广预])告)"
_REVIEW = r"(?:行政复议|复议)"

ROW_CONCEPTS: tuple[Concept, ...] = (
    # table 4 (specific before generic)
    Concept("行政诉讼·未经复议直接起诉", "table4", ("suit_direct",),
            ("未经复议直接起诉", "未经复议直接", "直接起诉", "直接提起诉讼", "直接向法院起诉", "直接诉讼",
             "sued directly", "direct lawsuit", "direct lawsuits", "filed directly", "direct", "directly in court",
             "directly to court", "straight to court", "without review", "without prior review",
             "without administrative review", "without prior administrative review",
             "without reconsideration", "without prior reconsideration", "without first"),
            patterns=(rf"(?:未经|没经过?|没走|没有经过|没有走|不经过?|未走|跳过|绕过|没申请|没有申请|未申请|没有|没|未)"
                      rf"{_REVIEW}.{{0,10}}{_SUIT}", rf"直接.{{0,4}}{_SUIT}",
                      # English: "without (first) going through (administrative) reconsideration"
                      r"without (?:\w+ ){0,4}(?:administrative )?(?:reconsideration|review)s?\b",
                      r"(?:sued|suits?|lawsuits?|litigation|court cases?)\b[^?.]{0,60}\bdirectly\b",
                      r"\bdirectly\b[^?.]{0,30}\b(?:sued|suits?|lawsuits?|litigation|court)\b"),
            en="lawsuits filed directly, without administrative review"),
    Concept("行政诉讼·复议后起诉", "table4", ("suit_after_review",),
            ("复议后起诉", "复议后提起诉讼", "复议后诉讼", "after reconsideration", "after review",
             "after administrative review", "after admin review", "after an administrative review",
             "after a review", "following review", "following reconsideration"),
            patterns=(rf"{_REVIEW}(?:之后|以后|后|完|过后|结束后|不服).{{0,10}}{_SUIT}",
                      rf"经(?:过)?{_REVIEW}.{{0,6}}{_SUIT}",
                      # "先申请行政复议、对复议决定不服再起诉到法院"
                      rf"先.{{0,4}}{_REVIEW}.{{0,14}}(?:再|又|才|然后|后来).{{0,6}}{_SUIT}",
                      rf"{_REVIEW}(?:决定|结果)?.{{0,4}}不服.{{0,8}}{_SUIT}"),
            en="lawsuits filed after administrative review"),
    Concept("行政复议和行政诉讼", "table4", ("review", "suit_direct", "suit_after_review"),
            ("复议和诉讼", "复议和行政诉讼", "复议、行政诉讼", "复议、诉讼", "复议和起诉", "复议与诉讼", "复议及诉讼",
             "复议、起诉", "复议或诉讼", "复议或者诉讼", "reconsideration and litigation",
             "reconsiderations and lawsuits", "reconsideration and lawsuit", "review and litigation",
             "reviews and lawsuits", "review or litigation"),
            en="administrative reviews and lawsuits together"),
    Concept("行政诉讼", "table4", ("suit_direct", "suit_after_review"),
            ("行政诉讼", "诉讼", "起诉", "打官司", "官司", "被告", "告到法院", "告上法庭", "告上法院", "上法院", "去法院", "lawsuits", "lawsuit",
             "litigation", "sued", "court cases", "court", "suits"),
            en="administrative lawsuits (direct + after review)"),
    Concept("行政复议", "table4", ("review",), ("行政复议", "复议", "reconsideration", "reconsiderations",
                                               "administrative review", "administrative reviews", "review",
                                               "reviews", "appeals", "appeal"),
            # a complaint to the agency above about its reply is what the law calls 行政复议
            patterns=(r"(?:不服[^。？]{0,6}?)?(?:找|向|去|到|请|提请)(?:上级|上一级)(?:机关|部门|政府|单位)?[^，。？]{0,4}(?:复查|复核|审查|评理|讨说法|申诉)",),
            en="administrative reviews"),
    # table 3
    Concept("一、本年新收和二、上年结转", "table3", ("new", "carried_over"),
            ("新收和上年结转", "新收加上年结转", "新收及上年结转", "new plus carried over", "new and carried-over",
             "new requests plus", "plus those carried over", "plus carried over",
             "new and carried over", "both new and carried", "new plus carried"),
            en="new requests plus requests carried over"),
    Concept("二、上年结转", "table3", ("carried_over",),
            ("上年结转", "上年度结转", "从上年结转", "去年结转", "上一年结转", "carried over from", "carried-over from",
             "brought forward", "carried over into", "carried over"),
            patterns=(r"(?:上一?年|去年|上年度|前一年|往年|上个年度).{0,6}(?:结转|转来|转过来|转入|遗留|留下|剩下|没办完)",
                      r"(?:结转|转)过来", r"从.{0,4}(?:上一?年|去年|上年度).{0,6}转"),
            en="requests carried over from the previous year"),
    Concept("四、结转下年度继续办理", "table3", ("carry_forward",),
            ("结转下年度", "结转到下一年", "转到下一年", "转入下一年度", "转下一年", "结转至下一年", "转下一年度",
             "结转下一年", "转入下一年", "继续办理", "carried forward", "carry forward", "carrying forward",
             "into next year", "into the next year", "to next year", "to the next year", "still being handled",
             "still open at year end"),
            patterns=(r"(?:结转|转|留|拖|顺延|延续|延|带|挪|推)(?:到|至|入|给)?(?:下一?年|明年|下年度|次年|来年|第二年)",
                      r"carried over (?:to|into) (?:the )?(?:next|following) year"),
            en="requests carried forward to the next year"),
    Concept("（一）予以公开和（二）部分公开", "table3", ("granted", "partial"),
            ("予以公开和部分公开", "予以公开及部分公开", "全部公开和部分公开", "全部或部分公开", "全部或者部分公开",
             "全部和部分公开", "full or partial disclosure", "granted in full or in part", "in full or in part",
             "fully or partially"),
            patterns=(r"全部或(?:者)?(?:一)?部分(?:地)?(?:给|提供|公开)",),
            en="granted in full or in part"),
    Concept("（一）予以公开", "table3", ("granted",), ("予以公开", "全部公开", "同意公开", "准予公开", "完全公开", "granted",
                                                    "fully disclosed", "full disclosure", "disclosed in full",
                                                    "granted in full"),
            patterns=(r"(?:全部|全都|都|全)(?:给|提供|公开)了?(?:申请人)?(?:的|$|，|。|？)",
                      r"(?:信息|材料|内容)(?:全部|全都|都|全)(?:给了|提供了|公开了)"),
            en="granted (disclosed)"),
    Concept("（二）部分公开", "table3", ("partial",), ("部分公开", "公开了一部分", "公开一部分", "一部分公开", "partially disclosed", "partial disclosure",
                                                    "disclosed in part", "partly disclosed", "granted in part",
                                                    "grant in part", "partially granted", "in part", "partially", "区分处理"),
            patterns=(r"(?:只|仅|就)(?:给|提供|公开)了?(?:其中)?(?:一)?部分",),
            en="partially disclosed"),
    # 国家秘密 has three grades by law (保守国家秘密法: 绝密、机密、秘密): a grade, or 涉密, names this row
    Concept("1.属于国家秘密", "table3", ("denied_1",), ("国家秘密", "国家机密", "机密", "绝密", "涉密", "state secret",
                                                  "state secrets", "classified")),
    Concept("2.其他法律行政法规禁止公开", "table3", ("denied_2",), ("法律行政法规禁止", "其他法律行政法规",
                                                               "法律法规禁止", "prohibited by other laws",
                                                               "other laws", "laws forbid", "forbidden by law"),
            patterns=(r"(?:法律|法规|法律法规|法律、?行政法规)(?:上|明确)?(?:规定)?(?:禁止|不允许|不让|不准|不得)(?:公开)?",)),
    # the row's legal meaning (条例 第十四条): national, public and economic security and social stability
    Concept("3.危及“三安全一稳定”", "table3", ("denied_3",), ("三安全一稳定", "三安全", "endanger", "国家安全", "公共安全",
                                                          "经济安全", "社会稳定", "national security",
                                                          "social stability")),
    Concept("4.保护第三方合法权益", "table3", ("denied_4",), ("第三方合法权益", "第三方", "third part", "他人隐私",
                                                        "别人隐私", "个人隐私", "隐私", "商业秘密", "privacy")),
    Concept("5.属于三类内部事务信息", "table3", ("denied_5",), ("内部事务", "internal affairs", "internal matters")),
    Concept("6.属于四类过程性信息", "table3", ("denied_6",), ("过程性信息", "过程性", "process information",
                                                        "deliberative", "process-related", "过程稿", "讨论稿",
                                                        "征求意见稿", "讨论研究", "研究讨论", "内部讨论")),
    Concept("7.属于行政执法案卷", "table3", ("denied_7",), ("行政执法案卷", "执法案卷", "执法卷宗", "执法档案", "law enforcement files",
                                                      "enforcement case files", "enforcement files"),
            patterns=(r"执法[^，。？]{0,10}(?:卷宗|案卷|档案)",)),
    Concept("8.属于行政查询事项", "table3", ("denied_8",), ("行政查询事项", "查询事项", "administrative query",
                                                      "query matters", "administrative inquiry",
                                                      "administrative enquiry", "inquiry matters")),
    Concept("（三）不予公开", "table3", T3_DENIED, ("不予公开", "不公开", "拒绝公开", "没给公开", "不给公开", "未予公开",
                                                 "没有予以公开", "denied", "refused", "withheld",
                                                 "not disclosed"), en="refused"),
    Concept("1.本机关不掌握相关政府信息", "table3", ("unable_1",),
            ("不掌握", "do not hold", "not held", "did not hold", "does not hold", "doesn't hold", "didn't hold",
             "没有这个信息", "没有掌握", "手里没有", "手上没有", "不在手里"),
            patterns=(r"(?:没有|没|不)(?:掌握|持有)", r"(?:手里|手上|区里|市里|县里|机关|本机关|自己)?(?:没有|没)(?:这个?|该|相关|此)信息"),
            en="the agency does not hold the information"),
    Concept("2.没有现成信息需要另行制作", "table3", ("unable_2",), ("没有现成", "另行制作", "重新制作", "no ready-made",
                                                              "would have to be created", "need to be created"),
            patterns=(r"(?:would|will|has to|have to|had to|need to|needs to) (?:have to )?be (?:newly )?"
                      r"(?:created|made|produced|compiled)",
                      r"(?:另外|另行|重新|额外|专门)(?:去)?(?:加工|整理|制作|汇总|统计|编制)")),
    Concept("3.补正后申请内容仍不明确", "table3", ("unable_3",),
            ("补正后", "仍不明确", "还是不明确", "说不清", "still unclear", "remained unclear", "still not clear"),
            patterns=(r"补正.{0,6}(?:还是|仍然?|依然|也)?(?:不明确|说不清|不清楚|不清)",)),
    Concept("（四）无法提供", "table3", T3_UNABLE, ("无法提供", "没法提供", "提供不了", "could not be provided",
                                                 "unable to provide", "cannot be provided", "couldn't be provided",
                                                 "could not answer", "couldn't answer", "unable to answer"),
            patterns=(r"could(?: [a-z']+){0,6} not (?:answer|provide)",)),
    Concept("1.信访举报投诉类申请", "table3", ("not_processed_1",), ("信访举报投诉", "信访类", "信访件", "举报投诉",
                                                              "信访投诉", "petition", "petitions"),
            patterns=(r"(?:投诉举报|举报投诉|信访|投诉|举报)[^。？]{0,14}(?:不(?:当作|当成|作为|按照?|算|属于)|不予处理)",)),
    Concept("2.重复申请", "table3", ("not_processed_2",), ("重复申请", "repeated requests", "duplicate",
                                                      "repeat requests", "重复提"),
            patterns=(r"(?:同样|相同|一样)的?申请.{0,4}(?:又|再|重复)|又交了?一[遍次]|再交了?一[遍次]|重复(?:提交|递交)",)),
    Concept("3.要求提供公开出版物", "table3", ("not_processed_3",), ("公开出版物", "出版物", "publications",
                                                               "published material", "published materials")),
    Concept("4.无正当理由大量反复申请", "table3", ("not_processed_4",), ("大量反复", "反复申请", "mass repeated",
                                                                "mass repeated requests", "repeatedly in bulk")),
    Concept("5.要求行政机关确认或重新出具已获取信息", "table3", ("not_processed_5",),
            ("重新出具", "确认或重新", "已获取信息", "re-issue", "reissue", "confirm", "already obtained"),
            patterns=(r"(?:确认|重新出具|重新开具|再出具?|再开具?|补发|重新提供|再提供)[^，。？]{0,12}"
                      r"(?:已经?|之前|以前|早已|早就)[^，。？]{0,4}(?:拿到|获取|获得|取得|领取|得到)",)),
    Concept("（五）不予处理", "table3", T3_NOTPROC, ("不予处理", "不处理", "not processed", "not handled",
                                                 "decline to process", "declined to process", "not to process",
                                                 "refused to process")),
    Concept("1.申请人无正当理由逾期不补正", "table3", ("other_1",),
            ("逾期不补正", "不补正", "没有补正", "没补正", "未补正", "failed to supplement", "did not supplement",
             "didn't supplement", "did not correct"),
            patterns=(r"(?:逾期|超期|过期|(?:超|过)了?(?:补正)?(?:期限|时限|期))[^，。？]{0,6}(?:没有?|未|不)(?:补正|补充|补)",
                      r"(?:没有?|未|不)(?:补正|补充|补)[^。？]{0,10}(?:逾期|超期|过期|(?:超|过)了?(?:补正)?(?:期限|时限))")),
    Concept("2.申请人逾期未按收费通知要求缴纳费用", "table3", ("other_2",),
            ("收费通知", "缴纳费用", "逾期未缴费", "未缴费", "没交费", "没缴费", "不交费", "didn't pay", "did not pay",
             "failed to pay", "unpaid fee"),
            patterns=(r"(?:没有?|未|不|逾期不?)(?:交|缴|付)(?:纳)?(?:费|钱)",)),
    Concept("3.其他", "table3", ("other_3",), ("sub-item 3", "sub item 3", "other reasons", "other reason"),
            patterns=(r"其他处理.{0,8}[“\"'‘「]其他[”\"'’」]", r"其他处理.{0,6}(?:第三|3\.|第3)", r"其他处理.{0,4}其他",
                      r"其他处理\s*(?:第)?3(?!\d)", r"other handling\s*(?:item\s*)?(?:no\.?\s*)?3\b",
                      r"other handling\W{1,4}other", r"qita ?chuli\W{0,3}(?:de )?(?:li )?qita")),
    Concept("（六）其他处理", "table3", T3_OTHER, ("其他处理", "otherwise handled", "other handling",
                                                 "handled otherwise", "other ways")),
    Concept("（七）总计", "table3", ("total",),
            ("办理结果总计", "办理结果总数", "办理结果合计", "办结", "办理完毕", "答复了",
             "concluded", "handled in total", "total outcomes", "total results", "dealt with", "completed",
             "answered"),
            patterns=(r"办理结果.{0,4}(?:总计|总数|合计|一共|总共)",)),
    Concept("一、本年新收政府信息公开申请数量", "table3", ("new",),
            ("本年新收", "新收", "收到", "提出了", "提出的", "申请数量", "received", "requests", "applications",
             "新增申请", "多收", "申请", "提交", "递交", "提的", "new requests", "filed"),
            patterns=(r"\bnew (?:[a-z-]+ ){0,2}(?:requests|applications)\b",),
            en="new requests received this year"),
    # table 2
    Concept("其他对外管理服务事项", "table2", ("other_services",), ("其他对外管理服务", "对外管理服务",
                                                              "other external management")),
    Concept("行政许可", "table2", ("licensing",), ("行政许可", "许可", "licens", "permit", "审批"), "decisions"),
    Concept("行政处罚和行政强制", "table2", ("penalty", "coercion"), ("行政处罚和行政强制", "处罚和强制",
                                                                  "行政处罚、行政强制", "penalties and coercive"),
            "decisions"),
    Concept("行政处罚", "table2", ("penalty",), ("行政处罚", "处罚", "penalt", "fines", "罚款", "罚了"), "decisions"),
    Concept("行政强制", "table2", ("coercion",), ("行政强制", "强制措施", "强制", "coercive", "coercion",
                                               "enforcement measures", "enforcement decisions",
                                               "administrative enforcement", "coercive measures"), "decisions"),
    Concept("行政事业性收费", "table2", ("fees",), ("行政事业性收费", "事业性收费", "收费金额", "收费项目", "收费事项", "fee items", "fee item",
                                                   "charging items",
                                                   "administrative fees", "admin fees", "administrative charges",
                                                   "administrative and institutional fees", "institutional fees",
                                                   "fee revenue", "fees collected"), "amount"),
    Concept("政府集中采购", "table2", ("procurement",), ("政府集中采购", "集中采购", "集采", "采购", "procurement"), "amount"),
    Concept("规章", "table2", ("regulations",), ("规章", "regulations", "rules"), "in_force"),
    Concept("行政规范性文件", "table2", ("normative_docs",), ("规范性文件", "normative documents", "normative",
                                                         "红头文件"), "in_force"),
)

# Everyday words that name several template rows at once: a question using only such a word is asked back
# with each row's figure. 被拒绝 may be 不予公开 (a refusal to disclose) or 不予处理 (a refusal to handle).
SHARED_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"拒绝|被拒|驳回|回绝|\brejected\b|\bturned down\b|\bdeclined\b", ("（三）不予公开", "（五）不予处理")),
)


COLUMNS: tuple[Column, ...] = (
    # table 4
    Column("upheld", ("结果维持", "维持", "upheld", "affirmed", "sustained", "won", "win", "wins", "winning"),
           patterns=(r"(?:支持|认可|同意|肯定)了?(?:原|原来的?|行政机关的?|机关的?)(?:决定|答复|处理|做法)",
                     r"(?:支持|认可|同意|肯定|维持)了?[^，。？]{0,8}(?:原来|原先|之前|先前|当初)的?(?:决定|答复|处理|做法)",
                     r"(?:判|支持)了?(?:政府|机关|行政机关|区政府|市政府|县政府|镇政府)|"
                     r"(?:政府|机关|区政府|市政府|县政府|镇政府)(?:赢了?|胜诉|没错|没问题)|赢了|胜诉",
                     r"(?:原决定|原答复|原处理).{0,3}(?:被)?(?:维持|支持|认可|肯定)"), zh="结果维持", en="upheld"),
    Column("corrected", ("结果纠正", "被纠正", "纠正", "纠错", "撤销", "corrected", "overturned", "reversed",
                         "revoked", "lost", "lose", "loses", "losing"),
           patterns=(r"(?:推翻|改变|否定|撤销|纠正)了?(?:原|原来的?|行政机关的?|机关的?)(?:决定|答复|处理|做法)",
                     # a review or court finding the reply wrong and ordering it redone (复议法: 撤销、变更、确认违法、责令)
                     r"(?:答复|决定|做法|处理)[^，。？]{0,2}(?:有错|错了|错误|违法|不当|不对)[^，。？]{0,8}"
                     r"(?:责令|要求|让|命令)?[^，。？]{0,4}(?:改正|改过来|纠正|重新|重做|重来|撤销|改)",
                     r"责令[^，。？]{0,4}(?:重新答复|重新作出|改正|纠正|履行)",
                     r"(?:政府|机关|区政府|市政府|县政府|镇政府)(?:输了?|败诉|错了)|输了|败诉"),
           zh="结果纠正", en="corrected"),
    Column("t4_other", ("其他结果", "other outcome", "other result", "other outcomes", "other results",
                        "another outcome", "another result", "some other outcome"),
           zh="其他结果", en="other outcome"),
    Column("pending", ("尚未审结", "未审结", "没审结", "未结", "没结", "没判完", "还没判", "没判决", "未判决", "还在审",
                       "审理中", "没有结果", "没出结果", "未出结果", "还没结果", "没有出结果",
                       "pending", "undecided", "not yet decided", "unresolved", "still open"),
           patterns=(r"(?:还|尚)?(?:没|未|没有)(?:审|判|办|处理)?(?:完|结)",
                     r"(?:还有|仍有|尚有)[^，。？]{0,4}(?:没|未)(?:判|审|出结果)"), zh="尚未审结", en="pending"),
    # table 3 applicants
    Column("org", ("法人或其他组织", "法人或者其他组织", "法人和其他组织", "法人及其他组织", "单位和组织", "单位或组织",
                   "企业和组织", "legal persons and other organisations", "legal persons and other organizations",
                   "legal persons and other organisation", "legal persons", "organisations",
                   "organizations", "单位申请"), zh="法人或其他组织", en="legal persons and organisations"),
    Column("other_org", ("其他组织", "other organisations", "other organizations", "other organisation"), patterns=(r"(?:法人或其他组织|法人和其他组织|组织).{0,8}[“\"'‘「]其他",
                                      r"[“\"'‘「]其他[”\"'’」].{0,8}(?:法人|组织)",
                                      r"(?<![或和及者与])其他组织"),
           zh="其他（法人或其他组织）", en="other organisations"),
    Column("natural", ("自然人", "个人", "公民", "群众", "老百姓", "individuals", "citizens", "natural person",
                       "natural persons", "private persons"), zh="自然人", en="natural persons"),
    Column("commercial", ("商业企业", "企业", "公司", "companies", "businesses", "enterprises", "firms",
                          "commercial"),
           zh="商业企业", en="businesses"),
    Column("research", ("科研机构", "研究机构", "科研单位", "科研院所", "研究所", "研究院", "高校", "高等院校", "大学",
                        "research institutions", "research institutes", "universities"), zh="科研机构",
           en="research institutions"),
    Column("social", ("社会公益组织", "公益组织", "公益机构", "公益单位", "社会组织", "公益团体", "基金会", "慈善组织",
                      "慈善机构", "慈善会", "慈善协会", "public welfare", "public interest", "charities", "charity",
                      "foundations", "ngo", "non-profit"),
           patterns=(r"公益(?:性质?)?的?(?:团体|组织|机构|单位)",),
           zh="社会公益组织", en="public-interest organisations"),
    Column("legal", ("法律服务机构", "律师事务所", "律所", "律师", "law firms", "lawyers", "legal service"),
           zh="法律服务机构", en="legal service providers"),
    # table 2
    Column("new_made", ("本年新制作", "新制作", "新制发", "制发", "新出台", "出台", "新出", "制定", "新发", "出了", "印发了",
                        "issued", "new made", "newly made",
                        "drafted"), zh="本年新制作数量/本年制发件数", en="issued this year"),
    Column("new_published", ("本年新公开", "新公开", "newly published", "new published", "newly made public",
                             "published this year", "made public this year"), zh="本年新公开数量", en="newly published"),
    Column("total_published", ("对外公开总数量", "对外公开总数", "公开总数", "total published", "published in total",
                               "made public in total", "in total made public", "total made public"),
           patterns=(r"对外公开.{0,10}总数",),
           zh="对外公开总数量", en="total published"),
    Column("repealed", ("废止", "废除", "作废", "失效", "废掉", "废了", "repealed", "abolished", "revoked documents"),
           zh="本年废止件数", en="repealed"),
    Column("in_force", ("现行有效", "有效的", "in force", "currently valid", "valid", "still effective"),
           zh="现行有效件数", en="in force"),
    Column("prev_items", ("上一年项目数量", "上一年项目", "上年项目", "上一年", "上年", "previous year's items",
                          "items in the previous year", "in the previous year", "items the year before",
                          "the year before",
                          "items last year", "prior year items"), zh="上一年项目数量", en="items the previous year"),
    Column("change", ("本年增/减", "增/减", "增减", "增加或减少", "增或减", "year-on-year change", "net change",
                      "change in the number", "change in number"),
           patterns=(r"本年(?:增|减|新增|增加|减少)了?",),
           zh="本年增/减", en="change this year"),
    Column("decisions", ("处理决定", "决定", "decisions", "decision"), zh="处理决定数量", en="decisions"),
    Column("items", ("采购项目数量", "几个项目", "多少个项目", "项目数量", "项目有多少", "项目", "projects", "items"),
           zh="采购项目数量", en="number of items"),
    Column("amount", ("总金额", "金额", "多少钱", "amount", "how much money", "value", "万元"),
           zh="金额", en="amount"),
)

T2_COLUMNS = ("new_made", "new_published", "total_published", "repealed", "in_force", "prev_items", "change",
              "decisions", "items", "amount")


# The tables a column concept belongs to; a column named with a row of another table is a split the table
# does not make ("复议申请人中有几位是律师"), except where the column's words restate the row itself.
COLUMN_TABLES: dict[str, tuple[str, ...]] = {
    **{c: ("table3",) for c in ("natural", "commercial", "research", "social", "legal", "other_org", "org")},
    **{c: ("table4",) for c in ("upheld", "corrected", "t4_other", "pending")},
}
# (column, table, row): the column's words mean the row ("没办完" on 结转下年度继续办理 is the row, not 尚未审结)
COLUMN_MEANS_ROW = {("pending", "table3", "carry_forward")}


def foreign_columns(columns, concept: Concept) -> list[str]:
    """The columns the question names that this row's table does not have (a split it cannot answer)."""
    return [c for c in columns if c in COLUMN_TABLES and concept.table not in COLUMN_TABLES[c] and
            not all((c, concept.table, row) in COLUMN_MEANS_ROW for row in concept.rows)]


# ---------------------------------------------------------------- column resolution per generation


def column_key(concept: str, table: str, template: str, row: str) -> str | None:
    """Resolve a column concept for one row of one template generation; None if it does not apply."""
    if table == "table4":
        return {"upheld": "upheld", "corrected": "corrected", "t4_other": "other", "pending": "pending"}.get(concept)
    if table == "table3":
        return concept if concept in ("natural", "commercial", "research", "social", "legal", "other_org") else None
    # table 2
    if row in ("regulations", "normative_docs"):
        if template == "2019":
            return {"new_made": "new_made", "new_published": "new_published", "total_published": "total_published",
                    "in_force": "total_published"}.get(concept)
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


TABLE_NO = {"table2": "表二", "table3": "表三", "table4": "表四"}


def cell_label(full_key: str, template: str = "2021") -> str:
    """A cell as a person reads it: 表三 一、本年新收政府信息公开申请数量 · 总计."""
    table, row, col = full_key.split(".")
    return f"{TABLE_NO.get(table, table)} {T.row_label(table, row)} · {T.column_label(table, template, row, col)}"


# ---------------------------------------------------------------- matching


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s.lower())


@lru_cache(maxsize=4096)
def pinyin_of(s: str) -> str:
    """Toneless pinyin of the Chinese characters of s, run together ('' without pypinyin)."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # pinyin input is then not understood (the rest works)
        return ""
    return "".join(p for p in lazy_pinyin(s) if p.isalpha()).lower()


_PINYIN_SYL = re.compile(r"^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:i|u|v|ü)?(?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|ong|"
                         r"er|i|u|v|in|ing|un|ui|ie|ve|ue|iu|ia|ua|uo|iao|ian|iang|iong|uai|uan|uang)?$")


def looks_pinyin(text: str) -> bool:
    """True when most latin words of the text are pinyin syllable runs ("shangnian jiezhuan")."""
    words = re.findall(r"[a-zü]+", text.lower())
    words = [w for w in words if len(w) > 1]
    if len(words) < 2:
        return False
    ok = sum(bool(_splits_into_syllables(w)) for w in words)
    return ok >= 0.7 * len(words)


@lru_cache(maxsize=8192)
def _splits_into_syllables(w: str) -> bool:
    if not w:
        return True
    for n in range(min(6, len(w)), 0, -1):
        head = w[:n]
        if _PINYIN_SYL.match(head) and re.search(r"[aeiouv]", head) and _splits_into_syllables(w[n:]):
            return True
    return False


@dataclass
class _Text:
    """The question in the three spaces matching works in, with what has been consumed."""

    zh: str  # squeezed, lower case
    en: str  # lower case with single spaces, padded
    py: str  # latin letters only (pinyin input), '' when the question is not pinyin

    def take(self, space: str, i: int, j: int) -> None:
        s = getattr(self, space)
        setattr(self, space, s[:i] + "\x00" * (j - i) + s[j:])


def prepare(q: str) -> _Text:
    """The question ready for matching."""
    low = q.lower().replace("’", "'")
    py = re.sub(r"[^a-z]", "", low) if looks_pinyin(low) else ""
    return _Text(zh=_squeeze(low), en=" " + re.sub(r"\s+", " ", low.replace("-", " ")) + " ", py=py)


def _latin(w: str) -> bool:
    return bool(re.search(r"[a-z]", w.lower()))


@lru_cache(maxsize=2)
def _phrase_table(kind: str) -> tuple[tuple[str, Concept | Column], ...]:
    items = ROW_CONCEPTS if kind == "row" else COLUMNS
    out = [(w.lower(), c) for c in items for w in c.words]
    if kind == "row":  # a row label as the template prints it, numbering included ("（七）总计", "1.重复申请")
        have = {w for w, _ in out}
        for rc in ROW_CONCEPTS:
            if len(rc.rows) != 1 or rc.table == "table4":
                continue
            label = T.row_label(rc.table, rc.rows[0]).lower()
            if label != rc.rows[0] and re.match(r"[（(]?[一二三四五六七八九十\d]+[）)．.、]", label) and label not in have:
                out.append((label, rc))
                have.add(label)
        out.extend((w, rc) for w, rc in _label_words(have))
        out.extend(_english_variants(out, have))
    if kind == "column":  # the template's printed column labels name their columns too
        names = {c.name: c for c in COLUMNS}
        for key, label in T.COLUMN_LABELS.items():
            c = names.get({"other": "t4_other", "total": ""}.get(key, key)) if key not in ("other_org",) else None
            if c is not None and label.lower() not in {w for w, _ in out}:
                out.append((label.lower(), c))
    return tuple(sorted(out, key=lambda x: -len(x[0])))


# English says the template's words two ways: a request is an application, processing is handling
_EN_SAME = (("requests", "applications"), ("request", "application"), ("process", "handle"), ("processed", "handled"))


def _english_variants(out, have: set[str]) -> list[tuple[str, Concept]]:
    """Each English row phrase with "application(s)" for "request(s)" and "handle(d)" for "process(ed)"."""
    extra = []
    for w, rc in list(out):
        if not _latin(w):
            continue
        for a, b in _EN_SAME:
            v = re.sub(rf"\b{a}\b", b, w)
            if v != w and v not in have:
                extra.append((v, rc))
                have.add(v)
    return extra


def _label_words(have: set[str]) -> list[tuple[str, Concept]]:
    """Words of three or more characters that only one row's printed label holds ("合法权益" of
    4.保护第三方合法权益): each names its row, as the label does."""
    from rag.terms import _cut

    labels = {rc: T.row_label(rc.table, rc.rows[0]) for rc in ROW_CONCEPTS if len(rc.rows) == 1}
    out = []
    for rc, label in labels.items():
        body = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)．.、]", "", label)
        for w in _cut(body):
            if len(w) >= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", w) and w not in have and \
                    not any(w in other for o, other in labels.items() if o is not rc):
                out.append((w, rc))
                have.add(w)
    return out


@lru_cache(maxsize=2048)
def _en_regex(w: str) -> re.Pattern:
    words = w.split()
    stem = [re.sub(r"(?:ies|ied|ing|ed|es|s|e|y)$", "", x) if len(x) > 4 else x for x in words]
    # a stem of four letters or more takes any ending (conclud → concluded); a shorter one only inflections
    # (fin → fine, fines; never finance)
    return re.compile(r"(?<![a-z])" + r"\s+".join(
        re.escape(x) + r"[a-z]*" if len(x) >= 4 else
        f"(?:{re.escape(w0)}|{re.escape(x)}(?:e|es|s|d|ed|ing|y|ies|ied)?)" if x != w0 else re.escape(x)
        for x, w0 in zip(stem, words)) + r"(?![a-z])")


@lru_cache(maxsize=2048)
def _gap_regex(w: str) -> re.Pattern:
    return re.compile("".join(re.escape(ch) + ("[^\x00，。,;；？?]{0,2}" if i < len(w) - 1 else "")
                              for i, ch in enumerate(w)))


def find(text: _Text, kind: str) -> list[Hit]:
    """Every non-overlapping mention of a row ("row") or column ("column") concept, strongest first."""
    hits: list[Hit] = []
    items = ROW_CONCEPTS if kind == "row" else COLUMNS
    table = _phrase_table(kind)
    # 0. long printed phrases first ("新收加上年结转" is one concept, not 上年结转 + something)
    for w, c in table:
        if kind != "row" or len(w) < 5 or _latin(w):
            continue
        i = text.zh.find(w)
        while i >= 0:
            hits.append(Hit(c, w, i, i + len(w), float(len(w)), "exact"))
            text.take("zh", i, i + len(w))
            i = text.zh.find(w, i + len(w))
    # 0b. the same long phrases with one or two characters inserted ("新收申请加上年结转")
    for w, c in table:
        if kind != "row" or len(w) < 6 or _latin(w):
            continue
        for m in _gap_regex(w).finditer(text.zh):
            if "\x00" in m.group() or len(m.group()) - len(w) > 2:
                continue
            hits.append(Hit(c, w, m.start(), m.end(), len(w) - 0.5 - 0.5 * (len(m.group()) - len(w)), "gap"))
            text.take("zh", m.start(), m.end())
    # 1. constructions ("复议之后又去法院起诉"), on the Chinese text
    for c in items:
        for p in c.patterns:
            space = "en" if re.search(r"[a-z]{3}", p) else "zh"
            for m in re.finditer(p, getattr(text, space)):
                if "\x00" in m.group():
                    continue
                hits.append(Hit(c, m.group(), m.start(), m.end(), min(len(m.group()), 8) + 2.0, "pattern"))
                text.take(space, m.start(), m.end())
    # 2. exact phrases, longest first, consumed (English words with any ending: conclude/concluded)
    for w, c in table:
        if _latin(w):
            for m in _en_regex(w).finditer(text.en):
                if "\x00" in m.group():
                    continue
                hits.append(Hit(c, w, m.start(), m.end(), len(w) / 3, "exact"))
                text.take("en", m.start(), m.end())
            continue
        space = "zh"
        s = getattr(text, space)
        start = 0
        while True:
            i = s.find(w, start)
            if i < 0:
                break
            if space == "en" and not re.match(r"[\W_]", s[i - 1:i] or " "):
                start = i + 1
                continue
            hits.append(Hit(c, w, i, i + len(w), float(len(w) if space == "zh" else len(w) / 3), "exact"))
            text.take(space, i, i + len(w))
            s = getattr(text, space)
            start = i + len(w)
    # 3. Chinese phrases with one or two characters inserted ("结转到下年度")
    for w, c in table:
        if _latin(w) or len(w) < 4:
            continue
        for m in _gap_regex(w).finditer(text.zh):
            gap = len(m.group()) - len(w)
            if "\x00" in m.group() or gap > 2:
                continue
            hits.append(Hit(c, w, m.start(), m.end(), len(w) - 0.5 - 0.5 * gap, "gap"))
            text.take("zh", m.start(), m.end())
    # 3b. a character of the same sound (行政复义 for 行政复议, 重复申情 for 重复申请), in what no phrase took
    if kind == "row":
        for w, c in table:
            if _latin(w) or len(w) < (3 if not hits else 4):
                continue
            pw = pinyin_of(w)
            for i in range(0, len(text.zh) - len(w) + 1):
                win = text.zh[i:i + len(w)]
                if "\x00" in win or win == w:
                    continue
                same = sum(x == y for x, y in zip(win, w))
                if same >= len(w) - 1 and pinyin_of(win) == pw:
                    hits.append(Hit(c, w, i, i + len(w), len(w) - 1.0, "sound"))
                    text.take("zh", i, i + len(w))
                    break
    # 4. pinyin input ("fuyi hou qisu"): the phrase's pinyin in the question's letters
    if text.py:
        for w, c in sorted(((w, c) for w, c in table if not _latin(w) and len(w) >= 2),
                           key=lambda x: -len(pinyin_of(x[0]))):
            pw = pinyin_of(w)
            if len(pw) < 5:
                continue
            i = text.py.find(pw)
            if i >= 0:
                hits.append(Hit(c, w, i, i + len(pw), len(w) - 0.5, "pinyin"))
                text.take("py", i, i + len(pw))
    hits.sort(key=lambda h: -h.score)
    return hits


def describe(c: Concept) -> str:
    """A row concept in one line (its printed name and, where given, English)."""
    return c.name + (f" ({c.en})" if c.en else "")


@lru_cache(maxsize=1)
def _domain_sounds() -> dict[str, str]:
    """The template's Chinese words (row and column phrases, the report's title and section titles) by their
    toneless pinyin; a sound several words share is left out."""
    from rag.terms import _cut

    words = {w for kind in ("row", "column") for w, _ in _phrase_table(kind)
             if 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w)}
    for title in ("政府信息公开工作年度报告", "政务公开", *T.SECTION_TITLES):
        words.add(title[:6] if title.startswith("政府信息公开") else title)
        words |= {w for w in _cut(title) if len(w) >= 2}
    by_sound: dict[str, set[str]] = {}
    for w in words:
        by_sound.setdefault(pinyin_of(w), set()).add(w)
    return {p: next(iter(ws)) for p, ws in by_sound.items() if p and len(ws) == 1}


# particles and light verbs: a two-character run holding one (发了, 题的) is a phrase of its own, not a typo
_LIGHT = set("了的是在有个些要给被把向到得过都也还就又才会能说做搞弄拿找那这吗呢吧啊么着地")


def _splits_word(q: str, a: int, b: int) -> bool:
    """Whether [a, b) cuts into a dictionary word of the question (全部|公开: 部公开 is no run of its own)."""
    from rag.terms import _cut, known_word

    pos = 0
    for t in _cut(q):
        s, e = pos, pos + len(t)
        pos = e
        if len(t) >= 2 and s < b and e > a and not (a <= s and e <= b) and known_word(t):
            return True
    return False


def fix_sounds(q: str, names: Collection[str] = ()) -> tuple[str, list[tuple[str, str]]]:
    """Voice input writes a template word with a character of the same sound (主动公凯 for 主动公开, 行政复义):
    a run of 2–4 characters that is no word of the dictionary, differs from one template word in one character
    and sounds the same is read as that word — never inside an agency's name (`names`). Returns the question
    and the (written, read) pairs."""
    sounds = _domain_sounds()
    if not sounds or not re.search(r"[\u4e00-\u9fff]", q):
        return q, []
    from rag.terms import known_word

    fixed: list[tuple[str, str]] = []
    for n in (4, 3, 2):
        i = 0
        while i <= len(q) - n:
            win = q[i:i + n]
            w = sounds.get(pinyin_of(win)) if re.fullmatch(r"[\u4e00-\u9fff]+", win) else None
            if w and w != win and sum(a != b for a, b in zip(win, w)) == 1 and not known_word(win) and \
                    not (n == 2 and set(win) & _LIGHT) and \
                    w not in q and not _splits_word(q, i, i + n) and \
                    not any(win in nm for nm in names if nm in q):
                q = q[:i] + w + q[i + n:]
                fixed.append((win, w))
                i += n
                continue
            i += 1
    return q, fixed
