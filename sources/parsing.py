"""Decoded text to article fields: front matter, title, body and boilerplate.

The body is what editors quote from, so a line only goes to the boilerplate when its shape
says it is not the article: an image placeholder, a platform's notice, or a footer of
reposting rules and credits at the very end (or a byline at the very start). A sentence that
merely mentions 转载 or 来源 in the middle of the article stays in the body.
"""

import dataclasses
import datetime
import re

import yaml

from newsroom import safe_yaml
from sources import text as scripts
from sources import titles
from sources.decoding import Refused


@dataclasses.dataclass
class ParsedText:
    title: str
    published_on: datetime.date | None
    url: str
    tags: list
    source_name: str
    body: str
    boilerplate: str


# --- front matter ----------------------------------------------------------------------------


class _PlainLoader(safe_yaml.Loader):
    """YAML without anchors and aliases (safe_yaml.Loader) and without implicit timestamps:
    dates arrive as text and `parse_date` reads them, so that every bad date gets the same
    clear refusal."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FRONT_MATTER_START = re.compile(r"\A\s*---[ \t]*\n")
_FRONT_MATTER_END = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)
FRONT_MATTER_MAX_BYTES = 16 * 1024
_KEYS = {
    "title": "title",
    "标题": "title",
    "標題": "title",
    "date": "date",
    "published": "date",
    "published_on": "date",
    "日期": "date",
    "source": "source",
    "publisher": "source",
    "来源": "source",
    "來源": "source",
    "url": "url",
    "link": "url",
    "链接": "url",
    "連結": "url",
    "tags": "tags",
    "标签": "tags",
    "標籤": "tags",
}


def split_front_matter(text):
    """`(metadata, content)`; metadata is {} when the text has no front matter."""
    start = _FRONT_MATTER_START.match(text)
    if start is None:
        return {}, text
    end = _FRONT_MATTER_END.search(text, start.end())
    if end is None:
        raise Refused(
            "has malformed front matter (the opening --- has no closing ---)",
            "front_matter",
            problem="unclosed",
        )
    raw = text[start.end() : end.start()]
    size = len(raw.encode("utf-8"))
    if size > FRONT_MATTER_MAX_BYTES:
        raise Refused(
            f"has front matter of {size:,} bytes; the limit is {FRONT_MATTER_MAX_BYTES:,} bytes",
            "front_matter_too_large",
            size=size,
            limit=FRONT_MATTER_MAX_BYTES,
        )
    try:
        loaded = safe_yaml.load(raw, _PlainLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise Refused(
            f"has malformed front matter (YAML error{where}: {problem})",
            "front_matter",
            problem="yaml",
            line=mark.line + 2 if mark is not None else None,
        ) from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise Refused(
            "has malformed front matter (it is not a list of key: value lines)",
            "front_matter",
            problem="not_a_mapping",
        )
    meta = {}
    for key, value in loaded.items():
        name = _KEYS.get(str(key).strip().lower())
        if name:
            meta[name] = value
    return meta, text[end.end() :]


def _plain(key, text):
    """A front matter value as text, refused if it holds a control character (YAML escapes
    such as "\\x0b" get past the check of the file's text)."""
    problem = scripts.control_character_problem(text)
    if problem:
        raise Refused(
            f"has malformed front matter ({key} {problem})",
            "front_matter",
            problem="control_character",
            key=key,
        )
    return text


def _text_value(meta, key):
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return _plain(key, str(value)).strip()
    raise Refused(
        f"has malformed front matter ({key} is not text)",
        "front_matter",
        problem="not_text",
        key=key,
    )


_DATE_SHAPES = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$"),
    re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def parse_date(value):
    """A front matter date: 2025-10-23 (optionally with a time), 2025/10/23, 2025年10月23日."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    for shape in _DATE_SHAPES:
        match = shape.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise Refused(
        f"has a bad date in its front matter: {text[:40]!r} (use YYYY-MM-DD)",
        "bad_date",
        value=text[:40],
    )


def _tags(value):
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = re.split(r"[,，、]", value)
    if isinstance(value, list) and all(isinstance(t, (str, int, float)) for t in value):
        return [_plain("tags", str(tag)).strip() for tag in value if str(tag).strip()]
    raise Refused(
        "has malformed front matter (tags is not a list of words)",
        "front_matter",
        problem="not_text",
        key="tags",
    )


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _url(value):
    if value and not _URL.match(value):
        raise Refused(
            f"has malformed front matter (url is not a web address: {value[:60]!r})",
            "front_matter",
            problem="bad_url",
            key="url",
        )
    return value[:1000]


# --- boilerplate -----------------------------------------------------------------------------
# The patterns below are written in Simplified script: they are matched against a Simplified
# view of each line (OpenCC tw2sp, which also turns Taiwan phrasing such as 宣告 or 儲存 back
# into 声明 and 存储), so that they catch the same notice in either script.

# Anywhere in the text: lines that are never article sentences.
_PLACEHOLDER = re.compile(
    r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+$"
    r"|^\s*<img\b[^>]*>\s*$"
    r"|^\s*[\[【〔(（](?:图片|图|配图|image|img|photo|视频|video)[\]】〕)）]\s*$",
    re.IGNORECASE,
)
_PLATFORM_NOTICE = re.compile(
    r"^\W{0,3}(?:特别声明|免责声明|版权声明|notice|disclaimer)\s*[:：]"
    r"|本平台仅提供信息(?:存储|保存)|仅提供信息存储空间服务"
    r"|provides? information storage services?",
    re.IGNORECASE,
)
# At the end of the text: reposting rules, credits, copyright, calls to follow.
_FOOTER = re.compile(
    r"转载.{0,30}(?:请|须|务必|注明|授权|许可|联系|联络|标注|出处)"
    r"|(?:任何|禁止|不得|严禁|谢绝|拒绝|欢迎|未经)\S{0,6}转载"
    r"|来源\s*[:：]"
    r"|(?:本文|本稿|文章|稿件).{0,30}(?:来源于|来自|转载自|转自|首发|仅代表|不代表|观点|版权|授权)"
    r"|投稿|责任编辑|(?:编辑|校对|审核|作者|排版|出品)\s*[:：|｜丨]"
    r"|版权(?:所有|归)|copyright|©|all rights reserved|(?:追究|保留).{0,6}(?:责任|权利)"
    r"|关注我们|(?:点击|长按|扫描|扫码).{0,8}(?:阅读|关注|二维码|原文|下方|上方|蓝字)"
    r"|阅读原文|免责|^\W*声明\s*[:：]"
    r"|^\W*(?:source|via)\s*:",
    re.IGNORECASE,
)
# A self-media footer: "清冷的AI书房：专注科技行业深度分析".
_CREDIT_BIO = re.compile(r"^[\W_]*([^\s:：*_]{2,24})\s*[:：]\s*(?:专注|致力|关注)")
_SEPARATOR = re.compile(r"^\s*(?:(?:[-*_=~—–─·•]\s*){3,}|\W*(?:END|完|全文完)\W*)$", re.IGNORECASE)
# At the start: bylines and credit lines.
_BYLINE = re.compile(
    r"^\W{0,3}(?:来源|作者|文|撰文|记者|编辑|责任编辑|编译|原标题|出品|图|摄影|source|by)\s*[:：|｜丨]"
    r"|^\W{0,3}(?:本文|文章)(?:来自|转载自|转自|首发于|经授权转载)",
    re.IGNORECASE,
)
_FOOTER_LINE_MAX = 200
_FOOTER_MAX_LINES = 15
_BYLINE_MAX = 80


def simplified_view(lines):
    """Each line in Simplified script with mainland phrasing, for the patterns above."""
    view = scripts.convert("\n".join(lines), "tw2sp").split("\n")
    if len(view) != len(lines):  # OpenCC keeps newlines; this is only a safety net
        view = [scripts.convert(line, "tw2sp") for line in lines]
    return view


def _is_anywhere_boilerplate(line):
    return bool(_PLACEHOLDER.search(line)) or (
        len(line) <= 300 and bool(_PLATFORM_NOTICE.search(line))
    )


def _is_footer(line):
    if len(line) > _FOOTER_LINE_MAX:
        return False
    return bool(
        _is_anywhere_boilerplate(line)
        or _SEPARATOR.match(line)
        or _FOOTER.search(line)
        or (len(line) <= 60 and _CREDIT_BIO.match(line))
    )


def split_boilerplate(lines, view):
    """`(body_lines, body_view, boilerplate_lines)`, each in the order of the text."""
    keep = [not _is_anywhere_boilerplate(line) for line in view]
    # The footer: from the end, blank lines and notice-shaped lines, up to the first sentence.
    seen = 0
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index].strip():
            continue
        if seen >= _FOOTER_MAX_LINES or not _is_footer(view[index]):
            break
        keep[index] = False
        seen += 1
    body = [line for line, kept in zip(lines, keep) if kept]
    body_view = [line for line, kept in zip(view, keep) if kept]
    boilerplate = [line for line, kept in zip(lines, keep) if not kept and line.strip()]
    return body, body_view, boilerplate


# --- title -----------------------------------------------------------------------------------

_HEADLINE_MAX = 64
_NOT_HEADLINE_END = re.compile(r"[。．.，,、；;：:…]$|\.\.\.$")
_LABEL = re.compile(
    r"^\W*(?:tl;?dr|摘要|导语|导读|编者按|前言|引言|summary|abstract|update|更新)\W*$",
    re.IGNORECASE,
)
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MARKDOWN_EMPHASIS = re.compile(r"^\*{1,3}(.+?)\*{1,3}$")
_LIST_OR_QUOTE = re.compile(r"^\s*(?:[-+*>]\s|\d+[.)、](?!\d)|[（(]\d+[)）])")
_SENTENCE_INSIDE = re.compile(r"[。！？!?；;]\s*\S")


def headline(line, view=None):
    """The title if `line` reads as a headline (short, not a sentence, not a label or a
    byline), else None. `view` is the line in Simplified script, for the label patterns."""
    view = line if view is None else view
    if _BYLINE.match(view.strip()) or _LABEL.match(view.strip()):
        return None
    text = line.strip()
    if _MARKDOWN_HEADING.match(text):
        text = _MARKDOWN_HEADING.sub("", text).strip().rstrip("#").strip()
    elif _LIST_OR_QUOTE.match(text):
        return None
    emphasis = _MARKDOWN_EMPHASIS.match(text)
    if emphasis:
        text = emphasis.group(1).strip()
    if not text or len(text) > _HEADLINE_MAX or _NOT_HEADLINE_END.search(text):
        return None
    if (
        _SENTENCE_INSIDE.search(text)
        or _PLACEHOLDER.match(text)
        or text.startswith(("http://", "https://"))
    ):
        return None
    return text


def _take_head(lines, view, want_title):
    """Title and byline lines at the start: `(title, head_boilerplate, rest)`."""
    title, head = "", []
    index = 0
    while index < len(lines) and index < 8:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if len(line) <= _BYLINE_MAX and _BYLINE.match(view[index]):
            head.append(line)
            index += 1
            continue
        if want_title and not title:
            candidate = headline(line, view[index])
            if candidate and any(rest.strip() for rest in lines[index + 1 :]):
                title = candidate
                index += 1
                continue
        break
    return title, head, lines[index:]


# --- the whole text --------------------------------------------------------------------------

_BLANK_RUNS = re.compile(r"\n{3,}")


def parse(text):
    """The fields of an article from normalized text; Refused if there is no article in it."""
    meta, content = split_front_matter(text)
    title = _text_value(meta, "title")
    lines = content.split("\n")
    body_lines, body_view, boilerplate = split_boilerplate(lines, simplified_view(lines))
    found_title, head, body_lines = _take_head(body_lines, body_view, want_title=not title)
    title = " ".join((title or titles.tidy(found_title)).split())  # a YAML block title has newlines
    if body_lines and title and headline(body_lines[0]) == title:
        body_lines = body_lines[1:]  # the front matter title repeated as a heading
    body = _BLANK_RUNS.sub("\n\n", "\n".join(body_lines)).strip("\n")
    if not body.strip():
        if meta:
            raise Refused(
                "has front matter but no article text after it", "no_text", front_matter=True
            )
        raise Refused(
            "has no article text (only notices or image placeholders)",
            "no_text",
            front_matter=False,
        )
    boilerplate = "\n".join(head + boilerplate)
    # No title of its own: the headline the post carries (【…】, #话题#), else one made from
    # its lead. The body keeps its text either way: it is what editors quote.
    title = title or titles.title_for(body, boilerplate)
    return ParsedText(
        title=title[:500],
        published_on=parse_date(meta.get("date")),
        url=_url(_text_value(meta, "url")),
        tags=_tags(meta.get("tags")),
        source_name=_text_value(meta, "source")[:200],
        body=body,
        boilerplate=boilerplate,
    )
