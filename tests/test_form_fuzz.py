"""Bad input on every desk form and in every page's query string: generated values (any text,
control characters, numbers far out of range, lists where one value is wanted, fields left
out) are answered with a page or a message, never a 5xx.

Every POST form of the desk's pages is found as a reviewer sees it (an editor's are the same
but for the reviewing ones), and of the admin's add and change pages as staff see them, filled
as the page fills it; each is sent FORM_FUZZ_EXAMPLES times with one to three fields emptied,
changed or left out (2 by default, so that `make test` stays fast; CI's PostgreSQL run asks for
100, which finds a planted `int()` of a form field). Every page is asked for with as many
generated query strings. Each example's writes are rolled back. The API's own property tests are
tests/test_schemathesis.py."""

from contextlib import contextmanager
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from claims import services
from claims.models import Claim, Digest
from tests.properties import bounded

EXAMPLES, BOUNDED = bounded("FORM_FUZZ_EXAMPLES", 2)
VALUE = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x30), max_size=5),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1.5",
            "1e9",
            "9" * 40,
            "\x00",
            "null",
            "[]",
            "長" * 6000,
            "2024-13-45",
            "１２",
            "hant",
            "approved",
            "../../etc/passwd",
        ]
    ),
)
VALUES = st.one_of(VALUE, st.lists(VALUE, max_size=3))
PARAMETERS = st.dictionaries(
    st.sampled_from(
        [
            "q",
            "page",
            "script",
            "section",
            "status",
            "source",
            "rating",
            "ordering",
            "cursor",
            "page_size",
            "verdict",
            "digest",
            "published",
            "kind",
            "claim",
            "article",
            "next",
            # the admin's lists: ordering, page, filters
            "o",
            "p",
            "e",
            "source__id__exact",
            "published_on__gte",
            "_changelist_filters",
        ]
    ),
    VALUE,
    max_size=4,
)
# Every page's header: Django's own language and logout forms.
HEADER_FORMS = {"/i18n/setlang/", "/accounts/logout/"}


class PostForms(HTMLParser):
    """The POST forms of a page: their action, and their fields with the values the page
    gives them (a checked box, a selected option, a text area's text)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._text, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            post = (attrs.get("method") or "get").lower() == "post"
            self._form = {"action": attrs.get("action") or "", "fields": {}} if post else None
            if post:
                self.forms.append(self._form)
            return
        name = attrs.get("name")
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and name:
            checkable = (attrs.get("type") or "").lower() in ("checkbox", "radio")
            fields.setdefault(name, "")
            if not checkable or "checked" in attrs:
                fields[name] = attrs.get("value") or ("on" if checkable else "")
        elif tag == "textarea" and name:
            fields[name], self._text = "", name
        elif tag == "select" and name:
            fields[name], self._select = "", name
        elif tag == "option" and self._select and "selected" in attrs:
            fields[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._text:
            self._form["fields"][self._text] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._text = None
        elif tag == "select":
            self._select = None


@pytest.fixture
def desk(published_digest, rumour_claim, editor, reviewer):
    """A working desk (a published digest, a draft, a verdict waiting for review) and the
    POST forms of its pages, once per action and fields."""
    waiting = services.create_claim(actor=editor, text="网传某地明天停水")
    services.propose_verdict(waiting, actor=editor, rating="rumour", rationale="只有转发。")
    draft = services.create_digest(actor=reviewer, title="草稿", claims=[rumour_claim])
    article = rumour_claim.evidence.first().article
    pages = [
        "/review/",
        "/review/waiting/",
        "/review/search/?q=裁员",
        "/review/assistant/",
        "/review/import/",
        "/review/digests/",
        "/review/digests/new/",
        f"/review/digests/{draft.pk}/",
        f"/review/digests/{draft.pk}/edit/",
        f"/review/digests/{draft.pk}/publish/",
        f"/review/digests/{published_digest.pk}/",
        f"/review/digests/{published_digest.pk}/correct/",
        f"/review/articles/{article.pk}/",
        f"/review/claims/{rumour_claim.pk}/",
        f"/review/claims/{waiting.pk}/",
    ]
    # The reviewer's forms: an editor's are the same but for the reviewing ones.
    return {"pages": pages, "forms": forms_of(reviewer, pages), "reviewer": reviewer}


def forms_of(person, pages):
    """The POST forms of `pages` as `person` sees them, each once: (action, the fields and the
    values the page gives them)."""
    forms = {}  # (action, names): the fields and values first found
    client = Client()
    client.force_login(person)
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 200, (page, answer.status_code)
        found = PostForms()
        found.feed(answer.content.decode())
        for form in found.forms:
            action = form["action"] or page
            fields = dict(form["fields"])
            fields.pop("csrfmiddlewaretoken", None)
            if action not in HEADER_FORMS:
                # One form per action and field names (a list shows one per row).
                forms.setdefault((action, tuple(sorted(fields))), tuple(sorted(fields.items())))
    return [(action, fields) for (action, _), fields in forms.items()]


@contextmanager
def undone():
    """An example's writes are rolled back: every example starts from the same desk."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# What a test takes, about, so that the file is handed out in its place (tests/conftest.py).
