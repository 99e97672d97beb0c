"""Imports in the background (sources.jobs, sources.tasks): through the task backend, with
progress and each file's outcome stored, refused files reported and nothing stored of them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from sources import jobs
from sources.models import Article, ImportJob, ImportUpload
from tests.conftest import SEEDS

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

GOOD = "标题一\n正文第一句，内容。\n来源：中央社\n".encode()
BIG5 = "標題二\n正文第二句，內容不同。\n來源：聯合報\n".encode("big5")


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_an_upload_job_runs_through_the_task_backend_and_reports_each_file(db, immediate, editor):
    job = jobs.start_upload_import(
        [
            upload("good.txt", GOOD),
            upload("empty.txt", b""),
            ("big5.txt", BIG5),
            ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
            ("again.txt", GOOD),
        ],
        user=editor,
    )
    assert job.status == ImportJob.Status.DONE and job.task_id
    assert (job.total, job.done, job.imported, job.unchanged, job.refused) == (5, 5, 2, 1, 2)
    assert job.created_by == editor and job.finished_at >= job.started_at
    by_name = {r["filename"]: r for r in job.results}
    assert [r["filename"] for r in job.results] == [
        "good.txt",
        "empty.txt",
        "big5.txt",
        "picture.png",
        "again.txt",
    ]
    good = Article.objects.get(pk=by_name["good.txt"]["article"])
    assert good.filename == "good.txt" and by_name["good.txt"]["status"] == "imported"
    assert by_name["empty.txt"] == {
        "filename": "empty.txt",
        "status": "refused",
        "message": "refused: is empty (0 bytes)",
        "article": None,
        "code": "empty",
        "params": {},
    }
    assert by_name["picture.png"]["message"] == "refused: is a binary file, not text (PNG image)"
    assert (
        by_name["again.txt"]["status"] == "unchanged" and by_name["again.txt"]["article"] == good.pk
    )
    assert Article.objects.get(pk=by_name["big5.txt"]["article"]).encoding == "big5"
    # Refused files left nothing behind; the uploaded bytes are gone once imported.
    assert Article.objects.count() == 2
    assert not ImportUpload.objects.exists()


def test_a_path_job_imports_files_and_folders_on_the_workers_disk(db, immediate, tmp_path):
    (tmp_path / "bad.txt").write_bytes("标题\n正文\x07响铃。\n".encode())
    job = jobs.start_path_import([SEEDS, tmp_path, tmp_path / "missing.txt"])
    assert job.status == "done" and (job.total, job.imported, job.refused) == (7, 5, 2)
    refused = {r["filename"]: r["message"] for r in job.results if r["status"] == "refused"}
    assert refused[str(tmp_path / "missing.txt")] == "refused: no such file or folder"
    assert str(tmp_path / "bad.txt") in refused
    assert Article.objects.count() == 5
    # The same files again: every one already imported.
    again = jobs.start_path_import([SEEDS])
    assert (again.total, again.imported, again.unchanged) == (5, 0, 5)


def test_a_forced_encoding_applies_to_every_file(db, immediate):
    job = jobs.start_upload_import(
        [("gb.txt", "标题\n正文第一句。\n".encode("gb18030"))], encoding="utf-8"
    )
    assert job.refused == 1 and job.results[0]["message"].startswith(
        "refused: cannot be read as utf-8"
    )
    assert Article.objects.count() == 0


def test_awkward_upload_names_are_kept_apart_and_safe(db, immediate):
    job = jobs.start_upload_import(
        [
            ("../../etc/x.txt", GOOD),
            ("", BIG5),
            ("x.txt", b""),
            ("a\udcff\x00b.txt", b""),
            ("長" * 300 + ".txt", b""),
        ]
    )
    names = [r["filename"] for r in job.results]
    assert names[:4] == ["x.txt", "upload-2", "x.txt", "upload-4"]
    assert names[4].endswith("長.txt") and len(names[4].encode()) <= 200
    assert [r["status"] for r in job.results] == [
        "imported",
        "imported",
        "refused",
        "refused",
        "refused",
    ]


def test_the_database_backend_queues_the_job_until_the_worker_runs_it(transactional_db, settings):
    settings.TASKS = DATABASE
    job = jobs.start_upload_import([("good.txt", GOOD), ("empty.txt", b"")])
    assert job.status == "queued" and job.done == 0 and ImportUpload.objects.count() == 2
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == "done" and (job.imported, job.refused) == (1, 1)
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert Article.objects.count() == 1


def test_a_finished_job_is_not_imported_twice(db, immediate):
    job = jobs.start_upload_import([("good.txt", GOOD)])
    assert jobs.run_import_job(job.pk)["imported"] == 1  # the stored outcome, unchanged
    assert Article.objects.count() == 1


def test_a_job_that_stops_says_why(db, immediate, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "import_paths", broken)
    job = jobs.start_upload_import([("good.txt", GOOD)])
    assert job.status == "failed" and "disk on fire" in job.error
    assert ImportUpload.objects.filter(job=job).exists()  # kept for another try


# --- the status endpoint ----------------------------------------------------------------------


def status_url(pk):
    return reverse("api-import", args=[pk])


def test_editors_poll_a_jobs_status(db, immediate, editor):
    job = jobs.start_upload_import([("good.txt", GOOD), ("empty.txt", b"")], user=editor)
    client = APIClient()
    client.force_authenticate(editor)
    answer = client.get(status_url(job.pk))
    assert answer.status_code == 200
    data = answer.json()
    assert data["status"] == "done" and data["finished"] is True
    assert (data["total"], data["done"], data["imported"], data["failed"]) == (2, 2, 1, 1)
    assert data["results"][1] == {
        "filename": "empty.txt",
        "status": "refused",
        "message": "refused: is empty (0 bytes)",
        "article": None,
        "code": "empty",
        "params": {},
    }
    assert answer["Cache-Control"].startswith("private") or "no-store" in answer["Cache-Control"]


def test_a_poller_asks_for_the_new_outcomes_only(db, immediate, editor):
    job = jobs.start_upload_import(
        [("good.txt", GOOD), ("empty.txt", b""), ("big5.txt", BIG5)], user=editor
    )
    client = APIClient()
    client.force_authenticate(editor)
    every = client.get(status_url(job.pk)).json()
    assert (every["since"], every["next"], len(every["results"])) == (0, 3, 3)
    later = client.get(status_url(job.pk), {"since": 2}).json()
    assert (later["since"], later["next"]) == (2, 3)
    assert [r["filename"] for r in later["results"]] == ["big5.txt"]
    assert later["done"] == 3 and later["refused"] == 1  # the counts are the whole job's
    assert client.get(status_url(job.pk), {"since": 7}).json()["results"] == []


@pytest.mark.parametrize("since", ["-1", "x", "9" * 30])
def test_a_bad_since_is_a_400_that_names_it(db, immediate, editor, since):
    job = jobs.start_upload_import([("good.txt", GOOD)], user=editor)
    client = APIClient()
    client.force_authenticate(editor)
    answer = client.get(status_url(job.pk), {"since": since})
    assert answer.status_code == 400 and "since" in answer.json()


@pytest.mark.parametrize("pk", ["999999", "abc", "0.5", "99999999999999999999999"])
def test_a_missing_or_malformed_job_is_a_json_404(db, editor, pk):
    client = APIClient()
    client.force_authenticate(editor)
    answer = client.get(status_url(pk))
    assert answer.status_code == 404 and "detail" in answer.json()


def test_anonymous_readers_cannot_see_imports(db, immediate):
    job = jobs.start_upload_import([("good.txt", GOOD)])
    answer = APIClient().get(status_url(job.pk))
    assert answer.status_code in (401, 403) and "detail" in answer.json()


# --- the admin's upload form: many files go to the background ---------------------------------


def test_the_admin_sends_many_files_to_the_background_and_shows_the_job(
    admin_client, immediate, settings
):
    settings.NEWSROOM_IMPORT_BACKGROUND_FILES = 2
    files = [
        upload(f"{n}.txt", f"标题{n}\n第{n}篇正文，内容各不相同。\n".encode()) for n in range(3)
    ]
    response = admin_client.post(
        reverse("admin:sources_article_upload"), {"files": files, "encoding": ""}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:sources_importjob_change", args=[job.pk])
    assert job.imported == 3 and Article.objects.count() == 3
    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    assert "3 / 3" in page.content.decode() and "2.txt：已导入（文章 #" in page.content.decode()


def test_the_admins_job_page_lists_a_hundred_outcomes_and_links_to_the_rest(admin_client):
    results = [
        {"filename": f"{n}.txt", "status": "refused", "message": "", "article": None}
        for n in range(103)
    ]
    job = ImportJob.objects.create(
        status=ImportJob.Status.DONE, total=103, done=103, refused=103, results=results
    )
    page = admin_client.get(reverse("admin:sources_importjob_change", args=[job.pk]))
    html = page.content.decode()
    assert "99.txt" in html and "100.txt" not in html
    desk_page = reverse("review:import_job", args=[job.pk])
    assert f'<a href="{desk_page}">还有 3 个文件：见该任务在核查台的页面</a>' in html


def test_the_admin_sends_a_job_whose_worker_stopped_to_its_page_in_the_desk(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    then = timezone.now() - timedelta(minutes=11)
    job = ImportJob.objects.create(
        status=ImportJob.Status.RUNNING, total=4, done=1, started_at=then, progressed_at=then
    )
    moving = ImportJob.objects.create(
        status=ImportJob.Status.RUNNING, total=4, done=1, started_at=timezone.now()
    )
    page = admin_client.get(reverse("admin:sources_importjob_change", args=[job.pk]))
    desk_page = reverse("review:import_job", args=[job.pk])
    assert (
        f'1 / 4 · <a href="{desk_page}">已停止：请到它的页面重新开始</a>' in page.content.decode()
    )
    page = admin_client.get(reverse("admin:sources_importjob_changelist"))
    assert desk_page in page.content.decode()
    assert reverse("review:import_job", args=[moving.pk]) not in page.content.decode()
