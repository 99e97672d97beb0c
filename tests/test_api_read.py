"""The public, read-only API: what anonymous readers and editors see, in the shapes of docs/contracts.md."""

import pytest
from django.urls import get_script_prefix, reverse, set_script_prefix
from rest_framework.test import APIClient

from claims import published, services
from claims.models import Claim
from newsroom.models import ApiToken

CLAIM_KEYS = {"id", "text", "url", "verdict", "evidence"}
VERDICT_KEYS = {"rating", "label", "rationale", "approved_at"}
EVIDENCE_KEYS = {"article", "quote", "start", "end", "stance", "url"}
EVIDENCE_ARTICLE_KEYS = {"id", "title", "source", "filename"}
ARTICLE_KEYS = {"id", "title", "source", "script", "filename", "published_on"}
PAGE_KEYS = {"count", "next", "previous", "results"}


def publish(claims, editor, reviewer, title="Review", rating="confirmed"):
    """Give each claim an approved verdict (proposed by `editor`) and publish them together."""
    for claim in claims:
        verdict = services.propose_verdict(
            claim, actor=editor, rating=rating, rationale="Two independent sources."
        )
        services.approve_verdict(verdict, actor=reviewer, claim_version=verdict.claim.version)
    digest = services.create_digest(actor=reviewer, title=title, claims=claims)
    return services.publish_digest(digest, actor=reviewer)


def make_claim(editor, article, quote, text=None):
    return services.create_claim(
        actor=editor, text=text or quote, evidence=[{"article": article, "quote": quote}]
    )


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def editor_client(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(editor)[1]}")
    return client


@pytest.fixture
def draft_claim(seed_articles, editor):
    """A claim nobody has published: anonymous readers must not learn of it."""
    return make_claim(editor, seed_articles["001"], "600个岗位被裁", "Meta AI部门有600个岗位被裁")


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


# --- shapes ----------------------------------------------------------------------------------


def test_a_published_claim_has_the_shape_of_the_contract(anon, published_digest, rumour_claim):
    page = anon.get("/api/v1/claims/").json()
    assert set(page) >= PAGE_KEYS and page["count"] == 1
    claim = page["results"][0]
    assert set(claim) >= CLAIM_KEYS
    assert claim["id"] == rumour_claim.pk
    assert claim["url"] == f"http://testserver/claims/{rumour_claim.pk}/"
    assert set(claim["verdict"]) >= VERDICT_KEYS
    assert claim["verdict"]["rating"] == "rumour"
    assert claim["verdict"]["label"] == "rumour — unverified"
    assert claim["verdict"]["approved_at"]
    [evidence] = claim["evidence"]
    assert set(evidence) >= EVIDENCE_KEYS
    assert set(evidence["article"]) >= EVIDENCE_ARTICLE_KEYS
    assert evidence["article"]["filename"].startswith("004_")
    assert evidence["quote"] == "據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈"
    assert evidence["end"] - evidence["start"] == len(evidence["quote"])
    assert evidence["stance"] == "supports"
    assert anon.get(f"/api/v1/claims/{rumour_claim.pk}/").json() == claim


def test_an_article_has_the_shape_of_the_contract(anon, published_digest, seed_articles):
    page = anon.get("/api/v1/articles/").json()
    assert set(page) >= PAGE_KEYS
    [article] = page["results"]
    assert set(article) >= ARTICLE_KEYS
    assert article["id"] == seed_articles["004"].pk
    assert article["script"] == "hant"
    assert article["source"] == seed_articles["004"].source.name


