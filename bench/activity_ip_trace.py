"""How fast the IP trace answers as activity grows. Prints figures; asserts nothing.

    .venv/bin/python bench/activity_ip_trace.py [--sizes 10000,1000000] [--runs 20] [--explain]

For each size N a scratch PostgreSQL database (bench/activity_scratch_data.py) gets N/100
members, N page views and N/20 client sessions over the last 90 days. A child process
points Django at it and times the selectors the legal workflow calls
(activity.selectors):

  - accounts_seen_at: one address over 30 days; its /24 over 30 days; a /16 over 7 days;
  - addresses_used_by: one member over 30 days and over 90 days.

Median of --runs after a warm-up, and the first (colder) run. Target: under 200 ms at
10,000,000 page views. --explain prints each query's plan (EXPLAIN ANALYZE, BUFFERS).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

# Run as a script, this file's folder is on the path.
from activity_scratch_data import ROOT, create, drop, load, url
from deployed_env import deployed_env

DB = "bestqm_activity_bench_trace"
TARGET_MS = 200
DAYS = 90


def prepare(size: int) -> dict:
    create(DB, members=max(100, size // 100))
    started = time.perf_counter()
    loaded = load(DB, [(size, max(1, size // 20), 0, DAYS)])
    return {**loaded, "load_s": time.perf_counter() - started}


# --- the child: Django pointed at the scratch database -------------------------------------


def measure(runs: int, explain: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from activity.models import PageView
    from activity.selectors import accounts_seen_at, addresses_used_by

    now = timezone.now()
    # A member with traffic, and one of their addresses.
    member = User.objects.get(pk=PageView.objects.exclude(member=None).order_by("pk")[0].member_id)
    address = (
        PageView.objects.filter(member=member).order_by("pk").values_list("ip_address", flat=True)
    )[0]
    octets = address.split(".")
    cases = {
        "one address, 30 days": lambda: accounts_seen_at(
            network=address, start=now - timedelta(days=30), end=now
        ),
        "its /24, 30 days": lambda: accounts_seen_at(
            network=".".join(octets[:3]) + ".0/24", start=now - timedelta(days=30), end=now
        ),
        "a /16, 7 days": lambda: accounts_seen_at(
            network=".".join(octets[:2]) + ".0.0/16", start=now - timedelta(days=7), end=now
        ),
        "a member's addresses, 30 days": lambda: addresses_used_by(
            member=member, start=now - timedelta(days=30), end=now
        ),
        "a member's addresses, 90 days": lambda: addresses_used_by(
            member=member, start=now - timedelta(days=90), end=now
        ),
    }
    result = {}
    for name, case in cases.items():
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            found = case()
        first = (time.perf_counter() - started) * 1000
        for _ in range(3):
            case()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            case()
            times.append((time.perf_counter() - started) * 1000)
        plans = []
        if explain:
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    plans.append("\n".join(row[0] for row in cursor.fetchall()))
        result[name] = {
            "first_ms": first,
            "median_ms": statistics.median(times),
            "max_ms": max(times),
            "found": len(found),
            "plans": plans,
        }
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.runs, args.explain)))
        return

    print(f"IP trace selectors on PostgreSQL; median of {args.runs} runs (first run), ms.")
    for size in (int(s) for s in args.sizes.split(",")):
        try:
            loaded = prepare(size)
            child = subprocess.run(
                [sys.executable, __file__, "--child", "--runs", str(args.runs)]
                + (["--explain"] if args.explain else []),
                env=deployed_env(url(DB), host="localhost", DB_CONN_MAX_AGE="600"),
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
        finally:
            drop(DB)
        print(
            f"\n{loaded['views']:,} page views, {loaded['members']:,} members "
            f"(loaded and indexed in {loaded['load_s']:.0f} s)"
        )
        for name, figures in result.items():
            verdict = "ok" if figures["median_ms"] < TARGET_MS else "OVER TARGET"
            print(
                f"  {name:32} {figures['median_ms']:8.2f} ({figures['first_ms']:.2f} first, "
                f"{figures['max_ms']:.2f} max)  {figures['found']} found  [{verdict}]"
            )
            for plan in figures["plans"]:
                print("      " + plan.replace("\n", "\n      "))


if __name__ == "__main__":
    main()
