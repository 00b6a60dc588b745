"""Content terms of a question, for matching narrative figures and sentences (Chinese + English)."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

EN_ZH = {
    "accepted": ["受理"], "over the years": ["历年", "累计"], "in total over the years": ["历年", "累计"],
    "press conferences": ["新闻发布会"], "press conference": ["新闻发布会"],
    "policy interpretations": ["政策解读"], "policy interpretation": ["政策解读"], "interpretations": ["解读"],
    "training": ["培训"], "inspections": ["检查"], "inspection": ["检查"], "quarterly": ["季度"],
    "procurement project information": ["采购项目信息"], "procurement": ["采购"], "openness": ["政务公开"],
    "government-affairs": ["政务"], "full-time staff": ["专职", "人员"], "staff": ["人员"], "visits": ["访问量"],
    "online interview": ["在线访谈"], "online": ["网上"], "budget": ["经费"], "special funds": ["专项经费"],
    "dedicated budget": ["专项经费"], "information processing fees": ["信息处理费"], "processing fees": ["信息处理费"],
    "fees": ["收费", "费"], "charge": ["收取"], "charged": ["收取"], "e-mail": ["邮箱"], "email": ["邮箱"],
    "new media": ["新媒体"], "followers": ["关注", "粉丝"], "fans": ["粉丝"], "mailing address": ["通讯地址", "地址"],
    "statistics": ["统计"], "period": ["统计期限"], "share": ["占"], "full or partial disclosure": ["予以公开",
                                                                                              "部分公开"],
    "proactively": ["主动公开"], "proactive": ["主动公开"], "items of": ["条"], "meetings": ["会议"],
    "bulletins": ["公报"], "gazette": ["公报"], "programmes": ["节目"], "programs": ["节目"], "hotline": ["热线"],
    # report vocabulary that English questions use for figures stated in the text
    "shut down": ["关停"], "closed down": ["关停"], "accounts": ["账号"], "account": ["账号"],
    "non-compliant": ["不合规"], "rectified": ["整改"], "rectification": ["整改"], "notices": ["通知"],
    "announcements": ["公告"], "interviews": ["访谈"], "hearings": ["听证"], "solicited opinions": ["意见征集"],
    "public consultation": ["意见征集"], "consultations": ["意见征集"], "communication": ["沟通"],
    "communications": ["沟通"], "pre-handling": ["办前"], "reminders": ["提示", "催办"], "reminder": ["提示", "催办"],
    "proposals": ["提案"], "suggestions": ["建议"], "deputies": ["代表"], "trainings": ["培训"],
    "training sessions": ["培训"], "page views": ["访问量"], "documents": ["文件"], "policy documents": ["政策文件"],
    "disputes": ["矛盾", "纠纷"], "resolved": ["化解"], "events": ["活动"], "interactive": ["互动"],
    "messages": ["留言"], "replied": ["答复", "回复"], "answered": ["答复"], "land acquisition": ["征地"],
    "fee": ["费"], "collect": ["收取"], "collected": ["收取"], "collects": ["收取"], "collecting": ["收取"],
    "livelihood": ["民生"], "policy": ["政策"], "policies": ["政策"], "cumulative": ["累计"], "to date": ["累计"], "key areas": ["重点领域"], "law enforcement": ["执法"], "publicity": ["公示"],
}
STOP_ZH = set("""的 了 是 在 有 和 与 及 或 中 里 因 因为 而 被 向 对 把 将 为 以 于 吗 呢 吧 啊 么 什么 多少 几 哪 哪些 哪个 一共 合计 共 总共 加起来
共计 全年 今年 本年 去年 年度 年 报告 年报 这份 按 按照 说法 正文 表格 表 政府信息公开 政府 信息 公开 工作 方面 情况 数量 多大 比例
是否 有没有 没有 请问 总体 总体情况 说 里说 按报告 申请 一下 目前 现在 截至 其 该 本 我 区 市 县 镇 乡 局 委 件 个 条 篇 次 场 期 名 人 项 家 份 元 万元 天 多 少 上 下 内 出
了 过 还 都 也 就 并 等 一 这 那 当年 里面 其中 属于 关于 涉及 引发 给出 给 留 组织 开展 进行 通过 在线 如何 怎样 怎么样 怎么 咋样 怎么回事 具体 简要 介绍 描述 讲讲 说说
两年 三年 几年 这两年 这几年 分别 各年 每年 两个年度 各自 一年 一年里 全年里 那边 这边 那里 这里
百分之 百分比 百分之几 百分之多少 占比 比重 几成 占了 一类 这一类 这类 那类 那一类 全部 所有
条数 件数 个数 次数 场数 篇数 项数 期数 数目 总数
作为 其实 已经 如果 对于 根据 由于 就是 那个 这个 还是 核对 核实 查证 来着
人次 万人次 亿元 亿 万人""".split())  # 条数: "how many 条" — the unit
STOP_EN = set("""how many much did does do was were is are the a an in of for to on by with from what which when where who
whom whose that this these those their its it's it and or as at be been has have had any all each per did year years
report reports government information disclosure town county district city municipal commission bureau
there total number give given publish published""".split())

_lock = threading.Lock()
_jieba = None


def _cut(s: str) -> list[str]:
    """jieba words from a private tokenizer (the search index adds its own words to the global one)."""
    global _jieba
    with _lock:
        if _jieba is None:
            import logging

            import jieba
            jieba.setLogLevel(logging.WARNING)
            from gongkai.config import data_home
            tok = jieba.Tokenizer()
            tok.tmp_dir = str(data_home())
            _jieba = tok
        return list(_jieba.cut(s))


def known_word(w: str) -> bool:
    """Whether jieba's dictionary holds the word (公开 yes, 公凯 no)."""
    _cut("")
    assert _jieba is not None
    with _lock:
        _jieba.check_initialized()
        return bool(_jieba.FREQ.get(w))


