"""What happens when an article is stored: its sentences are read into `Passage` rows (words,
names, figures), the index takes them, and the article is checked against the desk's claims
("this article repeats claim #12, rated false"): each hit is a `KnownClaim` row.

Runs synchronously inside the import's savepoint (claims/assistant/models.py connects it to
Article's post_save), so it must be fast: one segmentation pass, one bulk insert, and the
known-claim check reads the in-memory index. NEWSROOM_ASSISTANT_ON_IMPORT=0 skips all of it
(then `manage.py assistant_index` reads the articles later); `=index` reads the passages but
leaves the known-claim check to `manage.py assistant_index --all --check-known-claims`.
"""

import os
import re
import time

from claims.assistant import index as assistant_index
from claims.assistant.quantities import figures_in
from claims.assistant.text import analyse_many, clause_around, fold_many, is_hedged, split_sentences
from sources.text import fold_chars

# Bounds for odd input (a 1 MB article, ten thousand numbers in one text).
MAX_PASSAGES = 5000
MAX_FIGURES = 400
# Figures are looked for in the article's first 100,000 characters (fifty long news stories):
# most sentences hold a numeral character (一, 十, 两), and reading each costs about a
# millisecond, so a 1 MB text would otherwise spend seconds finding no figure.
MAX_FIGURE_CHARACTERS = 100_000
# The known-claim check reads the first sentences of an article only, and stores its best
# hits (the API and the reader compute them all, now).
MAX_CHECKED_SENTENCES = 300
MAX_KNOWN_STORED = 20
# How often (seconds) an import asks the database whether claims changed in another process
# (a claim saved in this one is seen at once: `claims_changed`).
CLAIMS_CHECK_EVERY = 5.0
_last_check = {"at": 0.0}


def claims_changed():
    _last_check["at"] = 0.0


def _on_import():
    return os.environ.get("NEWSROOM_ASSISTANT_ON_IMPORT", "1").strip().lower()


def enabled():
    return _on_import() not in ("0", "false", "no")


def checks_on_import():
    return enabled() and _on_import() != "index"


def read_passages(article):
    """Unsaved Passage rows for the article's body. The body's pieces (sentences, the words
    around each figure) are folded in one pass, then segmented."""
    from claims.assistant.models import Passage

    body = article.body or ""
    sentences, figures_left = [], MAX_FIGURES
    for start, end in split_sentences(body)[:MAX_PASSAGES]:
        text = body[start:end]
        figures = []
        if figures_left > 0 and start < MAX_FIGURE_CHARACTERS and _NUMERAL.search(text):
            figures = [
                (row, _context_spans(text, start, row))
                for row in figures_in(text, offset=start)[:figures_left]
            ]
            figures_left -= len(figures)
        sentences.append((start, end, text, figures))
    # Sentences are folded with the whole of `fold` (script, regional vocabulary), in one pass;
    # the words around figures character by character (cheaper, offsets kept). Then one
    # segmentation call reads every piece.
    pieces = fold_many([text for _, _, text, _ in sentences])
    for _, _, _, figures in sentences:
        for _, spans in figures:
            pieces.extend(fold_chars(body[a:b]) for a, b in spans)
    analysed = iter(analyse_many(pieces))
    sentence_words = [next(analysed) for _ in sentences]
    passages = []
    for (start, end, text, figures), (words, names) in zip(sentences, sentence_words):
        rows = []
        for row, _ in figures:
            left, left_names = next(analysed)
            right, right_names = next(analysed)
            rows.append(
                row
                + [
                    " ".join(left) + " | " + " ".join(right),
                    " ".join(sorted(left_names | right_names)),
                ]
            )
        if not words and not rows:
            continue
        passages.append(
            Passage(
                article_id=article.pk,
                start=start,
                end=end,
                words=" ".join(words),
                names=" ".join(sorted(names)),
                figures=rows,
                hedged=is_hedged(text),
            )
        )
    return passages


def read_sentences(body):
    """(start, end, words) of the sentences of `body` that read_passages would keep for their
    words: the same words, without reading figures (what a known-claim check needs; a figure
    costs about a millisecond to read)."""
    spans = split_sentences(body)[:MAX_PASSAGES]
    analysed = analyse_many(fold_many([body[start:end] for start, end in spans]))
    return [
        (start, end, " ".join(words).split())
        for (start, end), (words, _) in zip(spans, analysed)
        if words
    ]


