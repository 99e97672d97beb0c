"""Outputs integrators can trust (issue 16): a write accepts exactly the media types its schema
lists; the schema says what the server enforces; every answer under /api/ is JSON; reads carry
ETag and Last-Modified and answer 304; a newsroom's CMS publishes digests through the API with
the composer's rules."""

import json

import jsonschema
import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, Digest, Evidence
from newsroom.models import ApiToken
from tests.conftest import RUMOUR_QUOTE

API = "/api/v1"


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(user)[1]}")
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def editor_api(editor):
    return client_for(editor)


@pytest.fixture
def reviewer_api(reviewer2):
    # reviewer2 proposed nothing, so it may approve and publish anything.
    return client_for(reviewer2)


@pytest.fixture
def schema(db):
    return APIClient().get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def write_operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch"):
                yield method, path, operation


def approved_claim(editor, reviewer, article, quote, text):
    claim = services.create_claim(
        actor=editor, text=text, evidence=[{"article": article, "quote": quote}]
    )
    verdict = services.propose_verdict(
        claim, actor=editor, rating="confirmed", rationale="Two sources."
    )
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    return claim


# 1. Media types: JSON only, and said so.


def test_every_write_lists_json_and_only_json(schema):
    writes = list(write_operations(schema))
    assert len(writes) >= 10
    for method, path, operation in writes:
        content = operation.get("requestBody", {}).get("content", {"application/json": {}})
        assert set(content) == {"application/json"}, (method, path)


def _fill(path, ids):
    return API + path.removeprefix("/api/v1").replace("{id}", str(ids.get(path, 1)))


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=XyZ",
        "text/plain",
    ],
)
def test_every_write_refuses_a_body_that_is_not_json_with_a_415(
    schema, reviewer_api, published_digest, rumour_claim, content_type
):
    ids = {
        "/api/v1/claims/{id}/": rumour_claim.pk,
        "/api/v1/claims/{id}/evidence/": rumour_claim.pk,
        "/api/v1/claims/{id}/verdicts/": rumour_claim.pk,
        "/api/v1/verdicts/{id}/approve/": rumour_claim.verdicts.get().pk,
        "/api/v1/verdicts/{id}/send-back/": rumour_claim.verdicts.get().pk,
        "/api/v1/digests/{id}/": published_digest.pk,
        "/api/v1/digests/{id}/corrections/": published_digest.pk,
    }
    body = "--XyZ--\r\n" if content_type.startswith("multipart") else "text=x&evidence=%5B%5D"
    counts = (Claim.objects.count(), Evidence.objects.count(), Digest.objects.count())
    for method, path, operation in write_operations(schema):
        if "requestBody" not in operation or path == "/api/v1/auth/token/":
            continue
        response = getattr(reviewer_api, method)(_fill(path, ids), body, content_type=content_type)
        assert response.status_code == 415, (method, path, response.content)
        assert response["Content-Type"] == "application/json"
        assert "application/json" in response.json()["detail"]
    assert (Claim.objects.count(), Evidence.objects.count(), Digest.objects.count()) == counts


def test_a_form_body_is_a_415_and_nothing_is_stored(editor_api, seed_articles):
    # Before: evidence sent as a JSON string inside a form was dropped, and the answer was a 201.
    evidence = json.dumps([{"article": seed_articles["004"].pk, "quote": RUMOUR_QUOTE}])
    for content_type, body in [
        ("application/x-www-form-urlencoded", f"text=x&evidence={evidence}"),
        (
            "multipart/form-data; boundary=B",
            f'--B\r\nContent-Disposition: form-data; name="text"\r\n\r\nx\r\n'
            f'--B\r\nContent-Disposition: form-data; name="evidence"\r\n\r\n{evidence}\r\n--B--\r\n',
        ),
    ]:
        response = editor_api.post(f"{API}/claims/", body, content_type=content_type)
        assert response.status_code == 415
        assert "Content-Type: application/json" in response.json()["detail"]
    assert Claim.objects.count() == 0
    # The same input as JSON keeps its evidence.
    response = editor_api.post(
        f"{API}/claims/", {"text": "x", "evidence": json.loads(evidence)}, format="json"
    )
    assert response.status_code == 201
    assert [e["quote"] for e in response.json()["evidence"]] == [RUMOUR_QUOTE]


