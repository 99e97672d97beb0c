"""Script handling: one place that folds, detects and converts Chinese scripts with OpenCC.

- `fold` gives the form that search, fingerprints and matching compare: Simplified script,
  mainland vocabulary (軟體 and 软体 both become 软件), NFKC (full-width digits become ASCII),
  lower case, whitespace collapsed.
- `fold_chars` folds character by character and keeps the length, so that an offset found in
  the folded text is the same offset in the original.
- `detect_script` says whether a text is written in `hans`, `hant` or `mixed` script.
- `to_script` converts text for display (`?script=hans|hant`).
"""

import re
import unicodedata
from functools import lru_cache

import opencc

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
