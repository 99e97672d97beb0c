"""Pagination of every API list: `{"count", "next", "previous", "results"}` (DESIGN.md), plus
`count_capped`. Every page costs the same however long the list, and nothing counts or skips
more than COUNT_CAP rows.

- `?page_size=` from 1 to 200 (default 20, when it is not given); 0, a larger or negative
  number, an empty value, not a number or the parameter twice is a 400 that gives the bounds
  (never a silent cap).
- `?page=N` for the first MAX_OFFSET items (page × page size): a page past the end is an empty
  page (200, `results: []`, `previous` pointing at the last page); a page that starts beyond
  item MAX_OFFSET is a 400 that says to follow `next`.
- `?cursor=` for deep, stable paging: a keyset on the list's ordering (`?ordering=`, else the
  default), the id breaking ties. `next` and `previous` carry it; following `next` from any
  page walks the whole list (the last page-number page hands over to a cursor), each page a
  LIMIT query on the ordering, and rows added meanwhile never shift a page. A cursor that is
  broken, made for another ordering or combined with `?page=` is a 400.
- `count` counts at most COUNT_CAP rows (a LIMITed subquery): beyond, `count` is COUNT_CAP and
  `count_capped` is true. A count never scans a whole large table.
"""

import base64
import binascii
import json
import math
from collections import namedtuple

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from claims.paging import COUNT_CAP, capped_count

PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
MAX_CURSOR_LENGTH = 2000

Key = namedtuple("Key", "name alias descending nullable")


# --- keyset ordering -------------------------------------------------------------------------


def ordering_keys(queryset):
    """The queryset's ordering as keys (field path, annotation alias, descending), ended by the
    primary key so that every row has one place. Only field paths take part (the orderings
    the API's filters offer); the primary key ends it."""
    names = list(queryset.query.order_by) or list(queryset.model._meta.ordering or [])
    keys = []
    for i, raw in enumerate(names):
        if not isinstance(raw, str) or raw == "?":
            break
        descending = raw.startswith("-")
        name = raw.lstrip("-")
        if name in ("pk", queryset.model._meta.pk.name):
            keys.append(Key("pk", None, descending, False))
            return keys
        keys.append(Key(name, f"_page_key_{i}", descending, _nullable(queryset.model, name)))
    keys.append(Key("pk", None, keys[0].descending if keys else False, False))
    return keys


def _nullable(model, path):
    """Whether a field path can be NULL: a nullable field, or a nullable relation on the way."""
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return True
        if field.null:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def ordered(queryset, keys, reverse=False):
    """`queryset` ordered by `keys` (reversed for a backward page); NULLs come after every
    value in ascending order and before them in descending order, on every database."""
    annotations = {key.alias: F(key.name) for key in keys if key.alias}
    if annotations:
        queryset = queryset.annotate(**annotations)
    order = []
    for key in keys:
        descending = key.descending != reverse
        expression = F(key.alias or key.name)
        if not key.nullable:
            order.append(expression.desc() if descending else expression.asc())
        elif descending:
            order.append(expression.desc(nulls_first=True))
        else:
            order.append(expression.asc(nulls_last=True))
    return queryset.order_by(*order)


