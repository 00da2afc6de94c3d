"""Run the scheduled data-request work now: erase members whose grace period has ended,
delete export files whose link has expired and build exports whose build was lost (inline
without a broker, else queued). Safe to run at any time and to re-run; the cron equivalent
of the privacy entries in CELERY_BEAT_SCHEDULE."""

from django.core.management.base import BaseCommand

from privacy.requests.deletions import deletions_run_due
from privacy.requests.exports import exports_expire, exports_resume


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        erased = deletions_run_due()
        expired = exports_expire()
        resumed = exports_resume()
        self.stdout.write(
            f"erasures run: {erased}; expired exports deleted: {expired}; "
            f"lost export builds started again: {resumed}"
        )