def test_the_token_endpoint_takes_json_only(db, editor):
    form = APIClient().post(
        f"{API}/auth/token/",
        "username=editor&password=pw-for-tests-only",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 415
    good = APIClient().post(
        f"{API}/auth/token/", {"username": "editor", "password": "pw-for-tests-only"}, format="json"
    )
    assert good.status_code == 200


# 2. The schema is the server.


def test_the_schema_declares_what_the_server_enforces(schema):
    patch = schema["paths"]["/api/v1/claims/{id}/"]["patch"]
    ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][ref]["required"] == ["version"]
    assert patch["requestBody"]["required"] is True
    claim_id = next(p for p in patch["parameters"] if p["name"] == "id")
    assert claim_id["schema"]["type"] == "integer" and claim_id["schema"]["minimum"] == 1
    article = next(
        p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"] if p["name"] == "article"
    )
    assert article["schema"]["oneOf"][0]["minimum"] == 1  # or empty: no filter
    for path, top in [("/api/v1/claims/{id}/matches/", 50), ("/api/v1/claims/similar/", 20)]:
        limit = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "limit")
        assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, top)


def test_a_patch_without_version_is_a_400_that_names_it(editor_api, rumour_claim):
    response = editor_api.patch(f"{API}/claims/{rumour_claim.pk}/", {"text": "新的"}, format="json")
    assert response.status_code == 400
    assert response.json()["version"]


@pytest.mark.parametrize(
    "url",
    [
        "/claims/?article=0",
        "/claims/1/matches/?limit=51",
        "/claims/1/matches/?limit=0",
        "/claims/similar/?text=Meta&limit=21",
    ],
)
def test_out_of_range_input_is_a_400_that_says_so(editor_api, rumour_claim, url):
    response = editor_api.get(API + url.replace("/1/", f"/{rumour_claim.pk}/"))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) - {"detail"}, response.json()


@pytest.mark.parametrize("raw", [str(2**63), str(10**30), "0", "-1", "1.5", "abc"])
def test_an_id_the_database_cannot_hold_is_a_json_404(anon, editor_api, db, raw):
    for client in (anon, editor_api):
        for url in (
            f"/claims/{raw}/",
            f"/claims/{raw}/claimreview/",
            f"/sources/{raw}/",
            f"/articles/{raw}/",
            f"/digests/{raw}/",
        ):
            response = client.get(API + url)
            assert response.status_code == 404, (url, response.status_code)
            assert response.json()["detail"]


# 5. JSON everywhere, validators and 304s, digests by slug, clear messages.


def test_every_error_under_the_api_is_json(anon, editor_api, db):
    unrouted = anon.get(f"{API}/no-such-thing/")
    assert unrouted.status_code == 404 and unrouted["Content-Type"] == "application/json"
    assert "/api/v1/schema/" in unrouted.json()["detail"]
    assert anon.get("/api/v2/claims/").json()["detail"]
    method = editor_api.delete(f"{API}/claims/")
    assert method.status_code == 405 and method.json()["detail"]
    anonymous_write = anon.post(f"{API}/claims/", {"text": "x"}, format="json")
    assert anonymous_write.status_code == 401 and anonymous_write.json()["detail"]
    # Pages outside /api/ keep their HTML.
    assert "json" not in APIClient().get("/no-such-page/")["Content-Type"]


def test_an_unhandled_error_under_the_api_is_a_json_500(db, monkeypatch):
    from django.test import Client

    from claims.api import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.SourceViewSet, "get_queryset", boom)
    response = Client(raise_request_exception=False).get(f"{API}/sources/")
    assert response.status_code == 500
    assert response.json()["detail"].startswith("Internal server error")


def test_anonymous_reads_follow_the_publication_stamp(
    anon, published_digest, rumour_claim, editor, reviewer, seed_articles
):
    url = f"{API}/claims/{rumour_claim.pk}/"
    first = anon.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert anon.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert anon.get(f"{url}?script=hant", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # An editor's edit changes nothing public: still 304.
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="改过的文字"
    )
    assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A publication changes the stamp: a full answer with a new ETag.
    other = approved_claim(editor, reviewer, seed_articles["000"], "Meta裁員AI部門", "Meta裁员")
    services.publish_digest(
        services.create_digest(actor=reviewer, title="Second", claims=[other]), actor=reviewer
    )
    again = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    listing = anon.get(f"{API}/digests/")
    assert anon.get(f"{API}/digests/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_editors_live_reads_have_an_etag_of_their_answer(editor_api, editor, rumour_claim):
    url = f"{API}/claims/{rumour_claim.pk}/"
    etag = editor_api.get(url)["ETag"]
    assert editor_api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="改过的文字"
    )
    changed = editor_api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["text"] == "改过的文字"


def test_a_digest_is_found_by_its_slug_as_by_its_id(anon, published_digest):
    by_id = anon.get(f"{API}/digests/{published_digest.pk}/").json()
    by_slug = anon.get(f"{API}/digests/{published_digest.slug}/")
    assert by_slug.status_code == 200
    assert by_slug.json() == by_id
    assert anon.get(f"{API}/digests/no-such-slug/").status_code == 404


