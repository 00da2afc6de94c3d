"""The client session API fuzzed against its served schema, as a member who holds a
licence and has sessions in every state (tests/api fuzzes it too, but as a member with
neither, so only its refusals are reached there).

Path ids and serials are drawn half the time from the ones that exist, so opening,
heartbeats and endings succeed as often as they fail. The checks and the in-process
set-up are those of tests/api/test_schema_fuzz.py; every example is rolled back.
"""

import copy
import uuid
from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone
from knox.models import AuthToken

from activity.models import ClientSession
from orders.licences.serials import serial_generate
from tests.accounts.factories import UserFactory
from tests.activity.factories import ClientSessionFactory
from tests.api import test_schema_fuzz as fuzz
from tests.orders.factories import LicenceFactory

# The checks and the in-process set-up of the project's fuzzing, as fixtures here too.
checks = fuzz.checks
_in_process_app = fuzz._in_process_app

SERIAL = serial_generate()
OPEN, ENDED, SILENT, THEIRS = (uuid.UUID(int=n) for n in (1, 2, 3, 4))

config = schemathesis.Config.from_dict(
    {
        "generation": {
            "max-examples": fuzz.MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "with-security-parameters": False,
            "dictionaries": {"string": {"dictionary": "hostile", "probability": 0.2}},
        },
        "dictionaries": {
            "hostile": {"values": fuzz.HOSTILE_STRINGS},
            "sessions": {"values": [str(i) for i in (OPEN, ENDED, SILENT, THEIRS)]},
            "serials": {"values": [SERIAL, SERIAL.lower(), SERIAL.replace("-", " ")]},
            "versions": {"values": ["2.4.1", "10.0", "2.5.0-beta.2"]},
        },
        "parameters": {
            "path.session_id": {"dictionary": "sessions", "probability": 0.6},
            "body.serial": {"dictionary": "serials", "probability": 0.6},
            "body.software_version": {"dictionary": "versions", "probability": 0.6},
        },
        "phases": {"coverage": {"generation": {"mode": "all"}}},
    }
)
client_schema = schemathesis.openapi.from_dict(
    copy.deepcopy(fuzz.SERVED_SCHEMA), config=config
).include(path_regex=r"^/api/v1/client/")
client_schema.app = fuzz.WSGI_APP


@pytest.fixture(params=["licensee"])
def licensee(db, _in_process_app):
    """A member with a licence and an open, an ended and a silent session; another
    member's session besides."""
    member = UserFactory(first_name="Pat", last_name="Doe")
    LicenceFactory(member=member, serial=SERIAL)
    now = timezone.now()
    ClientSessionFactory(id=OPEN, member=member)
    ClientSessionFactory.ended(id=ENDED, member=member, length=timedelta(minutes=5))
    ClientSessionFactory(
        id=SILENT,
        member=member,
        started_at=now - timedelta(days=1),
        last_seen_at=now - timedelta(hours=2),
    )
    ClientSessionFactory(id=THEIRS, member=UserFactory(first_name="Sam", last_name="Roe"))
    _, secret = AuthToken.objects.create(user=member)
    return {"Authorization": f"Token {secret}"}


@client_schema.parametrize()
@fuzz.FUZZ_SETTINGS
def test_client_api_conforms_for_a_member_with_a_licence(case, licensee, checks):
    fuzz._exchange(case, licensee, checks)


def test_the_fuzzed_member_could_reach_every_state(db, licensee):
    """The fixture really holds what the docstring says (else the fuzzing above would
    only ever meet 404s)."""
    statuses = dict(ClientSession.objects.values_list("id", "status"))
    assert statuses == {
        OPEN: "open",
        ENDED: "ended",
        SILENT: "open",
        THEIRS: "open",
    }
