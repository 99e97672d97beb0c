"""The public site: anonymous, read-only, published snapshots only.

Every page goes through `public_page`: the reader's script (newsroom.script), an ETag and
Last-Modified that follow publications and the script (304 on conditional requests), and
Cache-Control public.
"""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from claims import jsonld
from claims import selectors_public as selectors
from newsroom.script import script_page

PUBLIC_MAX_AGE = 300  # new digests appear on / and /digests/ within five minutes


def public_page(view):
    view = require_safe(view)
    view = condition(etag_func=selectors.page_etag, last_modified_func=selectors.page_last_modified)(view)
    view = cache_control(public=True, max_age=PUBLIC_MAX_AGE)(view)
    return script_page(view)


def digest_context(request, digest, entries, preview=False):
    """What public/digest.html needs; the composer's preview passes unsaved snapshots."""
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
        return render(request, "public/empty.html")
    context = digest_context(request, digest, selectors.entries_of(digest))
    context["is_home"] = True
    return render(request, "public/digest.html", context)


@public_page
def archive(request):
    return render(request, "public/archive.html", {"digests": selectors.archive()})


@public_page
def digest(request, slug):
    found = selectors.digest_by_slug(slug)
    return render(request, "public/digest.html", digest_context(request, found, selectors.entries_of(found)))


@public_page
def claim(request, pk):
    entry = selectors.published_claim_entry(pk)
    return render(request, "public/claim.html", {
        "entry": entry,
        "digest": entry.digest,
        "canonical": request.build_absolute_uri(reverse("public:claim", args=[pk])),
        "jsonld_blocks": [jsonld.dumps(jsonld.claim_review(entry, request))],
    })
