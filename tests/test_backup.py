"""Backups: a full dump restores the same rows (docs/backup.md says how to run it)."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from claims import services
from claims.models import Claim

# What a backup leaves out: rebuilt by `migrate` (content types, permissions) or ephemeral.
EXCLUDE = ["contenttypes", "auth.permission", "sessions"]


def rows():
    """Every row of every model a backup holds, by model, as plain values."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] in {"contenttypes", "sessions"} or label == "auth.permission":
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        values = model._default_manager.order_by("pk").values_list(*fields)
        state[label] = [tuple(_ms(v) for v in row) for row in values]
    return state


def flush():
    """`manage.py flush`, inside the test's transaction. On PostgreSQL the foreign-key checks
    still pending there must run first (TRUNCATE refuses a table with pending checks), and are
    deferred again afterwards, as loaddata expects."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", "--noinput", verbosity=0)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _ms(value):
    # Django's JSON serializer writes times to the millisecond (ECMA-262 dates).
    if isinstance(value, (datetime.datetime, datetime.time)):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


@pytest.fixture
def desk(published_digest, editor2, reviewer):
    """A desk with a published review, a draft and synthetic data."""
    call_command(
        "synth", articles=3, claims_per_article=2, seed=5, quiet=True, stdout=open("/dev/null", "w")
    )
    services.create_claim(actor=editor2, text="草稿里的说法", evidence=[])
    services.create_digest(actor=reviewer, title="草稿摘要")  # a draft, with no claim yet
    return published_digest


def test_a_full_dump_restores_the_same_rows(desk, tmp_path, django_user_model):
    before = rows()
    assert len(before["claims.claim"]) == 8 and before["claims.digestentry"]
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "--natural-foreign", exclude=EXCLUDE, output=str(backup), verbosity=0)

    flush()
    assert Claim.objects.count() == 0 and django_user_model.objects.count() == 0

    call_command("loaddata", str(backup), verbosity=0)
    assert rows() == before


def test_after_a_restore_the_desk_works_on(desk, tmp_path, editor2):
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "--natural-foreign", exclude=EXCLUDE, output=str(backup), verbosity=0)
    newest = Claim.objects.order_by("-pk").first().pk
    flush()
    call_command("loaddata", str(backup), verbosity=0)
    # Roles (groups and their permissions) came back, and new rows get new ids.
    editor = type(editor2).objects.get(username="editor2")
    claim = services.create_claim(actor=editor, text="恢复之后的新说法")
    assert claim.pk > newest
    # A published digest is still frozen after the restore.
    assert desk.__class__.objects.get(pk=desk.pk).is_published
