"""Apply the retention of sign-in attempts, sessions, API tokens, the admin's log and the
audit log (privacy/retention.py). Run daily (cron, or Celery beat with
privacy.tasks.apply_privacy_retention). Idempotent."""

from django.core.management.base import BaseCommand

from privacy.retention import privacy_retention_apply


class Command(BaseCommand):
    help = "Delete sign-in attempts, sessions, tokens, admin log and audit rows past retention."

    def handle(self, *args, **options):
        report = privacy_retention_apply()
        for name, count in report.as_dict().items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count}")
