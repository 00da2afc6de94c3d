"""Run the project the way a deployment starts it: a fresh process, DEBUG off, a real
environment and nothing else (no pytest in the process, so no test-only defaults)."""

import os
import socket
import subprocess
import sys

from django.conf import settings

# Made for these tests only; never used anywhere else.
SECRET_KEY = "prod-like-" + "x7Gq2LmN9pRt4VwZ" * 4
CARD_KEY = "3q2-7wEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
# A port nothing listens on: a backing service there is down.
DEAD_PORT = 1


def production_env(**overrides) -> dict:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "bestqm.example,testserver,127.0.0.1",
        "CARD_ENCRYPTION_KEYS": CARD_KEY,
        # Never the checkout's own db.sqlite3; tests that need tables name a file.
        "DATABASE_URL": "sqlite://:memory:",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args, *, timeout=120, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
