"""Monthly partitions at 20,000,000 page views. Prints figures; asserts nothing.

    .venv/bin/python bench/activity_partitions.py [--views 20000000] [--runs 20] [--keep]

A scratch PostgreSQL database (bestqm_i20_bench by default; see
bench/activity_scratch_data.py) is migrated (page views and client sessions partitioned
by month), given 10,000 members, a month partition for each of the last eight months, and
--views page views spread over the last 210 days (generated inside the server, indexes
built after the load). For "before", the same rows are copied into a plain table with the
same indexes, as the table was before partitioning. A child process (Django, DEBUG off)
then measures:

  - retention of one whole month: the partition dropped (as activity.retention does:
    lock, count, drop) against DELETE of the same rows from the plain table (one
    statement; the job's former batches of 5,000 take longer still);
  - the IP trace (activity.selectors.accounts_seen_at) for one address and its /24 over
    30 days (target < 5 ms), median of --runs;
  - the page-view batch insert rate (activity.services.page_views_store, batches of 100)
    into the partitioned table and into the plain one.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

from activity_scratch_data import ROOT, create, drop, load, sql, url
from deployed_env import deployed_env

PLAIN = "bench_plain_pageview"
SPAN_DAYS, MONTHS = 210, 8
TARGET_TRACE_MS = 5.0
BATCH, BATCHES = 100, 50


def prepare(db: str, views: int) -> dict:
    create(db, members=10_000)
    months = subprocess.run(
        [sys.executable, __file__, "--partitions"],
        env=deployed_env(url(db), host="localhost"),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    started = time.perf_counter()
    loaded = load(db, [(views, views // 100, 0, SPAN_DAYS)])
    loaded["load_s"] = time.perf_counter() - started
    started = time.perf_counter()
    indexes = sql(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'activity_pageview'", db, fetch=True
    )
    sql(f"CREATE TABLE {PLAIN} (LIKE activity_pageview INCLUDING DEFAULTS)", db)
    sql(f"INSERT INTO {PLAIN} SELECT * FROM activity_pageview", db)
    for (definition,) in indexes:
        definition = definition.replace(" ON ONLY ", " ON ")
        plain = definition.replace("ON public.activity_pageview ", f"ON public.{PLAIN} ")
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        sql(plain.replace(f" INDEX {name} ", f" INDEX {name}_plain "), db)
    sql(f"VACUUM (ANALYZE) {PLAIN}", db)
    loaded["plain_copy_s"] = time.perf_counter() - started
    loaded["partitions"] = months.stdout.strip().splitlines()[-1]
    return loaded


def _django():
    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    import django

    django.setup()


def make_partitions() -> None:
    _django()
    from datetime import timedelta

    from django.utils import timezone

    from activity.partitions import MONTHLY, month_start, partition_create

    start = month_start((timezone.now() - timedelta(days=SPAN_DAYS + 1)).date())
    made = 0
    for _ in range(MONTHS + 1):
        for table in MONTHLY:
            made += partition_create(table, start)
        start = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    print(made)


def measure(runs: int) -> dict:
    _django()
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from activity.models import PageView
    from activity.partitions import month_partitions
    from activity.retention import _partitions_drop_past
    from activity.selectors import accounts_seen_at
    from activity.services import page_views_store
    from privacy.registry import Category

    result = {}
    now = timezone.now()
    # The IP trace: an address a member used, and its /24, over 30 days.
    address = (
        PageView.objects.exclude(member=None)
        .filter(occurred_at__gte=now - timedelta(days=10))
        .values_list("ip_address", flat=True)
        .first()
    )
    network = ".".join(address.split(".")[:3]) + ".0/24"
    trace = {
        "IP trace, one address, 30 days": lambda: accounts_seen_at(
            network=address, start=now - timedelta(days=30), end=now
        ),
        "IP trace, its /24, 30 days": lambda: accounts_seen_at(
            network=network, start=now - timedelta(days=30), end=now
        ),
    }
    for name, case in trace.items():
        for _ in range(3):
            case()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            case()
            times.append((time.perf_counter() - started) * 1000)
        result[name] = {"ms": statistics.median(times), "found": len(case())}

    # The batch insert rate: the write path of the page-view buffer, 100 views a batch.
    views = [
        {
            "at": time.time(),
            "member": None,
            "remote_addr": "198.51.100.7",
            "forwarded_for": "",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "path": "/directory/",
            "route": "directory:list",
        }
        for _ in range(BATCH)
    ]
    rates = {}
    for label, table in (("partitioned", PageView._meta.db_table), ("plain", PLAIN)):
        PageView._meta.db_table = table  # the same code, pointed at one table or the other
        page_views_store(views=views)
        started = time.perf_counter()
        for _ in range(BATCHES):
            page_views_store(views=views)
        rates[label] = BATCH * BATCHES / (time.perf_counter() - started)
    PageView._meta.db_table = "activity_pageview"
    result["insert_rows_per_s"] = rates

    # Retention of one whole month: the oldest full month partition, dropped; the same
    # rows deleted from the plain table. The partial month before it goes first, untimed.
    partial = month_partitions("activity_pageview")[0]
    _partitions_drop_past(PageView, "occurred_at", "occurred_at", Category.AGGREGATE, partial.end)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PLAIN} WHERE occurred_at < %s", [partial.end])
        cursor.execute(f"VACUUM {PLAIN}")
    oldest_full = month_partitions("activity_pageview")[0]
    started = time.perf_counter()
    dropped, rows = _partitions_drop_past(
        PageView, "occurred_at", "occurred_at", Category.AGGREGATE, oldest_full.end
    )
    result["drop"] = {"s": time.perf_counter() - started, "partitions": dropped, "rows": rows}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            f"DELETE FROM {PLAIN} WHERE occurred_at < %s",
            [oldest_full.end],
        )
        result["delete"] = {"s": time.perf_counter() - started, "rows": cursor.rowcount}
    result["month"] = oldest_full.name
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--views", type=int, default=20_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", default="bestqm_i20_bench")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept earlier")
    parser.add_argument("--partitions", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.partitions:
        make_partitions()
        return
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return
    loaded = {} if args.reuse else prepare(args.db, args.views)
    try:
        child = subprocess.run(
            [sys.executable, __file__, "--measure", "--runs", str(args.runs)],
            env=deployed_env(url(args.db), host="localhost", DB_CONN_MAX_AGE="600"),
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if child.returncode:
            sys.exit(f"measuring failed:\n{child.stderr}")
        result = json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        if not args.keep:
            drop(args.db)
    pg = sql("SHOW server_version", fetch=True)[0][0].split()[0]
    print(f"Activity partitions: PostgreSQL {pg}; 2 CPUs shared with other work")
    if loaded:
        print(
            f"{loaded['views']:,} page views, {loaded['sessions']:,} client sessions, "
            f"{loaded['members']:,} members; loaded and indexed in {loaded['load_s']:.0f} s, "
            f"copied to the plain table in {loaded['plain_copy_s']:.0f} s"
        )
    drop_, delete = result["drop"], result["delete"]
    print(f"\nRetention of one month ({result['month']}, {drop_['rows']:,} rows):")
    print(f"  partition dropped (lock, count, drop)   {drop_['s']:10.3f} s")
    print(f"  DELETE of the same rows, plain table    {delete['s']:10.3f} s  ({delete['rows']:,})")
    print(f"  DELETE / drop                           {delete['s'] / drop_['s']:10.0f}x")
    print(f"\nIP trace over 30 days (median of {args.runs}; target < {TARGET_TRACE_MS:.0f} ms):")
    for name in ("IP trace, one address, 30 days", "IP trace, its /24, 30 days"):
        figures = result[name]
        mark = "ok" if figures["ms"] < TARGET_TRACE_MS else "OVER"
        print(f"  {name:34} {figures['ms']:8.2f} ms  {figures['found']} found  {mark}")
    rates = result["insert_rows_per_s"]
    print(f"\nPage-view batch inserts (page_views_store, {BATCHES} batches of {BATCH}):")
    print(f"  before: plain table                     {rates['plain']:10,.0f} rows/s")
    print(f"  after: partitioned table                {rates['partitioned']:10,.0f} rows/s")


if __name__ == "__main__":
    main()
