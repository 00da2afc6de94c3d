"""The disclosure package: only what the approved scope and the type of process unlock, a
manifest whose digests match its files, the package's own digest stored on the request,
the fields disclosed recorded per member; downloaded by legal roles only, through an
expiring link, every download recorded."""

import hashlib
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from privacy.legal.models import LegalEvent, LegalRequest
from privacy.legal.packages import package_link_token
from privacy.legal.services import legal_collect
from privacy.roles import Role
from tests.accounts.factories import ProfileFactory, sign_in_verified
from tests.activity.factories import ClientSessionFactory, PageViewFactory
from tests.orders.factories import OrderFactory
from tests.privacy.legal.factories import (
    as_actor,
    legal_approver,
    legal_officer,
    legal_request,
    walk,
)
from tests.support.factories import TicketFactory

pytestmark = pytest.mark.django_db
Status = LegalRequest.Status
TICKET_TEXT = "Someone threatened me in a message last night."


@pytest.fixture
def officer():
    return legal_officer(login_name="lena.legal")


@pytest.fixture
def approver():
    return legal_approver(login_name="arno.approver")


@pytest.fixture
def history(member, other_member):
    """The target's data in every category, and someone else's that must never leave."""
    ProfileFactory(member=member, username="rosa_public", city="Lisbon")
    ClientSessionFactory(member=member, ip_address="203.0.113.77")
    PageViewFactory(member=member, ip_address="203.0.113.78")
    TicketFactory(member=member, first_message=TICKET_TEXT)
    OrderFactory(member=member)
    ClientSessionFactory(member=other_member, ip_address="203.0.113.99")
    return member


def _package(case) -> zipfile.ZipFile:
    data = storages["legal"].open(case.package_file, "rb").read()
    assert hashlib.sha256(data).hexdigest() == case.package_sha256
    return zipfile.ZipFile(io.BytesIO(data))


def _collected(officer, approver, scope, request_type="subpoena"):
    case = legal_request(officer, request_type=request_type)
    return walk(case, Status.SECOND_REVIEW, officer=officer, approver=approver, scope=scope)


def test_a_subpoena_package_holds_subscriber_data_and_session_logs_only(history, officer, approver):
    case = _collected(officer, approver, ["account", "system"])

    archive = _package(case)
    names = set(archive.namelist())
    assert names == {
        "manifest.json",
        "account/accounts.user.json",
        "account/accounts.user.csv",
        "account/accounts.publicprofile.json",
        "account/accounts.publicprofile.csv",
        "system/activity.clientsession.json",
        "system/activity.clientsession.csv",
    }
    [user] = json.loads(archive.read("account/accounts.user.json"))
    assert user["subject"] == "S1"
    assert user["email"] == "rosa.private@example.org"
    assert "password" not in user and "id" not in user
    [session] = json.loads(archive.read("system/activity.clientsession.json"))
    # session/IP logs: times and address, not the serial, version or camera
    assert set(session) == {"subject", "started_at", "last_seen_at", "ended_at", "ip_address"}
    assert session["ip_address"] == "203.0.113.77"
    everything = b"".join(archive.read(n) for n in names)
    for never in (TICKET_TEXT, "billing.rosa@example.org", "203.0.113.99", "203.0.113.78"):
        assert never.encode() not in everything


def test_the_manifest_holds_each_files_digest_and_names_the_subjects(history, officer, approver):
    case = _collected(officer, approver, ["account", "system"])

    archive = _package(case)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["request"]["reference_number"] == "MPS-2026-0107"
    assert manifest["request"]["scope"] == ["account", "system"]
    assert manifest["subjects"] == [
        {"subject": "S1", "named_as": ["Username or login name: rosa_public"]}
    ]
    assert {f["path"] for f in manifest["files"]} == set(archive.namelist()) - {"manifest.json"}
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert "Det. Sgt. Ada Byrne" not in json.dumps(manifest)  # the officer stays out of it


def test_the_request_records_exactly_which_fields_of_whom_were_disclosed(
    history, officer, approver
):
    case = _collected(officer, approver, ["system"])

    [disclosure] = case.disclosures.all()
    assert disclosure.member == history
    assert disclosure.subject_pseudonym == history.audit_pseudonym.pseudonym
    assert (disclosure.category, disclosure.model_label) == ("system", "activity.ClientSession")
    assert disclosure.fields == ["started_at", "last_seen_at", "ended_at", "ip_address"]
    assert disclosure.records == 1


def test_a_search_warrant_reaches_support_messages(history, officer, approver):
    case = _collected(officer, approver, ["support"], request_type="search_warrant")

    messages = json.loads(_package(case).read("support/support.ticketmessage.json"))
    assert [m["body"] for m in messages] == [TICKET_TEXT]


