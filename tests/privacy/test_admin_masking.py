import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from privacy.audit.models import AuditEvent
from privacy.audit.selectors import staff_views_of
from privacy.roles import Role

PRIVATE = {
    "login_name": "rosa.member",
    "email": "rosa.private@example.org",
    "first_name": "Rosalind",
    "last_name": "Quintero-Vale",
    "zip_code": "90210",
    "phone": "+12025550143",
}


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


@pytest.mark.django_db
def test_roles_exist_as_groups_with_permissions():
    groups = {g.name: {p.codename for p in g.permissions.all()} for g in Group.objects.all()}
    assert set(groups) >= {r.label for r in Role}
    assert "change_user" in groups["Privacy officer"]
    assert "change_user" not in groups["Support agent"]
    assert "view_auditevent" in groups["Legal approver"]
    assert "view_auditevent" not in groups["Billing agent"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            Role.SUPPORT_AGENT,
            {"login_name", "email", "first_name", "last_name", "phone"},
            {"zip_code"},
        ),
        (
            Role.BILLING_AGENT,
            {"email", "first_name", "last_name", "zip_code", "phone"},
            {"login_name"},
        ),
        (Role.LEGAL_OFFICER, set(), set(PRIVATE)),
        (Role.PRIVACY_OFFICER, set(PRIVATE), set()),
    ],
)
def test_each_role_sees_only_what_the_registry_allows(staff_client, member, role, shown, hidden):
    client = staff_client(role)

    response = client.get(change_url(member))

    assert response.status_code == 200
    for name in shown:
        assert PRIVATE[name] in response.text, name
    for name in hidden:
        assert PRIVATE[name] not in response.text, name
    if hidden:
        assert "Hidden for your role" in response.text


@pytest.mark.django_db
def test_opening_a_member_is_an_audit_event_the_member_can_see(staff_client, member):
    client = staff_client(Role.SUPPORT_AGENT)

    client.get(change_url(member))

    [event] = staff_views_of(member)
    assert event.event_type == AuditEvent.EventType.STAFF_VIEWED_PRIVATE
    assert event.actor_kind == AuditEvent.ActorKind.STAFF
    assert "email" in event.fields and "zip_code" not in event.fields


@pytest.mark.django_db
def test_member_list_shows_no_private_value(staff_client, member):
    client = staff_client(Role.PRIVACY_OFFICER)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    assert f"Member #{member.pk}" in response.text
    for value in PRIVATE.values():
        assert value not in response.text


@pytest.mark.django_db
def test_staff_find_a_member_only_by_exact_address_they_may_see(staff_client, member):
    url = reverse("admin:accounts_user_changelist")
    support = staff_client(Role.SUPPORT_AGENT)

    assert f"Member #{member.pk}" in support.get(url, {"q": "rosa.private@example.org"}).text
    assert f"Member #{member.pk}" not in support.get(url, {"q": "rosa"}).text

    billing = staff_client(Role.BILLING_AGENT)
    assert f"Member #{member.pk}" not in billing.get(url, {"q": "rosa.member"}).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "lookup", "value"),
    [
        (Role.LEGAL_OFFICER, "email__startswith", "rosa.p"),
        (Role.BILLING_AGENT, "login_name", "rosa.member"),
        (Role.SUPPORT_AGENT, "zip_code__startswith", "902"),
        (Role.SUPPORT_AGENT, "password__startswith", "argon2"),
    ],
)
def test_the_list_cannot_be_filtered_by_a_field_the_role_may_not_see(
    staff_client, member, role, lookup, value
):
    """Otherwise the number of rows would spell a hidden value out a letter at a time."""
    url = reverse("admin:accounts_user_changelist")

    refused = staff_client(role).get(url, {lookup: value})

    assert refused.status_code == 400
    assert f"Member #{member.pk}" not in refused.text
    if lookup != "password__startswith":
        officer = staff_client(Role.PRIVACY_OFFICER).get(url, {lookup: value})
        assert officer.status_code == 200
        assert f"Member #{member.pk}" in officer.text


