"""Bytes to text for the importer: refuse what is not text, find the encoding, normalize.

Chinese news files come as UTF-8 (with or without a byte order mark), GB18030/GBK or Big5.
GB and Big5 share byte ranges, so a Big5 file often decodes "successfully" as GB18030 into
nonsense, and a short GB file may decode as Big5. We decode both ways and keep the reading
whose characters are mostly common ones (the first-level characters of GB2312 or the
frequent block of Big5): real text scores above 0.85, a wrong reading below 0.4. Between two
readings of a short file that both look common, the one whose characters belong to its own
encoding's standard as they are wins (`_reading_score`). A short GB or Big5 file can also be
valid UTF-8 by chance; a UTF-8 reading with neither Chinese nor Latin letters gives way to
them.
"""

import codecs
import re
import unicodedata
from functools import cache

from sources import text as scripts


class Refused(Exception):
    """The file cannot be imported; the message says why, in one line (as the command prints
    it). `code` names the kind of refusal and `params` its figures, for pages that word it in
    the editor's language (claims/views/imports.py): the codes are listed in REFUSAL_CODES."""

    def __init__(self, message, code="refused", **params):
        super().__init__(message)
        self.code = code
        self.params = params


# The kinds of refusal (Refused.code) and their params; "refused" is any other.
REFUSAL_CODES = {
    "too_large": ("size", "limit"),
    "empty": (),
    "binary": ("kind",),
    "unknown_encoding": ("encoding",),
    "wrong_encoding": ("encoding", "position"),
    "bad_bom": ("bom",),
    "undecodable": (),
    "control_character": ("char", "line", "column"),
    "whitespace_only": (),
    "front_matter": ("problem", "key", "line"),  # problem: unclosed, yaml, not_a_mapping, …
    "front_matter_too_large": ("size", "limit"),
    "bad_date": ("value",),
    "no_text": ("front_matter",),
    "conflict": (),
    "failed": ("error",),
    "missing": (),
    "not_a_file": (),
    "unreadable": ("reason",),
    "refused": (),
}


# Codec names as stored on Article.encoding and accepted by --encoding.
GB_CODECS = ("gb18030",)
BIG5_CODECS = ("big5", "cp950", "big5hkscs")
KNOWN_ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "gb18030",
    "gbk",
    "gb2312",
    "big5",
    "cp950",
    "big5hkscs",
)

# Below this share of common characters, a GB or Big5 reading is not Chinese text.
MIN_COMMON_SHARE = 0.6

_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
    (b"RIFF", "audio or video file"),
]
# Control bytes that text never has, for telling binary files from text (tab, newlines, form
# feed and escape are left out of the count). A text file with a few of them is refused once
# decoded, in any encoding, by sources.text.control_character_problem (importer.prepare).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b") + b"\x7f"
_SNIFF = 8192


