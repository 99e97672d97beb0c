"""The public site's long lists come in pages: a digest's claims (with JSON-LD for the claims
shown), the archive, and the feed's latest digests (kept in the cache like the pages). Bad page
input is a 400 or an empty page, never a 5xx."""

import re

import pytest

from claims import published
from claims.models import Digest
from claims.views import public
from tests.test_pagination import synth


@pytest.fixture
def long_digest(db, monkeypatch):
    synth(articles=2, per_article=4, per_digest=8)
    monkeypatch.setattr(public, "DIGEST_PAGE_SIZE", 3)
    return Digest.objects.published().order_by("-published_at", "-id").first()


def claim_ids(html):
    return [int(i) for i in re.findall(r'<li class="claim" id="claim-(\d+)"', html)]


def test_a_long_digest_is_read_in_pages_with_json_ld_for_the_claims_shown(client, long_digest):
    url = long_digest.get_absolute_url()
    pages = [client.get(url, {"page": n}) for n in (1, 2, 3)]
    shown = [claim_ids(page.content.decode()) for page in pages]
    assert [len(ids) for ids in shown] == [3, 3, 2]
    in_order = [e.claim_id for e in long_digest.entries.order_by("position", "id")]
    assert sum(shown, []) == in_order
    for page, ids in zip(pages, shown):
        html = page.content.decode()
        assert html.count('type="application/ld+json"') == len(ids)
        assert "共 8 条主张" in html or "8 claims" in html
    assert 'rel="next"' in pages[0].content.decode() and 'start="4"' in pages[1].content.decode()
    assert claim_ids(client.get("/", {"page": 2}).content.decode()) == shown[1]


def test_bad_page_numbers_on_public_pages(client, long_digest):
    url = long_digest.get_absolute_url()
    for bad in ("abc", "0", "-2"):
        assert client.get(url, {"page": bad}).status_code == 400
        assert client.get("/digests/", {"page": bad}).status_code == 400
    past = client.get(url, {"page": 9})
    assert past.status_code == 200 and claim_ids(past.content.decode()) == []
    assert "pager-empty" in past.content.decode() and "?page=3" in past.content.decode()
    assert client.get(url, {"page": "9" * 30}).status_code == 200


def test_the_archive_is_paged(client, db, monkeypatch):
    synth(articles=2, per_article=3, per_digest=1)
    monkeypatch.setattr(public, "ARCHIVE_PAGE_SIZE", 4)
    slugs = list(published.archive().values_list("slug", flat=True))
    assert len(slugs) == 6
    first, second = (client.get("/digests/", {"page": n}).content.decode() for n in (1, 2))
    assert sum(s in first for s in slugs) == 4 and sum(s in second for s in slugs) == 2
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_each_page_of_the_archive_counts_its_own_digests_claims(client, db, monkeypatch):
    synth(articles=2, per_article=3, per_digest=4)  # six claims: digests of 4 and 2
    monkeypatch.setattr(public, "ARCHIVE_PAGE_SIZE", 1)
    newest_first = published.archive_order()
    for number, digest in enumerate(newest_first, start=1):
        html = client.get("/digests/", {"page": number}).content.decode()
        assert digest.slug in html
        assert re.findall(r"共 (\d+) 条主张", html) == [str(digest.entries.count())]
    assert sorted(d.entries.count() for d in newest_first) == [2, 4]


def test_the_feed_holds_the_latest_digests_and_their_first_claims(client, db, monkeypatch):
    synth(articles=3, per_article=4, per_digest=6)
    from claims import feeds

    monkeypatch.setattr(feeds, "FEED_SIZE", 1)
    monkeypatch.setattr(feeds, "FEED_CLAIMS_PER_DIGEST", 2)
    xml = client.get("/feed/").content.decode()
    assert xml.count("<entry>") == 3  # the digest and an entry for each of its first two claims
    assert xml.count("/claims/") == 2 * 2  # each claim entry: its link and its id
    assert xml.count("&lt;li&gt;") == 3  # the digest's summary: two claims and "…"


def test_the_feed_is_kept_in_the_cache(client, db, django_assert_max_num_queries):
    synth(articles=1, per_article=2, per_digest=2)
    client.get("/feed/")
    with django_assert_max_num_queries(1):  # the publication stamp only
        assert client.get("/feed/").status_code == 200