def test_a_digest_and_a_source_have_their_fields(
    anon, published_digest, rumour_claim, seed_articles
):
    [digest] = anon.get("/api/v1/digests/").json()["results"]
    assert set(digest) >= {
        "id",
        "slug",
        "title",
        "intro",
        "version",
        "corrects",
        "correction_note",
        "published_at",
        "url",
        "claim_count",
        "claims_url",
    }
    assert digest["url"] == f"http://testserver/digests/{published_digest.slug}/"
    whole = anon.get(f"/api/v1/digests/{digest['id']}/").json()
    assert whole["claims"][0]["id"] == rumour_claim.pk
    assert whole["claim_count"] == digest["claim_count"] == len(whole["claims"])
    [source] = anon.get("/api/v1/sources/").json()["results"]
    assert set(source) >= {"id", "name", "slug", "kind", "homepage"}
    assert source["id"] == seed_articles["004"].source_id


def test_anonymous_readers_see_the_published_snapshot_not_later_edits(
    anon, published_digest, rumour_claim, editor
):
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="改过的文字"
    )
    claim = anon.get(f"/api/v1/claims/{rumour_claim.pk}/").json()
    assert claim["text"] == "Meta的Llama 4团队约80%的成员已经辞职"


# --- who sees what ---------------------------------------------------------------------------


def test_unpublished_claims_are_invisible_to_anonymous_readers(anon, published_digest, draft_claim):
    assert draft_claim.pk not in ids(anon.get("/api/v1/claims/"))
    assert anon.get(f"/api/v1/claims/{draft_claim.pk}/").status_code == 404
    assert anon.get(f"/api/v1/claims/{draft_claim.pk}/claimreview/").status_code == 404
    article_001 = draft_claim.evidence.get().article
    assert article_001.pk not in ids(anon.get("/api/v1/articles/"))
    assert anon.get(f"/api/v1/articles/{article_001.pk}/").status_code == 404
    assert article_001.source_id not in ids(anon.get("/api/v1/sources/"))
    assert ids(anon.get(f"/api/v1/claims/?article={article_001.pk}")) == []


def test_an_approved_claim_in_a_draft_digest_is_still_invisible(anon, rumour_claim, reviewer):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    draft = services.create_digest(actor=reviewer, title="Draft", claims=[rumour_claim])
    assert ids(anon.get("/api/v1/claims/")) == []
    assert ids(anon.get("/api/v1/digests/")) == []
    assert anon.get(f"/api/v1/digests/{draft.pk}/").status_code == 404
    assert ids(anon.get("/api/v1/articles/")) == []


def test_an_editor_sees_drafts_live(editor_client, published_digest, draft_claim, rumour_claim):
    assert set(ids(editor_client.get("/api/v1/claims/"))) == {rumour_claim.pk, draft_claim.pk}
    claim = editor_client.get(f"/api/v1/claims/{draft_claim.pk}/").json()
    assert set(claim) >= CLAIM_KEYS
    assert claim["verdict"] is None
    assert claim["published"] is False
    assert claim["version"] == 1
    assert claim["evidence"][0]["quote"] == "600个岗位被裁"
    assert len(ids(editor_client.get("/api/v1/articles/"))) == 5


# --- filters ---------------------------------------------------------------------------------


def test_verdict_rumour_lists_the_80_percent_claim(anon, published_digest, rumour_claim):
    assert ids(anon.get("/api/v1/claims/?verdict=rumour")) == [rumour_claim.pk]
    assert ids(anon.get("/api/v1/claims/?verdict=confirmed")) == []


@pytest.fixture
def layoff_claims(seed_articles, editor, reviewer):
    traditional = make_claim(editor, seed_articles["000"], "Meta裁員AI部門")
    simplified = make_claim(editor, seed_articles["002"], "早上刚被裁员")
    vocabulary = make_claim(editor, seed_articles["000"], "Meta裁員AI部門", "Meta的軟體工程師被裁")
    publish([traditional, simplified, vocabulary], editor, reviewer, "Layoffs")
    return traditional, simplified, vocabulary


def test_search_matches_across_scripts(anon, layoff_claims):
    traditional, simplified, _ = layoff_claims
    found = set(ids(anon.get("/api/v1/claims/", {"q": "裁員"})))
    assert found == set(ids(anon.get("/api/v1/claims/", {"q": "裁员"})))
    assert {traditional.pk, simplified.pk} <= found


