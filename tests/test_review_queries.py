"""The review pages do as many queries for 30 claims as for one."""

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


# 28 = the claim workbench's 25 (the other articles holding the claim, then the page of them
# shown, are two) + the 3 count queries of "待我处理 (N)" in the navigation (claims/waiting.py:
# a reviewer's three sections, counted once per request). PostgreSQL also asks the planner
# before it counts a search (claims.paging.capped_count, claims.search): up to 3 more there.
CEILING = {"sqlite": 28, "postgresql": 30}


def test_review_pages_do_not_query_more_as_claims_grow(
    client, editor, reviewer, seed_articles, checks_every_request
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = seed_articles["004"]
    claims = make_claims(1, editor, reviewer, article)
    client.force_login(reviewer)

    def counts():
        found = {}
        for url in page_urls(claims[0], article):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            found[url] = len(captured)
        return found

    # Each measure after a first round of the pages: the claim assistant's index catches up
    # with new claims once, on the first request that reads it.
    counts()
    few = counts()
    make_claims(29, editor, reviewer, article)
    counts()
    many = counts()
    # The same number for 1 claim and for 30: pages stay flat as the desk grows.
    assert many == few
    assert max(few.values()) <= CEILING[connection.vendor], few
