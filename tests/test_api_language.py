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


# The desk's own refusals, as an integrator meets them: what was asked, and what it answers in
# English (no language named), in Simplified and in Traditional as written in Taiwan.
REFUSALS = [
    (
        "/api/v1/claims/?page=abc",
        "page",
        "page must be a whole number from 1.",
        "page 须为从 1 起的整数。",
        "page 須為從 1 起的整數。",
    ),
    (
        "/api/v1/claims/?script=xx",
        "script",
        "Unknown script “xx”: use hans (Simplified), hant (Traditional, Taiwan) or hk "
        "(Traditional, Hong Kong).",
        "未知的文字“xx”：请用 hans（简体）、hant（繁体・台湾）或 hk（繁体・香港）。",
        "未知的文字「xx」：請用 hans（簡體）、hant（繁體・台灣）或 hk（繁體・香港）。",
    ),
    (
        "/api/v1/claims/?cursor=zzz",
        "cursor",
        "Invalid cursor: use the `next` or `previous` link of a page of this list, with the "
        "same ordering.",
        "cursor 无效：请使用这个列表某一页的 `next` 或 `previous` 链接，并保持同样的排序。",
        "cursor 無效：請使用這個列表某一頁的 `next` 或 `previous` 連結，並保持同樣的排序。",
    ),
    (
        "/api/v1/claims/?page_size=0",
        "page_size",
        "page_size must be a whole number from 1 to 200.",
        "page_size 须为 1 到 200 之间的整数。",
        "page_size 須為 1 到 200 之間的整數。",
    ),
    (
        "/api/v1/claims/999999/",
        "detail",
        "No claim has this id.",
        "没有这个编号的主张。",
        "沒有這個編號的主張。",
    ),
    (
        "/api/v1/digests/no-such-digest/",
        "detail",
        "No digest has this id or slug.",
        "没有这个编号或网址名的摘要。",
        "沒有這個編號或網址名稱的摘要。",
    ),
    (
        "/api/v1/nothing-here/",
        "detail",
        "Nothing is served at /api/v1/nothing-here/: see /api/v1/schema/ for the API's addresses.",
        "/api/v1/nothing-here/ 没有任何内容：API 的地址见 /api/v1/schema/。",
        "/api/v1/nothing-here/ 沒有任何內容：API 的網址見 /api/v1/schema/。",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("address, field, english, simplified, traditional", REFUSALS)
def test_the_desks_own_refusals_speak_the_clients_language(
    client, address, field, english, simplified, traditional
):
    """Not only Django's and DRF's messages: a client that asks for Chinese reads every
    refusal in it, and one that names no language reads English, as before."""
    for language, expected in (
        (None, english),
        ("zh-CN", simplified),
        ("zh-TW", traditional),
    ):
        headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        answer = client.get(address, **headers)
        assert 400 <= answer.status_code < 500, address
        body = answer.json()
        found = body[field] if field == "detail" else body[field][0]
        assert found == expected, (address, language)
        if field != "detail":
            assert body["detail"] == f"{field}: {expected}"


@pytest.mark.django_db
def test_a_write_refused_by_its_body_speaks_the_clients_language(editor, client):
    client.force_login(editor)
    answer = client.post(
        "/api/v1/claims/", "text=x", content_type="text/plain", HTTP_ACCEPT_LANGUAGE="zh-TW"
    )
    assert answer.status_code == 415
    assert answer.json()["detail"] == (
        "不支援的媒體類型「text/plain」：請以 JSON 傳送請求內容，並帶 Content-Type: application/json。"
    )
    deep = "[" * 40 + "]" * 40
    answer = client.post(
        "/api/v1/claims/", deep, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == "JSON 解析错误：请求正文的嵌套超过 32 层。"


@pytest.mark.django_db
def test_a_wrong_password_for_a_token_speaks_the_clients_language(editor, client):
    for language, expected in (
        ("en", "Wrong username or password."),
        ("zh-HK", "用戶名稱或密碼不正確。"),
    ):
        answer = client.post(
            "/api/v1/auth/token/",
            {"username": "editor", "password": "not-it"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert answer.status_code in (400, 401), answer.content
        assert answer.json()["detail"] == expected
