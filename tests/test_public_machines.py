"""For machines: ClaimReview JSON-LD on claim and digest pages, Open Graph tags, the feed."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from claims import jsonld, services

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def blocks(html):
    return [
        json.loads(b)
        for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    ]


def assert_claim_review(review, claim):
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.text
    assert review["url"] == f"http://testserver/claims/{claim.pk}/"
    assert review["datePublished"]
    assert review["author"] == {
        "@type": "Organization",
        "name": settings.DESK_NAME,
        "url": settings.DESK_URL,
    }
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert rating["alternateName"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["appearance"] and all(
        a["@type"] == "CreativeWork" and a["headline"] for a in item["appearance"]
    )
    if len(item["appearance"]) == 1:
        assert item["firstAppearance"] == item["appearance"][0]


def test_a_claim_page_carries_its_claim_review(client, published_digest, rumour_claim):
    html = client.get(f"/claims/{rumour_claim.pk}/").content.decode()
    [review] = blocks(html)
    assert_claim_review(review, rumour_claim)
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 4,
        "worstRating": 1,
        "alternateName": "传言（未证实）",
    }
    assert review["itemReviewed"]["appearance"][0]["headline"] == "有爆料稱Llama 4 團隊正集體跑路?"
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "AGI Hunt"}


def test_a_traditional_claims_review_names_its_verdict_in_traditional(client, traditional_claim):
    """As written (no ?script=), the rating is named in the words of the claim's own script,
    on its page and in the API, as search engines show it beside the claim."""
    html = client.get(f"/claims/{traditional_claim.pk}/").content.decode()
    [review] = blocks(html)
    api = client.get(f"/api/v1/claims/{traditional_claim.pk}/claimreview/").json()
    for answer in (review, api):
        assert answer["claimReviewed"] == traditional_claim.text
        assert answer["reviewRating"]["alternateName"] == "傳言（未證實）"


def test_a_hong_kong_desk_names_a_traditional_claims_verdict_in_hong_kong_words(
    client, traditional_claim, settings
):
    """NEWSROOM_TRADITIONAL=hk: as written, a Traditional claim's verdict is named as Hong Kong
    writes it; a reader who chooses Taiwan's reading still gets Taiwan's words."""
    settings.DESK_TRADITIONAL = "hk"
    url = f"/claims/{traditional_claim.pk}/"
    [review] = blocks(client.get(url).content.decode())
    api = client.get(f"/api/v1/claims/{traditional_claim.pk}/claimreview/").json()
    for answer in (review, api):
        assert answer["claimReviewed"] == traditional_claim.text
        assert answer["reviewRating"]["alternateName"] == "傳言（未經證實）"
    [taiwan] = blocks(client.get(url, {"script": "hant"}).content.decode())
    assert taiwan["reviewRating"]["alternateName"] == "傳言（未證實）"


def test_a_digest_page_carries_one_claim_review_per_claim(
    client, published_digest, rumour_claim, seed_articles, editor, reviewer
):
    other = services.create_claim(
        actor=editor,
        text="另一条说法",
        evidence=[{"article": seed_articles["001"], "quote": seed_articles["001"].body[:8]}],
    )
    verdict = services.propose_verdict(
        other, actor=editor, rating="confirmed", rationale="多方证实"
    )
    services.approve_verdict(verdict, actor=reviewer, claim_version=other.version)
    digest = services.publish_digest(
        services.create_digest(actor=reviewer, title="两条", claims=[rumour_claim, other]),
        actor=reviewer,
    )
    reviews = blocks(client.get(digest.get_absolute_url()).content.decode())
    assert [r["claimReviewed"] for r in reviews] == [rumour_claim.text, "另一条说法"]
    for review, claim in zip(reviews, [rumour_claim, other]):
        assert_claim_review(review, claim)
    assert reviews[1]["reviewRating"]["ratingValue"] == 4


def test_json_ld_cannot_break_out_of_its_script_element():
    text = jsonld.dumps({"claimReviewed": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["claimReviewed"] == "</script><script>alert(1)</script> & <!--"


def test_pages_carry_open_graph_tags(client, published_digest, rumour_claim):
    for url in (published_digest.get_absolute_url(), f"/claims/{rumour_claim.pk}/"):
        html = client.get(url).content.decode()
        for prop in ("og:title", "og:description", "og:type", "og:url"):
            assert f'<meta property="{prop}" content="' in html, (url, prop)
        assert f'<meta property="og:url" content="http://testserver{url}">' in html


def test_the_feed_lists_published_digests_only(client, published_digest, rumour_claim, reviewer):
    services.create_digest(actor=reviewer, title="草稿不进订阅", claims=[rumour_claim])
    correction = services.start_correction(published_digest, actor=reviewer, note="更正说明")
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    # The digest, then one entry per claim in it.
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Meta AI layoffs",
        f"【传言（未证实）】{rumour_claim.text}",
    ]
    assert (
        entries[0].find(f"{ATOM}link").get("href")
        == f"http://testserver{published_digest.get_absolute_url()}"
    )
    assert "传言（未证实）" in entries[0].find(f"{ATOM}summary").text
    assert b"\xe8\x8d\x89\xe7\xa8\xbf" not in response.content  # 草稿

    services.publish_digest(correction, actor=reviewer)
    feed = ET.fromstring(client.get("/feed/").content)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    claim_title = f"【传言（未证实）】{rumour_claim.text}"
    assert titles == ["Meta AI layoffs（更正版 v2）", claim_title, "Meta AI layoffs", claim_title]


def test_feed_summaries_show_the_desks_texts_as_text_in_the_readers_script(
    client, published_digest, rumour_claim, reviewer
):
    """An entry's summary is HTML: a correction note or a reason holding markup characters is
    shown as those characters, never as markup; in another reading it is converted."""
    note = "补充<b>来源</b> & 说明"
    services.publish_digest(
        services.start_correction(published_digest, actor=reviewer, note=note), actor=reviewer
    )

    def summaries(path):
        feed = ET.fromstring(client.get(path).content)
        return [e.find(f"{ATOM}summary").text for e in feed.findall(f"{ATOM}entry")]

    corrected, claim_entry, *_ = summaries("/feed/")
    assert corrected.startswith("<p>更正说明：补充&lt;b&gt;来源&lt;/b&gt; &amp; 说明</p>")
    assert "<b>" not in corrected
    assert f"<li>【传言（未证实）】{rumour_claim.text}</li>" in corrected
    rationale = rumour_claim.verdicts.get(status="approved").rationale
    assert claim_entry == f"<p>{rationale}</p><p>收录于核查摘要《Meta AI layoffs》。</p>\n"

    corrected, *_ = summaries("/feed/?script=hant")
    assert "補充&lt;b&gt;來源&lt;/b&gt; &amp; 說明" in corrected
    assert "【傳言（未證實）】" in corrected


def test_the_feed_is_sent_as_one_body(client, published_digest):
    """A WSGI server writes each piece of a response to the socket on its own: the feed, built
    element by element, goes out as one piece, cached or not."""
    for _ in range(2):  # built, then from the cache
        response = client.get("/feed/")
        assert response.status_code == 200
        assert len(list(response)) == 1
        assert ET.fromstring(b"".join(response)).findall(f"{ATOM}entry")


def test_the_feed_is_empty_but_valid_before_anything_is_published(client, db):
    feed = ET.fromstring(client.get("/feed/").content)
    assert feed.tag == f"{ATOM}feed" and feed.findall(f"{ATOM}entry") == []


def test_the_first_appearance_is_named_only_when_it_is_known(
    published_digest, seed_articles, editor, reviewer
):
    undated = [a for a in seed_articles.values() if a.published_on is None][:2]
    claim = services.create_claim(
        actor=editor,
        text="两篇未注明日期的文章都这么说",
        evidence=[{"article": article, "quote": article.body[:8]} for article in undated],
    )
    verdict = services.propose_verdict(claim, actor=editor, rating="disputed", rationale="说法不一")
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    digest = services.publish_digest(
        services.create_digest(actor=reviewer, title="日期", claims=[claim]), actor=reviewer
    )
    review = jsonld.claim_review(digest.entries.select_related("digest").get())
    assert len(review["itemReviewed"]["appearance"]) == 2
    assert "firstAppearance" not in review["itemReviewed"]


def test_feed_ids_and_claim_review_urls_are_on_the_desks_address_whatever_the_host(
    client, published_digest, rumour_claim, settings
):
    settings.DESK_URL = "https://factcheck.example.org/"
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.net"]
    answers = {
        host: (
            client.get("/feed/", HTTP_HOST=host).content,
            client.get(f"/claims/{rumour_claim.pk}/", HTTP_HOST=host).content.decode(),
        )
        for host in ("testserver", "mirror.example.net")
    }
    for host, (feed, page) in answers.items():
        atom = ET.fromstring(feed)
        ids = [atom.find(f"{ATOM}id").text] + [
            e.find(f"{ATOM}id").text for e in atom.iter(f"{ATOM}entry")
        ]
        links = [link.get("href") for link in atom.iter(f"{ATOM}link")]
        # The feed, the digest and its claim; the digest's id is a tag: URI of its address.
        assert len(ids) == 3 and all(
            url.startswith(("https://factcheck.example.org/", "tag:factcheck.example.org,"))
            for url in ids + links
        ), (host, ids, links)
        assert atom.find(f"{ATOM}author/{ATOM}uri").text == "https://factcheck.example.org/"
        (review,) = blocks(page)
        assert review["url"] == f"https://factcheck.example.org/claims/{rumour_claim.pk}/"
        assert review["author"]["url"] == "https://factcheck.example.org/"
    # The same ids for either Host header: a reader's feed client never sees duplicates.
    assert answers["testserver"][0] == answers["mirror.example.net"][0]


def test_every_time_element_carries_a_valid_html_date_time(
    client, published_digest, rumour_claim, reviewer
):
    """HTML allows at most three digits of a second's fraction (the Nu checker refused the six
    that Django's date:"c" writes)."""
    correction = services.start_correction(published_digest, actor=reviewer, note="更正")
    services.publish_digest(correction, actor=reviewer)
    valid = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)")
    seen = []
    for url in (
        "/",
        "/digests/",
        published_digest.get_absolute_url(),
        f"/claims/{rumour_claim.pk}/",
    ):
        seen += re.findall(r'<time datetime="([^"]*)"', client.get(url).content.decode())
    assert len(seen) >= 4
    assert all(valid.fullmatch(value) for value in seen), seen


