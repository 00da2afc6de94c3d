"""Declarations of the orders app ('Order Processing').

Orders are accounting records: their billing contact and the card details of their
payments are kept (Erasure.KEEP) for the accounting period after the order last changed,
even when the member is erased, and then anonymised by the retention job
(orders.retention.orders_anonymise_expired). A saved card's encrypted number is never
shown, not even to the member, and is never disclosed: a court gets card data from the
card's issuer, not from us.
"""

from orders.models import Licence, Order, Payment, PhoneContact, Product, StoredCard
from orders.services import order_correct
from privacy.registry import (
    Category,
    Erasure,
    MemberAccess,
    NonPersonal,
    PersonalField,
    Retention,
    registry,
)
from privacy.roles import Role, grant

ACCOUNTING = Retention(
    "Kept for the accounting period after the order last changed, then anonymised.",
    days_setting="ACCOUNTING_RETENTION_DAYS",
)
SAVED_CARD = Retention(
    "Kept while the member keeps the card for re-use: deleted when they remove it, when it "
    "expires, or with the account."
)
BILLING_PURPOSE = (
    "Billing and filling the order; if we have trouble processing it, getting in touch "
    "with the member."
)


def _billing(
    label: str, purpose: str = BILLING_PURPOSE, erasure: Erasure = Erasure.KEEP
) -> PersonalField:
    # Past orders cannot be edited; the member corrects them through a correction request.
    return PersonalField(
        Category.FINANCIAL,
        purpose=purpose,
        retention=ACCOUNTING,
        erasure=erasure,
        member_access=MemberAccess.VIEW,
        topic="billing",
        correctable=True,
        label=label,
    )


def _saved_card(purpose: str, label: str) -> PersonalField:
    """What the member sees of a card they keep; gone with the card."""
    return PersonalField(
        Category.FINANCIAL,
        purpose=purpose,
        retention=SAVED_CARD,
        erasure=Erasure.DELETE,
        member_access=MemberAccess.VIEW,
        topic="card",
        label=label,
    )


def _card(purpose: str, label: str) -> PersonalField:
    """What identifies a card to a person (brand, last four, expiry): shown masked."""
    return PersonalField(
        Category.FINANCIAL,
        purpose=purpose,
        retention=ACCOUNTING,
        erasure=Erasure.KEEP,
        member_access=MemberAccess.VIEW,
        topic="card",
        label=label,
    )


registry.declare(
    Product,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "name": NonPersonal("catalogue entry"),
        "slug": NonPersonal("catalogue entry"),
        "kind": NonPersonal("catalogue entry"),
        "description": NonPersonal("catalogue entry"),
        "price": NonPersonal("catalogue entry"),
        "currency": NonPersonal("catalogue entry"),
        "membership_days": NonPersonal("catalogue entry"),
        "is_active": NonPersonal("whether the product is for sale"),
    },
)

registry.declare(
    Order,
    owner="member",
    corrected_by=order_correct,
    fields={
        "id": NonPersonal("surrogate key; the order number"),
        "member": NonPersonal("link to the member; unlinked when the order is anonymised"),
        "product": NonPersonal("what was bought"),
        "product_name": NonPersonal("what was bought, as it was named then"),
        "amount": NonPersonal("price paid"),
        "currency": NonPersonal("currency of the price"),
        "status": NonPersonal("workflow state"),
        "checkout_key": NonPersonal("random key of the checkout page; names no one"),
        "billing_name": _billing("Billing name"),
        "billing_zip": _billing("Billing ZIP code"),
        # Only a means of contact: the accounting record needs the name and ZIP, not this.
        "billing_email": _billing(
            "Billing e-mail address",
            "Receipts and, if we have trouble processing the order, getting in touch.",
            erasure=Erasure.ANONYMISE,
        ),
        "membership_until": NonPersonal("end of the membership period the order bought"),
        "created_at": NonPersonal("when the order was placed"),
        "status_changed_at": NonPersonal("when the status last changed; starts retention"),
        "paid_at": NonPersonal("workflow timestamp"),
        "fulfilled_at": NonPersonal("workflow timestamp"),
        "cancelled_at": NonPersonal("workflow timestamp"),
        "refunded_at": NonPersonal("workflow timestamp"),
        "anonymised_at": NonPersonal("when retention anonymised the order"),
    },
)

