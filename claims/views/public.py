"""The public site: anonymous, read-only, published snapshots only.

Every page goes through `public_page`: the reader's reading (newsroom.script: the site's words
in its language, the desk's texts converted one by one), an ETag and
Last-Modified that follow publications and the script (304 on conditional requests),
Cache-Control public, and a server-side copy of the finished page under that ETag.
"""

from functools import wraps

from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from claims import jsonld
from claims import published as selectors
from newsroom.script import COOKIE, chosen_script, reading_context, script_page

PUBLIC_MAX_AGE = 300  # new digests appear on / and /digests/ within five minutes


def public_page(view):
    view = require_safe(view)
    view = condition(etag_func=selectors.page_etag, last_modified_func=selectors.page_last_modified)(view)
    view = cache_control(public=True, max_age=PUBLIC_MAX_AGE)(view)
    return served_from_cache(script_page(view))


def served_from_cache(view):
    """Published pages change only when a digest is published, so a finished page (script
    conversion included) is kept under its URL, cookie and ETag; a publication changes the
    ETag and so the key. Conditional requests go through to answer 304."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
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


def render_public(request, template, context=None):
    return render(request, template, {**(context or {}), **reading_context(request)})


def digest_context(request, digest, entries, preview=False):
    """What public/digest.html needs; the composer's preview passes unsaved snapshots."""
    if not hasattr(request, "script"):  # the composer's preview: the original text
        request.script = None
    return {
        "digest": digest,
        "entries": entries,
        "preview": preview,
        "canonical": request.build_absolute_uri(digest.get_absolute_url()) if digest.slug else "",
        "jsonld_blocks": [] if preview else [
            jsonld.dumps(jsonld.claim_review(entry, request)) for entry in entries
        ],
    }


@public_page
def home(request):
    digest = selectors.latest_digest()
    if digest is None:
        return render_public(request, "public/empty.html")
    context = digest_context(request, digest, selectors.entries_of(digest))
    context["is_home"] = True
    return render_public(request, "public/digest.html", context)


@public_page
def archive(request):
    return render_public(request, "public/archive.html", {"digests": selectors.archive()})


@public_page
def digest(request, slug):
    found = selectors.digest_by_slug(slug)
    return render_public(request, "public/digest.html", digest_context(request, found, selectors.entries_of(found)))


@public_page
def claim(request, pk):
    entry = selectors.published_claim_entry(pk)
    return render_public(request, "public/claim.html", {
        "entry": entry,
        "digest": entry.digest,
        "canonical": request.build_absolute_uri(reverse("public:claim", args=[pk])),
        "jsonld_blocks": [jsonld.dumps(jsonld.claim_review(entry, request))],
    })
