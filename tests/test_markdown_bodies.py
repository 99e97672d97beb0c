"""Markdown in article bodies (issue 17, point 10): the reader shows it formatted, without its
markup characters, while the page's text is still the stored body, so that evidence offsets and
selections index it; quotes shown elsewhere leave the markup characters out (display only)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim
from sources.models import Article, Source

# Seed 002 is Markdown: a block quote, bold runs, ## and ### headings, a bulleted list.
BOLD = "早上刚被裁员，中午发个推文感慨一下"
HEADING = "为什么大家都抢田渊栋？"
ITEM = "上海交大计算机系本硕，卡内基梅隆大学（CMU）机器人研究所博士"
ACROSS = "感慨一下**，结果不到一小时"  # a quote across the end of a bold run

VOID = {"br", "img", "input", "hr", "wbr"}


class _Body(HTMLParser):
    """The article body of a reader page: its text content (every text node, as the selection
    script counts it), the text a reader sees (without elements marked `hidden`), the text of
    each highlight, the elements and attributes used, and what each visible run is inside."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.depth, self.done = [], 0, False
        self.text, self.visible, self.marks, self.runs = [], [], [], []
        self.tags, self.attributes = set(), set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if not self.depth:
            if tag == "div" and attrs.get("id") == "article-body":
                self.depth = 1
            return
        self.tags.add(tag)
        self.attributes.update(attrs)
        if tag in VOID:
            return
        self.depth += 1
        self.stack.append((tag, attrs))
        if tag == "mark":
            self.marks.append({"start": int(attrs["data-o"]), "text": "", "visible": ""})

    def handle_endtag(self, tag):
        if not self.depth or self.done or tag in VOID:
            return
        self.depth -= 1
        if not self.depth:
            self.done = True
            return
        self.stack.pop()

    def handle_data(self, data):
        if not self.depth or self.done:
            return
        hidden = any("hidden" in attrs for _tag, attrs in self.stack)
        self.text.append(data)
        in_mark = any(tag == "mark" for tag, _attrs in self.stack)
        if in_mark:
            self.marks[-1]["text"] += data
        if not hidden:
            self.visible.append(data)
            if in_mark:
                self.marks[-1]["visible"] += data
            inside = {tag for tag, _attrs in self.stack}
            inside |= {c for _tag, attrs in self.stack for c in (attrs.get("class") or "").split()}
            self.runs.append((data, inside))


def read_body(response):
    assert response.status_code == 200
    parser = _Body()
    parser.feed(response.content.decode())
    assert parser.done, "no article body in the page"
    parser.text, parser.visible = "".join(parser.text), "".join(parser.visible)
    return parser


def formatted_as(body, text):
    """What the visible run holding `text` is inside (tags and classes)."""
    return next(inside for data, inside in body.runs if text in data)


def reader(client, article, **params):
    return client.get(reverse("review:article", args=[article.pk]), params)


@pytest.fixture
def markdown_article(seed_articles):
    article = seed_articles["002"]
    assert "### " + HEADING in article.body and f"**{BOLD}**" in article.body
    return article


def test_markdown_is_formatted_and_its_markup_characters_hidden(client, editor, markdown_article):
    client.force_login(editor)
    body = read_body(reader(client, markdown_article))

    # The page's text is the stored body, character for character: offsets still hold.
    assert body.text == markdown_article.body
    # What a reader sees has no markup characters.
    assert "**" not in body.visible and "###" not in body.visible and "## " not in body.visible
    assert "\n- " not in body.visible and "\n> " not in body.visible
    assert f"\n{HEADING}\n" in body.visible and f"，{BOLD}，" in body.visible
    # ... and the text they marked up is formatted.
    assert "strong" in formatted_as(body, BOLD)
    assert "md-h3" in formatted_as(body, HEADING)
    assert "md-h2" in formatted_as(body, "AI 换血")
    assert "md-li" in formatted_as(body, ITEM)
    assert "md-quote" in formatted_as(body, "Several of my team members")
    assert "strong" not in formatted_as(body, "，结果不到一小时")
    # The markup characters are hidden from assistive technology too: `hidden`, not a colour.
    page = reader(client, markdown_article).content.decode()
    assert '<span class="md-mark" hidden>### </span><span class="md-h3">' in page
    assert '<span class="md-mark" hidden>**</span><strong>' in page


def test_a_body_without_markdown_is_shown_as_it_was(client, editor, db):
    text = (
        "#武汉加油# 3~5天后复查，剂量3*4*5毫克(*)。\n"
        "@卡布叻_周深 @MD_摩登兄弟 见 image_1761226054145_bggbxf.png\n"
        "1. 第一点；2. 第二点"
    )
    article = Article.objects.create(source=Source.unknown(), script="hans", body=text)
    client.force_login(editor)
    body = read_body(reader(client, article))
    assert body.text == body.visible == text
    assert not body.tags & {"strong", "em", "code"}


def test_links_code_rules_and_escapes_show_their_text_only(client, editor, db):
    text = (
        "## 来源\n"
        "据[新华社](https://news.example/a_(1)) 报道，见 <https://x.example/b> 与 `pip install`。\n"
        "***\n"
        "> - 引述里的要点：**加粗** 和 *强调* 与 \\*星号\\*\n"
        "```\n"
        "**代码块里不是强调**\n"
        "```"
    )
    shown = (
        "来源\n"
        "据新华社 报道，见 https://x.example/b 与 pip install。\n"
        "\n"
        "引述里的要点：加粗 和 强调 与 *星号*\n"
        "\n"
        "**代码块里不是强调**\n"
    )
    article = Article.objects.create(source=Source.unknown(), script="hans", body=text)
    client.force_login(editor)
    body = read_body(reader(client, article))
    assert body.text == text
    assert body.visible == shown
    assert {"md-h2"} <= formatted_as(body, "来源")
    assert {"md-link"} <= formatted_as(body, "新华社")
    assert {"code"} <= formatted_as(body, "pip install")
    assert {"md-quote", "md-li", "strong"} <= formatted_as(body, "加粗")
    assert {"md-quote", "md-li", "em"} <= formatted_as(body, "强调")
    assert {"md-pre"} <= formatted_as(body, "**代码块里不是强调**")


