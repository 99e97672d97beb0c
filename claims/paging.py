"""Page numbers for the HTML lists: the public digest pages and archive, the review queue's
sections, the digest composer's and the evidence form's pickers.

A page is a LIMIT/OFFSET read of at most `size` rows; its count is capped (COUNT_CAP, a
LIMITed subquery), so no page counts or skips more than that many rows, however large the
table. `?page=` that is not a whole number from 1 is a 400 (BadPage); a page past the end is
an empty page that links back to the last one; a page that starts beyond COUNT_CAP rows is a
BadPage too (narrow the list with its filters instead).
"""

import dataclasses
import json
import math

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext as _

COUNT_CAP = 1_000
ESTIMATE_FACTOR = 5


class BadPage(ValueError):
    """A `?page=` value that names no page: the view answers 400 with the message."""


def capped_count(queryset, cap=None, estimate=True, keep_order=False):
    """(count, capped): the number of rows, counting at most `cap` (COUNT_CAP) + 1 of them.

    `keep_order` counts in the queryset's order: for a list held by a partial index in that
    order (claims.waiting's corrections), PostgreSQL then reads the index instead of scanning
    the table in the hope of meeting `cap` rows early.

    On PostgreSQL a list that the planner expects to hold more than ESTIMATE_FACTOR times
    `cap` rows is not counted at all: it is reported as capped (its statistics, refreshed by
    ANALYZE, say so), which spares reading `cap` rows of a common search or filter. With a
    small `cap`, `estimate=False` skips that planning query: the count is one query on every
    engine."""
    cap = COUNT_CAP if cap is None else cap
    if not isinstance(queryset, QuerySet):
        n = len(queryset)
        return min(n, cap), n > cap
    rows = (queryset if keep_order else queryset.order_by()).values("pk")
    if (
        estimate
        and connections[rows.db].vendor == "postgresql"
        and estimated_rows(rows) >= ESTIMATE_FACTOR * cap
    ):
        return cap, True
    n = rows[: cap + 1].count()
    return min(n, cap), n > cap


def estimated_rows(queryset):
    """The planner's estimate of the rows `queryset` returns (PostgreSQL; planning only)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"]


def page_number(query, param="page"):
    """The page asked for in `query` (a QueryDict) under `param`; 1 when absent."""
    raw = (query.get(param) or "").strip()
    if not raw:
        return 1
    if not raw.isdecimal() or int(raw) < 1:
        raise BadPage(
            _("“%(value)s” is not a page number: use a whole number from 1.") % {"value": raw[:20]}
        )
    return int(raw) if len(raw) < 12 else math.inf


@dataclasses.dataclass
class Page:
    number: int
    size: int
    count: int
    capped: bool
    items: list
    query: object = None  # the request's QueryDict, for the links
    param: str = "page"
    anchor: str = ""
    path: str = ""  # the links' page, when it is not the address that answered (a form's)

    @property
    def last_number(self):
        return max(1, math.ceil(self.count / self.size))

    @property
    def past_end(self):
        return not self.items and self.number > 1

    @property
    def has_next(self):
        return bool(self.items) and (self.number * self.size < self.count or self.capped)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def start_index(self):
        """The position (from 1) of the page's first item: `<ol start>`."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self):
        return self.start_index + len(self.items) - 1 if self.items else 0

    @property
    def paged(self):
        """Whether the list needs page links at all."""
        return self.number > 1 or self.has_next

    def url(self, number):
        query = self.query.copy() if self.query is not None else None
        if query is None:
            return f"{self.path}?{self.param}={number}{self.anchor}"
        if number <= 1:
            query.pop(self.param, None)
        else:
            query[self.param] = str(number)
        return f"{self.path}?{query.urlencode()}{self.anchor}"

    @property
    def next_url(self):
        return self.url(self.number + 1) if self.has_next else ""

    @property
    def previous_url(self):
        if self.past_end:
            return self.url(self.last_number)
        return self.url(self.number - 1) if self.has_previous else ""


def paginate(
    rows, number, size, count=None, query=None, param="page", anchor="", cap=None, path=""
):
    """Page `number` of `rows` (a queryset, already ordered, or a list). `count` may be given
    when it is known without a query (capped is then False)."""
    cap = COUNT_CAP if cap is None else cap
    if count is None:
        count, capped = capped_count(rows, cap)
    else:
        capped = False
    offset = (number - 1) * size if number != math.inf else math.inf
    if offset >= count and not capped:
        items = []
    elif capped and offset >= cap:
        raise BadPage(
            _("Pages reach the first %(cap)s items only: narrow the list with its filters.")
            % {"cap": f"{cap:,}"}
        )
    else:
        items = list(rows[offset : offset + size])
    return Page(
        number if number != math.inf else 10**12,
        size,
        count,
        capped,
        items,
        query,
        param,
        anchor,
        path,
    )


def pager_words(page):
    """The public pager's words in the active language (the reading's catalogue), its status
    line filled in for `page`."""
    numbers = {"number": page.number, "last": page.last_number}
    return {
        "previous": _("Previous page"),
        "next": _("Next page"),
        "status": (_("Page %(number)s") if page.capped else _("Page %(number)s of %(last)s"))
        % numbers,
        "empty": _("Nothing on this page."),
        "last": _("Back to the last page"),
        "label": _("Pages"),
    }
