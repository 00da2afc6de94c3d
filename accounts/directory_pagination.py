from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

INVALID_CURSOR = "Invalid cursor."


class DirectoryPagination(CursorPagination):
    """Cursor pagination: a page deep in the listing costs what the first one does (no
    OFFSET, no COUNT over a million rows). The page size may be chosen up to the maximum;
    larger asks are clamped."""

    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("username",)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as exc:  # DRF answers 404 for a bad cursor; it is bad input
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc
