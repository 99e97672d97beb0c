"""The claim workbench: editing without lost edits, evidence, verdicts under the four-eyes
rule, history."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from claims import services
from claims.models import Claim, Evidence, Verdict
from tests.conftest import RUMOUR_QUOTE


def workbench(client, claim):
    return client.get(reverse("review:claim", args=[claim.pk]))


def edit(client, claim, text, version, gloss=""):
    return client.post(
        reverse("review:claim_edit", args=[claim.pk]),
        {"text": text, "gloss": gloss, "version": version},
    )


def test_the_workbench_shows_the_claim_its_evidence_and_verdict(client, editor, rumour_claim):
    client.force_login(editor)
    page = workbench(client, rumour_claim).content.decode()
    evidence = rumour_claim.evidence.get()
    assert "Meta的Llama 4团队约80%的成员已经辞职" in page
    assert RUMOUR_QUOTE in page and "支持" in page
    assert f"{reverse('review:article', args=[evidence.article_id])}#e-{evidence.pk}" in page
    assert "传言（未证实）" in page and "Only a second-hand post" in page


def test_an_editor_edits_the_claim_text_and_the_history_shows_who(client, editor, rumour_claim):
    client.force_login(editor)
    response = edit(
        client, rumour_claim, "Llama 4团队约八成成员辞职", rumour_claim.version, gloss="80% quit"
    )
    assert response.status_code == 302
    rumour_claim.refresh_from_db()
    assert (rumour_claim.text, rumour_claim.gloss, rumour_claim.version) == (
        "Llama 4团队约八成成员辞职",
        "80% quit",
        2,
    )
    history = workbench(client, rumour_claim).context["history"]
    latest = next(row for row in history if row["kind"] == "claim")
    assert latest["who"] == editor and "Llama 4团队约八成成员辞职" in latest["detail"]


def test_the_second_of_two_editors_loses_nothing(client, editor, editor2, rumour_claim):
    opened_at = rumour_claim.version
    client.force_login(editor2)
    edit(client, rumour_claim, "她的版本：约80%成员辞职", opened_at)
    client.force_login(editor)
    response = edit(client, rumour_claim, "我的版本：据说八成成员辞职", opened_at)
    assert response.status_code == 409
    page = response.content.decode()
    # What changed meanwhile is shown beside the editor's own text, which stays in the form.
    assert "她的版本：约80%成员辞职" in page and "我的版本：据说八成成员辞职" in page
    form = response.context["edit_form"]
    assert form.initial["text"] == "我的版本：据说八成成员辞职"
    assert form.initial["version"] == opened_at + 1
    rumour_claim.refresh_from_db()
    assert rumour_claim.text == "她的版本：约80%成员辞职"
    # Saving again, on purpose, against the version now shown succeeds.
    assert (
        edit(client, rumour_claim, "我的版本：据说八成成员辞职", opened_at + 1).status_code == 302
    )
    rumour_claim.refresh_from_db()
    assert rumour_claim.text == "我的版本：据说八成成员辞职"
    texts = [
        row["detail"]
        for row in workbench(client, rumour_claim).context["history"]
        if row["kind"] == "claim"
    ]
    assert any("她的版本" in t for t in texts) and any("我的版本" in t for t in texts)


def test_an_empty_claim_text_or_a_missing_version_is_refused(client, editor, rumour_claim):
    client.force_login(editor)
    assert edit(client, rumour_claim, "   ", rumour_claim.version).status_code == 400
    response = client.post(reverse("review:claim_edit", args=[rumour_claim.pk]), {"text": "新文字"})
    assert response.status_code == 400
    rumour_claim.refresh_from_db()
    assert rumour_claim.version == 1


def test_an_outside_citation_is_added_with_its_details(client, editor, rumour_claim):
    client.force_login(editor)
    response = client.post(
        reverse("review:claim_add_citation", args=[rumour_claim.pk]),
        {
            "url": "https://www.wsj.com/tech/ai/meta-ai-llama",
            "citation_title": "Meta’s AI researchers leave",
            "publisher": "The Wall Street Journal",
            "cited_on": "2025-05-15",
            "stance": "contradicts",
            "note": "文章所指是最初论文的作者。",
        },
    )
    assert response.status_code == 302
    citation = Evidence.objects.get(article__isnull=True)
    assert (citation.publisher, str(citation.cited_on), citation.stance) == (
        "The Wall Street Journal",
        "2025-05-15",
        "contradicts",
    )
    page = workbench(client, rumour_claim).content.decode()
    assert 'href="https://www.wsj.com/tech/ai/meta-ai-llama"' in page and "2025-05-15" in page


def test_a_citation_without_url_or_title_is_refused(client, editor, rumour_claim):
    client.force_login(editor)
    response = client.post(
        reverse("review:claim_add_citation", args=[rumour_claim.pk]),
        {
            "publisher": "WSJ",
            "url": "javascript:alert(1)",
            "stance": "supports",
        },
    )
    assert response.status_code == 400
    assert Evidence.objects.filter(article__isnull=True).count() == 0


def test_a_quote_from_another_article_is_added_on_the_workbench(
    client, editor, rumour_claim, seed_articles
):
    client.force_login(editor)
    article = seed_articles["004"]
    client.post(
        reverse("review:claim_add_quote", args=[rumour_claim.pk]),
        {
            "article": article.pk,
            "quote": "這場「80%團隊辭職」的流言",
            "stance": "contradicts",
        },
    )
    assert rumour_claim.evidence.filter(stance="contradicts", article=article).exists()
    response = client.post(
        reverse("review:claim_add_quote", args=[rumour_claim.pk]),
        {
            "article": article.pk,
            "quote": "不在文章里的话",
            "stance": "supports",
        },
    )
    assert response.status_code == 400 and "中没有引文" in response.content.decode()


def test_the_same_claim_in_another_article_is_found_across_scripts(client, editor, seed_articles):
    # The claim is worded in Simplified; 000 is in Traditional and reports the same 600 layoffs.
    claim = services.create_claim(
        actor=editor, text="Meta宣布对旗下人工智能部门进行重组，裁员大约600人"
    )
    client.force_login(editor)
    found = [item["article"] for item in workbench(client, claim).context["appearances"].items]
    assert seed_articles["000"] in found


def test_the_other_articles_of_a_claim_come_a_page_at_a_time_most_shared_first(client, editor, db):
    """A rumour forwarded everywhere appears in many articles: the workbench lists them ten at
    a time, those sharing most of the claim first, with links to the other pages."""
    from sources.importer import import_bytes

    claim = services.create_claim(
        actor=editor, text="网传某市自来水含有致癌物质，市民切勿饮用自来水"
    )
    shared = ["网传某市自来水含有致癌物质。", "市民切勿饮用自来水。"]
    for n in range(14):
        # Each article holds the claim's first piece and, from the ninth on, its second too.
        body = shared[0] + (shared[1] if n >= 8 else "") + f"第{n}篇的其他内容，各不相同{n}。"
        result = import_bytes(f"转发{n}\n{body}\n".encode(), f"a{n}.txt")
        assert result.status == "imported"
    # The article the claim already quotes is not another one.
    services.add_evidence(claim, actor=editor, article=result.article, quote=shared[0][:-1])
    client.force_login(editor)
    first = workbench(client, claim)
    page = first.context["appearances"]
    assert first.status_code == 200 and page.count == 13 and len(page.items) == 10
    counts = [item["count"] for item in page.items]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert {item["article"].title for item in page.items[:5]} == {f"转发{n}" for n in range(8, 13)}
    html = first.content.decode()
    second_url = f"{reverse('review:claim', args=[claim.pk])}?appearances_page=2#appearances"
    assert f'href="{second_url}"' in html and html.count("处相同片段") == 10
    second = client.get(reverse("review:claim", args=[claim.pk]), {"appearances_page": "2"})
    assert len(second.context["appearances"].items) == 3
    shown = {i["article"].pk for i in page.items} | {
        i["article"].pk for i in second.context["appearances"].items
    }
    assert len(shown) == 13
    # A page that is not a number: the first page, and why.
    bad = client.get(reverse("review:claim", args=[claim.pk]), {"appearances_page": "x"})
    assert bad.status_code == 400 and len(bad.context["appearances"].items) == 10
    assert "不是页码" in bad.content.decode()


def propose(client, claim, rating="rumour", rationale="二手爆料，员工已否认。"):
    return client.post(
        reverse("review:verdict_propose", args=[claim.pk]),
        {"rating": rating, "rationale": rationale},
    )


def test_an_editor_proposes_a_verdict(client, editor, seed_articles):
    claim = services.create_claim(
        actor=editor,
        text="Llama 4团队约80%已辞职",
        evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
    )
    client.force_login(editor)
    assert propose(client, claim).status_code == 302
    verdict = claim.verdicts.get()
    assert (verdict.rating, verdict.status, verdict.proposed_by) == ("rumour", "proposed", editor)
    assert "你提出的结论不能由你自己批准" in workbench(client, claim).content.decode()


def test_no_verdict_is_preselected_and_a_missing_one_is_refused(client, editor, rumour_claim):
    client.force_login(editor)
    page = workbench(client, rumour_claim).content.decode()
    select = re.search(r'<select name="rating"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option value="" selected>请选择结论…</option>', select)
    assert select.count("selected") == 1
    before = rumour_claim.verdicts.count()
    answer = client.post(
        reverse("review:verdict_propose", args=[rumour_claim.pk]),
        {"rating": "", "rationale": "理由"},
    )
    assert answer.status_code == 400 and "请选择一个结论" in answer.content.decode()
    assert rumour_claim.verdicts.count() == before


def test_a_verdict_without_rationale_or_with_an_unknown_rating_is_refused(
    client, editor, rumour_claim
):
    client.force_login(editor)
    assert propose(client, rumour_claim, rationale=" ").status_code == 400
    assert propose(client, rumour_claim, rating="probably").status_code == 400
    assert rumour_claim.verdicts.count() == 1


def test_an_editor_cannot_approve_her_own_verdict(client, editor, rumour_claim):
    # Even a reviewer cannot approve what she proposed herself.
    editor.groups.add(Group.objects.get(name=services.REVIEWERS_GROUP))
    client.force_login(editor)
    verdict = rumour_claim.verdicts.get()
    page = workbench(client, rumour_claim).content.decode()
    assert ">批准</button>" not in page and ">退回</button>" not in page
    response = client.post(reverse("review:verdict_approve", args=[verdict.pk]))
    assert response.status_code == 403
    assert "任何人都不能批准自己提出的结论" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED


def test_an_editor_who_is_not_a_reviewer_cannot_approve(client, editor2, rumour_claim):
    client.force_login(editor2)
    verdict = rumour_claim.verdicts.get()
    assert ">批准</button>" not in workbench(client, rumour_claim).content.decode()
    response = client.post(reverse("review:verdict_approve", args=[verdict.pk]))
    assert response.status_code == 403 and "只有审核员" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PROPOSED and verdict.reviewed_by is None


def test_a_second_editor_who_reviews_approves_the_verdict(client, reviewer, rumour_claim):
    client.force_login(reviewer)
    verdict = rumour_claim.verdicts.get()
    assert ">批准</button>" in workbench(client, rumour_claim).content.decode()
    response = client.post(
        reverse("review:verdict_approve", args=[verdict.pk]),
        {"comment": "同意。", "claim_version": rumour_claim.version},
    )
    assert response.status_code == 302
    verdict.refresh_from_db()
    assert (verdict.status, verdict.reviewed_by, verdict.review_comment) == (
        "approved",
        reviewer,
        "同意。",
    )
    # Approved once: a second approval (a form sent twice) is a conflict with the verdict's
    # state, refused with the reason, not a crash.
    again = client.post(
        reverse("review:verdict_approve", args=[verdict.pk]),
        {"claim_version": rumour_claim.version},
    )
    assert again.status_code == 409 and "不在等待审核" in again.content.decode()


def test_a_reviewer_sends_a_verdict_back_only_with_a_reason(client, reviewer, rumour_claim):
    client.force_login(reviewer)
    verdict = rumour_claim.verdicts.get()
    response = client.post(reverse("review:verdict_send_back", args=[verdict.pk]), {"comment": ""})
    assert response.status_code == 400 and "请说明退回结论的原因" in response.content.decode()
    client.post(
        reverse("review:verdict_send_back", args=[verdict.pk]),
        {"comment": "请补充员工否认的出处。"},
    )
    verdict.refresh_from_db()
    assert verdict.status == "sent_back" and verdict.review_comment == "请补充员工否认的出处。"
    assert "请补充员工否认的出处。" in workbench(client, rumour_claim).content.decode()


def test_review_actions_only_answer_to_post(client, reviewer, rumour_claim):
    client.force_login(reviewer)
    verdict = rumour_claim.verdicts.get()
    assert client.get(reverse("review:verdict_approve", args=[verdict.pk])).status_code == 405
    verdict.refresh_from_db()
    assert verdict.status == "proposed"


def test_the_history_records_evidence_and_verdicts_with_their_users(
    client, reviewer, editor, rumour_claim
):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    client.force_login(editor)
    history = workbench(client, rumour_claim).context["history"]
    assert {row["kind"] for row in history} == {"claim", "evidence", "verdict"}
    assert any(row["kind"] == "verdict" and row["who"] == reviewer for row in history)


def test_an_unknown_claim_is_a_404(client, editor, db):
    client.force_login(editor)
    assert client.get(reverse("review:claim", args=[999])).status_code == 404
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    "address", ["/review/claims/999/", "/review/no-such-page/", "/admin/no-such-page/"]
)
def test_a_desk_address_with_nothing_there_says_so_in_the_editors_language(
    client, editor, db, address
):
    """Not the public site's "nothing published here" page in the reader's reading: the desk's
    page, in the editor's language, with the way back to the work queue (the admin's too:
    Django's admin sends a signed-in editor's unknown address to the site's 404)."""
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    answer = client.get(address, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 404
    page = answer.content.decode()
    assert '<html lang="en">' in page
    assert "There is nothing at this address on the desk" in page
    assert f'<a href="{reverse("review:queue")}">Back to the work queue</a>' in page


def test_an_over_long_review_comment_is_refused_not_dropped(client, reviewer, rumour_claim):
    client.force_login(reviewer)
    verdict = rumour_claim.verdicts.get()
    response = client.post(
        reverse("review:verdict_approve", args=[verdict.pk]),
        {"comment": "长" * 5001, "claim_version": rumour_claim.version},
    )
    assert response.status_code == 400 and "意见太长" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == "proposed"
