"""claims.search: the `q=` match the API and pages use, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.search import grams, search


@pytest.fixture
def claims(db):
    texts = [
        "Meta裁员600人",
        "軟體工程師被裁員",
        "扎克伯格招募亚历山大·王",
        "网传Llama 4团队集体辞职",
    ]
    return [Claim.objects.create(text=t) for t in texts]


def found(q, field="search_text"):
    return sorted(c.text for c in search(Claim.objects.all(), q, field))


def test_a_two_character_query_finds_both_scripts(claims):
    assert found("裁員") == ["Meta裁员600人", "軟體工程師被裁員"]
    assert found("裁员") == found("裁員")


def test_regional_vocabulary_is_folded(claims):
    assert found("软件") == ["軟體工程師被裁員"]


def test_every_term_must_occur(claims):
    assert found("meta 裁员") == ["Meta裁员600人"]
    assert found("META 辞职") == []


def test_one_character_and_latin_queries(claims):
    assert found("王") == ["扎克伯格招募亚历山大·王"]
    assert found("LLAMA") == ["网传Llama 4团队集体辞职"]


def test_an_empty_query_changes_nothing(claims):
    assert len(found("   ")) == 4


def test_a_query_of_wildcards_matches_literally(claims):
    assert found("%") == [] and found("_") == []


def test_grams_are_the_pairs_of_a_term():
    assert grams("扎克伯格") == ["伯格", "克伯", "扎克"]
    assert grams("王") == ["王"]


def test_postgresql_answers_a_query_from_the_gram_index(claims):
    if connection.vendor != "postgresql":
        # SQLite has no such index: a LIKE it is (the suite also runs on PostgreSQL in CI).
        assert "LIKE" in str(search(Claim.objects.all(), "裁员").query)
        return
    with connection.cursor() as cursor:
        # Four rows: a scan of the table or of its primary key would win; the point is that
        # the gram index can answer the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    with CaptureQueriesContext(connection) as queries:
        queryset = search(Claim.objects.all(), "裁员")
    # The rows' ids come from the index; the list is then read by those ids, and no row's
    # grams are computed at query time.
    ids_query = next(q["sql"] for q in queries if "newsroom_grams" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + ids_query)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claims_claim_search_grams" in plan
    assert "newsroom_grams" not in str(queryset.query)
    assert sorted(c.text for c in queryset) == ["Meta裁员600人", "軟體工程師被裁員"]


def test_lists_of_one_page_that_search_one_table_ask_its_index_once(claims):
    """The review queue's three lists of claims search claims' text: on PostgreSQL the gram
    index is asked once for them all, and each list still holds its own rows."""
    memo = {}
    with CaptureQueriesContext(connection) as queries:
        every = search(Claim.objects.all(), "裁员", memo=memo)
        without_meta = search(Claim.objects.exclude(text__contains="Meta"), "裁员", memo=memo)
        every, without_meta = sorted(c.text for c in every), sorted(c.text for c in without_meta)
    assert every == ["Meta裁员600人", "軟體工程師被裁員"]
    assert without_meta == ["軟體工程師被裁員"]
    asked = [q["sql"] for q in queries if "newsroom_grams" in q["sql"]]
    assert len(asked) == (1 if connection.vendor == "postgresql" else 0)
