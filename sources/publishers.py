"""Who published an article: front matter, a credit line, a platform notice or a footer.

Sources are compared script-folded (TMT觀察網 is TMT观察网), so a Traditional credit finds the
Source an earlier Simplified article created. `SourceCache` loads the Sources once per import
run instead of querying for every file.
"""

import re

from django.utils.text import slugify

from sources import text as scripts
from sources.models import Source

Kind = Source.Kind

# Outlet-shaped names: how Chinese news outlets are named (…报, …社, …新聞網, …之声, …TV), not
# a list of outlets. A name in a credit is taken when it has this shape, or when the credit's own
# shape says it is a publisher (来源：…, 转自…, 作者：…).
_OUTLET_SUFFIX = (
    r"(?:报|報|社|网|網|台|臺|视|視|频|頻|刊|志|誌|号|號|之声|之聲|新闻|新聞|广播|廣播|传媒|傳媒"
    r"|媒体|媒體|在线|在線|客户端|客戶端|即时|即時|快讯|快訊|头条|頭條|视点|視點|观察|觀察|财经|財經"
    r"|[A-Za-z]*(?:News|Times|Post|Daily|TV|Journal|Press|Media|Wire))"
)
_OUTLET_NAME = re.compile(rf"^[^\s，,。：:（）()]{{1,16}}?{_OUTLET_SUFFIX}$", re.IGNORECASE)
_NAME = r"[「“\"《]?\s*([^\s」”\"》，,。;；:：(（)）|｜/／]{2,30})"
_ACCOUNT = r"(微信公众号|微信公眾號|公众号|公眾號)?\s*"