def binary_kind(data):
    """What kind of binary file `data` is, or None if it may be text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data:  # anywhere: no text has NUL, and PostgreSQL cannot store it
        return "it contains NUL bytes"
    sample = data[:_SNIFF]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > max(2, len(sample) // 20):
        return "it is full of control characters"
    return None


def _utf16_bom(data):
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _in_rows(char, codec, *ranges):
    try:
        encoded = char.encode(codec)
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and any(low <= encoded[:2] <= high for low, high in ranges)


# Punctuation rows, then GB2312 level 1 (3,755 characters) and Big5's frequent block (5,401).
_GB_COMMON = [(b"\xa1\xa1", b"\xa3\xfe"), (b"\xb0\xa1", b"\xd7\xf9")]
_BIG5_COMMON = [(b"\xa1\x40", b"\xa3\xbf"), (b"\xa4\x40", b"\xc6\x7e")]


@cache
def _is_common(char):
    """A character of everyday Chinese text in either script."""
    return _in_rows(char, "gb2312", *_GB_COMMON) or _in_rows(char, "big5", *_BIG5_COMMON)


@cache
def _is_common_in(char, family):
    """Common in the family's own script, or common once converted to it (a Traditional
    character in a GB18030 file counts when its Simplified form is common)."""
    if family == "gb18030":
        return _in_rows(char, "gb2312", *_GB_COMMON) or _in_rows(
            scripts.convert(char, "t2s"), "gb2312", *_GB_COMMON
        )
    return _in_rows(char, "big5", *_BIG5_COMMON) or _in_rows(
        scripts.convert(char, "s2t"), "big5", *_BIG5_COMMON
    )


def _wide(text):
    return [c for c in text if c > "\x7f" and not c.isspace()]


def common_share(text):
    """The share of non-ASCII characters of `text` that everyday Chinese text uses."""
    wide = _wide(text)
    if not wide:
        return 1.0
    return sum(1 for c in wide if _is_common(c)) / len(wide)


def _native_share(wide, family):
    """The share of characters that are common in the family's own standard as they are:
    GB2312's first level for GB, Big5's frequent block for Big5 (no conversion)."""
    codec, rows = ("gb2312", _GB_COMMON) if family == "gb18030" else ("big5", _BIG5_COMMON)
    return sum(1 for c in wide if _in_rows(c, codec, *rows)) / len(wide)


def _reading_score(text, family):
    """How much a reading looks like real text, compared in order: the share of common
    characters (of either script); then, for short texts where both readings are common
    characters, the share that are common in the family's own standard as they are (Big5's
    資訊 also reads as GB "戈癟", whose 癟 is no GB2312 character: the Big5 reading wins); then
    the share common in the family's standard once converted to its script (a Traditional text
    stored as GB18030)."""
    wide = _wide(text)
    if not wide:
        return 1.0, 1.0, 1.0
    own = sum(1 for c in wide if _is_common_in(c, family)) / len(wide)
    return common_share(text), _native_share(wide, family), own


def _looks_like_chinese_or_plain(text):
    """Whether a valid UTF-8 reading is a reading to keep: it has Chinese text, or its other
    characters are Latin (accented names: Jégou) or punctuation, or there are many of them. A
    short GB or Big5 file can be valid UTF-8 by chance (GB 一些 is the bytes of Cyrillic "һЩ");
    such a reading has neither, and the GB and Big5 readings are tried first."""
    wide = _wide(text)
    return len(wide) > 8 or all(
        scripts.is_han(c)
        or "\u00a0" <= c <= "\u024f"
        or "\u2000" <= c <= "\u206f"
        or "\u3000" <= c <= "\u303f"
        or "\uff00" <= c <= "\uffef"
        for c in wide
    )


def _try(data, codec):
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(data, encoding=None):
    """`(text, encoding)` for the bytes of a file, or Refused.

    UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030/GBK and Big5 are recognized;
    `encoding` forces one.
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise Refused(
                f"unknown encoding {encoding!r}", "unknown_encoding", encoding=encoding
            ) from None
        try:
            return data.decode(encoding), encoding.lower()
        except UnicodeDecodeError as exc:
            raise Refused(
                f"cannot be read as {encoding} (invalid bytes at position {exc.start})",
                "wrong_encoding",
                encoding=encoding,
                position=exc.start,
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        text = _try(data, "utf-8-sig")
        if text is None:
            raise Refused(
                "starts with a UTF-8 byte order mark but is not valid UTF-8", "bad_bom", bom="UTF-8"
            )
        return text, "utf-8-sig"
    if _utf16_bom(data):
        text = _try(data, "utf-16")
        if text is None:
            raise Refused(
                "starts with a UTF-16 byte order mark but is not valid UTF-16",
                "bad_bom",
                bom="UTF-16",
            )
        return text, "utf-16"
    utf8 = _try(data, "utf-8")
    if utf8 is not None and _looks_like_chinese_or_plain(utf8):
        return utf8, "utf-8"
    readings = []
    for family in (GB_CODECS, BIG5_CODECS):
        for codec in family:
            text = _try(data, codec)
            if text is not None:
                readings.append((_reading_score(text, family[0]), family[0], text))
                break
    if readings:
        (share, *_), codec, text = max(readings, key=lambda reading: reading[0])
        if share >= MIN_COMMON_SHARE:
            return text, codec
    if utf8 is not None:
        return utf8, "utf-8"
    raise Refused(
        "cannot be decoded: it is not UTF-8, GB18030/GBK or Big5 Chinese text "
        "(use --encoding to force one)",
        "undecodable",
    )


_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_INVISIBLE = re.compile(r"[\ufeff\u200b\u2060]")


def normalize(text):
    """One form for every file: \\n newlines, NFC, no stray byte order marks or zero-width
    spaces, no trailing spaces on lines."""
    text = _INVISIBLE.sub("", _NEWLINES.sub("\n", text))
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def too_large(size, max_bytes):
    """The refusal of a file over the size limit (checked before reading, where possible)."""
    return Refused(
        f"is too large ({size:,} bytes; the limit is {max_bytes:,} bytes)",
        "too_large",
        size=size,
        limit=max_bytes,
    )


def check_bytes(data, max_bytes):
    """Refuse what no decoding can save: too large, empty, binary."""
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    if not data:
        raise Refused("is empty (0 bytes)", "empty")
    if _utf16_bom(data):
        return  # NUL bytes are UTF-16's own; its text is checked once decoded
    kind = binary_kind(data)
    if kind:
        raise Refused(f"is a binary file, not text ({kind})", "binary", kind=kind)
