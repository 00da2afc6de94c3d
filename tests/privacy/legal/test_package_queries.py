"""Building and delivering a disclosure package costs the same number of queries for one
subject as for five: per table and category, never per subject or per row."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from privacy.audit.models import AuditEvent
from privacy.legal.intake import TargetInput
from privacy.legal.models import LegalEvent, LegalRequest
from privacy.legal.packages import package_build
from privacy.legal.services import legal_collect, legal_delivery_approve
from tests.accounts.factories import ProfileFactory, UserFactory
from tests.activity.factories import ClientSessionFactory, PageViewFactory
from tests.orders.factories import OrderFactory
from tests.privacy.legal.factories import as_actor, legal_request, walk
from tests.support.factories import TicketFactory

pytestmark = pytest.mark.django_db
Status = LegalRequest.Status
SCOPE = ["account", "public", "system", "support", "financial"]


def _case(officer, approver, subjects: int, tag: str) -> LegalRequest:
    """A court order naming `subjects` members, each with data in every category (two
    rows of activity each), walked to the start of collection."""
    for n in range(subjects):
        name = f"{tag}{n}"
        member = UserFactory(login_name=f"login.{name}", email=f"{name}@example.org")
        ProfileFactory(member=member, username=f"subject_{name}")
        for _ in range(2):
            ClientSessionFactory(member=member)
            PageViewFactory(member=member)
        TicketFactory(member=member)
        OrderFactory(member=member)
    targets = [TargetInput("username", f"subject_{tag}{n}") for n in range(subjects)]
    case = legal_request(officer, request_type="search_warrant", targets=targets)
    return walk(case, Status.COLLECTING, officer=officer, approver=approver, scope=SCOPE)


# Taken at import, before tests/privacy/conftest.py makes on_commit run at once.
_REAL_ON_COMMIT = transaction.on_commit


def _queries(fn) -> int:
    """The queries `fn` makes in its transaction. The jobs it enqueues (the members' notice
    mails, written in one INSERT of outbox rows) run after the commit, as their own jobs,
    so they are not counted here."""
    patched, transaction.on_commit = transaction.on_commit, _REAL_ON_COMMIT
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            fn()
    finally:
        transaction.on_commit = patched
    return len(ctx.captured_queries)


def _build_and_deliver(officer, approver, subjects: int) -> tuple[int, int, LegalRequest]:
    case = _case(officer, approver, subjects, tag=f"s{subjects}x")
    legal_collect(request=case, actor=as_actor(officer))
    LegalRequest.objects.filter(pk=case.pk).update(collected_at=None)
    case.disclosures.all().delete()
    LegalRequest.objects.filter(pk=case.pk).update(status=Status.COLLECTING)
    built = _queries(lambda: package_build(request_id=case.pk))
    case.refresh_from_db()
    assert case.status == Status.SECOND_REVIEW
    delivered = _queries(lambda: legal_delivery_approve(request=case, actor=as_actor(approver)))
    case.refresh_from_db()
    assert case.status == Status.DELIVERED
    return built, delivered, case


def test_the_query_count_is_the_same_for_one_and_five_subjects(officer, approver):
    one = _build_and_deliver(officer, approver, 1)
    five = _build_and_deliver(officer, approver, 5)
    assert five[2].disclosures.values("member").distinct().count() == 5
    assert (five[0], five[1]) == (one[0], one[1]), (one[:2], five[:2])


def test_delivery_records_each_disclosure_for_its_member(officer, approver):
    _, _, case = _build_and_deliver(officer, approver, 3)
    delivered = AuditEvent.objects.filter(
        event_type=LegalEvent.DELIVERED, object_id=str(case.pk)
    ).exclude(subject_pseudonym=None)
    per_disclosure = {
        (d.subject_pseudonym, d.category, tuple(sorted(d.fields))) for d in case.disclosures.all()
    }
    assert {(e.subject_pseudonym, e.category, tuple(e.fields)) for e in delivered} == per_disclosure
    assert delivered.count() == case.disclosures.count()
