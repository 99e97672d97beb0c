"""The figure parser reads what Chinese news writes: numerals of both kinds and mixed, 万 and 亿,
shares, fractions, ranges, approximations, money in the right currency, head counts, ages,
dates and durations, in both scripts; and it measures itself on real sentences."""

import json
import random

import pytest
from django.core.management import call_command

from claims.assistant.figures import QUALIFIERS, UNITS, chinese_to_number, parse_figures
from claims.assistant.figures_eval import GOLD, evaluate_figures, load_gold


def only(text, script=None):
    figures = parse_figures(text, script)
    assert len(figures) == 1, figures
    figure = figures[0]
    assert text[figure.start : figure.end] == figure.text
    return figure


def read(text, script=None):
    figure = only(text, script)
    return figure.value, figure.unit, figure.qualifier


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("六百", 600, ""),
        ("600", 600, ""),
        ("３５００萬", 35_000_000, ""),
        ("三千五百萬", 35_000_000, ""),
        ("一亿", 100_000_000, ""),
        ("兩萬", 20_000, ""),
        ("1.2亿", 120_000_000, ""),
        ("1,234", 1234, ""),
        ("1，234", 1234, ""),
        ("３．５億", 350_000_000, ""),
        ("三点五亿", 350_000_000, ""),
        ("33萬3716人", 333_716, "people"),
        ("1萬8千元", 18_000, "TWD"),
        ("８億５千萬個", 850_000_000, "count"),
        ("323萬9千9百20人", 3_239_920, "people"),
        ("６００名员工", 600, "people"),
        ("300位美國市長", 300, "people"),
        ("600个岗位", 600, "count"),
        ("确诊1411466例", 1_411_466, "count"),
        ("14.3亿美元", 1_430_000_000, "USD"),
        ("148億美元", 14_800_000_000, "USD"),
        ("1萬億美元", 1_000_000_000_000, "USD"),
        ("$300", 300, "USD"),
        ("US$300", 300, "USD"),
        ("NT$500", 500, "TWD"),
        ("新臺幣30萬元", 300_000, "TWD"),
        ("HK$20", 20, "HKD"),
        ("5000港元", 5000, "HKD"),
        ("50亿欧元", 5_000_000_000, "EUR"),
        ("人民币100元", 100, "CNY"),
        ("205萬人民幣", 2_050_000, "CNY"),
        ("80%", 80, "%"),
        ("８０％", 80, "%"),
        ("百分之八十", 80, "%"),
        ("百分之百", 100, "%"),
        ("三成", 30, "%"),
        ("三分之二", 66.67, "%"),
        ("2/3", 66.67, "%"),
        ("20分之1", 5, "%"),
        ("十四人中有十一人", 78.57, "%"),
        ("Llama的14位原始创始研究员中，有11位已经离开了公司", 78.57, "%"),
        ("原始Llama核心14名研究員已有11人離開", 78.57, "%"),
        ("64岁", 64, "age"),
        ("九歲氣喘", 9, "age"),
        ("满18周岁", 18, "age"),
        ("14天", 14, "days"),
        ("7个月的身孕", 7, "months"),
        ("两个半月", 2.5, "months"),
        ("两周", 14, "days"),
        ("跟蹤10年", 10, "years"),
        ("半年領一次", 0.5, "years"),
        ("1.85米", 1.85, ""),
        ("20公斤", 20, ""),
    ],
)
def test_a_figure_is_read_with_its_value_and_unit(text, value, unit):
    figure = only(text)
    assert figure.value == pytest.approx(value, rel=1e-6)
    assert figure.unit == unit
    assert figure.unit in UNITS and figure.qualifier in QUALIFIERS


