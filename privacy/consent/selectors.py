"""Reads of a member's cookie-consent choices."""

from django.db.models import QuerySet

from privacy.consent.models import ConsentRecord


def consent_history_of(member) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(member=member)
