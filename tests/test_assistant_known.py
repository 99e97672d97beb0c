"""Known claims on arrival, the public similarity lookup, the glossary and odd input."""

import io
import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import assistant, services
from claims.assistant.models import GlossaryEntry, KnownClaim, Passage
from newsroom.models import ApiToken
from sources.importer import import_bytes

RUMOUR = "网传喝高浓度白酒可以预防新冠肺炎病毒感染，专家称这种说法没有科学依据。"


def _import(name, body, title="标题"):
    result = import_bytes(f"{title}\n\n{body}\n".encode(), name)
    assert result.article is not None, result.message
    return result.article


@pytest.fixture
def api(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(editor)[1]}")
    return client


@pytest.fixture
def rated_claim(db, editor, reviewer):
    first = _import("first.txt", RUMOUR)
    claim = services.create_claim(
        actor=editor,
        text="喝高浓度白酒可以预防新冠肺炎",
        evidence=[{"article": first, "quote": "网传喝高浓度白酒可以预防新冠肺炎病毒感染"}],
    )
    verdict = services.propose_verdict(
        claim, actor=editor, rating="false", rationale="没有科学依据。"
    )
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    return claim


def test_an_arriving_article_is_checked_against_the_desks_claims(rated_claim):
    article = _import(
        "second.txt", "最近朋友圈流傳：喝高濃度白酒能預防新冠肺炎病毒感染，大家趕快轉發。"
    )
    row = KnownClaim.objects.get(article=article)
    assert row.claim == rated_claim
    assert "白酒" in article.body[row.start : row.end]


def test_an_import_may_leave_the_known_claim_check_for_later(rated_claim, monkeypatch):
    """NEWSROOM_ASSISTANT_ON_IMPORT=index: the article is read for the assistant at once, and
    `assistant_index --all --check-known-claims` finds the claim it repeats afterwards."""
    from django.core.management import call_command

    monkeypatch.setenv("NEWSROOM_ASSISTANT_ON_IMPORT", "index")
    article = _import("later.txt", "朋友圈流傳：喝高濃度白酒能預防新冠肺炎病毒感染，快轉發。")
    assert Passage.objects.filter(article=article).exists()
    assert not KnownClaim.objects.filter(article=article).exists()

    monkeypatch.delenv("NEWSROOM_ASSISTANT_ON_IMPORT")
    call_command("assistant_index", "--all", "--check-known-claims", stdout=io.StringIO())
    assert KnownClaim.objects.get(article=article).claim == rated_claim


def test_a_claim_deleted_by_another_process_is_not_stored_as_known(rated_claim, editor):
    """The importing process's index still holds a claim that another process has just
    deleted (it looks at the database only now and then): the check finds it, nothing of it
    is stored, and the import goes on with the claims that exist."""
    from claims.assistant import arrival, index

    other = services.create_claim(
        actor=editor,
        text="高浓度白酒可以预防新冠肺炎病毒感染",
        evidence=[{"article": rated_claim.evidence.get().article, "quote": "高浓度白酒"}],
    )
    index.current()  # the importing process has read both claims
    other.delete()
    arrival._last_check["at"] = time.monotonic()  # and has not looked again since

    article = _import(
        "second.txt", "最近朋友圈流傳：喝高濃度白酒能預防新冠肺炎病毒感染，大家趕快轉發。"
    )
    assert [row.claim for row in KnownClaim.objects.filter(article=article)] == [rated_claim]


def test_an_unrelated_article_repeats_no_claim(rated_claim):
    article = _import("other.txt", "今天的天气晴朗，市民纷纷到公园散步赏花。")
    assert not KnownClaim.objects.filter(article=article).exists()
    assert assistant.known_claims(article) == []


def test_editors_read_an_articles_known_claims(api, rated_claim):
    article = _import(
        "second.txt", "最近朋友圈流傳：喝高濃度白酒能預防新冠肺炎病毒感染，大家趕快轉發。"
    )
    response = api.get(f"/api/v1/articles/{article.pk}/known-claims/")
    assert response.status_code == 200
    item = response.json()["results"][0]
    assert item["claim"]["id"] == rated_claim.pk and item["claim"]["rating"] == "false"
    assert article.body[item["start"] : item["end"]] == item["sentence"]
    assert f"claim #{rated_claim.pk}, rated false on" in item["note"]


