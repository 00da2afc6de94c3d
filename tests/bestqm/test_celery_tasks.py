"""Background jobs are Celery tasks that beat schedules, and each is safe to run twice: a
duplicate message, a worker that died midway or two runs at once change nothing more than
one run does. (Inline here: no broker in these tests; test_celery_worker.py runs a real
worker.)"""

import io
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from accounts.models import PublicProfile
from bestqm.celery import app
from bestqm.jobs import single_run
from orders.models import Order
from orders.tasks import apply_order_retention
from privacy.requests.models import DataRequest
from privacy.tasks import build_export, erase_member, resume_exports, run_due_erasures
from tests.accounts.factories import ProfileFactory
from tests.orders.factories import OrderFactory
from tests.privacy.factories import DataRequestFactory, LegalHoldFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_after_commit(monkeypatch):
    """Work is queued with transaction.on_commit; a test's transaction never commits."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def _open_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


# --- Schedule ---------------------------------------------------------------------------


def test_every_scheduled_entry_names_a_registered_task_and_every_periodic_job_is_there():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
    assert {
        "privacy.tasks.run_due_erasures",
        "privacy.tasks.expire_exports",
        "privacy.tasks.resume_exports",
        "orders.tasks.apply_order_retention",
        "activity.tasks.apply_activity_retention",
    } <= scheduled


def test_jobs_that_change_data_are_acknowledged_only_when_done():
    """A worker that dies midway hands these back to the broker instead of losing them."""
    app.loader.import_default_modules()
    for name in (
        "privacy.tasks.build_export",
        "privacy.tasks.erase_member",
        "orders.tasks.fulfil_order",
        "orders.tasks.apply_order_retention",
        "activity.tasks.apply_activity_retention",
        "support.tasks.announcement_fan_out",
        "support.tasks.announcement_batch_send",
    ):
        task = app.tasks[name]
        assert task.acks_late and task.reject_on_worker_lost, name


# --- Exports ----------------------------------------------------------------------------


def _stale_export(member, *, started_minutes_ago):
    return DataRequestFactory(
        member=member,
        kind="export",
        status=DataRequest.Status.IN_PROGRESS,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        progress=40,
    )


def test_an_export_whose_worker_died_is_built_by_the_scheduled_resume(member, member_client):
    ProfileFactory(member=member, username="rosa_public")
    lost = _stale_export(member, started_minutes_ago=31)

    assert resume_exports() == 1

    lost.refresh_from_db()
    assert lost.status == DataRequest.Status.COMPLETED
    assert storages["exports"].exists(lost.export_file)
    response = member_client.get(reverse("privacy:export_download", args=[lost.pk]))
    assert response.status_code == 200
    assert "accounts.publicprofile.json" in _open_zip(response).namelist()


def test_a_build_that_a_live_worker_is_running_is_left_alone(member):
    running = _stale_export(member, started_minutes_ago=5)

    assert resume_exports() == 0
    build_export(running.pk)  # a duplicate message

    running.refresh_from_db()
    assert running.status == DataRequest.Status.IN_PROGRESS
    assert running.progress == 40
    assert running.export_file == ""


def test_an_export_never_queued_is_queued_after_a_grace_period_and_built_once(member):
    waiting = DataRequestFactory(member=member, kind="export")
    assert resume_exports() == 0  # just made: its task may still be on the queue

    DataRequest.objects.filter(pk=waiting.pk).update(
        received_at=timezone.now() - timedelta(minutes=16)
    )
    assert resume_exports() == 1
    waiting.refresh_from_db()
    assert waiting.status == DataRequest.Status.COMPLETED
    first_file = waiting.export_file

    build_export(waiting.pk)  # the original message arrives after all
    waiting.refresh_from_db()
    assert waiting.export_file == first_file
    assert sorted(storages["exports"].listdir("")[1]) == [first_file]


def test_a_cancelled_export_is_not_built_by_a_late_message(member):
    cancelled = DataRequestFactory(
        member=member, kind="export", status=DataRequest.Status.CANCELLED
    )
    build_export(cancelled.pk)
    cancelled.refresh_from_db()
    assert cancelled.status == DataRequest.Status.CANCELLED
    assert cancelled.export_file == ""


# --- Erasure ----------------------------------------------------------------------------


def _due_deletion(member):
    return DataRequestFactory(
        member=member, kind="deletion", erase_after=timezone.now() - timedelta(minutes=1)
    )


def test_the_scheduled_run_erases_each_due_member_and_a_duplicate_message_changes_nothing(
    member, other_member, mailoutbox
):
    ProfileFactory(member=member, username="rosa_public")
    ProfileFactory(member=other_member, username="otto_public")
    due = _due_deletion(member)
    DataRequestFactory(
        member=other_member, kind="deletion", erase_after=timezone.now() + timedelta(days=3)
    )

    assert run_due_erasures() == 1

    due.refresh_from_db()
    assert due.status == DataRequest.Status.COMPLETED
    assert not PublicProfile.objects.filter(member=member).exists()
    assert PublicProfile.objects.filter(member=other_member).exists()  # not due yet
    assert len(mailoutbox) == 1

    assert erase_member(due.pk) is False
    assert run_due_erasures() == 0
    assert len(mailoutbox) == 1  # no second "complete" e-mail


def test_a_member_under_a_legal_hold_is_told_once_not_at_every_scheduled_run(member, mailoutbox):
    ProfileFactory(member=member, username="rosa_public")
    LegalHoldFactory(member=member, categories=["public"])
    due = _due_deletion(member)

    assert erase_member(due.pk) is True
    assert erase_member(due.pk) is True  # the next quarter-hour: still held

    due.refresh_from_db()
    assert due.status == DataRequest.Status.IN_PROGRESS
    assert "legal obligation" in due.outcome
    assert PublicProfile.objects.filter(member=member).exists()
    assert len(mailoutbox) == 1
    assert "update" in mailoutbox[0].subject


def test_erasing_a_request_that_no_longer_exists_does_nothing(member):
    assert erase_member(987654321) is False


# --- Retention --------------------------------------------------------------------------


def _aged_order(days):
    order = OrderFactory(status=Order.Status.FULFILLED)
    Order.objects.filter(pk=order.pk).update(
        status_changed_at=timezone.now() - timedelta(days=days)
    )
    return order


def test_a_retention_run_that_finds_another_one_going_leaves_the_work_to_it(settings):
    settings.ACCOUNTING_RETENTION_DAYS = 10
    order = _aged_order(11)

    with single_run("orders-retention", timeout=60) as mine:
        assert mine
        assert apply_order_retention() is None
        order.refresh_from_db()
        assert order.anonymised_at is None

    assert apply_order_retention() == {"orders_anonymised": 1, "cards_deleted": 0}
    order.refresh_from_db()
    assert order.anonymised_at is not None


def test_a_lock_is_released_by_its_holder_only():
    with single_run("some-job", timeout=60) as first:
        with single_run("some-job", timeout=60) as second:
            assert (first, second) == (True, False)
        with single_run("some-job", timeout=60) as third:
            assert third is False  # the refused second run did not release the first's
    with single_run("some-job", timeout=60) as after:
        assert after is True
