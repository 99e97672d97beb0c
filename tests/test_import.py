"""The importer, as an editor meets it: what a file becomes, and every refusal."""

import datetime

import pytest

from sources import text as scripts
from sources.importer import IMPORTED, REFUSED, UNCHANGED, import_bytes, import_paths
from sources.models import Article, Source
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

SIMPLIFIED = (
    "北京消息\n"
    "公司宣布裁员大约六百人，涉及人工智能部门。\n"
    "员工表示，这次调整来得很突然，很多人没有准备。\n"
)
TRADITIONAL = scripts.to_script(SIMPLIFIED, "hant")


def seed(number):
    return next(SEEDS.glob(f"{number}_*.txt"))


def imported(data, name="article.txt", **options):
    result = import_bytes(data, name, **options)
    assert result.status == IMPORTED, result.line()
    return result.article


def refused(data, name="bad.txt", **options):
    result = import_bytes(data, name, **options)
    assert result.status == REFUSED, result.line()
    assert Article.objects.count() == 0
    assert result.line().startswith(f"{name}: refused: ")
    assert "\n" not in result.line() and "Traceback" not in result.line()
    return result.message


# --- the seeds -------------------------------------------------------------------------------


def test_the_five_seeds_import_with_titles_scripts_and_sources(seed_articles):
    a = seed_articles
    assert a["000"].title == "獨家揭秘Meta AI大裁員:Llama 4落后DeepSeek的恐慌快訊"
    # No headline of their own: the title is made from the lead (a summary's label skipped).
    assert a["001"].title == "2025年10月底,MetaAI部门的一则消息炸翻了硅谷"
    assert a["002"].title == "143亿买来的首席AI官，上任就裁掉了Meta的AI元老"
    assert a["002"].published_on == datetime.date(2025, 10, 23)
    assert a["002"].tags == ["AI资讯", "Others", "公众号"]
    assert a["003"].title == "Meta斥巨资组建的“超级智能实验室”MSL,最近遭遇“人才滑铁卢”…"
    assert a["004"].title == "有爆料稱Llama 4 團隊正集體跑路?"
    assert a["000"].script in ("hant", "mixed") and a["004"].script in ("hant", "mixed")
    assert [a[n].script for n in ("001", "002", "003")] == ["hans", "hans", "hans"]
    assert a["000"].source.name == "TMT觀察網"
    assert a["001"].source.name == "网易号" and a["001"].source.kind == Source.Kind.SELF_MEDIA
    assert a["002"].source.name == "清冷的AI书房"
    assert a["003"].source.slug == Source.UNKNOWN_SLUG
    assert a["004"].source.name == "AGI Hunt"


def test_seed_boilerplate_is_kept_apart_and_no_sentence_is_lost(seed_articles):
    a = seed_articles
    assert "任何轉載的稿件" in a["000"].boilerplate and "作者投稿" in a["000"].boilerplate
    assert "轉載" not in a["000"].body and a["000"].body.endswith("(鄭峻)")
    assert a["001"].boilerplate.count("![]()") == 13
    assert "本平台仅提供信息存储服务" in a["001"].boilerplate
    assert "Notice: The content above" in a["001"].boilerplate
    assert "![]" not in a["001"].body and "特别声明" not in a["001"].body
    assert a["001"].body.endswith("至于Meta能不能逆袭,咱们不妨拭目以待。")
    assert "image_1761226054145" in a["002"].boilerplate
    assert "清冷的AI书房：专注" in a["002"].boilerplate
    assert a["002"].body.endswith("**欢迎在评论区分享你的看法！**")
    assert a["003"].boilerplate == "" and a["003"].body.startswith("TL;DR:")
    assert a["004"].boilerplate == "" and a["004"].body.endswith("(AGI Hunt)")
    # Every line of every seed is in the title, the body or the boilerplate.
    for number, article in a.items():
        kept = f"{article.title}\n{article.body}\n{article.boilerplate}"
        text = seed(number).read_text(encoding="utf-8")
        text = text.split("\n---\n", 1)[1] if text.startswith("---") else text
        for line in text.splitlines():
            assert line.strip() in kept, (number, line)


