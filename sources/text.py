"""Script handling: one place that folds, detects and converts Chinese scripts with OpenCC.

- `fold` gives the form that search, fingerprints and matching compare: Simplified script,
  mainland vocabulary (軟體 and 软体 both become 软件), NFKC (full-width digits become ASCII),
  lower case, whitespace collapsed.
- `fold_chars` folds character by character and keeps the length, so that an offset found in
  the folded text is the same offset in the original.
- `detect_script` says whether a text is written in `hans`, `hant` or `mixed` script.
- `to_script` converts text for display (`?script=hans|hant`).

It also holds the two rules on characters that text must not carry:
`control_character_problem` (every input path refuses control characters with it) and
`xml_safe` (every XML output drops what XML 1.0 cannot carry, for data stored before the rule).
"""

import re
import unicodedata
from functools import lru_cache

import opencc
from django.core.exceptions import ValidationError

HANS, HANT, MIXED = "hans", "hant", "mixed"
SCRIPTS = (HANS, HANT)

_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=None)
def _converter(config):
    return opencc.OpenCC(config)


def convert(text, config):
    return _converter(config).convert(text) if text else text


def fold(text):
    """The script- and vocabulary-folded form of a text, for comparing and searching."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    # Simplified first (hk2s also reads Hong Kong variants such as 衞), so that a text and its
    # s2t/t2s conversion fold alike (背負 and 背负 would otherwise part ways as 背负 / 揹负).
    # Then through Taiwan phrasing and back: 软体, 軟體, 軟件 and 软件 all come out as 软件.
    text = convert(convert(convert(text, "hk2s"), "s2twp"), "tw2sp")
    return _WHITESPACE.sub(" ", text).strip()


def fold_compact(text):
    """`fold` without any whitespace: for fingerprints and quote matching across line breaks."""
    return _WHITESPACE.sub("", fold(text))


@lru_cache(maxsize=65536)
def _fold_char(char):
    folded = convert(unicodedata.normalize("NFKC", char).lower(), "t2s")
    return folded if len(folded) == 1 else char


def fold_chars(text):
    """Fold each character on its own (Traditional to Simplified, full-width to half-width,
    lower case), keeping offsets: ``len(fold_chars(t)) == len(t)``."""
    return "".join(_fold_char(c) for c in text)


def detect_script(text):
    """`hans`, `hant` or `mixed`, from the characters that differ between the two scripts."""
    sample = "".join(c for c in text if "\u4e00" <= c <= "\u9fff" or c > "\uffff")
    if not sample:
        return HANS
    as_hans = convert(sample, "t2s")
    as_hant = convert(sample, "s2t")
    traditional = sum(1 for a, b in zip(sample, as_hans) if a != b)
    simplified = sum(1 for a, b in zip(sample, as_hant) if a != b)
    total = traditional + simplified
    if total == 0:
        return HANS
    # A few stray characters of the other script (a quoted name, a variant) do not make a
    # text mixed; a real share of both does.
    minority = min(traditional, simplified) / total
    if minority >= 0.15 and min(traditional, simplified) >= 3:
        return MIXED
    return HANT if traditional > simplified else HANS


def to_script(text, script):
    """Text shown in `script` (`hans` or `hant`); any other value leaves it as it is."""
    if script == HANS:
        return convert(text, "t2s")
    if script == HANT:
        return convert(text, "s2t")
    return text


def requested_script(request):
    """The script a reader asked for with `?script=`, else None (the original text)."""
    value = request.GET.get("script", "") if request is not None else ""
    return value if value in SCRIPTS else None


# --- characters that text must not carry -----------------------------------------------------
# Tab, newline and carriage return are text; the other C0 controls, DEL and the C1 controls are
# not: XML (the feed) cannot carry most of them, PostgreSQL cannot store NUL, and none belongs
# in an article, a claim or a verdict. They are refused, never dropped silently.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What XML 1.0 cannot carry at all (its Char production), surrogates and U+FFFE/U+FFFF included.
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def control_character_problem(text, by_line=False):
    """Why `text` cannot be stored, or "" if it can: "contains the control character U+000B at
    position 12; remove it" (positions count characters from 1; `by_line` gives line and
    column instead, for files)."""
    match = _CONTROL.search(text)
    if match is None:
        return ""
    index = match.start()
    if by_line:
        line = text.count("\n", 0, index) + 1
        column = index - text.rfind("\n", 0, index)
        where = f"line {line}, column {column}"
    else:
        where = f"position {index + 1}"
    return f"contains the control character U+{ord(match.group()):04X} at {where}; remove it"


def refuse_control_characters(value):
    """The validator of text that people send (forms, API inputs, models' full_clean)."""
    problem = control_character_problem(value) if isinstance(value, str) else ""
    if problem:
        raise ValidationError(f"This text {problem}.", code="control_character")


def xml_safe(text):
    """`text` without the characters XML cannot carry (defence in depth for stored data)."""
    return _NOT_XML.sub("", text) if isinstance(text, str) else text
