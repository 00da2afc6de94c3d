"""The BestQM client software's session API: open, heartbeat, end, history."""

import base64
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from activity.models import ClientSession
from orders.licences.services import licence_revoke
from privacy.audit.services import Actor
from tests.activity.conftest import token_client
from tests.activity.factories import ClientSessionFactory
from tests.orders.factories import LicenceFactory

SESSIONS = "/api/v1/client/sessions/"
pytestmark = pytest.mark.django_db


def _open(client, serial, **overrides):
    body = {"serial": serial, "software_version": "2.4.1", "camera_type": "Logitech C920"}
    return client.post(SESSIONS, {**body, **overrides}, format="json", REMOTE_ADDR="192.0.2.44")


def test_opening_a_session_records_entrance_time_address_and_returns_its_id(
    client_app, licence, member
):
    before = timezone.now()
    response = _open(client_app, licence.serial.lower().replace("-", " "))

    assert response.status_code == 201
    body = response.json()
    session = ClientSession.objects.get(pk=body["id"])
    assert session.member == member
    assert session.serial == licence.serial  # stored as printed, however it was typed
    assert (session.software_version, session.camera_type) == ("2.4.1", "Logitech C920")
    assert session.ip_address == "192.0.2.44"
    assert before <= session.started_at <= timezone.now()
    assert session.status == ClientSession.Status.OPEN
    assert body["ended_at"] is None and body["status"] == "open"


@pytest.mark.parametrize(
    ("serial", "field"),
    [("not-a-serial", "serial"), ("", "serial"), ("ABCDE-FGHJK-MNPQR-STVWX", "serial")],
)
def test_a_malformed_serial_is_a_400_naming_the_field_and_opens_nothing(
    client_app, licence, serial, field
):
    response = _open(client_app, serial)

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {field}
    assert not ClientSession.objects.exists()


@pytest.mark.parametrize("version", ["2", "two", "2.4.1\n3", "2.4.1.0.0", "٢.٤", "2.4 beta", ""])
def test_a_malformed_version_is_a_400_naming_the_field(client_app, licence, version):
    response = _open(client_app, licence.serial, software_version=version)

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"software_version"}
    assert not ClientSession.objects.exists()


@pytest.mark.parametrize("version", ["2.4", "2.4.1", "10.0.3.7", "2.5.0-beta.2"])
def test_well_formed_versions_are_accepted(client_app, licence, version):
    assert _open(client_app, licence.serial, software_version=version).status_code == 201


def test_a_bad_camera_type_and_an_unknown_field_are_named(client_app, licence):
    response = _open(client_app, licence.serial, camera_type="<script>", colour="red")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"colour"}
    response = _open(client_app, licence.serial, camera_type="<script>")
    assert set(response.json()["error"]["fields"]) == {"camera_type"}
    assert not ClientSession.objects.exists()


def test_another_members_serial_or_a_revoked_licence_is_refused_alike(
    client_app, licence, other_member
):
    someone_elses = LicenceFactory(member=other_member)
    revoked = licence_revoke(licence=licence, actor=Actor.system())

    for serial in (someone_elses.serial, revoked.serial):
        response = _open(client_app, serial)
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {
            "serial": ["None of your active licences has this serial number."]
        }
    assert not ClientSession.objects.exists()


