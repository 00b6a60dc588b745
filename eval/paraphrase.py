"""Question variants as citizens write them, with answers from the gold files — for the classes of issue 10.

    python -m eval.paraphrase --gold ../shared/corpus/gold --out FILE [--n N] [--seed S]

For every gold file it combines agency-name forms (full name, region dropped, standard
abbreviations such as 市场监督管理局 → 市场监管局 and 人民政府 → 政府, a same-pinyin typo and
pinyin via pypinyin when installed, English), year forms (2020年, 20年, 2020年报, none) and metric
phrasings from the hand-written lists below (zh everyday words, en, pinyin — written from the
template, independently of rag/), adds noise (punctuation dropped, spaces), and writes JSONL lines
{"id","q","type","a","unit","report","keys","op","style","cls"} in the shape of
tests/fixtures/paraphrases.jsonl: figure answers are gold cells, sums, year-on-year differences,
shares rounded as asked, or the largest among named agencies; a question without a year for an
agency with several gold files is `clarify`; departments absent from the gold set, years absent
from it and things the template does not hold (monthly figures, consumer complaints, salaries)
are `unanswerable`. The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

try:  # typo, pinyin and English name forms need pypinyin; without it they are left out
    from pypinyin import Style, lazy_pinyin, pinyin
except ImportError:  # pragma: no cover - pypinyin is in the lock file
    lazy_pinyin = pinyin = Style = None  # type: ignore[assignment]

_REGION = re.compile(r"^(.{1,6}?(?:综合实验区|自治区|自治州|地区|街道|省|市|州|盟|县|区|旗|镇|乡))")
_PUNCT = re.compile(r"[？?，,。、：:；;！!“”\"‘’（）()《》]")


# ---------------------------------------------------------------- hand-written vocabulary
# Written from ../shared/domain/report-template.md and everyday usage, not from rag/: this file
# measures the question parser, so it must not share its word lists.

ABBREV = [  # (long part of an agency name, what people write instead)
    ("市场监督管理局", ["市场监管局", "市监局"]),
    ("国有资产监督管理委员会", ["国资委"]),
    ("国有资产管理局", ["国资局"]),
    ("人民政府办公厅", ["政府办公厅", "政府办"]),
    ("人民政府办公室", ["政府办公室", "政府办"]),
    ("科学技术委员会", ["科委"]),
    ("科学技术局", ["科技局"]),
    ("发展和改革委员会", ["发改委"]),
    ("发展和改革局", ["发改局"]),
    ("教育委员会", ["教委"]),
    ("旅游与文化体育局", ["旅文体局", "旅游局"]),
    ("文化和旅游局", ["文旅局"]),
    ("人力资源和社会保障局", ["人社局"]),
    ("住房和城乡建设局", ["住建局"]),
    ("卫生健康委员会", ["卫健委"]),
    ("自然资源和规划局", ["自然资源局"]),
    ("生态环境局", ["环保局"]),
    ("交通运输局", ["交通局"]),
    ("人民政府", ["政府"]),
]
LEVEL_EN = {
    "市": "City",
    "区": "District",
    "县": "County",
    "镇": "Town",
    "乡": "Township",
    "省": "Province",
    "综合实验区": "Comprehensive Experimental Zone",
    "街道": "Subdistrict",
}
BODY_EN = {
    "科学技术委员会": "Science and Technology Commission",
    "旅游与文化体育局": "Tourism, Culture and Sports Bureau",
    "市场监督管理局": "Market Supervision Bureau",
    "教育局": "Education Bureau",
    "财政局": "Finance Bureau",
    "公安局": "Public Security Bureau",
    "民政局": "Civil Affairs Bureau",
    "人民政府办公厅": "General Office",
    "发展和改革委员会": "Development and Reform Commission",
    "卫生健康委员会": "Health Commission",
}
ABSENT_DEPTS = [
    "教育局",
    "公安局",
    "民政局",
    "财政局",
    "市场监督管理局",
    "生态环境局",
    "交通运输局",
    "住房和城乡建设局",
    "人力资源和社会保障局",
    "卫生健康委员会",
    "发展和改革委员会",
    "文化和旅游局",
]
# common characters a slip of the IME may put in place of a name character (same pinyin, same tone)
TYPO_POOL = (
    "谭檀坛弹痰择则责泽境静敬净竞径槐怀坏淮鞍安庵氨述树术束竖恕庶数杨洋羊扬佯阳疡课克客刻恪科棵颗苛磕"
    "萍评凭瓶屏坪苹平镜景警井颈江将浆姜疆僵缰洪红宏鸿虹弘泓海害亥骇氦尚上晌赏伤商墒熵阳"
    "旅吕铝侣屡缕履文闻纹蚊雯体替提题蹄局菊橘举沭福复副付赋富府清青轻倾氢"
)
COLLOQUIAL = (
    "几",
    "多少钱",
    "办了",
    "老百姓",
    "一共",
    "还",
    "没",
    "啥",
    "咋",
    "给",
    "公司",
    "律所",
    "官司",
    "加起来",
)
NOT_IN_TEMPLATE = [
    "{a}{y}{m}月份收到几件信息公开申请",
    "{a}{y}收到多少件消费投诉举报",
    "{a}{y}信息公开工作人员的工资是多少",
    "{a}{y}政府网站访问量是多少",
    "{a}{y}信息公开申请平均多少天答复",
    "{a}{y}第{m}周主动公开了多少条信息",
    "{a}{y}信息公开工作的经费预算是多少",
    "{a}{y}申请人里男的有多少",
]
DIFF_ZH = [
    "{a}{y1}年的{n}比{y0}年{w}了多少？",
    "{a}{y1}年{n}和{y0}年比{w}多少",
    "{a}{y0}年到{y1}年{n}{w}了几件",
]
MAX_ZH = ["{y}年{names}哪个{n}最多？是多少？", "{y}年{names}里谁的{n}最多，多少件"]
SHARES = [  # (numerator keys, denominator keys, question before the rounding words)
    (["table3.granted.total"], ["table3.new.total"], "{a}{y}予以公开的占新收申请的百分之几"),
    (
        ["table3.granted.total", "table3.partial.total"],
        ["table3.new.total"],
        "{a}{y}全部或部分公开的申请占新收申请的比例",
    ),
    (["table3.new.natural"], ["table3.new.total"], "{a}{y}新收申请中个人申请的占比"),
    (["table3.unable_1.total"], ["table3.new.total"], "{a}{y}因本机关不掌握无法提供的占新收申请多少"),
    (["table4.review.corrected"], ["table4.review.total"], "{a}{y}行政复议被纠正的比例"),
]
ROUNDING = [(1, "，保留一位小数"), (2, "（保留两位小数）"), (0, "，取整"), (1, "（精确到0.1%）")]


def _m(keys, zh, en=(), py=(), common=False, noun=None, op=None) -> dict:
    return {
        "keys": list(keys),
        "zh": list(zh),
        "en": list(en),
        "py": list(py),
        "common": common,
        "noun": noun,
        "op": op or ("sum" if len(keys) > 1 else "cell"),
    }


T2 = [
    _m(
        ["table2.regulations.new_made"],
        ["{a}{y}新制作了几件规章", "{a}{y}新定的规章有多少件"],
        ["How many rules did {a} newly draft {y}?"],
        ["{a} {y} guizhang xin zhizuo"],
    ),
    _m(
        ["table2.regulations.new_published"],
        ["{a}{y}新公开的规章有几件"],
        ["New rules published by {a} {y}?"],
    ),
    _m(
        ["table2.regulations.total_published"],
        ["{a}{y}规章对外公开总数是多少"],
        ["Total rules {a} has made public, {y}"],
    ),
    _m(
        ["table2.normative_docs.new_made"],
        ["{a}{y}新制作了多少份规范性文件", "{a}{y}新出的规范性文件有几个"],
        ["How many normative documents did {a} draft {y}?"],
        ["{a} {y} guifanxing wenjian xin zhizuo"],
        noun=["新制作规范性文件"],
    ),
    _m(
        ["table2.normative_docs.new_published"],
        ["{a}{y}新公开了几件规范性文件"],
        ["Normative documents newly published by {a} {y}"],
    ),
    _m(
        ["table2.normative_docs.total_published"],
        ["{a}{y}规范性文件对外公开总数量", "{a}{y}一共公开过多少规范性文件"],
        ["How many normative documents had {a} made public in total {y}?"],
    ),
    _m(
        ["table2.regulations.issued"],
        ["{a}{y}制发了几件规章", "{a}{y}出台了多少件政府规章"],
        ["How many rules did {a} issue {y}?"],
        ["{a} {y} guizhang zhifa jianshu"],
    ),
    _m(
        ["table2.regulations.repealed"],
        ["{a}{y}废止了几件规章"],
        ["How many rules did {a} repeal {y}?"],
        ["{a} {y} guizhang feizhi"],
    ),
    _m(
        ["table2.regulations.in_force"],
        ["{a}{y}现行有效的规章有几件", "{a}{y}还在用的规章有多少"],
        ["How many rules of {a} were in force {y}?"],
        ["{a} {y} xianxing youxiao guizhang"],
    ),
    _m(
        ["table2.normative_docs.issued"],
        ["{a}{y}新制发了多少件行政规范性文件", "{a}{y}出了几份规范性文件"],
        ["How many normative documents did {a} issue {y}?"],
        ["{a} {y} guifanxing wenjian zhifa jianshu"],
        common=True,
        noun=["新制发的规范性文件"],
    ),
    _m(
        ["table2.normative_docs.repealed"],
        ["{a}{y}废止了多少件规范性文件", "{a}{y}作废的规范性文件有几个"],
        ["How many normative documents did {a} repeal {y}?"],
        ["{a} {y} guifanxing wenjian feizhi"],
        noun=["废止的规范性文件"],
    ),
    _m(
        ["table2.normative_docs.in_force"],
        ["{a}{y}现行有效的行政规范性文件有多少件", "{a}{y}还有效的规范性文件一共多少"],
        ["How many normative documents of {a} were in force {y}?"],
        ["{a} {y} xianxing youxiao guifanxing wenjian"],
        noun=["现行有效规范性文件"],
    ),
    _m(
        ["table2.licensing.prev_items"],
        ["{a}{y}行政许可上一年有多少个项目"],
        ["{a} {y}: licensing items in the previous year"],
    ),
    _m(
        ["table2.licensing.change"],
        ["{a}{y}行政许可事项本年增减了多少"],
        ["{a} {y}: change in the number of licensing items"],
    ),
    _m(
        ["table2.licensing.decisions"],
        ["{a}{y}行政许可处理决定有多少件", "{a}{y}办了多少件行政许可", "{a}{y}批了几个行政许可"],
        ["How many licensing decisions did {a} make {y}?"],
        ["{a} {y} xingzheng xuke jueding shuliang"],
        common=True,
        noun=["行政许可决定", "行政许可"],
    ),
    _m(["table2.other_services.prev_items"], ["{a}{y}其他对外管理服务事项上一年项目数"]),
    _m(
        ["table2.other_services.decisions"],
        ["{a}{y}其他对外管理服务事项处理决定多少件"],
        ["{a} {y}: decisions on other external management services"],
    ),
    _m(
        ["table2.penalty.prev_items"],
        ["{a}{y}行政处罚事项上一年有多少项"],
        ["{a} {y}: penalty items in the previous year"],
    ),
    _m(["table2.penalty.change"], ["{a}{y}行政处罚事项本年增减多少"]),
    _m(
        ["table2.penalty.decisions"],
        ["{a}{y}行政处罚决定有多少件", "{a}{y}罚了多少次", "{a}{y}作出几件行政处罚"],
        ["How many administrative penalty decisions did {a} make {y}?"],
        ["{a} {y} xingzheng chufa jueding shuliang"],
        common=True,
        noun=["行政处罚决定", "行政处罚"],
    ),
    _m(["table2.coercion.prev_items"], ["{a}{y}行政强制事项上一年多少项"]),
    _m(
        ["table2.coercion.decisions"],
        ["{a}{y}行政强制决定有几件", "{a}{y}采取了多少次行政强制"],
        ["How many administrative enforcement decisions did {a} make {y}?"],
        ["{a} {y} xingzheng qiangzhi jueding"],
        noun=["行政强制决定"],
    ),
    _m(
        ["table2.fees.prev_items"],
        ["{a}{y}行政事业性收费项目上一年有几项"],
        ["{a} {y}: fee items in the previous year"],
    ),
    _m(["table2.fees.change"], ["{a}{y}收费项目本年增减多少"]),
    _m(
        ["table2.fees.amount"],
        ["{a}{y}行政事业性收费金额是多少", "{a}{y}收了多少万元行政事业性收费", "{a}{y}收费金额多少万"],
        ["How much did {a} collect in administrative fees {y} (10,000 yuan)?"],
        ["{a} {y} xingzheng shiyexing shoufei jine"],
        noun=["行政事业性收费金额"],
    ),
    _m(
        ["table2.procurement.items"],
        ["{a}{y}政府集中采购项目有几个", "{a}{y}集采了多少个项目"],
        ["How many centralised procurement projects did {a} have {y}?"],
        ["{a} {y} zhengfu jizhong caigou xiangmu"],
        common=True,
    ),
    _m(
        ["table2.procurement.amount"],
        ["{a}{y}政府集中采购总金额是多少", "{a}{y}集中采购花了多少钱"],
        ["What did {a} spend on centralised procurement {y}?"],
        ["{a} {y} caigou zong jine"],
    ),
]

_T3_OWN = [
    (
        "new",
        ["{a}{y}新收了多少件政府信息公开申请", "{a}{y}收到几件信息公开申请", "{a}{y}本年新收申请数量"],
        ["How many new disclosure requests did {a} receive {y}?"],
        ["{a} {y} xin shou shenqing shuliang"],
        ["新收申请", "收到的申请"],
    ),
    (
        "carried_over",
        ["{a}{y}上年结转的申请有几件", "{a}{y}从上一年转过来的申请多少件"],
        ["{a} {y}: requests carried over from the year before"],
        ["{a} {y} shangnian jiezhuan shenqing"],
        None,
    ),
    (
        "granted",
        ["{a}{y}予以公开的申请有多少件", "{a}{y}同意公开的有几件", "{a}{y}全部公开了多少件申请"],
        ["How many requests did {a} grant in full {y}?"],
        ["{a} {y} yuyi gongkai jianshu"],
        ["予以公开的申请"],
    ),
    (
        "partial",
        ["{a}{y}部分公开的申请有几件", "{a}{y}只公开了一部分的有多少件"],
        ["How many requests did {a} grant in part {y}?"],
        ["{a} {y} bufen gongkai"],
        ["部分公开的申请"],
    ),
    (
        "total",
        ["{a}{y}办理结果总计多少件", "{a}{y}一共办结了多少件申请"],
        ["How many requests did {a} conclude {y} in total?"],
        ["{a} {y} banli jieguo zongji"],
        None,
    ),
    (
        "carry_forward",
        ["{a}{y}结转下年度继续办理的有几件", "{a}{y}转到明年接着办的申请多少件"],
        ["How many requests did {a} carry forward to the next year {y}?"],
        ["{a} {y} jiezhuan xia niandu"],
        None,
    ),
]
_T3_REASONS = {
    "denied": (
        ["{a}{y}因{r}不予公开的申请有几件", "{a}{y}{r}所以没公开的有多少件"],
        ["How many requests did {a} refuse {y} because {r}?"],
        ["{a} {y} {r} bu yu gongkai"],
        [
            ("属于国家秘密", "the information is a state secret", "guojia mimi"),
            ("其他法律行政法规禁止公开", "other laws forbid disclosure", "falv fagui jinzhi gongkai"),
            (
                "危及“三安全一稳定”",
                "disclosure would endanger security or stability",
                "san anquan yi wending",
            ),
            ("保护第三方合法权益", "of third parties' lawful rights", "disanfang hefa quanyi"),
            ("属于三类内部事务信息", "it is internal-affairs information", "neibu shiwu xinxi"),
            ("属于四类过程性信息", "it is process information", "guochengxing xinxi"),
            ("属于行政执法案卷", "it is a law-enforcement case file", "xingzheng zhifa anjuan"),
            ("属于行政查询事项", "it is a matter for administrative inquiry", "xingzheng chaxun shixiang"),
        ],
    ),
    "unable": (
        ["{a}{y}因为{r}无法提供的有几件", "{a}{y}{r}、没法提供的申请多少件"],
        ["How many requests could {a} not answer {y} because {r}?"],
        ["{a} {y} {r} wufa tigong"],
        [
            ("本机关不掌握相关政府信息", "the agency did not hold the information", "ben jiguan bu zhangwo"),
            (
                "没有现成信息需要另行制作",
                "the information would have to be newly produced",
                "lingxing zhizuo",
            ),
            (
                "补正后申请内容仍不明确",
                "the request was still unclear after amendment",
                "buzheng hou reng bu mingque",
            ),
        ],
    ),
    "not_processed": (
        ["{a}{y}{r}不予处理的有几件", "{a}{y}因为{r}没处理的申请有多少件"],
        ["How many requests did {a} not process {y} because they were {r}?"],
        ["{a} {y} {r} bu yu chuli"],
        [
            ("属于信访举报投诉类申请", "petitions or complaints", "xinfang jubao tousu"),
            ("是重复申请", "repeat requests", "chongfu shenqing"),
            ("要求提供公开出版物", "asking for published materials", "gongkai chubanwu"),
            (
                "无正当理由大量反复申请",
                "mass repeated requests without good reason",
                "daliang fanfu shenqing",
            ),
            (
                "要求确认或重新出具已获取信息",
                "asking to confirm or re-issue information already obtained",
                "queren huo chongxin chuju",
            ),
        ],
    ),
    "other": (
        ["{a}{y}{r}的申请有几件", "{a}{y}因为{r}结掉的申请多少件"],
        ["How many requests did {a} close {y} because {r}?"],
        ["{a} {y} {r}"],
        [
            ("申请人逾期不补正、不再处理", "the applicant did not amend in time", "yuqi bu buzheng"),
            ("申请人逾期不交费、不再处理", "the applicant did not pay the fee in time", "yuqi wei jiaofei"),
            ("其他处理里“其他”一项", "of other reasons (other handling, item 3)", "qita chuli qita"),
        ],
    ),
}
_COLS = [
    ("natural", ["自然人", "个人", "老百姓"], "individuals", "ziranren"),
    ("commercial", ["商业企业", "公司"], "companies", "shangye qiye"),
    ("research", ["科研机构"], "research institutes", "keyan jigou"),
    ("social", ["社会公益组织"], "public-interest organisations", "shehui gongyi zuzhi"),
    ("legal", ["法律服务机构", "律所"], "legal service providers", "falv fuwu jigou"),
    ("other_org", ["其他组织"], "other organisations", "qita zuzhi"),
]
_T4_GROUPS = [
    ("review", ["行政复议", "信息公开复议"], "administrative reconsideration cases", "xingzheng fuyi"),
    (
        "suit_direct",
        ["未经复议直接起诉的行政诉讼", "没复议直接告到法院的案子"],
        "lawsuits filed without prior reconsideration",
        "weijing fuyi zhijie qisu",
    ),
    (
        "suit_after_review",
        ["复议后起诉的行政诉讼", "复议完又起诉的官司"],
        "lawsuits filed after reconsideration",
        "fuyi hou qisu",
    ),
]
_T4_COLS = [
    ("upheld", ["结果维持", "维持原决定"], "upheld", "jieguo weichi"),
    ("corrected", ["结果纠正", "被纠正"], "corrected", "jieguo jiuzheng"),
    ("other", ["其他结果"], "ended with another outcome", "qita jieguo"),
    ("pending", ["尚未审结", "还没审完"], "still pending", "shangwei shenjie"),
]

DERIVED = [
    _m(
        ["table4.suit_direct.total", "table4.suit_after_review.total"],
        ["{a}{y}信息公开行政诉讼一共几件", "{a}{y}因为信息公开被告了几次", "{a}{y}打了多少场信息公开官司"],
        ["How many disclosure lawsuits did {a} face {y}?"],
        ["{a} {y} xingzheng susong yigong duoshao"],
        common=True,
    ),
    _m(
        ["table4.review.corrected", "table4.suit_direct.corrected", "table4.suit_after_review.corrected"],
        ["{a}{y}复议和诉讼中被纠错的一共几件", "{a}{y}信息公开案件里结果被纠正的合计多少"],
        ["{a} {y}: reconsideration and court cases that corrected the agency, all together"],
    ),
    _m(
        ["table4.review.total", "table4.suit_direct.total", "table4.suit_after_review.total"],
        ["{a}{y}行政复议加行政诉讼一共多少件", "{a}{y}信息公开复议诉讼案件总共几件"],
        ["How many reconsideration and court cases over disclosure did {a} have {y}?"],
    ),
    _m(
        [f"table3.denied_{i}.total" for i in range(1, 9)],
        ["{a}{y}不予公开的申请一共多少件", "{a}{y}没给公开的申请合计几件"],
        ["How many requests did {a} refuse {y}, all reasons together?"],
        ["{a} {y} bu yu gongkai heji"],
    ),
    _m(
        [f"table3.unable_{i}.total" for i in range(1, 4)],
        ["{a}{y}无法提供的申请一共几件"],
        ["How many requests could {a} not answer {y}, all reasons together?"],
        ["{a} {y} wufa tigong heji"],
    ),
    _m(
        [f"table3.not_processed_{i}.total" for i in range(1, 6)],
        ["{a}{y}不予处理的申请总共多少件"],
        ["How many requests did {a} decline to process {y}?"],
    ),
    _m(
        [f"table3.other_{i}.total" for i in range(1, 4)],
        ["{a}{y}其他处理的申请一共几件"],
        ["How many requests did {a} close under 'other handling' {y}?"],
    ),
    _m(
        [f"table3.new.{c}" for c in ("commercial", "research", "social", "legal", "other_org")],
        ["{a}{y}法人或其他组织一共申请了多少件", "{a}{y}单位和组织提的申请合计多少"],
        ["How many requests did legal persons and organisations file with {a} {y}?"],
        ["{a} {y} faren huo qita zuzhi shenqing"],
    ),
    _m(
        ["table3.new.total", "table3.carried_over.total"],
        ["{a}{y}新收加上年结转一共多少件申请"],
        ["{a} {y}: new requests plus those carried over"],
    ),
]


def metrics() -> list[dict]:
    """Return every metric with its phrasings: tables 2, 3 (rows, reasons, applicant columns), 4, and sums."""
    out = list(T2)
    for row, zh, en, py, noun in _T3_OWN:
        out.append(_m([f"table3.{row}.total"], zh, en, py, common=row in ("new", "granted"), noun=noun))
    for group, (zh, en, py, reasons) in _T3_REASONS.items():
        for i, (rz, re_, rp) in enumerate(reasons, 1):
            key = f"table3.{group}_{i}.total"
            out.append(
                _m(
                    [key],
                    [t.replace("{r}", rz) for t in zh],
                    [t.replace("{r}", re_) for t in en],
                    [t.replace("{r}", rp) for t in py],
                )
            )
    out.append(
        _m(
            ["table3.other.total"],
            ["{a}{y}其他处理的申请有几件", "{a}{y}按其他处理办结的有多少件"],
            ["How many requests did {a} close under 'other handling' {y}?"],
        )
    )
    for col, zh, en, py in _COLS:
        out.append(
            _m(
                [f"table3.new.{col}"],
                [f"{{a}}{{y}}{w}提出的申请有多少件" for w in zh] + [f"{{a}}{{y}}{zh[-1]}申请了几件"],
                [f"How many requests from {en} did {{a}} receive {{y}}?"],
                [f"{{a}} {{y}} {py} shenqing shuliang"],
            )
        )
        out.append(
            _m(
                [f"table3.granted.{col}"],
                [f"{{a}}{{y}}{zh[0]}的申请里予以公开的有几件"],
                [f"How many requests from {en} did {{a}} grant {{y}}?"],
            )
        )
    for g, gzh, gen, gpy in _T4_GROUPS:
        out.append(
            _m(
                [f"table4.{g}.total"],
                [f"{{a}}{{y}}{w}一共多少件" for w in gzh],
                [f"How many {gen} did {{a}} have {{y}}?"],
                [f"{{a}} {{y}} {gpy} zongji"],
                common=g == "review",
                noun=[gzh[0]] if g == "review" else None,
            )
        )
        for c, czh, cen, cpy in _T4_COLS:
            out.append(
                _m(
                    [f"table4.{g}.{c}"],
                    [f"{{a}}{{y}}{gzh[0]}中{czh[0]}的有几件", f"{{a}}{{y}}{gzh[-1]}{czh[-1]}的多少件"],
                    [f"How many {gen} of {{a}} {{y}} were {cen}?"],
                    [f"{{a}} {{y}} {gpy} {cpy}"],
                )
            )
    return out + DERIVED


def narrative_metrics() -> list[dict]:
    """Return the narrative figures and text facts that most reports state, with their phrasings."""
    return [
        _m(
            ["narrative.proactive_total"],
            ["{a}{y}主动公开了多少条政府信息", "{a}{y}一共主动公开多少条信息"],
            ["How many items of government information did {a} proactively publish {y}?"],
            ["{a} {y} zhudong gongkai xinxi"],
        ),
        _m(
            ["narrative.policy_interpretations"],
            ["{a}{y}发布了多少政策解读", "{a}{y}政策解读出了几篇"],
            ["How many policy interpretations did {a} publish {y}?"],
            ["{a} {y} zhengce jiedu"],
        ),
        _m(
            ["narrative.applications_received"],
            ["报告正文里说{a}{y}受理了多少件申请", "{a}{y}正文写的受理申请数"],
            ["According to the text of the report, how many requests did {a} accept {y}?"],
        ),
        _m(
            ["narrative.processing_fee_collected"],
            ["{a}{y}收了多少信息处理费", "{a}{y}信息公开收费多少元"],
            ["How much did {a} charge in information processing fees {y}?"],
        ),
        dict(
            _m(["narrative.contact_phone"], ["{a}{y}年报的联系电话是多少", "对{a}{y}年报有疑问打什么电话"]),
            text=True,
        ),
        dict(_m(["narrative.postal_code"], ["{a}{y}年报留的邮编是多少"]), text=True),
        dict(_m(["narrative.contact_email"], ["{a}{y}年报的电子邮箱是什么"]), text=True),
    ]


# ---------------------------------------------------------------- agency names


def split_name(agency: str) -> tuple[list[str], str]:
    """Return the region prefixes of an agency name and the rest.

    "淮安市洪泽区人民政府" → ([淮安市, 洪泽区], 人民政府).
    """
    regions, rest = [], agency
    while True:
        m = _REGION.match(rest)
        if not m or m.group(1) == rest:
            break
        regions.append(m.group(1))
        rest = rest[m.end() :]
    if not regions and _REGION.match(rest):
        regions, rest = [rest], ""
    return regions, rest


def stem(region: str) -> tuple[str, str]:
    """Return (stem, level suffix) of a region name: 洪泽区 → (洪泽, 区); 平潭综合实验区 → (平潭, …)."""
    for suffix in (
        "综合实验区",
        "自治区",
        "自治州",
        "地区",
        "街道",
        "省",
        "市",
        "州",
        "盟",
        "县",
        "区",
        "旗",
        "镇",
        "乡",
    ):
        if region.endswith(suffix) and len(region) - len(suffix) >= 2:
            return region[: -len(suffix)], suffix
    return region, ""


def abbreviations(body: str) -> list[str]:
    """Return the short forms people write for an agency body (人民政府 → 政府, 科学技术委员会 → 科委)."""
    out = []
    for long, shorts in ABBREV:
        if long in body:
            out += [body.replace(long, s) for s in shorts]
    return [s for s in dict.fromkeys(out) if s and s != body]


def typo(text: str, rng: random.Random) -> str | None:
    """Return `text` with one character swapped for another of the same pinyin (same tone), or None."""
    if pinyin is None:
        return None
    spots = list(range(len(text)))
    rng.shuffle(spots)
    for i in spots:
        ch = text[i]
        if not "\u4e00" <= ch <= "\u9fff":
            continue
        sound = pinyin(ch, style=Style.TONE3)[0][0]
        twins = [c for c in TYPO_POOL if c != ch and pinyin(c, style=Style.TONE3)[0][0] == sound]
        if twins:
            return text[:i] + rng.choice(twins) + text[i + 1 :]
    return None


def _py(text: str) -> str:
    return "".join(lazy_pinyin(text)) if lazy_pinyin else ""


def _roman(text: str) -> str:
    """Return a place name in pinyin for English, with the syllable apostrophe: 淮安 → Huai'an."""
    out = ""
    for syl in lazy_pinyin(text):
        out += ("'" if out and syl[0] in "aeo" else "") + syl
    return out.capitalize()


