"""Run the legal workflow's scheduled work now: close preservations whose hold has ended,
send member notices whose non-disclosure order has ended, delete delivered packages whose
time is up, queue again package builds whose message was lost. Safe to run at any time and
to re-run."""

from django.core.management.base import BaseCommand

from privacy.legal.schedule import legal_schedule_run


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        done = legal_schedule_run()
        self.stdout.write(
            f"preservations expired: {done['preservations_expired']}; "
            f"notices sent: {done['notices_sent']}; "
            f"packages deleted: {done['packages_deleted']}; "
            f"package builds queued again: {done['packages_requeued']}"
        )
