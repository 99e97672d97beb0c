"""`manage.py synth`: synthetic data that obeys the desk's rules, so that benchmarks and
query-count checks measure what real data would cost."""

import pytest
from django.core.management import call_command

from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from sources import text as scripts
from sources.models import Article, content_fingerprint


@pytest.fixture
def synth(db):
    call_command(
        "synth",
        articles=12,
        claims_per_article=3,
        claims_per_digest=5,
        seed=3,
        batch=5,
        quiet=True,
        stdout=open("/dev/null", "w"),
    )


def test_synth_makes_the_articles_and_claims_asked_for(synth):
    assert Article.objects.count() == 12
    assert Claim.objects.count() == 36
    # 36 claims, five per digest: seven full digests and one of one claim.
    assert Digest.objects.published().count() == 8


def test_every_evidence_quote_is_the_article_text_at_its_offsets(synth):
    evidence = list(Evidence.objects.select_related("article"))
    assert len(evidence) == 36
    for item in evidence:
        assert item.quote and item.article.body[item.start : item.end] == item.quote
        item.full_clean()  # the model's own consistency check agrees


def test_articles_carry_what_save_would_compute(synth):
    for article in Article.objects.all():
        assert article.search_text == scripts.fold(f"{article.title}\n{article.body}")
        assert article.fingerprint == content_fingerprint(article.body)
    assert {a.script for a in Article.objects.all()} >= {scripts.HANS, scripts.HANT}


def test_every_claim_has_one_verdict_approved_by_someone_else(synth):
    for claim in Claim.objects.prefetch_related("verdicts"):
        (verdict,) = claim.verdicts.all()
        assert verdict.status == Verdict.Status.APPROVED
        assert verdict.reviewed_by_id and verdict.reviewed_by_id != verdict.proposed_by_id
        assert claim.search_text == scripts.fold(claim.text)


def test_every_claim_is_published_with_a_frozen_snapshot(synth):
    for claim in Claim.objects.select_related("published_entry__digest"):
        entry = claim.published_entry
        assert entry is not None and entry.digest.is_published
        assert entry.snapshot["id"] == claim.pk and entry.snapshot["text"] == claim.text
        assert entry.snapshot["verdict"]["rating"] == entry.rating
        quote = entry.snapshot["evidence"][0]
        article = Article.objects.get(pk=quote["article"]["id"])
        assert article.body[quote["start"] : quote["end"]] == quote["quote"]
        assert list(entry.articles.values_list("pk", flat=True)) == [article.pk]
    assert DigestEntry.objects.count() == 36


def test_published_synthetic_claims_are_in_the_public_api(synth, client):
    answer = client.get("/api/v1/claims/", {"page_size": 100})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 36
    assert {c["id"] for c in body["results"]} == set(Claim.objects.values_list("pk", flat=True))
    assert all(c["verdict"]["rating"] for c in body["results"])


def test_running_synth_again_adds_more_distinct_data(synth):
    call_command(
        "synth", articles=4, claims_per_article=2, seed=3, quiet=True, stdout=open("/dev/null", "w")
    )
    assert Article.objects.count() == 16
    assert Claim.objects.count() == 44


def test_synth_refuses_negative_counts(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("synth", articles=-1, quiet=True)
