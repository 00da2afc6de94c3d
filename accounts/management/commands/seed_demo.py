"""Demo data: fixed demo logins (a member and one staff account per role) plus N fake
members made with Faker, inserted in bulk.

Every fake member shares one password hash, computed once: hashing 100,000 Argon2
passwords would take hours, and these accounts exist only to be looked at.
"""

import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from faker import Faker
from tqdm import tqdm

from accounts.models import User
from privacy.roles import Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the newcomer on purpose
DEMO_MEMBER = "demo"
STAFF_LOGINS = {
    Role.SUPPORT_AGENT: "staff-support",
    Role.BILLING_AGENT: "staff-billing",
    Role.PRIVACY_OFFICER: "staff-privacy",
    Role.LEGAL_OFFICER: "staff-legal",
    Role.LEGAL_APPROVER: "staff-approver",
}
ADMIN_LOGIN = "admin"
# Only reserved example domains: a demo must never write a real person's address.
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum()) or "m"


class Command(BaseCommand):
    help = "Create demo logins and N realistic fake members (bulk insert, re-runnable)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None, help="Faker seed (repeatable data)")
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, members, batch_size, seed, force, quiet, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; "
                "it runs only with DEBUG on (or --force)."
            )
        if members < 0:
            raise CommandError("--members must be zero or more.")
        password_hash = make_password(DEMO_PASSWORD)
        self._demo_accounts(password_hash)
        created = self._fake_members(members, batch_size, seed, password_hash, quiet)
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} fake members created ({members - created} skipped as duplicates)."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  member:         {DEMO_MEMBER}")
        for role, login in STAFF_LOGINS.items():
            self.stdout.write(f"  staff ({role.label.lower()}): {login}")
        self.stdout.write(f"  superuser:      {ADMIN_LOGIN}")

    @transaction.atomic
    def _demo_accounts(self, password_hash):
        defaults = {"password": password_hash, "zip_code": "94110", "is_active": True}
        User.objects.update_or_create(
            login_name=DEMO_MEMBER,
            defaults={
                **defaults,
                "email": "demo@example.com",
                "first_name": "Dana",
                "last_name": "Demo",
                "screen_name": "Dana",
            },
        )
        for role, login in STAFF_LOGINS.items():
            staff, _ = User.objects.update_or_create(
                login_name=login,
                defaults={
                    **defaults,
                    "email": f"{login}@example.com",
                    "first_name": role.label,
                    "last_name": "Staff",
                    "is_staff": True,
                },
            )
            staff.groups.set([Group.objects.get(name=role.label)])
        User.objects.update_or_create(
            login_name=ADMIN_LOGIN,
            defaults={
                **defaults,
                "email": "admin@example.com",
                "first_name": "Ada",
                "last_name": "Admin",
                "is_staff": True,
                "is_superuser": True,
            },
        )

    def _fake_members(self, count, batch_size, seed, password_hash, quiet) -> int:
        faker = Faker("en_US")
        rng = random.Random(seed)
        if seed is not None:
            faker.seed_instance(seed)
        before = User.objects.count()
        # A run tag keeps names from colliding with earlier runs; ignore_conflicts skips
        # any that still do, so re-running never crashes.
        tag = format(rng.getrandbits(24), "x")
        first_names = [faker.first_name() for _ in range(500)]
        last_names = [faker.last_name() for _ in range(500)]
        zips = [faker.zipcode() for _ in range(500)]
        themes = [c for c, _ in User.Theme.choices]
        with tqdm(total=count, disable=quiet, unit="member", desc="seed_demo") as progress:
            for start in range(0, count, batch_size):
                batch = []
                for i in range(start, min(start + batch_size, count)):
                    first, last = rng.choice(first_names), rng.choice(last_names)
                    login = f"{_slug(first)[:7]}.{_slug(last)[:7]}.{tag}{i}"
                    batch.append(
                        User(
                            login_name=login,
                            email=f"{login}@{rng.choice(EXAMPLE_DOMAINS)}",
                            first_name=first,
                            last_name=last,
                            zip_code=rng.choice(zips),
                            password=password_hash,
                            theme=rng.choice(themes),
                        )
                    )
                User.objects.bulk_create(batch, ignore_conflicts=True)
                progress.update(len(batch))
        return User.objects.count() - before
