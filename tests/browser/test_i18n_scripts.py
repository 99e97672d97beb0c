"""The words the desk's scripts write (static/review/queue.js, claim_picker.js, reader_keys.js)
come from the page, translated: a browser asking for English reads them in English, one asking
for zh-TW in Traditional (Taiwan), with the count's singular and plural in English."""

import re

import pytest

from claims import services
from tests.browser.test_review_flow import sign_in
from tests.test_bulk_actions import approved_claims

pytestmark = pytest.mark.browser

PICKED_CLAIM = "Meta的Llama 4团队约80%成员辞职"


def open_in(chromium, locale, problems):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    return page


def tick_and_pick(page, base, ready, article):
    """The queue's counts and the reader's picker and keyboard hint, as the page shows them."""
    seen = {}
    page.goto(f"{base}/review/")
    toggle = page.locator("#approved label:has(.select-all-box)")
    seen["select_all"] = toggle.text_content().strip()
    seen["select_all_label"] = page.get_attribute("#approved .select-all-box", "aria-label")
    page.check(f"#pick-approved-{ready[0].pk}")
    seen["one"] = page.text_content("#bulk-count")
    page.check("#approved .select-all-box")
    seen["all"] = page.text_content("#bulk-count")
    page.uncheck("#approved .select-all-box")
    page.click("#bulk button[value=assign]")
    seen["none"] = page.text_content("#bulk-count")

    page.goto(f"{base}/review/articles/{article.pk}/")
    seen["reason"] = page.get_attribute(".suggested", "data-reason")
    page.focus("#add-evidence-find")
    page.keyboard.type("團隊 成員辭職")
    page.locator("#add-evidence-find-listbox [role=option]").first.wait_for()
    seen["found"] = page.text_content(".picker-status")
    seen["list"] = page.get_attribute("#add-evidence-find-listbox", "aria-label")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    seen["picked"] = page.text_content(".picker-status")
    seen["chosen"] = page.text_content("#add-evidence-chosen")

    page.focus("#article-body")
    page.keyboard.press("Enter")  # nothing selected: the page says why
    seen["hint"] = page.text_content("#reader-status")
    return seen


def test_the_scripts_speak_english_and_traditional(
    chromium, live_server, editor, reviewer, seed_articles
):
    ready = approved_claims(3, editor, reviewer, text="翻译用的主张")
    claim = services.create_claim(actor=editor, text=PICKED_CLAIM)
    article, base, problems = seed_articles["004"], live_server.url, []

    page = open_in(chromium, "en-US", problems)
    sign_in(page, base, editor)
    english = tick_and_pick(page, base, ready, article)
    assert english["select_all"] == "Select all on this page (3 claims)"
    assert re.fullmatch(r"Select all on this page \(3 claims\): \S.*", english["select_all_label"])
    assert english["one"] == "1 claim is ticked."
    assert english["all"] == "3 claims are ticked."
    assert english["none"] == "Tick the claims to act on first."
    assert english["reason"].startswith("[") and english["reason"].endswith("]")
    assert english["found"] == (
        "Found 1 claim: choose with the up and down arrow keys, then press Enter."
    )
    assert english["list"] == "Claims found"
    assert english["picked"] == f"Claim #{claim.pk} chosen."
    assert english["chosen"].startswith(f"Chosen: #{claim.pk} ")
    assert english["hint"] == (
        "Select text first: Shift+arrow keys, or press S to select a sentence."
    )

    page = open_in(chromium, "zh-TW", problems)
    sign_in(page, base, editor)
    taiwan = tick_and_pick(page, base, ready, article)
    assert taiwan["select_all"] == "全選本頁（3 條）"
    assert taiwan["select_all_label"].startswith("全選本頁（3 條）：")
    assert taiwan["one"] == "已勾選 1 條主張。"
    assert taiwan["all"] == "已勾選 3 條主張。"
    assert taiwan["none"] == "請先勾選要處理的主張。"
    assert taiwan["reason"].startswith("〔") and taiwan["reason"].endswith("〕")
    assert taiwan["found"] == "找到 1 條主張，用上下方向鍵選擇，按 Enter 鍵確定。"
    assert taiwan["list"] == "找到的主張"
    assert taiwan["picked"] == f"已選主張 #{claim.pk}。"
    assert taiwan["chosen"].startswith(f"已選：#{claim.pk} ")
    assert taiwan["hint"] == "請先選取文字：Shift+方向鍵，或按 S 選取一句。"
    assert problems == []
