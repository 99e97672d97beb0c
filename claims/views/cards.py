"""The share cards' URLs: `/claims/<id>/card.png` (a published claim) and `/card.png` (the desk).

A card is chosen by its URL alone (`?script=hans|hant|hk`, else the claim's own script; no
cookie), so that the one URL a page puts in og:image is the same image for every reader and
every shared cache. A claim's card follows its published entry: the PNG is kept in the cache
under that entry, the script and the card design (claims.cards.CARD_DESIGN), and is drawn again
only when a new publication (a correction) gives the claim a new entry. ETag and 304 as on the
public pages; an unpublished claim is a 404; without a CJK font, a 503 that says what to install.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from claims import cards
from claims.models import Claim
from claims.views.public import PUBLIC_MAX_AGE
from sources import text as scripts

CARD_CACHE_SECONDS = 7 * 24 * 3600  # a card never changes under its key: kept while used


def card_script(request):
    """The card's reading: `?script=` only (None: the claim's own script)."""
    value = request.GET.get("script", "")
    return value if value in scripts.READINGS else None


def _published_entry(request, pk):
    """(entry id, publication time) of claim `pk`'s published entry, once per request; 404 when
    no published digest holds the claim."""
    if not hasattr(request, "_card_entry"):
        found = (
            Claim.objects.filter(
                pk=pk,
                published_entry__isnull=False,
                published_entry__digest__published_at__isnull=False,
            )
            .values_list("published_entry_id", "published_entry__digest__published_at")
            .first()
        )
        if found is None:
            raise Http404("No published claim has this id.")
        request._card_entry = found
    return request._card_entry


def _key(*parts):
    raw = "|".join(map(str, (cards.CARD_DESIGN, cards.font_file(), *parts)))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _looks(request):
    """The card's reading in its key: as written, a Traditional text takes the desk's words."""
    return card_script(request) or f"orig-{settings.DESK_TRADITIONAL}"


def claim_card_key(request, pk):
    entry_id, published_at = _published_entry(request, pk)
    published = published_at.isoformat() if published_at else "-"
    return _key("claim", entry_id, published, _looks(request))


def desk_card_key(request):
    return _key("desk", settings.DESK_NAME, _looks(request))


def _etag(key_func):
    def etag(request, *args, **kwargs):
        if not cards.available():
            return None  # the view answers 503
        return key_func(request, *args, **kwargs)

    return etag


def font_missing():
    response = HttpResponse(
        f"Share cards are unavailable: {cards.font_problem()} {cards.INSTALL_HINT}\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


def png(key, draw):
    """The cached PNG under `key`, drawn (and kept) on a miss."""
    cache_key = f"share-card:{key}"
    data = cache.get(cache_key)
    if data is None:
        data = draw()
        cache.set(cache_key, data, CARD_CACHE_SECONDS)
    return HttpResponse(data, content_type="image/png")


def card_view(key_func):
    """ETag and 304 (django's `condition`), and Cache-Control public on cards (200, 304) only:
    a 503 is not to be kept."""

    def decorate(view):
        view = condition(etag_func=_etag(key_func))(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 304):
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            return response

        return require_safe(wrapper)

    return decorate


@card_view(claim_card_key)
def claim_card(request, pk):
    if not cards.available():
        _published_entry(request, pk)  # an unknown claim is a 404 still
        return font_missing()
    key = claim_card_key(request, pk)
    script = card_script(request)

    def draw():
        # Only now the snapshot is read (one query): a cache hit draws and reads nothing.
        snapshot = (
            Claim.objects.filter(pk=pk).values_list("published_entry__snapshot", flat=True).get()
        )
        return cards.render_claim_card(snapshot, script)

    try:
        return png(key, draw)
    except cards.FontMissing:
        return font_missing()


@card_view(desk_card_key)
def desk_card(request):
    if not cards.available():
        return font_missing()
    script = card_script(request)
    try:
        return png(desk_card_key(request), lambda: cards.render_desk_card(script))
    except cards.FontMissing:
        return font_missing()
