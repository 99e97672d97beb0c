"""The queue's bulk actions and the claim search field in a real browser: "全选本页" ticks a
section's claims, which go into a new draft in one go; typing Traditional words in the
reader's claim search offers the Simplified claim, picked with the keyboard; no CSP
complaint."""

import pytest

from claims import services
from claims.models import Digest, Evidence
from tests.browser.test_review_flow import open_page, sign_in
from tests.conftest import RUMOUR_QUOTE
from tests.test_bulk_actions import approved_claims, proposed_claims

pytestmark = pytest.mark.browser


def test_select_all_ticks_a_section_and_the_claims_go_into_a_new_draft(
    chromium, artifacts, live_server, editor, reviewer
):
    ready = approved_claims(3, editor, reviewer, text="全选用的主张")
    waiting = proposed_claims(1, editor, text="待审的主张")
    base, problems = live_server.url, []
    page = open_page(chromium, problems)
    sign_in(page, base, reviewer)
    page.goto(f"{base}/review/")
    # The script turned the link into a checkbox.
    assert page.locator("#approved a[data-select-section]").count() == 0
    page.check("#approved .select-all-box")
    for claim in ready:
        assert page.is_checked(f"#pick-approved-{claim.pk}")
    assert page.text_content("#bulk-count") == "已勾选 3 条主张。"
    page.check(f"#pick-waiting-{waiting[0].pk}")
    assert page.text_content("#bulk-count") == "已勾选 4 条主张。"
    page.uncheck(f"#pick-approved-{ready[0].pk}")
    assert page.evaluate("document.querySelector('#approved .select-all-box').indeterminate")
    page.check(f"#pick-approved-{ready[0].pk}")

    page.select_option("#bulk-digest", "new")
    page.fill("#bulk-title", "全选草稿")
    page.click("#bulk button[value=digest]")
    page.wait_for_url(f"{base}/review/")
    messages = page.text_content("ul.messages")
    assert "已新建草稿" in messages and "1 条未加入" in messages and "尚无获批的结论" in messages
    digest = Digest.objects.get(title="全选草稿")
    assert sorted(digest.entries.values_list("claim_id", flat=True)) == [c.pk for c in ready]
    page.screenshot(path=str(artifacts / "queue-bulk-done.png"), full_page=True)

    # Nothing ticked: the form says so instead of sending.
    page.click("#bulk button[value=assign]")
    assert page.text_content("#bulk-count") == "请先勾选要处理的主张。"
    assert problems == []


def test_the_claim_search_offers_claims_in_the_other_script_picked_by_keyboard(
    chromium, artifacts, live_server, editor, seed_articles
):
    claim = services.create_claim(actor=editor, text="Meta的Llama 4团队约80%成员辞职")
    services.create_claim(actor=editor, text="台风今晚登陆")
    article = seed_articles["004"]
    base, problems = live_server.url, []
    page = open_page(chromium, problems)
    sign_in(page, base, editor)
    page.goto(f"{base}/review/articles/{article.pk}/")
    page.fill("#add-evidence-quote", RUMOUR_QUOTE)
    page.focus("#add-evidence-find")
    page.keyboard.type("團隊 成員辭職")  # Traditional; the claim is in Simplified
    option = page.locator("#add-evidence-find-listbox [role=option]")
    option.first.wait_for()
    assert option.count() == 1 and f"#{claim.pk}" in option.first.text_content()
    assert page.get_attribute("#add-evidence-find", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert option.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")  # picks; does not send the form
    assert page.input_value("#add-evidence-claim") == str(claim.pk)
    assert f"#{claim.pk}" in page.text_content("#add-evidence-chosen")
    assert page.is_hidden("#add-evidence-find-listbox")
    assert not Evidence.objects.filter(claim=claim).exists()
    page.screenshot(path=str(artifacts / "reader-claim-picked.png"), full_page=False)

    page.focus("#add-evidence-claim")
    page.keyboard.press("Enter")  # in the number field: add the evidence
    page.wait_for_url(f"{base}/review/articles/{article.pk}/#e-*")
    assert claim.evidence.get().quote == RUMOUR_QUOTE
    assert problems == []
