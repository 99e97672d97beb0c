"""Control characters (every C0 control but tab, newline and carriage return; DEL; C1) are
refused on every way in, with the character and where it is; what is stored already cannot
break the Atom feed."""

import codecs
import xml.etree.ElementTree as ET

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import Claim, Digest, Evidence, Verdict
from claims.review_file import ReviewFileError, load_review
from sources.importer import REFUSED, import_bytes, import_paths
from sources.models import Article, Source

CONTROLS = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"]
ids = [f"U+{ord(c):04X}" for c in CONTROLS]


def code(char):
    return f"U+{ord(char):04X}"


def article_text(char):
    return f"---\ntitle: 控制字符测试\n---\n第一段正常。\n第二段有一个{char}控制字符。\n"


# --- the importer ----------------------------------------------------------------------------

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("char", CONTROLS, ids=ids)
def test_the_importer_refuses_a_control_character_in_any_encoding(db, char, encoding):
    result = import_bytes(ENCODINGS[encoding](article_text(char)), "bad.txt")
    assert result.status == REFUSED
    if char == "\x00" and encoding == "utf-8":
        assert "NUL" in result.message  # refused as binary before decoding
    else:
        assert f"control character {code(char)} at line 5, column 7; remove it" in result.message
    assert not Article.objects.exists() and not Source.objects.exists()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_same_file_without_the_control_character_imports(db, encoding):
    result = import_bytes(ENCODINGS[encoding](article_text("")), "good.txt")
    assert result.status == "imported", result.message
    assert result.article.body == "第一段正常。\n第二段有一个控制字符。"


@pytest.mark.parametrize("char", ["\x7f", "\x80", "\x9f"], ids=["DEL", "U+0080", "U+009F"])
def test_the_importer_refuses_del_and_c1_controls(db, char):
    result = import_bytes(article_text(char).encode("utf-8"), "bad.txt")
    assert result.status == REFUSED and code(char) in result.message


def test_a_control_character_written_as_a_yaml_escape_in_the_front_matter_is_refused(db):
    data = '---\ntitle: "标题\\x0b有控制字符"\n---\n正文。\n'.encode()
    result = import_bytes(data, "escape.txt")
    assert result.status == REFUSED
    assert (
        "front matter (title contains the control character U+000B at position 3" in result.message
    )
    assert not Article.objects.exists()


def test_a_refused_file_does_not_stop_the_others(db, tmp_path):
    (tmp_path / "a_bad.txt").write_bytes(ENCODINGS["utf-16-le"](article_text("\x1b")))
    (tmp_path / "b_good.txt").write_bytes(ENCODINGS["utf-16-le"](article_text("")))
    report = import_paths([tmp_path])
    bad, good = sorted(report.results, key=lambda r: r.filename)
    assert (
        bad.status == REFUSED
        and "a_bad.txt: refused: contains the control character U+001B" in bad.line()
    )
    assert good.status == "imported"
    assert list(Article.objects.values_list("filename", flat=True)) == ["b_good.txt"]


# --- the API ---------------------------------------------------------------------------------


