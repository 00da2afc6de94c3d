"""The legal request's state machine: every transition, who may take it, and every
refusal of the issue's "Bad input" (own collection, a subpoena asking for support
messages, a second preservation extension, delivering after a withdrawal)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from privacy.audit.models import AuditEvent
from privacy.holds.models import LegalHold
from privacy.holds.selectors import active_holds
from privacy.legal.errors import LegalRequestError
from privacy.legal.models import LegalEvent, LegalRequest
from privacy.legal.services import (
    legal_collect,
    legal_collection_return,
    legal_collection_start,
    legal_delivery_approve,
    legal_follow_up_record,
    legal_info_receive,
    legal_info_request,
    legal_nondisclosure_record,
    legal_preservation_extend,
    legal_request_approve,
    legal_request_close,
    legal_request_reject,
    legal_request_withdraw,
    legal_requester_verify,
    legal_verification_start,
    preservations_expire,
)
from privacy.roles import Role
from tests.accounts.factories import StaffFactory
from tests.privacy.legal.factories import (
    as_actor,
    document,
    legal_approver,
    legal_officer,
    legal_request,
    walk,
)

pytestmark = pytest.mark.django_db
Status = LegalRequest.Status


@pytest.fixture
def case(officer, target):
    return legal_request(officer)


def _events(case) -> list[str]:
    found = AuditEvent.objects.filter(object_type="privacy.legalrequest", object_id=str(case.pk))
    return list(found.order_by("pk").values_list("event_type", flat=True))


def _held(case) -> bool:
    return active_holds().filter(legal_request=case).exists()


def test_a_subpoena_from_intake_to_close_records_who_did_each_step(case, officer, approver):
    walk(case, Status.CLOSED, officer=officer, approver=approver, scope=["account"])

    assert case.verified_by == officer and case.verified_at
    assert case.reviewed_by == approver and case.approved_at
    assert case.scope_categories == ["account"]
    assert case.collected_by == officer and case.collected_at
    assert case.delivery_approved_by == approver and case.delivered_at
    assert case.closed_at
    assert case.disclosures.count() == 2
    assert not _held(case)  # the case is over: its holds are released
    assert _events(case) == [
        LegalEvent.RECEIVED,
        LegalEvent.HOLD_PLACED,
        LegalEvent.VERIFICATION_STARTED,
        LegalEvent.VERIFIED,
        LegalEvent.APPROVED,
        LegalEvent.COLLECTING,
        LegalEvent.COLLECTED,
        LegalEvent.DELIVERED,
        # and one per member and table disclosed (the account fields of the account and
        # of the public profile)
        *[LegalEvent.DELIVERED] * 2,
        LegalEvent.NOTICE_SENT,
        LegalEvent.HOLD_RELEASED,
        LegalEvent.CLOSED,
    ]


@pytest.mark.parametrize(
    ("start", "attempt"),
    [
        (Status.RECEIVED, "approve"),
        (Status.VERIFYING, "info_received"),
        (Status.SECOND_REVIEW, "start_collection"),
        (Status.RECEIVED, "collect"),
        (Status.VERIFYING, "deliver"),
        (Status.LEGAL_REVIEW, "start_collection"),
        (Status.APPROVED, "verify"),
        (Status.APPROVED, "deliver"),
        (Status.COLLECTING, "approve"),
        (Status.DELIVERED, "withdraw"),
        (Status.CLOSED, "close"),
    ],
)
def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    case, officer, approver, start, attempt
):
    walk(case, start, officer=officer, approver=approver)
    both = StaffFactory(roles=[Role.LEGAL_OFFICER, Role.LEGAL_APPROVER])
    moves = {
        "approve": lambda: legal_request_approve(
            request=case, actor=as_actor(both), categories=["account"]
        ),
        "collect": lambda: legal_collect(request=case, actor=as_actor(both)),
        "deliver": lambda: legal_delivery_approve(request=case, actor=as_actor(both)),
        "start_collection": lambda: legal_collection_start(request=case, actor=as_actor(both)),
        "verify": lambda: legal_requester_verify(
            request=case, actor=as_actor(both), note="ok", called_back=True
        ),
        "withdraw": lambda: legal_request_withdraw(request=case, actor=as_actor(both)),
        "info_received": lambda: legal_info_receive(request=case, actor=as_actor(both)),
        "close": lambda: legal_request_close(request=case, actor=as_actor(both)),
    }
    before = list(AuditEvent.objects.values_list("pk", flat=True))

    with pytest.raises(LegalRequestError) as refused:
        moves[attempt]()

    assert refused.value.code == "invalid_transition"
    assert f"This request is {case.get_status_display().lower()}" in refused.value.message
    case.refresh_from_db()
    assert case.status == start
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == before


def test_steps_are_refused_to_the_wrong_role(case, officer, approver):
    with pytest.raises(LegalRequestError, match="Only a legal officer"):
        legal_verification_start(request=case, actor=as_actor(approver))
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError, match="Only a legal approver"):
        legal_request_approve(request=case, actor=as_actor(officer), categories=["account"])
    support = StaffFactory(roles=[Role.SUPPORT_AGENT])
    with pytest.raises(LegalRequestError, match="Only the legal officer or the legal approver"):
        legal_request_withdraw(request=case, actor=as_actor(support))
    case.refresh_from_db()
    assert case.status == Status.LEGAL_REVIEW


# --- verification and the paused clock ------------------------------------------------------


def test_an_emergency_is_verified_only_by_calling_back_and_the_call_is_recorded(officer, target):
    case = legal_request(officer, request_type="emergency")
    legal_verification_start(request=case, actor=as_actor(officer))

    with pytest.raises(ValidationError) as refused:
        legal_requester_verify(
            request=case,
            actor=as_actor(officer),
            note="E-mail from a police address",
            called_back=False,
        )
    assert "calling the authority's number back" in refused.value.message_dict["called_back"][0]
    case.refresh_from_db()
    assert case.status == Status.VERIFYING

    legal_requester_verify(
        request=case, actor=as_actor(officer), note="Called +44 20 7946 0018", called_back=True
    )
    case.refresh_from_db()
    assert case.status == Status.LEGAL_REVIEW
    assert case.verified_by_callback
    assert case.verification_note == "Called +44 20 7946 0018"


def test_verification_says_how_it_was_done(case, officer):
    legal_verification_start(request=case, actor=as_actor(officer))
    with pytest.raises(ValidationError) as refused:
        legal_requester_verify(request=case, actor=as_actor(officer), note=" ", called_back=False)
    assert refused.value.message_dict == {"note": ["Say how the requester was verified."]}


def test_asking_for_more_information_pauses_the_clock_and_the_due_date_moves_by_the_pause(
    case, officer, approver
):
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    due = case.due_at
    with pytest.raises(ValidationError):
        legal_info_request(request=case, actor=as_actor(approver), question="")
    legal_info_request(
        request=case, actor=as_actor(approver), question="Send the signed page 2 of the subpoena."
    )
    case.refresh_from_db()
    assert case.status == Status.NEEDS_INFO
    assert case.paused_at and not case.is_overdue
    three_days_ago = timezone.now() - timedelta(days=3)
    LegalRequest.objects.filter(pk=case.pk).update(paused_at=three_days_ago)

    legal_info_receive(request=case, actor=as_actor(officer))

    case.refresh_from_db()
    assert case.status == Status.LEGAL_REVIEW
    assert case.paused_at is None
    moved = case.due_at - due
    assert timedelta(days=3) <= moved < timedelta(days=3, minutes=1)


# --- approval and its scope -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_type", "scope", "reason"),
    [
        (
            "subpoena",
            ["account", "support"],
            "A subpoena does not unlock support information; that needs a search warrant.",
        ),
        (
            "subpoena",
            ["financial"],
            "A subpoena does not unlock order processing (financial); that needs a court "
            "order or a search warrant.",
        ),
        (
            "court_order",
            ["support"],
            "A court order does not unlock support information; that needs a search warrant.",
        ),
    ],
)
def test_a_scope_the_type_does_not_unlock_is_refused_with_the_reason(
    officer, approver, target, request_type, scope, reason
):
    case = legal_request(officer, request_type=request_type)
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)

    with pytest.raises(LegalRequestError) as refused:
        legal_request_approve(request=case, actor=as_actor(approver), categories=scope)

    assert refused.value.code == "scope_refused"
    assert reason in refused.value.message
    case.refresh_from_db()
    assert case.status == Status.LEGAL_REVIEW
    assert case.scope_categories == []


@pytest.mark.parametrize(
    ("request_type", "scope"),
    [
        ("subpoena", ["account", "public", "system"]),
        ("court_order", ["account", "aggregate", "system", "financial"]),
        ("search_warrant", ["account", "support"]),
    ],
)
def test_each_type_unlocks_its_categories(officer, approver, target, request_type, scope):
    case = legal_request(officer, request_type=request_type)
    walk(case, Status.APPROVED, officer=officer, approver=approver, scope=scope)
    assert set(case.scope_categories) == set(scope)


def test_an_empty_scope_and_an_unknown_category_are_refused(case, officer, approver):
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError) as refused:
        legal_request_approve(request=case, actor=as_actor(approver), categories=[])
    assert refused.value.code == "scope_empty"
    with pytest.raises(ValidationError):
        legal_request_approve(request=case, actor=as_actor(approver), categories=["passwords"])


@pytest.mark.parametrize("request_type", ["emergency", "rights_protection"])
def test_an_approver_named_scope_needs_a_reason(officer, approver, target, request_type):
    case = legal_request(officer, request_type=request_type)
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError) as refused:
        legal_request_approve(request=case, actor=as_actor(approver), categories=["support"])
    assert refused.value.code == "scope_needs_reason"

    legal_request_approve(
        request=case,
        actor=as_actor(approver),
        categories=["support", "account"],
        reason="Threat to life written in a ticket; the account data locates the writer.",
    )
    case.refresh_from_db()
    assert case.scope_categories == ["account", "support"]


def test_an_emergency_sets_the_follow_up_due_date(officer, approver, target, settings):
    settings.LEGAL_EMERGENCY_FOLLOW_UP_DAYS = 10
    case = legal_request(officer, request_type="emergency")
    walk(case, Status.APPROVED, officer=officer, approver=approver, reason="Imminent danger.")

    assert case.follow_up_due_at - case.approved_at == timedelta(days=10)
    assert not case.follow_up_overdue
    LegalRequest.objects.filter(pk=case.pk).update(follow_up_due_at=timezone.now())
    case.refresh_from_db()
    assert case.follow_up_overdue

    legal_follow_up_record(request=case, actor=as_actor(officer), document=document("Court order"))
    case.refresh_from_db()
    assert case.follow_up_received_at and not case.follow_up_overdue
    assert case.documents.filter(title="Court order").exists()
    with pytest.raises(LegalRequestError) as again:
        legal_follow_up_record(request=case, actor=as_actor(officer))
    assert again.value.code == "follow_up_recorded"


def test_only_an_emergency_has_a_follow_up(case, officer, approver):
    walk(case, Status.APPROVED, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError) as refused:
        legal_follow_up_record(request=case, actor=as_actor(officer))
    assert refused.value.code == "not_emergency"


def test_rejection_needs_a_reason_and_releases_the_holds(case, officer, approver):
    walk(case, Status.VERIFYING, officer=officer, approver=approver)
    with pytest.raises(ValidationError):
        legal_request_reject(request=case, actor=as_actor(officer), reason="")
    assert _held(case)

    legal_request_reject(
        request=case, actor=as_actor(officer), reason="The caller could not be verified."
    )

    case.refresh_from_db()
    assert case.status == Status.REJECTED and case.rejected_at
    assert case.rejection_reason == "The caller could not be verified."
    assert not _held(case)


# --- collection and four eyes ------------------------------------------------------------------


def test_the_officer_who_collected_cannot_approve_the_delivery(target):
    both = StaffFactory(roles=[Role.LEGAL_OFFICER, Role.LEGAL_APPROVER])
    other_approver = legal_approver()
    case = legal_request(both)
    walk(case, Status.SECOND_REVIEW, officer=both, approver=other_approver)

    with pytest.raises(LegalRequestError) as refused:
        legal_delivery_approve(request=case, actor=as_actor(both))

    assert refused.value.code == "own_collection"
    assert "four eyes" in refused.value.message
    case.refresh_from_db()
    assert case.status == Status.SECOND_REVIEW and case.delivered_at is None
    legal_delivery_approve(request=case, actor=as_actor(other_approver))
    case.refresh_from_db()
    assert case.status == Status.DELIVERED
    assert case.delivery_approved_by == other_approver


def test_a_second_officer_without_the_approver_role_cannot_approve_the_delivery(
    case, officer, approver
):
    walk(case, Status.SECOND_REVIEW, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError) as refused:
        legal_delivery_approve(request=case, actor=as_actor(legal_officer()))
    assert refused.value.code == "not_legal_approver"


def test_collecting_twice_is_refused_while_the_package_is_built(case, officer, approver):
    walk(case, Status.COLLECTING, officer=officer, approver=approver)
    LegalRequest.objects.filter(pk=case.pk).update(collected_by=officer)  # a worker is on it
    with pytest.raises(LegalRequestError) as refused:
        legal_collect(request=case, actor=as_actor(officer))
    assert refused.value.code == "package_being_built"


def test_sending_back_discards_the_package_and_a_new_collection_builds_it_again(
    case, officer, approver
):
    from django.core.files.storage import storages

    walk(case, Status.SECOND_REVIEW, officer=officer, approver=approver)
    first = case.package_file
    assert storages["legal"].exists(first)
    assert case.disclosures.exists()

    legal_collection_return(request=case, actor=as_actor(approver))

    case.refresh_from_db()
    assert case.status == Status.COLLECTING
    assert (case.collected_by, case.collected_at, case.package_file) == (None, None, "")
    assert not case.disclosures.exists()
    assert not storages["legal"].exists(first)
    legal_collect(request=case, actor=as_actor(officer))
    case.refresh_from_db()
    assert case.status == Status.SECOND_REVIEW and case.package_file


# --- withdrawal and closing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        Status.RECEIVED,
        Status.VERIFYING,
        Status.LEGAL_REVIEW,
        Status.APPROVED,
        Status.COLLECTING,
        Status.SECOND_REVIEW,
    ],
)
def test_withdrawn_from_any_open_state_then_delivering_is_refused(case, officer, approver, start):
    walk(case, start, officer=officer, approver=approver)

    legal_request_withdraw(request=case, actor=as_actor(officer))

    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN and case.withdrawn_at
    assert not _held(case)
    assert case.package_file == "" and not case.disclosures.exists()
    with pytest.raises(LegalRequestError) as refused:
        legal_delivery_approve(request=case, actor=as_actor(approver))
    assert refused.value.message == "This request is withdrawn; it cannot be delivered now."
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN and case.delivered_at is None


def test_withdrawn_from_needs_info_too(case, officer, approver):
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    legal_info_request(request=case, actor=as_actor(officer), question="Which dates?")
    legal_request_withdraw(request=case, actor=as_actor(approver))
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN and case.paused_at is None


def test_an_approved_subpoena_is_not_closed_without_a_collection(case, officer, approver):
    walk(case, Status.APPROVED, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError):
        legal_request_close(request=case, actor=as_actor(officer))
    assert _held(case)


# --- preservation ----------------------------------------------------------------------------------


@pytest.fixture
def preservation(officer, target):
    return legal_request(officer, request_type="preservation")


def _approve_preservation(case, officer, approver):
    walk(case, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    legal_request_approve(request=case, actor=as_actor(approver))
    case.refresh_from_db()
    return case


def test_a_preservation_holds_for_90_days_from_approval_and_discloses_nothing(
    preservation, officer, approver
):
    walk(preservation, Status.LEGAL_REVIEW, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError) as refused:
        legal_request_approve(
            request=preservation, actor=as_actor(approver), categories=["account"]
        )
    assert "never discloses" in refused.value.message

    _approve_preservation(preservation, officer, approver)

    hold = LegalHold.objects.get(legal_request=preservation)
    assert hold.expires_at - preservation.approved_at == timedelta(days=90)
    with pytest.raises(LegalRequestError) as no_collection:
        legal_collection_start(request=preservation, actor=as_actor(officer))
    assert no_collection.value.code == "preservation_not_collected"


def test_a_preservation_is_extended_once_and_a_second_extension_is_refused(
    preservation, officer, approver
):
    _approve_preservation(preservation, officer, approver)
    first_expiry = LegalHold.objects.get(legal_request=preservation).expires_at

    legal_preservation_extend(request=preservation, actor=as_actor(officer))

    hold = LegalHold.objects.get(legal_request=preservation)
    assert hold.expires_at - first_expiry == timedelta(days=90)
    with pytest.raises(LegalRequestError) as refused:
        legal_preservation_extend(request=preservation, actor=as_actor(approver))
    assert refused.value.code == "already_extended"
    assert refused.value.message == (
        "This preservation was extended once already; it cannot be extended again."
    )
    assert LegalHold.objects.get(legal_request=preservation).expires_at == hold.expires_at


def test_only_an_approved_preservation_is_extended(preservation, case, officer, approver):
    with pytest.raises(LegalRequestError) as not_yet:
        legal_preservation_extend(request=preservation, actor=as_actor(officer))
    assert not_yet.value.code == "invalid_transition"
    with pytest.raises(LegalRequestError) as not_preservation:
        legal_preservation_extend(request=case, actor=as_actor(officer))
    assert not_preservation.value.code == "not_preservation"


def test_an_expired_preservation_releases_its_hold_and_closes(preservation, officer, approver):
    _approve_preservation(preservation, officer, approver)
    hold = LegalHold.objects.get(legal_request=preservation)
    assert preservations_expire(now=hold.expires_at - timedelta(minutes=1)) == 0
    assert _held(preservation)

    LegalHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("run_legal_requests", stdout=out)

    assert "preservations expired: 1;" in out.getvalue()
    preservation.refresh_from_db()
    assert preservation.status == Status.CLOSED and preservation.closed_at
    assert LegalHold.objects.get(pk=hold.pk).released_at is not None
    assert preservations_expire() == 0  # running again changes nothing


# --- non-disclosure orders ----------------------------------------------------------------------------


def test_a_non_disclosure_order_needs_a_reason_and_a_future_end(case, officer):
    with pytest.raises(ValidationError) as refused:
        legal_nondisclosure_record(
            request=case, actor=as_actor(officer), reason=" ", until=timezone.now()
        )
    assert set(refused.value.message_dict) == {"reason", "until"}
    case.refresh_from_db()
    assert case.nondisclosure_until is None

    until = timezone.now() + timedelta(days=180)
    legal_nondisclosure_record(
        request=case, actor=as_actor(officer), reason="Court order 26-114, s. 2705(b)", until=until
    )
    case.refresh_from_db()
    assert case.nondisclosure_until == until
    assert LegalEvent.NON_DISCLOSURE_RECORDED in _events(case)
