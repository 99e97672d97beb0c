"""The review pages do as many queries for 30 claims as for one."""

import pytest
from django.urls import reverse

from claims import services
from tests.conftest import RUMOUR_QUOTE

QUOTES = [RUMOUR_QUOTE, "這場「80%團隊辭職」的流言", "Meta員工Dave Arnold站出來澄清"]


def make_claims(n, editor, reviewer, article):
    claims = []
    for i in range(n):
        claim = services.create_claim(
            actor=editor,
            text=f"第{i}条主张：Llama 4团队约80%成员辞职",
            evidence=[{"article": article, "quote": QUOTES[i % len(QUOTES)]}],
        )
        services.add_evidence(
            claim, actor=editor, url=f"https://example.com/{i}", citation_title="报道"
        )
        verdict = services.propose_verdict(
            claim, actor=editor, rating="rumour", rationale="二手爆料。"
        )
        if i % 2 == 0:
            services.approve_verdict(verdict, actor=reviewer, claim_version=verdict.claim.version)
        services.update_claim(claim, actor=editor, version=claim.version, text=f"第{i}条主张（改）")
        claims.append(claim)
    services.create_claim(actor=editor, text="尚无证据的主张")
    return claims


def page_urls(claim, article):
    return [
        reverse("review:queue"),
        reverse("review:queue") + "?q=团队&original_script=hant&rating=rumour",
        reverse("review:article", args=[article.pk]),
        reverse("review:claim", args=[claim.pk]),
        reverse("review:waiting"),
    ]


@pytest.mark.parametrize("n", [1, 30])
def test_review_pages_do_not_query_more_as_claims_grow(
    n, client, editor, reviewer, seed_articles, django_assert_max_num_queries, checks_every_request
):
    article = seed_articles["004"]
    claims = make_claims(n, editor, reviewer, article)
    client.force_login(reviewer)
    for url in page_urls(claims[0], article):
        # The same ceiling for 1 claim and for 30: pages stay flat as the desk grows.
        # 27 = 24 + the 3 count queries of "待我处理 (N)" in the navigation (claims/waiting.py:
        # a reviewer's three sections, counted once per request).
        with django_assert_max_num_queries(27):
            assert client.get(url).status_code == 200, url
