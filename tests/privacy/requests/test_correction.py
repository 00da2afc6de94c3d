"""Corrections: the member proposes values for fields they cannot edit; a privacy officer
sees a field-by-field diff in the admin and approves or denies each with a reason; the
approved value is written through the owning app's service."""

import pytest
from django.urls import reverse

from accounts.models import User
from privacy.audit.models import AuditEvent
from privacy.requests.models import CorrectionItem, DataRequest
from privacy.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
FORM = reverse("privacy:correction_request")


def _field(member, name="login_name"):
    return f"accounts.user__{member.pk}__{name}"


def _propose(client, member, value="rosa.quintero"):
    return client.post(FORM, {_field(member): value})


def _review(client, data_request):
    return reverse("admin:privacy_datarequest_review", args=[data_request.pk])


def test_the_form_offers_only_fields_the_member_cannot_edit(member, member_client):
    page = member_client.get(FORM).content.decode()
    assert "Login name" in page and "Now: rosa.member" in page
    assert _field(member, "email") not in page  # editable on the account page instead
    assert _field(member, "password") not in page


def test_member_proposes_and_a_privacy_officer_approves(
    member, member_client, staff_client, mailoutbox
):
    response = _propose(member_client, member)
    assert response.status_code == 302
    data_request = DataRequest.objects.get(member=member, kind="correction")
    item = data_request.items.get()
    assert (item.field_name, item.proposed_value) == ("login_name", "rosa.quintero")

    officer = staff_client(Role.PRIVACY_OFFICER)
    diff = officer.get(_review(officer, data_request)).content.decode()
    assert "<del>rosa.member</del>" in diff and "<ins>rosa.quintero</ins>" in diff

    response = officer.post(_review(officer, data_request), {f"decision-{item.pk}": "approve"})
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).login_name == "rosa.quintero"
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert AuditEvent.objects.filter(event_type="correction.approved", fields=["login_name"])
    assert "decided" in mailoutbox[-1].subject


def test_denial_needs_a_reason_and_the_member_is_shown_it(member, member_client, staff_client):
    _propose(member_client, member)
    data_request = DataRequest.objects.get(member=member)
    item = data_request.items.get()
    officer = staff_client(Role.PRIVACY_OFFICER)
    response = officer.post(_review(officer, data_request), {f"decision-{item.pk}": "deny"})
    assert "Say why the correction is denied" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == CorrectionItem.Decision.PENDING

    officer.post(
        _review(officer, data_request),
        {f"decision-{item.pk}": "deny", f"reason-{item.pk}": "Login names identify accounts."},
    )
    page = member_client.get(reverse("privacy:request", args=[data_request.pk])).content.decode()
    assert "Denied" in page and "Login names identify accounts." in page
    assert User.objects.get(pk=member.pk).login_name == "rosa.member"


