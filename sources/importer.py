"""The article importer: bytes in, one Article out, or a refusal with a reason.

`import_bytes` is the one function that imports; `import_paths` walks files and folders for
the command, and the admin's upload form calls `import_bytes` too. The work is in two steps:
`prepare` reads the bytes into article fields without touching the database (decoding,
front matter, boilerplate, script, fingerprint: sources.decoding and sources.parsing), then
`store` saves them in one transaction per file, so a refused file leaves nothing behind.
"""

import dataclasses
import hashlib
import itertools
import logging
import os
import re
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from sources import text as scripts
from sources.decoding import Refused, check_bytes, decode, normalize, too_large
from sources.models import Article, ArticleFile, Source, fingerprint_of_folded
from sources.parsing import ParsedText, parse
from sources.publishers import SourceCache, find_publisher
from sources.titles import title_for

__all__ = [
    "IMPORTED",
    "UNCHANGED",
    "REFUSED",
    "ImportResult",
    "ImportReport",
    "Refused",
    "import_bytes",
    "import_paths",
    "iter_files",
    "name_stored_articles",
    "prepare",
    "refusal",
]

logger = logging.getLogger(__name__)

IMPORTED, UNCHANGED, REFUSED = "imported", "unchanged", "refused"
# Not articles: the seed review and other data files that live next to the articles.
SKIPPED_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".py", ".db", ".sqlite3")
CHUNK_FILES = 200


@dataclasses.dataclass
class ImportResult:
    filename: str
    status: str
    message: str
    article: Article | None = None
    path: str = ""
    # The kind of outcome and its figures, for pages that word it in the editor's language:
    # IMPORTED "imported"; UNCHANGED "same_text" (another copy, now listed with the article)
    # or "same_file" (a copy seen before); REFUSED a code of sources.decoding.REFUSAL_CODES.
    code: str = ""
    params: dict = dataclasses.field(default_factory=dict)

    def as_stored(self):
        """The result as ImportJob.results keeps it (sources.jobs), which pages word in the
        user's language (sources.outcomes)."""
        return {
            "filename": self.path or self.filename,
            "status": self.status,
            "message": self.message,
            "article": self.article.pk if self.article is not None else None,
            "code": self.code,
            "params": self.params,
        }

    def line(self):
        """One line for the terminal: the file, then what happened (English)."""
        return f"{self.path or self.filename}: {self.message}"


@dataclasses.dataclass
class ImportReport:
    results: list
    counts: dict = dataclasses.field(default_factory=dict)

    def add(self, result, keep=True):
        self.counts[result.status] = self.counts.get(result.status, 0) + 1
        if keep or result.status == REFUSED:
            self.results.append(result)

    def count(self, status):
        if not self.counts:
            return sum(1 for r in self.results if r.status == status)
        return self.counts.get(status, 0)

    @property
    def total(self):
        return sum(self.counts.values()) if self.counts else len(self.results)

    @property
    def ok(self):
        return self.count(REFUSED) == 0

    def summary(self):
        line = (
            f"{self.count(IMPORTED)} imported, {self.count(UNCHANGED)} unchanged, "
            f"{self.count(REFUSED)} refused"
        )
        if self.total and not self.count(IMPORTED):
            line += " (nothing changed)"
        return line


@dataclasses.dataclass
class Prepared:
    """An article read from a file, ready to store."""

    fields: ParsedText
    encoding: str
    script: str
    fingerprint: str
    search_text: str
    checksum: str = ""  # sha256 of the file's bytes


def max_bytes_setting():
    return getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def read_fields(data, encoding=None, max_bytes=None):
    """(fields, encoding used) of a file's bytes, or raise Refused: what `prepare` reads before
    it derives the article's search text, fingerprint and script (the evaluations that read
    the corpus as the importer would need the fields alone). No database access."""
    check_bytes(data, max_bytes_setting() if max_bytes is None else max_bytes)
    text, used = decode(data, encoding)
    text = normalize(text)
    problem = scripts.control_character_problem(text, by_line=True)
    if problem:
        raise Refused(problem, "control_character", **_control_character_params(problem))
    if not text.strip():
        raise Refused("contains only whitespace", "whitespace_only")
    return parse(text), used


def prepare(data, encoding=None, max_bytes=None):
    """Read a file's bytes into article fields, or raise Refused. No database access."""
    fields, used = read_fields(data, encoding, max_bytes)
    # Fold once; the fingerprint and the search text both come from it.
    folded_body = scripts.fold(fields.body)
    folded_title = scripts.fold(fields.title)
    return Prepared(
        fields=fields,
        encoding=used,
        script=scripts.detect_script(f"{fields.title}\n{fields.body}"),
        fingerprint=fingerprint_of_folded(folded_body),
        search_text=" ".join(part for part in (folded_title, folded_body) if part),
        checksum=hashlib.sha256(data).hexdigest(),
    )


