"""Search engines find every published claim and digest through /sitemap.xml, and /robots.txt
keeps them off the desk: published pages only, at the desk's public address, in pages."""

import re

import pytest

from claims import services, sitemaps
from tests.conftest import RUMOUR_QUOTE, publish_new_claim

DESK = "https://factcheck.example.org/"


@pytest.fixture
def desk_address(settings):
    settings.DESK_URL = DESK


def locations(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/xml"
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


@pytest.fixture
def unpublished(seed_articles, editor, reviewer, rumour_claim):
    """A claim nobody has rated, and a draft digest (of a claim published elsewhere)."""
    draft_claim = services.create_claim(
        actor=editor,
        text="一条还在核查的主张",
        evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
    )
    draft = services.create_digest(actor=reviewer, title="草稿摘要", claims=[rumour_claim])
    return draft_claim, draft


def test_the_sitemaps_list_every_published_page_and_nothing_else(
    client, desk_address, published_digest, rumour_claim, traditional_claim, unpublished
):
    draft_claim, draft = unpublished
    index = locations(client.get("/sitemap.xml"))  # asked of testserver, named on the desk
    assert index == [
        f"{DESK}sitemap-pages.xml",
        f"{DESK}sitemap-digests.xml",
        f"{DESK}sitemap-claims.xml",
    ]
    assert locations(client.get("/sitemap-pages.xml")) == [DESK, f"{DESK}digests/", f"{DESK}about/"]
    digests = locations(client.get("/sitemap-digests.xml"))
    assert f"{DESK}digests/{published_digest.slug}/" in digests
    assert len(digests) == 2 and not any(draft.slug in url for url in digests)
    claims = locations(client.get("/sitemap-claims.xml"))
    assert claims == [f"{DESK}claims/{rumour_claim.pk}/", f"{DESK}claims/{traditional_claim.pk}/"]
    assert f"claims/{draft_claim.pk}/" not in " ".join(claims)
    # Each claim is dated by the publication of the form its page shows.
    day = published_digest.published_at.astimezone().date().isoformat()
    assert f"<lastmod>{day}</lastmod>" in client.get("/sitemap-claims.xml").content.decode()


def test_long_sitemaps_come_in_pages_that_the_index_lists(
    client, desk_address, published_digest, rumour_claim, traditional_claim, monkeypatch
):
    monkeypatch.setattr(sitemaps.DeskSitemap, "limit", 1)
    index = locations(client.get("/sitemap.xml"))
    assert f"{DESK}sitemap-claims.xml?p=2" in index
    assert f"{DESK}sitemap-claims.xml?p=3" not in index
    pages = [locations(client.get("/sitemap-claims.xml", {"p": n})) for n in (1, 2)]
    assert pages == [
        [f"{DESK}claims/{rumour_claim.pk}/"],
        [f"{DESK}claims/{traditional_claim.pk}/"],
    ]
    for bad in ("3", "0", "x", "9" * 30):
        assert client.get("/sitemap-claims.xml", {"p": bad}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_sitemap_answers_304_until_a_publication(
    client, published_digest, rumour_claim, seed_articles, editor, reviewer
):
    first = client.get("/sitemap-claims.xml")
    again = client.get("/sitemap-claims.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert first["X-Robots-Tag"].startswith("noindex")
    added = publish_new_claim(
        editor=editor,
        reviewer=reviewer,
        text="另一条已核查的主张",
        article=seed_articles["004"],
        quote=RUMOUR_QUOTE,
        rating="false",
        rationale="有官方否认。",
        title="第二期",
    )
    after = client.get("/sitemap-claims.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert [url.rsplit("/", 2)[-2] for url in locations(after)] == [
        str(rumour_claim.pk),
        str(added.pk),
    ]


def test_robots_txt_keeps_crawlers_off_the_desk_and_names_the_sitemap(client, desk_address):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for private in ("/review/", "/admin/", "/accounts/login/", "/api/", "/search/"):
        assert f"Disallow: {private}" in lines
    assert f"Sitemap: {DESK}sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the public pages stay open
    assert client.post("/robots.txt").status_code == 405