def test_an_article_repeating_many_claims_lists_the_best_ones(api, editor, monkeypatch):
    first = _import("first.txt", RUMOUR)
    for text, quote in (
        ("喝高浓度白酒可以预防新冠肺炎", "网传喝高浓度白酒可以预防新冠肺炎病毒感染"),
        ("高浓度白酒预防新冠病毒感染", "喝高浓度白酒可以预防新冠肺炎"),
        ("这种说法没有科学依据", "专家称这种说法没有科学依据"),
    ):
        services.create_claim(
            actor=editor, text=text, evidence=[{"article": first, "quote": quote}]
        )
    article = _import("second.txt", "朋友圈流传：" + RUMOUR)
    everything = assistant.known_claims(article)
    assert len(everything) == 3
    monkeypatch.setattr(assistant, "KNOWN_CLAIMS_SHOWN", 2)
    response = api.get(f"/api/v1/articles/{article.pk}/known-claims/")
    shown = [item["claim"]["id"] for item in response.json()["results"]]
    assert shown == [hit.claim.pk for hit in everything[:2]]


def test_known_claims_are_for_editors_only(client, rated_claim):
    article = _import("second.txt", "喝高濃度白酒能預防新冠肺炎病毒感染。")
    assert client.get(f"/api/v1/articles/{article.pk}/known-claims/").status_code == 401
    assert APIClient().get("/api/v1/articles/abc/known-claims/").status_code in (401, 404)


def test_the_reader_marks_and_the_queue_lists_articles_repeating_rated_claims(
    client, editor, rated_claim
):
    article = _import(
        "second.txt",
        "最近朋友圈流傳：喝高濃度白酒能預防新冠肺炎病毒感染，大家趕快轉發。",
        title="白酒防疫？",
    )
    client.force_login(editor)
    page = client.get(reverse("review:article", args=[article.pk])).content.decode()
    assert (
        'id="known-claims"' in page and f"#{rated_claim.pk}" in page and "known_claims.js" in page
    )
    fragment = client.get(reverse("review:assistant_queue") + "?fragment=1").content.decode()
    section = fragment.split('id="arrivals-repeating-rated-claims"')[1]
    assert "白酒防疫" in section and f"#{rated_claim.pk}" in section


def test_a_new_claim_like_an_existing_one_warns_and_links_it(client, editor, rated_claim):
    article = _import("second.txt", "喝高濃度白酒能預防新冠肺炎病毒感染。")
    twin = services.create_claim(
        actor=editor,
        text="喝白酒能预防新冠肺炎",
        evidence=[{"article": article, "quote": "喝高濃度白酒能預防新冠肺炎病毒感染"}],
    )
    client.force_login(editor)
    page = client.get(reverse("review:claim", args=[twin.pk])).content.decode()
    assert 'id="similar-claims"' in page
    assert reverse("review:claim", args=[rated_claim.pk]) in page


def test_anyone_looks_up_published_claims_like_a_text_in_either_script(db, rated_claim, reviewer):
    anonymous = APIClient()
    assert anonymous.get("/api/v1/claims/similar/?text=喝白酒能预防新冠吗").json()["results"] == []
    digest = services.create_digest(actor=reviewer, title="辟谣", claims=[rated_claim])
    services.publish_digest(digest, actor=reviewer)
    for text in ("喝白酒能预防新冠吗", "喝白酒能預防新冠嗎"):
        response = anonymous.get("/api/v1/claims/similar/", {"text": text})
        assert response.status_code == 200
        results = response.json()["results"]
        assert results and results[0]["claim"]["id"] == rated_claim.pk
        assert results[0]["claim"]["verdict"]["rating"] == "false"


@pytest.mark.parametrize(
    "query, field",
    [
        ("", "text"),
        ("?text=", "text"),
        ("?text=" + "字" * 2001, "text"),
        ("?text=白酒&limit=0", "limit"),
    ],
)
def test_a_bad_similarity_lookup_is_a_400(db, query, field):
    response = APIClient().get("/api/v1/claims/similar/" + query)
    assert response.status_code == 400 and field in response.json()


