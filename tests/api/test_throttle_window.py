"""The API's rate limit is a sliding-window counter: at most the rate in any period, near
enough, and Retry-After says when the next request is let through."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from bestqm.api.throttles import VisitorRateThrottle

URL = "/api/v1/directory/"


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves; three requests a minute for visitors."""
    now = {"t": 6_000_000.0}  # the start of a minute-long window
    monkeypatch.setattr(VisitorRateThrottle, "timer", lambda self: now["t"])
    # DRF copies the rates when it is first imported (see tests/api/test_schema_fuzz.py).
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    return now


def _get(client, address="198.51.100.7"):
    return client.get(URL, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_past_the_rate_a_visitor_waits_as_long_as_retry_after_says(clock):
    """Two visitors do the same; one comes back a second early, one when told."""
    client, early, on_time = APIClient(), "192.0.2.1", "192.0.2.2"
    for address in (early, on_time):
        assert [_get(client, address).status_code for _ in range(3)] == [200, 200, 200]
    clock["t"] += 10
    waits = set()
    for address in (early, on_time):
        refused = _get(client, address)
        assert refused.status_code == 429
        waits.add(int(refused["Retry-After"]))
    # Four counted in this window, the refused one too: one more fits once half of them
    # have faded (4 x 1/2 + 1 <= 3), 30 s into the next window, 50 + 30 s from here.
    assert waits == {80}

    clock["t"] += 79
    assert _get(client, early).status_code == 429
    clock["t"] += 1
    assert _get(client, on_time).status_code == 200


@pytest.mark.django_db
def test_the_last_windows_requests_count_for_the_part_still_in_the_period(clock):
    client = APIClient()
    assert [_get(client).status_code for _ in range(3)] == [200, 200, 200]
    clock["t"] += 60 + 40  # 40 s into the next window: a third of the three still count
    assert [_get(client).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_each_address_has_its_own_count(clock):
    client = APIClient()
    assert [_get(client).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(URL, REMOTE_ADDR="203.0.113.9").status_code == 200
