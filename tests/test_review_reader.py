"""The article reader: highlighted evidence, scripts, claims and evidence from a selection,
claim suggestions."""

import re

from django.urls import reverse

from claims.models import Claim, Evidence
from sources.models import Article, Source
from tests.conftest import RUMOUR_QUOTE

HK_BODY = "他說：搭𨋢去九龍，再轉車。"


def reader(client, article, **params):
    return client.get(reverse("review:article", args=[article.pk]), params)


def article_body(response):
    page = response.content.decode()
    return re.search(
        r'<div class="article-body" id="article-body"[^>]*>(.*?)</div>', page, re.S
    ).group(1)


def test_every_evidence_span_is_highlighted_with_its_claim_and_stance(
    client, editor, rumour_claim, seed_articles
):
    client.force_login(editor)
    evidence = rumour_claim.evidence.get()
    page = reader(client, seed_articles["004"]).content.decode()
    mark = re.search(
        r'<mark data-o="(\d+)"[^>]*title="([^"]*)"[^>]*id="e-(\d+)">([^<]*)</mark>',
        page,
    )
    assert mark, "the evidence is not marked"
    # Not a Tab stop each: the body is one (the keyboard moves between highlights in it).
    assert "tabindex" not in mark.group(0)
    assert re.search(r'<div class="article-body" id="article-body"[^>]* tabindex="0"', page)
    assert int(mark.group(1)) == evidence.start
    assert f"主张 #{rumour_claim.pk}" in mark.group(2) and "支持" in mark.group(2)
    assert mark.group(3) == str(evidence.pk)
    assert mark.group(4) == RUMOUR_QUOTE


def test_an_article_body_with_markup_is_shown_as_text(client, editor, db):
    article = Article.objects.create(
        source=Source.unknown(),
        title="<b>标题</b>",
        script="hans",
        body='他说<script>alert("x")</script>今天裁员600人。',
        boilerplate="<img src=x onerror=alert(1)>",
    )
    client.force_login(editor)
    page = reader(client, article).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>标题" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_boilerplate_is_folded_away(client, editor, db):
    article = Article.objects.create(
        source=Source.unknown(),
        script="hans",
        body="正文。",
        boilerplate="本文转载自某公众号",
    )
    client.force_login(editor)
    page = reader(client, article).content.decode()
    assert re.search(r"<details class=\"boilerplate\">.*本文转载自某公众号.*</details>", page, re.S)


def test_the_reader_shows_traditional_text_in_simplified_and_keeps_offsets(
    client, editor, rumour_claim, seed_articles
):
    client.force_login(editor)
    evidence = rumour_claim.evidence.get()
    body = article_body(reader(client, seed_articles["004"], script="hans"))
    assert "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈" in body
    assert f'<mark data-o="{evidence.start}"' in body
    assert "團隊約80%" not in body
    assert "團隊約80%" in article_body(reader(client, seed_articles["004"], script="hant"))


def test_the_reader_offers_taiwan_and_hong_kong_readings_of_simplified_text(
    client, editor, seed_articles
):
    from html import unescape

    from sources import text as scripts

    article = next(a for a in seed_articles.values() if a.script == "hans")
    client.force_login(editor)
    pages = {
        reading: unescape(
            re.sub(r"<[^>]+>", "", article_body(reader(client, article, script=reading)))
        )
        for reading in ("hant", "hk")
    }
    # Characters the two standards write differently (說/説, 著/着, 群/羣…) follow the reading.
    taiwan, hong_kong = (set(scripts.to_script(article.body, r)) for r in ("hant", "hk"))
    only_hk, only_tw = hong_kong - taiwan, taiwan - hong_kong
    assert only_hk and only_tw
    assert only_hk <= set(pages["hk"]) and not only_hk & set(pages["hant"])
    assert only_tw <= set(pages["hant"]) and not only_tw & set(pages["hk"])
    page = reader(client, article, script="hk").content.decode()
    assert 'href="?script=hk" aria-current="true"' in page


