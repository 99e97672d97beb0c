"""Figures in Chinese news text: 600, 六百, 3500萬, 三千五百萬, 14.3亿美元, 80%, 百分之八十,
三成, 十四人中有十一人, 10月22日, 民國113年 — read into values with units, in both scripts.

`parse_figures(text)` returns `Figure`s whose `start`/`end` are code-point offsets into the
text as given: the parser reads `fold_chars(text)` (Traditional to Simplified and full-width to
ASCII, one character for one), so an offset found there is the same offset in the original.

Units: "USD", "CNY", "HKD", "TWD", "EUR", "JPY", "GBP" (money), "%" (shares, fractions in
words), "people" (600名, 11人, 4位), "count" (600个岗位, 300万次), "date", "age", "years",
"months", "days", "hours" (durations), "" (a bare number big enough to matter: 143亿, 800万).

Dates keep the year as the integer part so that a year reads as itself: 民國113年 -> 2024.0,
2025年10月 -> 2025.10, 2025年10月22日 -> 2025.1022, 10月22日 (no year) -> 10.22; `iso` gives
"2024", "2025-10", "2025-10-22", "--10-22".
"""

import re
from dataclasses import dataclass

from sources.text import fold_chars

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_BIG)

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = f"[{_CN_CHARS}]+"
_NUMBER = (
    rf"(?:(?P<ar>{_ARABIC})(?:\s?(?P<more>[多余])?(?P<mult>[十百千万亿]{{1,2}}))?"
    rf"|(?P<cn>{_CHINESE}))"
)

_CURRENCY_SUFFIX = [
    ("美元", "USD"), ("美金", "USD"), ("港元", "HKD"), ("港币", "HKD"), ("新台币", "TWD"),
    ("台币", "TWD"), ("欧元", "EUR"), ("日元", "JPY"), ("英镑", "GBP"), ("人民币", "CNY"),
    ("元", "CNY"), ("块钱", "CNY"),
]
_CURRENCY_PREFIX = [("us$", "USD"), ("$", "USD"), ("人民币", "CNY"), ("新台币", "TWD"),
                    ("港币", "HKD"), ("￥", "CNY"), ("¥", "CNY")]
_PEOPLE = ("名", "位", "人", "个人")
# Classifiers that count things other than people.
_COUNTERS = ("个", "项", "家", "条", "次", "款", "部", "张", "篇", "台", "颗", "块", "间", "所")
_DURATIONS = [("个月", "months"), ("小时", "hours"), ("年", "years"), ("天", "days"),
              ("周", "weeks"), ("岁", "age")]
# 成 after a number is a tenth (三成 = 30%) unless it starts a word (成为, 成员, 成功).
_NOT_TENTHS = set("为员功立长本果绩就交熟型")
# Before a number these make it vague (数百亿, 几十人) or part of a name or ordinal.
_VAGUE_BEFORE = set("数几第")

_FRACTION = re.compile(
    rf"(?P<whole>{_ARABIC}|{_CHINESE})(?P<cw>个人|[人名位个])"
    r"(?P<mid>[^。，,！？!?；;：:\n]{0,14}?)(?:中|之中|当中)?[，,]?\s*"
    r"(?:有|已有|已经有|已|就有)"
    rf"(?P<part>{_ARABIC}|{_CHINESE})(?P<cp>个人|[人名位个])"
)
_OUT_OF = re.compile(rf"(?P<whole>{_ARABIC}|{_CHINESE})分之(?P<part>{_ARABIC}|{_CHINESE})")
_PERCENT_WORDS = re.compile(rf"百分之(?P<n>{_ARABIC}|{_CHINESE})")
_HALF = re.compile(r"(?<![一两三四五六七八九十\d])半数")  # 半数股权: half (not 一半 of a thing)
_MINGUO = re.compile(rf"民国\s?(?P<y>\d{{1,3}}|{_CHINESE})\s?年(?:(?P<m>\d{{1,2}}|{_CHINESE})月)?"
                     rf"(?:(?P<d>\d{{1,2}}|{_CHINESE})[日号])?")
_DATE = re.compile(
    rf"(?:(?P<y>\d{{4}}|[{''.join(_DIGITS)}]{{4}})\s?年\s?)?"
    rf"(?:(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s?月(?!份?[薪费]))"
    rf"(?:\s?(?P<d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s?[日号])?"
    rf"|(?P<yo>\d{{4}}|[{''.join(_DIGITS)}]{{4}})\s?年(?!代|薪|龄|度?[内间])"
)
_NUMBER_RE = re.compile(_NUMBER)


