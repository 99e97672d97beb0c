"""The digest composer scales: the approved claims to add come filtered (not yet published,
verdict, approval date, text in either script) and a page at a time, and the draft's claims
are ordered by moving them, never by typed positions. Without JavaScript every button sends
the form back and nothing is saved until "保存草稿", which saves the order through
claims.services."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Digest, Verdict
from claims.views import digests as composer
from tests.test_bulk_actions import approved_claims

pytestmark = pytest.mark.django_db
NEW = reverse("review:digest_new")


def edit_url(digest):
    return reverse("review:digest_edit", args=[digest.pk])


def listed(response):
    """The draft's claims as the page lists them, in order."""
    return [row["claim"].pk for row in response.context["entries"]]


def offered(response):
    return [row["claim"].pk for row in response.context["page"].items]


def saved_order(digest):
    return list(digest.entries.order_by("position").values_list("claim_id", flat=True))


@pytest.fixture
def draft(editor, reviewer, reviewer2):
    a, b, c = approved_claims(3, editor, reviewer)
    return services.create_digest(actor=reviewer2, title="草稿", claims=[a, b, c]), [a, b, c]


def test_entries_move_up_and_down_without_javascript_and_the_order_is_saved(
    client, reviewer, draft
):
    digest, (a, b, c) = draft
    client.force_login(reviewer)
    page = client.get(edit_url(digest))
    html = page.content.decode()
    assert listed(page) == [a.pk, b.pk, c.pk]
    # No typed positions: the order is the list's, moved by buttons.
    assert 'type="number"' not in html and "position-" not in html
    assert f'name="move" value="up:{a.pk}"' in html and f'name="move" value="down:{c.pk}"' in html
    assert re.search(rf'value="up:{a.pk}"[^>]*disabled', html)  # the first cannot go up

    form = {"title": "草稿", "intro": "", "claims": [a.pk, b.pk, c.pk]}
    moved = client.post(edit_url(digest), {**form, "move": f"down:{a.pk}"})
    assert moved.status_code == 200 and listed(moved) == [b.pk, a.pk, c.pk]
    assert f"已把 #{a.pk} 下移到第 2 条" in moved.content.decode()
    assert saved_order(digest) == [a.pk, b.pk, c.pk], "a move alone saves nothing"
    again = client.post(
        edit_url(digest), {**form, "claims": [b.pk, a.pk, c.pk], "move": f"up:{c.pk}"}
    )
    assert listed(again) == [b.pk, c.pk, a.pk]
    top = client.post(
        edit_url(digest), {**form, "claims": [b.pk, c.pk, a.pk], "move": f"up:{b.pk}"}
    )
    assert listed(top) == [b.pk, c.pk, a.pk] and "已经在最前" in top.content.decode()

    done = client.post(edit_url(digest), {**form, "claims": [b.pk, c.pk, a.pk], "action": "save"})
    assert done.status_code == 302
    assert saved_order(digest) == [b.pk, c.pk, a.pk]


def test_claims_are_added_and_removed_by_buttons_before_saving(client, editor, reviewer, draft):
    digest, (a, b, c) = draft
    (d,) = approved_claims(1, editor, reviewer, text="新加入的主张")
    client.force_login(reviewer)
    form = {"title": "草稿", "claims": [a.pk, b.pk, c.pk]}
    page = client.get(edit_url(digest))
    assert d.pk in offered(page) and a.pk not in offered(page)  # the draft's are not offered
    added = client.post(edit_url(digest), {**form, "add": d.pk})
    assert listed(added) == [a.pk, b.pk, c.pk, d.pk] and d.pk not in offered(added)
    removed = client.post(
        edit_url(digest), {**form, "claims": [a.pk, b.pk, c.pk, d.pk], "remove": b.pk}
    )
    assert listed(removed) == [a.pk, c.pk, d.pk] and b.pk in offered(removed)
    assert saved_order(digest) == [a.pk, b.pk, c.pk]
    client.post(edit_url(digest), {**form, "claims": [a.pk, c.pk, d.pk]})
    assert saved_order(digest) == [a.pk, c.pk, d.pk]


def test_a_new_draft_is_composed_by_adding_claims_then_saving(client, editor, reviewer):
    a, b = approved_claims(2, editor, reviewer)
    client.force_login(reviewer)
    first = client.post(NEW, {"title": "新摘要", "add": b.pk})
    second = client.post(NEW, {"title": "新摘要", "claims": listed(first), "add": a.pk})
    assert listed(second) == [b.pk, a.pk] and 'value="新摘要"' in second.content.decode()
    assert not Digest.objects.exists()
    saved = client.post(NEW, {"title": "新摘要", "claims": listed(second), "action": "save"})
    assert saved.status_code == 302
    assert saved_order(Digest.objects.get(title="新摘要")) == [b.pk, a.pk]