def test_importing_the_seeds_again_changes_nothing(seed_articles):
    report = import_paths([SEEDS])
    assert report.summary() == "0 imported, 5 unchanged, 0 refused (nothing changed)"
    assert Article.objects.count() == 5 and Source.objects.count() == 5
    for result in report.results:
        assert result.message.startswith(
            f"already imported as #{result.article.pk} ({result.filename}: "
        )
    assert {r.article for r in report.results} == set(seed_articles.values())


def test_the_seed_review_file_in_the_folder_is_not_taken_for_an_article(db):
    report = import_paths([SEEDS])
    assert report.ok and {r.filename[-4:] for r in report.results} == {".txt"}


# --- encodings -------------------------------------------------------------------------------


def test_a_big5_file_imports_with_the_same_text_as_its_utf8_twin():
    article = imported(TRADITIONAL.encode("big5"), "big5.txt")
    assert article.encoding == "big5"
    assert article.body == TRADITIONAL.split("\n", 1)[1].strip()
    assert article.script == "hant"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_a_simplified_file_imports_from_every_usual_encoding(encoding):
    article = imported(SIMPLIFIED.encode(encoding))
    assert article.title == "北京消息"
    assert "裁员大约六百人" in article.body
    assert "\ufeff" not in article.body and article.script == "hans"


@pytest.mark.parametrize("number", ["000", "004"])
def test_traditional_seed_paragraphs_in_big5_are_read_as_big5(number):
    # Keep the paragraphs Big5 can encode (the seeds have a few characters it cannot).
    lines = []
    for line in seed(number).read_text(encoding="utf-8").splitlines():
        try:
            line.encode("big5")
        except UnicodeEncodeError:
            continue
        lines.append(line)
    text = "\n".join(lines)
    article = imported(text.encode("big5"))
    assert article.encoding == "big5"
    assert "扎克伯格" in article.body or "Meta" in article.body


@pytest.mark.parametrize("number", ["001", "002", "003"])
def test_simplified_seeds_in_gb18030_are_the_same_article_as_in_utf8(number):
    utf8 = imported(seed(number).read_bytes(), "utf8.txt")
    again = import_bytes(seed(number).read_text(encoding="utf-8").encode("gb18030"), "gb.txt")
    assert again.status == UNCHANGED
    assert again.message.startswith(
        f"the same article as #{utf8.pk} (utf8.txt: Simplified, utf-8); this copy (Simplified, gb18030)"
    )


def test_a_seed_in_big5_with_unencodable_characters_replaced_is_still_read_as_big5():
    text = seed("004").read_text(encoding="utf-8")
    article = imported(text.encode("big5", errors="replace"))
    assert article.encoding == "big5" and article.script in ("hant", "mixed")


def test_a_forced_encoding_is_used_and_a_wrong_one_is_refused():
    message = refused(SIMPLIFIED.encode("gb18030"), encoding="utf-8")
    assert "cannot be read as utf-8" in message
    article = imported(TRADITIONAL.encode("big5"), encoding="big5")
    assert article.encoding == "big5"


def test_windows_newlines_and_decomposed_characters_are_normalized():
    text = "标题一则\r\n正文第一句。\r正文第二句：Cafe\u0301。\r\n"
    article = imported(text.encode("utf-8"))
    assert article.body == "正文第一句。\n正文第二句：Caf\u00e9。"


# --- the same article again ------------------------------------------------------------------


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize("config", ["s2t", "t2s"])
def test_a_seed_converted_to_the_other_script_is_already_imported(number, config):
    first = imported(seed(number).read_bytes(), "original.txt")
    converted = scripts.convert(seed(number).read_text(encoding="utf-8"), config)
    again = import_bytes(converted.encode("utf-8"), "converted.txt")
    assert again.status == UNCHANGED, again.line()
    # t2s leaves a Simplified seed as it is: the very same file again.
    assert again.message.startswith(
        (
            f"the same article as #{first.pk} (original.txt: ",
            f"already imported as #{first.pk} (original.txt: ",
        )
    )
    assert Article.objects.count() == 1


