"""Proof that no card number and no security code is kept anywhere.

The checkout flows run for real (requests through the whole middleware stack, commits,
background tasks inline, e-mail): approved with a card kept for re-use, declined,
insufficient funds, processor error, a retry with the saved card, refused input, the
retention job and a key rotation. Then every text column of every table, every log record
(at DEBUG, SQL statements and their parameters included), every e-mail and every page and
API response are searched for each card number used, for any other Luhn-valid run of 13
to 19 digits standing on its own, and for each security code used. There must be none.

"On its own": not inside a longer token (a savepoint named after a thread id, the digits
after a decimal point), where a number is not a card number and a random one passes the
Luhn check one time in ten. The security codes start with 0 so that they cannot be mistaken
for a number the application writes itself (a key or a time never starts with 0).
"""

import json
import logging
import re
import uuid
from datetime import date

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from orders.cards.numbers import luhn_valid
from orders.models import Order, StoredCard
from tests.orders.factories import ProductFactory

YEAR = (date.today().year + 2) % 100
FLOWS = [
    # (number, security code, what the sandbox answers)
    ("4111 1111 1111 1111", "054", "approved"),  # not a listed test card: approved
    ("378282246310005", "0372", "approved"),  # American Express, 4-digit code
    ("4000 0000 0000 0002", "062", "declined"),
    ("4000 0000 0000 9995", "083", "insufficient_funds"),
    ("4000 0000 0000 0119", "071", "processor_error"),
]
REFUSED = [
    ("5555 5555 5555 4444", "091", "01/20"),  # expired: refused before anything is sent
    ("5555 5555 5555 4445", "093", f"04/{YEAR}"),  # fails the check digit
]
CODES = [code for _, code, _ in FLOWS] + [code for _, code, _ in REFUSED]
NUMBERS = [n.replace(" ", "") for n, _, _ in FLOWS + REFUSED]
_STANDALONE_DIGITS = re.compile(r"(?<![0-9A-Za-z_.])[0-9](?:[ -]?[0-9])*(?![0-9A-Za-z_])")


def _post(client, url, number, code, expiry=f"04/{YEAR}", **extra):
    response = client.post(
        url,
        {
            "billing_name": "Card Holder",
            "billing_zip": "10001",
            "billing_email": "holder@example.org",
            "card_number": number,
            "card_expiry": expiry,
            "card_security_code": code,
            "attempt_key": str(uuid.uuid4()),
            **extra,
        },
    )
    return response


def _text_values():
    """(table.column, text) for every text-like value in every table of the database."""
    uuid_columns = {
        (model._meta.db_table, field.column)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.get_internal_type() == "UUIDField"
    }
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if (table, column) in uuid_columns:
                        continue  # a UUID (hex on SQLite) is not text anyone typed
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    elif isinstance(value, dict | list):
                        value = json.dumps(value)
                    if isinstance(value, str):
                        yield f"{table}.{column}", value


def _hits(where: str, text: str) -> list[str]:
    ungrouped = re.sub(r"[ -]", "", text)
    found = [f"{where}: the card number ending {n[-4:]}" for n in NUMBERS if n in ungrouped]
    for match in _STANDALONE_DIGITS.finditer(text):
        run = re.sub(r"[ -]", "", match.group())
        if 13 <= len(run) <= 19 and luhn_valid(run):
            found.append(f"{where}: a card number ending {run[-4:]}")
    for code in CODES:
        if re.search(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])", text):
            found.append(f"{where}: security code {code}")
    return found


@pytest.mark.django_db(transaction=True)
def test_no_card_number_or_security_code_is_at_rest_anywhere(caplog, settings):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    from tests.accounts.factories import UserFactory

    member = UserFactory(login_name="card.holder", email="holder@example.org")
    licence = ProductFactory(name="Scan licence", slug="scan-licence")
    client = Client()
    client.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    checkout = reverse("orders:checkout", args=[licence.slug])
    responses = [client.get(checkout)]

    try:
        for number, code, _ in FLOWS:
            keep = {"keep_card": "on"} if code == "054" else {}
            responses.append(_post(client, checkout, number, code, **keep))
        for number, code, expiry in REFUSED:
            refused = _post(client, checkout, number, code, expiry=expiry)
            assert refused.status_code == 400
            responses.append(refused)

        saved = StoredCard.objects.get(member=member)
        failed = Order.objects.filter(status=Order.Status.PAYMENT_FAILED).first()
        responses.append(
            client.post(
                reverse("orders:pay", args=[failed.pk]),
                {"pay_with": str(saved.pk), "attempt_key": str(uuid.uuid4())},
            )
        )
        for order in Order.objects.all():
            responses.append(client.get(reverse("orders:detail", args=[order.pk])))
        responses.append(client.get(reverse("orders:list")))
        responses.append(client.get("/api/v1/me/orders/"))
        call_command("rotate_card_keys")
        call_command("apply_order_retention")
    finally:
        connection.force_debug_cursor = False

    outcomes = sorted(Order.objects.values_list("payments__outcome", flat=True))
    assert outcomes.count("approved") == 3  # two new cards and the saved card
    assert {"declined", "insufficient_funds", "processor_error"} <= set(outcomes)
    assert len(mail.outbox) == 3  # one per failed payment
    assert any("INSERT" in r.getMessage() for r in caplog.records), "SQL was logged"

    hits, scanned = [], list(_text_values())
    assert "orders_storedcard.encrypted_number" in {where for where, _ in scanned}
    for where, text in scanned:
        hits += _hits(where, text)
    for record in caplog.records:
        hits += _hits(f"log {record.name}", record.getMessage())
    for message in mail.outbox:
        hits += _hits(f"e-mail {message.subject}", message.message().as_string())
    for response in responses:
        body = response.content.decode()
        hits += _hits(f"response {response.status_code}", f"{response.headers} {body}")
    assert hits == []


def test_the_scan_finds_what_it_looks_for():
    """The search itself: a leak in any of the shapes it could take is found."""
    assert _hits("t", "card=4111 1111 1111 1111;")
    assert _hits("t", "'4111111111111111'")
    assert _hits("t", '{"number": "6011-1111-1111-1117"}')  # not one used, but Luhn-valid
    assert _hits("t", '{"cvv": "054"}')
    assert _hits("t", "cvv=0372")
    assert not _hits("t", "(0.000) SAVEPOINT s139687371328384_x9; 2.7180000415683025e-05")
    assert not _hits("t", "2026-11-25 04:13:11.054064 Order #1054 +12025550143")
