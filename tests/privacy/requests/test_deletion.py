"""Deletion: re-enter the password; at once the profile is hidden and every session and
token ends; a grace period to cancel; then erasure through the registry, atomic per member,
idempotent, resumable after a crash, and held data kept with the reason shown."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import PublicProfile, User
from orders.models import Licence
from privacy.audit.models import AuditEvent, MemberPseudonym
from privacy.audit.services import Actor
from privacy.consent.models import ConsentRecord
from privacy.requests import erasure
from privacy.requests.deletions import deletion_run, deletions_run_due
from privacy.requests.models import DataRequest
from privacy.roles import Role
from tests.accounts.factories import PASSWORD, ProfileFactory
from tests.orders.factories import LicenceFactory
from tests.privacy.factories import DataRequestFactory, LegalHoldFactory

pytestmark = pytest.mark.django_db
DELETE = reverse("privacy:deletion_request")


@pytest.fixture
def profile(member):
    return ProfileFactory(member=member, username="rosa_public", listed_in_directory=True)


def _ask(client, password=PASSWORD):
    return client.post(DELETE, {"password": password})


def _after_grace(data_request):
    return data_request.erase_after + timedelta(seconds=1)


def test_wrong_password_is_an_error_and_nothing_happens(member, profile, member_client):
    response = _ask(member_client, "not-my-password")
    assert response.status_code == 400
    assert "not your current password" in response.content.decode()
    assert not DataRequest.objects.exists()
    profile.refresh_from_db()
    assert profile.listed_in_directory
    assert member_client.get(reverse("privacy:centre")).status_code == 200


def test_asking_hides_the_profile_and_ends_every_session_and_token(
    member, profile, member_client, client, api_client, mailoutbox
):
    token = AuthToken.objects.create(user=member)[1]
    other_browser = Client()
    other_browser.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")

    response = _ask(member_client)
    assert response.status_code == 200
    assert "will be erased after" in response.content.decode()

    assert client.get(reverse("directory:detail", args=["rosa_public"])).status_code == 404
    assert "rosa_public" not in client.get(reverse("directory:list")).content.decode()
    for signed_in in (member_client, other_browser):
        assert signed_in.get(reverse("privacy:centre")).status_code == 302
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/account/").status_code == 401
    data_request = DataRequest.objects.get(member=member)
    assert data_request.kind == "deletion"
    assert data_request.erase_after - data_request.received_at == timedelta(days=14)
    assert mailoutbox[-1].to == ["rosa.private@example.org"]


def test_member_cancels_in_the_grace_period_and_the_profile_returns(
    member, profile, member_client, client, password
):
    _ask(member_client)
    data_request = DataRequest.objects.get(member=member)
    client.post(reverse("accounts:login"), {"username": "rosa.member", "password": password})
    response = client.post(reverse("privacy:request_cancel", args=[data_request.pk]), follow=True)
    assert "Your request is cancelled" in response.content.decode()
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.CANCELLED
    profile.refresh_from_db()
    assert profile.listed_in_directory
    assert deletions_run_due(now=_after_grace(data_request)) == 0
    assert User.objects.get(pk=member.pk).login_name == "rosa.member"


def test_cancelling_a_completed_request_is_a_clear_error(member, member_client):
    data_request = DataRequestFactory(
        member=member, status=DataRequest.Status.COMPLETED, completed_at=timezone.now()
    )
    response = member_client.post(
        reverse("privacy:request_cancel", args=[data_request.pk]), follow=True
    )
    assert "already completed; it can no longer be changed" in response.content.decode()
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED


def test_nothing_is_erased_before_the_grace_period_ends(member, profile, member_client):
    _ask(member_client)
    data_request = DataRequest.objects.get(member=member)
    assert deletions_run_due(now=data_request.erase_after - timedelta(minutes=1)) == 0
    assert PublicProfile.objects.filter(member=member).exists()


def test_erasure_deletes_anonymises_and_unlinks_across_apps(
    member, profile, member_client, mailoutbox
):
    LicenceFactory(member=member)
    ConsentRecord.objects.create(
        member=member,
        visitor_id="6c9f0c8e-8d7e-4c3e-9d0a-3f3c1f6b1a11",
        choice="interest",
        text_version="2026-11",
    )
    _ask(member_client)
    data_request = DataRequest.objects.get(member=member)
    pseudonym = MemberPseudonym.objects.get(member=member).pseudonym
    assert deletions_run_due(now=_after_grace(data_request)) == 1

    user = User.objects.get(pk=member.pk)
    assert not user.is_active
    values = [getattr(user, f.attname) for f in User._meta.concrete_fields]
    for private in (
        "rosa.member",
        "rosa.private@example.org",
        "Rosalind",
        "Quintero-Vale",
        "90210",
        "Rosa",
    ):
        assert private not in " ".join(str(v) for v in values)
    assert not user.has_usable_password() or not user.check_password(PASSWORD)
    assert not PublicProfile.objects.filter(member=member).exists()
    assert not Licence.objects.filter(member=member).exists()
    assert not ConsentRecord.objects.filter(member=member).exists()
    assert not MemberPseudonym.objects.filter(member=member).exists()
    # the history stays, but no longer leads to anyone
    assert AuditEvent.objects.filter(subject_pseudonym=pseudonym).exists()
    assert not MemberPseudonym.objects.filter(pseudonym=pseudonym).exists()

    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert "Your data has been erased" in data_request.outcome
    assert mailoutbox[-1].to == ["rosa.private@example.org"]
    assert "complete" in mailoutbox[-1].subject


def test_erasure_deletes_the_members_export_files(member, profile, member_client):
    from django.core.files.storage import storages

    member_client.post(reverse("privacy:export_request"))
    export = DataRequest.objects.get(member=member, kind="export")
    _ask(member_client)
    data_request = DataRequest.objects.get(member=member, kind="deletion")
    deletions_run_due(now=_after_grace(data_request))
    assert not storages["exports"].exists(export.export_file)
    assert DataRequest.objects.get(pk=export.pk).export_file == ""


def test_erasure_is_idempotent(member, profile, member_client):
    _ask(member_client)
    data_request = DataRequest.objects.get(member=member)
    deletions_run_due(now=_after_grace(data_request))
    before = list(User.objects.filter(pk=member.pk).values())
    assert deletions_run_due(now=_after_grace(data_request)) == 0
    member_erase_again = erasure.member_erase(member=User.objects.get(pk=member.pk))
    assert member_erase_again.deleted == {}
    assert list(User.objects.filter(pk=member.pk).values()) == before


def test_a_crash_midway_leaves_everything_as_it_was_and_the_rerun_finishes(
    member, profile, member_client, monkeypatch
):
    LicenceFactory(member=member)
    _ask(member_client)
    data_request = DataRequest.objects.get(member=member)
    real = erasure._erase_declaration
    calls = []

    def crash_on_third(declaration, who, report):
        calls.append(declaration)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        real(declaration, who, report)

    monkeypatch.setattr(erasure, "_erase_declaration", crash_on_third)
    with pytest.raises(RuntimeError):
        deletion_run(request=data_request, actor=Actor.system(), now=_after_grace(data_request))
    assert len(calls) == 3
    assert User.objects.get(pk=member.pk).login_name == "rosa.member"
    assert User.objects.get(pk=member.pk).is_active
    assert PublicProfile.objects.filter(member=member).exists()
    assert Licence.objects.filter(member=member).exists()
    assert DataRequest.objects.get(pk=data_request.pk).status == DataRequest.Status.RECEIVED

    monkeypatch.setattr(erasure, "_erase_declaration", real)
    deletion_run(request=data_request, actor=Actor.system(), now=_after_grace(data_request))
    assert not PublicProfile.objects.filter(member=member).exists()
    assert not Licence.objects.filter(member=member).exists()
    assert DataRequest.objects.get(pk=data_request.pk).status == DataRequest.Status.COMPLETED


def test_data_under_a_legal_hold_is_kept_and_the_request_says_it_waits_without_naming_the_case(
    member, profile, member_client, mailoutbox
):
    LicenceFactory(member=member)
    LegalHoldFactory(member=member, categories=["account", "public"])
    _ask(member_client)
    data_request = DataRequest.objects.get(member=member)
    deletions_run_due(now=_after_grace(data_request))

    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.IN_PROGRESS
    assert "kept for now to meet a legal obligation" in data_request.outcome
    assert "PR-2026-0042" not in data_request.outcome  # the hold's reason names the case
    assert "PR-2026-0042" not in mailoutbox[-1].body
    assert "legal obligation" in mailoutbox[-1].body
    assert User.objects.get(pk=member.pk).login_name == "rosa.member"  # account: held
    assert PublicProfile.objects.filter(member=member).exists()  # public: held
    assert not Licence.objects.filter(member=member).exists()  # financial: not held
    assert MemberPseudonym.objects.filter(member=member).exists()


def test_a_held_erasure_rerun_by_the_schedule_records_and_sends_nothing_new(
    member, profile, member_client, mailoutbox
):
    LegalHoldFactory(member=member, categories=["account", "public"])
    _ask(member_client)
    data_request = DataRequest.objects.get(member=member)
    deletions_run_due(now=_after_grace(data_request))
    events, mails = AuditEvent.objects.count(), len(mailoutbox)
    waiting = DataRequest.objects.get(pk=data_request.pk)

    for minutes in (15, 30, 45):  # the job runs every few minutes while the hold lasts
        deletions_run_due(now=_after_grace(data_request) + timedelta(minutes=minutes))

    assert AuditEvent.objects.count() == events
    assert len(mailoutbox) == mails
    again = DataRequest.objects.get(pk=data_request.pk)
    assert (again.status, again.outcome) == (waiting.status, waiting.outcome)


def test_a_privacy_officer_expedites_erasure_in_the_admin(member, profile, staff_client):
    data_request = DataRequestFactory(
        member=member, kind="deletion", erase_after=timezone.now() + timedelta(days=10)
    )
    officer = staff_client(Role.PRIVACY_OFFICER)
    action = {"action": "expedite_erasure", "_selected_action": [data_request.pk]}
    # First a confirmation page (issue 17) naming the member and what becomes of what.
    confirm = officer.post(reverse("admin:privacy_datarequest_changelist"), action)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Rosalind Quintero-Vale (rosa.member" in page
    assert "Public profiles" in page and "Deleted" in page
    assert "Anonymised: Login name, E-mail address" in page
    assert PublicProfile.objects.filter(member=member).exists()  # nothing done yet

    response = officer.post(
        reverse("admin:privacy_datarequest_changelist"), {**action, "confirmed": "yes"}, follow=True
    )
    assert "Your data has been erased" in response.content.decode()
    assert not PublicProfile.objects.filter(member=member).exists()


def test_staff_without_the_privacy_role_cannot_expedite(member, profile, staff_client):
    data_request = DataRequestFactory(
        member=member, kind="deletion", erase_after=timezone.now() + timedelta(days=10)
    )
    billing = staff_client(Role.BILLING_AGENT)
    response = billing.post(
        reverse("admin:privacy_datarequest_changelist"),
        {"action": "expedite_erasure", "_selected_action": [data_request.pk]},
    )
    assert response.status_code == 403
    assert PublicProfile.objects.filter(member=member).exists()


def test_a_second_deletion_request_while_one_is_open_is_the_same_request(
    member, member_client, password, client
):
    _ask(member_client)
    client.post(reverse("accounts:login"), {"username": "rosa.member", "password": password})
    response = _ask(client)
    assert response.status_code == 302
    assert DataRequest.objects.filter(member=member, kind="deletion").count() == 1


def test_the_scheduled_command_erases_due_members_and_deletes_expired_exports(
    member, profile, member_client
):
    from django.core.files.storage import storages
    from django.core.management import call_command

    member_client.post(reverse("privacy:export_request"))
    export = DataRequest.objects.get(member=member, kind="export")
    assert storages["exports"].exists(export.export_file)
    DataRequest.objects.filter(pk=export.pk).update(export_expires_at=timezone.now())
    _ask(member_client)
    DataRequest.objects.filter(kind="deletion").update(erase_after=timezone.now())

    out = io.StringIO()
    call_command("run_data_requests", stdout=out)
    assert "erasures run: 1;" in out.getvalue()
    assert not storages["exports"].exists(export.export_file)
    assert not PublicProfile.objects.filter(member=member).exists()
