"""Page budgets: the server time of every page and API read a visitor or a member reaches,
at a million members. Prints a table; asserts nothing.

    .venv/bin/python bench/pages.py [--members 1000000] [--runs 30] [--db NAME] [--reuse]

A scratch PostgreSQL database (127.0.0.1:5432, user postgres) is created, migrated and
seeded with `seed_demo --members N` (or, with --reuse, an already seeded one is used as
it is), vacuumed and analysed. A child process then points Django at it, DEBUG off and
the cache in Redis database 5 (REDIS_URL, flushed first) as deployed, and times each
page in-process with django.test.Client, as an anonymous visitor and as the demo member
signed in: medians of --runs after a warm-up, taken in turns.

The anonymous directory, its API and profile pages are timed twice: served from the
cache (the second visitor onwards) and made afresh (the public cache switched off; the
first visitor after a change; the filter form is still the one each process keeps by
query, which no change to the directory alters). Targets: every page under 15 ms; the
HTML directory page within 2x of the API page for the same rows (both made afresh); a
cached page no dearer than the bare SQL of its rows (bench/directory.py measures that).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from deployed_env import ROOT, deployed_env
from deployed_env import admin_sql as _sql

TARGET_MS, TARGET_HTML_RATIO = 15.0, 2.0
SEED = 2026
REDIS = "redis://127.0.0.1:6379/5"
FILTER = "gender=female"
DEEP_SHARE = 0.9


def prepare(db: str, members: int) -> None:
    _sql(f'DROP DATABASE IF EXISTS "{db}"')
    _sql(f'CREATE DATABASE "{db}"')
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"postgres://postgres@127.0.0.1/{db}"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--members", str(members), "--quiet", "--seed", str(SEED)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    _sql("VACUUM (ANALYZE)", db)


# --- the child ---------------------------------------------------------------------------


def _medians_ms(timed: dict, runs: int) -> dict:
    for fn in timed.values():
        for _ in range(3):
            fn()
    samples = {name: [] for name in timed}
    cpu = {name: [] for name in timed}
    for _ in range(runs):
        for name, fn in timed.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            fn()
            cpu[name].append((time.process_time() - started_cpu) * 1000)
            samples[name].append((time.perf_counter() - started) * 1000)
    return {
        name: (statistics.median(times), statistics.median(cpu[name]))
        for name, times in samples.items()
    }


def measure(runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from rest_framework.pagination import Cursor

    from accounts.directory.pagination import DirectoryPagination
    from accounts.directory.selectors import directory_rows
    from accounts.models import User
    from demo.logins import DEMO_MEMBER

    caches["default"].clear()
    caches["public"].clear()
    visitor, member = Client(), Client()
    demo = User.objects.get(login_name=DEMO_MEMBER)
    member.force_login(demo, backend="accounts.backends.LoginNameOrEmailBackend")

    # A page 90% of the way into the listing, reached through its cursor, and a profile.
    rows = directory_rows().order_by("username").values_list("username", flat=True)
    listed = rows.count()
    deep_at = rows[int(listed * DEEP_SHARE)]
    username = rows[listed // 2]
    paginator = DirectoryPagination()

    def deep(base):
        paginator.base_url = f"http://testserver{base}"
        link = paginator.encode_cursor(Cursor(offset=0, reverse=False, position=deep_at))
        return link.removeprefix("http://testserver")

    directory, api = reverse("directory:list"), "/api/v1/directory/"
    public = {
        "directory page, first": directory,
        "directory page, deep (90%)": deep(directory),
        f"directory page, ?{FILTER}": f"{directory}?{FILTER}",
        "directory API, first": api,
        "directory API, deep (90%)": deep(api),
        f"directory API, ?{FILTER}": f"{api}?{FILTER}",
        "a profile page": reverse("directory:detail", args=[username]),
        "a profile, API": f"{api}{username}/",
    }
    visitor_pages = {
        "home": reverse("home"),
        **public,
        "sign-in": reverse("accounts:login"),
        "sign-up": reverse("accounts:signup"),
        "/privacy/": reverse("privacy:policy"),
        "/transparency/": reverse("privacy:transparency"),
        "transparency API": "/api/v1/transparency/",
    }
    member_pages = {
        "directory page, first": directory,
        "directory API, first": api,
        "my profile": reverse("profile:mine"),
        "my account": reverse("accounts:account"),
        "my orders": reverse("orders:list"),
        "my support tickets": reverse("support:tickets"),
        "privacy centre": reverse("privacy:centre"),
    }

    def getter(client, path):
        def get():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return get

    timed = {("visitor", n): getter(visitor, p) for n, p in visitor_pages.items()}
    timed |= {("member", n): getter(member, p) for n, p in member_pages.items()}
    cached = _medians_ms(timed, runs)
    uncached_cache = {
        **settings.CACHES,
        "public": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    with override_settings(CACHES=uncached_cache):
        fresh = _medians_ms({n: getter(visitor, p) for n, p in public.items()}, runs)
    return {
        "listed": listed,
        "ms": [[who, name, *ms] for (who, name), ms in cached.items()],
        "fresh_ms": fresh,
    }


# --- the parent --------------------------------------------------------------------------


def report(results: dict, runs: int, members: int, pg: str) -> None:
    fresh = results["fresh_ms"]
    print(
        f"Page budgets: {members:,} members ({results['listed']:,} listed); PostgreSQL {pg}, "
        f"{os.cpu_count()} CPUs; cache in Redis; DEBUG off"
    )
    print(f"Medians of {runs} runs after warm-up; ms of server time in-process (no network).")
    print(
        "cpu: the Python process's own CPU time per request (the database's work not\n"
        "counted): the figure a busy machine disturbs least."
    )
    rule = "-" * 90
    print(rule)
    print(f"{'who':8}{'page':34}{'ms':>8}{'cpu':>7}{'afresh ms':>11}{'cpu':>7}  target")
    print(rule)
    for who, name, ms, cpu in results["ms"]:
        made = fresh.get(name) if who == "visitor" else None
        worst = max(ms, made[0] if made else 0)
        mark = "ok" if worst < TARGET_MS else "OVER"
        made_cells = f"{made[0]:11.2f}{made[1]:7.2f}" if made else f"{'':18}"
        print(f"{who:8}{name:34}{ms:8.2f}{cpu:7.2f}{made_cells}  < {TARGET_MS:.0f} {mark}")
    print(rule)
    for kind in ("first", "deep (90%)", f"?{FILTER}"):
        page, api = fresh[f"directory page, {kind}"][0], fresh[f"directory API, {kind}"][0]
        mark = "ok" if page <= TARGET_HTML_RATIO * api else "OVER"
        print(
            f"HTML / API directory page, {kind:12} made afresh: "
            f"{page / api:.2f}x  (<= {TARGET_HTML_RATIO:.0f}x {mark})"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", default="bestqm_bench_pages")
    parser.add_argument("--reuse", action="store_true", help="use the seeded --db as it is")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return
    if not args.reuse:
        print(f"seeding {args.members:,} members into {args.db} ...", file=sys.stderr)
        prepare(args.db, args.members)
    url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    env = deployed_env(
        url,
        REDIS_URL=REDIS,
        DB_CONN_MAX_AGE="600",
        API_ANON_RATE="1000000/minute",
        API_USER_RATE="1000000/minute",
    )
    child = subprocess.run(
        [sys.executable, __file__, "--measure", "--runs", str(args.runs)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if child.returncode:
        sys.exit(f"measuring failed:\n{child.stderr}")
    pg = _sql("SHOW server_version")[0][0].split()[0]
    report(json.loads(child.stdout.strip().splitlines()[-1]), args.runs, args.members, pg)


if __name__ == "__main__":
    main()
