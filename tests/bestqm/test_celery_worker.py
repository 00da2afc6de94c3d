"""Background work through a real broker: a `celery -A bestqm worker` process on the Redis
at BESTQM_TEST_BROKER_URL (default redis://127.0.0.1:6379/14) builds a member's export
end to end, `celery -A bestqm beat` sends every scheduled job, and a broker that cannot
be reached when a request is made loses nothing.

The worker is another process, so it must see the test database: this runs on PostgreSQL
(the suite of record) with real commits. Without a reachable broker it is skipped, unless
BESTQM_REQUIRE_BROKER=1 (CI), which turns that into a failure.
"""

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager, suppress
from pathlib import Path
from uuid import uuid4

import kombu.pools
import pytest
import redis
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from django.urls import reverse

from bestqm.celery import app
from outbox.models import OutboxMessage
from privacy.audit.models import AuditEvent
from privacy.requests.models import DataRequest
from tests.accounts.factories import ProfileFactory
from tests.server_database import server_database_url

BROKER_URL = os.environ.get("BESTQM_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
BROKER_REQUIRED = os.environ.get("BESTQM_REQUIRE_BROKER") == "1"
UNREACHABLE_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
WORKER_START_SECONDS = 120
EXPORT_SECONDS = 120


@contextmanager
def celery_app_sending_to(broker_url: str, queue: str):
    """This process stops running tasks inline and sends them to `queue` on the broker,
    as the web process does in production; restored afterwards."""
    keys = ("task_always_eager", "broker_url", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    _drop_broker_connections()
    app.conf.update(task_always_eager=False, broker_url=broker_url, task_default_queue=queue)
    try:
        yield
    finally:
        _drop_broker_connections()
        app.conf.update(saved)


def _drop_broker_connections() -> None:
    """The app keeps a connection pool, and kombu a producer pool on it, made for the
    broker of its first send (inline tasks too acquire a producer, for its serializer).
    Both are dropped the way Celery and kombu do it after a fork."""
    kombu.pools.reset()
    app._after_fork()


@pytest.fixture
def broker_url():
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        message = f"no Redis broker answering at {BROKER_URL} ({exc})"
        if BROKER_REQUIRED:
            pytest.fail(f"{message}; BESTQM_REQUIRE_BROKER=1 demands one")
        pytest.skip(f"{message}; set BESTQM_REQUIRE_BROKER=1 to make this a failure")
    return BROKER_URL


@pytest.fixture
def worker_database_url(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the worker is another process and the SQLite test database lives in this "
            "process's memory; the PostgreSQL run (CI's, with BESTQM_REQUIRE_BROKER=1) "
            "runs this test"
        )
    return server_database_url()


def _production_env(broker_url: str, queue: str, tmp_path: Path) -> dict[str, str]:
    """A deployment's environment: DEBUG off with the values it then requires."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bestqm.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
        "DEBUG": "false",
        "SECRET_KEY": uuid4().hex * 2,
        "ALLOWED_HOSTS": "testserver",
        "CARD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # what the worker sends goes back to it
        "PRIVATE_FILES_ROOT": str(tmp_path),  # exports under tmp_path/exports, as here
    }


def _remove_queue(broker_url: str, queue: str) -> None:
    client = redis.Redis.from_url(broker_url)
    leftovers = list(client.scan_iter(match=f"*{queue}*"))
    if leftovers:
        client.delete(*leftovers)


def _stop(process: subprocess.Popen) -> None:
    """The whole process group (a worker's main process and its pool child): a warm
    shutdown, then SIGKILL if it does not end in time."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "bestqm", *command],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so _stop() ends its children
        )


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path, mail_dir: Path):
        self.process = process
        self.log = log
        self.mail_dir = mail_dir

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while time.monotonic() < deadline:
            if " ready." in self.output():
                return
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"the worker was not ready in {WORKER_START_SECONDS} s:\n{self.output()}")

    def stop(self) -> None:
        _stop(self.process)


