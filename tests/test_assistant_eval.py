"""The claim assistant, measured on real texts nobody on the project wrote (../shared/corpus/:
Taiwan FactCheck Center rumour messages, Weibo posts). The corpus is the truth; these floors
catch a regression. A missing corpus is a failure, never a skip."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.assistant import evaluation

# Floors (measured: see `manage.py assistant_eval`, and the numbers in the report of issue 13).
SAME_REPORT_RECALL_FLOOR = 0.8
KNOWN_CLAIM_PRECISION_FLOOR = 0.75
KNOWN_CLAIM_RECALL_FLOOR = 0.35
# Known claims on a desk that follows one story (the seed articles and the desk's review of
# them; measured 0.440 and 0.741): its articles are all alike, so a floor keeps the weights
# from being chosen on rumours of many stories alone.
ONE_STORY_RECALL_FLOOR = 0.38
ONE_STORY_PRECISION_FLOOR = 0.65
# "Seen in several sources" (measured 0.429 and 0.381; counting a sentence that holds one
# phrase of the claim made it 0.497 and 0.252, and also any sentence that gave one of the
# claim's figures 0.506 and 0.157: claims.assistant.matching).
SEVERAL_SOURCES_RECALL_FLOOR = 0.4
SEVERAL_SOURCES_PRECISION_FLOOR = 0.33
# ... and on one story (measured 0.560 and 0.689; with one phrase enough, 0.637 and 0.527).
SEVERAL_ON_ONE_STORY_RECALL_FLOOR = 0.5
SEVERAL_ON_ONE_STORY_PRECISION_FLOOR = 0.6
# Share of the conflicts found that the hand-judged gold file (claims/assistant/data/
# conflicts_gold.jsonl) covers: below it, the gold file is out of date and must be extended.
CONFLICTS_JUDGED_FLOOR = 0.8
# By hand, 4 of the 25 conflicts found are real (precision 0.16; 4 of 38, 0.11, before the
# reports' own days and the values one article gives both of were told apart): the four stay
# found, and what is left out stays left out.
CONFLICTS_REAL_FLOOR = 4
CONFLICTS_PRECISION_FLOOR = 0.15


def test_the_corpus_is_beside_the_project():
    corpus = Path(settings.BASE_DIR).parent / "shared" / "corpus"
    assert evaluation.corpus_dir() == corpus
    assert (corpus / evaluation.TFC).is_file(), f"the shared corpus is missing at {corpus}"
    assert (corpus / evaluation.WEIBO).is_file(), f"the shared corpus is missing at {corpus}"


@pytest.mark.slow(seconds=20)
def test_the_assistant_meets_its_floors_on_the_corpus_and_the_command_prints_them(
    db, capsys, monkeypatch
):
    """One evaluation (it takes half a minute), through the command editors run; the measures
    it printed are checked against the floors."""
    from claims.management.commands import assistant_eval

    measured = {}

    def evaluate_and_keep(*args, **kwargs):
        measured.update(evaluation.evaluate(*args, **kwargs))
        return measured

    monkeypatch.setattr(assistant_eval, "evaluate", evaluate_and_keep)
    call_command("assistant_eval")
    out = capsys.readouterr().out
    for line in (
        "same-report matching @5 (original scripts): recall",
        "claim side converted to the other script",
        "known claims on arrival",
        "known claims on one story (the seed articles and the desk's review of them): recall",
        '"seen in several sources" (the queue\'s list): recall',
        '"seen in several sources" on one story: recall',
        "figure accuracy",
        "conflicts:",
        "conflicts judged by hand:",
    ):
        assert line in out

    # Same-report messages are found in either script.
    for key in ("matching", "matching_converted"):
        score = measured[key]
        assert score.expected >= 300
        assert score.recall >= SAME_REPORT_RECALL_FLOOR, (key, score.recall)
    # Known claims are found when a text arrives.
    for key in ("known", "known_converted"):
        score = measured[key]
        assert score.recall >= KNOWN_CLAIM_RECALL_FLOOR, (key, score.recall)
        assert score.precision >= KNOWN_CLAIM_PRECISION_FLOOR, (key, score.precision)
    # ... and on a desk that follows one story, where every article is like the others.
    one_story = measured["known_one_story"]
    assert one_story.expected >= 80
    assert one_story.recall >= ONE_STORY_RECALL_FLOOR, one_story.recall
    assert one_story.precision >= ONE_STORY_PRECISION_FLOOR, one_story.precision
    # The queue's "seen in several sources" lists the same rumour's other messages, and few
    # others: a figure alone (一个月, 2020年) does not make a rumour of another kind a source.
    several = measured["several"]
    assert several.expected >= 300
    assert several.recall >= SEVERAL_SOURCES_RECALL_FLOOR, several.recall
    assert several.precision >= SEVERAL_SOURCES_PRECISION_FLOOR, several.precision
    several = measured["several_one_story"]
    assert several.expected >= 80
    assert several.recall >= SEVERAL_ON_ONE_STORY_RECALL_FLOOR, several.recall
    assert several.precision >= SEVERAL_ON_ONE_STORY_PRECISION_FLOOR, several.precision
    # Ages given differently are a conflict.
    assert measured["conflicts"]["age_case"], "钟南山 84 / 85 岁"
    assert "钟南山 84 / 85 岁: found" in out
    # The conflicts found are (mostly) judged by hand: the gold file stays in use.
    conflicts = measured["conflicts"]
    judged = len(conflicts["judged"])
    assert judged + len(conflicts["unjudged"]) == len(conflicts["conflicts"])
    assert judged >= CONFLICTS_JUDGED_FLOOR * len(conflicts["conflicts"]), (
        judged,
        len(conflicts["conflicts"]),
    )
    assert f"conflicts judged by hand: {judged} of {len(conflicts['conflicts'])} found" in out
    assert any("钟南山" in c["subject"] and e["real"] for c, e in conflicts["judged"])
    assert conflicts["judged_real"] >= CONFLICTS_REAL_FLOOR, conflicts["judged_real"]
    precision = conflicts["judged_real"] / len(conflicts["conflicts"])
    assert precision >= CONFLICTS_PRECISION_FLOOR, precision


def test_a_missing_corpus_is_an_error_with_its_path(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No corpus file"):
        call_command("assistant_eval", corpus=str(tmp_path))
