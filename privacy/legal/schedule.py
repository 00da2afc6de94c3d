"""The legal workflow's scheduled work: hourly under Celery beat (privacy.tasks), or
`manage.py run_legal_requests` from cron. Every step looks only for what is due, so it may
run at any time and again."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from privacy.legal.notices import notices_send_due
from privacy.legal.packages import packages_expire, packages_resume
from privacy.legal.services import preservations_expire


def legal_schedule_run(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "preservations_expired": preservations_expire(now=now),
        "notices_sent": notices_send_due(now=now),
        "packages_deleted": packages_expire(now=now),
        "packages_requeued": packages_resume(),
    }
