"""Load test with a fault: gunicorn on PostgreSQL and Redis under a load generator, then
PostgreSQL restarted in the middle of a run. Prints figures; asserts nothing.

    .venv/bin/python bench/load_test.py [--duration 60] [--users 16] [--members 5000]
        [--fault-duration 40] [--restart-at 15] [--workers N] [--no-fault]
        [--database-url postgres://... --pg-restart-cmd "systemctl restart postgresql"]

What it sets up, all of it thrown away at the end:

  - a private PostgreSQL cluster (initdb + pg_ctl from /usr/lib/postgresql/<v>/bin, data
    under /tmp, port --pg-port 5439, run as the `postgres` OS user when started as root),
    so that restarting it touches no one else's server. `--database-url` uses a server of
    yours instead (the bench creates and drops a database `bestqm_load` there), and
    `--pg-restart-cmd` is then how to restart it for the fault;
  - `migrate`, `seed_demo --members N`, `collectstatic`;
  - gunicorn with the project's own gunicorn.conf.py (workers and bind set through its
    GUNICORN_* variables, one thread per worker, its access log off so that only the
    figures print) and production settings: DEBUG off, DB_CONN_MAX_AGE 60 with
    CONN_HEALTH_CHECKS, Redis for cache and throttling, a Celery broker on Redis and one
    worker (page views are written through it), behind a pretend TLS proxy
    (X-Forwarded-Proto, X-Forwarded-For, TRUSTED_PROXY_COUNT=1);
  - Locust (library mode, FastHttpUser, no wait between requests) with --users visitors,
    each from its own address so the API's per-address throttle applies as in production
    (API_ANON_RATE is raised to 50/second per address so it never answers 429 here): the
    directory API (half the requests), a public profile page and the sign-in page.

Run 1 drives the service for --duration seconds: requests per second, p50 and p99 and the
errors, per endpoint. Run 2 drives it for --fault-duration seconds and restarts PostgreSQL
(`pg_ctl restart -m fast`) --restart-at seconds in: how long PostgreSQL was away, the
errors while it was, in the 5 seconds after it was back and afterwards, and when the last
error was answered. Figures are per request end time. An error is any answer that is not
2xx, or no answer within 10 s.
"""

import argparse
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from pathlib import Path

from deployed_env import admin_sql

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
API = "/api/v1/directory/"
SIGN_IN = "/accounts/login/"
RECOVERY_TARGET_S = 5.0
REQUEST_TIMEOUT_S = 10.0
SEED = 2026


