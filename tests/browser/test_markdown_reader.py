"""A Markdown article in the reader, in a real browser: formatted, no markup characters in sight,
and a mouse selection over formatted text still gives the stored substring and its offsets."""

import pytest

from claims.models import Claim
from tests.browser.test_reader_selection import drag, expected, form_values
from tests.browser.test_review_flow import log_in, open_page

pytestmark = pytest.mark.browser

BOLD = "早上刚被裁员，中午发个推文感慨一下"
HEADING = "为什么大家都抢田渊栋？"
ACROSS = "感慨一下**，结果"  # the end of a bold run and the text after it

STYLE = """selector => {
  const style = getComputedStyle(document.querySelector(selector));
  return {weight: parseInt(style.fontWeight, 10), size: parseFloat(style.fontSize)};
}"""


@pytest.fixture
def markdown_reader(chromium, live_server, seed_articles, editor):
    """The reader of seed article 002 (Markdown: headings, bold runs, a list, a quote), open for
    an editor."""
    article = seed_articles["002"]
    problems = []
    page = open_page(chromium, problems)
    log_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/review/articles/{article.pk}/")
    yield page, article
    assert problems == []


def test_a_markdown_article_is_shown_formatted_without_markup_characters(
    markdown_reader, artifacts
):
    page, article = markdown_reader
    # The page's text is the stored body (the selection script counts offsets in it)...
    assert page.text_content("#article-body") == article.body
    # ...but what the editor sees has no markup characters.
    shown = page.inner_text("#article-body")
    assert "**" not in shown and "###" not in shown and "\n- " not in shown
    assert f"\n{HEADING}\n" in shown and f"，{BOLD}，" in shown
    body = page.evaluate(STYLE, "#article-body")
    heading = page.evaluate(STYLE, "#article-body .md-h3")
    bold = page.evaluate(STYLE, "#article-body strong")
    assert heading["weight"] >= 700 and heading["size"] > body["size"]
    assert bold["weight"] >= 700 and body["weight"] < 700
    page.locator("#article-body .md-h3").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "reader-markdown.png"))


def test_a_selection_of_bold_text_gives_the_stored_substring_and_offsets(markdown_reader):
    page, article = markdown_reader
    first = article.body.index(BOLD)
    drag(page, first, first + len(BOLD) - 1)
    assert form_values(page) == expected(article.body, first, first + len(BOLD))


def test_a_selection_across_the_end_of_a_bold_run_keeps_the_stored_quote(
    markdown_reader, live_server
):
    page, article = markdown_reader
    first = article.body.index(ACROSS)
    end = first + len(ACROSS)
    # From 感 to 果: the two hidden asterisks between 下 and ， are part of the selection.
    drag(page, first, end - 1)
    assert form_values(page) == expected(article.body, first, end)

    page.click("#toolbar-new-claim")
    page.wait_for_url(f"{live_server.url}/review/claims/*/")
    claim = Claim.objects.get()
    evidence = claim.evidence.get()
    assert (evidence.start, evidence.end, evidence.quote) == (first, end, ACROSS)
    assert claim.text == "感慨一下，结果"  # the claim's words, without the markup
    assert page.inner_text("#evidence blockquote") == "感慨一下，结果"
