"""The admin in the editor's language: every field of the desk's models, and every app, is
named (and its help under the field explained) in each reading, so that no label, column,
filter or help of the admin is left in English (Django names a field by its attribute,
"proposed by", when it is given no name)."""

import html as html_module
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from claims import services

APPS = ("claims", "sources", "newsroom", "webhooks")
CJK = re.compile(r"[\u4e00-\u9fff]")
LANGUAGES = ("zh-hans", "zh-hant", "zh-hant-hk")


def in_english(text):
    with translation.override("en"):
        return str(text)


def desk_fields():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # django-simple-history's copies: the same fields
            for field in model._meta.get_fields():
                if field.concrete and not field.auto_created:
                    yield model, field


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_field_and_app_of_the_desk_is_named_and_explained_in_each_reading(language):
    unnamed = []
    with translation.override(language):
        for model, field in desk_fields():
            if not CJK.search(str(field.verbose_name)):
                unnamed.append(f"{model.__name__}.{field.name}: {field.verbose_name}")
            # Some help holds an example in Chinese (川普): it must still not read as in English.
            if field.help_text and str(field.help_text) == in_english(field.help_text):
                unnamed.append(f"{model.__name__}.{field.name}'s help: {field.help_text}")
        for label in APPS:
            name = str(apps.get_app_config(label).verbose_name)
            if not CJK.search(name):
                unnamed.append(f"app {label}: {name}")
    assert not unnamed, "\n".join(unnamed)


def test_the_claim_form_and_the_verdict_list_have_no_english_labels(client, reviewer, rumour_claim):
    """Labels, columns, inline headings and breadcrumbs as a reviewer reads them in Traditional
    Chinese, the claim's history and an old version of it included."""
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    client.cookies["django_language"] = "zh-hant"
    english = set()
    old = rumour_claim.history.earliest("history_date")
    for address in (
        reverse("admin:claims_claim_change", args=[rumour_claim.pk]),
        reverse("admin:claims_verdict_changelist"),
        reverse("admin:claims_evidence_changelist"),
        reverse("admin:claims_claim_history", args=[rumour_claim.pk]),
        reverse("admin:claims_claim_simple_history", args=[rumour_claim.pk, old.history_id]),
    ):
        page = client.get(address)
        assert page.status_code == 200, address
        html = re.sub(r"<(script|textarea)\b.*?</\1>", " ", page.content.decode(), flags=re.S)
        for label in re.findall(r"<label[^>]*>([^<]+)</label>|<th[^>]*>\s*([^<\s][^<]*)<", html):
            text = "".join(label).strip()
            if re.search(r"[A-Za-z]{3,}", text) and not CJK.search(text):
                english.add(text)
        crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S).group(1)
        english.update(
            text.strip()
            for text in re.findall(r">([^<]+)<", html_module.unescape(crumbs))
            if re.search(r"[A-Za-z]{3,}", text) and not CJK.search(text)
        )
        for heading in re.findall(r'<div class="text">\s*(?:<a[^>]*>|<span>)([^<]+)<', html):
            if not CJK.search(heading):
                english.add(heading.strip())
    assert not english, english


