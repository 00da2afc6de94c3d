import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from activity.visits import visitor_hashes
from activity.visits.buffer import page_view_buffer
from orders.licences.services import licence_issue
from privacy.audit.services import Actor


@pytest.fixture(autouse=True)
def _empty_page_view_buffer():
    """Views another test left in this process's buffer must not turn up in this one, nor
    today's visitor salt cached from another test's rolled-back transaction."""
    page_view_buffer.drain()
    visitor_hashes._current.clear()
    yield
    page_view_buffer.drain()
    visitor_hashes._current.clear()


@pytest.fixture
def licence(member):
    return licence_issue(member=member, actor=Actor.system())


def token_client(user) -> APIClient:
    """An API client that authenticates the way the BestQM software does: a knox token."""
    _, secret = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def client_app(member):
    return token_client(member)
