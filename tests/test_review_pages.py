"""The review pages as a whole: who may see them, logging in and out, the work queue."""

from django.contrib.auth.models import User
from django.urls import reverse

from claims import services


def pages(claim):
    return [
        reverse("review:queue"),
        reverse("review:article", args=[claim.evidence.get().article_id]),
        reverse("review:claim", args=[claim.pk]),
    ]


def test_an_editor_opens_every_review_page(client, editor, rumour_claim):
    client.force_login(editor)
    for url in pages(rumour_claim):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "退出登录" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, rumour_claim):
    for url in pages(rumour_claim):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")


def test_a_logged_in_user_who_is_not_an_editor_is_refused(client, rumour_claim):
    outsider = User.objects.create_user("outsider", password="pw-for-tests-only")
    client.force_login(outsider)
    for url in pages(rumour_claim):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有编辑和审核员" in response.content.decode()


def test_an_editor_logs_in_on_the_login_page_and_lands_on_the_queue(client, editor):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "登录核查台" in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "editor", "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302
    assert response.url == reverse("review:queue")


def test_a_wrong_password_is_told_plainly(client, editor):
    response = client.post(reverse("login"), {"username": "editor", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_logging_out_is_a_post_form_in_the_header(client, editor):
    client.force_login(editor)
    page = client.get(reverse("review:queue")).content.decode()
    assert f'action="{reverse("logout")}"' in page
    client.post(reverse("logout"))
    assert client.get(reverse("review:queue")).status_code == 302


def section(response, key):
    return next(s for s in response.context["sections"] if s.key == key)


def test_the_queue_lists_what_needs_work_with_counts(client, editor, seed_articles, rumour_claim):
    bare = services.create_claim(actor=editor, text="扎克伯格砸着亿万年薪挖人")
    client.force_login(editor)
    response = client.get(reverse("review:queue"))
    articles = section(response, "articles")
    assert articles.count == 4 and seed_articles["004"] not in articles.items
    assert [c.pk for c in section(response, "no_evidence").items] == [bare.pk]
    assert section(response, "waiting").count == 1
    assert section(response, "approved").count == 0
    page = response.content.decode()
    assert "尚无主张的文章" in page and "扎克伯格砸着亿万年薪挖人" in page


def test_the_proposer_sees_her_verdict_waiting_for_a_second_editor(
    client, editor, reviewer, rumour_claim
):
    client.force_login(editor)
    assert "等待审核员批准" in client.get(reverse("review:queue")).content.decode()
    client.force_login(reviewer)
    page = client.get(reverse("review:queue")).content.decode()
    assert "待审核" in page and "等待审核员批准</span>" not in page


def test_an_approved_claim_waits_for_a_digest_until_one_holds_it(client, reviewer, rumour_claim):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    client.force_login(reviewer)
    response = client.get(reverse("review:queue"))
    assert [c.pk for c in section(response, "approved").items] == [rumour_claim.pk]
    assert section(response, "waiting").count == 0
    services.create_digest(actor=reviewer, title="Draft", claims=[rumour_claim])
    assert section(client.get(reverse("review:queue")), "approved").count == 0


def test_searching_the_queue_in_simplified_finds_traditional_text(client, editor, seed_articles):
    client.force_login(editor)
    # 004 is written in Traditional script: 團隊約80%的成員.
    response = client.get(reverse("review:queue"), {"q": "团队约80%的成员"})
    assert [a.pk for a in section(response, "articles").items] == [seed_articles["004"].pk]
    response = client.get(reverse("review:queue"), {"q": "團隊約80%的成員"})
    assert [a.pk for a in section(response, "articles").items] == [seed_articles["004"].pk]


def test_the_queue_filters_by_source_script_and_rating(client, editor, seed_articles, rumour_claim):
    client.force_login(editor)
    source = seed_articles["000"].source
    response = client.get(reverse("review:queue"), {"source": source.pk})
    assert all(a.source_id == source.pk for a in section(response, "articles").items)
    response = client.get(reverse("review:queue"), {"original_script": "hans"})
    assert all(a.script == "hans" for a in section(response, "articles").items)
    assert section(response, "waiting").count == 0  # the rumour's evidence is in a hant article
    assert section(client.get(reverse("review:queue"), {"rating": "false"}), "waiting").count == 0
    assert section(client.get(reverse("review:queue"), {"rating": "rumour"}), "waiting").count == 1


def test_a_bad_filter_is_a_clear_400_not_a_crash(client, editor, db):
    client.force_login(editor)
    response = client.get(reverse("review:queue"), {"source": "999999", "rating": "great"})
    assert response.status_code == 400
    assert "rating" in response.context["form"].errors


def test_the_queue_narrows_to_one_source_or_one_script(seed_articles, rumour_claim, editor):
    from claims import selectors

    def shown(**filters):
        sections = {s.key: s for s in selectors.queue(editor, **filters)}
        return sections["articles"].items, sections["waiting"].items

    articles, waiting = shown(source=seed_articles["001"].source)
    assert articles == [seed_articles["001"]] and waiting == []
    articles, waiting = shown(source=seed_articles["004"].source)
    assert articles == [] and [v.claim for v in waiting] == [rumour_claim]
    articles, waiting = shown(original_script="hant")
    assert articles == [seed_articles["000"]] and [v.claim for v in waiting] == [rumour_claim]
    articles, waiting = shown(original_script="hans")
    assert {a.filename[:3] for a in articles} == {"001", "002", "003"} and waiting == []
