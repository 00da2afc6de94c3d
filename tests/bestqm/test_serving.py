"""Serving in production: collectstatic and WhiteNoise, gunicorn with its configuration,
Redis behind the cache and the API throttles, and the health check's report of each
backing service, up and down.

Redis is the one on 127.0.0.1:6379 that the development machines and CI run
(BESTQM_TEST_REDIS_URL names another); these tests use their own key prefix and delete
only their own keys.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.bestqm.production import DEAD_PORT, free_port, production_env, run

REDIS_URL = os.environ.get("BESTQM_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
HEALTH = (
    "from django.test import Client; r = Client().get('/healthz'); "
    "print(r.status_code, r.content.decode())"
)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """`manage.py collectstatic` as a deployment runs it: DEBUG off, hashed and compressed."""
    root = tmp_path_factory.mktemp("static")
    result = run(["manage.py", "collectstatic", "--noinput"], STATIC_ROOT=str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_hashes_and_compresses_every_file(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]

    hashed = manifest["css/bestqm.css"]
    assert re.fullmatch(r"css/bestqm\.[0-9a-f]{12}\.css", hashed)
    assert (static_root / hashed).exists()
    assert (static_root / f"{hashed}.gz").exists()  # WhiteNoise serves it pre-compressed
    assert "admin/css/base.css" in manifest
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in manifest


def test_pages_link_the_hashed_files_and_whitenoise_serves_them_for_a_year(static_root):
    code = (
        "from django.templatetags.static import static; from django.test import Client; "
        "url = static('css/bestqm.css'); "
        "r = Client().get(url, headers={'Accept-Encoding': 'gzip'}, secure=True); "
        "print(url, r.status_code, r['Cache-Control'], r.get('Content-Encoding'), sep='|')"
    )
    result = run(["manage.py", "shell", "--no-imports", "-c", code], STATIC_ROOT=str(static_root))

    assert result.returncode == 0, result.stderr
    url, status, cache_control, encoding = result.stdout.strip().split("|")
    assert re.fullmatch(r"/static/css/bestqm\.[0-9a-f]{12}\.css", url)
    assert status == "200"
    assert "max-age=315360000" in cache_control and "immutable" in cache_control
    assert encoding == "gzip"


@pytest.fixture
def gunicorn(static_root, tmp_path):
    """gunicorn started with gunicorn.conf.py and a production environment; yields its
    base URL and `stop()`, which stops it and answers what it logged (stdout, stderr)."""
    port = free_port()
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    migrated = run(["manage.py", "migrate", "--noinput"], DATABASE_URL=database)
    assert migrated.returncode == 0, migrated.stderr
    env = production_env(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        STATIC_ROOT=str(static_root),
        DATABASE_URL=database,
    )
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"

    def stop():
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        return out.read_text(), err.read_text()

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - local
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, err.read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer in 30 s"
                time.sleep(0.2)
        yield base, stop
    finally:
        stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url, headers=None):
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - local
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_site_static_files_and_an_access_log_without_addresses(gunicorn):
    base, stop = gunicorn
    behind_tls = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front says

    health = _get(f"{base}/healthz?probe=lb-7f3a9c")
    page = _get(f"{base}/privacy/?q=someone-searched-this", behind_tls)
    plain = _get(f"{base}/privacy/")
    hashed_css = re.search(rb'href="(/static/css/bestqm\.[0-9a-f]{12}\.css)"', page[2]).group(1)
    css = _get(base + hashed_css.decode(), behind_tls)

    assert health[0] == 200 and json.loads(health[2])["database"] == "ok"
    assert page[0] == 200, page[2][:500]
    assert plain[0] == 301
    assert plain[1]["Location"] == base.replace("http:", "https:") + "/privacy/"
    assert css[0] == 200 and "immutable" in css[1]["Cache-Control"]
    for name in ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options"):
        assert name in page[1]

    access, error = stop()
    assert '"GET /healthz" 200' in access
    assert '"GET /privacy/" 200' in access and '"GET /privacy/" 301' in access
    assert "probe=" not in access and "someone-searched-this" not in access  # no query
    assert "127.0.0.1" not in access  # no client address
    assert "Booting worker" in error and "Traceback" not in error


@pytest.mark.django_db
def test_api_throttles_count_in_redis_when_it_is_the_cache(settings, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    prefix = f"bestqm-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    # DRF copies the rates when it is first imported (see tests/api/test_schema_fuzz.py);
    # on the class the API uses, which another test may have given rates of its own.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    redis = cache.client.get_client()
    try:
        statuses = [APIClient().get("/api/v1/directory/").status_code for _ in range(4)]
        counters = [key.decode() for key in redis.scan_iter(f"{prefix}:*")]
    finally:
        for key in redis.scan_iter(f"{prefix}:*"):
            redis.delete(key)

    assert statuses == [200, 200, 200, 429]
    assert any("throttle_anon_" in key for key in counters), counters


def test_health_check_reports_each_backing_service_up_and_down():
    """One process per state, started as a deployment starts: the database, the cache and
    the broker each up, then each down. A failure is named, never explained: no host, no
    port, no exception text."""
    redis_down = f"redis://127.0.0.1:{DEAD_PORT}/0"
    states = {
        "all up": {"REDIS_URL": REDIS_URL, "CELERY_BROKER_URL": REDIS_URL},
        "inline": {},
        "broker down": {"CELERY_BROKER_URL": redis_down},
        "cache down": {"REDIS_URL": redis_down},
        "database down": {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{DEAD_PORT}/bestqm"},
    }
    answers = {}
    for state, env in states.items():
        result = run(["manage.py", "shell", "--no-imports", "-c", HEALTH], **env)
        assert result.returncode == 0, result.stderr
        status, body = result.stdout.strip().split(" ", 1)
        answers[state] = (int(status), json.loads(body))
        assert str(DEAD_PORT) not in body and "127.0.0.1" not in body and "Error" not in body

    up = {"database": "ok", "cache": "ok"}
    assert answers["all up"] == (200, {"status": "ok", **up, "broker": "ok"})
    assert answers["inline"] == (200, {"status": "ok", **up, "broker": "inline"})
    assert answers["broker down"] == (503, {"status": "degraded", **up, "broker": "unavailable"})
    assert answers["cache down"] == (
        503,
        {"status": "degraded", "database": "ok", "cache": "unavailable", "broker": "inline"},
    )
    assert answers["database down"] == (
        503,
        {"status": "degraded", "database": "unavailable", "cache": "ok", "broker": "inline"},
    )
