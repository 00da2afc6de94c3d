"""Logs never hold passwords, card numbers, security codes, tokens, session ids, CSRF tokens
or e-mail addresses.

The main flows run for real (sign-up, a failed and a good sign-in, a password change, a
checkout with a test card, a ticket, an API token's use, a data export, a failing request)
with every logger at DEBUG and every SQL statement logged with its parameters; what the
configured handler writes is then searched for each private value seeded or handed out on
the way. Without the scrubber the same run writes e-mail addresses, session keys and
password hashes (the SQL alone does), so the search is not vacuous; and each shape the
scrubber knows is checked on its own. The card-number search is the one
tests/orders/test_no_card_data_at_rest.py uses.
"""

import io
import json
import logging
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bestqm.logging.scrubbing import PrivateValueFilter, scrub
from orders.cards.numbers import luhn_valid
from privacy.requests.models import DataRequest
from tests.orders.cards.test_no_card_data_at_rest import _STANDALONE_DIGITS
from tests.orders.conftest import checkout_post
from tests.orders.factories import ProductFactory

PASSWORD = "violet-harbour-lantern-42"
NEW_PASSWORD = "granite-sparrow-river-5"
EMAIL = "nadia.okonkwo@example.org"
BILLING_EMAIL = "billing.rosa@example.org"  # checkout_post's billing contact
CARD = "4242424242424242"
SECURITY_CODE = "037"  # starts with 0: no number the application writes does


# --- The shapes, one by one -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("POST password=hunter2-very-secret&next=/", "hunter2-very-secret"),
        ("{'new_password1': ['tulip-garden-7'], 'x': 1}", "tulip-garden-7"),
        ('{"password": "tulip garden 7"}', "tulip garden 7"),
        ("card_number=4242 4242 4242 4242 exp 2030", "4242"),
        ("charged 4000-0000-0000-0002 ok", "0002"),
        ("paid with 378282246310005.", "378282246310005"),
        ("card_security_code=0737&x=1", "0737"),
        ("{'cvv': '054'}", "054"),
        ("cvc: 123", "123"),
        ("Authorization: Token 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c", "0f1e2d3c4b5a"),
        ("HTTP_AUTHORIZATION='Bearer abc.def-ghi_jkl.mno123456'", "abc.def-ghi_jkl"),
        ("Cookie: sessionid=k3n1r2q9x8w7v6u5t4s3r2q1p0o9n8m7; csrftoken=AbC", "k3n1r2q9"),
        ("csrfmiddlewaretoken=Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe", "Zx9Yw8Vu7"),
        ('"django_session"."session_key" = \'k3n1r2q9x8w7\'', "k3n1r2q9x8w7"),
        ("WHERE token_key = 'abc1234567890de'", "abc1234567890de"),
        (
            "signed /support/unsubscribe/eyJhIjoxfQ:1uXyZ:Qm9uZ3lvdXJfc2lnbmF0dXJlXzEyMzQ1Njc4OTA/",
            "Qm9uZ3lvdXJfc2lnbmF0dXJlXzEyMzQ1Njc4OTA",
        ),
        ("mail to Rosa.Private+news@Example.org failed", "Private+news@Example"),
        ("VALUES ('argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA', 1)", "c2FsdA"),
        ('{username: "rosa.member", ip_address: "203.0.113.7"}', "rosa.member"),
        ('{username: "rosa.member", ip_address: "203.0.113.7"}', "203.0.113.7"),
        ("redis://default:s3cret-pass@redis.internal:6379/0", "s3cret-pass"),
    ],
)
def test_the_scrubber_removes_each_kind_of_private_value(text, secret):
    assert secret not in scrub(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order #1054 paid at 2026-11-25 04:13:11.054064 (0.004) +12025550143",
        "Task privacy.tasks.build_export[0b7c6a3e-2f1d-4c5b-9a8e-7d6c5b4a3f21] succeeded",
        "GET /directory/?page=2 200",
        "SELECT 1; args=(); alias=default",
        "test_no_card_number_or_security_code_is_at_rest_anywhere",
    ],
)
def test_the_scrubber_leaves_ordinary_log_text_alone(text):
    assert scrub(text) == text


