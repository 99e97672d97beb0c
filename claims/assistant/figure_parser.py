"""The figure parser's scanner: one left-to-right pass over folded text (see figures.py for what
it reads and the conventions of its output). Each place where a number may start is read once:
a date, a fraction, a share, or a number with its unit, qualifier and currency; then the scan
goes on after what was read, so the pass is linear in the text.
"""

import re

from claims.assistant import figure_words as W
from claims.assistant.figure_numerals import ARABIC, CN_DIGITS, TOKEN, D, M, read_numeral

_START = re.compile(rf"[0-9{D}{M}半]")
_TIME = re.compile(
    r"[时点]?(?:许|半|整)?(?:\d{1,2}分?)?(?::\d\d)*(?:[-~至到]\d{1,2}(?::\d\d)?[时点]?)?"
)
_NUMERIC_DATE = re.compile(r"([-/.])(\d{1,2})(?:\1(\d{1,2})(?!\d)|月)")  # 2021-09-16, 2019/8月
_SLASH = re.compile(r"/(\d{1,2})(?![\d/])")
_LATIN = re.compile(r"[a-z]")
_AFTER_HALF = set("个年天小数")
_BEFORE_HALF = set("近过逾超一")
# What may follow a lone Arabic digit in a figure: a Han unit, a sign, a separator, a date.
_MAY_FOLLOW_DIGIT = re.compile(r" ?[^\x00-\x7f]|[%$/\-~.:,]")
_PUNCT = set('，,。；;！!？?：:、（）()[]【】「」『』"“”#\n')
_FRACTION_IN_WORDS = re.compile(
    rf"(?P<whole>{ARABIC}|[{D}{M}]+)(?:个人|[人名位个])"
    r"[^。，,！？!?；;：:\n]{0,14}?(?:中|之中|当中)?[，,]?\s*(?:有|已有|已经有|已|就有)"
    rf"(?P<part>{ARABIC}|[{D}{M}]+)(?:个人|[人名位个])"
)


def _unit_words():
    """Unit words by their first character, each list in the order they are tried."""
    ordered = [("%", "%", 1), ("个百分点", "%", 1), ("成", "tenths", 1)]
    ordered += [(word, unit, 1) for word, unit in W.CURRENCY_AFTER]
    ordered += [("元", "yuan", 1)] + [(word, "age", 1) for word in W.AGE]
    ordered += [("个半月", "months", 1)] + list(W.DURATIONS)
    ordered += [("年", "years", 1), ("日", "days", 1)]
    ordered += [(word, "count", 1) for word in W.COUNT_WORDS]
    ordered += [(word, "people", 1) for word in W.PEOPLE]
    ordered += [(word, "count", 1) for word in sorted(W.COUNTERS)]
    ordered += [(word, "", 1) for word in W.MEASURES]
    table = {}
    for entry in ordered:
        table.setdefault(entry[0][0], []).append(entry)
    return table


_UNIT_WORDS = _unit_words()
_BEFORE_BY_LAST = {}
for _word, _qualifier in W.BEFORE:
    _BEFORE_BY_LAST.setdefault(_word[-1], []).append((_word, _qualifier))
_MEASURED_HINT = {verb[0] for verb in W.MEASURING_VERBS}
_CURRENCY_BEFORE_BY_LAST = {}
for _word, _unit in W.CURRENCY_BEFORE:
    _CURRENCY_BEFORE_BY_LAST.setdefault(_word[-1], []).append((_word, _unit))
_MEASURED = re.compile(
    "(?P<qualifier>" + "|".join(w for w, _ in W.BEFORE if w != "近") + ")"
    "(?:" + "|".join(W.MEASURING_VERBS) + r")(?:[^，,。；;！!？?:：\d]{0,8}的)?$"
)