def test_the_same_text_with_other_line_breaks_is_already_imported():
    first = imported(SIMPLIFIED.encode())
    again = import_bytes(SIMPLIFIED.replace("\n", "\r\n\r\n").encode("gb18030"), "again.txt")
    assert again.status == UNCHANGED and f"#{first.pk}" in again.message


# --- front matter and titles -----------------------------------------------------------------


def test_front_matter_gives_title_date_source_url_and_tags():
    text = (
        "---\ntitle: 测试标题\ndate: 2024-05-06\nsource: 新华社\nurl: https://example.com/a\n"
        "tags: [科技, 人工智能]\n---\n正文第一句。\n"
    )
    article = imported(text.encode())
    assert (article.title, article.published_on) == ("测试标题", datetime.date(2024, 5, 6))
    assert article.url == "https://example.com/a" and article.tags == ["科技", "人工智能"]
    assert article.source.name == "新华社" and article.source.kind == Source.Kind.WIRE


@pytest.mark.parametrize(
    "front_matter, reason",
    [
        ("title: [未闭合\n", "malformed front matter"),
        ("- 一\n- 二\n", "malformed front matter"),
        ("title: 无结尾\n正文。\n", "no closing ---"),
        ("title: 好\ndate: 2025-13-45\n", "bad date"),
        ("title: 好\ndate: 昨天\n", "bad date"),
        ("title: {a: b}\n", "title is not text"),
        ("title: 好\nurl: 不是网址\n", "url is not a web address"),
    ],
)
def test_malformed_front_matter_is_refused_with_the_reason(front_matter, reason):
    closing = "" if "无结尾" in front_matter else "---\n"
    message = refused(f"---\n{front_matter}{closing}正文第一句。\n".encode())
    assert reason in message


def test_front_matter_without_text_is_refused():
    assert "no article text" in refused("---\ntitle: 只有标题\n---\n\n".encode())


@pytest.mark.parametrize(
    "first_line, title",
    [
        ("Meta裁员六百人", "Meta裁员六百人"),
        ("# Meta裁员六百人", "Meta裁员六百人"),
        ("有爆料稱團隊正集體跑路?", "有爆料稱團隊正集體跑路?"),
        ("TL;DR:", "正文第一句。正文第二句"),  # a five-character sentence takes the next along
        ("摘要", "正文第一句。正文第二句"),
        ("作者：张三", "正文第一句。正文第二句"),
        ("公司宣布裁员大约六百人。", "公司宣布裁员大约六百人"),
        (
            "这是一个非常长的第一段落" * 8,
            "这是一个非常长的第一段落这是一个非常长的第一段落这是一个非常长的…",
        ),
        ("第一句话。第二句话", "第一句话。第二句话"),
    ],
)
def test_the_first_line_is_the_title_when_it_reads_as_a_headline_else_the_lead_gives_one(
    first_line, title
):
    article = imported(f"{first_line}\n正文第一句。\n正文第二句。\n".encode())
    assert article.title == title


# --- boilerplate -----------------------------------------------------------------------------


def test_image_placeholders_and_platform_notices_are_kept_apart():
    text = (
        "标题在此\n正文第一句。\n![]()\n![图](images/a.png)\n正文第二句。\n"
        "免责声明：本文仅代表作者观点。\n"
        "版权所有，未经授权不得转载。\n"
    )
    article = imported(text.encode())
    assert article.body == "正文第一句。\n正文第二句。"
    assert article.boilerplate.splitlines() == [
        "![]()",
        "![图](images/a.png)",
        "免责声明：本文仅代表作者观点。",
        "版权所有，未经授权不得转载。",
    ]


