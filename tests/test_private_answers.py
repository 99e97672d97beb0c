"""What editors are answered stays theirs, and failures say little: `Cache-Control: private,
no-store` on review pages, the admin, logins and signed-in API calls (newsroom.middleware),
while the public pages keep their own caching; /healthz says ok or unavailable, never the
database's error text; the API answers a database outage with a JSON 503 and any other failure
with a JSON 500."""

import logging

import pytest
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.test import RequestFactory
from django.urls import get_resolver
from rest_framework.test import APIClient

from claims.api import views as api_views
from newsroom.models import ApiToken
from newsroom.views import server_error

PRIVATE = "private, no-store"
SECRET = "could not connect to server at db-7.internal.example (10.3.0.7), user newsroom_rw"


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(user)[1]}")
    return client


# --- Cache-Control -----------------------------------------------------------------------------


def test_review_pages_are_never_stored(client, editor, rumour_claim):
    client.force_login(editor)
    for url in ["/review/", f"/review/claims/{rumour_claim.pk}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PRIVATE, url


def test_admin_pages_and_logins_are_never_stored(client, admin_client, db):
    for url in ["/admin/", "/admin/claims/claim/", "/admin/auth/user/"]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PRIVATE, url
    for url in ["/accounts/login/", "/admin/login/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PRIVATE, url
    # Even the redirect to the login page.
    assert client.get("/review/")["Cache-Control"] == PRIVATE


def test_signed_in_api_answers_are_never_stored(client, editor, published_digest, rumour_claim):
    by_token = token_client(editor)
    client.force_login(editor)
    for api in [by_token, client]:
        for url in [
            "/api/v1/claims/",
            f"/api/v1/claims/{rumour_claim.pk}/",
            "/api/v1/conflicts/",
            "/api/v1/claims/99999/",
        ]:
            response = api.get(url)
            assert response["Cache-Control"] == PRIVATE, (url, response.status_code)
    written = by_token.post("/api/v1/claims/", {"text": "新的声明"}, format="json")
    assert written.status_code == 201 and written["Cache-Control"] == PRIVATE


def test_a_new_token_is_never_stored_though_asked_for_anonymously(editor):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "editor", "password": "pw-for-tests-only"},
        format="json",
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_public_answers_to_anonymous_readers_keep_their_own_caching(
    client, published_digest, rumour_claim
):
    for url in ["/", f"/claims/{rumour_claim.pk}/", "/feed/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"], (
            url
        )
    for url in ["/api/v1/claims/", "/api/v1/digests/", f"/api/v1/claims/{rumour_claim.pk}/"]:
        response = APIClient().get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url


# --- /healthz ----------------------------------------------------------------------------------


def refusing(error):
    def refuse(*args, **kwargs):
        raise error

    return refuse


@pytest.fixture
def database_down(db):
    """An outage: every cursor on the default connection fails as the driver does when the
    server is gone; the database is back before the test's own teardown needs it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connections["default"], "cursor", refusing(OperationalError(SECRET)))
        yield


def test_healthz_says_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_says_unavailable_and_logs_why(client, database_down, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.views"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "db-7" not in response.content.decode()
    assert SECRET in caplog.text, "the reason is in the log"


# --- the API when things break -----------------------------------------------------------------


def test_the_api_answers_a_database_outage_with_a_json_503(database_down, caplog):
    with caplog.at_level(logging.ERROR, logger="claims.api.errors"):
        for url in ["/api/v1/claims/", "/api/v1/sources/", "/api/v1/claims/1/"]:
            response = APIClient().get(url)
            assert response.status_code == 503, url
            assert response["Content-Type"] == "application/json"
            assert response.json()["detail"].startswith("The database is unavailable")
            assert "db-7" not in response.content.decode()
            assert int(response["Retry-After"]) > 0
    assert SECRET in caplog.text, "the reason is in the log"


def test_a_signed_in_call_during_an_outage_is_a_json_503_too(editor):
    client = token_client(editor)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            connections["default"], "cursor", refusing(InterfaceError("connection already closed"))
        )
        response = client.post("/api/v1/claims/", {"text": "新的声明"}, format="json")
    assert response.status_code == 503
    assert response.json()["detail"]


def test_any_other_api_failure_is_a_json_500_without_the_details(db, monkeypatch, caplog):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api_views.SourceViewSet, "list", broken)
    with caplog.at_level(logging.ERROR, logger="claims.api.errors"):
        response = APIClient().get("/api/v1/sources/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Internal server error")
    assert "secret internals" not in response.content.decode()
    assert "secret internals" in caplog.text, "the traceback is in the log"


def test_unhandled_errors_outside_drf_views_are_json_under_the_api_only():
    assert get_resolver().resolve_error_handler(500) is server_error
    api = server_error(RequestFactory().get("/api/v1/docs/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    page = server_error(RequestFactory().get("/review/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