def test_each_published_claim_has_a_feed_entry_in_the_readers_script(
    client, published_digest, rumour_claim, reviewer
):
    def claim_entries(path):
        feed = ET.fromstring(client.get(path).content)
        return [
            e
            for e in feed.findall(f"{ATOM}entry")
            if e.find(f"{ATOM}link").get("href") == f"http://testserver/claims/{rumour_claim.pk}/"
        ]

    (entry,) = claim_entries("/feed/")
    assert entry.find(f"{ATOM}title").text == f"【传言（未证实）】{rumour_claim.text}"
    verdict = rumour_claim.verdicts.get(status="approved")
    assert verdict.rationale in entry.find(f"{ATOM}summary").text
    assert "Meta AI layoffs" in entry.find(f"{ATOM}summary").text
    # Stable: the same id on every fetch; a correction adds an entry with an id of its own.
    (again,) = claim_entries("/feed/")
    assert again.find(f"{ATOM}id").text == entry.find(f"{ATOM}id").text
    services.publish_digest(
        services.start_correction(published_digest, actor=reviewer, note="更正"), actor=reviewer
    )
    ids = [e.find(f"{ATOM}id").text for e in claim_entries("/feed/")]
    assert len(ids) == 2 and len(set(ids)) == 2 and entry.find(f"{ATOM}id").text in ids

    # In the Taiwan reading, the verdict's name and the claim (Simplified) are in Traditional.
    (hant,) = claim_entries("/feed/?script=hant")[:1]
    title = hant.find(f"{ATOM}title").text
    from sources.text import to_script

    assert title.startswith("【傳言（未證實）】") and to_script(rumour_claim.text, "hant") in title