def name_forms(agency: str, rng: random.Random) -> list[tuple[str, str, str]]:
    """Return (form, lang, style) name forms; style is canonical/abbreviation/typo/pinyin/english."""
    regions, body = split_name(agency)
    forms: list[tuple[str, str, str]] = [(agency, "zh", "canonical")]
    last = regions[-1] if regions else ""
    st, level = stem(last) if last else ("", "")
    gov = body in ("", "人民政府", "管理委员会")
    shorts = abbreviations(body) if body else []
    zh: list[str] = []
    if gov:
        zh += [last, last + "政府", st] if last else []
        if len(regions) > 1:
            zh.append("".join(stem(r)[0] for r in regions[:-1]) + st)
        if level == "综合实验区":
            zh += [st + "实验区", st + "管委会"]
    else:
        zh += [body, last + body, st + body] + [last + s for s in shorts] + [st + s for s in shorts] + shorts
        if level in ("市", "区", "县"):
            zh += [level + s for s in shorts if not s.startswith(level)]
            if body.startswith("人民政府") and len(body) > 4:
                zh.append(level + "府" + body[4:])  # 市府办公厅
    for f in dict.fromkeys(zh):
        if f and f != agency:
            forms.append((f, "zh", "abbreviation"))
    if lazy_pinyin is not None and st:
        bad = typo(st, rng)
        if bad:
            forms.append((agency.replace(st, bad, 1) if not gov else bad + level, "zh", "typo"))
        if gov:
            forms += [(_py(st) + " " + _py(level), "py", "pinyin"), (_py(st), "py", "pinyin")]
            en = f"{_roman(st)} {LEVEL_EN.get(level, '')}".strip()
            forms += [
                (en, "en", "english"),
                (en + " government", "en", "english"),
                (_roman(st), "en", "english"),
            ]
        else:
            forms += [(_py(st) + " " + _py(short), "py", "pinyin") for short in shorts or [body]]
            if body in BODY_EN:
                forms += [
                    (f"{_roman(st)} {BODY_EN[body]}", "en", "english"),
                    (f"the {BODY_EN[body]} of {_roman(st)}", "en", "english"),
                ]
    return forms


