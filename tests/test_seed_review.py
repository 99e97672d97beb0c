"""The review the desk ships with the seed articles: every quote is really there, the verdicts
follow the desk's rules, and loading it publishes the first digest."""

import pytest
import yaml

from claims.models import Claim, Digest, Verdict
from sources.models import Source
from tests.conftest import RUMOUR_QUOTE
from tests.seed_data import REVIEW, SeedReviewTestCase


@pytest.fixture(scope="module")
def review():
    return yaml.safe_load(REVIEW.read_text(encoding="utf-8"))


def test_every_quote_in_the_review_is_an_exact_passage_of_its_article(review, seed_articles):
    bodies = {a.filename: a.body for a in seed_articles.values()}
    missing = [
        f"{claim['key']}: {ev['file']}: {ev['quote'][:30]}"
        for claim in review["claims"]
        for ev in claim["evidence"]
        if ev["quote"] not in bodies[ev["file"]]
    ]
    assert missing == []


def test_the_80_percent_resignation_claim_is_a_rumour_resting_on_one_post(review):
    claim = next(
        c for c in review["claims"] if any(RUMOUR_QUOTE in e["quote"] for e in c["evidence"])
    )
    assert claim["verdict"]["rating"] == "rumour"
    rationale = claim["verdict"]["rationale"]
    for point in ("@kalomaze", "Dave Arnold", "14人中11人"):
        assert point in rationale
    stances = {e["stance"] for e in claim["evidence"]}
    assert {"supports", "contradicts"} <= stances


def test_every_disputed_claim_has_evidence_from_two_articles_on_each_side_or_more(review):
    disputed = [c for c in review["claims"] if c["verdict"]["rating"] == "disputed"]
    assert len(disputed) >= 8
    for claim in disputed:
        files = {e["file"] for e in claim["evidence"]}
        assert len(files) >= 2, claim["key"]
        assert any(e["stance"] == "contradicts" for e in claim["evidence"]), claim["key"]


@pytest.mark.parametrize(
    "key, figures",
    [
        ("scale-ai-deal-amount", ["143亿", "148億"]),
        ("meta-2025-ai-spending", ["650亿", "720億"]),
        ("top-pay-package", ["10亿", "九位数"]),
    ],
)
def test_figures_the_articles_disagree_on_are_disputed_with_both_figures_quoted(
    review, key, figures
):
    claim = next(c for c in review["claims"] if c["key"] == key)
    assert claim["verdict"]["rating"] == "disputed"
    quotes = " ".join(e["quote"] for e in claim["evidence"])
    for figure in figures:
        assert figure in quotes


def test_claims_made_by_several_articles_cite_each_of_them(review):
    by_key = {c["key"]: {e["file"][:3] for e in c["evidence"]} for c in review["claims"]}
    assert {"000", "001", "002"} <= by_key["layoff-600"]
    assert {"000", "001", "002"} <= by_key["tian-laid-off"]
    assert {"000", "002"} <= by_key["tbd-lab-spared"]
    assert {"002", "004"} <= by_key["llama-11-of-14-left"]


class TestTheLoadedReview(SeedReviewTestCase):
    """seeds/review.yaml loaded once for these tests (see SeedReviewTestCase)."""

    review = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))

    def test_the_review_loads_with_every_claim_approved_by_a_second_person(self):
        claims = Claim.objects.prefetch_related("verdicts")
        assert claims.count() == len(self.review["claims"]) == self.report.claims_created
        for claim in claims:
            verdict = claim.approved_verdict
            assert verdict is not None, claim.review_key
            assert verdict.proposed_by == self.editor and verdict.reviewed_by == self.reviewer

    def test_loading_the_review_publishes_the_first_digest_with_all_its_claims(self):
        review = self.review
        digest = Digest.objects.get(slug=review["digests"][0]["slug"])
        assert digest.is_published
        assert [e.claim.review_key for e in digest.entries.select_related("claim")] == review[
            "digests"
        ][0]["claims"]
        assert all(e.snapshot["verdict"]["rating"] for e in digest.entries.all())
        rumour = digest.entries.get(claim__review_key="llama4-team-80pct-resigned")
        assert rumour.rating == Verdict.Rating.RUMOUR

    def test_the_review_describes_each_seed_outlet(self):
        seed_articles = self.seed_articles
        assert seed_articles["001"].source.kind == Source.Kind.SELF_MEDIA
        assert seed_articles["003"].source.kind == Source.Kind.UNKNOWN
        assert all(Source.objects.get(pk=a.source_id).notes for a in seed_articles.values())

    def test_a_reader_opening_the_site_sees_the_seed_review(self):
        page = self.client.get("/").content.decode()
        assert self.review["digests"][0]["title"] in page
        assert "Meta的Llama 4团队约80%的成员已经集体递交辞呈" in page
        assert Verdict.LABELS_ZH[Verdict.Rating.RUMOUR] in page
