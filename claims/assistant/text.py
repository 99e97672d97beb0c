"""The claim assistant's reading of article text: sentences with their offsets, the named
entities and key terms they share across scripts, the figures they state and what each
figure measures (its subject).

Everything here works on `fold_chars` text, which keeps offsets: a sentence found at
`start:end` in the folded body is `body[start:end]` in the stored one.
"""

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from claims.assistant.figures import parse_figures
from sources.text import fold_chars

# Sentence ends; a line break ends a sentence too (headings, list items, quoted posts).
_SENTENCE_END = re.compile(r"[^。！？!?；;\n]*[。！？!?；;]*[」”』\"]?")
_CLAUSE = re.compile(r"[^，,：:。！？!?；;\n]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z]{2,}")  # Llama4 and Llama 4 both give "llama"
_MARKUP = re.compile(r"^[\s>#*\-]+|[*_`]+|!\[[^\]]*\]\([^)]*\)")

# Names as the seed outlets write them, in folded form (Simplified, lower case, no spaces or
# middle dots): one canonical name for each person, company or team.
ENTITIES = {
    "zuckerberg": ("扎克伯格", "小扎", "zuckerberg", "马克·扎克伯格"),
    "alexandr_wang": ("亚历山大·王", "亚历山大", "alexandrwang", "alexwang", "wang"),
    "tian_yuandong": ("田渊栋",),
    "lecun": ("杨立昆", "杨立坤", "lecun", "yannlecun"),
    "scale_ai": ("scaleai", "scale"),
    "llama": ("llama",),
    "llama4": ("llama4", "llama 4"),
    "fair": ("fair", "基础ai研究"),
    "tbd_lab": ("tbdlab", "tbd"),
    "msl": ("msl", "超级智能实验室", "superintelligence"),
    "genai": ("genai", "生成式ai"),
    "deepseek": ("deepseek",),
    "openai": ("openai",),
    "wsj": ("华尔街日报", "wsj"),
    "chris_cox": ("考克斯", "chriscox"),
    "pineau": ("pineau", "乔尔·皮诺"),
    "meta": ("meta",),
}
_ALIASES = sorted(
    ((alias.replace("·", "").replace(" ", ""), name)
     for name, aliases in ENTITIES.items() for alias in aliases),
    key=lambda pair: -len(pair[0]),
)

# Key terms that outlets word differently: each group of words counts as one shared term
# (被裁, 裁员 and 开掉 all say "laid off"). Written from reading the seed articles.
CONCEPTS = {
    "layoff": ("裁员", "被裁", "裁减", "裁掉", "开掉", "砍掉", "砍向", "layoff"),
    "leave": ("离职", "辞职", "离开", "跑路", "出走", "辞呈", "走了", "流失"),
    "invest": ("投资", "收购", "入股", "买来", "拍板", "买scale"),
    "cheat": ("作弊", "刷榜", "刷分", "操纵", "测试集"),
    "flop": ("翻车", "失败", "失望", "惨败", "糟糕", "不佳", "平平", "孱弱", "滑铁卢"),
    "reasoning": ("推理",),
    "multimodal": ("多模态",),
    "outsider": ("外行",),
    "poach": ("挖角", "挖人", "挖来", "招募", "招人", "挖过来"),
    "pay": ("薪酬", "年薪", "天价", "薪资", "签约金", "薪水"),
    "jobfair": ("招聘会", "喊话加入", "加入自己的公司", "欢迎联"),
    "margin": ("边缘化",),
    "found": ("创立", "成立", "组建", "创建", "创办"),
    "reorg": ("重组", "一拆为四", "四个部门", "整合"),
    "memo": ("备忘录", "邮件中写道", "内部讲话"),
    "unhurt": ("未受影响", "没有受到影响", "毫发无伤"),
    "novel": ("科幻小说",),
    "go": ("围棋", "alphago"),
    "cot": ("思维链",),
    "school": ("上海交", "卡内基梅隆", "cmu"),
    "surpass": ("超越", "落后", "飞跃", "领先"),
}

# Words that make a figure second-hand: it is a rumour's figure, not a sourced one.
HEDGES = ("据说", "据传", "爆料", "传言", "网传", "传闻", "流言", "谣言", "声称", "得到消息",
          "有传闻", "据称", "假设", "说法", "是否真如", "如果")

# What a figure measures, from the words around it: (subject, units, keyword groups[, words
# that may not follow the figure[, words that veto the subject in its clause]]). Every group
# must have a word in the figure's clause (or its sentence, when the sentence has one figure of
# that unit). Order matters: the first subject that fits wins.
SUBJECTS = [
    ("AI部门剩余员工总数", {"people", "count"}, [("总数", "降至", "剩下", "剩余")]),
    ("裁员人数", {"people", "count"}, [("裁员", "裁减", "裁掉", "被裁", "开掉", "裁了", "岗位")],
     ("部门", "个部门", "团队", "版本")),
    ("Llama团队离职比例", {"%"},
     [("辞职", "辞呈", "离开", "离职", "跑路", "出走"), ("llama", "团队", "研究员", "成员", "创始")]),
    ("Scale AI股权比例", {"%"}, [("股权", "股份"), ("scale", "后者")]),
    ("Scale AI投资金额", {"USD", "CNY"}, [("投资", "收购", "买", "拍板"), ("scale",)], (),
     ("估值", "资产", "身价")),
    ("Meta 2025年AI资本支出", {"USD", "CNY"}, [("资本支出", "资本开支", "预计支出", "capex")]),
    ("挖角开出的最高薪酬", {"USD", "CNY"}, [("薪酬", "合同", "签约金", "年薪", "薪酬包")]),
]
# A single character says less than a bigram or a name.
UNIGRAM_WEIGHT = 0.5
CONFLICT_UNITS = {"USD", "CNY", "HKD", "TWD", "EUR", "%", "people", "count"}


