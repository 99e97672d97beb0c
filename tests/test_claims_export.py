"""Claims with their verdicts and evidence as CSV and JSON, from the desk and from the admin."""

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import claim_export, services
from tests.conftest import RUMOUR_QUOTE

CSV = reverse("review:claims_export", args=["csv"])
JSON = reverse("review:claims_export", args=["json"])


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    assert response.status_code == 200
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def export(client, url, **filters):
    return client.get(url + ("?" + urlencode(filters) if filters else ""))


def plain_claim(editor, text, **fields):
    return services.create_claim(actor=editor, text=text, **fields)


# --- CSV -------------------------------------------------------------------------------------


def test_the_csv_has_a_header_and_one_row_per_claim_with_chinese_intact(
    client, editor, published_digest, rumour_claim
):
    other = plain_claim(editor, "尚无证据的主张：裁員三成", gloss="30% laid off")
    client.force_login(editor)
    response = client.get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="claims-{today}.csv"'
    assert response["Cache-Control"] == "private, no-store"
    text = body(response)
    assert text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text[1:])))
    assert header == claim_export.COLUMNS
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [int(r["id"]) for r in rows] == [rumour_claim.pk, other.pk]

    first, second = rows
    assert first["text"] == "Meta的Llama 4团队约80%的成员已经辞职"
    assert first["verdict_status"] == "approved"
    assert first["rating"] == "rumour"
    assert first["rating_label_zh"] == "传言（未证实）"
    assert first["proposed_by"] == "editor"
    assert first["approved_by"] == "reviewer"
    assert first["approved_at"]
    assert first["published"] == "yes"
    assert first["digest"] == published_digest.slug
    assert first["evidence_count"] == "1"
    assert first["evidence"].endswith(": " + RUMOUR_QUOTE)
    assert first["review_url"] == reverse("review:claim", args=[rumour_claim.pk])

    assert second["text"] == "尚无证据的主张：裁員三成"
    assert second["gloss"] == "30% laid off"
    assert second["verdict_status"] == second["rating"] == second["approved_by"] == ""
    assert second["published"] == "no"
    assert (second["digest"], second["evidence_count"], second["evidence"]) == ("", "0", "")


def test_a_proposal_shows_its_proposer_and_no_approver(client, editor, rumour_claim):
    client.force_login(editor)
    (row,) = csv_rows(client.get(CSV))
    assert (row["verdict_status"], row["rating"]) == ("proposed", "rumour")
    assert (row["proposed_by"], row["approved_by"], row["approved_at"]) == ("editor", "", "")
    assert row["published"] == "no"