def test_a_drafts_slug_is_not_found_by_anonymous_readers(anon, editor_api, rumour_claim, reviewer):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    draft = services.create_digest(actor=reviewer, title="Draft digest", claims=[rumour_claim])
    assert anon.get(f"{API}/digests/{draft.slug}/").status_code == 404
    assert editor_api.get(f"{API}/digests/{draft.slug}/").json()["id"] == draft.pk


def test_the_claimreview_of_a_draft_claim_says_it_is_not_published_yet(
    anon, editor_api, rumour_claim
):
    url = f"{API}/claims/{rumour_claim.pk}/claimreview/"
    editors = editor_api.get(url)
    assert editors.status_code == 404
    assert "not published yet" in editors.json()["detail"]
    # Anonymous readers learn nothing of the draft: the same answer as for an unknown id.
    assert anon.get(url).json() == anon.get(f"{API}/claims/999999/claimreview/").json()
    assert "published" in anon.get(url).json()["detail"]


@override_settings(DEBUG=False)
def test_answers_under_the_api_are_never_html(anon, db):
    for url in ("/api/", "/api/v1/", "/api/v1/claims/1/nothing/"):
        response = anon.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", url


# 9. Publishing through the API, with the composer's rules.


@pytest.fixture
def two_approved(editor, reviewer, seed_articles, rumour_claim):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    other = approved_claim(
        editor, reviewer, seed_articles["000"], "Meta裁員AI部門", "Meta裁员AI部门"
    )
    return rumour_claim, other


def test_a_cms_creates_orders_publishes_and_corrects_a_digest(reviewer_api, anon, two_approved):
    first, second = two_approved
    created = reviewer_api.post(
        f"{API}/digests/", {"title": "周报", "intro": "本周", "claims": [first.pk]}, format="json"
    )
    assert created.status_code == 201, created.content
    digest = created.json()
    assert digest["published"] is False and [c["id"] for c in digest["claims"]] == [first.pk]
    assert anon.get(f"{API}/digests/{digest['id']}/").status_code == 404  # a draft is not public

    url = f"{API}/digests/{digest['id']}/"
    ordered = reviewer_api.put(
        url, {"title": "周报", "intro": "", "claims": [second.pk, first.pk]}, format="json"
    )
    assert ordered.status_code == 200
    assert [c["id"] for c in ordered.json()["claims"]] == [second.pk, first.pk]

    published = reviewer_api.post(f"{url}publish/", format="json")
    assert published.status_code == 200
    assert published.json()["published"] is True and published.json()["published_at"]
    assert (
        anon.get(f"{API}/digests/{digest['slug']}/").json()["claims"] == published.json()["claims"]
    )

    # Frozen: a change or a second publication is a 409, and nothing changes.
    frozen = reviewer_api.put(url, {"title": "改", "claims": [first.pk]}, format="json")
    assert frozen.status_code == 409 and "correction" in frozen.json()["detail"]
    assert reviewer_api.post(f"{url}publish/", format="json").status_code == 409
    assert Digest.objects.get(pk=digest["id"]).title == "周报"

    correction = reviewer_api.post(f"{url}corrections/", {"note": "更正了评级"}, format="json")
    assert correction.status_code == 201
    fixed = correction.json()
    assert (fixed["version"], fixed["corrects"], fixed["correction_note"]) == (
        2,
        digest["id"],
        "更正了评级",
    )
    assert [c["id"] for c in fixed["claims"]] == [second.pk, first.pk]
    assert (
        reviewer_api.post(f"{url}corrections/", {"note": "again"}, format="json").status_code == 409
    )
    assert (
        reviewer_api.post(f"{API}/digests/{fixed['id']}/publish/", format="json").status_code == 200
    )


def test_only_reviewers_compose_digests(editor_api, anon, two_approved):
    first, _ = two_approved
    body = {"title": "x", "claims": [first.pk]}
    assert editor_api.post(f"{API}/digests/", body, format="json").status_code == 403
    assert anon.post(f"{API}/digests/", body, format="json").status_code == 401
    assert Digest.objects.count() == 0


