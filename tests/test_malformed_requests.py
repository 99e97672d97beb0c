"""A malformed request is a 4xx with a clear message, never a 500: JSON bodies nested deep
enough to exhaust Python's recursion, and control characters (NUL first) in a URL's path or
query string, on public pages, review pages, the admin and the API (SQLite and PostgreSQL)."""

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, Verdict


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.fixture
def api(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


def post_json(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


# --- deeply nested JSON ----------------------------------------------------------------------


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_a_deeply_nested_body_to_the_token_endpoint_is_a_400(client, db, depth):
    response = post_json(client, "/api/v1/auth/token/", nested(depth))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "nests deeper than 32 levels" in response.json()["detail"]


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_a_deeply_nested_body_to_every_write_endpoint_is_a_400(api, reviewer, rumour_claim, depth):
    verdict = rumour_claim.verdicts.get()
    review = APIClient()
    review.force_authenticate(reviewer)  # approving and sending back are a reviewer's
    writes = [
        (api, "post", "/api/v1/claims/"),
        (api, "patch", f"/api/v1/claims/{rumour_claim.pk}/"),
        (api, "post", f"/api/v1/claims/{rumour_claim.pk}/evidence/"),
        (api, "post", f"/api/v1/claims/{rumour_claim.pk}/verdicts/"),
        (review, "post", f"/api/v1/verdicts/{verdict.pk}/approve/"),
        (review, "post", f"/api/v1/verdicts/{verdict.pk}/send-back/"),
    ]
    for client, method, url in writes:
        response = post_json(client, url, nested(depth), method)
        assert response.status_code == 400, (method, url, response.status_code)
        assert "nests deeper than 32 levels" in response.json()["detail"], url
    # The same depth inside an object, where a field is expected.
    response = post_json(api, "/api/v1/claims/", '{"text": ' + nested(depth) + "}")
    assert response.status_code == 400
    assert Claim.objects.count() == 1
    assert Verdict.objects.get().status == Verdict.Status.PROPOSED


def test_an_ordinary_nested_body_still_works(api, seed_articles):
    article = seed_articles["004"]
    response = post_json(
        api,
        "/api/v1/claims/",
        {
            "text": "Llama 4团队约80%成员辞职",
            "evidence": [
                {"article": article.pk, "quote": "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈"}
            ],
        },
    )
    assert response.status_code == 201, response.content


# --- control characters in the URL -----------------------------------------------------------

PAGES = [
    "/",
    "/digests/",
    "/claims/1/",
    "/feed/",
    "/review/",
    "/review/articles/1/",
    "/admin/",
    "/admin/claims/claim/",
]
API = ["/api/v1/claims/", "/api/v1/digests/", "/api/v1/sources/", "/api/v1/articles/"]


def test_nul_in_a_page_path_is_a_400(admin_client):
    for url in [
        "/digests/%00/",
        "/claims/%00/",
        "/digests/a%00b/",
        "/review/articles/%00/",
        "/admin/claims/claim/%00/change/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 400, url
        assert "The address contains the control character U+0000" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/digests/%00/",
        "/api/v1/claims/%00/",
        "/api/v1/sources/%00/",
        "/api/v1/articles/%00/",
        "/api/v1/claims/1/matches%00/",
    ],
)
def test_nul_in_an_api_path_is_a_json_400(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The address contains the control character U+0000 at position {url.index('%') + 1}; "
        "remove it."
    }


@pytest.mark.parametrize("char", ["%00", "%01", "%0B", "%1B", "%7F", "%C2%85"])
def test_a_control_character_in_a_query_parameter_is_a_400(admin_client, char):
    for url in PAGES + API:
        response = admin_client.get(f"{url}?q=x{char}y&script=hans")
        assert response.status_code == 400, (url, response.content[:300])
        assert "The query string contains the control character U+00" in response.content.decode()
        if url.startswith("/api/"):
            assert "query string" in response.json()["detail"]


def test_nul_in_a_parameter_name_or_in_any_parameter_is_a_400(client, db):
    assert client.get("/api/v1/claims/?verdict=%00").status_code == 400
    assert client.get("/api/v1/claims/?%00=1").status_code == 400
    assert client.get("/api/v1/claims/similar/?text=%00").status_code == 400
    assert client.get("/digests/?page=%00").status_code == 400


def test_nul_in_a_review_page_query_is_a_400_for_an_editor(client, editor):
    client.force_login(editor)
    response = client.get("/review/?q=%00&source=%00")
    assert response.status_code == 400
    assert "U+0000" in response.content.decode()


def test_tabs_and_newlines_in_a_query_are_not_refused(client, published_digest):
    assert client.get("/api/v1/claims/?q=Meta%0A%09").status_code == 200
    assert client.get("/digests/?q=a%0D%0Ab").status_code == 200


# --- a form beyond the request's limits -------------------------------------------------------


def test_a_form_beyond_the_requests_limits_says_so_in_the_editors_language(
    client, editor, rumour_claim, settings
):
    """Too many fields, or too much text, in a desk form: a 400 with the desk's refusal page in
    the editor's language (Django's bare English "Bad Request (400)" before), and nothing
    saved."""
    from django.urls import reverse

    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    address = reverse("review:claim_edit", args=[rumour_claim.pk])
    text = rumour_claim.text
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"extra{n}": "x" for n in range(20)} | {"text": "改過的文字", "version": 1}
    answer = client.post(address, fields)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "送出的表單欄位太多（上限 10 個），沒有儲存任何內容。" in page
    assert "</main>" in page
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    answer = client.post(address, {"text": "長" * 1024 * 1024, "version": 1})
    assert answer.status_code == 400
    assert "送出的表單太大（上限 1 MB，不含檔案），沒有儲存任何內容。" in answer.content.decode()
    rumour_claim.refresh_from_db()
    assert rumour_claim.text == text


def test_too_many_files_for_one_request_says_so_in_the_editors_language(client, editor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from sources.models import ImportJob

    client.force_login(editor)
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"{n}.txt", "第一篇。".encode()) for n in range(3)]
    answer = client.post(reverse("review:import"), {"files": files}, HTTP_ACCEPT_LANGUAGE="zh-HK")
    assert answer.status_code == 400
    page = answer.content.decode()
    assert (
        "一次上載的檔案太多（上限 2 個），沒有匯入任何檔案：請把檔案打包成一個 .zip 再上載。"
        in page
    )
    assert "</main>" in page
    assert not ImportJob.objects.exists()
