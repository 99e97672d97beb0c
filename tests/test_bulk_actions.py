"""The queue's bulk actions: tick many claims, then add them to a draft digest (one of the
drafts or a new one) or give them to an editor or reviewer, in one transaction, with a message
that says what was done and what was left out and why."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Claim, Digest
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")
BULK = reverse("review:claims_bulk")


def approved_claims(n, editor, reviewer, text="核查过的主张", rating="confirmed"):
    """`n` claims with an outside citation, whose verdicts `reviewer` approved (the editor
    proposed them)."""
    claims = []
    for i in range(n):
        claim = services.create_claim(
            actor=editor,
            text=f"{text}{i}",
            evidence=[{"url": f"https://example.com/{text}/{i}", "citation_title": "报道"}],
        )
        verdict = services.propose_verdict(
            claim, actor=editor, rating=rating, rationale="两家媒体的报道一致。"
        )
        services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
        claims.append(claim)
    return claims


def proposed_claims(n, editor, text="还在审核的主张"):
    claims = []
    for i in range(n):
        claim = services.create_claim(actor=editor, text=f"{text}{i}")
        services.propose_verdict(claim, actor=editor, rating="rumour", rationale="只有一个来源。")
        claims.append(claim)
    return claims


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_many_claims_go_into_a_new_draft_and_the_refused_are_left_out_with_the_reason(
    client, editor, reviewer
):
    ready = approved_claims(8, editor, reviewer)
    waiting = proposed_claims(4, editor)
    ticked = ready[:3] + waiting[:2] + ready[3:] + waiting[2:]
    client.force_login(reviewer)
    response = client.post(
        BULK,
        {
            "claims": [c.pk for c in ticked],
            "action": "digest",
            "digest": "new",
            "title": "本周核查",
            "back": "rating=confirmed&approved_page=1",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == QUEUE + "?rating=confirmed&approved_page=1"
    digest = Digest.objects.get(title="本周核查")
    entries = list(digest.entries.order_by("position"))
    # The approved claims, in the order they were ticked; the others left out.
    assert [e.claim_id for e in entries] == [c.pk for c in ready]
    assert [e.position for e in entries] == list(range(8))
    done, refused = messages_of(response)
    assert "已新建草稿" in done and "本周核查" in done and "8 条" in done
    assert "4 条未加入" in refused and "尚无获批的结论" in refused
    for claim in waiting:
        assert f"#{claim.pk}" in refused and f"#{claim.pk}" not in done
    assert f'href="{reverse("review:digest_edit", args=[digest.pk])}"' in response.content.decode()


def test_claims_are_appended_to_a_draft_and_those_in_it_already_are_left_out(
    client, editor, reviewer, reviewer2
):
    claims = approved_claims(5, editor, reviewer)
    draft = services.create_digest(actor=reviewer2, title="草稿", claims=claims[:2])
    client.force_login(reviewer)
    page = client.get(QUEUE).content.decode()
    assert f'<option value="{draft.pk}">#{draft.pk} 草稿（2 条）</option>' in page
    response = client.post(
        BULK,
        {
            "claims": [claims[4].pk, claims[1].pk, claims[3].pk],
            "action": "digest",
            "digest": draft.pk,
        },
        follow=True,
    )
    assert [e.claim_id for e in draft.entries.order_by("position")] == [
        claims[0].pk,
        claims[1].pk,
        claims[4].pk,
        claims[3].pk,
    ]
    done, refused = messages_of(response)
    assert "已把主张加入草稿" in done and "2 条" in done
    assert f"#{claims[1].pk}：已在这份草稿中" in refused


def test_when_every_claim_is_refused_no_draft_is_made(client, editor, reviewer):
    waiting = proposed_claims(3, editor)
    client.force_login(reviewer)
    response = client.post(
        BULK,
        {"claims": [c.pk for c in waiting], "action": "digest", "digest": "new", "title": "空的"},
        follow=True,
    )
    assert not Digest.objects.exists()
    (refused,) = messages_of(response)
    assert "未新建草稿" in refused and "3 条未加入" in refused


def test_many_claims_are_assigned_and_the_queue_shows_and_filters_the_assignee(
    client, editor, editor2, reviewer
):
    ready = approved_claims(6, editor, reviewer)
    fresh = [services.create_claim(actor=editor, text=f"待补证据{i}") for i in range(3)]
    client.force_login(editor)
    response = client.post(
        BULK,
        {
            "claims": [c.pk for c in ready[:4] + fresh[:2]],
            "action": "assign",
            "assignee": editor2.pk,
        },
        follow=True,
    )
    (done,) = messages_of(response)
    assert "已把 6 条主张指派给 editor2" in done
    assert set(Claim.objects.filter(assignee=editor2).values_list("pk", flat=True)) == {
        c.pk for c in ready[:4] + fresh[:2]
    }
    assert response.content.decode().count("负责人：editor2") == 6

    def shown(**query):
        sections = client.get(QUEUE, query).context["sections"]
        return {c.pk for s in sections if s.key in ("no_evidence", "approved") for c in s.items}

    assert shown(assignee=editor2.pk) == {c.pk for c in ready[:4] + fresh[:2]}
    assert shown(assignee="none") == {c.pk for c in ready[4:] + fresh[2:]}
    client.force_login(editor2)
    assert shown(assignee="me") == {c.pk for c in ready[:4] + fresh[:2]}

    # Again, with two of them: they were the assignee's already, and are said to be.
    again = client.post(
        BULK,
        {"claims": [ready[0].pk, ready[5].pk], "action": "assign", "assignee": editor2.pk},
        follow=True,
    )
    done, unchanged = messages_of(again)
    assert "已把 1 条主张指派给 editor2" in done and f"#{ready[5].pk}" in done
    assert "1 条原本就由 editor2 负责" in unchanged and f"#{ready[0].pk}" in unchanged
    # And to nobody.
    client.post(BULK, {"claims": [ready[0].pk], "action": "assign", "assignee": "none"})
    ready[0].refresh_from_db()
    assert ready[0].assignee is None


def test_only_editors_and_reviewers_can_be_assigned(client, editor, reviewer, db):
    outsider = make_user("reader")  # an account without a desk role
    claim = approved_claims(1, editor, reviewer)[0]
    with pytest.raises(services.ReviewError, match="不是核查台的编辑或审核员"):
        services.assign_claims([claim], actor=editor, assignee=outsider)
    with pytest.raises(services.NotAllowed):
        services.assign_claims([claim], actor=outsider, assignee=editor)
    client.force_login(editor)
    page = client.get(QUEUE).content.decode()
    assert f'<option value="{outsider.pk}"' not in page  # never offered
    response = client.post(
        BULK, {"claims": [claim.pk], "action": "assign", "assignee": outsider.pk}
    )
    assert response.status_code == 400
    assert "只能指派给核查台的编辑或审核员" in response.content.decode()
    claim.refresh_from_db()
    assert claim.assignee is None


def test_assigning_a_published_claim_changes_nothing_readers_or_reviewers_rely_on(
    client, editor, editor2, reviewer, published_digest, rumour_claim
):
    rumour_claim.refresh_from_db()
    before = (rumour_claim.version, rumour_claim.updated_at)
    changed, _ = services.assign_claims([rumour_claim], actor=editor, assignee=editor2)
    rumour_claim.refresh_from_db()
    assert changed and rumour_claim.assignee == editor2
    # No new version, the approval stands, and it does not wait for a correction.
    assert (rumour_claim.version, rumour_claim.updated_at) == before
    assert rumour_claim.approved_verdict is not None
    client.force_login(reviewer)
    waiting = client.get(reverse("review:waiting")).content.decode()
    assert rumour_claim.text not in waiting
    # The history says who assigned it.
    assert rumour_claim.history.first().history_user == editor


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "assign", "assignee": "none"}, "请先勾选"),
        ({"claims": ["abc"], "action": "assign", "assignee": "none"}, "不是主张编号"),
        ({"claims": ["999999"], "action": "assign", "assignee": "none"}, "没有编号为 999999"),
        ({"claims": ["{ok}"], "action": "delete"}, "未知的操作"),
        ({"claims": ["{ok}"], "action": "assign"}, "请选择指派给谁"),
        ({"claims": ["{ok}"], "action": "digest"}, "请选择一份草稿"),
        ({"claims": ["{ok}"], "action": "digest", "digest": "new"}, "新建草稿需要标题"),
        ({"claims": ["{ok}"], "action": "digest", "digest": "{published}"}, "已经发布"),
        ({"claims": ["{ok}"], "action": "digest", "digest": "12abc"}, "已经发布"),
    ],
)
def test_bad_bulk_input_is_a_400_with_a_message_and_changes_nothing(
    client, editor, reviewer, published_digest, data, message
):
    claim = approved_claims(1, editor, reviewer)[0]
    values = {"ok": claim.pk, "published": published_digest.pk}
    data = {
        key: [v.format(**values) for v in value]
        if isinstance(value, list)
        else value.format(**values)
        for key, value in data.items()
    }
    digests = Digest.objects.count()
    client.force_login(reviewer)
    response = client.post(BULK, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Digest.objects.count() == digests and not Claim.objects.filter(assignee__isnull=False)


def test_an_editor_who_is_not_a_reviewer_cannot_add_claims_to_a_digest(client, editor, reviewer):
    claims = approved_claims(2, editor, reviewer)
    client.force_login(editor)
    page = client.get(QUEUE).content.decode()
    assert 'value="assign"' in page and 'value="digest"' not in page
    response = client.post(
        BULK, {"claims": [c.pk for c in claims], "action": "digest", "digest": "new", "title": "x"}
    )
    assert response.status_code == 403 and not Digest.objects.exists()


def test_the_bulk_form_needs_its_csrf_token(editor, reviewer):
    claim = approved_claims(1, editor, reviewer)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(BULK, {"claims": [claim.pk], "action": "assign", "assignee": "none"})
    assert response.status_code == 403
    assert 'name="csrfmiddlewaretoken"' in client.get(QUEUE).content.decode()


def test_select_all_on_a_page_works_without_javascript(client, editor, reviewer):
    ready = approved_claims(3, editor, reviewer)
    fresh = services.create_claim(actor=editor, text="待补证据")
    client.force_login(editor)
    plain = client.get(QUEUE).content.decode()
    assert "checked" not in plain.split('id="approved"')[1].split("</section>")[0]
    assert 'href="?select=approved#approved"' in plain
    ticked = client.get(QUEUE, {"select": "approved"}).content.decode()
    approved = ticked.split('id="approved"')[1].split("</section>")[0]
    for claim in ready:
        assert f'value="{claim.pk}" form="bulk" id="pick-approved-{claim.pk}"' in approved
    assert approved.count(" checked>") == 3 and "取消全选" in approved
    no_evidence = ticked.split('id="no_evidence"')[1].split("</section>")[0]
    assert f'value="{fresh.pk}"' in no_evidence and " checked>" not in no_evidence


def test_the_queue_costs_as_many_queries_for_30_assigned_claims_as_for_one(
    client, editor, editor2, reviewer, checks_every_request
):
    def measure():
        found = {}
        for query in ({}, {"assignee": editor2.pk, "select": "approved"}, {"assignee": "none"}):
            client.get(QUEUE, query)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(QUEUE, query).status_code == 200
            found[str(query)] = len(captured)
        return found

    # Every section holds rows in both measures (an empty one skips its page's queries).
    claims = approved_claims(2, editor, reviewer) + proposed_claims(1, editor)
    services.assign_claims(claims, actor=editor, assignee=editor2)
    services.create_digest(actor=reviewer, title="草稿", claims=claims[:1])
    client.force_login(reviewer)
    few = measure()
    more = approved_claims(29, editor, reviewer, text="更多") + proposed_claims(29, editor, "更多")
    services.assign_claims(more, actor=editor, assignee=editor2)
    for i in range(5):
        services.create_digest(actor=reviewer, title=f"草稿{i}", claims=more[i : i + 1])
    many = measure()
    assert many == few


def test_the_export_follows_the_assignee_filter(client, editor, editor2, reviewer):
    mine, others = (
        approved_claims(2, editor, reviewer),
        approved_claims(2, editor, reviewer, "别的"),
    )
    services.assign_claims(mine, actor=editor, assignee=editor2)
    client.force_login(editor2)
    export = reverse("review:claims_export", args=["json"])
    rows = b"".join(client.get(export, {"assignee": "me"}).streaming_content)
    assert [row["id"] for row in json.loads(rows)] == [c.pk for c in mine]
    rows = b"".join(client.get(export, {"assignee": "none"}).streaming_content)
    assert [row["id"] for row in json.loads(rows)] == [c.pk for c in others]
    assert client.get(export, {"assignee": "999999"}).status_code == 400