def test_only_approved_existing_claims_go_into_a_digest(reviewer_api, rumour_claim):
    unapproved = reviewer_api.post(
        f"{API}/digests/", {"title": "x", "claims": [rumour_claim.pk]}, format="json"
    )
    assert unapproved.status_code == 400 and unapproved.json()["claims"]
    unknown = reviewer_api.post(
        f"{API}/digests/", {"title": "x", "claims": [987654]}, format="json"
    )
    assert unknown.status_code == 400 and "987654" in unknown.json()["detail"]
    empty = reviewer_api.post(f"{API}/digests/", {"title": "空", "claims": []}, format="json")
    assert empty.status_code == 201
    assert (
        reviewer_api.post(f"{API}/digests/{empty.json()['id']}/publish/", format="json").status_code
        == 409
    )
    assert (
        reviewer_api.post(
            f"{API}/digests/", {"title": "  ", "claims": []}, format="json"
        ).status_code
        == 400
    )
    assert Digest.objects.count() == 1


def test_a_format_is_named_or_left_out(anon, published_digest, rumour_claim):
    """`?format=` takes the formats the schema lists; an empty one is a 400 saying so, like an
    empty `?script=`, not the default answer under a name the schema does not allow."""
    url = f"{API}/claims/{rumour_claim.pk}/claimreview/"
    assert anon.get(url).headers["Content-Type"] == "application/ld+json"
    assert anon.get(url, {"format": "json"}).headers["Content-Type"] == "application/json"
    response = anon.get(url, {"format": ""})
    assert response.status_code == 400
    assert response.json()["format"] == [
        "No format named: use jsonld or json, or leave the parameter out."
    ]
    assert anon.get(f"{API}/claims/", {"format": ""}).status_code == 400
    assert anon.get(f"{API}/claims/", {"format": "json"}).status_code == 200


@pytest.mark.parametrize("shape", ["{pk}.5", "{pk}e0", "0", "-3"])
def test_an_article_is_named_by_a_whole_number_from_1(editor_api, rumour_claim, shape):
    """An article id is an integer of 1 or more, as the schema declares: the id of the
    article the rumour claim quotes plus a half is refused, not read as that article."""
    article = rumour_claim.evidence.get().article
    raw = shape.format(pk=article.pk)
    value = json.loads(raw) if "e" not in raw else raw  # a number, or "5e0" as a string
    response = editor_api.patch(
        f"{API}/claims/{rumour_claim.pk}/",
        {"text": rumour_claim.text, "version": rumour_claim.version, "first_appearance": value},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "first_appearance" in response.json()
    rumour_claim.refresh_from_db()
    assert rumour_claim.first_appearance_id is None
    response = editor_api.post(
        f"{API}/claims/{rumour_claim.pk}/evidence/",
        {"article": value, "quote": RUMOUR_QUOTE},
        format="json",
    )
    assert response.status_code == 400 and "article" in response.json(), response.content
    assert rumour_claim.evidence.count() == 1
    schema = editor_api.get(f"{API}/schema/?format=json").json()["components"]["schemas"]
    for component, field in (
        ("ClaimUpdateRequest", "first_appearance"),
        ("EvidenceInputRequest", "article"),
    ):
        assert schema[component]["properties"][field]["minimum"] == 1


def test_text_is_a_json_string_not_a_number(editor_api, rumour_claim):
    """What the schema types as a string is refused as a number (a 400 naming the field),
    not stored as its digits."""
    response = editor_api.post(f"{API}/claims/", {"text": 600}, format="json")
    assert response.status_code == 400 and response.json()["text"] == ["Not a valid string."]
    response = editor_api.post(
        f"{API}/claims/{rumour_claim.pk}/verdicts/",
        {"rating": "false", "rationale": 0},
        format="json",
    )
    assert response.status_code == 400 and "rationale" in response.json()
    response = editor_api.post(
        f"{API}/claims/{rumour_claim.pk}/evidence/",
        {"url": "https://example.org/a", "note": 1.5},
        format="json",
    )
    assert response.status_code == 400 and "note" in response.json()
    assert Claim.objects.count() == 1
    assert rumour_claim.verdicts.count() == 1 and rumour_claim.evidence.count() == 1


def test_the_schema_takes_blank_text_where_the_server_does(anon):
    """A text field that may be blank is valid as "" under the schema, for a client that
    validates before it sends (drf-spectacular described "" twice, in both alternatives of a
    `oneOf`, which makes "" invalid); control characters stay invalid."""
    components = anon.get(f"{API}/schema/?format=json").json()["components"]["schemas"]
    blank_allowed = {
        "ClaimCreateRequest": ["gloss", "claimant"],
        "ClaimUpdateRequest": ["gloss", "claimant"],
        "DigestInputRequest": ["intro"],
        "EvidenceInputRequest": ["quote", "citation_title", "publisher", "note"],
        "ReviewInputRequest": ["comment"],
        "TokenRequestRequest": ["name"],
    }
    for component, fields in blank_allowed.items():
        for field in fields:
            schema = components[component]["properties"][field]
            jsonschema.validate("", schema)
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate("說明\x07", schema)