def test_a_sentence_mentioning_reposting_or_sources_mid_article_stays_in_the_body():
    text = (
        "标题在此\n"
        "来源：新华社\n"
        "据消息来源透露，该文章被大量转载，来源：一位知情人士。\n"
        "未经授权不得转载的规定在业内很常见。\n"
        "最后一段说明事情的经过。\n"
    )
    article = imported(text.encode())
    assert article.body.splitlines() == [
        "据消息来源透露，该文章被大量转载，来源：一位知情人士。",
        "未经授权不得转载的规定在业内很常见。",
        "最后一段说明事情的经过。",
    ]
    assert article.boilerplate == "来源：新华社"
    assert article.source.name == "新华社"


def test_a_traditional_notice_is_recognized_as_well_as_a_simplified_one():
    text = scripts.convert(seed("001").read_text(encoding="utf-8"), "s2twp")
    article = imported(text.encode())
    assert "特別宣告" in article.boilerplate or "特別聲明" in article.boilerplate
    assert "![]()" not in article.body


# --- scripts and sources ---------------------------------------------------------------------


def test_a_file_of_a_simplified_half_and_a_traditional_half_is_mixed():
    simplified = seed("001").read_text(encoding="utf-8")[:1500]
    traditional = seed("004").read_text(encoding="utf-8")[:1500]
    assert imported(f"{simplified}\n{traditional}".encode()).script == "mixed"


def test_a_traditional_credit_finds_the_source_a_simplified_article_created():
    first = imported("标题一\n正文甲。\n来源：TMT观察网\n".encode(), "a.txt")
    second = imported("標題二\n正文乙，內容不同。\n來源：TMT觀察網\n".encode(), "b.txt")
    assert first.source == second.source
    assert Source.objects.filter(name__icontains="TMT").count() == 1


def test_a_platform_notice_names_a_self_media_source():
    text = "标题\n正文。\n特别声明：以上内容为自媒体平台“搜狐号”用户上传并发布，本平台仅提供信息存储服务。\n"
    article = imported(text.encode())
    assert (article.source.name, article.source.kind) == ("搜狐号", Source.Kind.SELF_MEDIA)


def test_a_text_that_names_no_publisher_gets_the_unknown_source():
    assert imported(SIMPLIFIED.encode()).source == Source.unknown()


# --- refusals --------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refused(b"", "empty.txt") == "refused: is empty (0 bytes)"


@pytest.mark.parametrize("data", [b"   \n\t\r\n", "\u3000\u3000\n".encode(), b"\xef\xbb\xbf  \n"])
def test_a_whitespace_only_file_is_refused(data):
    assert "only whitespace" in refused(data)


def test_a_file_of_only_notices_and_placeholders_is_refused():
    assert "no article text" in refused("![]()\n特别声明：以上内容为用户上传。\n".encode())


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    "data, kind",
    [
        (PNG, "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"plain text\x00with a NUL byte", "NUL bytes"),
        (bytes(range(1, 9)) * 50, "control characters"),
    ],
)
def test_a_binary_file_is_refused(data, kind):
    message = refused(data, "picture.png")
    assert "binary file" in message and kind in message


@pytest.mark.parametrize(
    "data",
    [
        "Café naïve résumé, déjà vu.".encode("latin-1"),
        b"\x80\x81\xff\xfe\x80 abc \xff",
    ],
)
def test_undecodable_text_is_refused(data):
    assert "cannot be decoded" in refused(data)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 100
    message = refused(("正文。" * 50).encode(), "big.txt")
    assert message == "refused: is too large (450 bytes; the limit is 100 bytes)"
    assert "is too large" in refused(("正文。" * 50).encode(), "big.txt", max_bytes=200)
    assert import_bytes(("标题\n正文。" * 5).encode(), "ok.txt", max_bytes=1000).status == IMPORTED


