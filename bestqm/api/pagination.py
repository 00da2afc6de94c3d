"""Pagination of a member's own lists in the API (orders, tickets, data requests).

A member's lists are short, but nothing bounds them: a script may open a ticket a
minute. Every list answers at most `max_limit` items a page, with the total and the
links to the pages around it; `?limit=` above the maximum is clamped, not refused.
(The public directory has its own cursor pagination: accounts.directory.pagination.)
"""

from rest_framework.pagination import LimitOffsetPagination


class MemberListPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 100
