"""The claim assistant finds the same claim in other outlets and scripts, and the figures
on which the outlets disagree."""

import sys
import threading

import pytest

from claims import assistant, services

LAYOFF_QUOTE_000 = "上周三,Meta宣布對旗下人工智能部門進行重組,裁員大約600人。"


def files(found):
    return [m.article.filename[:3] for m in found]


def test_a_claim_in_a_traditional_article_finds_its_simplified_twins(seed_articles, editor):
    claim = services.create_claim(
        actor=editor,
        text="Meta裁员约600人",
        evidence=[{"article": seed_articles["000"], "quote": LAYOFF_QUOTE_000}],
    )
    found = assistant.matches(claim)
    twin = next(m for m in found if m.article == seed_articles["002"])
    assert "600名" in twin.quote
    assert twin.quote == seed_articles["002"].body[twin.start : twin.end]
    assert [f.text for f in twin.shared_figures] == ["600名"]


def test_matches_leave_out_the_claims_own_evidence(seed_articles, editor):
    claim = services.create_claim(
        actor=editor,
        text="Meta裁员约600人",
        evidence=[{"article": seed_articles["000"], "quote": LAYOFF_QUOTE_000}],
    )
    evidence = claim.evidence.get()
    for match in assistant.matches(claim, limit=50):
        overlaps = (
            match.article == evidence.article
            and match.start < evidence.end
            and evidence.start < match.end
        )
        assert not overlaps


def test_a_simplified_claim_finds_the_traditional_rumour(seed_articles, editor):
    claim = services.create_claim(
        actor=editor,
        text="Llama的14位原始创始研究员中有11位已经离开",
        evidence=[
            {
                "article": seed_articles["002"],
                "quote": "Llama的14位原始创始研究员中，有11位已经离开了公司",
            }
        ],
    )
    found = assistant.matches(claim)
    assert files(found)[0] == "004"
    assert "14名研究員已有11人" in found[0].quote


def test_matches_are_ranked_best_first(seed_articles, rumour_claim):
    scores = [m.score for m in assistant.matches(rumour_claim)]
    assert scores == sorted(scores, reverse=True)


def _article(name, body):
    from sources.importer import import_bytes

    result = import_bytes(f"{name}\n\n{body}\n".encode(), f"{name}.txt")
    assert result.article is not None, result.message
    return result.article


def test_the_seeds_valuations_of_two_years_are_no_conflict(seed_articles):
    # The seeds give Scale AI's valuation twice: 300億美元 after Meta's investment (000) and
    # 73亿美元 in 2021 (002). Two moments, as the seed review's verdict on it says, not a
    # disagreement: each sentence states other figures, none of them the same (two reports).
    assert "300億美元" in seed_articles["000"].body and "73亿美元" in seed_articles["002"].body
    assert assistant.conflicts() == []


def test_a_conflict_points_at_its_figures_where_the_articles_give_them(db):
    _other_news()
    _article(
        "a", "市政府宣布明年起地铁票价上调。随着新一轮融资，这家数据标注公司的估值达到300亿美元。"
    )
    _article("b", "业内人士称，随着新一轮融资，这家数据标注公司的估值达到320亿美元，创下纪录。")
    found = assistant.conflicts()
    assert len(found) == 1 and found[0]["subject"].strip()
    assert len({f["article"].pk for f in found[0]["figures"]}) == 2
    for figure in found[0]["figures"]:
        body = figure["article"].body
        assert body[figure["start"] : figure["end"]] == figure["text"]
        assert figure["text"] in figure["quote"] and figure["quote"] in body


def test_two_ages_of_one_person_are_a_conflict_named_from_the_texts(db):
    _article("a", "北京疫情突发，84岁的钟南山院士再次出征。")
    _article("b", "据媒体报道，85岁高龄的钟南山院士已空降北京。")
    found = assistant.conflicts()
    assert len(found) == 1
    conflict = found[0]
    assert "钟南山" in conflict["subject"] and "年龄" in conflict["subject"]
    assert {(f["value"], f["unit"]) for f in conflict["figures"]} == {(84, "age"), (85, "age")}


def test_ages_without_the_same_name_beside_them_are_no_conflict(db):
    _other_news()
    _article("a", "这位救援队长在运送物资途中遭遇车祸，经抢救无效不幸殉职，年仅39岁。")
    _article("b", "这位社区干部在单位加班时突发疾病，经抢救无效不幸殉职，年仅37岁。")
    assert assistant.conflicts() == []


