"""In real browsers: a subpoena from intake to delivery, worked in the admin by two
different people. The legal officer records it (a malformed IP is refused on its field),
verifies the requester and collects; the legal approver approves the scope (a subpoena
asking for support messages is refused with the reason), checks the package and approves
its delivery; the member is told what was disclosed."""

import hashlib
import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from privacy.legal.models import LegalRequest
from privacy.roles import Role
from tests.accounts.factories import ProfileFactory, StaffFactory, UserFactory
from tests.activity.factories import ClientSessionFactory
from tests.e2e.staff_sign_in import admin_sign_in

PASSWORD_LABEL = re.compile(r"^Password:?$")
NOTICE_SUBJECT = "We disclosed some of your data under legal process"


def _sign_in(page, login):
    admin_sign_in(page, login)


def _status(page):
    return page.locator(".field-status .readonly")


def _take_step(page, label):
    page.get_by_role("link", name=label).click()
    page.get_by_role("button", name=label).click()


def test_a_subpoena_from_intake_to_delivery_with_two_staff_users(browser, live_server, db):
    member = UserFactory(login_name="tara.target", email="tara@example.org")
    ProfileFactory(member=member, username="tara_public")
    ClientSessionFactory(member=member, ip_address="203.0.113.44")
    StaffFactory(login_name="lena.legal", roles=[Role.LEGAL_OFFICER])
    StaffFactory(login_name="arno.approver", roles=[Role.LEGAL_APPROVER])
    contexts = [
        browser.new_context(base_url=live_server.url, accept_downloads=True) for _ in range(2)
    ]
    requests = []
    try:
        officer, approver = (c.new_page() for c in contexts)
        for page in (officer, approver):
            page.set_default_timeout(10_000)
            page.on("request", lambda r: requests.append(r.url))
        case = _intake(officer)
        _verify(officer)
        _approve(approver, case)
        _collect(officer)
        _review_and_deliver(approver, case)
    finally:
        for context in contexts:
            context.close()
    foreign = [u for u in requests if not u.startswith(live_server.url)]
    assert not [u for u in foreign if not u.startswith(("data:", "blob:"))], foreign

    case.refresh_from_db()
    assert case.status == LegalRequest.Status.DELIVERED
    assert case.collected_by.login_name == "lena.legal"
    assert case.delivery_approved_by.login_name == "arno.approver"
    [notice] = [m for m in mail.outbox if m.subject == NOTICE_SUBJECT]
    assert notice.to == ["tara@example.org"]
    assert "- Account information" in notice.body and "- System information" in notice.body
    assert "Ada Byrne" not in notice.body


def _intake(page) -> LegalRequest:
    _sign_in(page, "lena.legal")
    page.goto("/admin/privacy/legalrequest/")
    page.get_by_role("link", name=re.compile("Add legal request")).click()
    page.get_by_label("Type").select_option("subpoena")
    page.get_by_label("Issuing authority").fill("Metropolitan Police Service")
    page.get_by_label("Jurisdiction").fill("England and Wales")
    page.get_by_label("Officer's name").fill("Det. Sgt. Ada Byrne")
    page.get_by_label("Officer's e-mail").fill("ada.byrne@police.example")
    page.get_by_label("Call-back phone").fill("+44 20 7946 0018")
    page.get_by_label("Authority's reference number").fill("MPS-2026-0107")
    due = (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Requester's due date").fill(due)
    page.get_by_label("Target 1 kind").select_option("username")
    page.get_by_label("Target 1 value").fill("tara_public")
    page.get_by_label("Target 2 kind").select_option("ip")
    page.get_by_label("Target 2 value").fill("198.51.100.300")
    page.get_by_label("Target 2 window start").fill("2026-10-01T10:00")
    page.get_by_label("Target 2 window end").fill("2026-10-01T12:00")
    page.get_by_label("Document 1 title").fill("Subpoena")
    page.get_by_label("Document 1 file").set_input_files(
        files=[{"name": "subpoena.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("Enter an IP address or a network in CIDR notation")).to_be_visible()
    assert not LegalRequest.objects.exists()

    page.get_by_label("Target 2 value").fill("198.51.100.0/24")
    page.get_by_label("Document 1 file").set_input_files(
        files=[{"name": "subpoena.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text(re.compile(r"Legal request #\d+ was recorded"))).to_be_visible()
    expect(_status(page)).to_have_text("Received")
    return LegalRequest.objects.get(reference_number="MPS-2026-0107")


def _verify(page):
    _take_step(page, "Start verifying the requester")
    expect(_status(page)).to_have_text("Verifying the requester")
    page.get_by_role("link", name="Record the verification").click()
    page.get_by_label("How the requester was verified").fill(
        "Called the force's switchboard back; DS Byrne confirmed the subpoena."
    )
    page.get_by_role("button", name="Record the verification").click()
    expect(_status(page)).to_have_text("Legal review")


def _approve(page, case):
    _sign_in(page, "arno.approver")
    page.goto(f"/admin/privacy/legalrequest/{case.pk}/change/")
    page.get_by_role("link", name="Approve with a scope").click()
    page.get_by_label("Account information").check()
    page.get_by_label("Support information").check()
    page.get_by_role("button", name="Approve with a scope").click()
    expect(
        page.get_by_text(
            "A subpoena does not unlock support information; that needs a search warrant."
        )
    ).to_be_visible()

    page.get_by_label("Support information").uncheck()
    page.get_by_label("System information").check()
    page.get_by_role("button", name="Approve with a scope").click()
    expect(_status(page)).to_have_text("Approved")


def _collect(page):
    page.reload()
    _take_step(page, "Start collecting")
    expect(_status(page)).to_have_text("Collecting")
    _take_step(page, "Collect the disclosure package")
    expect(_status(page)).to_have_text("Second review")
    # The officer who collected is not offered the delivery.
    expect(page.get_by_role("link", name="Approve delivery")).to_have_count(0)


def _review_and_deliver(page, case):
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the package")).click()
    data = Path(download.value.path()).read_bytes()
    case.refresh_from_db()
    assert hashlib.sha256(data).hexdigest() == case.package_sha256
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert {e["category"] for e in manifest["files"]} == {"account", "system"}

    _take_step(page, "Approve delivery")
    expect(page.get_by_text("Delivery approved.")).to_be_visible()
    expect(_status(page)).to_have_text("Delivered")
