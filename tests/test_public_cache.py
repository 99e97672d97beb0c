"""Published pages and answers are immutable between publications: they are served from the
cache, and a new publication shows at once."""

import warnings

import pytest
from django.core.cache import CacheKeyWarning

from claims import services
from tests.conftest import publish_new_claim


@pytest.mark.parametrize("url", ["/", "/digests/", "/api/v1/claims/", "/api/v1/digests/"])
def test_a_repeated_anonymous_read_costs_no_query(
    client, published_digest, url, django_assert_num_queries
):
    """The page and the publication stamp it follows both come from the cache."""
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == first.status_code == 200
    assert again.content == first.content


def test_a_new_publication_shows_at_once_on_pages_and_in_the_api(
    client, published_digest, seed_articles, editor, reviewer
):
    assert client.get("/api/v1/claims/").json()["count"] == 1
    assert "Second digest" not in client.get("/").content.decode()
    publish_new_claim(
        editor=editor,
        reviewer=reviewer,
        text="Meta裁员约600人",
        article=seed_articles["001"],
        quote="600个岗位被裁",
        rating="confirmed",
        rationale="Several outlets.",
        title="Second digest",
    )
    assert client.get("/api/v1/claims/").json()["count"] == 2
    assert "Second digest" in client.get("/").content.decode()


def test_each_script_is_kept_apart(client, published_digest):
    original = client.get(f"/claims/{published_digest.entries.get().claim_id}/").content.decode()
    traditional = client.get(
        f"/claims/{published_digest.entries.get().claim_id}/?script=hant"
    ).content.decode()
    assert "团队" in original and "團隊" in traditional and "团队" not in traditional


def test_editors_read_live_claims_not_the_public_copy(
    client, published_digest, rumour_claim, editor
):
    client.get("/api/v1/claims/")
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="改过的主张"
    )
    client.force_login(editor)
    texts = [c["text"] for c in client.get("/api/v1/claims/").json()["results"]]
    assert "改过的主张" in texts
    client.logout()
    assert [c["text"] for c in client.get("/api/v1/claims/").json()["results"]] == [
        "Meta的Llama 4团队约80%的成员已经辞职"
    ]


def test_long_chinese_queries_make_keys_any_cache_accepts(client, published_digest):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert client.get("/api/v1/claims/?q=" + "裁員" * 100).status_code == 200
        assert (
            client.get("/digests/{}/?x={}".format(published_digest.slug, "長" * 300)).status_code
            == 200
        )
