"""An article's title from its text: the headline the text carries, or one made from its lead.

Posts and messages seldom have a title on a line of its own. What they carry instead follows
the conventions of Chinese news and social media:

- `【headline】text…` (Weibo, WeChat, news apps), often with `#话题#` inside the brackets;
- `#话题#text…`: a Weibo topic opening the post, a title when the text is about it (the two
  share words), not when the topic is a trending tag pinned to an unrelated post;
- `《headline》text…`: a work's title marks opening the text;
- `原标题：…` in a reposted article's credits.

When nothing is found, `make_title` makes one from the lead: its first sentence (newlines and
runs of spaces end a sentence, as in forwarded LINE messages), joined to the next when it is a
mere "注意！", cut at punctuation or a word boundary around 30–40 characters, with an ellipsis
when cut. `title_for` never returns a blank for a text that has any character: readers see a
title, never a file name.

Only the first few thousand characters are read, so a huge text costs no more than a small one.
"""

import re
import unicodedata

LOOK_AT = 3000  # characters of the text that titles are looked for in
MAX_WIDTH = 40  # a title's width, Chinese characters counting 1, Latin letters and digits ½
CUT_WIDTH = 36  # where a cut is aimed at when the lead is longer than MAX_WIDTH
MIN_WIDTH = 10  # a cut shorter than this is not worth making
SHORT_LEAD = 6  # a first sentence this short ("注意！") takes the next one along

_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000]{2,}|\u3000")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff]")

# --- what opens a post before its headline ---------------------------------------------------

