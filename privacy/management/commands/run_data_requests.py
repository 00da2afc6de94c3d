"""Run the scheduled data-request work now: erase members whose grace period has ended and
delete export files whose link has expired. Safe to run at any time and to re-run."""

from django.core.management.base import BaseCommand

from privacy.data_request_services import deletions_run_due, exports_expire


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        erased = deletions_run_due()
        expired = exports_expire()
        self.stdout.write(f"erasures run: {erased}; expired exports deleted: {expired}")