def after(keys, values, reverse=False):
    """The condition for rows that come after `values` in the keys' order (before them when
    `reverse`): a lexicographic comparison written with ORs, NULL-aware."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values):
        field = key.alias or key.name
        later = "lt" if key.descending != reverse else "gt"
        nulls_last = key.descending == reverse  # NULLs follow every value in this direction
        if value is None:
            step = Q(**{f"{field}__isnull": False}) if not nulls_last else Q(pk__in=[])
            same = Q(**{f"{field}__isnull": True})
        else:
            step = Q(**{f"{field}__{later}": value})
            if nulls_last and key.nullable:
                step |= Q(**{f"{field}__isnull": True})
            same = Q(**{field: value})
        condition |= equal & step
        equal &= same
    return condition


def position(row, keys):
    return [getattr(row, key.alias) if key.alias else row.pk for key in keys]


def _field(queryset, key):
    if key.alias is None:
        return queryset.model._meta.pk
    return queryset.query.annotations[key.alias].output_field


def _encode_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def make_cursor(ordering_name, values, reverse=False):
    """A cursor token: the position `values` in the ordering named `ordering_name` (as
    Pagination._ordering_name writes it: "-published_entry__digest__published_at,-pk")."""
    data = {"o": ordering_name, "v": [_encode_value(v) for v in values]}
    if reverse:
        data["r"] = True
    return (
        base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
        .decode()
        .rstrip("=")
    )


# --- the paginator ---------------------------------------------------------------------------


class Pagination(BasePagination):
    page_query_param = "page"
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    count_cap = COUNT_CAP
    # `?page=` reaches this far; deeper pages are read with a cursor (no large OFFSET).
    max_offset = COUNT_CAP

    # --- input --------------------------------------------------------------------------------

    def get_page_size(self, request):
        given = request.query_params.getlist(self.page_size_query_param)
        if not given:
            return self.page_size
        raw = given[0].strip()
        if len(given) > 1 or not raw.isdecimal() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        _("page_size must be a whole number from 1 to %(most)s.")
                        % {"most": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def _page_number(self, request):
        raw = request.query_params.get(self.page_query_param, "").strip()
        if not raw:
            return 1
        if raw == "last":
            return "last"
        if not raw.isdecimal() or int(raw) < 1:
            raise ValidationError({"page": [_("page must be a whole number from 1.")]})
        return int(raw) if len(raw) < 12 else math.inf

    def _decode_cursor(self, raw, keys, queryset):
        """(values, reverse) from a cursor made by `_cursor` for the same ordering."""
        bad = ValidationError(
            {
                "cursor": [
                    _(
                        "Invalid cursor: use the `next` or `previous` link of a page of this "
                        "list, with the same ordering."
                    )
                ]
            }
        )
        if len(raw) > MAX_CURSOR_LENGTH:
            raise bad
        try:
            data = json.loads(
                base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4))
            )
        except (ValueError, UnicodeError, binascii.Error):
            raise bad from None
        if (
            not isinstance(data, dict)
            or data.get("o") != self._ordering_name(keys)
            or not isinstance(data.get("v"), list)
            or len(data["v"]) != len(keys)
            or not isinstance(data.get("r", False), bool)
        ):
            raise bad
        values = []
        for key, value in zip(keys, data["v"]):
            if value is None and key.alias is None:
                raise bad
            if value is not None and not isinstance(value, (str, int)) or isinstance(value, bool):
                raise bad
            try:
                values.append(None if value is None else _field(queryset, key).to_python(value))
            except (DjangoValidationError, ValueError, TypeError, OverflowError):
                raise bad from None
            if key.alias is None and not 0 < values[-1] < 2**63:
                raise bad
        return values, data.get("r", False)

    @staticmethod
    def _ordering_name(keys):
        return ",".join(("-" if key.descending else "") + key.name for key in keys)

    # --- paging -------------------------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.keys = None
        raw_cursor = request.query_params.get(self.cursor_query_param, "").strip()
        if raw_cursor and request.query_params.get(self.page_query_param, "").strip():
            raise ValidationError({"cursor": [_("Use either page or cursor, not both.")]})
        if raw_cursor and not isinstance(queryset, QuerySet):
            raise ValidationError({"cursor": [_("This list is read by page number.")]})
        page_number = None if raw_cursor else self._page_number(request)

        self.count, self.count_capped = capped_count(queryset, self.count_cap)
        if isinstance(queryset, QuerySet):
            self.keys = ordering_keys(queryset)
            self.queryset = queryset
        if raw_cursor:
            return self._cursor_page(queryset, raw_cursor)
        return self._numbered_page(queryset, page_number)

    def _numbered_page(self, queryset, number):
        last = max(1, math.ceil(self.count / self.size))
        if number == "last":
            if self.count_capped:
                raise ValidationError(
                    {
                        "page": [
                            _(
                                "This list holds more than %(count)s items: follow `next` to "
                                "read further."
                            )
                            % {"count": f"{self.count_cap:,}"}
                        ]
                    }
                )
            number = last
        self.number = number
        offset = (number - 1) * self.size if number != math.inf else math.inf
        self.last_number = last
        self.cursor_mode = False
        if offset >= self.count and not self.count_capped:
            self.rows, self.has_next = [], False  # past the end: an empty page
            self.past_end = True
            return self.rows
        if offset >= self.max_offset:
            raise ValidationError(
                {
                    "page": [
                        _(
                            "page reaches item %(count)s at most: follow the `next` link (a "
                            "cursor) to read further."
                        )
                        % {"count": f"{self.max_offset:,}"}
                    ]
                }
            )
        self.past_end = False
        rows_query = ordered(queryset, self.keys) if self.keys else queryset
        rows = list(rows_query[offset : offset + self.size + 1])
        self.rows, self.has_next = rows[: self.size], len(rows) > self.size
        return self.rows

    def _cursor_page(self, queryset, raw):
        self.cursor_mode = True
        values, reverse = self._decode_cursor(raw, self.keys, ordered(queryset, self.keys))
        rows_query = ordered(queryset, self.keys, reverse=reverse).filter(
            after(self.keys, values, reverse)
        )
        rows = list(rows_query[: self.size + 1])
        more = len(rows) > self.size
        rows = rows[: self.size]
        if reverse:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, True
        self.rows = rows
        return rows

    # --- links --------------------------------------------------------------------------------

    def _cursor_link(self, row, reverse=False):
        token = make_cursor(self._ordering_name(self.keys), position(row, self.keys), reverse)
        url = remove_query_param(self.base_url, self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def _page_link(self, number):
        url = remove_query_param(self.base_url, self.cursor_query_param)
        if number <= 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_next_link(self):
        if not self.has_next or not self.rows:
            return None
        if self.cursor_mode or self.number * self.size >= self.max_offset:
            return self._cursor_link(self.rows[-1]) if self.keys else None
        return self._page_link(self.number + 1)

    def get_previous_link(self):
        if self.cursor_mode:
            if not self.has_previous:
                return None
            if self.rows:
                return self._cursor_link(self.rows[0], reverse=True)
            return None
        if self.past_end:
            return self._page_link(self.last_number) if self.count else None
        if self.number <= 1:
            return None
        return self._page_link(self.number - 1)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_capped": self.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    # --- schema -------------------------------------------------------------------------------

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": f"How many items the list holds, counted up to {self.count_cap:,}: "
                    f"a longer list says {self.count_cap} with `count_capped` true.",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": f"True when the list holds more than {self.count_cap:,} items and "
                    "`count` stops there.",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page: `?page=N+1`, or a `?cursor=` link beyond "
                    f"item {self.max_offset:,} and when reading by cursor.",
                },
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": f"A page number (from 1), for the first {self.max_offset:,} items; a "
                "page past the end is empty. Deeper: follow `next`.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page, 1 to {MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "A position in the list, from a `next` or `previous` link: "
                "stable paging to any depth (not with `page`).",
                "schema": {"type": "string"},
            },
        ]
