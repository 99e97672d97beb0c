"""Every door of the admin, tried with POST by each role: no verdict comes into force, and no
published digest changes, except through the desk's rules.

The attack this guards against: django-simple-history's "revert" page checked only the view
permission and saved with a plain save(), so an editor alone put a superseded `confirmed`
back in force with two POSTs.
"""

import pytest
from django.contrib.auth.models import Permission
from django.forms.models import model_to_dict
from django.urls import reverse

from claims import services
from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from tests.conftest import RUMOUR_QUOTE, make_user

MODELS = [Claim, Evidence, Verdict, Digest, DigestEntry]


def staff(user):
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def desk(seed_articles, editor, reviewer):
    """An approved `false` over a superseded `confirmed`, a published digest and a draft."""
    claim = services.create_claim(
        actor=editor,
        text="Meta的Llama 4团队约80%的成员已经辞职",
        evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
    )
    old = services.propose_verdict(claim, actor=editor, rating="confirmed", rationale="最初的判断")
    services.approve_verdict(old, actor=reviewer, claim_version=claim.version)
    new = services.propose_verdict(claim, actor=editor, rating="false", rationale="员工否认")
    services.approve_verdict(new, actor=reviewer, claim_version=claim.version)
    published = services.publish_digest(
        services.create_digest(actor=reviewer, title="已发布", claims=[claim]), actor=reviewer
    )
    other = services.create_claim(
        actor=editor,
        text="另一条主张",
        evidence=[{"article": seed_articles["001"], "quote": "600个岗位被裁"}],
    )
    waiting = services.propose_verdict(other, actor=editor, rating="disputed", rationale="说法不一")
    draft = services.create_digest(actor=reviewer, title="草稿", claims=[claim])
    return {
        "claim": claim,
        "other": other,
        "waiting": waiting,
        "published": published,
        "draft": draft,
    }


def viewer():
    user = staff(make_user("viewer"))
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="claims", codename__startswith="view_")
    )
    return user


def roles(editor, reviewer):
    superuser = make_user("boss")
    superuser.is_superuser = True
    return {
        "viewer": viewer(),
        "editor": staff(editor),
        "reviewer": staff(reviewer),
        "superuser": staff(superuser),
    }


def admin_url(model, view, *args):
    return reverse(f"admin:claims_{model._meta.model_name}_{view}", args=args)


