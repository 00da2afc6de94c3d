"""Legal requests in the admin: legal roles only (a member gets 404, other staff 403), the
request read-only with one link per allowed step, a small form where input is needed,
refusals shown as messages, overdue flags in the list, and documents served only through
an audited view."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy.audit.models import AuditEvent
from privacy.holds.models import LegalHold
from privacy.legal.models import LegalDocument, LegalEvent, LegalRequest
from privacy.roles import Role
from tests.accounts.factories import StaffFactory, sign_in_verified
from tests.privacy.legal.factories import (
    document,
    legal_approver,
    legal_request,
    walk,
)

pytestmark = pytest.mark.django_db
Status = LegalRequest.Status
LIST = reverse("admin:privacy_legalrequest_changelist")
ADD = reverse("admin:privacy_legalrequest_add")


def change_url(case):
    return reverse("admin:privacy_legalrequest_change", args=[case.pk])


def step_url(case, step):
    return reverse("admin:privacy_legalrequest_step", args=[case.pk, step])


def _client(client, user):
    return sign_in_verified(client, user)


@pytest.fixture
def case(officer, target):
    return legal_request(officer, documents=[document()])


def _urls(case):
    doc = case.documents.get()
    return [
        LIST,
        change_url(case),
        step_url(case, "start-verification"),
        reverse("admin:privacy_legalrequest_document", args=[case.pk, doc.pk]),
        reverse("admin:privacy_legalrequest_trace_address", args=[case.pk]),
        reverse("admin:privacy_legalrequest_document_add", args=[case.pk]),
    ]


@pytest.mark.parametrize(
    "roles", [[Role.SUPPORT_AGENT], [Role.BILLING_AGENT], [Role.PRIVACY_OFFICER]]
)
def test_staff_without_a_legal_role_are_refused_every_legal_page(case, staff_client, roles):
    client = staff_client(*roles)
    for url in [*_urls(case), ADD]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "MPS-2026-0107" not in response.text
    assert client.post(step_url(case, "start-verification")).status_code == 403
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert not AuditEvent.objects.filter(event_type=LegalEvent.DOCUMENT_OPENED).exists()


def test_a_member_opening_a_legal_url_is_told_nothing_is_there(case, member_client):
    for url in [*_urls(case), ADD]:
        response = member_client.get(url)
        assert response.status_code == 404, url
        assert "MPS-2026-0107" not in response.text


def test_a_visitor_is_sent_to_sign_in(case, client):
    response = client.get(change_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_legal_roles_see_the_case_with_the_officers_contact_details(case, client, approver):
    response = _client(client, approver).get(change_url(case))
    assert response.status_code == 200
    for shown in ("MPS-2026-0107", "Det. Sgt. Ada Byrne", "ada.byrne@police.example"):
        assert shown in response.text
    assert "Hidden for your role" not in response.text
    # no save button: the request changes only through its steps
    assert 'name="_save"' not in response.text
    assert client.post(change_url(case), {"status": "closed"}).status_code == 405
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_only_the_officer_may_record_a_request(approver, officer_client):
    assert _client(Client(), approver).get(ADD).status_code == 403
    assert officer_client.get(ADD).status_code == 200


def test_the_list_flags_overdue_answers_and_overdue_follow_ups(officer, approver, target, client):
    late = legal_request(officer, reference_number="LATE-1")
    LegalRequest.objects.filter(pk=late.pk).update(due_at=late.received_at)
    emergency = legal_request(officer, request_type="emergency", reference_number="EMERG-1")
    walk(emergency, Status.APPROVED, officer=officer, approver=approver, reason="Danger to life.")
    LegalRequest.objects.filter(pk=emergency.pk).update(
        follow_up_due_at=timezone.now() - timedelta(days=1)
    )

    page = _client(client, approver).get(LIST).text

    assert "overdue" in page
    assert page.count('class="overdue"') == 2
    filtered = client.get(LIST, {"request_type__exact": "emergency"}).text
    assert "EMERG-1" in filtered and "LATE-1" not in filtered
    by_status = client.get(LIST, {"status__exact": "received"}).text
    assert "LATE-1" in by_status and "EMERG-1" not in by_status


# --- intake ------------------------------------------------------------------------------------


def _intake(**overrides):
    data = {
        "request_type": "subpoena",
        "authority": "Metropolitan Police Service",
        "jurisdiction": "England and Wales",
        "officer_name": "Det. Sgt. Ada Byrne",
        "contact_email": "ada.byrne@police.example",
        "callback_phone": "+44 20 7946 0018",
        "reference_number": "MPS-2026-0999",
        "received_at": "",
        "due_at": (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "targets-TOTAL_FORMS": "3",
        "targets-INITIAL_FORMS": "0",
        "targets-0-kind": "username",
        "targets-0-value": "rosa_public",
        "targets-1-kind": "ip",
        "targets-1-value": "198.51.100.7",
        "targets-1-window_start": "2026-03-01T10:00",
        "targets-1-window_end": "2026-03-01T12:00",
        "targets-2-kind": "username",
        "documents-TOTAL_FORMS": "2",
        "documents-INITIAL_FORMS": "0",
        "documents-0-title": "Subpoena",
        "documents-0-file": SimpleUploadedFile("subpoena.pdf", b"%PDF-1.4 served"),
    }
    data.update(overrides)
    return data


def test_the_officer_records_a_request_in_the_admin(officer_client, member, target):
    response = officer_client.post(ADD, _intake())

    case = LegalRequest.objects.get(reference_number="MPS-2026-0999")
    assert response.status_code == 302 and response["Location"] == change_url(case)
    assert [t.kind for t in case.targets.order_by("pk")] == ["username", "ip"]
    assert case.targets.get(kind="username").member == member
    assert case.documents.get().title == "Subpoena"
    assert LegalHold.objects.filter(legal_request=case).count() == 2
    page = officer_client.get(change_url(case)).text
    assert "its targets&#x27; data is held" in page or "its targets' data is held" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("targets-1-value", "198.51.100.999", "Enter an IP address or a network in CIDR notation"),
        ("targets-1-window_end", "2026-03-01T09:00", "The window must end after it starts."),
    ],
)
def test_a_malformed_ip_or_an_inverted_window_is_a_form_error(
    officer_client, target, field, value, message
):
    response = officer_client.post(ADD, _intake(**{field: value}))

    assert response.status_code == 400
    assert message in response.text
    assert not LegalRequest.objects.exists()
    assert not LegalHold.objects.exists()


# --- steps ---------------------------------------------------------------------------------


def test_the_case_page_offers_the_steps_its_status_allows_for_the_users_role(
    case, officer, approver, client
):
    officer_page = _client(client, officer).get(change_url(case)).text
    assert "Start verifying the requester" in officer_page
    assert "Approve with a scope" not in officer_page
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    approver_page = _client(client, approver).get(change_url(case)).text
    assert "Approve with a scope" in approver_page
    assert "Start verifying the requester" not in approver_page
    assert "Record the requester&#x27;s withdrawal" in approver_page


def test_a_step_without_input_is_confirmed_then_done(case, officer_client):
    page = officer_client.get(step_url(case, "start-verification"))
    assert page.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.RECEIVED  # a GET changes nothing

    response = officer_client.post(step_url(case, "start-verification"), follow=True)

    assert "Verification of the requester started." in response.text
    case.refresh_from_db()
    assert case.status == Status.VERIFYING


def test_a_refused_scope_is_shown_with_its_reason_and_nothing_changes(
    case, officer, approver, client
):
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    response = _client(client, approver).post(
        step_url(case, "approve"), {"categories": ["account", "support"]}
    )

    assert response.status_code == 200
    assert (
        "A subpoena does not unlock support information; that needs a search warrant."
        in response.text
    )
    case.refresh_from_db()
    assert case.status == Status.LEGAL_REVIEW


@pytest.mark.parametrize(
    ("request_type", "asks_for_reasons"),
    [("subpoena", False), ("emergency", True), ("rights_protection", True)],
)
def test_the_approval_page_asks_for_reasons_where_the_approver_names_the_scope(
    officer, approver, target, client, request_type, asks_for_reasons
):
    case = legal_request(officer, request_type=request_type)
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)

    page = _client(client, approver).get(step_url(case, "approve"))

    assert page.status_code == 200 and "can unlock:" in page.text
    assert ("Name only the categories that are necessary" in page.text) is asks_for_reasons


def test_approving_ones_own_collection_is_refused_in_the_admin(target, client):
    both = StaffFactory(roles=[Role.LEGAL_OFFICER, Role.LEGAL_APPROVER])
    case = legal_request(both)
    walk(case, Status.SECOND_REVIEW, officer=both, approver=legal_approver())

    response = _client(client, both).post(step_url(case, "approve-delivery"), follow=True)

    assert "You collected this package; a second legal approver" in response.text
    case.refresh_from_db()
    assert case.status == Status.SECOND_REVIEW


def test_an_emergency_verification_without_a_call_back_is_a_form_error(
    officer, target, officer_client
):
    case = legal_request(officer, request_type="emergency")
    officer_client.post(step_url(case, "start-verification"))

    response = officer_client.post(step_url(case, "verify"), {"note": "An e-mail came in."})

    assert response.status_code == 400
    assert "calling the authority&#x27;s number back" in response.text
    case.refresh_from_db()
    assert case.status == Status.VERIFYING


def test_an_unknown_step_is_404(case, officer_client):
    assert officer_client.get(step_url(case, "make-it-so")).status_code == 404


# --- documents ---------------------------------------------------------------------------------


def test_opening_a_document_serves_it_to_legal_roles_and_records_each_opening(case, officer_client):
    doc = case.documents.get()
    url = reverse("admin:privacy_legalrequest_document", args=[case.pk, doc.pk])
    assert url in officer_client.get(change_url(case)).text

    response = officer_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        AuditEvent.objects.filter(
            event_type=LegalEvent.DOCUMENT_OPENED, object_id=str(case.pk)
        ).count()
        == 1
    )


def test_a_document_is_added_to_an_open_case(case, officer_client):
    url = reverse("admin:privacy_legalrequest_document_add", args=[case.pk])
    empty = officer_client.post(url, {"title": "Letter"})
    assert empty.status_code == 400
    assert "Choose the document" in empty.text

    officer_client.post(
        url, {"title": "Cover letter", "file": SimpleUploadedFile("letter.pdf", b"%PDF letter")}
    )

    assert LegalDocument.objects.filter(request=case, title="Cover letter").exists()


def test_another_cases_document_is_not_served_through_this_case(case, officer, officer_client):
    other = legal_request(officer, reference_number="OTHER-1", documents=[document("Other")])
    doc = other.documents.get()
    url = reverse("admin:privacy_legalrequest_document", args=[case.pk, doc.pk])
    assert officer_client.get(url).status_code == 404


def test_a_target_is_added_to_an_open_case_and_a_bad_one_is_a_form_error(
    case, other_member, officer_client
):
    url = reverse("admin:privacy_legalrequest_target_add", args=[case.pk])
    bad = officer_client.post(
        url,
        {
            "kind": "ip",
            "value": "203.0.113.7",
            "window_start": "2026-10-02T10:00",
            "window_end": "2026-10-01T10:00",
        },
    )
    assert bad.status_code == 400
    assert "The window must end after it starts." in bad.text
    assert case.targets.count() == 1

    officer_client.post(url, {"kind": "email", "value": "otto@example.org"})

    assert case.targets.get(kind="email").member == other_member
    assert LegalHold.objects.filter(legal_request=case, member=other_member).exists()


def test_a_scanned_court_order_larger_than_a_form_body_is_accepted(case, officer_client, settings):
    url = reverse("admin:privacy_legalrequest_document_add", args=[case.pk])
    scan = b"%PDF-1.4 " + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    officer_client.post(
        url, {"title": "Court order", "file": SimpleUploadedFile("order.pdf", scan)}
    )

    assert LegalDocument.objects.filter(request=case, title="Court order").exists()


def test_an_upload_over_the_upload_limit_is_a_413_and_adds_nothing(case, officer_client, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    url = reverse("admin:privacy_legalrequest_document_add", args=[case.pk])
    scan = SimpleUploadedFile("order.pdf", b"%PDF-1.4 " + b"x" * 20_000)

    response = officer_client.post(url, {"title": "Court order", "file": scan})

    assert response.status_code == 413
    assert not LegalDocument.objects.filter(request=case, title="Court order").exists()


def test_staff_appear_by_name_and_role_and_the_scope_legend_comes_first(client):
    """The request names who created it ("Lena Ortiz, Legal officer", never "Member #5"),
    and the approval form's scope legend comes before its checkboxes."""
    officer = StaffFactory(first_name="Lena", last_name="Ortiz", roles=[Role.LEGAL_OFFICER])
    approver = legal_approver(first_name="Arno", last_name="Keller")
    case = legal_request(officer, documents=[document()])
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)

    page = _client(client, approver).get(change_url(case)).text
    assert "Lena Ortiz, Legal officer" in page
    assert f"Member #{officer.pk}" not in page

    form = client.get(step_url(case, "approve")).text
    legend = form.index("<legend>Scope</legend>")
    assert legend < form.index('id="id_categories_0"')