# Credit shapes in the boilerplate (footers and bylines kept apart), most specific first; each
# gives the name and the kind the shape suggests.
_CREDIT_SHAPES = [
    # 本文来自微信公众号：XXX / 本文轉載自XXX
    (
        re.compile(
            r"(?:本文|文章)(?:来自|來自|转载自|轉載自|转自|轉自|首发于|首發於|原载于|原載於)"
            rf"\s*{_ACCOUNT}[:：]?\s*{_NAME}"
        ),
        Kind.OUTLET,
    ),
    # 来源：新华社 / "來源:TMT觀察網" / 资料来源：…
    (re.compile(rf"[来來]源\s*[:：]\s*{_ACCOUNT}{_NAME}"), Kind.OUTLET),
    # 自媒体平台“网易号”用户上传并发布
    (re.compile(r"()自媒[体體]平[台臺]\s*[“\"「『]([^”\"」』]{2,20})[”\"」』]"), Kind.SELF_MEDIA),
    # A footer bio: 清冷的AI书房：专注科技行业深度分析
    (
        re.compile(r"^()[\W_]*([^\s:：*_]{2,24})\s*[:：]\s*(?:专注|專注|致力)", re.MULTILINE),
        Kind.SELF_MEDIA,
    ),
]
# A wire or newspaper dateline opening the article: "（中央社記者張三台北23日電）…",
# "新华社北京10月23日电 …", "【聯合報／記者張三／台北報導】".
_DATELINE = re.compile(
    r"^\s*[（(【\[〔]?\s*([^\s（(【\[〔）)】\]〕，,。:：/／]{1,10}?(?:社|报|報|网|網|台|臺))"
    r"(?:\s*[／/]\s*)?"
    r"(?:记者|記者|讯|訊|电|電|驻|駐|北京|台北|臺北|香港|上海|华盛顿|華盛頓|纽约|紐約)"
)
# "人民日报评论员：…", "新华社评论员文章": a commentator's byline names the outlet.
_COMMENTATOR = re.compile(
    rf"^\W{{0,3}}([^\s【】#：:，,]{{2,12}}?{_OUTLET_SUFFIX})(?:特约)?[评評][论論]员"
)
# Bylines of a post: "由 林鄉人剛子 發表於", "作者：蔣勳", "文／曾有文", "編輯：…" is not one.
_POSTED_BY = re.compile(r"由\s*([^\s，,。]{2,20})\s*(?:发表|發表|发布|發布)(?:于|於)")
_AUTHOR = re.compile(rf"(?:^|[\s（(【\[〔])(?:作者|撰文|文)\s*[:：/／|｜]\s*{_NAME}")
# Credits that close a post (only Weibo's cards, a link card or symbols may follow them).
_END_CREDITS = [
    # （人民日报记者张三）, （中央社記者李四）: the outlet before 记者.
    (
        re.compile(
            r"[(（]\s*([^\s()（）]{2,12}?)\s*(?:特约|特約|实习|實習|驻\S{1,6}|駐\S{1,6})?(?:记者|記者)"
            r"[^()（）]{0,30}[)）]"
        ),
        "before a reporter",
    ),
    # （资料来源：爱美网）, （来源：新京报）, （轉自XXX）
    (
        re.compile(
            r"[(（]\s*(?:内容|內容|资料|資料|消息|文章|图片|圖片)?(?:[来來]源|出处|出處|转自|轉自|转载自|轉載自|摘自)"
            rf"\s*[:：]?\s*{_ACCOUNT}{_NAME}"
        ),
        "credit",
    ),
    # （新华社）, (三立新聞網), （据央视）, （蘋果即時）: an outlet-shaped name alone.
    (
        re.compile(
            r"[(（]\s*(?:据|據|来自|來自|转自|轉自)?\s*《?([^\s()（）《》]{2,16}?)》?\s*[)）]"
        ),
        "outlet-shaped",
    ),
    # (AGI Hunt), (Reuters): a capitalised Latin name; (frozen) is a LINE sticker.
    (re.compile(r"[(（]\s*([A-Z][A-Za-z0-9 .&'’-]{1,40}[A-Za-z0-9])\s*[)）]"), "credit"),
    # 来源：…, 资料来源：…, 转自…, ——节录自… as the last clause.
    (
        re.compile(
            r"(?:^|[\s。！？!?，,—-])(?:资料|資料)?(?:[来來]源|转自|轉自|转载自|轉載自|摘自|节录自|節錄自|选自|選自|原载|原載)"
            rf"\s*[:：]?\s*{_ACCOUNT}{_NAME}"
        ),
        "credit",
    ),
]
# What may follow a closing credit: Weibo's cards ("L…的微博视频", "O网页链接", a link card's
# title at the very end), "¡查看图片", stickers, symbols and spaces.
_AFTER_CREDIT = re.compile(
    r"(?>L\S{1,30}?的(?:微博|秒拍)(?:视频|視頻)|O\S[^\n]{0,60}$|¡查看图片|\[[^\[\]\s]{1,6}\]"
    r"|\([a-z ]{2,20}\)|\W)*+"
)
_END_LOOK = 200  # characters at the end of a post where its closing credits are looked for
# Weibo's video card: "L人民日报的微博视频", "L沸点视频的秒拍视频": whose video the post carries.
_VIDEO_CARD = re.compile(r"L([^\sL]{1,30}?)的(?:微博|秒拍)(?:视频|視頻)")
# A page title and its site: "原來治療雞眼那麼簡單 - 健康好生活".
_SITE_SUFFIX = re.compile(
    r"^[^\n]{6,80}?\s[-|｜–]\s*([^\s\-|｜–][^\n，,。！？!?]{1,15}?)\s*(?:$|\n)"
)
# A sign-off: "… 警政署165關心您！", "… @NicholasVeniamin".
_SIGN_OFF = re.compile(
    r"(?:^|[\s。！？!?])(?:([^\s。！？!?，,]{2,12}?)(?:关心您|關心您|提醒您|敬上)|@([\w.\-]{3,30}))\W{0,3}$"
)
# Values of 来源 that name no publisher.
_NOT_PUBLISHERS = {
    "网络",
    "網絡",
    "网路",
    "網路",
    "互联网",
    "互聯網",
    "公开报道",
    "公開報道",
    "公开资料",
    "公開資料",
    "综合",
    "綜合",
    "综合报道",
    "綜合報道",
    "本站",
    "未知",
    "不详",
    "不詳",
    "网友",
    "網友",
    "图片",
    "圖片",
    "end",
    "完",
    "注",
    "图",
    "圖",
    "网摘",
    "網摘",
    "朋友圈",
    "微信",
    "微博",
    "网上",
    "網上",
    "本报",
    "本報",
    "本台",
    "本网",
    "本網",
    "本刊",
    "小编",
    "小編",
    "佚名",
    "外媒",
    "媒体",
    "媒體",
    "新闻",
    "新聞",
    "网页",
    "網頁",
}
_KIND_BY_NAME = [
    (
        re.compile(
            r"通讯社|通訊社|新华社|新華社|中新社|中央社|路透|美联社|美聯社|法新社|reuters|associated press|^ap$|afp|bloomberg|彭博",
            re.I,
        ),
        Kind.WIRE,
    ),
    (
        re.compile(
            r"网易号|網易號|搜狐号|搜狐號|百家号|百家號|头条号|頭條號|企鹅号|企鵝號|大鱼号|大魚號|一点号|一點號|公众号|公眾號|知乎|小红书|小紅書|bilibili|b站",
            re.I,
        ),
        Kind.SELF_MEDIA,
    ),
    (re.compile(r"微博|weibo|twitter|推特|^@|facebook|threads|instagram", re.I), Kind.SOCIAL),
    (
        re.compile(
            r"政府|委员会|委員會|办公室|辦公室|官方|白宫|白宮|ministry|government|[部署局厅廳]$|发布$|發布$",
            re.I,
        ),
        Kind.OFFICIAL,
    ),
    (
        re.compile(
            r"报|報|时报|時報|新闻|新聞|网$|網$|社$|电视|電視|台$|tv|news|times|post|journal|daily|magazine|杂志|雜誌|周刊|週刊",
            re.I,
        ),
        Kind.OUTLET,
    ),
]


