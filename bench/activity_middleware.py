"""What recording page views costs a simple page. Prints figures; asserts nothing.

    .venv/bin/python bench/activity_middleware.py [--requests 3000] [--databases sqlite,postgresql]

For each database a scratch one is made and migrated (a file under /tmp for SQLite; a
database on the PostgreSQL server at 127.0.0.1:5432, user postgres), then a child process
points Django at it, DEBUG off (each batch of page views is written by the request that
fills the buffer, as in production: activity/visits/buffer.py), and serves the home page
in-process with django.test.Client, to a visitor and to a signed-in member:

  - the page's server time without activity.visits.middleware.PageViewMiddleware (a client
    whose handler is built without it, in the same process and database);
  - the middleware's own time on every request, batch writes included (one request in
    ACTIVITY_PAGE_VIEW_BATCH_SIZE writes the whole batch): its mean is the amortised
    cost of recording a view. Overhead = that mean / the page's median server time;
    target: at most 10 %. Timing only the middleware's own work keeps the figure clear
    of the noise of a shared machine;
  - for comparison, the plain A/B: median and mean server time with and without the
    middleware, requests taken in turns (with, without, with, ...); noisier;
  - what one batch write costs, and that every view was written.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deployed_env import admin_sql, deployed_env

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "bestqm_activity_bench_middleware"
PAGE = "/"
MIDDLEWARE = "activity.visits.middleware.PageViewMiddleware"
TARGET = 0.10
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
]


def run_database(vendor: str, requests: int) -> dict:
    scratch = None
    if vendor == "sqlite":
        handle, scratch = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        url = f"sqlite:///{scratch}"
    else:
        admin_sql(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        admin_sql(f'CREATE DATABASE "{PG_DB}"')
        url = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    env = deployed_env(url, DB_CONN_MAX_AGE="600")
    try:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
            env={**env, "DEBUG": "true"},
            check=True,
        )
        child = subprocess.run(
            [sys.executable, __file__, "--child", "--requests", str(requests)],
            env=env,
            capture_output=True,
            text=True,
        )
        if child.returncode:
            sys.exit(f"the measuring process failed:\n{child.stderr[-3000:]}")
        return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        if scratch is not None:
            os.unlink(scratch)
        else:
            admin_sql(f'DROP DATABASE IF EXISTS "{PG_DB}"')


# --- the child: Django pointed at one scratch database ----------------------------------


def _timed_in_turns(clients: dict, requests: int) -> dict:
    samples = {name: [] for name in clients}
    for n in range(requests):
        for name, client in clients.items() if n % 2 else reversed(clients.items()):
            agent = AGENTS[n % len(AGENTS)]
            started = time.perf_counter()
            response = client.get(PAGE, HTTP_USER_AGENT=agent, REMOTE_ADDR=f"192.0.2.{n % 250}")
            samples[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    return samples


def child(requests: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from activity.models import PageView
    from activity.services import page_views_store
    from activity.visits.buffer import flush_page_views
    from activity.visits.middleware import PageViewMiddleware
    from tests.accounts.factories import UserFactory

    # Time the middleware's own work on every request, batch writes included.
    own_times: list[float] = []
    record = PageViewMiddleware._record

    def timed_record(self, request, response):
        started = time.perf_counter()
        record(self, request, response)
        own_times.append((time.perf_counter() - started) * 1000)

    PageViewMiddleware._record = timed_record

    member = UserFactory(login_name="bench.member")
    without_stack = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    result = {
        "vendor": connection.vendor,
        "batch_size": settings.ACTIVITY_PAGE_VIEW_BATCH_SIZE,
        "requests": requests,
    }

    for who in ("visitor", "member"):
        with_client, without_client = Client(), Client()
        if who == "member":
            for client in (with_client, without_client):
                client.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
        with override_settings(MIDDLEWARE=without_stack):
            without_client.get(PAGE)  # builds this client's handler without the middleware
        clients = {"with": with_client, "without": without_client}
        _timed_in_turns(clients, 200)  # warm-up: templates, parser cache, connections
        flush_page_views()
        own_times.clear()
        before = PageView.objects.count()
        samples = _timed_in_turns(clients, requests)
        flush_page_views()
        figures = {"written": PageView.objects.count() - before}
        for name, times in samples.items():
            figures[f"{name}_mean"] = statistics.fmean(times)
            figures[f"{name}_median"] = statistics.median(times)
        figures["own_mean"] = statistics.fmean(own_times)
        figures["own_median"] = statistics.median(own_times)
        figures["overhead"] = figures["own_mean"] / figures["without_median"]
        figures["ab_mean"] = figures["with_mean"] / figures["without_mean"] - 1
        figures["ab_median"] = figures["with_median"] / figures["without_median"] - 1
        result[who] = figures

    # One batch write on its own: parse (cached), hash, one bulk write.
    view = {
        "at": timezone.now().timestamp(),
        "member": member.pk,
        "remote_addr": "192.0.2.1",
        "forwarded_for": "",
        "user_agent": AGENTS[0],
        "path": "/",
        "route": "home",
    }
    batch = [view] * settings.ACTIVITY_PAGE_VIEW_BATCH_SIZE
    times = []
    for _ in range(30):
        started = time.perf_counter()
        page_views_store(views=batch)
        times.append((time.perf_counter() - started) * 1000)
    result["batch_write_ms"] = statistics.median(times)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.requests)))
        return

    print(
        f"Home page {PAGE}, {args.requests} requests with and without the page view "
        "middleware, in turns; in-process server times in ms."
    )
    for vendor in args.databases.split(","):
        _report(run_database(vendor, args.requests))


def _report(result: dict) -> None:
    how = f"written inline, {result['batch_write_ms']:.2f} ms per batch write"
    print(f"\n{result['vendor']}: batches of {result['batch_size']} {how}")
    for who in ("visitor", "member"):
        f = result[who]
        verdict = "ok" if f["overhead"] <= TARGET else "OVER TARGET"
        print(
            f"  {who:8} page {f['without_median']:.3f} (median); middleware's own time "
            f"{f['own_mean'] * 1000:.1f} us per request, batches included "
            f"(median {f['own_median'] * 1000:.1f} us): overhead {f['overhead']:.1%} "
            f"[{verdict}]"
        )
        written = f"written {f['written']}"
        print(
            f"  {'':8} A/B: median {f['without_median']:.3f} -> {f['with_median']:.3f} "
            f"({f['ab_median']:+.1%}), mean {f['without_mean']:.3f} -> "
            f"{f['with_mean']:.3f} ({f['ab_mean']:+.1%}); views {written}"
        )


if __name__ == "__main__":
    main()
