"""Re-encrypt saved card numbers under the first key of CARD_ENCRYPTION_KEYS.

Put the new key first in CARD_ENCRYPTION_KEYS, keep the old ones after it, deploy, then
run this while the site runs: rows are done a batch per transaction, and every row stays
readable under the key list throughout. When it reports nothing left, drop the old keys.
"""

from django.core.management.base import BaseCommand, CommandError

from orders.cards.services import stored_cards_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt saved card numbers under the first CARD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per transaction (default 500)."
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        rotated, unreadable = stored_cards_reencrypt(batch_size=batch_size)
        self.stdout.write(f"Re-encrypted {rotated} saved card number(s) under the current key.")
        if unreadable:
            raise CommandError(
                f"{unreadable} saved card number(s) could not be decrypted with any configured "
                "key: put the key they were written with back into CARD_ENCRYPTION_KEYS."
            )
