"""An erasure whose process is killed part-way (SIGKILL, no chance to clean up) leaves
nothing half-erased, and running it again ends in the state an uninterrupted run leaves.

PostgreSQL only: the erasure runs in another process, `manage.py shell` on the test
database, and is caught in the middle by a row lock this test holds on the member's
support ticket, one of the last tables erasure reaches (the profile, licences and orders
are already erased inside its transaction by then). The test sees it wait on that lock,
kills it, lets go of the lock, and reads what is left."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import PublicProfile, User
from orders.models import Licence, Order
from privacy.audit.services import Actor
from privacy.member_records import owned_declarations, records_of
from privacy.requests.deletions import deletion_run
from privacy.requests.erasure import ANONYMOUS_PREFIX
from privacy.requests.models import DataRequest
from support.models import Ticket
from tests.accounts.factories import ProfileFactory, UserFactory
from tests.orders.factories import LicenceFactory, OrderFactory
from tests.privacy.factories import DataRequestFactory
from tests.privacy.requests.test_complete_erasure import ALLOWED, _occurrences
from tests.server_database import server_database_url
from tests.support.factories import TicketFactory

WAIT_SECONDS = 60


@pytest.fixture
def database_url(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the killed process needs the test database in a server: PostgreSQL")
    return server_database_url()


def _member_with_a_history(name: str) -> tuple[User, DataRequest]:
    member = UserFactory(
        login_name=f"{name}wood77", email=f"{name}.mail@example.net", first_name=name.title()
    )
    ProfileFactory(member=member, username=f"{name}_public", listed_in_directory=True)
    LicenceFactory(member=member)
    OrderFactory(member=member)
    TicketFactory(member=member)
    request = DataRequestFactory(
        member=member, kind="deletion", erase_after=timezone.now() - timedelta(minutes=1)
    )
    return member, request


def _state(member) -> dict:
    """What is left of a member, in terms that do not name them: rows per table, and the
    account and request as erasure leaves them."""
    member = User.objects.get(pk=member.pk)
    counts = {
        d.model._meta.label_lower: records_of(d, member).count() for d in owned_declarations()
    }
    return {
        **counts,
        "account": (
            member.is_active,
            member.login_name.startswith(ANONYMOUS_PREFIX),
            member.email.startswith(ANONYMOUS_PREFIX),
            member.first_name,
            member.last_name,
            member.zip_code,
        ),
        "request": DataRequest.objects.get(member=member, kind="deletion").status,
        "orders kept": Order.objects.filter(member=member).count(),
    }


def _waiting_backend(watcher, database: str) -> int | None:
    with watcher.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
            " AND pid <> pg_backend_pid()",
            [database],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _backend_gone(watcher, pid: int) -> bool:
    with watcher.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is None


def test_an_erasure_killed_midway_reruns_to_the_state_of_an_uninterrupted_one(database_url):
    twin, twin_request = _member_with_a_history("quillon")
    deletion_run(request=twin_request, actor=Actor.system())  # the uninterrupted run
    member, request = _member_with_a_history("zephyrine")
    distinctive = {"login name": member.login_name, "e-mail": member.email}

    db = connection.settings_dict
    locker, watcher = (
        psycopg2.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname=db["NAME"],
        )
        for _ in range(2)
    )
    # The watcher reads pg_stat_activity afresh each time: inside a transaction (the
    # locker's) PostgreSQL would show the same snapshot of it again and again.
    watcher.autocommit = True
    process = None
    try:
        with locker.cursor() as cursor:  # held until rollback below
            cursor.execute(
                "SELECT id FROM support_ticket WHERE member_id = %s FOR UPDATE", [member.pk]
            )
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from privacy.audit.services import Actor\n"
                "from privacy.requests.deletions import deletion_run\n"
                "from privacy.requests.models import DataRequest\n"
                f"deletion_run(request=DataRequest.objects.get(pk={request.pk}),"
                " actor=Actor.system())\n",
            ],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + WAIT_SECONDS
        backend = None
        while backend is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            backend = _waiting_backend(watcher, db["NAME"])
        if backend is None:
            process.kill()
            pytest.fail(f"the erasure never reached the ticket: {process.communicate()[1]!r}")

        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        locker.rollback()  # the lock goes; the dead process's transaction goes with it
        while not _backend_gone(watcher, backend) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _backend_gone(watcher, backend)
    finally:
        if process is not None and process.poll() is None:
            process.kill()
        locker.close()
        watcher.close()

    # Nothing was half-erased: the profile, licences and order it had erased are back.
    assert User.objects.get(pk=member.pk).login_name == "zephyrinewood77"
    assert PublicProfile.objects.filter(member=member).exists()
    assert Licence.objects.filter(member=member).exists()
    assert Ticket.objects.filter(member=member).exists()
    assert DataRequest.objects.get(pk=request.pk).status == DataRequest.Status.RECEIVED

    deletion_run(request=DataRequest.objects.get(pk=request.pk), actor=Actor.system())

    assert _state(member) == _state(twin)
    assert _state(member)["request"] == DataRequest.Status.COMPLETED
    left = {
        place: labels - ALLOWED.get(place, set())
        for place, labels in _occurrences(distinctive).items()
        if labels - ALLOWED.get(place, set())
    }
    assert left == {}