def test_a_cell_that_looks_like_a_formula_is_neutralised(client, editor):
    plain_claim(
        editor,
        '=HYPERLINK("http://evil.example","点我")',
        gloss="+1 more",
        claimant="@someone",
    )
    plain_claim(editor, "-2+3")
    client.force_login(editor)
    first, second = csv_rows(client.get(CSV))
    assert first["text"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert first["gloss"] == "'+1 more"
    assert first["claimant"] == "'@someone"
    assert second["text"] == "'-2+3"
    assert claim_export.neutralise("\tx") == "'\tx"
    assert claim_export.neutralise("\rx") == "'\rx"
    assert claim_export.neutralise("普通文字 = 1") == "普通文字 = 1"


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def two_claims(editor, rumour_claim):
    other = plain_claim(editor, "另一条：股价上涨")
    services.propose_verdict(other, actor=editor, rating="false", rationale="不实。")
    unrated = plain_claim(editor, "第三条：尚无结论")
    return rumour_claim, other, unrated


def ids(rows):
    return [int(r["id"]) for r in rows]


def test_filters_narrow_the_rows(client, editor, two_claims):
    rumour, other, unrated = two_claims
    client.force_login(editor)
    assert ids(csv_rows(export(client, CSV, rating="rumour"))) == [rumour.pk]
    assert ids(csv_rows(export(client, CSV, rating="false"))) == [other.pk]
    assert ids(csv_rows(export(client, CSV, status="unrated"))) == [unrated.pk]
    assert ids(csv_rows(export(client, CSV, status="proposed"))) == [rumour.pk, other.pk]
    assert ids(csv_rows(export(client, CSV, status="published"))) == []
    assert ids(csv_rows(export(client, CSV, q="股价"))) == [other.pk]
    # Evidence from an article in Traditional script: only the rumour claim has any.
    assert ids(csv_rows(export(client, CSV, original_script="hant"))) == [rumour.pk]
    source = rumour.evidence.get().article.source_id
    assert ids(csv_rows(export(client, CSV, source=source))) == [rumour.pk]


def test_status_follows_approval_and_publication(
    client, editor, reviewer, two_claims, published_digest
):
    rumour, other, unrated = two_claims
    client.force_login(editor)
    assert ids(csv_rows(export(client, CSV, status="published"))) == [rumour.pk]
    assert ids(csv_rows(export(client, CSV, status="approved"))) == []
    assert ids(csv_rows(export(client, CSV, status="proposed"))) == [other.pk]
    services.approve_verdict(other.verdicts.get(), actor=reviewer, claim_version=other.version)
    assert ids(csv_rows(export(client, CSV, status="approved"))) == [other.pk]
    assert ids(csv_rows(export(client, CSV, status="unrated"))) == [unrated.pk]


def test_a_search_in_the_other_script_finds_the_claim(client, editor, two_claims):
    rumour, other, unrated = two_claims
    client.force_login(editor)
    # The claim is stored in Simplified script; the query is Traditional.
    assert ids(csv_rows(export(client, CSV, q="團隊 辭職"))) == [rumour.pk]
    assert ids(csv_rows(export(client, CSV, q="股價"))) == [other.pk]


@pytest.mark.parametrize(
    "filters",
    [
        {"rating": "nonsense"},
        {"status": "gone"},
        {"source": "abc"},
        {"source": "99999999999999999999999999"},
        {"original_script": "latin"},
        {"q": "x" * 201},
    ],
)
def test_an_invalid_filter_is_a_400_that_says_why(client, editor, rumour_claim, filters):
    client.force_login(editor)
    for url in (CSV, JSON):
        response = export(client, url, **filters)
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        text = response.content.decode()
        assert "筛选条件无效" in text and next(iter(filters)) in text


# --- JSON ------------------------------------------------------------------------------------


def test_the_json_parses_and_carries_the_evidence(client, editor, reviewer, rumour_claim):
    services.add_evidence(
        rumour_claim,
        actor=editor,
        url="https://example.com/report",
        citation_title="员工澄清",
        publisher="某报",
        note="报道说并无集体辞职",
        stance="contradicts",
    )
    rumour_claim.refresh_from_db()
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    digest = services.create_digest(actor=reviewer, title="Meta 裁员", claims=[rumour_claim])
    published_digest = services.publish_digest(digest, actor=reviewer)
    plain_claim(editor, "没有证据的主张")
    client.force_login(editor)
    response = client.get(JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="claims-{today}.json"'
    text = body(response)
    assert "团队" in text  # not \\u escapes
    data = json.loads(text)
    assert [d["id"] for d in data][0] == rumour_claim.pk and len(data) == 2
    first = data[0]
    assert first["rating"] == "rumour" and first["approved_by"] == "reviewer"
    assert first["published"] is True and first["digest"] == published_digest.slug
    assert first["evidence_count"] == 2
    citation, span = sorted(first["evidence"], key=lambda e: e["article_id"] is not None)
    article = rumour_claim.evidence.filter(article__isnull=False).get().article
    assert span["article_id"] == article.pk
    assert span["title"] == article.title
    assert span["quote"] == RUMOUR_QUOTE
    assert article.body[span["start"] : span["end"]] == RUMOUR_QUOTE
    assert span["stance"] == "supports" and span["citation"] is None
    assert citation["article_id"] is None and citation["url"] == "https://example.com/report"
    assert citation["citation"] == {"title": "员工澄清", "publisher": "某报"}
    assert citation["quote"] == "报道说并无集体辞职" and citation["stance"] == "contradicts"
    assert data[1]["evidence"] == [] and data[1]["rating"] is None


def test_an_empty_export_is_an_empty_array_and_a_lone_header(client, editor):
    client.force_login(editor)
    assert json.loads(body(client.get(JSON))) == []
    assert csv_rows(client.get(CSV)) == []


# --- who may -------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, rumour_claim):
    for url in (CSV, JSON):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")


def test_a_logged_in_user_who_is_not_an_editor_is_refused(client, rumour_claim):
    client.force_login(User.objects.create_user("outsider", password="pw-for-tests-only"))
    for url in (CSV, JSON):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有编辑和审核员" in response.content.decode()


def test_a_reviewer_may_export(client, reviewer, rumour_claim):
    client.force_login(reviewer)
    assert ids(csv_rows(client.get(CSV))) == [rumour_claim.pk]


# --- queries ---------------------------------------------------------------------------------


def make_claims(n, editor, reviewer, article):
    for i in range(n):
        claim = services.create_claim(
            actor=editor,
            text=f"第{i}条主张：Llama 4团队约80%成员辞职",
            evidence=[{"article": article, "quote": RUMOUR_QUOTE}],
        )
        services.add_evidence(
            claim, actor=editor, url=f"https://example.com/{i}", citation_title="报道"
        )
        verdict = services.propose_verdict(claim, actor=editor, rating="rumour", rationale="二手")
        if i % 2 == 0:
            services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)


def queries_of_export(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        content = body(response)
    return len(queries), content


def test_the_number_of_queries_does_not_grow_with_the_claims(
    client, editor, reviewer, seed_articles, checks_every_request
):
    article = seed_articles["004"]
    client.force_login(editor)
    make_claims(2, editor, reviewer, article)
    counts_2 = {u: queries_of_export(client, u)[0] for u in (CSV, JSON, CSV + "?q=團隊")}
    make_claims(18, editor, reviewer, article)
    for url, before in counts_2.items():
        after, content = queries_of_export(client, url)
        assert after == before, url
    assert len(json.loads(queries_of_export(client, JSON)[1])) == 20


def test_claims_are_read_in_chunks_with_their_details(
    client, editor, reviewer, seed_articles, monkeypatch, checks_every_request
):
    make_claims(7, editor, reviewer, seed_articles["004"])
    monkeypatch.setattr(claim_export, "CHUNK", 3)
    client.force_login(editor)
    count, content = queries_of_export(client, JSON)
    data = json.loads(content)
    assert len(data) == 7
    assert all(d["evidence_count"] == 2 and d["rating"] == "rumour" for d in data)
    # The claims are read once; each of the three chunks reads its verdicts and its evidence.
    monkeypatch.setattr(claim_export, "CHUNK", 500)
    assert queries_of_export(client, JSON)[0] == count - 4


# --- links and the admin -------------------------------------------------------------------


def test_the_queue_links_to_the_export_with_its_filters(client, editor, rumour_claim):
    client.force_login(editor)
    page = client.get(
        reverse("review:queue") + "?q=团队&rating=rumour&articles_page=1"
    ).content.decode()
    assert "导出 CSV" in page and "导出 JSON" in page
    query = urlencode({"q": "团队", "rating": "rumour"}).replace("&", "&amp;")
    assert f'href="{CSV}?{query}"' in page
    assert f'href="{JSON}?{query}"' in page
    assert "articles_page" not in page.split("导出 CSV")[0].rsplit("href=", 1)[1]


def test_the_admin_action_exports_the_selected_claims_only(
    admin_client, editor, published_digest, rumour_claim
):
    other = plain_claim(editor, "=另一条主张")
    plain_claim(editor, "不选这一条")
    response = admin_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "export_selected_csv", "_selected_action": [rumour_claim.pk, other.pk]},
    )
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    rows = csv_rows(response)
    assert ids(rows) == [rumour_claim.pk, other.pk]
    assert rows[0]["digest"] == published_digest.slug and rows[0]["approved_by"] == "reviewer"
    assert rows[1]["text"] == "'=另一条主张"
