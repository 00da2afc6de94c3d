"""Fault run: the service under load while its parts fail, counting every message.

    .venv/bin/python bench/fault_run.py [--duration 180] [--members 10000] [--users 6]
        [--web-workers 2] [--drain 300]

What it sets up, all of it thrown away at the end (the processes are the bench's own):

  - a private PostgreSQL cluster (bench/load_test.py's PrivateCluster: initdb + pg_ctl,
    its own port) and a private redis-server on a free port without persistence
    (`--save ''`), so stopping it loses every message it held, the harder case;
  - `migrate`, `seed_demo --members N`, an API token for 40 members;
  - gunicorn (production settings, behind a pretend TLS proxy), two Celery workers
    (concurrency 1 each) and one beat, with the outbox relay every 2 s, a 60 s visibility
    timeout and outbox lease (so a killed worker's job comes back within the run), and
    e-mail written to files;
  - a load generator (threads with requests): visitors reading the directory API, a
    public profile page and the sign-in page; members asking for exports and opening
    tickets through the API; at 15 s an announcement to every member.

The faults, by seconds into the run: Redis stopped at 30 and started again (empty) at 60;
PostgreSQL restarted (`pg_ctl restart -m fast`) at 90; one Celery worker SIGKILLed (main
process and its pool child) at 130, and started again 10 s later, as a supervisor would.

It prints, per phase (by request end time): requests, 2xx, 503, 500 and other errors
(any other status, or no answer within 10 s); then, after the load, once the background
work has drained (or --drain seconds passed): jobs and e-mails requested against done,
exports asked for against completed, announcement deliveries, e-mails written, and page
views served against recorded plus the dropped count. Asserts nothing.
"""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_test import (  # noqa: E402
    PrivateCluster,
    _environment,
    _free_port,
    _sql,
    _stop,
)

REQUEST_TIMEOUT_S = 10.0
DB = "bestqm_load"
TOKENS = 40
REDIS_DOWN = (30, 60)
PG_RESTART_AT = 90
KILL_WORKER_AT = 130
WORKER_BACK_AFTER = 10
ANNOUNCE_AT = 15


class PrivateRedis:
    def __init__(self, tmp: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp = tmp
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.tmp)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if self.cli("PING") == "PONG":
                return
            time.sleep(0.1)
        sys.exit("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args],  # noqa: S607 - the Debian package's
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()


def _manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, **kwargs
    )


SHELL_TOKENS = f"""
import json
from knox.models import AuthToken
from accounts.models import User
users = User.objects.filter(is_active=True, is_staff=False).order_by("pk")[:{TOKENS}]
print(json.dumps([AuthToken.objects.create(user=u)[1] for u in users]))
"""

SHELL_USERNAMES = """
import json
from accounts.models import PublicProfile
names = PublicProfile.objects.filter(listed_in_directory=True).values_list("username", flat=True)
print(json.dumps(list(names[:500])))
"""

SHELL_ANNOUNCE = """
from accounts.models import User
from privacy.audit.services import Actor
from support.announcements.services import announcement_draft_save, announcement_send
from support.models import Announcement
staff = User.objects.get(login_name="admin")
draft = Announcement(kind="service", subject="Planned maintenance", body="We will be brief.")
draft = announcement_draft_save(announcement=draft, actor=Actor(user=staff))
announcement_send(announcement=draft, actor=Actor(user=staff), base_url="https://bestqm.example")
print(draft.pk)
"""


def _shell(env: dict, code: str) -> str:
    return _manage(env, "shell", "-c", code, capture_output=True, text=True).stdout.strip()


