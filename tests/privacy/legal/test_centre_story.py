"""The privacy centre tells the whole story: legal disclosures once the member may be told
(exactly what the notice e-mail says, never the officer or reference), open requests with
their deadlines and what holds them (a legal hold named only where no non-disclosure order
forbids it), and staff accesses with role, purpose and fields by label."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy.legal.models import LegalRequest
from privacy.legal.services import legal_nondisclosure_record
from privacy.requests.models import DataRequest
from privacy.roles import Role
from tests.activity.factories import ClientSessionFactory
from tests.privacy.factories import LegalHoldFactory
from tests.privacy.legal.factories import INTAKE, as_actor, legal_request, walk

pytestmark = pytest.mark.django_db
Status = LegalRequest.Status
CENTRE = reverse("privacy:centre")


def _centre(member) -> str:
    member.refresh_from_db()  # asking for deletion ended its sessions
    client = Client()
    client.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    return client.get(CENTRE).text


def _section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def _secret_words():
    return [INTAKE[k] for k in INTAKE if k != "jurisdiction"]


def test_a_disclosure_appears_once_the_member_may_be_told_and_says_what_the_mail_says(
    target, officer, approver, mailoutbox
):
    ClientSessionFactory(member=target)
    case = legal_request(officer)
    legal_nondisclosure_record(
        request=case,
        actor=as_actor(officer),
        reason="No notice while the inquiry runs.",
        until=timezone.now() + timedelta(days=30),
    )
    walk(case, Status.DELIVERED, officer=officer, approver=approver, scope=["account", "system"])

    deferred = _section(_centre(target), "disclosures-heading")
    assert "We have not told you of any disclosure" in deferred
    assert "Subpoena" not in deferred

    LegalRequest.objects.filter(pk=case.pk).update(
        nondisclosure_until=timezone.now() - timedelta(minutes=1)
    )
    from privacy.legal.notices import notices_send_due

    assert notices_send_due() == 1
    told = _section(_centre(target), "disclosures-heading")
    assert "Subpoena" in told
    assert "An authority in England and Wales" in told
    assert "Account information" in told and "System information" in told
    assert "Support information" not in told
    for never in _secret_words():
        assert never not in told


def _ask_deletion(member):
    client = Client()
    client.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    from tests.accounts.factories import PASSWORD

    assert (
        client.post(reverse("privacy:deletion_request"), {"password": PASSWORD}).status_code == 200
    )
    return DataRequest.objects.get(member=member, kind=DataRequest.Kind.DELETION)


def test_an_open_deletion_shows_its_deadline_and_the_hold_when_no_order_forbids_it(member):
    LegalHoldFactory(member=member, categories=["support"], legal_request=None)
    data_request = _ask_deletion(member)

    requests = _section(_centre(member), "requests-heading")
    assert f"Deletion of my data #{data_request.pk}" in requests
    assert data_request.due_at.strftime("%-d %B %Y") in requests
    assert "Grace period: you can cancel until" in requests
    assert "A legal hold keeps your support information until its case ends" in requests
    assert "PR-2026-0042" not in requests  # never the hold's reason or reference


def test_a_hold_whose_case_has_a_non_disclosure_order_is_not_named(target, officer):
    case = legal_request(officer)
    legal_nondisclosure_record(
        request=case,
        actor=as_actor(officer),
        reason="No notice while the inquiry runs.",
        until=timezone.now() + timedelta(days=30),
    )
    LegalHoldFactory(member=target, categories=["support"], legal_request=case)
    _ask_deletion(target)

    requests = _section(_centre(target), "requests-heading")
    assert "waiting on a legal obligation to keep some data" in requests
    assert "legal hold" not in requests.lower()
    assert "support information" not in requests.lower()


def test_staff_accesses_show_role_purpose_and_labels_and_collapse(member, staff_client):
    support = staff_client(Role.SUPPORT_AGENT)
    for _ in range(3):
        assert (
            support.get(reverse("admin:accounts_user_change", args=[member.pk])).status_code == 200
        )
    staff = _section(_centre(member), "staff-heading")
    assert "Support agent" in staff
    assert "Answering the member" in staff
    assert "(3 times)" in staff
    assert "Login name" in staff and "login_name" not in staff
    assert staff.count("<tr>") == 2  # the header and one collapsed row


def test_an_access_shows_the_role_the_staff_member_held_then_not_now(member, staff_client):
    from django.contrib.auth.models import Group

    staff = staff_client(Role.SUPPORT_AGENT)
    assert staff.get(reverse("admin:accounts_user_change", args=[member.pk])).status_code == 200
    # Later they move to billing, and look again.
    staff.staff.groups.set([Group.objects.get(name=Role.BILLING_AGENT.label)])
    assert staff.get(reverse("admin:orders_order_changelist")).status_code == 200
    assert staff.get(reverse("admin:accounts_user_change", args=[member.pk])).status_code == 200

    rows = _section(_centre(member), "staff-heading").split("<tr>")[2:]
    assert len(rows) == 2
    newest, oldest = rows
    assert "Billing agent" in newest and "Support agent" not in newest
    assert "Support agent" in oldest and "Billing agent" not in oldest
    assert "Answering the member" in oldest
