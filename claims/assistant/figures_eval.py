"""How well the figure parser reads real Chinese: measured on a hand-annotated gold file
(claims/assistant/data/figures_gold.jsonl: sentences from the rumour and Weibo corpora, each
with the figures a fact-checker would want read from it).

A figure found is right when it overlaps an expected figure of its sentence and has the same
value (within 0.01%, or 0.01 for shares), unit and qualifier (and, for a range, the same high
end); each expected figure is matched at most once. Precision is the share of figures found that
are right, recall the share of expected figures found right, and `accuracy` their F1. A
sentence is right when its figures found are exactly its figures expected.

    evaluate_figures(path=None) -> dict   (`manage.py figures --evaluate` prints it)

The gold file, one sentence a line: {"id" (the corpus record), "corpus" (tfc_rumours or
weibo_covid in ../shared/corpus/), "script" (of the whole record, as the desk knows an
article's: it decides a bare 元), "text" (the sentence or an excerpt of it), "figures": [{"text",
"start", "end", "value", "unit", "qualifier"} (+ "high", "iso")]}, written by hand before the
parser was made to meet it, by the conventions of claims/assistant/figures.py, and these:
a unit comes from a word of the text (money without a currency word or 元 is a plain number);
a qualifier is annotated as the sentence means it, even when its word stands apart from the
number (约占世界的1/5, 幾乎佔一半); times of day, ordinals, ids, lunar dates and decades
(1930年代) are no figures; 一 as "a" (一位, 一次) is none either, but "only one case" is.
"""

import json
from collections import Counter
from pathlib import Path

from claims.assistant.figures import parse_figures

GOLD = Path(__file__).resolve().parent / "data" / "figures_gold.jsonl"


def load_gold(path=None):
    """The gold sentences: [{"id", "corpus", "script", "text", "figures": [...]}]."""
    path = Path(path or GOLD)
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _same(found, expected):
    if found["unit"] != expected["unit"] or found["qualifier"] != expected["qualifier"]:
        return False
    if not (found["start"] < expected["end"] and expected["start"] < found["end"]):
        return False
    return all(
        _close(found.get(key), expected.get(key), found["unit"]) for key in ("value", "high")
    )


def _close(a, b, unit):
    if a is None or b is None:
        return a is None and b is None
    if unit == "%":
        return abs(a - b) <= 0.01
    return abs(a - b) <= 1e-4 * max(abs(a), abs(b)) + 1e-9


def evaluate_figures(path=None):
    """{"sentences", "expected", "found", "right", "precision", "recall", "accuracy" (F1),
    "sentence_accuracy", "by_unit": {unit: {"expected", "right"}}, "by_corpus": {…},
    "misses": [...], "false_alarms": [...]} on the gold file (default: GOLD)."""
    gold = load_gold(path)
    totals = Counter()
    by_unit, by_corpus = {}, {}
    misses, false_alarms = [], []
    for sentence in gold:
        found = [f.as_dict() for f in parse_figures(sentence["text"], sentence.get("script"))]
        expected = sentence["figures"]
        unmatched = list(expected)
        right = 0
        for figure in found:
            match = next((e for e in unmatched if _same(figure, e)), None)
            if match is None:
                false_alarms.append(
                    {"id": sentence["id"], "sentence": sentence["text"], "found": figure}
                )
            else:
                unmatched.remove(match)
                right += 1
        for figure in unmatched:
            misses.append({"id": sentence["id"], "sentence": sentence["text"], "expected": figure})
        for figure in expected:
            unit = by_unit.setdefault(figure["unit"] or "(plain)", Counter())
            unit["expected"] += 1
            unit["right"] += figure not in unmatched
        corpus = by_corpus.setdefault(sentence.get("corpus", ""), Counter())
        corpus["sentences"] += 1
        corpus["right"] += not unmatched and right == len(found)
        totals["expected"] += len(expected)
        totals["found"] += len(found)
        totals["right"] += right
        totals["sentences_right"] += not unmatched and right == len(found)
    precision = totals["right"] / totals["found"] if totals["found"] else 1.0
    recall = totals["right"] / totals["expected"] if totals["expected"] else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "sentences": len(gold),
        "expected": totals["expected"],
        "found": totals["found"],
        "right": totals["right"],
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "accuracy": round(f1, 4),
        "sentence_accuracy": round(totals["sentences_right"] / len(gold), 4) if gold else 1.0,
        "by_unit": {unit: dict(counts) for unit, counts in sorted(by_unit.items())},
        "by_corpus": {name: dict(counts) for name, counts in sorted(by_corpus.items())},
        "misses": misses,
        "false_alarms": false_alarms,
    }
