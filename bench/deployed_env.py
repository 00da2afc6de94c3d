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


def admin_sql(statement: str, dbname: str = "postgres"):
    """Run one statement on the local server as postgres, outside any transaction
    (CREATE/DROP DATABASE, VACUUM); returns its rows, if it has any."""
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=dbname)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()
