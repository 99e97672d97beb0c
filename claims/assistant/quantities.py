"""Figures as the assistant compares them: what kind of quantity each is and when two of a
kind disagree. The parser itself is claims/assistant/figures.py (`parse_figures`).

Kinds: head counts (people, and things counted with a classifier), ages (岁), money in one
currency (a figure in USD is never compared with one in CNY), percentages (80%, 八成,
十四人中有十一人), dates, durations (in days: 3天 and 72小时 agree). A bare number without a
unit is not compared: nothing says what it counts.
"""

from claims.assistant.figures import parse_figures

MONEY = {"CNY", "USD", "HKD", "TWD", "EUR", "JPY", "GBP"}
DURATION_DAYS = {"hours": 1 / 24, "days": 1, "weeks": 7, "months": 30.44, "years": 365.25}
# Qualifiers (claims/assistant/figures.py) of figures that state a value: only those can
# disagree. "more than 300" and 320 do not; "about 600" and 590 do not (APPROX_TOLERANCE).
STATED = {"", "about", "nearly"}
APPROX_TOLERANCE = 0.1
KIND_NAMES = {"people": "人数", "age": "年龄", "%": "比例", "date": "日期", "duration": "时长"}
# Figures closer than this (relative) are the same figure said twice (78.6% and 11 of 14).
TOLERANCE = 0.01
# At most this many figures are read in one sentence (ten thousand numbers in one text).
MAX_FIGURES_PER_SENTENCE = 12


def kind_of(unit):
    if unit in ("people", "count"):
        return "people"
    if unit in MONEY:
        return unit
    if unit in DURATION_DAYS:
        return "duration"
    if unit in ("age", "%", "date"):
        return unit
    return None


def kind_name(kind):
    return KIND_NAMES.get(kind, f"金额（{kind}）" if kind in MONEY else kind or "")


def qualifier_of(figure):
    qualifier = getattr(figure, "qualifier", None)
    if qualifier is None:
        qualifier = "approx" if getattr(figure, "approx", False) else ""
    return qualifier or ""


def figures_in(text, offset=0):
    """[[start, end, text, value, unit, qualifier, iso]] of the figures in `text`, offsets
    shifted by `offset`; bounded per sentence."""
    try:
        found = parse_figures(text)
    except Exception:  # noqa: BLE001 - a figure the parser cannot read is no figure
        return []
    rows = []
    for f in found[:MAX_FIGURES_PER_SENTENCE]:
        try:
            value = float(f.value)
        except (TypeError, ValueError):
            continue
        if value != value or value in (float("inf"), float("-inf")):
            continue
        rows.append(
            [
                f.start + offset,
                f.end + offset,
                f.text,
                value,
                f.unit or "",
                qualifier_of(f),
                getattr(f, "iso", "") or "",
            ]
        )
    return rows


def comparable_value(row):
    """The value to compare (durations in days)."""
    unit, value = row[4], row[3]
    return value * DURATION_DAYS[unit] if unit in DURATION_DAYS else value


def same_value(a, b):
    """Two figures of one kind say the same: equal within TOLERANCE; a date said less
    precisely (2013年 and 2013年12月) agrees with the precise one."""
    if a[4] == "date" and b[4] == "date" and a[6] and b[6]:
        return _same_date(a[6], b[6])
    x, y = comparable_value(a), comparable_value(b)
    big = max(abs(x), abs(y)) or 1.0
    tolerance = TOLERANCE if a[5] == b[5] == "" else APPROX_TOLERANCE
    return abs(x - y) <= tolerance * big + 1e-9


def states_value(row):
    """The figure says what the value is (not "more than", "at least", a range…)."""
    return row[5] in STATED


def _date_parts(iso):
    """(year, month, day) of "2025-10-22", "2025-10", "2025", "--10-22" (None where unsaid)."""
    if iso.startswith("--"):
        parts = [None] + iso[2:].split("-")
    else:
        parts = iso.split("-")
    parts = (parts + [None, None, None])[:3]
    return tuple(int(p) if p else None for p in parts)


def _same_date(a, b):
    """Dates agree unless a part that both give differs (10月22日 and 2025年 agree)."""
    try:
        return all(x is None or y is None or x == y for x, y in zip(_date_parts(a), _date_parts(b)))
    except ValueError:
        return a == b