def test_an_approval_the_owning_service_refuses_changes_nothing(
    member, member_client, staff_client
):
    UserFactory(login_name="taken.name")
    _propose(member_client, member, "taken.name")
    data_request = DataRequest.objects.get(member=member)
    item = data_request.items.get()
    officer = staff_client(Role.PRIVACY_OFFICER)
    response = officer.post(_review(officer, data_request), {f"decision-{item.pk}": "approve"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.decision == CorrectionItem.Decision.PENDING
    assert User.objects.get(pk=member.pk).login_name == "rosa.member"


def test_staff_without_the_privacy_role_get_403(member, member_client, staff_client):
    _propose(member_client, member)
    data_request = DataRequest.objects.get(member=member)
    item = data_request.items.get()
    for role in (Role.SUPPORT_AGENT, Role.BILLING_AGENT, Role.LEGAL_OFFICER):
        agent = staff_client(role)
        response = agent.post(_review(agent, data_request), {f"decision-{item.pk}": "approve"})
        assert response.status_code == 403
    assert User.objects.get(pk=member.pk).login_name == "rosa.member"


def test_bad_proposals_are_form_errors(member, member_client):
    response = member_client.post(FORM, {_field(member): "rosa.member"})
    assert response.status_code == 400
    assert "already the current value" in response.content.decode()
    response = member_client.post(FORM, {})
    assert "Propose a new value for at least one field" in response.content.decode()
    assert not DataRequest.objects.exists()


def test_api_refuses_fields_of_another_member_or_not_correctable(member, other_member, member_api):
    for proposal in (
        {
            "model_label": "accounts.user",
            "object_id": str(other_member.pk),
            "field_name": "login_name",
            "proposed_value": "x.y.z",
        },
        {
            "model_label": "accounts.user",
            "object_id": str(member.pk),
            "field_name": "password",
            "proposed_value": "x",
        },
    ):
        response = member_api.post(
            "/api/v1/me/data-requests/",
            {"kind": "correction", "corrections": [proposal]},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"
    assert not DataRequest.objects.exists()


def test_api_opens_a_correction(member, member_api):
    response = member_api.post(
        "/api/v1/me/data-requests/",
        {
            "kind": "correction",
            "corrections": [
                {
                    "model_label": "accounts.user",
                    "object_id": str(member.pk),
                    "field_name": "login_name",
                    "proposed_value": "rosa.q",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["items"][0]["decision"] == "pending"


def test_billing_name_on_a_past_order_is_corrected_through_the_orders_service(
    member, member_client, staff_client
):
    from tests.orders.factories import OrderFactory

    order = OrderFactory(member=member, billing_name="Rosalind Quintero")
    field = f"orders.order__{order.pk}__billing_name"
    page = member_client.get(FORM).content.decode()
    assert field in page and "Now: Rosalind Quintero" in page
    member_client.post(FORM, {field: "Rosalind Quintero-Vale"})
    data_request = DataRequest.objects.get(member=member)
    item = data_request.items.get()
    officer = staff_client(Role.PRIVACY_OFFICER)
    officer.post(_review(officer, data_request), {f"decision-{item.pk}": "approve"})
    order.refresh_from_db()
    assert order.billing_name == "Rosalind Quintero-Vale"


def test_a_proposal_is_checked_by_its_fields_own_validators_when_submitted(member, member_client):
    from tests.orders.factories import OrderFactory

    order = OrderFactory(member=member)
    field = f"orders.order__{order.pk}__billing_email"
    page = member_client.get(FORM).content.decode()
    assert f"Billing e-mail address of order #{order.pk}" in page
    assert "billing_email" not in page.split("<form")[1].split("name=")[0]

    response = member_client.post(FORM, {field: "not-an-email"})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert "Enter a valid email address" in " ".join(errors[field])
    assert f"Billing e-mail address of order #{order.pk}" in " ".join(errors[field])
    assert not DataRequest.objects.exists()


def test_a_login_name_proposal_is_checked_by_its_validators(member, member_client):
    response = member_client.post(FORM, {_field(member): "no spaces allowed!"})
    assert response.status_code == 400
    assert _field(member) in response.context["form"].errors
    assert not DataRequest.objects.exists()


def test_a_failed_review_keeps_every_decision_and_shows_every_error(
    member, member_client, staff_client
):
    """One denial without a reason and one approval the owning service refuses: the page
    shows both errors, keeps the decisions and reasons typed, and saves nothing."""
    from tests.orders.factories import OrderFactory

    UserFactory(login_name="taken.name")
    order = OrderFactory(member=member)
    member_client.post(
        FORM, {_field(member): "taken.name", f"orders.order__{order.pk}__billing_name": "R. Q."}
    )
    data_request = DataRequest.objects.get(member=member)
    login = data_request.items.get(field_name="login_name")
    billing = data_request.items.get(field_name="billing_name")
    officer = staff_client(Role.PRIVACY_OFFICER)

    denied_without_reason = officer.post(
        _review(officer, data_request),
        {f"decision-{login.pk}": "approve", f"decision-{billing.pk}": "deny"},
    )
    page = denied_without_reason.content.decode()
    assert "reason" in page.lower() and 'class="errorlist"' in page
    assert f'name="decision-{login.pk}" value="approve" checked' in page
    assert f'name="decision-{billing.pk}" value="deny" checked' in page

    refused = officer.post(
        _review(officer, data_request),
        {
            f"decision-{login.pk}": "approve",
            f"decision-{billing.pk}": "deny",
            f"reason-{billing.pk}": "The name on the card was right.",
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 200
    assert 'class="errorlist"' in page  # the login name is taken: shown, not dropped
    assert 'value="The name on the card was right."' in page
    assert f'name="decision-{login.pk}" value="approve" checked' in page
    login.refresh_from_db()
    billing.refresh_from_db()
    assert (login.decision, billing.decision) == ("pending", "pending")
    assert User.objects.get(pk=member.pk).login_name == "rosa.member"
