"""Declarations of the activity app ('Aggregate Data', 'System Information', 'IP Address').

Erasure of a member deletes their raw page views and client sessions outright (every
personal field says DELETE). Page views are not merely unlinked: with its address, time
and path, an unlinked view still points back at the member (an IP trace finds it), and
what the service needs from it, the day's counts, is kept in the daily figures, which
name no one. A member's views not yet rolled up then simply do not count, which changes
a day's figures by one visitor at most.
"""

from activity.models import ClientSession, DailyFigure, PageView, RolledUpDay, VisitorSalt
from privacy.registry import (
    SESSION_LOG_PROCESSES,
    Category,
    Erasure,
    MemberAccess,
    NonPersonal,
    PersonalField,
    Retention,
    registry,
)
from privacy.roles import Role, grant

RAW_EVENT = Retention(
    "Kept ACTIVITY_EVENT_RETENTION_DAYS days (default 180), counted in the daily figures, "
    "which name no one, then deleted.",
    days_setting="ACTIVITY_EVENT_RETENTION_DAYS",
)
RAW_ADDRESS = Retention(
    "The whole address is kept IP_RETENTION_DAYS days (default 90), then shortened to its "
    "network (/24 for IPv4, /48 for IPv6); deleted with its event.",
    days_setting="IP_RETENTION_DAYS",
)
VISITS = "Analysing trends and administration: visits counted by browser, system and page."
MOVEMENT = "Following a member's movement through the site, for administration and trends."
TRACE = "Tracing an address for valid legal process only ('Disclosure to Law Enforcement')."
PERFORMANCE = "Monitoring system performance: when and how the client software is used."
# Support sees how the client software runs (version, camera, times) to help with it;
# never the address or the serial.
SUPPORT = frozenset({Role.SUPPORT_AGENT})


def _visit(purpose: str = VISITS, **options) -> PersonalField:
    return PersonalField(
        Category.AGGREGATE,
        purpose=purpose,
        retention=options.pop("retention", RAW_EVENT),
        erasure=Erasure.DELETE,
        member_access=options.pop("member_access", MemberAccess.VIEW),
        **options,
    )


def _session(purpose: str = PERFORMANCE, **options) -> PersonalField:
    return PersonalField(
        Category.SYSTEM,
        purpose=purpose,
        retention=options.pop("retention", RAW_EVENT),
        erasure=Erasure.DELETE,
        member_access=MemberAccess.VIEW,
        **options,
    )


registry.declare(
    PageView,
    owner="member",
    fields={
        "id": NonPersonal("surrogate key"),
        "member": NonPersonal("link to the member who was signed in, if anyone was"),
        "occurred_at": _visit(MOVEMENT),
        "ip_address": _visit(TRACE, retention=RAW_ADDRESS),
        "ip_truncated": NonPersonal("whether the address was shortened to its network"),
        "visitor_hash": _visit(
            "Counting distinct visitors of a day without keeping who they were.",
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
        ),
        "path": _visit(MOVEMENT),
        "route": _visit(),
        "browser_family": _visit(),
        "browser_version": _visit(),
        "os_family": _visit(),
        "device_type": _visit(),
    },
)

registry.declare(
    ClientSession,
    owner="member",
    fields={
        "id": NonPersonal("random key the client uses to report on its session"),
        "member": NonPersonal("link to the member whose token opened the session"),
        "serial": _session("Checks the program serial number against the member's licences."),
        "software_version": _session(extra_staff_roles=SUPPORT),
        "camera_type": _session(extra_staff_roles=SUPPORT),
        "status": NonPersonal("whether the session is open, ended, or ended by silence"),
        "started_at": _session(extra_staff_roles=SUPPORT, disclosable_under=SESSION_LOG_PROCESSES),
        "last_seen_at": _session(
            extra_staff_roles=SUPPORT, disclosable_under=SESSION_LOG_PROCESSES
        ),
        "ended_at": _session(extra_staff_roles=SUPPORT, disclosable_under=SESSION_LOG_PROCESSES),
        "ip_address": _session(
            TRACE, retention=RAW_ADDRESS, disclosable_under=SESSION_LOG_PROCESSES
        ),
        "ip_truncated": NonPersonal("whether the address was shortened to its network"),
    },
)

registry.declare(
    DailyFigure,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "day": NonPersonal("the day counted"),
        "metric": NonPersonal("what is counted"),
        "key": NonPersonal("a browser, system, page name, client version or camera type"),
        "value": NonPersonal("a count over everyone's activity of the day"),
    },
)

registry.declare(
    RolledUpDay,
    owner=None,
    fields={
        "day": NonPersonal("a day whose figures are final"),
        "rolled_up_at": NonPersonal("when they were stored"),
    },
)

registry.declare(
    VisitorSalt,
    owner=None,
    fields={
        "day": NonPersonal("the day the salt serves"),
        "salt": NonPersonal("random bytes; says nothing of anyone, deleted at the roll-up"),
    },
)

# Admin permissions of each staff role (applied after every migrate; see privacy.roles).
# The support agent and the privacy officer may open the activity dashboard (counts
# only) and look at client sessions, which the registry masks field by field: support sees
# versions, cameras and times, never the address or the serial.
grant(Role.SUPPORT_AGENT, "activity.view_activitydashboard", "activity.view_clientsession")
grant(Role.PRIVACY_OFFICER, "activity.view_activitydashboard", "activity.view_clientsession")
