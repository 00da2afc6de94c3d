"""Reads of data requests, scoped to the member who asks."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bestqm.http.record_keys import parse_key
from privacy.holds.selectors import holds_affecting
from privacy.requests.models import DataRequest


def data_requests_of(member) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(member=member).order_by("-received_at", "-id")


def data_request_of(member, pk) -> DataRequest:
    """The member's own request; another member's answers 404, as if it did not exist."""
    key = parse_key(pk)
    if key is None:
        raise Http404
    return get_object_or_404(data_requests_of(member), pk=key)


def deletions_due(*, now) -> list[int]:
    """Open deletion requests whose grace period has ended, oldest due first."""
    return list(
        DataRequest.objects.filter(
            kind=DataRequest.Kind.DELETION, status__in=DataRequest.OPEN, erase_after__lte=now
        )
        .order_by("erase_after", "pk")
        .values_list("pk", flat=True)
    )


def waiting_on_legal_obligation(data_request: DataRequest) -> bool:
    """An open deletion request that cannot finish while a legal hold keeps some of the
    member's data. Only that: never which case, authority or date (a member may not learn
    of a case under a non-disclosure order)."""
    return (
        data_request.kind == DataRequest.Kind.DELETION
        and data_request.is_open
        and bool(holds_affecting(data_request.member_id))
    )
