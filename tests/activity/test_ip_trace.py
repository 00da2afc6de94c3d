"""IP trace selectors for the legal workflow: who used an address or a network in a
window, and which addresses an account used."""

from datetime import UTC, datetime, timedelta

import pytest

from activity.retention import retention_run
from activity.selectors import accounts_seen_at, addresses_used_by
from tests.accounts.factories import UserFactory
from tests.activity.factories import ClientSessionFactory, PageViewFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


@pytest.fixture
def traffic():
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    PageViewFactory(member=alice, ip_address="198.51.100.7", occurred_at=hours(0))
    PageViewFactory(member=alice, ip_address="198.51.100.7", occurred_at=hours(2))
    PageViewFactory(member=bob, ip_address="198.51.100.200", occurred_at=hours(1))
    PageViewFactory(member=None, ip_address="198.51.100.7", occurred_at=hours(1))
    PageViewFactory(member=carol, ip_address="198.51.100.7", occurred_at=hours(30))
    ClientSessionFactory.ended(
        member=carol,
        ip_address="198.51.100.9",
        started_at=hours(-5),
        length=timedelta(hours=6),  # open across the window's start
    )
    PageViewFactory(member=alice, ip_address="2001:db8::1", occurred_at=hours(3))
    return alice, bob, carol


def test_accounts_that_used_an_address_in_a_window(traffic):
    alice = traffic[0]

    seen = accounts_seen_at(network="198.51.100.7", start=hours(-1), end=hours(24))

    assert [a.member_id for a in seen] == [alice.pk]  # the visitor has no account
    assert (seen[0].first_seen, seen[0].last_seen) == (hours(0), hours(2))
    assert (seen[0].page_views, seen[0].client_sessions) == (2, 0)


def test_accounts_that_used_a_network_in_page_views_and_client_sessions(traffic):
    alice, bob, carol = traffic

    seen = accounts_seen_at(network="198.51.100.0/24", start=hours(0), end=hours(24))

    assert [a.member_id for a in seen] == [carol.pk, alice.pk, bob.pk]
    carols = seen[0]
    assert (carols.page_views, carols.client_sessions) == (0, 1)
    assert carols.first_seen == hours(-5)  # the session began before the window
    lower_half = accounts_seen_at(network="198.51.100.0/25", start=hours(0), end=hours(24))
    assert {a.member_id for a in lower_half} == {alice.pk, carol.pk}  # .200 is not in it


def test_the_window_is_inclusive_and_nothing_outside_it_counts(traffic):
    alice, _, carol = traffic

    assert [
        a.member_id for a in accounts_seen_at(network="198.51.100.7", start=hours(2), end=hours(2))
    ] == [alice.pk]
    assert accounts_seen_at(network="198.51.100.7", start=hours(3), end=hours(29)) == []
    assert [
        a.member_id
        for a in accounts_seen_at(network="198.51.100.7", start=hours(25), end=hours(48))
    ] == [carol.pk]


def test_addresses_an_account_used(traffic):
    alice, _, carol = traffic

    used = addresses_used_by(member=alice, start=hours(-1), end=hours(24))

    assert [(a.ip_address, a.page_views) for a in used] == [
        ("198.51.100.7", 2),
        ("2001:db8::1", 1),
    ]
    carols = addresses_used_by(member=carol, start=hours(0), end=hours(48))
    assert [(a.ip_address, a.client_sessions, a.page_views) for a in carols] == [
        ("198.51.100.9", 1, 0),
        ("198.51.100.7", 0, 1),
    ]


def test_a_shortened_address_answers_only_for_networks_at_least_as_wide(traffic, settings):
    alice, bob, carol = traffic
    settings.IP_RETENTION_DAYS = 1
    settings.ACTIVITY_EVENT_RETENTION_DAYS = 3650
    retention_run(now=T0 + timedelta(days=10))

    # 198.51.100.7 is now 198.51.100.0: it may have been any address of the /24.
    assert accounts_seen_at(network="198.51.100.7", start=hours(-1), end=hours(24)) == []
    assert accounts_seen_at(network="198.51.100.0/25", start=hours(-1), end=hours(24)) == []
    wide = accounts_seen_at(network="198.51.0.0/16", start=hours(-1), end=hours(24))
    assert {a.member_id for a in wide} == {alice.pk, bob.pk, carol.pk}
    used = addresses_used_by(member=alice, start=hours(-1), end=hours(24))
    assert [(a.ip_address, a.truncated) for a in used] == [
        ("198.51.100.0", True),
        ("2001:db8::", True),
    ]


@pytest.mark.parametrize(
    "network", ["", "not-an-address", "198.51.100.0/33", "198.51.100.7\x00", "::1/200"]
)
def test_a_malformed_network_is_refused(network):
    with pytest.raises(ValueError):
        accounts_seen_at(network=network, start=hours(0), end=hours(1))


def test_a_backwards_or_naive_window_is_refused(member):
    with pytest.raises(ValueError):
        accounts_seen_at(network="192.0.2.1", start=hours(1), end=hours(0))
    with pytest.raises(ValueError):
        addresses_used_by(member=member, start=datetime(2026, 1, 1), end=hours(0))