# --- processes ----------------------------------------------------------------------------


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _stop(process: subprocess.Popen | None, *, grace: float = 20) -> None:
    """The whole process group (gunicorn's or Celery's main process and its children)."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateCluster:
    """A PostgreSQL cluster of the bench's own, so that its restart disturbs no one."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="bestqm-load-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgresql.log"

    def _pg_ctl(self, *args: str) -> list[str]:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        return _as_postgres([*pg_ctl, "-o", options, *args])

    def start(self) -> None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                sys.exit(f"port {self.port} is taken; choose another with --pg-port")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
        subprocess.run(
            _as_postgres([*initdb, "--no-sync", "-E", "UTF8"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(self._pg_ctl("-w", "start"), check=True, stdout=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/bestqm_load"

    @property
    def restart_command(self) -> list[str]:
        return self._pg_ctl("-w", "-m", "fast", "restart")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                self._pg_ctl("-w", "-m", "immediate", "stop"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(self.dir, ignore_errors=True)


def _sql(url: str, statement: str, dbname: str):
    """One statement in `dbname` on the server `url` names (a private cluster)."""
    return admin_sql(statement, dbname, server=url)


def _environment(database_url: str, redis_url: str, queue: str, tmp: Path) -> dict:
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bestqm.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CARD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PRIVATE_FILES_ROOT": str(tmp / "private"),
        "TRUSTED_PROXY_COUNT": "1",
        # Behind a proxy that ends TLS: the requests say they came over https.
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        "API_ANON_RATE": "50/second",
        "LOG_LEVEL": "WARNING",
    }


def prepare_database(database_url: str, members: int, env: dict) -> list[str]:
    """Migrated and seeded; returns usernames whose profile every visitor may see."""
    _sql(database_url, 'DROP DATABASE IF EXISTS "bestqm_load"', "postgres")
    _sql(database_url, 'CREATE DATABASE "bestqm_load"', "postgres")
    manage = [sys.executable, str(ROOT / "manage.py")]
    quiet = {"stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run(
        [
            *manage,
            "seed_demo",
            "--members",
            str(members),
            "--seed",
            str(SEED),
            "--quiet",
        ],
        # seed_demo runs only with DEBUG on (its accounts have a published password): it
        # fills the bench's own scratch database; the server runs as deployed.
        env={**env, "DEBUG": "true"},
        check=True,
        **quiet,
    )
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    _sql(database_url, "VACUUM (ANALYZE)", "bestqm_load")
    rows = _sql(
        database_url,
        "SELECT p.username FROM accounts_publicprofile p JOIN accounts_user u "
        "ON u.id = p.member_id WHERE p.listed_in_directory AND u.is_active "
        "ORDER BY p.username LIMIT 500",
        "bestqm_load",
    )
    return [row[0] for row in rows]


def start_service(env: dict, workers: int, port: int, tmp: Path):
    # The service's own log (Django's tracebacks of the 500s during the fault) goes to
    # files, not between the figures.
    output = {"stdout": (tmp / "service.out").open("wb"), "stderr": subprocess.STDOUT}
    gunicorn = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "bestqm.wsgi:application"),
            *("--config", str(ROOT / "gunicorn.conf.py")),
            *("--error-logfile", str(tmp / "gunicorn.log"), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": "1",
            "GUNICORN_ACCESS_LOG": "false",
        },
        start_new_session=True,
        **output,
    )
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "bestqm", "worker", "--concurrency", "1"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--loglevel", "WARNING", "--logfile", str(tmp / "celery.log")),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        **output,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{SIGN_IN}", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return gunicorn, worker
        except OSError:
            time.sleep(0.5)
    _stop(gunicorn)
    _stop(worker)
    sys.exit(f"gunicorn did not answer in 60 s; see {tmp / 'gunicorn.log'}")


# --- the load generator (a child process: Locust monkey-patches with gevent) -------------


def drive(host: str, duration: float, users: int, usernames: list[str], out: Path) -> None:
    import gevent
    from locust import FastHttpUser, constant, events, task
    from locust.env import Environment

    records: list[tuple] = []

    class Visitor(FastHttpUser):
        wait_time = constant(0)
        network_timeout = REQUEST_TIMEOUT_S
        connection_timeout = REQUEST_TIMEOUT_S

        def on_start(self):
            octets = (secrets.randbelow(256), secrets.randbelow(256), 1 + secrets.randbelow(254))
            address = "10.{}.{}.{}".format(*octets)
            self.headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}

        @task(2)
        def directory_api(self):
            self.client.get(API, headers=self.headers, name="directory API")

        @task(1)
        def profile_page(self):
            username = secrets.choice(usernames)
            self.client.get(f"/directory/{username}/", headers=self.headers, name="profile page")

        @task(1)
        def sign_in_page(self):
            self.client.get(SIGN_IN, headers=self.headers, name="sign-in page")

    def record(request_type, name, response_time, response, exception, start_time, **_):
        status = getattr(response, "status_code", 0) or 0
        failed = exception is not None or not 200 <= status < 300
        records.append((name, start_time, start_time + response_time / 1000, status, failed))

    events.request.add_listener(record)
    environment = Environment(user_classes=[Visitor], host=host, events=events)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(duration, runner.quit)
    runner.greenlet.join()
    out.write_text(json.dumps(records))


def run_load(host, duration, users, usernames, tmp: Path, label: str) -> subprocess.Popen:
    names = tmp / "usernames.json"
    names.write_text(json.dumps(usernames))
    command = [sys.executable, __file__, "--drive", str(tmp / f"{label}.json")]
    command += ["--host", host, "--duration", str(duration), "--users", str(users)]
    command += ["--usernames", str(names)]
    return subprocess.Popen(command, cwd=ROOT)


def load_records(tmp: Path, label: str) -> list[tuple]:
    return [tuple(r) for r in json.loads((tmp / f"{label}.json").read_text())]


# --- figures ------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def print_table(records: list[tuple], seconds: float) -> None:
    by_name = defaultdict(list)
    for record in records:
        by_name[record[0]].append(record)
    print(f"  {'endpoint':<14} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} errors")
    for name in [*sorted(by_name), "all"]:
        rows = records if name == "all" else by_name[name]
        times = [(end - start) * 1000 for _, start, end, _, _ in rows]
        errors = Counter(status for *_, status, failed in rows if failed)
        shown = ", ".join(f"{count} x {status or 'no answer'}" for status, count in errors.items())
        print(
            f"  {name:<14} {len(rows):>9} {len(rows) / seconds:>8.1f} "
            f"{_percentile(times, 0.5):>8.1f} {_percentile(times, 0.99):>8.1f} "
            f"{sum(errors.values())} {f'({shown})' if shown else ''}"
        )


def print_fault(records: list[tuple], began: float, back: float) -> None:
    errors = [r for r in records if r[4]]
    before = [r for r in errors if r[2] < began]
    during = [r for r in errors if began <= r[2] < back]
    settling = [r for r in errors if back <= r[2] < back + RECOVERY_TARGET_S]
    after = [r for r in errors if r[2] >= back + RECOVERY_TARGET_S]
    answered_after = [r for r in records if r[2] >= back + RECOVERY_TARGET_S]
    last_error = max((r[2] for r in errors if r[2] >= began), default=None)
    first_ok = min((r[2] for r in records if not r[4] and r[1] >= back), default=None)

    def line(label: str, value) -> None:
        print(f"  {label:<52} {value}")

    line("PostgreSQL restart (pg_ctl -m fast) took", f"{back - began:.2f} s")
    line("errors before the restart", len(before))
    line("errors while PostgreSQL restarted", len(during))
    line(f"errors in the {RECOVERY_TARGET_S:.0f} s after it was back", len(settling))
    line(f"errors later ({len(answered_after)} requests answered)", len(after))
    if first_ok is not None:
        line("first 2xx asked after PostgreSQL was back", f"+{first_ok - back:.2f} s")
    if last_error is None:
        line("last error after the restart began", "none")
    else:
        line(
            "last error answered",
            f"+{last_error - began:.2f} s after the restart began, "
            f"{last_error - back:+.2f} s after PostgreSQL was back",
        )
    kinds = Counter((r[0], r[3] or "no answer") for r in during + settling + after)
    for (name, status), count in sorted(kinds.items(), key=str):
        print(f"    {count:>5} x {status} on {name}")


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--fault-duration", type=float, default=40)
    parser.add_argument("--restart-at", type=float, default=15)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--pg-port", type=int, default=5439)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--database-url", help="a server of yours instead of a private one")
    parser.add_argument("--pg-restart-cmd", help="restarts the server of --database-url")
    parser.add_argument("--no-fault", action="store_true")
    # The child that runs Locust.
    parser.add_argument("--drive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--host", help=argparse.SUPPRESS)
    parser.add_argument("--usernames", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.drive:
        usernames = json.loads(args.usernames.read_text())
        drive(args.host, args.duration, args.users, usernames, args.drive)
        return
    if args.database_url and not (args.pg_restart_cmd or args.no_fault):
        parser.error("--database-url needs --pg-restart-cmd (or --no-fault)")

    tmp = Path(tempfile.mkdtemp(prefix="bestqm-load-"))
    cluster = None if args.database_url else PrivateCluster(args.pg_port)
    queue = f"bestqm-load-{uuid.uuid4().hex}"
    gunicorn = worker = None
    try:
        if cluster:
            cluster.start()
        database_url = args.database_url or cluster.url
        database_url = database_url.rsplit("/", 1)[0] + "/bestqm_load"
        restart = shlex.split(args.pg_restart_cmd) if args.pg_restart_cmd else None
        restart = restart or (cluster.restart_command if cluster else None)
        env = _environment(database_url, args.redis_url, queue, tmp)

        print(f"Preparing: {args.members} members on {database_url} ...", flush=True)
        usernames = prepare_database(database_url, args.members, env)
        port = _free_port()
        gunicorn, worker = start_service(env, args.workers, port, tmp)
        host = f"http://127.0.0.1:{port}"
        print(
            f"gunicorn: {args.workers} sync workers; Locust: {args.users} users, no wait; "
            f"{os.cpu_count()} CPUs shared with everything else on this machine"
        )

        driver = run_load(host, 5, args.users, usernames, tmp, "warm-up")
        driver.wait()

        print(f"\nRun 1: {args.duration:.0f} s of load")
        driver = run_load(host, args.duration, args.users, usernames, tmp, "steady")
        driver.wait()
        print_table(load_records(tmp, "steady"), args.duration)

        if not args.no_fault:
            print(
                f"\nRun 2: {args.fault_duration:.0f} s of load, PostgreSQL restarted "
                f"{args.restart_at:.0f} s in"
            )
            driver = run_load(host, args.fault_duration, args.users, usernames, tmp, "fault")
            time.sleep(args.restart_at + 1)  # the generator's own start-up second
            began = time.time()
            subprocess.run(restart, check=True, stdout=subprocess.DEVNULL)
            back = time.time()
            driver.wait()
            records = load_records(tmp, "fault")
            print_table(records, args.fault_duration)
            print_fault(records, began, back)
    finally:
        _stop(gunicorn)
        _stop(worker)
        try:
            import redis

            client = redis.Redis.from_url(args.redis_url)
            leftovers = list(client.scan_iter(match=f"*{queue}*"))
            if leftovers:
                client.delete(*leftovers)
        except Exception as exc:  # the figures are printed; tidying up is best effort
            print(f"(could not remove the queue {queue} from Redis: {exc})")
        if cluster:
            cluster.destroy()
        elif args.database_url:
            _sql(args.database_url, 'DROP DATABASE IF EXISTS "bestqm_load"', "postgres")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
