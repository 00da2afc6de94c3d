"""The environment of a child process measured as deployed.

DEBUG is off (no query log, production middleware), so the settings demand what a
deployment has: a real secret key, the host names, a card-encryption key of its own. The
in-process test client speaks plain HTTP where a deployment has a TLS proxy in front, so
the redirect to HTTPS is off; everything else is as production runs it, static files
included: they are collected (hashed, compressed) once per bench run, as a deployment does.
"""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
_static_root: str | None = None


def _collected_static(env: dict) -> str:
    global _static_root
    if _static_root is None:
        _static_root = tempfile.mkdtemp(prefix="bestqm-bench-static-")
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            env={**env, "STATIC_ROOT": _static_root},
            check=True,
        )
    return _static_root


def deployed_env(database_url: str, *, host: str = "testserver", **extra: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": host,
        "CARD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env["STATIC_ROOT"] = _collected_static(env)
    return env


LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432"


def admin_sql(statement: str, dbname: str = "postgres", *, server: str = LOCAL_SERVER):
    """Run one statement on a PostgreSQL server (the local one, user postgres, unless
    `server` names another by URL; its database part is ignored), in database `dbname`,
    outside any transaction (CREATE/DROP DATABASE, VACUUM); returns its rows, if any."""
    base = server.rstrip("/")
    if base.count("/") > 2:  # a URL with a database: keep the server part
        base = base.rsplit("/", 1)[0]
    conn = psycopg2.connect(f"{base}/{dbname}")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()