# Bracketed headlines: 【…】, 〖…〗, ［…］.
_BRACKET = re.compile(r"[【〖［]([^【】〖〗［］\n]{1,120})[】〗］]")
# A Weibo topic: #…# with no line break; [超话] and the like are part of its name.
_HASHTAG = re.compile(r"#([^#\n]{1,60}?)#")
# A work's title opening the text: 《…》 followed by the text it heads.
_WORK = re.compile(r"《([^《》\n]{5,60})》(?![的之报報称稱等中里裡上一])")
# Noise before the first word: spaces, emoji and symbols, bullets, a LINE id, a bare link.
_NOISE = re.compile(
    r"(?:\s+|[^\w\s#【〖［《「『“\"(（]"
    r"|https?://\S+"
    r"|\bU?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{20,}\b)",
    re.IGNORECASE,
)
# A label that says the text is passed on: 转发, 轉載, 分享 … alone before the text.
_REPOST_LABEL = re.compile(
    r"(?:转发|轉發|转载|轉載|转传|轉傳|转|轉|分享|repost|fw|fwd)\s*(?:[:：~～]+\s*|\s+)",
    re.IGNORECASE,
)
# A label before a summary: "TL;DR:", "摘要：", "编者按："
_SUMMARY_LABEL = re.compile(
    r"(?:tl;?\s?dr|摘要|导语|導語|导读|導讀|编者按|編者按|前言|引言|summary|abstract)(?:\s*[:：]|[ \t]*\n)\s*",
    re.IGNORECASE,
)
# Weibo's cards: "L某某的微博视频" (a video), "O网页链接" (a link), "2北京·朝阳" (a place), [表情].
_WEIBO_CARD = re.compile(
    r"L\S{1,30}?的(?:微博|秒拍)(?:视频|視頻)|[O°]网页链接|[O°]網頁鏈接|\[[^\[\]\s]{1,6}\]"
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _is_label(text):
    """【转】, 【重要】, 【MGP Notify】: a tag, not a headline (no Chinese, or four
    characters at most)."""
    bare = text.replace("#", "").strip()
    return not _HAN.search(bare) or len(bare) <= 4


def tidy(title):
    """A found title as readers see it: no topic marks (#), no Weibo cards, no wrapping
    brackets, one space between words."""
    title = _ZERO_WIDTH.sub("", title or "")
    whole = _BRACKET.fullmatch(title.strip())
    if whole:
        title = whole.group(1)
    title = _WEIBO_CARD.sub(" ", title)
    title = re.sub(r"(?<![A-Za-z])#", "", title)  # keep C#, F#
    return _tight(title).strip(" ：:，,、")


def _tight(text):
    """One space between words, none next to Chinese punctuation."""
    return re.sub(r"\s*([，。！？、；：（）「」『』“”])\s*", r"\1", " ".join(text.split()))


# --- width and cutting -----------------------------------------------------------------------


def _width(char):
    if unicodedata.east_asian_width(char) in "WF":
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    return 0.5


def width(text):
    return sum(_width(char) for char in text)


# Sentence ends: a cut is never needed after one. "." only before a space or the end (阿米爾.汗
# and 3.7萬 keep theirs).
_SENTENCE_END = re.compile(r"[。！？!?；;]+|\.(?=\s|$)|\n")
# Where a sentence may be cut, best first: clause punctuation; spaces, quotes and brackets;
# a change between Chinese and Latin or digits; after a particle that ends a word.
_CLAUSE = set("，,、：:～~…—–")
_PAIRS = dict(zip("「『“‘《〈（(【［[", "」』”’》〉）)】］]"))
_PARTICLES = set("了的吗嗎呢吧啊啦呀嘛哦喔")
# The start of a list: "1." "1、" "(1)" "一、" after a word, or a bullet.
_ENUMERATION = re.compile(r"(?<![\d.第])[(（]?1[.．、)）](?!\d)|(?<![\w、])一、|[①-⑳◎■□●○★☆◆◇▶►※]")


def _script(char):
    if _HAN.match(char):
        return "han"
    if char.isascii() and char.isalnum():
        return "latin"
    return "other"


def _cut_points(text):
    """`(tier, index)` for every place `text[:index]` may end, tier 0 the best. Never inside
    quotes or brackets that close within the text."""
    depth, closers = 0, []
    for index, char in enumerate(text):
        nxt = text[index + 1] if index + 1 < len(text) else ""
        if char in _PAIRS and text.find(_PAIRS[char], index + 1) > 0:
            if depth == 0 and index:
                yield 1, index
            depth += 1
            closers.append(_PAIRS[char])
            continue
        if depth and char == closers[-1]:
            depth -= 1
            closers.pop()
            if depth == 0:
                yield 1, index + 1
            continue
        if depth:
            continue
        if char in _CLAUSE:
            if not (char in "~～:：" and index and text[index - 1].isdigit() and nxt.isdigit()):
                yield 0, index
        elif char.isspace():
            yield 1, index
        elif nxt and {_script(char), _script(nxt)} == {"han", "latin"}:
            yield 2, index + 1
        elif char in _PARTICLES:
            yield 3, index + 1


def cut(text, limit=MAX_WIDTH, aim=CUT_WIDTH):
    """`text` if it is at most `limit` wide, else its longest start up to `aim` that ends at
    the best kind of boundary, with an ellipsis."""
    text = text.strip()
    if width(text) <= limit:
        return text
    ends, running = [], 0.0
    for char in text:
        running += _width(char)
        ends.append(running)
    # The furthest boundary, a worse kind of boundary counting as 8 characters shorter.
    best = None
    for tier, index in _cut_points(text):
        reach = ends[index - 1] if index else 0
        if MIN_WIDTH <= reach <= aim:
            score = (reach - 8 * tier, -tier)
            if best is None or score > best[0]:
                best = (score, index)
    if best:
        index = best[1]
    else:  # a run with no boundary at all: cut it, but not inside a Latin word or a number
        index = next(i for i, reach in enumerate(ends) if reach > aim)
        while index > 1 and _script(text[index - 1]) == "latin" and _script(text[index]) == "latin":
            index -= 1
    head = text[:index].rstrip(" ，,、：:；;～~—–-")
    return head.rstrip("…") + "…"


# --- finding a headline ----------------------------------------------------------------------


def _skip_noise(text, start=0):
    while True:
        match = (
            _NOISE.match(text, start)
            or _REPOST_LABEL.match(text, start)
            or _SUMMARY_LABEL.match(text, start)
        )
        if not match or match.end() == start:
            return start
        start = match.end()


def _bigrams(text):
    han = "".join(_HAN.findall(text))
    pairs = {han[i : i + 2] for i in range(len(han) - 1)}
    pairs.update(word.lower() for word in re.findall(r"[A-Za-z]{3,}|\d{2,}", text))
    return pairs


def _topic_title(tags, rest):
    """The topic the post is about, or None: it shares words with the post's opening (or the
    post says almost nothing else)."""
    opening = rest[:150]
    if len(_HAN.findall(opening)) < SHORT_LEAD:
        return tidy(tags[0])
    scored = [(len(_bigrams(tag) & _bigrams(opening)), -n, tag) for n, tag in enumerate(tags)]
    shared, _, tag = max(scored)
    return tidy(tag) if shared else None


def find_headline(text):
    """The headline a post carries at its start (【…】, #话题#, 《…》), tidied, or None."""
    text = _ZERO_WIDTH.sub("", text[:LOOK_AT])
    position, tags = _skip_noise(text), []
    for _ in range(8):  # a few labels and topics may come before the headline
        bracket = _BRACKET.match(text, position)
        hashtag = _HASHTAG.match(text, position)
        if bracket and not _is_label(bracket.group(1)):
            headline = tidy(bracket.group(1))
            if headline:
                return cut(headline, limit=60)
        if bracket:
            position = _skip_noise(text, bracket.end())
        elif hashtag:
            tags.append(hashtag.group(1))
            position = _skip_noise(text, hashtag.end())
        else:
            break
    rest = text[position:]
    topics = [tag for tag in tags if tidy(tag)]
    topic = _topic_title(topics, rest) if topics else None
    if topic:
        return cut(topic, limit=60)
    work = _WORK.match(rest)
    if work and rest[work.end() :].strip():
        return cut(tidy(work.group(1)), limit=60)
    return None


_ORIGINAL_TITLE = re.compile(r"^\W{0,3}原[标標]题\s*[:：]\s*(.{2,120}?)\s*$", re.MULTILINE)


def original_title(text):
    """A reposted article's `原标题：…`, or None."""
    match = _ORIGINAL_TITLE.search(text[:LOOK_AT]) or _ORIGINAL_TITLE.search(text[-LOOK_AT:])
    return cut(tidy(match.group(1)), limit=60) if match else None


# --- making one from the lead ----------------------------------------------------------------

# In a title, a line break, a run of spaces, " - " or " | " (a page's "title - site") and the
# start of a list (1. ①) end the sentence too.
_TITLE_BREAK = re.compile(r"\n|[ \t\u00a0\u3000]{2,}|\u3000|\s[-|｜–—]\s")


def _lead(text):
    """The text from its first word: labels, topics and noise before it skipped."""
    text = _ZERO_WIDTH.sub("", text[:LOOK_AT])
    position = _skip_noise(text)
    while True:
        match = _BRACKET.match(text, position) or _HASHTAG.match(text, position)
        if not match:
            break
        position = _skip_noise(text, match.end())
    lead = _WEIBO_CARD.sub(" ", text[position:])
    return re.sub(r"(?<![A-Za-z])#", "", lead)


def _sentences(lead):
    """The lead's first sentences, each with its end punctuation, up to a few."""
    sentences, start = [], 0
    while start < len(lead) and len(sentences) < 4:
        end = len(lead)
        for pattern in (_SENTENCE_END, _TITLE_BREAK, _ENUMERATION):
            match = pattern.search(lead, start + 1 if pattern is _ENUMERATION else start)
            if match and match.start() < end:
                end = match.end() if pattern is _SENTENCE_END else match.start()
        sentence = lead[start:end]
        if sentence.strip():
            sentences.append(_tight(sentence))
        start = max(end, start + 1)
    return sentences


def make_title(text):
    """A title made from the text's lead, never blank for a text with any character."""
    sentences = _sentences(_lead(text))
    if not sentences:  # only labels, punctuation, symbols or topic marks
        bare = " ".join(_ZERO_WIDTH.sub("", text[:LOOK_AT]).split())
        return cut(tidy(bare) or bare)
    title = sentences[0]
    for more in sentences[1:]:
        if len(_word_characters(title)) >= SHORT_LEAD:
            break
        title = f"{title} {more}" if title[-1:].isascii() else title + more
    title = title.strip()
    if len(_word_characters(title)) and width(title) <= MAX_WIDTH:
        return title.rstrip("。.，,、；;：: ")
    return cut(title)


def _word_characters(text):
    return [char for char in text if char.isalnum()]


def title_for(body, boilerplate=""):
    """The title readers see for an article that has none of its own."""
    return (
        find_headline(body)
        or original_title(boilerplate)
        or original_title(body)
        or make_title(body)
    )
