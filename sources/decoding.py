"""Bytes to text for the importer: refuse what is not text, find the encoding, normalize.

Chinese news files come as UTF-8 (with or without a byte order mark), GB18030/GBK or Big5.
GB and Big5 share byte ranges, so a Big5 file often decodes "successfully" as GB18030 into
nonsense, and a short GB file may decode as Big5. We decode both ways and keep the reading
whose characters are mostly common ones (the first-level characters of GB2312 or the
frequent block of Big5): real text scores above 0.85, a wrong reading below 0.4.
"""

import codecs
import re
import unicodedata
from functools import lru_cache


class Refused(Exception):
    """The file cannot be imported; the message says why, in one line."""


# Codec names as stored on Article.encoding and accepted by --encoding.
GB_CODECS = ("gb18030",)
BIG5_CODECS = ("big5", "cp950", "big5hkscs")
KNOWN_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk", "gb2312", "big5", "cp950", "big5hkscs")

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
# Control bytes that text never has (tab, newlines, form feed and escape are allowed).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b") + b"\x7f"
_SNIFF = 8192


def binary_kind(data):
    """What kind of binary file `data` is, or None if it may be text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    sample = data[:_SNIFF]
    if b"\x00" in sample:
        return "it contains NUL bytes"
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > max(2, len(sample) // 20):
        return "it is mostly control characters"
    return None


def _utf16_bom(data):
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


@lru_cache(maxsize=None)
def _is_common(char):
    """A character of everyday Chinese text: GB2312 level 1 or Big5's frequent block (with
    each one's punctuation rows)."""
    for codec, rows in (("gb2312", (0xA1, 0xA3, 0xB0, 0xD7)), ("big5", (0xA1, 0xA3, 0xA4, 0xC6))):
        try:
            encoded = char.encode(codec)
        except UnicodeEncodeError:
            continue
        lead = encoded[0]
        if len(encoded) == 2 and (rows[0] <= lead <= rows[1] or rows[2] <= lead <= rows[3]):
            return True
    return False


def common_share(text):
    """The share of non-ASCII characters of `text` that everyday Chinese text uses."""
    wide = [c for c in text if c > "\x7f" and not c.isspace()]
    if not wide:
        return 1.0
    return sum(1 for c in wide if _is_common(c)) / len(wide)


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
            raise Refused(f"unknown encoding {encoding!r}") from None
        try:
            return data.decode(encoding), encoding.lower()
        except UnicodeDecodeError as exc:
            raise Refused(
                f"cannot be read as {encoding} (invalid bytes at position {exc.start})"
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        text = _try(data, "utf-8-sig")
        if text is None:
            raise Refused("starts with a UTF-8 byte order mark but is not valid UTF-8")
        return text, "utf-8-sig"
    if _utf16_bom(data):
        text = _try(data, "utf-16")
        if text is None:
            raise Refused("starts with a UTF-16 byte order mark but is not valid UTF-16")
        return text, "utf-16"
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    readings = []
    for family in (GB_CODECS, BIG5_CODECS):
        for codec in family:
            text = _try(data, codec)
            if text is not None:
                readings.append((common_share(text), family[0], text))
                break
    if readings:
        share, codec, text = max(readings, key=lambda reading: reading[0])
        if share >= MIN_COMMON_SHARE:
            return text, codec
    raise Refused(
        "cannot be decoded: it is not UTF-8, GB18030/GBK or Big5 Chinese text "
        "(use --encoding to force one)"
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
    return Refused(f"is too large ({size:,} bytes; the limit is {max_bytes:,} bytes)")


def check_bytes(data, max_bytes):
    """Refuse what no decoding can save: too large, empty, binary."""
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    if not data:
        raise Refused("is empty (0 bytes)")
    if _utf16_bom(data):
        return
    kind = binary_kind(data)
    if kind:
        raise Refused(f"is a binary file, not text ({kind})")