@pytest.mark.django_db
def test_a_role_still_filters_by_fields_it_may_see(staff_client, member):
    response = staff_client(Role.SUPPORT_AGENT).get(
        reverse("admin:accounts_user_changelist"), {"email": "rosa.private@example.org"}
    )

    assert response.status_code == 200
    assert f"Member #{member.pk}" in response.text


@pytest.mark.django_db
def test_only_the_privacy_officer_changes_an_account_and_it_is_audited(staff_client, member):
    """Support agents may look (masked) but not write; the officer's change is audited."""
    client = staff_client(Role.PRIVACY_OFFICER)
    client.get(change_url(member))
    data = {
        **PRIVATE,
        "screen_name": "Rosa",
        "theme": "system",
        "text_size": "normal",
        "time_zone": "UTC",
        "is_active": "on",
        "zip_code": "30301",
    }
    response = client.post(change_url(member), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.zip_code == "30301"
    changed = AuditEvent.objects.get(event_type=AuditEvent.EventType.STAFF_CHANGED_PRIVATE)
    assert changed.fields == ["zip_code"]

    support = staff_client(Role.SUPPORT_AGENT)
    assert support.post(change_url(member), {**data, "zip_code": "11111"}).status_code == 403
    member.refresh_from_db()
    assert member.zip_code == "30301"


@pytest.mark.django_db
def test_audit_log_is_read_only_even_for_superusers(staff_client, member):
    client = staff_client(superuser=True)
    client.get(change_url(member))
    event = AuditEvent.objects.first()

    assert client.get(reverse("admin:privacy_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:privacy_auditevent_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:privacy_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:privacy_auditevent_change", args=[event.pk]), {"fields": "[]"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_members_cannot_enter_the_admin(member_client, member):
    response = member_client.get(change_url(member))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_support_sees_a_public_profile_but_not_the_private_birth_date(staff_client, member):
    from datetime import date

    from tests.accounts.factories import ProfileFactory

    profile = ProfileFactory(
        member=member, username="harbor_seal", city="Tacoma", birth_date=date(1984, 2, 29)
    )
    url = reverse("admin:accounts_publicprofile_change", args=[profile.pk])

    support = staff_client(Role.SUPPORT_AGENT).get(url)
    assert support.status_code == 200
    assert "harbor_seal" in support.text and "Tacoma" in support.text
    assert "1984" not in support.text
    officer = staff_client(Role.PRIVACY_OFFICER).get(url)
    assert "1984" in officer.text
    assert staff_client(Role.BILLING_AGENT).get(url).status_code == 403
    support_view, officer_view = sorted(staff_views_of(member), key=lambda e: e.pk)
    assert "city" in support_view.fields and "birth_date" not in support_view.fields
    assert "birth_date" in officer_view.fields


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PRIVACY_OFFICER, None])
def test_no_role_filters_on_the_password_hash_which_is_shown_to_no_one(staff_client, member, role):
    client = staff_client(role) if role else staff_client(superuser=True)
    url = reverse("admin:accounts_user_changelist")

    for prefix in ("argon2", "zzz"):
        assert client.get(url, {"password__startswith": prefix}).status_code == 400


@pytest.mark.django_db
def test_a_role_that_may_not_see_a_model_gets_the_same_answer_for_any_record_id(
    staff_client, member
):
    """The history page used to look the record up first: 403 for one that exists, a
    redirect for one that does not."""
    from tests.support.factories import TicketFactory

    ticket = TicketFactory(member=member)
    client = staff_client(Role.BILLING_AGENT)

    existing = client.get(reverse("admin:support_ticket_history", args=[ticket.pk]))
    missing = client.get(reverse("admin:support_ticket_history", args=[999_999]))

    assert existing.status_code == missing.status_code == 403
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')

    def page(response, pk):  # the page names the address asked for; nothing else differs
        return csrf.sub(b"", response.content).replace(f"/{pk}/".encode(), b"/ID/")

    assert page(existing, ticket.pk) == page(missing, 999_999)
