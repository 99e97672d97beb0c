"""The API's language: English for a client that names none, the asked one otherwise."""

import pytest


@pytest.mark.django_db
def test_an_api_client_that_names_no_language_reads_english(client):
    answer = client.post("/api/v1/claims/", {}, content_type="application/json")
    assert answer.status_code == 401
    assert answer["Content-Language"] == "en"
    assert answer.json()["detail"] == "Authentication credentials were not provided."


@pytest.mark.django_db
def test_an_api_client_that_asks_for_chinese_reads_chinese(client):
    answer = client.post(
        "/api/v1/claims/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    assert answer.status_code == 401
    assert answer["Content-Language"] == "zh-hans"
    assert answer.json()["detail"] == "身份认证信息未提供。"


@pytest.mark.django_db
def test_the_desk_pages_default_to_simplified_chinese(client):
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "zh-hans"
