"""The support API fuzzed against the served schema with tickets that exist.

The project-wide fuzzing (tests/api/test_schema_fuzz.py) reaches these operations as a
member who has no ticket, so every ticket it names is a 404. Here the member has an open
and a closed ticket and another member has one, at keys the examples draw on, so the
successful answers (and the 409s of invalid moves) are checked against the schema too."""

import pytest
import schemathesis

from support.models import Ticket
from tests.accounts.factories import UserFactory
from tests.api.test_schema_fuzz import (  # the project's fuzzing set-up and checks
    FUZZ_SETTINGS,
    HOSTILE_STRINGS,
    MAX_EXAMPLES,
    SERVED_SCHEMA,
    WSGI_APP,
    _exchange,
    _in_process_app,  # noqa: F401  (fixture)
    _rosa_with_token,
    checks,  # noqa: F401  (fixture)
)
from tests.support.factories import TicketFactory

OPEN_ID, CLOSED_ID, OTHERS_ID = 424_242, 424_243, 424_244


def _config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,
                "dictionaries": {"string": {"dictionary": "hostile", "probability": 0.2}},
            },
            "dictionaries": {
                "hostile": {"values": HOSTILE_STRINGS},
                "tickets": {"values": [OPEN_ID, CLOSED_ID, OTHERS_ID]},
                "kinds": {"values": ["service", "newsletter"]},
            },
            "parameters": {
                "path.ticket_id": {"dictionary": "tickets", "probability": 0.7},
                "path.kind": {"dictionary": "kinds", "probability": 0.7},
            },
            "phases": {"coverage": {"generation": {"mode": "negative"}}},
        }
    )


schema = schemathesis.openapi.from_dict(dict(SERVED_SCHEMA), config=_config()).include(
    path_regex=r"^/api/v1/me/(tickets|subscriptions)/"
)
schema.app = WSGI_APP


@pytest.fixture(params=["with tickets"])
def member_with_tickets(db, _in_process_app):  # noqa: F811
    headers = _rosa_with_token()
    rosa = Ticket.objects.model.member.field.related_model.objects.get(login_name="rosa.member")
    rosa.newsletter_opt_in = True
    rosa.save(update_fields=["newsletter_opt_in"])
    TicketFactory(pk=OPEN_ID, member=rosa)
    closed = TicketFactory(pk=CLOSED_ID, member=rosa)
    Ticket.objects.filter(pk=closed.pk).update(status="closed", closed_at=closed.created_at)
    TicketFactory(pk=OTHERS_ID, member=UserFactory())
    return headers


@schema.parametrize()
@FUZZ_SETTINGS
def test_support_api_conforms_with_real_tickets(case, member_with_tickets, checks):  # noqa: F811
    _exchange(case, member_with_tickets, checks)