_CONTROL_PROBLEM = re.compile(r"U\+([0-9A-F]{4,6}) at line (\d+), column (\d+)")


def _control_character_params(problem):
    """The character, line and column that sources.text names in its one-line problem."""
    found = _CONTROL_PROBLEM.search(problem)
    if found is None:
        return {}
    return {"char": f"U+{found[1]}", "line": int(found[2]), "column": int(found[3])}


def refusal(filename, exc, path=""):
    """The result of a file refused with `exc` (a Refused): its message, code and params."""
    return ImportResult(
        filename, REFUSED, f"refused: {exc}", None, path, code=exc.code, params=dict(exc.params)
    )


def _existing(fingerprint):
    return _existing_many([fingerprint]).get(fingerprint)


def _existing_many(fingerprints):
    """The stored articles with these fingerprints, by fingerprint (one query)."""
    articles = Article.objects.only(
        "id", "title", "filename", "source_id", "script", "encoding", "fingerprint"
    ).filter(fingerprint__in=fingerprints)
    return {article.fingerprint: article for article in articles}


SCRIPT_NAMES = {"hans": "Simplified", "hant": "Traditional", "mixed": "mixed script"}


def _copy_of(copy):
    return f"{SCRIPT_NAMES.get(copy.script, copy.script)}, {copy.encoding or 'unknown encoding'}"


def _unchanged(filename, article, path, prepared=None):
    """The same text as a stored article: nothing is imported; a file not seen before is
    recorded as another file of that article, and the message names both copies."""
    if prepared is None:
        return ImportResult(
            filename, UNCHANGED, f"already imported as #{article.pk}", article, path, "same_file"
        )
    _, new_file = ArticleFile.objects.get_or_create(
        article=article,
        checksum=prepared.checksum,
        defaults={
            "filename": filename[:500],
            "encoding": prepared.encoding,
            "script": prepared.script,
        },
    )
    kept = f"#{article.pk} ({article.filename or 'no file name'}: {_copy_of(article)})"
    if new_file:
        message = (
            f"the same article as {kept}; this copy ({_copy_of(prepared)}) is not imported "
            f"again and is listed with the article's files"
        )
    else:
        message = f"already imported as {kept}"
    params = {
        "script": prepared.script,
        "encoding": prepared.encoding,
        "article_script": article.script,
        "article_encoding": article.encoding,
        "article_filename": article.filename,
    }
    code = "same_text" if new_file else "same_file"
    return ImportResult(filename, UNCHANGED, message, article, path, code, params)


def store(prepared, filename, sources, path="", known=None):
    """Save a prepared article in its own transaction (a savepoint inside a chunk's); the same
    text again changes nothing. `known` holds articles already looked up by fingerprint."""
    existing = (
        known.get(prepared.fingerprint) if known is not None else _existing(prepared.fingerprint)
    )
    if existing is not None:
        return _unchanged(filename, existing, path, prepared)
    fields = prepared.fields
    try:
        with transaction.atomic():
            source, created = sources.source_for(fields)
            article = Article(
                source=source,
                title=fields.title,
                published_on=fields.published_on,
                url=fields.url,
                tags=fields.tags,
                body=fields.body,
                boilerplate=fields.boilerplate,
                script=prepared.script,
                fingerprint=prepared.fingerprint,
                filename=filename[:500],
                encoding=prepared.encoding,
            )
            article.use_search_text(prepared.search_text)
            article.save()
            ArticleFile.objects.create(
                article=article,
                filename=article.filename,
                encoding=prepared.encoding,
                script=prepared.script,
                checksum=prepared.checksum,
            )
    except IntegrityError:
        # Another import stored the same text (or Source) meanwhile.
        sources.reset()
        existing = _existing(prepared.fingerprint)
        if existing is not None:
            return _unchanged(filename, existing, path, prepared)
        return ImportResult(
            filename,
            REFUSED,
            "refused: could not be stored (a conflicting import ran at the same time; try again)",
            None,
            path,
            "conflict",
        )
    if created:
        sources.remember(source)
    if known is not None:
        known[prepared.fingerprint] = article  # the same text twice in one run
    detail = f"{article.script}; source: {source.name}"
    params = {"script": article.script, "encoding": article.encoding, "source": source.name}
    message = f"imported as #{article.pk} ({detail})"
    return ImportResult(filename, IMPORTED, message, article, path, "imported", params)


def import_bytes(data, filename, encoding=None, max_bytes=None, sources=None, path=""):
    """Import one file's bytes. Returns an ImportResult; nothing is stored unless imported.

    `sources` (a SourceCache) can be shared across the files of one run.
    """
    scripts.refresh_aliases()
    try:
        prepared = prepare(data, encoding=encoding, max_bytes=max_bytes)
        return store(prepared, filename, sources or SourceCache(), path)
    except Refused as exc:
        return refusal(filename, exc, path)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the others
        return _failed(filename, path, exc)


