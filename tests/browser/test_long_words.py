"""A forwarded rumour's links are long words. On a phone (320 CSS pixels, WCAG's Reflow) they
break where they must: no page that shows one needs scrolling sideways, on the public site or
the desk. The message is the corpus's rumour with the longest link (real data; the seed
articles have none)."""

import json
import re

import pytest

from claims import services
from sources.importer import import_bytes
from tests.browser.test_accessibility import REFLOW_WIDTH
from tests.browser.test_review_flow import open_page, sign_in
from tests.test_scripts import CORPUS

pytestmark = pytest.mark.browser
LINK = re.compile(r"https?://[!-~]+")


def longest_link_message():
    rows = [json.loads(line) for line in (CORPUS / "tfc_rumours.jsonl").open(encoding="utf-8")]
    message = max(rows, key=lambda row: max(map(len, LINK.findall(row["text"])), default=0))
    return message["text"], max(LINK.findall(message["text"]), key=len)


def test_a_rumours_long_link_fits_a_phone_on_every_page_that_shows_it(
    chromium, live_server, editor, reviewer
):
    text, link = longest_link_message()
    assert len(link) >= 60, link  # wider than the screen in any font
    article = import_bytes(f"网传消息\n{text}\n".encode(), "forwarded.txt").article
    at = text.index(link)
    quote = text[max(0, at - 12) : at + len(link)]
    claim = services.create_claim(
        actor=editor, text=quote, evidence=[{"article": article, "quote": quote}]
    )
    services.add_evidence(
        claim, actor=editor, url=link, citation_title=link, publisher=link, stance="context"
    )
    verdict = services.propose_verdict(claim, actor=editor, rating="false", rationale=link)
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    digest = services.create_digest(actor=reviewer, title="链接", claims=[claim], intro=link)
    services.publish_digest(digest, actor=reviewer)
    # The same link in a claim still in review: the queue's and the reviewer's lists.
    waiting = services.create_claim(
        actor=editor, text=f"{link} 的说法", evidence=[{"article": article, "quote": quote}]
    )
    services.propose_verdict(waiting, actor=editor, rating="false", rationale=link)

    base, problems = live_server.url, []
    wide = {}
    for user, paths in [
        (None, ["/", digest.get_absolute_url(), f"/claims/{claim.pk}/"]),
        (
            editor,
            [
                "/review/",
                f"/review/claims/{claim.pk}/",
                f"/review/articles/{article.pk}/",
                "/review/search/?q=" + quote[:4],
            ],
        ),
        (reviewer, ["/review/waiting/", f"/review/digests/{digest.pk}/"]),
    ]:
        page = open_page(chromium, problems)
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
        if user:
            sign_in(page, base, user)
        for path in paths:
            assert page.goto(base + path).status == 200, path
            assert link[:30] in page.inner_text("body"), path  # the link is there to wrap
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > REFLOW_WIDTH:
                wide[path] = width
    assert wide == {}
    assert problems == []
