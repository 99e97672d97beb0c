"""The review pages' long lists: the queue's sections come in pages, and the pickers (a claim
for the evidence from an article, an article for a claim's quote) offer a short list narrowed
by a search field, without JavaScript."""

import re

from django.urls import reverse

from claims import selectors, services
from tests.conftest import RUMOUR_QUOTE


def test_queue_sections_are_paged(client, editor, monkeypatch):
    claims = [services.create_claim(actor=editor, text=f"待补证据的主张{i}") for i in range(5)]
    monkeypatch.setattr(selectors, "QUEUE_LIMIT", 2)
    client.force_login(editor)
    url = reverse("review:queue")
    sections = {s.key: s for s in client.get(url).context["sections"]}
    assert sections["no_evidence"].count == 5 and len(sections["no_evidence"].items) == 2
    third = client.get(url, {"no_evidence_page": 3})
    assert [c.pk for c in {s.key: s for s in third.context["sections"]}["no_evidence"].items] == [
        claims[4].pk
    ]
    assert "no_evidence_page=2#no_evidence" in third.content.decode()
    assert client.get(url, {"waiting_page": "x"}).status_code == 400


def test_the_evidence_picker_finds_a_short_list_and_takes_any_claim_number(
    client, editor, seed_articles, monkeypatch
):
    article = seed_articles["004"]
    claims = [services.create_claim(actor=editor, text=f"主张{i}：Meta裁員") for i in range(4)]
    other = services.create_claim(actor=editor, text="完全不同的说法")
    monkeypatch.setattr(selectors, "CLAIM_CHOICES", 2)
    client.force_login(editor)
    url = reverse("review:article", args=[article.pk])

    def offered(answer):
        """The claims the search listed, each with its "选这条" button."""
        return [int(v) for v in re.findall(r'name="pick" value="(\d+)"', answer.content.decode())]

    # No dropdown of every claim: a number field, and nothing listed before a search.
    page = client.get(url).content.decode()
    assert '<input type="text" name="claim"' in page and '<select name="claim"' not in page
    assert offered(client.get(url)) == []
    assert offered(client.get(url, {"find": "裁员"})) == [claims[3].pk, claims[2].pk]  # 裁員
    assert offered(client.get(url, {"find": f"#{claims[0].pk}"}))[0] == claims[0].pk
    # The picker's button narrows the list and keeps the quote; nothing is added.
    add = reverse("review:article_add_evidence", args=[article.pk])
    again = client.post(
        add, {"quote": RUMOUR_QUOTE, "find": "不同", "action": "find", "stance": "supports"}
    )
    assert again.status_code == 200 and offered(again) == [other.pk]
    assert RUMOUR_QUOTE in again.content.decode() and not other.evidence.exists()
    # "选这条" puts the claim's number in the field, the quote kept; still nothing added.
    picked = client.post(
        add, {"quote": RUMOUR_QUOTE, "find": "不同", "pick": other.pk, "stance": "supports"}
    )
    html = picked.content.decode()
    assert picked.status_code == 200 and f'name="claim" value="{other.pk}"' in html
    assert "已选：" in html and not other.evidence.exists()
    # Any claim can be chosen by its number, offered or not.
    done = client.post(add, {"quote": RUMOUR_QUOTE, "claim": claims[0].pk, "stance": "supports"})
    assert done.status_code == 302 and claims[0].evidence.count() == 1


def test_the_workbench_article_picker_is_short_and_searchable(
    client, editor, seed_articles, monkeypatch
):
    claim = services.create_claim(actor=editor, text="一条主张")
    monkeypatch.setattr(selectors, "CLAIM_CHOICES", 2)
    client.force_login(editor)
    url = reverse("review:claim", args=[claim.pk])
    html = client.get(url).content.decode()
    select = html.split('name="article"')[1].split("</select>")[0]
    assert len(re.findall(r'<option value="\d+"', select)) == 2
    add = reverse("review:claim_add_quote", args=[claim.pk])
    found = client.post(
        add, {"find": "據說Meta", "action": "find", "quote": "x", "stance": "supports"}
    )
    assert found.status_code == 200
    assert f'<option value="{seed_articles["004"].pk}"' in found.content.decode()
    done = client.post(
        add, {"article": seed_articles["004"].pk, "quote": RUMOUR_QUOTE, "stance": "supports"}
    )
    assert done.status_code == 302 and claim.evidence.count() == 1
