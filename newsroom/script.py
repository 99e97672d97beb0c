"""Readings of the public site: 简体 (`?script=hans`), 繁體・臺灣 (`?script=hant`) and 繁體・香港
(`?script=hk`); by default the original text.

`script_page` wraps a view. It works out the reading (the query, else the remembered cookie),
puts it on `request.script`, and renders the view with the site's own words in that reading's
language (gettext catalogues in locale/: written for each reading, never machine-converted);
with the original text, in the reader's own Chinese (`words_language`).
The texts of the desk (claims, rationales, quotes, titles) are converted one by one in the
templates (`{{ text|shown:request.script }}`, newsroom/templatetags/readings.py), each from its
own script, so that text already in the reader's script is never changed. The answer says its
language (`Content-Language`; the templates put it in `<html lang>`, hreflang alternates,
`og:locale` and JSON-LD `inLanguage`).

`?script=orig` shows the original text again and forgets the choice; an unknown value is
ignored.
"""

import dataclasses
from functools import lru_cache, wraps

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from newsroom.middleware import languages_asked
from sources import text as scripts

COOKIE = "script"
ORIGINAL = "orig"
COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclasses.dataclass(frozen=True)
class Reading:
    value: str  # the ?script= value, "" for the original text
    label: str  # its name in its own script, for the switcher
    tag: str  # BCP 47: <html lang>, Content-Language, hreflang, JSON-LD inLanguage
    locale: str  # Open Graph og:locale
    language: str  # the Django language of the site's own words


ORIGINAL_READING = Reading("", "原文", "zh", "zh_CN", "zh-hans")
READINGS = {
    scripts.HANS: Reading(scripts.HANS, "简体", "zh-Hans", "zh_CN", "zh-hans"),
    scripts.HANT: Reading(scripts.HANT, "繁體・臺灣", "zh-Hant-TW", "zh_TW", "zh-hant"),
    scripts.HK: Reading(scripts.HK, "繁體・香港", "zh-Hant-HK", "zh_HK", "zh-hant-hk"),
}


# The languages of the site's own words, one per reading.
WORDS = {reading.language for reading in READINGS.values()}


def words_language(request):
    """The language of the site's own words (headings, links, verdict names) for this request:
    the reading's; with the original text, the reader's own Chinese, as the desk's language
    switch or else the browser's Accept-Language asks for it (Taiwan's or Hong Kong's
    Traditional), else Simplified. The texts of the desk stay as written all the same."""
    script = getattr(request, "script", None)
    if script in READINGS:
        return READINGS[script].language
    chosen = getattr(request, "LANGUAGE_CODE", "")  # the desk's locale middleware chose it
    if chosen in WORDS:
        return chosen
    # English (the desk's fourth language) has no public site: the browser's Chinese, if any.
    return next(
        (language for language in languages_asked(request) if language in WORDS),
        ORIGINAL_READING.language,
    )


def chosen_script(request):
    """The reading for this request: `?script=` if valid, else the cookie, else None."""
    asked = request.GET.get("script", "")
    if asked in scripts.READINGS:
        return asked
    if asked == ORIGINAL:
        return None
    remembered = request.COOKIES.get(COOKIE, "")
    return remembered if remembered in scripts.READINGS else None


def reading_of(script):
    return READINGS.get(script, ORIGINAL_READING)


def alternates(request):
    """(reading, absolute URL) of this page in every reading, for hreflang links and the
    switcher; the original text is the x-default."""
    query = request.GET.copy()
    links = []
    for reading in (ORIGINAL_READING, *READINGS.values()):
        query["script"] = reading.value or ORIGINAL
        links.append((reading, request.build_absolute_uri(f"{request.path}?{query.urlencode()}")))
    return links


def reading_context(request):
    """What the public templates need of the reading (set by `script_page`)."""
    return {"reading": reading_of(request.script), "reading_alternates": alternates(request)}


def script_page(view):
    """Serve the view in the reader's reading and remember a choice made with ?script=."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.script = chosen_script(request)
        reading = reading_of(request.script)
        with translation.override(words_language(request)):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response.headers["Content-Language"] = reading.tag
        # The same URL answers differently by cookie: caches and ETags must know.
        patch_vary_headers(response, ["Cookie"])
        asked = request.GET.get("script")
        if asked in scripts.READINGS:
            response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, samesite="Lax")
        elif asked == ORIGINAL:
            response.delete_cookie(COOKIE, samesite="Lax")
        if asked in scripts.READINGS or asked == ORIGINAL:
            # A response that sets a cookie is the reader's own; shared caches keep out.
            patch_cache_control(response, private=True)
        return response

    return wrapper


def own_reading(text):
    """The reading whose words (and a card's glyphs) go with `text` shown as written: the
    desk's Traditional (settings.DESK_TRADITIONAL: Taiwan's unless NEWSROOM_TRADITIONAL=hk) for
    a Traditional text, else Simplified (a mixed text's too)."""
    return settings.DESK_TRADITIONAL if scripts.detect_script(text) == scripts.HANT else None


def rating_label(rating, script):
    """A verdict's name in the words of a reading (the original text: Simplified), for what is
    the same for every reader of the reading (share cards, JSON-LD)."""
    return rating_name(rating, reading_of(script).language)


@lru_cache(maxsize=64)
def rating_name(rating, language):
    """A verdict's name in `language` (the feed's: the site's words for this request)."""
    # Looked up once per rating and language: switching the thread's language for each label
    # was an eighth of the feed's time (840 labels). The names are the model's choices (msgctxt
    # "rating"), as the templates' `rating_label` filter writes them.
    from claims.models import Verdict

    with translation.override(language):
        return str(dict(Verdict.Rating.choices).get(rating, rating))
