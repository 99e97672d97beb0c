"""The "待我处理" page (/review/waiting/) and its count in the review navigation."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services, waiting
from tests.conftest import RUMOUR_QUOTE

URL = "/review/waiting/"


def section(html, key):
    """The HTML of one section of the page ('' when the page does not show it)."""
    found = re.search(rf'<section class="queue-section" id="{key}">(.*?)</section>', html, re.S)
    return found.group(1) if found else ""


def nav_count(html):
    found = re.search(r'<a href="/review/waiting/">待我处理 \((\d+)\+?\)</a>', html)
    return int(found.group(1)) if found else None


def page(client, user, url=URL):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def claim_link(claim):
    return reverse("review:claim", args=[claim.pk])


def test_url_is_named():
    assert reverse("review:waiting") == URL


def test_a_reviewer_sees_the_proposal_of_another_the_proposer_does_not(
    client, rumour_claim, editor, reviewer, reviewer2
):
    html = page(client, reviewer)
    assert claim_link(rumour_claim) in section(html, "review")
    assert "editor 提出" in section(html, "review")

    # The proposer is an editor, not a reviewer: no review section at all.
    html = page(client, editor)
    assert section(html, "review") == ""
    assert claim_link(rumour_claim) not in html

    # A reviewer's own proposal waits for the other reviewer, never for themselves.
    own = services.create_claim(actor=reviewer2, text="审核员自己提出结论的主张")
    services.propose_verdict(own, actor=reviewer2, rating="disputed", rationale="说法不一。")
    assert claim_link(own) not in section(page(client, reviewer2), "review")
    assert claim_link(rumour_claim) in section(page(client, reviewer2), "review")
    assert claim_link(own) in section(page(client, reviewer), "review")


def test_the_proposer_sees_their_verdict_sent_back_with_the_comment(
    client, rumour_claim, editor, editor2, reviewer
):
    verdict = rumour_claim.verdicts.get()
    services.send_back_verdict(verdict, actor=reviewer, comment="请补充员工澄清的原始出处。")

    mine = section(page(client, editor), "sent_back")
    assert claim_link(rumour_claim) in mine
    assert "请补充员工澄清的原始出处。" in mine
    assert "reviewer 退回" in mine
    # Not anyone else's, and no longer waiting for review.
    assert claim_link(rumour_claim) not in section(page(client, editor2), "sent_back")
    assert claim_link(rumour_claim) not in section(page(client, reviewer), "review")

    # A newer proposal on the claim supersedes it: it leaves the list.
    services.propose_verdict(rumour_claim, actor=editor, rating="rumour", rationale="补充了出处。")
    assert claim_link(rumour_claim) not in section(page(client, editor), "sent_back")


def test_sent_back_verdicts_newest_first(client, seed_articles, editor, reviewer):
    claims = []
    for i in range(3):
        claim = services.create_claim(actor=editor, text=f"第{i}条被退回的主张")
        verdict = services.propose_verdict(claim, actor=editor, rating="false", rationale="无据。")
        services.send_back_verdict(verdict, actor=reviewer, comment=f"意见{i}")
        claims.append(claim)
    mine = section(page(client, editor), "sent_back")
    positions = [mine.index(f"意见{i}") for i in range(3)]
    assert positions == sorted(positions, reverse=True)


def test_an_edited_published_claim_needs_a_correction(
    client, published_digest, rumour_claim, editor, reviewer
):
    assert claim_link(rumour_claim) not in section(page(client, reviewer), "corrections")

    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="Meta的Llama 4团队已有人辞职"
    )
    corrections = section(page(client, reviewer), "corrections")
    assert claim_link(rumour_claim) in corrections
    assert published_digest.title in corrections
    # Editors who are not reviewers do not correct digests: no such section.
    assert section(page(client, editor), "corrections") == ""


def test_a_published_correction_takes_the_claim_off_the_corrections_list(
    client, published_digest, rumour_claim, editor, reviewer
):
    """The claim remembers when its published form was published (Claim.published_at, the
    indexed column the list reads): a correction that publishes the edit moves it on."""
    rumour_claim.refresh_from_db()
    assert rumour_claim.published_at == published_digest.published_at
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="Meta的Llama 4团队已有人辞职"
    )
    assert claim_link(rumour_claim) in section(page(client, reviewer), "corrections")

    rumour_claim.refresh_from_db()
    verdict = rumour_claim.verdicts.get(status="proposed")  # the edit reopened its review
    services.approve_verdict(verdict, actor=reviewer, claim_version=rumour_claim.version)
    draft = services.start_correction(published_digest, actor=reviewer, note="改写主张。")
    correction = services.publish_digest(draft, actor=reviewer)
    rumour_claim.refresh_from_db()
    assert rumour_claim.published_at == correction.published_at > published_digest.published_at
    assert claim_link(rumour_claim) not in section(page(client, reviewer), "corrections")


def test_the_nav_count_is_the_total_of_the_sections(
    client, published_digest, rumour_claim, editor, reviewer, reviewer2
):
    # Waiting for `reviewer`: the claim needing a correction, and its reopened verdict.
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="Meta的Llama 4团队已有人辞职"
    )
    other = services.create_claim(actor=reviewer2, text="另一条主张")
    services.propose_verdict(other, actor=reviewer2, rating="disputed", rationale="说法不一。")
    mine = services.create_claim(actor=reviewer, text="审核员自己的主张")
    sent = services.propose_verdict(mine, actor=reviewer, rating="false", rationale="无据。")
    services.send_back_verdict(sent, actor=reviewer2, comment="证据不足。")

    html = page(client, reviewer)
    counts = {
        key: len(re.findall(r"<li>", section(html, key)))
        for key in waiting.visible_sections(reviewer)
    }
    assert counts == {"review": 2, "sent_back": 1, "corrections": 1}
    assert nav_count(html) == 4
    # The same count on the other review pages.
    assert nav_count(page(client, reviewer, reverse("review:queue"))) == 4
    assert nav_count(page(client, reviewer, claim_link(rumour_claim))) == 4

    # An editor (not a reviewer) counts only their verdicts sent back.
    assert nav_count(page(client, editor, reverse("review:queue"))) == 0


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_nav_count_runs_no_query_off_the_review_pages_or_for_anonymous_visitors(
    rumour_claim, reviewer, django_assert_num_queries
):
    factory = RequestFactory()
    public = factory.get("/")
    public.user = reviewer
    anonymous = factory.get("/review/")
    anonymous.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert waiting.review_nav(public) == {}
        assert waiting.review_nav(anonymous) == {}


def test_the_public_site_shows_no_nav_count(client, published_digest, reviewer):
    client.force_login(reviewer)
    response = client.get("/")
    assert response.status_code == 200
    assert "待我处理" not in response.content.decode()


def test_a_page_number_that_is_not_one_is_a_400(client, reviewer):
    client.force_login(reviewer)
    assert client.get(URL + "?review_page=x").status_code == 400


def make_waiting(n, start, editor, reviewer, reviewer2, article):
    """`n` more items in each of `reviewer`'s sections."""
    to_publish = []
    for i in range(start, start + n):
        claim = services.create_claim(
            actor=editor,
            text=f"第{i}条等待审核的主张",
            evidence=[{"article": article, "quote": RUMOUR_QUOTE}],
        )
        services.propose_verdict(claim, actor=editor, rating="rumour", rationale="二手爆料。")

        own = services.create_claim(actor=reviewer, text=f"第{i}条被退回的主张")
        verdict = services.propose_verdict(own, actor=reviewer, rating="false", rationale="无据。")
        services.send_back_verdict(verdict, actor=reviewer2, comment=f"意见{i}")

        published = services.create_claim(
            actor=editor,
            text=f"第{i}条已发布的主张",
            evidence=[{"article": article, "quote": RUMOUR_QUOTE}],
        )
        verdict = services.propose_verdict(
            published, actor=editor, rating="rumour", rationale="未证实。"
        )
        services.approve_verdict(verdict, actor=reviewer2, claim_version=published.version)
        to_publish.append(published)
    digest = services.create_digest(actor=reviewer2, title=f"摘要{start}", claims=to_publish)
    services.publish_digest(digest, actor=reviewer2)
    for claim in to_publish:
        claim.refresh_from_db()
        services.update_claim(
            claim, actor=editor, version=claim.version, text=f"{claim.text}（改）"
        )


@pytest.mark.django_db
def test_queries_stay_flat_with_2_or_10_waiting_items(
    client, seed_articles, editor, reviewer, reviewer2, checks_every_request
):
    article = seed_articles["004"]
    client.force_login(reviewer)
    queries = {}
    for n, start in ((2, 0), (8, 2)):
        make_waiting(n, start, editor, reviewer, reviewer2, article)
        with CaptureQueriesContext(connection) as context:
            html = client.get(URL).content.decode()
        queries[start + n] = len(context)
        # Each edited published claim's verdict is back in review too.
        assert nav_count(html) == 4 * (start + n)
    assert queries[2] == queries[10], queries
