"""The activity retention job on a large backlog. Prints figures; asserts nothing.

    .venv/bin/python bench/activity_retention.py [--expired 1000000] [--to-shorten 100000]
        [--batch-size 5000]

A scratch PostgreSQL database (see bench/activity_scratch_data.py) gets 10,000 members,
--expired page views older than ACTIVITY_EVENT_RETENTION_DAYS (181 to 270 days old) with
a client session for every 20, --to-shorten views whose addresses are due to be shortened
(91 to 179 days old), and as many recent ones (the last 89 days), which must be left
alone. A child process points Django at it and runs the job (activity.retention)
as the command does, while another process keeps writing a page view every 10 ms and
reading a member's history, as the site would.

Printed: each step's rows, batches and time; the longest UPDATE or DELETE (how long a
batch holds its row locks: they never lock the table against reads or inserts, as the
concurrent writer shows); the slowest concurrent insert and read during the job; what is
left. Target: no batch holds its locks for more than a second.
"""

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time

import psycopg2

# Run as a script, this file's folder is on the path.
from activity_scratch_data import ROOT, create, drop, load, url
from deployed_env import deployed_env

DB = "bestqm_activity_bench_retention"
TARGET_S = 1.0


def _site(stop, latencies) -> None:
    """What the site keeps doing meanwhile: a page view written every 10 ms (autocommit,
    as a batch would be) and a member's history read."""
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=DB)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM accounts_user ORDER BY id LIMIT 1")
        member = cur.fetchone()[0]
        while not stop.is_set():
            started = time.perf_counter()
            cur.execute(
                "INSERT INTO activity_pageview (occurred_at, member_id, ip_address, "
                "ip_truncated, visitor_hash, path, route, browser_family, browser_version, "
                "os_family, device_type) VALUES (now(), %s, '10.1.2.3', false, 'x', '/', "
                "'home', 'Firefox', '121', 'Windows', 'desktop')",
                [member],
            )
            inserted = time.perf_counter()
            cur.execute(
                "SELECT count(*) FROM activity_pageview WHERE member_id = %s "
                "AND occurred_at > now() - interval '30 days'",
                [member],
            )
            cur.fetchone()
            latencies.append((inserted - started, time.perf_counter() - inserted))
            time.sleep(0.01)
    conn.close()


def child(batch_size: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    import django

    django.setup()

    from django.db import connection

    from activity.models import ClientSession, DailyFigure, PageView
    from activity.retention import retention_run

    steps: dict[str, dict] = {}

    class Bar:
        def __init__(self, total, desc):
            self.step = steps.setdefault(desc, {"total": total, "batches": [], "rows": 0})
            self.last = time.perf_counter()

        def __enter__(self):
            self.started = time.perf_counter()
            return self

        def __exit__(self, *exc):
            self.step["seconds"] = time.perf_counter() - self.started
            return False

        def update(self, n=1):
            now = time.perf_counter()
            self.step["batches"].append(now - self.last)
            self.step["rows"] += n
            self.last = now

    writes: list[float] = []

    def timed_writes(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if sql.lstrip().upper().startswith(("UPDATE", "DELETE")):
                writes.append(time.perf_counter() - started)

    manager = multiprocessing.Manager()
    latencies = manager.list()
    stop = manager.Event()
    site = multiprocessing.Process(target=_site, args=(stop, latencies))
    site.start()
    time.sleep(0.5)
    try:
        started = time.perf_counter()
        with connection.execute_wrapper(timed_writes):
            report = retention_run(
                batch_size=batch_size, progress=lambda *, total, desc: Bar(total, desc)
            )
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        site.join()
    inserts = [i for i, _ in latencies]
    reads = [r for _, r in latencies]
    return {
        "elapsed_s": elapsed,
        "report": vars(report),
        "steps": {
            desc: {
                "rows": s["rows"],
                "batches": len(s["batches"]),
                "seconds": s.get("seconds", 0.0),
                "median_batch_s": statistics.median(s["batches"]) if s["batches"] else 0.0,
                "max_batch_s": max(s["batches"], default=0.0),
            }
            for desc, s in steps.items()
        },
        "longest_write_s": max(writes, default=0.0),
        "writes": len(writes),
        "site_requests": len(latencies),
        "slowest_insert_ms": max(inserts, default=0.0) * 1000,
        "slowest_read_ms": max(reads, default=0.0) * 1000,
        "left": {
            "page_views": PageView.objects.count(),
            "sessions": ClientSession.objects.count(),
            "daily_figures": DailyFigure.objects.count(),
            "unshortened_over_90_days": PageView.objects.filter(
                ip_truncated=False,
                occurred_at__lt=django.utils.timezone.now()
                - django.utils.timezone.timedelta(days=90),
            ).count(),
        },
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expired", type=int, default=1_000_000)
    parser.add_argument("--to-shorten", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.batch_size)))
        return

    try:
        create(DB, members=10_000)
        started = time.perf_counter()
        shorten = args.to_shorten
        loaded = load(
            DB,
            [
                (args.expired, args.expired // 20, 181, 89),  # past retention: deleted
                (shorten, shorten // 20, 91, 88),  # past IP retention: addresses shortened
                (shorten, shorten // 20, 0, 89),  # recent: left alone
            ],
        )
        load_s = time.perf_counter() - started
        result = subprocess.run(
            [sys.executable, __file__, "--child", "--batch-size", str(args.batch_size)],
            env=deployed_env(url(DB), host="localhost"),
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        drop(DB)

    print(
        f"{loaded['views']:,} page views and {loaded['sessions']:,} client sessions "
        f"(loaded in {load_s:.0f} s); batches of {args.batch_size}; job took "
        f"{figures['elapsed_s']:.1f} s"
    )
    for desc, step in figures["steps"].items():
        print(
            f"  {desc:45} {step['rows']:>9,} rows in {step['batches']:>4} batches, "
            f"{step['seconds']:6.1f} s; batch median {step['median_batch_s'] * 1000:.0f} ms, "
            f"max {step['max_batch_s'] * 1000:.0f} ms"
        )
    longest = figures["longest_write_s"]
    verdict = "ok" if longest < TARGET_S else "OVER TARGET"
    print(
        f"  longest UPDATE/DELETE (row locks held): {longest * 1000:.0f} ms over "
        f"{figures['writes']} statements [{verdict}]"
    )
    print(
        f"  meanwhile the site wrote and read {figures['site_requests']} times: slowest "
        f"insert {figures['slowest_insert_ms']:.1f} ms, slowest read "
        f"{figures['slowest_read_ms']:.1f} ms"
    )
    print(f"  report: {figures['report']}")
    print(f"  left: {figures['left']}")


if __name__ == "__main__":
    main()
