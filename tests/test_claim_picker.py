"""Choosing a claim to add a quote to (the article reader's "加为已有主张的证据"): no dropdown of
every claim but a search in either script, backed by a small JSON answer for editors, and a
plain number field that works without JavaScript."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Evidence
from tests.conftest import RUMOUR_QUOTE, make_user

pytestmark = pytest.mark.django_db
PICK = reverse("review:claim_picker")


def ids(answer):
    assert answer.status_code == 200, answer.content
    return [item["id"] for item in answer.json()["results"]]


def test_the_search_finds_claims_in_either_script_and_their_number_first(client, editor):
    simplified = services.create_claim(actor=editor, text="Meta裁员约3600人")
    traditional = services.create_claim(actor=editor, text="傳言稱Meta將裁員兩成")
    unrelated = services.create_claim(actor=editor, text="台风今晚登陆")
    client.force_login(editor)
    # 裁員 (Traditional) finds 裁员 (Simplified) and the reverse; newest first.
    assert ids(client.get(PICK, {"q": "裁員"})) == [traditional.pk, simplified.pk]
    assert ids(client.get(PICK, {"q": "裁员 Meta"})) == [traditional.pk, simplified.pk]
    assert ids(client.get(PICK, {"q": "颱風"})) == [unrelated.pk]
    # A number (with or without #) is that claim, then the claims whose words hold it.
    assert ids(client.get(PICK, {"q": f"#{simplified.pk}"}))[0] == simplified.pk
    answer = client.get(PICK, {"q": "裁員"}).json()
    assert answer["results"][0] == {
        "id": traditional.pk,
        "label": f"#{traditional.pk} 傳言稱Meta將裁員兩成",
        "text": "傳言稱Meta將裁員兩成",
        "url": reverse("review:claim", args=[traditional.pk]),
    }
    assert answer["more"] is False and answer["count"] == 2
    assert client.get(PICK, {"q": "没有这种说法"}).json()["results"] == []


def test_the_search_answers_at_most_twenty_claims(client, editor):
    claims = [services.create_claim(actor=editor, text=f"第{i}条：裁员传闻") for i in range(25)]
    client.force_login(editor)
    answer = client.get(PICK, {"q": "裁員傳聞"}).json()
    assert [r["id"] for r in answer["results"]] == [c.pk for c in reversed(claims)][:20]
    assert answer["more"] is True
    assert len(ids(client.get(PICK))) == 20  # no query: the newest
    assert ids(client.get(PICK, {"q": "裁员", "limit": "5"})) == [c.pk for c in claims[:19:-1]]


@pytest.mark.parametrize(
    "query, words",
    [
        ({"q": "裁" * 201}, "最多 200 个字符"),
        ({"limit": "0"}, "limit"),
        ({"limit": "21"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "-3"}, "limit"),
    ],
)
def test_bad_search_input_is_a_400_that_says_why(client, editor, query, words):
    client.force_login(editor)
    answer = client.get(PICK, query)
    assert answer.status_code == 400
    assert words in answer.json()["detail"]


def test_a_control_character_in_the_search_is_a_400(client, editor):
    client.force_login(editor)
    # The site's URL guard (newsroom/url_guard.py) refuses it before the view, which would too.
    assert client.get(PICK, {"q": "裁员\x0b"}).status_code == 400


def test_the_search_is_for_editors_only(client, editor, db):
    services.create_claim(actor=editor, text="内部草稿中的主张")
    anonymous = client.get(PICK, {"q": "主张"})
    assert anonymous.status_code == 401 and "results" not in anonymous.json()
    client.force_login(make_user("reader"))
    assert client.get(PICK, {"q": "主张"}).status_code == 403
    client.force_login(editor)
    assert client.post(PICK, {"q": "主张"}).status_code == 405
    assert "no-store" in client.get(PICK, {"q": "主张"})["Cache-Control"]


def test_the_search_costs_the_same_queries_for_one_claim_and_for_thirty(client, editor):
    client.force_login(editor)

    def cost():
        client.get(PICK, {"q": "裁员"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PICK, {"q": "裁員"}).status_code == 200
        return len(captured)

    services.create_claim(actor=editor, text="裁员一")
    one = cost()
    for i in range(29):
        services.create_claim(actor=editor, text=f"裁员{i}")
    assert cost() == one


def test_the_reader_offers_a_search_and_a_number_field_not_every_claim(
    client, editor, seed_articles
):
    for i in range(30):
        services.create_claim(actor=editor, text=f"主张{i}")
    client.force_login(editor)
    html = client.get(reverse("review:article", args=[seed_articles["004"].pk])).content.decode()
    form = html.split('id="add-evidence-form"')[1].split("</form>")[0]
    assert '<select name="claim"' not in form and "主张29" not in form
    assert re.search(r'<input type="text" name="claim"[^>]*inputmode="numeric"', form)
    assert (
        f'data-claim-picker="{PICK}"' in form and 'data-claim-target="add-evidence-claim"' in form
    )
    assert 'id="add-evidence-claim"' in form
    assert "/static/review/claim_picker.js" in html


@pytest.mark.parametrize("typed", ["{pk}", "#{pk}", " ＃{wide} "])
def test_a_quote_is_added_to_the_claim_whose_number_is_typed(
    client, editor, rumour_claim, seed_articles, typed
):
    wide = str(rumour_claim.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    article = seed_articles["004"]
    quote = "「得到消息:Meta的Llama 4團隊約80%已辭職」"
    client.force_login(editor)
    response = client.post(
        reverse("review:article_add_evidence", args=[article.pk]),
        {
            "quote": quote,
            "claim": typed.format(pk=rumour_claim.pk, wide=wide),
            "stance": "supports",
        },
    )
    assert response.status_code == 302
    assert rumour_claim.evidence.filter(quote=quote).exists()


@pytest.mark.parametrize(
    "typed, words",
    [("", "请填写主张编号"), ("Meta", "请输入主张编号"), ("999999", "没有编号为 999999 的主张")],
)
def test_a_number_of_no_claim_is_refused_with_a_message_and_nothing_is_stored(
    client, editor, rumour_claim, seed_articles, typed, words
):
    before = Evidence.objects.count()
    client.force_login(editor)
    response = client.post(
        reverse("review:article_add_evidence", args=[seed_articles["004"].pk]),
        {"quote": RUMOUR_QUOTE, "claim": typed, "stance": "supports"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and RUMOUR_QUOTE in html  # the quote is kept for another try
    assert Evidence.objects.count() == before


def test_a_bad_pick_is_a_400(client, editor, seed_articles):
    client.force_login(editor)
    response = client.post(
        reverse("review:article_add_evidence", args=[seed_articles["004"].pk]),
        {"quote": RUMOUR_QUOTE, "pick": "abc", "stance": "supports"},
    )
    assert response.status_code == 400 and "不是主张编号" in response.content.decode()
