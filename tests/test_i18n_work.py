"""The desk's work pages in the editor's language: the import pages and the status their
script polls, the digest composer, the assistant's panels, the notices page. Simplified Chinese
by default (LANGUAGE_CODE), English or Traditional by Accept-Language. The e-mail notices are in
the desk's language, whatever language the request that caused them was in."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from claims import services
from claims.models import Claim, NoticeSettings
from sources import jobs
from tests.page_words import HAN, chinese_runs_not_data

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HANT = {"HTTP_ACCEPT_LANGUAGE": "zh-hant"}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
GOOD = "标题一\n正文第一句，内容。\n来源：中央社\n".encode()
MAIN = re.compile(r"<main\b.*?</main>", re.S)


def chinese_words(html):
    """Runs of Chinese characters in the page's <main> that are not data (claims, titles…)."""
    found = MAIN.search(html)
    return chinese_runs_not_data(found.group(0) if found else html)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def finished_job(settings, editor):
    """An import of two files, run at once: one imported, one refused (empty)."""
    settings.TASKS = IMMEDIATE
    job = jobs.start_upload_import([("good.txt", GOOD), ("empty.txt", b"")], user=editor)
    job.refresh_from_db()
    return job


# --- the import pages ----------------------------------------------------------------------------


def test_the_import_job_page_and_its_status_read_in_english(editor_client, finished_job):
    job = finished_job
    page = editor_client.get(reverse("review:import_job", args=[job.pk]), **EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Import job #{job.pk}" in html
    assert '<strong id="import-status" role="status">Done</strong>' in html
    assert "2 / 2 files" in html
    assert "Imported as <a" in html and "The file is empty (0 bytes)" in html
    assert ">Refused</span>" in html and "Each file's result" in html
    assert chinese_words(html) == []

    status = editor_client.get(reverse("review:import_job_status", args=[job.pk]), **EN).json()
    assert status["status_label"] == "Done"
    assert status["progress_label"] == "2 / 2 files"
    by_name = {item["filename"]: item for item in status["results"]}
    assert by_name["empty.txt"]["label"] == "Refused"
    assert by_name["empty.txt"]["detail"] == "The file is empty (0 bytes)"
    assert by_name["good.txt"]["label"] == "Imported"
    assert "Imported as" in by_name["good.txt"]["row_html"]
    assert not HAN.search(by_name["empty.txt"]["row_html"])
    refused = editor_client.get(
        reverse("review:import_job_status", args=[job.pk]), {"since": "x"}, **EN
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == "since must be a non-negative integer."


def test_the_import_job_page_and_its_status_read_in_traditional(editor_client, finished_job):
    job = finished_job
    html = editor_client.get(reverse("review:import_job", args=[job.pk]), **HANT).content.decode()
    assert f"匯入工作 #{job.pk}" in html and "导入" not in html
    assert '<strong id="import-status" role="status">已完成</strong>' in html
    assert "2 / 2 個檔案" in html and "檔案是空的（0 位元組）" in html

    status = editor_client.get(reverse("review:import_job_status", args=[job.pk]), **HANT).json()
    assert status["status_label"] == "已完成"
    assert status["progress_label"] == "2 / 2 個檔案"
    by_name = {item["filename"]: item for item in status["results"]}
    assert by_name["empty.txt"]["label"] == "拒絕"
    assert by_name["empty.txt"]["detail"] == "檔案是空的（0 位元組）"
    assert "匯入為" in by_name["good.txt"]["row_html"]


def test_the_import_page_and_a_duplicate_read_in_english(editor_client, finished_job, editor):
    again = jobs.start_upload_import([("good-again.txt", GOOD)], user=editor)
    html = editor_client.get(reverse("review:import"), **EN).content.decode()
    assert "Recent imports" in html and "Upload and import" in html
    assert f"Import job #{again.pk}" in html and "1 / 1 files" in html
    assert chinese_words(html) == []
    item = editor_client.get(reverse("review:import_job_status", args=[again.pk]), **EN).json()[
        "results"
    ][0]
    assert item["label"] == "Duplicate"
    assert "Same as <a" in item["row_html"] and "not imported again" in item["row_html"]


def test_a_broken_zip_is_refused_in_the_editors_language(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def broken():
        return SimpleUploadedFile("broken.zip", b"PK\x03\x04 not a zip at all")

    for headers, words in (
        (EN, "“broken.zip” is not a valid zip file"),
        (HANT, "「broken.zip」不是有效的 zip 檔案"),
        ({}, "“broken.zip”不是有效的 zip 文件"),
    ):
        response = editor_client.post(
            reverse("review:import"), {"files": [broken()], "encoding": ""}, **headers
        )
        assert response.status_code == 400
        assert words in response.content.decode()


# --- the digest composer -------------------------------------------------------------------------


@pytest.fixture
def approved(rumour_claim, reviewer):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    return rumour_claim


def test_the_digest_composer_reads_in_english_and_traditional(client, reviewer, approved):
    client.force_login(reviewer)
    html = client.get(reverse("review:digest_new"), **EN).content.decode()
    assert "<h1>New digest draft</h1>" in html and "Save draft" in html
    assert "Rumour (unverified)" in html  # the offered claim's verdict
    # The script's words come from the form, translated here.
    assert 'data-moved-up="Moved #%(id)s up to place %(place)s' in html
    assert chinese_words(html) == []

    html = client.get(reverse("review:digest_new"), **HANT).content.decode()
    assert "新增摘要草稿" in html and "儲存草稿" in html and "傳言（未證實）" in html
    assert 'data-moved-up="已將 #%(id)s 上移到第 %(place)s 則' in html

    html = client.get(reverse("review:digest_new")).content.decode()  # no language: Simplified
    assert "新建摘要草稿" in html and "传言（未证实）" in html
    assert 'data-moved-up="已把 #%(id)s 上移到第 %(place)s 条（保存草稿后生效）。"' in html


def test_the_composers_notes_and_lists_read_in_english(client, reviewer, approved, editor):
    other = services.create_claim(actor=editor, text="另一条待审的主张")
    client.force_login(reviewer)
    form = {"title": "T", "intro": "", "claims": [approved.pk, other.pk]}
    html = client.post(
        reverse("review:digest_new"), {**form, "move": f"down:{approved.pk}"}, **EN
    ).content.decode()
    assert f"Moved #{approved.pk} down to place 2." in html
    assert "No approved verdict yet" in html  # the claim without a verdict
    html = client.post(
        reverse("review:digest_new"), {**form, "move": f"up:{approved.pk}"}, **HANT
    ).content.decode()
    assert f"#{approved.pk} 已經在最前面。" in html

    digest = services.create_digest(actor=reviewer, title="Draft", claims=[approved])
    html = client.get(reverse("review:digest_list"), **EN).content.decode()
    assert "1 claim · Version 1" in html and "No digest has been published yet." in html
    html = client.get(reverse("review:digest_detail", args=[digest.pk]), **EN).content.decode()
    assert "Preview (what readers will see)" in html and "Rumour (unverified)" in html
    assert chinese_words(html) == []


# --- the assistant's panels ----------------------------------------------------------------------


def test_the_assistant_queue_reads_in_english(editor_client):
    html = editor_client.get(reverse("review:assistant_queue"), **EN).content.decode()
    assert "Claims with conflicting figures" in html and "None for now." in html
    assert chinese_words(html) == []


# --- the notices page and the e-mails ------------------------------------------------------------


def test_the_notices_page_reads_in_english_and_traditional(client, reviewer):
    reviewer.email = "reviewer@example.org"
    reviewer.save()
    client.force_login(reviewer)
    html = client.get(reverse("review:notices"), **EN).content.decode()
    assert "<h1>E-mail notices</h1>" in html
    assert "A verdict waits for my review" in html and "Receive e-mail notices" in html
    # The e-mail language's choices name each language in its own words, as the switch does.
    own_names = set(HAN.findall(" ".join(name for _code, name in settings.LANGUAGES)))
    assert [word for word in chinese_words(html) if word not in own_names] == []

    html = client.get(reverse("review:notices"), **HANT).content.decode()
    assert "<h1>電子郵件通知</h1>" in html and "有結論等待我審核" in html

    response = client.post(reverse("review:notices"), {"enabled": "on"}, follow=True, **EN)
    assert "E-mail notice settings saved." in response.content.decode()


def test_a_notice_is_written_in_the_desks_language_not_the_actors(
    tasks_at_once,
    client,
    settings,
    django_capture_on_commit_callbacks,
    rumour_claim,
    editor,
    reviewer,
):
    reviewer.email = "reviewer@example.org"
    reviewer.save()
    client.force_login(editor)
    claim = services.create_claim(actor=editor, text="第二条主张")

    def propose(**headers):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/review/claims/{claim.pk}/verdicts/new/",
                {"rating": "rumour", "rationale": "只有二手转述。"},
                **headers,
            )
        assert response.status_code == 302
        [message] = mail.outbox
        Claim.objects.get(pk=claim.pk).verdicts.all().delete()
        return message

    # The editor reads the desk in English; the reviewers get the desk's Simplified Chinese.
    message = propose(**EN)
    assert message.subject.startswith(f"【核查台】待审核：#{claim.pk}")
    assert "editor 对主张" in message.body and "传言（未证实）" in message.body
    assert "不想再收到这类邮件" in message.body

    settings.LANGUAGE_CODE = "zh-hant"
    message = propose()
    assert message.subject.startswith(f"【核查台】待審核：#{claim.pk}")
    assert "傳言（未證實）" in message.body and "前往審核：" in message.body

    settings.LANGUAGE_CODE = "en"
    message = propose(**HANT)
    assert message.subject.startswith(f"[Fact-check desk] To review: #{claim.pk}")
    assert "editor proposed the verdict “Rumour (unverified)”" in message.body
    assert "To stop e-mails like this one" in message.body and "主张：" not in message.body


def test_each_reviewer_gets_notices_in_the_language_they_chose(
    tasks_at_once,
    client,
    django_capture_on_commit_callbacks,
    rumour_claim,
    editor,
    reviewer,
    reviewer2,
):
    """The desk's switch is also the language of the user's e-mails; the notices page sets it
    too; a user who chose nothing gets the desk's."""
    for user in (reviewer, reviewer2):
        user.email = f"{user.username}@example.org"
        user.save()
    client.force_login(reviewer)
    switched = client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/review/"})
    assert switched.status_code == 302 and switched.cookies["django_language"].value == "zh-hant"
    assert NoticeSettings.objects.get(user=reviewer).language == "zh-hant"

    client.force_login(editor)
    claim = services.create_claim(actor=editor, text="第二条主张")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/review/claims/{claim.pk}/verdicts/new/",
            {"rating": "rumour", "rationale": "只有二手转述。"},
            **EN,
        )
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["reviewer@example.org"].subject.startswith(f"【核查台】待審核：#{claim.pk}")
    assert "傳言（未證實）" in sent["reviewer@example.org"].body
    assert sent["reviewer2@example.org"].subject.startswith(f"【核查台】待审核：#{claim.pk}")

    client.force_login(reviewer2)
    saved = client.post(
        reverse("review:notices"), {"enabled": "on", "review": "on", "language": "en"}
    )
    assert saved.status_code == 302
    assert NoticeSettings.objects.get(user=reviewer2).language == "en"
    mail.outbox.clear()
    other = services.create_claim(actor=editor, text="第三条主张")
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_verdict(other, actor=editor, rating="false", rationale="查无此事。")
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["reviewer2@example.org"].subject.startswith(
        f"[Fact-check desk] To review: #{other.pk}"
    )
    assert sent["reviewer@example.org"].subject.startswith(f"【核查台】待審核：#{other.pk}")


def test_the_language_switch_refuses_a_get_and_an_unknown_language(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/i18n/setlang/").status_code == 405
    client.post("/i18n/setlang/", {"language": "klingon", "next": "/review/"})
    assert not NoticeSettings.objects.filter(user=reviewer).exclude(language="").exists()
