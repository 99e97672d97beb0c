"""Importing from the desk (/review/import/): many files or a zip, imported in the background,
with a page that shows the job's progress and each file's result in Chinese."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.assistant.models import KnownClaim
from sources import jobs, uploads
from sources import text as scripts
from sources.importer import import_paths
from sources.models import Article, ArticleFile, ImportJob, ImportUpload
from tests.conftest import SEEDS, make_user

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

BIG5 = "颱風過境\n颱風昨晚登陸宜蘭，氣象署表示今日風雨逐漸減弱。\n來源：中央社\n".encode("big5")
NEW_GB = "新闻标题\n市政府今天宣布地铁三号线将于明年通车，沿线居民表示期待。\n".encode("gb18030")


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def seed(number):
    [path] = SEEDS.glob(f"{number}_*.txt")
    return path


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def seed_upload(number):
    path = seed(number)
    return upload(path.name, path.read_bytes())


def post(client, files, encoding=""):
    return client.post(reverse("review:import"), {"files": files, "encoding": encoding})


def make_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name.endswith("/"):
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def rows(page):
    """Each file's row on the job page, as text, by file name."""
    html = page.content.decode()
    found = {}
    for row in re.findall(
        r'<li class="import-row.*?</li>\s*(?=<li class="import-row|</ol>)', html, re.S
    ):
        name = re.search(r'<span class="filename">(.*?)</span>', row).group(1)
        found[name] = row
    return found


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


# --- uploading several files ---------------------------------------------------------------


