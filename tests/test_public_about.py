"""The about page (rating scale, two-editor review, corrections policy), the byline of each
published claim (the desk and the approval date, never an editor's username) and the tally of
verdicts at the top of each digest page."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from claims import services
from newsroom.script import rating_label
from newsroom.templatetags.readings import machine_time
from sources import text as scripts
from tests.conftest import RUMOUR_QUOTE

pytestmark = pytest.mark.django_db

READINGS = ("hans", "hant", "hk")
LABELS = {  # the badges' words in each reading (locale/*/django.po, msgctxt "rating")
    "hans": ["属实", "有争议", "传言（未证实）", "不实"],
    "hant": ["屬實", "有爭議", "傳言（未證實）", "不實"],
    "hk": ["屬實", "有爭議", "傳言（未經證實）", "失實"],
}


def _byline(html):
    return re.findall(r'<p class="byline">(.*?)</p>', html, re.S)


@pytest.mark.parametrize("script", READINGS)
def test_the_about_page_answers_in_every_reading_with_the_scale_and_the_desk(client, db, script):
    response = client.get(f"/about/?script={script}")
    assert response.status_code == 200
    html = response.content.decode()
    for rating, label in zip(("confirmed", "disputed", "rumour", "false"), LABELS[script]):
        assert label == rating_label(rating, script)
        assert f'<span class="badge verdict-{rating}">{label}</span>' in html
    assert scripts.to_script(settings.DESK_NAME, script) in html
    assert (
        response.headers["Content-Language"]
        == {
            "hans": "zh-Hans",
            "hant": "zh-Hant-TW",
            "hk": "zh-Hant-HK",
        }[script]
    )
    assert "ETag" in response.headers and "max-age=300" in response.headers["Cache-Control"]


def test_the_about_page_explains_the_review_and_the_corrections(client, db):
    html = client.get("/about/?script=hans").content.decode()
    assert "任何人都不能批准自己提出的结论" in html
    assert "已发布的摘要不会再修改" in html
    assert "IFCN" in html
    assert 'aria-current="page">我们如何核查</a>' in html


def test_the_about_page_is_linked_from_the_home_page(client, published_digest):
    about = reverse("public:about")
    assert about == "/about/"
    for url in ("/", "/?script=hant", published_digest.get_absolute_url()):
        assert f'href="{about}"' in client.get(url).content.decode()


def test_a_claim_page_shows_the_desk_and_the_approval_date_and_no_username(
    client, published_digest, rumour_claim, editor, reviewer
):
    verdict = rumour_claim.verdicts.get()
    approved = timezone.localtime(verdict.reviewed_at)
    for script, reviewed in (("hans", "审核通过于"), ("hant", "審核通過於"), ("hk", "獲批")):
        html = client.get(f"/claims/{rumour_claim.pk}/?script={script}").content.decode()
        [byline] = _byline(html)
        assert scripts.to_script(settings.DESK_NAME, script) in byline
        assert reviewed in byline
        assert f'<time datetime="{machine_time(verdict.reviewed_at)}">' in byline
        assert f"{approved.year}年{approved.month}月{approved.day}日</time>" in byline
        for username in (editor.get_username(), reviewer.get_username()):
            assert username not in byline
            assert f'"{username}"' not in html and f">{username}<" not in html
    # The snapshot keeps who proposed and approved (for the desk); readers never see them.
    entry = published_digest.entries.get()
    assert entry.snapshot["verdict"]["proposed_by"] == editor.get_username()


def test_each_claim_of_a_digest_page_has_its_byline(client, published_digest):
    html = client.get(published_digest.get_absolute_url()).content.decode()
    [byline] = _byline(html)
    assert settings.DESK_NAME in byline and "<time datetime=" in byline


def _tally(html):
    return {
        rating: int(count)
        for rating, count in re.findall(
            r'<li data-rating="(\w+)" data-count="(\d+)">', html.split('<ol class="entries"')[0]
        )
    }


def test_the_digest_summary_counts_the_digests_verdicts(
    client, published_digest, rumour_claim, editor, reviewer, seed_articles, monkeypatch
):
    from claims.views import public

    claims = [rumour_claim]
    for i, rating in enumerate(("false", "false", "confirmed")):
        quote = seed_articles["001"].body[i * 7 : i * 7 + 6]
        claim = services.create_claim(
            actor=editor,
            text=f"第{i}条说法：{quote}",
            evidence=[{"article": seed_articles["001"], "quote": quote}],
        )
        verdict = services.propose_verdict(claim, actor=editor, rating=rating, rationale="理由")
        services.approve_verdict(verdict, actor=reviewer, claim_version=verdict.claim.version)
        claims.append(claim)
    digest = services.publish_digest(
        services.create_digest(actor=reviewer, title="四条说法", claims=claims), actor=reviewer
    )
    expected = {"rumour": 1, "false": 2, "confirmed": 1}
    assert {
        r: digest.entries.filter(rating=r).count() for r in ("rumour", "false", "confirmed")
    } == expected
    monkeypatch.setattr(public, "DIGEST_PAGE_SIZE", 1)  # the tally covers every page
    for page in ("", "?page=3"):
        html = client.get(digest.get_absolute_url() + page).content.decode()
        assert _tally(html) == expected
        assert "本期共 4 条主张：" in html
    html = client.get(digest.get_absolute_url() + "?script=hk").content.decode()
    assert "本期共 4 條主張：" in html
    assert re.search(
        r'data-rating="false" data-count="2"><span class="badge verdict-false">失實</span> 2 條',
        html,
    )
    # worst first: false, rumour, confirmed
    assert list(_tally(html)) == ["false", "rumour", "confirmed"]
    # The home page shows the latest digest with its tally too.
    assert _tally(client.get("/").content.decode()) == expected
    # and a digest of one claim
    assert _tally(client.get(published_digest.get_absolute_url()).content.decode()) == {"rumour": 1}


def test_the_composers_preview_shows_the_tally_and_the_byline(client, rumour_claim, reviewer):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    draft = services.create_digest(actor=reviewer, title="草稿", claims=[rumour_claim])
    client.force_login(reviewer)
    html = client.get(reverse("review:digest_preview", args=[draft.pk])).content.decode()
    assert _tally(html) == {"rumour": 1}
    [byline] = _byline(html)
    assert settings.DESK_NAME in byline and "<time datetime=" in byline
    assert reviewer.get_username() not in byline


STANCES = {"hans": "反驳", "hant": "反駁", "hk": "反駁"}  # msgctxt "stance", "Contradicts"


@pytest.mark.parametrize("script", READINGS)
def test_digest_and_claim_pages_name_the_verdict_and_the_stance_in_the_reading(
    client, seed_articles, editor, reviewer, script
):
    claim = services.create_claim(
        actor=editor,
        text="Meta的Llama 4团队约80%的成员已经辞职",
        evidence=[
            {"article": seed_articles["004"], "quote": RUMOUR_QUOTE, "stance": "contradicts"}
        ],
    )
    verdict = services.propose_verdict(
        claim, actor=editor, rating="false", rationale="Staff denied it on the record."
    )
    claim.refresh_from_db()
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    digest = services.publish_digest(
        services.create_digest(actor=reviewer, title="Meta", claims=[claim]), actor=reviewer
    )
    false = LABELS[script][3]
    for path in (digest.get_absolute_url(), f"/claims/{claim.pk}/"):
        html = client.get(f"{path}?script={script}").content.decode()
        assert '<p class="badge verdict-false"><span class="visually-hidden">' in html
        assert re.search(rf'<p class="badge verdict-false">.*?</span>{false}</p>', html)
        assert f'<span class="stance stance-contradicts">{STANCES[script]}</span>' in html
    # The claim page's title and the digest's tally name the verdict too.
    claim_page = client.get(f"/claims/{claim.pk}/?script={script}").content.decode()
    assert f"<title>{false}：" in claim_page
    digest_page = client.get(f"{digest.get_absolute_url()}?script={script}").content.decode()
    assert f'<span class="badge verdict-false">{false}</span>' in digest_page
