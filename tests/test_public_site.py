"""Readers: anonymous, read-only pages of published digests, from frozen snapshots."""

import pytest

from claims import services
from claims.models import Digest

pytestmark = pytest.mark.django_db


def publish_claims(editor, reviewer, article, count, title, citation=False):
    """Publish a digest of `count` new claims anchored in `article`; returns the digest."""
    claims = []
    for i in range(count):
        quote = article.body[i * 7 : i * 7 + 6]
        claim = services.create_claim(
            actor=editor,
            text=f"第{i}条说法：{quote}",
            evidence=[{"article": article, "quote": quote}],
        )
        if citation:
            services.add_evidence(
                claim,
                actor=editor,
                url=f"https://news.example.com/{i}",
                citation_title=f"外部报道{i}",
                publisher="示例日报",
            )
        verdict = services.propose_verdict(
            claim, actor=editor, rating="disputed", rationale=f"理由{i}"
        )
        services.approve_verdict(verdict, actor=reviewer, claim_version=verdict.claim.version)
        claims.append(claim)
    return services.publish_digest(
        services.create_digest(actor=reviewer, title=title, claims=claims), actor=reviewer
    )


def test_the_home_page_shows_the_latest_published_digest_to_anyone(
    client, published_digest, rumour_claim
):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert published_digest.title in html
    assert rumour_claim.text in html
    assert "传言（未证实）" in html and "verdict-rumour" in html


def test_the_home_page_without_any_digest_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "尚无已发布的核查摘要" in response.content.decode()


def test_drafts_stay_out_of_the_archive_home_and_digest_pages(
    client, published_digest, reviewer, rumour_claim
):
    draft = services.create_digest(actor=reviewer, title="还没发布的草稿", claims=[rumour_claim])
    assert "还没发布的草稿" not in client.get("/").content.decode()
    archive = client.get("/digests/").content.decode()
    assert published_digest.title in archive and "还没发布的草稿" not in archive
    assert client.get(f"/digests/{draft.slug}/").status_code == 404


def test_a_claim_page_shows_the_verdict_rationale_and_evidence_with_its_article(
    client, published_digest, rumour_claim
):
    response = client.get(f"/claims/{rumour_claim.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "传言（未证实）" in html
    assert "Only a second-hand post; denied by staff." in html
    entry = published_digest.entries.get()
    article = entry.snapshot["evidence"][0]["article"]
    assert entry.snapshot["evidence"][0]["quote"] in html
    assert article["title"] in html and article["source"] in html
    assert published_digest.get_absolute_url() in html


def test_outside_citations_are_links_that_pass_no_reputation(
    client, editor, reviewer, seed_articles
):
    digest = publish_claims(editor, reviewer, seed_articles["001"], 1, "Citations", citation=True)
    claim_id = digest.entries.get().claim_id
    html = client.get(f"/claims/{claim_id}/").content.decode()
    assert '<a href="https://news.example.com/0" rel="nofollow noopener">外部报道0</a>' in html
    assert "示例日报" in html


def test_a_claim_not_in_a_published_digest_is_not_found(client, rumour_claim, reviewer):
    assert client.get(f"/claims/{rumour_claim.pk}/").status_code == 404
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    services.create_digest(actor=reviewer, title="Draft", claims=[rumour_claim])
    assert client.get(f"/claims/{rumour_claim.pk}/").status_code == 404
    assert client.get("/claims/999999/").status_code == 404


def test_editing_a_claim_after_publication_does_not_change_what_readers_see(
    client, published_digest, rumour_claim, editor, editor2, reviewer
):
    before_claim = client.get(f"/claims/{rumour_claim.pk}/").content.decode()
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="完全改写的说法"
    )
    verdict = services.propose_verdict(
        rumour_claim, actor=editor2, rating="false", rationale="新的理由"
    )
    services.approve_verdict(verdict, actor=reviewer, claim_version=verdict.claim.version)
    rumour_claim.evidence.all().delete()

    after_claim = client.get(f"/claims/{rumour_claim.pk}/").content.decode()
    after_digest = client.get(published_digest.get_absolute_url()).content.decode()
    for html in (after_claim, after_digest):
        assert "Meta的Llama 4团队约80%的成员已经辞职" in html
        assert "完全改写的说法" not in html and "新的理由" not in html and "不实" not in html
        assert "據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈" in html
    assert after_claim == before_claim