def compact(text):
    return text.replace(" ", "").replace("·", "")


def entities_in(folded):
    found, text = set(), compact(folded)
    for alias, name in _ALIASES:
        if alias in text:
            found.add(name)
            text = text.replace(alias, " ")
    if "llama4" in found:
        found.add("llama")
    return frozenset(found)


def concept_terms(folded):
    text = compact(folded)
    return frozenset("#" + name for name, words in CONCEPTS.items()
                     if any(word in text for word in words))


def entity_terms(entities):
    """Entities as terms, so that 杨立昆 and Yann LeCun weigh the same in the term cosine."""
    return frozenset("@" + name for name in entities)


def terms_in(folded):
    """Key terms: Han character bigrams and Latin words, of script-folded text."""
    terms = set(_LATIN.findall(folded)) | concept_terms(folded)
    han = "".join(c if _HAN.match(c) else " " for c in folded)
    for run in han.split():
        terms.update(run[i:i + 2] for i in range(len(run) - 1))
        # Single characters too: 被裁 and 裁员 share no bigram but say the same thing.
        terms.update(run)
    return frozenset(terms)


def is_hedged(folded):
    return any(h in folded for h in HEDGES)


@dataclass
class Sentence:
    article_id: int
    start: int
    end: int
    text: str
    folded: str
    terms: frozenset
    entities: frozenset
    figures: list = field(default_factory=list)
    hedged: bool = False
    # Terms of each run of one or two clauses: a long sentence may say the claim in one part.
    windows: tuple = ()
    # The quantities its figures measure (裁员人数, Scale AI投资金额…), from the lexicon.
    subjects: frozenset = frozenset()


def split_sentences(body):
    """(start, end) of each sentence of `body` worth reading, markup trimmed."""
    spans = []
    for m in _SENTENCE_END.finditer(body):
        start, end = m.start(), m.end()
        text = body[start:end]
        lead = _MARKUP.match(text)
        if lead and lead.start() == 0:
            start += lead.end()
        while end > start and body[end - 1] in " \t*":
            end -= 1
        if end - start >= 6 and _HAN.search(fold_chars(body[start:end])):
            spans.append((start, end))
    return spans


@lru_cache(maxsize=8192)
def index_sentences(article_id, body):
    sentences = []
    for start, end in split_sentences(body):
        text = body[start:end]
        folded = fold_chars(text)
        entities = entities_in(folded)
        sentence = Sentence(article_id, start, end, text, folded,
                            terms_in(folded) | entity_terms(entities), entities,
                            hedged=is_hedged(folded))
        sentence.figures = [_shift(f, start) for f in parse_figures(text)]
        sentence.windows = _windows(folded)
        sentence.subjects = frozenset(subject_of(f, sentence) for f in sentence.figures) - {None}
        sentences.append(sentence)
    return tuple(sentences)


def _windows(folded):
    clauses = _CLAUSE.findall(folded)
    if len(clauses) < 3:
        return ()
    runs = clauses + ["，".join(pair) for pair in zip(clauses, clauses[1:])]
    return tuple(terms for terms in map(terms_in, runs) if terms)


def _shift(figure, offset):
    return replace(figure, start=figure.start + offset, end=figure.end + offset)


def sentences_of(article):
    """The article's sentences, computed once per body (memoized on the text itself)."""
    return index_sentences(article.pk, article.body)


def subject_of(figure, sentence):
    """The subject a figure measures, from the lexicon; None when no entry fits."""
    if figure.unit not in CONFLICT_UNITS and figure.unit != "":
        return None
    clause = clause_around(sentence, figure)
    same_unit = sum(1 for f in sentence.figures if f.unit == figure.unit)
    after = sentence.folded[figure.end - sentence.start:]
    for subject, units, groups, *rest in SUBJECTS:
        not_after = rest[0] if rest else ()
        vetoes = rest[1] if len(rest) > 1 else ()
        if figure.unit not in units or after.startswith(not_after):
            continue
        if any(word in clause for word in vetoes):
            continue  # 估值达到300亿美元 is a valuation, whatever else the clause says
        if _fits(compact(clause), groups):
            return subject
        if same_unit == 1 and _fits(compact(sentence.folded), groups):
            return subject
    return None


def _fits(text, groups):
    return all(any(word in text for word in group) for group in groups)


def clause_around(sentence, figure):
    """The clause (between commas and colons) holding the figure, in folded form."""
    local_start = figure.start - sentence.start
    for m in _CLAUSE.finditer(sentence.folded):
        if m.start() <= local_start < m.end():
            return m.group()
    return sentence.folded
