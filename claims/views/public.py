"""The public site: anonymous, read-only, published snapshots only.

Every page goes through `public_page`: the reader's reading (newsroom.script: the site's words
in its language, the desk's texts converted one by one), an ETag and
Last-Modified that follow publications and the script (304 on conditional requests),
Cache-Control public, and a server-side copy of the finished page under that ETag.
"""

from collections import Counter
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from claims import cards, jsonld
from claims import published as selectors
from claims.models import Claim
from claims.paging import BadPage, page_number, pager_words, paginate
from claims.search import search as cross_script_search
from newsroom.script import (
    COOKIE,
    chosen_script,
    rating_label,
    reading_context,
    reading_of,
    script_page,
)
from sources import text as scripts

PUBLIC_MAX_AGE = 300  # new digests appear on / and /digests/ within five minutes
DIGEST_PAGE_SIZE = 25  # claims per page of a digest (each with its JSON-LD)
ARCHIVE_PAGE_SIZE = 50  # digests per page of the archive
SEARCH_PAGE_SIZE = 20  # claims per page of /search/
SEARCH_MAX_LENGTH = 200  # characters of `q`; a longer query is a 400 that says so


def public_page(view):
    view = refuse_bad_pages(view)
    view = require_safe(view)
    view = condition(
        etag_func=selectors.page_etag, last_modified_func=selectors.page_last_modified
    )(view)
    view = cache_control(public=True, max_age=PUBLIC_MAX_AGE)(view)
    return served_from_cache(script_page(view))


def served_from_cache(view):
    """Published pages change only when a digest is published, so a finished page (script
    conversion included) is kept under its URL, cookie and ETag; a publication changes the
    ETag and so the key. Conditional requests go through to answer 304."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        conditional = (
            "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        )
        if request.method != "GET" or conditional:
            return view(request, *args, **kwargs)
        request.script = chosen_script(request)
        key = selectors.cache_key(
            "public-page", request, selectors.page_etag(request), request.COOKIES.get(COOKIE, "")
        )
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, response, PUBLIC_MAX_AGE)
        return response

    return wrapper


def refuse_bad_pages(view):
    """`?page=` that is not a page number is a 400 that says so."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadPage as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")

    return wrapper


def render_public(request, template, context=None, share=None):
    """A public page; `share` is what its Open Graph and Twitter tags need (`share_meta`)."""
    context = {"desk": settings.DESK_NAME, **(context or {}), **reading_context(request)}
    context["share"] = share or share_meta(request, request.path)
    return render(request, template, context)


def share_meta(request, path, entry=None):
    """The page's og:url (on NEWSROOM_DESK_URL, never the Host header) and, when cards can be
    drawn, its og:image: the card of `entry`'s claim (its presented snapshot), else the desk's
    card; both in the page's reading. Nothing here queries the database."""
    reading = reading_of(request.script)
    script = f"script={reading.value}" if reading.value else ""
    joiner = "&" if "?" in path else "?"

    def shown(text):  # converted for display only, as the templates' `shown` filter does
        return scripts.to_script(text, request.script) if request.script else text

    meta = {
        "url": jsonld.absolute(path + (joiner + script if script else "")),
        "site_name": shown(settings.DESK_NAME),
    }
    if not cards.available():
        return meta
    if entry is not None:
        card = reverse("public:claim_card", args=[entry.shown["id"]])
        label = rating_label(entry.shown["verdict"]["rating"], request.script)
        alt = f"{label}：{Truncator(shown(entry.shown['text'])).chars(120)}"
    else:
        card = reverse("public:desk_card")
        alt = meta["site_name"]
    meta["image"] = jsonld.absolute(card + (f"?{script}" if script else ""))
    meta["image_alt"] = alt
    meta["image_width"], meta["image_height"] = cards.WIDTH, cards.HEIGHT
    return meta


def _page_path(path, page):
    return f"{path}?page={page.number}" if page is not None and page.number > 1 else path


def digest_context(request, digest, entries, preview=False, page=None, ratings=None):
    """What public/digest.html needs; the composer's preview passes unsaved snapshots. With a
    `page`, `entries` are that page's, and JSON-LD is written for them only; `ratings` is then
    the whole digest's {rating: count} (`selectors.rating_counts`), for its summary."""
    if not hasattr(request, "script"):  # the composer's preview: the original text
        request.script = None
    if ratings is None:  # every entry is here: count them in memory
        ratings = Counter(entry.shown["verdict"]["rating"] for entry in entries)
    return {
        "digest": digest,
        "desk": settings.DESK_NAME,
        "entries": entries,
        "entry_count": page.count if page is not None else len(entries),
        "tally": selectors.tally(ratings),
        "page": page,
        "pager": pager_words(page) if page is not None else None,
        "preview": preview,
        "canonical": _canonical(request, digest, page),
        "jsonld_blocks": []
        if preview
        else [jsonld.dumps(jsonld.claim_review(entry, request)) for entry in entries],
    }


def _canonical(request, digest, page):
    if not digest.slug:
        return ""
    url = digest.get_absolute_url()
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return request.build_absolute_uri(url)