def test_a_corrected_digest_links_to_its_new_version_and_back(client, published_digest, reviewer):
    correction = services.start_correction(
        published_digest, actor=reviewer, note="来源名称写错了，已更正。"
    )
    # An unpublished correction is invisible to readers.
    assert "更正于" not in client.get(published_digest.get_absolute_url()).content.decode()
    assert client.get(correction.get_absolute_url()).status_code == 404

    services.publish_digest(correction, actor=reviewer)
    old = client.get(published_digest.get_absolute_url()).content.decode()
    assert "更正于" in old and "corrected on" in old
    assert correction.get_absolute_url() in old
    assert "Only a second-hand post" in old, "the old version stays readable"
    new = client.get(correction.get_absolute_url()).content.decode()
    assert "来源名称写错了，已更正。" in new
    assert published_digest.get_absolute_url() in new
    assert correction.title in client.get("/").content.decode()
    assert "更正于" in client.get("/digests/").content.decode()


def test_a_claim_text_with_markup_is_shown_as_text(client, editor, reviewer, seed_articles):
    article = seed_articles["004"]
    claim = services.create_claim(
        actor=editor,
        text='<script>alert("x")</script> & <b>粗体</b>',
        evidence=[{"article": article, "quote": article.body[:10]}],
    )
    verdict = services.propose_verdict(
        claim, actor=editor, rating="false", rationale="<img src=x onerror=alert(1)>"
    )
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    services.publish_digest(
        services.create_digest(actor=reviewer, title="<i>标题</i>", claims=[claim]), actor=reviewer
    )
    for url in ("/", f"/claims/{claim.pk}/", "/digests/", "/feed/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<i>标题</i>" not in html
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "\\u003cscript\\u003e" in page, "JSON-LD escapes markup too"


@pytest.mark.parametrize("url", ["/", "/digests/", "/feed/"])
def test_public_pages_are_read_only(client, published_digest, url):
    assert client.post(url, {}).status_code == 405
    assert client.post(published_digest.get_absolute_url(), {}).status_code == 405


def test_a_conditional_request_for_an_unchanged_page_answers_304(
    client, published_digest, rumour_claim
):
    for url in (
        "/",
        "/digests/",
        published_digest.get_absolute_url(),
        f"/claims/{rumour_claim.pk}/",
    ):
        first = client.get(url)
        assert first.status_code == 200
        assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
        assert "Cookie" in first["Vary"]
        assert first.has_header("Last-Modified")
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304


def test_a_new_publication_changes_the_etag(
    client, published_digest, editor, reviewer, seed_articles
):
    etag = client.get("/").headers["ETag"]
    publish_claims(editor, reviewer, seed_articles["001"], 1, "第二期")
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "第二期" in response.content.decode()


def test_the_etag_differs_by_script(client, published_digest):
    plain = client.get("/")["ETag"]
    traditional = client.get("/?script=hant")
    assert traditional["ETag"] != plain
    # Remembered by cookie: the original-script ETag must not answer 304 for a hant page.
    assert client.get("/", HTTP_IF_NONE_MATCH=plain).status_code == 200


def test_public_pages_carry_a_content_security_policy(client, published_digest):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_public_pages_have_no_inline_styles_or_scripts(client, published_digest, rumour_claim):
    for url in ("/", "/digests/", f"/claims/{rumour_claim.pk}/"):
        html = client.get(url).content.decode()
        assert " style=" not in html and "<style" not in html
        assert html.count("<script") == html.count('<script type="application/ld+json">')


@pytest.mark.parametrize("size", [1, 8])
def test_query_counts_do_not_grow_with_claims(
    client, editor, reviewer, seed_articles, size, django_assert_max_num_queries
):
    for n in range(2):
        digest = publish_claims(
            editor, reviewer, seed_articles[f"00{n + 1}"], size, f"第{n}期-{size}"
        )
    services.publish_digest(
        services.start_correction(digest, actor=reviewer, note="更正"), actor=reviewer
    )
    claim_id = digest.entries.first().claim_id
    for url in ("/", "/digests/", digest.get_absolute_url(), f"/claims/{claim_id}/", "/feed/"):
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200


def test_unknown_digest_slug_is_not_found(client, db):
    assert client.get("/digests/no-such-digest/").status_code == 404
    assert Digest.objects.count() == 0