def test_ages_in_either_script_are_compared(db):
    _article("a", "北京疫情突發，84歲的鍾南山院士再次出征。")
    _article("b", "北京疫情突发，85岁的钟南山院士再次出征。")
    assert [c["figures"][0]["unit"] for c in assistant.conflicts()] == ["age"]


def _other_news():
    # Word weights come from the desk's articles: a desk has more than the two that disagree.
    for n, text in enumerate(
        [
            "市政府宣布明年起地铁票价上调，市民意见不一。",
            "本周末全市天气晴朗，气温回升，适合出游。",
            "这家公司发布了新款手机，售价与上一代持平。",
            "研究人员表示，新药的临床试验将在明年完成。",
        ]
    ):
        _article(f"other{n}", text)


def test_a_hedged_figure_is_shown_as_hearsay_after_the_sourced_one(db):
    _other_news()
    _article("a", "据说这家公司的研发团队约有80%的成员已经集体辞职。")
    _article("b", "公司发言人表示，研发团队只有10%的成员已经辞职。")
    conflict = assistant.conflicts()[0]
    assert [f["hedged"] for f in conflict["figures"]] == [False, True]
    assert [f["value"] for f in conflict["figures"]] == [10, 80]


def test_money_is_compared_in_one_currency_only(db):
    _article("a", "这家公司为这次收购支付了100亿美元现金。")
    _article("b", "这家公司为这次收购支付了700亿元现金。")
    assert assistant.conflicts() == []


def test_durations_are_compared_in_days(db):
    _article("a", "入境旅客的集中隔离期为14天，期满后居家观察。")
    _article("b", "入境旅客的集中隔离期为两周，期满后居家观察。")
    assert assistant.conflicts() == []
    _article("c", "入境旅客的集中隔离期为21天，期满后居家观察。")
    found = assistant.conflicts()
    assert len(found) == 1 and {f["unit"] for f in found[0]["figures"]} <= {"days", "weeks"}


def test_different_quantities_are_no_conflict(db):
    _article("a", "全市今天新增确诊病例12例，均为境外输入。")
    _article("b", "这所学校的校长今年58岁，已任教三十年。")
    assert assistant.conflicts() == []


def test_daily_reports_stamped_with_other_days_are_no_conflict_of_dates(db):
    _other_news()
    _article("a", "7月4日0—24时，上海通过口岸联防联控机制，报告1例境外输入性确诊病例。")
    _article("b", "7月3日0—24时，上海通过口岸联防联控机制，报告1例境外输入性确诊病例。")
    _article("c", "截至北京时间7月7日，全球累计确诊病例超过一千万例。")
    _article("d", "截至北京时间7月6日，全球累计确诊病例超过一千万例。")
    assert assistant.conflicts() == []
    # A date the sentences say the event happened on is compared.
    _article("e", "市政府宣布，地铁三号线将于10月1日正式开通运营。")
    _article("f", "市政府宣布，地铁三号线将于10月8日正式开通运营。")
    found = assistant.conflicts()
    assert [f["text"] for c in found for f in c["figures"]] == ["10月1日", "10月8日"]


def test_counts_in_reports_stamped_with_other_days_are_no_conflict(db):
    # The day a count is of is often said once, at the head of the report: 尚有2例 and 尚有13例
    # in the reports of two days are two days' counts.
    _other_news()
    _article("a", "截至8月9日24时，新疆现有确诊病例592例。尚有2例确诊患者住院治疗。")
    _article("b", "截至8月14日24时，新疆现有确诊病例438例。尚有13例确诊患者住院治疗。")
    assert assistant.conflicts() == []
    # Another report of the first day that gives the second's count: a conflict, with the first.
    _article("c", "截至8月9日24时，新疆无新增确诊病例。尚有13例确诊患者住院治疗。")
    found = assistant.conflicts()
    assert len(found) == 1
    pairs = {(f["article"].filename, f["text"]) for f in found[0]["figures"]}
    assert {("a.txt", "2例"), ("c.txt", "13例")} <= pairs


def test_an_article_that_gives_both_figures_counts_two_things(db):
    # One article says 4 cases and 45 positives, another only the 45: the first counts two
    # quantities, of which the second names one; no disagreement.
    _other_news()
    _article("a", "北京新发地市场最新4例均与新发地相关，新发地市场45人咽拭子阳性。")
    _article("b", "据通报，北京新发地市场45人咽拭子阳性，市场暂时休市。")
    assert assistant.conflicts() == []


