"""The digest composer in a real browser: a reviewer orders a draft's claims with the keyboard
(the "上移"/"下移" buttons, the focus staying with the claim that moved) and by dragging them
with the mouse, adds and removes claims in the page, and saves the order; no CSP complaint."""

import pytest

from claims import services
from tests.browser.test_review_flow import open_page, sign_in
from tests.test_bulk_actions import approved_claims

pytestmark = pytest.mark.browser


def shown_order(page):
    return [
        int(v)
        for v in page.eval_on_selector_all(
            "#composer-entries li.entry", "items => items.map(i => i.dataset.claim)"
        )
    ]


def focused_label(page):
    return page.evaluate("document.activeElement.getAttribute('aria-label')")


def test_a_reviewer_orders_a_draft_by_keyboard_and_by_drag_and_saves_it(
    chromium, artifacts, live_server, editor, reviewer, reviewer2
):
    a, b, c, d = approved_claims(4, editor, reviewer, text="排序用的主张")
    digest = services.create_digest(actor=reviewer2, title="排序草稿", claims=[a, b, c])
    base, problems = live_server.url, []
    page = open_page(chromium, problems)
    sign_in(page, base, reviewer)
    page.goto(f"{base}/review/digests/{digest.pk}/edit/")
    assert shown_order(page) == [a.pk, b.pk, c.pk]
    assert page.is_visible(".drag-hint")  # the script runs: dragging is offered

    # By keyboard: Tab to "下移 #a", then Enter and Space move it down; the focus follows it.
    page.focus("#id_intro")
    page.keyboard.press("Tab")  # past "上移 #a", disabled: the first cannot go up
    assert focused_label(page) == f"下移 #{a.pk}"
    page.keyboard.press("Enter")
    assert shown_order(page) == [b.pk, a.pk, c.pk]
    assert focused_label(page) == f"下移 #{a.pk}"
    assert f"已把 #{a.pk} 下移到第 2 条" in page.text_content("#composer-status")
    page.keyboard.press(" ")
    assert shown_order(page) == [b.pk, c.pk, a.pk]
    # At the bottom it can go no further: the focus moves to its "上移".
    assert page.is_disabled(f"button[aria-label='下移 #{a.pk}']")
    assert focused_label(page) == f"上移 #{a.pk}"
    assert page.url.endswith(f"/review/digests/{digest.pk}/edit/"), "nothing was sent"

    # By drag: #a onto the top half of #b puts it first.
    box = page.locator(f"#entry-{b.pk}").bounding_box()
    page.drag_and_drop(
        f"#entry-{a.pk} .entry-text",
        f"#entry-{b.pk}",
        target_position={"x": box["width"] / 2, "y": 3},
    )
    assert shown_order(page) == [a.pk, b.pk, c.pk]
    assert "移到第 1 条" in page.text_content("#composer-status")
    assert page.is_disabled(f"button[aria-label='上移 #{a.pk}']")

    # Add #d from the list below, take #b out, in the page.
    page.click(f"button[aria-label='加入 #{d.pk}']")
    assert shown_order(page) == [a.pk, b.pk, c.pk, d.pk]
    assert page.locator(f"#composer-offer-rows tr[data-claim='{d.pk}']").count() == 0
    page.click(f"button[aria-label='移除 #{b.pk}']")
    assert shown_order(page) == [a.pk, c.pk, d.pk]
    assert page.text_content("#entries-count") == "3"
    # The new entry moves like the others.
    page.click(f"button[aria-label='上移 #{d.pk}']")
    assert shown_order(page) == [a.pk, d.pk, c.pk]
    page.screenshot(path=str(artifacts / "composer-ordered.png"), full_page=True)

    page.click("button:has-text('保存草稿')")
    page.wait_for_url(f"{base}/review/digests/{digest.pk}/")
    order = list(digest.entries.order_by("position").values_list("claim_id", flat=True))
    assert order == [a.pk, d.pk, c.pk]
    assert problems == []


def test_without_javascript_the_buttons_still_order_the_draft(
    chromium, live_server, editor, reviewer, reviewer2
):
    a, b = approved_claims(2, editor, reviewer, text="无脚本")
    digest = services.create_digest(actor=reviewer2, title="无脚本草稿", claims=[a, b])
    context = chromium.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, reviewer)
    page.goto(f"{live_server.url}/review/digests/{digest.pk}/edit/")
    page.click(f"button[aria-label='下移 #{a.pk}']")
    page.wait_for_load_state()
    assert shown_order(page) == [b.pk, a.pk]
    assert f"#entry-{a.pk}" in page.url  # the page comes back at the claim that moved
    page.click("button:has-text('保存草稿')")
    page.wait_for_url(f"{live_server.url}/review/digests/{digest.pk}/")
    order = list(digest.entries.order_by("position").values_list("claim_id", flat=True))
    assert order == [b.pk, a.pk]
