"""`q=` search across scripts: the one function pages and the API call for a query.

Both sides are folded (sources.text.fold: Simplified script, mainland vocabulary, NFKC, lower
case), so 裁員 finds 裁员, 軟體 finds 软件, and the reverse. Every whitespace-separated term
must occur.

On SQLite the match is a LIKE per term. On PostgreSQL the GIN index of
newsroom/migrations/0001_search_indexes (`newsroom_grams(search_text)`: every character and
every pair of characters of the folded text) answers it. How depends on how common the query
is, read from the index's statistics (ANALYZE keeps, per gram, the share of rows that hold it;
they are read once per STATS_SECONDS per process):

- a rare query (a single gram held by at most RARE_SHARE of the rows, or several grams): the
  matching ids come from the index in one query (at most MAX_CANDIDATES of them), and the list
  is then filtered to them (`id = ANY(array)`, one parameter, matched by hashing). The planner
  sees how many ids there are, and `newsroom_grams` is never computed for a row at query time
  (that per-row computation, chosen when the planner read the rows in order, made an uncached
  `q=裁员` slow);
- a common one (的, 裁员, or more candidates than MAX_CANDIDATES): no index; the rows are read
  in the list's order and each is checked with a plain LIKE, so a page stops as soon as it is
  full (and its count is capped or estimated, claims.paging).

A term of one or two characters is exactly "its gram is in the set", so it needs no LIKE; a
longer term's pairs can all occur apart, so the ids' query checks it with LIKE too.
"""

import functools
import re
import time
import unicodedata

from django.db import connections
from django.db.models import BooleanField, F, Func, Q

from sources.text import fold, refresh_aliases, spellings

MAX_TERMS = 8
# A query whose rarest gram is held by more than this share of the rows is common.
RARE_SHARE = 0.03
# At most this many ids are read from the index for one query; beyond, it is common.
MAX_CANDIDATES = 5000
STATS_SECONDS = 600


def terms(q):
    """The folded terms of a query (at most MAX_TERMS; empty when there is nothing to find)."""
    refresh_aliases()
    return fold(q or "").split()[:MAX_TERMS]


# How far a quote of the search results looks for its words either side of the match.
SNIPPET_WINDOW = 2000


@functools.lru_cache(maxsize=64)
def spelled(q):
    """A pattern that finds the words of `q` as a text writes them, in any of their spellings
    (either script, either width, any case; the longest first), or None for no word: what the
    results quote (`snippet`) and mark (the `marked_words` filter). Kept per query: a page of
    results asks it once per row."""
    words = (q or "").split()[:MAX_TERMS]
    forms = sorted({form for word in words for form in spellings(word)}, key=len, reverse=True)
    if not forms:
        return None
    return re.compile("|".join(map(re.escape, forms)), re.IGNORECASE)


def snippet(text, q, around=30):
    """Where `text` first writes a word of `q`, in any of its spellings (either script, either
    width, any case): {"before", "word", "after"}, with at most `around` characters either side
    and its whitespace made single spaces; None when no word is written so (the row matched
    through the glossary's aliases, or with a line break inside a word). The search results
    show it, so that an editor sees why a long text matched."""
    pattern = spelled(q)
    found = pattern.search(text) if pattern is not None and text else None
    if found is None:
        return None
    start, end = found.span()
    # Runs of spaces stand for line breaks in forwarded messages: `around` characters of text,
    # read from a wider window with its whitespace made single.
    window = around + SNIPPET_WINDOW
    before = " ".join(text[max(0, start - window) : start].split())
    after = " ".join(text[end : end + window].split())
    cut_before = len(before) > around or start > window
    cut_after = len(after) > around or end + window < len(text)
    return {
        "before": ("…" if cut_before else "") + before[-around:].lstrip(),
        "word": found.group(),
        "after": after[:around].rstrip() + ("…" if cut_after else ""),
    }


def grams(term):
    """The character pairs of a term (the term itself when it is one character): what the
    index holds for each row, see `newsroom_grams` in the migration."""
    if len(term) < 2:
        return [term]
    return sorted({term[i : i + 2] for i in range(len(term) - 1)})


class InIds(Func):
    """`column = ANY(%s::bigint[])`: a list of ids as one array parameter (PostgreSQL), quick
    to plan however long, and matched by hashing."""

    output_field = BooleanField()

    def __init__(self, expression, ids):
        super().__init__(expression)
        # An array literal in one string: cheap to send, whatever the number of ids.
        self.ids = "{" + ",".join(str(int(pk)) for pk in ids) + "}"

    def as_sql(
        self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context
    ):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s::bigint[])", (*params, self.ids)


def _owner(queryset, field):
    """(model, lookup): the model whose column `field` is, and the path from the queryset's
    rows to that model's id ("pk", "published_entry", "claim")."""
    model, path = queryset.model, []
    for part in field.split("__")[:-1]:
        model = model._meta.get_field(part).related_model
        path.append(part)
    return model, "__".join(path) or "pk"


_stats: dict = {}


