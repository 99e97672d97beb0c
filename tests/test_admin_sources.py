"""The admin for sources and articles: columns, search across scripts, upload, protected
deletion."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims.models import Evidence
from sources.importer import import_bytes
from sources.models import Article, Source
from tests.conftest import SEEDS

CHANGELIST = reverse("admin:sources_article_changelist")
UPLOAD = reverse("admin:sources_article_upload")


def listed(response):
    return {article.pk for article in response.context["cl"].result_list}


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_article_list_shows_source_date_script_and_claims(
    admin_client, seed_articles, rumour_claim
):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "143亿买来的首席AI官" in page and "2025年10月底,MetaAI部门的一则消息炸翻了硅谷" in page
    assert "001_" not in page  # a file name is never shown as a title
    assert "TMT觀察網" in page and "2025年10月23日" in page
    counts = {a.pk: a.claim_count for a in response.context["cl"].result_list}
    assert counts[seed_articles["004"].pk] == 1
    assert counts[seed_articles["000"].pk] == 0  # quoted by no claim
    assert "导入文章文件" in page and UPLOAD in page


def test_the_article_list_costs_the_same_queries_with_more_articles(
    admin_client, seed_articles, rumour_claim, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        admin_client.get(CHANGELIST)
    for n in range(20):
        import_bytes(
            f"标题{n}\n第{n}篇正文，内容各不相同。\n来源：媒体{n}号报\n".encode(), f"{n}.txt"
        )
    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 25


@pytest.mark.parametrize("query", ["裁員", "裁员"])
def test_article_search_matches_across_scripts(admin_client, seed_articles, query):
    found = listed(admin_client.get(CHANGELIST, {"q": query}))
    # 000 and 004 write 裁員, 002 writes 裁员: either query finds all three.
    assert found == {seed_articles[n].pk for n in ("000", "002", "004")}


@pytest.mark.parametrize("query", ["軟體", "软件", "软体"])
def test_article_search_folds_regional_vocabulary(admin_client, db, query):
    simplified = import_bytes("标题\n这家公司的软件更新了。\n".encode(), "s.txt").article
    taiwanese = import_bytes("標題\n這家公司的軟體在網路上很受歡迎。\n".encode(), "t.txt").article
    assert listed(admin_client.get(CHANGELIST, {"q": query})) == {simplified.pk, taiwanese.pk}


def test_importer_fields_are_read_only(admin_client, seed_articles):
    article = seed_articles["002"]
    url = reverse("admin:sources_article_change", args=[article.pk])
    form = admin_client.get(url).context["adminform"].form
    assert {"title", "source", "published_on"} <= set(form.fields)
    assert not {"body", "boilerplate", "script", "fingerprint", "filename", "encoding"} & set(
        form.fields
    )


def test_source_list_counts_articles_and_finds_a_name_in_either_script(admin_client, seed_articles):
    url = reverse("admin:sources_source_changelist")
    response = admin_client.get(url, {"q": "TMT观察网"})
    sources = list(response.context["cl"].result_list)
    assert [s.name for s in sources] == ["TMT觀察網"] and sources[0].article_count == 1
    add = admin_client.get(reverse("admin:sources_source_add"))
    assert "prepopulated" in add.content.decode()


# --- deletion --------------------------------------------------------------------------------


def test_an_article_that_evidence_points_at_cannot_be_deleted(
    admin_client, rumour_claim, seed_articles
):
    article = seed_articles["004"]
    response = admin_client.post(
        reverse("admin:sources_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert any("不能删除" in m for m in messages_of(response))
    assert Article.objects.filter(pk=article.pk).exists()


def test_bulk_deleting_articles_with_evidence_is_refused_with_a_message(
    admin_client, rumour_claim, seed_articles
):
    ids = [a.pk for a in seed_articles.values()]
    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert "不能删除" in response.content.decode()
    assert Article.objects.count() == 5


def test_an_article_without_evidence_can_be_deleted(admin_client, seed_articles):
    article = seed_articles["003"]
    admin_client.post(reverse("admin:sources_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


# --- upload ----------------------------------------------------------------------------------


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_the_upload_form_imports_files_with_the_commands_messages(admin_client, db):
    assert admin_client.get(UPLOAD).status_code == 200
    files = [
        upload("big5.txt", "標題\n正文第一句，內容。\n來源：中央社\n".encode("big5")),
        upload("empty.txt", b""),
        upload("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ]
    response = admin_client.post(UPLOAD, {"files": files, "encoding": ""})
    assert response.status_code == 302 and response["Location"] == CHANGELIST
    shown = messages_of(response)
    article = Article.objects.get()
    # Each file's line is in the editor's language, worded as the desk's import page words it.
    assert f"big5.txt：已导入（文章 #{article.pk}）。繁体，Big5；来源：中央社" in shown
    assert "empty.txt：拒绝。文件是空的（0 字节）" in shown
    assert "picture.png：拒绝。不是文本文件（PNG 图片）" in shown
    assert "已导入 1 个，未改动 0 个，已拒绝 2 个" in shown
    assert article.encoding == "big5" and Source.objects.filter(name="中央社").exists()


def test_uploading_the_same_article_again_says_already_imported(admin_client, seed_articles):
    seed_file = upload("again.txt", next(SEEDS.glob("000_*")).read_bytes())
    response = admin_client.post(UPLOAD, {"files": [seed_file]})
    expected = f"again.txt：重复（文章 #{seed_articles['000'].pk}）。"
    assert any(message.startswith(expected) for message in messages_of(response))
    assert Article.objects.count() == 5


def test_a_forced_encoding_applies_to_the_upload(admin_client, db):
    data = "标题\n正文第一句。\n".encode("gb18030")
    response = admin_client.post(UPLOAD, {"files": [upload("gb.txt", data)], "encoding": "utf-8"})
    assert any(m.startswith("gb.txt：拒绝。") and "UTF-8" in m for m in messages_of(response))
    assert Article.objects.count() == 0


def test_an_upload_without_files_is_a_form_error(admin_client, db):
    response = admin_client.post(UPLOAD, {"encoding": ""})
    assert response.status_code == 400
    assert Article.objects.count() == 0


def test_the_upload_needs_a_csrf_token(admin_user, db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(UPLOAD, {"files": [upload("a.txt", "标题\n正文。\n".encode())]})
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_staff_without_the_add_permission_cannot_upload(client, django_user_model, db):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(UPLOAD).status_code == 403


@pytest.mark.parametrize("value", ["1e9", "null", "第一", "999999999999999999999999"])
def test_a_related_record_named_by_a_value_that_is_no_id_is_a_form_error(
    admin_client, rumour_claim, value
):
    """An autocomplete field sent back with a value that cannot be an id (typed into the
    request, or from a stale page) shows the form's error, as any unknown record does; Django's
    widget looked it up to show it again and raised a 500. Nothing is stored."""
    article = rumour_claim.evidence.get().article
    before = Article.objects.count(), Evidence.objects.count()
    answer = admin_client.post(
        reverse("admin:sources_article_change", args=[article.pk]),
        {"title": article.title, "source": value},
    )
    assert answer.status_code == 200
    assert "source" in answer.context["adminform"].form.errors
    answer = admin_client.post(
        reverse("admin:claims_evidence_add"),
        {"claim": rumour_claim.pk, "article": value, "quote": "x", "stance": "supports"},
    )
    assert answer.status_code == 200
    assert "article" in answer.context["adminform"].form.errors
    assert (Article.objects.count(), Evidence.objects.count()) == before
    article.refresh_from_db()
    assert article.source_id is not None


@pytest.mark.parametrize(
    "typed, stored", [("", []), ("null", []), ('["AI", "裁员"]', ["AI", "裁员"])]
)
def test_an_articles_tags_left_empty_are_no_tags(admin_client, seed_articles, typed, stored):
    """The tags field left empty (or null) saves no tags: the column takes a list, and an
    empty field was a 500."""
    article = seed_articles["001"]
    answer = admin_client.post(
        reverse("admin:sources_article_change", args=[article.pk]),
        {"title": article.title, "source": article.source_id, "tags": typed},
    )
    assert answer.status_code == 302, answer.content[:500]
    article.refresh_from_db()
    assert article.tags == stored


@pytest.mark.parametrize("typed", ['{"topic": "AI"}', '["AI", 5]', "5"])
def test_tags_that_are_not_a_list_of_texts_are_a_form_error(admin_client, seed_articles, typed):
    article = seed_articles["001"]
    before = article.tags
    answer = admin_client.post(
        reverse("admin:sources_article_change", args=[article.pk]),
        {"title": article.title, "source": article.source_id, "tags": typed},
    )
    assert answer.status_code == 200
    assert answer.context["adminform"].form.errors["tags"] == [
        '标签须是 JSON 格式的文字列表，例如 ["AI", "裁员"]。'
    ]
    article.refresh_from_db()
    assert article.tags == before


def test_the_source_picker_lists_every_source_once_by_name_page_after_page(admin_client, db):
    """The article form's source picker (the admin's autocomplete) pages through the sources
    20 at a time: each source is on exactly one page, in the order of their names, as the
    source list shows them. Sources added out of name order came back in the order they were
    added, so a page could repeat a source another page showed and leave one out."""
    names = [f"来源{n:02d}" for n in range(30)]
    for name in reversed(names):
        Source.objects.create(name=name, slug=f"source-{name[-2:]}")
    listed = []
    for page in (1, 2):
        answer = admin_client.get(
            "/admin/autocomplete/",
            {
                "app_label": "sources",
                "model_name": "article",
                "field_name": "source",
                "term": "来源",
                "page": page,
            },
        )
        assert answer.status_code == 200
        listed += [row["text"] for row in answer.json()["results"]]
    assert listed == names
