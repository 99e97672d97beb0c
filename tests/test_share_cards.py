"""Share cards: the PNG a page's og:image points at, and the Open Graph / Twitter tags."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from PIL import Image, ImageChops

from claims import cards, services
from claims.models import Claim

pytestmark = pytest.mark.django_db

MISSING_FONT = "/nonexistent/fonts/NoSuchCJK.ttc"
READINGS = [("", "zh_CN"), ("hans", "zh_CN"), ("hant", "zh_TW"), ("hk", "zh_HK")]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cards are kept under their published entry's id, which a rolled-back test may reuse."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_font(settings):
    settings.NEWSROOM_CARD_FONT = MISSING_FONT


@pytest.fixture
def counted_renders(monkeypatch):
    calls = []
    real = cards.render_claim_card

    def counting(snapshot, script=None):
        calls.append(script)
        return real(snapshot, script)

    monkeypatch.setattr(cards, "render_claim_card", counting)
    return calls


def card_url(claim, script=""):
    return f"/claims/{claim.pk}/card.png" + (f"?script={script}" if script else "")


def image_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def meta(html, key):
    """The content of every <meta property|name="key">."""
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def test_the_card_is_a_1200_by_630_png(client, published_digest, rumour_claim):
    image = image_of(client.get(card_url(rumour_claim)))
    assert image.format == "PNG" and image.size == (1200, 630)


def test_the_card_follows_the_script_and_the_stored_text_does_not(
    client, published_digest, rumour_claim
):
    stored = Claim.objects.get(pk=rumour_claim.pk).text
    snapshot = published_digest.entries.get().snapshot["text"]
    hans = image_of(client.get(card_url(rumour_claim, "hans"))).convert("RGB")
    hant = image_of(client.get(card_url(rumour_claim, "hant"))).convert("RGB")
    assert hans.size == hant.size == (1200, 630)
    assert ImageChops.difference(hans, hant).getbbox() is not None  # the pixels differ
    rumour_claim.refresh_from_db()
    assert rumour_claim.text == stored == "Meta的Llama 4团队约80%的成员已经辞职"
    assert published_digest.entries.get().snapshot["text"] == snapshot == stored


def test_a_claims_own_card_names_it_in_its_own_script(
    client, traditional_claim, published_digest, rumour_claim
):
    """The card of the original text (no ?script=) names the verdict in the words of the claim's
    own script and draws it with that script's glyphs: a Traditional claim's is its Taiwan
    reading's card, not a Simplified label beside Traditional text; a Simplified claim's is
    its Simplified reading's."""
    claim = traditional_claim

    def pixels(of, script=""):
        return image_of(client.get(card_url(of, script))).convert("RGB")

    traditional, simplified = pixels(claim), pixels(rumour_claim)
    assert ImageChops.difference(traditional, pixels(claim, "hant")).getbbox() is None
    assert ImageChops.difference(traditional, pixels(claim, "hans")).getbbox() is not None
    assert ImageChops.difference(simplified, pixels(rumour_claim, "hans")).getbbox() is None
    assert Claim.objects.get(pk=claim.pk).text == "據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈"


def test_a_hong_kong_desks_traditional_claim_has_the_hong_kong_card(
    client, traditional_claim, settings
):
    """NEWSROOM_TRADITIONAL=hk: the card of a Traditional claim as written is its Hong Kong
    reading's (its words and glyphs), and no card drawn for Taiwan's words is served for it."""
    taiwan_desk = client.get(card_url(traditional_claim))
    settings.DESK_TRADITIONAL = "hk"
    hong_kong_desk = client.get(card_url(traditional_claim))
    assert hong_kong_desk["ETag"] != taiwan_desk["ETag"]
    own = image_of(hong_kong_desk).convert("RGB")
    hk = image_of(client.get(card_url(traditional_claim, "hk"))).convert("RGB")
    hant = image_of(client.get(card_url(traditional_claim, "hant"))).convert("RGB")
    assert ImageChops.difference(own, hk).getbbox() is None
    assert ImageChops.difference(own, hant).getbbox() is not None