_pos = None


def place_names(text: str) -> list[str]:
    """Place names jieba's part-of-speech tagger finds in a text (厦门, 海淀区), and capitalised English words
    that are pinyin (Xiamen) — for telling a question about a place the store does not hold."""
    global _pos
    _cut("")  # the private tokenizer, initialised
    with _lock:
        if _pos is None:
            import jieba.posseg

            _pos = jieba.posseg.POSTokenizer(_jieba)
        out = [w for w, flag in _pos.cut(text) if flag == "ns" and len(w) >= 2]
    from rag.catalog import _splits_into_syllables

    for m in re.finditer(r"(?<=[\s,;:(])([A-Z][a-z]{3,})", " " + text):
        w = m.group(1).lower()
        if _splits_into_syllables(w) and w not in STOP_EN:
            out.append(m.group(1))
    return out


def quoted_names(text: str) -> list[str]:
    """Names the question quotes: 《问政平潭有事你说》, “江镜正能量”."""
    return re.findall(r"[《“\"]([^》”\"]{2,30})[》”\"]", text)


def content_terms(text: str, drop: Sequence[str] = ()) -> list[str]:
    """Return the question's content terms (Chinese words; English mapped to Chinese where known)."""
    out: list[str] = []
    t = text
    # quoted names (《问政平潭有事你说》, “江镜正能量”) are terms as printed
    for m in quoted_names(t):
        out.append(m)
        t = t.replace(m, " ")
    for d in sorted(drop, key=len, reverse=True):
        if d:
            t = t.replace(d, " ")
    t = re.sub(r"(?:19|20)\d\d\s*年?|(?<!\d)\d\d\s*年(?:度)?", " ", t)  # 2019年, 19年
    low = t.lower()
    for en in sorted(EN_ZH, key=len, reverse=True):
        if en in low:
            out.extend(EN_ZH[en])
            low = low.replace(en, " ")
    zh = re.sub(r"[A-Za-z0-9'’\-_.,?!:;()“”\"\s]+", " ", low)
    zh = re.sub(r"来着", " ", zh)  # "多少条来着": a spoken tail, cut apart by jieba as 条来|着 otherwise
    # 主动公开信息数, 公布政府信息总数: one term (公布/发布政府信息 is how reports say 主动公开, see SYNONYMS)
    zh = re.sub(r"主动公开了?的?(?:政府)?信息(?:总?数量?)?|(?:公布|发布)了?的?政府信息(?:总?数量?)?", "主动公开", zh)
    plain = _terms_of(zh)
    if not plain and not out:  # "全年公开政府信息多少条" and nothing else: what an agency publishes on its own is 主动公开 (a
        # request's disclosure is asked with 申请, a refusal with 不予)
        zh = re.sub(r"(?<!申请)(?<!不予)(?<!予以)(?<!部分)公开了?的?(?:政府)?信息(?:总?数量?)?", "主动公开", zh)
    return _dedupe(out + _terms_of(zh))


def _terms_of(zh: str) -> list[str]:
    out: list[str] = []
    for p in PHRASES:
        if p in zh:
            out.append(p)
            zh = zh.replace(p, " ")
    for w in _cut(zh):
        w = w.strip()
        if len(w) < 2 or w in STOP_ZH or not re.search(r"[\u4e00-\u9fff]", w) or re.match(r"^(几|多少|占多|多大|哪|第几)", w):
            continue
        out.append(w)
    return out


