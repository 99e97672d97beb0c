"""The claim assistant finds the same claim in other outlets and scripts, and the figures
on which the outlets disagree."""

import pytest

from claims import assistant, services
from tests.conftest import RUMOUR_QUOTE

LAYOFF_QUOTE_000 = "上周三,Meta宣布對旗下人工智能部門進行重組,裁員大約600人。"


def files(found):
    return [m.article.filename[:3] for m in found]


def test_a_claim_in_a_traditional_article_finds_its_simplified_twins(seed_articles, editor):
    claim = services.create_claim(
        editor, "Meta裁员约600人",
        evidence=[{"article": seed_articles["000"], "quote": LAYOFF_QUOTE_000}],
    )
    found = assistant.matches(claim)
    twin = next(m for m in found if m.article == seed_articles["002"])
    assert "600名" in twin.quote
    assert twin.quote == seed_articles["002"].body[twin.start:twin.end]
    assert [f.text for f in twin.shared_figures] == ["600名"]


def test_matches_leave_out_the_claims_own_evidence(seed_articles, editor):
    claim = services.create_claim(
        editor, "Meta裁员约600人",
        evidence=[{"article": seed_articles["000"], "quote": LAYOFF_QUOTE_000}],
    )
    evidence = claim.evidence.get()
    for match in assistant.matches(claim, limit=50):
        overlaps = match.article == evidence.article and match.start < evidence.end and evidence.start < match.end
        assert not overlaps


def test_a_simplified_claim_finds_the_traditional_rumour(seed_articles, editor):
    claim = services.create_claim(
        editor, "Llama的14位原始创始研究员中有11位已经离开",
        evidence=[{"article": seed_articles["002"], "quote": "Llama的14位原始创始研究员中，有11位已经离开了公司"}],
    )
    found = assistant.matches(claim)
    assert files(found)[0] == "004"
    assert "14名研究員已有11人" in found[0].quote


def test_matches_are_ranked_best_first(seed_articles, rumour_claim):
    scores = [m.score for m in assistant.matches(rumour_claim)]
    assert scores == sorted(scores, reverse=True)


def test_the_seed_conflicts_are_found_from_the_articles_alone(seed_articles):
    conflicts = {c["subject"]: c for c in assistant.conflicts()}
    scale = conflicts["Scale AI投资金额"]
    assert {(f["article"].filename[:3], f["value"]) for f in scale["figures"]} == {
        ("000", 14_800_000_000), ("002", 14_300_000_000)}
    capex = conflicts["Meta 2025年AI资本支出"]
    assert {f["value"] for f in capex["figures"]} == {65_000_000_000, 72_000_000_000}
    for figure in scale["figures"] + capex["figures"]:
        body = figure["article"].body
        assert body[figure["start"]:figure["end"]] == figure["text"]
        assert figure["text"] in figure["quote"]


def test_the_rumours_80_percent_is_shown_as_hearsay_next_to_11_of_14(seed_articles):
    conflict = next(c for c in assistant.conflicts() if c["subject"] == "Llama团队离职比例")
    by_value = {round(f["value"], 1): f for f in conflict["figures"]}
    assert by_value[80.0]["hedged"] is True
    assert by_value[78.6]["hedged"] is False
    # Sourced figures come first.
    assert conflict["figures"][-1]["hedged"] is True


def test_figures_that_agree_are_no_conflict(seed_articles):
    subjects = {c["subject"] for c in assistant.conflicts()}
    assert "裁员人数" not in subjects  # 600 in 000, 001 and 002


def test_a_claim_about_the_rumour_is_told_of_its_conflict(rumour_claim):
    conflicts = assistant.claim_conflicts(rumour_claim)
    assert [c["subject"] for c in conflicts] == ["Llama团队离职比例"]


def test_a_claim_without_figures_has_no_conflicts(seed_articles, editor):
    claim = services.create_claim(
        editor, "田渊栋是科幻小说家",
        evidence=[{"article": seed_articles["000"], "quote": "值得一提的是,他還是一個科幻小說家。"}],
    )
    assert assistant.claim_conflicts(claim) == []


def test_the_queue_lists_claims_with_conflicting_figures(rumour_claim, seed_articles, editor):
    quiet = services.create_claim(
        editor, "田渊栋是科幻小说家",
        evidence=[{"article": seed_articles["000"], "quote": "值得一提的是,他還是一個科幻小說家。"}],
    )
    listed = [claim for claim, _ in assistant.claims_with_conflicting_figures()]
    assert rumour_claim in listed and quiet not in listed


def test_the_queue_lists_claims_seen_in_several_sources(seed_articles, editor):
    layoffs = services.create_claim(
        editor, "Meta在AI部门裁员约600人",
        evidence=[{"article": seed_articles["000"], "quote": LAYOFF_QUOTE_000}],
    )
    single = services.create_claim(
        editor, "Meta与谷歌签下100亿美元的云服务协议",
        evidence=[{"article": seed_articles["003"], "quote": "100亿美金的谷歌云服务协议"}],
    )
    seen = {claim: (articles, count) for claim, articles, count in
            assistant.claims_seen_in_several_sources()}
    assert layoffs in seen and single not in seen
    articles, count = seen[layoffs]
    assert count >= 2 and seed_articles["002"] in articles
    assert seed_articles["000"] not in articles


def test_an_article_without_text_worth_matching_does_no_harm(seed_articles, editor):
    from sources.importer import import_bytes

    import_bytes("标题\n\n……\n".encode(), "empty.txt")
    assert assistant.conflicts()
    claim = services.create_claim(editor, "x", evidence=[])
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