def _failed(filename, path, exc):
    """An unexpected error on one file: store() works in its own savepoint, so nothing of the
    file is left behind; the traceback goes to the log, the editor gets one line."""
    logger.exception("Importing %s failed", path or filename)
    error = f"{exc.__class__.__name__}: {exc}"
    return ImportResult(
        filename,
        REFUSED,
        f"refused: could not be imported ({error})",
        None,
        path,
        "failed",
        {"error": error[:500]},
    )


def iter_files(paths):
    """The files to import, in a stable order: files as given, folders walked (hidden files
    and data files such as seeds/review.yaml skipped)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and not name.lower().endswith(SKIPPED_SUFFIXES):
                        yield Path(root) / name
        else:
            yield path


def _read(path, max_bytes):
    """The bytes of a file, or a refusal reason (a huge file is refused unread)."""
    try:
        if not path.exists():
            raise Refused("no such file or folder", "missing")
        if not path.is_file():
            raise Refused("is not a regular file", "not_a_file")
        size = path.stat().st_size
        if size > max_bytes:
            raise too_large(size, max_bytes)
        return path.read_bytes()
    except OSError as exc:
        reason = str(exc.strerror or exc)
        raise Refused(f"cannot be read ({reason})", "unreadable", reason=reason) from None


def _prepare_path(path, encoding, max_bytes):
    """`(path, Prepared)`, or `(path, ImportResult)` for a refused file."""
    try:
        return path, prepare(_read(path, max_bytes), encoding=encoding, max_bytes=max_bytes)
    except Refused as exc:
        return path, refusal(path.name or str(path), exc, str(path))
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the others
        return path, _failed(path.name, str(path), exc)


def _store(item, path, sources, known):
    if not isinstance(item, Prepared):
        return item  # already a refusal
    try:
        return store(item, path.name, sources, str(path), known)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the others
        return _failed(path.name, str(path), exc)


def import_paths(paths, encoding=None, max_bytes=None, on_result=None, keep_results=True):
    """Import files and folders; `on_result` is called after each file (for progress).

    With `keep_results=False` the report keeps counts and refusals only, so that memory stays
    flat over thousands of files.
    """
    max_bytes = max_bytes_setting() if max_bytes is None else max_bytes
    scripts.refresh_aliases()
    sources = SourceCache()
    report = ImportReport([])
    files = iter_files(paths)
    while chunk := list(itertools.islice(files, CHUNK_FILES)):
        read = [_prepare_path(path, encoding, max_bytes) for path in chunk]
        known = _existing_many([item.fingerprint for _, item in read if isinstance(item, Prepared)])
        # One commit per chunk: each file still has its own savepoint (store), so a refused
        # or conflicting file leaves nothing behind, but the disk syncs once per chunk
        # instead of once per file (per-file commits made 10,000 files take minutes).
        with transaction.atomic():
            results = [_store(item, path, sources, known) for path, item in read]
        for result in results:
            report.add(result, keep=keep_results)
            if on_result:
                on_result(result)
    return report


# --- articles stored before titles and credits were found -----------------------------------


def name_stored_articles(dry_run=False, on_change=None):
    """Give every stored article without a title the one its text gives, and every article of
    the unknown source the publisher its text credits, by the importer's own rules.
    `(titled, credited)`: how many changed. `on_change(article, changed)` is called for each
    article that changes (`changed` lists "title" and/or "source"). Running it again changes
    nothing."""
    sources, unknown = SourceCache(), Source.unknown()
    counts = {"title": 0, "source": 0}
    pending = Article.objects.filter(Q(title__regex=r"^\s*$") | Q(source=unknown))
    pks = list(pending.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 500):
        for article in Article.objects.filter(pk__in=pks[start : start + 500]).order_by("pk"):
            changed = _name_stored(article, sources, unknown, dry_run)
            for what in changed:
                counts[what] += 1
            if changed and on_change:
                on_change(article, changed)
    return counts["title"], counts["source"]


def _name_stored(article, sources, unknown, dry_run):
    changed, fields = [], []
    if not article.title.strip():
        article.title = title_for(article.body, article.boilerplate)[:500]
        changed.append("title")
        fields += ["title", "search_text"]
    found = (
        find_publisher("", article.body, article.boilerplate)
        if article.source_id == unknown.pk
        else None
    )
    if found:
        changed.append("source")
        fields.append("source")
        if dry_run:
            article.source = Source(name=found[0], kind=found[1])
    if changed and not dry_run:
        with transaction.atomic():
            if found:
                article.source, created = sources.get_or_create(*found)
            article.save(update_fields=fields)
        if found and created:
            sources.remember(article.source)
    return changed
