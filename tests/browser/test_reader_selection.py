"""Selecting with the mouse in the article reader, as an editor does: a drag that starts on the
first character of an existing highlight, a drag from right to left, and a click that empties
the selection. The page's script turns the selection into the quote and its offset (code
points in the stored body) of the 新建主张 form; the toolbar must never offer an old quote."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from tests.browser.test_review_flow import open_page, sign_in
from tests.conftest import RUMOUR_QUOTE

pytestmark = pytest.mark.browser

# The box of the character at `index` of the article body's text (which is the stored body:
# the original script, no characters outside the Basic Multilingual Plane in these tests), in
# viewport coordinates, after scrolling it to the middle of the screen.
CHAR_BOX = """([index, scroll]) => {
  const body = document.getElementById("article-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(), seen = 0; node; seen += node.data.length, node = walker.nextNode()) {
    if (index >= seen + node.data.length) continue;
    const range = document.createRange();
    range.setStart(node, index - seen);
    range.setEnd(node, index - seen + 1);
    if (scroll) node.parentElement.scrollIntoView({block: "center"});
    const box = range.getBoundingClientRect();
    return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
            inMark: node.parentElement.tagName === "MARK"};
  }
  return null;
}"""


def char_box(page, index, scroll=False):
    box = page.evaluate(CHAR_BOX, [index, scroll])
    assert box, f"no character {index} in the article body"
    return box


def inside(box, edge):
    """A point inside the character's box, a quarter of its width from the left or right edge:
    the caret goes before the character (left) or after it (right)."""
    width = box["right"] - box["left"]
    x = box["left"] + width / 4 if edge == "left" else box["right"] - width / 4
    return x, (box["top"] + box["bottom"]) / 2


def drag(page, first, last, backwards=False):
    """Drag the mouse over the body's characters first..last (inclusive), left to right, or
    right to left: from after the last character to before the first."""
    char_box(page, first, scroll=True)
    start, end = inside(char_box(page, first), "left"), inside(char_box(page, last), "right")
    if backwards:
        start, end = end, start
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=5)
    page.mouse.up()


def form_values(page):
    return {
        "quote": page.input_value("#new-claim-quote"),
        "start": page.input_value("#new-claim-start"),
        "end": page.input_value("#new-claim-end"),
        "shown": page.text_content("#selected-quote"),
        "toolbar": page.is_visible("#selection-toolbar"),
        "button": page.is_enabled("#toolbar-new-claim"),
    }


def expected(body, start, end):
    quote = body[start:end]
    return {
        "quote": quote,
        "start": str(start),
        "end": str(end),
        "shown": quote,
        "toolbar": True,
        "button": True,
    }


def cleared(page):
    """Whether the form and the toolbar forgot the selection (the page's script may still be
    at it when the mouse button is up: wait a little)."""
    expect(page.locator("#selection-toolbar")).to_be_hidden()
    expect(page.locator("#new-claim-quote")).to_have_value("")
    values = form_values(page)
    return values["quote"] == values["start"] == values["end"] == values["shown"] == "" and not (
        values["toolbar"] or values["button"]
    )


@pytest.fixture
def reader(chromium, live_server, rumour_claim, seed_articles, editor):
    """The reader of article 004, whose rumour sentence is highlighted (the claim's evidence),
    open for an editor; and the body offset where the highlight starts."""
    article = seed_articles["004"]
    problems = []
    page = open_page(chromium, problems)
    sign_in(page, live_server.url, editor)
    page.goto(f"{live_server.url}/review/articles/{article.pk}/")
    assert page.text_content("#article-body") == article.body
    highlight = article.body.index(RUMOUR_QUOTE)
    assert char_box(page, highlight)["inMark"] and not char_box(page, highlight - 1)["inMark"]
    yield page, article, highlight
    assert problems == []


def test_a_drag_from_the_first_character_of_a_highlight_makes_a_claim_of_it(
    reader, live_server, artifacts, rumour_claim
):
    page, article, highlight = reader
    drag(page, highlight, highlight + 5)
    assert form_values(page) == expected(article.body, highlight, highlight + 6)
    assert page.input_value("#new-claim-quote") == "據說Meta"
    page.screenshot(path=str(artifacts / "reader-selection-highlight.png"))

    page.click("#toolbar-new-claim")
    page.wait_for_url(f"{live_server.url}/review/claims/*/")
    claim = Claim.objects.exclude(pk=rumour_claim.pk).get()
    evidence = claim.evidence.get()
    assert (claim.text, evidence.article_id, evidence.start, evidence.end, evidence.quote) == (
        "據說Meta",
        article.pk,
        highlight,
        highlight + 6,
        "據說Meta",
    )


@pytest.mark.parametrize(
    "first, last",
    [(0, 5), (-3, 1), (14, 18)],
    ids=["highlight-start", "into-highlight", "inside-highlight"],
)
def test_a_drag_backwards_gives_what_a_drag_forwards_gives(reader, first, last):
    page, article, highlight = reader
    first, last = highlight + first, highlight + last
    drag(page, first, last)
    forwards = form_values(page)
    assert forwards == expected(article.body, first, last + 1)

    page.mouse.click(5, 5)  # the page's corner: no selection
    assert cleared(page)
    drag(page, first, last, backwards=True)
    assert form_values(page) == forwards


def test_an_empty_selection_clears_the_quote(reader):
    page, article, highlight = reader
    plain = highlight - 8  # 爆炸性消息, before the highlight

    # A click elsewhere in the body, then one outside it (the heading), then a click on the
    # highlight's first character: each empties the selection, and the toolbar forgets it.
    for click in (
        lambda: page.mouse.click(*inside(char_box(page, highlight + 15), "left")),
        lambda: page.click("h1"),
        lambda: page.mouse.click(*inside(char_box(page, highlight), "left")),
    ):
        drag(page, plain, plain + 4)
        assert form_values(page) == expected(article.body, plain, plain + 5)
        click()
        assert cleared(page)

    # Nothing can be sent: the toolbar is hidden and the form's own button wants a quote.
    page.click("#new-claim-form button[type=submit]")
    assert "/articles/" in page.url and Claim.objects.count() == 1

    # A quote the editor typed herself is hers: an empty selection leaves it.
    page.fill("#new-claim-quote", "爆炸性消息")
    page.mouse.click(*inside(char_box(page, highlight + 15), "left"))
    assert page.input_value("#new-claim-quote") == "爆炸性消息"
