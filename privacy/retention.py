"""Retention of the tables the project does not write itself, as their declarations say
(accounts/sign_in_privacy.py, privacy/admin_log_privacy.py), and of the audit log
(privacy/audit/retention.py). Scheduled daily (privacy.tasks.apply_privacy_retention; also
`manage.py apply_privacy_retention`). Every step deletes only what is past its time, so a
run cut short is finished by the next.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from privacy.audit.retention import audit_addresses_shorten, audit_events_purge_expired


@dataclass
class PrivacyRetentionReport:
    sign_in_attempts_deleted: int = 0
    sessions_deleted: int = 0
    api_tokens_deleted: int = 0
    admin_log_entries_deleted: int = 0
    audit_events_deleted: int = 0
    audit_addresses_shortened: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _older_than(days: int, now):
    return now - timedelta(days=days)


def privacy_retention_apply(*, now=None) -> PrivacyRetentionReport:
    now = now or timezone.now()
    report = PrivacyRetentionReport()
    attempts_before = _older_than(settings.SIGN_IN_FAILURE_RETENTION_DAYS, now)
    with transaction.atomic():
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            deleted, _ = model.objects.filter(attempt_time__lt=attempts_before).delete()
            report.sign_in_attempts_deleted += deleted
    with transaction.atomic():
        report.sessions_deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    with transaction.atomic():
        report.api_tokens_deleted, _ = AuthToken.objects.filter(expiry__lt=now).delete()
    with transaction.atomic():
        report.admin_log_entries_deleted, _ = LogEntry.objects.filter(
            action_time__lt=_older_than(settings.AUDIT_RETENTION_DAYS, now)
        ).delete()
    report.audit_events_deleted = audit_events_purge_expired()
    report.audit_addresses_shortened = audit_addresses_shorten()
    return report
