"""Search pages: the public `/search/` (published claims only, as published, in the reader's
reading) and the desk's `/review/search/` (every claim, article and digest, with filters).
Both find text typed in the other script, refuse bad input with a 400, and cost the same
number of queries for one result as for twenty."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Claim
from tests.conftest import make_user

TRADITIONAL_QUOTE = "這消息一出,整個AI圈都炸開了鍋"


def publish(claims, reviewer, title="核查摘要", editor=None):
    """Approve each claim's proposed verdict (proposing one if it has none) and publish them
    in a new digest."""
    for claim in claims:
        claim.refresh_from_db()
        verdict = claim.verdicts.filter(status="proposed").first()
        if verdict is None:
            verdict = services.propose_verdict(
                claim, actor=editor, rating="false", rationale="来源已经否认。"
            )
        services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    digest = services.create_digest(actor=reviewer, title=title, claims=claims)
    return services.publish_digest(digest, actor=reviewer)


def result_ids(html):
    return [int(i) for i in re.findall(r'<h2 class="claim-text"><a href="/claims/(\d+)/">', html)]


def desk_claim_ids(html):
    section = (
        html.split('id="claims"', 1)[1].split("</section>", 1)[0] if 'id="claims"' in html else ""
    )
    return [int(i) for i in re.findall(r'<a href="/review/claims/(\d+)/">#', section)]


def section_of(html, key):
    if f'id="{key}"' not in html:
        return None
    return html.split(f'id="{key}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def traditional_claim(seed_articles, editor, reviewer):
    """A claim written in Traditional script, published in its own digest."""
    claim = services.create_claim(
        actor=editor,
        text="這消息一出，整個AI圈都炸開了鍋",
        evidence=[{"article": seed_articles["004"], "quote": TRADITIONAL_QUOTE}],
    )
    publish([claim], reviewer, title="網傳訊息核查", editor=editor)
    return claim


# --- the public page ---------------------------------------------------------------------------


def test_the_public_page_finds_a_published_claim_from_either_script(
    client, published_digest, rumour_claim, traditional_claim
):
    # The rumour claim is written in Simplified (团队, 辞职): a Traditional query finds it.
    page = client.get("/search/", {"q": "團隊 辭職"})
    html = page.content.decode()
    assert page.status_code == 200
    assert result_ids(html) == [rumour_claim.pk]
    assert '<meta name="robots" content="noindex">' in html
    assert "传言（未证实）" in html  # its verdict's badge, in the reading's words
    assert "Only a second-hand post; denied by staff." in html  # and its reasons
    assert f'href="{published_digest.get_absolute_url()}#claim-{rumour_claim.pk}"' in html
    assert "Meta AI layoffs" in html
    # ... and the Traditional claim from a Simplified query.
    html = client.get("/search/", {"q": "这消息 圈"}).content.decode()
    assert result_ids(html) == [traditional_claim.pk]
    assert "網傳訊息核查" in html


def test_results_are_shown_in_the_readers_script(client, published_digest, rumour_claim):
    traditional = client.get("/search/", {"q": "团队", "script": "hant"}).content.decode()
    results = traditional.split('<ol class="entries results">', 1)[1].split("</ol>", 1)[0]
    # The words searched for are marked where the result, as shown, writes them.
    assert "<mark>團隊</mark>約80%的成員已經辭職" in results and "团队" not in results
    assert "傳言（未證實）" in traditional
    simplified = client.get("/search/", {"q": "团队", "script": "hans"}).content.decode()
    assert "Meta的Llama 4<mark>团队</mark>约80%的成员已经辞职" in simplified


def test_the_public_page_shows_only_what_was_published(
    client, published_digest, rumour_claim, seed_articles, editor, reviewer
):
    # Approved and in a draft digest, but not published.
    drafted = services.create_claim(actor=editor, text="Meta团队草稿里的主张")
    verdict = services.propose_verdict(drafted, actor=editor, rating="false", rationale="否认。")
    services.approve_verdict(verdict, actor=reviewer, claim_version=drafted.version)
    services.create_digest(actor=reviewer, title="团队草稿摘要", claims=[drafted])
    # Proposed only.
    services.propose_verdict(
        services.create_claim(actor=editor, text="Meta团队尚未审核的主张"),
        actor=editor,
        rating="rumour",
        rationale="待查。",
    )
    # Edited after publication: readers see the published words until a correction.
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="Meta团队全员改写的新说法"
    )
    html = client.get("/search/", {"q": "团队"}).content.decode()
    assert result_ids(html) == [rumour_claim.pk]
    for hidden in ("草稿", "尚未审核", "改写的新说法"):
        assert hidden not in html
    assert "Meta的Llama 4<mark>团队</mark>约80%的成员已经辞职" in html
    assert result_ids(client.get("/search/", {"q": "改写"}).content.decode()) == []
    assert result_ids(client.get("/search/", {"q": "草稿"}).content.decode()) == []


def test_an_empty_query_shows_the_form_only(client, published_digest):
    for query in ({}, {"q": ""}, {"q": "   "}):
        page = client.get("/search/", query)
        html = page.content.decode()
        assert page.status_code == 200
        assert 'id="search-q"' in html and result_ids(html) == []
        assert "noindex" not in html and "search-count" not in html


def test_no_match_says_so(client, published_digest):
    html = client.get("/search/", {"q": "不存在的字词"}).content.decode()
    assert result_ids(html) == [] and "没有已发布的核查包含这些字词" in html


def test_bad_input_on_the_public_page_is_a_400_not_a_500(client, published_digest):
    too_long = client.get("/search/", {"q": "裁" * 10_000})
    assert too_long.status_code == 400
    assert "搜索内容太长" in too_long.content.decode()
    assert 'id="search-q"' in too_long.content.decode()
    for bad in ("abc", "0", "-1"):
        assert client.get("/search/", {"q": "团队", "page": bad}).status_code == 400
    past = client.get("/search/", {"q": "团队", "page": 7})
    assert past.status_code == 200 and result_ids(past.content.decode()) == []
    assert "pager-empty" in past.content.decode()


def test_public_results_are_paged(client, published_digest, editor, reviewer, monkeypatch):
    from claims.views import public

    monkeypatch.setattr(public, "SEARCH_PAGE_SIZE", 2)
    claims = [services.create_claim(actor=editor, text=f"团队第{i}号说法") for i in range(3)]
    publish(claims, reviewer, editor=editor)
    first = client.get("/search/", {"q": "團隊"}).content.decode()
    second = client.get("/search/", {"q": "團隊", "page": 2}).content.decode()
    assert len(result_ids(first)) == 2 and len(result_ids(second)) == 2
    assert set(result_ids(first)).isdisjoint(result_ids(second))
    assert 'rel="next"' in first and 'start="3"' in second
    assert "共 4 条" in first


def test_the_search_page_is_cached_until_the_next_publication(
    client, published_digest, editor, reviewer, django_assert_num_queries
):
    first = client.get("/search/", {"q": "团队"})
    with django_assert_num_queries(0):
        again = client.get("/search/", {"q": "团队"})
    assert again.content == first.content and "public" in again["Cache-Control"]
    publish([services.create_claim(actor=editor, text="新发布的团队说法")], reviewer, editor=editor)
    assert "新发布的<mark>团队</mark>说法" in client.get("/search/", {"q": "团队"}).content.decode()


def test_every_public_page_has_a_search_box_in_its_header(client, published_digest):
    html = client.get("/").content.decode()
    header = html.split('<header class="site">', 1)[1].split("</header>", 1)[0]
    assert 'action="/search/"' in header and 'name="q"' in header
    assert '<label class="visually-hidden" for="site-q">' in header
    assert '<button type="submit">' in header
    # On the search page itself, its own form takes the place of the header's.
    search = client.get("/search/").content.decode()
    assert 'id="site-q"' not in search and 'id="search-q"' in search


# --- the desk's page ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get("/review/search/", {"q": "团队"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    outsider = make_user("reader")
    client.force_login(outsider)
    assert client.get("/review/search/", {"q": "团队"}).status_code == 403


def test_the_desk_finds_claims_articles_and_digests_from_either_script(
    client, editor, reviewer, published_digest, rumour_claim, seed_articles
):
    draft = services.create_claim(actor=editor, text="Llama团队成员辞职的另一种说法")
    services.create_digest(actor=reviewer, title="團隊辭職傳言整理", claims=[])
    client.force_login(editor)
    page = client.get("/review/search/", {"q": "團隊"})
    html = page.content.decode()
    assert page.status_code == 200
    # Every claim, published or not, newest first.
    assert desk_claim_ids(html) == [draft.pk, rumour_claim.pk]
    assert "已发布" in section_of(html, "claims") and "尚无结论" in section_of(html, "claims")
    # The articles that hold the words (the seed article 004 is written in Traditional).
    assert f'href="/review/articles/{seed_articles["004"].pk}/"' in section_of(html, "articles")
    # The draft digest whose title is in Traditional, from a Simplified query too.
    simplified = client.get("/review/search/", {"q": "团队辞职"}).content.decode()
    assert "<mark>團隊辭職</mark>傳言整理" in section_of(simplified, "digests")
    assert "草稿" in section_of(simplified, "digests")
    # A title written with full-width digits, from the digits an editor types (and back).
    services.create_digest(actor=reviewer, title="ＡＩ部门裁员８０人", claims=[])
    for typed in ("AI部门 80", "ＡＩ部门 ８０"):
        found = client.get("/review/search/", {"q": typed}).content.decode()
        assert "<mark>ＡＩ部门</mark>裁员<mark>８０</mark>人" in section_of(found, "digests"), typed
    assert 'href="/review/search/"' in html.split("</nav>", 1)[0]  # in the navigation


def test_the_desk_shows_where_each_article_says_the_words_as_written(client, editor, db):
    """A long message matched somewhere in its text: the result quotes that place, the word as
    the article writes it (here in Traditional, searched in Simplified) marked."""
    from sources.importer import import_bytes

    filler = "朋友傳來的訊息，請大家轉傳給家人。" * 5
    body = f"廚房小常識\n\n{filler}\n每天吃三瓣蒜頭<b>可以</b>預防新冠肺炎，\n  快轉給長輩。\n"
    article = import_bytes(body.encode(), "garlic.txt").article
    plain = import_bytes("天气\n\n今天天气晴朗。\n".encode(), "plain.txt").article
    client.force_login(editor)
    html = client.get("/review/search/", {"q": "蒜头 预防"}).content.decode()
    articles = section_of(html, "articles")
    assert f'href="/review/articles/{article.pk}/"' in articles
    assert (
        '<p class="snippet">…家轉傳給家人。朋友傳來的訊息，請大家轉傳給家人。 每天吃三瓣<mark>蒜頭</mark>'
        "&lt;b&gt;可以&lt;/b&gt;預防新冠肺炎， 快轉給長輩。</p>"
    ) in articles
    assert f'href="/review/articles/{plain.pk}/"' not in articles
    # Words of the title only: the title says why, and the text is not quoted.
    title = section_of(
        client.get("/review/search/", {"q": "厨房小常识"}).content.decode(), "articles"
    )
    assert f'href="/review/articles/{article.pk}/"' in title and "snippet" not in title
    # Letters as an input method types them (full width), any case.
    latin = import_bytes("消息\n\n网传META将关闭Llama团队。\n".encode(), "latin.txt").article
    found = section_of(
        client.get("/review/search/", {"q": "ｍｅｔａ"}).content.decode(), "articles"
    )
    assert f'href="/review/articles/{latin.pk}/"' in found
    assert '<p class="snippet">网传<mark>META</mark>将关闭Llama团队。</p>' in found
    # At the start of the text: no ellipsis before.
    start = section_of(client.get("/review/search/", {"q": "朋友"}).content.decode(), "articles")
    assert '<p class="snippet"><mark>朋友</mark>傳來的訊息' in start


def test_the_words_are_marked_in_results_with_the_text_escaped():
    from django.template import Context, Template

    shown = Template("{% load search_marks %}{{ text|marked_words:q }}").render(
        Context({"text": "網傳<b>大蒜</b>能治新冠，吃大蒜吧", "q": "大蒜 新冠"})
    )
    assert shown == (
        "網傳&lt;b&gt;<mark>大蒜</mark>&lt;/b&gt;能治<mark>新冠</mark>，吃<mark>大蒜</mark>吧"
    )
    nothing = Template("{% load search_marks %}{{ text|marked_words:q }}").render(
        Context({"text": "<i>x</i>", "q": ""})
    )
    assert nothing == "&lt;i&gt;x&lt;/i&gt;"


def test_a_quote_reads_past_the_runs_of_spaces_that_stand_for_line_breaks(db):
    from claims.search import snippet

    text = "十大長壽秘訣：No.16 跳舞" + " " * 90 + "No.17 吃大蒜" + " " * 90 + "No.18 吃堅果"
    assert snippet(text, "大蒜", around=12) == {
        "before": "…6 跳舞 No.17 吃",
        "word": "大蒜",
        "after": "No.18 吃堅果",
    }


@pytest.mark.parametrize("typed", ["#{pk}", "＃{pk}", " # {pk} "])
def test_the_desks_number_for_a_claim_or_an_article_finds_it(
    client, editor, reviewer, published_digest, rumour_claim, seed_articles, typed
):
    """The desk names claims and articles by number ("主张 #20", in messages, tips and
    e-mails): typed into a search, the number finds them, half-width or full-width, on the
    desk's search, the editors' API and, for a published claim, the public API."""
    hashtag = services.create_claim(actor=editor, text=f"网传话题#{rumour_claim.pk}#又上热搜")
    article = seed_articles["004"]
    client.force_login(editor)
    html = client.get("/review/search/", {"q": typed.format(pk=rumour_claim.pk)}).content.decode()
    # The claim with that number, and a text that holds the same "#N" as written.
    assert sorted(desk_claim_ids(html)) == sorted([rumour_claim.pk, hashtag.pk])
    html = client.get("/review/search/", {"q": typed.format(pk=article.pk)}).content.decode()
    assert f'href="/review/articles/{article.pk}/"' in section_of(html, "articles")
    found = client.get("/api/v1/claims/", {"q": typed.format(pk=rumour_claim.pk)}).json()
    assert rumour_claim.pk in [row["id"] for row in found["results"]]
    client.logout()
    found = client.get("/api/v1/claims/", {"q": typed.format(pk=rumour_claim.pk)}).json()
    assert [row["id"] for row in found["results"]] == [rumour_claim.pk]  # published only
    # A number alone is still a text search (dates, figures), not a reference.
    client.force_login(editor)
    html = client.get("/review/search/", {"q": str(rumour_claim.pk)}).content.decode()
    rumour_claim.refresh_from_db()
    holds_it = str(rumour_claim.pk) in rumour_claim.search_text
    assert (rumour_claim.pk in desk_claim_ids(html)) == holds_it


def test_desk_filters_narrow_the_results(
    client, editor, editor2, reviewer, published_digest, rumour_claim, seed_articles
):
    other_source = seed_articles["001"]
    assert other_source.source_id != seed_articles["004"].source_id
    quote = other_source.body[10:20]
    by_editor2 = services.create_claim(
        actor=editor2,
        text="Llama团队的第二条说法",
        evidence=[{"article": other_source, "quote": quote}],
    )
    services.propose_verdict(by_editor2, actor=editor2, rating="confirmed", rationale="多家报道。")
    client.force_login(editor)

    def found(**filters):
        page = client.get("/review/search/", {"q": "团队", **filters})
        assert page.status_code == 200, (filters, page.content.decode()[:500])
        return desk_claim_ids(page.content.decode())

    assert found() == [by_editor2.pk, rumour_claim.pk]
    assert found(status="published") == [rumour_claim.pk]
    assert found(status="proposed") == [by_editor2.pk]
    assert found(rating="confirmed") == [by_editor2.pk]
    assert found(rating="rumour") == [rumour_claim.pk]
    assert found(editor="editor2") == [by_editor2.pk]
    assert found(source=seed_articles["004"].source_id) == [rumour_claim.pk]
    assert found(source=other_source.source_id) == [by_editor2.pk]
    today = timezone.localdate()
    assert found(date_from=today.isoformat()) == [by_editor2.pk, rumour_claim.pk]
    assert found(date_to=(today - datetime.timedelta(days=1)).isoformat()) == []
    assert found(kind="claims") == [by_editor2.pk, rumour_claim.pk]
    # A filter that only claims have leaves the articles and digests out, and says so.
    html = client.get("/review/search/", {"q": "团队", "status": "published"}).content.decode()
    assert section_of(html, "articles") is None and section_of(html, "digests") is None
    assert "只列出主张" in html
    # The outlet narrows the articles too.
    articles = section_of(
        client.get(
            "/review/search/", {"q": "团队", "source": other_source.source_id}
        ).content.decode(),
        "articles",
    )
    assert f"/review/articles/{seed_articles['004'].pk}/" not in articles


def test_bad_input_on_the_desk_page_is_a_400_with_its_message(client, editor, rumour_claim):
    client.force_login(editor)
    cases = {
        "q": ("裁" * 10_000, "搜索内容太长"),
        "date_from": ("2025-13-45", "请输入有效的日期"),
        "source": ("999999", ""),
        "editor": ("nobody-of-that-name", ""),
        "status": ("lost", ""),
        "claims_page": ("abc", "不是页码"),
    }
    for name, (value, message) in cases.items():
        page = client.get(
            "/review/search/", {"q": "团队", name: value} if name != "q" else {name: value}
        )
        assert page.status_code == 400, name
        assert message in page.content.decode(), name
        assert desk_claim_ids(page.content.decode()) == [], name
    backwards = client.get(
        "/review/search/", {"q": "团队", "date_from": "2025-10-22", "date_to": "2025-10-01"}
    )
    assert backwards.status_code == 400 and "结束日期早于开始日期" in backwards.content.decode()
    # The ends of the calendar are dates like any other.
    ends = client.get(
        "/review/search/", {"q": "团队", "date_from": "0001-01-01", "date_to": "9999-12-31"}
    )
    assert ends.status_code == 200 and desk_claim_ids(ends.content.decode()) == [rumour_claim.pk]
    past = client.get("/review/search/", {"q": "团队", "claims_page": 50})
    assert past.status_code == 200 and "回到最后一页" in past.content.decode()
    # No query and no filter: the form only.
    empty = client.get("/review/search/")
    assert empty.status_code == 200 and section_of(empty.content.decode(), "claims") is None


# --- query counts ------------------------------------------------------------------------------


def measure(client, url):
    for cache in caches.all():
        cache.clear()  # a cached page would hide its queries
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_both_pages_cost_as_many_queries_for_twenty_results_as_for_one(
    client, editor, reviewer, seed_articles, checks_every_request
):
    article = seed_articles["004"]

    def make(n):
        claims = []
        for i in range(n):
            claim = services.create_claim(
                actor=editor,
                text=f"第{i}条：Llama团队約80%成員辭職",
                evidence=[{"article": article, "quote": TRADITIONAL_QUOTE}],
            )
            services.propose_verdict(claim, actor=editor, rating="rumour", rationale="二手爆料。")
            claims.append(claim)
        digest = publish(claims, reviewer, title=f"团队摘要{Claim.objects.count()}", editor=editor)
        services.create_digest(actor=reviewer, title=f"团队草稿{digest.pk}", claims=[])
        return claims

    public_url = "/search/?q=團隊"
    desk_urls = [
        "/review/search/?q=团队",
        f"/review/search/?q=團隊&source={article.source_id}&date_from=2000-01-01",
        "/review/search/?q=团队&status=published&rating=rumour&editor=editor",
    ]

    def counts():
        client.logout()
        found = {public_url: measure(client, public_url)}
        client.force_login(editor)
        for url in desk_urls:
            client.get(url)  # the session, once
            found[url] = measure(client, url)
        return found

    make(1)
    counts()
    few = counts()
    assert len(result_ids(client.get(public_url).content.decode())) == 1
    make(19)
    counts()
    many = counts()
    client.logout()
    assert len(result_ids(client.get(public_url).content.decode())) == 20
    client.force_login(editor)
    assert len(desk_claim_ids(client.get(desk_urls[0]).content.decode())) == 20
    assert many == few
