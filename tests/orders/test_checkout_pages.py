"""The member's checkout, order history and order pages, through the browser's requests."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from orders.cards.vault import encrypt_card_number
from orders.models import Licence, Order, Payment, StoredCard
from privacy.audit.models import AuditEvent
from tests.orders.conftest import (
    APPROVE,
    DECLINE,
    INSUFFICIENT,
    NEXT_YEAR,
    PROCESSOR_ERROR,
    checkout_post,
)
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def checkout_url(product):
    return reverse("orders:checkout", args=[product.slug])


def test_the_catalogue_is_open_to_visitors_and_buying_asks_them_to_sign_in(client):
    page = client.get(reverse("orders:products"))

    assert page.status_code == 200
    assert "BestQM software licence" in page.text  # the catalogue the migration seeds
    assert "Membership, one year" in page.text
    response = client.get(reverse("orders:checkout", args=["bestqm-licence"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_checkout_starts_from_the_members_own_details_and_lists_the_sandbox_cards_in_debug(
    member_client, licence_product, settings
):
    assert "Sandbox" not in member_client.get(checkout_url(licence_product)).text

    settings.DEBUG = True
    page = member_client.get(checkout_url(licence_product))

    assert page.status_code == 200
    assert 'value="Rosalind Quintero-Vale"' in page.text
    assert 'value="90210"' in page.text
    assert 'value="rosa.private@example.org"' in page.text
    assert "Sandbox: no money moves" in page.text
    assert "4242 4242 4242 4242" in page.text and "4000 0000 0000 0002" in page.text
    assert 'autocomplete="cc-number"' in page.text


def test_an_approved_card_pays_the_order_and_shows_its_licence_serial(
    member_client, member, licence_product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(checkout_url(licence_product), checkout_post(APPROVE))

    order = Order.objects.get(member=member)
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:detail", args=[order.pk])
    assert order.status == Order.Status.FULFILLED
    assert order.amount == licence_product.price and order.billing_zip == "90210"
    licence = Licence.objects.get(order=order)
    assert licence.member == member and licence.is_active

    page = member_client.get(response["Location"])
    assert "Thank you: your payment was approved." in page.text
    assert licence.serial in page.text
    assert "Visa •••• 4242" in page.text
    assert APPROVE not in page.text
    assert mail.outbox == []  # nothing went wrong, nobody is written to

    history = member_client.get(reverse("orders:list"))
    assert f"Order #{order.pk}" in history.text and "Fulfilled" in history.text


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"card_number": "4242 4242 4242 4241"}, "card_number", "This card number is not valid"),
        ({"card_number": "4242-abcd"}, "card_number", "digits only"),
        ({"card_number": "4242"}, "card_number", "This card number is not valid"),
        ({"card_expiry": "01/20"}, "card_expiry", "This card has expired."),
        ({"card_expiry": "13/30"}, "card_expiry", "Check the expiry date"),
        ({"card_expiry": "next year"}, "card_expiry", "MM/YY"),
        ({"card_security_code": "12"}, "card_security_code", "3-digit security code"),
        ({"card_security_code": "12a"}, "card_security_code", "3-digit security code"),
        ({"card_security_code": ""}, "card_security_code", "Enter the security code."),
        ({"billing_zip": "9021"}, "billing_zip", "5-digit ZIP code"),
        ({"billing_email": "not-an-address"}, "billing_email", "valid email"),
    ],
)
def test_bad_input_shows_an_error_beside_the_field_and_writes_nothing(
    member_client, licence_product, post, field, message
):
    response = member_client.post(checkout_url(licence_product), checkout_post(**post))

    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert Order.objects.count() == 0
    assert Payment.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type__startswith="order.").exists()


def test_every_problem_with_a_card_is_shown_at_once(member_client, licence_product):
    response = member_client.post(
        checkout_url(licence_product),
        checkout_post("4242 4242 4242 4241", expiry="01/20", code=""),
    )

    errors = response.context["form"].errors
    assert "This card number is not valid" in str(errors["card_number"])
    assert "This card has expired." in str(errors["card_expiry"])
    assert "Enter the security code." in str(errors["card_security_code"])


def test_a_page_shown_again_with_errors_never_contains_the_card_details(
    member_client, licence_product
):
    response = member_client.post(
        checkout_url(licence_product),
        checkout_post(APPROVE, code="9876", expiry="01/20"),  # expired, and a 4-digit code
    )

    assert response.status_code == 400
    assert "This card has expired." in response.text
    for typed in (APPROVE, "4242 4242 4242 4242", "9876", "01/20"):
        assert typed not in response.text
    assert "card details are never shown again" in response.text


def test_an_american_express_card_needs_its_four_digit_code(
    member_client, member, licence_product, django_capture_on_commit_callbacks
):
    amex = "378282246310005"
    three = member_client.post(checkout_url(licence_product), checkout_post(amex, code="123"))
    assert three.status_code == 400
    assert "4-digit security code" in str(three.context["form"].errors["card_security_code"])

    with django_capture_on_commit_callbacks(execute=True):
        four = member_client.post(checkout_url(licence_product), checkout_post(amex, code="1234"))
    assert four.status_code == 302
    assert Payment.objects.get().card_display == "American Express •••• 0005"


@pytest.mark.parametrize(
    ("number", "outcome", "message"),
    [
        (DECLINE, "declined", "Your card was declined by its issuer."),
        (INSUFFICIENT, "insufficient_funds", "declined for insufficient funds"),
        (PROCESSOR_ERROR, "processor_error", "could not process your card just now"),
    ],
)
def test_a_failed_payment_says_why_emails_the_billing_contact_and_can_be_retried(
    member_client, member, licence_product, django_capture_on_commit_callbacks, number, outcome,
    message,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(checkout_url(licence_product), checkout_post(number))

    order = Order.objects.get(member=member)
    assert order.status == Order.Status.PAYMENT_FAILED and order.paid_at is None
    assert Payment.objects.get().outcome == outcome
    assert not Licence.objects.exists()
    page = member_client.get(response["Location"])
    assert message in page.text and "Nothing was charged" in page.text
    assert "Try the payment again" in page.text
    [email] = mail.outbox
    assert email.to == ["billing.rosa@example.org"]
    assert f"order #{order.pk}" in email.subject
    assert f"http://testserver{reverse('orders:detail', args=[order.pk])}" in email.body
    assert number not in email.body and number[-4:] not in email.body

    retry = checkout_post(APPROVE)
    del retry["billing_name"], retry["billing_zip"], retry["billing_email"]
    with django_capture_on_commit_callbacks(execute=True):
        paid = member_client.post(reverse("orders:pay", args=[order.pk]), retry)
    assert paid.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert Licence.objects.get(order=order).is_active
    assert [p.outcome for p in order.payments.order_by("created_at", "id")] == [
        outcome,
        "approved",
    ]


def test_a_double_clicked_checkout_places_one_order_and_charges_once(
    member_client, member, licence_product, recording_processor, django_capture_on_commit_callbacks
):
    form = checkout_post(APPROVE, key=uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        first = member_client.post(checkout_url(licence_product), form)
        second = member_client.post(checkout_url(licence_product), form)

    order = Order.objects.get(member=member)
    assert first["Location"] == second["Location"] == reverse("orders:detail", args=[order.pk])
    assert [c[0] for c in recording_processor.calls] == ["authorise"]
    assert order.payments.count() == 1
    assert Licence.objects.filter(order=order).count() == 1
    page = member_client.get(second["Location"])
    assert "You had already sent this checkout" in page.text


def test_a_retry_form_sent_twice_charges_once(
    member_client, member, licence_product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(checkout_url(licence_product), checkout_post(DECLINE))
    order = Order.objects.get()
    retry = {k: v for k, v in checkout_post(APPROVE).items() if not k.startswith("billing_")}
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("orders:pay", args=[order.pk]), retry)
        again = member_client.post(reverse("orders:pay", args=[order.pk]), retry)

    assert again.status_code == 302
    assert order.payments.filter(outcome="approved").count() == 1


def test_paying_an_order_already_paid_is_refused_and_charges_nothing(
    member_client, member, licence_product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(checkout_url(licence_product), checkout_post(APPROVE))
    order = Order.objects.get()
    retry = {k: v for k, v in checkout_post(APPROVE).items() if not k.startswith("billing_")}

    response = member_client.post(reverse("orders:pay", args=[order.pk]), retry, follow=True)

    assert "This order cannot be paid: it is fulfilled." in response.text
    assert order.payments.count() == 1


def test_a_kept_card_is_encrypted_offered_next_time_and_can_be_removed(
    member_client, member, licence_product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(checkout_url(licence_product), checkout_post(APPROVE, keep_card="on"))
    stored = StoredCard.objects.get(member=member)
    assert stored.display == "Visa •••• 4242" and stored.exp_year == NEXT_YEAR
    assert APPROVE not in stored.encrypted_number

    page = member_client.get(checkout_url(licence_product))
    assert f"Visa •••• 4242, expires 04/{NEXT_YEAR % 100:02d}" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        reused = member_client.post(
            checkout_url(licence_product),
            {
                **checkout_post(APPROVE),
                "pay_with": str(stored.pk),
                "card_number": "",
                "card_expiry": "",
                "card_security_code": "",
            },
        )
    assert reused.status_code == 302
    assert Order.objects.filter(member=member, status=Order.Status.FULFILLED).count() == 2

    removed = member_client.post(reverse("orders:card_remove", args=[stored.pk]), follow=True)
    assert "The saved card was removed." in removed.text
    assert not StoredCard.objects.exists()
    assert AuditEvent.objects.filter(event_type="card.removed").exists()


def _saved_card(member, last4="4242"):
    return StoredCard.objects.create(
        member=member,
        brand="visa",
        last4=last4,
        exp_month=4,
        exp_year=NEXT_YEAR,
        encrypted_number=encrypt_card_number(f"424242424242{last4}"),
    )


def test_another_members_order_and_card_do_not_exist_for_this_member(
    member_client, member, other_member, licence_product
):
    theirs = OrderFactory(member=other_member)
    card = _saved_card(other_member)
    _saved_card(member, last4="1881")

    assert member_client.get(reverse("orders:detail", args=[theirs.pk])).status_code == 404
    pay = member_client.post(reverse("orders:pay", args=[theirs.pk]), checkout_post())
    assert pay.status_code == 404
    assert member_client.post(reverse("orders:cancel", args=[theirs.pk])).status_code == 404
    assert member_client.post(reverse("orders:card_remove", args=[card.pk])).status_code == 404
    offered = member_client.post(
        checkout_url(licence_product), {**checkout_post(), "pay_with": str(card.pk)}
    )
    assert offered.status_code == 400
    assert "not one of the available choices" in str(offered.context["form"].errors["pay_with"])
    assert not Order.objects.filter(member=member).exists()
    assert StoredCard.objects.filter(pk=card.pk).exists()
    assert theirs.payments.count() == 0


def test_a_member_cancels_an_unpaid_order_but_not_a_paid_one(
    member_client, member, licence_product, django_capture_on_commit_callbacks
):
    unpaid = OrderFactory(member=member)
    response = member_client.post(reverse("orders:cancel", args=[unpaid.pk]), follow=True)
    assert "Your order was cancelled." in response.text
    unpaid.refresh_from_db()
    assert unpaid.status == Order.Status.CANCELLED and unpaid.cancelled_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(checkout_url(licence_product), checkout_post(APPROVE))
    paid = Order.objects.get(member=member, status=Order.Status.FULFILLED)
    refused = member_client.post(reverse("orders:cancel", args=[paid.pk]), follow=True)
    assert "can no longer be cancelled" in refused.text
    paid.refresh_from_db()
    assert paid.status == Order.Status.FULFILLED


def test_a_product_taken_off_sale_cannot_be_checked_out(member_client, licence_product):
    licence_product.is_active = False
    licence_product.save()

    assert member_client.get(checkout_url(licence_product)).status_code == 404
    assert member_client.post(checkout_url(licence_product), checkout_post()).status_code == 404
    assert not Order.objects.exists()


def test_the_order_pages_ask_browsers_not_to_keep_them(member_client, member):
    order = OrderFactory(member=member)
    for url in (reverse("orders:list"), reverse("orders:detail", args=[order.pk])):
        assert "no-store" in member_client.get(url)["Cache-Control"]


def test_a_typed_card_is_never_charged_as_the_saved_one_or_the_saved_one_as_typed(
    member_client, member, licence_product, recording_processor
):
    """With a saved card selected (the default) and a new card typed, the member is asked
    which one they meant: nothing is charged."""
    saved = _saved_card(member, last4="1881")
    page = member_client.get(checkout_url(licence_product))
    assert f'value="{saved.pk}"' in page.text and "checked" in page.text

    response = member_client.post(
        checkout_url(licence_product), {**checkout_post(APPROVE), "pay_with": str(saved.pk)}
    )

    assert response.status_code == 400
    assert "choose “A new card”" in str(response.context["form"].errors["pay_with"])
    assert recording_processor.calls == [] and not Order.objects.exists()
