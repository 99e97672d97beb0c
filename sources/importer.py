"""The article importer: bytes in, one Article out, or a refusal with a reason.

`import_bytes` is the one function that imports; `import_paths` walks files and folders for
the command, and the admin's upload form calls `import_bytes` too. Each file is imported in
its own transaction: a refused file leaves nothing behind.
"""

import dataclasses
import datetime
import os
import re
import unicodedata
from pathlib import Path

import frontmatter
import yaml
from charset_normalizer import from_bytes
from django.conf import settings
from django.db import IntegrityError, transaction

from sources import text as scripts
from sources.models import Article, Source, content_fingerprint

IMPORTED, UNCHANGED, REFUSED = "imported", "unchanged", "refused"
ENCODINGS = ("utf-8", "gb18030", "big5")


class Refused(Exception):
    """The file cannot be imported; the message says why, in one line."""


@dataclasses.dataclass
class ImportResult:
    filename: str
    status: str
    message: str
    article: Article | None = None

    def line(self):
        return f"{self.filename}: {self.message}"


@dataclasses.dataclass
class ImportReport:
    results: list

    def count(self, status):
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self):
        return self.count(REFUSED) == 0

    def summary(self):
        return (
            f"{self.count(IMPORTED)} imported, {self.count(UNCHANGED)} unchanged, "
            f"{self.count(REFUSED)} refused"
        )


# --- decoding --------------------------------------------------------------------------------