@pytest.fixture
def api(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


@pytest.mark.parametrize("char", CONTROLS, ids=ids)
def test_the_api_refuses_a_claim_with_a_control_character(api, char):
    response = api.post("/api/v1/claims/", {"text": f"裁员{char}600人"}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert (
        f"contains the control character {code(char)} at position 3; remove it" in body["text"][0]
    )
    assert code(char) in body["detail"]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("char", ["\x0b", "\x1f", "\x85"], ids=["VT", "US", "NEL"])
def test_the_api_refuses_a_control_character_at_either_end_rather_than_trim_it(api, char):
    response = api.post(
        "/api/v1/claims/", {"text": f"{char}裁员600人", "gloss": f"layoffs{char}"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"text", "gloss"}
    assert not Claim.objects.exists()


def test_the_api_refuses_control_characters_in_evidence_and_verdicts(api, rumour_claim):
    response = api.post(
        f"/api/v1/claims/{rumour_claim.pk}/evidence/",
        {
            "url": "https://example.com/a\x01b",
            "citation_title": "标题",
            "note": "说明\x07",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"url", "note"}
    response = api.post(
        f"/api/v1/claims/{rumour_claim.pk}/verdicts/",
        {"rating": "false", "rationale": "理由\x1b[31m"},
        format="json",
    )
    assert response.status_code == 400 and "U+001B" in response.json()["rationale"][0]
    assert rumour_claim.evidence.count() == 1 and rumour_claim.verdicts.count() == 1


def test_a_clean_claim_with_tabs_and_newlines_is_accepted(api):
    response = api.post("/api/v1/claims/", {"text": "第一行\t裁员\r\n第二行"}, format="json")
    assert response.status_code == 201, response.content


# --- the review pages and the admin ------------------------------------------------------------


@pytest.fixture
def article(db):
    return Article.objects.create(
        source=Source.unknown(), script="hans", title="测试", body="今天某公司裁员600人。"
    )


@pytest.mark.parametrize("char", CONTROLS, ids=ids)
def test_the_review_page_refuses_a_claim_with_a_control_character(client, editor, article, char):
    client.force_login(editor)
    response = client.post(
        reverse("review:article_new_claim", args=[article.pk]),
        {
            "quote": "裁员600人",
            "text": f"裁员{char}600人",
            "stance": "supports",
        },
    )
    assert response.status_code == 400
    [message] = response.context["new_claim_form"].errors["text"]
    assert message == f"这段文字在第 3 个字处含有控制字符 {code(char)}，请删除。"
    assert not Claim.objects.exists()


def test_the_workbench_refuses_control_characters_in_a_verdict(client, editor, rumour_claim):
    client.force_login(editor)
    response = client.post(
        reverse("review:verdict_propose", args=[rumour_claim.pk]),
        {"rating": "false", "rationale": "\x0c理由"},
    )
    assert response.status_code == 400
    assert "这段文字在第 1 个字处含有控制字符 U+000C，请删除。" in response.content.decode()
    assert rumour_claim.verdicts.count() == 1


def test_the_admin_refuses_a_source_name_with_a_control_character(admin_client, db):
    response = admin_client.post(
        reverse("admin:sources_source_add"),
        {
            "name": "某报\x1b",
            "slug": "mou-bao",
            "kind": "outlet",
            "homepage": "",
            "notes": "",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "这段文字在第 3 个字处含有控制字符 U+001B，请删除。" in response.content.decode()
    assert not Source.objects.filter(slug="mou-bao").exists()


def test_model_validation_names_every_text_field_at_fault(rumour_claim):
    evidence = rumour_claim.evidence.get()
    evidence.note, evidence.quote = "a\x02", "b\x03"
    with pytest.raises(Exception) as refused:
        evidence.full_clean()
    assert {"note", "quote"} <= set(refused.value.message_dict)


# --- the feed --------------------------------------------------------------------------------


# PostgreSQL cannot store NUL at all, so no old data there can hold one.
STORABLE = [c for c in CONTROLS if c != "\x00" or connection.vendor != "postgresql"]


@pytest.fixture(params=STORABLE, ids=[code(c) for c in STORABLE])
def stored_control_character(request, rumour_claim):
    """The rumour claim and its verdict with a control character, written straight to the
    database as data stored before the rule would be."""
    char = request.param
    Claim.objects.filter(pk=rumour_claim.pk).update(
        text=f"Meta{char}的Llama 4团队约80%的成员已经辞职"
    )
    Verdict.objects.filter(claim=rumour_claim).update(rationale=f"只有{char}二手消息。")
    Evidence.objects.filter(claim=rumour_claim).update(note=f"说明{char}")
    rumour_claim.refresh_from_db()
    return char


def test_a_published_digest_holding_a_control_character_does_not_break_the_feed(
    client, stored_control_character, published_digest
):
    char = stored_control_character
    assert char in published_digest.entries.get().snapshot["text"]  # published as stored
    # Past the model's guard against changing a published digest: old data, as it is stored.
    QuerySet.update(
        Digest.objects.filter(pk=published_digest.pk),
        title=f"摘要{char}标题",
        intro=f"导语{char}。",
    )
    response = client.get("/feed/")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # well-formed XML
    atom = "{http://www.w3.org/2005/Atom}"
    [entry, claim_entry] = feed.findall(f"{atom}entry")  # the digest, then its claim
    assert entry.findtext(f"{atom}title") == "摘要标题"
    assert "Meta的Llama 4团队约80%的成员已经辞职" in entry.findtext(f"{atom}summary")
    assert "Meta的Llama 4团队约80%的成员已经辞职" in claim_entry.findtext(f"{atom}title")
    assert char not in claim_entry.findtext(f"{atom}title")


# --- the review file -------------------------------------------------------------------------


def test_a_review_file_with_a_control_character_is_refused_and_loads_nothing(db, editor, tmp_path):
    review = tmp_path / "review.yaml"
    review.write_text(
        'claims:\n- key: k1\n  text: "裁员\\x1b600人"\n  created_by: editor\n', encoding="utf-8"
    )
    with pytest.raises(
        ReviewFileError,
        match=r"claims\.0\.text contains the control character "
        r"U\+001B at position 3; remove it",
    ):
        load_review(review)
    assert not Claim.objects.exists()


def test_signing_in_refuses_a_control_character_in_the_username_and_counts_no_failure(editor):
    """The username is checked like any text the desk takes (a 400 naming it), before any
    login is tried: a failed attempt would count toward the lockout."""
    client = APIClient()
    for username in ("edi\x00tor", "\x1c", "editor\x7f"):
        response = client.post(
            "/api/v1/auth/token/", {"username": username, "password": "x"}, format="json"
        )
        assert response.status_code == 400, response.content
        assert "control character" in response.json()["username"][0]
    assert not AccessAttempt.objects.exists()  # django-axes recorded no failed login
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "editor", "password": "pw-for-tests-only"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["token"]


def test_the_schema_declares_what_the_token_request_refuses(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    fields = schema["components"]["schemas"]["TokenRequestRequest"]["properties"]
    # The username: no control character, and not blank once trimmed; the password: any text
    # but NUL (refused by DRF's CharField). A client reading the schema knows both.
    assert "\\u0000-\\u0008" in fields["username"]["pattern"]
    assert fields["password"]["pattern"] == "^[^\\u0000]*$"