def test_search_folds_regional_vocabulary(anon, layoff_claims):
    vocabulary = layoff_claims[2]
    assert ids(anon.get("/api/v1/claims/", {"q": "软件"})) == [vocabulary.pk]
    assert ids(anon.get("/api/v1/claims/", {"q": "軟體"})) == [vocabulary.pk]


def test_filters_by_source_article_and_digest(
    anon, layoff_claims, published_digest, rumour_claim, seed_articles
):
    traditional, simplified, vocabulary = layoff_claims
    article = seed_articles["002"]
    assert ids(anon.get(f"/api/v1/claims/?article={article.pk}")) == [simplified.pk]
    assert ids(anon.get(f"/api/v1/claims/?source={article.source_id}")) == [simplified.pk]
    assert ids(anon.get(f"/api/v1/claims/?source={article.source.slug}")) == [simplified.pk]
    assert ids(anon.get(f"/api/v1/claims/?digest={published_digest.pk}")) == [rumour_claim.pk]
    assert ids(anon.get(f"/api/v1/claims/?digest={published_digest.slug}")) == [rumour_claim.pk]


def test_the_digest_list_counts_and_links_each_digests_claims_instead_of_embedding_them(
    anon, editor_client, layoff_claims, published_digest, rumour_claim, reviewer
):
    """A list page of digests stays small however many claims they hold: each digest gives its
    count and the address of its claims, which lists exactly them."""
    listed = {d["title"]: d for d in anon.get("/api/v1/digests/").json()["results"]}
    layoffs, first = listed["Layoffs"], listed["Meta AI layoffs"]
    assert "claims" not in layoffs
    assert (layoffs["claim_count"], first["claim_count"]) == (3, 1)
    assert sorted(ids(anon.get(layoffs["claims_url"]))) == sorted(c.pk for c in layoff_claims)
    assert ids(anon.get(first["claims_url"])) == [rumour_claim.pk]
    # An editor's draft is counted and linked the same way, live.
    draft = services.create_digest(actor=reviewer, title="草稿", claims=[rumour_claim])
    [mine] = [
        d for d in editor_client.get("/api/v1/digests/").json()["results"] if d["id"] == draft.pk
    ]
    assert mine["claim_count"] == 1 and mine["published"] is False
    assert ids(editor_client.get(mine["claims_url"])) == [rumour_claim.pk]
    assert draft.pk not in [d["id"] for d in anon.get("/api/v1/digests/").json()["results"]]


def test_published_dates_filter_by_the_digest_publication(anon, published_digest, rumour_claim):
    day = published_digest.published_at.astimezone().date()
    assert ids(anon.get(f"/api/v1/claims/?published_after={day}")) == [rumour_claim.pk]
    assert ids(anon.get(f"/api/v1/claims/?published_before={day}")) == [rumour_claim.pk]
    assert ids(anon.get("/api/v1/claims/?published_after=2999-01-01")) == []
    assert ids(anon.get("/api/v1/claims/?published_before=2000-01-01")) == []


def test_ordering(anon, layoff_claims):
    ascending = ids(anon.get("/api/v1/claims/?ordering=id"))
    assert ids(anon.get("/api/v1/claims/?ordering=-id")) == list(reversed(ascending))


