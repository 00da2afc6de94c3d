"""Hand every due outbox row to the broker (inline without one) and forget finished rows
past OUTBOX_KEEP_DAYS: the cron equivalent of the `outbox-relay` beat entry."""

from django.core.management.base import BaseCommand

from outbox.relay import relay_run


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        counts = relay_run()
        self.stdout.write(
            f"handed over: {counts['handed_over']}; still waiting for the broker: "
            f"{counts['waiting']}; finished rows forgotten: {counts['forgotten']}"
        )
