from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from bestqm.api.pagination import query_whole_number, with_minimums

INVALID_CURSOR = "Invalid cursor."


class DirectoryPagination(CursorPagination):
    """Cursor pagination: a page deep in the listing costs what the first one does (no
    OFFSET, no COUNT over a million rows). The page size may be chosen up to the maximum;
    larger asks are clamped."""

    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("username",)

    def get_page_size(self, request):
        size = query_whole_number(request, self.page_size_query_param, minimum=1)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        return with_minimums(
            super().get_schema_operation_parameters(view), {self.page_size_query_param: 1}
        )

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:  # DRF answers 404 for a bad cursor; it is bad input
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        """A cursor is a client-held string: its position must be a value of the ordering
        field, or it would reach the query as garbage (a 500, not a 400)."""
        field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
        try:
            if "\x00" in position:
                raise DjangoValidationError(INVALID_CURSOR)
            field.to_python(position)
        except DjangoValidationError as exc:
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc
