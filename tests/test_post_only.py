"""A desk address that takes a form sent from a page, opened as a page (a link followed, the
address entered again after a form came back with errors, a tab restored): a 405 that says so in
the editor's language and links to the page the form is on, never an empty page; nothing is
done. The language switch on such a page goes back to the page the form is on."""

from django.urls import URLPattern, get_resolver, get_script_prefix, reverse, set_script_prefix

from claims.access import page_of_form
from claims.models import Verdict
from sources.models import ImportJob

MESSAGE = {
    "zh-hans": "这个地址只接收从页面上发送的表单，不能直接打开。",
    "zh-hant": "這個網址只接收從頁面上送出的表單，不能直接開啟。",
    "en": "This address takes a form sent from a page; it does not open by itself.",
}


def review_addresses(pk):
    """Every address of the review pages, each with `pk` where it takes one."""
    [review] = [p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "review"]
    for pattern in review.url_patterns:
        assert isinstance(pattern, URLPattern), pattern  # no nested URLconf to walk
        groups = pattern.pattern.regex.groupindex
        kwargs = {"pk": pk} if "pk" in groups else {}
        if "fmt" in groups:
            kwargs["fmt"] = "csv"
        yield reverse(f"review:{pattern.name}", kwargs=kwargs)


def test_every_form_address_opened_as_a_page_says_so_and_links_to_the_form(
    client, reviewer, rumour_claim
):
    client.force_login(reviewer)
    verdict = rumour_claim.verdicts.get()
    article = rumour_claim.evidence.get().article
    job = ImportJob.objects.create(created_by=reviewer)
    claim_page = reverse("review:claim", args=[rumour_claim.pk])
    article_page = reverse("review:article", args=[article.pk])
    form_pages = {
        reverse("review:claims_bulk"): reverse("review:queue"),
        reverse("review:article_new_claim", args=[article.pk]): article_page,
        reverse("review:article_add_evidence", args=[article.pk]): article_page,
        reverse("review:claim_edit", args=[rumour_claim.pk]): claim_page,
        reverse("review:claim_add_quote", args=[rumour_claim.pk]): claim_page,
        reverse("review:claim_add_citation", args=[rumour_claim.pk]): claim_page,
        reverse("review:verdict_propose", args=[rumour_claim.pk]): claim_page,
        reverse("review:claim_attach_match", args=[rumour_claim.pk]): claim_page,
        reverse("review:verdict_approve", args=[verdict.pk]): claim_page,
        reverse("review:verdict_send_back", args=[verdict.pk]): claim_page,
        reverse("review:import_job_resume", args=[job.pk]): reverse(
            "review:import_job", args=[job.pk]
        ),
    }
    for address, form_page in form_pages.items():
        answer = client.get(address)
        assert answer.status_code == 405, address
        assert answer["Allow"] == "POST"
        page = answer.content.decode()
        assert MESSAGE["zh-hans"] in page, address
        assert f'<a href="{form_page}">打开这张表单所在的页面</a>' in page, address
        assert client.get(form_page).status_code == 200, form_page
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED


def test_the_page_speaks_the_editors_language(client, editor, rumour_claim):
    client.force_login(editor)
    address = reverse("review:claim_edit", args=[rumour_claim.pk])
    for language in ("zh-hant", "en"):
        answer = client.get(address, HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 405 and MESSAGE[language] in answer.content.decode()


def test_a_verdict_that_is_not_there_links_to_the_verdicts_waiting(client, reviewer):
    client.force_login(reviewer)
    answer = client.get(reverse("review:verdict_approve", args=[999999]))
    assert answer.status_code == 405
    assert f'href="{reverse("review:waiting")}"' in answer.content.decode()


def test_no_review_address_answers_a_page_request_with_an_empty_page(client, reviewer, db):
    """Every address under /review/, opened by a reviewer: a form address is the page above;
    nothing answers 405 with nothing to read (Django's require_POST would)."""
    client.force_login(reviewer)
    refused = []
    for address in review_addresses(999999):
        answer = client.get(address)
        if answer.status_code == 405:
            refused.append(address)
            assert MESSAGE["zh-hans"] in answer.content.decode(), address
    assert len(refused) >= 11


def test_someone_not_signed_in_is_asked_to_sign_in_first(client, rumour_claim):
    answer = client.get(reverse("review:claim_edit", args=[rumour_claim.pk]))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_switching_the_language_on_a_form_sent_back_goes_to_the_page_of_the_form(
    client, editor, rumour_claim
):
    """The page of a form sent back with errors is at the form's own address; the language
    switch on it (its Referer, no `next`) goes back to the page the form is on, in the new
    language, not to the form's address."""
    client.force_login(editor)
    article = rumour_claim.evidence.get().article
    address = reverse("review:article_new_claim", args=[article.pk])
    sent_back = client.post(address, {"quote": "这句话不在文章里", "text": "一条主张"})
    assert sent_back.status_code == 400
    switched = client.post(
        "/i18n/setlang/", {"language": "zh-hant"}, HTTP_REFERER="http://testserver" + address
    )
    assert switched.status_code == 302
    assert switched["Location"] == reverse("review:article", args=[article.pk])
    page = client.get(switched["Location"])
    assert page.status_code == 200 and 'lang="zh-Hant' in page.content.decode()
    # Any other page is gone back to as it was, its query string with it.
    queue = reverse("review:queue") + "?status=approved"
    switched = client.post("/i18n/setlang/", {"language": "zh-hans", "next": queue})
    assert switched["Location"] == queue


def test_a_desk_served_under_a_path_goes_back_under_that_path(rumour_claim):
    """The desk served at /news/ (SCRIPT_NAME): a form's address there resolves to its page there."""
    before = get_script_prefix()
    set_script_prefix("/news/")
    try:
        address = reverse("review:claim_edit", args=[rumour_claim.pk])
        assert address.startswith("/news/review/")
        assert page_of_form("https://desk.example/" + address.lstrip("/")) == reverse(
            "review:claim", args=[rumour_claim.pk]
        )
        assert page_of_form("/news/review/") == "/news/review/"
    finally:
        set_script_prefix(before)
