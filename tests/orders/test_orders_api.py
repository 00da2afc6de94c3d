"""GET /api/v1/me/orders/ and /api/v1/me/orders/<id>/, and cancelling through the API."""

import pytest
from rest_framework.test import APIClient

from orders.models import Order
from tests.orders.conftest import APPROVE, DECLINE
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/me/orders/"


def detail(order_id):
    return f"/api/v1/me/orders/{order_id}/"


def test_the_member_reads_their_orders_with_the_card_masked_and_the_serial(
    member, member_api, licence_product, pay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, payment, _ = pay(licence_product, APPROVE)

    listing = member_api.get(LIST)
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    [row] = listing.json()["results"]
    assert row == member_api.get(detail(order.pk)).json()
    assert row["id"] == order.pk and row["status"] == "fulfilled"
    assert row["amount"] == "49.00" and row["product_kind"] == "licence"
    assert row["billing_name"] == "Rosalind Quintero-Vale" and row["billing_zip"] == "90210"
    assert row["card"]["display"] == "Visa •••• 4242"
    assert row["card"]["last4"] == "4242" and row["card"]["brand"] == "visa"
    [licence] = row["licences"]
    assert licence["serial"] == order.licences.get().serial and licence["active"] is True
    assert row["payments"][0]["outcome"] == "approved"
    body = listing.content.decode()
    assert APPROVE not in body and payment.card_token not in body
    assert "card_token" not in body and "checkout_key" not in body


def test_a_failed_order_says_so_and_can_be_paid_again(
    member, member_api, licence_product, pay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, _, _ = pay(licence_product, DECLINE)

    data = member_api.get(detail(order.pk)).json()
    assert data["status"] == "payment_failed" and data["can_pay"] is True
    assert data["card"] is None  # no card has paid it
    assert data["payments"][0]["card"]["display"] == "Visa •••• 0002"
    assert data["licences"] == []


@pytest.mark.parametrize("raw", ["999999", "-1", "abc", "1e3", "99999999999999999999", "%C2%B9"])
def test_another_members_order_or_no_order_at_all_is_a_404_in_the_error_shape(
    member_api, other_member, raw
):
    theirs = OrderFactory(member=other_member)
    for path in (detail(theirs.pk), detail(raw)):
        response = member_api.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert member_api.get(LIST).json()["results"] == []


def test_without_credentials_the_orders_are_refused(member):
    order = OrderFactory(member=member)
    for path in (LIST, detail(order.pk)):
        response = APIClient().get(path)
        assert response.status_code == 401
        assert "WWW-Authenticate" in response


def test_a_member_cancels_an_unpaid_order_and_a_paid_one_is_a_409_with_a_stable_code(
    member, member_api, licence_product, pay, django_capture_on_commit_callbacks
):
    unpaid = OrderFactory(member=member)
    cancelled = member_api.post(f"{detail(unpaid.pk)}cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["can_cancel"] is False

    with django_capture_on_commit_callbacks(execute=True):
        paid, _, _ = pay(licence_product)
    refused = member_api.post(f"{detail(paid.pk)}cancel/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "order_not_cancellable"
    assert "can no longer be cancelled" in refused.json()["error"]["message"]
    paid.refresh_from_db()
    assert paid.status == Order.Status.FULFILLED


def test_another_members_order_cannot_be_cancelled(member_api, other_member):
    theirs = OrderFactory(member=other_member)
    assert member_api.post(f"{detail(theirs.pk)}cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Order.Status.PENDING


def test_orders_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {
        "/api/v1/me/orders/",
        "/api/v1/me/orders/{id}/",
        "/api/v1/me/orders/{id}/cancel/",
    } <= set(schema["paths"])
    card = schema["components"]["schemas"]["CardOutput"]["properties"]
    assert set(card) == {"brand", "last4", "exp_month", "exp_year", "display"}