def digest_page(request, digest):
    """Page `?page=` of a published digest's claims, with the whole digest's tally of verdicts
    (one aggregate query, which also gives the claim count)."""
    ratings = selectors.rating_counts(digest)
    page = paginate(
        selectors.DigestEntries(digest),
        page_number(request.GET),
        DIGEST_PAGE_SIZE,
        count=sum(ratings.values()),
        query=request.GET,
    )
    return digest_context(request, digest, page.items, page=page, ratings=ratings)


@public_page
def home(request):
    digest = selectors.latest_digest()
    if digest is None:
        return render_public(request, "public/empty.html")
    context = digest_page(request, digest)
    context["is_home"] = True
    return render_public(request, "public/digest.html", context, digest_share(request, context))


@public_page
def archive(request):
    count = selectors.publication_stamp(request)[0]  # the number of published digests
    page = paginate(
        selectors.archive_order(),
        page_number(request.GET),
        ARCHIVE_PAGE_SIZE,
        count=count,
        query=request.GET,
    )
    page.items = selectors.archive_rows(page.items)
    return render_public(
        request,
        "public/archive.html",
        {
            "digests": page.items,
            "digest_count": count,
            "page": page,
            "pager": pager_words(page),
        },
        share_meta(request, _page_path(reverse("public:archive"), page)),
    )


@public_page
def digest(request, slug):
    found = selectors.digest_by_slug(slug)
    context = digest_page(request, found)
    return render_public(request, "public/digest.html", context, digest_share(request, context))


def digest_share(request, context):
    """A digest page shares the card of the first claim it shows (the desk's when none)."""
    path = _page_path(context["digest"].get_absolute_url(), context["page"])
    entries = context["entries"]
    return share_meta(request, path, entries[0] if entries else None)


@public_page
def claim(request, pk):
    entry = selectors.published_claim_entry(pk)
    return render_public(
        request,
        "public/claim.html",
        {
            "entry": entry,
            "digest": entry.digest,
            "canonical": request.build_absolute_uri(reverse("public:claim", args=[pk])),
            "jsonld_blocks": [jsonld.dumps(jsonld.claim_review(entry, request))],
        },
        share_meta(request, reverse("public:claim", args=[pk]), entry),
    )


@public_page
def about(request):
    """How the desk checks: the rating scale (the badges of the claims), the two-editor review
    and the corrections policy."""
    path = reverse("public:about")
    return render_public(
        request,
        "public/about.html",
        {
            "scale": [
                {"rating": rating, "css": selectors.RATING_CLASS[rating]}
                for rating in selectors.RATING_SCALE
            ],
            "is_about": True,
            "canonical": request.build_absolute_uri(path),
        },
        share_meta(request, path),
    )


# --- search ----------------------------------------------------------------------------------


def published_matches(q):
    """Published claims whose published text (the entry readers see, frozen at publication,
    never the live claim) holds every word of `q`, in either script (claims.search on the
    entry's folded text: the gram index on PostgreSQL); the newest publication first. Each row
    reads its entry's text and rating, the verdict's reasons out of the snapshot, and its
    digest, in one query; not the snapshot's evidence."""
    claims = Claim.objects.filter(
        published_entry__isnull=False, published_entry__digest__published_at__isnull=False
    )
    return (
        cross_script_search(claims, q, "published_entry__search_text")
        .select_related("published_entry__digest")
        .only(
            "id",
            "published_at",
            "published_entry__id",
            "published_entry__text",
            "published_entry__rating",
            "published_entry__digest__id",
            "published_entry__digest__slug",
            "published_entry__digest__title",
            "published_entry__digest__version",
            "published_entry__digest__published_at",
        )
        .annotate(
            rationale=KeyTextTransform(
                "rationale", KeyTransform("verdict", "published_entry__snapshot")
            )
        )
        .order_by("-published_at", "-id")
    )


def search_result(claim):
    """What a result shows of a published claim, as published (nothing here queries)."""
    entry = claim.published_entry
    return {
        "id": claim.pk,
        "text": entry.text,
        "rating": entry.rating,
        "css": selectors.RATING_CLASS.get(entry.rating, ""),
        "rationale": claim.rationale or "",
        "digest": entry.digest,
    }


@public_page
def search(request):
    """`/search/?q=`: the published claims whose words hold the query, in either script, shown
    in the reader's reading and paged; no query shows the form only. A query longer than
    SEARCH_MAX_LENGTH is a 400 page that says so. Cached like every public page: results change
    only when a digest is published (the publication stamp is in the ETag and the key)."""
    raw = request.GET.get("q", "")
    q = " ".join(raw.split())
    context = {"q": q, "is_search": True, "max_length": SEARCH_MAX_LENGTH, "results": []}
    share = share_meta(request, reverse("public:search"))
    if len(raw) > SEARCH_MAX_LENGTH:
        context.update(q="", too_long=True)
        response = render_public(request, "public/search.html", context, share)
        response.status_code = 400
        return response
    if q:
        page = paginate(
            published_matches(q),
            page_number(request.GET),
            SEARCH_PAGE_SIZE,
            query=request.GET,
        )
        context.update(
            results=[search_result(claim) for claim in page.items],
            page=page,
            pager=pager_words(page),
        )
    return render_public(request, "public/search.html", context, share)
