"""The desk glossary's aliases (川普 = 特朗普) reach search, quote anchoring and dedupe, not only
the claim assistant: a change to the glossary is used at once for what is typed, and a
background task folds the stored texts again."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from claims import services
from claims.assistant import glossary
from claims.assistant.models import GlossaryEntry
from claims.models import Claim
from claims.search import search
from sources.importer import import_bytes
from sources.models import Article

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BODY = "川普周三宣布对进口钢铁加征关税。\n来源：测试社\n"


def found(q):
    return (
        list(search(Claim.objects.all(), q).values_list("text", flat=True)),
        list(search(Article.objects.all(), q).values_list("pk", flat=True)),
    )


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.fixture
def desk(desk_groups, settings, editor):
    settings.TASKS = DATABASE
    article = import_bytes(("关税消息\n" + BODY).encode(), "tariffs.txt").article
    claim = services.create_claim(actor=editor, text="特朗普宣布加征钢铁关税")
    return article, claim


def test_a_new_alias_finds_both_names_once_the_stored_texts_are_folded_again(desk):
    article, claim = desk
    assert found("川普") == ([], [article.pk])
    assert found("特朗普") == ([claim.text], [])

    GlossaryEntry.objects.create(term="川普", canonical="特朗普")
    refolds = DBTaskResult.objects.filter(task_path="claims.tasks.refold", status="READY")
    assert refolds.count() == 1
    run_worker()
    assert found("川普") == ([claim.text], [article.pk])
    assert found("特朗普") == ([claim.text], [article.pk])
    # Stored texts keep their own words: only the folded search copy changed.
    article.refresh_from_db()
    assert "川普周三" in article.body and Claim.objects.get().text == "特朗普宣布加征钢铁关税"

    GlossaryEntry.objects.all().delete()
    run_worker()
    assert found("川普") == ([], [article.pk])


def test_a_quote_typed_with_the_other_name_anchors_to_the_original_words(desk, editor):
    article, claim = desk
    typed = "特朗普周三宣布对进口钢铁加征关税"
    with pytest.raises(services.QuoteNotFound):
        services.anchor_quote(article, typed)
    GlossaryEntry.objects.create(term="川普", canonical="特朗普")
    start, end, exact = services.anchor_quote(article, typed)
    assert exact == "川普周三宣布对进口钢铁加征关税"
    assert article.body[start:end] == exact


def test_an_alias_added_elsewhere_is_read_by_this_process(desk, monkeypatch):
    """Another app server (or the admin's worker) edited the glossary: no signal reached this
    process, which reads the change at its next check."""
    article, claim = desk
    assert found("特朗普") == ([claim.text], [])
    GlossaryEntry.objects.bulk_create([GlossaryEntry(term="川普", canonical="特朗普")])
    monkeypatch.setattr(glossary, "CHECK_EVERY", 0.0)
    run_worker()  # nothing queued: no signal was sent
    call_command("refold", stdout=open("/dev/null", "w"))
    assert found("特朗普") == ([claim.text], [article.pk])


def test_a_re_import_with_the_other_name_is_the_same_article(desk):
    article, _ = desk
    GlossaryEntry.objects.create(term="川普", canonical="特朗普")
    run_worker()
    again = import_bytes(("关税消息\n" + BODY.replace("川普", "特朗普")).encode(), "again.txt")
    assert again.article == article
    assert Article.objects.count() == 1