def start_celery(env: dict, tmp: Path, name: str, *command: str) -> subprocess.Popen:
    log = (tmp / f"{name}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "bestqm", *command],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_worker(env, tmp, name):
    return start_celery(
        env,
        tmp,
        name,
        *("worker", "--hostname", f"{name}@%h", "--concurrency", "1"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"),
    )


def start_gunicorn(env: dict, tmp: Path, port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
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
        stdout=(tmp / "service.out").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


# --- load ---------------------------------------------------------------------------------


class Load:
    def __init__(self, base: str, usernames: list[str], tokens: list[str]):
        self.base = base
        self.usernames = usernames
        self.tokens = tokens
        self.records: list[tuple] = []  # (name, end time, status)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def _request(self, session, name, method, path, **kwargs) -> int:
        try:
            response = session.request(
                method, self.base + path, timeout=REQUEST_TIMEOUT_S, allow_redirects=False, **kwargs
            )
            status = response.status_code
        except Exception:
            status = 0
        with self.lock:
            self.records.append((name, time.monotonic(), status))
        return status

    def visitor(self, seed: int) -> None:
        import requests

        rng = random.Random(seed)  # noqa: S311 - a load pattern, not a secret
        session = requests.Session()
        session.headers.update(
            {"X-Forwarded-For": f"10.9.{seed}.{1 + seed}", "X-Forwarded-Proto": "https"}
        )
        while not self.stop.is_set():
            roll = rng.random()
            if roll < 0.5:
                self._request(session, "directory API", "GET", "/api/v1/directory/")
            elif roll < 0.75:
                username = rng.choice(self.usernames)
                self._request(session, "profile page", "GET", f"/directory/{username}/")
            else:
                self._request(session, "sign-in page", "GET", "/accounts/login/")

    def member(self, seed: int) -> None:
        import requests

        rng = random.Random(seed)  # noqa: S311 - a load pattern, not a secret
        session = requests.Session()
        session.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.8.0.1"})
        while not self.stop.wait(1.5):
            token = rng.choice(self.tokens)
            auth = {"Authorization": f"Token {token}"}
            if rng.random() < 0.5:
                self._request(
                    session,
                    "export request",
                    "POST",
                    "/api/v1/me/data-requests/",
                    json={"kind": "export"},
                    headers=auth,
                )
            else:
                self._request(
                    session,
                    "ticket open",
                    "POST",
                    "/api/v1/me/tickets/",
                    json={"subject": "My licence", "body": "It says expired."},
                    headers=auth,
                )


PHASES = [
    ("steady", 0, REDIS_DOWN[0]),
    ("Redis stopped", REDIS_DOWN[0], REDIS_DOWN[1]),
    ("after Redis", REDIS_DOWN[1], PG_RESTART_AT),
    ("PostgreSQL restart", PG_RESTART_AT, PG_RESTART_AT + 15),
    ("after PostgreSQL", PG_RESTART_AT + 15, KILL_WORKER_AT),
    ("worker killed", KILL_WORKER_AT, KILL_WORKER_AT + 20),
    ("last", KILL_WORKER_AT + 20, 10**6),
]


def print_phases(records, t0: float, scale: float = 1.0) -> None:
    print(
        f"{'phase':<20}{'window s':>12}{'requests':>10}{'2xx':>8}{'503':>6}{'500':>6}{'other':>7}"
    )
    for name, start, end in PHASES:
        window = [r for r in records if start * scale <= r[1] - t0 < end * scale]
        statuses = Counter(r[2] for r in window)
        ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
        other = len(window) - ok - statuses[503] - statuses[500]
        label = f"{start}-{min(end, 999)}"
        print(
            f"{name:<20}{label:>12}{len(window):>10}{ok:>8}{statuses[503]:>6}"
            f"{statuses[500]:>6}{other:>7}"
        )
    others = Counter((r[0], r[2]) for r in records if not (200 <= r[2] < 300 or r[2] in (500, 503)))
    if others:
        print("other answers by request and status (0 = no answer in 10 s):")
        for (kind, status), n in sorted(others.items()):
            print(f"  {kind}: {status} x {n}")


def _count(rows) -> dict:
    return {key: n for key, n in rows}


def report_work(url: str, redis: PrivateRedis, mail_dir: Path, records) -> None:
    q = lambda sql: _sql(url, sql, DB)  # noqa: E731
    outbox = q("SELECT kind, status, count(*) FROM outbox_outboxmessage GROUP BY 1, 2")
    by_kind: dict[str, Counter] = {}
    for kind, status, n in outbox:
        by_kind.setdefault(kind, Counter())[status] = n
    print()
    print(f"{'background work':<34}{'requested':>10}{'done':>8}  other states")
    for kind, label in (("job", "jobs (outbox rows)"), ("mail", "e-mails (outbox rows)")):
        states = by_kind.get(kind, Counter())
        rest = {s: n for s, n in states.items() if s != "done"}
        print(f"{label:<34}{sum(states.values()):>10}{states['done']:>8}  {rest or '-'}")
    deliveries = _count(q("SELECT status, count(*) FROM support_announcementdelivery GROUP BY 1"))
    sent = deliveries.get("sent", 0)
    rest = {s: n for s, n in deliveries.items() if s != "sent"}
    print(f"{'announcement deliveries':<34}{sum(deliveries.values()):>10}{sent:>8}  {rest or '-'}")
    exports = _count(
        q("SELECT status, count(*) FROM privacy_datarequest WHERE kind = 'export' GROUP BY 1")
    )
    done = exports.get("completed", 0)
    rest = {s: n for s, n in exports.items() if s != "completed"}
    print(f"{'exports asked for':<34}{sum(exports.values()):>10}{done:>8}  {rest or '-'}")
    answered = sum(1 for r in records if r[0] == "export request" and r[2] in (200, 201))
    print(f"{'  (export API answers 200/201)':<34}{answered:>10}")
    tickets = q("SELECT count(*) FROM support_ticket")[0][0]
    opened = sum(1 for r in records if r[0] == "ticket open" and r[2] == 201)
    print(f"{'tickets: 201 answers / rows':<34}{opened:>10}{tickets:>8}")
    ids = [
        match
        for path in mail_dir.glob("*")
        for match in re.findall(r"(?m)^Message-ID: (\S+)", path.read_text(errors="replace"))
    ]
    # A mail the server took just before its worker was killed is sent again when the row
    # is handed back; the copy has the same Message-ID (outbox/email_backend.py).
    print(f"{'e-mails written by the backend':<34}{len(ids):>10}{len(set(ids)):>8}  (distinct)")
    served = sum(1 for r in records if r[0] in ("profile page", "sign-in page") and r[2] == 200)
    recorded = q("SELECT count(*) FROM activity_pageview")[0][0]
    dropped = redis.cli("GET", ":1:activity:page-views-dropped") or "0"
    print(f"{'page views served / recorded':<34}{served:>10}{recorded:>8}  dropped: {dropped}")
    refusals = q("SELECT count(*) FROM outbox_outboxrefusal")[0][0]
    replays = q("SELECT coalesce(sum(replays), 0) FROM outbox_outboxmessage")[0][0]
    print(f"outbox: deliveries refused as replays {replays}; refused messages {refusals}")


def drained(url: str) -> bool:
    q = lambda sql: _sql(url, sql, DB)  # noqa: E731
    waiting = q(
        "SELECT count(*) FROM outbox_outboxmessage WHERE status IN ('pending', 'sent', 'running')"
    )[0][0]
    sending = q("SELECT count(*) FROM support_announcement WHERE status = 'sending'")[0][0]
    building = q(
        "SELECT count(*) FROM privacy_datarequest WHERE kind = 'export' "
        "AND status IN ('received', 'in_progress')"
    )[0][0]
    return waiting == 0 and sending == 0 and building == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=180)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--drain", type=float, default=300)
    # A quick try of the set-up: every fault time (and the phases) multiplied by this.
    parser.add_argument("--time-scale", type=float, default=1.0)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bestqm-fault-"))
    cluster = PrivateCluster(_free_port())
    redis = PrivateRedis(tmp)
    processes: dict[str, subprocess.Popen] = {}
    mail_dir = tmp / "mail"
    try:
        cluster.start()
        redis.start()
        _sql(cluster.url, f'CREATE DATABASE "{DB}"', "postgres")
        env = _environment(cluster.url, redis.url, "fault-run", tmp)
        env.update(
            {
                "EMAIL_URL": f"filemail:///{mail_dir}",
                "OUTBOX_RELAY_SECONDS": "2",
                "OUTBOX_RESEND_SECONDS": "30",
                "OUTBOX_LEASE_SECONDS": "60",
                "OUTBOX_RETRY_SECONDS": "5",
                "OUTBOX_RETRY_MAX_SECONDS": "20",
                "CELERY_VISIBILITY_TIMEOUT": "60",
                # The members' threads ask from one address, far faster than a person: the
                # form limits (16: 10 data requests an hour) would answer 429 and the run
                # would count refusals instead of work. Raised here, as the API's per-address
                # throttle is: six visitor threads on one idle machine catch up past 50/s
                # after the PostgreSQL restart (15 x 429 in a run on a quiet machine).
                "RATE_LIMITS": "data_request=100000/hour,ticket=100000/hour",
                "API_ANON_RATE": "1000/second",
                "LOG_LEVEL": "INFO",
            }
        )
        started = time.monotonic()
        _manage(env, "migrate", "--noinput", "-v", "0")
        # seed_demo runs only with DEBUG on (its accounts have a published password): it
        # fills the bench's own scratch cluster; everything else runs as deployed.
        _manage(
            {**env, "DEBUG": "true"},
            *("seed_demo", "--members", str(args.members), "--seed", "2026", "--quiet"),
            # No showcase: its page views, tickets and requests would be counted as the run's.
            "--no-showcase",
            stdout=subprocess.DEVNULL,
        )
        _manage(env, "collectstatic", "--noinput", "-v", "0")
        tokens = json.loads(_shell(env, SHELL_TOKENS).splitlines()[-1])
        usernames = json.loads(_shell(env, SHELL_USERNAMES).splitlines()[-1])
        print(f"set-up: {time.monotonic() - started:.0f} s; {args.members} members seeded")

        port = _free_port()
        processes["gunicorn"] = start_gunicorn(env, tmp, port, args.web_workers)
        processes["worker-a"] = start_worker(env, tmp, "worker-a")
        processes["worker-b"] = start_worker(env, tmp, "worker-b")
        processes["beat"] = start_celery(
            env, tmp, "beat", "beat", "--schedule", str(tmp / "beat-schedule"), "--loglevel", "INFO"
        )
        base = f"http://127.0.0.1:{port}"
        import requests

        for _ in range(120):
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        time.sleep(5)  # the workers' start-up

        load = Load(base, usernames, tokens)
        threads = [threading.Thread(target=load.visitor, args=(i,)) for i in range(args.users)]
        threads += [threading.Thread(target=load.member, args=(100 + i,)) for i in range(2)]
        t0 = time.monotonic()
        for thread in threads:
            thread.start()
        events = []

        def at(second: float) -> None:
            time.sleep(max(0.0, t0 + second * args.time_scale - time.monotonic()))

        at(ANNOUNCE_AT)
        # In the background: the shell's start-up must not hold up the faults' schedule.
        announcing = threading.Thread(
            target=lambda: events.append(
                f"{time.monotonic() - t0:5.1f} s announcement "
                f"{_shell(env, SHELL_ANNOUNCE).splitlines()[-1]} sent (asked at {ANNOUNCE_AT} s)"
            )
        )
        announcing.start()
        at(REDIS_DOWN[0])
        redis.stop()
        events.append(f"{time.monotonic() - t0:5.1f} s Redis stopped")
        at(REDIS_DOWN[1])
        redis.start()
        events.append(f"{time.monotonic() - t0:5.1f} s Redis started again, empty")
        at(PG_RESTART_AT)
        began = time.monotonic()
        subprocess.run(cluster.restart_command, check=True, stdout=subprocess.DEVNULL)
        events.append(
            f"{began - t0:5.1f} s PostgreSQL restarted (away {time.monotonic() - began:.1f} s)"
        )
        at(KILL_WORKER_AT)
        worker = processes["worker-a"]
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        events.append(f"{time.monotonic() - t0:5.1f} s worker-a SIGKILLed (main and pool child)")
        at(KILL_WORKER_AT + WORKER_BACK_AFTER)
        processes["worker-a"] = start_worker(env, tmp, "worker-a")
        events.append(f"{time.monotonic() - t0:5.1f} s worker-a started again")
        at(args.duration)
        announcing.join()
        load.stop.set()
        for thread in threads:
            thread.join()
        ended = time.monotonic()

        # Quiet web processes write their buffers at the next request; then drain.
        for _ in range(4 * args.web_workers):
            requests.get(base + "/healthz", timeout=10)
        time.sleep(6)
        for _ in range(4 * args.web_workers):
            requests.get(base + "/healthz", timeout=10)
        deadline = time.monotonic() + args.drain
        while time.monotonic() < deadline and not drained(cluster.url):
            time.sleep(3)
        drain = time.monotonic() - ended
        _stop(processes.pop("gunicorn"))  # writes what its buffers still hold
        time.sleep(8)  # the workers store those batches

        print()
        for line in events:
            print(line)
        print(
            f"load: {args.users} visitor threads and 2 member threads for {args.duration:.0f} s; "
            f"work drained {drain:.0f} s after the load ended; "
            f"machine load average at the end: {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} CPUs (shared)"
        )
        print()
        print_phases(load.records, t0, args.time_scale)
        report_work(cluster.url, redis, mail_dir, load.records)
        print(f"\nlogs: {tmp}")
    finally:
        for process in processes.values():
            _stop(process)
        redis.stop()
        cluster.destroy()


if __name__ == "__main__":
    main()
