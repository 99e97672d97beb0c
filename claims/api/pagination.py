"""Page-number pagination: `{"count", "next", "previous", "results"}`, `?page_size=` up to 200.

A page that is not a number is a 400 (the client's input is wrong); a page past the last one
is a 404 (it does not exist); a page size over 200 is capped, not refused.
"""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Page {page_number} does not exist."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if not raw:
            return self.page_size
        if not raw.isdecimal() or int(raw) < 1:
            raise ValidationError(
                {"page_size": [f"page_size must be a whole number from 1 to {self.max_page_size}."]}
            )
        return min(int(raw), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "").strip()
        if raw and raw not in self.last_page_strings and (not raw.isdecimal() or int(raw) < 1):
            raise ValidationError({"page": ["page must be a whole number from 1."]})
        if raw.isdecimal() and len(raw) > 9:
            raise NotFound(self.invalid_page_message.format(page_number=raw, message=""))
        return super().paginate_queryset(queryset, request, view)
