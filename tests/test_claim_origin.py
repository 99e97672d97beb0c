"""Who made a claim and when: editors record the claimant, the date and the first appearance;
the API, the claim page and ClaimReview carry them, and a republished review says when it was
modified."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, Verdict
from newsroom.models import ApiToken
from tests.conftest import RUMOUR_QUOTE


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(user)[1]}")
    return client


def claim_review(claim_id):
    response = APIClient().get(f"/api/v1/claims/{claim_id}/claimreview/")
    assert response.status_code == 200, response.content
    return response.json()


def approve_and_publish(claim, reviewer, title="Digest"):
    claim.refresh_from_db()
    services.approve_verdict(
        claim.verdicts.get(status=Verdict.Status.PROPOSED),
        actor=reviewer,
        claim_version=claim.version,
    )
    digest = services.create_digest(actor=reviewer, title=title, claims=[claim])
    return services.publish_digest(digest, actor=reviewer)


@pytest.fixture
def origin_claim(seed_articles, editor):
    """A claim quoted from two articles, its claimant, date and first appearance recorded."""
    response = client_for(editor).post(
        "/api/v1/claims/",
        {
            "text": "Llama 4团队约80%成员辞职",
            "evidence": [
                {"article": seed_articles["004"].pk, "quote": RUMOUR_QUOTE},
                {"article": seed_articles["001"].pk, "quote": seed_articles["001"].body[:12]},
            ],
            "claimant": "網傳訊息",
            "claimant_kind": "person",
            "claimed_on": "2025-10-20",
            "first_appearance": seed_articles["001"].pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["claimant"] == {"name": "網傳訊息", "kind": "person"}
    assert body["claimed_on"] == "2025-10-20"
    assert body["first_appearance"] == seed_articles["001"].pk
    claim = Claim.objects.get(pk=body["id"])
    services.propose_verdict(claim, actor=editor, rating="rumour", rationale="未证实。")
    return claim


def test_claimreview_names_the_claimant_the_date_and_the_chosen_first_appearance(
    origin_claim, reviewer, seed_articles
):
    approve_and_publish(origin_claim, reviewer)
    item = claim_review(origin_claim.pk)["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "網傳訊息"}
    assert item["datePublished"] == "2025-10-20"
    assert item["firstAppearance"]["headline"] == seed_articles["001"].display_title
    assert len(item["appearance"]) == 2
    # In the Simplified reading the claimant is converted for display (Taiwan 訊息 is the
    # mainland 消息); it stays stored as typed.
    simplified = APIClient().get(f"/api/v1/claims/{origin_claim.pk}/claimreview/?script=hans")
    assert simplified.json()["itemReviewed"]["author"]["name"] == "网传消息"
    origin_claim.refresh_from_db()
    assert origin_claim.claimant == "網傳訊息"


def test_the_claim_page_says_who_made_the_claim_and_when(origin_claim, reviewer, client):
    approve_and_publish(origin_claim, reviewer)
    page = client.get(f"/claims/{origin_claim.pk}/").content.decode()
    assert "網傳訊息" in page
    assert '<time datetime="2025-10-20">' in page
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert any(json.loads(b)["itemReviewed"].get("author", {}).get("name") for b in blocks)


def test_the_public_api_reads_the_origin_as_published_not_as_edited_since(
    origin_claim, reviewer, editor
):
    approve_and_publish(origin_claim, reviewer)
    origin_claim.refresh_from_db()
    services.update_claim(
        origin_claim, actor=editor, version=origin_claim.version, claimant="某部落客"
    )
    public = APIClient().get(f"/api/v1/claims/{origin_claim.pk}/").json()
    assert public["claimant"] == {"name": "網傳訊息", "kind": "person"}
    assert client_for(editor).get(f"/api/v1/claims/{origin_claim.pk}/").json()["claimant"] == {
        "name": "某部落客",
        "kind": "person",
    }


def test_a_new_claimant_puts_an_approved_verdict_back_in_review(origin_claim, reviewer, editor):
    approve_and_publish(origin_claim, reviewer)
    origin_claim.refresh_from_db()
    services.update_claim(
        origin_claim,
        actor=editor,
        version=origin_claim.version,
        claimed_on=datetime.date(2025, 10, 19),
    )
    assert origin_claim.verdicts.get().status == Verdict.Status.PROPOSED


@pytest.mark.parametrize(
    "change, field",
    [
        ({"claimed_on": "2999-01-01"}, "claimed_on"),
        ({"claimant_kind": "robot"}, "claimant_kind"),
        ({"claimant": "x" * 201}, "claimant"),
        ({"claimant": "有\x07控制字元"}, "claimant"),
    ],
)
def test_a_bad_origin_is_refused_naming_the_field_and_nothing_is_stored(
    origin_claim, editor, change, field
):
    before = Claim.objects.values().get(pk=origin_claim.pk)
    response = client_for(editor).patch(
        f"/api/v1/claims/{origin_claim.pk}/",
        {"version": origin_claim.version, **change},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Claim.objects.values().get(pk=origin_claim.pk) == before


def test_a_first_appearance_the_evidence_does_not_quote_is_refused(seed_articles, editor):
    response = client_for(editor).post(
        "/api/v1/claims/",
        {
            "text": "Llama 4团队约80%成员辞职",
            "evidence": [{"article": seed_articles["004"].pk, "quote": RUMOUR_QUOTE}],
            "first_appearance": seed_articles["002"].pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "first_appearance" in response.json()
    assert not Claim.objects.exists()


def test_removing_the_quote_of_the_first_appearance_forgets_it(origin_claim, editor):
    evidence = origin_claim.evidence.get(article_id=origin_claim.first_appearance_id)
    services.remove_evidence(evidence, actor=editor)
    origin_claim.refresh_from_db()
    assert origin_claim.first_appearance is None


def test_without_a_recorded_claimant_the_first_appearances_outlet_is_the_author(
    published_digest, rumour_claim
):
    item = claim_review(rumour_claim.pk)["itemReviewed"]
    article = rumour_claim.evidence.get().article
    assert item["author"] == {"@type": "Organization", "name": article.source.name}


def test_a_corrected_review_keeps_its_first_date_and_says_when_it_was_modified(
    published_digest, rumour_claim, reviewer, editor
):
    first = claim_review(rumour_claim.pk)
    assert first["datePublished"] == published_digest.published_at.isoformat()
    assert "dateModified" not in first

    correction = services.start_correction(published_digest, actor=reviewer, note="措辞更正。")
    rumour_claim.refresh_from_db()
    services.update_claim(rumour_claim, actor=editor, version=rumour_claim.version, gloss="x")
    corrected = services.publish_digest(correction, actor=reviewer)
    review = claim_review(rumour_claim.pk)
    assert review["datePublished"] == published_digest.published_at.isoformat()
    assert review["dateModified"] == corrected.published_at.isoformat()
    assert corrected.published_at > published_digest.published_at
    assert timezone.now() >= corrected.published_at


def test_an_editor_records_the_origin_on_the_workbench(client, origin_claim, editor, seed_articles):
    client.force_login(editor)
    page = client.get(f"/review/claims/{origin_claim.pk}/").content.decode()
    assert 'name="claimant"' in page and 'value="網傳訊息"' in page
    response = client.post(
        f"/review/claims/{origin_claim.pk}/edit/",
        {
            "text": origin_claim.text,
            "gloss": "",
            "version": origin_claim.version,
            "claimant": "某論壇帖子",
            "claimant_kind": "organization",
            "claimed_on": "2025-10-18",
            "first_appearance": str(seed_articles["004"].pk),
        },
    )
    assert response.status_code == 302
    origin_claim.refresh_from_db()
    assert (origin_claim.claimant, origin_claim.claimed_on, origin_claim.first_appearance) == (
        "某論壇帖子",
        datetime.date(2025, 10, 18),
        seed_articles["004"],
    )
    # An article the evidence does not quote is not offered, and is refused if sent.
    refused = client.post(
        f"/review/claims/{origin_claim.pk}/edit/",
        {
            "text": origin_claim.text,
            "version": origin_claim.version,
            "first_appearance": str(seed_articles["002"].pk),
        },
    )
    assert refused.status_code == 400
    origin_claim.refresh_from_db()
    assert origin_claim.first_appearance == seed_articles["004"]


def test_the_review_file_carries_the_origin_both_ways(origin_claim, seed_articles, reviewer):
    from claims.review_file import export_data, load_review

    exported = export_data()
    item = next(c for c in exported["claims"] if c["text"] == origin_claim.text)
    assert item["claimant"] == "網傳訊息" and item["claimant_kind"] == "person"
    assert item["claimed_on"] == "2025-10-20"
    assert item["first_appearance"] == seed_articles["001"].filename
    item.update(claimant="某論壇帖子", claimed_on="2025-10-01")
    report = load_review(exported)
    origin_claim.refresh_from_db()
    assert (origin_claim.claimant, origin_claim.claimed_on) == (
        "某論壇帖子",
        datetime.date(2025, 10, 1),
    )
    assert report.claims_changed == 1
    item["first_appearance"] = seed_articles["002"].filename
    from claims.review_file import ReviewFileError

    with pytest.raises(ReviewFileError, match="first_appearance"):
        load_review(exported)


# --- a claim the desk may have already --------------------------------------------------------


def test_a_new_claim_like_an_existing_one_is_flagged_with_a_link(client, editor, rumour_claim):
    """The reader's new-claim form: the editor is told which claims it resembles."""
    article = rumour_claim.evidence.get().article
    start = article.body.index(RUMOUR_QUOTE)
    client.force_login(editor)
    response = client.post(
        f"/review/articles/{article.pk}/claims/new/",
        {
            "quote": RUMOUR_QUOTE,
            "start": start,
            "end": start + len(RUMOUR_QUOTE),
            "stance": "supports",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "这条主张与已有主张相似" in page
    assert f'<a href="/review/claims/{rumour_claim.pk}/">#{rumour_claim.pk} ' in page


def test_the_api_answers_a_new_claim_with_the_claims_it_resembles(editor, rumour_claim):
    article = rumour_claim.evidence.get().article
    response = client_for(editor).post(
        "/api/v1/claims/",
        {
            "text": "Llama 4团队约80%的成员已经辞职",
            "evidence": [{"article": article.pk, "quote": RUMOUR_QUOTE}],
        },
        format="json",
    )
    assert response.status_code == 201
    similar = response.json()["similar_claims"]
    assert similar and similar[0]["id"] == rumour_claim.pk
    assert similar[0]["url"].endswith(f"/api/v1/claims/{rumour_claim.pk}/")
    assert 0 < similar[0]["score"] <= 1


def test_a_claim_like_no_other_gets_no_warning(editor, rumour_claim, seed_articles):
    article = seed_articles["002"]
    quote = article.body[40:60]
    response = client_for(editor).post(
        "/api/v1/claims/",
        {"text": "苹果公司宣布在火星建厂", "evidence": [{"article": article.pk, "quote": quote}]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["similar_claims"] == []


# --- the sentence a claim comes from ----------------------------------------------------------


def test_a_claim_made_from_a_selection_records_it_as_where_it_is_claimed(
    client, editor, reviewer, seed_articles
):
    """Not as support: a claim rated false must not show its own source under a green 支持."""
    article = seed_articles["004"]
    start = article.body.index(RUMOUR_QUOTE)
    client.force_login(editor)
    page = client.get(f"/review/articles/{article.pk}/").content.decode()
    assert '<option value="source" selected>' in page
    client.post(
        f"/review/articles/{article.pk}/claims/new/",
        {
            "quote": RUMOUR_QUOTE,
            "start": start,
            "end": start + len(RUMOUR_QUOTE),
            "stance": "source",
        },
    )
    claim = Claim.objects.get()
    assert claim.evidence.get().stance == "source"
    services.propose_verdict(claim, actor=editor, rating="false", rationale="辟谣。")
    approve_and_publish(claim, reviewer)
    client.logout()
    public = client.get(f"/claims/{claim.pk}/").content.decode()
    assert '<span class="stance stance-source">主张出处</span>' in public
    assert "stance-supports" not in public
    hant = client.get(f"/claims/{claim.pk}/?script=hant").content.decode()
    assert "主張出處" in hant
