"""The desk's rules, as claims/services.py keeps them for every entry point."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import services
from claims.models import Claim, Digest, Evidence, PublishedDigestError, Verdict
from sources.models import Article, Source
from tests.conftest import RUMOUR_QUOTE


def test_a_quote_typed_in_simplified_is_anchored_in_a_traditional_article(seed_articles, editor):
    article = seed_articles["004"]
    start, end, quote = services.anchor_quote(
        article, "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈"
    )
    assert quote == RUMOUR_QUOTE
    assert article.body[start:end] == RUMOUR_QUOTE


def test_offsets_count_code_points_outside_the_basic_plane(db, editor):
    article = Article.objects.create(
        source=Source.unknown(), body="他說：搭𨋢去九龍，再轉車。", script="hant"
    )
    start, end, quote = services.anchor_quote(article, "去九龍")
    assert (start, end) == (5, 8)
    assert quote == "去九龍"


def test_a_quote_that_is_not_in_the_article_stores_no_claim(seed_articles, editor):
    with pytest.raises(services.QuoteNotFound, match="中没有引文"):
        services.create_claim(
            actor=editor,
            text="Meta裁掉了一万人",
            evidence=[{"article": seed_articles["001"], "quote": "Meta裁掉了一万人"}],
        )
    assert Claim.objects.count() == 0


def test_the_nearest_occurrence_wins_when_a_quote_repeats(seed_articles):
    article = seed_articles["000"]
    first = article.body.find("Meta")
    later = article.body.find("Meta", first + 1000)
    assert services.anchor_quote(article, "Meta", start=later - 3)[0] == later


def test_an_editor_cannot_approve_her_own_verdict(rumour_claim, editor):
    verdict = rumour_claim.verdicts.get()
    with pytest.raises(services.NotAllowed):
        services.approve_verdict(verdict, actor=editor, claim_version=verdict.claim.version)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED


def test_a_reviewer_cannot_approve_her_own_verdict(rumour_claim, reviewer):
    verdict = services.propose_verdict(
        rumour_claim, actor=reviewer, rating="rumour", rationale="Second-hand post."
    )
    with pytest.raises(services.NotAllowed, match="自己提出的结论"):
        services.approve_verdict(verdict, actor=reviewer, claim_version=verdict.claim.version)


def test_an_editor_who_is_not_a_reviewer_cannot_approve(rumour_claim, editor2):
    with pytest.raises(services.NotAllowed, match="只有审核员"):
        services.approve_verdict(
            rumour_claim.verdicts.get(), actor=editor2, claim_version=rumour_claim.version
        )


def test_the_database_refuses_a_verdict_reviewed_by_its_proposer(rumour_claim, editor):
    verdict = rumour_claim.verdicts.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(
            status="approved", reviewed_by=editor, reviewed_at=timezone.now()
        )


def test_a_new_approved_verdict_supersedes_the_old_one_and_history_is_kept(
    rumour_claim, editor, reviewer
):
    first = services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    second = services.propose_verdict(
        rumour_claim, actor=editor, rating="disputed", rationale="New reporting."
    )
    services.approve_verdict(second, actor=reviewer, claim_version=second.claim.version)
    first.refresh_from_db()
    assert first.status == Verdict.Status.SUPERSEDED
    assert Claim.objects.get(pk=rumour_claim.pk).approved_verdict == second
    assert rumour_claim.verdicts.count() == 2


def test_sending_back_needs_a_reason(rumour_claim, reviewer):
    with pytest.raises(services.ReviewError, match="原因"):
        services.send_back_verdict(rumour_claim.verdicts.get(), actor=reviewer, comment="  ")
    verdict = services.send_back_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, comment="Cite the post."
    )
    assert verdict.status == Verdict.Status.SENT_BACK


def test_the_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost(
    rumour_claim, editor, editor2
):
    opened_version = rumour_claim.version
    services.update_claim(
        rumour_claim, actor=editor, version=opened_version, text="约80%的Llama 4团队成员辞职"
    )
    with pytest.raises(services.StaleEdit) as refused:
        services.update_claim(
            rumour_claim, actor=editor2, version=opened_version, text="Llama 4团队集体辞职"
        )
    assert refused.value.current.text == "约80%的Llama 4团队成员辞职"
    claim = Claim.objects.get(pk=rumour_claim.pk)
    assert claim.text == "约80%的Llama 4团队成员辞职"
    assert claim.history.count() == 2  # created, then the first edit: both kept


def test_evidence_is_either_a_span_or_a_citation(rumour_claim, editor):
    with pytest.raises(services.ReviewError):
        services.add_evidence(rumour_claim, actor=editor)
    citation = services.add_evidence(
        rumour_claim,
        actor=editor,
        url="https://x.com/kalomaze",
        citation_title="@kalomaze on X",
        publisher="X",
        stance="context",
    )
    assert citation.is_citation
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.filter(pk=citation.pk).update(url="", citation_title="")


def test_an_article_with_evidence_cannot_be_deleted(rumour_claim, seed_articles):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        seed_articles["004"].delete()


def test_a_claim_without_an_approved_verdict_goes_into_no_digest(rumour_claim, reviewer):
    with pytest.raises(services.ReviewError, match="还没有获批的结论"):
        services.create_digest(actor=reviewer, title="Draft", claims=[rumour_claim])
    assert not Digest.objects.exists()


def test_a_draft_whose_claim_went_back_to_review_cannot_be_published(
    rumour_claim, reviewer, editor
):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    digest = services.create_digest(actor=reviewer, title="Draft", claims=[rumour_claim])
    services.update_claim(rumour_claim, actor=editor, version=rumour_claim.version, text="新的说法")
    with pytest.raises(services.ReviewError, match="还没有获批的结论"):
        services.publish_digest(digest, actor=reviewer)
    assert not Digest.objects.get(pk=digest.pk).is_published


# --- an approval is for the version the reviewer read ----------------------------------------


def test_an_approval_for_a_version_the_claim_has_left_is_refused(
    rumour_claim, reviewer, editor, seed_articles
):
    read = rumour_claim.version
    services.add_evidence(
        rumour_claim, actor=editor, article=seed_articles["001"], quote="600个岗位被裁"
    )
    with pytest.raises(services.StaleApproval) as refused:
        services.approve_verdict(rumour_claim.verdicts.get(), actor=reviewer, claim_version=read)
    assert refused.value.status_code == 409
    assert rumour_claim.verdicts.get().status == Verdict.Status.PROPOSED


@pytest.mark.parametrize("change", ["text", "add evidence", "change evidence", "remove evidence"])
def test_changing_what_an_approved_claim_says_puts_its_verdict_back_in_review(
    rumour_claim, reviewer, editor, seed_articles, change
):
    verdict = services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    evidence = rumour_claim.evidence.get()
    if change == "text":
        services.update_claim(
            rumour_claim, actor=editor, version=rumour_claim.version, text="另一种说法"
        )
    elif change == "add evidence":
        services.add_evidence(
            rumour_claim, actor=editor, article=seed_articles["001"], quote="600个岗位被裁"
        )
    elif change == "change evidence":
        services.update_evidence(evidence, actor=editor, stance=Evidence.Stance.CONTRADICTS)
    else:
        services.remove_evidence(evidence, actor=editor)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED and verdict.reviewed_by is None
    assert rumour_claim.approved_verdict is None
    # The approval stays in the verdict's history.
    assert verdict.history.filter(status=Verdict.Status.APPROVED, reviewed_by=reviewer).exists()
    # A second editor approves the new version; then it can be published again.
    claim = Claim.objects.get(pk=rumour_claim.pk)
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    assert services.publish_digest(
        services.create_digest(actor=reviewer, title="Again", claims=[claim]), actor=reviewer
    ).is_published


def test_a_new_english_gloss_does_not_reopen_the_verdict(rumour_claim, reviewer, editor):
    verdict = services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, gloss="About 80% resigned"
    )
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.APPROVED


def test_each_publication_points_its_claims_at_the_newest_entry(
    published_digest, rumour_claim, reviewer
):
    first = Claim.objects.get(pk=rumour_claim.pk).published_entry
    second = services.publish_digest(
        services.create_digest(actor=reviewer, title="Second", claims=[rumour_claim]),
        actor=reviewer,
    )
    claim = Claim.objects.get(pk=rumour_claim.pk)
    assert claim.published_entry.digest == second and claim.published_entry != first
    assert second.published_at > published_digest.published_at


def test_an_editor_cannot_publish(rumour_claim, reviewer, editor):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    digest = services.create_digest(actor=reviewer, title="Draft", claims=[rumour_claim])
    with pytest.raises(services.NotAllowed):
        services.publish_digest(digest, actor=editor)


def test_a_published_digest_never_changes(published_digest, rumour_claim, editor):
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="改过的主张"
    )
    entry = published_digest.entries.get()
    entry.refresh_from_db()
    assert entry.snapshot["text"] == "Meta的Llama 4团队约80%的成员已经辞职"
    published_digest.title = "Changed"
    with pytest.raises(PublishedDigestError):
        published_digest.save()
    with pytest.raises(PublishedDigestError):
        published_digest.delete()
    with pytest.raises(PublishedDigestError):
        Digest.objects.filter(pk=published_digest.pk).update(title="Changed")
    with pytest.raises(PublishedDigestError):
        entry.delete()


def test_a_correction_is_a_new_version_that_points_at_the_old(published_digest, reviewer):
    correction = services.start_correction(
        published_digest, actor=reviewer, note="Added the staff denial."
    )
    assert correction.version == 2 and correction.corrects == published_digest
    assert list(correction.entries.values_list("claim", flat=True)) == list(
        published_digest.entries.values_list("claim", flat=True)
    )
    services.publish_digest(correction, actor=reviewer)
    published_digest.refresh_from_db()
    assert published_digest.corrected_by == correction
    with pytest.raises(services.ReviewError):
        services.start_correction(published_digest, actor=reviewer, note="again")


def test_a_published_claim_points_at_its_latest_frozen_entry(published_digest, rumour_claim):
    claim = Claim.objects.get(pk=rumour_claim.pk)
    assert claim.published_entry.digest == published_digest
