"""Readers choose a reading: 简体 (?script=hans), 繁體・臺灣 (?script=hant) or 繁體・香港
(?script=hk), remembered; the default shows the original text. The site's own words are
written for each reading; the desk's texts are converted one by one, only when they are in the
other script; quotes keep their words, with the original one click away."""

import json
import re
from html.parser import HTMLParser

import pytest

from sources.text import to_script
from tests.conftest import publish_new_claim

pytestmark = pytest.mark.django_db

READABLE_ATTRS = ("title", "alt", "aria-label", "placeholder")
READABLE_META = ("description", "og:title", "og:description", "og:site_name")
# What the quote of the rumour claim is in article 004 (Traditional, Taiwan).
QUOTE = "據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈"


class VisibleText(HTMLParser):
    """What a reader sees: text outside <script>/<style>/<details>, readable attributes, meta
    text (the original wording inside <details> is what a reader opens on purpose)."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden, self.hrefs = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "details", "nav"):
            self.hidden += 1
        self.parts += [attrs[a] for a in READABLE_ATTRS if attrs.get(a)]
        if tag == "meta" and (attrs.get("name") or attrs.get("property")) in READABLE_META:
            self.parts.append(attrs.get("content") or "")
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "details", "nav"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html):
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts), parser.hrefs


def jsonld(html):
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
        )
    ]


def pages(published_digest, rumour_claim):
    return ["/", "/digests/", published_digest.get_absolute_url(), f"/claims/{rumour_claim.pk}/"]


@pytest.mark.parametrize("reading", ["hant", "hk"])
def test_a_traditional_page_has_no_simplified_text_left(
    client, published_digest, rumour_claim, reading
):
    for url in pages(published_digest, rumour_claim):
        text, _ = visible(client.get(url + f"?script={reading}").content.decode())
        assert to_script(text, reading) == text, url
        for simplified in ("发布", "传言（未证实）", "团队", "证据", "简体", "订阅"):
            assert simplified not in text, (url, simplified)


def test_the_site_speaks_taiwan_and_hong_kong_words_not_converted_ones(
    client, published_digest, rumour_claim
):
    taiwan = client.get(f"/claims/{rumour_claim.pk}/?script=hant").content.decode()
    hong_kong = client.get(f"/claims/{rumour_claim.pk}/?script=hk").content.decode()
    for html in (taiwan, hong_kong):
        for archaic in ("覈", "臺", "發佈", "審覈"):
            assert archaic not in visible(html)[0], archaic
        assert "核查台" in html and "發布" in html and "審核" in html
    assert "傳言（未證實）" in taiwan and "網站導覽" in taiwan
    assert "傳言（未經證實）" in hong_kong and "網站導航" in hong_kong


def test_text_already_in_the_readers_script_is_not_changed(client, seed_articles, editor, reviewer):
    """這消息一出 and 社群 are Taiwan Traditional: the Taiwan reading shows them as written."""
    claim = publish_new_claim(
        editor=editor,
        reviewer=reviewer,
        text="這消息一出，社群媒體上引起軒然大波",
        article=seed_articles["004"],
        quote="這消息一出,整個AI圈都炸開了鍋",
        rating="confirmed",
        rationale="社群媒體上的說法，這消息一出便傳開。",
        title="測試",
    )
    for reading in ("hant", "hk"):
        html = client.get(f"/claims/{claim.pk}/?script={reading}").content.decode()
        assert "這消息一出，社群媒體上引起軒然大波" in html
        assert "社群媒體上的說法，這消息一出便傳開。" in html
        assert "這消息一出,整個AI圈都炸開了鍋" in html
        assert "一齣" not in html and "社羣" not in html


def test_the_simplified_page_has_no_traditional_text_left(client, published_digest, rumour_claim):
    for url in pages(published_digest, rumour_claim):
        text, _ = visible(client.get(url + "?script=hans").content.decode())
        assert to_script(text, "hans") == text, url
        assert "據說" not in text and "團隊" not in text


def test_a_converted_quote_is_marked_and_its_original_is_one_click_away(
    client, published_digest, rumour_claim
):
    html = client.get(f"/claims/{rumour_claim.pk}/?script=hans").content.decode()
    assert (
        '<blockquote class="converted">据说Meta的Llama 4团队约80%的成员已经集体递交辞呈</blockquote>'
        in html
    )
    details = re.search(r'<details class="original">(.*?)</details>', html, re.DOTALL).group(1)
    assert "<summary>" in details and f'<blockquote lang="zh-Hant">{QUOTE}</blockquote>' in details
    # The Taiwan reading shows the Traditional quote as written: nothing to mark.
    taiwan = client.get(f"/claims/{rumour_claim.pk}/?script=hant").content.decode()
    assert f"<blockquote>{QUOTE}</blockquote>" in taiwan and "<details" not in taiwan


def test_the_original_text_is_the_default(client, published_digest, rumour_claim):
    response = client.get(f"/claims/{rumour_claim.pk}/")
    html = response.content.decode()
    assert "Meta的Llama 4团队约80%的成员已经辞职" in html  # the claim, as written (Simplified)
    assert f"<blockquote>{QUOTE}</blockquote>" in html  # the quote, as the article has it
    assert '<html lang="zh">' in html and response["Content-Language"] == "zh"


@pytest.mark.parametrize(
    "accept_language, navigation, about",
    [
        ("zh-TW,zh;q=0.9", "網站導覽", "我們如何核查"),
        ("zh-HK", "網站導航", "我們如何核查"),
        ("zh-MO", "網站導航", "我們如何核查"),
        ("en-US,en;q=0.9,zh-TW;q=0.8", "網站導覽", "我們如何核查"),
        ("zh-CN", "网站导航", "我们如何核查"),
        ("en-US", "网站导航", "我们如何核查"),
    ],
)
def test_the_original_text_comes_with_the_readers_own_chinese_around_it(
    client, published_digest, rumour_claim, accept_language, navigation, about
):
    """A reader who chose no reading reads the texts as written, and the site's own words in
    the Chinese her browser asks for: Taiwan's or Hong Kong's Traditional, else Simplified."""
    for path in pages(published_digest, rumour_claim):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept_language)
        html = response.content.decode()
        assert f'<nav aria-label="{navigation}">' in html, path
        assert about in html, path
        assert response["Content-Language"] == "zh" and "Accept-Language" in response["Vary"]
    page = client.get(f"/claims/{rumour_claim.pk}/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert "Meta的Llama 4团队约80%的成员已经辞职" in page.content.decode()  # as written
    assert f"<blockquote>{QUOTE}</blockquote>" in page.content.decode()


def test_a_page_kept_for_one_readers_chinese_is_not_served_to_anothers(client, published_digest):
    for accept_language, navigation in (("zh-TW", "網站導覽"), ("zh-CN", "网站导航")) * 2:
        page = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
        assert f'<nav aria-label="{navigation}">' in page


def test_a_readers_choice_of_reading_wins_over_her_browser(client, published_digest):
    page = client.get("/?script=hans", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert '<nav aria-label="网站导航">' in page
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()  # remembered
    assert '<nav aria-label="网站导航">' in page


@pytest.mark.parametrize(
    "reading, tag, locale",
    [
        ("hans", "zh-Hans", "zh_CN"),
        ("hant", "zh-Hant-TW", "zh_TW"),
        ("hk", "zh-Hant-HK", "zh_HK"),
    ],
)
def test_the_page_says_its_language_everywhere(
    client, published_digest, rumour_claim, reading, tag, locale
):
    response = client.get(f"/claims/{rumour_claim.pk}/?script={reading}")
    html = response.content.decode()
    assert response["Content-Language"] == tag
    assert f'<html lang="{tag}">' in html
    assert f'<meta property="og:locale" content="{locale}">' in html
    [review] = jsonld(html)
    assert review["inLanguage"] == tag
    for other, value in (
        ("zh-Hans", "hans"),
        ("zh-Hant-TW", "hant"),
        ("zh-Hant-HK", "hk"),
        ("x-default", "orig"),
    ):
        assert re.search(
            rf'<link rel="alternate" hreflang="{other}" href="http://testserver/claims/{rumour_claim.pk}/\?script={value}">',
            html,
        ), other


def test_the_title_meta_description_and_link_texts_follow_the_reading(
    client, published_digest, rumour_claim
):
    html = client.get(f"/claims/{rumour_claim.pk}/?script=hant").content.decode()
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title.startswith("傳言（未證實）")
    assert '<meta name="description" content="傳言（未證實）' in html
    assert '<meta property="og:title" content="傳言（未證實）' in html
    assert ">往期摘要</a>" in html and ">訂閱（Atom）</a>" in html


def test_markup_urls_and_json_ld_keys_are_not_converted(client, published_digest, rumour_claim):
    url = f"/claims/{rumour_claim.pk}/"
    hant = client.get(url + "?script=hant").content.decode()
    assert 'class="badge verdict-rumour"' in hant
    [review] = jsonld(hant)
    assert review["@type"] == "ClaimReview" and "reviewRating" in review
    assert review["claimReviewed"] == "Meta的Llama 4團隊約80%的成員已經辭職"
    assert review["reviewRating"]["alternateName"] == "傳言（未證實）"


def test_the_choice_is_remembered_until_the_original_is_asked_for(
    client, published_digest, rumour_claim
):
    first = client.get("/?script=hk")
    assert first.cookies["script"].value == "hk"
    assert "private" in first["Cache-Control"], "a response setting a cookie is not shared"
    following = client.get(f"/claims/{rumour_claim.pk}/")
    assert (
        "傳言（未經證實）" in following.content.decode()
        and following["Content-Language"] == "zh-Hant-HK"
    )

    back = client.get("/?script=orig")
    assert back.cookies["script"].value == ""
    assert "传言（未证实）" in back.content.decode()
    client.cookies.pop("script", None)
    assert "传言（未证实）" in client.get("/").content.decode()

    client.get("/?script=hans")
    assert "据说" in client.get(f"/claims/{rumour_claim.pk}/").content.decode()


@pytest.mark.parametrize("value", ["klingon", "", "<script>", "HANT", "zh-Hant"])
def test_an_unknown_script_is_ignored(client, published_digest, value):
    response = client.get("/", {"script": value})
    assert response.status_code == 200
    assert "传言（未证实）" in response.content.decode()
    assert "script" not in response.cookies


def test_a_bad_cookie_is_ignored(client, published_digest):
    client.cookies["script"] = "nonsense"
    response = client.get("/")
    assert response.status_code == 200 and "传言（未证实）" in response.content.decode()


@pytest.mark.parametrize(
    "reading, tag, label, claim",
    [
        ("hant", "zh-Hant-TW", "傳言（未證實）", "Meta的Llama 4團隊約80%的成員已經辭職"),
        ("hk", "zh-Hant-HK", "傳言（未經證實）", "Meta的Llama 4團隊約80%的成員已經辭職"),
        ("hans", "zh-Hans", "传言（未证实）", "Meta的Llama 4团队约80%的成员已经辞职"),
    ],
)
def test_the_feed_follows_the_reading(client, published_digest, reading, tag, label, claim):
    response = client.get("/feed/", {"script": reading})
    xml = response.content.decode()
    assert response.status_code == 200 and f'xml:lang="{tag}"' in xml
    assert label in xml and claim in xml
    assert "核查摘要" in xml


@pytest.mark.parametrize(
    "accept_language, label", [("zh-TW", "傳言（未證實）"), ("zh-HK", "傳言（未經證實）")]
)
def test_the_original_feed_names_verdicts_in_the_readers_chinese(
    client, published_digest, accept_language, label
):
    """As its pages do: the texts as written, the feed's own words (verdict names included) in
    the reader's Chinese."""
    xml = client.get("/feed/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert f"【{label}】Meta的Llama 4团队约80%的成员已经辞职" in xml
    assert "传言（未证实）" not in xml
