"""The API is documented where it is served, the docs page works under the CSP, and the
public API can be used from other sites' browsers (read-only CORS) within a rate limit."""

import re

import pytest
import yaml
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient


def test_the_openapi_schema_lists_every_operation(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/claims/{id}/claimreview/",
        "/api/v1/claims/{id}/evidence/",
        "/api/v1/claims/{id}/verdicts/",
        "/api/v1/verdicts/{id}/approve/",
        "/api/v1/verdicts/{id}/send-back/",
        "/api/v1/digests/",
        "/api/v1/sources/",
        "/api/v1/articles/",
        "/api/v1/auth/token/",
    ]:
        assert path in paths, path
    claims = paths["/api/v1/claims/"]
    names = {p["name"] for p in claims["get"]["parameters"]}
    assert {
        "verdict",
        "source",
        "article",
        "digest",
        "published_after",
        "published_before",
        "q",
        "ordering",
        "page",
        "page_size",
        "script",
    } <= names
    assert {"200", "400", "404"} <= set(claims["get"]["responses"])
    assert "409" in paths["/api/v1/claims/{id}/"]["patch"]["responses"]
    assert "403" in paths["/api/v1/verdicts/{id}/approve/"]["post"]["responses"]


def test_the_docs_page_loads_everything_from_our_own_origin(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.strip() == "'self'"
    # The template's inline <style> is allowed by its hash, not by 'unsafe-inline'.
    assert "unsafe-inline" not in policy
    assert "'sha256-" in re.search(r"style-src ([^;]*)", policy).group(1)
    assert "<script>" not in html  # no inline script: script-src 'self' would block it
    sources = re.findall(r'<script src="([^"]+)"', html) + re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', html
    )
    assert len(sources) >= 4
    for src in sources:
        assert not src.startswith(("http:", "https:", "//")), src
        asset = client.get(src.replace("&amp;", "&"))
        assert asset.status_code == 200, src
    start_script = client.get("/api/v1/docs/?script=")
    assert start_script["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/schema/" in start_script.content


def test_the_public_api_is_open_to_other_sites_for_reading(db):
    response = APIClient().get("/api/v1/claims/", HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = APIClient().options(
        "/api/v1/claims/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    allowed = preflight["Access-Control-Allow-Methods"]
    assert "GET" in allowed and "POST" not in allowed


def test_cors_stays_off_outside_the_api(client, db):
    response = client.get("/healthz", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in response


@pytest.fixture
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@override_settings(NEWSROOM_ANON_THROTTLE="3/minute")
def test_anonymous_reads_are_throttled(db, fresh_throttle, editor):
    anon = APIClient()
    for _ in range(3):
        assert anon.get("/api/v1/claims/").status_code == 200
    response = anon.get("/api/v1/claims/")
    assert response.status_code == 429
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # Editors are not throttled as anonymous readers.
    signed_in = APIClient()
    signed_in.force_authenticate(editor)
    assert signed_in.get("/api/v1/claims/").status_code == 200


@override_settings(NEWSROOM_ANON_THROTTLE="10/minute")
def test_concurrent_anonymous_reads_never_pass_the_limit_together(db, fresh_throttle):
    """Forty requests of one client at the same moment, from eight threads of one process:
    exactly ten pass. (Threads share the interpreter's lock, so this cannot show the race
    between processes that the atomic count closes: tests/multiserver's burst at two servers
    does.)"""
    from concurrent.futures import ThreadPoolExecutor

    from django.test import RequestFactory
    from rest_framework.request import Request

    from claims.api.throttles import AnonReadThrottle

    factory = RequestFactory()

    def one(_):
        return AnonReadThrottle().allow_request(
            Request(factory.get("/api/v1/claims/", REMOTE_ADDR="198.51.100.7")), None
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = list(pool.map(one, range(40)))
    assert allowed.count(True) == 10
    # another client has a limit of its own
    assert AnonReadThrottle().allow_request(
        Request(factory.get("/api/v1/claims/", REMOTE_ADDR="198.51.100.8")), None
    )
