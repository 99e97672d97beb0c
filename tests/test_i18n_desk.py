"""The review desk in its three languages: Simplified Chinese by default, English and
Traditional (Taiwan, Hong Kong) by the header's language switch or the browser's
Accept-Language. The desk's own words change language; the data (claims, articles, quotes,
names) stays as written."""

import re

import pytest
from django.urls import reverse

from tests.page_words import chinese_runs_not_data

# What is data, not the desk's words: the reader's body, and names written in their own
# language (the language switch's options and the reader's script links carry a lang="zh-…").
ARTICLE_BODY = re.compile(r'<div class="article-body".*?</div>', re.S)
OWN_LANGUAGE = re.compile(r'<(\w+)\b[^>]*\blang="zh[^"]*"[^>]*>.*?</\1>', re.S)


def chinese_ui_words(html):
    """Runs of Chinese characters in a page that are not the page's data."""
    return chinese_runs_not_data(OWN_LANGUAGE.sub("", ARTICLE_BODY.sub("", html)))


def nav(html):
    return re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S).group(1)


def switch(client, language, next_url):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def test_the_desk_reads_in_simplified_chinese_by_default(signed_in, rumour_claim):
    html = signed_in.get(reverse("review:queue")).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "工作队列" in nav(html) and "Work queue" not in html
    assert '<option value="zh-hans" lang="zh-hans" selected>' in html


def test_the_switch_sets_the_language_and_the_queue_follows(signed_in, rumour_claim):
    queue = reverse("review:queue")
    response = switch(signed_in, "en", queue)
    assert response.status_code == 302 and response["Location"] == queue
    html = signed_in.get(queue).content.decode()
    assert '<html lang="en">' in html
    assert "Work queue" in nav(html) and "工作队列" not in html
    assert "<h1>Work queue</h1>" in html and ">Log out</button>" in html
    assert '<option value="en" lang="en" selected>English</option>' in html

    switch(signed_in, "zh-hant", queue)
    html = signed_in.get(queue).content.decode()
    assert '<html lang="zh-Hant-TW">' in html
    assert "工作佇列" in nav(html) and ">登出</button>" in html
    assert "尚無證據的主張" in html  # a section's title

    switch(signed_in, "zh-hant-hk", queue)
    html = signed_in.get(queue).content.decode()
    assert '<html lang="zh-Hant-HK">' in html and "工作隊列" in nav(html)

    switch(signed_in, "zh-hans", queue)
    assert "工作队列" in nav(signed_in.get(queue).content.decode())


def test_the_switch_is_a_plain_form_with_a_label(signed_in, db):
    html = signed_in.get(reverse("review:queue")).content.decode()
    form = re.search(r'<form class="language".*?</form>', html, re.S).group(0)
    assert f'action="{reverse("set_language")}"' in form and 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/review/">' in form
    assert '<label for="language-switch">语言</label>' in form
    assert '<select name="language" id="language-switch">' in form
    for code in ("zh-hans", "zh-hant", "zh-hant-hk", "en"):
        assert f'<option value="{code}" lang="{code}"' in form
    assert '<button type="submit">' in form


