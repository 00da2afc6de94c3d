"""Legal requests for tests: made through the services, as staff make them, and walked
along the workflow's happy path to whatever status a test starts from."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from privacy.audit.services import Actor
from privacy.legal.intake import DocumentInput, TargetInput, legal_request_create
from privacy.legal.models import LegalRequest
from privacy.legal.services import (
    legal_collect,
    legal_collection_start,
    legal_delivery_approve,
    legal_request_approve,
    legal_request_close,
    legal_requester_verify,
    legal_verification_start,
)
from privacy.roles import Role
from tests.accounts.factories import StaffFactory

Status = LegalRequest.Status
INTAKE = {
    "authority": "Metropolitan Police Service",
    "jurisdiction": "England and Wales",
    "officer_name": "Det. Sgt. Ada Byrne",
    "contact_email": "ada.byrne@police.example",
    "callback_phone": "+44 20 7946 0018",
    "reference_number": "MPS-2026-0107",
}
HAPPY_PATH = [
    Status.RECEIVED,
    Status.VERIFYING,
    Status.LEGAL_REVIEW,
    Status.APPROVED,
    Status.COLLECTING,
    Status.SECOND_REVIEW,
    Status.DELIVERED,
    Status.CLOSED,
]


def legal_officer(**kwargs):
    return StaffFactory(roles=[Role.LEGAL_OFFICER], **kwargs)


def legal_approver(**kwargs):
    return StaffFactory(roles=[Role.LEGAL_APPROVER], **kwargs)


def as_actor(user) -> Actor:
    return Actor(user=user, ip="192.0.2.10")


def subpoena_pdf(name: str = "subpoena.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 subpoena text", content_type="application/pdf")


def legal_request(
    officer, *, request_type: str = "subpoena", targets=None, documents=(), **overrides
) -> LegalRequest:
    """A request recorded at intake by `officer`; targets default to one username."""
    fields = {**INTAKE, **overrides}
    fields.setdefault("due_at", timezone.now() + timedelta(days=30))
    return legal_request_create(
        actor=as_actor(officer),
        request_type=request_type,
        targets=targets if targets is not None else [TargetInput("username", "rosa_public")],
        documents=list(documents),
        **fields,
    )


def document(title: str = "Subpoena") -> DocumentInput:
    return DocumentInput(title, subpoena_pdf())


def walk(
    case: LegalRequest, to: str, *, officer, approver, scope=("account",), reason: str = ""
) -> LegalRequest:
    """Take the case along the happy path to status `to`: the officer verifies (by
    calling back), the approver approves `scope`, the officer collects, the approver
    approves the delivery, the officer closes."""
    steps = {
        Status.VERIFYING: lambda: legal_verification_start(request=case, actor=as_actor(officer)),
        Status.LEGAL_REVIEW: lambda: legal_requester_verify(
            request=case,
            actor=as_actor(officer),
            note="Called the force's switchboard back; confirmed.",
            called_back=True,
        ),
        Status.APPROVED: lambda: legal_request_approve(
            request=case, actor=as_actor(approver), categories=list(scope), reason=reason
        ),
        Status.COLLECTING: lambda: legal_collection_start(request=case, actor=as_actor(officer)),
        Status.SECOND_REVIEW: lambda: legal_collect(request=case, actor=as_actor(officer)),
        Status.DELIVERED: lambda: legal_delivery_approve(request=case, actor=as_actor(approver)),
        Status.CLOSED: lambda: legal_request_close(request=case, actor=as_actor(officer)),
    }
    start = HAPPY_PATH.index(Status(case.status))
    for status in HAPPY_PATH[start + 1 : HAPPY_PATH.index(Status(to)) + 1]:
        steps[status]()
        case.refresh_from_db()
    assert case.status == to
    return case
