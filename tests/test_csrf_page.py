"""A form refused for its security token (the page stayed open while the editor logged in
again in another tab, or the session ended): a page in the editor's language that says what
happened and shows back what the form held, so that nothing typed is lost (newsroom.views.
csrf_failure). Nothing is saved, passwords are never shown back, and the text stays text."""

import re
from html import unescape

from django.test import Client
from django.urls import reverse

from claims.models import Verdict

RATIONALE = "两家媒体的说法相互矛盾，<script>alert(1)</script>且没有一手来源。" * 3


def guarded(user=None, **headers):
    client = Client(enforce_csrf_checks=True, **headers)
    if user is not None:
        client.force_login(user)
    return client


def test_a_refused_form_says_why_and_shows_back_what_it_held(editor, rumour_claim):
    client = guarded(editor)
    workbench = reverse("review:claim", args=[rumour_claim.pk])
    assert client.get(workbench).status_code == 200
    proposals = Verdict.objects.count()
    response = client.post(
        reverse("review:verdict_propose", args=[rumour_claim.pk]),
        {"rating": "false", "rationale": RATIONALE, "csrfmiddlewaretoken": "stale-token"},
        HTTP_REFERER="http://testserver" + workbench,
    )
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "表单没有发送" in html and "没有保存任何内容" in html
    # What was typed, back as text: in a field to copy from, never as markup.
    labelled = dict(re.findall(r'<label for="([^"]+)">([^<]*)</label>\s*<textarea id="\1"', html))
    shown = dict(re.findall(r'<textarea id="([^"]+)"[^>]*readonly>(.*?)</textarea>', html, re.S))
    assert {labelled[key]: unescape(text) for key, text in shown.items()} == {
        "rating": "false",
        "rationale": RATIONALE,
    }
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "stale-token" not in html
    # A way back to the page, and nothing saved.
    assert f'href="http://testserver{workbench}"' in html
    assert Verdict.objects.count() == proposals
    # The page renews the token: the form sent again from a fresh page goes through.
    fresh = client.get(workbench)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fresh.content.decode())
    again = client.post(
        reverse("review:verdict_propose", args=[rumour_claim.pk]),
        {"rating": "false", "rationale": RATIONALE, "csrfmiddlewaretoken": token.group(1)},
    )
    assert again.status_code == 302 and Verdict.objects.count() == proposals + 1


def test_a_refused_login_never_shows_the_password_back(db):
    client = guarded(HTTP_ACCEPT_LANGUAGE="zh-hant")
    response = client.post(
        "/accounts/login/",
        {"username": "editor-on-duty", "password": "pw-Secret-1234"},
        HTTP_REFERER="http://testserver/accounts/login/",
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "表單沒有送出" in html and 'href="http://testserver/accounts/login/"' in html
    assert "editor-on-duty" in html and "pw-Secret-1234" not in html


def test_a_form_posted_from_another_site_is_not_shown_back(editor, rumour_claim):
    # What the check is for: a forged form. Its words must not appear on the desk's page.
    response = guarded(editor).post(
        reverse("review:verdict_propose", args=[rumour_claim.pk]),
        {"rationale": "安全提示：请到 evil.example 重新登录"},
        HTTP_ORIGIN="https://evil.example",
        HTTP_REFERER="https://evil.example/form",
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单没有发送" in html
    assert "evil.example" not in html and "<textarea" not in html


def test_the_refusal_reads_in_each_language_of_the_desk(editor, rumour_claim):
    url = reverse("review:verdict_propose", args=[rumour_claim.pk])
    for language, words in (
        ("zh-hans", "表单没有发送"),
        ("zh-hant", "表單沒有送出"),
        ("zh-hant-hk", "表格沒有送出"),
        ("en", "The form was not sent"),
    ):
        response = guarded(editor, HTTP_ACCEPT_LANGUAGE=language).post(url, {"rationale": "x"})
        assert response.status_code == 403 and words in response.content.decode(), language