class Found:
    """A figure as found: offsets into the text, value, unit, qualifier, high, iso."""

    __slots__ = ("start", "end", "value", "unit", "qualifier", "high", "iso")

    def __init__(self, start, end, value, unit, qualifier="", high=None, iso=""):
        self.start, self.end, self.value, self.unit = start, end, float(value), unit
        self.qualifier, self.high, self.iso = qualifier, high, iso


def parse(original, folded, script_at):
    """[Found] for the text; `script_at(pos)` says "hant" or "hans" where a bare 元 is."""
    found, pos, floor = [], 0, 0
    while True:
        start = _START.search(folded, pos)
        if start is None:
            return found
        scan = _Scan(original, folded, start.start(), floor, script_at)
        figure, pos = scan.read()
        pos = max(pos, start.start() + 1)
        if figure is not None:
            found.append(figure)
            floor = pos = figure.end


class _Scan:
    def __init__(self, original, folded, pos, floor, script_at):
        self.original, self.f, self.p, self.floor, self.script_at = (
            original,
            folded,
            pos,
            floor,
            script_at,
        )

    # --- helpers ---
    def at(self, pos, word):
        return self.f.startswith(word, pos)

    def char(self, pos):
        return self.f[pos : pos + 1] or "\0" if pos >= 0 else "\0"  # "\0" is in no word list

    def ends(self, pos, word):
        """`word` ends right before `pos` (and does not reach before the previous figure)."""
        start = pos - len(word)
        return start >= self.floor and self.f.startswith(word, start)

    def token(self, pos):
        match = TOKEN.match(self.f, pos)
        return (match.group(), match.end()) if match else (None, pos)

    # --- the reading at one position ---
    def read(self):
        p, f = self.p, self.f
        if f[p] == "半":
            if f[p + 1 : p + 2] not in _AFTER_HALF and f[p - 1 : p] not in _BEFORE_HALF:
                return None, p + 1
            return self.half(p), p + 1
        text, end = self.token(p)
        if text is None:
            return None, p + 1
        if len(text) == 1 and text.isdigit() and not _MAY_FOLLOW_DIGIT.match(f, end):
            return None, end  # 1 2 3: a lone digit with nothing after it that makes a figure
        prev = self.char(p - 1)
        if prev == "第" or (prev == " " and self.char(p - 2) == "第"):
            return None, end
        if text[0].isdigit() and self.named(p):
            return None, end
        if prev in "/:" and text[0].isdigit() and self.char(p - 2).isdigit():
            return None, end  # 24/72/144, 12:00: not figures of their own
        if self.time_follows(end) or (
            self.char(end) == ":" and self.f[end + 1 : end + 3].isdigit()
        ):
            return None, self.skip_time(end)
        if self.char(end) in "-~至到":
            second, second_end = self.token(end + 1)
            if second and second[0].isdigit() and self.time_follows(second_end):
                return None, self.skip_time(second_end)  # 0-24时, 12-24时
        for reader in (self.date, self.fraction, self.fraction_in_words):
            figure = reader(p, text, end)
            if figure is not None:
                return figure, figure.end
        return self.number(p, text, end), end

    def named(self, p):
        """An Arabic number inside a name: Llama3, GPT-4, COVID-19, H1N1, mate20."""
        before = self.f[max(0, p - 2) : p]
        if re.search(r"[a-z][-.]?$", before) and not before.endswith("$"):
            return not re.search(r"(?:nt|us|hk|rmb)$", self.f[max(0, p - 3) : p])
        return False

    def time_follows(self, end):
        nxt = self.char(end)
        if nxt in "时点":
            return self.f[end : end + 2] not in ("时间", "时期", "时候", "时代")
        if nxt == "分":
            return not (self.at(end, "分钟") or self.at(end, "分之"))
        return False

    def skip_time(self, end):
        """Past a time of day: 10时25分, 17:40-17:47, 10时许."""
        match = _TIME.match(self.f, end)
        return max(match.end(), end + 1)

    # --- dates ---
    def date(self, p, text, end):
        f = self.f
        numeral = read_numeral(text)
        value = numeral.value
        if value is None or numeral.more or value != int(value):
            return None
        value = int(value)
        start = p
        # 民国113年, 民國27年: the year of the Republic of China.
        if (
            f[end : end + 1] == "年"
            and value < 200
            and (self.ends(p, "民国") or self.ends(p, "民国 "))
        ):
            start = p - (3 if self.ends(p, "民国 ") else 2)
            return self.date_rest(start, end + 1, value + 1911)
        year_like = (
            text.isdigit() and len(text) == 4 or numeral.digits and len(text) == 4
        ) and 1000 <= value <= 2999
        if year_like:
            nxt = self.char(end)
            if nxt == " " and self.char(end + 1) == "年":
                end, nxt = end + 1, "年"
            if nxt == "年" and self.char(end + 1) not in W.NOT_YEARS:
                return self.date_rest(start, end + 1, value)
            numeric = _NUMERIC_DATE.match(f, end)
            if numeric and text.isdigit():
                month = int(numeric[2])
                day = int(numeric[3]) if numeric[3] else 0
                if _valid(month, day):
                    return self.make_date(start, numeric.end(), value, month, day)
            return None
        if self.char(end) == "月" and 1 <= value <= 12 and self.char(end + 1) not in "薪费租供入":
            return self.month_day(start, end + 1, 0, value)
        if (
            self.char(end) == "日"
            and 1 <= value <= 31
            and text != "一"
            and not self.at(end, "日元")
            and not self.at(end, "日币")
            and not self.at(end, "日圆")
            and not self.day_is_duration(p, end, numeral)
        ):
            return self.make_date(start, end + 1, 0, 0, value)
        if self.char(end) == "/" and text.isdigit() and 1 <= value <= 12:
            return self.slash_date(p, end, value)
        return None

    def date_rest(self, start, pos, year):
        """After a year and its 年: an optional month and day."""
        month_text, month_end = self.token(pos + (self.char(pos) == " "))
        month_end += month_text is not None and self.at(month_end, " 月")
        if month_text and self.char(month_end) == "月":
            month = read_numeral(month_text).value
            if month and month == int(month) and 1 <= month <= 12:
                return self.month_day(start, month_end + 1, year, int(month))
        return self.make_date(start, pos, year, 0, 0)

    def month_day(self, start, pos, year, month):
        """After a month and its 月: an optional day (日, 号), or a range of days (20-22日)."""
        day_text, day_end = self.token(pos + (self.char(pos) == " "))
        day_end += (
            day_text is not None and self.char(day_end) == " " and self.char(day_end + 1) in "日号"
        )
        if day_text and self.char(day_end) in "日号":
            day = read_numeral(day_text).value
            if day and day == int(day) and _valid(month, int(day)):
                return self.make_date(start, day_end + 1, year, month, int(day))
        if day_text and self.char(day_end) in "-~":
            high_text, high_end = self.token(day_end + 1)
            if high_text and self.char(high_end) in "日号":
                low, high = read_numeral(day_text).value, read_numeral(high_text).value
                if (
                    low
                    and high
                    and _valid(month, int(low))
                    and _valid(month, int(high))
                    and low < high
                ):
                    figure = self.make_date(start, high_end + 1, year, month, int(low))
                    figure.qualifier, figure.high = "range", _date_value(year, month, int(high))
                    return figure
        if self.char(pos) == "份":
            pos += 1
        return self.make_date(start, pos, year, month, 0)

    def day_is_duration(self, p, end, numeral):
        """N日 is a number of days, not a date, when hedged or measured: 不超过7日, 3日内."""
        if self.before_qualifier(p)[0] or any(
            self.ends(p, w) for w in ("连续", "每", "历时", "共", "过去", "持续", "满")
        ):
            return True
        after = self.f[end + 1 : end + 3]
        return after[:1] in ("内", "后", "间", "来") or after in ("以上", "以内", "之内", "左右")

    def slash_date(self, p, end, month):
        match = _SLASH.match(self.f, end)
        if not match:
            return None
        day = int(match[1])
        if month < day <= 10 and not self.date_context(p, match.end()):
            return None  # 2/3, 1/5: a fraction
        if not _valid(month, day):
            return None
        figure = self.make_date(p, match.end(), 0, month, day)
        self.after_qualifier(figure, figure.end)
        return figure

    def date_context(self, p, end):
        return (
            self.char(end) in "起前后开爆至到当(（"
            or self.char(p - 1) in "于自从至到在(（"
            or self.at(end, "前后")
        )

    def make_date(self, start, end, year, month, day):
        value = _date_value(year, month, day)
        return Found(start, end, value, "date", iso=_iso(year, month, day))

    # --- fractions ---
    def fraction(self, p, text, end):
        """三分之二, 百分之八十, 20分之1, 百分之九十到九十七, 2/3: shares in percent."""
        f = self.f
        if self.at(end, "分之"):
            part_text, part_end = self.token(end + 2)
            whole, part = read_numeral(text).value, part_text and read_numeral(part_text).value
            if not whole or part is None:
                return None
            figure = Found(p, part_end, _pct(part, whole), "%")
            mark = self.char(part_end)
            if mark in W.RANGE_MARKS:
                high_text, high_end = self.token(part_end + 1)
                high = high_text and read_numeral(high_text).value
                if high and high > part:
                    figure.end, figure.qualifier, figure.high = high_end, "range", _pct(high, whole)
            self.qualify(figure, p)
            return figure
        match = _SLASH.match(f, end)
        if match and text.isdigit():
            part, whole = int(text), int(match[1])
            if 0 < part < whole <= 10 and not self.date_context(p, match.end()):
                figure = Found(p, match.end(), _pct(part, whole), "%")
                self.qualify(figure, p)
                return figure
        return None

    def fraction_in_words(self, p, text, end):
        """十四人中有十一人: eleven of fourteen, one share (78.57%) rather than two counts."""
        match = _FRACTION_IN_WORDS.match(self.f, p)
        if not match:
            return None
        whole, part = read_numeral(match["whole"]), read_numeral(match["part"]).value
        whole = None if whole.bare else whole.value
        if whole and part is not None and 0 < part <= whole < 10**6:
            return Found(p, match.end(), _pct(part, whole), "%")
        return None

    def half(self, p):
        """近半, 过半, 半数, 半个月, 半年: half as a share or a duration."""
        nxt = self.char(p + 1)
        for word, unit, value_end in (
            ("个多月", "months", 4),
            ("个月", "months", 3),
            ("年", "years", 2),
            ("天", "days", 2),
            ("个小时", "", 4),
            ("小时", "", 3),
        ):
            if self.at(p + 1, word):
                if self.char(p - 1) in "上下前后每大多":
                    return None  # 上半年 (the first half), 大半天
                figure = Found(p, p + value_end, 0.5, unit, "more than" if "多" in word else "")
                self.qualify(figure, p)
                return figure
        if nxt == "数":
            figure = Found(p, p + 2, 50, "%")
            self.qualify(figure, p)
            return figure
        for word, qualifier in (
            ("近", "nearly"),
            ("过", "more than"),
            ("逾", "more than"),
            ("超", "more than"),
        ):
            if self.ends(p, word) and not (word == "近" and self.char(p - 2) in W.NOT_NEARLY):
                return Found(p - 1, p + 1, 50, "%", qualifier)
        return None

    # --- numbers with units ---
    def number(self, p, text, end):
        numeral = read_numeral(text)
        if self.at(p - 1, "成千上万") or self.at(p - 3, "成千上万"):
            return None
        if numeral.value is None and not numeral.vague:
            return None
        start = p
        if self.char(p - 1) in W.SEVERAL and text[0] in M:
            start, several = p - 1, True  # 数千, 几十万: several thousand
        else:
            several = False
        bare_qualifier = None
        if numeral.bare and not several:
            for word, qualifier in W.BEFORE_BARE + W.BEFORE:
                if self.ends(p, word) and not (word == "近" and self.char(p - 2) in W.NOT_NEARLY):
                    bare_qualifier, start = qualifier, p - len(word)
                    break
        value = numeral.value if numeral.vague is None else numeral.vague[0]
        high = None if numeral.vague is None else numeral.vague[1]
        more = numeral.more
        pos = end
        if self.char(pos) in "多余几" or (self.char(pos) == "来" and not numeral.more):
            more = self.char(pos) != "来" or "about"
            pos += 1
        # Lone 一 before 半: 一半, 超过一半.
        if text == "一" and self.char(pos) == "半" and self.char(pos + 1) not in "个年天月小夜":
            figure = Found(p, pos + 1, 50, "%")
            self.qualify(figure, p)
            return figure
        unit, factor, unit_end, explicit = self.unit_after(pos, value, text)
        if explicit and "多" in explicit:
            more = True  # 两个多月
        if explicit == "个半月" and value is not None:
            value += 0.5  # 两个半月
        if unit == "tenths":
            unit, factor = "%", 10
        # A range: 3至5萬, 65-79歲, 三到五成, 3、40元.
        range_end, high_value, unit, unit_end, factor, value = self.range_after(
            p, text, numeral, value, unit, unit_end, factor, explicit, pos
        )
        if range_end is not None:
            high, unit_end = high_value, range_end
        if unit is None:
            return None
        # A currency before the number: 新台币30万元, 美金$32,000, 人民币52万元.
        prefix_start, prefix_word, prefix_unit = self.currency_before(start)
        if prefix_unit is not None and unit in ("", "yuan") and explicit in (None, "元"):
            if not (prefix_word == "$" and unit == "yuan"):
                unit = prefix_unit  # $3,224元 in Taiwan: the 元 says which dollar
            start = prefix_start
            if unit_end is None:
                unit_end = pos
        if unit == "yuan":
            unit = self.yuan(start)
        if not self.accept(
            p, text, numeral, value, unit, explicit, more, several, bare_qualifier, range_end
        ):
            return None
        end = unit_end if unit_end is not None else (pos if more else end)
        figure = Found(start, end, value * factor, unit)
        if high is not None:
            figure.qualifier, figure.high = "range", high * factor
        elif several:
            figure.qualifier = "several"
        elif bare_qualifier:
            figure.qualifier = bare_qualifier
        else:
            self.qualify(figure, start, more)
        return figure

    def unit_after(self, pos, value, text):
        """(unit, factor, end, word) of the word after a number; unit None: not a figure.
        unit "yuan" is a 元 whose currency the script decides, "tenths" a 成."""
        f = self.f
        if (
            f[pos : pos + 1] == " "
            and f[pos + 1 : pos + 2] not in (" ", "")
            and not f[pos + 1].isdigit()
        ):
            pos += 1
        for word, unit, factor in _UNIT_WORDS.get(f[pos : pos + 1], ()):
            if not f.startswith(word, pos):
                continue
            after = f[pos + len(word) : pos + len(word) + 1]
            if unit == "tenths" and (after in W.NOT_TENTHS or value is None or value > 10):
                continue
            if word == "元" and after in W.NOT_YUAN:
                continue
            if word == "年" and after in W.NOT_YEARS:
                continue
            if word == "周" and text == "四":
                continue  # 四周: all around
            if unit == "people" and after and after in W.NOT_AFTER_PEOPLE.get(word, ""):
                continue
            if unit == "people" and word == "名" and self.char(self.p - 1) == "前":
                return None, 1, None, None  # 前3名: a rank
            if (
                unit == "count"
                and len(word) == 1
                and after
                and after in W.NOT_AFTER_COUNTER.get(word, "")
            ):
                continue
            return unit, factor, pos + len(word), word
        for word in W.LATIN_MEASURES:
            if self.original.startswith(word, pos) and not re.match(
                r"[A-Za-z]", self.original[pos + len(word) : pos + len(word) + 1]
            ):
                return "", 1, pos + len(word), word
        return "", 1, None, None

    def range_after(self, p, text, numeral, value, unit, unit_end, factor, explicit, pos):
        """(end, high, unit, unit_end, factor, value) of a range that starts with this number,
        or (None, None, …unchanged) when none does."""
        unchanged = (None, None, unit, unit_end, factor, value)
        if value is None:
            return unchanged
        mark_at = unit_end if unit_end is not None else pos
        mark = self.char(mark_at)
        colloquial = mark in "、,，" and (unit_end is None)
        if mark not in W.RANGE_MARKS and not colloquial:
            return unchanged
        start2 = mark_at + 1 + (self.char(mark_at + 1) == " ")
        if self.char(start2) == "第":
            return unchanged
        text2, end2 = self.token(start2)
        if text2 is None or self.time_follows(end2) or self.char(end2) == ":":
            return unchanged
        numeral2 = read_numeral(text2)
        high = numeral2.value
        if high is None:
            return unchanged
        pos2 = end2 + (self.char(end2) in "多余")
        unit2, factor2, unit2_end, explicit2 = self.unit_after(pos2, high, text2)
        if unit2 == "tenths":
            unit2, factor2 = "%", 10
        if unit2_end is None and not (numeral2.magnitude >= 1000 and unit_end is None):
            if colloquial or unit_end is None:
                return unchanged
        if (
            unit_end is not None
            and unit2_end is not None
            and (unit2 != unit or unit == "" and explicit != explicit2)
        ):
            return unchanged  # 1公斤～30cc: two measures, no range
        if unit_end is not None and unit2_end is None:
            return unchanged
        if colloquial:
            single = text.isdigit() and len(text) == 1 or text in CN_DIGITS
            if single and high == (value + 1) * 10:
                return unit2_end, high, unit2, unit2_end, factor2, value * 10
            if (
                unit_end is None
                and unit2_end is not None
                and unit2 not in ("", None)
                and mark == "、"
            ):
                return (None, None, unit2, None, factor2, value)  # 100、200元: 100 元 too
            return unchanged
        if (
            numeral.magnitude == 1
            and numeral2.magnitude >= 1000
            and value * numeral2.magnitude <= high
        ):
            value = value * numeral2.magnitude  # 3至5万: three to five ten-thousands
        if not 0 <= value < high:
            return unchanged
        return unit2_end if unit2_end is not None else end2, high, unit2, unit2_end, factor2, value

    def currency_before(self, start):
        """(start, word, unit) of a currency written right before `start`, else unit None."""
        pos = start - (self.char(start - 1) == " ")
        for word, unit in _CURRENCY_BEFORE_BY_LAST.get(self.char(pos - 1), ()):
            if self.ends(pos, word):
                if word == "$":
                    outer_start, outer_word, outer = self.currency_before(pos - 1)
                    if outer is not None:
                        return outer_start, outer_word, outer  # 美金$32,000
                return pos - len(word), word, unit
        return start, None, None

    def yuan(self, start):
        """The currency of a bare 元: one named just before in the clause, else the script's."""
        window = self.f[max(self.floor, start - 8) : start]
        for mark in _PUNCT:
            window = window.rsplit(mark, 1)[-1]
        for word, unit in W.CURRENCY_NAMES:
            if word in window:
                return unit
        return "TWD" if self.script_at(start) == "hant" else "CNY"

    def accept(
        self, p, text, numeral, value, unit, explicit, more, several, bare_qualifier, range_end
    ):
        """Whether a number read is a figure, not a word, a name, an id or a list marker."""
        if value is None:
            return False
        if numeral.bare and not several and not bare_qualifier:
            if text in ("千万", "万万") and explicit is None:
                return False  # 千万不要: "by all means"
            if len(text) < 2 or text[0] not in "百千万" or text.startswith("万") and text != "万亿":
                return False  # 万一, 亿万年薪, 百姓
        if (
            text == "一"
            and unit in ("people", "count", "days", "months", "years", "")
            and range_end is None
        ):
            return False  # 一位朋友, 一次: "a", not "one"
        if unit != "" or explicit is not None or range_end is not None:
            return True
        if numeral.digits or self.char(p - 1) in "例者号" or self.f[p - 2 : p] == "编号":
            return False
        nxt = self.char(self.p + len(text))
        if nxt and nxt in "楼层栋室号路街线届期版级代后院年世" or _LATIN.match(nxt):
            return False  # 3号线, 00后, 1930年代, 20世纪: no quantities
        if self.char(p - 1) in "+@#＃":
            return False  # +381 (a dialling code), @健康上海12320
        if re.search(r"[a-z] $", self.f[max(0, p - 2) : p]):
            return False  # Llama 4: a name
        if nxt in "、." and value < 100 and not self.char(self.p + len(text) + 1).isdigit():
            return False  # 1、 2. : list markers
        if self.char(self.p + len(text)) == "-" and _LATIN.match(self.char(self.p + len(text) + 1)):
            return False
        if numeral.chinese:
            return numeral.magnitude >= 100 or several or bare_qualifier is not None
        digits = text.replace(",", "").replace(" ", "")
        if (
            numeral.magnitude == 1
            and ("." not in digits)
            and (value < 10 and not more or len(digits) >= 8 or digits.startswith("0"))
        ):
            return False
        return True

    # --- qualifiers ---
    def before_qualifier(self, start):
        """(qualifier, where it starts) of the words right before `start`."""
        pos = start - (self.char(start - 1) == " ")
        if self.char(pos - 1) in W.FILLERS and pos - 1 > self.floor:
            for word, qualifier in _BEFORE_BY_LAST.get(self.char(pos - 2), ()):
                if self.ends(pos - 1, word) and word != "近":
                    return qualifier, pos - 1 - len(word)
        for word, qualifier in _BEFORE_BY_LAST.get(self.char(pos - 1), ()):
            if self.ends(pos, word):
                if word == "近" and self.char(pos - 2) in W.NOT_NEARLY:
                    continue
                if word == "超" and self.char(pos - 2) in "高":
                    continue
                return qualifier, pos - len(word)
        measured = (
            _MEASURED.search(self.f, max(self.floor, pos - 14), pos)
            if _MEASURED_HINT.intersection(self.f[max(self.floor, pos - 14) : pos])
            else None
        )
        if measured:
            return dict(W.BEFORE)[measured["qualifier"]], measured.start()
        return "", start

    def after_qualifier(self, figure, pos):
        if self.char(pos) == " ":
            pos += 1
        for word, qualifier in W.AFTER:
            if self.at(pos, word) and self.char(pos + len(word)) not in W.NOT_AFTER_QUALIFIER.get(
                word, ""
            ):
                if word == "内" and figure.unit not in ("days", "months", "years", "age", ""):
                    continue
                if not figure.qualifier:
                    figure.qualifier = qualifier
                return

    def qualify(self, figure, start, more=False):
        qualifier, _ = self.before_qualifier(start)
        if qualifier:
            figure.qualifier = qualifier
        elif more:
            figure.qualifier = more if isinstance(more, str) else "more than"
        self.after_qualifier(figure, figure.end)


def _valid(month, day):
    return 1 <= month <= 12 and 0 <= day <= 31


def _date_value(year, month, day):
    return year * 10000 + month * 100 + day


def _iso(year, month, day):
    if year:
        return "-".join(
            [f"{year:04d}"]
            + ([f"{month:02d}"] if month else [])
            + ([f"{day:02d}"] if month and day else [])
        )
    if month:
        return f"--{month:02d}" + (f"-{day:02d}" if day else "")
    return f"---{day:02d}"


def _pct(part, whole):
    return round(part / whole * 100, 2)
