"""Announcements: composed in the admin, sent by e-mail in the background in batches,
with a delivery status per recipient, and kept on the member's notices page."""

import pytest
from django.core import mail
from django.urls import reverse

from outbox.models import OutboxMessage
from privacy.audit.models import AuditEvent
from privacy.roles import Role
from support import errors, tasks
from support.announcements import services
from support.announcements.selectors import pending_delivery_ranges
from support.errors import SERVICE_ANNOUNCEMENTS_MANDATORY
from support.models import Announcement, AnnouncementDelivery
from tests.accounts.factories import StaffFactory, UserFactory
from tests.support.factories import AnnouncementFactory
from tests.support.refusing_mail import DISCONNECT_PREFIX, REFUSED_PREFIX

CHANGELIST = reverse("admin:support_announcement_changelist")


@pytest.fixture
def members(db):
    return {
        "opted_in": UserFactory(email="in@example.org", newsletter_opt_in=True),
        "opted_out": UserFactory(email="out@example.org", newsletter_opt_in=False),
        "closed": UserFactory(email="closed@example.org", is_active=False, newsletter_opt_in=True),
        "staff": StaffFactory(email="staff@bestqm.example", newsletter_opt_in=True),
    }


def send(staff_client, announcement, capture):
    client = staff_client(Role.SUPPORT_AGENT)
    with capture(execute=True):
        return client.post(
            CHANGELIST, {"action": "send", "_selected_action": [announcement.pk]}, follow=True
        )


@pytest.mark.django_db
def test_a_service_announcement_reaches_every_active_member_and_cannot_be_unsubscribed(
    staff_client, members, django_capture_on_commit_callbacks, mailoutbox
):
    announcement = AnnouncementFactory(kind="service", subject="Maintenance on Sunday")

    response = send(staff_client, announcement, django_capture_on_commit_callbacks)

    assert "in the background" in " ".join(str(m) for m in response.context["messages"])
    assert sorted(m.to[0] for m in mailoutbox) == ["in@example.org", "out@example.org"]
    message = mailoutbox[0]
    assert message.subject == "[BestQM] Maintenance on Sunday"
    assert "List-Unsubscribe" not in message.extra_headers
    assert SERVICE_ANNOUNCEMENTS_MANDATORY in message.body
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT and announcement.sent_at
    statuses = dict(announcement.deliveries.values_list("member__email", "status"))
    assert statuses == {"in@example.org": "sent", "out@example.org": "sent"}
    assert AuditEvent.objects.filter(event_type="announcement.sent").count() == 1


