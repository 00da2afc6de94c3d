"""How fast `seed_demo` fills a fresh PostgreSQL database. Prints figures; asserts nothing.

    .venv/bin/python bench/seed_demo.py [--members 100000] [--db bestqm_bench]

Uses the PostgreSQL server on 127.0.0.1:5432 (user postgres); the scratch database is
dropped and created anew.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--db", default="bestqm_bench")
    args = parser.parse_args()

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{args.db}"')
        cur.execute(f'CREATE DATABASE "{args.db}"')
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.db}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)

    started = time.perf_counter()
    subprocess.run(
        [*manage, "seed_demo", "--members", str(args.members), "--quiet"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started

    with psycopg2.connect(env["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM accounts_user")
        rows = cur.fetchone()[0]
    print(
        f"seed_demo --members {args.members}: {rows} accounts in {elapsed:.1f} s "
        f"({rows / elapsed:,.0f} accounts/s) on PostgreSQL"
    )


if __name__ == "__main__":
    main()