def test_the_card_is_drawn_from_the_published_snapshot_not_the_live_claim(
    client, published_digest, rumour_claim, editor, counted_renders, monkeypatch
):
    services.update_claim(
        rumour_claim, actor=editor, version=rumour_claim.version, text="改过但未发布的主张"
    )
    texts = []
    real = cards.render_claim_card
    monkeypatch.setattr(
        cards,
        "render_claim_card",
        lambda snapshot, script=None: texts.append(snapshot["text"]) or real(snapshot, script),
    )
    image_of(client.get(card_url(rumour_claim)))
    assert texts == ["Meta的Llama 4团队约80%的成员已经辞职"]


def test_a_second_request_is_a_cache_hit_and_draws_nothing(
    client, published_digest, rumour_claim, counted_renders, django_assert_max_num_queries
):
    first = client.get(card_url(rumour_claim, "hant"))
    assert counted_renders == ["hant"]
    with django_assert_max_num_queries(1):  # finding the published entry; no snapshot read
        again = client.get(card_url(rumour_claim, "hant"))
    assert counted_renders == ["hant"]  # no second render
    assert again.status_code == 200 and again.content == first.content
    client.get(card_url(rumour_claim, "hk"))
    assert counted_renders == ["hant", "hk"]  # each script is its own card


