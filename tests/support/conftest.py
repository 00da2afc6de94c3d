import pytest
from django.test import Client

from privacy.roles import Role
from tests.accounts.factories import StaffFactory, sign_in_verified
from tests.support.factories import TicketFactory

SIGN_IN_BACKEND = "accounts.backends.LoginNameOrEmailBackend"
# The inline formsets' management forms the admin's ticket page posts back.
TICKET_INLINES = {
    f"{prefix}-{name}": "0"
    for prefix in ("messages", "phone_contacts", "notes")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS")
}


@pytest.fixture
def ticket(member):
    """Rosa's ticket, with her first message."""
    return TicketFactory(member=member, subject="My licence stopped working")


@pytest.fixture
def agent(db):
    return StaffFactory(
        roles=[Role.SUPPORT_AGENT],
        first_name="Ada",
        last_name="Agent",
        email="ada.agent@bestqm.example",
    )


@pytest.fixture
def agent_client(agent):
    return sign_in_verified(Client(), agent)


@pytest.fixture
def other_client(other_member):
    client = Client()
    client.force_login(other_member, backend=SIGN_IN_BACKEND)
    return client