@pytest.mark.slow(seconds=1 + 0.75 * EXAMPLES)
def test_every_desk_form_answers_bad_input_without_a_server_error(desk):
    actions = {action for action, _ in desk["forms"]}
    # The forms were found: claims, quotes, citations, verdicts, reviews, digests, imports.
    for part in (
        "/claims/new/",
        "/evidence/new/",
        "/citations/new/",
        "/verdicts/new/",
        "/approve/",
        "/send-back/",
        "/digests/new/",
        "/edit/",
        "/publish/",
        "/correct/",
        "/review/import/",
        "/review/claims/bulk/",
    ):
        assert any(part in action for action in actions), part
    for form in desk["forms"]:
        _send_bodies(desk["reviewer"], *form)()


LEFT_OUT = object()


def _send_bodies(person, action, fields):
    """The form as the page fills it, with one to three of its fields emptied, changed to a
    generated value or left out: a form valid but for those reaches the code that saves it.
    The formsets' counts (`…-TOTAL_FORMS`) stay as they are: Django reads up to 1,000 forms of
    garbage there, as it should, but slowly."""
    client = Client(raise_request_exception=False)
    client.force_login(person)
    as_given = dict(fields)
    names = sorted(name for name in as_given if not name.endswith("_FORMS"))
    if not names:
        return lambda: None
    change = st.one_of(st.just(""), VALUES, st.just(LEFT_OUT))

    @BOUNDED
    @given(changes=st.dictionaries(st.sampled_from(names), change, min_size=1, max_size=3))
    def send(changes):
        sent = {**as_given, **changes}
        sent = {name: value for name, value in sent.items() if value is not LEFT_OUT}
        with undone():
            answer = client.post(action, sent)
        assert answer.status_code < 500, (person.username, action, sent)

    return send


@pytest.mark.slow(seconds=1 + 0.6 * EXAMPLES)
def test_every_admin_form_answers_bad_input_without_a_server_error(desk, admin_user):
    """The admin's add and change forms, as the desk's staff send them (its writes go through
    the services too)."""
    claim = Claim.objects.filter(evidence__isnull=False).first()
    evidence = claim.evidence.first()
    digest = Digest.objects.published().first()
    pages = [
        "/admin/sources/source/add/",
        f"/admin/sources/source/{evidence.article.source_id}/change/",
        "/admin/sources/article/add/",
        f"/admin/sources/article/{evidence.article_id}/change/",
        "/admin/claims/claim/add/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/admin/claims/evidence/add/",
        f"/admin/claims/evidence/{evidence.pk}/change/",
        "/admin/claims/digest/add/",
        f"/admin/claims/digest/{digest.pk}/change/",
        "/admin/claims/glossaryentry/add/",
        "/admin/webhooks/endpoint/add/",
        "/admin/auth/user/add/",
        "/admin/claims/claim/",
    ]
    forms = forms_of(admin_user, pages)
    assert len(forms) >= len(pages)
    for form in forms:
        _send_bodies(admin_user, *form)()


@pytest.mark.slow(seconds=0.5 * EXAMPLES)
def test_every_page_answers_bad_query_strings_without_a_server_error(desk, admin_user):
    paths = [
        "/",
        "/digests/",
        "/search/",
        "/feed/",
        "/about/",
        "/review/claims/pick.json",
        "/review/claims/export.csv",
        "/review/notices/",
        "/admin/claims/claim/",
        "/admin/claims/verdict/",
        "/admin/claims/evidence/",
        "/admin/sources/article/",
    ]
    for path in paths + [page.split("?")[0] for page in desk["pages"]]:
        _ask_with_parameters(path, admin_user if path.startswith("/admin/") else desk["reviewer"])()


def _ask_with_parameters(path, person):
    @BOUNDED
    @given(parameters=PARAMETERS, anonymous=st.booleans())
    def ask(parameters, anonymous):
        client = Client(raise_request_exception=False)
        if not anonymous:
            client.force_login(person)
        answer = client.get(path, parameters)
        assert answer.status_code < 500, (path, parameters, answer.status_code)

    return ask