def year_forms(year: int) -> list[tuple[str, str, str]]:
    """Return (form, lang, style) for a year; the empty form means no year at all."""
    yy = f"{year % 100:02d}"
    return [
        (f"{year}年", "zh", "canonical"),
        (f"{yy}年", "zh", "two-digit"),
        (f"{year}年报", "zh", "annual-report"),
        (f"{year}年度", "zh", "formal"),
        (f"{yy}年报", "zh", "two-digit"),
        (f"in {year}", "en", "canonical"),
        (f"in the {year} report", "en", "annual-report"),
        (f"{year} nian", "py", "canonical"),
        (f"{yy} nian", "py", "two-digit"),
    ]


# ---------------------------------------------------------------- gold values


def load_gold(folder: Path) -> dict[str, dict]:
    """Return every gold file in `folder` by report id, numbers as Decimal."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)
        for p in sorted(folder.glob("*.json"))
    }


def value(gold: dict, key: str):
    """Return the gold value behind "table3.new.total" or "narrative.<key>", or None when absent."""
    part, rest = key.split(".", 1)
    if part == "narrative":
        hits = [n["value"] for n in gold.get("narrative", []) if n["key"] == rest]
        return hits[0] if hits else None
    return gold.get(part, {}).get(rest)


def number(v) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, str):
        try:
            return Decimal(v.rstrip("元万个"))
        except ArithmeticError:
            return None
    return Decimal(v)


def unit(gold: dict, key: str) -> str | None:
    """Return the unit a gold value is counted in."""
    part, rest = key.split(".", 1)
    if part == "narrative":
        return next((n["unit"] for n in gold["narrative"] if n["key"] == rest), None)
    if rest == "fees.amount":
        return "万元"
    if rest == "procurement.amount":
        v = value(gold, key)
        return "元" if isinstance(v, str) and v.endswith("元") else None
    if rest == "procurement.items":
        return "个"
    if rest.endswith(("prev_items", "change")):
        return "项"
    return "件"


# ---------------------------------------------------------------- question making


class Maker:
    """Builds question rows for one gold set with one random stream."""

    def __init__(self, gold: dict[str, dict], rng: random.Random):
        self.gold, self.rng = gold, rng
        self.by_agency: dict[str, list[str]] = {}
        for rid, g in gold.items():
            self.by_agency.setdefault(g["agency"], []).append(rid)
        self.names = {a: name_forms(a, rng) for a in sorted(self.by_agency)}
        self.rows: list[dict] = []

    # -- text assembly
    def _pick(self, forms, lang, want=None):
        pool = [f for f in forms if f[1] == lang and (want is None or f[2] in want)]
        return self.rng.choice(pool) if pool else None

    def _short(self, agency: str) -> str:
        """Return one abbreviated zh form of an agency's name, or the full name when it has none."""
        form = self._pick(self.names[agency], "zh", ("abbreviation",))
        return form[0] if form else agency

    def _say(self, template: str, agency_form: str, year_form: str, lang: str, spaces: bool, **more) -> str:
        sep = " " if (spaces or lang != "zh") else ""
        text = template.format(a=agency_form + sep, y=(year_form + sep) if year_form else "", **more)
        return re.sub(r"\s+([:?,])", r"\1", re.sub(r"\s+", " ", text)).strip()

    def _noise(self, q: str, styles: list[str]) -> str:
        """Return `q` with its punctuation dropped now and then; tag "no-punct" when none is left."""
        if re.search(r"[\u4e00-\u9fff]$", q) and self.rng.random() < 0.5:
            q += "？"
        if self.rng.random() < 0.35 and _PUNCT.search(q):
            q = _PUNCT.sub(" ", q)
            q = re.sub(r"\s+", " ", q).strip()
            if "spaces" not in styles:
                q = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", q)
        if not _PUNCT.search(q):
            styles.append("no-punct")
        return q

    def _row(self, q, typ, a, u, report, keys, op, styles, cls, **extra):
        row = {
            "q": q,
            "type": typ,
            "a": a,
            "unit": u,
            "report": report,
            "keys": keys,
            "op": op,
            "style": sorted(set(styles)),
            "cls": cls,
        }
        row.update(extra)
        self.rows.append(row)

    def _styles(self, name_style: str, year_style: str, lang: str, template: str, spaces: bool) -> list[str]:
        s = [] if name_style == "canonical" else [name_style]
        s += {"en": ["english"], "py": ["pinyin"]}.get(lang, [])
        if year_style in ("two-digit", "annual-report"):
            s.append("abbreviation")
        s.append("colloquial" if lang == "zh" and any(w in template for w in COLLOQUIAL) else "formal")
        if spaces and lang == "zh":
            s.append("spaces")
        return s

    def _phrase(self, metric: dict, lang: str) -> str | None:
        pool = metric.get(lang) or []
        return self.rng.choice(pool) if pool else None

    def ask(self, rid: str, metric: dict, cls: int, name_want=None, year_style=None) -> None:
        """One question for a metric (a dict with keys, zh/en/py phrases) of one report."""
        g = self.gold[rid]
        keys = metric["keys"]
        nums = [number(value(g, k)) for k in keys]
        if any(n is None for n in nums):
            return
        forms = [f for f in self.names[g["agency"]] if name_want is None or f[2] in name_want]
        langs = [
            lng
            for lng in ("zh", "zh", "zh", "en", "py")
            if metric.get(lng) and any(f[1] == lng for f in forms)
        ]
        if not langs:
            return
        lang = self.rng.choice(langs)
        name = self.rng.choice([f for f in forms if f[1] == lang])
        years = [
            y for y in year_forms(g["year"]) if y[1] == lang and (year_style is None or y[2] in year_style)
        ]
        yform = self.rng.choice(years) if years else ("", lang, "none")
        if year_style == ("none",):
            yform = ("", lang, "none")
        template = self._phrase(metric, lang)
        spaces = self.rng.random() < 0.2
        styles = self._styles(name[2], yform[2], lang, template, spaces)
        q = self._noise(self._say(template, name[0], yform[0], lang, spaces), styles)
        op = "narrative" if keys[0].startswith("narrative.") else metric["op"]
        if yform[2] == "none" and len(self.by_agency[g["agency"]]) > 1:
            cands = sorted(self.by_agency[g["agency"]])
            if all(all(value(self.gold[c], k) is not None for k in keys) for c in cands):
                self._row(q, "clarify", None, None, None, list(keys), op, styles, 3, candidates=cands)
            return
        a = nums[0] if op in ("cell", "narrative") else sum(nums, Decimal(0))
        self._row(q, "figure", format(a, "f"), unit(g, keys[0]), rid, list(keys), op, styles, cls)

    # -- the classes
    def metrics_for(self, rid: str) -> list[dict]:
        g = self.gold[rid]
        out = [m for m in metrics() if all(value(g, k) is not None for k in m["keys"])]
        return out

    def class4(self, rid: str) -> None:
        for m in self.metrics_for(rid):
            self.ask(
                rid,
                m,
                4,
                name_want=("canonical", "abbreviation", "english", "pinyin"),
                year_style=("canonical", "formal"),
            )

    def class2(self, rid: str) -> None:
        common = [m for m in self.metrics_for(rid) if m.get("common")]
        for style in ("abbreviation", "typo", "pinyin", "english", "abbreviation", "typo"):
            if common:
                self.ask(rid, self.rng.choice(common), 2, name_want=(style,), year_style=("canonical",))

    def class3(self, rid: str) -> None:
        common = [m for m in self.metrics_for(rid) if m.get("common")]
        for ys in (("two-digit",), ("annual-report",), ("none",), ("two-digit",), ("none",)):
            if common:
                self.ask(
                    rid, self.rng.choice(common), 3, name_want=("canonical", "abbreviation"), year_style=ys
                )

    def class6(self, rid: str) -> None:
        g = self.gold[rid]
        for m in narrative_metrics():
            key = m["keys"][0]
            v = value(g, key)
            if v is None:
                continue
            if m.get("text"):
                name = self._pick(self.names[g["agency"]], "zh", ("canonical", "abbreviation"))
                q = self._say(self.rng.choice(m["zh"]), name[0], f"{g['year']}年", "zh", False)
                self._row(q, "text", str(v), None, rid, [key], "narrative", ["colloquial"], 6)
            else:
                self.ask(
                    rid, m, 6, name_want=("canonical", "abbreviation"), year_style=("canonical", "two-digit")
                )

    def class5(self) -> None:
        rng = self.rng
        for agency, rids in sorted(self.by_agency.items()):  # year-on-year differences
            if len(rids) < 2:
                continue
            for _ in range(3):
                r0, r1 = sorted(rng.sample(sorted(rids), 2), key=lambda r: self.gold[r]["year"])
                m = rng.choice([m for m in metrics() if m.get("noun")])
                n0, n1 = (number(value(self.gold[r], m["keys"][0])) for r in (r0, r1))
                if n0 is None or n1 is None or len(m["keys"]) > 1:
                    continue
                more = n1 >= n0
                keys = (
                    [f"{r1}:{m['keys'][0]}", f"{r0}:{m['keys'][0]}"]
                    if more
                    else [f"{r0}:{m['keys'][0]}", f"{r1}:{m['keys'][0]}"]
                )
                name = self._pick(self.names[agency], "zh", ("canonical", "abbreviation"))
                y0, y1 = self.gold[r0]["year"], self.gold[r1]["year"]
                t = rng.choice(DIFF_ZH)
                q = t.format(a=name[0], y1=y1, y0=y0, n=rng.choice(m["noun"]), w="多" if more else "少")
                self._row(
                    q,
                    "figure",
                    format(abs(n1 - n0), "f"),
                    unit(self.gold[r1], m["keys"][0]),
                    r1,
                    keys,
                    "diff",
                    ["colloquial"],
                    5,
                )
        for rid in sorted(self.gold):  # shares with rounding
            g = self.gold[rid]
            for num_keys, den_keys, zh in SHARES:
                nums = [number(value(g, k)) for k in num_keys + den_keys]
                if any(n is None for n in nums) or sum(nums[len(num_keys) :]) == 0:
                    continue
                nd, words = rng.choice(ROUNDING)
                share = (sum(nums[: len(num_keys)]) * 100 / sum(nums[len(num_keys) :])).quantize(
                    Decimal(1).scaleb(-nd), rounding=ROUND_HALF_UP
                )
                name = self._pick(self.names[g["agency"]], "zh", ("canonical", "abbreviation"))
                q = zh.format(a=name[0], y=f"{g['year']}年") + words
                self._row(
                    q,
                    "figure",
                    format(share, "f"),
                    "%",
                    rid,
                    num_keys + den_keys,
                    "share",
                    ["formal"],
                    5,
                    ndigits=nd,
                    split=len(num_keys),
                )
        years: dict[int, list[str]] = {}
        for rid, g in self.gold.items():  # the largest among named agencies, same year
            years.setdefault(g["year"], []).append(rid)
        for year, rids in sorted(years.items()):
            if len(rids) < 2:
                continue
            for m in rng.sample([m for m in metrics() if m.get("noun") and len(m["keys"]) == 1], 3):
                vals = [(number(value(self.gold[r], m["keys"][0])), r) for r in sorted(rids)]
                if any(v is None for v, _ in vals) or len({v for v, _ in vals}) < len(vals):
                    continue
                best, winner = max(vals)
                names = "、".join(self._short(self.gold[r]["agency"]) for _, r in vals)
                q = rng.choice(MAX_ZH).format(y=year, names=names, n=rng.choice(m["noun"]))
                self._row(
                    q,
                    "figure",
                    format(best, "f"),
                    unit(self.gold[winner], m["keys"][0]),
                    winner,
                    [f"{r}:{m['keys'][0]}" for _, r in vals],
                    "max",
                    ["colloquial"],
                    5,
                    winner=winner,
                )
        for rid in sorted(self.gold):  # sums that words imply
            for m in self.metrics_for(rid):
                if m.get("op") == "sum" and rng.random() < 0.5:
                    self.ask(
                        rid,
                        m,
                        5,
                        name_want=("canonical", "abbreviation"),
                        year_style=("canonical", "two-digit"),
                    )

    def class1_and_7(self, rid: str) -> None:
        g = self.gold[rid]
        regions, body = split_name(g["agency"])
        if not regions:
            return
        st, _ = stem(regions[-1])
        present = {self.gold[r]["agency"] for r in self.gold}
        common = [m for m in self.metrics_for(rid) if m.get("common")]
        if not common:
            return
        for dept in self.rng.sample(ABSENT_DEPTS, 3):  # departments with no report: never the parent's figure
            if any(dept in a for a in present):
                continue
            name = self.rng.choice([regions[-1] + dept, st + dept] + [st + s for s in abbreviations(dept)])
            m = self.rng.choice(common)
            q = self._say(self.rng.choice(m["zh"]), name, f"{g['year']}年", "zh", False)
            self._row(
                q, "unanswerable", None, None, None, [], None, ["colloquial"], 1, note=f"{name}: no report"
            )
        if body not in ("", "人民政府"):  # a department that is in the store resolves by its own name
            self.ask(
                rid,
                self.rng.choice(common),
                1,
                name_want=("abbreviation",),
                year_style=("canonical", "two-digit"),
            )
        name = self._pick(self.names[g["agency"]], "zh", ("canonical", "abbreviation"))
        for t in self.rng.sample(NOT_IN_TEMPLATE, 2):  # things the template does not hold
            q = t.format(a=name[0], y=f"{g['year']}年", m=self.rng.randint(1, 12))
            self._row(q, "unanswerable", None, None, rid, [], None, ["colloquial"], 7)
        missing = [
            y
            for y in range(2019, 2026)
            if y not in {self.gold[r]["year"] for r in self.by_agency[g["agency"]]}
        ]
        if missing:  # a year with no report for this agency
            m = self.rng.choice(common)
            q = self._say(self.rng.choice(m["zh"]), name[0], f"{self.rng.choice(missing)}年", "zh", False)
            self._row(
                q,
                "unanswerable",
                None,
                None,
                None,
                [],
                None,
                ["colloquial"],
                3,
                note="no report for that year",
            )