def doors():
    """Every admin URL of the desk's models, with the POST body that page's form would send
    (for history pages: the old version, as the revert button sends it)."""
    found = []
    for model in MODELS:
        ids = list(model.objects.values_list("pk", flat=True))
        found.append((admin_url(model, "add"), {}))
        found.append(
            (
                admin_url(model, "changelist"),
                {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
            )
        )
        for pk in ids:
            obj = model.objects.get(pk=pk)
            body = {k: ("" if v is None else v) for k, v in model_to_dict(obj).items()}
            found.append((admin_url(model, "change", pk), body))
            found.append((admin_url(model, "delete", pk), {"post": "yes"}))
            found.append((admin_url(model, "history", pk), {}))
            for record in getattr(obj, "history", model.objects.none()).all():
                old = {
                    k: ("" if v is None else v) for k, v in model_to_dict(record.instance).items()
                }
                if model is Claim:
                    old["base_version"] = obj.version
                found.append(
                    (
                        reverse(
                            f"admin:claims_{model._meta.model_name}_simple_history",
                            args=[pk, record.history_id],
                        ),
                        old,
                    )
                )
    return found


def verdicts_in_force():
    return {
        v.pk: (v.rating, v.rationale, v.reviewed_by_id, v.reviewed_at)
        for v in Verdict.objects.filter(status=Verdict.Status.APPROVED)
    }


def published_state():
    return [
        (
            d.pk,
            d.title,
            d.published_at,
            [(e.claim_id, e.position, e.snapshot) for e in d.entries.all()],
        )
        for d in Digest.objects.published().prefetch_related("entries")
    ]


def every_row():
    return {model.__name__: sorted(map(str, model.objects.values_list())) for model in MODELS}


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer", "superuser"])
def test_no_admin_post_puts_a_verdict_in_force_or_changes_a_published_digest(
    client, desk, editor, reviewer, role
):
    user = roles(editor, reviewer)[role]
    client.force_login(user)
    before_rows = every_row()
    for url, body in doors():
        in_force, published = verdicts_in_force(), published_state()
        response = client.post(url, body)
        assert response.status_code < 500, (role, url, response.status_code)
        # Nothing comes into force on any of these doors (approving has its own button,
        # below); what was in force may only leave it (the claim changed through a service).
        now = verdicts_in_force()
        assert set(now) <= set(in_force), (role, url)
        assert all(now[pk] == in_force[pk] for pk in now), (role, url)
        assert published_state() == published, (role, url)
    if role == "viewer":
        assert every_row() == before_rows


def test_a_verdict_history_revert_is_refused_even_for_a_reviewer(client, desk, reviewer):
    client.force_login(staff(reviewer))
    superseded = desk["claim"].verdicts.get(rating="confirmed")
    record = superseded.history.filter(status=Verdict.Status.APPROVED).first()
    url = admin_url(Verdict, "simple_history", superseded.pk, record.history_id)
    page = client.get(url)
    assert page.status_code == 200 and "Revert" not in page.content.decode()
    assert client.post(url, model_to_dict(record.instance)).status_code == 403
    assert Verdict.objects.get(pk=superseded.pk).status == Verdict.Status.SUPERSEDED


def test_reverting_a_claim_in_the_admin_goes_through_the_services(client, desk, editor):
    claim = desk["claim"]
    services.update_claim(claim, actor=editor, version=claim.version, text="改过的说法")
    claim.refresh_from_db()
    verdict = claim.verdicts.get(rating="false")
    assert verdict.status == Verdict.Status.PROPOSED  # the edit reopened it
    services.approve_verdict(
        verdict, actor=desk["published"].published_by, claim_version=claim.version
    )
    first = claim.history.earliest()
    client.force_login(staff(editor))
    response = client.post(
        admin_url(Claim, "simple_history", claim.pk, first.history_id),
        {
            "text": first.text,
            "gloss": first.gloss,
            "base_version": claim.version,
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
            "verdicts-TOTAL_FORMS": 0,
            "verdicts-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    claim.refresh_from_db()
    assert claim.text == first.text and claim.version > first.version
    # Going back to the old words is a change of what the claim says: review again.
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PROPOSED


def test_a_view_only_user_cannot_revert_a_claim(client, desk):
    claim = desk["claim"]
    record = claim.history.earliest()
    client.force_login(viewer())
    response = client.post(
        admin_url(Claim, "simple_history", claim.pk, record.history_id),
        {"text": "篡改", "base_version": claim.version},
    )
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).text == claim.text


def test_the_admin_adds_and_removes_evidence_through_the_services(
    client, desk, editor, seed_articles
):
    claim = desk["claim"]
    client.force_login(staff(editor))
    response = client.post(
        admin_url(Evidence, "add"),
        {
            "claim": claim.pk,
            "article": seed_articles["001"].pk,
            "quote": "600个岗位被裁",
            "stance": "context",
        },
    )
    assert response.status_code == 302, response.content.decode()[:800]
    added = Evidence.objects.get(claim=claim, quote="600个岗位被裁")
    assert (added.start, added.added_by) == (
        seed_articles["001"].body.index("600个岗位被裁"),
        editor,
    )
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 1
    assert claim.approved_verdict is None  # back in review: the evidence changed
    client.post(admin_url(Evidence, "delete", added.pk), {"post": "yes"})
    assert not Evidence.objects.filter(pk=added.pk).exists()
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 2


def test_digest_entries_are_composed_only_through_the_rules(client, desk, reviewer):
    client.force_login(staff(reviewer))
    draft, waiting_claim = desk["draft"], desk["other"]
    page = client.get(admin_url(Digest, "change", draft.pk)).content.decode()
    assert "entries-TOTAL_FORMS" in page
    client.post(
        admin_url(Digest, "change", draft.pk),
        {
            "title": "草稿",
            "intro": "",
            "entries-TOTAL_FORMS": 1,
            "entries-INITIAL_FORMS": 0,
            "entries-0-claim": waiting_claim.pk,
            "entries-0-position": 1,
        },
    )
    assert not DigestEntry.objects.filter(digest=draft, claim=waiting_claim).exists()


def test_a_history_address_whose_ids_are_not_ids_says_there_is_no_such_row(client, desk, db):
    """…/abc/history/ and …/<id>/history/abc/ (a mistyped or cut address) go back to the
    admin's index saying so, as the change page does, rather than failing with a 500."""
    from django.contrib import admin

    from claims.admin import DeskHistoryAdmin

    superuser = make_user("chief")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    histories = [
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, DeskHistoryAdmin)
    ]
    assert {Claim, Evidence, Verdict} <= set(histories)
    for model in histories:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        row = model.objects.first()
        version = row.history.first().history_id
        for address in (
            f"{base}abc/history/",
            f"{base}1.5/history/",
            f"{base}%E4%B8%AD/history/",
            f"{base}abc/history/{version}/",
            f"{base}{row.pk}/history/abc/",
        ):
            for method in ("get", "post"):
                answer = getattr(client, method)(address, HTTP_ACCEPT_LANGUAGE="en")
                assert answer.status_code == 302, (method, address)
                assert answer["Location"] == reverse("admin:index")
                shown = client.get(answer["Location"]).content.decode()
                assert "doesn’t exist. Perhaps it was deleted?" in shown, address
        # The row's own history still opens.
        assert client.get(f"{base}{row.pk}/history/").status_code == 200
        assert client.get(f"{base}{row.pk}/history/{version}/").status_code == 200


def test_an_admin_refusal_is_a_page_in_the_users_language(client, desk, reviewer):
    """The admin's refusals (a page the account may not open, a verdict's history that may not
    be reverted) were Django's bare English "403 Forbidden": now the desk's refusal page, in
    the user's language, and nothing is done."""
    client.force_login(staff(reviewer))
    client.cookies["django_language"] = "zh-hant"
    refused = client.get(reverse("admin:auth_user_changelist"))
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "你的帳號無權進行這項操作，沒有做任何變更。" in page and "</main>" in page
    superseded = desk["claim"].verdicts.get(rating="confirmed")
    record = superseded.history.filter(status=Verdict.Status.APPROVED).first()
    url = admin_url(Verdict, "simple_history", superseded.pk, record.history_id)
    answer = client.post(url, model_to_dict(record.instance), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 403
    assert "Your account may not do this; nothing was changed." not in answer.content.decode()
    assert "你的帳號無權進行這項操作" in answer.content.decode()  # the switch's choice wins
    assert Verdict.objects.get(pk=superseded.pk).status == Verdict.Status.SUPERSEDED


def test_the_people_a_row_names_are_names_not_links_to_a_page_that_refuses(
    client, desk, editor, reviewer, admin_client
):
    """Who made, proposed, reviewed or published a row is shown read-only in the admin. Django
    linked each to the user's admin page, which editors and reviewers may not open (a 403):
    they now read the name alone, while those who may view users keep the link. No user field
    becomes editable on the way."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from newsroom.admin_people import PeopleByName

    claim = desk["claim"]
    verdict = claim.verdicts.get(rating="false")
    evidence = claim.evidence.first()
    pages = [
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_verdict_change", args=[verdict.pk]),
        reverse("admin:claims_evidence_change", args=[evidence.pk]),
        reverse("admin:claims_digest_change", args=[desk["published"].pk]),
        reverse("admin:claims_claim_history", args=[claim.pk]),
    ]
    for user in (staff(editor), staff(reviewer)):
        client.force_login(user)
        for address in pages:
            page = client.get(address)
            assert page.status_code == 200, address
            html = page.content.decode()
            assert "/admin/auth/user/" not in html, (user, address)
        # The claim form names its maker, the verdict its proposer and reviewer.
        html = client.get(pages[1]).content.decode()
        assert "editor" in html and "reviewer" in html
    assert "/admin/auth/user/" in admin_client.get(pages[1]).content.decode()
    # Nowhere does the name take the place of an editable field.
    User = get_user_model()
    # And no admin of the desk shows a read-only user without it (a new one would link again).
    request = RequestFactory().get("/")
    request.user = reviewer
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("claims", "sources", "newsroom", "webhooks"):
            continue
        for shown in (model_admin, *model_admin.get_inline_instances(request)):
            users = {
                field.name
                for field in shown.model._meta.get_fields()
                if getattr(field, "related_model", None) is User
            }
            people = users.intersection(type(shown).readonly_fields)
            assert not people or isinstance(shown, PeopleByName), (type(shown).__name__, people)
    for user in (editor, reviewer):
        request = RequestFactory().get("/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            if not isinstance(model_admin, PeopleByName):
                continue
            for row in (None, model.objects.first()):
                form = model_admin.get_form(request, row)
                editable = [
                    name
                    for name, field in form.base_fields.items()
                    if getattr(getattr(field, "queryset", None), "model", None) is User
                ]
                assert not editable, (model.__name__, editable)
