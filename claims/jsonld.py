"""schema.org ClaimReview, as Google documents it, built from a published DigestEntry.

Only the entry's frozen snapshot is read (never the live claim), so what machines see is what
readers see: https://developers.google.com/search/docs/appearance/structured-data/factcheck
"""

import json
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from claims.models import Verdict
from newsroom.script import own_reading, rating_label, reading_of
from sources import text as scripts
from sources.models import Source

# ratingValue runs from worstRating (false) to bestRating (confirmed).
WORST_RATING = min(Verdict.RATING_VALUES.values())
BEST_RATING = max(Verdict.RATING_VALUES.values())


def absolute(path):
    """An absolute URL on the desk's public address (settings.DESK_URL), never on the Host
    header a request happened to carry."""
    return urljoin(settings.DESK_URL, path)


def desk_organization():
    return {"@type": "Organization", "name": settings.DESK_NAME, "url": settings.DESK_URL}


def _script_of(request, script):
    if script is not None:
        return script if script in scripts.READINGS else None
    # The page views set request.script (query or remembered cookie); the API uses ?script=.
    chosen = getattr(request, "script", None)
    return chosen if chosen in scripts.READINGS else scripts.requested_script(request)


def _appearances(snapshot, convert):
    """{article id: CreativeWork} of the articles that make the claim, oldest first (unknown
    last)."""
    seen, works = set(), []
    for item in snapshot.get("evidence", []):
        article = item.get("article")
        if not article or article["id"] in seen:
            continue
        seen.add(article["id"])
        work = {"@type": "CreativeWork"}
        if article.get("title"):  # snapshots read through with_article_titles: never a file name
            work["headline"] = convert(article["title"])
        if article.get("url"):
            work["url"] = article["url"]
        if article.get("published_on"):
            work["datePublished"] = article["published_on"]
        if article.get("source") and not Source.is_unknown_name(article["source"]):
            work["author"] = {"@type": "Organization", "name": convert(article["source"])}
        works.append((article["id"], work))
    works.sort(key=lambda w: (w[1].get("datePublished") is None, w[1].get("datePublished") or ""))
    return dict(works)


def claim_review(entry, request=None, script=None):
    """The ClaimReview dict of a published DigestEntry (its frozen snapshot).

    `script` ("hans", "hant", "hk") shows the human-readable values in that reading (each text
    converted only if it is in the other script), never keys or URLs, and sets `inLanguage`; by
    default it follows the request (request.script set by the page views, or ?script=).
    """
    snapshot = entry.snapshot
    verdict = snapshot["verdict"]
    chosen = _script_of(request, script)

    def convert(value):
        return scripts.to_script(value, chosen) if chosen else value

    published_at = entry.digest.published_at
    claim_url = absolute(reverse("public:claim", args=[snapshot["id"]]))
    item = {"@type": "Claim"}
    by_article = _appearances(snapshot, convert)
    appearances = list(by_article.values())
    if appearances:
        item["appearance"] = appearances
    # The first appearance is the editor's choice, else known only when every appearance is
    # dated (or there is one): the earliest.
    first = None
    if snapshot.get("first_appearance") in by_article:
        first = by_article[snapshot["first_appearance"]]
    elif len(appearances) == 1 or (appearances and all("datePublished" in w for w in appearances)):
        first = appearances[0]
    if first is not None:
        item["firstAppearance"] = first
    # Who made the claim and when: the editor's record, else what the first appearance says.
    claimant = snapshot.get("claimant")
    if claimant:
        kind = "Person" if claimant.get("kind") == "person" else "Organization"
        item["author"] = {"@type": kind, "name": convert(claimant["name"])}
    elif first is not None and "author" in first:
        item["author"] = first["author"]
    if snapshot.get("claimed_on"):
        item["datePublished"] = snapshot["claimed_on"]
    elif first is not None and "datePublished" in first:
        item["datePublished"] = first["datePublished"]
    # A claim published before (a correction, or a later digest holding it again): the review
    # was first published then and modified now.
    dates = {"datePublished": published_at.isoformat() if published_at else None}
    if snapshot.get("first_published_at") and published_at:
        dates = {
            "datePublished": snapshot["first_published_at"],
            "dateModified": published_at.isoformat(),
        }
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url,
        "inLanguage": reading_of(chosen).tag,
        "claimReviewed": convert(snapshot["text"]),
        "itemReviewed": item,
        "author": desk_organization(),
        **dates,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": Verdict.RATING_VALUES[verdict["rating"]],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            # As written, the verdict is named in the words of the claim's own script.
            "alternateName": rating_label(
                verdict["rating"], chosen or own_reading(snapshot["text"])
            ),
        },
    }


def dumps(data):
    """JSON for a <script type="application/ld+json"> block, escaped as json_script does so
    that no text inside can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
