"""Readers choose the script: ?script=hans|hant converts the whole visible page, and is
remembered; the default shows the original text."""

import json
import re
from html.parser import HTMLParser

import pytest

from newsroom.script import convert_html
from sources.text import to_script

pytestmark = pytest.mark.django_db

READABLE_ATTRS = ("title", "alt", "aria-label", "placeholder")
READABLE_META = ("description", "og:title", "og:description", "og:site_name")


class VisibleText(HTMLParser):
    """What a reader sees: text outside <script>/<style>, readable attributes, meta text."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden, self.hrefs = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [attrs[a] for a in READABLE_ATTRS if attrs.get(a)]
        if tag == "meta" and (attrs.get("name") or attrs.get("property")) in READABLE_META:
            self.parts.append(attrs.get("content") or "")
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html):
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts), parser.hrefs


def jsonld(html):
    return [json.loads(block) for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]


def pages(published_digest, rumour_claim):
    return ["/", "/digests/", published_digest.get_absolute_url(), f"/claims/{rumour_claim.pk}/"]


def test_the_traditional_page_has_no_simplified_text_left(client, published_digest, rumour_claim):
    for url in pages(published_digest, rumour_claim):
        text, _ = visible(client.get(url + "?script=hant").content.decode())
        assert to_script(text, "hant") == text, url
        # (核 is Traditional too, so 核查 may stay; these characters are Simplified only.)
        for simplified in ("发布", "传言（未证实）", "团队", "证据", "简体", "订阅"):
            assert simplified not in text, (url, simplified)
    claim_page = client.get(f"/claims/{rumour_claim.pk}/?script=hant").content.decode()
    assert "傳言（未證實）" in claim_page and "Meta的Llama 4團隊約80%的成員已經辭職" in claim_page


def test_the_simplified_page_has_no_traditional_text_left(client, published_digest, rumour_claim):
    for url in pages(published_digest, rumour_claim):
        text, _ = visible(client.get(url + "?script=hans").content.decode())
        assert to_script(text, "hans") == text, url
        assert "據說" not in text and "團隊" not in text
    claim_page = client.get(f"/claims/{rumour_claim.pk}/?script=hans").content.decode()
    assert "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈" in claim_page


def test_the_original_text_is_the_default(client, published_digest, rumour_claim):
    html = client.get(f"/claims/{rumour_claim.pk}/").content.decode()
    assert "Meta的Llama 4团队约80%的成员已经辞职" in html  # the claim, as written (Simplified)
    assert "據說Meta的Llama 4團隊" in html  # the quote, as the article has it (Traditional)


def test_the_title_meta_description_and_link_texts_follow_the_script(client, published_digest, rumour_claim):
    html = client.get(f"/claims/{rumour_claim.pk}/?script=hant").content.decode()
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title.startswith("傳言（未證實）")
    assert '<meta name="description" content="傳言（未證實）' in html
    assert '<meta property="og:title" content="傳言（未證實）' in html
    assert ">往期摘要</a>" in html and ">訂閱（Atom）</a>" in html
    assert 'aria-label="網站導航"' in html


def test_markup_urls_and_json_ld_keys_are_not_converted(client, published_digest, rumour_claim):
    url = f"/claims/{rumour_claim.pk}/"
    original, hant = client.get(url).content.decode(), client.get(url + "?script=hant").content.decode()
    assert visible(original)[1] == visible(hant)[1], "links stay the same"
    assert 'class="badge verdict-rumour"' in hant
    [review] = jsonld(hant)
    assert review["@type"] == "ClaimReview" and "reviewRating" in review
    assert review["claimReviewed"] == "Meta的Llama 4團隊約80%的成員已經辭職"
    assert review["reviewRating"]["alternateName"] == "傳言（未證實）"


def test_the_choice_is_remembered_until_the_original_is_asked_for(client, published_digest, rumour_claim):
    first = client.get("/?script=hant")
    assert first.cookies["script"].value == "hant"
    assert "private" in first["Cache-Control"], "a response setting a cookie is not shared"
    following = client.get(f"/claims/{rumour_claim.pk}/").content.decode()
    assert "傳言（未證實）" in following
    assert client.get("/digests/").content.decode().count("發佈") >= 1

    back = client.get("/?script=orig")
    assert back.cookies["script"].value == ""
    assert "传言（未证实）" in back.content.decode()
    client.cookies.pop("script", None)
    assert "传言（未证实）" in client.get("/").content.decode()

    client.get("/?script=hans")
    assert "据说" in client.get(f"/claims/{rumour_claim.pk}/").content.decode()


@pytest.mark.parametrize("value", ["klingon", "", "<script>", "HANT"])
def test_an_unknown_script_is_ignored(client, published_digest, value):
    response = client.get("/", {"script": value})
    assert response.status_code == 200
    assert "传言（未证实）" in response.content.decode()
    assert "script" not in response.cookies


def test_a_bad_cookie_is_ignored(client, published_digest):
    client.cookies["script"] = "nonsense"
    response = client.get("/")
    assert response.status_code == 200 and "传言（未证实）" in response.content.decode()


def test_convert_html_leaves_markup_comments_and_scripts_alone():
    html = (
        '<a href="/digests/发布/" title="发布" class="发布">发布</a><!-- 发布 -->'
        '<script type="application/ld+json">{"发布": "发布"}</script>'
        '<meta name="description" content="发布"><meta property="og:url" content="http://x/发布">'
        '<input type="submit" value="发布"><input name="q" value="发布">'
    )
    assert convert_html(html, "hant") == (
        '<a href="/digests/发布/" title="發佈" class="发布">發佈</a><!-- 发布 -->'
        '<script type="application/ld+json">{"发布": "发布"}</script>'
        '<meta name="description" content="發佈"><meta property="og:url" content="http://x/发布">'
        '<input type="submit" value="發佈"><input name="q" value="发布">'
    )
    assert convert_html(html, "klingon") == html
