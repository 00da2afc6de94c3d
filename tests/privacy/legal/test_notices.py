"""Member notice of a disclosure: sent on delivery; deferred by a non-disclosure order and
sent by the scheduled job when it ends; after an emergency, sent when the case is closed.
The e-mail says which categories went to which kind of authority, never who asked."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from privacy.audit.models import AuditEvent
from privacy.legal.errors import LegalRequestError
from privacy.legal.intake import TargetInput
from privacy.legal.models import LegalEvent, LegalRequest
from privacy.legal.notices import notices_send_due
from privacy.legal.services import legal_nondisclosure_record
from tests.activity.factories import ClientSessionFactory
from tests.privacy.legal.factories import (
    INTAKE,
    as_actor,
    legal_request,
    walk,
)

pytestmark = pytest.mark.django_db
Status = LegalRequest.Status
Notice = LegalRequest.Notice
SUBJECT = "We disclosed some of your data under legal process"


@pytest.fixture
def target(target):
    ClientSessionFactory(member=target)
    return target


def _notices(mailoutbox):
    return [m for m in mailoutbox if m.subject == SUBJECT]


def _nondisclosure(case, officer, days=90):
    legal_nondisclosure_record(
        request=case,
        actor=as_actor(officer),
        reason="Order of the Crown Court, s. 12: no notice while the inquiry runs.",
        until=timezone.now() + timedelta(days=days),
    )


def test_members_are_told_on_delivery_what_went_to_which_kind_of_authority(
    target, officer, approver, mailoutbox
):
    case = legal_request(officer)
    walk(case, Status.DELIVERED, officer=officer, approver=approver, scope=["account", "system"])

    [mail] = _notices(mailoutbox)
    assert mail.to == ["rosa.private@example.org"]
    assert "Legal basis: Subpoena" in mail.body
    assert "an authority in England and Wales" in mail.body
    assert "- Account information" in mail.body and "- System information" in mail.body
    assert "Support information" not in mail.body
    for never in (*[INTAKE[k] for k in INTAKE if k != "jurisdiction"], "rosa_public"):
        assert never not in mail.body  # not the officer, the authority's reference, the case
    case.refresh_from_db()
    assert case.notice == Notice.SENT and case.notice_sent_at
    assert AuditEvent.objects.filter(event_type=LegalEvent.NOTICE_SENT).count() == 1


def test_a_non_disclosure_order_defers_the_notice_until_it_ends(
    target, officer, approver, mailoutbox
):
    case = legal_request(officer)
    _nondisclosure(case, officer)
    walk(case, Status.DELIVERED, officer=officer, approver=approver)

    case.refresh_from_db()
    assert case.notice == Notice.DEFERRED
    assert not _notices(mailoutbox)
    assert notices_send_due() == 0  # the order still runs
    assert not _notices(mailoutbox)

    LegalRequest.objects.filter(pk=case.pk).update(nondisclosure_until=timezone.now())
    out = io.StringIO()
    call_command("run_legal_requests", stdout=out)

    assert "notices sent: 1;" in out.getvalue()
    assert [m.to for m in _notices(mailoutbox)] == [["rosa.private@example.org"]]
    case.refresh_from_db()
    assert case.notice == Notice.SENT
    assert notices_send_due() == 0  # told once
    assert len(_notices(mailoutbox)) == 1


def test_after_an_emergency_members_are_told_once_it_is_over(target, officer, approver, mailoutbox):
    case = legal_request(officer, request_type="emergency")
    walk(case, Status.DELIVERED, officer=officer, approver=approver, reason="Danger to life.")

    case.refresh_from_db()
    assert case.notice == Notice.AFTER_EMERGENCY
    assert not _notices(mailoutbox)

    walk(case, Status.CLOSED, officer=officer, approver=approver)

    assert case.notice == Notice.SENT
    assert "Legal basis: Emergency disclosure" in _notices(mailoutbox)[0].body


def test_an_emergency_under_a_non_disclosure_order_waits_for_the_order_too(
    target, officer, approver, mailoutbox
):
    case = legal_request(officer, request_type="emergency")
    walk(case, Status.DELIVERED, officer=officer, approver=approver, reason="Danger to life.")
    _nondisclosure(case, officer)
    walk(case, Status.CLOSED, officer=officer, approver=approver)

    assert case.notice == Notice.DEFERRED
    assert not _notices(mailoutbox)


def test_no_member_affected_means_no_notice(officer, approver, mailoutbox):
    start = timezone.now() - timedelta(days=1)
    case = legal_request(
        officer, targets=[TargetInput("ip", "198.51.100.7", start, start + timedelta(hours=1))]
    )
    walk(case, Status.DELIVERED, officer=officer, approver=approver)

    case.refresh_from_db()
    assert case.notice == Notice.NONE_AFFECTED
    assert not _notices(mailoutbox)


def test_a_non_disclosure_order_after_the_members_were_told_is_refused(target, officer, approver):
    case = legal_request(officer)
    walk(case, Status.DELIVERED, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError) as refused:
        _nondisclosure(case, officer)
    assert refused.value.code == "notice_sent"
    case.refresh_from_db()
    assert case.nondisclosure_until is None


def test_a_member_erased_before_the_notice_gets_no_mail_at_an_erased_address(
    target, officer, approver, mailoutbox
):
    from privacy.requests.erasure import member_erase

    case = legal_request(officer)
    _nondisclosure(case, officer)
    walk(case, Status.CLOSED, officer=officer, approver=approver)
    member_erase(member=target)  # the case is closed: nothing holds the data any more
    LegalRequest.objects.filter(pk=case.pk).update(nondisclosure_until=timezone.now())

    assert notices_send_due() == 1
    assert not _notices(mailoutbox)


def test_an_unconfirmed_address_is_not_mailed_the_notice(target, officer, approver, mailoutbox):
    target.email_verified_at = None
    target.save(update_fields=["email_verified_at"])
    case = legal_request(officer)
    walk(case, Status.DELIVERED, officer=officer, approver=approver, scope=["account", "system"])

    assert _notices(mailoutbox) == []
    case.refresh_from_db()
    assert case.notice == Notice.SENT  # told in the privacy centre, which needs no mailbox
