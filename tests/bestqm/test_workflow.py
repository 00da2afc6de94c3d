"""The one workflow core (bestqm.workflow): every record with a status declares its table
the same way, every refusal is a WorkflowError with a stable code, the API answers any of
them as a 409 in the one error shape, and a refused move changes nothing."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from activity.models import ClientSession
from activity.services import SessionEnded
from bestqm.workflow import StatusWorkflow, Transitions, WorkflowError
from orders.errors import OrderWorkflowError
from orders.models import Order
from privacy.audit.models import AuditEvent
from privacy.audit.services import Actor
from privacy.legal.errors import LegalRequestError
from privacy.legal.models import LegalRequest
from privacy.requests.errors import DataRequestError
from privacy.requests.models import DataRequest
from privacy.requests.services import REQUESTS, data_request_cancel, data_request_create
from support.errors import InvalidTicketMove, SupportError, TicketClosed
from support.models import Announcement, Ticket

WORKFLOW_MODELS = [Order, Ticket, Announcement, DataRequest, LegalRequest, ClientSession]


def test_a_table_that_leads_to_an_undeclared_status_is_refused_at_import():
    with pytest.raises(ImproperlyConfigured, match="undeclared statuses"):
        Transitions({"draft": {"sent"}})


@pytest.mark.parametrize("model", WORKFLOW_MODELS, ids=lambda m: m.__name__)
def test_every_status_model_declares_a_table_over_exactly_its_statuses(model):
    assert issubclass(model, StatusWorkflow)
    statuses = set(model.Status.values)
    for status in statuses:
        onward = model.TRANSITIONS.onward(status)
        assert onward <= statuses
        row = model(status=status)
        assert {s for s in statuses if row.can_become(s)} == onward
        assert row.is_open == bool(onward)


@pytest.mark.parametrize(
    "error",
    [
        DataRequestError,
        LegalRequestError,
        OrderWorkflowError,
        SupportError,
        InvalidTicketMove,
        TicketClosed,
        SessionEnded,
    ],
)
def test_every_workflow_error_is_one_kind_with_a_stable_code(error):
    assert issubclass(error, WorkflowError)
    raised = error("Not now.")
    assert raised.message == str(raised) == "Not now."
    assert raised.code == error.code != ""
    assert error("Not now.", code="some_code").code == "some_code"


@pytest.mark.django_db(transaction=True)
def test_a_move_outside_the_services_transaction_is_refused(member):
    request = DataRequest.objects.create(
        member=member, kind=DataRequest.Kind.EXPORT, due_at=timezone.now()
    )
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        REQUESTS.move(request, DataRequest.Status.CANCELLED)
    request.refresh_from_db()
    assert request.status == DataRequest.Status.RECEIVED


@pytest.mark.django_db
def test_a_refused_move_changes_nothing_and_records_nothing(member):
    request, _ = data_request_create(member=member, actor=Actor(user=member), kind="export")
    data_request_cancel(request=request, actor=Actor(user=member))
    before = AuditEvent.objects.count()

    with pytest.raises(DataRequestError) as refused, transaction.atomic():
        REQUESTS.move(REQUESTS.locked(request), DataRequest.Status.COMPLETED)

    assert refused.value.code == "request_not_open"
    assert "cancelled" in refused.value.message
    request.refresh_from_db()
    assert request.status == DataRequest.Status.CANCELLED and request.completed_at is None
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_api_answers_a_refused_data_request_step_as_a_409_with_its_code(member, member_api):
    request, _ = data_request_create(member=member, actor=Actor(user=member), kind="export")
    url = f"/api/v1/me/data-requests/{request.pk}/cancel/"
    assert member_api.post(url).status_code == 200

    again = member_api.post(url)

    assert again.status_code == 409
    assert again.json() == {
        "error": {
            "code": "request_not_open",
            "message": "This request is already cancelled; it can no longer be changed.",
        }
    }