def test_a_card_number_next_to_other_digits_is_still_found():
    scrubbed = scrub("card 4242 4242 4242 4242 2030 737 (retry 3)")

    assert "4242" not in scrubbed and scrubbed.endswith("737 (retry 3)")


def test_arguments_exceptions_and_stacks_are_scrubbed_as_well_as_the_message():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "user %s paid %s", None, None)
    record.args = ("rosa.private@example.org", CARD)
    try:
        raise ValueError(f"declined {CARD} for rosa.private@example.org")
    except ValueError:
        record.exc_info = sys.exc_info()
    record.stack_info = f"Stack (most recent call last): password={PASSWORD}"

    assert PrivateValueFilter().filter(record) is True  # never dropped, only cleaned
    text = logging.Formatter().format(record)

    assert "rosa.private" not in text and CARD not in text and PASSWORD not in text
    assert "ValueError" in text and "user [email] paid [card]" in text


# --- Every handler carries it -------------------------------------------------------------------

LIST_HANDLERS = """
import json, logging, django
django.setup()
{extra}
found = []
for name in ["", *logging.root.manager.loggerDict]:
    logger = logging.getLogger(name)
    for handler in getattr(logger, "handlers", []):
        # A NullHandler (libraries add one) writes nothing, so it needs no scrubbing.
        found.append([name or "root", type(handler).__name__,
                      [type(f).__name__ for f in handler.filters]])
print(json.dumps(found))
"""


def _handlers(extra=""):
    result = subprocess.run(
        [sys.executable, "-c", LIST_HANDLERS.format(extra=extra)],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "bestqm.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_handler_of_the_web_process_scrubs():
    handlers = _handlers()

    assert handlers, "the configuration installs a handler"
    assert ["root", "StreamHandler", ["PrivateValueFilter"]] in handlers
    unscrubbed = [h for h in handlers if "PrivateValueFilter" not in h[2] and h[1] != "NullHandler"]
    assert unscrubbed == []  # Django's own console and mail_admins handlers are gone


def test_every_handler_of_a_celery_worker_scrubs():
    """The worker sets up logging through the project's configuration, not its own."""
    setup = (
        "from bestqm.celery import app\n"
        "from celery.app.log import Logging\n"
        "Logging(app).setup(loglevel='INFO')\n"
    )
    handlers = _handlers(setup)

    assert handlers
    assert [h for h in handlers if "PrivateValueFilter" not in h[2] and h[1] != "NullHandler"] == []


def test_every_gunicorn_handler_scrubs():
    import runpy

    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["logconfig_dict"]

    assert config["handlers"]
    for name, handler in config["handlers"].items():
        assert handler["filters"] == ["scrub_private_values"], name
    assert config["filters"]["scrub_private_values"]["()"] == (
        "bestqm.logging.scrubbing.PrivateValueFilter"
    )
    assert "%(h)s" not in config.get("access_log_format", "")


# --- The main flows -------------------------------------------------------------------------------


@pytest.fixture
def captured_log(monkeypatch):
    """What the configured handler writes, with every logger at DEBUG and SQL logged."""
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, PrivateValueFilter) for f in h.filters)
    ]
    stream = io.StringIO()
    previous_stream = handler.setStream(stream)
    levels = {}
    for name in ["", *logging.root.manager.loggerDict]:
        logger = logging.getLogger(name)
        if isinstance(logger, logging.Logger):
            levels[name] = logger.level
            logger.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True
    try:
        yield stream
    finally:
        connection.force_debug_cursor = False
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        handler.setStream(previous_stream)