def test_a_selection_becomes_a_claim_with_its_evidence(client, editor, seed_articles):
    article = seed_articles["004"]
    start = article.body.index(RUMOUR_QUOTE)
    client.force_login(editor)
    response = client.post(
        reverse("review:article_new_claim", args=[article.pk]),
        {
            "quote": RUMOUR_QUOTE,
            "start": start,
            "end": start + len(RUMOUR_QUOTE),
            "stance": "supports",
        },
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and response.url == reverse("review:claim", args=[claim.pk])
    assert claim.text == RUMOUR_QUOTE
    evidence = claim.evidence.get()
    assert (evidence.article, evidence.start, evidence.quote) == (article, start, RUMOUR_QUOTE)


def test_offsets_from_the_page_count_code_points_outside_the_basic_plane(client, editor, db):
    article = Article.objects.create(source=Source.unknown(), body=HK_BODY, script="hant")
    client.force_login(editor)
    assert '<span data-o="0">他說：搭𨋢去九龍，再轉車。</span>' in article_body(
        reader(client, article)
    )
    # The page's script sends code points: 去 is at 5 (it would be 6 in UTF-16 units).
    client.post(
        reverse("review:article_new_claim", args=[article.pk]),
        {
            "quote": "去九龍",
            "start": 5,
            "end": 8,
            "text": "可以搭𨋢去九龍",
            "stance": "context",
        },
    )
    evidence = Evidence.objects.get()
    assert (evidence.start, evidence.end, evidence.quote, evidence.stance) == (
        5,
        8,
        "去九龍",
        "context",
    )
    assert evidence.claim.text == "可以搭𨋢去九龍"
    assert re.search(
        r'<mark data-o="5"[^>]*>去九龍</mark><span data-o="8">',
        article_body(reader(client, article)),
    )


def test_a_selection_is_added_as_evidence_to_an_existing_claim(
    client, editor, rumour_claim, seed_articles
):
    article = seed_articles["004"]
    quote = "「得到消息:Meta的Llama 4團隊約80%已辭職」"
    client.force_login(editor)
    response = client.post(
        reverse("review:article_add_evidence", args=[article.pk]),
        {
            "quote": quote,
            "start": article.body.index(quote),
            "claim": rumour_claim.pk,
            "stance": "supports",
        },
    )
    assert response.status_code == 302
    assert rumour_claim.evidence.filter(quote=quote).exists()
    assert response.url.endswith(f"#e-{rumour_claim.evidence.get(quote=quote).pk}")


def test_a_quote_typed_in_simplified_without_offsets_still_anchors(client, editor, seed_articles):
    article = seed_articles["004"]
    client.force_login(editor)
    client.post(
        reverse("review:article_new_claim", args=[article.pk]),
        {
            "quote": "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈",
            "stance": "supports",
        },
    )
    assert Evidence.objects.get().quote == RUMOUR_QUOTE


def test_a_quote_that_is_not_in_the_article_is_refused_and_nothing_is_stored(
    client, editor, seed_articles
):
    client.force_login(editor)
    response = client.post(
        reverse("review:article_new_claim", args=[seed_articles["001"].pk]),
        {
            "quote": "Meta裁掉了一万人",
            "start": 3,
            "text": "我的主张",
            "stance": "supports",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "中没有引文" in page and "我的主张" in page
    assert Claim.objects.count() == 0


def test_a_negative_offset_or_missing_quote_is_a_form_error(client, editor, seed_articles):
    client.force_login(editor)
    response = client.post(
        reverse("review:article_new_claim", args=[seed_articles["001"].pk]),
        {
            "quote": "",
            "start": -4,
            "stance": "maybe",
        },
    )
    assert response.status_code == 400
    assert set(response.context["new_claim_form"].errors) == {"quote", "start", "stance"}
    assert Claim.objects.count() == 0


def test_the_80_percent_rumour_is_suggested_as_hedging(client, editor, seed_articles):
    client.force_login(editor)
    response = reader(client, seed_articles["004"])
    rumour = next(i for i in response.context["suggested"] if RUMOUR_QUOTE in i["suggestion"].text)
    assert "hedging" in rumour["suggestion"].reasons and "percent" in rumour["suggestion"].reasons
    page = response.content.decode()
    assert f'id="s-{rumour["index"]}" data-reason="〔百分比 · 引述 · 传言〕"' in page


def test_the_600_layoffs_are_suggested_as_a_figure(client, editor, seed_articles):
    client.force_login(editor)
    suggested = reader(client, seed_articles["000"]).context["suggested"]
    layoffs = [i["suggestion"] for i in suggested if "裁員大約600人" in i["suggestion"].text]
    assert layoffs and "figure" in layoffs[0].reasons


def test_one_click_turns_a_suggestion_into_a_claim_with_its_span(client, editor, seed_articles):
    article = seed_articles["000"]
    client.force_login(editor)
    suggestion = next(
        i["suggestion"]
        for i in reader(client, article).context["suggested"]
        if "裁員大約600人" in i["suggestion"].text
    )
    client.post(
        reverse("review:article_new_claim", args=[article.pk]),
        {
            "quote": suggestion.text,
            "start": suggestion.start,
            "stance": "supports",
        },
    )
    evidence = Evidence.objects.get()
    assert (evidence.start, evidence.end) == (suggestion.start, suggestion.end)
    assert evidence.claim.text == suggestion.text
    covered = next(
        i for i in reader(client, article).context["suggested"] if i["suggestion"] == suggestion
    )
    assert covered["covered"]