def test_markup_in_a_body_is_escaped_never_run(client, editor, db):
    text = (
        "**粗体<script>alert(1)</script>**\n"
        "### <img src=x onerror=alert(1)>\n"
        '[点我](javascript:alert(1)) 和 [链接](http://a.example/"onmouseover=alert(1))\n'
        "`<b>代码</b>`"
    )
    article = Article.objects.create(source=Source.unknown(), script="hans", body=text)
    client.force_login(editor)
    response = reader(client, article)
    page = response.content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>代码" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    body = read_body(response)
    assert body.text == text
    assert "<script>alert(1)</script>" in body.visible and "**" not in body.visible
    # Only the reader's own elements and attributes: no link, no handler, no style.
    assert body.tags <= {"span", "mark", "strong", "em", "code"}
    assert body.attributes <= {"class", "hidden", "title", "data-o", "data-reason", "id"}
    assert "href" not in re.search(r'id="article-body".*?</div>', page, re.S).group(0)


def test_a_highlight_across_the_end_of_a_bold_run_covers_the_quoted_characters(
    client, editor, markdown_article
):
    start = markdown_article.body.index(ACROSS)
    claim = services.create_claim(
        actor=editor,
        text="田渊栋被裁员后不到一小时就有人招揽",
        evidence=[{"article": markdown_article, "quote": ACROSS, "start": start}],
    )
    evidence = claim.evidence.get()
    assert (evidence.start, evidence.end, evidence.quote) == (start, start + len(ACROSS), ACROSS)

    client.force_login(editor)
    body = read_body(reader(client, markdown_article))
    assert body.text == markdown_article.body
    marks = [m for m in body.marks if evidence.start <= m["start"] < evidence.end]
    assert marks and marks[0]["start"] == evidence.start
    # The highlight holds exactly the quoted characters, the hidden ** among them...
    assert "".join(m["text"] for m in marks) == ACROSS
    # ...and shows them without it, the bold part still bold.
    assert "".join(m["visible"] for m in marks) == "感慨一下，结果不到一小时"
    assert "strong" in formatted_as(body, "感慨一下")
    assert "strong" not in formatted_as(body, "，结果不到一小时")


def test_a_claim_from_a_quote_with_markup_keeps_the_quote_and_drops_the_markup(
    client, editor, markdown_article
):
    quote = f"**{BOLD}**，结果"
    start = markdown_article.body.index(quote)
    client.force_login(editor)
    response = client.post(
        reverse("review:article_new_claim", args=[markdown_article.pk]),
        {"quote": quote, "start": start, "end": start + len(quote), "stance": "source"},
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    evidence = claim.evidence.get()
    assert evidence.quote == quote == markdown_article.body[evidence.start : evidence.end]
    assert claim.text == f"{BOLD}，结果"

    # The workbench shows the quote without its markup characters.
    page = client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert f"<blockquote>{BOLD}，结果</blockquote>" in page and "**" not in page


def test_the_reader_converts_formatted_text_and_keeps_the_markup_hidden(
    client, editor, markdown_article
):
    client.force_login(editor)
    body = read_body(reader(client, markdown_article, script="hant"))
    assert "md-h3" in formatted_as(body, "為什麼大家都搶田淵棟？")
    assert "###" not in body.visible and "**" not in body.visible
    assert "为什么大家都抢田渊栋" not in body.visible


def test_quotes_on_public_claim_pages_and_in_the_reader_lists_have_no_markup(
    client, editor, reviewer, markdown_article
):
    start = markdown_article.body.index(ACROSS)
    claim = services.create_claim(
        actor=editor,
        text="田渊栋被裁员后不到一小时就有人招揽",
        evidence=[{"article": markdown_article, "quote": ACROSS, "start": start}],
    )
    services.propose_verdict(claim, actor=editor, rating="confirmed", rationale="推文可查。")
    services.approve_verdict(claim.verdicts.get(), actor=reviewer, claim_version=claim.version)
    digest = services.create_digest(actor=reviewer, title="裁员", claims=[claim], intro="")
    services.publish_digest(digest, actor=reviewer)

    url = reverse("public:claim", args=[claim.pk])
    page = client.get(url).content.decode()
    assert "<blockquote>感慨一下，结果不到一小时</blockquote>" in page and "**" not in page
    page = client.get(url, {"script": "hant"}).content.decode()  # converted, the original beside
    assert '<blockquote class="converted">感慨一下，結果不到一小時</blockquote>' in page
    assert '<blockquote lang="zh-Hans">感慨一下，结果不到一小时</blockquote>' in page
    assert "**" not in page

    client.force_login(editor)
    page = reader(client, markdown_article).content.decode()
    evidence_list = re.search(r'<section class="card" id="evidence">.*?</section>', page, re.S)
    assert "「感慨一下，结果不到一小时」" in evidence_list.group(0)
    suggestions = re.search(r'<section class="card" id="suggestions">.*?</section>', page, re.S)
    links = re.findall(r'<a href="#s-\d+">([^<]*)</a>', suggestions.group(0))
    assert links and not any("**" in link for link in links)
