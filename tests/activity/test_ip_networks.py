"""Addresses and networks as a legal target or a trace names them: one address without its
prefix, a network with its host bits cleared; anything else refused."""

import pytest

from activity.ip_networks import network_text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("198.51.100.7", "198.51.100.7"),
        (" 198.51.100.7/32 ", "198.51.100.7"),
        ("198.51.100.77/24", "198.51.100.0/24"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:db8::1/48", "2001:db8::/48"),
    ],
)
def test_an_address_or_network_is_stored_in_one_form(typed, stored):
    assert network_text(typed) == stored


@pytest.mark.parametrize("typed", ["", "198.51.100", "999.1.1.1", "10.0.0.0/33", "10.0.0.1\x00"])
def test_anything_else_is_refused(typed):
    with pytest.raises(ValueError):
        network_text(typed)