@dataclass(frozen=True)
class Figure:
    text: str
    value: float
    unit: str
    start: int
    end: int
    iso: str = ""  # dates only
    approx: bool = False  # 300多万, 约600人: "more than", "about"

    def same_as(self, other, tolerance=0.0):
        """The same quantity: comparable units and values within `tolerance` (relative)."""
        if not units_comparable(self.unit, other.unit):
            return False
        big = max(abs(self.value), abs(other.value)) or 1.0
        return abs(self.value - other.value) <= tolerance * big + 1e-9


def units_comparable(a, b):
    counts = {"people", "count"}
    return a == b or (a in counts and b in counts)


def chinese_to_number(text):
    """六百 -> 600, 三千五百万 -> 35000000, 十四 -> 14, 两亿 -> 200000000, 二〇二五 -> 2025.
    None when the text is not a well-formed Chinese number."""
    if not text or any(c not in _CN_CHARS for c in text):
        return None
    if len(text) > 1 and all(c in _DIGITS for c in text):
        # Read digit by digit: 二〇二五 (a year), 一一 (an id).
        return int("".join(str(_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for char in text:
        if char in _DIGITS:
            if digit is not None and _DIGITS[char] != 0:
                return None  # 三四: two digits in a row do not make a positional number
            digit = _DIGITS[char] if _DIGITS[char] else None
        elif char in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[char]
            digit = None
        else:  # 万 or 亿
            section += digit or 0
            if section == 0 and total == 0:
                return None  # a bare 万 or 亿 is not a number
            if char == "亿":
                total = (total + section) * _BIG[char]
            else:
                total += section * _BIG[char]
            section, digit = 0, None
    return total + section + (digit or 0)


def _number_value(ar, more, mult, cn):
    if ar is not None:
        value = float(ar.replace(",", ""))
        for char in mult or "":
            value *= {**_SMALL, **_BIG}[char]
        return value
    number = chinese_to_number(cn)
    return None if number is None else float(number)


def _read(text):
    """One number: Arabic or Chinese, with 万/亿; None if it is not one."""
    if re.fullmatch(_ARABIC, text):
        return float(text.replace(",", ""))
    number = chinese_to_number(text)
    return None if number is None else float(number)


def _taken(spans, start, end):
    return any(s < end and start < e for s, e in spans)


def _starts_with(text, pos, options):
    for word, unit in options:
        if text.startswith(word, pos):
            return word, unit
    return None


def parse_figures(text):
    """All the figures in `text`, in order of their position."""
    if not text:
        return []
    folded = fold_chars(text)
    figures, spans = [], []

    def add(start, end, value, unit, iso="", approx=False):
        if _taken(spans, start, end):
            return
        spans.append((start, end))
        figures.append(Figure(text[start:end], value, unit, start, end, iso, approx))

    # Fractions in words first: 十四人中有十一人 is one figure, 11/14, not two head counts.
    for m in _FRACTION.finditer(folded):
        whole, part = _read(m["whole"]), _read(m["part"])
        if whole and part is not None and 0 < part <= whole and whole < 10**6:
            add(m.start(), m.end(), round(part / whole * 100, 2), "%")
    for m in _OUT_OF.finditer(folded):
        whole, part = _read(m["whole"]), _read(m["part"])
        if whole and part is not None and part <= whole:
            add(m.start(), m.end(), round(part / whole * 100, 2), "%")
    for m in _PERCENT_WORDS.finditer(folded):
        value = _read(m["n"])
        if value is not None:
            add(m.start(), m.end(), value, "%")
    for m in _HALF.finditer(folded):
        add(m.start(), m.end(), 50.0, "%")
    _parse_dates(folded, add)
    _parse_numbers(folded, add)
    figures.sort(key=lambda f: f.start)
    return figures


def _parse_dates(folded, add):
    for m in _MINGUO.finditer(folded):
        year = _read(m["y"])
        if year:
            _add_date(add, m, int(year) + 1911, m["m"], m["d"])
    for m in _DATE.finditer(folded):
        if m["yo"]:
            year = int(_read(m["yo"]))
            add(m.start(), m.end(), float(year), "date", iso=f"{year:04d}")
        else:
            year = _read(m["y"]) if m["y"] else None
            _add_date(add, m, int(year) if year else None, m["m"], m["d"])


def _add_date(add, m, year, month_text, day_text):
    month = int(_read(month_text)) if month_text else None
    day = int(_read(day_text)) if day_text else None
    if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
        return
    if year is not None:
        value = year + (month or 0) / 100 + (day or 0) / 10000
        iso = "-".join([f"{year:04d}"] + [f"{p:02d}" for p in (month, day) if p is not None])
    else:
        value = month + (day or 0) / 100
        iso = f"--{month:02d}" + (f"-{day:02d}" if day else "")
    add(m.start(), m.end(), round(value, 4), "date", iso=iso)


def _parse_numbers(folded, add):
    for m in _NUMBER_RE.finditer(folded):
        start, end = m.start(), m.end()
        before = folded[max(0, start - 2):start]
        if before[-1:] in _VAGUE_BEFORE:
            continue
        if m["ar"] and re.search(r"[a-z][-.]?$", before):
            continue  # Llama3, H1B, GPT-4: part of a name
        named = bool(re.search(r"[a-z] $", before))  # Llama 4: a name unless a unit follows
        value = _number_value(m["ar"], m["more"], m["mult"], m["cn"])
        if value is None:
            continue
        if m["cn"] and (m["cn"] == "一" or not any(c in _DIGITS for c in m["cn"])
                        and m["cn"][0] != "十"):
            # A lone 一 (一边, 一次) or 万/亿 without a digit (亿万年薪) is a word, not a figure.
            if not (m["cn"] == "一" and folded[end:end + 1] in "亿万"):
                continue
        approx = bool(m["more"]) or folded[end:end + 1] in "多余" or before[-1:] in "约近超逾"
        if folded[end:end + 1] in "多余":
            end += 1
        # A currency before the number ($100, 人民币100元).
        prefix = None
        for word, unit in _CURRENCY_PREFIX:
            w = folded[max(0, start - len(word) - 1):start].rstrip()
            if w.endswith(word):
                prefix = (start - len(word) - (folded[start - 1:start] == " "), unit)
                break
        rest = end
        while folded[rest:rest + 1] == " ":
            rest += 1
        unit, unit_end = _unit_after(folded, rest, value, m)
        if prefix is not None and unit in ("", "CNY", "USD", None):
            start = prefix[0]
            unit = unit or prefix[1]
            if unit_end is None:
                unit_end = end
        if unit is None or named and unit in ("", "count"):
            continue
        if unit == "" and m["ar"] and not m["mult"] and not 10 <= value < 10**9 and not prefix:
            continue  # list markers (1. 2.), footnotes, image ids: not figures
        if unit == "tenths":
            value, unit = value * 10, "%"
        add(start, unit_end if unit_end is not None else end, value, unit, approx=approx)


def _unit_after(folded, pos, value, m):
    """(unit, end) of what follows a number at `pos`; (None, None) for numbers to skip."""
    nxt = folded[pos:pos + 1]
    if nxt == "%":
        return "%", pos + 1
    found = _starts_with(folded, pos, _CURRENCY_SUFFIX)
    if found:
        return found[1], pos + len(found[0])
    if nxt == "成" and folded[pos + 1:pos + 2] not in _NOT_TENTHS and value <= 10:
        return "tenths", pos + 1
    for word in sorted(_PEOPLE, key=len, reverse=True):
        if folded.startswith(word, pos):
            if word == "位" and folded[pos + 1:pos + 2] in "数置":
                return None, None  # 九位数, 位置
            return "people", pos + len(word)
    if nxt == "个" and folded[pos + 1:pos + 3] == "月":
        return "months", pos + 2
    found = _starts_with(folded, pos, _DURATIONS)
    if found:
        return found[1], pos + len(found[0])
    if nxt and nxt in _COUNTERS:
        if nxt == "个" and folded[pos + 1:pos + 2] == "人":
            return "people", pos + 2
        return "count", pos + 1
    if m["ar"] or len(m["cn"]) > 1 and any(c in m["cn"] for c in "十百千万亿"):
        return "", None  # 600, 143亿, 六百: a number without a unit (not 十分, 三头)
    return None, None


def percentage_of(figure):
    """A share as a percentage (80% -> 80.0), else None."""
    return figure.value if figure.unit == "%" else None