registry.declare(
    Payment,
    owner="order__member",
    fields={
        "id": NonPersonal("surrogate key"),
        "order": NonPersonal("the order paid or refunded"),
        "kind": NonPersonal("charge or refund"),
        "outcome": NonPersonal("the processor's answer"),
        "amount": NonPersonal("amount charged or refunded"),
        "idempotency_key": NonPersonal("random key that makes a retried request harmless"),
        "processor": NonPersonal("which processor answered"),
        "reference": _card(
            "The processor's receipt for the charge: refunds and disputes.", "Payment reference"
        ),
        "card_token": PersonalField(
            Category.FINANCIAL,
            purpose="The processor's token for the card: refunds and disputes.",
            retention=ACCOUNTING,
            erasure=Erasure.BLANK,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
        ),
        "card_brand": _card("Showing which card paid (Visa •••• 4242).", "Card brand"),
        "card_last4": _card("Showing which card paid (Visa •••• 4242).", "Card's last four digits"),
        "card_exp_month": _card(
            "Telling the member which card paid, and when it expires.", "Card expiry month"
        ),
        "card_exp_year": _card(
            "Telling the member which card paid, and when it expires.", "Card expiry year"
        ),
        "created_at": NonPersonal("when the processor answered"),
    },
)

registry.declare(
    StoredCard,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "member": NonPersonal("link to the member who keeps the card"),
        "brand": _saved_card("Showing the member which saved card they choose.", "Card brand"),
        "last4": _saved_card(
            "Showing the member which saved card they choose.", "Card's last four digits"
        ),
        "exp_month": _saved_card("Offering the card only while it is valid.", "Card expiry month"),
        "exp_year": _saved_card("Offering the card only while it is valid.", "Card expiry year"),
        "encrypted_number": PersonalField(
            Category.FINANCIAL,
            purpose="Charging the saved card for the member's next orders, at their request.",
            retention=SAVED_CARD,
            erasure=Erasure.DELETE,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
        ),
        "processor_token": PersonalField(
            Category.FINANCIAL,
            purpose="The processor's token for the saved card.",
            retention=SAVED_CARD,
            erasure=Erasure.DELETE,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
        ),
        "created_at": NonPersonal("when the card was saved"),
    },
)

registry.declare(
    PhoneContact,
    owner="order__member",
    fields={
        "id": NonPersonal("surrogate key"),
        "order": NonPersonal("the order the call was about"),
        "staff": NonPersonal("the billing agent who called: accountability of staff"),
        "outcome": PersonalField(
            Category.FINANCIAL,
            purpose="Whether we reached the member about trouble with an order.",
            retention=ACCOUNTING,
            erasure=Erasure.DELETE,
            member_access=MemberAccess.VIEW,
        ),
        "note": PersonalField(
            Category.FINANCIAL,
            purpose="What was agreed with the member about trouble with an order.",
            retention=ACCOUNTING,
            erasure=Erasure.DELETE,
            member_access=MemberAccess.VIEW,
        ),
        "contacted_at": NonPersonal("when the call was made"),
    },
)

registry.declare(
    Licence,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "serial": PersonalField(
            Category.FINANCIAL,
            purpose="Proves the member's licence to the BestQM client software.",
            erasure=Erasure.DELETE,
            member_access=MemberAccess.VIEW,
            extra_staff_roles=frozenset(),
        ),
        "member": NonPersonal("link to the member who holds the licence"),
        "order": NonPersonal("the order whose fulfilment issued the licence"),
        "issued_at": NonPersonal("when the licence was issued"),
        "revoked_at": NonPersonal("when the licence was revoked"),
    },
)

# Admin permissions of each staff role (applied after every migrate; see privacy.roles).
# What each staff role may open in the orders admin. Which personal fields of an order a
# role then sees is the privacy registry's business (billing agents see the billing contact
# and the masked card; support agents see that an order exists, not who paid or how).
grant(
    Role.BILLING_AGENT,
    "orders.view_product",
    "orders.add_product",
    "orders.change_product",
    "orders.view_order",
    # Logging a phone call posts the order's change form; the order itself is read-only
    # there and moves only through the admin actions.
    "orders.change_order",
    "orders.view_payment",
    "orders.view_phonecontact",
    "orders.add_phonecontact",
    "orders.view_licence",
)
grant(Role.SUPPORT_AGENT, "orders.view_product", "orders.view_order")
grant(
    Role.PRIVACY_OFFICER,
    "orders.view_product",
    "orders.view_order",
    "orders.view_payment",
    "orders.view_phonecontact",
    "orders.view_licence",
)