def test_an_editor_uploads_files_and_reads_each_result_in_chinese(editor_client, immediate):
    seed_000 = seed("000").read_bytes().decode("utf-8")
    # Seed 000 again, in the other script and GB18030: the same article, not imported twice.
    other_script = scripts.convert(
        seed_000, "t2s" if scripts.detect_script(seed_000) == "hant" else "s2t"
    )
    files = [
        seed_upload("000"),
        seed_upload("001"),
        upload("typhoon-big5.txt", BIG5),
        upload("copy-of-000.txt", other_script.encode("gb18030")),
        upload("empty.txt", b""),
        upload("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ]
    response = post(editor_client, files)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review:import_job", args=[job.pk])
    assert (job.status, job.total, job.imported, job.unchanged, job.refused) == ("done", 6, 3, 1, 2)
    assert job.created_by.username == "editor"

    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "已开始导入 6 个文件" in html  # the message after the redirect
    assert "已完成" in html and 'max="6" value="6"' in html
    by_name = rows(page)
    assert list(by_name) == [
        seed("000").name,
        seed("001").name,
        "typhoon-big5.txt",
        "copy-of-000.txt",
        "empty.txt",
        "photo.png",
    ]
    first = Article.objects.get(filename=seed("000").name)
    typhoon = Article.objects.get(filename="typhoon-big5.txt")
    assert typhoon.encoding == "big5"
    # Imported: a link to the article's reader page, with its script and encoding.
    assert "已导入" in by_name["typhoon-big5.txt"]
    assert f'href="{reverse("review:article", args=[typhoon.pk])}"' in by_name["typhoon-big5.txt"]
    assert "繁体，Big5" in text_of(by_name["typhoon-big5.txt"])
    # The duplicate names the article it repeats, and both copies' script and encoding.
    duplicate = text_of(by_name["copy-of-000.txt"])
    assert "重复" in duplicate and f"文章 #{first.pk}" in duplicate
    assert f'href="{reverse("review:article", args=[first.pk])}"' in by_name["copy-of-000.txt"]
    copy_script = "简体" if first.script == "hant" else "繁体"
    assert f"此文件：{copy_script}，GB18030" in duplicate
    assert "已存的文章：" in duplicate and "UTF-8" in duplicate
    assert ArticleFile.objects.filter(article=first, encoding="gb18030").exists()
    # Refused files say why, in Chinese, and left nothing behind.
    assert "拒绝" in by_name["empty.txt"] and "文件是空的（0 字节）" in by_name["empty.txt"]
    assert "不是文本文件（PNG 图片）" in by_name["photo.png"]
    assert "refused" not in text_of(by_name["photo.png"])
    assert Article.objects.count() == 3
    assert not Article.objects.filter(filename__in=["empty.txt", "photo.png"]).exists()
    assert not ImportUpload.objects.exists()  # the uploaded bytes are gone once imported


def test_a_forced_encoding_applies_and_a_wrong_one_is_refused_in_chinese(editor_client, immediate):
    utf8 = "天气预报\n明天全市晴转多云，气温回升。\n".encode()
    post(editor_client, [upload("utf8.txt", utf8), upload("gb.txt", NEW_GB)], encoding="utf-8")
    job = ImportJob.objects.get()
    assert (job.encoding, job.imported, job.refused) == ("utf-8", 1, 1)
    page = editor_client.get(reverse("review:import_job", args=[job.pk]))
    assert "编码：utf-8" in page.content.decode()
    assert "无法按 UTF-8 读取（第 1 个字节起无效）；可改选“自动识别”再试" in rows(page)["gb.txt"]
    assert not Article.objects.filter(filename="gb.txt").exists()


def test_a_file_over_the_size_limit_is_refused_unread(editor_client, immediate, settings):
    settings.IMPORT_MAX_BYTES = 200
    post(
        editor_client, [upload("big.txt", "很长的文章。".encode() * 100), upload("gb.txt", NEW_GB)]
    )
    job = ImportJob.objects.get()
    assert (job.imported, job.refused) == (1, 1)
    [refused] = [r for r in job.results if r["status"] == "refused"]
    assert refused["code"] == "too_large" and refused["params"]["size"] == 1800
    page = editor_client.get(reverse("review:import_job", args=[job.pk]))
    assert "文件过大（1,800 字节" in rows(page)["big.txt"]
    assert not Article.objects.filter(filename="big.txt").exists()


def test_an_upload_without_files_is_a_400_with_a_message(editor_client):
    response = editor_client.post(reverse("review:import"), {"encoding": ""})
    assert response.status_code == 400
    assert "请选择要导入的文件。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_unknown_encoding_is_a_400(editor_client):
    response = post(editor_client, [upload("a.txt", NEW_GB)], encoding="latin-1")
    assert response.status_code == 400 and "请从列表中选择编码。" in response.content.decode()
    assert not ImportJob.objects.exists()


# --- zips ------------------------------------------------------------------------------------


def test_a_zips_files_are_imported_and_its_folders_and_data_files_skipped(editor_client, immediate):
    data = make_zip(
        [
            ("articles/", b""),
            (f"articles/{seed('002').name}", seed("002").read_bytes()),
            ("articles/typhoon.txt", BIG5),
            ("articles/review.yaml", b"claims: []\n"),
            ("__MACOSX/articles/._typhoon.txt", b"\x00\x05\x16\x07"),
            (".DS_Store", b"\x00\x00\x00\x01Bud1"),
        ]
    )
    response = post(editor_client, [upload("batch.ZIP", data)])
    job = ImportJob.objects.get()
    assert response.status_code == 302 and (job.total, job.imported) == (2, 2)
    page = editor_client.get(response["Location"])
    html = page.content.decode()
    assert list(rows(page)) == [seed("002").name, "typhoon.txt"]
    assert "zip 中有 3 个隐藏文件或数据文件未导入" in html and "review.yaml" in html
    assert Article.objects.filter(filename="typhoon.txt", encoding="big5").exists()


def test_zip_member_names_written_in_gbk_are_read(editor_client, immediate):
    # Written as Chinese Windows does: the name in GBK, without the UTF-8 flag.
    name = "新闻稿.txt".encode("gbk")
    data = make_zip([("ABCDEF.txt", NEW_GB)]).replace(b"ABCDEF.txt", name)
    post(editor_client, [upload("gbk-names.zip", data)])
    assert ImportJob.objects.get().results[0]["filename"] == "新闻稿.txt"


def test_files_and_zips_go_together_and_an_oversized_member_is_refused(
    editor_client, immediate, settings
):
    settings.IMPORT_MAX_BYTES = 300
    data = make_zip([("big.txt", "很长。".encode() * 100), ("gb.txt", NEW_GB)])
    post(editor_client, [upload("typhoon.txt", BIG5), upload("two.zip", data)])
    job = ImportJob.objects.get()
    assert [(r["filename"], r["status"]) for r in job.results] == [
        ("typhoon.txt", "imported"),
        ("big.txt", "refused"),
        ("gb.txt", "imported"),
    ]
    assert job.results[1]["code"] == "too_large"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"this is not a zip at all", "不是有效的 zip 文件"),
        (b"PK\x03\x04" + b"\x00" * 40, "不是有效的 zip 文件"),
    ],
)
def test_a_broken_zip_is_a_400_with_a_message_and_nothing_stored(editor_client, data, message):
    response = post(editor_client, [upload("typhoon.txt", BIG5), upload("broken.zip", data)])
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "broken.zip" in html and 'role="alert"' in html
    assert not ImportJob.objects.exists() and not ImportUpload.objects.exists()
    assert not Article.objects.exists()


