"""Anonymise orders past the accounting period and delete expired saved cards.

Run daily (cron, or Celery beat with orders.tasks.apply_order_retention). Idempotent;
members under a legal hold on financial data are left alone.
"""

from django.core.management.base import BaseCommand, CommandError

from orders.cards.services import stored_cards_purge_expired
from orders.retention import orders_anonymise_expired


class Command(BaseCommand):
    help = "Anonymise orders past ACCOUNTING_RETENTION_DAYS and delete expired saved cards."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Orders per transaction (default 500)."
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        orders = orders_anonymise_expired(batch_size=batch_size)
        cards = stored_cards_purge_expired()
        self.stdout.write(f"Anonymised {orders} order(s); deleted {cards} expired saved card(s).")
