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

# Credit shapes, most specific first; each gives the name and the kind the shape suggests.
_CREDIT_SHAPES = [
    # 本文来自微信公众号：XXX / 本文轉載自XXX
    (re.compile(
        r"(?:本文|文章)(?:来自|來自|转载自|轉載自|转自|轉自|首发于|首發於|原载于|原載於)"
        r"\s*(微信公众号|微信公眾號|公众号|公眾號)?\s*[:：]?\s*[「“\"《]?\s*([^\s」”\"》，,。;；(（)）|｜]{2,30})"
    ), Kind.OUTLET),
    # 来源：新华社 / "來源:TMT觀察網"
    (re.compile(
        r"[来來]源\s*[:：]\s*(微信公众号|微信公眾號|公众号|公眾號)?\s*[「“\"《]?\s*([^\s」”\"》，,。;；(（)）|｜]{2,30})"
    ), Kind.OUTLET),
    # 自媒体平台“网易号”用户上传并发布
    (re.compile(r"()自媒[体體]平[台臺]\s*[“\"「『]([^”\"」』]{2,20})[”\"」』]"), Kind.SELF_MEDIA),
    # A footer bio: 清冷的AI书房：专注科技行业深度分析
    (re.compile(r"^()[\W_]*([^\s:：*_]{2,24})\s*[:：]\s*(?:专注|專注|致力)", re.MULTILINE), Kind.SELF_MEDIA),
]
# A credit at the end of the last paragraph: "… (AGI Hunt)", "（新华社）".
_TRAILING_CREDIT = re.compile(
    r"[(（]\s*([A-Za-z][A-Za-z0-9 .&'’-]{1,40}[A-Za-z0-9]"
    r"|[^\s()（）]{1,20}(?:网|網|报|報|社|台|号|號|新闻|新聞|日报|日報))\s*[)）]\s*$"
)
# A wire or newspaper dateline opening the article: "（中央社記者張三台北23日電）…",
# "新华社北京10月23日电 …".
_DATELINE = re.compile(
    r"^\s*[（(【\[]?\s*([^\s（(【\[）)】\]，,。:：]{1,10}?(?:社|报|報|网|網|台|臺))"
    r"(?:记者|記者|讯|訊|电|電|驻|駐|北京|台北|臺北|香港|上海|华盛顿|華盛頓|纽约|紐約)"
)
# Values of 来源 that name no publisher.
_NOT_PUBLISHERS = {
    "网络", "網絡", "网路", "網路", "互联网", "互聯網", "公开报道", "公開報道", "公开资料", "公開資料",
    "综合", "綜合", "综合报道", "綜合報道", "本站", "未知", "不详", "不詳", "网友", "網友", "图片", "圖片",
    "end", "完", "注", "图", "圖",
}
_KIND_BY_NAME = [
    (re.compile(r"通讯社|通訊社|新华社|新華社|中新社|中央社|路透|美联社|美聯社|法新社|reuters|associated press|^ap$|afp|bloomberg|彭博", re.I), Kind.WIRE),
    (re.compile(r"网易号|網易號|搜狐号|搜狐號|百家号|百家號|头条号|頭條號|企鹅号|企鵝號|大鱼号|大魚號|一点号|一點號|公众号|公眾號|知乎|小红书|小紅書|bilibili|b站", re.I), Kind.SELF_MEDIA),
    (re.compile(r"微博|weibo|twitter|推特|^@|facebook|threads|instagram", re.I), Kind.SOCIAL),
    (re.compile(r"政府|委员会|委員會|办公室|辦公室|官方|白宫|白宮|ministry|government", re.I), Kind.OFFICIAL),
    (re.compile(r"报|報|时报|時報|新闻|新聞|网$|網$|社$|电视|電視|台$|tv|news|times|post|journal|daily|magazine|杂志|雜誌|周刊|週刊", re.I), Kind.OUTLET),
]


def guess_kind(name, found_as=Kind.OUTLET):
    for pattern, kind in _KIND_BY_NAME:
        if pattern.search(name):
            return kind
    return found_as


def _clean(name):
    return name.strip().strip("*_\"'“”「」《》").strip()


def find_publisher(source_name, body, boilerplate):
    """`(name, kind)` of the publisher the text names, or None."""
    if source_name:
        return source_name, guess_kind(source_name)
    # Credit shapes are looked for in the boilerplate only: in the body, "来源：" may be
    # part of a sentence about someone else's source.
    for pattern, found_as in _CREDIT_SHAPES:
        for match in pattern.finditer(boilerplate):
            account, name = match.group(1), _clean(match.group(2))
            if name.lower() in _NOT_PUBLISHERS or len(name) < 2:
                continue
            return name, Kind.SELF_MEDIA if account else guess_kind(name, found_as)
    match = _DATELINE.match(body.lstrip())
    if match:
        name = _clean(match.group(1))
        return name, guess_kind(name, Kind.OUTLET)
    last_line = body.rstrip().rsplit("\n", 1)[-1]
    match = _TRAILING_CREDIT.search(last_line)
    if match:
        name = _clean(match.group(1))
        if name.lower() not in _NOT_PUBLISHERS:
            return name, guess_kind(name, Kind.SELF_MEDIA)
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