def generate(gold_dir: Path, n: int | None = None, seed: int = 0) -> list[dict]:
    """Return question rows for every gold file in `gold_dir`, balanced over classes, `n` at most."""
    rng = random.Random(seed)
    maker = Maker(load_gold(gold_dir), rng)
    for rid in sorted(maker.gold):
        maker.class4(rid)
        maker.class2(rid)
        maker.class3(rid)
        maker.class6(rid)
        maker.class1_and_7(rid)
    maker.class5()
    seen, by_cls = set(), {}
    for row in maker.rows:
        if row["q"] not in seen:
            seen.add(row["q"])
            by_cls.setdefault(row["cls"], []).append(row)
    for rows in by_cls.values():
        rng.shuffle(rows)
    out, queues = [], [by_cls[c] for c in sorted(by_cls)]
    while any(queues) and (n is None or len(out) < n):  # round-robin over classes keeps them balanced
        for qu in queues:
            if qu and (n is None or len(out) < n):
                out.append(qu.pop())
    return [{"id": f"para-gen/{i}", **row} for i, row in enumerate(out, 1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.paraphrase", description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, required=True, help="folder of gold JSON files (GOLD-SPEC shape)")
    ap.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    ap.add_argument("--n", type=int, default=None, help="at most this many questions (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not args.gold.is_dir():
        print(f"error: {args.gold} is not a folder of gold files", file=sys.stderr)
        return 2
    rows = generate(args.gold, args.n, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} questions → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
