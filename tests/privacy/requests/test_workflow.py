"""The request workflow: due one month after receipt; extensions of up to two months with a
reason and a notice; the admin lists by due date, marks overdue ones, filters."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from privacy.requests.models import DataRequest
from privacy.roles import Role
from tests.privacy.factories import DataRequestFactory

pytestmark = pytest.mark.django_db


def _extend(client, data_request, months, reason="We are checking your orders."):
    return client.post(
        reverse("admin:privacy_datarequest_extend", args=[data_request.pk]),
        {"months": months, "reason": reason},
        follow=True,
    )


def test_a_request_is_due_one_month_after_receipt(member_client, member):
    member_client.post(reverse("privacy:export_request"))
    data_request = DataRequest.objects.get(member=member)
    assert data_request.due_at == data_request.received_at + relativedelta(months=1)


def test_an_extension_needs_a_reason_tells_the_member_and_stops_at_two_months(
    member, staff_client, mailoutbox
):
    data_request = DataRequestFactory(member=member, kind="correction")
    officer = staff_client(Role.PRIVACY_OFFICER)
    page = _extend(officer, data_request, 2, reason="").content.decode()
    assert "This field is required" in page

    _extend(officer, data_request, 2)
    data_request.refresh_from_db()
    assert data_request.due_at == data_request.received_at + relativedelta(months=3)
    assert "needs more time" in mailoutbox[-1].subject
    assert "We are checking your orders." in mailoutbox[-1].body

    page = _extend(officer, data_request, 1).content.decode()
    assert "at most two months in all" in page
    data_request.refresh_from_db()
    assert data_request.due_at == data_request.received_at + relativedelta(months=3)


def test_the_admin_lists_by_due_date_and_marks_overdue_ones(member, other_member, staff_client):
    late = DataRequestFactory(
        member=member,
        received_at=timezone.now() - timedelta(days=40),
        due_at=timezone.now() - timedelta(days=9),
    )
    DataRequestFactory(member=other_member, kind="deletion")
    officer = staff_client(Role.PRIVACY_OFFICER)
    response = officer.get(reverse("admin:privacy_datarequest_changelist"))
    page = response.content.decode()
    assert "overdue" in page
    assert response.context["cl"].result_list[0].pk == late.pk
    filtered = officer.get(
        reverse("admin:privacy_datarequest_changelist") + "?kind__exact=deletion"
    )
    assert [r.kind for r in filtered.context["cl"].result_list] == ["deletion"]


def test_extending_a_closed_request_is_refused(member, staff_client):
    data_request = DataRequestFactory(member=member, status=DataRequest.Status.COMPLETED)
    officer = staff_client(Role.PRIVACY_OFFICER)
    page = _extend(officer, data_request, 1).content.decode()
    assert "already completed" in page
