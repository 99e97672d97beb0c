"""The figure parser reads what Chinese news writes: numerals of both kinds, 万 and 亿,
shares, fractions in words, money, head counts and dates, in both scripts."""

import pytest

from claims.assistant.figures import chinese_to_number, parse_figures


def only(text):
    figures = parse_figures(text)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize("text, value, unit", [
    ("六百", 600, ""),
    ("600", 600, ""),
    ("３５００萬", 35_000_000, ""),
    ("三千五百萬", 35_000_000, ""),
    ("一亿", 100_000_000, ""),
    ("两万", 20_000, ""),
    ("兩萬", 20_000, ""),
    ("６００名员工", 600, "people"),
    ("600名员工", 600, "people"),
    ("600个岗位", 600, "count"),
    ("裁員大約600人", 600, "people"),
    ("14.3亿美元", 1_430_000_000, "USD"),
    ("148億美元", 14_800_000_000, "USD"),
    ("143亿美元", 14_300_000_000, "USD"),
    ("1亿美金的签约金", 100_000_000, "USD"),
    ("兩億美元天價合同", 200_000_000, "USD"),
    ("$300", 300, "USD"),
    ("人民币100元", 100, "CNY"),
    ("500元", 500, "CNY"),
    ("80%", 80, "%"),
    ("８０％", 80, "%"),
    ("4.3%", 4.3, "%"),
    ("百分之八十", 80, "%"),
    ("三成", 30, "%"),
    ("八成", 80, "%"),
    ("三分之二", 66.67, "%"),
    ("十四人中有十一人", 78.57, "%"),
    ("Llama的14位原始创始研究员中，有11位已经离开了公司", 78.57, "%"),
    ("原始Llama核心14名研究員已有11人離開", 78.57, "%"),
    ("10月22日", 10.22, "date"),
    ("2025年10月", 2025.10, "date"),
    ("2025年10月22日", 2025.1022, "date"),
    ("民國113年", 2024, "date"),
    ("民国113年", 2024, "date"),
    ("二〇二五年", 2025, "date"),
])
def test_a_figure_is_read_with_its_value_and_unit(text, value, unit):
    figure = only(text)
    assert figure.value == pytest.approx(value, rel=1e-4)
    assert figure.unit == unit


def test_chinese_numerals_read_as_numbers():
    assert chinese_to_number("六百") == 600
    assert chinese_to_number("三千五百万") == 35_000_000
    assert chinese_to_number("十四") == 14
    assert chinese_to_number("一百零五") == 105
    assert chinese_to_number("一亿两千万") == 120_000_000
    assert chinese_to_number("三万五千") == 35_000
    assert chinese_to_number("万") is None
    assert chinese_to_number("abc") is None


def test_offsets_are_code_points_of_the_text_as_given_in_either_script():
    for text in ("據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈",
                 "据说Meta的Llama 4团队约80%的成员已经集体递交辞呈"):
        figure = only(text)
        assert text[figure.start:figure.end] == figure.text == "80%"
        assert figure.approx  # 約80%


def test_offsets_stay_right_after_characters_outside_the_basic_plane():
    text = "搭𨋢去九龍，三千五百萬港元"
    figure = only(text)
    assert text[figure.start:figure.end] == "三千五百萬港元"
    assert (figure.value, figure.unit) == (35_000_000, "HKD")


def test_a_date_keeps_its_iso_form():
    assert only("10月22日").iso == "--10-22"
    assert only("民國113年").iso == "2024"
    assert only("2025年10月22日").iso == "2025-10-22"


def test_words_that_look_like_numbers_are_not_figures():
    assert parse_figures("一边是扎克伯格砸着亿万年薪在AI人才市场疯狂挖人") == []
    assert parse_figures("GPT-4.5和Llama 4團隊和Llama3") == []
    assert parse_figures("七到九位数") == []
    assert parse_figures("数百亿美元的资本支出") == []
    assert parse_figures("这三成员都在") == []  # 成员 (members), not 三成 (30%)
    assert parse_figures("") == []


def test_a_range_gives_both_ends():
    assert [f.value for f in parse_figures("哪怕是15%-20%的差距")] == [15, 20]


def test_the_same_article_gives_the_same_figures_in_either_script(seed_articles):
    from sources.text import to_script

    body = seed_articles["000"].body
    original = [(f.value, f.unit, f.start) for f in parse_figures(body)]
    simplified = [(f.value, f.unit, f.start) for f in parse_figures(to_script(body, "hans"))]
    assert ("148億美元" in body) and (14_800_000_000, "USD") in {(v, u) for v, u, _ in original}
    assert {(v, u) for v, u, _ in original} == {(v, u) for v, u, _ in simplified}
