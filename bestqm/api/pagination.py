"""Pagination of a member's own lists in the API (orders, tickets, data requests), and the
one rule every list's page parameters follow.

A member's lists are short, but nothing bounds them: a script may open a ticket a
minute. Every list answers at most `max_limit` items a page, with the total and the
links to the pages around it; `?limit=` above the maximum is clamped, not refused.
(The public directory has its own cursor pagination: accounts.directory.pagination.)

A page parameter that is not a whole number (`?limit=null`, `?offset=-1`, `?page_size=`,
a repeated parameter, digits of another script) is refused with a 400 on that parameter,
where DRF would quietly serve the default page: the schema says "integer, at least 1",
and the server means it.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

# An offset past any list is an empty page; beyond this it would overflow the database's
# integer, so it is clamped here (the answer is the same empty page).
MAX_OFFSET = 2**31 - 1


def query_whole_number(request, name: str, *, minimum: int) -> int | None:
    """The query parameter `name` as a whole number, or None when it is absent."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    value = values[0]
    if len(values) > 1 or not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ValidationError({name: [f"Must be a whole number, {minimum} or more."]})
    return int(value)


def with_minimums(parameters: list[dict], minimums: dict[str, int]) -> list[dict]:
    """The paginator's schema parameters, each page parameter saying its lowest value."""
    for parameter in parameters:
        if parameter["name"] in minimums:
            parameter["schema"] = {**parameter["schema"], "minimum": minimums[parameter["name"]]}
    return parameters


class MemberListPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 100

    def get_limit(self, request):
        limit = query_whole_number(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        offset = query_whole_number(request, self.offset_query_param, minimum=0)
        return 0 if offset is None else min(offset, MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        return with_minimums(
            super().get_schema_operation_parameters(view),
            {self.limit_query_param: 1, self.offset_query_param: 0},
        )
