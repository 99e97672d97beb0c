"""Script handling: one place that folds, detects and converts Chinese scripts with OpenCC.

- `detect_script` says whether a text is written in `hans`, `hant` or `mixed` script, counting
  only characters that differ between the scripts' standard forms: a character that a
  Traditional standard (Taiwan's Big5, Hong Kong's forms) writes the same way as Simplified
  (吃, 布, 秘, 台, 里) counts for neither.
- `to_script` shows a text in a reader's choice (`?script=hans|hant|hk`): Simplified text
  becomes Taiwan Traditional with Taiwan phrases (`s2twp`) or Hong Kong forms (`s2hk`),
  Traditional text becomes Simplified (`tw2sp`, then `hk2s` for Hong Kong forms). Text already
  in the reader's script (or in neither) is returned unchanged; a mixed text is decided clause
  by clause. It is for display only: stored text is never converted.
- `fold` gives the form that search, fingerprints and matching compare: Simplified script,
  mainland vocabulary (軟體 and 软体 both become 软件, 啟用 becomes 激活), the regional
  vocabulary of `regional_terms.txt` and any alias pairs registered with `set_aliases` (the
  desk glossary's names), NFKC (full-width digits become ASCII), no accents, lower case,
  whitespace collapsed. `fold_with_offsets` gives the same text with, for each folded
  character, the span of the original it comes from; `find_folded` finds a text in another
  through it (quote anchoring), returning offsets of the original.
- `fold_chars` folds character by character and keeps the length, so that an offset found in
  the folded text is the same offset in the original (no phrases: for the claim assistant).

It also holds the two rules on characters that text must not carry:
`control_character_problem` (every input path refuses control characters with it) and
`xml_safe` (every XML output drops what XML 1.0 cannot carry, for data stored before the rule).
"""

import difflib
import re
import unicodedata
from functools import cache, lru_cache, partial
from pathlib import Path

import opencc
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

HANS, HANT, MIXED = "hans", "hant", "mixed"
# The scripts a text is written in.
SCRIPTS = (HANS, HANT)
# What a reader can ask for (`?script=`): Simplified, Taiwan Traditional, Hong Kong Traditional.
HK = "hk"
READINGS = (HANS, HANT, HK)

_WHITESPACE = re.compile(r"\s+")


@cache
def _converter(config):
    return opencc.OpenCC(config)


def convert(text, config):
    return _converter(config).convert(text) if text else text


# --- which script a character and a text are in ----------------------------------------------

NEITHER, SIMPLIFIED, TRADITIONAL = 0, 1, 2


def is_han(char):
    """A Chinese character (the CJK blocks, compatibility ideographs, the supplementary planes)."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char > "\U0001ffff"


def _encodes(char, codec):
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@cache
def char_script(char):
    """SIMPLIFIED for a character only Simplified script writes, TRADITIONAL for one only
    Traditional script writes, NEITHER for the rest (most characters: 人, 吃, 台, 里).

    A Simplified-only character is outside Taiwan's character set (Big5, as cp950) and
    OpenCC gives it another form for both Taiwan and Hong Kong; a Traditional-only character
    is outside the Simplified set (GB2312) and OpenCC simplifies it (Taiwan and Hong Kong
    forms included: 裡, 衞)."""
    if not is_han(char):
        return NEITHER
    if (
        not _encodes(char, "cp950")
        and convert(char, "s2tw") != char
        and convert(char, "s2hk") != char
    ):
        return SIMPLIFIED
    if not _encodes(char, "gb2312") and any(
        convert(char, config) != char for config in ("t2s", "tw2s", "hk2s")
    ):
        return TRADITIONAL
    return NEITHER


_MARKS = {SIMPLIFIED: "s", TRADITIONAL: "t", NEITHER: None}


def _script_mark(char):
    """ "s" for a Simplified-only character, "t" for a Traditional-only one, None (dropped by
    str.translate) for the rest."""
    return _MARKS[char_script(char)] if char > "\u33ff" else None


def script_counts(text):
    """(Simplified-only, Traditional-only) characters in `text`: counted in C, each character
    marked by a translate table (_SCRIPT_MARKS), not one Python step per character."""
    marks = text.translate(_SCRIPT_MARKS)
    if not marks:
        return 0, 0
    simplified = marks.count("s")
    return simplified, len(marks) - simplified


def _script_of_counts(simplified, traditional):
    total = simplified + traditional
    if total == 0:
        return None
    # A few stray characters of the other script (a quoted name, a variant) do not make a
    # text mixed; a real share of both does.
    minority = min(simplified, traditional)
    if minority >= 3 and minority / total >= 0.15:
        return MIXED
    return HANT if traditional > simplified else HANS


def detect_script(text):
    """`hans`, `hant` or `mixed`; a text with no character that differs between the scripts
    (numbers, Latin, 人口, 台北) is `hans`."""
    return _script_of_counts(*script_counts(text)) or HANS


# --- conversion for display ------------------------------------------------------------------

# Clause boundaries: a mixed text is converted clause by clause, each by its own script. No
# OpenCC phrase crosses punctuation or a line break, so splitting there changes no conversion.
_CLAUSE = re.compile(r"([\s。，、；：？！…—,.;:?!「」『』“”‘’\"'（）()《》〈〉【】\[\]]+)")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# The configurations each reading converts the other script with, in order.
_TO = {
    HANS: ("tw2sp", "hk2s"),
    HANT: ("s2twp",),
    HK: ("s2hk",),
}


def _target(reading):
    return HANS if reading == HANS else HANT


def _convert_chain(text, reading):
    for config in _TO[reading]:
        text = convert(text, config)
    return text


def to_script(text, reading):
    """`text` as a reader of `reading` (`hans`, `hant` for Taiwan, `hk`) sees it; any other
    value, and text already in the reader's script (or in neither), is returned unchanged.

    Only text in the other script is converted, clause by clause: a clause already in the
    reader's script is kept as written, so Traditional text is never run through
    Simplified-to-Traditional again (which would write 一出 as 一齣), nor the reverse. In a
    mixed text, clauses with no character of either script are kept too."""
    if reading not in READINGS or not text or not isinstance(text, str):
        return text
    target = _target(reading)
    script = _script_of_counts(*script_counts(text))
    if script is None or script == target:
        return text
    parts = _CLAUSE.split(text)
    converted = []  # the positions of the clauses to convert
    for position, part in enumerate(parts):
        clause = _script_of_counts(*script_counts(part))
        keep = clause == target or (clause is None and (script == MIXED or not _HAN.search(part)))
        if not keep:
            converted.append(position)
    if converted:
        # All in one call, a line apart: a clause holds no line break (the clause boundaries
        # include every space) and no OpenCC phrase crosses one, so each clause comes out as
        # it would alone, at a fraction of the calls.
        lines = _each_line(partial(_convert_chain, reading=reading), [parts[p] for p in converted])
        for position, line in zip(converted, lines):
            parts[position] = line
    return "".join(parts)


# ASCII letters, digits and signs to their full-width forms (Ａ, ６, ％), as Chinese input
# methods type them.
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def spellings(word):
    """`word` as typed and as each reading writes it (Simplified, Taiwan's and Hong Kong's
    Traditional, each with its regional phrasing), in half-width and in full-width forms, for
    searching a column kept in its original script that has no folded copy: 裁员 finds 裁員,
    软件 finds 軟體 and 軟件, ｍｅｔａ finds Meta and 600 finds ６００. Sorted, each once.
    Unlike `to_script`, every word is converted, even one of characters both scripts share
    but one (集体, whose 体 is also written in Traditional text): a spelling that is not used
    only finds nothing."""
    half = unicodedata.normalize("NFKC", word)
    found = set()
    for typed in {word, half, half.translate(_FULL_WIDTH)}:
        simplified = _convert_chain(typed, HANS)
        found |= {typed, simplified, *(_convert_chain(simplified, r) for r in READINGS)}
    return sorted(found)


def is_converted(original, reading):
    """Whether a reader of `reading` sees `original` in other words than it was written in."""
    return to_script(original, reading) != original


def requested_script(request):
    """The reading a request asked for with `?script=`, else None (the original text)."""
    value = request.GET.get("script", "") if request is not None else ""
    return value if value in READINGS else None


# --- folding: the one form that search, dedupe and matching compare ---------------------------

# Hong Kong forms to Simplified first (hk2s reads 衞, 着), so that a text and its s2t/t2s
# conversion fold alike; then through Taiwan phrasing and back: 软体, 軟體, 軟件 and 软件 all come
# out as 软件, 啟用 and 激活 as 激活.
_FOLD_CHAIN = ("hk2s", "s2twp", "tw2sp")
_REGIONAL_TERMS = Path(__file__).with_name("regional_terms.txt")
_alias_sets: dict[str, list[tuple[str, ...]]] = {}


def _chain_fold(text):
    for config in _FOLD_CHAIN:
        text = convert(text, config)
    return text


@lru_cache(maxsize=65536)
def _fold_char(char):
    """One character folded alone: NFKC, lower case, no accents, Simplified."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text)
    return _chain_fold(text) if any(is_han(c) for c in text) else text


class _CharTable(dict):
    """A `str.translate` table that maps each character with `fold` (one of the functions
    above) the first time it is met: a whole text mapped character by character in C, not
    one Python call per character."""

    LIMIT = 65536

    def __init__(self, fold):
        super().__init__()
        self.fold = fold

    def __missing__(self, code):
        if len(self) >= self.LIMIT:  # text made of every character there is
            self.clear()
        folded = self[code] = self.fold(chr(code))
        return folded


def _read_pairs(path):
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            pairs.append(tuple(words))
    return pairs


def set_aliases(name, groups):
    """Make each group of words fold to one form everywhere text is compared (search,
    quote anchoring, dedupe), e.g. a desk glossary's names: ``set_aliases("glossary",
    [("川普", "特朗普")])``. `name` identifies the caller's set: calling again replaces it, an
    empty list removes it. Stored search texts keep the old folding until
    `manage.py refold` recomputes them."""
    if groups:
        _alias_sets[name] = [tuple(group) for group in groups]
    else:
        _alias_sets.pop(name, None)
    _alias_table.cache_clear()
    _fold_offsets_cached.cache_clear()


_alias_sources: list = []


def add_alias_source(refresh):
    """Register `refresh()`, a callable that brings an alias set up to date (it calls
    `set_aliases` when its own source changed; it may read the database, so it is not called
    from `fold` itself). The claims app registers the desk glossary."""
    if refresh not in _alias_sources:
        _alias_sources.append(refresh)


def refresh_aliases():
    """Bring every registered alias set up to date. Called where text is folded to be stored or
    compared (imports, claims, search queries, quote anchoring), so that a glossary edited in
    another process is used here too."""
    for refresh in _alias_sources:
        refresh()


def aliases():
    """Every alias group in force: the regional vocabulary file, then registered sets."""
    return [*_read_pairs(_REGIONAL_TERMS), *(g for groups in _alias_sets.values() for g in groups)]


@lru_cache(maxsize=1)
def _alias_table():
    """(pattern, {folded variant: canonical}) for the alias groups; (None, {}) when none.

    Groups that share a word are one group; its canonical form is the smallest folded form."""
    parent: dict[str, str] = {}

    def root(word):
        while parent.setdefault(word, word) != word:
            word = parent[word]
        return word

    for group in aliases():
        folded = [fold_without_aliases(word) for word in group if fold_without_aliases(word)]
        for word in folded[1:]:
            a, b = root(folded[0]), root(word)
            if a != b:
                parent[max(a, b)] = min(a, b)
    table = {word: root(word) for word in parent if root(word) != word}
    if not table:
        return None, {}
    pattern = re.compile("|".join(re.escape(w) for w in sorted(table, key=len, reverse=True)))
    return pattern, table


def fold_without_aliases(text):
    """Script and character folding of a word, without aliases."""
    return _chain_fold(text.translate(_FOLD_CHARS))


