"""The public search in a real browser, on a phone: the header's search box is reached with the
keyboard, Enter searches, the results fit the screen and the CSP reports nothing."""

import pytest

from claims import services
from tests.browser.test_public_pages import VIEWPORTS, open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server, rumour_claim, reviewer):
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    digest = services.create_digest(actor=reviewer, title="裁员传言核查", claims=[rumour_claim])
    services.publish_digest(digest, actor=reviewer)
    return live_server.url


def test_a_reader_searches_from_the_header_with_the_keyboard_on_a_phone(chromium, artifacts, site):
    page, problems = open_page(chromium, "phone")
    page.goto(site + "/")
    box = page.get_by_role("searchbox", name="搜索核查")
    assert box.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    page.screenshot(path=str(artifacts / "public-header-search-phone.png"))
    # Tab from the top of the page reaches the box (no pointer needed).
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-q":
            break
    assert page.evaluate("document.activeElement.id") == "site-q"
    page.keyboard.type("團隊 辭職")  # Traditional words for a claim written in Simplified
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/?q=" in page.url
    results = page.locator("li.result")
    assert results.count() == 1
    assert "团队约80%的成员已经辞职" in results.first.inner_text()
    assert "传言（未证实）" in results.first.locator(".badge").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    page.screenshot(path=str(artifacts / "public-search-phone.png"), full_page=True)
    # The result links to the claim's page.
    with page.expect_navigation():
        results.first.locator("h2 a").click()
    assert page.locator("h1").inner_text().startswith("Meta的Llama 4团队")
    assert not problems, problems
