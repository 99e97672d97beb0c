"""Each imported file's outcome in the user's language (gettext), worded from the importer's
`code` and `params` (sources.importer.ImportResult, sources.decoding.REFUSAL_CODES), not from
its English `message`, which stays the command's. The desk's import pages
(claims.views.imports) and the admin's upload form and import jobs use it.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sources.importer import IMPORTED, REFUSED, UNCHANGED
from sources.models import ImportJob, Source
from sources.uploads import megabytes

STATUS_LABELS = {
    ImportJob.Status.QUEUED: pgettext_lazy("import job", "Queued"),
    ImportJob.Status.RUNNING: pgettext_lazy("import job", "Importing"),
    ImportJob.Status.DONE: pgettext_lazy("import job", "Done"),
    ImportJob.Status.FAILED: pgettext_lazy("import job", "Stopped on an error"),
}
OUTCOME_LABELS = {
    IMPORTED: pgettext_lazy("import outcome", "Imported"),
    UNCHANGED: pgettext_lazy("import outcome", "Duplicate"),
    REFUSED: pgettext_lazy("import outcome", "Refused"),
}
SCRIPT_NAMES = {
    "hans": gettext_lazy("Simplified"),
    "hant": gettext_lazy("Traditional"),
    "mixed": gettext_lazy("Mixed Simplified and Traditional"),
}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": gettext_lazy("UTF-8 (with BOM)"),
    "utf-16": "UTF-16",
    "gb18030": "GB18030",
    "gbk": "GBK",
    "gb2312": "GB2312",
    "big5": "Big5",
    "cp950": gettext_lazy("Big5 (CP950)"),
    "big5hkscs": "Big5-HKSCS",
}
# sources.decoding.binary_kind's words (the msgids are its English words).
BINARY_KINDS = {
    "PNG image": gettext_lazy("PNG image"),
    "JPEG image": gettext_lazy("JPEG image"),
    "GIF image": gettext_lazy("GIF image"),
    "PDF document": gettext_lazy("PDF document"),
    "ZIP archive or Office document": gettext_lazy("ZIP archive or Office document"),
    "gzip archive": gettext_lazy("gzip archive"),
    "7-Zip archive": gettext_lazy("7-Zip archive"),
    "RAR archive": gettext_lazy("RAR archive"),
    "executable": gettext_lazy("executable"),
    "SQLite database": gettext_lazy("SQLite database"),
    "old Office document": gettext_lazy("old Office document"),
    "audio or video file": gettext_lazy("audio or video file"),
    "it contains NUL bytes": gettext_lazy("it contains NUL bytes"),
    "it is full of control characters": gettext_lazy("it is full of control characters"),
}
# sources.parsing's front matter problems (%(key)s: the front matter's key).
FRONT_MATTER_PROBLEMS = {
    "unclosed": gettext_lazy("the opening --- has no closing ---"),
    "yaml": gettext_lazy("a YAML syntax error"),
    "not_a_mapping": gettext_lazy("its lines are not “key: value” lines"),
    "control_character": gettext_lazy("a control character in %(key)s"),
    "not_text": gettext_lazy("%(key)s is not text"),
    "bad_url": gettext_lazy("url is not a web address"),
}


def script_name(script):
    return SCRIPT_NAMES.get(script or "", script or _("unknown script"))


def encoding_name(encoding):
    return ENCODING_NAMES.get((encoding or "").lower(), encoding or _("unknown encoding"))


def _number(n):
    return f"{int(n or 0):,}"


def refusal_text(code, params, message=""):
    """Why a file was refused, in the user's language, from the importer's code and params."""
    p = params or {}
    if code == "too_large":
        return _(
            "The file is too large (%(size)s bytes, about %(mb)s; "
            "the limit for one file is %(limit)s)"
        ) % {
            "size": _number(p.get("size", 0)),
            "mb": megabytes(p.get("size", 0)),
            "limit": megabytes(p.get("limit", 0)),
        }
    if code == "empty":
        return _("The file is empty (0 bytes)")
    if code == "binary":
        kind = p.get("kind", "")
        return _("Not a text file (%(kind)s)") % {"kind": BINARY_KINDS.get(kind, kind)}
    if code == "unknown_encoding":
        return _("Unknown encoding “%(encoding)s”") % {"encoding": p.get("encoding", "")}
    if code == "wrong_encoding":
        return _(
            "Cannot be read as %(encoding)s (invalid from byte %(position)s on); "
            "try again with “Detect automatically”"
        ) % {
            "encoding": encoding_name(p.get("encoding")),
            "position": _number(int(p.get("position", 0)) + 1),
        }
    if code == "bad_bom":
        return _(
            "Starts with a %(bom)s byte order mark (BOM), but the content is not valid %(bom)s"
        ) % {"bom": p.get("bom", "UTF-8")}
    if code == "undecodable":
        return _(
            "The encoding could not be recognised: not Chinese text in UTF-8, GB18030/GBK or "
            "Big5 (choose one under “Encoding” and try again)"
        )
    if code == "control_character":
        if p.get("line"):
            return _(
                "A control character %(char)s at line %(line)s, column %(column)s; "
                "delete it and import again"
            ) % {"char": p.get("char", ""), "line": p["line"], "column": p.get("column", "?")}
        return _("Contains control characters; delete them and import again")
    if code == "whitespace_only":
        return _("Only white space, no text")
    if code == "front_matter":
        problem = FRONT_MATTER_PROBLEMS.get(p.get("problem", ""))
        problem = str(problem) % {"key": p.get("key", "")} if problem else _("it cannot be read")
        if p.get("line"):
            return _(
                "The front matter at the top of the file is malformed: %(problem)s (line %(line)s)"
            ) % {"problem": problem, "line": p["line"]}
        return _("The front matter at the top of the file is malformed: %(problem)s") % {
            "problem": problem
        }
    if code == "front_matter_too_large":
        return _("The front matter is too long (%(size)s bytes, the limit is %(limit)s bytes)") % {
            "size": _number(p.get("size", 0)),
            "limit": _number(p.get("limit", 0)),
        }
    if code == "bad_date":
        return _(
            "The date “%(value)s” in the front matter is not valid (write it as YYYY-MM-DD)"
        ) % {"value": p.get("value", "")}
    if code == "no_text":
        if p.get("front_matter"):
            return _("Only front matter, no body")
        return _("No body (only notices or image placeholders)")
    if code == "conflict":
        return _(
            "Another import saved the same content at the same time and this file could not "
            "be saved; please try again"
        )
    if code == "failed":
        return _("The import failed (%(error)s); it has been logged") % {
            "error": p.get("error", "")
        }
    if code == "missing":
        return _("The file does not exist")
    if code == "not_a_file":
        return _("Not a regular file")
    if code == "unreadable":
        return _("Cannot be read (%(reason)s)") % {"reason": p.get("reason", "")}
    # An older job, or a refusal without a code: the importer's own words.
    if message:
        return _("Not imported (%(message)s)") % {"message": message.removeprefix("refused: ")}
    return _("Not imported")


def detail(result):
    """What a page says of a file after its outcome (a dict as stored in ImportJob.results)."""
    code, p = result.get("code", ""), result.get("params") or {}
    status = result.get("status")
    if status == IMPORTED:
        if not p:
            return ""
        return _("%(script)s, %(encoding)s; source: %(source)s") % {
            "script": script_name(p.get("script")),
            "encoding": encoding_name(p.get("encoding")),
            "source": Source.named(p.get("source", "")),
        }
    if status == UNCHANGED:
        if code == "same_text":
            return _(
                "This file: %(script)s, %(encoding)s; the stored article: %(article_script)s, "
                "%(article_encoding)s. Not imported again; listed among the article's files."
            ) % {
                "script": script_name(p.get("script")),
                "encoding": encoding_name(p.get("encoding")),
                "article_script": script_name(p.get("article_script")),
                "article_encoding": encoding_name(p.get("article_encoding")),
            }
        if code == "same_file" and p:
            return _(
                "The same file was imported before (%(script)s, %(encoding)s); not imported again."
            ) % {
                "script": script_name(p.get("script")),
                "encoding": encoding_name(p.get("encoding")),
            }
        if code == "same_file":
            return _("The same file was imported before; not imported again.")
        return _("Not imported again.")
    return refusal_text(code, p, result.get("message", ""))


def line(result):
    """One line for a message or a list: the file, its outcome (with the article's number) and
    what the page says of it."""
    names = {
        "file": result.get("filename", ""),
        "outcome": OUTCOME_LABELS.get(result.get("status"), result.get("status", "")),
        "article": result.get("article"),
    }
    if names["article"]:
        summary = _("%(file)s: %(outcome)s (article #%(article)s)") % names
    else:
        summary = _("%(file)s: %(outcome)s") % names
    said = detail(result)
    return _("%(summary)s. %(detail)s") % {"summary": summary, "detail": said} if said else summary
