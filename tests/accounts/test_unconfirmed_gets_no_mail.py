"""Until a member follows their confirmation link, the address receives no mail but the
confirmation and its resend: whatever else would write to it (a support reply, a failed
payment, a data request's progress, a legal notice, a password reset, someone signing up
with it again) sends nothing, or sends the confirmation link in its place."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from orders.payments import payment_failed_tell
from privacy.requests.models import DataRequest
from privacy.requests.notices import data_request_notice_send
from support.tickets.notifications import member_notify
from tests.accounts.factories import UserFactory
from tests.accounts.test_signup import signup_data
from tests.orders.factories import OrderFactory
from tests.support.factories import TicketFactory

pytestmark = pytest.mark.django_db
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/email/confirm/\S+/")


@pytest.fixture
def unconfirmed(db):
    return UserFactory(
        login_name="una.unconfirmed", email="una@example.org", email_verified_at=None
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_support_reply_is_on_the_ticket_not_in_an_unconfirmed_mailbox(unconfirmed, mailoutbox):
    confirmed = UserFactory()
    for member in (unconfirmed, confirmed):
        ticket = TicketFactory(member=member)
        member_notify(ticket_pk=ticket.pk, event="replied", base_url="http://testserver")

    assert [m.to for m in mailoutbox] == [[confirmed.email]]


def test_a_failed_payment_mails_only_a_confirmed_account(unconfirmed, mailoutbox):
    confirmed = UserFactory()
    for member in (unconfirmed, confirmed):
        order = OrderFactory(
            member=member, status=Order.Status.PAYMENT_FAILED, billing_email=member.email
        )
        payment_failed_tell(order_pk=order.pk, domain="testserver", use_https=False)

    assert [m.to for m in mailoutbox] == [[confirmed.email]]


def test_a_data_request_notice_mails_only_a_confirmed_account(unconfirmed, mailoutbox):
    confirmed = UserFactory()
    for member in (unconfirmed, confirmed):
        request = DataRequest.objects.create(member=member, kind="export", due_at=timezone.now())
        data_request_notice_send(request_id=request.pk, notice="received")

    assert [m.to for m in mailoutbox] == [[confirmed.email]]


def test_a_password_reset_for_an_unconfirmed_address_sends_the_confirmation_instead(
    unconfirmed, on_commit, mailoutbox
):
    with on_commit():
        response = Client().post(reverse("accounts:password_reset"), {"email": "una@example.org"})

    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["una@example.org"]
    assert "Confirm your BestQM e-mail address" in mail.subject
    assert CONFIRM_LINK.search(mail.body)
    assert "/accounts/reset/" not in mail.body and "password/reset/confirm" not in mail.body


def test_signing_up_again_with_an_unconfirmed_address_sends_its_confirmation_again(
    unconfirmed, on_commit, mailoutbox
):
    with on_commit():
        Client().post(
            reverse("accounts:signup"), signup_data(login_name="other.one", email="una@example.org")
        )

    (mail,) = mailoutbox
    assert mail.to == ["una@example.org"]
    assert "Confirm your BestQM e-mail address" in mail.subject
    assert "Someone tried to sign up" not in mail.subject
