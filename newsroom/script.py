"""Whole pages in either script: `?script=hans|hant` converts everything a reader sees.

`script_page` wraps a view. It works out the script (the query, else the remembered cookie),
puts it on `request.script` (so ETags and JSON-LD can follow it), and converts the rendered
HTML: text nodes and the human-readable attributes (title, alt, aria-label, placeholder, and
the content of description/Open Graph meta tags). Tag names, other attributes (URLs, classes),
comments and the contents of <script>/<style> (JSON-LD included) are left alone, so links and
markup keep working. Converting after rendering catches template text, model text and Django's
own strings alike; nothing can be forgotten.

`?script=orig` shows the original text again and forgets the choice; an unknown value is
ignored.
"""

import re
from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers

from sources import text as scripts

COOKIE = "script"
ORIGINAL = "orig"
COOKIE_MAX_AGE = 365 * 24 * 3600

# Tokens of rendered HTML: comments, raw-text elements (kept whole), other tags; the text
# between them is what a reader sees. Django escapes "<" and ">" inside attribute values, so
# a tag never contains a raw ">".
_TOKENS = re.compile(
    r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<![^>]*>|<[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_READABLE_ATTRS = re.compile(
    r"""(\s(?:title|alt|aria-label|aria-description|placeholder)\s*=\s*)("[^"]*"|'[^']*')""",
    re.IGNORECASE,
)
_CONTENT_ATTR = re.compile(r"""(\scontent\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE)
# <meta> tags whose content is shown to people (search results, link previews).
_READABLE_META = re.compile(
    r"""\s(?:name|property)\s*=\s*["']?(?:description|og:title|og:description|og:site_name|"""
    r"""twitter:title|twitter:description)["'\s>]""",
    re.IGNORECASE,
)
_BUTTON_VALUE = re.compile(r"""\stype\s*=\s*["']?(?:submit|button|reset)\b""", re.IGNORECASE)
_VALUE_ATTR = re.compile(r"""(\svalue\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE)
_HAS_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def chosen_script(request):
    """The script for this request: `?script=` if valid, else the cookie, else None."""
    asked = request.GET.get("script", "")
    if asked in scripts.SCRIPTS:
        return asked
    if asked == ORIGINAL:
        return None
    remembered = request.COOKIES.get(COOKIE, "")
    return remembered if remembered in scripts.SCRIPTS else None


def _convert_text(text, script):
    return scripts.to_script(text, script) if _HAS_HAN.search(text) else text


def _convert_attrs(pattern, tag, script):
    return pattern.sub(lambda m: m.group(1) + _convert_text(m.group(2), script), tag)


def _convert_tag(tag, script):
    if not _HAS_HAN.search(tag):
        return tag
    tag = _convert_attrs(_READABLE_ATTRS, tag, script)
    lowered = tag[:6].lower()
    if lowered.startswith("<meta") and _READABLE_META.search(tag):
        tag = _convert_attrs(_CONTENT_ATTR, tag, script)
    elif lowered.startswith("<input") and _BUTTON_VALUE.search(tag):
        tag = _convert_attrs(_VALUE_ATTR, tag, script)
    return tag


def convert_html(html, script):
    """`html` with its visible text in `script` ("hans" or "hant"); markup untouched."""
    if script not in scripts.SCRIPTS:
        return html
    out, last = [], 0
    for match in _TOKENS.finditer(html):
        out.append(_convert_text(html[last:match.start()], script))
        token = match.group(0)
        if match.group(1) is None and not token.startswith("<!"):
            token = _convert_tag(token, script)
        out.append(token)
        last = match.end()
    out.append(_convert_text(html[last:], script))
    return "".join(out)


def script_page(view):
    """Serve the view's HTML in the reader's script and remember a choice made with ?script=."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.script = chosen_script(request)
        response = view(request, *args, **kwargs)
        content_type = response.get("Content-Type", "")
        if (
            request.script
            and not response.streaming
            and response.content
            and content_type.startswith("text/html")
        ):
            charset = response.charset
            response.content = convert_html(response.content.decode(charset), request.script).encode(charset)
        # The same URL answers differently by cookie: caches and ETags must know.
        patch_vary_headers(response, ["Cookie"])
        asked = request.GET.get("script")
        if asked in scripts.SCRIPTS:
            response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, samesite="Lax")
        elif asked == ORIGINAL:
            response.delete_cookie(COOKIE, samesite="Lax")
        if asked in scripts.SCRIPTS or asked == ORIGINAL:
            # A response that sets a cookie is the reader's own; shared caches keep out.
            patch_cache_control(response, private=True)
        return response

    return wrapper
