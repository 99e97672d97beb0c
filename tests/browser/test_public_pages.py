"""The public site in a real browser (Debian's chromium through Playwright): pages render, the
script toggle works and is remembered, the CSP reports nothing, and screenshots of a phone and
a desktop viewport are saved to test-artifacts/."""

import pytest

from claims import services
from tests.conftest import RUMOUR_QUOTE

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# serialized_rollback: the flush between transactional tests would drop the roles migration's
# groups (Editors, Reviewers) that the fixtures need.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server, rumour_claim, reviewer, seed_articles, editor):
    """A published digest with the rumour claim and a claim with an outside citation."""
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    article = seed_articles["001"]
    other = services.create_claim(
        actor=editor,
        text="有报道称Meta正在裁员",
        evidence=[{"article": article, "quote": article.body[:12]}],
    )
    services.add_evidence(
        other,
        actor=editor,
        url="https://news.example.com/a",
        citation_title="外部报道",
        publisher="示例日报",
    )
    verdict = services.propose_verdict(
        other, actor=editor, rating="disputed", rationale="各方说法不一。"
    )
    services.approve_verdict(verdict, actor=reviewer, claim_version=other.version)
    digest = services.create_digest(
        actor=reviewer,
        title="Meta AI 裁员传言核查",
        claims=[rumour_claim, other],
        intro="本期核查两条说法。",
    )
    services.publish_digest(digest, actor=reviewer)
    return {"url": live_server.url, "digest": digest, "claim": rumour_claim}


def open_page(browser, viewport="desktop"):
    """A fresh page that records console errors and CSP violations."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: msg.type in ("error", "warning") and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return page, problems


def test_the_public_pages_render_in_a_browser_without_csp_complaints(chromium, artifacts, site):
    base, digest, claim = site["url"], site["digest"], site["claim"]
    for viewport in VIEWPORTS:
        page, problems = open_page(chromium, viewport)
        for name, path in [
            ("home", "/"),
            ("archive", "/digests/"),
            ("digest", digest.get_absolute_url()),
            ("claim", f"/claims/{claim.pk}/"),
        ]:
            response = page.goto(base + path)
            assert response.status == 200, path
            assert page.locator("h1").first.is_visible()
            if name != "archive":
                # The stylesheet applied (CSP allows 'self'): the badge is styled, with its text.
                badge = page.locator(".badge").first
                assert badge.is_visible() and badge.inner_text()
                assert badge.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
            page.screenshot(path=str(artifacts / f"public-{name}-{viewport}.png"), full_page=True)
            # Nothing wider than a phone's screen, on each of the pages.
            if viewport == "phone":
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= VIEWPORTS["phone"]["width"], (path, width)
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], (
            problems
        )
        assert not problems, problems
        page.context.close()


def test_the_script_toggle_converts_the_page_and_is_remembered(chromium, artifacts, site):
    base, claim = site["url"], site["claim"]
    page, problems = open_page(chromium, "phone")
    page.goto(f"{base}/claims/{claim.pk}/")
    assert "传言（未证实）" in page.locator(".badge").inner_text()
    assert RUMOUR_QUOTE in page.locator("blockquote").first.inner_text()

    page.get_by_role("link", name="繁體・臺灣").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
    assert "傳言（未證實）" in page.locator(".badge").inner_text()
    assert page.title().startswith("傳言（未證實）")
    assert "Meta的Llama 4團隊約80%的成員已經辭職" in page.locator("h1").inner_text()

    # Remembered: following a link keeps the script.
    page.get_by_role("link", name="往期摘要").click()
    page.wait_for_load_state()
    assert "則主張" in page.locator("main").inner_text()
    page.locator("ul.archive a").first.click()
    page.wait_for_load_state()
    assert "傳言（未證實）" in page.locator("main").inner_text()

    page.get_by_role("link", name="繁體・香港").click()
    page.wait_for_load_state()
    assert "傳言（未經證實）" in page.locator("main").inner_text()

    page.get_by_role("link", name="简体").click()
    page.wait_for_load_state()
    assert "据说Meta的Llama 4团队" in page.locator("blockquote.converted").first.inner_text()
    # The quote's own words, one click away.
    page.locator("details.original summary").first.click()
    assert RUMOUR_QUOTE in page.locator("details.original").first.inner_text()

    page.get_by_role("link", name="原文").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "传言（未证实）" in main and RUMOUR_QUOTE in main
    page.screenshot(path=str(artifacts / "public-script-toggle-phone.png"), full_page=True)
    assert not problems, problems
    page.context.close()
