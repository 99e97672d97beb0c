"""The admin for claims, evidence, verdicts and digests: the desk's rules hold here too."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.admin import EvidenceForm
from claims.models import Claim, Digest, Evidence, Verdict
from tests.conftest import RUMOUR_QUOTE
from tests.test_bulk_actions import approved_claims

CLAIMS = reverse("admin:claims_claim_changelist")
VERDICTS = reverse("admin:claims_verdict_changelist")
DIGESTS = reverse("admin:claims_digest_changelist")


def staff(user):
    user.is_staff = True
    user.save()
    return user


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def approve_button(client, verdict, claim_version=None):
    """The approve button on a verdict's admin page, which sends the claim version shown."""
    version = claim_version or Claim.objects.get(pk=verdict.claim_id).version
    url = reverse("admin:claims_verdict_approve", args=[verdict.pk])
    return client.post(url, {"claim_version": version}, follow=True)


# --- claims ----------------------------------------------------------------------------------


def test_the_claim_list_shows_the_verdict_in_force_and_evidence_count(
    admin_client, published_digest
):
    response = admin_client.get(CLAIMS)
    claim = response.context["cl"].result_list[0]
    assert claim.evidence_count == 1
    assert "传言（未证实）" in response.content.decode()


def test_the_claim_list_costs_the_same_queries_with_more_claims(
    admin_client, seed_articles, rumour_claim, editor, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        admin_client.get(CLAIMS)
    for n in range(15):
        claim = services.create_claim(
            actor=editor,
            text=f"论断{n}",
            evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
        )
        services.propose_verdict(claim, actor=editor, rating="disputed", rationale="理由")
    with django_assert_max_num_queries(12):
        response = admin_client.get(CLAIMS)
    assert len(response.context["cl"].result_list) == 16


@pytest.mark.parametrize("query", ["團隊", "团队", "辭職", "辞职"])
def test_claim_search_matches_across_scripts(admin_client, rumour_claim, query):
    found = admin_client.get(CLAIMS, {"q": query}).context["cl"].result_list
    assert [c.pk for c in found] == [rumour_claim.pk]


@pytest.mark.parametrize("query", ["團隊 遞交", "团队 递交", "集體", "集体"])
def test_evidence_search_finds_a_quote_in_either_script(admin_client, rumour_claim, query):
    """The quote is stored as the article has it (Traditional); a word typed in either script
    finds it, and a word it does not hold finds nothing."""
    url = reverse("admin:claims_evidence_changelist")
    found = admin_client.get(url, {"q": query}).context["cl"].result_list
    assert [e.quote for e in found] == [RUMOUR_QUOTE]
    assert not admin_client.get(url, {"q": query + " 软件"}).context["cl"].result_list


@pytest.mark.parametrize("query", ["裁员", "裁員", "軟件", "软件", "軟體"])
def test_digest_search_finds_a_title_in_either_script(admin_client, reviewer, rumour_claim, query):
    digest = services.create_digest(actor=reviewer, title="本週裁員與軟體核查", claims=[])
    services.create_digest(actor=reviewer, title="另一份摘要", claims=[])
    url = reverse("admin:claims_digest_changelist")
    found = admin_client.get(url, {"q": query}).context["cl"].result_list
    assert [d.pk for d in found] == [digest.pk]


def test_the_claim_page_has_evidence_and_verdict_inlines_and_history(admin_client, rumour_claim):
    url = reverse("admin:claims_claim_change", args=[rumour_claim.pk])
    page = admin_client.get(url).content.decode()
    assert RUMOUR_QUOTE in page and "Only a second-hand post" in page
    history = reverse("admin:claims_claim_history", args=[rumour_claim.pk])
    assert admin_client.get(history).status_code == 200


def test_a_claim_edit_made_over_a_newer_version_is_refused(admin_client, rumour_claim, editor):
    url = reverse("admin:claims_claim_change", args=[rumour_claim.pk])
    old_version = rumour_claim.version
    services.update_claim(rumour_claim, actor=editor, version=old_version, text="别人先改了")
    data = {
        "text": "我的修改",
        "gloss": "",
        "base_version": old_version,
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
        "verdicts-TOTAL_FORMS": 0,
        "verdicts-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "有人改动了它" in response.content.decode()
    assert Claim.objects.get(pk=rumour_claim.pk).text == "别人先改了"


# --- evidence --------------------------------------------------------------------------------


def test_evidence_is_anchored_through_the_quote_and_a_wrong_quote_is_an_error(
    rumour_claim, seed_articles
):
    article = seed_articles["004"]
    form = EvidenceForm(
        {"article": article.pk, "quote": "据说Meta的Llama 4团队", "stance": "context"},
        instance=Evidence(claim=rumour_claim),
    )
    assert form.is_valid(), form.errors
    evidence = form.save()
    assert article.body[evidence.start : evidence.end] == evidence.quote == "據說Meta的Llama 4團隊"
    missing = EvidenceForm(
        {"article": article.pk, "quote": "文章里没有这句话", "stance": "supports"},
        instance=Evidence(claim=rumour_claim),
    )
    # Checked outside a request: in the language active now (the desk's, or English).
    assert not missing.is_valid()
    assert re.search("is not in article|中没有引文", missing.errors["quote"][0])


def test_evidence_whose_quote_does_not_match_its_offsets_is_refused(rumour_claim, seed_articles):
    form = EvidenceForm(
        {
            "article": seed_articles["004"].pk,
            "quote": "不對的引文",
            "start": 0,
            "end": 5,
            "stance": "supports",
        },
        instance=Evidence(claim=rumour_claim),
    )
    assert not form.is_valid()
    assert re.search("does not match the article|字处不符", form.errors["quote"][0])


# --- verdicts: the four-eyes rule ------------------------------------------------------------


def test_the_proposer_cannot_approve_her_own_verdict_in_the_admin(client, rumour_claim, editor):
    staff(editor)
    client.force_login(editor)
    verdict = rumour_claim.verdicts.get()
    response = approve_button(client, verdict)
    assert any("未批准" in m for m in messages_of(response))
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PROPOSED


def test_a_superuser_who_proposed_a_verdict_cannot_approve_it_either(
    admin_client, admin_user, rumour_claim
):
    verdict = services.propose_verdict(
        rumour_claim, actor=admin_user, rating="false", rationale="管理员的提议"
    )
    response = approve_button(admin_client, verdict)
    assert any("任何人都不能批准自己提出的结论" in m for m in messages_of(response))
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PROPOSED


def test_a_non_reviewer_cannot_approve_in_the_admin(client, rumour_claim, editor2):
    staff(editor2)
    client.force_login(editor2)
    verdict = rumour_claim.verdicts.get()
    response = approve_button(client, verdict)
    assert any("只有审核员" in m for m in messages_of(response))
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PROPOSED


def test_a_second_reviewer_approves_with_the_button_on_the_verdict_page(
    client, rumour_claim, reviewer
):
    staff(reviewer)
    client.force_login(reviewer)
    verdict = rumour_claim.verdicts.get()
    response = approve_button(client, verdict)
    assert any("已批准" in m and "未" not in m for m in messages_of(response))
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.APPROVED and verdict.reviewed_by == reviewer


def test_verdicts_cannot_be_edited_or_deleted_by_hand(admin_client, rumour_claim):
    verdict = rumour_claim.verdicts.get()
    url = reverse("admin:claims_verdict_change", args=[verdict.pk])
    response = admin_client.post(url, {"status": "approved", "rating": "confirmed"})
    assert response.status_code == 403
    assert (
        admin_client.get(reverse("admin:claims_verdict_delete", args=[verdict.pk])).status_code
        == 403
    )
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PROPOSED


def test_a_verdict_added_on_the_claim_page_is_a_proposal(client, rumour_claim, editor2):
    staff(editor2)
    client.force_login(editor2)
    url = reverse("admin:claims_claim_change", args=[rumour_claim.pk])
    old = rumour_claim.verdicts.get()
    data = {
        "text": rumour_claim.text,
        "gloss": "",
        "base_version": rumour_claim.version,
        "evidence-TOTAL_FORMS": 1,
        "evidence-INITIAL_FORMS": 1,
        "evidence-0-id": rumour_claim.evidence.get().pk,
        "evidence-0-claim": rumour_claim.pk,
        "evidence-0-article": rumour_claim.evidence.get().article_id,
        "evidence-0-quote": RUMOUR_QUOTE,
        "evidence-0-start": rumour_claim.evidence.get().start,
        "evidence-0-end": rumour_claim.evidence.get().end,
        "evidence-0-stance": "supports",
        "verdicts-TOTAL_FORMS": 2,
        "verdicts-INITIAL_FORMS": 1,
        "verdicts-0-id": old.pk,
        "verdicts-0-claim": rumour_claim.pk,
        "verdicts-1-rating": "false",
        "verdicts-1-rationale": "员工已澄清",
        "verdicts-1-claim": rumour_claim.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    new = rumour_claim.verdicts.exclude(pk=old.pk).get()
    assert (new.status, new.proposed_by, new.rating) == (Verdict.Status.PROPOSED, editor2, "false")
    assert Verdict.objects.get(pk=old.pk).status == Verdict.Status.SUPERSEDED


# --- digests ---------------------------------------------------------------------------------


def test_a_published_digest_is_read_only_and_not_deletable(admin_client, published_digest):
    change = reverse("admin:claims_digest_change", args=[published_digest.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.post(change, {"title": "改过的", "slug": "x"}).status_code == 403
    delete = reverse("admin:claims_digest_delete", args=[published_digest.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        DIGESTS,
        {"action": "delete_selected", "_selected_action": [published_digest.pk], "post": "yes"},
    )
    assert any("已发布的摘要不能删除" in m for m in messages_of(response))
    published_digest.refresh_from_db()
    assert published_digest.title == "Meta AI layoffs" and Digest.objects.count() == 1


def test_publishing_in_the_admin_goes_through_the_rules(client, rumour_claim, reviewer):
    staff(reviewer)
    client.force_login(reviewer)
    empty = services.create_digest(actor=reviewer, title="空草稿")
    response = client.post(DIGESTS, {"action": "publish_selected", "_selected_action": [empty.pk]})
    assert any("摘要至少需要一条主张" in m for m in messages_of(response))
    assert not Digest.objects.get(pk=empty.pk).is_published
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    digest = services.create_digest(actor=reviewer, title="草稿", claims=[rumour_claim])
    response = client.post(DIGESTS, {"action": "publish_selected", "_selected_action": [digest.pk]})
    assert any("已发布" in m for m in messages_of(response))
    assert Digest.objects.get(pk=digest.pk).is_published


def test_an_editor_cannot_publish_a_digest_in_the_admin(client, rumour_claim, reviewer, editor2):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    digest = services.create_digest(actor=reviewer, title="草稿", claims=[rumour_claim])
    staff(editor2)
    client.force_login(editor2)
    response = client.post(DIGESTS, {"action": "publish_selected", "_selected_action": [digest.pk]})
    assert any("只有审核员可以发布摘要" in m for m in messages_of(response))
    assert not Digest.objects.get(pk=digest.pk).is_published


def test_every_model_has_an_admin_page(admin_client, published_digest):
    for name in (
        "sources_source",
        "sources_article",
        "claims_claim",
        "claims_evidence",
        "claims_verdict",
        "claims_digest",
        "claims_digestentry",
    ):
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name


def test_verdict_digest_and_evidence_lists_cost_the_same_queries_with_more_rows(
    admin_client, rumour_claim, seed_articles, editor, reviewer, django_assert_max_num_queries
):
    pages = [
        VERDICTS,
        DIGESTS,
        reverse("admin:claims_evidence_changelist"),
        reverse("admin:sources_source_changelist"),
    ]
    for page in pages:
        with django_assert_max_num_queries(12):
            assert admin_client.get(page).status_code == 200
    for n in range(10):
        claim = services.create_claim(
            actor=editor,
            text=f"论断{n}",
            evidence=[{"article": seed_articles["000"], "quote": "Meta"}],
        )
        verdict = services.propose_verdict(
            claim, actor=editor, rating="confirmed", rationale="理由"
        )
        services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
        services.create_digest(actor=reviewer, title=f"草稿{n}", claims=[claim])
    for page in pages:
        with django_assert_max_num_queries(12):
            assert admin_client.get(page).status_code == 200


def test_the_approve_button_on_a_verdict_page_keeps_the_four_eyes_rule(
    client, rumour_claim, editor, reviewer
):
    verdict = rumour_claim.verdicts.get()
    page = reverse("admin:claims_verdict_change", args=[verdict.pk])
    button = reverse("admin:claims_verdict_approve", args=[verdict.pk])
    client.force_login(staff(editor))
    assert button in client.get(page).content.decode()
    assert client.get(button).status_code == 405
    response = client.post(button, {"claim_version": rumour_claim.version})
    assert response.status_code == 302 and any("未批准" in m for m in messages_of(response))
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PROPOSED
    client.force_login(staff(reviewer))
    # The page says which version is approved; an approval for an older one is refused.
    assert (
        f'name="claim_version" value="{rumour_claim.version}"' in client.get(page).content.decode()
    )
    response = client.post(button, {"claim_version": rumour_claim.version - 1 or 99})
    assert any("这条主张有改动" in m for m in messages_of(response))
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PROPOSED
    client.post(button, {"claim_version": rumour_claim.version})
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.APPROVED
    assert button not in client.get(page).content.decode()


@pytest.mark.parametrize(
    "language, words, english",
    [
        (
            "zh-hans",
            ["主张、结论与摘要", "主张", "证据", "结论", "来源与文章", "导入任务"],
            "Claims",
        ),
        (
            "zh-hant",
            ["主張、結論與摘要", "主張", "證據", "結論", "來源與文章", "匯入工作"],
            "Claims",
        ),
    ],
)
def test_the_admin_names_things_as_the_desk_does(admin_client, language, words, english):
    """One glossary: the admin's apps and models carry the desk's words (主张, 结论), in the
    editor's language, not English model names or the admin's own 论断 and 裁定."""
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert f">{word}<" in page, word
    assert f">{english}<" not in page
    claims = admin_client.get("/admin/claims/claim/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "论断" not in claims.content.decode() and "裁定" not in claims.content.decode()


def test_the_digest_list_shows_each_digests_number_of_claims(
    admin_client, published_digest, reviewer
):
    empty = services.create_digest(actor=reviewer, title="空的草稿")
    response = admin_client.get(DIGESTS)
    counts = {d.pk: d.entry_count for d in response.context["cl"].result_list}
    assert counts == {published_digest.pk: 1, empty.pk: 0}


def test_a_digests_admin_page_costs_as_many_queries_for_ten_claims_as_for_one(
    admin_client, editor, reviewer
):
    def queries(digest):
        url = reverse("admin:claims_digest_change", args=[digest.pk])
        admin_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            page = admin_client.get(url)
        assert page.status_code == 200
        return len(captured), page.content.decode()

    claims = approved_claims(11, editor, reviewer, text="后台主张")
    one, _ = queries(services.create_digest(actor=reviewer, title="一条", claims=claims[:1]))
    ten, page = queries(services.create_digest(actor=reviewer, title="十条", claims=claims[1:]))
    assert "后台主张10" in page  # the claims are listed
    assert ten == one


@pytest.mark.parametrize("query", ["台积电", "台積電", "晶圆", "晶圓"])
def test_glossary_search_finds_an_entry_in_either_script(admin_client, db, query):
    from claims.assistant.models import GlossaryEntry

    entry = GlossaryEntry.objects.create(term="台積電", canonical="TSMC", note="晶圓代工")
    GlossaryEntry.objects.create(term="川普", canonical="特朗普")
    url = reverse("admin:claims_glossaryentry_changelist")
    found = admin_client.get(url, {"q": query}).context["cl"].result_list
    assert [e.pk for e in found] == [entry.pk]


def test_every_admin_search_box_takes_either_script(admin_client, rumour_claim):
    """Each admin list with a search box finds as much for a word in one script as in the other
    (the rumour's claim, verdict, evidence and article hold 团队 / 團隊); an API token named in
    one script is found by the other."""
    from django.contrib import admin as django_admin

    from newsroom.models import ApiToken

    ApiToken.objects.issue(rumour_claim.created_by, name="内容系统集成")
    searchable = [
        (model, model_admin)
        for model, model_admin in django_admin.site._registry.items()
        if model_admin.search_fields
    ]
    assert len(searchable) >= 9
    found_any = []
    for model, _model_admin in searchable:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        counts = [
            admin_client.get(url, {"q": q}).context["cl"].result_count for q in ("團隊", "团队")
        ]
        assert counts[0] == counts[1], (url, counts)
        if counts[0]:
            found_any.append(model._meta.model_name)
    assert {"claim", "verdict", "evidence", "article"} <= set(found_any)
    tokens = reverse("admin:newsroom_apitoken_changelist")
    found = admin_client.get(tokens, {"q": "內容系統"}).context["cl"].result_list
    assert [t.name for t in found] == ["内容系统集成"]


def test_every_admin_search_box_takes_full_width_and_half_width_alike(
    admin_client, reviewer, rumour_claim
):
    """Chinese input methods type Latin letters and digits full-width (Ｌｌａｍａ, ８０): each
    admin list finds as much for them as for Llama and 80, and a title written full-width
    (ＡＩ部门裁员８０人) is found by the half-width digits."""
    from django.contrib import admin as django_admin

    services.create_digest(actor=reviewer, title="ＡＩ部门裁员８０人", claims=[])
    searchable = [m for m, a in django_admin.site._registry.items() if a.search_fields]
    found_any = []
    for model in searchable:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for half, full in (("Llama", "Ｌｌａｍａ"), ("80", "８０")):
            counts = [
                admin_client.get(url, {"q": q}).context["cl"].result_count for q in (half, full)
            ]
            assert counts[0] == counts[1], (url, half, counts)
            if counts[0]:
                found_any.append((model._meta.model_name, half))
    assert {("evidence", "Llama"), ("claim", "80"), ("digest", "80")} <= set(found_any)


def test_view_on_site_opens_a_page_that_exists_for_drafts_and_published_rows(
    admin_client, editor, reviewer, published_digest, rumour_claim
):
    """The admin's "View on site" link led an unpublished claim or a draft digest to its
    public address, which answers 404 until publication: it now leads drafts to their page on
    the desk, and published rows to the public page."""
    draft_claim = services.create_claim(actor=editor, text="尚未核查的说法")
    draft_digest = services.create_digest(actor=reviewer, title="草稿摘要", claims=[])
    for model, row, expected in (
        ("claim", draft_claim, reverse("review:claim", args=[draft_claim.pk])),
        ("claim", rumour_claim, reverse("public:claim", args=[rumour_claim.pk])),
        ("digest", draft_digest, reverse("review:digest_detail", args=[draft_digest.pk])),
        ("digest", published_digest, reverse("public:digest", args=[published_digest.slug])),
    ):
        page = admin_client.get(reverse(f"admin:claims_{model}_change", args=[row.pk]))
        assert f'href="{expected}" class="viewsitelink"' in page.content.decode(), expected
        assert admin_client.get(expected).status_code == 200, expected