def guess_kind(name, found_as=Kind.OUTLET):
    for pattern, kind in _KIND_BY_NAME:
        if pattern.search(name):
            return kind
    return found_as


def _clean(name):
    return name.strip().strip("*_\"'“”「」《》").strip()


def is_outlet_name(name):
    """Whether a name has the shape of a news outlet's (…报, …社, …新聞網, …之声)."""
    return bool(_OUTLET_NAME.match(name))


def _named(name, kind):
    name = _clean(name)
    if len(name) < 2 or name.lower() in _NOT_PUBLISHERS:
        return None
    return name, kind


def _from_boilerplate(boilerplate):
    # In the body, "来源：" may be part of a sentence about someone else's source; in the
    # boilerplate it is a credit.
    for pattern, found_as in _CREDIT_SHAPES:
        for match in pattern.finditer(boilerplate):
            account, name = match.group(1), match.group(2)
            found = _named(name, Kind.SELF_MEDIA if account else guess_kind(_clean(name), found_as))
            if found:
                return found
    return None


def _from_start(body):
    opening = body.lstrip()[:300]
    for pattern in (_DATELINE, _COMMENTATOR):
        match = pattern.match(opening)
        if match:
            return _named(match.group(1), guess_kind(_clean(match.group(1))))
    first_line = opening.split("\n", 1)[0][:200]
    match = _POSTED_BY.search(first_line) or _AUTHOR.search(first_line[:80])
    if match:
        return _named(match.group(1), guess_kind(_clean(match.group(1)), Kind.SOCIAL))
    match = _SITE_SUFFIX.match(opening)
    if match:
        return _named(match.group(1), guess_kind(_clean(match.group(1)), Kind.OUTLET))
    return None


