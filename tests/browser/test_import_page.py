"""Importing from the desk in a real browser: the form takes several files, the job page shows
the queued job, and its script brings the status, the progress bar and each file's result up to
date once the worker has imported them, a page's worth at a time, with no CSP complaint; usable
on a phone and by keyboard."""

import pytest

from sources import jobs
from sources.models import ImportJob
from tests.browser.test_review_flow import open_page, sign_in

pytestmark = pytest.mark.browser
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

FILES = [
    ("typhoon.txt", "颱風過境\n颱風昨晚登陸宜蘭，氣象署表示今日風雨逐漸減弱。\n".encode("big5")),
    ("metro.txt", "地铁通车\n市政府今天宣布地铁三号线将于明年通车。\n".encode("gb18030")),
    ("empty.txt", b""),
]


def test_the_job_page_follows_a_background_import(
    chromium, artifacts, live_server, editor, settings, tmp_path, monkeypatch
):
    from claims.views import imports

    settings.TASKS = DATABASE  # queued until "the worker" (this test) runs it
    monkeypatch.setattr(imports, "RESULTS_PER_PAGE", 2)  # a hundred at work
    base, problems = live_server.url, []
    page = open_page(chromium, problems)
    sign_in(page, base, editor)
    page.goto(f"{base}/review/")
    page.click("nav >> text=导入文章")
    page.wait_for_url(f"{base}/review/import/")

    paths = []
    for name, data in FILES:
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    page.set_input_files("#id_files", paths)
    # By keyboard: from the files to the encoding, then to the button.
    page.focus("#id_files")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_encoding"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "上传并导入"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/review/import/*/")

    job = ImportJob.objects.get()
    assert page.text_content("#import-status") == "排队中"
    assert page.get_attribute("#import-progress", "max") == "3"
    assert page.locator("#import-progress").get_attribute("value") == "0"
    assert page.locator("label[for=import-progress]").text_content().startswith("导入进度")

    jobs.run_import_job(job.pk)  # what the worker does
    page.wait_for_selector("#import-status:has-text('已完成')", timeout=10_000)
    assert page.evaluate("document.getElementById('import-progress').value") == 3
    # The page took a page's worth of rows, and links to the next page for the rest.
    assert page.locator("#import-results > li").count() == 2
    assert page.text_content("[data-count=imported]") == "2"
    assert page.text_content("[data-count=refused]") == "1"
    assert page.text_content(".import-counts [data-count=done]") == "3"
    assert page.is_hidden("#import-reload") and page.is_hidden("#import-empty")
    page.screenshot(path=str(artifacts / "import-1-done.png"), full_page=True)
    page.click("#import-more a")
    page.wait_for_url(f"{base}/review/import/{job.pk}/?page=2*")
    assert page.locator("#import-results > li").count() == 1
    assert "文件是空的" in page.text_content("#file-2")
    page.click("text=上一页")

    # A link in the list goes to the article's reader page.
    page.click("#file-0 a")
    page.wait_for_url(f"{base}/review/articles/*/")

    # Readable on a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ["/review/import/", f"/review/import/{job.pk}/"]:
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.screenshot(path=str(artifacts / "import-2-phone.png"), full_page=True)
    assert problems == []
