"""Reads of data requests and consent, scoped to the member who asks."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from privacy.models import ConsentRecord, DataRequest


def data_requests_of(member) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(member=member).order_by("-received_at", "-id")


def data_request_of(member, pk) -> DataRequest:
    """The member's own request; another member's answers 404, as if it did not exist."""
    if not str(pk).isascii() or not str(pk).isdigit() or len(str(pk)) > 18:
        raise Http404
    return get_object_or_404(data_requests_of(member), pk=pk)


def consent_history_of(member) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(member=member)