@pytest.mark.parametrize(
    "query, field",
    [
        ("verdict=bogus", "verdict"),
        ("published_after=notadate", "published_after"),
        ("published_before=2025-13-40", "published_before"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("article=abc", "article"),
        ("script=latin", "script"),
        ("ordering=text", "ordering"),
        ("page_size=many", "page_size"),
    ],
)
def test_invalid_filter_values_are_a_clear_400(anon, published_digest, query, field):
    response = anon.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body[field]


def test_a_page_past_the_last_is_an_empty_page(anon, published_digest):
    response = anon.get("/api/v1/claims/?page=9")
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == [] and body["next"] is None and body["count"] == 1
    assert body["previous"].endswith("/api/v1/claims/")


def test_page_size_goes_up_to_200_and_more_is_refused_not_capped(
    anon, editor, seed_articles, reviewer
):
    claims = [
        make_claim(editor, seed_articles["000"], "Meta裁員AI部門", f"声明{i}") for i in range(205)
    ]
    publish(claims, editor, reviewer)
    page = anon.get("/api/v1/claims/?page_size=200").json()
    assert page["count"] == 205
    assert len(page["results"]) == 200
    assert page["next"]
    refused = anon.get("/api/v1/claims/?page_size=201")
    assert refused.status_code == 400
    assert refused.json()["page_size"] == ["page_size must be a whole number from 1 to 200."]
    for bad in ("page_size=", "page_size=5&page_size=6", "page_size=%20"):
        assert anon.get(f"/api/v1/claims/?{bad}").status_code == 400, bad
    assert len(anon.get("/api/v1/claims/?page_size=5").json()["results"]) == 5


# --- scripts ---------------------------------------------------------------------------------


def _strings(data, key=None):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v, key)
    elif isinstance(data, str):
        yield key, data


@pytest.mark.parametrize(
    "path", ["/api/v1/claims/", "/api/v1/digests/", "/api/v1/articles/", "/api/v1/sources/"]
)
def test_script_hans_and_hant_convert_every_text_field(anon, published_digest, path):
    original = anon.get(path).json()
    hans = anon.get(path, {"script": "hans"}).json()
    hant = anon.get(path, {"script": "hant"}).json()
    texts = dict(_strings(original["results"]))
    assert texts
    from sources.text import to_script

    def converted_texts(results):  # quote_converted is checked by the test below
        return [(k, v) for k, v in _strings(results) if k != "quote_converted"]

    for (key, value), (_, simplified), (_, traditional) in zip(
        _strings(original["results"]),
        converted_texts(hans["results"]),
        converted_texts(hant["results"]),
    ):
        if key == "quote":  # a quote keeps its words; quote_converted shows it converted
            assert simplified == value == traditional
        elif key in (
            "url",
            "slug",
            "filename",
            "rating",
            "stance",
            "script",
            "kind",
            "homepage",
            "published_at",
            "approved_at",
            "published_on",
            "label",
            "source_slug",
        ):
            assert simplified == value == traditional
        else:
            assert simplified == to_script(value, "hans"), key
            assert traditional == to_script(value, "hant"), key


def test_script_conversion_reaches_quotes_and_verdicts(anon, published_digest, rumour_claim):
    claim = anon.get(f"/api/v1/claims/{rumour_claim.pk}/?script=hans").json()
    # The quote keeps the article's words; the reading's form is a field of its own.
    assert claim["evidence"][0]["quote"] == "據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈"
    assert (
        claim["evidence"][0]["quote_converted"]
        == "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈"
    )
    assert claim["verdict"]["label_zh"] == "传言（未证实）"
    assert (
        "quote_converted"
        not in anon.get(f"/api/v1/claims/{rumour_claim.pk}/").json()["evidence"][0]
    )
    claim = anon.get(f"/api/v1/claims/{rumour_claim.pk}/?script=hant").json()
    assert claim["text"] == "Meta的Llama 4團隊約80%的成員已經辭職"
    assert claim["verdict"]["label_zh"] == "傳言（未證實）"
    assert (
        claim["evidence"][0]["quote_converted"] == claim["evidence"][0]["quote"]
    )  # already Traditional
    claim = anon.get(f"/api/v1/claims/{rumour_claim.pk}/?script=hk").json()
    assert claim["text"] == "Meta的Llama 4團隊約80%的成員已經辭職"


@pytest.mark.parametrize("value", ["klingon", "HANT", "zh-Hant", "<script>"])
def test_an_unknown_script_is_a_clear_400(anon, published_digest, value):
    response = anon.get("/api/v1/claims/", {"script": value})
    assert response.status_code == 400
    assert "hk" in response.json()["script"][0]


