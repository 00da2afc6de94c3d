"""IP addresses in queries: "is this address inside that network", and shortening an
address to its network once its retention ends.

PostgreSQL stores addresses as `inet` and answers both natively (`<<=`, which a btree
index serves as a range scan; `set_masklen`/`network`). SQLite stores text; there the same
SQL calls two small functions registered on every connection, so one queryset works on
both databases.
"""

import ipaddress

from django.db.models import Func, GenericIPAddressField, Lookup, Q

# What is kept of an address after IP_RETENTION_DAYS: the network an ISP hands to a
# neighbourhood, not to a household.
TRUNCATED_PREFIX = {4: 24, 6: 48}

_SQLITE_IN_NETWORK = "activity_ip_in_network"
_SQLITE_TRUNCATE = "activity_ip_truncate"


def parse_network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """An address or a network in CIDR notation; host bits are cleared (10.1.2.3/8 is
    10.0.0.0/8). Raises ValueError for anything else."""
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("Not an IP address or network.")
    return ipaddress.ip_network(value.strip(), strict=False)


def network_text(value: str) -> str:
    """An address or a network as it is stored and shown: a single address without its
    prefix ("198.51.100.7"), a network in CIDR notation ("198.51.100.0/24"). Raises
    ValueError for anything else."""
    network = parse_network(value)
    return str(network.network_address) if network.num_addresses == 1 else str(network)


def truncated_address(address: str | None) -> str | None:
    """The address with everything after the first 24 (IPv4) or 48 (IPv6) bits zeroed."""
    if address is None:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    network = ipaddress.ip_network(f"{ip}/{TRUNCATED_PREFIX[ip.version]}", strict=False)
    return str(network.network_address)


def address_in_network(address: str | None, network: str | None) -> bool | None:
    if address is None or network is None:
        return None
    try:
        ip = ipaddress.ip_address(address)
        net = ipaddress.ip_network(network, strict=False)
    except ValueError:
        return False
    return ip.version == net.version and ip in net


def address_in(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> Q:
    """Rows whose ip_address lies in the network: plain equality for a single address
    (which an index serves on SQLite too), `in_network` otherwise."""
    if network.num_addresses == 1:
        return Q(ip_address=str(network.network_address))
    return Q(ip_address__in_network=str(network))


class InNetwork(Lookup):
    """`ip_address__in_network="203.0.113.0/24"`: the address lies in the network (or is
    the address, for a single one). Registered on the activity models' address fields."""

    lookup_name = "in_network"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [str(parse_network(str(value)))]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} <<= {rhs}::inet", [*lhs_params, *rhs_params]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{_SQLITE_IN_NETWORK}({lhs}, {rhs})", [*lhs_params, *rhs_params]


class TruncatedAddress(Func):
    """The column's address shortened to its /24 or /48 network (see TRUNCATED_PREFIX)."""

    function = _SQLITE_TRUNCATE
    arity = 1
    output_field = GenericIPAddressField()

    def as_postgresql(self, compiler, connection, **extra_context):
        v4, v6 = TRUNCATED_PREFIX[4], TRUNCATED_PREFIX[6]
        template = (
            "host(network(set_masklen(%(expressions)s, "
            f"CASE WHEN family(%(expressions)s) = 4 THEN {v4} ELSE {v6} END)))::inet"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: teach SQLite what PostgreSQL knows about addresses."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function(_SQLITE_IN_NETWORK, 2, address_in_network, deterministic=True)
    raw.create_function(_SQLITE_TRUNCATE, 1, truncated_address, deterministic=True)