def test_head_counts_of_different_things_are_no_conflict(db):
    _other_news()
    _article("a", "该校高三学生已进行3次核酸检测，结果均为阴性。")
    _article("b", "该校高三学生已有80人进行核酸检测，结果均为阴性。")
    assert assistant.conflicts() == []
    _article("c", "该校高三学生已有60名进行核酸检测，结果均为阴性。")
    found = assistant.conflicts()
    assert {f["text"] for c in found for f in c["figures"]} == {"80人", "60名"}


def test_two_reports_whose_other_figures_all_differ_are_no_conflict(db):
    _other_news()
    _article("a", "美国累计报告确诊病例4164226例，累计死亡146299例。")
    _article("b", "美国累计报告确诊病例3884988例，累计死亡141426例。")
    assert assistant.conflicts() == []
    # The same report, one figure told otherwise: a conflict, between a and c only.
    _article("c", "美国累计报告确诊病例4164226例，累计死亡140000例。")
    found = assistant.conflicts()
    assert len(found) == 1
    assert {f["article"].filename for f in found[0]["figures"]} == {"a.txt", "c.txt"}
    assert {f["value"] for f in found[0]["figures"]} >= {146299, 140000}


def test_a_count_each_article_gives_differently_is_a_series_not_a_conflict(db):
    _other_news()
    for name, count in (("a", 16947), ("b", 14540), ("c", 12416)):
        _article(name, f"密切接触者中，尚有{count}人正在接受医学观察。")
    assert assistant.conflicts() == []
    # Two articles agree and a third differs: sources disagree.
    _article("d", "据通报，密切接触者中尚有12416人正在接受医学观察。")
    found = assistant.conflicts()
    assert len(found) == 1
    assert {f["value"] for f in found[0]["figures"]} >= {12416, 16947}


def test_a_claim_quoting_a_disputed_figure_is_told_of_its_conflict(db, editor):
    a = _article("a", "北京疫情突发，84岁的钟南山院士再次出征。")
    _article("b", "据媒体报道，85岁高龄的钟南山院士已空降北京。")
    claim = services.create_claim(
        actor=editor,
        text="钟南山84岁仍出征北京",
        evidence=[{"article": a, "quote": "84岁的钟南山院士再次出征"}],
    )
    found = assistant.claim_conflicts(claim)
    assert len(found) == 1 and "钟南山" in found[0]["subject"]
    assert [c for c, _ in assistant.claims_with_conflicting_figures()] == [claim]


def test_figures_that_agree_are_no_conflict(db):
    _article("a", "Meta宣布对人工智能部门进行重组，裁员大约600人。")
    _article("b", "Meta在这次重组中裁减了约600名人工智能部门的员工。")
    assert assistant.conflicts() == []


def test_a_claim_without_figures_has_no_conflicts(seed_articles, editor):
    claim = services.create_claim(
        actor=editor,
        text="田渊栋是科幻小说家",
        evidence=[
            {"article": seed_articles["000"], "quote": "值得一提的是,他還是一個科幻小說家。"}
        ],
    )
    assert assistant.claim_conflicts(claim) == []


def test_the_queue_lists_only_claims_with_conflicting_figures(seed_articles, editor):
    quiet = services.create_claim(
        actor=editor,
        text="田渊栋是科幻小说家",
        evidence=[
            {"article": seed_articles["000"], "quote": "值得一提的是,他還是一個科幻小說家。"}
        ],
    )
    listed = [claim for claim, _ in assistant.claims_with_conflicting_figures()]
    assert quiet not in listed


def test_the_queue_lists_claims_seen_in_several_sources(seed_articles, editor):
    layoffs = services.create_claim(
        actor=editor,
        text="Meta在AI部门裁员约600人",
        evidence=[{"article": seed_articles["000"], "quote": LAYOFF_QUOTE_000}],
    )
    single = services.create_claim(
        actor=editor,
        text="Meta与谷歌签下100亿美元的云服务协议",
        evidence=[{"article": seed_articles["003"], "quote": "100亿美金的谷歌云服务协议"}],
    )
    seen = {
        claim: (articles, count)
        for claim, articles, count in assistant.claims_seen_in_several_sources()
    }
    assert layoffs in seen and single not in seen
    articles, count = seen[layoffs]
    assert count >= 2 and seed_articles["002"] in articles
    assert seed_articles["000"] not in articles


