"""The desk's glossary: aliases that name the same person, place or thing (川普 = 特朗普,
杨立昆 = Yann LeCun). Editors keep it in the admin and in the review file; the assistant reads
every alias as its canonical name, so a text that says 川普 matches one that says 特朗普.

Aliases are applied to words (after segmentation), not to stored text: a new alias takes effect
at once, without reading the articles again.

The same aliases are given to sources.text (`set_aliases("glossary", …)`), so that search,
quote anchoring and dedupe read 川普 as 特朗普 too. Those compare stored folded texts: a change
to the glossary enqueues `claims.tasks.refold`, which folds them again.
"""

import threading
import time

from claims.assistant.text import analyse
from sources.text import fold, fold_without_aliases, set_aliases

# How often (seconds) a process asks whether the glossary changed (one small query). A change
# made in this process is seen at once (claims/assistant/models.py calls `changed`).
CHECK_EVERY = 2.0

_lock = threading.Lock()
_state = {"stamp": None, "checked": 0.0, "table": {}, "first": {}, "version": 0}


def _canonical_token(canonical):
    words, _ = analyse(fold(canonical))
    return "".join(words) or fold(canonical).replace(" ", "")


def _build(entries):
    """{alias word tuple: canonical token} and {first word: [alias tuples, longest first]}."""
    table = {}
    for term, canonical in entries:
        token = _canonical_token(canonical)
        # Texts read before the alias was known keep each name as written; texts read since
        # were folded with the alias (sources.text): both forms lead to the canonical name.
        for form in (term, canonical):
            for folded in {fold(form), fold_without_aliases(form)}:
                words, _ = analyse(folded)
                if words:
                    table[tuple(words)] = token
                compact = folded.replace(" ", "")
                if compact:
                    table[(compact,)] = token
    first = {}
    for words in sorted(table, key=len, reverse=True):
        first.setdefault(words[0], []).append(words)
    return table, first


def _stamp():
    from django.db.models import Count, Max

    from claims.assistant.models import GlossaryEntry

    row = GlossaryEntry.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return row["n"], row["latest"]


def refresh(force=False):
    """Re-read the glossary if it changed; returns its version (a counter)."""
    now = time.monotonic()
    if not force and now - _state["checked"] < CHECK_EVERY:
        return _state["version"]
    from claims.assistant.models import GlossaryEntry

    stamp = _stamp()
    with _lock:
        _state["checked"] = now
        if stamp != _state["stamp"]:
            entries = list(GlossaryEntry.objects.values_list("term", "canonical"))
            set_aliases("glossary", entries)
            _state["table"], _state["first"] = _build(entries)
            _state["stamp"] = stamp
            _state["version"] += 1
    return _state["version"]


def changed():
    """The glossary was edited in this process: read it again at the next use."""
    _state["checked"] = 0.0


def forget():
    """Drop what this process read of the glossary (tests: the database was rolled back)."""
    with _lock:
        set_aliases("glossary", [])
        _state.update(stamp=None, checked=0.0, table={}, first={})
        _state["version"] += 1


def version():
    return _state["version"]


def apply(words, names):
    """`words` with every alias replaced by its canonical name (a name itself)."""
    first = _state["first"]
    if not first:
        return words, names
    table = _state["table"]
    out, found, i = [], set(names), 0
    while i < len(words):
        for alias in first.get(words[i], ()):
            if tuple(words[i : i + len(alias)]) == alias:
                out.append(table[alias])
                found.add(table[alias])
                i += len(alias)
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out), frozenset(found)


# --- the glossary in the review file (claims/review_file.py, claims/review_export.py) ----------
#     glossary: [{term, canonical, note?}]


def check_entries(items):
    """Problems with the file's glossary entries, one line each."""
    errors, seen = [], set()
    for item in items:
        term, canonical = item.get("term"), item.get("canonical")
        if (
            not isinstance(term, str)
            or not term.strip()
            or not isinstance(canonical, str)
            or not canonical.strip()
        ):
            errors.append(f"glossary entry {item!r}: needs a term and its canonical name.")
            continue
        if len(term) > 100 or len(canonical) > 100:
            errors.append(
                f"glossary entry {term[:20]}: term and canonical name are at most 100 characters."
            )
        if term in seen:
            errors.append(f"glossary entry {term}: the term is listed more than once.")
        seen.add(term)
    return errors


def load_entries(items):
    """Store the file's glossary entries (idempotent); returns how many changed."""
    from claims.assistant.models import GlossaryEntry

    changed = 0
    for item in items:
        wanted = {"canonical": item["canonical"].strip(), "note": (item.get("note") or "").strip()}
        entry = GlossaryEntry.objects.filter(term=item["term"].strip()).first()
        if entry is None:
            GlossaryEntry.objects.create(term=item["term"].strip(), **wanted)
            changed += 1
        elif any(getattr(entry, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(entry, k, v)
            entry.save()
            changed += 1
    return changed


def export_entries():
    from claims.assistant.models import GlossaryEntry

    entries = []
    # Sorted here, not by the database: the same order (and file) on SQLite and PostgreSQL.
    for entry in sorted(GlossaryEntry.objects.all(), key=lambda e: (e.canonical, e.term)):
        item = {"term": entry.term, "canonical": entry.canonical}
        if entry.note:
            item["note"] = entry.note
        entries.append(item)
    return entries
