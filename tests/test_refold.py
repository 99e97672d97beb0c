"""`manage.py refold` brings stored search texts in line with folding when folding changes
(here: the desk glossary gives a name's two forms), so that search finds them again."""

from io import StringIO

import pytest
from django.core.management import call_command

from claims import services
from claims.models import Claim
from claims.search import search
from sources import text as scripts

pytestmark = pytest.mark.django_db


def test_after_refold_a_glossary_alias_finds_stored_claims(editor):
    claim = services.create_claim(actor=editor, text="特朗普说要加征关税")
    assert not search(Claim.objects.all(), "川普").exists()
    scripts.set_aliases("glossary-test", [("川普", "特朗普")])
    try:
        # The stored text was folded before the alias existed: refold brings it in line.
        out = StringIO()
        call_command("refold", stdout=out)
        assert "1 claims" in out.getvalue()
        assert list(search(Claim.objects.all(), "川普")) == [claim]
        assert list(search(Claim.objects.all(), "特朗普")) == [claim]
        out = StringIO()
        call_command("refold", stdout=out)
        assert out.getvalue().startswith("0 articles, 0 claims, 0 digest entries")
    finally:
        scripts.set_aliases("glossary-test", [])
        call_command("refold", stdout=StringIO())


def test_regional_vocabulary_is_found_both_ways(editor):
    a = services.create_claim(actor=editor, text="這款維他命的品質堪憂")
    b = services.create_claim(actor=editor, text="这种维生素的质量有问题")
    for query in ("維他命", "维生素", "品質", "质量"):
        assert set(search(Claim.objects.all(), query)) == {a, b}, query