@pytest.mark.django_db
def test_a_newsletter_reaches_only_members_who_opted_in_with_a_one_click_link(
    staff_client, members, django_capture_on_commit_callbacks, mailoutbox
):
    announcement = AnnouncementFactory(kind="newsletter", subject="What's new")

    send(staff_client, announcement, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert message.to == ["in@example.org"]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://testserver/support/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body


@pytest.mark.django_db
def test_delivery_runs_in_batches_of_the_configured_size(
    settings, members, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    settings.ANNOUNCEMENT_BATCH_SIZE = 2
    UserFactory.create_batch(3)
    announcement = AnnouncementFactory(kind="service")
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send(
            announcement=announcement, actor=_actor(), base_url="https://bestqm.example"
        )

    assert len(mailoutbox) == 5
    # One outbox row per batch, each done.
    batches = OutboxMessage.objects.filter(task=tasks.announcement_batch_send.name)
    assert [b.status for b in batches] == ["done"] * 3
    assert AnnouncementDelivery.objects.filter(status="sent").count() == 5


def _actor():
    from privacy.audit.services import Actor

    return Actor.system()


@pytest.mark.django_db
def test_recipients_who_left_or_unsubscribed_before_their_batch_are_skipped(members):
    announcement = AnnouncementFactory(kind="newsletter")
    other = UserFactory(newsletter_opt_in=True)
    services.announcement_send(
        announcement=announcement, actor=_actor(), base_url="https://x.example"
    )
    services.announcement_recipients_record(announcement_id=announcement.pk)
    other.newsletter_opt_in = False
    other.save()
    members["opted_in"].is_active = False
    members["opted_in"].save()

    [(first, last)] = pending_delivery_ranges(announcement_id=announcement.pk, size=10)
    counts = services.deliveries_send(
        announcement_id=announcement.pk, first_id=first, last_id=last, base_url="https://x.example"
    )

    assert counts["skipped"] == 2 and counts["sent"] == 0
    assert mail.outbox == []
    details = set(announcement.deliveries.values_list("detail", flat=True))
    assert any("unsubscribed" in d for d in details) and any("closed" in d for d in details)
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT


@pytest.mark.django_db
def test_a_refused_address_fails_alone_and_its_status_names_no_address(
    settings, members, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.support.refusing_mail.RefusingBackend"
    UserFactory(email=f"{REFUSED_PREFIX}.someone@example.org")
    announcement = AnnouncementFactory(kind="service")
    services.announcement_send(
        announcement=announcement, actor=_actor(), base_url="https://x.example"
    )

    with django_capture_on_commit_callbacks(execute=True):  # as a worker, outside a transaction
        tasks.announcement_fan_out(announcement.pk, "https://x.example")

    failed = announcement.deliveries.get(status="failed")
    assert failed.member.email.startswith(REFUSED_PREFIX)
    assert "SMTPRecipientsRefused" in failed.detail and "@" not in failed.detail
    assert announcement.deliveries.filter(status="sent").count() == 2
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT


@pytest.mark.django_db
def test_when_the_mail_server_goes_away_the_rest_of_the_batch_waits_for_a_retry(settings, db):
    settings.EMAIL_BACKEND = "tests.support.refusing_mail.RefusingBackend"
    first = UserFactory(email="first@example.org")
    lost = UserFactory(email=f"{DISCONNECT_PREFIX}@example.org")
    UserFactory(email="third@example.org")
    announcement = AnnouncementFactory(kind="service")
    services.announcement_send(
        announcement=announcement, actor=_actor(), base_url="https://x.example"
    )
    services.announcement_recipients_record(announcement_id=announcement.pk)
    [(low, high)] = pending_delivery_ranges(announcement_id=announcement.pk, size=10)

    with pytest.raises(errors.MailServerUnavailable):
        services.deliveries_send(
            announcement_id=announcement.pk, first_id=low, last_id=high, base_url=""
        )

    statuses = dict(announcement.deliveries.values_list("member__email", "status"))
    assert statuses[first.email] == "sent"
    assert statuses[lost.email] == statuses["third@example.org"] == "pending"
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENDING

    lost.email = "back@example.org"  # the server is reachable again
    lost.save()
    services.deliveries_send(
        announcement_id=announcement.pk, first_id=low, last_id=high, base_url=""
    )

    assert sorted(m.to[0] for m in mail.outbox) == [
        "back@example.org",
        "first@example.org",
        "third@example.org",
    ]
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT


@pytest.mark.django_db
def test_a_batch_the_mail_server_drops_is_retried_by_the_outbox_until_it_is_sent(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    from django.core.management import call_command
    from django.utils import timezone

    settings.EMAIL_BACKEND = "tests.support.refusing_mail.RefusingBackend"
    UserFactory(email="first@example.org")
    lost = UserFactory(email=f"{DISCONNECT_PREFIX}@example.org")
    announcement = AnnouncementFactory(kind="service")
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send(
            announcement=announcement, actor=_actor(), base_url="https://x.example"
        )
    batch = OutboxMessage.objects.get(task=tasks.announcement_batch_send.name)
    assert (batch.status, batch.last_error) == ("pending", "MailServerUnavailable on try 1")
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENDING

    lost.email = "back@example.org"  # the server is reachable again
    lost.save()
    OutboxMessage.objects.filter(pk=batch.pk).update(available_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("relay_outbox")

    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == ("done", 2)
    assert sorted(m.to[0] for m in mailoutbox) == ["back@example.org", "first@example.org"]
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT


@pytest.mark.django_db
def test_running_a_batch_twice_sends_each_email_once(
    members, mailoutbox, django_capture_on_commit_callbacks
):
    announcement = AnnouncementFactory(kind="service")
    services.announcement_send(
        announcement=announcement, actor=_actor(), base_url="https://x.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.announcement_fan_out(announcement.pk, "https://x.example")
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.announcement_fan_out(announcement.pk, "https://x.example")
    first = announcement.deliveries.order_by("pk").first().pk
    tasks.announcement_batch_send(announcement.pk, first, first + 100, "https://x.example")

    assert len(mailoutbox) == sent == 2
    assert announcement.deliveries.count() == 2


@pytest.mark.django_db
def test_an_announcement_is_sent_once_and_then_cannot_be_changed(
    staff_client, members, django_capture_on_commit_callbacks, mailoutbox
):
    announcement = AnnouncementFactory(kind="service", subject="Original")
    send(staff_client, announcement, django_capture_on_commit_callbacks)
    sent = len(mailoutbox)

    again = send(staff_client, announcement, django_capture_on_commit_callbacks)
    assert "already been sent" in " ".join(str(m) for m in again.context["messages"])
    client = staff_client(Role.SUPPORT_AGENT)
    change = reverse("admin:support_announcement_change", args=[announcement.pk])
    client.post(change, {"kind": "newsletter", "subject": "Changed", "body": "Changed"})
    delete = reverse("admin:support_announcement_delete", args=[announcement.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    announcement.refresh_from_db()
    assert (announcement.subject, announcement.kind) == ("Original", "service")
    assert len(mailoutbox) == sent


@pytest.mark.django_db
def test_support_composes_a_draft_in_the_admin(staff_client):
    client = staff_client(Role.SUPPORT_AGENT)
    add = reverse("admin:support_announcement_add")

    refused = client.post(add, {"kind": "service", "subject": "Two\nlines", "body": "x"})
    assert refused.status_code == 200 and not Announcement.objects.exists()

    client.post(add, {"kind": "newsletter", "subject": "Spring news", "body": "Hello all"})
    draft = Announcement.objects.get()
    assert draft.status == Announcement.Status.DRAFT
    assert draft.created_by == client.staff
    assert staff_client(Role.BILLING_AGENT).get(add).status_code == 403


@pytest.mark.django_db
def test_staff_see_each_recipients_delivery_status_but_not_their_address(
    staff_client, members, django_capture_on_commit_callbacks
):
    announcement = AnnouncementFactory(kind="service")
    send(staff_client, announcement, django_capture_on_commit_callbacks)
    client = staff_client(Role.SUPPORT_AGENT)

    page = client.get(reverse("admin:support_announcement_change", args=[announcement.pk]))
    listing = client.get(
        reverse("admin:support_announcementdelivery_changelist"),
        {"announcement__id__exact": announcement.pk},
    )

    assert "sent: 2" in page.text and "failed: 0" in page.text
    assert listing.status_code == 200
    assert f"Member #{members['opted_in'].pk}" in listing.text
    assert "in@example.org" not in listing.text
    assert staff_client(Role.LEGAL_OFFICER).get(listing.request["PATH_INFO"]).status_code == 403


@pytest.mark.django_db
def test_the_notices_page_shows_what_the_member_was_sent(
    member_client, member, other_member, django_capture_on_commit_callbacks
):
    received = AnnouncementFactory(kind="service", subject="We moved data centres")
    AnnouncementFactory(kind="service", subject="Still a draft")
    not_for_them = AnnouncementFactory(kind="newsletter", subject="Newsletter they skipped")
    with django_capture_on_commit_callbacks(execute=True):
        for announcement in (received, not_for_them):
            services.announcement_send(
                announcement=announcement, actor=_actor(), base_url="https://x.example"
            )

    page = member_client.get(reverse("support:notices"))

    assert "We moved data centres" in page.text
    assert "Still a draft" not in page.text and "Newsletter they skipped" not in page.text
    assert "members are not able to un-subscribe from service announcements" in page.text
