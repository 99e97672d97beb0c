"""API tokens (newsroom.models.ApiToken, claims.api.tokens): issued for a username and
password, expiring after NEWSROOM_TOKEN_TTL seconds, listed and revoked by their owner,
revoked all at once when the password changes, and stored only as a digest."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from newsroom.models import ApiToken

PASSWORD = "pw-for-tests-only"
TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Many logins per test: a cheap hasher first (and PBKDF2 still understood)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def issue(username="editor", password=PASSWORD, **extra):
    return APIClient().post(
        TOKEN, {"username": username, "password": password, **extra}, format="json"
    )


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def can_write(key):
    """Whether the token still works: an editor's write through the API."""
    return (
        with_token(key).post("/api/v1/claims/", {"text": "新的声明"}, format="json").status_code
        == 201
    )


def test_a_token_is_issued_for_the_right_password_and_expires_in_thirty_days(editor):
    before = timezone.now()
    response = issue(name="nightly import")
    assert response.status_code == 200
    body = response.json()
    expires = parse_datetime(body["expires"])
    assert timedelta(days=30) <= expires - before < timedelta(days=30, minutes=1)
    assert can_write(body["token"])


def test_wrong_credentials_are_a_401_with_a_message(editor):
    for username, password in [("editor", "wrong"), ("nobody", PASSWORD)]:
        response = issue(username, password)
        assert response.status_code == 401
        assert "Wrong username or password" in response.json()["detail"]
        assert response["WWW-Authenticate"] == "Token"


def test_an_inactive_account_gets_no_token(editor):
    editor.is_active = False
    editor.save()
    assert issue().status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "editor"},
        {"password": PASSWORD},
        {"username": "x" * 151, "password": PASSWORD},
        {"username": ["editor"], "password": PASSWORD},
        {"username": "editor", "password": PASSWORD, "name": "n" * 101},
    ],
)
def test_incomplete_or_malformed_requests_are_a_400_naming_the_field(db, body):
    response = APIClient().post(TOKEN, body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["detail"]
    assert set(data) - {"detail"}, "the field at fault is named"


def test_a_body_that_is_not_an_object_is_a_400(db):
    for raw in [b"[1, 2]", b'"editor"', b"{not json"]:
        response = APIClient().post(TOKEN, raw, content_type="application/json")
        assert response.status_code == 400, raw
        assert response.json()["detail"]


def test_an_expired_token_is_a_401_that_says_so(editor):
    key = issue().json()["token"]
    ApiToken.objects.update(created=timezone.now() - timedelta(days=30, seconds=1))
    response = with_token(key).get(TOKENS)
    assert response.status_code == 401
    assert "Token expired" in response.json()["detail"]
    assert not can_write(key)
    # A stale token in the header does not stand in the way of a new one.
    fresh = with_token(key).post(TOKEN, {"username": "editor", "password": PASSWORD}, format="json")
    assert fresh.status_code == 200 and can_write(fresh.json()["token"])


def test_the_lifetime_follows_the_setting_for_tokens_already_issued(editor, settings):
    key = issue().json()["token"]
    ApiToken.objects.update(created=timezone.now() - timedelta(minutes=2))
    assert can_write(key)
    settings.NEWSROOM_TOKEN_TTL = 60
    assert not can_write(key)


def test_delete_revokes_the_token_it_is_made_with(editor):
    first, second = issue().json()["token"], issue().json()["token"]
    response = with_token(first).delete(TOKEN)
    assert response.status_code == 204
    assert not can_write(first)
    assert with_token(first).delete(TOKEN).status_code == 401
    assert can_write(second), "only the caller's token is revoked"
    assert APIClient().delete(TOKEN).status_code == 401


def test_the_owner_lists_their_tokens_without_their_keys(editor, reviewer):
    nightly = issue(name="nightly import").json()
    laptop = issue(name="laptop").json()
    issue("reviewer")
    client = with_token(laptop["token"])
    client.get(TOKENS)  # a use: last_used is set
    body = client.get(TOKENS).json()
    assert body["count"] == 2
    listed = {item["id"]: item for item in body["results"]}
    assert set(listed) == {nightly["id"], laptop["id"]}
    assert listed[laptop["id"]]["current"] and not listed[nightly["id"]]["current"]
    assert listed[laptop["id"]]["name"] == "laptop"
    assert listed[laptop["id"]]["last_used"] and listed[nightly["id"]]["last_used"] is None
    assert listed[laptop["id"]]["prefix"] == laptop["token"][:8]
    assert listed[laptop["id"]]["expires"] and listed[laptop["id"]]["created"]
    text = client.get(TOKENS).content.decode()
    assert laptop["token"] not in text and nightly["token"] not in text


def test_the_owner_revokes_one_token_by_its_id(editor, reviewer):
    nightly = issue(name="nightly import").json()
    laptop = issue(name="laptop").json()
    theirs = issue("reviewer").json()
    client = with_token(laptop["token"])
    assert client.get(f"{TOKENS}{nightly['id']}/").json()["name"] == "nightly import"
    assert client.delete(f"{TOKENS}{nightly['id']}/").status_code == 204
    assert not can_write(nightly["token"]) and can_write(laptop["token"])
    # Somebody else's token, or no token at all by that id, is not found.
    for bad in [theirs["id"], nightly["id"], "abc", "9" * 30, "-1"]:
        response = client.delete(f"{TOKENS}{bad}/")
        assert response.status_code == 404, bad
        assert response.json()["detail"]
    assert ApiToken.objects.filter(pk=theirs["id"]).exists()


def test_an_editor_signed_in_with_the_browser_lists_their_tokens(client, editor):
    issue(name="nightly import")
    client.force_login(editor)
    response = client.get(TOKENS)
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == ["nightly import"]
    assert APIClient().get(TOKENS).status_code == 401


def test_changing_the_password_revokes_every_token(editor):
    first, second = issue().json()["token"], issue().json()["token"]
    editor.email = "editor@example.org"
    editor.save()  # other changes keep the tokens
    assert can_write(first)
    editor.set_password("a-new-password-for-tests")
    editor.save()
    assert not can_write(first) and not can_write(second)
    assert ApiToken.objects.filter(user=editor).count() == 0


def test_a_password_changed_in_the_admin_revokes_the_tokens(admin_client, editor):
    key = issue().json()["token"]
    response = admin_client.post(
        f"/admin/auth/user/{editor.pk}/password/",
        {
            "password1": "a-new-password-for-tests",
            "password2": "a-new-password-for-tests",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert not can_write(key)
    assert issue(password="a-new-password-for-tests").status_code == 200


def test_a_deactivated_account_cannot_use_its_tokens(editor):
    key = issue().json()["token"]
    User.objects.filter(pk=editor.pk).update(is_active=False)
    assert not can_write(key)


def test_the_database_holds_no_usable_key(editor):
    key = issue().json()["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM newsroom_apitoken")
        rows = cursor.fetchall()
    assert rows and not any(key in str(value) for row in rows for value in row)


def test_a_person_keeps_a_bounded_number_of_tokens(editor):
    keys = [issue().json()["token"] for _ in range(22)]
    assert ApiToken.objects.filter(user=editor).count() == 20
    assert not can_write(keys[0]) and can_write(keys[-1])


def test_staff_see_and_revoke_tokens_in_the_admin(admin_client, editor):
    body = issue(name="nightly import").json()
    page = admin_client.get("/admin/newsroom/apitoken/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "nightly import" in html and body["token"][:8] in html and body["token"] not in html
    response = admin_client.post(f"/admin/newsroom/apitoken/{body['id']}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not can_write(body["token"])