def test_the_login_page_has_the_switch_too(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'action="/i18n/setlang/"' in html and "登录核查台" in html
    switch(client, "en", reverse("login"))
    html = client.get(reverse("login")).content.decode()
    assert "Log in to the fact-check desk" in html and '<html lang="en">' in html
    assert chinese_ui_words(html) == []


def test_accept_language_en_gives_english_pages(signed_in, rumour_claim):
    html = signed_in.get(reverse("review:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Work queue" in nav(html) and "Claims without evidence" in html
    html = signed_in.get(reverse("review:waiting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Waiting for me</h1>" in html
    html = signed_in.get(reverse("review:search"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Search</h1>" in html and "Type the words to find" in html


def test_accept_language_zh_hant_gives_traditional_pages(signed_in, rumour_claim):
    html = signed_in.get(
        reverse("review:claim", args=[rumour_claim.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant"
    ).content.decode()
    assert "工作佇列" in nav(html) and "修改紀錄" in html and "提出結論" in html
    assert "传言（未证实）" not in html and "傳言（未證實）" in html  # the verdict's badge


def test_no_chinese_is_left_in_the_english_queue(signed_in, rumour_claim):
    html = signed_in.get(reverse("review:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chinese_ui_words(html) == []


def test_no_chinese_is_left_in_the_english_article_reader(signed_in, rumour_claim):
    article = rumour_claim.evidence.get().article
    html = signed_in.get(
        reverse("review:article", args=[article.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert ">New claim</button>" in html and "Evidence in this article (1)" in html
    assert chinese_ui_words(html) == []


def test_no_chinese_is_left_in_the_english_claim_page(signed_in, rumour_claim):
    html = signed_in.get(
        reverse("review:claim", args=[rumour_claim.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<h2>Verdicts</h2>" in html and "Rumour (unverified)" in html
    assert "Claim created: " in html  # the history
    assert chinese_ui_words(html) == []


def test_the_desks_messages_follow_the_language(signed_in, rumour_claim):
    response = signed_in.post(
        reverse("review:claim_edit", args=[rumour_claim.pk]),
        {"text": "Llama 4团队约八成成员辞职", "version": rumour_claim.version},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "The claim&#x27;s text is saved." in response.content.decode()
    picker = signed_in.get(reverse("review:claim_picker"), {"limit": "0"})
    assert picker.status_code == 400 and "limit 须为 1–20 的整数" in picker.json()["detail"]
    picker = signed_in.get(
        reverse("review:claim_picker"), {"limit": "0"}, HTTP_ACCEPT_LANGUAGE="zh-hant"
    )
    assert "limit 須為 1–20 的整數" in picker.json()["detail"]


def test_the_lockout_page_and_message_follow_the_language(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from newsroom import logins

    request = rf.get("/accounts/login/")
    request.user = AnonymousUser()
    with translation.override("en"):
        html = logins.lockout_response(request).content.decode()
        assert "Login temporarily locked" in html and "登录" not in html
        assert "Too many failed logins" in logins.locked_out_message(request)
    with translation.override("zh-hans"):
        html = logins.lockout_response(request).content.decode()
        assert "登录已暂时锁定" in html
        assert "登录失败次数过多" in logins.locked_out_message(request)
    with translation.override("zh-hant"):
        assert "登入失敗次數過多" in logins.locked_out_message(request)


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "zh-hant-hk", "en"])
def test_each_language_is_named_in_its_own_words(signed_in, language, db):
    html = signed_in.get(reverse("review:queue"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    options = dict(
        re.findall(r'<option value="([\w-]+)" lang="[\w-]+"[^>]*>([^<]*)</option>', html)
    )
    assert options["en"] == "English" and options["zh-hans"] == "简体中文"
    assert options["zh-hant"].startswith("繁體中文") and options["zh-hant-hk"] == "繁體中文（香港）"


def test_the_admin_has_the_same_language_switch(admin_client):
    page = admin_client.get("/admin/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('action="/i18n/setlang/"') == 1 and 'lang="en"' in html
    switched = admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert switched.status_code == 302 and switched["Location"] == "/admin/"
    assert "Site administration" in admin_client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    "accept, language, queue",
    [
        ("zh-HK,zh;q=0.9,en;q=0.8", "zh-Hant-HK", "工作隊列"),
        ("zh-MO", "zh-Hant-HK", "工作隊列"),
        ("zh-Hant-HK", "zh-Hant-HK", "工作隊列"),
        ("zh-TW,zh;q=0.9", "zh-Hant-TW", "工作佇列"),
        ("zh-Hant", "zh-Hant-TW", "工作佇列"),
        ("en-GB,zh-HK;q=0.5", "en", "Work queue"),
    ],
)
def test_a_browser_set_to_hong_kong_chinese_reads_the_desk_in_hong_kong_wording(
    signed_in, accept, language, queue
):
    """A browser in Hong Kong or Macau asks for zh-HK or zh-MO: the desk answers with its Hong
    Kong catalogue (工作隊列), not Taiwan's (工作佇列), which Django's own table of languages
    would give; a browser in Taiwan still reads Taiwan's."""
    answer = signed_in.get(reverse("review:queue"), HTTP_ACCEPT_LANGUAGE=accept)
    html = answer.content.decode()
    assert f'<html lang="{language}">' in html
    assert queue in nav(html)


def test_the_switch_wins_over_a_hong_kong_browser(signed_in):
    switch(signed_in, "zh-hant", reverse("review:queue"))
    html = signed_in.get(reverse("review:queue"), HTTP_ACCEPT_LANGUAGE="zh-HK").content.decode()
    assert "工作佇列" in nav(html)


def test_at_login_the_desks_language_becomes_that_of_the_editors_e_mails(client, editor):
    """An editor who never chose the language of their e-mails gets, at login, the one the
    desk speaks to them (here their browser's Hong Kong Chinese), rather than the desk's
    default Simplified; a choice made before is kept."""
    from claims import notices

    assert notices.language_of(editor) == "zh-hans"
    answer = client.post(
        reverse("login"),
        {"username": "editor", "password": "pw-for-tests-only"},
        HTTP_ACCEPT_LANGUAGE="zh-HK,zh;q=0.9",
    )
    assert answer.status_code == 302
    editor.refresh_from_db()
    assert notices.language_of(editor) == "zh-hant-hk"
    client.logout()
    client.post(
        reverse("login"),
        {"username": "editor", "password": "pw-for-tests-only"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    editor.refresh_from_db()
    assert notices.language_of(editor) == "zh-hant-hk"  # chosen once, kept
