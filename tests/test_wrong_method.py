"""An address asked with a method it does not take (a form posted to a page, a logout link
followed, the language switch's address opened) answers 405 with a page that says so, in the
user's language, never an empty page; nothing is done. Logging out stays a form sent with
POST: its address opened as a page asks first, with the button."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from claims.models import Claim, Digest

READING_ONLY = {
    "zh-hans": "这个页面只供阅读，不能向它发送任何内容。",
    "zh-hant": "這個頁面只供閱讀，不能向它送出任何內容。",
    "zh-hant-hk": "這個頁面只供閱讀，不能向它傳送任何內容。",
    "en": "This page is for reading: nothing can be sent to it.",
}
FORM_ONLY = {
    "zh-hans": "这个地址只接收从页面上发送的表单，不能直接打开。",
    "en": "This address takes a form sent from a page; it does not open by itself.",
}


def public_pages(digest):
    """Every page of the public site, by its URL pattern (so that a page added later is
    asked too), each with the arguments the published digest gives it."""
    claim = digest.entries.first().claim_id
    [public] = [p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "public"]
    for pattern in public.url_patterns:
        assert isinstance(pattern, URLPattern), pattern
        groups = pattern.pattern.regex.groupindex
        kwargs = {}
        if "slug" in groups:
            kwargs["slug"] = digest.slug
        if "pk" in groups:
            kwargs["pk"] = claim
        if "section" in groups:
            kwargs["section"] = "claims"
        yield pattern.name, reverse(f"public:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_a_public_page_asked_to_take_something_says_it_is_for_reading(
    client, published_digest, method
):
    asked = []
    for name, address in public_pages(published_digest):
        answer = getattr(client, method)(f"{address}?script=hant")
        if answer.status_code != 405:
            continue  # a page that takes this method (none does today)
        asked.append(name)
        assert "GET" in answer["Allow"], name
        page = answer.content.decode()
        assert READING_ONLY["zh-hant"] in page, name
        assert answer["Content-Language"] == "zh-Hant-TW", name
        # A link to the page itself, as it was asked for.
        assert f'<a href="{address}?script=hant">開啟這個頁面</a>' in page, name
    assert {"home", "archive", "digest", "claim", "about", "search", "feed", "sitemap"} <= set(
        asked
    )
    assert {"sitemap_section", "robots"} <= set(asked)


def test_no_wrong_method_anywhere_outside_the_api_answers_an_empty_page(
    client, editor, published_digest
):
    """Whatever the address, a 405 outside /api/ has a page in it."""
    claim = published_digest.entries.first().claim_id
    addresses = [address for _name, address in public_pages(published_digest)] + [
        reverse("review:queue"),
        reverse("review:claim", args=[claim]),
        reverse("login"),
        reverse("logout"),
        reverse("set_language"),
        "/admin/logout/",
    ]
    for signed_in in (False, True):
        if signed_in:
            client.force_login(editor)
        for address in addresses:
            for method in ("get", "post", "put", "delete", "patch"):
                answer = getattr(client, method)(address)
                if answer.status_code == 405:
                    body = b"".join(answer) if answer.streaming else answer.content
                    assert b"</main>" in body, (method, address)


def test_the_page_speaks_the_readers_language(client, published_digest):
    address = reverse("public:digest", args=[published_digest.slug])
    for script, language in (("hans", "zh-hans"), ("hk", "zh-hant-hk")):
        answer = client.post(f"{address}?script={script}")
        assert answer.status_code == 405
        assert READING_ONLY[language] in answer.content.decode()
    answer = client.post(address)  # the original text: the site's words in Simplified
    assert READING_ONLY["zh-hans"] in answer.content.decode()


def test_nothing_posted_to_a_public_page_is_stored(client, published_digest):
    claims = Claim.objects.count()
    answer = client.post(reverse("public:home"), {"text": "一条新说法"})
    assert answer.status_code == 405
    assert Claim.objects.count() == claims


def test_the_language_switch_opened_as_a_page_says_it_takes_a_form(client, editor):
    client.force_login(editor)
    answer = client.get(reverse("set_language"))
    assert answer.status_code == 405 and answer["Allow"] == "POST"
    assert FORM_ONLY["zh-hans"] in answer.content.decode()
    answer = client.get(reverse("set_language"), HTTP_ACCEPT_LANGUAGE="en")
    assert FORM_ONLY["en"] in answer.content.decode()


def test_the_api_keeps_its_json_405(client, editor, published_digest):
    client.force_login(editor)
    answer = client.put("/api/v1/claims/")
    assert answer.status_code == 405
    assert answer["Content-Type"] == "application/json"
    assert "detail" in answer.json()


@pytest.mark.parametrize("address", ["/accounts/logout/", "/admin/logout/"])
def test_the_logout_address_opened_as_a_page_asks_first(client, editor, address):
    client.force_login(editor)
    answer = client.get(address, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"
    page = answer.content.decode()
    assert "You are logged in as editor. Log out of the desk?" in page
    assert f'<form method="post" action="{reverse("logout")}">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    # Opening it logged nobody out.
    assert client.get(reverse("review:queue")).status_code == 200
    # The button does.
    answer = client.post(address)
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    assert client.get(reverse("review:queue")).status_code == 302


def test_the_logout_page_of_somebody_not_logged_in_offers_to_log_in(client, db):
    answer = client.get(reverse("logout"))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "你没有登录。" in page
    assert f'<a href="{reverse("login")}">登录</a>' in page
    assert '<form method="post" action="/accounts/logout/">' not in page


def test_logging_out_from_another_site_is_still_refused(client, editor):
    """The page asks; the form alone logs out, and it needs the desk's CSRF token."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(reverse("logout")).status_code == 403
    assert strict.get(reverse("review:queue")).status_code == 200


def test_every_desk_page_that_opens_answers_head_too(client, reviewer2, published_digest):
    """A link checker, or a browser checking a page, asks with HEAD: a page that opens with
    GET answers it with the same status and no body, and changes nothing."""
    from claims import services

    draft = services.create_digest(actor=reviewer2, title="草稿", claims=[])
    client.force_login(reviewer2)
    addresses = [
        reverse("review:queue"),
        reverse("review:digest_list"),
        reverse("review:digest_new"),
        reverse("review:digest_detail", args=[draft.pk]),
        reverse("review:digest_edit", args=[draft.pk]),
        reverse("review:digest_publish", args=[draft.pk]),
        reverse("review:digest_correct", args=[published_digest.pk]),
    ]
    for address in addresses:
        assert client.get(address).status_code == 200, address
        answer = client.head(address)
        assert answer.status_code == 200, address
        assert answer.content == b"", address
    draft.refresh_from_db()
    assert not draft.is_published and draft.title == "草稿"
    assert not Digest.objects.filter(corrects=published_digest).exists()