def test_a_post_that_shares_only_the_claims_topic_is_not_a_source_of_it(db, editor):
    """A sentence holding one phrase of the claim (the virus's name) is about the same story,
    not a report of the claim; one that says two separate parts of it is (Weibo posts)."""
    from sources.importer import import_bytes

    def post(name, text):
        return import_bytes(f"{name}\n\n{text}\n".encode(), f"{name}.txt").article

    prediction = post("老人报", "八年前的《老人报》早已做出预测：中国不排除新型冠状病毒输入可能。")
    masks = post("口罩", "3月以来我国已出口38.6亿只口罩。新型冠状病毒检测试剂284万盒；")
    retold = post("转发", "网传老人报早就预测了，病毒会输入中国。真的吗？")
    claim = services.create_claim(
        actor=editor,
        text="老人报预测中国不排除新型冠状病毒输入",
        evidence=[{"article": prediction, "quote": "中国不排除新型冠状病毒输入可能"}],
    )
    seen = {c: articles for c, articles, _ in assistant.claims_seen_in_several_sources()}
    assert retold in seen[claim]
    assert masks not in seen[claim]


def test_an_article_without_text_worth_matching_does_no_harm(seed_articles, editor):
    from sources.importer import import_bytes

    import_bytes("标题\n\n……\n".encode(), "empty.txt")
    assert isinstance(assistant.conflicts(), list)
    claim = services.create_claim(actor=editor, text="x", evidence=[])
    assert assistant.matches(claim) == [] or all(m.score > 0 for m in assistant.matches(claim))


@pytest.mark.parametrize("text", ["", "   ", "12345", "a" * 5000])
def test_odd_claim_texts_do_not_break_matching(seed_articles, text):
    found = assistant.matches_for_text([text])
    assert isinstance(found, list)


def test_the_two_ends_of_a_range_are_no_conflict(db):
    from sources.importer import import_bytes

    for name in ("a.txt", "b.txt"):
        text = f"差距之说 {name}\n\n前员工说，在AI这个赛道，哪怕是15%-20%的差距都会决定胜负生死，这是{name}的说法。\n"
        assert import_bytes(text.encode(), name).article is not None
    assert assistant.conflicts() == []


def test_outlets_wording_a_quantity_alike_with_different_figures_conflict(db):
    from sources.importer import import_bytes

    for name, figure in (("a.txt", "300亿美元"), ("b.txt", "320亿美元")):
        text = f"估值 {name}\n\n随着新一轮融资，这家数据标注公司的估值达到{figure}，创下纪录。\n"
        import_bytes(text.encode(), name)
    found = assistant.conflicts()
    assert len(found) == 1
    assert {f["value"] for f in found[0]["figures"]} == {30_000_000_000, 32_000_000_000}
    assert "估值" in found[0]["subject"]


def test_requests_asking_for_conflicts_at_once_read_each_figure_once(db):
    """A threaded server (`make run`) answers the queue's requests at once: each reads the
    figures of new sentences, in turns, and gets what one request alone gets (before, two
    read the same figures into one list at once: an IndexError, a 500 on the queue)."""
    for n in range(10):
        _article(
            f"r{n}",
            "。".join(
                f"截至{m % 12 + 1}月{n % 28 + 1}日24时，第{m}区尚有{n * 7 + m}例确诊患者住院治疗，"
                f"{m + n}人正在接受医学观察"
                for m in range(12)
            )
            + "。",
        )
    from claims.assistant import index as assistant_index

    index = assistant_index.current()
    errors, answers = [], []

    def ask(barrier):
        barrier.wait()
        try:
            answers.append([c["subject"] for c in assistant.conflicts()])
        except Exception as error:  # noqa: BLE001 - any error is the finding
            errors.append(error)

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # the threads take turns every few bytecodes, not every 5 ms
    try:
        for _ in range(3):
            index.mentions = None
            barrier = threading.Barrier(4)
            threads = [threading.Thread(target=ask, args=(barrier,)) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        sys.setswitchinterval(switch)
    assert errors == [], [repr(e) for e in errors]
    read_at_once = len(index.mentions.row)
    index.mentions = None
    alone = [c["subject"] for c in assistant.conflicts()]
    assert len(index.mentions.row) == read_at_once
    assert answers == [alone] * 12


def test_warming_reads_the_index_before_the_first_request(desk_groups, seed_articles):
    """gunicorn's master reads the index before it forks its workers (NEWSROOM_WARM_ASSISTANT,
    newsroom/wsgi.py): afterwards the process holds every stored passage, and its database
    connection is closed, not handed to the workers, yet the database still answers."""
    from claims.assistant import index
    from claims.assistant.models import Passage

    index.reset()
    assert index.loaded() is None
    index.warm()
    warmed = index.loaded()
    assert warmed is not None
    assert warmed.n_sentences == Passage.objects.count() > 0
    assert index.current() is warmed  # the first request finds it, and reads nothing again
