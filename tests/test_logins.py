"""Every way to log in is limited (newsroom.logins, django-axes): the review pages' login, the
admin's, and the API's token endpoint. An account is locked for an address after 5 failures
from it, an address after 30 failures with any accounts; while locked even the right password
is refused, people get a page in Chinese and English, scripts a JSON 429. The client is the
connection's address (newsroom.clients.client_ip): a forged X-Forwarded-For changes nothing."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from newsroom.clients import client_ip

PASSWORD = "pw-for-tests-only"
LIMIT = 5  # NEWSROOM_LOGIN_FAILURES
ADDRESS_LIMIT = 30  # NEWSROOM_LOGIN_ADDRESS_FAILURES


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Dozens of failed logins per test: a cheap hasher first (and PBKDF2 still understood)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def staff(db):
    return User.objects.create_user("chief", password=PASSWORD, is_staff=True, is_superuser=True)


def review_login(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def admin_login(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


def token_login(client, username, password, **extra):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


def logged_in(response):
    return response.status_code == 302 and "login" not in response.url


def assert_locked_page(response):
    assert response.status_code == 429
    html = response.content.decode()
    # The desk's default language; English: tests/test_i18n_desk.py.
    assert "登录已暂时锁定" in html
    assert "15" in html  # when to try again
    assert int(response["Retry-After"]) == 15 * 60
    assert response["Cache-Control"] == "private, no-store"


def test_the_review_login_locks_an_account_after_five_failures_even_for_the_right_password(
    client, editor
):
    for _ in range(LIMIT - 1):
        response = review_login(client, "editor", "wrong")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    assert_locked_page(review_login(client, "editor", "wrong"))
    assert_locked_page(review_login(client, "editor", PASSWORD))
    # The editor, elsewhere (the newsroom), is not locked out by whoever guessed.
    assert logged_in(review_login(client, "editor", PASSWORD, REMOTE_ADDR="10.1.2.3"))


def test_the_admin_login_locks_out_too(client, staff):
    for _ in range(LIMIT - 1):
        assert admin_login(client, "chief", "wrong").status_code == 200
    assert_locked_page(admin_login(client, "chief", "wrong"))
    assert_locked_page(admin_login(client, "chief", PASSWORD))
    assert client.get("/admin/").status_code == 302  # not logged in


def test_the_token_endpoint_locks_out_with_a_json_429(editor):
    api = APIClient()
    for _ in range(LIMIT - 1):
        response = token_login(api, "editor", "wrong")
        assert response.status_code == 401
    for password in ["wrong", PASSWORD]:
        response = token_login(api, "editor", password)
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        detail = response.json()["detail"]
        assert "Too many failed logins" in detail  # the API's language unless asked for another
        assert int(response["Retry-After"]) == 15 * 60
        assert "token" not in response.json()


def test_failures_on_one_login_count_on_the_others(client, editor):
    """One count per account and address, whichever door is knocked on."""
    api = APIClient()
    review_login(client, "editor", "wrong")
    admin_login(client, "editor", "wrong")
    token_login(api, "editor", "wrong")
    review_login(client, "editor", "wrong")
    assert token_login(api, "editor", "wrong").status_code == 429
    assert_locked_page(review_login(client, "editor", PASSWORD))


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, editor):
    for i in range(LIMIT - 1):
        review_login(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert_locked_page(review_login(client, "editor", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.9"))
    assert_locked_page(
        review_login(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.10")
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_it_appends(
    client, editor, settings
):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for i in range(LIMIT):
        # What the client wrote on the left changes; what the proxy appended does not.
        review_login(
            client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.5", **proxy
        )
    assert_locked_page(
        review_login(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    )
    # Another client behind the same proxy is someone else.
    assert logged_in(
        review_login(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    )


def test_an_address_trying_many_accounts_is_locked_out(client, editor):
    for i in range(ADDRESS_LIMIT - 1):
        response = review_login(client, f"someone{i}", "guess")
        assert response.status_code == 200, i
    assert_locked_page(review_login(client, "someone-else", "guess"))
    # From that address nobody gets in now, not even with a right password...
    assert_locked_page(review_login(client, "editor", PASSWORD))
    # ...while the editor logs in from anywhere else.
    assert logged_in(review_login(client, "editor", PASSWORD, REMOTE_ADDR="10.9.9.9"))


def test_a_successful_login_clears_the_accounts_failures(client, editor):
    for _ in range(LIMIT - 1):
        review_login(client, "editor", "wrong")
    assert logged_in(review_login(client, "editor", PASSWORD))
    client.logout()
    for _ in range(LIMIT - 1):
        assert review_login(client, "editor", "wrong").status_code == 200
    assert logged_in(review_login(client, "editor", PASSWORD))


def test_a_token_clears_the_accounts_failures_too(editor):
    api = APIClient()
    for _ in range(LIMIT - 1):
        token_login(api, "editor", "wrong")
    assert token_login(api, "editor", PASSWORD).status_code == 200
    for _ in range(LIMIT - 1):
        assert token_login(api, "editor", "wrong").status_code == 401
    assert token_login(api, "editor", PASSWORD).status_code == 200


def test_a_lockout_ends_after_the_cool_off(client, editor):
    for _ in range(LIMIT):
        review_login(client, "editor", "wrong")
    assert_locked_page(review_login(client, "editor", PASSWORD))
    # Sixteen minutes later (the attempts' clock moved back: no waiting in a test).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert logged_in(review_login(client, "editor", PASSWORD))


def test_staff_see_the_attempts_in_the_admin(admin_client, editor):
    APIClient().post(
        "/api/v1/auth/token/", {"username": "editor", "password": "wrong"}, format="json"
    )
    page = admin_client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "editor" in page.content.decode()


# --- the client's address ---------------------------------------------------------------------


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_the_client_is_the_connection_without_trusted_proxies(settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    assert (
        client_ip(request(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9"))
        == "192.0.2.1"
    )


def test_the_client_is_the_entry_the_trusted_proxies_wrote(settings):
    forwarded = "6.6.6.6, 203.0.113.9, 10.0.0.2"
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    assert client_ip(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)) == "10.0.0.2"
    settings.NEWSROOM_TRUSTED_PROXIES = 2
    assert (
        client_ip(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)) == "203.0.113.9"
    )
    # Fewer entries than proxies: the request skipped a proxy; the connection is the client.
    assert (
        client_ip(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "10.0.0.1"
    )


def test_a_malformed_forwarded_entry_falls_back_to_the_connection(settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    assert (
        client_ip(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address"))
        == "10.0.0.1"
    )
    assert (
        client_ip(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9:4711"))
        == "203.0.113.9"
    )
    assert (
        client_ip(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="[2001:db8::1]:443"))
        == "2001:db8::1"
    )
    assert (
        client_ip(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8::2"))
        == "2001:db8::2"
    )


def test_api_throttles_count_by_the_same_address(db, settings):
    settings.NEWSROOM_ANON_THROTTLE = "3/minute"
    cache.clear()
    try:
        anon = APIClient()
        for i in range(3):
            assert (
                anon.get("/api/v1/sources/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
                == 200
            )
        assert anon.get("/api/v1/sources/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
        # Another connection is another client.
        assert anon.get("/api/v1/sources/", REMOTE_ADDR="192.0.2.44").status_code == 200
    finally:
        cache.clear()