def _closes(tail, end):
    """Whether only cards, stickers and symbols follow position `end` of the tail."""
    return _AFTER_CREDIT.fullmatch(tail, end) is not None


def _from_end(body):
    tail = body.rstrip()[-_END_LOOK:]
    for pattern, shape in _END_CREDITS:
        for match in pattern.finditer(tail):
            if not _closes(tail, match.end()):
                continue
            name = _clean(match.group(match.lastindex))
            if shape == "outlet-shaped" and not is_outlet_name(name):
                continue
            if shape == "before a reporter" and not (is_outlet_name(name) or len(name) >= 4):
                continue  # （记者 张三）, （本报记者…）: a reporter, not an outlet
            found = _named(name, guess_kind(name, Kind.OUTLET))
            if found:
                return found
    match = _AUTHOR.search(tail)
    if match:
        return _named(match.group(1), guess_kind(_clean(match.group(1)), Kind.SOCIAL))
    return None


def find_publisher(source_name, body, boilerplate):
    """`(name, kind)` of the publisher the text credits, or None.

    In order: the front matter; a credit in the boilerplate (来源：…, 本文转自…, a platform's
    notice); a dateline or byline at the start (（中央社記者…電）, 由…發表於, 作者：…, a page
    title's "- site"); a credit closing the post (（人民日报记者…）, （新华社）, （资料来源：…）,
    ——节录自…); the author of a Weibo video the post carries; a sign-off (…關心您, @handle).
    A citation inside the text (据新华社报道, 根據《三立新聞》報導) is not a credit: it names
    someone else's report, not who published this one.
    """
    if source_name:
        return source_name, guess_kind(source_name)
    found = _from_boilerplate(boilerplate) or _from_start(body) or _from_end(body)
    if found:
        return found
    tail = body.rstrip()[-_END_LOOK:]
    match = _VIDEO_CARD.search(tail)
    if match:
        return _named(match.group(1), guess_kind(_clean(match.group(1)), Kind.SOCIAL))
    match = _SIGN_OFF.search(tail)
    if match:
        name = match.group(1) or match.group(2)
        return _named(
            name, guess_kind(_clean(name), Kind.OFFICIAL if match.group(1) else Kind.SOCIAL)
        )
    return None


def _key(name):
    return scripts.fold_compact(name)


class SourceCache:
    """The Sources by folded name, loaded once; new ones are remembered only once their
    article is stored (a refused file leaves no Source behind, here or in the database)."""

    def __init__(self):
        self._by_key = None
        self._slugs = set()
        self._unknown = None

    def _load(self):
        if self._by_key is None:
            self._by_key = {}
            for source in Source.objects.all():
                self._by_key.setdefault(_key(source.name), source)
                self._slugs.add(source.slug)

    def reset(self):
        self._by_key, self._slugs, self._unknown = None, set(), None

    def unknown(self):
        if self._unknown is None:
            self._unknown = Source.unknown()
        return self._unknown

    def get_or_create(self, name, kind):
        """`(source, created)`; a created Source is saved (call inside the file's
        transaction) and must be `remember`ed after it commits."""
        self._load()
        existing = self._by_key.get(_key(name))
        if existing is not None:
            return existing, False
        base = slugify(name, allow_unicode=True)[:180] or "source"
        slug, n = base, 2
        while slug in self._slugs or slug == Source.UNKNOWN_SLUG:
            slug, n = f"{base}-{n}", n + 1
        return Source.objects.create(name=name[:200], slug=slug, kind=kind), True

    def remember(self, source):
        self._load()
        self._by_key.setdefault(_key(source.name), source)
        self._slugs.add(source.slug)

    def source_for(self, parsed):
        """The Source of a parsed article: `(source, created)`."""
        found = find_publisher(parsed.source_name, parsed.body, parsed.boilerplate)
        if found is None:
            return self.unknown(), False
        return self.get_or_create(*found)
