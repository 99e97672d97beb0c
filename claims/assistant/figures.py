"""Figures in Chinese news text, read into values with units and qualifiers, in both scripts.

    parse_figures(text, script=None) -> [Figure]     in order of position, never overlapping
    chinese_to_number(text) -> int | float | None      六百 -> 600, 三四 -> None (vague)

A `Figure` has `text`, `start`, `end` (code-point offsets into the text as given:
`text[start:end] == figure.text`), `value` (a float), `unit`, `qualifier`, `high` (ranges) and
`iso` (dates); `as_dict()` gives the JSON form of `manage.py figures --json`.

What is read: Arabic and Chinese numerals and both mixed (3500萬, 1.2亿, 33萬3716, 1萬8千,
两千多万, 三点五), full-width digits, thousands separators (1,234 / 1，234); shares (80%,
百分之八十, 三成, 近半, 三分之二, 2/3, 十四人中有十一人); money, head counts, ages, dates,
durations and counts by the word that follows or precedes the number.

Units (`UNITS`): "people" (人, 名, 位, 员), "count" (个, 次, 家, 例, 宗… any classifier), "age"
(岁, 周岁), money "CNY", "TWD", "HKD", "USD", "EUR" (新台币/台币/NT$ -> TWD; 港元/港币/HK$ -> HKD;
人民币 -> CNY; 美元/美金/US$/$ -> USD; 欧元 -> EUR; a bare 元 is TWD in Traditional text and CNY
in Simplified text: the script is `script` when the caller knows it (the article's), else
detected from the text), "%" (shares; fractions as percentages, rounded to 2 places),
"date", "days" (天, 日 when not a date; weeks are read as 7 days), "months" (个月), "years" (年
when not a date), or "" (a bare number, or one in a unit outside this list: 公斤, 小时, 日元…).

Qualifiers (`QUALIFIERS`), kept beside the value, never folded into it:
  ""            the figure as stated
  "about"       约, 大约, 大概, 约合, …左右, …上下, …前后, …许
  "nearly"      近, 将近, 接近, 几乎
  "more than"   逾, 超过, 超, 突破, 过万/过半, 300多, 600余, 十几
  "at least"    至少, 不少于, 上千万/上百 (上 before a bare magnitude), …以上, 年满
  "under"       不到, 不足, 少于, 低于, 不超过, …以下, …以内, …内
  "several"     数千, 几十, 数万亿: value is the magnitude (数千 -> 1000)
  "range"       3至5萬, 三到五成, 65-79歲, 3、40元: value is the low end, `high` the high end

Dates: `value` is the integer YYYYMMDD with unknown parts 0, and `iso` the ISO 8601 form:
2020年1月23日 -> 20200123 "2020-01-23"; 2025年10月 -> 20251000 "2025-10"; 民國113年 -> 20240000
"2024"; 10月22日 -> 1022 "--10-22"; 25日 -> 25 "---25"; 6/1 (month/day) -> 601 "--06-01".

Spans: the number with its unit and currency words (新臺幣1萬元, 42000多名); qualifier words stay
outside the span, except before a bare magnitude, which they make a number (近萬, 上千萬元, 逾百万).

Not figures: ordinals (第5天), times of day (10时25分, 17:40), identifiers (病例6, 患者24), list
markers (1、 2.), phone numbers, names (Llama 4, COVID-19, 5G), a lone 一 used as "a" (一位朋友,
一次), idioms (万一, 千万不要, 成千上万, 一成不变).

The parser reads `fold_chars(text)` (Traditional to Simplified, full-width to ASCII, one
character for one, so offsets carry over) in one left-to-right pass: linear in the text.
"""

from dataclasses import dataclass

from claims.assistant.figure_numerals import chinese_to_number, read_numeral  # noqa: F401
from claims.assistant.figure_parser import parse
from sources.text import HANS, HANT, MIXED, detect_script, fold_chars

UNITS = (
    "people",
    "count",
    "age",
    "CNY",
    "TWD",
    "HKD",
    "USD",
    "EUR",
    "%",
    "date",
    "days",
    "months",
    "years",
    "",
)
QUALIFIERS = ("", "about", "nearly", "more than", "at least", "under", "several", "range")


@dataclass(frozen=True)
class Figure:
    text: str
    value: float
    unit: str
    start: int
    end: int
    iso: str = ""  # dates only
    qualifier: str = ""
    high: float | None = None  # ranges only

    @property
    def approx(self):
        """Not an exact figure: hedged by a qualifier, or a range."""
        return bool(self.qualifier)

    def same_as(self, other, tolerance=0.0):
        """The same quantity: comparable units and values within `tolerance` (relative)."""
        if not units_comparable(self.unit, other.unit):
            return False
        big = max(abs(self.value), abs(other.value)) or 1.0
        return abs(self.value - other.value) <= tolerance * big + 1e-9

    def as_dict(self):
        """The JSON form: text, start, end, value, unit, qualifier (+ high, iso)."""
        found = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": _plain(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
        }
        if self.high is not None:
            found["high"] = _plain(self.high)
        if self.iso:
            found["iso"] = self.iso
        return found


def _plain(value):
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def units_comparable(a, b):
    counts = {"people", "count"}
    return a == b or (a in counts and b in counts)


def percentage_of(figure):
    """A share as a percentage (80% -> 80.0), else None."""
    return figure.value if figure.unit == "%" else None


def parse_figures(text, script=None):
    """All the figures in `text`, in order of position, never overlapping. `script` ("hans",
    "hant" or "mixed": the article's) says how to read a bare 元; without it the script is
    detected from the text."""
    if not text:
        return []
    return [
        Figure(text[f.start : f.end], f.value, f.unit, f.start, f.end, f.iso, f.qualifier, f.high)
        for f in parse(text, fold_chars(text), _script_reader(text, script))
    ]


def _script_reader(text, script):
    """pos -> "hant" or "hans": the script that decides a bare 元 at `pos`."""
    known = {}

    def script_at(pos):
        if script in (HANS, HANT):
            return script
        if "text" not in known:
            known["text"] = detect_script(text)
        if known["text"] != MIXED:
            return known["text"]
        return detect_script(text[max(0, pos - 40) : pos + 40])

    return script_at