@contextmanager
def running_worker(broker_url, database_url, tmp_path, *, beat=False, env=None):
    """A real worker on a queue of its own (so no other run on that Redis reaches it), with
    production settings, the test database, and the exports directory this test reads;
    with `beat`, it runs the schedule too (the outbox relay among it)."""
    queue = f"bestqm-test-{uuid4().hex}"
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = {
        **_production_env(broker_url, queue, tmp_path),
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"filemail:///{mail_dir}",
        **(env or {}),
    }
    command = [
        *("worker", "--hostname", f"{queue}@%h", "--concurrency", "1"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"),
    ]
    if beat:
        command += ["--beat", "--schedule", str(tmp_path / "beat-schedule")]
    worker = Worker(_start(command, env, log), log, mail_dir)
    try:
        worker.wait_until_ready()
        with celery_app_sending_to(broker_url, queue):
            yield worker
    finally:
        worker.stop()
        with suppress(redis.RedisError):
            _remove_queue(broker_url, queue)


@pytest.fixture
def celery_worker(broker_url, worker_database_url, tmp_path):
    with running_worker(broker_url, worker_database_url, tmp_path) as worker:
        yield worker


def _wait_for_status(request_id: int, status: str, worker: Worker) -> DataRequest:
    deadline = time.monotonic() + EXPORT_SECONDS
    while time.monotonic() < deadline:
        data_request = DataRequest.objects.get(pk=request_id)
        if data_request.status == status:
            return data_request
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited ({worker.process.returncode}):\n{worker.output()}")
        time.sleep(0.25)
    pytest.fail(
        f"request {request_id} is still {data_request.status} after {EXPORT_SECONDS} s:\n"
        f"{worker.output()}"
    )


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_the_export_the_member_asked_for(celery_worker, member, member_client):
    ProfileFactory(member=member, username="rosa_public", lifestyle_text="Tango on Sundays")

    response = member_client.post(reverse("privacy:export_request"))
    assert response.status_code == 302
    data_request = DataRequest.objects.get(member=member, kind="export")

    data_request = _wait_for_status(data_request.pk, DataRequest.Status.COMPLETED, celery_worker)
    assert data_request.progress == 100
    # Built by the worker, from the broker, not inline in this process.
    log = celery_worker.output()
    assert "Task privacy.tasks.build_export[" in log
    assert "succeeded" in log

    page = member_client.get(reverse("privacy:request", args=[data_request.pk]))
    assert "Download my data" in page.content.decode()
    download = member_client.get(reverse("privacy:export_download", args=[data_request.pk]))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.testzip() is None
    assert json.loads(archive.read("manifest.json"))["tables"]
    assert json.loads(archive.read("accounts.user.json"))[0]["login_name"] == "rosa.member"
    profile = json.loads(archive.read("accounts.publicprofile.json"))[0]
    assert profile["lifestyle_text"] == "Tango on Sundays"
    assert AuditEvent.objects.filter(event_type="data_request.completed").exists()

    # The worker also sent the "received" and "complete" e-mails, to the member only.
    _wait_for_mail(celery_worker, count=2)
    mails = [path.read_text() for path in celery_worker.mail_dir.iterdir()]
    assert any("Subject: Your export request is complete" in mail for mail in mails)
    assert all("To: rosa.private@example.org" in mail for mail in mails)


def _wait_for_mail(worker: Worker, *, count: int) -> None:
    deadline = time.monotonic() + EXPORT_SECONDS
    while time.monotonic() < deadline:
        if worker.mail_dir.exists() and len(list(worker.mail_dir.iterdir())) >= count:
            return
        time.sleep(0.25)
    pytest.fail(f"fewer than {count} e-mails after {EXPORT_SECONDS} s:\n{worker.output()}")


@pytest.mark.django_db(transaction=True)
def test_a_broker_down_when_the_member_asks_loses_nothing(member, member_client, caplog):
    """The request is recorded and the member answered as usual (real commits, so the
    tasks are handed over from inside the request, as in production); its jobs wait in
    the outbox for the relay."""
    with celery_app_sending_to(UNREACHABLE_BROKER, "bestqm-unreachable"):
        response = member_client.post(reverse("privacy:export_request"))

    assert response.status_code == 302
    data_request = DataRequest.objects.get(member=member, kind="export")
    assert data_request.status == DataRequest.Status.RECEIVED
    waiting = OutboxMessage.objects.values_list("task", "status", "last_error")
    assert sorted(waiting) == [
        ("privacy.tasks.build_export", "pending", "broker unavailable (OperationalError)"),
        (
            "privacy.tasks.send_data_request_notice",
            "pending",
            "broker unavailable (OperationalError)",
        ),
    ]
    assert "the relay will hand it over" in caplog.text  # for the operator, not the member
    assert "rosa.private@example.org" not in caplog.text


class PrivateRedis:
    """A redis-server of this test's own on a free port, without persistence (a restart
    loses every message it held, the harder case), that the test stops and starts."""

    def __init__(self, tmp_path: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.dir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(redis.RedisError):
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return
            time.sleep(0.1)
        pytest.fail("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        if BROKER_REQUIRED:
            pytest.fail("redis-server is not installed; BESTQM_REQUIRE_BROKER=1 demands it")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_export_asked_for_while_redis_is_down_completes_once_it_is_back(
    private_redis, worker_database_url, member, member_client, tmp_path
):
    """The worker and its beat run on a private Redis; the Redis is stopped, the member
    asks for an export, the Redis starts again (empty): the relay hands the waiting rows
    over and the export completes."""
    env = {"OUTBOX_RELAY_SECONDS": "1"}
    with running_worker(
        private_redis.url, worker_database_url, tmp_path, beat=True, env=env
    ) as worker:
        private_redis.stop()
        response = member_client.post(reverse("privacy:export_request"))
        assert response.status_code == 302
        data_request = DataRequest.objects.get(member=member, kind="export")
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}

        private_redis.start()
        data_request = _wait_for_status(data_request.pk, DataRequest.Status.COMPLETED, worker)
        _wait_for_mail(worker, count=2)  # received, then complete
    assert data_request.export_file
    build = OutboxMessage.objects.get(task="privacy.tasks.build_export")
    assert (build.status, build.attempts) == ("done", 1)


@pytest.mark.celery_worker
def test_beat_starts_with_production_settings_and_schedules_every_job(broker_url, tmp_path):
    """`celery -A bestqm beat` loads CELERY_BEAT_SCHEDULE (it sends each entry one
    interval after its first start, so the test reads the schedule it reports)."""
    queue = f"bestqm-test-{uuid4().hex}"
    log = tmp_path / "beat.log"
    command = ["beat", "--schedule", str(tmp_path / "beat-schedule"), "--loglevel", "DEBUG"]
    beat = _start(command, _production_env(broker_url, queue, tmp_path), log)
    expected = {
        f"<ScheduleEntry: {name} {entry['task']}()"
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    }
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while time.monotonic() < deadline:
            assert beat.poll() is None, f"beat exited ({beat.returncode}):\n{log.read_text()}"
            if "Current schedule:" in log.read_text() and "Ticking" in log.read_text():
                break
            time.sleep(0.25)
    finally:
        _stop(beat)
        _remove_queue(broker_url, queue)
    reported = log.read_text()
    missing = [entry for entry in expected if entry not in reported]
    assert not missing, f"not in beat's schedule: {missing}\n{reported}"