@pytest.fixture
def _run_after_commit(monkeypatch):
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def _card_numbers(text: str) -> list[str]:
    runs = (re.sub(r"[ -]", "", m.group()) for m in _STANDALONE_DIGITS.finditer(text))
    return [run[-4:] for run in runs if 13 <= len(run) <= 19 and luhn_valid(run)]


@pytest.mark.django_db
def test_the_main_flows_leave_no_private_value_in_the_log(captured_log, _run_after_commit):
    browser = Client()
    seen = {  # every private value the flows type or are handed, by what it is
        "password": PASSWORD,
        "new password": NEW_PASSWORD,
        "e-mail": EMAIL,
        "billing e-mail": BILLING_EMAIL,
        "card number": CARD,
    }

    signup = browser.post(
        reverse("accounts:signup"),
        {
            "login_name": "nadia.o",
            "email": EMAIL,
            "first_name": "Nadia",
            "last_name": "Okonkwo",
            "zip_code": "02139",
            "phone": "",
            "screen_name": "",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert signup.status_code == 302
    browser.post(reverse("accounts:logout"))
    failed = browser.post(reverse("accounts:login"), {"username": EMAIL, "password": "nope-9x"})
    assert failed.status_code == 200
    signed_in = browser.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 302
    seen["session id"] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    seen["CSRF token"] = browser.cookies[settings.CSRF_COOKIE_NAME].value

    changed = browser.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302

    product = ProductFactory(slug="scrub-licence")
    paid = browser.post(
        reverse("orders:checkout", args=[product.slug]),
        checkout_post(CARD, code=SECURITY_CODE),
    )
    assert paid.status_code == 302

    ticket = browser.post(
        reverse("support:ticket_new"),
        {"subject": "Camera", "body": f"Reach me at {EMAIL}, not by phone."},
    )
    assert ticket.status_code in (200, 302)

    created = browser.post(reverse("accounts:api_token_create"))
    token = re.search(r'id="token-secret">([0-9a-f]+)<', created.text).group(1)
    seen["API token"] = token
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/account/").status_code == 200
    assert (
        APIClient().get("/api/v1/me/account/", HTTP_AUTHORIZATION="Token nope").status_code == 401
    )

    browser.post(reverse("privacy:export_request"))
    export = DataRequest.objects.get(kind=DataRequest.Kind.EXPORT)
    assert browser.get(reverse("privacy:export_download", args=[export.pk])).status_code == 200

    # A request that fails and one that is refused log their details at WARNING or above.
    browser.get(f"/no/such/page/?email={EMAIL}&token={token}")
    Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"password": PASSWORD})

    log = captured_log.getvalue()
    assert "INSERT INTO" in log and "accounts_user" in log, "SQL was captured"
    assert "Not Found" in log and "Forbidden (CSRF" in log, "warnings were captured"
    leaks = [what for what, value in seen.items() if value in log]
    leaks += [f"a card number ending {last4}" for last4 in _card_numbers(log)]
    # Not after "." or ",": the digits of a duration or of a log line's milliseconds.
    for match in re.finditer(rf"(?<![0-9A-Za-z.,]){SECURITY_CODE}(?![0-9A-Za-z])", log):
        leaks.append(f"the security code: {log[match.start() - 80 : match.end() + 40]!r}")
    assert leaks == []


@pytest.mark.django_db
def test_without_the_scrubber_the_same_log_would_leak(captured_log, member, password):
    """The search above can fail: the raw records of a sign-in hold the e-mail address
    and the session key."""
    raw = []

    class Keep(logging.Handler):
        def emit(self, record):
            raw.append(record.getMessage())

    keep = Keep()
    # First, before the configured handler's filter rewrites the records it is handed.
    logging.getLogger().handlers.insert(0, keep)
    try:
        browser = Client()
        browser.post(reverse("accounts:login"), {"username": member.email, "password": password})
    finally:
        logging.getLogger().removeHandler(keep)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value

    raw_text = "\n".join(raw)
    assert member.email in raw_text or session in raw_text
    assert member.email not in captured_log.getvalue()
    assert session not in captured_log.getvalue()