@pytest.mark.parametrize(
    "text, value, qualifier",
    [
        ("两千多万", 20_000_000, "more than"),
        ("逾百万", 1_000_000, "more than"),
        ("超过1000人", 1000, "more than"),
        ("42000多名", 42_000, "more than"),
        ("600余张床位", 600, "more than"),
        ("过万", 10_000, "more than"),
        ("近千万", 10_000_000, "nearly"),
        ("近15万人死亡", 150_000, "nearly"),
        ("上千萬元", 10_000_000, "at least"),
        ("上百万", 1_000_000, "at least"),
        ("至少20个州", 20, "at least"),
        ("100歲以上", 100, "at least"),
        ("约9亿元", 900_000_000, "about"),
        ("大約為百分之1", 1, "about"),
        ("1000人左右", 1000, "about"),
        ("不到10%", 10, "under"),
        ("不超过7日", 7, "under"),
        ("90％以下", 90, "under"),
        ("数千美元", 1000, "several"),
        ("幾十位", 10, "several"),
    ],
)
def test_an_approximation_keeps_its_qualifier_beside_the_value(text, value, qualifier):
    figure = only(text)
    assert (figure.value, figure.qualifier) == (pytest.approx(value), qualifier)
    assert figure.approx


@pytest.mark.parametrize(
    "text, value, qualifier",
    [
        ("近半", 50, "nearly"),
        ("過半", 50, "more than"),
        ("超过一半", 50, "more than"),
        ("约一半", 50, "about"),
        ("半数", 50, ""),
        ("近九成", 90, "nearly"),
        ("逾七成", 70, "more than"),
    ],
)
def test_half_and_tenths_are_shares(text, value, qualifier):
    assert read(text) == (value, "%", qualifier)


@pytest.mark.parametrize(
    "text, low, high, unit",
    [
        ("3至5萬", 30_000, 50_000, ""),
        ("三到五成", 30, 50, "%"),
        ("65-79歲", 65, 79, "age"),
        ("90歲至99歲", 90, 99, "age"),
        ("約7～10萬台幣", 70_000, 100_000, "TWD"),
        ("6000至16000美元", 6000, 16_000, "USD"),
        ("每桌不超过3-5人", 3, 5, "people"),
        ("3至4日即開始排石", 3, 4, "days"),
        ("两至三个星期", 14, 21, "days"),
        ("哪怕是15%-20%的差距", 15, 20, "%"),
        ("百分之九十到九十七", 90, 97, "%"),
        ("三四十人", 30, 40, "people"),
        ("有3、40元", 30, 40, "TWD"),
    ],
)
def test_a_range_gives_its_low_end_as_value_and_its_high_end(text, low, high, unit):
    figure = only(text, "hant")
    assert (figure.value, figure.high, figure.unit, figure.qualifier) == (low, high, unit, "range")
    assert figure.as_dict()["high"] == high


@pytest.mark.parametrize(
    "text, value, iso",
    [
        ("10月22日", 1022, "--10-22"),
        ("2025年10月", 20251000, "2025-10"),
        ("2020年1月23日", 20200123, "2020-01-23"),
        ("2021 年 11 月 5 日", 20211105, "2021-11-05"),
        ("民國113年", 20240000, "2024"),
        ("民国113年", 20240000, "2024"),
        ("民國27年河南瘟疫", 19380000, "1938"),
        ("二〇二五年", 20250000, "2025"),
        ("一九六一年", 19610000, "1961"),
        ("10月1號開始", 1001, "--10-01"),
        ("截至6日", 6, "---06"),
        ("6/1開始", 601, "--06-01"),
        ("2019/8月", 20190800, "2019-08"),
    ],
)
def test_a_date_gives_yyyymmdd_and_its_iso_form(text, value, iso):
    figure = only(text)
    assert (figure.value, figure.unit, figure.iso) == (value, "date", iso)


def test_a_bare_yuan_is_taiwan_dollars_in_traditional_text_and_renminbi_in_simplified():
    assert read("補助金額為500元")[1] == "TWD"
    assert read("补助金额为500元")[1] == "CNY"
    # The caller knows the article's script where a sentence does not show it.
    assert read("504元不拿白不拿", "hant")[1] == "TWD"
    assert read("504元不拿白不拿", "hans")[1] == "CNY"
    # A currency named just before wins over the script.
    assert read("摺合人民幣接近五百億元")[1:] == ("CNY", "nearly")


