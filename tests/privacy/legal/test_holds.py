"""Legal holds placed by a case protect its data from the member's own deletion request and
from retention purges until the case releases them. The member's deletion request shows
that it waits on a legal obligation, never which case; once the hold ends the scheduled job
finishes the erasure."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import PublicProfile, User
from activity.models import PageView
from activity.retention import retention_run
from orders.models import Order
from orders.retention import orders_anonymise_expired
from privacy.legal.intake import TargetInput
from privacy.legal.models import LegalRequest
from privacy.legal.services import legal_nondisclosure_record, legal_request_withdraw
from privacy.requests.deletions import deletions_run_due
from privacy.requests.models import DataRequest
from support.models import Ticket
from tests.accounts.factories import PASSWORD
from tests.activity.factories import PageViewFactory
from tests.orders.factories import OrderFactory
from tests.privacy.legal.factories import (
    INTAKE,
    as_actor,
    legal_request,
    walk,
)
from tests.support.factories import TicketFactory

pytestmark = pytest.mark.django_db
Status = LegalRequest.Status
CASE_WORDS = [INTAKE["reference_number"], INTAKE["authority"], "Legal case", "subpoena", "court"]


@pytest.fixture
def target(target):
    TicketFactory(member=target)
    return target


def _signed_in(member) -> Client:
    client = Client()
    # Asking for deletion ended every session: sign in with the account as it is now.
    member = User.objects.get(pk=member.pk)
    client.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    return client


def _ask_deletion(member) -> DataRequest:
    _signed_in(member).post(reverse("privacy:deletion_request"), {"password": PASSWORD})
    return DataRequest.objects.get(member=member, kind="deletion")


def _after_grace(data_request):
    return data_request.erase_after + timedelta(seconds=1)


def _progress_mails(mailoutbox):
    return [m for m in mailoutbox if m.subject == "An update on your deletion request"]


def test_a_held_members_deletion_waits_without_naming_the_case_then_finishes_when_released(
    target, officer, approver, mailoutbox
):
    case = legal_request(officer)
    legal_nondisclosure_record(
        request=case,
        actor=as_actor(officer),
        reason="No notice while the inquiry runs.",
        until=timezone.now() + timedelta(days=60),
    )
    data_request = _ask_deletion(target)

    # During the grace period the member sees that it will wait, and nothing of the case.
    client = _signed_in(target)
    page = client.get(reverse("privacy:request", args=[data_request.pk])).text
    assert "A legal obligation to keep some of your data" in page
    centre = client.get(reverse("privacy:centre")).text
    assert "waiting on a legal obligation to keep some data" in centre
    api = client.get(f"/api/v1/me/data-requests/{data_request.pk}/").json()
    assert api["waiting_on_legal_obligation"] is True
    for words in CASE_WORDS:
        assert words not in page and words not in centre and words not in str(api)

    deletions_run_due(now=_after_grace(data_request))
    deletions_run_due(now=_after_grace(data_request) + timedelta(minutes=15))  # the job re-runs

    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.IN_PROGRESS
    assert "kept for now to meet a legal obligation" in data_request.outcome
    assert User.objects.get(pk=target.pk).login_name == "rosa.member"  # held
    assert PublicProfile.objects.filter(member=target).exists()
    assert Ticket.objects.filter(member=target).exists()
    [mail] = _progress_mails(mailoutbox)  # told once, not on every run
    assert not any(words in mail.body for words in CASE_WORDS)

    walk(case, Status.CLOSED, officer=officer, approver=approver)  # the case ends
    deletions_run_due(now=_after_grace(data_request) + timedelta(minutes=30))

    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert User.objects.get(pk=target.pk).login_name != "rosa.member"
    assert not PublicProfile.objects.filter(member=target).exists()
    assert not Ticket.objects.filter(member=target).exists()
    assert mailoutbox[-1].subject == "Your deletion request is complete"
    assert mailoutbox[-1].to == ["rosa.private@example.org"]


def test_a_deletion_with_no_hold_does_not_say_it_waits(member, member_client):
    data_request = _ask_deletion(member)
    api = _signed_in(member).get(f"/api/v1/me/data-requests/{data_request.pk}/").json()
    assert api["waiting_on_legal_obligation"] is False
    page = _signed_in(member).get(reverse("privacy:request", args=[data_request.pk])).text
    assert "legal obligation" not in page


def test_an_ip_target_keeps_the_addresses_activity_in_its_window_from_retention(
    officer, approver, settings
):
    settings.ACTIVITY_EVENT_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=40)
    held = PageViewFactory(member=None, ip_address="198.51.100.7", occurred_at=old)
    outside_window = PageViewFactory(
        member=None, ip_address="198.51.100.7", occurred_at=old - timedelta(days=2)
    )
    other_address = PageViewFactory(member=None, ip_address="198.51.100.8", occurred_at=old)
    case = legal_request(
        officer,
        targets=[
            TargetInput("ip", "198.51.100.7", old - timedelta(hours=1), old + timedelta(hours=1))
        ],
    )

    retention_run()

    remaining = set(PageView.objects.values_list("pk", flat=True))
    assert held.pk in remaining
    assert outside_window.pk not in remaining and other_address.pk not in remaining

    legal_request_withdraw(request=case, actor=as_actor(officer))
    retention_run()
    assert not PageView.objects.filter(pk=held.pk).exists()


def test_a_targets_orders_are_kept_past_the_accounting_period_while_the_case_is_open(
    target, officer, approver, settings
):
    settings.ACCOUNTING_RETENTION_DAYS = 10
    order = OrderFactory(member=target, status=Order.Status.FULFILLED)
    Order.objects.filter(pk=order.pk).update(status_changed_at=timezone.now() - timedelta(days=11))
    case = legal_request(officer)

    assert orders_anonymise_expired() == 0
    order.refresh_from_db()
    assert order.member == target and order.billing_name

    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    legal_request_withdraw(request=case, actor=as_actor(approver))
    assert orders_anonymise_expired() == 1


def test_a_member_seen_at_a_held_address_keeps_that_activity_through_their_erasure(member, officer):
    seen_at = timezone.now() - timedelta(days=5)
    view = PageViewFactory(member=member, ip_address="198.51.100.7", occurred_at=seen_at)
    case = legal_request(
        officer,
        targets=[
            TargetInput(
                "ip", "198.51.100.0/24", seen_at - timedelta(hours=1), seen_at + timedelta(hours=1)
            )
        ],
    )
    data_request = _ask_deletion(member)

    deletions_run_due(now=_after_grace(data_request))

    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.IN_PROGRESS
    assert PageView.objects.filter(pk=view.pk, member=member).exists()  # evidence, kept
    assert User.objects.get(pk=member.pk).email != "rosa.private@example.org"  # not held

    legal_request_withdraw(request=case, actor=as_actor(officer))
    deletions_run_due(now=_after_grace(data_request) + timedelta(minutes=15))

    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert not PageView.objects.filter(pk=view.pk).exists()
