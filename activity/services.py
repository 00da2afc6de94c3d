"""Writes of the activity app: page views in batches, and the client software's sessions.

Client sessions are not written to the audit log: they are themselves the record of what
the client did, and an audit row (kept for years, with the address it came from) would
outlive the 90 days an address may be kept and the months a session may be.
"""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from activity.models import ClientSession, PageView
from activity.user_agents import browser_of
from activity.validators import camera_type_validator, software_version_validator
from activity.visitor_hashes import salt_of, visitor_hash
from orders.licence_serials import serial_canonical, serial_is_well_formed
from orders.selectors import licence_valid_for

SERIAL_MALFORMED = (
    "Enter the serial number as it appears on your licence: four groups of five letters and digits."
)
SERIAL_NOT_YOURS = "None of your active licences has this serial number."
SESSION_ENDED = "This session has ended. Open a new one."


class SessionEnded(Exception):
    """A heartbeat for a session that is over (ended, or silent past the timeout)."""

    code = "session_ended"


# --- Page views --------------------------------------------------------------------------


def page_views_store(*, views: list[dict]) -> int:
    """Write a batch of page views recorded by the middleware in one INSERT; returns how
    many were written. A view of a member whose account is gone by now (erased in the
    seconds the batch waited) is dropped, not kept without them."""
    if not views:
        return 0
    member_ids = {v["member"] for v in views if v["member"] is not None}
    existing = set(get_user_model().objects.filter(pk__in=member_ids).values_list("pk", flat=True))
    salts = {}
    rows = []
    for view in views:
        if view["member"] is not None and view["member"] not in existing:
            continue
        occurred_at = datetime.fromisoformat(view["at"])
        day = occurred_at.astimezone(UTC).date()
        if day not in salts:
            salts[day] = salt_of(day)
        browser = browser_of(view["user_agent"])
        rows.append(
            PageView(
                occurred_at=occurred_at,
                member_id=view["member"],
                ip_address=view["ip"],
                visitor_hash=visitor_hash(
                    salt=salts[day], ip_address=view["ip"], user_agent=view["user_agent"]
                ),
                path=view["path"],
                route=view["route"],
                browser_family=browser.family,
                browser_version=browser.version,
                os_family=browser.os_family,
                device_type=browser.device_type,
            )
        )
    with transaction.atomic():
        PageView.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# --- Client sessions ----------------------------------------------------------------------


def client_session_open(
    *,
    member,
    serial: str,
    software_version: str,
    camera_type: str,
    ip_address: str | None,
) -> ClientSession:
    """Open a session for a run of the client software. The serial must be one of the
    member's active licences; the time of entrance and the address are recorded."""
    errors: dict[str, list[str]] = {}
    if not serial_is_well_formed(serial):
        errors["serial"] = [SERIAL_MALFORMED]
    elif not licence_valid_for(serial=serial, member=member):
        errors["serial"] = [SERIAL_NOT_YOURS]
    for name, value, validator in (
        ("software_version", software_version, software_version_validator),
        ("camera_type", camera_type, camera_type_validator),
    ):
        try:
            validator(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        return ClientSession.objects.create(
            member=member,
            serial=serial_canonical(serial),
            software_version=software_version,
            camera_type=camera_type,
            started_at=now,
            last_seen_at=now,
            ip_address=ip_address,
        )


def _own_session_locked(*, member, session_id) -> ClientSession:
    """The member's session, locked; ClientSession.DoesNotExist for anyone else's."""
    return ClientSession.objects.select_for_update().get(pk=session_id, member=member)


def client_session_heartbeat(*, member, session_id) -> ClientSession:
    """The client is still running. Refused (SessionEnded) once the session is over,
    including one silent for longer than the timeout: the client opens a new one."""
    now = timezone.now()
    with transaction.atomic():
        session = _own_session_locked(member=member, session_id=session_id)
        if not session.can_heartbeat(now):
            raise SessionEnded(SESSION_ENDED)
        session.last_seen_at = now
        session.save(update_fields=["last_seen_at"])
    return session


def client_session_end(*, member, session_id) -> ClientSession:
    """Record the time of exit. Idempotent: ending an ended session changes nothing and
    answers the same. A session already silent past the timeout ended at its last
    heartbeat, not now."""
    now = timezone.now()
    with transaction.atomic():
        session = _own_session_locked(member=member, session_id=session_id)
        if not session.can_end():
            return session
        if session.is_stale(now):
            session.status = ClientSession.Status.TIMED_OUT
            session.ended_at = session.last_seen_at
        else:
            session.status = ClientSession.Status.ENDED
            session.ended_at = session.last_seen_at = now
        session.save(update_fields=["status", "ended_at", "last_seen_at"])
    return session


def client_sessions_close_stale(*, now: datetime | None = None) -> int:
    """End every open session whose client stopped reporting, at its last heartbeat.
    PostgreSQL re-checks the condition on rows a concurrent heartbeat just updated, so a
    session that came back to life in the meantime stays open."""
    now = now or timezone.now()
    with transaction.atomic():
        return ClientSession.objects.filter(
            status=ClientSession.Status.OPEN,
            last_seen_at__lt=now - ClientSession.timeout(),
        ).update(status=ClientSession.Status.TIMED_OUT, ended_at=F("last_seen_at"))