def test_a_message_that_credits_no_outlet_is_named_so_in_the_readers_words_and_no_author(
    client, editor, reviewer
):
    """A rumour forwarded without an outlet is stored under the desk's placeholder source: its
    page says 未知来源 in the reader's words (not the placeholder's stored name, half English),
    and its ClaimReview names no author rather than an organization called "unknown"."""
    from sources.importer import import_bytes

    forwarded = import_bytes("转发\n\n吃大蒜可以预防新冠肺炎。\n".encode(), "forwarded.txt").article
    assert forwarded.source.is_unknown
    claim = services.create_claim(
        actor=editor,
        text="吃大蒜可以预防新冠肺炎",
        evidence=[{"article": forwarded, "quote": "吃大蒜可以预防新冠肺炎"}],
    )
    verdict = services.propose_verdict(claim, actor=editor, rating="false", rationale="无此研究。")
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    services.publish_digest(
        services.create_digest(actor=reviewer, title="大蒜", claims=[claim]), actor=reviewer
    )
    for reading, words in [("hans", "未知来源"), ("hant", "未知來源"), ("hk", "未知來源")]:
        html = client.get(f"/claims/{claim.pk}/", {"script": reading}).content.decode()
        cite = re.search(r'<p class="cite">.*?</p>', html, re.S).group()
        assert words in cite and "unknown source" not in html, reading
        [review] = blocks(html)
        assert "author" not in review["itemReviewed"]
        assert all("author" not in work for work in review["itemReviewed"]["appearance"])
