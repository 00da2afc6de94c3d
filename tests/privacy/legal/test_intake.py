"""Intake of a legal request: what was served, by whom, its documents (private) and its
targets, resolved to accounts whose data is held at once. Bad input is refused naming the
field, and nothing is recorded."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from privacy.audit.models import AuditEvent
from privacy.holds.models import LegalHold
from privacy.legal.errors import LegalRequestError
from privacy.legal.intake import TargetInput
from privacy.legal.models import LegalDocument, LegalEvent, LegalRequest, LegalTarget
from privacy.roles import Role
from tests.accounts.factories import ProfileFactory, StaffFactory
from tests.privacy.legal.factories import document, legal_request

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _window(hours=2):
    start = timezone.now() - timedelta(days=3)
    return start, start + timedelta(hours=hours)


def test_intake_resolves_each_target_and_holds_its_data(officer, member, other_member, target):
    start, end = _window()
    case = legal_request(
        officer,
        targets=[
            TargetInput("username", "rosa_public"),  # the public username
            TargetInput("username", "OTTO.other"),  # a login name, any case
            TargetInput("email", "Rosa.Private@example.org"),  # the same member again
            TargetInput("ip", "198.51.100.0/24", start, end),
            TargetInput("username", "nobody_by_that_name"),
        ],
        documents=[document()],
    )

    targets = list(case.targets.order_by("pk"))
    assert [t.member_id for t in targets] == [member.pk, other_member.pk, member.pk, None, None]
    member_holds = LegalHold.objects.filter(legal_request=case).exclude(member=None)
    assert sorted(h.member_id for h in member_holds) == sorted([member.pk, other_member.pk])
    for hold in member_holds:
        assert set(hold.categories) == {
            "public",
            "account",
            "financial",
            "support",
            "aggregate",
            "system",
        }
        assert hold.expires_at is None  # held while the case is open
    ip_hold = LegalHold.objects.get(legal_request=case, member=None)
    assert (ip_hold.ip_network, ip_hold.window_start, ip_hold.window_end) == (
        "198.51.100.0/24",
        start,
        end,
    )
    assert set(ip_hold.categories) == {"aggregate", "system"}
    assert case.status == LegalRequest.Status.RECEIVED
    assert case.created_by == officer
    events = AuditEvent.objects.filter(object_type="privacy.legalrequest", object_id=str(case.pk))
    assert events.filter(event_type=LegalEvent.RECEIVED).count() == 1
    assert events.filter(event_type=LegalEvent.HOLD_PLACED).count() == 3
    assert events.filter(event_type=LegalEvent.DOCUMENT_ADDED).count() == 1


def test_documents_are_kept_in_private_storage_and_no_url_serves_them(officer, target, client):
    case = legal_request(officer, documents=[document("Subpoena duces tecum")])

    stored = LegalDocument.objects.get(request=case)
    assert stored.title == "Subpoena duces tecum"
    assert stored.uploaded_by == officer
    assert str(stored.file.storage.location).endswith("legal")
    with stored.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    for url in (stored.file.url, f"{settings.MEDIA_URL}{stored.file.name}", f"/{stored.file.name}"):
        assert client.get(url).status_code == 404


def test_the_call_back_number_is_kept_in_international_form(officer, target):
    case = legal_request(officer, callback_phone="+1 (202) 555-0143")
    assert case.callback_phone == "+12025550143"


@pytest.mark.parametrize("address", ["198.51.100.300", "not-an-address", "10.0.0.0/33", "::g"])
def test_a_malformed_ip_is_refused_on_its_field_and_nothing_is_recorded(officer, address):
    start, end = _window()
    with pytest.raises(ValidationError) as refused:
        legal_request(
            officer,
            targets=[
                TargetInput("username", "rosa_public"),
                TargetInput("ip", address, start, end),
            ],
        )
    assert refused.value.message_dict == {
        "targets.1.value": ["Enter an IP address or a network in CIDR notation (198.51.100.0/24)."]
    }
    assert not LegalRequest.objects.exists()
    assert not LegalHold.objects.exists()


def test_a_name_that_is_one_accounts_login_and_anothers_username_is_refused_not_guessed(
    officer, member, other_member
):
    # Otto's public username is Rosa's login name: the process could mean either.
    ProfileFactory(member=other_member, username="rosa_member")
    member.login_name = "rosa_member"
    member.save(update_fields=["login_name"])

    with pytest.raises(ValidationError) as refused:
        legal_request(officer, targets=[TargetInput("username", "ROSA_member")])

    assert refused.value.message_dict == {
        "targets.0.value": [
            "This name is the login name of one account and the public username of another; "
            "ask the requester which account they mean, or name it by its e-mail address."
        ]
    }
    assert not LegalRequest.objects.exists()
    assert not LegalHold.objects.exists()


def test_an_inverted_window_is_refused_on_its_end(officer):
    start, end = _window()
    with pytest.raises(ValidationError) as refused:
        legal_request(officer, targets=[TargetInput("ip", "198.51.100.7", end, start)])
    assert refused.value.message_dict == {
        "targets.0.window_end": ["The window must end after it starts."]
    }
    assert not LegalRequest.objects.exists()


def test_an_ip_without_a_window_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        legal_request(officer, targets=[TargetInput("ip", "198.51.100.7")])
    assert "targets.0.window_start" in refused.value.message_dict
    assert not LegalTarget.objects.exists()


def test_every_problem_of_the_intake_is_named_at_once(officer):
    with pytest.raises(ValidationError) as refused:
        legal_request(
            officer,
            targets=[],
            authority=" ",
            contact_email="not-an-email",
            callback_phone="12",
            received_at=NOW,
            due_at=NOW - timedelta(days=1),
        )
    problems = refused.value.message_dict
    assert problems["authority"] == ["This field is required."]
    assert problems["contact_email"] == ["Enter a valid e-mail address."]
    assert problems["callback_phone"] == [
        "Enter a phone number that can be called back, with its country code."
    ]
    assert problems["due_at"] == [
        "The due date cannot be before the date the request was received."
    ]
    assert problems["targets"] == [
        "Name at least one target: a username, an e-mail address or an IP address."
    ]
    assert not LegalRequest.objects.exists()


def test_a_malformed_email_target_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        legal_request(officer, targets=[TargetInput("email", "rosa at example")])
    assert refused.value.message_dict == {"targets.0.value": ["Enter a valid e-mail address."]}


@pytest.mark.parametrize(
    "roles", [[Role.LEGAL_APPROVER], [Role.SUPPORT_AGENT], [Role.PRIVACY_OFFICER], []]
)
def test_only_a_legal_officer_records_a_request(roles):
    someone = StaffFactory(roles=roles)
    with pytest.raises(LegalRequestError) as refused:
        legal_request(someone)
    assert refused.value.code == "not_legal_officer"
    assert not LegalRequest.objects.exists()


def test_someone_holding_both_legal_roles_records_a_request():
    both = StaffFactory(roles=[Role.LEGAL_OFFICER, Role.LEGAL_APPROVER])
    assert legal_request(both).created_by == both
