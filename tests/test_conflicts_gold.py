"""The conflicts' gold file and its matching rule: a found conflict is judged by the gold line
that lists exactly its figures (corpus key, figure text, start); any other is not yet judged."""

from claims.assistant import evaluation


class _Article:
    def __init__(self, filename):
        self.pk, self.body, self.filename = hash(filename), "", filename


def _figure(key, text, start):
    return {"text": text, "start": start, "end": start + len(text), "article": _Article(key)}


def _conflict(*figures):
    return {"subject": "钟南山 · 年龄", "figures": [_figure(*f) for f in figures]}


GOLD = {
    evaluation.conflict_key([["b", "85岁", 3], ["a", "84岁", 0]]): {
        "figures": [["a", "84岁", 0], ["b", "85岁", 3]],
        "subject": "钟南山 · 年龄",
        "real": True,
        "why": "the same person's age",
    },
    evaluation.conflict_key([["c", "7月3日", 5], ["d", "7月4日", 5]]): {
        "figures": [["c", "7月3日", 5], ["d", "7月4日", 5]],
        "subject": "上海 · 日期",
        "real": False,
        "why": "different days",
    },
}


def test_a_judged_conflict_is_counted_and_an_unknown_one_is_left_unjudged():
    judged = _conflict(("a", "84岁", 0), ("b", "85岁", 3))  # in another order than the gold's
    judged_false = _conflict(("d", "7月4日", 5), ("c", "7月3日", 5))
    grown = _conflict(("a", "84岁", 0), ("b", "85岁", 3), ("e", "86岁", 9))  # a figure more
    moved = _conflict(("a", "84岁", 0), ("b", "85岁", 4))  # another figure of that article
    result = evaluation.judge_conflicts([judged, grown, judged_false, moved], GOLD)
    assert [c for c, _ in result["judged"]] == [judged, judged_false]
    assert result["real"] == 1
    assert result["unjudged"] == [grown, moved]


def test_the_desks_gold_file_reads_and_every_line_is_judged():
    gold = evaluation.load_conflicts_gold()
    assert len(gold) >= 90
    for key, entry in gold.items():
        assert isinstance(entry["real"], bool) and entry["why"].strip()
        assert len({article for article, _, _ in key}) >= 2  # figures of several articles
