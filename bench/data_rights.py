"""Export and erasure of one member, at two sizes of history. Prints figures; asserts
nothing.

    .venv/bin/python bench/data_rights.py [--runs 3]

A scratch PostgreSQL database (127.0.0.1:5432, user postgres) is created and migrated. Two
members are seeded: a small one (100 page views, 20 orders, 10 tickets of 10 messages) and
the issue's large one (10,000 page views, 200 orders, 100 tickets of 10 messages, plus 200
client sessions). For each: the export (the zip written in memory) and the erasure (one
transaction; rolled back between runs so every run erases the same data, the last one
kept) are timed, and their SQL queries counted. Target: each under 2 s for the large
member, with a query count that does not grow with the rows.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

from deployed_env import admin_sql

ROOT = Path(__file__).resolve().parent.parent
DB = "bestqm_bench_rights"
SIZES = {
    "small": {"page_views": 100, "sessions": 20, "orders": 20, "tickets": 10},
    "large": {"page_views": 10_000, "sessions": 200, "orders": 200, "tickets": 100},
}
MESSAGES_PER_TICKET = 10
TARGET_SECONDS = 2.0


def _setup_django():
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(login: str, size: dict):
    import uuid
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import PublicProfile, User
    from activity.models import ClientSession, PageView
    from orders.models import Order, Product
    from support.models import Ticket, TicketMessage

    member = User.objects.create_user(
        login,
        f"{login}@example.org",
        "bench-password-2026",
        first_name="Bench",
        last_name="Member",
        zip_code="12345",
    )
    PublicProfile.objects.create(member=member, username=f"{login}_pub")
    now = timezone.now()
    PageView.objects.bulk_create(
        PageView(
            occurred_at=now - timedelta(minutes=i),
            member=member,
            ip_address="203.0.113.7",
            visitor_hash=f"{i:032x}",
            path="/directory/",
            browser_family="Firefox",
            browser_version="140",
            os_family="Linux",
            device_type="desktop",
        )
        for i in range(size["page_views"])
    )
    ClientSession.objects.bulk_create(
        ClientSession(
            member=member,
            serial="ABCDE-FGHJK-MNPQR-STVW0",
            software_version="4.2.0",
            camera_type="QuickCam Pro",
            ip_address="203.0.113.7",
            status="ended",
            started_at=now - timedelta(hours=i + 1),
            ended_at=now - timedelta(hours=i),
        )
        for i in range(size["sessions"])
    )
    product, _ = Product.objects.get_or_create(
        slug="bench-licence",
        defaults={"name": "Bench licence", "kind": "licence", "price": Decimal("29.00")},
    )
    Order.objects.bulk_create(
        Order(
            member=member,
            product=product,
            product_name=product.name,
            amount=product.price,
            currency="USD",
            checkout_key=uuid.uuid4(),
            billing_name="Bench Member",
            billing_zip="12345",
            billing_email=f"{login}@example.org",
            status="fulfilled",
        )
        for _ in range(size["orders"])
    )
    tickets = Ticket.objects.bulk_create(
        Ticket(member=member, subject=f"Question {i}") for i in range(size["tickets"])
    )
    TicketMessage.objects.bulk_create(
        TicketMessage(ticket=t, sender="member", author=member, body="Hello, a question " * 5)
        for t in tickets
        for _ in range(MESSAGES_PER_TICKET)
    )
    return member


def _measure(member, runs: int):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from privacy.requests.erasure import member_erase
    from privacy.requests.export_archive import export_write

    export_times, erase_times = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as export_queries:
            started = time.perf_counter()
            export_write(member=member, request_id=1, target=io.BytesIO())
            export_times.append(time.perf_counter() - started)

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as erase_queries:
                    started = time.perf_counter()
                    member_erase(member=member)
                    erase_times.append(time.perf_counter() - started)
                raise Rollback
        except Rollback:
            pass
    return (
        statistics.median(export_times),
        len(export_queries),
        statistics.median(erase_times),
        len(erase_queries),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')
    admin_sql(f'CREATE DATABASE "{DB}"')
    try:
        _setup_django()
        from django.db import connection

        rows = {}
        for name, size in SIZES.items():
            member = _seed(f"bench.{name}", size)
            rows[name] = (size, _measure(member, args.runs))
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            version = cur.fetchone()[0]
        connection.close()
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{DB}"')

    print(f"Data-subject rights benchmark; PostgreSQL {version}; medians of {args.runs} runs")
    print("-" * 78)
    print(
        f"{'member':<8}{'page views':>11}{'sessions':>9}{'orders':>7}{'tickets':>8}"
        f"{'export s':>10}{'queries':>8}{'erase s':>9}{'queries':>8}"
    )
    for name, (size, (ex_t, ex_q, er_t, er_q)) in rows.items():
        print(
            f"{name:<8}{size['page_views']:>11,}{size['sessions']:>9}{size['orders']:>7}"
            f"{size['tickets']:>8}{ex_t:>10.3f}{ex_q:>8}{er_t:>9.3f}{er_q:>8}"
        )
    print("-" * 78)
    large = rows["large"][1]
    small = rows["small"][1]
    print(
        f"target: large export and erasure < {TARGET_SECONDS} s -> "
        f"{'met' if large[0] < TARGET_SECONDS and large[2] < TARGET_SECONDS else 'MISSED'}"
    )
    print(
        f"target: queries do not grow with rows -> export {small[1]} vs {large[1]}, "
        f"erasure {small[3]} vs {large[3]}: "
        f"{'met' if large[1] <= small[1] and large[3] <= small[3] else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