def gram_shares(alias, table):
    """({gram: share of rows holding it}, share below which grams are not listed) from the
    statistics of `table`'s gram index; ({}, None) before the first ANALYZE."""
    key = (alias, table)
    kept = _stats.get(key)
    if kept and kept[0] > time.monotonic():
        return kept[1]
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s",
            [f"{table}_search_grams"],
        )
        row = cursor.fetchone()
    shares, floor = {}, None
    if row and row[0] and row[1]:
        # most_common_elem_freqs: one share per element, then the lowest and highest share.
        shares = dict(zip(row[0], row[1]))
        floor = row[1][len(row[0])]
    _stats[key] = (time.monotonic() + STATS_SECONDS, (shares, floor))
    return shares, floor


def _is_common(alias, table, wanted):
    """Whether the statistics say the query's rarest gram is in more than RARE_SHARE of the
    rows (an upper bound of the share of rows that match)."""
    shares, floor = gram_shares(alias, table)
    if floor is None:
        return False
    rarest = min(shares.get(gram, floor / 2) for gram in wanted)
    return rarest > RARE_SHARE


# "#20" (or "＃20"): the desk numbers claims and articles so ("主张 #20", "文章 #7").
REFERENCE = re.compile(r"\s*#\s*(\d{1,18})\s*")


def reference(q):
    """The number `q` refers to when it is one of the desk's references ("#20"), else None."""
    found = REFERENCE.fullmatch(unicodedata.normalize("NFKC", q or ""))
    return int(found.group(1)) if found else None


def search(queryset, q, field="search_text", *, memo=None):
    """`queryset` narrowed to rows whose folded `field` contains every term of `q`; for a
    reference ("#20", as the desk numbers claims and articles), the row with that number too.

    `field` may follow relations (`published_entry__search_text`). An empty query returns the
    queryset unchanged. `memo`, a dict a caller keeps for one answer, holds what PostgreSQL's
    index said for a table and a query, so that several lists of one page that search the same
    table (the review queue's three lists of claims) ask it once.
    """
    number = reference(q)
    found = _search(queryset, q, field, memo=memo)
    if number is None or found is queryset:
        return found
    return queryset.filter(pk=number) | found


def _search(queryset, q, field, *, memo):
    found = terms(q)
    if not found:
        return queryset
    like = Q()
    for term in found:
        like &= Q(**{f"{field}__contains": term})
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(like)

    model, lookup = _owner(queryset, field)
    column = model._meta.get_field(field.rsplit("__", 1)[-1]).column
    key = (queryset.db, model._meta.db_table, column, tuple(found))
    if memo is None or key not in memo:
        ids = _matching_ids(queryset.db, model, column, found)
        if memo is not None:
            memo[key] = ids
    else:
        ids = memo[key]
    if ids is None:
        return queryset.filter(like)  # common: read in order, checked by LIKE
    return queryset.filter(InIds(F(lookup), ids))


def pieces_shared(model, pieces, *, at_least, limit, exclude=()):
    """PostgreSQL: [(pk, n)] of `model`'s rows (but those in `exclude`) whose folded
    search_text holds n of `pieces` (folded texts of two characters or more), n >= `at_least`:
    most pieces first, then the newest, at most `limit` of them. One query, whatever the
    number of pieces: each piece's rows come from the gram index (a UNION ALL branch each),
    and only the ids and their counts are read. None on other databases (no gram index)."""
    if connections[model.objects.db].vendor != "postgresql" or not pieces:
        return None
    table = model._meta.db_table
    pk = model._meta.pk.column
    branches, params = [], []
    for n, piece in enumerate(pieces):
        branches.append(
            f'(SELECT {n} AS n, "{pk}" AS id FROM "{table}" '
            f'WHERE newsroom_grams("search_text") @> %s::text[] AND "search_text" LIKE %s)'
        )
        params += [grams(piece), "%" + _like_escape(piece) + "%"]
    with connections[model.objects.db].cursor() as cursor:
        cursor.execute(
            f"SELECT id, count(*) AS shared FROM ({' UNION ALL '.join(branches)}) AS pieces "
            "WHERE NOT (id = ANY(%s)) GROUP BY id HAVING count(*) >= %s "
            "ORDER BY shared DESC, id DESC LIMIT %s",
            (*params, sorted(exclude), at_least, limit),
        )
        return [tuple(row) for row in cursor.fetchall()]


def _matching_ids(alias, model, column, found):
    """The ids of `model`'s rows whose `column` holds every term, from the gram index; None when
    the query is common (the statistics say so, or more than MAX_CANDIDATES rows match)."""
    table = model._meta.db_table
    wanted = sorted({g for term in found for g in grams(term)})
    single = len(wanted) == 1  # the statistics give its share, not a bound
    if single and _is_common(alias, table, wanted):
        return None
    # The ids of the rows that hold every gram and, for a longer term, the term itself.
    sql = f'SELECT "{model._meta.pk.column}" FROM "{table}" WHERE newsroom_grams("{column}") @> %s::text[]'
    params: list = [wanted]
    for term in found:
        if len(term) > 2:  # a longer term's pairs may occur apart: the LIKE checks
            sql += f' AND "{column}" LIKE %s'
            params.append("%" + _like_escape(term) + "%")
    with connections[alias].cursor() as cursor:
        cursor.execute(sql + " LIMIT %s", [*params, MAX_CANDIDATES + 1])
        ids = [row[0] for row in cursor.fetchall()]
    return None if len(ids) > MAX_CANDIDATES else ids


def _like_escape(term):
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
