"""Writes of the activity app: page views in batches, and the client software's sessions.

Client sessions are not written to the audit log: they are themselves the record of what
the client did, and an audit row (kept for years, with the address it came from) would
outlive the 90 days an address may be kept and the months a session may be.
"""

import csv
import io
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from activity.models import ClientSession, PageView
from activity.validators import camera_type_validator, software_version_validator
from activity.visits.user_agents import browser_of
from activity.visits.visitor_hashes import day_salt, visitor_hash
from bestqm.http.client_ip import client_ip
from bestqm.workflow import Workflow, WorkflowError
from orders.licences.serials import serial_canonical, serial_is_well_formed
from orders.selectors import licence_valid_for
from privacy.registry import Category

SERIAL_MALFORMED = (
    "Enter the serial number as it appears on your licence: four groups of five letters and digits."
)
SERIAL_NOT_YOURS = "None of your active licences has this serial number."
SESSION_ENDED = "This session has ended. Open a new one."


class SessionEnded(WorkflowError):
    """A heartbeat for a session that is over (ended, or silent past the timeout)."""

    code = "session_ended"


# Sessions are reported by the client software; their moves are not audit events.
SESSIONS = Workflow(ClientSession, category=Category.SYSTEM)


# --- Page views --------------------------------------------------------------------------


# Columns written for a page view, in the order of the rows page_views_store builds.
_PAGE_VIEW_FIELDS = (
    "occurred_at",
    "member",
    "ip_address",
    "visitor_hash",
    "path",
    "route",
    "browser_family",
    "browser_version",
    "os_family",
    "device_type",
    "ip_truncated",
)


def _insert_page_views(rows: list[tuple]) -> None:
    """Write plain rows in bulk. bulk_create would build the same multi-row INSERT but
    spends most of a batch's time passing every value through its field; these values
    are plain already. PostgreSQL takes them by COPY, which it parses far faster than a
    long VALUES list (measured: bench/activity_middleware.py)."""
    opts = PageView._meta
    fields = [opts.get_field(name) for name in _PAGE_VIEW_FIELDS]
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Page views may be lost in a crash anyway (they wait in memory first), so
            # this transaction does not wait for its commit to reach the disk. The data
            # stays consistent; only the last moments before a crash could be missing.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            # CSV: strings quoted, numbers and booleans bare; None becomes "" and is read
            # back as NULL only in the two columns that may hold one.
            buffer = io.StringIO()
            csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC).writerows(rows)
            buffer.seek(0)
            nullable = ", ".join(quote(opts.get_field(n).column) for n in ("member", "ip_address"))
            cursor.copy_expert(
                f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NULL ({nullable}))",
                buffer,
            )
            return
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        chunk = connection.ops.bulk_batch_size(fields, rows) or len(rows)
        adapt_time = connection.ops.adapt_datetimefield_value
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            params = []
            for at, *rest in part:
                params.extend((adapt_time(at), *rest))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 - names from the model
                + ", ".join([placeholders] * len(part)),
                params,
            )


@lru_cache(maxsize=4096)
def _address(remote_addr: str, forwarded_for: str, trusted_proxies: int) -> str | None:
    """The visitor's address, worked out by bestqm.http.client_ip as for every request, from
    the two headers the middleware kept (it leaves the parsing to the batch). Visitors
    come back, so answers are cached; the proxy count is in the key as the answer
    depends on it."""
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": remote_addr, "HTTP_X_FORWARDED_FOR": forwarded_for}
    return client_ip(request)


def page_views_store(*, views: list[dict]) -> int:
    """Write a batch of page views recorded by the middleware; returns how many were
    written. A view of a member whose account is gone by now (erased in the seconds the
    batch waited) is dropped, not kept without them."""
    if not views:
        return 0
    member_ids = {v["member"] for v in views if v["member"] is not None}
    existing = set()
    if member_ids:
        members = get_user_model().objects.filter(pk__in=member_ids)
        existing = set(members.values_list("pk", flat=True))
    today = timezone.now().astimezone(UTC).date()
    salts = {}
    rows = []
    for view in views:
        member, agent = view["member"], view["user_agent"]
        ip = _address(view["remote_addr"], view["forwarded_for"], settings.TRUSTED_PROXY_COUNT)
        if member is not None and member not in existing:
            continue
        occurred_at = datetime.fromtimestamp(view["at"], UTC)
        day = occurred_at.date()
        if day not in salts:
            salts[day] = day_salt(day, today=today)
        browser = browser_of(agent)
        rows.append(
            (
                occurred_at,
                member,
                ip,
                visitor_hash(salts[day], ip_address=ip, user_agent=agent),
                view["path"],
                view["route"],
                browser.family,
                browser.version,
                browser.os_family,
                str(browser.device_type),
                False,
            )
        )
    if rows:
        with transaction.atomic():
            _insert_page_views(rows)
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
    return SESSIONS.locked(ClientSession(pk=session_id), member=member)


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
            SESSIONS.move(session, ClientSession.Status.TIMED_OUT, ended_at=session.last_seen_at)
        else:
            SESSIONS.move(session, ClientSession.Status.ENDED, ended_at=now, last_seen_at=now)
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