def test_the_similarity_lookup_is_throttled(db, settings):
    settings.NEWSROOM_SIMILAR_THROTTLE = "2/minute"
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    codes = [client.get("/api/v1/claims/similar/?text=白酒").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    cache.clear()


def test_glossary_aliases_make_names_match(db, editor):
    one = _import("a.txt", "川普宣布对进口钢铁加征关税。")
    other = _import("b.txt", "特朗普宣布对进口钢铁加征关税。")
    _import("c.txt", "拜登宣布对进口钢铁加征关税。")
    GlossaryEntry.objects.create(term="川普", canonical="特朗普")
    claim = services.create_claim(
        actor=editor,
        text="川普宣布对进口钢铁加征关税",
        evidence=[{"article": one, "quote": "川普宣布对进口钢铁加征关税"}],
    )
    found = assistant.matches(claim)
    assert found[0].article == other


def test_an_arriving_article_that_names_someone_by_an_alias_repeats_their_claim(db, editor):
    """The glossary reads an arriving article's sentences, and a text looked up, as it reads
    the claims: 川普 there is the 特朗普 of a claim, not the 拜登 of another that says the
    same of him."""
    GlossaryEntry.objects.create(term="川普", canonical="特朗普")
    claims = {}
    for name in ("拜登", "特朗普"):
        first = _import(f"{name}.txt", f"{name}宣布对进口钢铁加征关税，白宫周三证实。")
        claims[name] = services.create_claim(
            actor=editor,
            text=f"{name}宣布对进口钢铁加征关税",
            evidence=[{"article": first, "quote": f"{name}宣布对进口钢铁加征关税"}],
        )
    by_alias = _import("alias.txt", "网友转发：川普宣布对进口钢铁加征关税，消息尚未证实。")
    known = {row.claim_id: row.score for row in KnownClaim.objects.filter(article=by_alias)}
    assert known[claims["特朗普"].pk] > known.get(claims["拜登"].pk, 0)
    similar = assistant.similar_claims("据称川普将对进口钢铁加征关税")
    assert similar[0][0] == claims["特朗普"]
    assert similar[0][1] > dict(similar).get(claims["拜登"], 0)


def test_the_glossary_goes_out_and_back_with_the_review_file(db, tmp_path):
    from claims.review_file import export_review, load_review

    GlossaryEntry.objects.create(term="杨立昆", canonical="Yann LeCun")
    path = tmp_path / "review.yaml"
    export_review(path)
    assert "glossary:\n- term: 杨立昆\n  canonical: Yann LeCun\n" in path.read_text(
        encoding="utf-8"
    )
    GlossaryEntry.objects.all().delete()
    load_review(path)
    assert GlossaryEntry.objects.get(term="杨立昆").canonical == "Yann LeCun"


def test_staff_edit_the_glossary_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:claims_glossaryentry_add"),
        {"term": "川普", "canonical": "特朗普", "note": ""},
    )
    assert response.status_code == 302
    assert GlossaryEntry.objects.get(term="川普").canonical == "特朗普"


def test_reading_only_the_words_gives_the_words_the_passages_hold(seed_articles):
    """What the known-claim measure on converted texts reads (arrival.read_sentences): the
    words and spans of the stored passages that have words, without their figures."""
    from claims.assistant.arrival import read_sentences

    for article in seed_articles.values():
        stored = Passage.objects.filter(article=article).exclude(words="").order_by("start")
        assert read_sentences(article.body) == [(p.start, p.end, p.words.split()) for p in stored]


# --- odd input: bounded time, no crash, nothing half-stored ----------------------------------


def test_an_article_without_chinese_is_read_and_matched(db, editor):
    article = _import(
        "en.txt", "The ministry said 600 workers lost their jobs on Monday.", title="Jobs"
    )
    assert Passage.objects.filter(article=article).exists()
    claim = services.create_claim(actor=editor, text="600 workers lost their jobs", evidence=[])
    assert isinstance(assistant.matches(claim), list)
    assert (
        assistant.known_claims(article) == [] or assistant.known_claims(article)[0].claim == claim
    )


