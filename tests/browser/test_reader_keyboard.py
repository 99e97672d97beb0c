"""The desk by keyboard alone, in a real browser: skip links on review and public pages, the
article reader's highlights that are no Tab stops (the body is one), and an editor who picks
quotes with the keyboard and makes claims of them, stored at the right offsets (code points of
the stored body, as a mouse selection gives them)."""

import pytest

from claims import services
from claims.models import Claim, Evidence
from claims.review_file import load_review
from sources.models import Article, Source
from tests.browser.test_review_flow import open_page, sign_in
from tests.seed_data import REVIEW

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const a = document.activeElement;
  return {tag: a.tagName, id: a.id, text: (a.textContent || "").trim().slice(0, 20),
          inForm: !!a.closest("#new-claim-form"), mark: !!a.closest("mark"),
          top: a.getBoundingClientRect().top, height: a.getBoundingClientRect().height};
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def selected(page):
    return page.evaluate("window.getSelection().toString()")


def tab_to_body(page):
    for presses in range(1, 30):
        page.keyboard.press("Tab")
        if focused(page)["id"] == "article-body":
            return presses
    raise AssertionError("Tab never reached the article body")


def test_the_new_claim_form_is_a_few_key_presses_from_the_top_of_the_busiest_article(
    chromium, artifacts, live_server, seed_articles, editor, reviewer
):
    load_review(REVIEW)
    article = max(seed_articles.values(), key=lambda a: a.evidence.count())
    page = open_page(chromium, problems := [])
    sign_in(page, live_server.url, editor)
    reader = f"{live_server.url}/review/articles/{article.pk}/"
    page.goto(reader)
    highlights = page.locator("#article-body mark").count()
    assert highlights >= 50

    # Tab alone: every stop on the way, none of them a highlight; the body is one stop.
    stops = []
    while not (stops and stops[-1]["inForm"]):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        assert len(stops) < 30, [s["text"] or s["id"] for s in stops]
    print(f"{len(stops)} Tab presses to the new-claim form past {highlights} highlights")
    assert not any(stop["mark"] for stop in stops)
    assert [stop["id"] for stop in stops].count("article-body") == 1
    assert stops[-1]["id"] == "new-claim-quote"
    assert len(stops) <= 20

    # The skip links: the first two stops, out of sight until focused, then on screen.
    page.goto(reader)
    assert page.locator(".skip-link").first.bounding_box()["y"] < 0
    page.keyboard.press("Tab")
    first = focused(page)
    assert (first["text"], first["top"] >= 0, first["height"] > 0) == ("跳到正文", True, True)
    page.screenshot(path=str(artifacts / "keyboard-1-skip-link.png"))
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "跳到新建主张"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "new-claim"
    page.keyboard.press("Tab")  # the fourth key press
    assert focused(page)["id"] == "new-claim-quote"

    # 跳到正文 sends the focus to <main>: the next Tab is the first link in it.
    page.goto(reader)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["tag"] == "MAIN"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "工作队列" and page.evaluate(
        "!!document.activeElement.closest('main')"
    )

    # N and P go from highlight to highlight, each one's claim said and shown by the caret.
    page.goto(reader)
    tab_to_body(page)
    page.keyboard.press("n")
    page.keyboard.press("n")
    status = page.text_content("#reader-status")
    assert status.startswith("证据 2/") and "主张 #" in status
    assert page.is_visible(".reader-tip") and page.is_visible(".reader-caret")
    page.screenshot(path=str(artifacts / "keyboard-2-highlight.png"))
    page.keyboard.press("p")
    assert page.text_content("#reader-status").startswith("证据 1/")
    # The list of evidence beside the body links to a highlight: the caret goes there.
    page.locator("#evidence a[href^='#e-']").nth(2).click()
    page.wait_for_function("document.activeElement.id === 'article-body'")
    assert page.evaluate("!!window.getSelection().focusNode.parentElement.closest('mark')")
    assert problems == []


