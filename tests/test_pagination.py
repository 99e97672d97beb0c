"""Long lists come in pages: the API's page numbers, cursors and capped counts, and the digest
composer's claim picker. Bad page input is a 400 or an empty page, never a 5xx. (The public
pages: test_public_paging.py; the queue and the other pickers: test_review_paging.py.)"""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services
from claims.api.pagination import Pagination, make_cursor
from claims.models import Claim, Digest, Evidence
from claims.views import digests as composer


def synth(articles=4, per_article=3, per_digest=5, seed=1):
    with open(os.devnull, "w") as quiet:
        call_command(
            "synth",
            articles=articles,
            claims_per_article=per_article,
            claims_per_digest=per_digest,
            seed=seed,
            quiet=True,
            stdout=quiet,
        )


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def desk(db):
    """Twelve published claims in three digests; their ids in order."""
    synth()
    return list(
        Claim.objects.filter(published_entry__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
    )


def walk(client, url, link="next"):
    """Every id on the pages reached from `url` by following `link`, in the order read."""
    ids = []
    for _ in range(100):
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        page = [claim["id"] for claim in body["results"]]
        ids += page if link == "next" else list(reversed(page))
        url = body[link]
        if not url:
            return ids
    raise AssertionError("more than 100 pages")


# --- API -------------------------------------------------------------------------------------


def test_a_list_keeps_the_contract_and_says_its_count_is_exact(anon, desk):
    body = anon.get("/api/v1/claims/?page_size=5").json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert body["count"] == 12 and body["count_capped"] is False
    assert "page=2" in body["next"] and body["previous"] is None
    assert anon.get(body["next"]).json()["previous"].endswith("/api/v1/claims/?page_size=5")


def test_counts_stop_at_the_cap(anon, desk, monkeypatch):
    monkeypatch.setattr(Pagination, "count_cap", 5)
    monkeypatch.setattr(Pagination, "max_offset", 5)
    body = anon.get("/api/v1/claims/?page_size=2").json()
    assert body["count"] == 5 and body["count_capped"] is True
    assert walk(anon, "/api/v1/claims/?page_size=2") == desk


def test_following_next_hands_over_from_page_numbers_to_a_cursor(anon, desk, monkeypatch):
    monkeypatch.setattr(Pagination, "max_offset", 4)
    first = anon.get("/api/v1/claims/?page_size=2").json()
    second = anon.get(first["next"]).json()
    assert (
        "page=2" in first["next"] and "cursor=" in second["next"] and "page=" not in second["next"]
    )
    assert walk(anon, "/api/v1/claims/?page_size=2") == desk
    # Deeper than max_offset by page number: a 400 that says what to do.
    answer = anon.get("/api/v1/claims/?page_size=2&page=3")
    assert answer.status_code == 400 and "next" in answer.json()["page"][0]


@pytest.mark.parametrize(
    "ordering", ["id", "-id", "published_at", "-published_at", "created_at", "-created_at"]
)
def test_cursor_pages_walk_every_ordering_both_ways(anon, desk, monkeypatch, ordering):
    expected = [
        c["id"]
        for c in anon.get(f"/api/v1/claims/?ordering={ordering}&page_size=200").json()["results"]
    ]
    assert sorted(expected) == desk
    monkeypatch.setattr(Pagination, "max_offset", 1)  # every `next` is a cursor
    forward = walk(anon, f"/api/v1/claims/?ordering={ordering}&page_size=5")
    assert forward == expected
    # From the last page back to the first by `previous`.
    url = f"/api/v1/claims/?ordering={ordering}&page_size=5"
    while True:
        body = anon.get(url).json()
        if not body["next"]:
            break
        url = body["next"]
    assert list(reversed(walk(anon, url, link="previous"))) == expected


def test_an_editor_pages_drafts_and_published_claims_by_publication_date(editor, desk, monkeypatch):
    for i in range(3):
        services.create_claim(actor=editor, text=f"草稿主张{i}")  # never published: no date
    client = APIClient()
    client.force_authenticate(editor)
    monkeypatch.setattr(Pagination, "max_offset", 1)
    for ordering in ("published_at", "-published_at"):
        everything = client.get(f"/api/v1/claims/?ordering={ordering}&page_size=200").json()
        expected = [c["id"] for c in everything["results"]]
        assert len(expected) == 15
        assert walk(client, f"/api/v1/claims/?ordering={ordering}&page_size=4") == expected


def test_rows_added_meanwhile_never_shift_a_cursor_page(anon, desk, monkeypatch):
    monkeypatch.setattr(Pagination, "max_offset", 1)
    first = anon.get("/api/v1/claims/?ordering=-id&page_size=4").json()
    synth(articles=1, per_article=3, seed=2)  # newer claims, published before page two is read
    second = anon.get(first["next"]).json()
    assert [c["id"] for c in second["results"]] == desk[::-1][4:8]


@pytest.mark.parametrize(
    "query, field",
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page_size=0", "page_size"),
        ("page_size=-5", "page_size"),
        ("page_size=abc", "page_size"),
        ("cursor=abc", "cursor"),
        ("cursor=" + "A" * 10_000, "cursor"),
        ("cursor=%E4%B8%AD", "cursor"),
        ("q=" + "裁员" * 5000, "q"),
        ("cursor=eyJvIjoicGsiLCJ2IjpbbnVsbF19", "cursor"),
    ],
)
def test_bad_paging_input_is_a_clear_400(anon, desk, query, field):
    answer = anon.get(f"/api/v1/claims/?{query}")
    assert answer.status_code == 400, answer.content
    assert answer.json()[field]


