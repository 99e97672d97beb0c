"""What the public site reads: published digests and the frozen snapshots of their entries.

Nothing here touches live claim, verdict or evidence rows: readers see a claim exactly as it
was when the digest holding it was published.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, get_urlconf, reverse

from claims import cards
from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from claims.titles import with_article_titles
from newsroom.script import words_language
from sources.models import Article, Source

# CSS classes of the verdict badges (colour), next to their text.
RATING_CLASS = {rating: f"verdict-{rating}" for rating in Verdict.Rating.values}
# The scale as the about page explains it, and the order of a digest's tally (worst first).
RATING_SCALE = list(Verdict.Rating.values)
TALLY_ORDER = sorted(RATING_SCALE, key=lambda rating: Verdict.RATING_VALUES[rating])

# Bump when the public templates change, so that cached pages are fetched again.
PAGE_DESIGN = "11"


# A claim id that no other part of a claim's path holds (see claim_path).
_CLAIM_PATH_MARK = 2147483647


@functools.lru_cache(maxsize=16)
def _claim_path_parts(script_prefix, urlconf):
    head, tail = reverse("public:claim", args=[_CLAIM_PATH_MARK], urlconf=urlconf).split(
        str(_CLAIM_PATH_MARK)
    )
    return head, tail


def claim_path(pk):
    """The path of a published claim's page, as reverse("public:claim", args=[pk]) gives it,
    from the pattern reversed once (per script prefix and URLconf): answers list hundreds of
    claims (a page of the digest list a thousand), and each reverse() walks the URLconf."""
    head, tail = _claim_path_parts(get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))
    return f"{head}{int(pk)}{tail}"


def published_digests():
    return Digest.objects.published()


def published_claims():
    """Claims readers may see: held by a published digest (each read from its newest entry)."""
    # A claim's digest entries are read to name its digests only: their frozen copies (the
    # snapshot, as large as the claim's evidence, the text and the folded text) are left in
    # the database, and so is the claim's own folded text.
    return (
        Claim.objects.filter(published_entry__isnull=False)
        .select_related("published_entry__digest")
        .defer("search_text", "published_entry__search_text")
        .prefetch_related(
            Prefetch(
                "digest_entries",
                queryset=DigestEntry.objects.filter(digest__published_at__isnull=False)
                .select_related("digest")
                .defer("snapshot", "text", "search_text"),
            ),
        )
    )


def published_articles():
    """Articles that a published digest cites: the only ones anonymous readers see."""
    cited = DigestEntry.articles.through.objects.filter(
        digestentry__digest__published_at__isnull=False
    ).values("article_id")
    return Article.objects.filter(pk__in=cited)


def published_sources():
    return Source.objects.filter(pk__in=published_articles().values("source_id"))


def snapshot_verdict(snapshot):
    """A snapshot's verdict, with its Chinese label (snapshots frozen before labels were
    stored get the label of their rating)."""
    verdict = dict(snapshot["verdict"])
    verdict["label_zh"] = verdict.get("label_zh") or Verdict.LABELS_ZH[verdict["rating"]]
    return verdict


# The stamp in the cache: with REDIS_URL every server shares it and a publication clears it
# for all of them at once; in a process's own memory it is kept a moment only, so that the
# other processes of one machine see a publication within that moment.
STAMP_KEY = "publication-stamp"


def _stamp_seconds():
    shared = "locmem" not in settings.CACHES["default"]["BACKEND"].lower()
    return 300 if shared else 2


def publication_stamp(request):
    """(count, latest published_at) of all published digests, once per request.

    Any publication can change any public page (the home page, the archive, the "corrected
    on" note of an older version, the digest a claim page shows), and nothing else can, so
    this stamp is what the ETag and Last-Modified of every public page follow. It is read
    from the cache (a cached page costs no query for it); `forget_publication_stamp` clears
    it when a digest is published.
    """
    if not hasattr(request, "_publication_stamp"):
        stamp = cache.get(STAMP_KEY)
        if stamp is None:
            row = published_digests().aggregate(n=Count("id"), latest=Max("published_at"))
            stamp = (row["n"], row["latest"])
            cache.set(STAMP_KEY, stamp, _stamp_seconds())
        request._publication_stamp = tuple(stamp)
    return request._publication_stamp


def forget_publication_stamp():
    cache.delete(STAMP_KEY)


def cache_key(kind, request, *parts):
    """A cache key for a published answer: short and ASCII whatever the URL holds (Chinese
    slugs, long queries), so that any cache backend takes it."""
    # As written, a Traditional claim's verdict is named in the desk's Traditional (JSON-LD).
    raw = "|".join(map(str, (*parts, settings.DESK_TRADITIONAL, request.build_absolute_uri())))
    return f"{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def page_etag(request, *args, **kwargs):
    count, latest = publication_stamp(request)
    script = getattr(request, "script", None) or "orig"
    # The original text's pages speak the reader's Chinese (newsroom.script.words_language).
    words = words_language(request)
    # Pages carry og:image only when share cards can be drawn (claims.cards: a CJK font).
    cards_on = "cards" if cards.available() else "no-cards"
    stamp = latest.isoformat() if latest else "-"
    raw = f"{PAGE_DESIGN}|{count}|{stamp}|{script}|{words}|{cards_on}|{settings.DESK_TRADITIONAL}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def page_last_modified(request, *args, **kwargs):
    return publication_stamp(request)[1]


def _with_correction(queryset):
    """Annotate each digest with its published correction, if any (drafts stay hidden)."""
    corrections = published_digests().filter(corrects=OuterRef("pk"))
    return queryset.annotate(
        corrected_at=Subquery(corrections.values("published_at")[:1]),
        corrected_slug=Subquery(corrections.values("slug")[:1]),
    )


def claim_count():
    """A digest's number of entries, as a subquery (0 when it has none), for a query that
    reads only the rows it shows (no OFFSET; else `with_claim_counts`)."""
    count = Subquery(
        DigestEntry.objects.filter(digest=OuterRef("pk"))
        .order_by()
        .values("digest")
        .annotate(n=Count("id"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    return Coalesce(count, 0)


def with_claim_counts(digests):
    """`digests` (the rows of one page) as a list, each with its `claim_count`: one grouped
    query for these rows only. (As a subquery of the paging query, the count would be computed
    for every row that a deep page's OFFSET skips, too.)"""
    digests = list(digests)
    if not digests:
        return digests
    counts = dict(
        DigestEntry.objects.filter(digest__in=[digest.pk for digest in digests])
        .order_by()
        .values("digest")
        .annotate(n=Count("id"))
        .values_list("digest", "n")
    )
    for digest in digests:
        digest.claim_count = counts.get(digest.pk, 0)
    return digests


def archive_order():
    """Published digests, newest first: the archive's rows, to page through."""
    return published_digests().order_by("-published_at", "-id")


def archive():
    """Published digests, newest first, each with its claim count and correction (slice it
    from the start: the counts and corrections are subqueries, computed for the rows read;
    a page deep in the archive is `archive_rows` of a page of `archive_order`)."""
    return _with_correction(archive_order()).annotate(claim_count=claim_count())


def archive_rows(digests):
    """The digests of one archive page, in order, with their claim counts and corrections,
    computed for these rows only: in the paging query itself, they would be computed for every
    row that the page's OFFSET skips, too (page 40 of 2,000 digests: 1,950 rows)."""
    return list(archive().filter(pk__in=[digest.pk for digest in digests]))


def latest_digest():
    return (
        _with_correction(published_digests())
        .select_related("corrects")
        .order_by("-published_at", "-id")
        .first()
    )


def digest_by_slug(slug):
    return get_object_or_404(
        _with_correction(published_digests()).select_related("corrects"), slug=slug
    )


def present(snapshot):
    """A snapshot dict with what the templates show: badge class, links (ratings and
    stances are named by the templates, with the `labels` filters, in the reading's
    language)."""
    snapshot = with_article_titles(snapshot)
    shown = dict(snapshot)
    verdict = snapshot_verdict(snapshot)
    verdict["css"] = RATING_CLASS.get(verdict["rating"], "")
    # The byline's date: when the verdict was approved (a snapshot always has it since
    # freeze_claim wrote it; the usernames beside it are never shown to readers).
    approved_at = verdict.get("approved_at")
    verdict["approved_on"] = datetime.datetime.fromisoformat(approved_at) if approved_at else None
    shown["verdict"] = verdict
    quotes, citations = [], []
    for item in snapshot.get("evidence", []):
        url = item.get("url") or ""
        item = dict(
            item,
            # Only web links become links; anything else is shown as text.
            safe_url=url if url.lower().startswith(("http://", "https://")) else "",
            # An article that credits no outlet: the page names that in the reader's words.
            no_outlet=bool(item.get("article"))
            and Source.is_unknown_name(item["article"].get("source")),
        )
        (quotes if item.get("article") else citations).append(item)
    shown["quotes"], shown["citations"] = quotes, citations
    claimed_on = snapshot.get("claimed_on")
    shown["claimed_on_date"] = datetime.date.fromisoformat(claimed_on) if claimed_on else None
    return shown


def entries_of(digest, start=0, stop=None):
    """The digest's entries in order (those from `start` to `stop`), each with `.shown` (the
    presented snapshot)."""
    entries = list(digest.entries.order_by("position", "id")[start:stop])
    for entry in entries:
        entry.digest = digest  # JSON-LD reads published_at without another query
        entry.snapshot = with_article_titles(entry.snapshot)  # in memory only: JSON-LD reads it
        entry.shown = present(entry.snapshot)
    return entries


def tally(ratings):
    """[{rating, count, css}] of a {rating: count}, worst verdict first, zeros left out."""
    return [
        {"rating": rating, "count": ratings[rating], "css": RATING_CLASS[rating]}
        for rating in TALLY_ORDER
        if ratings.get(rating)
    ]


def rating_counts(digest):
    """{rating: number of the digest's entries}, in one aggregate query (the digest page's
    summary; their sum is its claim count)."""
    rows = digest.entries.order_by().values_list("rating").annotate(n=Count("id"))
    return dict(rows)


class DigestEntries:
    """A digest's presented entries, read a slice at a time (claims.paging.paginate)."""

    def __init__(self, digest):
        self.digest = digest

    def __getitem__(self, index):
        return entries_of(self.digest, index.start, index.stop)


def published_claim_entry(pk):
    """The entry of the latest published digest that holds claim `pk`; 404 when none."""
    corrections = published_digests().filter(corrects=OuterRef("published_entry__digest"))
    claim = get_object_or_404(
        Claim.objects.select_related("published_entry__digest__corrects")
        .filter(published_entry__isnull=False, published_entry__digest__published_at__isnull=False)
        .annotate(  # the digest's published correction, in the same query
            corrected_at=Subquery(corrections.values("published_at")[:1]),
            corrected_slug=Subquery(corrections.values("slug")[:1]),
        ),
        pk=pk,
    )
    entry = claim.published_entry
    digest = entry.digest
    digest.corrected_at, digest.corrected_slug = claim.corrected_at, claim.corrected_slug
    entry.snapshot = with_article_titles(entry.snapshot)  # in memory only: JSON-LD reads it
    entry.shown = present(entry.snapshot)
    return entry


# --- the snapshot: written once, at publication -----------------------------------------------


def evidence_data(item):
    """One piece of evidence as readers and integrators see it (article with its source)."""
    article = item.article
    return {
        "article": None
        if article is None
        else {
            "id": article.pk,
            "title": article.display_title,
            "source": article.source.name,
            "source_id": article.source_id,
            "filename": article.filename,
            "published_on": article.published_on.isoformat() if article.published_on else None,
            "url": article.url,
        },
        "quote": item.quote,
        "start": item.start,
        "end": item.end,
        "stance": item.stance,
        "url": item.url,
        "citation_title": item.citation_title,
        "publisher": item.publisher,
        "cited_on": item.cited_on.isoformat() if item.cited_on else None,
        "note": item.note,
    }


def freezable_entries(digest):
    """A digest's entries with what freezing them reads (claims, verdicts in force, evidence
    with its articles and sources), in a fixed number of queries."""
    return (
        digest.entries.select_related("claim")
        .prefetch_related(
            Prefetch(
                "claim__verdicts",
                queryset=Verdict.objects.filter(status=Verdict.Status.APPROVED).select_related(
                    "proposed_by", "reviewed_by"
                ),
            ),
            Prefetch(
                "claim__evidence",
                queryset=Evidence.objects.select_related("article__source", "cited_in"),
            ),
        )
        .order_by("position", "id")
    )


def first_publications(claim_ids):
    """{claim id: when a published digest first held it} for those published before."""
    return dict(
        DigestEntry.objects.filter(claim_id__in=claim_ids, digest__published_at__isnull=False)
        .values("claim_id")
        .annotate(first=Min("digest__published_at"))
        .values_list("claim_id", "first")
    )


def freeze_entry(entry, first_published_at=None):
    """Write into `entry` what readers will see of its claim now: the snapshot and the columns
    readers filter on. False (and nothing written) when the claim has no verdict in force.
    `first_published_at`: when the claim was first published, if it was before (its review is
    then modified by this publication)."""
    verdict = entry.claim.approved_verdict
    if verdict is None:
        return False
    entry.verdict = verdict
    entry.rating = verdict.rating
    entry.text = entry.claim.text
    entry.search_text = entry.claim.search_text
    entry.snapshot = freeze_claim(entry.claim, verdict)
    if first_published_at is not None:
        entry.snapshot["first_published_at"] = first_published_at.isoformat()
    return True


FROZEN_FIELDS = ["verdict", "rating", "text", "search_text", "snapshot"]


def claim_origin(claim):
    """Who made the claim, when, and where it first appeared (an evidence article's id), as
    readers and integrators see them."""
    return {
        "claimant": {"name": claim.claimant, "kind": claim.claimant_kind}
        if claim.claimant
        else None,
        "claimed_on": claim.claimed_on.isoformat() if claim.claimed_on else None,
        "first_appearance": claim.first_appearance_id,
    }


def freeze_claim(claim, verdict):
    """The snapshot readers see of a claim: text, verdict and evidence as they are now."""
    evidence = [evidence_data(item) for item in claim.evidence.all()]
    return {
        "id": claim.pk,
        "text": claim.text,
        "gloss": claim.gloss,
        **claim_origin(claim),
        "verdict": {
            "rating": verdict.rating,
            "label": verdict.label,
            "label_zh": verdict.label_zh,
            "rationale": verdict.rationale,
            "approved_at": verdict.reviewed_at.isoformat(),
            "proposed_by": verdict.proposed_by.get_username(),
            "approved_by": verdict.reviewed_by.get_username(),
        },
        "evidence": evidence,
    }