def test_an_unresolved_target_makes_an_empty_package(officer, approver):
    case = legal_request(officer)  # "rosa_public" names no one here
    walk(case, Status.SECOND_REVIEW, officer=officer, approver=approver)

    archive = _package(case)
    assert archive.namelist() == ["manifest.json"]
    assert not case.disclosures.exists()


# --- download -----------------------------------------------------------------------------------


def _signed_in(client, user):
    return sign_in_verified(client, user)


def _link(case):
    return reverse("admin:privacy_legalrequest_package", args=[case.pk, package_link_token(case)])


def _downloads(case):
    from privacy.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        event_type=LegalEvent.PACKAGE_DOWNLOADED, object_id=str(case.pk)
    )


def test_a_legal_role_downloads_the_package_through_its_link_and_it_is_recorded(
    history, officer, approver, client
):
    case = _collected(officer, approver, ["account"])
    page = _signed_in(client, approver).get(
        reverse("admin:privacy_legalrequest_change", args=[case.pk])
    )
    # The page's link is signed when the page is made (its timestamp may be a second older
    # than one made here): the one the page shows is the one that downloads.
    shown = re.search(rf'href="({_link(case).split(":", 1)[0]}:[^"]+/)"', page.text)
    assert shown

    response = client.get(shown.group(1))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == case.package_sha256
    [event] = _downloads(case)
    assert event.actor_kind == "staff"


def test_an_expired_link_answers_410_and_records_nothing(
    history, officer, approver, client, monkeypatch, settings
):
    case = _collected(officer, approver, ["account"])
    link = _link(case)
    later = timezone.now().timestamp() + (settings.LEGAL_PACKAGE_LINK_HOURS * 3600 + 60)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    response = _signed_in(client, officer).get(link)

    assert response.status_code == 410
    assert not _downloads(case).exists()


def test_a_delivered_package_expires_then_is_deleted_by_the_scheduled_job(
    history, officer, approver, client
):
    case = _collected(officer, approver, ["account"])
    walk(case, Status.DELIVERED, officer=officer, approver=approver)
    assert case.package_expires_at - case.delivered_at == timedelta(hours=48)
    link = _link(case)
    LegalRequest.objects.filter(pk=case.pk).update(package_expires_at=timezone.now())

    assert _signed_in(client, officer).get(link).status_code == 410
    out = io.StringIO()
    call_command("run_legal_requests", stdout=out)
    assert "packages deleted: 1" in out.getvalue()
    case.refresh_from_db()
    assert case.package_file == "" and case.package_sha256  # the digest stays as the record
    assert not storages["legal"].listdir("packages")[1]


def test_a_build_whose_message_was_lost_is_queued_again_by_the_scheduled_job(
    history, officer, approver, monkeypatch
):
    from outbox import tasks

    case = walk(legal_request(officer), Status.COLLECTING, officer=officer, approver=approver)
    with monkeypatch.context() as lost:  # the broker took the message and lost it
        lost.setattr(tasks.deliver, "apply_async", lambda *args, **kwargs: None)
        legal_collect(request=case, actor=as_actor(officer))
    case.refresh_from_db()
    assert (case.status, case.collected_by) == (Status.COLLECTING, officer)

    out = io.StringIO()
    call_command("run_legal_requests", stdout=out)

    assert "package builds queued again: 1" in out.getvalue()
    case.refresh_from_db()
    assert case.status == Status.SECOND_REVIEW
    assert "manifest.json" in _package(case).namelist()


def test_a_tampered_or_outdated_link_answers_404(history, officer, approver, client):
    case = _collected(officer, approver, ["account"])
    old_link = _link(case)
    _signed_in(client, officer)
    assert client.get(old_link[:-3] + "xyz/").status_code == 404

    from privacy.legal.services import legal_collect, legal_collection_return
    from tests.privacy.legal.factories import as_actor

    legal_collection_return(request=case, actor=as_actor(approver))
    legal_collect(request=case, actor=as_actor(officer))
    assert client.get(old_link).status_code == 404  # the link was for the discarded package
    assert not _downloads(case).exists()


@pytest.mark.parametrize(
    ("roles", "status"),
    [([Role.SUPPORT_AGENT], 403), ([Role.PRIVACY_OFFICER], 403), ([Role.BILLING_AGENT], 403)],
)
def test_staff_without_a_legal_role_cannot_download(
    history, officer, approver, staff_client, roles, status
):
    case = _collected(officer, approver, ["account"])
    assert staff_client(*roles).get(_link(case)).status_code == status
    assert not _downloads(case).exists()


def test_a_member_opening_the_link_is_told_nothing_is_there(
    history, officer, approver, member_client
):
    case = _collected(officer, approver, ["account"])
    response = member_client.get(_link(case))
    assert response.status_code == 404
    assert not _downloads(case).exists()