def test_a_refused_file_leaves_no_source_behind():
    refused("---\nsource: 新来源\ndate: 不是日期\n---\n正文。\n".encode())
    assert not Source.objects.filter(name="新来源").exists()


# --- folders ---------------------------------------------------------------------------------


def test_a_folder_imports_the_good_files_and_names_each_refused_one(tmp_path):
    (tmp_path / "good.txt").write_bytes(SIMPLIFIED.encode("gb18030"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good2.txt").write_bytes(TRADITIONAL.replace("六百", "三百").encode("big5"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(PNG)
    (tmp_path / ".hidden.txt").write_bytes(b"ignored")
    report = import_paths([tmp_path, tmp_path / "missing.txt"])
    assert report.summary() == "2 imported, 0 unchanged, 3 refused"
    refusals = sorted(r.line() for r in report.results if r.status == REFUSED)
    assert refusals == [
        f"{tmp_path / 'empty.txt'}: refused: is empty (0 bytes)",
        f"{tmp_path / 'image.png'}: refused: is a binary file, not text (PNG image)",
        f"{tmp_path / 'missing.txt'}: refused: no such file or folder",
    ]
    assert Article.objects.count() == 2


def test_a_huge_file_in_a_folder_is_refused_unread(tmp_path):
    (tmp_path / "huge.txt").write_bytes(b"a" * 2048)
    report = import_paths([tmp_path], max_bytes=1024)
    assert (
        report.results[0].message == "refused: is too large (2,048 bytes; the limit is 1,024 bytes)"
    )


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_every_seed_paragraph_is_read_in_the_encoding_it_was_written_in(number):
    from sources.decoding import decode

    for line in seed(number).read_text(encoding="utf-8").splitlines():
        if len(line) < 8 or line.isascii():
            continue
        for script in ("hans", "hant"):
            text = scripts.to_script(line, script)
            for encoding in ("gb18030", "big5"):
                try:
                    data = text.encode(encoding)
                except UnicodeEncodeError:
                    continue  # Big5 has no 裡 for every 里, GB2312-era text no 𨋢
                assert decode(data) == (text, encoding), (encoding, text[:30])


def test_a_nul_byte_deep_inside_a_long_text_file_is_refused():
    assert "NUL bytes" in refused(("正文。" * 5000).encode() + b"\x00" + "结尾。".encode())


def test_a_utf8_file_with_broken_bytes_is_refused_rather_than_read_as_gb():
    data = seed("001").read_bytes()
    assert "cannot be decoded" in refused(data[:500] + b"\xff\xfe" + data[500:])


def test_a_file_that_breaks_unexpectedly_is_reported_and_the_run_goes_on(tmp_path, monkeypatch):
    from sources import importer

    real_parse = importer.parse

    def parse(text):
        if "炸" in text:
            raise RuntimeError("boom")
        return real_parse(text)

    monkeypatch.setattr(importer, "parse", parse)
    (tmp_path / "a.txt").write_text("标题\n会炸的文章。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("标题\n正常的文章。\n", encoding="utf-8")
    report = import_paths([tmp_path])
    assert report.summary() == "1 imported, 0 unchanged, 1 refused"
    assert report.results[0].message == "refused: could not be imported (RuntimeError: boom)"


def test_a_wire_dateline_names_the_source_and_the_editor_footer_is_boilerplate():
    text = (
        "台積電宣布在美國增設晶圓廠\n"
        "（中央社記者張三台北23日電）台積電今天宣布，將在美國亞利桑那州增設晶圓廠。\n"
        "公司表示，新廠預計兩年後量產。\n"
        "（編輯：李四）1141023\n"
    )
    article = imported(text.encode("big5"))
    assert (article.source.name, article.source.kind) == ("中央社", Source.Kind.WIRE)
    assert article.title == "台積電宣布在美國增設晶圓廠"
    assert article.boilerplate == "（編輯：李四）1141023"
    assert article.body.endswith("新廠預計兩年後量產。")
