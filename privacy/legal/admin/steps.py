"""The workflow steps the legal request's admin page offers: one per allowed transition
(plus extending a preservation, a follow-up process, a non-disclosure order), each with
its label, the service it calls, its form when input is needed, and who is offered it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms

from privacy.audit.services import Actor
from privacy.legal.admin.forms import (
    ApproveForm,
    FollowUpForm,
    InfoRequestForm,
    NondisclosureForm,
    RejectForm,
    VerifyForm,
)
from privacy.legal.intake import DocumentInput
from privacy.legal.models import LegalRequest
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
)
from privacy.roles import Role

Status = LegalRequest.Status


@dataclass(frozen=True)
class Step:
    label: str
    run: Callable[[LegalRequest, Actor, dict], LegalRequest]
    done: str
    form: type[forms.Form] | None = None
    role: Role | None = None  # None: either legal role
    explain: str = ""


def _document(data: dict) -> DocumentInput | None:
    if not data.get("file"):
        return None
    return DocumentInput(title=data.get("title") or data["file"].name, file=data["file"])


STEPS: dict[str, Step] = {
    "start-verification": Step(
        "Start verifying the requester",
        lambda r, a, d: legal_verification_start(request=r, actor=a),
        "Verification of the requester started.",
        role=Role.LEGAL_OFFICER,
    ),
    "verify": Step(
        "Record the verification",
        lambda r, a, d: legal_requester_verify(request=r, actor=a, **d),
        "The requester is verified; the request is in legal review.",
        VerifyForm,
        Role.LEGAL_OFFICER,
        "An emergency is verified only by calling the authority's number back.",
    ),
    "request-info": Step(
        "Ask for more information (the clock stops)",
        lambda r, a, d: legal_info_request(request=r, actor=a, **d),
        "The clock is paused until the requester answers.",
        InfoRequestForm,
    ),
    "info-received": Step(
        "Information received (the clock runs again)",
        lambda r, a, d: legal_info_receive(request=r, actor=a),
        "Review resumed; the due date moved by the time paused.",
    ),
    "approve": Step(
        "Approve with a scope",
        lambda r, a, d: legal_request_approve(request=r, actor=a, **d),
        "Approved.",
        ApproveForm,
        Role.LEGAL_APPROVER,
    ),
    "reject": Step(
        "Reject",
        lambda r, a, d: legal_request_reject(request=r, actor=a, **d),
        "Rejected; the request's holds are released.",
        RejectForm,
    ),
    "start-collection": Step(
        "Start collecting",
        lambda r, a, d: legal_collection_start(request=r, actor=a),
        "Collection started.",
        role=Role.LEGAL_OFFICER,
    ),
    "collect": Step(
        "Collect the disclosure package",
        lambda r, a, d: legal_collect(request=r, actor=a),
        "The package is being built from the approved scope; it then goes to second review.",
        role=Role.LEGAL_OFFICER,
        explain="Only the fields the approved scope and the type of process unlock are taken.",
    ),
    "send-back": Step(
        "Send back for more collection",
        lambda r, a, d: legal_collection_return(request=r, actor=a),
        "Sent back; the package was discarded.",
        role=Role.LEGAL_APPROVER,
    ),
    "approve-delivery": Step(
        "Approve delivery",
        lambda r, a, d: legal_delivery_approve(request=r, actor=a),
        "Delivery approved.",
        role=Role.LEGAL_APPROVER,
        explain="Four eyes: the approver must not be the officer who collected the package.",
    ),
    "close": Step(
        "Close the case",
        lambda r, a, d: legal_request_close(request=r, actor=a),
        "Closed; the case's holds are released.",
    ),
    "withdraw": Step(
        "Record the requester's withdrawal",
        lambda r, a, d: legal_request_withdraw(request=r, actor=a),
        "Withdrawn; holds released and any undelivered package discarded.",
    ),
    "extend-preservation": Step(
        "Extend the preservation",
        lambda r, a, d: legal_preservation_extend(request=r, actor=a),
        "The preservation was extended.",
        explain="A preservation may be extended once.",
    ),
    "follow-up": Step(
        "Record the follow-up legal process",
        lambda r, a, d: legal_follow_up_record(request=r, actor=a, document=_document(d)),
        "The follow-up legal process is recorded.",
        FollowUpForm,
    ),
    "nondisclosure": Step(
        "Record a non-disclosure order",
        lambda r, a, d: legal_nondisclosure_record(request=r, actor=a, **d),
        "The non-disclosure order is recorded; members are told only once it ends.",
        NondisclosureForm,
    ),
}


def offered_steps(case: LegalRequest, roles) -> list[str]:
    """The steps the case's status allows, for the user's roles (the services check
    again)."""
    names = {
        Status.RECEIVED: ["start-verification"],
        Status.VERIFYING: ["verify"],
        Status.LEGAL_REVIEW: ["approve", "request-info"],
        Status.NEEDS_INFO: ["info-received"],
        Status.APPROVED: [] if case.is_preservation else ["start-collection"],
        Status.COLLECTING: [] if case.collected_by_id else ["collect"],
        Status.SECOND_REVIEW: ["approve-delivery", "send-back"],
        Status.DELIVERED: ["close"],
    }.get(Status(case.status), [])
    if case.can_become(Status.REJECTED):
        names.append("reject")
    if case.is_preservation and case.status == Status.APPROVED:
        names.append("close")
        if case.preservation_extended_at is None:
            names.append("extend-preservation")
    if case.can_become(Status.WITHDRAWN):
        names.append("withdraw")
    if case.is_emergency and case.follow_up_due_at and not case.follow_up_received_at:
        names.append("follow-up")
    if case.notice != LegalRequest.Notice.SENT and case.status not in (
        Status.REJECTED,
        Status.WITHDRAWN,
    ):
        names.append("nondisclosure")
    return [n for n in names if STEPS[n].role is None or STEPS[n].role in roles]
