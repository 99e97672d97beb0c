"""The claim assistant in the review pages: matches with one action to attach them, figure
conflicts side by side with a hint, and the queue's two lists."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Evidence
from sources.importer import import_bytes
from tests.conftest import RUMOUR_QUOTE, disputed_age_claim

TWIN = "Llama的14位原始创始研究员中，有11位已经离开了公司"


def test_the_workbench_shows_the_conflict_side_by_side_and_suggests_disputed(client, editor, db):
    claim = disputed_age_claim(editor, second="据说85岁高龄的钟南山院士已空降北京。")
    client.force_login(editor)
    page = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "数字冲突" in page and "钟南山" in page
    assert "有争议" in page  # the disputed hint
    assert "85岁高龄的钟南山院士" in page and "传闻" in page


def test_the_workbench_shows_matches_in_the_other_script_with_an_attach_form(
    client, editor, rumour_claim
):
    client.force_login(editor)
    page = client.get(reverse("review:claim", args=[rumour_claim.pk])).content.decode()
    assert "其他来源的相同主张" in page
    assert reverse("review:claim_attach_match", args=[rumour_claim.pk]) in page
    assert "csrfmiddlewaretoken" in page


def test_a_match_that_gives_a_figure_twice_names_it_once(client, editor, db):
    """A reposted Weibo message repeats its headline in its text: the same figure twice in
    the sentence that matches."""
    first = import_bytes("复工\n\n复工后发生的聚集性疫情12起共15人确诊。\n".encode(), "a.txt")
    import_bytes(
        "转发\n\n全国已有12起复工后聚集性疫情】复工后发生的聚集性疫情12起共15人确诊。\n".encode(),
        "b.txt",
    )
    claim = services.create_claim(
        actor=editor,
        text="复工后发生的聚集性疫情12起共15人确诊",
        evidence=[{"article": first.article, "quote": "复工后发生的聚集性疫情12起共15人确诊"}],
    )
    client.force_login(editor)
    page = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "相同数字：12起、15人" in page


def test_an_editor_attaches_a_match_as_evidence_with_a_stance(
    client, editor, rumour_claim, seed_articles
):
    article = seed_articles["002"]
    start = article.body.index(TWIN)
    client.force_login(editor)
    response = client.post(
        reverse("review:claim_attach_match", args=[rumour_claim.pk]),
        {
            "article": article.pk,
            "start": start,
            "end": start + len(TWIN),
            "stance": "contradicts",
        },
    )
    assert response.status_code == 302
    evidence = rumour_claim.evidence.get(article=article)
    assert (evidence.start, evidence.quote, evidence.stance) == (start, TWIN, "contradicts")


@pytest.mark.parametrize(
    "data",
    [
        {"start": 0, "end": 10**7, "stance": "supports"},
        {"start": 20, "end": 10, "stance": "supports"},
        {"start": "x", "end": 10, "stance": "supports"},
        {"start": 0, "end": 10, "stance": "maybe"},
        {"start": 0, "end": 10, "stance": "supports", "article": 10**6},
    ],
)
def test_a_bad_attach_request_is_refused_and_stores_nothing(
    client, editor, rumour_claim, seed_articles, data
):
    client.force_login(editor)
    before = Evidence.objects.count()
    response = client.post(
        reverse("review:claim_attach_match", args=[rumour_claim.pk]),
        {"article": seed_articles["002"].pk, **data},
    )
    assert response.status_code == 400
    assert "未能添加证据" in response.content.decode()
    assert Evidence.objects.count() == before


def test_only_editors_attach(client, rumour_claim, seed_articles, django_user_model):
    url = reverse("review:claim_attach_match", args=[rumour_claim.pk])
    data = {"article": seed_articles["002"].pk, "start": 0, "end": 5, "stance": "supports"}
    assert client.post(url, data).status_code == 302  # to the login page
    client.force_login(
        django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    )
    assert client.post(url, data).status_code == 403
    assert not rumour_claim.evidence.filter(article=seed_articles["002"]).exists()


def test_the_queue_lists_conflicting_claims_and_claims_in_several_sources(
    client, editor, seed_articles
):
    layoffs = services.create_claim(
        actor=editor,
        text="Meta在AI部门裁员约600人",
        evidence=[
            {
                "article": seed_articles["000"],
                "quote": "上周三,Meta宣布對旗下人工智能部門進行重組,裁員大約600人。",
            }
        ],
    )
    rumour_claim = disputed_age_claim(editor)
    # A forwarded message that credits no outlet: named by its title, not as "unknown source".
    forwarded = import_bytes(
        "转发：Meta又裁员了\n\nMeta宣布对旗下人工智能部门进行重组，裁员大约600人。\n".encode(),
        "forwarded.txt",
    ).article
    assert forwarded.source.is_unknown
    client.force_login(editor)
    queue = client.get(reverse("review:queue")).content.decode()
    assert reverse("review:assistant_queue") in queue and "assistant.js" in queue
    fragment = client.get(reverse("review:assistant_queue") + "?fragment=1").content.decode()
    conflicting = fragment.split('id="several-sources"')[0]
    several = fragment.split('id="several-sources"')[1]
    assert f"#{rumour_claim.pk} " in conflicting
    assert f"#{layoffs.pk} " in several
    row = several.split(f"#{layoffs.pk} ")[1].split("</li>")[0]
    assert (
        f'<a href="{reverse("review:article", args=[forwarded.pk])}">转发：Meta又裁员了</a>' in row
    )
    outlet = seed_articles["002"]
    assert (
        f'<a href="{reverse("review:article", args=[outlet.pk])}">{outlet.source.name}</a>' in row
    )
    assert "未知来源" not in row
    page = client.get(reverse("review:assistant_queue"))
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_imported_text_in_matches_is_escaped(client, editor, seed_articles):
    import_bytes(
        "Meta裁员\n\nMeta宣布裁员大约600人<script>alert(1)</script>。\n".encode(), "evil.txt"
    )
    claim = services.create_claim(
        actor=editor,
        text="Meta裁员约600人",
        evidence=[
            {
                "article": seed_articles["000"],
                "quote": "上周三,Meta宣布對旗下人工智能部門進行重組,裁員大約600人。",
            }
        ],
    )
    client.force_login(editor)
    page = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_the_queue_panel_does_not_query_more_as_claims_grow(
    client, editor, seed_articles, checks_every_request
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)

    def queries():
        client.get(reverse("review:assistant_queue"))  # the index catches up with the claims
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("review:assistant_queue")).status_code == 200
        return len(captured)

    services.create_claim(
        actor=editor,
        text="Llama 4团队约80%成员辞职",
        evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
    )
    few = queries()
    for i in range(12):
        services.create_claim(
            actor=editor,
            text=f"第{i}条：Llama 4团队约80%成员辞职",
            evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
        )
    # 13: the panel's own queries and the navigation's "待我处理" count (one for an editor).
    assert queries() <= few <= 13
