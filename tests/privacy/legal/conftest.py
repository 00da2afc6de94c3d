"""Who works a legal case in these tests, and whose data it names."""

import pytest

from tests.accounts.factories import ProfileFactory
from tests.privacy.legal.factories import legal_approver, legal_officer


@pytest.fixture
def officer():
    return legal_officer()


@pytest.fixture
def approver():
    return legal_approver()


@pytest.fixture
def officer_client(client, officer):
    from tests.accounts.factories import sign_in_verified

    return sign_in_verified(client, officer)


@pytest.fixture
def target(member):
    """The member a case names, with a public profile (username "rosa_public"); modules
    that need more of their data add it to this fixture."""
    ProfileFactory(member=member, username="rosa_public")
    return member