class Folded:
    """A folded text with, for each of its characters, the span of the original it comes
    from: `span(a, b)` is the original span of text[a:b]."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text, starts, ends):
        self.text, self.starts, self.ends = text, starts, ends

    def span(self, a, b):
        return self.starts[a], self.ends[b - 1]


def _align(source, source_starts, source_ends, target):
    """Spans for `target`, a rewrite of `source` whose characters have the given spans: runs
    left alone keep their spans, a rewritten run spans the whole run it replaced (激活 for 啟用,
    内存 for 記憶體)."""
    if source == target:
        return source_starts, source_ends
    starts, ends = [], []
    for op, a1, a2, b1, b2 in _rewrites(source, target):
        if op == "equal":
            starts.extend(source_starts[a1:a2])
            ends.extend(source_ends[a1:a2])
        elif b2 > b1:
            if a2 > a1:
                low, high = source_starts[a1], source_ends[a2 - 1]
            elif a1:  # an insertion sits after the character before it
                low = high = source_ends[a1 - 1]
            else:
                low = high = source_starts[0] if source_starts else 0
            starts.extend([low] * (b2 - b1))
            ends.extend([high] * (b2 - b1))
    return starts, ends


def _rewrites(source, target):
    """The opcodes that turn `source` into `target`, with a single character left alone between
    two rewrites taken into them: 網際網路 → 互联网 is one rewrite, not 互联 + 网 + a deletion."""
    merged: list[tuple[str, int, int, int, int]] = []
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for op in matcher.get_opcodes():
        if (
            merged
            and op[0] != "equal"
            and len(merged) >= 2
            and merged[-1][0] == "equal"
            and merged[-1][2] - merged[-1][1] == 1
            and merged[-2][0] != "equal"
        ):
            _, a1, _, b1, _ = merged[-2]
            merged[-2:] = [("replace", a1, op[2], b1, op[4])]
        elif merged and op[0] != "equal" and merged[-1][0] != "equal":
            _, a1, _, b1, _ = merged.pop()
            merged.append(("replace", a1, op[2], b1, op[4]))
        else:
            merged.append(op)
    return merged


_PIECES = re.compile(r"(\W+)")


def _fold_steps(text, with_offsets):
    """The folding of `text`, step by step: characters (NFKC, case, accents, script) with
    whitespace collapsed, then phrases, then aliases. Spans only when asked for."""
    if not with_offsets:  # the same result, faster: characters in C, OpenCC over the whole text
        by_char = " ".join(text.split()).translate(_FOLD_CHARS)
        return _aliased(_chain_fold(by_char), [], [], with_offsets)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in re.finditer(r"\s+|\S+", text):
        run = match.group()
        if run[0].isspace():
            if chars:
                chars.append(" ")
                starts.append(match.start())
                ends.append(match.end())
            continue
        for index, char in enumerate(run, match.start()):
            folded = _fold_char(char)
            chars.append(folded)
            starts.extend([index] * len(folded))
            ends.extend([index + 1] * len(folded))
    if chars and chars[-1] == " ":
        chars.pop()
        del starts[-1:], ends[-1:]
    by_char = "".join(chars)
    # Phrases piece by piece (no OpenCC phrase holds a space or punctuation), so that only a
    # rewritten piece needs aligning.
    split = _PIECES.split(by_char)
    han = [bool(_HAN.search(piece)) for piece in split]
    phrased_pieces = iter(_each_line(_chain_fold, [p for p, h in zip(split, han) if h]))
    pieces, piece_starts, piece_ends, at = [], [], [], 0
    for piece, has_han in zip(split, han):
        end = at + len(piece)
        phrased = next(phrased_pieces) if has_han else piece
        pieces.append(phrased)
        if phrased == piece:
            piece_starts += starts[at:end]
            piece_ends += ends[at:end]
        else:
            aligned = _align(piece, starts[at:end], ends[at:end], phrased)
            piece_starts += aligned[0]
            piece_ends += aligned[1]
        at = end
    return _aliased("".join(pieces), piece_starts, piece_ends, with_offsets)


def _each_line(convert, texts):
    """[convert(text) for text in texts], for OpenCC conversions of texts that hold no line
    break: all of them in one call, a line apart (no OpenCC phrase crosses a line break, so each
    comes out as it would alone), instead of one call each."""
    if not texts:
        return []
    lines = convert("\n".join(texts)).split("\n")
    if len(lines) != len(texts):  # never seen; one by one, as a safeguard
        lines = [convert(text) for text in texts]
    return lines


def _aliased(folded, starts, ends, with_offsets):
    """Alias groups (regional terms, the glossary's names) replaced by their canonical form."""
    pattern, table = _alias_table()
    if pattern is not None:
        out, new_starts, new_ends, at = [], [], [], 0
        for match in pattern.finditer(folded):
            canonical = table[match.group()]
            out += [folded[at : match.start()], canonical]
            if with_offsets:
                new_starts += starts[at : match.start()]
                new_ends += ends[at : match.start()]
                new_starts += [starts[match.start()]] * len(canonical)
                new_ends += [ends[match.end() - 1]] * len(canonical)
            at = match.end()
        out.append(folded[at:])
        if with_offsets:
            new_starts += starts[at:]
            new_ends += ends[at:]
        folded, starts, ends = "".join(out), new_starts, new_ends
    return Folded(folded, starts, ends)


def fold_with_offsets(text):
    """`fold(text)` as a Folded, whose spans index `text` (code points)."""
    return _fold_offsets_cached(text or "")


@lru_cache(maxsize=32)
def _fold_offsets_cached(text):
    return _fold_steps(text, with_offsets=True)


def fold(text):
    """The script- and vocabulary-folded form of a text, for comparing and searching."""
    if not text:
        return ""
    return _fold_steps(text, with_offsets=False).text


def fold_compact(text):
    """`fold` without any whitespace: for fingerprints and quote matching across line breaks."""
    return _WHITESPACE.sub("", fold(text))


def find_folded(haystack, needle):
    """Every place where `needle` occurs in `haystack` once both are folded (script, regional
    vocabulary, aliases, full-width forms, case, accents; whitespace ignored), as spans of
    `haystack`: a quote typed as 激活 is found where the article says 啟用."""
    wanted = _WHITESPACE.sub("", fold_with_offsets(needle).text)
    if not wanted:
        return []
    folded = fold_with_offsets(haystack)
    keep = [i for i, c in enumerate(folded.text) if not c.isspace()]
    compact = "".join(folded.text[i] for i in keep)
    spans, index = [], compact.find(wanted)
    while index != -1:
        spans.append(folded.span(keep[index], keep[index + len(wanted) - 1] + 1))
        index = compact.find(wanted, index + 1)
    return spans


def fold_chars(text):
    """Fold each character on its own (Traditional to Simplified, full-width to half-width,
    lower case), keeping offsets: ``len(fold_chars(t)) == len(t)``."""
    return text.translate(_FOLD_SINGLE)


def _fold_single(char):
    folded = convert(unicodedata.normalize("NFKC", char).lower(), "t2s")
    return folded if len(folded) == 1 else char


_FOLD_CHARS = _CharTable(_fold_char)
_FOLD_SINGLE = _CharTable(_fold_single)
_SCRIPT_MARKS = _CharTable(_script_mark)


# --- characters that text must not carry -----------------------------------------------------
# Tab, newline and carriage return are text; the other C0 controls, DEL and the C1 controls are
# not: XML (the feed) cannot carry most of them, PostgreSQL cannot store NUL, and none belongs
# in an article, a claim or a verdict. They are refused, never dropped silently.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What XML 1.0 cannot carry at all (its Char production), surrogates and U+FFFE/U+FFFF included.
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def control_character_at(text):
    """("U+000B", index) of the first character of `text` that cannot be stored, or None."""
    match = _CONTROL.search(text)
    return None if match is None else (f"U+{ord(match.group()):04X}", match.start())


def control_character_problem(text, by_line=False):
    """Why `text` cannot be stored, or "" if it can: "contains the control character U+000B at
    position 12; remove it" (positions count characters from 1; `by_line` gives line and
    column instead, for files). English, for the importer's messages and the command."""
    found = control_character_at(text)
    if found is None:
        return ""
    char, index = found
    if by_line:
        line = text.count("\n", 0, index) + 1
        column = index - text.rfind("\n", 0, index)
        where = f"line {line}, column {column}"
    else:
        where = f"position {index + 1}"
    return f"contains the control character {char} at {where}; remove it"


def refuse_control_characters(value):
    """The validator of text that people send (forms, API inputs, models' full_clean), in the
    user's language."""
    found = control_character_at(value) if isinstance(value, str) else None
    if found is not None:
        raise ValidationError(
            gettext(
                "This text contains the control character %(char)s at position %(position)s; "
                "remove it."
            ),
            code="control_character",
            params={"char": found[0], "position": found[1] + 1},
        )


def xml_safe(text):
    """`text` without the characters XML cannot carry (defence in depth for stored data)."""
    return _NOT_XML.sub("", text) if isinstance(text, str) else text