def test_a_keyboard_only_editor_makes_claims_from_quotes(chromium, artifacts, live_server, editor):
    body = "他說：搭𨋢去九龍，再轉車。\n據報導，公司今年裁員三成，約一千二百人。其餘員工留任。"
    article = Article.objects.create(source=Source.unknown(), body=body, script="hant")
    services.create_claim(
        actor=editor, text="要再轉車", evidence=[{"article": article, "quote": "再轉車"}]
    )
    base = live_server.url
    page = open_page(chromium, problems := [])
    sign_in(page, base, editor)
    page.goto(f"{base}/review/articles/{article.pk}/")
    # The page says which keys do what.
    keys = page.text_content("#reader-keys")
    assert all(key in keys for key in ("Shift", "S", "N", "Enter", "Esc"))

    # Into the body: a caret at its start. Five characters on (搭𨋢 counts one each), three
    # selected: 去九龍, code points 5 to 8 of the stored body (UTF-16 would say 6 to 9).
    tab_to_body(page)
    assert page.is_visible(".reader-caret")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    assert selected(page) == "去九龍"
    page.locator("#selection-toolbar").wait_for(state="visible")
    assert page.text_content("#selected-quote") == "去九龍"
    assert (page.input_value("#new-claim-start"), page.input_value("#new-claim-end")) == ("5", "8")
    page.screenshot(path=str(artifacts / "keyboard-3-selection.png"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/review/claims/*/")
    made = Evidence.objects.get(article=article, claim__text="去九龍")
    assert (made.start, made.end, made.quote) == (5, 8, "去九龍")

    # Back in the reader: the sentence under the caret, one key.
    page.goto(f"{base}/review/articles/{article.pk}/")
    tab_to_body(page)
    page.keyboard.press("n")  # to the highlight 再轉車, on the first line
    assert page.text_content("#reader-status").startswith("证据 1/")
    page.keyboard.press("ArrowDown")  # the second line
    page.keyboard.press("s")
    sentence = "據報導，公司今年裁員三成，約一千二百人。"
    assert selected(page) == sentence
    page.keyboard.press("Shift+S")  # and the next one
    assert selected(page) == sentence + "其餘員工留任。"
    # E: to the form that adds the selection to a claim, filled with it.
    page.keyboard.press("e")
    assert page.evaluate("!!document.activeElement.closest('#add-evidence-form')")
    both = sentence + "其餘員工留任。"
    assert page.input_value("#add-evidence-quote") == both
    assert page.input_value("#add-evidence-start") == str(body.index(both))

    page.goto(f"{base}/review/articles/{article.pk}/")
    tab_to_body(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("s")
    assert selected(page) == sentence
    page.keyboard.press("Escape")
    assert selected(page) == ""
    page.keyboard.press("Enter")  # nothing selected: nothing sent, and the page says why
    assert "请先选取文字" in page.text_content("#reader-status")
    assert page.url.endswith(f"/review/articles/{article.pk}/")
    page.keyboard.press("Home")
    page.keyboard.press("s")
    assert selected(page) == sentence
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/review/claims/*/")

    evidence = Evidence.objects.get(article=article, claim__text=sentence)
    start = body.index(sentence)
    assert (evidence.start, evidence.end, evidence.quote) == (
        start,
        start + len(sentence),
        body[start : start + len(sentence)],
    )
    assert Claim.objects.count() == 3
    assert problems == []


def test_public_pages_have_a_skip_link_in_their_reading(chromium, live_server, published_digest):
    page = open_page(chromium, problems := [])
    for query, words in [("", "跳到正文"), ("?script=hant", "跳到主要內容")]:
        page.goto(f"{live_server.url}/{query}")
        page.keyboard.press("Tab")
        link = focused(page)
        assert (link["text"], link["top"] >= 0) == (words, True)
        page.keyboard.press("Enter")
        assert focused(page)["tag"] == "MAIN"
    # A page that is not there is a public page too, in the reading the reader chose last.
    page.goto(f"{live_server.url}/no-such-page/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "跳到主要內容"
    assert page.locator("main h1").text_content() == "找不到網頁"
    page.goto(f"{live_server.url}/no-such-page/?script=orig")
    assert page.locator("main h1").text_content() == "找不到页面"
    assert [p for p in problems if "404" not in p] == []