def test_a_cursor_is_refused_with_another_ordering_or_with_a_page(anon, desk):
    cursor = make_cursor("pk", [desk[3]])
    assert anon.get(f"/api/v1/claims/?cursor={cursor}").status_code == 200
    assert anon.get(f"/api/v1/claims/?cursor={cursor}&ordering=-id").status_code == 400
    assert anon.get(f"/api/v1/claims/?cursor={cursor}&page=2").status_code == 400
    forged = make_cursor("-published_entry__digest__published_at,-pk", ["not a date", 3])
    assert anon.get(f"/api/v1/claims/?cursor={forged}&ordering=-published_at").status_code == 400
    huge = make_cursor("pk", [10**30])
    assert anon.get(f"/api/v1/claims/?cursor={huge}").status_code == 400


def test_a_page_past_the_end_is_empty_and_points_back(anon, desk):
    for page in ("9", "1000000000", "99999999999999999999"):
        answer = anon.get(f"/api/v1/claims/?page_size=5&page={page}")
        assert answer.status_code == 200
        body = answer.json()
        assert body["results"] == [] and body["next"] is None and body["count"] == 12
        assert "page=3" in body["previous"]
    assert anon.get("/api/v1/claims/?page_size=1000000000").status_code == 400


def test_the_schema_documents_cursor_and_capped_count(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/claims/"]["get"]
    assert {"page", "page_size", "cursor"} <= {p["name"] for p in operation["parameters"]}
    text = str(schema["components"]["schemas"])
    assert "count_capped" in text


def test_filters_page_without_repeating_claims(anon, desk, monkeypatch):
    monkeypatch.setattr(Pagination, "max_offset", 1)
    source = Evidence.objects.filter(claim_id=desk[0]).first().article.source
    everything = anon.get(f"/api/v1/claims/?source={source.slug}&page_size=200").json()["results"]
    ids = [c["id"] for c in everything]
    assert ids and len(ids) == len(set(ids))
    assert walk(anon, f"/api/v1/claims/?source={source.slug}&page_size=1") == ids


# --- review pages ----------------------------------------------------------------------------


def test_the_composer_picker_pages_and_keeps_what_was_chosen(client, reviewer, db, monkeypatch):
    synth(articles=2, per_article=3, per_digest=6)
    monkeypatch.setattr(composer, "PICKER_SIZE", 2)
    client.force_login(reviewer)
    url = reverse("review:digest_new")
    first = client.get(url, {"published": "all"})  # synth published every claim
    assert len(first.context["page"].items) == 2 and first.context["page"].count == 6
    chosen = first.context["page"].items[0]["claim"].pk
    digests = Digest.objects.count()
    second = client.post(
        url, {"title": "标题", "claims": [chosen], "published": "all", "picker_page": "2"}
    )
    assert second.status_code == 200 and Digest.objects.count() == digests
    assert [r["claim"].pk for r in second.context["entries"]] == [chosen]
    assert chosen not in [r["claim"].pk for r in second.context["page"].items]
    assert second.context["page"].number == 2 and 'value="标题"' in second.content.decode()
    found = client.post(url, {"title": "标题", "find": "不会出现的文字", "action": "find"})
    assert found.status_code == 200 and found.context["page"].items == []
    saved = client.post(url, {"title": "标题", "claims": [chosen]})
    assert saved.status_code == 302 and Digest.objects.count() == digests + 1


def test_the_composer_lists_digests_in_pages(client, reviewer, db, monkeypatch):
    synth(articles=1, per_article=5, per_digest=1)
    monkeypatch.setattr(composer, "LIST_PAGE_SIZE", 2)
    client.force_login(reviewer)
    url = reverse("review:digest_list")
    pages = [client.get(url, {"page": n}) for n in (1, 2, 3)]
    shown = [[d.pk for d in page.context["published"]] for page in pages]
    assert [len(ids) for ids in shown] == [2, 2, 1]
    assert sorted(sum(shown, [])) == sorted(Digest.objects.published().values_list("pk", flat=True))
    assert "page=2#published" in pages[0].content.decode()
    for page in pages:  # each page counts its own digests' claims
        assert [d.claim_count for d in page.context["published"]] == [
            d.entries.count() for d in page.context["published"]
        ]
        assert page.content.decode().count("1 条主张") >= len(page.context["published"])
    assert client.get(url, {"page": "x"}).status_code == 400
    assert client.get(url, {"page": 9}).status_code == 200