def _dedupe(words: list[str]) -> list[str]:
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    return seen


# domain phrases kept whole (jieba would split them)
PHRASES = ("主动公开", "政策解读", "新闻发布会", "政务新媒体", "信息处理费", "常务会议", "专项经费", "政府网站",
           "门户网站", "在线访谈", "意见征集", "过期信息", "人大代表建议", "政协提案", "公众号", "解读类", "动态类",
           "依申请公开", "政府公报", "采购项目信息")

SYNONYMS = {
    "转到": ("转到", "转下", "转入"), "政府公报": ("公报",), "公众号": ("公众号", "微信"),
    "主动公开": ("主动公开", "公布政府信息", "公开政府信息", "主动发布", "发布政府信息"),
    "费用": ("费用", "收费", "处理费"), "收取": ("收取", "收费"), "收费": ("收费", "收取"),
    "关注": ("关注", "粉丝"), "受理": ("受理", "收到"), "出": ("出", "制作"), "期数": ("期",),
    "新闻发布会": ("新闻发布会", "发布会"), "政策解读": ("政策解读", "解读"),
    # verbs of publishing: people write 发了 / 出了 where the report prints 发布 / 发出 / 公布
    "发了": ("发布", "发出", "公布", "发了", "推送", "印发"), "发布": ("发布", "发出", "公布", "推送"),
    "公示": ("公示", "公布"), "出了": ("发布", "印发", "出台", "制发", "发出"),
    "推出": ("推出", "发布", "推送", "公布", "出台", "印发"), "刊发": ("刊发", "发布", "刊登", "发表"),
    "发表": ("发表", "发布", "刊发", "刊登"),
    # what a count word counts: articles are counted in 篇
    "文章": ("文章", "篇"), "稿件": ("稿件", "篇"), "人数": ("人数", "人员", "名"),
}


def _hit(t: str, w: str) -> float:
    """1 if the term (or a synonym) is in the window; partial credit for the share of its bigrams."""
    for s in SYNONYMS.get(t, (t,)):
        if s in w:
            return 1.0
    for s in SYNONYMS.get(t, ()):  # a synonym with a word inserted (公开公安政府信息 for 公开政府信息)
        if len(s) >= 4 and s != t and _gapped_ok(s, w):
            return 0.9
    if len(t) >= 3:
        # the term's characters in order with a word inserted (政协提案 in 政协委员提案, 人大建议 in 人大代表建议)
        if _gapped_ok(t, w):
            return 0.9
        grams = [t[i:i + 2] for i in range(len(t) - 1)]
        return 0.8 * sum(g in w for g in grams) / len(grams)
    return 0.0


def _gapped_ok(t: str, w: str) -> bool:
    """At most two characters inserted in all (not two between every pair)."""
    m = re.search(".{0,2}".join(map(re.escape, t)), w)
    return m is not None and len(m.group()) - len(t) <= 2


def coverage(terms: list[str], window: str, weights: dict[str, float] | None = None, context: str = "",
             context_weight: float = 0.3, near: str = "") -> float:
    """Share of the terms (weighted by length and specificity) found in the window; a term found only in
    the surrounding context counts `context_weight`."""
    if not terms:
        return 0.0
    w = re.sub(r"\s+", "", window)
    c = re.sub(r"\s+", "", context)
    wt = {t: len(t) * (weights.get(t, 1.0) if weights else 1.0) for t in terms}
    tot = sum(wt.values())
    nr = re.sub(r"\s+", "", near)

    def score(t: str) -> float:
        own = _hit(t, w) * (1.2 if nr and _hit(t, nr) >= 1 else 1.0)
        return max(own, context_weight * _hit(t, c) if c else 0.0)

    return sum(wt[t] * score(t) for t in terms) / tot


def pinyin_terms(question: str, texts: list[str]) -> list[str]:
    """Chinese words of the report's own text that a pinyin question spells ("zhudong gongkai" → 主动公开):
    runs of one to three of the question's syllable words, looked up by their toneless pinyin."""
    from rag.catalog import pinyin_of

    vocab: dict[str, str] = {}
    for t in texts:
        for w in _cut(t):
            if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w) and w not in STOP_ZH:
                vocab.setdefault(pinyin_of(w), w)
    words = re.findall(r"[a-z]+", question.lower())
    out: list[str] = []
    i = 0
    while i < len(words):
        for k in (3, 2, 1):
            key = "".join(words[i:i + k])
            if k <= len(words) - i and key in vocab and len(key) >= 4:
                if vocab[key] not in out:
                    out.append(vocab[key])
                i += k
                break
        else:
            i += 1
    return out