def test_a_history_shows_what_changed_as_the_admin_shows_values(
    client, reviewer, editor, rumour_claim
):
    """The changes of a verdict's and a claim's history, in Traditional Chinese: a status by its
    name, a time in the desk's format, nothing as the admin's empty value, no reason where
    none was given; not Python's None, an ISO time in UTC or "Deleted user (pk=None)"."""
    verdict = rumour_claim.verdicts.get()
    services.approve_verdict(verdict, actor=reviewer, claim_version=rumour_claim.version)
    services.assign_claims([rumour_claim], actor=reviewer, assignee=editor)
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    client.cookies["django_language"] = "zh-hant"
    for address, said in (
        (
            reverse("admin:claims_verdict_history", args=[verdict.pk]),
            ("待審核", "已批准", "已建立"),
        ),
        (reverse("admin:claims_claim_history", args=[rumour_claim.pk]), ("指派給 editor",)),
    ):
        page = client.get(address)
        assert page.status_code == 200
        table = re.search(r'<table id="change-history".*?</table>', page.content.decode(), re.S)
        rows = html_module.unescape(table.group(0))
        for word in said:
            assert word in rows, (address, word)
        for raw in ("None", "pk=", "+00:00", "proposed", "approved", "assigned to"):
            assert raw not in rows, (address, raw)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_index_names_every_app_and_model_in_each_reading(client, db, language):
    """The libraries' too (django-axes' login lockouts, django-tasks' background tasks), which
    a superuser reads on the admin's index: their own names are English only."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("chief", password="pw-for-tests-only"))
    client.cookies["django_language"] = language
    page = client.get(reverse("admin:index")).content.decode()
    names = re.findall(
        r'<caption>\s*<a [^>]*>([^<]+)</a>|<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', page
    )
    names = [html_module.unescape("".join(name)).strip() for name in names]
    assert len(names) > 20
    english = [name for name in names if not CJK.search(name)]
    assert not english, english


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_password_refused_as_too_short_says_so_in_each_reading(language):
    """Django's Simplified catalogue lacks this message (its plural is broken): an editor
    setting a password in the admin read it in English."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_password("a1")
    too_short = [message for message in refused.value.messages if "8" in message]
    assert too_short and all(CJK.search(message) for message in too_short), too_short


def test_a_row_deleted_since_is_named_as_deleted_in_the_readers_words(rumour_claim):
    """A history change that points to a row since deleted (an article no longer on the desk):
    django-simple-history says "Deleted article (pk=7)" in English."""
    from simple_history.models import DeletedObject, ModelChange

    from claims.admin import HistoryValues
    from claims.models import Claim
    from sources.models import Article

    record = rumour_claim.history.latest("history_date")
    gone = DeletedObject(Article, 7)
    with translation.override("zh-hant"):
        shown = HistoryValues(Claim, record, empty="-").format_delta_change(
            ModelChange("first_appearance", gone, None)
        )
    assert (str(shown.old), str(shown.new)) == ("文章 #7（已刪除）", "-")


@pytest.mark.parametrize("language", LANGUAGES)
def test_yes_and_no_in_every_admin_list_are_in_each_reading(
    client, reviewer, rumour_claim, language
):
    """A boolean column is an icon whose text a screen reader reads: Django's says True or
    False in English; every list of the admin, the libraries' included, says 是 or 否."""
    from axes.models import AccessFailureLog
    from django.contrib import admin as django_admin
    from django.contrib.auth.models import User

    from webhooks.models import Endpoint

    services.create_digest(actor=reviewer, title="草稿", claims=[])
    Endpoint.objects.create(url="https://cms.example.org/hook", active=False)
    AccessFailureLog.objects.create(username="someone", ip_address="198.18.0.1", locked_out=True)
    client.force_login(User.objects.create_superuser("chief", password="pw-for-tests-only"))
    client.cookies["django_language"] = language
    icons = []
    for model in django_admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = client.get(url).content.decode()
        icons += [
            (url, alt) for alt in re.findall(r'<img [^>]*icon-[a-z]+[^>]*alt="([^"]*)"', page)
        ]
    lists = {url for url, _ in icons}
    assert {
        reverse("admin:auth_user_changelist"),
        reverse("admin:claims_digest_changelist"),
        reverse("admin:webhooks_endpoint_changelist"),
        reverse("admin:axes_accessfailurelog_changelist"),
    } <= lists
    assert {alt for _, alt in icons} <= {"是", "否", "未知"}, icons


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admins_user_and_password_forms_explain_themselves_in_each_reading(
    client, db, language
):
    """Django's catalogues lack the help of "password-based authentication", and Django adds
    the warning of the password form in English, outside gettext."""
    from django.contrib.auth.models import User

    chief = User.objects.create_superuser("chief", password="pw-for-tests-only")
    client.force_login(chief)
    client.cookies["django_language"] = language
    for address in [
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_password_change", args=[chief.pk]),
    ]:
        page = client.get(address).content.decode()
        helps = re.findall(r'<div class="help"[^>]*>(.*?)</div>', page, re.S)
        assert helps, address
        text = html_module.unescape(re.sub(r"<[^>]+>", " ", " ".join(helps)))
        english = re.findall(r"[A-Za-z]+(?: [A-Za-z]+){2,}", text)
        assert not english, (address, english)
