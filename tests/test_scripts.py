"""Script handling (sources.text): which script a text is in, showing it in a reader's script
without changing text already in that script, and folding regional vocabulary for comparing,
with offsets that still index the original text.

The properties run over every seed article, every text of ../shared/corpus/ (real Taiwan and
mainland messages; the tests fail, not skip, when it is missing) and every word of the public
site in each reading."""

import gettext
import json
import re
from pathlib import Path

import pytest

from sources import text as scripts
from sources.decoding import decode, normalize
from sources.parsing import parse

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = ROOT / "seeds"
LOCALE = ROOT / "locale"
READINGS = ("hans", "hant", "hk")


def corpus_texts():
    files = sorted(CORPUS.glob("*.jsonl"))
    assert files, f"the shared corpus is missing: no *.jsonl in {CORPUS}"
    texts = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts += [record[k] for k in ("text", "report_title") if record.get(k)]
    return texts


def seed_texts():
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        fields = parse(normalize(decode(path.read_bytes())[0]))
        texts += [fields.title, fields.body]
    return texts


def _po_entries(path, plurals=None):
    """(msgctxt, msgid) → msgstr of a catalogue as written (the .po files hold one-line strings);
    the msgid_plural of each plural entry goes into `plurals`, when given, under the same key."""
    entries, current = {}, {}

    def unquote(value):
        return json.loads(value)

    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) (".*")$', line)
        if not match:
            continue
        key, value = match.group(1), unquote(match.group(2))
        if key in ("msgctxt",) or (key == "msgid" and "msgid" in current):
            current = {} if key == "msgctxt" or "msgstr" in current else current
        current[key.replace("[0]", "")] = value
        if key.startswith("msgstr") and current.get("msgid"):
            entries[(current.get("msgctxt"), current["msgid"])] = value
            if plurals is not None and "msgid_plural" in current:
                plurals[(current.get("msgctxt"), current["msgid"])] = current["msgid_plural"]
            current = {}
        elif key.startswith("msgstr"):
            current = {}
    return entries


def ui_strings():
    """Every word of the public site, by reading: hans, hant (Taiwan), hk."""
    return {
        reading: list(_po_entries(LOCALE / folder / "LC_MESSAGES" / "django.po").values())
        for reading, folder in (("hans", "zh_Hans"), ("hant", "zh_Hant"), ("hk", "zh_Hant-hk"))
    }


@pytest.fixture(scope="module")
def all_texts():
    return seed_texts() + corpus_texts()


# --- detection ----------------------------------------------------------------------------------


def test_characters_traditional_writes_the_same_way_count_for_neither():
    for char in "吃布秘台里后于范并干乾著":
        assert scripts.char_script(char) == scripts.NEITHER, char
    assert scripts.detect_script("我們今天去台北吃布丁，秘書在公里外等") == "hant"
    assert scripts.detect_script("衞生署說，這裏的着數") == "hant"  # Hong Kong forms
    assert scripts.detect_script("卫生署说，这里的着数") == "hans"


def test_taiwan_messages_are_traditional_not_mixed():
    """The Taiwan FactCheck Center's messages: mixed only where both scripts really occur."""
    records = [
        json.loads(line) for line in (CORPUS / "tfc_rumours.jsonl").read_text("utf-8").splitlines()
    ]
    mixed = [r["text"] for r in records if scripts.detect_script(r["text"]) == "mixed"]
    assert len(mixed) <= 5, len(mixed)
    for text in mixed:
        simplified, traditional = scripts.script_counts(text)
        assert simplified >= 3 and traditional >= 3


# --- conversion: never changes what is already in the reader's script --------------------------


def test_text_already_in_the_readers_script_is_returned_unchanged(all_texts):
    changed = {reading: 0 for reading in READINGS}
    for text in all_texts:
        script = scripts.detect_script(text)
        if script == "hant":
            changed["hant"] += scripts.to_script(text, "hant") != text
            changed["hk"] += scripts.to_script(text, "hk") != text
        elif script == "hans":
            changed["hans"] += scripts.to_script(text, "hans") != text
    assert changed == {"hans": 0, "hant": 0, "hk": 0}


@pytest.mark.slow
def test_converting_twice_changes_nothing_more(all_texts):
    for text in all_texts:
        for reading in READINGS:
            once = scripts.to_script(text, reading)
            assert scripts.to_script(once, reading) == once, (reading, text[:40])


