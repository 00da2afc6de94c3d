"""Settings are read in a fresh process each time, the way a deployment starts."""

import os
import re
import subprocess
import sys

from django.conf import settings

PRINT = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.EMAIL_DELIVERY_BACKEND, "
    "s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
)
GOOD_KEY = "k" * 20 + "-a-long-random-production-secret-value-1234567890"


def run(args, **env):
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_environment_at_all_runs_the_embedded_default():
    result = run(["manage.py", "shell", "--no-imports", "-c", PRINT])

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",  # tasks run inline
        "True",  # manage.py is the developer's entry point
    ]


def test_database_url_selects_postgresql_and_redis_url_the_redis_cache():
    result = run(
        ["manage.py", "shell", "--no-imports", "-c", PRINT],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/bestqm",
        REDIS_URL="redis://127.0.0.1:6379/1",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr
    engine, _, cache, eager, _ = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert cache == "django_redis.cache.RedisCache"
    assert eager == "False"


# A Fernet key made for these tests only.
CARD_KEY = "3q2-7wEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def test_production_entry_point_refuses_the_development_key():
    result = run(["-c", "import bestqm.wsgi"], ALLOWED_HOSTS="bestqm.example")

    assert result.returncode != 0
    assert "Refusing to start with DEBUG off" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_production_entry_point_refuses_without_allowed_hosts():
    result = run(["-c", "import bestqm.wsgi"], SECRET_KEY=GOOD_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr
    assert GOOD_KEY not in result.stderr  # the message never echoes the secret


def test_manage_py_with_debug_off_refuses_too():
    result = run(["manage.py", "check"], DEBUG="false")
    assert result.returncode != 0
    assert "Refusing to start with DEBUG off" in result.stderr


def test_production_refuses_without_a_card_encryption_key():
    result = run(["-c", "import bestqm.wsgi"], SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="bestqm.example")
    assert result.returncode != 0
    assert "CARD_ENCRYPTION_KEYS must hold at least one Fernet key" in result.stderr


def test_production_starts_with_a_real_key_and_hosts():
    result = run(
        ["-c", "import bestqm.wsgi; print('started')"],
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="bestqm.example",
        CARD_ENCRYPTION_KEYS=CARD_KEY,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_session_cookie_is_secure_outside_debug():
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    result = run(
        [
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='bestqm.settings'; "
            f"django.setup(); {code}",
        ],
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="bestqm.example",
        CARD_ENCRYPTION_KEYS=CARD_KEY,
    )
    assert result.stdout.split() == ["True", "True"]


# Every module that reads the environment: the settings, gunicorn's configuration and the
# logging configuration (bestqm.logging.config), when it reads any.
SETTINGS_SOURCES = ("bestqm/settings.py", "gunicorn.conf.py", "bestqm/logging/config.py")


def variables_the_settings_read() -> set[str]:
    source = "".join(
        path.read_text()
        for path in (settings.BASE_DIR / name for name in SETTINGS_SOURCES)
        if path.exists()
    )
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))
    read |= set(re.findall(r'"([A-Z_]+)" in env', source))
    read |= set(re.findall(r'\bos\.(?:environ\.get\(|getenv\(|environ\[)\s*"([A-Z_]+)"', source))
    return read


def test_env_example_lists_every_variable_the_settings_read():
    """The settings and gunicorn's configuration read nothing .env.example leaves out."""
    read = variables_the_settings_read()
    listed = set(re.findall(r"^([A-Z_]+)=", (settings.BASE_DIR / ".env.example").read_text(), re.M))
    assert read, "the pattern found the settings' variables"
    assert read == listed


def test_operations_doc_tables_every_variable_the_settings_read():
    """docs/operations.md has a table row for every variable the settings read, and none
    for a variable they do not: the name in backticks in the row's first cell."""
    table_names = set()
    for line in (settings.BASE_DIR / "docs" / "operations.md").read_text().splitlines():
        if line.lstrip().startswith("|"):
            first_cell = line.strip().strip("|").split("|")[0]
            table_names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    read = variables_the_settings_read()
    assert table_names, "the pattern found the documented variables"
    assert table_names == read, {
        "read but not documented": sorted(read - table_names),
        "documented but not read": sorted(table_names - read),
    }


def _manage_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "manage_under_test", settings.BASE_DIR / "manage.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_env_file_saying_debug_false_wins_over_manage_pys_default(tmp_path):
    manage = _manage_module()
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=x\nDEBUG=false\n")

    environ = {}
    manage.development_defaults(environ, env_file)
    assert "DEBUG" not in environ  # left to the settings, which read the file: off

    real = {"DEBUG": "true"}
    manage.development_defaults(real, env_file)
    assert real["DEBUG"] == "true"  # the real environment wins over the file

    without = {}
    manage.development_defaults(without, tmp_path / "missing.env")
    assert without["DEBUG"] == "true"  # nothing says otherwise: the developer's default


def _deploy_check(**env):
    return run(
        ["manage.py", "check", "--deploy"],
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="bestqm.example",
        CARD_ENCRYPTION_KEYS=CARD_KEY,
        **env,
    )


def test_check_deploy_fails_without_a_real_mail_transport():
    """Without EMAIL_URL the console backend would print reset links to the log."""
    without = _deploy_check()
    assert without.returncode != 0
    assert "accounts.E001" in without.stderr

    with_mail = _deploy_check(EMAIL_URL="smtp+tls://bestqm:secret@mail.example:587")
    assert "accounts.E001" not in with_mail.stderr + with_mail.stdout
