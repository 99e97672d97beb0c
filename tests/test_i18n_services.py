"""The desk's rules, forms and admin speak the editor's language: Simplified by default,
Traditional or English when the browser asks, English from the API unless the client asks for
another. What publication freezes (a verdict's English label) stays the same in every language."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from claims import services
from claims.forms import BulkActionForm, VerdictForm
from claims.models import Digest, Evidence, Verdict
from newsroom.models import ApiToken
from sources.forms import ArticleUploadForm
from sources.models import Source

OWN_VERDICT = {
    None: "任何人都不能批准自己提出的结论：须由另一位编辑审核。",
    "en": "Nobody approves their own verdict: a second editor must review it.",
    "zh-hant": "任何人都不能批准自己提出的結論：須由另一位編輯審核。",
    "zh-hant-hk": "任何人都不能批准自己提出的結論：須由另一位編輯審核。",
}


def _headers(language):
    return {"HTTP_ACCEPT_LANGUAGE": language} if language else {}


@pytest.fixture
def own_verdict(rumour_claim, reviewer):
    """A verdict the reviewer proposed herself: she may not approve it."""
    return services.propose_verdict(
        rumour_claim, actor=reviewer, rating="false", rationale="Denied by the team."
    )


# --- a refused action, on a review page and from the API ------------------------------------


@pytest.mark.parametrize("language", [None, "en", "zh-hant", "zh-hant-hk"])
def test_a_refused_approval_reads_in_the_editors_language(client, reviewer, own_verdict, language):
    client.force_login(reviewer)
    response = client.post(
        reverse("review:verdict_approve", args=[own_verdict.pk]),
        {"claim_version": own_verdict.claim.version},
        **_headers(language),
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert OWN_VERDICT[language] in page
    for other in {m for lang, m in OWN_VERDICT.items() if m != OWN_VERDICT[language]}:
        assert other not in page
    assert Verdict.objects.get(pk=own_verdict.pk).status == Verdict.Status.PROPOSED


def test_a_form_error_from_the_rules_reads_in_the_editors_language(client, editor, seed_articles):
    article = seed_articles["001"]
    url = reverse("review:article_new_claim", args=[article.pk])
    data = {"quote": "文章里没有这句话", "text": "我的主张", "stance": "supports"}
    client.force_login(editor)
    hans = client.post(url, data).content.decode()
    hant = client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    english = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"文章 #{article.pk}" in hans and "中没有引文" in hans
    assert "中沒有引文「文章里没有这句话」" in hant
    assert f"The quote “文章里没有这句话” is not in article #{article.pk}" in english


def _api(user, **headers):
    client = APIClient(**headers)
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(user)[1]}")
    return client


def test_the_api_refuses_in_english_unless_the_client_asks_for_another_language(
    reviewer, own_verdict
):
    url = f"/api/v1/verdicts/{own_verdict.pk}/approve/"
    body = {"claim_version": own_verdict.claim.version}
    english = _api(reviewer).post(url, body, format="json")
    assert english.status_code == 403
    assert english.json()["detail"] == OWN_VERDICT["en"]
    chinese = _api(reviewer, HTTP_ACCEPT_LANGUAGE="zh-hans").post(url, body, format="json")
    assert chinese.status_code == 403 and chinese.json()["detail"] == OWN_VERDICT[None]


def test_a_service_refusal_is_worded_when_it_is_raised(rumour_claim, reviewer):
    """The message is translated at raise time, in the language active then."""
    for language, expected in (
        ("en", "Say why the verdict is sent back."),
        ("zh-hans", "请说明退回结论的原因。"),
        ("zh-hant", "請說明退回結論的原因。"),
    ):
        with translation.override(language):
            with pytest.raises(services.ReviewError) as refused:
                services.send_back_verdict(rumour_claim.verdicts.get(), actor=reviewer, comment="")
        assert refused.value.message == expected and refused.value.field == "comment"


def test_messages_built_from_parts_are_whole_sentences(rumour_claim, reviewer, editor):
    verdict = rumour_claim.verdicts.get()
    services.approve_verdict(verdict, actor=reviewer, claim_version=rumour_claim.version)
    with translation.override("en"):
        with pytest.raises(services.ReviewError, match="already approved, not waiting"):
            services.check_reviewable(Verdict.objects.get(pk=verdict.pk), actor=reviewer)
        with pytest.raises(services.ReviewError) as control:
            services.update_claim(
                rumour_claim, actor=editor, version=rumour_claim.version, claimant="网\x0b传"
            )
    assert control.value.message == (
        "The claimant contains the control character U+000B at position 2; remove it."
    )
    with translation.override("zh-hant"):
        with pytest.raises(services.ReviewError) as control:
            services.update_claim(
                rumour_claim, actor=editor, version=rumour_claim.version, claimant="网\x0b传"
            )
    assert control.value.message == "主張提出者的第 2 個字是控制字元 U+000B，請刪除。"


# --- forms ------------------------------------------------------------------------------------


def test_a_forms_labels_choices_and_errors_follow_the_language(db):
    expected = {
        "zh-hans": ("结论", "属实", "请选择一个结论：属实、有争议、传言（未证实）、不实"),
        "zh-hant": ("結論", "屬實", "請選擇一個結論：屬實、有爭議、傳言（未證實）、不實"),
        "en": (
            "Verdict",
            "Confirmed",
            "Choose a verdict: Confirmed, Disputed, Rumour (unverified), False",
        ),
    }
    for language, (label, confirmed, required) in expected.items():
        with translation.override(language):
            form = VerdictForm({"rating": "", "rationale": "理由"})
            assert not form.is_valid()
            assert str(form.fields["rating"].label) == label
            assert dict(form.fields["rating"].choices)["confirmed"] == confirmed
            assert form.errors["rating"] == [required]


def test_the_bulk_form_counts_claims_in_the_language(db, editor, reviewer):
    draft = services.create_digest(actor=reviewer, title="草稿")
    draft.entry_count = 1
    with translation.override("en"):
        form = BulkActionForm({}, user=editor, members=[editor], drafts=[draft])
        assert f"#{draft.pk} 草稿 (1 claim)" in dict(form.fields["digest"].choices).values()
        assert form.errors["claims"] == ["Tick the claims to act on first."]
    with translation.override("zh-hans"):
        form = BulkActionForm({}, user=editor, members=[editor], drafts=[draft])
        assert f"#{draft.pk} 草稿（1 条）" in dict(form.fields["digest"].choices).values()
        assert form.errors["claims"] == ["请先勾选要处理的主张。"]


def test_the_review_page_labels_follow_the_browser(client, editor, rumour_claim):
    client.force_login(editor)
    url = reverse("review:claim", args=[rumour_claim.pk])
    assert "主张文字" in client.get(url).content.decode()
    assert "主張文字" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "Claim text" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_upload_form_and_model_choices_follow_the_language(db):
    with translation.override("en"):
        form = ArticleUploadForm()
        assert str(form.fields["files"].label) == "Article files"
        assert Source(kind=Source.Kind.WIRE).get_kind_display() == "News agency"
        assert Evidence(stance="supports").get_stance_display() == "Supports"
    with translation.override("zh-hant"):
        assert str(ArticleUploadForm().fields["encoding"].label) == "編碼"
        assert Source(kind=Source.Kind.SOCIAL).get_kind_display() == "社群媒體作者"
        assert Evidence(stance="source").get_stance_display() == "主張出處"
    with translation.override("zh-hans"):
        assert Evidence(stance="contradicts").get_stance_display() == "反驳"


def test_what_publication_freezes_is_the_same_in_every_language(rumour_claim, reviewer):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    with translation.override("zh-hant"):
        digest = services.create_digest(actor=reviewer, title="T", claims=[rumour_claim])
        services.publish_digest(digest, actor=reviewer)
    verdict = digest.entries.get().snapshot["verdict"]
    assert (verdict["label"], verdict["label_zh"]) == ("rumour — unverified", "传言（未证实）")


# --- the admin --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, claims, sources",
    [(None, "主张", "来源"), ("zh-hant", "主張", "來源"), ("en", "Claims", "Sources")],
)
def test_the_admins_model_names_follow_the_language(admin_client, language, claims, sources):
    page = admin_client.get(reverse("admin:index"), **_headers(language)).content.decode()
    assert f">{claims}</a>" in page and f">{sources}</a>" in page


@pytest.mark.parametrize(
    "language, refused",
    [
        (None, "“空草稿”未发布：摘要至少需要一条主张。"),
        ("zh-hant", "「空草稿」未發布：摘要至少需要一條主張。"),
        ("en", "“空草稿” was not published: A digest needs at least one claim."),
    ],
)
def test_an_admin_message_follows_the_language(admin_client, reviewer, language, refused):
    empty = services.create_digest(actor=reviewer, title="空草稿")
    response = admin_client.post(
        reverse("admin:claims_digest_changelist"),
        {"action": "publish_selected", "_selected_action": [empty.pk]},
        **_headers(language),
    )
    assert refused in [str(m) for m in get_messages(response.wsgi_request)]
    assert not Digest.objects.get(pk=empty.pk).is_published


def test_the_admin_approval_note_follows_the_language(admin_client, rumour_claim):
    verdict = rumour_claim.verdicts.get()
    url = reverse("admin:claims_verdict_change", args=[verdict.pk])
    hans = admin_client.get(url).content.decode()
    english = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"你批准的是这条主张的第 {rumour_claim.version} 版" in hans
    assert 'value="批准此结论"' in hans
    assert f"You are approving version {rumour_claim.version} of this claim" in english
    assert "传言（未证实）" in hans and "Rumour (unverified)" in english
