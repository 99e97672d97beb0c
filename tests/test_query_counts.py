"""Query counts of every public page and API list stay the same as the data grows.

The same URLs are measured on a small synthetic desk and again after `synth` has added four
times as much (more articles, claims, sources' articles, digests with more entries); each URL
must cost the same number of queries both times. Editors' pages are measured too.
"""

import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import selectors
from claims.api.pagination import Pagination, make_cursor
from claims.models import Claim, Digest
from claims.views import digests as composer
from claims.views import public
from sources.models import Article


def synth(articles, per_article, per_digest):
    call_command(
        "synth",
        articles=articles,
        claims_per_article=per_article,
        claims_per_digest=per_digest,
        seed=articles,
        quiet=True,
        stdout=open("/dev/null", "w"),
    )


def urls():
    """Every list and page worth guarding, for the newest digest and a claim in it."""
    digest = Digest.objects.published().order_by("-published_at", "-id").first()
    claim = Claim.objects.filter(published_entry__digest=digest).order_by("id").first()
    article = Article.objects.order_by("-id").first()
    public = [
        ("public:home", []),
        ("public:archive", []),
        ("public:digest", [digest.slug]),
        ("public:claim", [claim.pk]),
        ("public:feed", []),
        ("public:about", []),
        ("public:sitemap", []),
        ("public:sitemap_section", ["digests"]),
        ("public:sitemap_section", ["claims"]),
    ]
    api = [
        "/api/v1/claims/",
        "/api/v1/claims/?q=裁员",
        "/api/v1/claims/?page_size=200",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/claims/{claim.pk}/claimreview/",
        "/api/v1/digests/",
        f"/api/v1/digests/{digest.pk}/",
        "/api/v1/sources/",
        "/api/v1/articles/",
        f"/api/v1/articles/{article.pk}/",
        # Pages deep in a list: a page number, a cursor, the other orderings, filters.
        "/api/v1/claims/?page=2",
        f"/api/v1/claims/?cursor={make_cursor('pk', [claim.pk])}",
        "/api/v1/claims/?ordering=-published_at",
        "/api/v1/claims/?verdict=confirmed&source=synth-source-01",
    ]
    review = [
        ("review:queue", []),
        ("review:article", [article.pk]),
        ("review:claim", [claim.pk]),
        ("review:digest_list", []),
        ("review:digest_detail", [digest.pk]),
    ]
    paged = {  # the second page of each paged HTML list (page sizes are 2 in this test)
        "anonymous": [
            reverse("public:archive") + "?page=2",
            reverse("public:digest", args=[digest.slug]) + "?page=2",
        ],
        "editor": [
            reverse("review:queue") + "?approved_page=2",
            reverse("review:article", args=[article.pk]) + "?find=裁员",
            reverse("review:claim", args=[claim.pk]) + "?find=的",
        ],
    }

    def resolve(names):
        # A renamed or removed page fails here (NoReverseMatch) instead of going unguarded.
        return [reverse(name, args=args) for name, args in names]

    composer_pages = [
        reverse("review:digest_new"),
        reverse("review:digest_new") + "?picker_page=2&find=的",
    ]
    return {
        "anonymous": resolve(public) + api + paged["anonymous"],
        "editor": resolve(review) + api[:1] + paged["editor"],
        "reviewer": composer_pages,
    }


def counts(client, people):
    measured = {}
    for who, paths in urls().items():
        if who in ("editor", "reviewer"):
            client.force_login(people[who])
        else:
            client.logout()
        for path in paths:
            for cache in caches.all():
                cache.clear()  # a cached page would hide the queries it costs
            client.get(path)  # sessions, permissions and such warm up once
            for cache in caches.all():
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(path)
            assert answer.status_code == 200, f"{who} {path}: {answer.status_code}"
            measured[(who, path)] = len(queries)
    return measured


def generic(measured):
    """Keys that do not depend on which digest or claim was measured (ids differ)."""
    out = {}
    for (who, path), n in measured.items():
        path = re.sub(r"cursor=[^&]+", "cursor=<position>", path)
        shape = "/".join(
            "<id>" if part.isdigit() or part.startswith("synth-") else part
            for part in path.split("/")
        )
        out[(who, shape)] = n
    return out


@pytest.mark.slow
def test_query_counts_do_not_grow_with_the_data(
    client, editor, reviewer, monkeypatch, checks_every_request
):
    # Small pages, so that the second page of every paged list holds rows in both runs.
    monkeypatch.setattr(public, "DIGEST_PAGE_SIZE", 1)
    monkeypatch.setattr(public, "ARCHIVE_PAGE_SIZE", 1)
    monkeypatch.setattr(selectors, "QUEUE_LIMIT", 1)
    monkeypatch.setattr(composer, "PICKER_SIZE", 1)
    monkeypatch.setattr(Pagination, "page_size", 2)
    synth(articles=3, per_article=2, per_digest=2)
    people = {"editor": editor, "reviewer": reviewer}
    small = generic(counts(client, people))

    synth(articles=12, per_article=4, per_digest=8)
    big = generic(counts(client, people))

    assert Claim.objects.count() == 54
    grew = {url: (small[url], big[url]) for url in small if small[url] != big.get(url)}
    assert not grew, f"query counts that grew with the data (small, big): {grew}"
    assert len(small) == sum(map(len, urls().values())), small
