"""How the public directory holds up as it grows. Prints figures; asserts nothing.

    .venv/bin/python bench/directory.py [--sizes 10000,1000000] [--runs 50] [--explain]

For each size: a scratch PostgreSQL database (127.0.0.1:5432, user postgres) is dropped,
created, migrated and filled with `seed_demo --members N`, then vacuumed and analysed
(the state autovacuum keeps a live database in). A child process then points Django at
it and, as an anonymous visitor filtering on gender=female, measures in-process with
django.test.Client:

  - SQL queries per request, API and HTML page, page_size 10, 50 and 100 (target <= 4);
  - server time of the API's first page and of a page deep in the listing, reached
    through a cursor positioned 90% of the way in (target: the same cost);
  - the bare SQL of those pages (captured from the request, run on a raw cursor)
    against the API's server time (target: within 3x);
  - how the figures change from the smallest to the largest size (target: < 30%);
  - for scale, the API's first page made by the same ORM query and serialisation in a
    plain Django view and in a plain DRF APIView (no django-filter, no pagination): the
    part of the API's time that is the framework's alone; and a DRF view that runs no
    query at all (an empty page): the fixed cost of any API request;
  - what a Django user would write instead: a DRF ModelViewSet with a ModelSerializer
    and PageNumberPagination (COUNT plus OFFSET) over the same rows, its first page and
    the page 90% of the way in, against BestQM's API and HTML pages;
  - the anonymous API and HTML pages served from the public cache (a second visitor
    onwards) against the bare SQL of the same rows (target: ratio <= 1.0).

Everything but the cached figures is made afresh (the public cache switched off).

Server time is the test client's round trip inside the process: middleware, view,
query, serialisation and rendering, no network. Medians of --runs after a warm-up, with
a persistent database connection (DB_CONN_MAX_AGE) as a deployment would have.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

from cryptography.fernet import Fernet
from deployed_env import admin_sql as _sql

ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1/directory/"
PAGE = "/directory/"
QUERY = "gender=female"
PAGE_SIZES = (10, 50, 100)
TIMED_PAGE_SIZE = 50
DEEP_SHARE = 0.9
SEED = 2026
TARGET_QUERIES, TARGET_RATIO, TARGET_GROWTH = 4, 3.0, 0.30
COMPILE_PART = "  of which compiling the SQL"
_real_caches: dict = {}


def _child_env(db: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "DB_CONN_MAX_AGE": "600",
        # Measured as deployed: DEBUG off (no query log), so a real key and host.
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        # Outside DEBUG the service refuses to start without a card key of its own.
        "CARD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        # The rate limits would answer 429 long before the runs are done.
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
        "LOG_LEVEL": "WARNING",
        # The test client speaks plain HTTP; in a deployment TLS ends in front of the app.
        "SECURE_SSL_REDIRECT": "false",
    }


def prepare(db: str, members: int) -> dict:
    """Fresh database, migrated and seeded; returns the seed time."""
    _sql(f'DROP DATABASE IF EXISTS "{db}"')
    _sql(f'CREATE DATABASE "{db}"')
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run(
        [*manage, "seed_demo", "--members", str(members), "--quiet", "--seed", str(SEED)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seeded = time.perf_counter() - started
    _sql("VACUUM (ANALYZE) accounts_user, accounts_publicprofile", db)
    profiles = _sql("SELECT count(*) FROM accounts_publicprofile", db)[0][0]
    return {"seed_s": seeded, "profiles": profiles}


def drop(db: str) -> None:
    _sql(f'DROP DATABASE IF EXISTS "{db}"')


# --- the child: Django pointed at one scratch database ----------------------------------


def _medians_ms(timed: dict, runs: int) -> dict:
    """Median time of each callable, in ms. Taken in turns (one call of each per round)
    so that a burst of noise on the machine touches every figure alike, and the ratios
    between them hold."""
    for fn in timed.values():
        for _ in range(3):
            fn()  # warm-up
    samples = {name: [] for name in timed}
    for _ in range(runs):
        for name, fn in timed.items():
            started = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(times) for name, times in samples.items()}


def measure(runs: int, explain: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bestqm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.pagination import Cursor

    from accounts.directory.pagination import DirectoryPagination
    from accounts.directory.selectors import directory_rows

    settings.ROOT_URLCONF = _with_floor_views(settings.ROOT_URLCONF)
    # The deployed storage needs `collectstatic`'s manifest; the figures here are about the
    # directory, so the HTML page names its static files the plain way.
    from django.test.utils import override_settings

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}).enable()
    # Made afresh unless said otherwise: the public cache off (the first visitor after a
    # change); the cached figures switch it back on.
    global _real_caches
    _real_caches = settings.CACHES
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    override_settings(CACHES={**settings.CACHES, "public": dummy}).enable()
    client = Client()

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def captured(path):
        with CaptureQueriesContext(connection) as ctx:
            response = get(path)
        return response, [q["sql"] for q in ctx.captured_queries]

    result = {"queries": {}, "plans": {}}
    for kind, base in (("api", API), ("page", PAGE)):
        for size in PAGE_SIZES:
            get(f"{base}?{QUERY}&page_size={size}")  # warm: imports, templates, caches
            response, sqls = captured(f"{base}?{QUERY}&page_size={size}")
            result["queries"][f"{kind}_{size}"] = len(sqls)
            if kind == "api":
                assert len(response.json()["results"]) == size

    # The visitor's listing: gender shown to everyone and female. A cursor positioned at
    # the username 90% of the way in gives a page deep in it.
    matching = directory_rows().filter(gender="female", gender_visibility="everyone")
    result["matching"] = matching.count()
    deep_at = matching.order_by("username").values_list("username", flat=True)[
        int(result["matching"] * DEEP_SHARE)
    ]
    paginator = DirectoryPagination()
    paginator.base_url = f"http://testserver{API}?{QUERY}&page_size={TIMED_PAGE_SIZE}"
    deep = paginator.encode_cursor(Cursor(offset=0, reverse=False, position=deep_at))
    deep = deep.removeprefix("http://testserver")
    first = f"{API}?{QUERY}&page_size={TIMED_PAGE_SIZE}"

    # Following `next` from the first page: how deep 200 pages get, and what the last
    # one costs (the listing may end sooner at small sizes).
    path, followed = first, 0
    while followed < 200:
        following = get(path).json()["next"]
        if not following:
            break
        path, followed = following.removeprefix("http://testserver"), followed + 1
    result["followed"] = followed
    followed_path = path

    pages_in_listing = -(-result["matching"] // TIMED_PAGE_SIZE)
    deep_page = int(pages_in_listing * DEEP_SHARE)
    html_deep = paginator.encode_cursor(Cursor(offset=0, reverse=False, position=deep_at))
    html_deep = html_deep.removeprefix("http://testserver").replace(API, PAGE, 1)
    pages = {
        "api_first": first,
        "api_deep": deep,
        "api_followed": followed_path,
        "page_first": f"{PAGE}?{QUERY}&page_size={TIMED_PAGE_SIZE}",
        "page_deep": html_deep,
        **{name: path for name, (path, _) in FLOORS.items()},
        EMPTY: EMPTY_PATH,
        "baseline_first": f"{BASELINE_PATH}?page=1",
        "baseline_deep": f"{BASELINE_PATH}?page={deep_page}",
    }
    cursor = connection.cursor().cursor  # psycopg2's own: nothing of Django in between

    def bare(sql):
        cursor.execute(sql)
        cursor.fetchall()

    timed = {}
    for name, path in pages.items():
        response, sqls = captured(path)
        if name.startswith("api"):
            result[f"rows_{name}"] = len(response.json()["results"])
        timed[name] = lambda path=path: get(path)
        if name in FLOORS:
            # The floors must run the very query the API runs for its first page.
            assert sqls == captured(first)[1], (name, sqls)
            assert response.json()["results"] == get(first).json()["results"], name
        if name in ("api_first", "api_deep"):
            (sql,) = [s for s in sqls if "accounts_publicprofile" in s]
            timed[f"sql_{name}"] = lambda sql=sql: bare(sql)
            if explain:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                result["plans"][name] = "\n".join(row[0] for row in cursor.fetchall())
                result["plans"][name + "_sql"] = sql
    parts = _api_parts()
    for name in ("baseline_first", "baseline_deep"):
        result[f"rows_{name}"] = len(get(pages[name]).json()["results"])
    medians = _medians_ms({**timed, **parts}, runs)
    result["ms"] = {name: medians[name] for name in pages}
    result["sql_ms"] = {name: medians[f"sql_{name}"] for name in ("api_first", "api_deep")}
    result["parts_ms"] = {name: medians[name] for name in parts}
    # Served from the cache: the same pages as an anonymous visitor asks them again,
    # timed in turns with their bare SQL.
    override_settings(CACHES=_real_caches).enable()
    cached = {f"cached_{n}": timed[n] for n in ("api_first", "api_deep", "page_first", "page_deep")}
    cached |= {n: timed[n] for n in ("sql_api_first", "sql_api_deep")}
    medians = _medians_ms(cached, runs)
    result["cached_ms"] = {n: medians[n] for n in cached if n.startswith("cached_")}
    result["cached_sql_ms"] = {n: medians[f"sql_{n}"] for n in ("api_first", "api_deep")}
    return result


# And the framework's fixed cost: a DRF view that runs no query and returns an empty page,
# through the same middleware, authentication and throttles.
EMPTY, EMPTY_PATH = "floor_empty", "/bench-floor/empty/"
BASELINE_PATH = "/bench-baseline/"

# For scale: the API's first page without django-filter, cursor pagination or DRF's
# generic view, the same query made by the ORM and the same rows serialised. They answer
# how much of the API's time the framework alone takes, measured in the same run.
FLOORS = {
    "floor_django": (
        "/bench-floor/django/",
        "plain Django view, ms",
    ),
    "floor_drf": (
        "/bench-floor/drf/",
        "plain DRF APIView (same auth, throttles), ms",
    ),
}


def _with_floor_views(urlconf: str) -> str:
    """A URLconf of the project's URLs and the floor views; returns its name."""
    import types

    from django.http import JsonResponse
    from django.urls import include, path
    from rest_framework.permissions import AllowAny
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from accounts.directory.selectors import directory_rows
    from accounts.profile.selectors import public_views, viewer_visibilities

    def first_page(request):
        visibilities = viewer_visibilities(request.user)
        rows = list(
            directory_rows()
            .filter(gender="female", gender_visibility__in=visibilities)
            .order_by("username")[: TIMED_PAGE_SIZE + 1]
        )
        return public_views(rows[:TIMED_PAGE_SIZE], visibilities)

    def django_view(request):
        return JsonResponse({"results": first_page(request)})

    class DrfView(APIView):
        permission_classes = [AllowAny]

        def get(self, request):
            return Response({"results": first_page(request)})

    class EmptyView(DrfView):
        def get(self, request):
            return Response({"results": []})

    # What a Django user would write: a ModelViewSet, a ModelSerializer, page numbers.
    from django_countries.serializers import CountryFieldMixin
    from rest_framework import serializers, viewsets
    from rest_framework.pagination import PageNumberPagination

    from accounts.models import PublicProfile

    class BaselineSerializer(CountryFieldMixin, serializers.ModelSerializer):
        class Meta:
            model = PublicProfile
            fields = ["username", "gender", "birth_date", "country", "region", "city"]
            fields += ["lifestyle", "lifestyle_text", "looking_for"]

    class BaselinePages(PageNumberPagination):
        page_size = TIMED_PAGE_SIZE

    class BaselineViewSet(viewsets.ModelViewSet):
        permission_classes = [AllowAny]
        http_method_names = ["get"]
        serializer_class = BaselineSerializer
        pagination_class = BaselinePages
        queryset = PublicProfile.objects.filter(
            listed_in_directory=True,
            member__is_active=True,
            gender="female",
            gender_visibility="everyone",
        ).order_by("username")

    module = types.ModuleType("bench_directory_urls")
    module.urlpatterns = [
        path(FLOORS["floor_django"][0].lstrip("/"), django_view),
        path(FLOORS["floor_drf"][0].lstrip("/"), DrfView.as_view()),
        path(EMPTY_PATH.lstrip("/"), EmptyView.as_view()),
        path(BASELINE_PATH.lstrip("/"), BaselineViewSet.as_view({"get": "list"})),
        path("", include(urlconf)),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def _api_parts() -> dict:
    """Where the API's first page spends its time: each step of the view on its own,
    the way DRF runs it (filter, fetch, serialise, render). Compiling the query is part
    of the fetch, shown on its own too."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import RequestFactory
    from rest_framework.renderers import JSONRenderer

    from accounts.directory.apis import PublicProfileOutput
    from accounts.directory.filters import DirectoryFilter
    from accounts.directory.selectors import directory_rows
    from accounts.profile.selectors import viewer_visibilities

    request = RequestFactory().get(API, {"gender": "female"})
    request.user = AnonymousUser()

    def filtered():
        filterset = DirectoryFilter(request.GET, queryset=directory_rows(), request=request)
        assert filterset.is_valid()
        return filterset.qs

    page = filtered().order_by("username")[: TIMED_PAGE_SIZE + 1]
    rows = list(page)[:TIMED_PAGE_SIZE]
    context = {"visibilities": viewer_visibilities(request.user)}
    data = PublicProfileOutput(rows, many=True, context=context).data
    return {
        "filter (django-filter form, no SQL)": filtered,
        "fetch (ORM: SQL + plain rows)": lambda: list(page.all()),
        COMPILE_PART: lambda: page.query.get_compiler(connection=connection).as_sql(),
        "serialise (PublicProfileOutput)": lambda: (
            PublicProfileOutput(rows, many=True, context=context).data
        ),
        "render (JSONRenderer)": lambda: JSONRenderer().render(data),
    }


# --- the parent: prepare each size, measure it in a child, print the table ---------------


def _fmt_n(n: int) -> str:
    return f"{n:,}"


def _growth(values: list[float]) -> str:
    if len(values) < 2 or not values[0]:
        return ""
    return f"{(values[-1] - values[0]) / values[0]:+.0%}"


def report(sizes: list[int], results: dict, runs: int, pg_version: str) -> None:
    cols = [results[n] for n in sizes]
    width = 12
    head = f"{'':42}" + "".join(f"{_fmt_n(n):>{width}}" for n in sizes)
    head += f"{'change':>9}  target"
    rule = "-" * len(head)

    def row(label, values, *, fmt="{:.2f}", growth=True, target=""):
        cells = "".join(
            f"{fmt.format(v) if isinstance(v, int | float) else v:>{width}}" for v in values
        )
        change = _growth(values) if growth else ""
        print(f"{label:42}{cells}{change:>9}  {target}")

    print(
        f"Directory benchmark: GET ?{QUERY} as an anonymous visitor; PostgreSQL {pg_version}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"Medians of {runs} runs after warm-up; ms are server time in-process (no network).")
    print(rule)
    print(head)
    print(rule)
    row("seed_demo --members N (s)", [c["seed_s"] for c in cols], fmt="{:.1f}", growth=False)
    row("profiles in the table", [_fmt_n(c["profiles"]) for c in cols], growth=False)
    row("profiles the visitor can list", [_fmt_n(c["matching"]) for c in cols], growth=False)
    for kind, label in (("api", "API"), ("page", "HTML page")):
        row(
            f"SQL queries, {label}, page_size 10/50/100",
            ["/".join(str(c["queries"][f"{kind}_{s}"]) for s in PAGE_SIZES) for c in cols],
            growth=False,
            target=f"<= {TARGET_QUERIES} each",
        )
    timed = f"page_size {TIMED_PAGE_SIZE}"
    row(f"API first page, ms ({timed})", [c["ms"]["api_first"] for c in cols])
    row(f"API deep page ({DEEP_SHARE:.0%} in), ms", [c["ms"]["api_deep"] for c in cols])
    same_depth = len({c["followed"] for c in cols}) == 1
    row(
        "API page after following next N times, ms",
        [c["ms"]["api_followed"] for c in cols],
        growth=same_depth,  # else one listing ended early: not the same page
    )
    row(
        "  N pages followed / rows on that page",
        [f"{c['followed']} / {c['rows_api_followed']}" for c in cols],
        growth=False,
    )
    row(
        "API deep / first page",
        [c["ms"]["api_deep"] / c["ms"]["api_first"] for c in cols],
        fmt="{:.2f}x",
        growth=False,
        target="about 1x",
    )
    row("bare SQL, first page, ms", [c["sql_ms"]["api_first"] for c in cols], fmt="{:.3f}")
    row("bare SQL, deep page, ms", [c["sql_ms"]["api_deep"] for c in cols], fmt="{:.3f}")
    for name, label in (("api_first", "first"), ("api_deep", "deep")):
        row(
            f"API / bare SQL, {label} page",
            [c["ms"][name] / c["sql_ms"][name] for c in cols],
            fmt="{:.1f}x",
            growth=False,
            target="(old 3x target, retired)",
        )
    row(f"HTML page first page, ms ({timed})", [c["ms"]["page_first"] for c in cols])
    row("HTML page deep page, ms", [c["ms"]["page_deep"] for c in cols])
    for name, label in (("first", "first"), ("deep", "deep")):
        row(
            f"HTML / API, {label} page",
            [c["ms"][f"page_{name}"] / c["ms"][f"api_{name}"] for c in cols],
            fmt="{:.2f}x",
            growth=False,
            target="<= 2x",
        )
    print(rule)
    print("Served from the public cache (anonymous; bare SQL timed again in the same turns):")
    for name, label in (
        ("api_first", "API first page"),
        ("api_deep", "API deep page"),
        ("page_first", "HTML first page"),
        ("page_deep", "HTML deep page"),
    ):
        row(f"  cached {label}, ms", [c["cached_ms"][f"cached_{name}"] for c in cols])
        sql = "api_first" if name.endswith("first") else "api_deep"
        row(
            "    / bare SQL of its rows",
            [c["cached_ms"][f"cached_{name}"] / c["cached_sql_ms"][sql] for c in cols],
            fmt="{:.2f}x",
            growth=False,
            target="<= 1.0x",
        )
    print(rule)
    print(
        "What a Django user would write: ModelViewSet + ModelSerializer + "
        "PageNumberPagination\n(COUNT and OFFSET), the same rows, "
        f"page 1 and the page {DEEP_SHARE:.0%} of the way in:"
    )
    row(
        "  rows on its first / deep page",
        [f"{c['rows_baseline_first']} / {c['rows_baseline_deep']}" for c in cols],
        growth=False,
    )
    row("  ModelViewSet first page, ms", [c["ms"]["baseline_first"] for c in cols])
    row("  ModelViewSet deep page, ms", [c["ms"]["baseline_deep"] for c in cols])
    for name in ("first", "deep"):
        row(
            f"  ModelViewSet / BestQM API, {name}",
            [c["ms"][f"baseline_{name}"] / c["ms"][f"api_{name}"] for c in cols],
            fmt="{:.2f}x",
            growth=False,
        )
        row(
            f"  ModelViewSet / BestQM HTML, {name}",
            [c["ms"][f"baseline_{name}"] / c["ms"][f"page_{name}"] for c in cols],
            fmt="{:.2f}x",
            growth=False,
        )
        row(
            f"  ModelViewSet / BestQM API cached, {name}",
            [c["ms"][f"baseline_{name}"] / c["cached_ms"][f"cached_api_{name}"] for c in cols],
            fmt="{:.1f}x",
            growth=False,
        )
    print(rule)
    print(
        "For scale: the same query (made by the ORM) and rows, serialised the same way, "
        "without\ndjango-filter, cursor pagination or DRF's generic view:"
    )
    for name, (_, label) in FLOORS.items():
        row(f"  {label}", [c["ms"][name] for c in cols])
        row(
            "    / bare SQL, first page",
            [c["ms"][name] / c["sql_ms"]["api_first"] for c in cols],
            fmt="{:.1f}x",
            growth=False,
        )
    row("  DRF view with no query, empty page, ms", [c["ms"][EMPTY] for c in cols])
    row(
        "    / bare SQL, first page",
        [c["ms"][EMPTY] / c["sql_ms"]["api_first"] for c in cols],
        fmt="{:.1f}x",
        growth=False,
    )
    print(rule)
    print(f"Where the API's first page goes, ms ({timed}; each step on its own):")
    for part in cols[0]["parts_ms"]:
        row(f"  {part}", [c["parts_ms"][part] for c in cols])
    row(
        "  the rest (middleware, DRF, pagination)",
        [
            c["ms"]["api_first"] - sum(v for k, v in c["parts_ms"].items() if k != COMPILE_PART)
            for c in cols
        ],
    )
    print(rule)
    if len(sizes) > 1:
        print(
            f"change = {_fmt_n(sizes[-1])} against {_fmt_n(sizes[0])} "
            f"(target: under {TARGET_GROWTH:.0%} for the timings)"
        )
    for n in sizes:
        for name, plan in sorted(results[n].get("plans", {}).items()):
            if name.endswith("_sql"):
                continue
            print(f"\n-- N={_fmt_n(n)} {name}: {results[n]['plans'][name + '_sql']}\n{plan}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000", help="comma-separated member counts")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--db-prefix", default="bestqm_bench_directory")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    parser.add_argument(
        "--reuse", action="store_true", help="measure databases seeded earlier (with --keep)"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child: DATABASE_URL is set by the parent
        print(json.dumps(measure(args.runs, args.explain)))
        return

    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    results = {}
    pg_version = _sql("SHOW server_version")[0][0].split()[0]
    for n in sizes:
        db = f"{args.db_prefix}_{n}"
        if args.reuse:
            _sql("VACUUM (ANALYZE) accounts_user, accounts_publicprofile", db)
            count = _sql("SELECT count(*) FROM accounts_publicprofile", db)[0][0]
            prepared = {"seed_s": float("nan"), "profiles": count}
        else:
            print(f"[{n:,}] creating, migrating and seeding {db} ...", file=sys.stderr)
            prepared = prepare(db, n)
        print(f"[{n:,}] measuring ...", file=sys.stderr, flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", "--runs", str(args.runs)]
            + (["--explain"] if args.explain else []),
            env=_child_env(db),
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if child.returncode:
            sys.exit(f"measuring {db} failed:\n{child.stderr}")
        results[n] = {**prepared, **json.loads(child.stdout.strip().splitlines()[-1])}
        if not (args.keep or args.reuse):
            drop(db)
    report(sizes, results, args.runs, pg_version)


if __name__ == "__main__":
    main()
