"""`q=` search across scripts: the one function pages and the API call for a query.

Both sides are folded (sources.text.fold: Simplified script, mainland vocabulary, NFKC, lower
case), so 裁員 finds 裁员, 軟體 finds 软件, and the reverse. Every whitespace-separated term
must occur.

On PostgreSQL the match also asks the GIN index of newsroom/migrations/0001_search_indexes
(character pairs of search_text) for candidates, so a query does not scan every row; on
SQLite it is a plain LIKE.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import F, Func, Q, TextField

from sources.text import fold

MAX_TERMS = 8


def terms(q):
    """The folded terms of a query (at most MAX_TERMS; empty when there is nothing to find)."""
    return fold(q or "").split()[:MAX_TERMS]


def grams(term):
    """The character pairs of a term (the term itself when it is one character): what the
    index holds for each row, see `newsroom_grams` in the migration."""
    if len(term) < 2:
        return [term]
    return sorted({term[i:i + 2] for i in range(len(term) - 1)})


class Grams(Func):
    function = "newsroom_grams"
    output_field = ArrayField(TextField())


def search(queryset, q, field="search_text"):
    """`queryset` narrowed to rows whose folded `field` contains every term of `q`.

    `field` may follow relations (`published_entry__search_text`). An empty query returns the
    queryset unchanged.
    """
    found = terms(q)
    if not found:
        return queryset
    condition = Q()
    for term in found:
        condition &= Q(**{f"{field}__contains": term})
    if connections[queryset.db].vendor == "postgresql":
        alias = "_search_grams"
        wanted = sorted({g for term in found for g in grams(term)})
        queryset = queryset.alias(**{alias: Grams(F(field))})
        condition &= Q(**{f"{alias}__contains": wanted})
    return queryset.filter(condition)
