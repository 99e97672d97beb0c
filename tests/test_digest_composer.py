"""Reviewers compose, preview, publish and correct digests at /review/digests/."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Digest, PublishedDigestError

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_claim(rumour_claim, reviewer):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    return rumour_claim


@pytest.fixture
def second_claim(seed_articles, editor, reviewer2):
    claim = services.create_claim(
        actor=editor,
        text="Llama 4团队有成员离职",
        evidence=[{"article": seed_articles["004"], "quote": "Llama 4"}],
    )
    verdict = services.propose_verdict(
        claim, actor=editor, rating="confirmed", rationale="Several reports agree."
    )
    services.approve_verdict(verdict, actor=reviewer2, claim_version=verdict.claim.version)
    return claim


def compose(client, title, claims, intro=""):
    """The composer's form as sent: the draft's claims in the order the page lists them."""
    data = {"title": title, "intro": intro, "claims": [c.pk for c in claims]}
    return client.post(reverse("review:digest_new"), data)


def test_a_reviewer_composes_previews_and_publishes_a_digest(client, reviewer, approved_claim):
    client.force_login(reviewer)
    page = client.get(reverse("review:digest_new"))
    assert page.status_code == 200
    assert approved_claim.text in page.content.decode()

    response = compose(client, "Meta裁员传言核查", [approved_claim], intro="本期核查。")
    digest = Digest.objects.get(title="Meta裁员传言核查")
    assert response.status_code == 302
    assert response["Location"] == reverse("review:digest_detail", args=[digest.pk])
    assert not digest.is_published

    preview = client.get(reverse("review:digest_preview", args=[digest.pk]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "预览" in html and "传言（未证实）" in html and approved_claim.text in html
    assert not digest.entries.get().snapshot, "the preview must not save a snapshot"

    confirm = client.get(reverse("review:digest_publish", args=[digest.pk]))
    assert "确认发布" in confirm.content.decode()
    published = client.post(reverse("review:digest_publish", args=[digest.pk]), {"confirm": "yes"})
    assert published.status_code == 302
    digest.refresh_from_db()
    assert digest.is_published and digest.published_by == reviewer
    assert client.get(digest.get_absolute_url()).status_code == 200


def test_publishing_needs_the_confirmation_step(client, reviewer, approved_claim):
    digest = services.create_digest(actor=reviewer, title="Draft", claims=[approved_claim])
    client.force_login(reviewer)
    response = client.post(reverse("review:digest_publish", args=[digest.pk]), {})
    assert response.status_code == 400
    assert "确认" in response.content.decode()
    digest.refresh_from_db()
    assert not digest.is_published


def test_claims_are_saved_in_the_order_the_form_lists_them(
    client, reviewer, approved_claim, second_claim
):
    client.force_login(reviewer)
    compose(client, "Ordered", [second_claim, approved_claim])
    digest = Digest.objects.get(title="Ordered")
    assert [e.claim for e in digest.entries.order_by("position")] == [second_claim, approved_claim]


def test_an_editor_can_look_at_digests_but_not_compose_or_publish(
    client, editor, reviewer, approved_claim
):
    digest = services.create_digest(actor=reviewer, title="Draft", claims=[approved_claim])
    client.force_login(editor)
    assert client.get(reverse("review:digest_list")).status_code == 200
    assert client.get(reverse("review:digest_detail", args=[digest.pk])).status_code == 200
    assert client.get(reverse("review:digest_preview", args=[digest.pk])).status_code == 200
    assert client.get(reverse("review:digest_new")).status_code == 403
    assert compose(client, "By an editor", [approved_claim]).status_code == 403
    refused = client.post(reverse("review:digest_publish", args=[digest.pk]), {"confirm": "yes"})
    assert refused.status_code == 403
    assert "审核员" in refused.content.decode()
    assert not Digest.objects.filter(title="By an editor").exists()
    digest.refresh_from_db()
    assert not digest.is_published


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("review:digest_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_claim_without_an_approved_verdict_is_refused_with_a_message(
    client, reviewer, rumour_claim
):
    client.force_login(reviewer)
    response = compose(client, "Too early", [rumour_claim])
    assert response.status_code == 400
    assert "还没有获批的结论" in response.content.decode()
    assert not Digest.objects.filter(title="Too early").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "Bad", "claims": ["abc"]},
        {"title": "Bad", "claims": ["999999"]},
        {"title": "", "claims": []},
    ],
)
def test_bad_composer_input_gives_a_message_and_stores_nothing(
    client, reviewer, approved_claim, data
):
    client.force_login(reviewer)
    response = client.post(reverse("review:digest_new"), data)
    assert response.status_code == 400
    assert not Digest.objects.exists()


def test_a_bad_move_gives_a_message(client, reviewer, approved_claim):
    client.force_login(reviewer)
    response = client.post(
        reverse("review:digest_new"),
        {"title": "Bad", "claims": [approved_claim.pk], "move": f"first:{approved_claim.pk}"},
    )
    assert response.status_code == 400
    assert "上移" in response.content.decode() and not Digest.objects.exists()


def test_a_draft_can_be_edited_before_publication(client, reviewer, approved_claim, second_claim):
    digest = services.create_digest(actor=reviewer, title="Draft", claims=[approved_claim])
    client.force_login(reviewer)
    response = client.post(
        reverse("review:digest_edit", args=[digest.pk]),
        {
            "title": "Renamed",
            "intro": "新导语",
            "claims": [approved_claim.pk, second_claim.pk],
        },
    )
    assert response.status_code == 302
    digest.refresh_from_db()
    assert digest.title == "Renamed" and digest.entries.count() == 2


def test_a_published_digest_is_never_offered_for_editing_and_a_post_is_refused(
    client, reviewer, published_digest
):
    client.force_login(reviewer)
    detail = client.get(
        reverse("review:digest_detail", args=[published_digest.pk])
    ).content.decode()
    assert reverse("review:digest_edit", args=[published_digest.pk]) not in detail
    assert reverse("review:digest_publish", args=[published_digest.pk]) not in detail
    assert reverse("review:digest_correct", args=[published_digest.pk]) in detail

    edit = client.post(
        reverse("review:digest_edit", args=[published_digest.pk]), {"title": "Changed"}
    )
    assert edit.status_code == 409
    assert "已经发布" in edit.content.decode()
    again = client.post(
        reverse("review:digest_publish", args=[published_digest.pk]), {"confirm": "yes"}
    )
    assert again.status_code == 409
    published_digest.refresh_from_db()
    assert published_digest.title == "Meta AI layoffs"


def test_a_published_digest_cannot_be_changed_or_deleted_by_code_either(published_digest, reviewer):
    with pytest.raises(PublishedDigestError):
        published_digest.title = "Changed"
        published_digest.save()
    with pytest.raises(PublishedDigestError):
        published_digest.delete()
    with pytest.raises(PublishedDigestError):
        Digest.objects.filter(pk=published_digest.pk).update(title="Changed")
    with pytest.raises(PublishedDigestError):
        Digest.objects.filter(pk=published_digest.pk).delete()
    with pytest.raises(PublishedDigestError):
        published_digest.entries.get().delete()
    with pytest.raises(services.ReviewError):
        services.update_draft_digest(
            published_digest, actor=reviewer, title="Changed", intro="", claims=[]
        )
    assert Digest.objects.get(pk=published_digest.pk).title == "Meta AI layoffs"


def test_a_published_digest_cannot_be_changed_in_the_admin(admin_client, published_digest):
    from django.contrib import admin

    from claims.models import Digest as DigestModel

    if DigestModel not in admin.site._registry:
        return  # no admin page for digests: nothing to change there
    url = reverse("admin:claims_digest_change", args=[published_digest.pk])
    admin_client.post(url, {"title": "Changed", "slug": "changed", "intro": "", "version": 1})
    delete = reverse("admin:claims_digest_delete", args=[published_digest.pk])
    admin_client.post(delete, {"post": "yes"})
    published_digest.refresh_from_db()
    assert published_digest.title == "Meta AI layoffs"


def test_a_reviewer_publishes_a_correction_as_a_new_version(client, reviewer, published_digest):
    client.force_login(reviewer)
    url = reverse("review:digest_correct", args=[published_digest.pk])
    empty = client.post(url, {"correction_note": ""})
    assert empty.status_code == 400

    response = client.post(url, {"correction_note": "更正了来源名称。"})
    correction = Digest.objects.get(corrects=published_digest)
    assert response["Location"] == reverse("review:digest_detail", args=[correction.pk])
    assert correction.version == 2 and not correction.is_published

    client.post(reverse("review:digest_publish", args=[correction.pk]), {"confirm": "yes"})
    correction.refresh_from_db()
    assert correction.is_published
    old_page = client.get(published_digest.get_absolute_url()).content.decode()
    assert correction.get_absolute_url() in old_page
    new_page = client.get(correction.get_absolute_url()).content.decode()
    assert "更正了来源名称。" in new_page and published_digest.get_absolute_url() in new_page


def test_a_draft_is_not_corrected_but_edited(client, reviewer, approved_claim):
    digest = services.create_digest(actor=reviewer, title="Draft", claims=[approved_claim])
    client.force_login(reviewer)
    response = client.post(
        reverse("review:digest_correct", args=[digest.pk]), {"correction_note": "x"}
    )
    assert response.status_code == 400
    assert not Digest.objects.filter(corrects=digest).exists()


def test_the_preview_warns_about_claims_that_lost_their_approved_verdict(
    client, reviewer, approved_claim, second_claim, editor
):
    digest = services.create_digest(
        actor=reviewer, title="Draft", claims=[approved_claim, second_claim]
    )
    # A newer verdict supersedes the approved one only once approved; simulate a claim whose
    # approval was withdrawn after it was put in the draft.
    second_claim.verdicts.update(status="superseded")
    client.force_login(reviewer)
    html = client.get(reverse("review:digest_preview", args=[digest.pk])).content.decode()
    assert "还没有获批的结论" in html and second_claim.text in html
    assert "application/ld+json" not in html, "a preview is not published data"
    refused = client.post(reverse("review:digest_publish", args=[digest.pk]), {"confirm": "yes"})
    assert refused.status_code == 400
    assert "还没有获批的结论" in refused.content.decode()
    digest.refresh_from_db()
    assert not digest.is_published
