"""Rules the database keeps, and the model behaviour the importer relies on."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Evidence
from sources import text as scripts
from sources.models import Article, Source, content_fingerprint

pytestmark = pytest.mark.django_db


def article(body="正文第一句。", **fields):
    return Article.objects.create(source=Source.unknown(), body=body, script="hans", **fields)


def test_evidence_whose_end_is_not_after_its_start_is_rejected_by_the_database(
    rumour_claim, seed_articles
):
    for start, end in ((5, 3), (5, 5)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Evidence.objects.create(
                claim=rumour_claim, article=seed_articles["004"], start=start, end=end, quote="x"
            )


def test_evidence_needs_an_article_span_or_a_citation(rumour_claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=rumour_claim, quote="无处可依")
    Evidence.objects.create(claim=rumour_claim, url="https://example.com/wsj", citation_title="WSJ")


def test_a_quote_must_equal_the_article_text_at_its_offsets(rumour_claim, seed_articles):
    body = seed_articles["004"].body
    good = Evidence(
        claim=rumour_claim, article=seed_articles["004"], start=0, end=4, quote=body[:4]
    )
    good.full_clean()
    bad = Evidence(
        claim=rumour_claim, article=seed_articles["004"], start=0, end=4, quote="不對的字"
    )
    with pytest.raises(ValidationError, match="字处不符"):
        bad.full_clean()


def test_two_articles_with_the_same_fingerprint_are_rejected_by_the_database():
    article("同一篇文章。")
    with pytest.raises(IntegrityError), transaction.atomic():
        article(scripts.to_script("同一篇文章。", "hant"))
    assert Article.objects.count() == 1


def test_the_fingerprint_ignores_script_and_whitespace():
    assert content_fingerprint("软件 裁员\n六百人") == content_fingerprint("軟體裁員六百人")


def test_an_article_that_evidence_points_at_cannot_be_deleted(rumour_claim, seed_articles):
    with pytest.raises(ProtectedError):
        seed_articles["004"].delete()
    assert Article.objects.filter(pk=seed_articles["004"].pk).exists()


def test_a_source_with_articles_cannot_be_deleted(seed_articles):
    with pytest.raises(ProtectedError):
        seed_articles["000"].source.delete()


def test_search_text_follows_an_edited_title():
    item = article("正文提到软件。", title="旧标题")
    item.title = "裁員消息"
    item.save()
    assert Article.objects.get(pk=item.pk).search_text == "裁员消息 正文提到软件。"


def test_the_unknown_source_is_one_row():
    assert Source.unknown() == Source.unknown()
    assert Source.objects.filter(slug=Source.UNKNOWN_SLUG).count() == 1