def test_the_sites_own_words_are_already_in_each_readings_script():
    for reading, strings in ui_strings().items():
        assert strings, reading
        for string in strings:
            assert scripts.to_script(string, reading) == string, (reading, string)
            assert scripts.detect_script(string) in (
                ("hans",) if reading == "hans" else ("hant", "hans")
            ), string
    for string in ui_strings()["hant"] + ui_strings()["hk"]:
        for archaic in ("覈", "臺", "發佈"):
            assert archaic not in string, string


def test_simplified_becomes_taiwan_or_hong_kong_traditional_and_back():
    assert scripts.to_script("请激活账户，观看视频", "hant") == "請啟用賬戶，觀看影片"
    assert scripts.to_script("卫生署说这里的着数", "hk") == "衞生署説這裏的着數"
    assert scripts.to_script("請啟用賬戶，觀看影片", "hans") == "请激活账户，观看视频"
    assert scripts.to_script("衞生署說這裏的着數", "hans") == "卫生署说这里的着数"
    # Traditional text is never run through Simplified-to-Traditional: 一出 stays 一出.
    assert scripts.to_script("這消息一出，社群媒體上", "hant") == "這消息一出，社群媒體上"


def test_a_mixed_text_is_converted_clause_by_clause():
    text = "這消息一出，整個圈子都炸了。网友纷纷转发评论，说这不可能。"
    shown = scripts.to_script(text, "hant")
    assert shown.startswith("這消息一出，整個圈子都炸了。")  # already Traditional: as written
    assert "網友紛紛轉發評論" in shown
    assert scripts.to_script(shown, "hant") == shown


@pytest.mark.parametrize("value", ["klingon", "", None, "HANT"])
def test_an_unknown_reading_leaves_text_alone(value):
    assert scripts.to_script("据说團隊", value) == "据说團隊"


