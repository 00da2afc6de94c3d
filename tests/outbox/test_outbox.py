"""The outbox: a job exists exactly when the change that caused it does, runs once however
often it is delivered, is tried again when it fails and recorded as failed after the last
try, and a malformed or replayed message is refused, recorded, and never retried."""

import smtplib
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxRefusal
from outbox.tasks import deliver
from outbox.worker import message_run
from privacy.audit.services import Actor
from privacy.requests.models import DataRequest
from privacy.requests.services import data_request_create
from privacy.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


class FailingSMTP:
    """A mail server that answers nothing: every send raises, as smtplib does."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _export(member, capture):
    with capture(execute=True):
        request, _ = data_request_create(member=member, actor=Actor(user=member), kind="export")
    return request


def test_a_job_is_written_with_its_change_and_gone_with_a_rollback(member, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        data_request_create(member=member, actor=Actor(user=member), kind="export")
        assert OutboxMessage.objects.count() == 2  # the notice and the build, in the transaction
        raise RuntimeError("the change fails after the job was queued")

    assert not DataRequest.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mailoutbox == []


def test_without_a_broker_the_jobs_run_inline_after_commit(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    request = _export(member, django_capture_on_commit_callbacks)

    request.refresh_from_db()
    assert request.status == DataRequest.Status.COMPLETED
    rows = {m.task: m for m in OutboxMessage.objects.all()}
    assert set(rows) == {
        "privacy.tasks.send_data_request_notice",
        "privacy.tasks.build_export",
    }
    assert {m.status for m in rows.values()} == {Status.DONE}
    assert rows["privacy.tasks.send_data_request_notice"].kind == OutboxMessage.Kind.MAIL
    assert rows["privacy.tasks.build_export"].kind == OutboxMessage.Kind.JOB
    assert {m.attempts for m in rows.values()} == {1}
    assert len(mailoutbox) == 2  # received, then complete


def test_a_message_delivered_twice_does_the_work_once(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    _export(member, django_capture_on_commit_callbacks)
    notice = OutboxMessage.objects.filter(task="privacy.tasks.send_data_request_notice").first()
    sent = len(mailoutbox)

    assert deliver.apply(args=(str(notice.key),)).get() == "replayed"
    assert message_run(key=str(notice.key), delivery_id=uuid4().hex) == "replayed"

    assert len(mailoutbox) == sent
    notice.refresh_from_db()
    assert notice.status == Status.DONE and notice.attempts == 1 and notice.replays == 2


def test_a_message_for_no_row_is_refused_and_recorded_not_retried():
    for key in ("not-a-key", str(uuid4())):
        assert deliver.apply(args=(key,)).get() == "refused"
    assert sorted(OutboxRefusal.objects.values_list("reason", flat=True)) == [
        "no such outbox row",
        "not an outbox key",
    ]


@pytest.mark.parametrize(
    ("task", "args", "reason"),
    [
        ("privacy.tasks.no_such_job", [1], "names no known task"),
        ("privacy.tasks.build_export", [1, 2, 3], "its arguments do not fit the task"),
        ("privacy.tasks.build_export", {"request_id": 1}, "its arguments are not a list"),
    ],
)
def test_a_malformed_row_is_refused_for_good(task, args, reason):
    row = OutboxMessage.objects.create(task=task, args=args, available_at=timezone.now())

    assert message_run(key=str(row.key), delivery_id="d1") == "refused"

    row.refresh_from_db()
    assert (row.status, row.last_error, row.attempts) == (Status.REFUSED, reason, 0)
    assert row not in list(_due_later())  # the relay never hands it over again
    assert message_run(key=str(row.key), delivery_id="d2") == "replayed"


def _due_later():
    from outbox.relay import due_messages

    return due_messages(now=timezone.now() + timedelta(days=30))


def test_a_mail_server_that_is_down_is_waited_for_and_then_reported_failed(
    settings, member, staff_client, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FailingSMTP"
    request = _export(member, django_capture_on_commit_callbacks)
    notices = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAIL)
    first = notices.earliest("id")
    assert first.status == Status.PENDING and first.attempts == 1
    assert first.last_error == "SMTPServerDisconnected on try 1"
    assert first.available_at >= timezone.now() + timedelta(seconds=50)  # backed off
    # The export itself is built all the same: a mail that fails holds up nothing else.
    request.refresh_from_db()
    assert request.status == DataRequest.Status.COMPLETED

    # The relay does not hand it over before its time, then does, until the last try.
    call_command("relay_outbox")
    first.refresh_from_db()
    assert first.attempts == 1
    for attempt in (2, 3):
        OutboxMessage.objects.filter(status=Status.PENDING).update(available_at=timezone.now())
        call_command("relay_outbox")
        first.refresh_from_db()
        assert first.attempts == attempt
    assert first.status == Status.FAILED
    assert first.last_error == "SMTPServerDisconnected on try 3"
    OutboxMessage.objects.update(available_at=timezone.now())
    call_command("relay_outbox")
    first.refresh_from_db()
    assert first.attempts == 3  # never tried again

    # Staff see it in the admin, with what failed and never the address.
    client = staff_client(Role.PRIVACY_OFFICER)
    page = client.get(reverse("admin:outbox_outboxmessage_changelist") + "?status=failed")
    assert page.status_code == 200
    text = page.content.decode()
    assert "send data request notice" in text and "SMTPServerDisconnected on try 3" in text
    assert "rosa.private@example.org" not in text
    # The filter by job names them as the list does, never by the task's dotted path.
    assert ">privacy.tasks.send_data_request_notice<" not in text
    assert ">send data request notice<" in text
    by_task = client.get(
        reverse("admin:outbox_outboxmessage_changelist"),
        {"task": "privacy.tasks.build_export"},
    )
    assert by_task.status_code == 200
    assert list(by_task.context["cl"].result_list.values_list("task", flat=True).distinct()) == [
        "privacy.tasks.build_export"
    ]


def test_a_run_whose_worker_died_is_taken_over_and_finishes_the_export(
    member, django_capture_on_commit_callbacks, monkeypatch
):
    """The worker building an export was SIGKILLed: the row says running, the request in
    progress. The broker hands the same message back (acks late); that delivery takes
    over and the export completes, where a second, different delivery would wait."""
    from outbox import tasks

    with monkeypatch.context() as broker:  # the broker holds the messages, no worker yet
        broker.setattr(tasks.deliver, "apply_async", lambda *args, **kwargs: None)
        request = _export(member, django_capture_on_commit_callbacks)
    build = OutboxMessage.objects.get(task="privacy.tasks.build_export")
    now = timezone.now()
    # What the dead worker left: its claim on the row, and the request in progress.
    OutboxMessage.objects.filter(pk=build.pk).update(
        status=Status.RUNNING,
        attempts=1,
        delivery_id="first-delivery",
        started_at=now,
        lease_until=now + timedelta(minutes=30),
    )
    DataRequest.objects.filter(pk=request.pk).update(
        status=DataRequest.Status.IN_PROGRESS, started_at=now, progress=40
    )

    assert message_run(key=str(build.key), delivery_id="another-delivery") == "busy"
    request.refresh_from_db()
    assert request.status == DataRequest.Status.IN_PROGRESS

    assert message_run(key=str(build.key), delivery_id="first-delivery") == "done"
    request.refresh_from_db()
    build.refresh_from_db()
    assert request.status == DataRequest.Status.COMPLETED and request.export_file
    assert (build.status, build.attempts) == (Status.DONE, 2)


def test_the_relay_hands_over_again_what_the_broker_lost(
    settings, member, django_capture_on_commit_callbacks, monkeypatch
):
    from outbox import tasks

    with monkeypatch.context() as broker:  # taken, then lost (a Redis restarted empty)
        broker.setattr(tasks.deliver, "apply_async", lambda *args, **kwargs: None)
        request = _export(member, django_capture_on_commit_callbacks)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}

    call_command("relay_outbox")  # too soon: they may still be on their way
    request.refresh_from_db()
    assert request.status == DataRequest.Status.RECEIVED

    OutboxMessage.objects.update(
        sent_at=timezone.now() - timedelta(seconds=settings.OUTBOX_RESEND_SECONDS + 1)
    )
    lost = set(OutboxMessage.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("relay_outbox")
    request.refresh_from_db()
    assert request.status == DataRequest.Status.COMPLETED
    relayed = OutboxMessage.objects.filter(pk__in=lost)
    assert {(m.status, m.handovers) for m in relayed} == {(Status.DONE, 2)}


def test_finished_rows_are_forgotten_after_the_keeping_period(settings):
    old = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS + 1)
    kept = OutboxMessage.objects.create(task="x", available_at=old, status=Status.PENDING)
    gone = OutboxMessage.objects.create(
        task="x", available_at=old, status=Status.DONE, finished_at=old
    )
    OutboxMessage.objects.filter(pk=kept.pk).update(available_at=timezone.now() + timedelta(1))

    call_command("relay_outbox")

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {kept.pk}
    assert not OutboxMessage.objects.filter(pk=gone.pk).exists()
    assert mail.outbox == []


def test_an_export_whose_try_failed_midway_is_built_by_the_next_try(
    member, django_capture_on_commit_callbacks, monkeypatch
):
    """The database went away while the export was being written: the request is left in
    progress, the row waits for its retry, and that retry builds it (it does not take
    the build in progress for a live twin's)."""
    from django.db import OperationalError

    from privacy.requests import exports

    real_write = exports.export_write

    def write_once_failing(**kwargs):
        monkeypatch.setattr(exports, "export_write", real_write)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(exports, "export_write", write_once_failing)
    request = _export(member, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    build = OutboxMessage.objects.get(task="privacy.tasks.build_export")
    assert request.status == DataRequest.Status.IN_PROGRESS
    assert (build.status, build.last_error) == (Status.PENDING, "OperationalError on try 1")

    OutboxMessage.objects.filter(pk=build.pk).update(available_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("relay_outbox")

    request.refresh_from_db()
    build.refresh_from_db()
    assert request.status == DataRequest.Status.COMPLETED and request.export_file
    assert (build.status, build.attempts) == (Status.DONE, 2)


def test_a_mail_sent_again_after_its_worker_died_carries_the_same_message_id(
    member, settings, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """The mail server took the notice, then the worker was SIGKILLed before it marked the
    row done: the row is run again and the notice is sent again. Both copies have one
    Message-ID, so the member's mail server and client show it once."""
    from outbox import tasks

    settings.EMAIL_BACKEND = "outbox.email_backend.OutboxMessageIdBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with monkeypatch.context() as broker:
        broker.setattr(tasks.deliver, "apply_async", lambda *args, **kwargs: None)
        _export(member, django_capture_on_commit_callbacks)
        _export(UserFactory(), django_capture_on_commit_callbacks)
    first, other = OutboxMessage.objects.filter(
        task="privacy.tasks.send_data_request_notice"
    ).order_by("pk")

    assert message_run(key=str(first.key), delivery_id="first-delivery") == "done"
    OutboxMessage.objects.filter(pk=first.pk).update(  # as the killed worker left it
        status=Status.RUNNING, args=first.args, lease_until=timezone.now() + timedelta(minutes=5)
    )
    assert message_run(key=str(first.key), delivery_id="first-delivery") == "done"
    assert message_run(key=str(other.key), delivery_id="other-delivery") == "done"

    ids = [m.message()["Message-ID"] for m in mailoutbox]
    assert len(ids) == 3
    assert ids[0] == ids[1] and ids[0].startswith("<outbox.")
    assert ids[2] != ids[0]
    # Mail sent with no outbox row running keeps a fresh Message-ID of its own.
    mail.send_mail("Hello", "Body", None, ["someone@example.org"])
    mail.send_mail("Hello", "Body", None, ["someone@example.org"])
    assert mailoutbox[3].message()["Message-ID"] != mailoutbox[4].message()["Message-ID"]


def test_a_done_row_keeps_no_arguments_a_failed_one_keeps_them(
    member, settings, mailoutbox, django_capture_on_commit_callbacks
):
    _export(member, django_capture_on_commit_callbacks)
    done = OutboxMessage.objects.filter(task="privacy.tasks.send_data_request_notice")
    assert [(row.status, row.args) for row in done] == [(Status.DONE, [])] * done.count() != []

    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FailingSMTP"
    settings.OUTBOX_MAX_ATTEMPTS = 1
    _export(UserFactory(), django_capture_on_commit_callbacks)
    failed = OutboxMessage.objects.filter(task="privacy.tasks.send_data_request_notice").latest(
        "pk"
    )
    assert failed.status == Status.FAILED and failed.args  # staff can see what did not go
