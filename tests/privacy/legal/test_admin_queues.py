"""The staff queues: closed requests hidden by default, an "overdue" filter, a delivered or
closed legal case never flagged overdue, and one date format."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.legal.models import LegalRequest
from privacy.requests.models import DataRequest
from privacy.roles import Role
from tests.accounts.factories import sign_in_verified
from tests.privacy.factories import DataRequestFactory
from tests.privacy.legal.factories import legal_request, walk

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:privacy_datarequest_changelist")
CASES = reverse("admin:privacy_legalrequest_changelist")


def _shown(response, objects) -> set[int]:
    result = response.context["cl"].result_list
    return {o.pk for o in result} & {o.pk for o in objects}


def test_closed_requests_are_hidden_unless_asked_for_and_overdue_is_a_filter(
    member, other_member, staff_client
):
    now = timezone.now()
    late = DataRequestFactory(member=member, kind="export", due_at=now - timedelta(days=2))
    on_time = DataRequestFactory(member=other_member, kind="export", due_at=now + timedelta(days=9))
    done = DataRequestFactory(
        member=member, kind="correction", status="completed", due_at=now - timedelta(days=5)
    )
    officer = staff_client(Role.PRIVACY_OFFICER)
    everything = [late, on_time, done]

    assert _shown(officer.get(QUEUE), everything) == {late.pk, on_time.pk}
    assert _shown(officer.get(QUEUE, {"status": "all"}), everything) == {
        late.pk,
        on_time.pk,
        done.pk,
    }
    assert _shown(officer.get(QUEUE, {"status": "completed"}), everything) == {done.pk}
    overdue = officer.get(QUEUE, {"overdue": "yes"})
    assert _shown(overdue, everything) == {late.pk}
    page = overdue.content.decode()
    assert "overdue" in page
    assert late.due_at.strftime("%-d %b %Y") in page  # one format: "2 Dec 2026"
    assert not DataRequest.objects.get(pk=done.pk).is_overdue


def test_a_delivered_or_closed_legal_case_is_never_overdue(target, officer, approver, client):
    delivered = legal_request(officer)
    walk(
        delivered,
        LegalRequest.Status.DELIVERED,
        officer=officer,
        approver=approver,
        scope=["account"],
    )
    closed = legal_request(officer)
    walk(closed, LegalRequest.Status.CLOSED, officer=officer, approver=approver, scope=["account"])
    waiting = legal_request(officer)
    past = timezone.now() - timedelta(days=3)
    LegalRequest.objects.update(received_at=past - timedelta(days=30), due_at=past)
    for case in (delivered, closed, waiting):
        case.refresh_from_db()
    assert not delivered.is_overdue and not closed.is_overdue
    assert waiting.is_overdue

    sign_in_verified(client, officer)
    cases = [delivered, closed, waiting]
    assert _shown(client.get(CASES, {"overdue": "yes"}), cases) == {waiting.pk}
    assert _shown(client.get(CASES), cases) == {delivered.pk, waiting.pk}  # closed hidden
