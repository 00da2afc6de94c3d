"""Apply the activity app's retention now (Celery beat runs it every hour).

    manage.py activity_retention [--batch-size 5000] [--no-progress]

Ends silent client sessions, rolls finished days up into daily figures, shortens
addresses older than IP_RETENTION_DAYS and deletes raw events older than
ACTIVITY_EVENT_RETENTION_DAYS, skipping data under a legal hold. Works in batches, each
its own transaction: interrupt it at any point (Ctrl-C) and run it again.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from activity.retention import DEFAULT_BATCH_SIZE, no_progress, retention_run


class Command(BaseCommand):
    help = "Roll up, shorten addresses and delete raw activity past its retention."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--no-progress", action="store_true", dest="quiet", help="no progress bars"
        )

    def handle(self, *args, batch_size: int, quiet: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        def progress(*, total, desc):
            return tqdm(total=total, desc=desc, unit="row", file=sys.stderr)

        report = retention_run(batch_size=batch_size, progress=no_progress if quiet else progress)
        self.stdout.write(
            f"Ended {report.sessions_closed} silent sessions; rolled up "
            f"{report.days_rolled_up} days; shortened {report.addresses_truncated} addresses; "
            f"deleted {report.page_views_deleted} page views and {report.sessions_deleted} "
            f"client sessions ({report.partitions_dropped} month partitions dropped whole, "
            f"{report.partitions_created} created ahead)."
        )