# --- ClaimReview -----------------------------------------------------------------------------


def test_claimreview_is_the_json_ld_of_the_public_page(anon, published_digest, rumour_claim):
    from claims import jsonld

    response = anon.get(f"/api/v1/claims/{rumour_claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    entry = Claim.objects.get(pk=rumour_claim.pk).published_entry
    assert data == jsonld.claim_review(entry, response.wsgi_request)
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == "Meta的Llama 4团队约80%的成员已经辞职"
    rating = data["reviewRating"]
    assert (
        rating["@type"],
        rating["ratingValue"],
        rating["bestRating"],
        rating["worstRating"],
    ) == ("Rating", 2, 4, 1)
    assert data["itemReviewed"]["@type"] == "Claim"
    assert data["itemReviewed"]["appearance"]


def test_claimreview_follows_the_script(anon, published_digest, rumour_claim):
    data = anon.get(f"/api/v1/claims/{rumour_claim.pk}/claimreview/?script=hant").json()
    assert data["claimReviewed"] == "Meta的Llama 4團隊約80%的成員已經辭職"
    assert data["url"].startswith("http://testserver/claims/")


# --- query counts ----------------------------------------------------------------------------


def _grow(editor, reviewer, seed_articles, n, title):
    claims = []
    for i in range(n):
        claim = make_claim(editor, seed_articles["000"], "Meta裁員AI部門", f"第{title}{i}条")
        services.add_evidence(
            claim, actor=editor, article=seed_articles["002"], quote="早上刚被裁员"
        )
        claims.append(claim)
    publish(claims, editor, reviewer, title)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/",
        "/api/v1/digests/",
        "/api/v1/articles/",
        "/api/v1/sources/",
        "/api/v1/claims/?q=裁员&verdict=confirmed",
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_list_query_counts_stay_flat_as_data_grows(
    django_assert_max_num_queries, editor, reviewer, seed_articles, path, who, checks_every_request
):
    client = APIClient()
    if who == "editor":
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(editor)[1]}")
    _grow(editor, reviewer, seed_articles, 2, "few")
    with django_assert_max_num_queries(100) as few:
        assert client.get(path).status_code == 200
    _grow(editor, reviewer, seed_articles, 12, "many")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200
    assert len(few.captured_queries) <= 10


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/sources/", "/api/v1/digests/"])
def test_an_empty_ordering_is_refused_naming_the_choices(db, anon, path):
    for bad in ("", ",", "-id,"):
        assert anon.get(f"{path}?ordering={bad}").status_code == 400, bad
    answer = anon.get(f"{path}?ordering=")
    assert answer.json()["ordering"][0].startswith("ordering is one of: ")
    assert anon.get(f"{path}?ordering=-id").status_code == 200


def test_a_claims_path_is_the_one_the_urlconf_gives_under_any_script_prefix():
    """Claim URLs are built from the pattern reversed once (answers list a thousand of them):
    the same paths as reverse(), on a site served under a prefix too."""
    before = get_script_prefix()
    try:
        for prefix in ("/", "/desk/"):
            set_script_prefix(prefix)
            for pk in (1, 42, 99_999, 2_147_483_646):
                assert published.claim_path(pk) == reverse("public:claim", args=[pk])
            assert published.claim_path(7).startswith(prefix)
    finally:
        set_script_prefix(before)


def test_a_digest_links_each_claim_to_its_page(published_digest, rumour_claim):
    answer = APIClient().get(f"/api/v1/digests/{published_digest.pk}/")
    assert answer.status_code == 200
    (listed,) = answer.json()["claims"]
    assert listed["id"] == rumour_claim.pk
    assert listed["url"] == f"http://testserver/claims/{rumour_claim.pk}/"
    assert APIClient().get(listed["url"]).status_code == 200