def decode(data, encoding=None):
    """Text and the encoding it was read in. UTF-8 (with or without BOM), GB18030/GBK and Big5
    are recognized; `encoding` forces one."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise Refused(f"cannot be read as {encoding} ({exc.__class__.__name__})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise Refused("has a UTF-8 byte order mark but is not valid UTF-8") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readable = {}
    for candidate in ("gb18030", "big5"):
        try:
            readable[candidate] = data.decode(candidate)
        except UnicodeDecodeError:
            continue
    if len(readable) == 1:
        (name, text), = readable.items()
        return text, name
    if len(readable) == 2:
        best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
        name = "big5" if best is not None and best.encoding == "big5" else _likelier(readable)
        return readable[name], name
    raise Refused("is not text in UTF-8, GB18030 or Big5 (undecodable bytes)")


def _likelier(readable):
    """Of two readings, the one with more common CJK characters and fewer rare ones."""
    def score(text):
        common = sum(1 for c in text if "\u4e00" <= c <= "\u9fa5")
        odd = sum(1 for c in text if unicodedata.category(c) in ("Co", "Cn", "Cc") and c not in "\n\r\t")
        return common - 10 * odd
    return max(readable, key=lambda name: score(readable[name]))


def _is_binary(data):
    sample = data[:4096]
    return b"\x00" in sample


# --- reading ---------------------------------------------------------------------------------

_BOILERPLATE_LINE = re.compile(
    r"^\s*(!\[[^\]]*\]\([^)]*\)\s*)+$"          # image placeholders ![]()
    r"|^\s*\[(图片|圖片|图|圖|image)\]\s*$"
    r"|特别声明|特別聲明|免责声明|免責聲明|本平台仅提供信息存储服务|本平台僅提供資訊儲存服務"
    r"|^\s*notice:\s*the content above"
    r"|转载|轉載|版权所有|版權所有|copyright|©"
    r"|未经授权|未經授權|不得转载|不得轉載",
    re.IGNORECASE,
)


def split_boilerplate(text):
    """The body and the boilerplate lines (disclaimers, image placeholders, reposting notices)."""
    body, boilerplate = [], []
    for line in text.split("\n"):
        (boilerplate if _BOILERPLATE_LINE.search(line) else body).append(line)
    return "\n".join(body).strip("\n"), "\n".join(boilerplate).strip("\n")


def _looks_like_headline(line, rest):
    line = line.strip()
    if not line or len(line) > 60 or not rest.strip():
        return False
    return not re.search(r"[。.;；]$", line)


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise Refused(f"has a front matter date that is not a date: {value!r}") from None


def read_article(text):
    """Fields of an article from its decoded text (front matter, title, body, boilerplate)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    meta = {}
    if text.lstrip().startswith("---"):
        try:
            post = frontmatter.loads(text.lstrip())
        except (yaml.YAMLError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            raise Refused(f"has malformed front matter ({reason})") from None
        if not isinstance(post.metadata, dict):
            raise Refused("has malformed front matter (not a mapping)")
        meta, text = post.metadata, post.content
    body, boilerplate = split_boilerplate(text)
    title = str(meta.get("title") or "").strip()
    if not meta.get("title"):
        first, _, rest = body.lstrip().partition("\n")
        if _looks_like_headline(first, rest):
            title, body = first.strip(), rest
    body = body.strip("\n")
    if not body.strip():
        raise Refused("is empty (no article text)")
    tags = meta.get("tags") or []
    return {
        "title": title[:500],
        "published_on": _parse_date(meta.get("date")),
        "url": str(meta.get("url") or "")[:1000],
        "tags": [str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
        "source_name": str(meta.get("source") or "").strip(),
        "body": body,
        "boilerplate": boilerplate,
    }


def find_source(fields, body, boilerplate):
    """The publisher named in front matter or in a credit line or footer, else unknown."""
    name = fields.get("source_name")
    if not name:
        for pattern in _PUBLISHER_PATTERNS:
            match = pattern.search(boilerplate) or pattern.search(body[-400:])
            if match:
                name = match.group(1).strip()
                break
    if not name:
        return Source.unknown()
    existing = Source.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    return Source.objects.create(name=name, kind=Source.Kind.OUTLET)


_PUBLISHER_PATTERNS = [
    re.compile(r"[来來]源[:：]\s*([^\s\"”，,。;；)）]{2,30})"),
    re.compile(r"自媒体平台“([^”]{2,20})”|自媒體平台「([^」]{2,20})」"),
    re.compile(r"\(([A-Za-z][A-Za-z0-9 ]{1,30})\)\s*$"),
    re.compile(r"^\*?([^*\n：:]{2,20})[:：]专注", re.MULTILINE),
]


# --- importing -------------------------------------------------------------------------------


def import_bytes(data, filename, encoding=None, max_bytes=None):
    """Import one file's bytes. Returns an ImportResult; nothing is stored unless imported."""
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        if len(data) > max_bytes:
            raise Refused(f"is too large ({len(data):,} bytes; the limit is {max_bytes:,})")
        if not data.strip():
            raise Refused("is empty")
        if _is_binary(data):
            raise Refused("is a binary file, not text")
        text, used = decode(data, encoding)
        if not text.strip():
            raise Refused("is empty (whitespace only)")
        fields = read_article(text)
        fingerprint = content_fingerprint(fields["body"])
        existing = Article.objects.filter(fingerprint=fingerprint).first()
        if existing:
            return ImportResult(filename, UNCHANGED, f"already imported as #{existing.pk}", existing)
        with transaction.atomic():
            article = Article.objects.create(
                source=find_source(fields, fields["body"], fields["boilerplate"]),
                title=fields["title"], published_on=fields["published_on"], url=fields["url"],
                tags=fields["tags"], body=fields["body"], boilerplate=fields["boilerplate"],
                script=scripts.detect_script(fields["body"]), fingerprint=fingerprint,
                filename=filename, encoding=used,
            )
    except Refused as exc:
        return ImportResult(filename, REFUSED, f"refused: {exc}")
    except IntegrityError:
        existing = Article.objects.filter(fingerprint=fingerprint).first()
        return ImportResult(filename, UNCHANGED, f"already imported as #{existing.pk}", existing)
    return ImportResult(filename, IMPORTED, f"imported as #{article.pk} ({article.script})", article)


def iter_files(paths):
    for path in map(Path, paths):
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith(".") and not name.endswith((".yaml", ".yml")):
                        yield Path(root) / name
        else:
            yield path


def import_paths(paths, encoding=None, max_bytes=None, on_result=None):
    """Import files and folders; `on_result` is called after each file (for progress)."""
    results = []
    for path in iter_files(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = ImportResult(path.name, REFUSED, f"refused: cannot be read ({exc.strerror})")
        else:
            result = import_bytes(data, path.name, encoding=encoding, max_bytes=max_bytes)
        results.append(result)
        if on_result:
            on_result(result)
    return ImportReport(results)
