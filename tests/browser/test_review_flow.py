"""The desk's daily work in a real browser: an editor selects a sentence in an article, makes
it a claim and proposes a verdict; a reviewer approves it; the proposer could not."""

import pytest

from claims.models import Claim, Verdict
from sources.models import Article, Source
from tests.conftest import RUMOUR_QUOTE

pytestmark = pytest.mark.browser
PASSWORD = "pw-for-tests-only"

# Select `quote` inside the article body as a mouse would (a DOM Range), then release the
# mouse button over the text: the page's script reads the selection on mouseup.
SELECT = """quote => {
  const body = document.getElementById("article-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(quote);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + quote.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    node.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
    return true;
  }
  return false;
}"""


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/?next=/review/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{base}/review/")


def sign_in(page, base, user):
    """The user's session in the page's cookies, without the login form (which the flows in
    this file go through): for tests about a page, not about logging in."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def log_out(page):
    page.click("button:has-text('退出登录')")
    page.wait_for_url("**/accounts/login/")


def open_page(chromium, problems):
    page = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    return page


def test_an_editor_makes_a_claim_from_a_selection_and_a_reviewer_approves_it(
    chromium, artifacts, live_server, seed_articles, editor, reviewer
):
    article, base, problems = seed_articles["004"], live_server.url, []
    page = open_page(chromium, problems)

    log_in(page, base, "editor")
    page.goto(f"{base}/review/articles/{article.pk}/")
    # The 80% sentence is suggested, and marked as hedging.
    assert page.locator(".suggested[data-reason*='传言']", has_text=RUMOUR_QUOTE).count() == 1
    assert page.evaluate(SELECT, RUMOUR_QUOTE)
    toolbar = page.locator("#selection-toolbar")
    toolbar.wait_for(state="visible")
    start = article.body.index(RUMOUR_QUOTE)
    assert page.input_value("#new-claim-start") == str(start)
    assert page.input_value("#new-claim-end") == str(start + len(RUMOUR_QUOTE))
    page.screenshot(path=str(artifacts / "review-1-selection.png"), full_page=False)
    page.click("#toolbar-new-claim")
    page.wait_for_url(f"{base}/review/claims/*/")

    claim = Claim.objects.get()
    evidence = claim.evidence.get()
    assert (evidence.article_id, evidence.start, evidence.quote) == (
        article.pk,
        start,
        RUMOUR_QUOTE,
    )

    page.select_option("#id_rating", "rumour")
    page.fill("#id_rationale", "只有二手爆料；Meta员工Dave Arnold已澄清，无权威媒体证实。")
    page.click("#propose-form button[type=submit]")
    page.wait_for_selector("text=等待审核员批准")
    # The proposer is offered no way to approve her own verdict.
    assert page.locator("button:has-text('批准')").count() == 0
    page.screenshot(path=str(artifacts / "review-2-proposed-by-editor.png"), full_page=True)
    log_out(page)

    log_in(page, base, "reviewer")
    page.goto(f"{base}/review/claims/{claim.pk}/")
    page.click("button:has-text('批准')")
    page.wait_for_selector(".verdict.status-approved")
    page.screenshot(path=str(artifacts / "review-3-approved-by-reviewer.png"), full_page=True)

    # Readable on a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in [("queue", "/review/"), ("reader", f"/review/articles/{article.pk}/")]:
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        page.screenshot(path=str(artifacts / f"review-4-{name}-phone.png"), full_page=False)

    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.status, verdict.rating) == ("approved", "rumour")
    assert (verdict.proposed_by, verdict.reviewed_by) == (editor, reviewer)
    assert problems == []


def test_a_selection_after_an_astral_character_is_sent_in_code_points(
    chromium, artifacts, live_server, editor
):
    article = Article.objects.create(
        source=Source.unknown(), body="他說：搭𨋢去九龍，再轉車。", script="hant"
    )
    page = open_page(chromium, problems := [])
    sign_in(page, live_server.url, editor)
    page.goto(f"{live_server.url}/review/articles/{article.pk}/")
    assert page.evaluate(SELECT, "去九龍")
    page.locator("#selection-toolbar").wait_for(state="visible")
    # 去 is the 6th code point (index 5), though the 7th UTF-16 unit.
    assert (page.input_value("#new-claim-start"), page.input_value("#new-claim-end")) == ("5", "8")
    page.click("#toolbar-new-claim")
    page.wait_for_url(f"{live_server.url}/review/claims/*/")
    evidence = Claim.objects.get().evidence.get()
    assert (evidence.start, evidence.end, evidence.quote) == (5, 8, "去九龍")
    assert problems == []
