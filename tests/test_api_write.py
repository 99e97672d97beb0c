"""Editors write through the API with the review pages' rules (claims.services): anchoring by
quote, four eyes, no lost edits; JSON errors with a message per field."""

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, Evidence, Verdict
from newsroom.models import ApiToken
from tests.conftest import RUMOUR_QUOTE


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(user)[1]}")
    return client


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return client_for(reviewer)


def test_an_editor_creates_a_claim_anchored_by_quote(editor_client, seed_articles):
    article = seed_articles["004"]
    response = editor_client.post(
        "/api/v1/claims/",
        {
            "text": "Llama 4团队约80%成员辞职",
            # Typed in Simplified; the article is Traditional: the server finds it all the same.
            "evidence": [
                {"article": article.pk, "quote": "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈"}
            ],
            "gloss": "80% of the Llama 4 team resigned",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    claim = response.json()
    assert claim["text"] == "Llama 4团队约80%成员辞职"
    assert claim["verdict"] is None
    [evidence] = claim["evidence"]
    assert evidence["quote"] == RUMOUR_QUOTE
    assert article.body[evidence["start"] : evidence["end"]] == RUMOUR_QUOTE
    assert evidence["article"]["id"] == article.pk
    assert Claim.objects.get().created_by.username == "editor"


def test_a_quote_that_is_not_in_the_article_is_a_400_and_nothing_is_stored(
    editor_client, seed_articles
):
    response = editor_client.post(
        "/api/v1/claims/",
        {
            "text": "Meta裁掉了一万人",
            "evidence": [
                {"article": seed_articles["004"].pk, "quote": RUMOUR_QUOTE},
                {"article": seed_articles["001"].pk, "quote": "Meta裁掉了一万人"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "not in article" in body["detail"]
    assert body["quote"] == [body["detail"]]
    assert Claim.objects.count() == 0
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x", "evidence": [{"article": 999999, "quote": "a"}]}, "evidence"),
        ({"text": "x", "evidence": [{"article": None, "quote": "a"}]}, "article"),
        ({"text": "x", "evidence": [{"url": "not a url"}]}, "evidence"),
        ({"text": "x", "evidence": [{"article": 1, "quote": "a", "stance": "maybe"}]}, "evidence"),
    ],
)
def test_bad_claim_input_is_a_400_with_a_message_for_the_field(
    editor_client, seed_articles, payload, field
):
    response = editor_client.post("/api/v1/claims/", payload, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    assert field in body
    assert Claim.objects.count() == 0


def test_evidence_can_be_an_article_quote_or_an_outside_citation(
    editor_client, rumour_claim, seed_articles
):
    url = f"/api/v1/claims/{rumour_claim.pk}/evidence/"
    response = editor_client.post(
        url,
        {"article": seed_articles["004"].pk, "quote": "這是不精準的", "stance": "contradicts"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stance"] == "contradicts"
    response = editor_client.post(
        url,
        {
            "url": "https://www.wsj.com/tech/ai/meta-ai-layoffs",
            "citation_title": "WSJ report",
            "publisher": "WSJ",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    citation = response.json()
    assert citation["article"] is None and citation["start"] is None
    assert citation["url"] == "https://www.wsj.com/tech/ai/meta-ai-layoffs"
    assert rumour_claim.evidence.count() == 3
    response = editor_client.post(url, {"stance": "context"}, format="json")
    assert response.status_code == 400
    assert "article" in response.json()


def test_a_stale_edit_is_a_409_with_the_current_version(editor_client, rumour_claim, editor2):
    services.update_claim(rumour_claim, actor=editor2, version=1, text="别人先改了")
    response = editor_client.patch(
        f"/api/v1/claims/{rumour_claim.pk}/", {"text": "我的修改", "version": 1}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["version"] == 2
    assert body["current"]["text"] == "别人先改了"
    assert body["version"] and body["detail"]
    assert Claim.objects.get(pk=rumour_claim.pk).text == "别人先改了"


def test_an_edit_against_the_current_version_is_saved(editor_client, rumour_claim):
    response = editor_client.patch(
        f"/api/v1/claims/{rumour_claim.pk}/", {"text": "新文字", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "新文字"
    assert response.json()["version"] == 2
    response = editor_client.patch(
        f"/api/v1/claims/{rumour_claim.pk}/", {"text": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_four_eyes_through_the_api(editor_client, reviewer_client, seed_articles, editor, reviewer):
    claim = services.create_claim(
        actor=editor,
        text="600个岗位被裁",
        evidence=[{"article": seed_articles["001"], "quote": "600个岗位被裁"}],
    )
    response = editor_client.post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": "confirmed", "rationale": "Several reports."},
        format="json",
    )
    assert response.status_code == 201, response.content
    verdict = response.json()
    assert verdict["status"] == "proposed" and verdict["proposed_by"] == "editor"

    # The proposer cannot approve; neither can an editor who is not a reviewer.
    response = editor_client.post(f"/api/v1/verdicts/{verdict['id']}/approve/")
    assert response.status_code == 403
    assert response.json()["detail"]
    # A reviewer who proposed cannot approve her own either.
    own = reviewer_client.post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": "confirmed", "rationale": "Mine."},
        format="json",
    ).json()
    assert reviewer_client.post(f"/api/v1/verdicts/{own['id']}/approve/").status_code == 403
    assert Verdict.objects.filter(status="approved").count() == 0

    # The editor proposes again (superseding the reviewer's); a second person approves.
    again = editor_client.post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": "confirmed", "rationale": "Several reports."},
        format="json",
    ).json()
    read = editor_client.get(f"/api/v1/claims/{claim.pk}/").json()["version"]
    response = reviewer_client.post(
        f"/api/v1/verdicts/{again['id']}/approve/", {"claim_version": read}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert response.json()["reviewed_by"] == "reviewer"
    claim_now = editor_client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert claim_now["verdict"]["rating"] == "confirmed"
    # Approving twice, or sending back what is approved, is a conflict with the verdict's
    # state (409, as schema and contract say), refused with the reason.
    response = reviewer_client.post(
        f"/api/v1/verdicts/{again['id']}/approve/", {"claim_version": read}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This verdict is already approved, not waiting for review."
    }
    response = reviewer_client.post(
        f"/api/v1/verdicts/{again['id']}/send-back/", {"comment": "Too late."}, format="json"
    )
    assert response.status_code == 409
    assert "already approved" in response.json()["detail"]
    assert Verdict.objects.get(pk=again["id"]).status == "approved"


def test_an_editor_who_is_not_a_reviewer_gets_403(rumour_claim, editor2):
    verdict = rumour_claim.verdicts.get()
    response = client_for(editor2).post(f"/api/v1/verdicts/{verdict.pk}/approve/")
    assert response.status_code == 403
    assert "reviewer" in response.json()["detail"].lower()


def test_a_reviewer_sends_a_verdict_back_with_a_comment(reviewer_client, rumour_claim):
    verdict = rumour_claim.verdicts.get()
    response = reviewer_client.post(f"/api/v1/verdicts/{verdict.pk}/send-back/", {}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()
    response = reviewer_client.post(
        f"/api/v1/verdicts/{verdict.pk}/send-back/",
        {"comment": "Find the WSJ article."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "sent_back"


def test_an_unknown_rating_is_a_400(editor_client, rumour_claim):
    response = editor_client.post(
        f"/api/v1/claims/{rumour_claim.pk}/verdicts/",
        {"rating": "probably", "rationale": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "rating" in response.json()


def _writes_needing_credentials():
    """(method, path, documented statuses) of every write the served schema marks as needing
    a token or a session."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [
        (method, path, sorted(operation["responses"]))
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete") and operation.get("security")
    ]


WRITES = _writes_needing_credentials()


def test_every_write_but_signing_in_needs_credentials():
    assert len(WRITES) >= 12
    # how an integrator gets a token
    assert ("post", "/api/v1/auth/token/") not in [(m, p) for m, p, _ in WRITES]


@pytest.mark.parametrize("method, path, documented", WRITES)
def test_anonymous_writes_are_refused(rumour_claim, method, path, documented):
    """Each is a 401 that the schema documents, asks for a token, and stores nothing."""
    assert "401" in documented
    verdict = rumour_claim.verdicts.get()
    target = verdict.pk if path.startswith("/api/v1/verdicts/") else rumour_claim.pk
    before = (Claim.objects.count(), Verdict.objects.count(), Evidence.objects.count())
    response = getattr(APIClient(), method)(
        path.replace("{id}", str(target)),
        {"text": "x", "version": 1, "rating": "false", "rationale": "x", "comment": "x"},
        format="json",
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED
    assert (Claim.objects.count(), Verdict.objects.count(), Evidence.objects.count()) == before
    assert not ApiToken.objects.exists()


def test_a_reader_without_the_editor_role_cannot_write(db, rumour_claim):
    from django.contrib.auth.models import User

    reader = User.objects.create_user("reader", password="pw-for-tests-only")
    response = client_for(reader).post("/api/v1/claims/", {"text": "x"}, format="json")
    assert response.status_code == 403


def test_a_script_gets_a_token_with_username_and_password(editor, seed_articles):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "editor", "password": "wrong"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["detail"]
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "editor", "password": "pw-for-tests-only"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post("/api/v1/claims/", {"text": "新的声明"}, format="json")
    assert response.status_code == 201
    assert client.get("/api/v1/claims/").json()["count"] == 1


def test_session_writes_need_the_csrf_token(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/api/v1/claims/", {"text": "新的声明"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    client.get("/api/v1/claims/")  # a page view gives the browser its CSRF cookie
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(
        "/api/v1/claims/", {"text": "新的声明"}, format="json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 201
    assert Claim.objects.count() == 1


def test_evidence_whose_quote_is_not_in_the_article_is_a_400_and_nothing_is_stored(
    editor_client, rumour_claim, seed_articles
):
    response = editor_client.post(
        f"/api/v1/claims/{rumour_claim.pk}/evidence/",
        {"article": seed_articles["001"].pk, "quote": "这句话不在文章里"},
        format="json",
    )
    assert response.status_code == 400
    assert "not in article" in response.json()["quote"][0]
    assert rumour_claim.evidence.count() == 1


def test_editors_see_draft_digests_and_readers_do_not(editor_client, rumour_claim, reviewer):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    draft = services.create_digest(actor=reviewer, title="Draft digest", claims=[rumour_claim])
    [digest] = editor_client.get("/api/v1/digests/").json()["results"]
    assert digest["id"] == draft.pk
    assert digest["published_at"] is None and digest["url"] is None
    assert digest["claim_count"] == 1
    whole = editor_client.get(f"/api/v1/digests/{draft.pk}/").json()
    assert whole["claims"][0]["rating"] == "rumour"
    assert APIClient().get("/api/v1/digests/").json()["count"] == 0