_NUMERAL = re.compile(r"[0-9０-９零〇一二两兩三四五六七八九十百千万萬亿億半]")


def _context_spans(text, offset, row):
    """Body spans of the words left and right of a figure: its clause, with the clause before
    it when the clause is short (“650亿美元。”)."""
    start, end = row[0] - offset, row[1] - offset
    c_start, c_end = clause_around(text, start, end)
    if c_start > 1 and len(text[c_start:start].strip()) + len(text[end:c_end].strip()) < 6:
        c_start, _ = clause_around(text, c_start - 2, c_start - 1)
    return [(offset + c_start, offset + start), (offset + end, offset + c_end)]


def _same(stored, fresh):
    return [(p.start, p.end, p.words) for p in stored] == [(p.start, p.end, p.words) for p in fresh]


def article_stored(article, created):
    from claims.assistant.models import Passage

    if not enabled():
        return
    fresh = read_passages(article)
    if not created:
        stored = list(Passage.objects.filter(article_id=article.pk).order_by("start"))
        if _same(stored, fresh):
            return
        Passage.objects.filter(article_id=article.pk).delete()
        assistant_index.forget_article(article.pk)
    Passage.objects.bulk_create(fresh, batch_size=500)
    if fresh and all(p.pk is not None for p in fresh):
        assistant_index.add_stored_passages(fresh)
    else:
        assistant_index.reset()
    if checks_on_import():
        check_known_claims(article, fresh)


def _index_for_import():
    index = assistant_index.loaded()
    now = time.monotonic()
    if index is None or not _last_check["at"] or now - _last_check["at"] > CLAIMS_CHECK_EVERY:
        _last_check["at"] = now
        index = assistant_index.current()
    return index


def check_known_claims(article, passages):
    """Store a KnownClaim for each of the desk's claims that the article repeats."""
    from claims.assistant import matching

    if not passages:
        return
    index = _index_for_import()
    if not len(index.c_claim) or not any(index.c_alive):
        return
    found = matching.known_claims_in(
        index,
        article.pk,
        [(p.start, p.end, p.words.split()) for p in passages[:MAX_CHECKED_SENTENCES]],
        limit=MAX_KNOWN_STORED,
    )
    if found:
        _store(article.pk, found)


def _store(article_id, hits):
    """One KnownClaim row per hit, in one INSERT … SELECT that joins the hits (a VALUES list)
    to the claims that exist, ON CONFLICT DO NOTHING (SQLite and PostgreSQL both read it, and
    both name a VALUES list's columns column1, column2, …): a claim deleted a moment ago in
    another process (the index may still hold it) and a claim already stored for the article
    are left out. A query for the claims that still exist and then a bulk_create took twice as
    long as one such INSERT per hit (1.7 s against 0.9 s for 1,000 articles that each repeat
    twenty claims or more), which took 40% longer than one per article (0.37 against 0.26 ms
    for twenty hits, alternated in one process)."""
    from django.db import connection
    from django.utils import timezone

    from claims.assistant.models import KnownClaim
    from claims.models import Claim

    quote, fields = connection.ops.quote_name, KnownClaim._meta
    columns = ", ".join(
        quote(fields.get_field(name).column)
        for name in ("article", "claim", "start", "end", "score", "found_at")
    )
    found_at = fields.get_field("found_at").get_db_prep_value(timezone.now(), connection)
    params = [article_id, found_at]
    for hit in hits:
        params += [hit.claim_id, hit.start, hit.end, hit.score]
    claim_id = f"claim.{quote('id')}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(fields.db_table)} ({columns}) "
            f"SELECT %s, {claim_id}, hit.column2, hit.column3, hit.column4, %s "
            f"FROM (VALUES {', '.join(['(%s, %s, %s, %s)'] * len(hits))}) AS hit "
            f"JOIN {quote(Claim._meta.db_table)} AS claim ON {claim_id} = hit.column1 "
            # WHERE: SQLite reads ON CONFLICT after a join only once the join's ON has ended.
            "WHERE 1 = 1 ON CONFLICT DO NOTHING",
            params,
        )
