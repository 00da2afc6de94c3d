"""Demo data: fixed demo logins (a member and one staff account per role) plus N fake
members made with Faker, each with a public profile, inserted in bulk (demo.fake_members,
demo.bulk_writers), and a few finished legal requests for the transparency report.

Every fake member shares one password hash, computed once: hashing 100,000 Argon2
passwords would take hours, and these accounts exist only to be looked at.
"""

import argparse
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from faker import Faker
from tqdm import tqdm

from accounts.models import PublicProfile, User
from demo.bulk_writers import BULK_LOAD_FROM, OrmWriter, PostgresWriter, prefetched
from demo.fake_members import RowMaker
from demo.legal_requests import demo_legal_requests_create
from demo.logins import (
    ADMIN_LOGIN,
    DEMO_MEMBER,
    DEMO_PASSWORD,
    STAFF_LOGINS,
    demo_logins_create,
    demo_staff_devices_create,
)
from demo.showcase import showcase_create
from privacy.roles import Role


class Command(BaseCommand):
    help = "Create demo logins and N realistic fake members (bulk insert, re-runnable)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None, help="Faker seed (repeatable data)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument(
            "--showcase",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="also partners, orders, tickets, data requests and 12 weeks of activity",
        )

    def handle(self, *args, members, batch_size, seed, quiet, showcase=True, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only "
                "with DEBUG on (a development machine), never on a deployment."
            )
        if members < 0:
            raise CommandError("--members must be zero or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be one or more.")
        password_hash = make_password(DEMO_PASSWORD)
        demo_logins_create(password_hash=password_hash)
        legal_officer = User.objects.get(login_name=STAFF_LOGINS[Role.LEGAL_OFFICER])
        if demo_legal_requests_create(created_by=legal_officer):
            self.stdout.write("Demo legal requests created for the transparency report.")
        created = self._fake_members(members, batch_size, seed, password_hash, quiet)
        if showcase:
            self._showcase(seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} fake members created ({members - created} skipped as duplicates)."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  member:         {DEMO_MEMBER}")
        keys = demo_staff_devices_create()
        for role, login in STAFF_LOGINS.items():
            self.stdout.write(f"  staff ({role.label.lower()}): {login}")
        self.stdout.write(f"  superuser:      {ADMIN_LOGIN}")
        self.stdout.write(
            "Staff pages also ask for a code: add each staff login's key to any "
            "authenticator app (time-based, 6 digits):"
        )
        for login, key in keys.items():
            self.stdout.write(f"  {login}: {key}")

    def _showcase(self, seed) -> None:
        # The demo member first: their pages show orders, a ticket and an export.
        members = list(User.objects.filter(is_staff=False).order_by("pk")[:20])
        support = User.objects.get(login_name=STAFF_LOGINS[Role.SUPPORT_AGENT])
        for line in showcase_create(members=members, staff={"support": support}, seed=seed):
            self.stdout.write(f"Demo {line} created.")

    def _fake_members(self, count, batch_size, seed, password_hash, quiet) -> int:
        faker = Faker("en_US")
        rng = random.Random(seed)
        if seed is not None:
            faker.seed_instance(seed)
        before = User.objects.count()
        existing = PublicProfile.objects.count()
        maker = RowMaker(faker, rng, count=count, username_from=existing + 1)
        if connection.vendor == "postgresql":
            bulk = count >= BULK_LOAD_FROM and 4 * count >= existing
            writer = PostgresWriter(password_hash, bulk=bulk)
        else:
            writer = OrmWriter(password_hash)
        batches = (
            writer.prepare(maker.columns(start, min(start + batch_size, count)))
            for start in range(0, count, batch_size)
        )
        with (
            tqdm(total=count, disable=quiet, unit="member", desc="seed_demo") as progress,
            writer.session(),
        ):
            writer.status = progress.set_postfix_str
            for prepared in prefetched(batches):
                progress.update(writer.write(prepared))
        return User.objects.count() - before