def test_a_client_without_a_token_gets_401_and_a_browser_session_is_not_enough(member, licence):
    anonymous = APIClient()
    response = anonymous.post(SESSIONS, {"serial": licence.serial}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"

    browser = APIClient()
    browser.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    assert _open(browser, licence.serial).status_code == 401
    assert anonymous.get(SESSIONS).status_code == 401
    assert not ClientSession.objects.exists()


def test_a_heartbeat_moves_last_seen_forward(client_app, licence):
    session_id = _open(client_app, licence.serial).json()["id"]
    opened = ClientSession.objects.get(pk=session_id).last_seen_at

    response = client_app.post(f"{SESSIONS}{session_id}/heartbeat/")

    assert response.status_code == 200
    session = ClientSession.objects.get(pk=session_id)
    assert session.last_seen_at > opened
    assert response.json()["last_seen_at"] is not None


def test_ending_records_the_exit_time_and_ending_again_changes_nothing(client_app, licence):
    session_id = _open(client_app, licence.serial).json()["id"]

    first = client_app.post(f"{SESSIONS}{session_id}/end/")
    ended = ClientSession.objects.get(pk=session_id)
    second = client_app.post(f"{SESSIONS}{session_id}/end/")

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["status"] == "ended" and first.json()["ended_at"] is not None
    after = ClientSession.objects.get(pk=session_id)
    assert (after.ended_at, after.last_seen_at, after.status) == (
        ended.ended_at,
        ended.last_seen_at,
        ended.status,
    )


def test_a_heartbeat_after_the_end_is_a_409_and_changes_nothing(client_app, licence):
    session_id = _open(client_app, licence.serial).json()["id"]
    client_app.post(f"{SESSIONS}{session_id}/end/")
    ended = ClientSession.objects.get(pk=session_id)

    response = client_app.post(f"{SESSIONS}{session_id}/heartbeat/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "session_ended"
    assert ClientSession.objects.get(pk=session_id).last_seen_at == ended.last_seen_at


def test_a_session_silent_past_the_timeout_ends_at_its_last_heartbeat(client_app, member, settings):
    settings.ACTIVITY_SESSION_TIMEOUT_SECONDS = 60
    last_heard = timezone.now() - timedelta(minutes=5)
    session = ClientSessionFactory(
        member=member, started_at=last_heard - timedelta(hours=1), last_seen_at=last_heard
    )

    assert client_app.post(f"{SESSIONS}{session.pk}/heartbeat/").status_code == 409
    response = client_app.post(f"{SESSIONS}{session.pk}/end/")

    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == ClientSession.Status.TIMED_OUT
    assert session.ended_at == last_heard
    assert response.json()["duration_seconds"] == 3600


def test_another_members_session_or_an_unknown_id_is_404_everywhere(client_app, other_member):
    theirs = ClientSessionFactory(member=other_member)
    for session_id in (theirs.pk, uuid.uuid4(), "not-a-uuid", "%00"):
        for method, suffix in (("get", ""), ("post", "heartbeat/"), ("post", "end/")):
            response = getattr(client_app, method)(f"{SESSIONS}{session_id}/{suffix}")
            assert response.status_code == 404, (session_id, suffix)
            assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.status == ClientSession.Status.OPEN and theirs.ended_at is None


def test_the_history_lists_only_the_members_own_sessions_newest_first(
    client_app, member, other_member
):
    now = timezone.now()
    older = ClientSessionFactory(member=member, started_at=now - timedelta(days=2))
    newer = ClientSessionFactory(member=member, started_at=now - timedelta(hours=1))
    ClientSessionFactory(member=other_member)

    body = client_app.get(SESSIONS).json()

    assert [s["id"] for s in body["results"]] == [str(newer.pk), str(older.pk)]
    one = client_app.get(f"{SESSIONS}{older.pk}/").json()
    assert one["serial"] == older.serial and one["ip_address"] == older.ip_address


def test_the_history_is_paged_by_cursor_and_a_forged_cursor_is_a_400(client_app, member):
    now = timezone.now()
    for hours in range(30):
        ClientSessionFactory(member=member, started_at=now - timedelta(hours=hours))

    first = client_app.get(SESSIONS).json()
    second = client_app.get(first["next"]).json()

    assert len(first["results"]) == 25 and len(second["results"]) == 5
    assert not {s["id"] for s in first["results"]} & {s["id"] for s in second["results"]}
    for position in ("yesterday", "2026-01-01 00:00:00", "%00"):
        forged = base64.b64encode(f"p={position}".encode()).decode()
        response = client_app.get(SESSIONS, {"cursor": forged})
        assert response.status_code == 400, position
        assert response.json()["error"]["fields"] == {"cursor": ["Invalid cursor."]}


def test_a_second_members_token_sees_nothing_of_the_first(member, other_member, licence):
    session_id = _open(token_client(member), licence.serial).json()["id"]
    stranger = token_client(other_member)

    assert stranger.get(SESSIONS).json()["results"] == []
    assert stranger.post(f"{SESSIONS}{session_id}/end/").status_code == 404
    assert ClientSession.objects.get(pk=session_id).status == ClientSession.Status.OPEN