def test_a_one_megabyte_article_is_read_in_bounded_time(db, settings):
    settings.IMPORT_MAX_BYTES = 4 * 1024 * 1024
    sentence = "据说这家公司今年裁员约600人，其中三成是研发人员。"
    body = sentence * (1024 * 1024 // len(sentence.encode()))
    started = time.perf_counter()
    article = _import("big.txt", body)
    took = time.perf_counter() - started
    assert Passage.objects.filter(article=article).count() <= 5000
    assert took < 60
    assert isinstance(assistant.conflicts(), list)


def test_ten_thousand_numbers_in_one_text(db):
    body = "，".join(str(n) + "人" for n in range(10_000)) + "。"
    article = _import("numbers.txt", body)
    figures = sum(len(p.figures) for p in Passage.objects.filter(article=article))
    assert figures <= 400
    assert isinstance(assistant.conflicts(), list)


def test_a_failing_assistant_never_stops_an_import(db, monkeypatch):
    from claims.assistant import arrival

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(arrival, "read_passages", broken)
    article = _import("x.txt", "一句中文。")
    assert article.pk and not Passage.objects.filter(article=article).exists()


def test_a_fresh_index_reads_the_evidence_articles_likeness_as_all_articles_give_it(
    editor, monkeypatch
):
    """A process reading the desk (its first use of the assistant) takes the articles and the
    claims in one pass: the articles the claims quote get their own postings then, and an
    arriving article's likeness to them, and so its known claims, come out as when every
    article is scored."""
    from claims.assistant import index as assistant_index
    from claims.assistant import matching

    first = _import("first.txt", RUMOUR)
    metro = _import("metro.txt", "市政府宣布地铁三号线将于明年通车，票价不变。")
    _import("weather.txt", "今天天气晴朗，适合外出。")
    for text, article, quote in (
        ("喝高浓度白酒可以预防新冠肺炎", first, "网传喝高浓度白酒可以预防新冠肺炎病毒感染"),
        ("地铁三号线明年通车", metro, "市政府宣布地铁三号线将于明年通车"),
    ):
        services.create_claim(
            actor=editor, text=text, evidence=[{"article": article, "quote": quote}]
        )
    arriving = _import("second.txt", "朋友圈流传：" + RUMOUR + "另外地铁三号线明年通车。")
    assistant_index.reset()
    index = assistant_index.current()
    docs = [int(doc) for doc in index.claim_documents() if doc >= 0]
    assert sorted(docs) == sorted({index.doc_of[first.pk], index.doc_of[metro.pk]})
    words = index.document_words([arriving.pk])
    assert (
        index.evidence_scores(words, docs).tolist() == index.document_scores(words)[docs].tolist()
    )
    one_by_one = [hit.claim.pk for hit in assistant.known_claims(arriving)]
    monkeypatch.setattr(matching, "LIKENESS_ONE_BY_ONE", 0)  # every evidence article at once
    assert [hit.claim.pk for hit in assistant.known_claims(arriving)] == one_by_one
    assert len(one_by_one) == 2


def test_an_import_stores_the_same_known_claims_whenever_the_index_looks_at_the_database(
    rated_claim, monkeypatch
):
    """An import asks the database now and then (every CLAIMS_CHECK_EVERY seconds) whether
    claims changed elsewhere; what it stores must not depend on when it asks: the claims'
    weights follow the growing desk at the same article either way."""
    from django.db import transaction

    from claims.assistant import arrival
    from claims.assistant import index as assistant_index

    texts = [
        "朋友圈流传：喝高浓度白酒可以预防新冠肺炎病毒感染。",
        "有人说喝白酒能预防新冠肺炎，还说酒精可以杀死病毒。专家说没有根据。",
        "网传高浓度白酒预防新冠病毒感染，市民纷纷抢购白酒。超市表示货源充足。",
        "喝高浓度白酒可以预防新冠肺炎？医生提醒，饮酒过量伤身。请勿轻信谣言。",
    ]

    def stored(every):
        monkeypatch.setattr(arrival, "CLAIMS_CHECK_EVERY", every)
        with transaction.atomic():
            assistant_index.reset()
            arrival.claims_changed()
            articles = [_import(f"{n}.txt", text) for n, text in enumerate(texts)]
            rows = sorted(
                (articles.index(row.article), row.claim_id, row.start, row.end, row.score)
                for row in KnownClaim.objects.filter(article__in=articles)
            )
            transaction.set_rollback(True)
        assistant_index.reset()
        return rows

    always, never = stored(0.0), stored(10**9)
    assert always and always == never