def test_a_zip_whose_member_fails_its_checksum_is_refused(editor_client):
    data = bytearray(make_zip([("gb.txt", NEW_GB)]))
    # Flip a byte of the stored data (ZIP_DEFLATED: the compressed bytes follow the name).
    at = data.index(b"gb.txt") + len(b"gb.txt") + 2
    data[at] ^= 0xFF
    response = post(editor_client, [upload("bad.zip", bytes(data))])
    assert response.status_code == 400 and "不是有效的 zip 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_encrypted_zip_is_refused(editor_client):
    data = bytearray(make_zip([("gb.txt", NEW_GB)]))
    # The "encrypted" flag, in the member's local header and in the zip's directory.
    data[data.index(b"PK\x03\x04") + 6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1
    response = post(editor_client, [upload("secret.zip", bytes(data))])
    assert response.status_code == 400 and "“secret.zip”有密码保护" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_with_too_many_members_is_refused(editor_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_MEMBERS", 3)
    data = make_zip([(f"{n}.txt", f"第{n}篇。".encode()) for n in range(4)])
    response = post(editor_client, [upload("many.zip", data)])
    assert response.status_code == 400
    assert "“many.zip”中有 4 项，超过上限 3 项" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_that_unpacks_to_too_many_bytes_is_refused(editor_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_TOTAL_BYTES", 10_000)
    # 3 files of 4,000 bytes each: a small zip, 12,000 bytes unpacked.
    data = make_zip([(f"{n}.txt", b"a" * 4000) for n in range(3)])
    assert len(data) < 10_000
    response = post(editor_client, [upload("bomb.zip", data)])
    assert response.status_code == 400
    assert "“bomb.zip”解压后超过" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_many_files_in_one_upload_are_refused(editor_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILES", 2)
    data = make_zip([(f"{n}.txt", f"第{n}篇。".encode()) for n in range(3)])
    response = post(editor_client, [upload("three.zip", data)])
    assert response.status_code == 400 and "一次最多导入 2 个文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_more_files_than_a_request_may_carry_are_a_400_that_says_so(editor_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    response = post(editor_client, [upload(f"{n}.txt", NEW_GB) for n in range(4)])
    assert response.status_code == 400
    assert "一次上传的文件太多（上限 3 个）" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_with_nothing_to_import_is_refused(editor_client):
    data = make_zip([("folder/", b""), ("review.yaml", b"a: 1\n")])
    response = post(editor_client, [upload("empty.zip", data)])
    assert response.status_code == 400 and "没有可导入的文件" in response.content.decode()
    assert not ImportJob.objects.exists()


# --- known claims ----------------------------------------------------------------------------


def test_a_file_that_repeats_a_known_claim_says_so_with_the_claim_and_its_verdict(
    editor_client, immediate, rumour_claim, checks_every_request
):
    repeat = (
        "Llama团队人事传闻\n"
        "网上流传一则消息：据说Meta的Llama 4团队约80%的成员已经集体递交辞呈。\n"
        "Meta方面尚未回应，多位员工在社交媒体上否认。\n"
    ).encode()
    response = post(editor_client, [upload("rumour-again.txt", repeat), upload("gb.txt", NEW_GB)])
    job = ImportJob.objects.get()
    article = Article.objects.get(filename="rumour-again.txt")
    assert KnownClaim.objects.filter(article=article, claim=rumour_claim).exists()
    page = editor_client.get(response["Location"])
    by_name = rows(page)
    row = by_name["rumour-again.txt"]
    assert "重复已知主张" in row
    assert f'href="{reverse("review:claim", args=[rumour_claim.pk])}"' in row
    assert f"主张 #{rumour_claim.pk}" in row and "结论待审核：传言（未证实）" in row
    assert "重复已知主张" not in by_name["gb.txt"]
    assert '<strong data-count="known_claims">1</strong>' in page.content.decode()
    status = editor_client.get(reverse("review:import_job_status", args=[job.pk])).json()
    assert status["counts"]["known_claims"] == 1
    [known] = status["results"][0]["known_claims"]
    assert known["claim"] == rumour_claim.pk and known["state"] == "proposed"
    # The page shows those files alone on asking.
    only = editor_client.get(response["Location"], {"outcome": "known_claims"})
    assert only.status_code == 200 and list(rows(only)) == ["rumour-again.txt"]
    assert re.search(r'aria-current="page">重复已知主张 <strong', only.content.decode())


# --- a job of many files: a page at a time, or one outcome's files ------------------------------


def texts(count, offset=0):
    return [
        (f"{n}.txt", f"标题{n}\n第{n}篇正文，内容各不相同。\n".encode())
        for n in range(offset, offset + count)
    ]


@pytest.fixture
def page_of_two(monkeypatch):
    """Pages of two files' results (a hundred at work), so that a few files fill pages."""
    from claims.views import imports

    monkeypatch.setattr(imports, "RESULTS_PER_PAGE", 2)


def test_a_big_job_lists_its_files_a_page_at_a_time(editor_client, immediate, editor, page_of_two):
    job = jobs.start_upload_import([*texts(2), ("empty.txt", b""), *texts(2, 10)], user=editor)
    url = reverse("review:import_job", args=[job.pk])
    first = editor_client.get(url)
    assert list(rows(first)) == ["0.txt", "1.txt"]
    html = first.content.decode()
    assert "第 1–2 条，共 5 条" in html and 'rel="next"' in html
    # A page that does not show the end of the list takes no new rows from the script.
    assert 'data-live="0" data-room="0"' in html
    third = editor_client.get(url, {"page": 3})
    assert list(rows(third)) == ["11.txt"]
    assert 'data-next="5" data-live="1" data-room="1"' in third.content.decode()
    # Every file once, in the order of the upload.
    names = [name for n in (1, 2, 3) for name in rows(editor_client.get(url, {"page": n}))]
    assert names == ["0.txt", "1.txt", "empty.txt", "10.txt", "11.txt"]
    # The end of the list on a full page (a job part way, four files done): the script puts
    # the next rows on the next page, and the page links to it when they come.
    job.results = job.results[:4]
    job.save(update_fields=["results"])
    second = editor_client.get(url, {"page": 2})
    assert list(rows(second)) == ["empty.txt", "10.txt"]
    assert 'data-next="4" data-live="1" data-room="0"' in second.content.decode()
    assert (
        'id="import-more" hidden><a href="?page=3#import-results-heading"'
        in second.content.decode()
    )


def test_the_job_page_shows_one_outcomes_files_on_asking(
    editor_client, immediate, editor, page_of_two
):
    job = jobs.start_upload_import(
        [("a.txt", b""), *texts(3), ("b.txt", b"\x89PNG\r\n\x1a\n\x00"), ("c.txt", b"")],
        user=editor,
    )
    url = reverse("review:import_job", args=[job.pk])
    refused = editor_client.get(url, {"outcome": "refused"})
    assert refused.status_code == 200 and list(rows(refused)) == ["a.txt", "b.txt"]
    html = refused.content.decode()
    # Each row keeps its place in the job: the script and the links find it by it.
    assert 'id="file-0"' in html and 'id="file-4"' in html
    assert re.search(r'aria-current="page">拒绝 <strong data-count="refused">3</strong>', html)
    assert re.search(r'>全部 <strong data-count="done">6</strong>', html)
    assert 'data-room="0"' in html  # a filtered page takes no new rows
    second = editor_client.get(url, {"outcome": "refused", "page": 2})
    assert list(rows(second)) == ["c.txt"]
    imported = editor_client.get(url, {"outcome": "imported"})
    assert list(rows(imported)) == ["0.txt", "1.txt"]
    none = editor_client.get(url, {"outcome": "known_claims"})
    assert list(rows(none)) == [] and "还没有这一类的文件" in none.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ({"outcome": "<b>lost</b>"}, "本页不能按“&lt;b&gt;lost&lt;/b&gt;”显示文件"),
        ({"page": "x"}, "“x”不是页码"),
        ({"page": "0", "outcome": "refused"}, "“0”不是页码"),
    ],
)
def test_a_bad_outcome_or_page_is_a_400_that_says_so_and_shows_the_first_page(
    editor_client, immediate, editor, page_of_two, query, message
):
    job = jobs.start_upload_import([("a.txt", b""), *texts(3)], user=editor)
    answer = editor_client.get(reverse("review:import_job", args=[job.pk]), query)
    assert answer.status_code == 400 and message in answer.content.decode()
    expected = ["a.txt"] if query.get("outcome") == "refused" else ["a.txt", "0.txt"]
    assert list(rows(answer)) == expected


def test_the_status_json_sends_at_most_the_rows_asked_for(editor_client, immediate, editor):
    job = jobs.start_upload_import(texts(4), user=editor)
    url = reverse("review:import_job_status", args=[job.pk])
    data = editor_client.get(url, {"since": 1, "limit": 2}).json()
    assert [r["index"] for r in data["results"]] == [1, 2] and data["next"] == 3
    data = editor_client.get(url, {"since": 3, "limit": 0}).json()
    assert data["results"] == [] and data["next"] == 3 and data["done"] == 4
    assert len(editor_client.get(url).json()["results"]) == 4


@pytest.mark.parametrize("limit", ["-1", "x", "101", "9" * 5000])
def test_a_bad_limit_is_a_json_400(editor_client, immediate, editor, limit):
    job = jobs.start_upload_import(texts(1), user=editor)
    answer = editor_client.get(reverse("review:import_job_status", args=[job.pk]), {"limit": limit})
    assert answer.status_code == 400 and "limit" in answer.json()["detail"]


# --- the status JSON and the page while a job runs -------------------------------------------


def test_the_status_json_follows_a_queued_job_until_it_is_done(editor_client, editor, settings):
    settings.TASKS = DATABASE
    job = jobs.start_upload_import(
        [("typhoon.txt", BIG5), ("empty.txt", b""), ("gb.txt", NEW_GB)], user=editor
    )
    url = reverse("review:import_job_status", args=[job.pk])
    queued = editor_client.get(url)
    assert queued.status_code == 200 and "no-store" in queued["Cache-Control"]
    data = queued.json()
    assert (data["status"], data["status_label"], data["finished"]) == ("queued", "排队中", False)
    assert (data["total"], data["done"], data["next"], data["results"]) == (3, 0, 0, [])
    assert data["progress_label"] == "0 / 3 个文件"
    # Without JavaScript the page shows the same state, with a link to reload it.
    page = editor_client.get(reverse("review:import_job", args=[job.pk])).content.decode()
    assert 'data-finished="0"' in page and 'max="3" value="0"' in page and "刷新本页" in page
    assert 'src="/static/review/import.js"' in page
    assert '<label id="import-progress-label" for="import-progress">' in page

    jobs.run_import_job(job.pk)  # what the worker does
    data = editor_client.get(url).json()
    assert (data["status"], data["status_label"], data["finished"]) == ("done", "已完成", True)
    assert (data["done"], data["next"]) == (3, 3)
    assert data["counts"] == {"imported": 2, "unchanged": 0, "refused": 1, "known_claims": 0}
    assert [(r["index"], r["filename"], r["label"]) for r in data["results"]] == [
        (0, "typhoon.txt", "已导入"),
        (1, "empty.txt", "拒绝"),
        (2, "gb.txt", "已导入"),
    ]
    assert data["results"][1]["detail"] == "文件是空的（0 字节）"
    # A text that credits no outlet: the placeholder named in the editor's words.
    assert data["results"][2]["detail"] == "简体，GB18030；来源：未知来源"
    typhoon = Article.objects.get(filename="typhoon.txt")
    assert data["results"][0]["article"]["url"] == reverse("review:article", args=[typhoon.pk])
    assert 'id="file-0"' in data["results"][0]["row_html"]
    # The page asks only for the rows it lacks.
    later = editor_client.get(url, {"since": 2}).json()
    assert later["since"] == 2 and [r["filename"] for r in later["results"]] == ["gb.txt"]
    assert editor_client.get(url, {"since": 9}).json()["results"] == []


def test_the_job_page_and_its_status_query_alike_for_few_files_and_many(
    editor_client, immediate, editor, rumour_claim
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def texts(count, offset):
        return [
            (f"{n}.txt", f"标题{n}\n第{n}篇正文，内容各不相同。\n".encode())
            for n in range(offset, offset + count)
        ]

    counts = []
    for job in [
        jobs.start_upload_import(texts(2, 0), user=editor),
        jobs.start_upload_import(texts(12, 100), user=editor),
    ]:
        for url in [
            reverse("review:import_job", args=[job.pk]),
            reverse("review:import_job_status", args=[job.pk]),
        ]:
            with CaptureQueriesContext(connection) as queries:
                assert editor_client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:], counts


@pytest.mark.parametrize("since", ["-1", "abc", "1.5", "9" * 20])
def test_a_bad_since_is_a_json_400(editor_client, immediate, editor, since):
    job = jobs.start_upload_import([("gb.txt", NEW_GB)], user=editor)
    answer = editor_client.get(reverse("review:import_job_status", args=[job.pk]), {"since": since})
    assert answer.status_code == 400 and "detail" in answer.json()


def test_a_missing_job_is_a_404(editor_client):
    assert editor_client.get(reverse("review:import_job", args=[999999])).status_code == 404
    answer = editor_client.get(reverse("review:import_job_status", args=[999999]))
    assert answer.status_code == 404 and "detail" in answer.json()
    assert editor_client.get("/review/import/99999999999999999999999/").status_code == 404


def test_a_job_that_stopped_says_so(editor_client):
    job = ImportJob.objects.create(
        status=ImportJob.Status.FAILED, total=3, done=1, refused=1, error="OperationalError: gone"
    )
    job.results = [
        {"filename": "x.txt", "status": "refused", "message": "refused: odd", "article": None}
    ]
    job.save()
    page = editor_client.get(reverse("review:import_job", args=[job.pk])).content.decode()
    assert "出错停止" in page and "任务中途停止" in page and "OperationalError: gone" in page
    # A result stored before refusals had codes: the importer's own words.
    assert "未能导入（odd）" in page


# --- who may import --------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in_and_nothing_is_stored(db, client, immediate):
    page = client.get(reverse("review:import"))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    response = post(client, [upload("gb.txt", NEW_GB)])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ImportJob.objects.exists() and not Article.objects.exists()


def test_users_who_are_not_editors_cannot_import_or_follow_imports(client, immediate, editor):
    job = jobs.start_upload_import([("gb.txt", NEW_GB)], user=editor)
    viewer = make_user("viewer")
    client.force_login(viewer)
    assert client.get(reverse("review:import")).status_code == 403
    response = post(client, [upload("typhoon.txt", BIG5)])
    assert response.status_code == 403 and "只有编辑和审核员" in response.content.decode()
    assert ImportJob.objects.count() == 1 and not Article.objects.filter(filename="typhoon.txt")
    assert client.get(reverse("review:import_job", args=[job.pk])).status_code == 403
    answer = client.get(reverse("review:import_job_status", args=[job.pk]))
    assert answer.status_code == 403 and "results" not in answer.json()
    client.logout()
    answer = client.get(reverse("review:import_job_status", args=[job.pk]))
    assert answer.status_code == 401 and "results" not in answer.json()


def test_the_upload_form_is_csrf_protected(editor, immediate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(reverse("review:import"))
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = post(client, [upload("gb.txt", NEW_GB)])
    assert response.status_code == 403
    assert not ImportJob.objects.exists() and not Article.objects.exists()


# --- where editors find it -------------------------------------------------------------------


def test_the_review_navigation_and_the_queue_link_to_the_import_page(editor_client):
    queue = editor_client.get(reverse("review:queue")).content.decode()
    assert queue.count(f'href="{reverse("review:import")}"') == 2  # navigation and queue


def test_the_import_page_lists_recent_jobs_newest_first_and_capped(
    editor_client, immediate, editor, monkeypatch
):
    from claims.views import imports

    monkeypatch.setattr(imports, "RECENT_JOBS", 2)
    made = [jobs.start_upload_import([(f"{n}.txt", NEW_GB)], user=editor) for n in range(3)]
    page = editor_client.get(reverse("review:import"))
    html = page.content.decode()
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in html
    assert 'name="files"' in html and "multiple" in html and 'name="encoding"' in html
    listed = re.findall(r"导入任务 #(\d+)</a>", html)
    assert listed == [str(made[2].pk), str(made[1].pk)]
    assert "已完成" in html and "只列出最近 2 次导入" in html


def test_a_job_no_worker_takes_says_so_on_its_page_and_in_its_status(editor_client, settings):
    """Without a worker (the database backend, nothing running it) the job stays queued: after
    a while the page says the worker is not running, instead of a bar that never moves."""
    settings.TASKS = DATABASE
    assert post(editor_client, [seed_upload("000")]).status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    page = editor_client.get(reverse("review:import_job", args=[job.pk])).content.decode()
    assert re.search(r'id="import-stalled"[^>]*hidden', page)

    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    page = editor_client.get(reverse("review:import_job", args=[job.pk])).content.decode()
    assert not re.search(r'id="import-stalled"[^>]*hidden', page)
    assert "后台工作进程没有在处理导入" in page
    status = editor_client.get(reverse("review:import_job_status", args=[job.pk])).json()
    assert status["stalled"] is True and status["status"] == "queued"


# --- a job whose worker stopped in the middle ------------------------------------------------


def left_running_by_a_worker_that_stopped(editor_client, settings, minutes_ago):
    """An upload of seeds 000 and 001 whose worker imported 000 and then stopped (a deployment,
    a crash), `minutes_ago` minutes after its last progress."""
    settings.TASKS = DATABASE  # no worker runs it: the test plays the one that stopped
    assert post(editor_client, [seed_upload("000"), seed_upload("001")]).status_code == 302
    job = ImportJob.objects.get()
    import_paths([seed("000")])  # what the worker imported before it stopped
    assert Article.objects.count() == 1
    settings.TASKS = IMMEDIATE  # the worker that runs it once it is queued again
    then = timezone.now() - timedelta(minutes=minutes_ago)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=then, progressed_at=then, total=2
    )
    return ImportJob.objects.get(pk=job.pk)


def test_a_job_whose_worker_stopped_says_so_and_is_started_again_from_its_page(
    editor_client, settings
):
    job = left_running_by_a_worker_that_stopped(editor_client, settings, minutes_ago=11)
    page = editor_client.get(reverse("review:import_job", args=[job.pk])).content.decode()
    assert not re.search(r'id="import-stopped"[^>]*hidden', page)
    assert "超过 10 分钟没有进展" in page and "重新开始导入" in page
    resume_url = reverse("review:import_job_resume", args=[job.pk])
    assert f'action="{resume_url}"' in page
    status = editor_client.get(reverse("review:import_job_status", args=[job.pk])).json()
    assert status["stopped"] is True and status["status"] == "running"

    page = editor_client.post(resume_url, follow=True)
    assert "导入任务已重新排队" in page.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not jobs.has_stopped(job)
    # From the start: the file imported before the stop is a duplicate of itself, the other
    # is imported, and no article is there twice.
    assert [(r["filename"], r["status"]) for r in job.results] == [
        (seed("000").name, "unchanged"),
        (seed("001").name, "imported"),
    ]
    assert Article.objects.count() == 2
    assert not ImportUpload.objects.exists()

    # Done: starting it again is refused, and changes nothing.
    page = editor_client.post(resume_url, follow=True)
    assert "没有重新开始这个导入任务" in page.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Article.objects.count() == 2


def test_a_job_that_is_still_moving_is_not_started_twice(editor_client, settings):
    job = left_running_by_a_worker_that_stopped(editor_client, settings, minutes_ago=2)
    page = editor_client.get(reverse("review:import_job", args=[job.pk])).content.decode()
    assert re.search(r'id="import-stopped"[^>]*hidden', page)
    assert (
        editor_client.get(reverse("review:import_job_status", args=[job.pk])).json()["stopped"]
        is False
    )
    resume_url = reverse("review:import_job_resume", args=[job.pk])
    page = editor_client.post(resume_url, follow=True)
    assert "没有重新开始这个导入任务" in page.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.done == 0
    assert Article.objects.count() == 1 and ImportUpload.objects.count() == 2


def test_starting_a_job_again_takes_an_editor_a_post_and_its_csrf_token(client, editor, settings):
    client.force_login(editor)
    job = left_running_by_a_worker_that_stopped(client, settings, minutes_ago=11)
    resume_url = reverse("review:import_job_resume", args=[job.pk])
    assert client.get(resume_url).status_code == 405
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(editor)
    assert guarded.post(resume_url).status_code == 403
    viewer = make_user("viewer")
    client.force_login(viewer)
    assert client.post(resume_url).status_code == 403
    client.logout()
    response = client.post(resume_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and Article.objects.count() == 1