def test_the_card_is_public_cached_with_an_etag_and_304(
    client, published_digest, rumour_claim, counted_renders
):
    response = client.get(card_url(rumour_claim))
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    etag = response["ETag"]
    assert etag
    again = client.get(card_url(rumour_claim), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert len(counted_renders) == 1
    # Another script is another card, with another ETag.
    other = client.get(card_url(rumour_claim, "hant"), HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200 and other["ETag"] != etag


def test_a_correction_gives_a_new_card(client, published_digest, rumour_claim, reviewer):
    etag = client.get(card_url(rumour_claim))["ETag"]
    correction = services.start_correction(published_digest, actor=reviewer, note="更正")
    services.publish_digest(correction, actor=reviewer)
    response = client.get(card_url(rumour_claim), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_an_unpublished_claim_has_no_card(client, rumour_claim, counted_renders):
    assert client.get(card_url(rumour_claim)).status_code == 404
    assert client.get("/claims/999999/card.png").status_code == 404
    assert counted_renders == []


def test_the_desk_card_is_a_png_too(client, db):
    image = image_of(client.get("/card.png?script=hk"))
    assert image.size == (1200, 630)


def test_cards_are_read_only(client, published_digest, rumour_claim):
    assert client.post(card_url(rumour_claim)).status_code == 405


def public_pages(digest, claim):
    return ["/", "/digests/", digest.get_absolute_url(), f"/claims/{claim.pk}/"]


@pytest.mark.parametrize("script, locale", READINGS)
def test_every_public_page_carries_share_tags_on_the_desk_url(
    client, published_digest, rumour_claim, settings, script, locale
):
    desk = settings.DESK_URL
    for path in public_pages(published_digest, rumour_claim):
        url = path + (f"?script={script}" if script else "")
        html = client.get(url).content.decode()
        assert meta(html, "og:locale") == [locale], url
        assert meta(html, "twitter:card") == ["summary_large_image"], url
        [image] = meta(html, "og:image")
        assert meta(html, "twitter:image") == [image]
        assert image.startswith(desk) and image.endswith(
            ".png" + (f"?script={script}" if script else "")
        )
        [page_url] = meta(html, "og:url")
        assert page_url.startswith(desk), url
        assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
        assert meta(html, "og:image:alt")[0]
        assert meta(html, "og:site_name") and meta(html, "og:type")
        assert meta(html, "og:title") and meta(html, "og:description")
        assert meta(html, "twitter:title") and meta(html, "twitter:description")
        # The image it names is there.
        assert client.get(image.removeprefix(desk.rstrip("/"))).status_code == 200


def test_claim_and_digest_pages_share_the_claims_card(client, published_digest, rumour_claim):
    card = f"http://testserver/claims/{rumour_claim.pk}/card.png?script=hant"
    for path in (f"/claims/{rumour_claim.pk}/", published_digest.get_absolute_url(), "/"):
        html = client.get(path + "?script=hant").content.decode()
        assert meta(html, "og:image") == [card], path
        assert meta(html, "og:image:alt")[0].startswith("傳言（未證實）："), path
    # A page without a claim shares the desk's card; the remembered reading is in its URL
    # (cards follow their URL only, never a cookie).
    archive = client.get("/digests/").content.decode()
    assert meta(archive, "og:image") == ["http://testserver/card.png?script=hant"]
    client.cookies.clear()
    archive = client.get("/digests/").content.decode()
    assert meta(archive, "og:image") == ["http://testserver/card.png"]


def test_share_urls_use_the_desk_url_not_the_host(client, published_digest, rumour_claim, settings):
    settings.DESK_URL = "https://factcheck.example.org/"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    html = client.get(f"/claims/{rumour_claim.pk}/", HTTP_HOST="evil.example").content.decode()
    assert meta(html, "og:url") == [f"https://factcheck.example.org/claims/{rumour_claim.pk}/"]
    assert meta(html, "og:image") == [
        f"https://factcheck.example.org/claims/{rumour_claim.pk}/card.png"
    ]
    assert "evil.example" not in "".join(meta(html, "og:image") + meta(html, "twitter:image"))


def test_imported_text_in_share_tags_is_escaped(client, seed_articles, editor, reviewer):
    claim = services.create_claim(
        actor=editor,
        text='"><script>alert(1)</script>说法',
        evidence=[{"article": seed_articles["001"], "quote": seed_articles["001"].body[:6]}],
    )
    verdict = services.propose_verdict(claim, actor=editor, rating="false", rationale="<b>x</b>")
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    services.publish_digest(
        services.create_digest(actor=reviewer, title="转义", claims=[claim]), actor=reviewer
    )
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;说法" in meta(html, "og:image:alt")[0]
    assert image_of(client.get(card_url(claim))).size == (1200, 630)


def test_without_a_font_cards_are_503_pages_have_no_image_and_the_check_warns(
    client, published_digest, rumour_claim, no_font, counted_renders
):
    response = client.get(card_url(rumour_claim))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "fonts-noto-cjk" in body and "NEWSROOM_CARD_FONT" in body
    assert "public" not in response.get("Cache-Control", "")
    assert client.get("/card.png").status_code == 503
    assert client.get("/claims/999999/card.png").status_code == 404
    assert counted_renders == []
    for path in public_pages(published_digest, rumour_claim):
        html = client.get(path).content.decode()
        assert "og:image" not in html and "twitter:image" not in html, path
        assert meta(html, "og:url") and meta(html, "og:locale"), path
    [warning] = [m for m in run_checks() if m.id == "newsroom.W010"]
    assert MISSING_FONT in warning.msg
    assert "apt-get install fonts-noto-cjk" in warning.hint
    assert "NEWSROOM_CARD_FONT" in warning.hint


def test_with_a_font_the_check_is_quiet(db):
    assert not [m for m in run_checks() if m.id == "newsroom.W010"]


def test_a_font_named_by_the_setting_is_used(settings, client, published_digest, rumour_claim):
    settings.NEWSROOM_CARD_FONT = cards.font_file() or cards._system_font()
    assert cards.font_problem() is None
    assert image_of(client.get(card_url(rumour_claim))).size == (1200, 630)


def test_long_text_wraps_by_width_and_ends_in_an_ellipsis():
    font = cards._font(cards.font_file(), None, 52)
    text = "中文新闻的谣言在社交媒体上流传，" * 12
    lines = cards.wrap(text, font, 600, 4)
    assert len(lines) == 4 and lines[-1].endswith(cards.ELLIPSIS)
    assert all(font.getlength(line) <= 600 + font.size for line in lines)
    assert not any(line[0] in cards.CLOSING for line in lines)
    assert cards.wrap("Meta裁员约600人", font, 600, 4) == ["Meta裁员约600人"]
    # Latin words are not broken in two.
    words = cards.wrap("Llama Llama Llama Llama Llama Llama Llama", font, 400, 5)
    assert all(set(line.split()) == {"Llama"} for line in words)


def test_the_empty_home_page_shares_the_desks_card(client, db):
    html = client.get("/?script=hk").content.decode()
    assert meta(html, "og:image") == ["http://testserver/card.png?script=hk"]
    assert meta(html, "og:url") == ["http://testserver/?script=hk"]
    assert meta(html, "og:locale") == ["zh_HK"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
