"""Reading one numeral: Arabic, Chinese, or both mixed, as Chinese news writes them.

`read_numeral("33万3716").value == 333716`; `chinese_to_number` is the strict reader of
Chinese numerals alone. Used by the figure parser (claims/assistant/figures.py).
"""

import re
from functools import lru_cache

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
D = "零〇○一二两三四五六七八九"
M = "十百千万亿"
ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
# One numeral: Arabic and Chinese pieces mixed (33万3716, 1万8千, 两千多万, 三点五, 100 万).
TOKEN = re.compile(
    rf"(?:{ARABIC}|[{D}{M}])"
    rf"(?:\s?[{M}]|(?<=[{M}])(?:{ARABIC})|(?<![0-9])[{D}]|[多余几](?=[{M}])"
    rf"|(?<=[{D}])点(?=[{D}]))*"
)
_PIECE = re.compile(rf"{ARABIC}|[{D}]点[{D}]+|[{D}{M}多余几]")
# 三四十, 六七十万: two neighbouring digits before a magnitude, "thirty or forty".
_VAGUE = re.compile(rf"([一二三四五六七八])([二三四五六七八九])([{M}]+)")


class Numeral:
    """One numeral read. `value` is None when it is malformed or vague; `more` (两千多万: more
    than), `vague` ((low, high): 三四十 -> (30, 40)), `bare` (no digit: 万, 千万), `chinese` (no
    Arabic digit), `digits` (二〇二五: read digit by digit, a year), `magnitude` (the last
    十/百/千/万/亿 it holds: 3至5万 reads 3 with it)."""

    __slots__ = ("value", "more", "vague", "bare", "chinese", "digits", "magnitude")

    def __init__(self, text):
        text = text.replace(",", "").replace(" ", "")
        self.more, self.vague, self.digits, self.magnitude = False, None, False, 1
        self.chinese = not any(c.isdigit() for c in text)
        self.bare = text[:1] != "十" and not any(c.isdigit() or c in CN_DIGITS for c in text)
        vague = _VAGUE.fullmatch(text)
        if vague and CN_DIGITS[vague[2]] == CN_DIGITS[vague[1]] + 1:
            low, high = Numeral(vague[1] + vague[3]), Numeral(vague[2] + vague[3])
            self.vague, self.magnitude = (low.value, high.value), low.magnitude
            self.value = None
            return
        # A numeral past 30 characters is a run of digits (an id, a hash), not a quantity.
        self.value = self._read(text) if len(text) <= 30 else None
        if text[:1] in "百千万亿" and not self.bare:
            self.value = None  # 万一 (in case), 千万一定: a word, not a numeral

    def _read(self, text):
        pieces = _PIECE.findall(text)
        if "".join(pieces) != text:
            return None
        if len(pieces) > 1 and all(p in CN_DIGITS for p in pieces):
            return self._digit_run(pieces)
        total, section, pending, after, zero, scalable = 0, 0, None, 0, False, False
        for piece in pieces:
            if piece in "多余几":
                self.more = True
            elif piece in MAGNITUDES:
                size = MAGNITUDES[piece]
                self.magnitude = size
                if size < 10**4:
                    section += (1 if pending is None else pending) * size
                else:
                    section += pending or 0
                    if section == 0 and total == 0:
                        section = 1  # 万, 千万 without a digit: the 1 is unsaid
                    total = (total + section) * size if size == 10**8 else total + section * size
                    section = 0
                after, pending, zero, scalable = size, None, False, False
            elif pending is not None:
                return None  # two numbers in a row (3五): not one numeral
            elif piece in "零〇○":
                zero = True  # 一百零五: what follows counts units
            else:
                pending = _piece_value(piece)
                scalable = (
                    after >= 100
                    and not zero
                    and (piece in CN_DIGITS or piece.isdigit() and len(piece) == 1)
                )
        if pending is not None and scalable:
            pending = pending * after // 10  # 一万二 = 12000, 三千五 = 3500, 1万8 = 18000
        return total + section + (pending or 0)

    def _digit_run(self, pieces):
        values = [CN_DIGITS[p] for p in pieces]
        if len(values) == 2 and values[1] == values[0] + 1:
            self.vague = tuple(values)  # 三四: three or four
            return None
        if len(values) < 3 and not any(p in "〇○零" for p in pieces):
            return None  # 一一, 七八 with a gap: not a number
        self.digits = True  # 二〇二五, 一九六一: read digit by digit
        return int("".join(map(str, values)))


def _piece_value(piece):
    if piece in CN_DIGITS:
        return CN_DIGITS[piece]
    if "点" in piece:
        whole, fraction = piece.split("点")
        return CN_DIGITS[whole] + float("0." + "".join(str(CN_DIGITS[c]) for c in fraction))
    return float(piece) if "." in piece else int(piece)


@lru_cache(maxsize=4096)
def read_numeral(text):
    """The `Numeral` of one numeral token (memoized: news repeats its numbers)."""
    return Numeral(text)


def chinese_to_number(text):
    """六百 -> 600, 三千五百万 -> 35000000, 十四 -> 14, 两亿 -> 200000000, 二〇二五 -> 2025,
    三点五 -> 3.5. None when the text is not one well-formed Chinese number: Arabic digits, a
    bare 万, 两千多万 (an approximation), 三四 or 三四十 (three or four, thirty or forty: vague)."""
    if not text or not re.fullmatch(rf"[{D}{M}]+(?:点[{D}]+)?", text):
        return None
    numeral = Numeral(text)
    if numeral.value is None or numeral.more or numeral.bare and len(text) < 2:
        return None
    return numeral.value
