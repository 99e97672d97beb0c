"""The API's JSON parser: DRF's, with nesting bounded.

Python's json module raises RecursionError, not ValueError, on a body nested a thousand levels
deep (two kilobytes of "[[[["), and DRF's parser lets it escape as a 500. No request of this
API nests more than a few levels, so anything deeper than MAX_DEPTH is a 400 before any view
sees it.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _too_deep(data, limit):
    """Whether lists and objects in `data` nest deeper than `limit` (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, dict)):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        refusal = ParseError(
            _("JSON parse error - the body nests deeper than %(depth)s levels.")
            % {"depth": MAX_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise refusal from None
        if _too_deep(data, MAX_DEPTH):
            raise refusal
        return data