def test_chinese_numerals_read_as_numbers():
    assert chinese_to_number("六百") == 600
    assert chinese_to_number("三千五百万") == 35_000_000
    assert chinese_to_number("十四") == 14
    assert chinese_to_number("一百零五") == 105
    assert chinese_to_number("一亿两千万") == 120_000_000
    assert chinese_to_number("三万五千") == 35_000
    assert chinese_to_number("一万二") == 12_000
    assert chinese_to_number("二〇二五") == 2025
    assert chinese_to_number("三点五") == 3.5
    assert chinese_to_number("万") is None
    assert chinese_to_number("两千多万") is None  # an approximation, not a number
    assert chinese_to_number("abc") is None


def test_three_four_is_vague_not_thirty_four():
    assert chinese_to_number("三四") is None
    assert chinese_to_number("三四十") is None
    assert parse_figures("三四") == []


_DIGITS = "零一二三四五六七八九"


def _section(n):
    """A number under 10,000 in Chinese, written the standard way (一千零五, 三百二十)."""
    out, zero = "", False
    for size, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // size % 10
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + name
            zero = False
        elif out:
            zero = True
    return out


def _to_chinese(n):
    """An independent writer of Chinese numerals, the oracle for the reader."""
    if n == 0:
        return "零"
    parts, groups = [], [(10**8, "亿"), (10**4, "万"), (1, "")]
    rest = n
    for size, name in groups:
        chunk, rest = divmod(rest, size)
        if chunk:
            if parts and chunk < 1000:
                parts.append("零")
            parts.append(_to_chinese(chunk) if chunk >= 10**4 else _section(chunk))
            parts.append(name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def test_the_numeral_reader_agrees_with_an_independent_writer_on_random_numbers():
    # Spot checks against cn2an's an2cn output, then random numbers of every size.
    assert _to_chinese(333_716) == "三十三万三千七百一十六"
    assert _to_chinese(100_000_005) == "一亿零五"
    randomness = random.Random(13)
    numbers = [randomness.randrange(10**digits) for digits in range(1, 13) for _ in range(150)]
    for n in numbers:
        assert chinese_to_number(_to_chinese(n)) == n, (n, _to_chinese(n))
        if n > 1:  # 一人 is "a person", not a count
            assert only(f"共{_to_chinese(n)}人").value == n


def test_offsets_are_code_points_of_the_text_as_given_in_either_script():
    for text in (
        "據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈",
        "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈",
    ):
        figure = only(text)
        assert text[figure.start : figure.end] == figure.text == "80%"
        assert figure.qualifier == "about"


def test_offsets_stay_right_after_characters_outside_the_basic_plane():
    text = "搭𨋢去九龍，三千五百萬港元"
    figure = only(text)
    assert text[figure.start : figure.end] == "三千五百萬港元"
    assert (figure.value, figure.unit) == (35_000_000, "HKD")


@pytest.mark.parametrize(
    "text",
    [
        "一边是扎克伯格砸着亿万年薪在AI人才市场疯狂挖人",
        "GPT-4.5和Llama 4團隊和Llama3",
        "七到九位数",
        "这三成员都在",
        "第15天得到第二次陰性報告",
        "10时许至李家市场附近三禾包子铺就餐，10时25分用餐结束",
        "17:40-17:47在均胜路附近",
        "在北京，成千上万学生返校开学。",
        "千万不要相信",
        "万一出事",
        "一位朋友说，一次就好",
        "病例6，男，住大兴区",
        "1、汽機車 2. 抽菸",
        "上半年",
        "5G合同与COVID-19",
        "",
    ],
)
def test_words_that_look_like_numbers_are_not_figures(text):
    assert parse_figures(text) == []


def test_numbers_before_unit_words_that_start_other_words_are_no_units():
    # 四周 is "all around", 前3名 a rank, 1930年代 a decade.
    assert parse_figures("若是四周沒有旁人") == []
    assert parse_figures("超商前3名危險食物") == []
    assert parse_figures("自1930年代大萧条以来") == []


def test_the_same_article_gives_the_same_figures_in_either_script(seed_articles):
    from sources.text import to_script

    body = seed_articles["000"].body
    original = [(f.value, f.unit, f.start) for f in parse_figures(body, "hant")]
    simplified = [
        (f.value, f.unit, f.start) for f in parse_figures(to_script(body, "hans"), "hant")
    ]
    assert ("148億美元" in body) and (14_800_000_000, "USD") in {(v, u) for v, u, _ in original}
    assert {(v, u) for v, u, _ in original} == {(v, u) for v, u, _ in simplified}


def test_ten_thousand_numbers_in_one_text_are_all_read():
    text = "，".join(f"第{i}组{i + 10}人" for i in range(10_000))
    figures = parse_figures(text)
    assert len(figures) == 10_000
    assert [f.value for f in figures[:3]] == [10, 11, 12]
    assert figures[-1].value == 10_009 and figures[-1].unit == "people"


@pytest.mark.parametrize(
    "text",
    [
        "The quick brown fox jumps over 12 lazy dogs. " * 23_000,  # a megabyte without Chinese
        "一" * 1_000_000,
        "1" * 1_000_000,
        "半" * 200_000,
        "1/" * 100_000,
        "三千五百万元，近半，2020年1月23日，3至5萬，百分之八十。" * 2_000,
    ],
)
def test_bad_input_is_answered_without_a_crash(text):
    # One pass, left to right: the parser's time grows with the text, not faster
    # (claims/assistant/figure_parser.py); here, that it finishes with figures that index it.
    for figure in parse_figures(text):
        assert text[figure.start : figure.end] == figure.text


def test_the_command_prints_json_by_the_contract(capsys):
    text = "台灣已接種33萬3716人，約7～10萬台幣，民國113年起"
    call_command("figures", "--json", text)
    figures = json.loads(capsys.readouterr().out)
    assert [f["text"] for f in figures] == ["33萬3716人", "7～10萬台幣", "民國113年"]
    for figure in figures:
        assert {"text", "start", "end", "value", "unit", "qualifier"} <= set(figure)
        assert text[figure["start"] : figure["end"]] == figure["text"]
        assert isinstance(figure["value"], (int, float)) and figure["unit"] in UNITS
    assert figures[1]["qualifier"] == "range" and figures[1]["high"] == 100_000
    assert figures[2]["iso"] == "2024"


def test_the_command_reads_standard_input_and_prints_a_table(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("两千多万人"))
    call_command("figures", "-")
    out = capsys.readouterr().out
    assert "两千多万人" in out and "20000000" in out and "more than" in out


def test_the_gold_file_is_real_annotated_sentences_from_both_corpora():
    assert GOLD.is_file(), f"the gold file is missing: {GOLD}"
    gold = load_gold()
    assert len(gold) >= 150
    assert {s["corpus"] for s in gold} == {"tfc_rumours", "weibo_covid"}
    assert {s["script"] for s in gold} >= {"hans", "hant"}
    units = {f["unit"] for s in gold for f in s["figures"]}
    assert {"people", "count", "age", "CNY", "TWD", "%", "date", "days", "years"} <= units
    qualifiers = {f["qualifier"] for s in gold for f in s["figures"]}
    assert {"more than", "nearly", "about", "at least", "under", "range"} <= qualifiers
    for sentence in gold:
        for figure in sentence["figures"]:
            assert sentence["text"][figure["start"] : figure["end"]] == figure["text"]


def test_figure_accuracy_on_the_gold_file_meets_the_floor():
    score = evaluate_figures()
    assert score["sentences"] >= 150
    assert score["accuracy"] >= 0.95, (score["misses"], score["false_alarms"])
    assert score["sentence_accuracy"] >= 0.9


def test_the_command_prints_the_evaluation(capsys):
    call_command("figures", "--evaluate")
    out = capsys.readouterr().out
    assert "accuracy (F1)" in out and "sentences all right" in out
