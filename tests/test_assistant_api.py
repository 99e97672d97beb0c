"""Editors read the claim assistant's findings through the API; nobody else does."""

import pytest
from rest_framework.test import APIClient

from claims import services
from newsroom.models import ApiToken


@pytest.fixture
def api(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(editor)[1]}")
    return client


def _article(name, body):
    from sources.importer import import_bytes

    return import_bytes(f"{name}\n\n{body}\n".encode(), f"{name}.txt").article


@pytest.fixture
def conflicting_articles(db):
    """Three quantities on which two articles each disagree."""
    _article("a", "北京疫情突发，84岁的钟南山院士再次出征。新发地市场关联病例已达到106例。")
    _article("b", "据媒体报道，85岁高龄的钟南山院士已空降北京。")
    _article("c", "新发地市场关联病例已达到137例，防控形势严峻。")
    _article("d", "这家数据标注公司的估值达到300亿美元，创下纪录。")
    _article("e", "这家数据标注公司的估值达到320亿美元，创下纪录。")


def test_an_editor_reads_the_figure_conflicts_across_articles(api, conflicting_articles):
    response = api.get("/api/v1/conflicts/")
    assert response.status_code == 200
    data = response.json()
    assert {"count", "next", "previous", "results"} <= set(data)
    age = next(c for c in data["results"] if "钟南山" in c["subject"])
    figures = {(f["article"]["filename"], f["value"], f["unit"]) for f in age["figures"]}
    assert figures == {("a.txt", 84, "age"), ("b.txt", 85, "age")}
    for figure in age["figures"]:
        assert {"text", "value", "unit", "article", "quote", "hedged"} <= set(figure)
        assert {"id", "filename"} <= set(figure["article"])


def test_conflicts_are_paginated(api, conflicting_articles):
    first = api.get("/api/v1/conflicts/?page_size=1").json()
    assert first["count"] >= 3 and len(first["results"]) == 1 and first["next"]
    past = api.get("/api/v1/conflicts/?page=999")
    assert past.status_code == 404 or (past.status_code == 200 and past.json()["results"] == [])


def test_an_editor_reads_a_claims_matches_across_scripts(api, rumour_claim, seed_articles):
    response = api.get(f"/api/v1/claims/{rumour_claim.pk}/matches/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results, "the rumour is repeated elsewhere"
    for match in results:
        article = match["article"]
        body = seed_articles[article["filename"][:3]].body
        assert body[match["start"] : match["end"]] == match["quote"]


def test_matches_can_be_shown_in_simplified_script(api, rumour_claim):
    results = api.get(f"/api/v1/claims/{rumour_claim.pk}/matches/?script=hans").json()["results"]
    # A quote keeps its words; its converted form is beside it.
    assert results and all("團" not in m["quote_converted"] for m in results)


@pytest.mark.parametrize("path", ["/api/v1/conflicts/", "/api/v1/claims/1/matches/"])
def test_anonymous_readers_are_asked_to_log_in(client, seed_articles, path):
    assert client.get(path).status_code == 401


def test_a_logged_in_non_editor_is_refused(seed_articles, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/v1/conflicts/").status_code == 403


@pytest.mark.parametrize("claim_id", ["999999", "abc", "-1", str(2**70)])
def test_an_unknown_claim_is_a_404(api, seed_articles, claim_id):
    response = api.get(f"/api/v1/claims/{claim_id}/matches/")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("limit", ["0", "51", "x", "-3"])
def test_a_bad_limit_is_a_400(api, rumour_claim, limit):
    response = api.get(f"/api/v1/claims/{rumour_claim.pk}/matches/?limit={limit}")
    assert response.status_code == 400
    assert "limit" in response.json()


def test_the_conflicts_list_does_not_query_per_article(
    api, conflicting_articles, django_assert_max_num_queries, checks_every_request
):
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/conflicts/").status_code == 200


def test_matches_do_not_query_per_article(
    api, rumour_claim, editor, seed_articles, django_assert_max_num_queries, checks_every_request
):
    services.add_evidence(
        rumour_claim,
        actor=editor,
        article=seed_articles["002"],
        quote="Llama的14位原始创始研究员中，有11位已经离开了公司",
    )
    api.get(f"/api/v1/claims/{rumour_claim.pk}/matches/")  # the index catches up with the claim
    with django_assert_max_num_queries(10):
        assert api.get(f"/api/v1/claims/{rumour_claim.pk}/matches/").status_code == 200
