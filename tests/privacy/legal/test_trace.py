"""IP tracing inside a legal case: which accounts used an address or network in a window,
which addresses an account used; only inside an approved case, never for a preservation,
every lookup an audit event with the case; bad input is a form error. An account found can
be added to the case, which holds its data and includes it in the package."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from privacy.audit.models import AuditEvent
from privacy.holds.models import LegalHold
from privacy.legal.errors import LegalRequestError
from privacy.legal.models import LegalEvent, LegalRequest, LegalTarget
from privacy.legal.trace import legal_trace_address
from privacy.roles import Role
from tests.accounts.factories import ProfileFactory, UserFactory
from tests.activity.factories import ClientSessionFactory, PageViewFactory
from tests.privacy.legal.factories import (
    as_actor,
    legal_request,
    walk,
)

pytestmark = pytest.mark.django_db
Status = LegalRequest.Status
T0 = datetime(2026, 10, 1, 12, tzinfo=UTC)
WINDOW = {"start": "2026-10-01T11:00", "end": "2026-10-01T14:00"}


@pytest.fixture
def seen(member):
    """Who used 198.51.100.0/24 around T0: the target and another account."""
    ProfileFactory(member=member, username="rosa_public")
    other = UserFactory(login_name="uma.user")
    PageViewFactory(member=member, ip_address="198.51.100.7", occurred_at=T0)
    PageViewFactory(member=other, ip_address="198.51.100.9", occurred_at=T0 + timedelta(hours=1))
    ClientSessionFactory(member=member, ip_address="203.0.113.5", started_at=T0)
    PageViewFactory(
        member=UserFactory(), ip_address="198.51.100.7", occurred_at=T0 - timedelta(days=3)
    )
    return member, other


@pytest.fixture
def case(officer, approver, seen):
    case = legal_request(officer)
    return walk(case, Status.APPROVED, officer=officer, approver=approver, scope=["account"])


def _trace_address(case):
    return reverse("admin:privacy_legalrequest_trace_address", args=[case.pk])


def _trace_account(case):
    return reverse("admin:privacy_legalrequest_trace_account", args=[case.pk])


def _lookups(case, event=LegalEvent.IP_TRACED):
    return AuditEvent.objects.filter(event_type=event, object_id=str(case.pk))


def test_which_accounts_used_a_network_in_a_window(case, seen, officer_client):
    member, other = seen

    response = officer_client.get(_trace_address(case), {"network": "198.51.100.0/24", **WINDOW})

    assert response.status_code == 200
    assert f"Member #{member.pk}" in response.text and f"Member #{other.pk}" in response.text
    assert response.text.count("Add Member #") == 2
    [event] = _lookups(case)
    assert event.object_type == "privacy.legalrequest"
    assert event.actor_kind == "staff" and event.category == "aggregate"


def test_which_addresses_an_account_the_case_names_used(case, seen, officer_client):
    member, _ = seen
    target = case.targets.get()

    response = officer_client.get(_trace_account(case), {"target": target.pk, **WINDOW})

    assert response.status_code == 200
    assert "198.51.100.7" in response.text and "203.0.113.5" in response.text
    [event] = _lookups(case, LegalEvent.ADDRESSES_LISTED)
    assert event.subject_pseudonym == member.audit_pseudonym.pseudonym


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"network": "198.51.100.300", **WINDOW}, "Enter an IP address or a network"),
        ({"network": "not an address", **WINDOW}, "Enter an IP address or a network"),
        (
            {"network": "198.51.100.7", "start": WINDOW["end"], "end": WINDOW["start"]},
            "The window must end after it starts.",
        ),
    ],
)
def test_a_malformed_ip_or_an_inverted_window_is_a_form_error_and_nothing_is_looked_up(
    case, officer_client, params, message
):
    response = officer_client.get(_trace_address(case), params)

    assert response.status_code == 400
    assert message in response.text
    assert "trace-results" not in response.text
    assert not _lookups(case).exists()


def test_an_account_lookup_needs_an_account_of_this_case(case, officer, officer_client):
    other_case = legal_request(officer, reference_number="OTHER-2")
    response = officer_client.get(
        _trace_account(case), {"target": other_case.targets.get().pk, **WINDOW}
    )
    assert response.status_code == 400
    assert not _lookups(case, LegalEvent.ADDRESSES_LISTED).exists()


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.LEGAL_REVIEW])
def test_tracing_is_refused_before_the_case_is_approved(officer, approver, seen, status):
    case = walk(legal_request(officer), status, officer=officer, approver=approver)
    with pytest.raises(LegalRequestError) as refused:
        legal_trace_address(
            request=case, actor=as_actor(officer), network="198.51.100.7", start=T0, end=T0
        )
    assert refused.value.code == "trace_not_open"
    assert not _lookups(case).exists()


def test_tracing_is_refused_once_the_case_is_over_and_for_a_preservation(
    case, officer, approver, officer_client
):
    walk(case, Status.CLOSED, officer=officer, approver=approver)
    response = officer_client.get(_trace_address(case), {"network": "198.51.100.7", **WINDOW})
    assert "IP tracing is available only inside an approved case" in response.text
    assert "trace-results" not in response.text

    preservation = legal_request(officer, request_type="preservation")
    with pytest.raises(LegalRequestError) as refused:
        legal_trace_address(
            request=preservation, actor=as_actor(officer), network="198.51.100.7", start=T0, end=T0
        )
    assert refused.value.code == "trace_preservation"
    assert not _lookups(case).exists() and not _lookups(preservation).exists()


@pytest.mark.parametrize("roles", [[Role.SUPPORT_AGENT], [Role.PRIVACY_OFFICER]])
def test_staff_without_a_legal_role_cannot_trace(case, staff_client, roles):
    response = staff_client(*roles).get(_trace_address(case), {"network": "198.51.100.7", **WINDOW})
    assert response.status_code == 403
    assert not _lookups(case).exists()


def test_an_account_found_is_added_to_the_case_held_and_collected(
    case, seen, officer, approver, officer_client
):
    _, other = seen
    url = reverse("admin:privacy_legalrequest_target_add", args=[case.pk])

    response = officer_client.post(url, {"member": other.pk}, follow=True)

    assert "The account was added as a target" in response.text
    traced = case.targets.get(kind=LegalTarget.Kind.TRACED)
    assert traced.member == other
    assert LegalHold.objects.filter(legal_request=case, member=other, released_at=None).exists()
    walk(case, Status.SECOND_REVIEW, officer=officer, approver=approver)
    assert case.disclosures.filter(member=other).exists()


def test_targets_cannot_be_added_after_collection(case, seen, officer, approver, officer_client):
    _, other = seen
    walk(case, Status.SECOND_REVIEW, officer=officer, approver=approver)
    url = reverse("admin:privacy_legalrequest_target_add", args=[case.pk])

    response = officer_client.post(url, {"member": other.pk}, follow=True)

    assert "Targets can only be added until the data is collected." in response.text
    assert not case.targets.filter(member=other).exists()


@pytest.mark.parametrize("key", ["²", "12a", "0", "9" * 30])
def test_a_malformed_account_key_is_not_found_and_adds_nothing(case, officer_client, key):
    url = reverse("admin:privacy_legalrequest_target_add", args=[case.pk])

    response = officer_client.post(url, {"member": key})

    assert response.status_code == 404
    assert not case.targets.filter(kind=LegalTarget.Kind.TRACED).exists()