def test_the_compiled_catalogues_match_their_sources():
    """The .mo files (built from the .po by `make install`, scripts/messages.py) say what the
    .po say: after editing a .po, `make install` or `make messages` compiles it."""
    for folder in ("zh_Hans", "zh_Hant", "zh_Hant-hk"):
        directory = LOCALE / folder / "LC_MESSAGES"
        with open(directory / "django.mo", "rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        plurals = {}
        written = _po_entries(directory / "django.po", plurals)
        assert plurals, "the catalogues hold plural entries (ngettext, blocktranslate count)"
        for (context, msgid), msgstr in written.items():
            # A plural entry is looked up as ngettext does (gettext finds it only on some
            # Python releases: 3.11.7 falls back to the plural form, 3.11.2 does not).
            plural = plurals.get((context, msgid))
            if plural and context:
                shown = compiled.npgettext(context, msgid, plural, 1)
            elif plural:
                shown = compiled.ngettext(msgid, plural, 1)
            else:
                shown = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert shown == msgstr, (folder, msgid)


# --- folding: regional vocabulary, with offsets into the original -------------------------------


@pytest.mark.parametrize(
    "taiwan, mainland",
    [
        ("軟體", "软件"),
        ("資訊", "信息"),
        ("影片", "视频"),
        ("網路", "网络"),
        ("啟用", "激活"),
        ("歐巴馬", "奥巴马"),
        ("北韓", "朝鲜"),
        ("品質", "质量"),
        ("維他命", "维生素"),
    ],
)
def test_regional_pairs_fold_alike_both_ways(taiwan, mainland):
    assert scripts.fold(taiwan) == scripts.fold(mainland)
    assert scripts.find_folded(f"報導說{taiwan}很重要", mainland) == [(3, 3 + len(taiwan))]
    assert scripts.find_folded(f"报道说{mainland}很重要", taiwan) == [(3, 3 + len(mainland))]


def test_names_come_from_the_glossary_hook():
    assert scripts.fold("川普") != scripts.fold("特朗普")
    scripts.set_aliases("glossary-test", [("川普", "特朗普")])
    try:
        assert scripts.fold("川普") == scripts.fold("特朗普")
        body = "美國總統川普昨天說"
        [(start, end)] = scripts.find_folded(body, "美国总统特朗普")
        assert body[start:end] == "美國總統川普"
    finally:
        scripts.set_aliases("glossary-test", [])
    assert scripts.fold("川普") != scripts.fold("特朗普")


def test_offsets_index_the_original_when_phrases_change_length():
    body = "記憶體不足，網際網路斷了"
    [(start, end)] = scripts.find_folded(body, "内存不足")
    assert body[start:end] == "記憶體不足"
    [(start, end)] = scripts.find_folded(body, "互联网断了")
    assert body[start:end] == "網際網路斷了"
    [(start, end)] = scripts.find_folded("ＡＢＣ　２０２５年", "abc 2025")
    assert (start, end) == (0, 8)


@pytest.mark.slow
def test_fold_with_offsets_is_fold(all_texts):
    for text in all_texts:
        folded = scripts.fold_with_offsets(text)
        assert folded.text == scripts.fold(text)
        assert len(folded.starts) == len(folded.ends) == len(folded.text)


def test_every_seed_quote_anchors_across_scripts_and_regional_phrasing():
    """The measured failures: quotes typed in Simplified on Traditional articles (啟用/激活,
    歐巴馬/奥巴马, 影片/视频), and quotes on the Taiwan-phrased twin of an article."""
    import yaml

    review = yaml.safe_load((SEEDS / "review.yaml").read_text(encoding="utf-8"))
    bodies = {
        path.name: parse(normalize(decode(path.read_bytes())[0])).body
        for path in SEEDS.glob("*.txt")
    }
    quotes = [
        (e["file"], e["quote"])
        for c in review["claims"]
        for e in c.get("evidence", [])
        if e.get("file") and e.get("quote")
    ]
    assert len(quotes) > 100
    missed = []
    for filename, quote in quotes:
        body = bodies[filename]
        for article, typed in (
            (body, scripts.convert(quote, "tw2sp")),  # typed in Simplified, mainland phrases
            (scripts.convert(body, "s2twp"), quote),  # the stored copy is the Taiwan twin
            (scripts.convert(body, "tw2sp"), scripts.convert(quote, "s2twp")),
        ):
            spans = scripts.find_folded(article, typed)
            if not spans or scripts.fold(article[spans[0][0] : spans[0][1]]).replace(
                " ", ""
            ) != scripts.fold(typed).replace(" ", ""):
                missed.append((filename, typed))
    assert missed == []


@pytest.mark.django_db
def test_a_quote_typed_in_simplified_with_mainland_words_anchors_to_the_articles_own_words(
    seed_articles, editor
):
    from claims import services

    article = seed_articles["004"]
    original = "訊息最早來自X使用者@kalomaze的一則簡短推文"
    typed = "消息最早来自X用户@kalomaze的一则简短推文"  # tw2sp: 訊息 → 消息, 使用者 → 用户
    claim = services.create_claim(
        actor=editor, text="传言来自一则推文", evidence=[{"article": article, "quote": typed}]
    )
    evidence = claim.evidence.get()
    assert evidence.quote == original
    assert article.body[evidence.start : evidence.end] == original


@pytest.mark.parametrize("folder", ["zh_Hant", "zh_Hant-hk"])
def test_no_library_word_falls_back_to_simplified_in_a_traditional_reading(folder):
    """Django's admin and form errors, DRF's and django-filter's messages: Django falls back
    to the desk's default language (Simplified) for any word a reading's catalogues lack, and
    no library has a Hong Kong catalogue. The compiled catalogue of each Traditional reading
    carries them all (scripts/messages.py), so none of its words is Simplified."""
    with open(LOCALE / folder / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # A clause in Simplified is one the Taiwan reading converts (Traditional is left as written).
    simplified = [
        value
        for value in compiled._catalog.values()
        if value and scripts.to_script(value, "hant") != value
    ]
    assert not simplified, simplified[:10]


@pytest.mark.parametrize(
    "language, required, no_credentials",
    [
        ("zh-hans", "该字段是必填项。", "身份认证信息未提供。"),
        ("zh-hant", "此為必需欄位。", "身份認證資訊未提供。"),
        ("zh-hant-hk", "此為必需欄位。", "身份認證信息未提供。"),
    ],
)
def test_django_and_drf_speak_each_readings_script(language, required, no_credentials):
    from django.utils import translation

    with translation.override(language):
        assert translation.gettext("This field is required.") == required
        assert translation.gettext("Authentication credentials were not provided.") == (
            no_credentials
        )