def test_the_list_of_claims_to_add_is_filtered_and_paged(
    client, editor, reviewer, published_digest, rumour_claim
):
    confirmed = approved_claims(23, editor, reviewer, text="裁员传闻")
    (false,) = approved_claims(1, editor, reviewer, text="假消息", rating="false")
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Verdict.objects.filter(claim=false, status="approved").update(reviewed_at=long_ago)
    client.force_login(reviewer)
    # Not yet published, newest first, 20 a page.
    first = client.get(NEW)
    assert first.context["page"].count == 24 and len(offered(first)) == 20
    assert offered(first)[0] == false.pk and rumour_claim.pk not in offered(first)
    second = client.post(NEW, {"title": "x", "picker_page": "2"})
    assert offered(second) == [c.pk for c in confirmed[:4]][::-1]
    # Published ones on request.
    assert offered(client.get(NEW, {"published": "yes"})) == [rumour_claim.pk]
    assert client.get(NEW, {"published": "all"}).context["page"].count == 25
    # The verdict, the approval date, and words in either script.
    assert offered(client.get(NEW, {"rating": "false"})) == [false.pk]
    today = timezone.localdate().isoformat()
    assert false.pk not in offered(client.get(NEW, {"approved_from": today}))
    old = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert offered(client.get(NEW, {"approved_to": old})) == [false.pk]
    assert len(offered(client.get(NEW, {"find": "裁員傳聞"}))) == 20
    assert offered(client.get(NEW, {"find": f"#{confirmed[0].pk}"}))[0] == confirmed[0].pk
    html = client.get(NEW, {"find": "没有这种说法"}).content.decode()
    assert "没有符合筛选条件" in html


@pytest.mark.parametrize(
    "query, words",
    [
        ({"approved_from": "2026-13-01"}, "YYYY-MM-DD"),
        ({"approved_from": "2026-05-02", "approved_to": "2026-05-01"}, "晚于"),
        ({"published": "maybe"}, "发布情况只能是"),
        ({"rating": "fake"}, "fake"),
        ({"picker_page": "x"}, "不是页码"),
        ({"find": "x" * 201}, "200"),
    ],
)
def test_bad_filters_are_a_400_with_a_message_and_nothing_is_saved(
    client, editor, reviewer, query, words
):
    (claim,) = approved_claims(1, editor, reviewer)
    client.force_login(reviewer)
    shown = client.get(NEW, query)
    assert shown.status_code == 400 and words in shown.content.decode()
    saved = client.post(NEW, {"title": "不会保存", "claims": [claim.pk], **query})
    assert saved.status_code == 400 and not Digest.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"move": "sideways:{a}"}, {"move": "up:999999"}, {"add": "abc"}, {"claims": ["x"]}],
)
def test_bad_moves_are_a_400_and_nothing_is_saved(client, reviewer, draft, data):
    digest, (a, b, c) = draft
    client.force_login(reviewer)
    data = {k: [v] if isinstance(v, str) and k != "claims" else v for k, v in data.items()}
    data = {k: [x.format(a=a.pk) for x in v] for k, v in data.items()}
    response = client.post(
        edit_url(digest), {"title": "改了", "claims": [a.pk, b.pk, c.pk], **data}
    )
    assert response.status_code == 400
    digest.refresh_from_db()
    assert digest.title == "草稿" and saved_order(digest) == [a.pk, b.pk, c.pk]


def test_a_claim_that_lost_its_approval_stays_listed_and_saving_says_why(client, reviewer, draft):
    digest, (a, b, c) = draft
    Verdict.objects.filter(claim=b).update(status="superseded")
    client.force_login(reviewer)
    page = client.get(edit_url(digest))
    assert listed(page) == [a.pk, b.pk, c.pk] and "尚无获批结论" in page.content.decode()
    refused = client.post(edit_url(digest), {"title": "草稿", "claims": [c.pk, b.pk, a.pk]})
    assert refused.status_code == 400 and "还没有获批的结论" in refused.content.decode()
    assert saved_order(digest) == [a.pk, b.pk, c.pk]


def test_the_composer_costs_as_many_queries_for_30_claims_as_for_one(
    client, editor, reviewer, reviewer2, checks_every_request
):
    def measure(digest):
        found = {}
        for url in (NEW, NEW + "?find=主张&rating=confirmed", edit_url(digest)):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found[url.replace(str(digest.pk), "<id>")] = len(captured)
        with CaptureQueriesContext(connection) as captured:
            ids = saved_order(digest)
            answer = client.post(
                edit_url(digest), {"title": "t", "claims": ids, "move": f"down:{ids[0]}"}
            )
            assert answer.status_code == 200
        found["move"] = len(captured) - 1  # saved_order's own query
        return found

    client.force_login(reviewer)
    one = approved_claims(2, editor, reviewer, text="主张")
    small = services.create_digest(actor=reviewer2, title="小", claims=one[:1])
    few = measure(small)
    many_claims = approved_claims(60, editor, reviewer, text="主张")
    large = services.create_digest(actor=reviewer2, title="大", claims=many_claims[:30])
    assert measure(large) == few
    assert composer.PICKER_SIZE == 20
