"""Claim suggestions: the sentences of an article that likely carry a checkable claim.

A sentence is suggested when it has a figure, a percentage, money, a date, words attributed
to someone, or hedging that hints at rumour. These are cheap hints for an editor's eye, not
verdicts: the reader marks them, and one action turns a sentence into a claim with its
evidence span. Offsets are code points of the article body, like evidence offsets.
"""

import dataclasses
import re

from django.utils.translation import pgettext_lazy

# Sentence ends: Chinese and Western stops, and line breaks (headlines and list items have no
# stop). Closing quotes and brackets right after a stop belong to the sentence.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+[」』”’）)\]]*)?|[。！？!?；;]+")

_CN_DIGIT = "零〇一二三四五六七八九两兩"
_CN_NUMBER = f"[{_CN_DIGIT}十百千万萬亿億]"
# An Arabic number, not part of a Latin name such as "Llama 4" or "H1B".
_NUMBER = r"(?<![A-Za-z])(?<![A-Za-z] )[0-9０-９][0-9０-９,，.．]*"

_RULES = [
    # (reason, label shown to editors in their language, pattern)
    (
        "date",
        pgettext_lazy("suggestion reason", "date"),
        re.compile(
            rf"(?:[0-9０-９]{{1,2}}|[{_CN_DIGIT}十]{{1,3}})月(?:[0-9０-９]{{1,2}}|[{_CN_DIGIT}十]{{1,3}})[日号號]"
            r"|(?:民國|民国)?[0-9０-９]{2,4}年"
        ),
    ),
    (
        "percent",
        pgettext_lazy("suggestion reason", "percentage"),
        re.compile(
            rf"{_NUMBER}\s*[%％]|百分之{_CN_NUMBER}+|[{_CN_DIGIT}十]成(?![为為功立员員长長])"
        ),
    ),
    (
        "money",
        pgettext_lazy("suggestion reason", "amount of money"),
        re.compile(
            rf"(?:{_NUMBER}|{_CN_NUMBER}+)\s*(?:[万萬亿億]\s*)?(?:美元|美金|港元|港币|港幣|人民币|人民幣|元)"
            rf"|[$＄]\s*[0-9]|(?:{_NUMBER}|{_CN_NUMBER}+)\s*[万萬亿億]"
        ),
    ),
    (
        "figure",
        pgettext_lazy("suggestion reason", "figure"),
        re.compile(rf"{_NUMBER}|[{_CN_DIGIT}][十百千万萬亿億]|十[{_CN_DIGIT}]"),
    ),
    (
        "speech",
        pgettext_lazy("suggestion reason", "quotation"),
        re.compile(r"表示|[声聲]?[称稱]|[说說]|[写寫]道|指出|回[忆憶]|透露|强调|強調|[「『“]"),
    ),
    (
        "hedging",
        pgettext_lazy("suggestion reason", "rumour"),
        re.compile(
            r"据[说称传]|據[說稱傳]|[传傳]言|[网網][传傳]|爆料|消息人士|或[许許]|[传傳]闻|[传傳]聞|流言|谣言|謠言"
        ),
    ),
]
LABELS = {reason: label for reason, label, _ in _RULES}


@dataclasses.dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    text: str
    reasons: tuple

    @property
    def tags(self):
        """(reason, label) of each reason the sentence is suggested for, in the active language."""
        return [(r, str(LABELS[r])) for r in self.reasons]

    @property
    def label(self):
        return " · ".join(label for _reason, label in self.tags)


def sentences(body):
    """`(start, end)` of each sentence of `body`, surrounding whitespace left out."""
    spans = []
    for match in _SENTENCE.finditer(body):
        text = match.group()
        stripped = text.strip()
        if not stripped:
            continue
        start = match.start() + (len(text) - len(text.lstrip()))
        spans.append((start, start + len(stripped)))
    return spans


def reasons_for(sentence):
    """The reasons (in the order of `_RULES`) why a sentence looks checkable."""
    found = []
    # A date's digits are not a figure of their own: take dates out before looking for figures.
    rest = sentence
    for reason, _label, pattern in _RULES:
        if pattern.search(rest):
            found.append(reason)
            if reason == "date":
                rest = pattern.sub("", rest)
    if "figure" in found and ("percent" in found or "money" in found):
        # The percentage or the amount says more than the bare "figure".
        found.remove("figure")
    return tuple(found)


def suggest(body):
    """Every sentence of `body` with at least one reason, in order."""
    result = []
    for start, end in sentences(body):
        text = body[start:end]
        reasons = reasons_for(text)
        if reasons:
            result.append(Suggestion(start, end, text, reasons))
    return result
