"""Partners ('Partner Use'): nothing is shared without the member's explicit action on a
page that shows exactly what would be sent; every share is recorded and audited."""

import re

import pytest
from django.urls import reverse

from privacy.audit.models import AuditEvent
from privacy.roles import Role
from support.errors import PARTNER_CHANGED
from support.models import Partner, PartnerShare
from support.partners.forms import CONFIRM_SHARE
from support.partners.selectors import partner_shares_of
from tests.support.factories import PartnerFactory

EXTERNAL_HREF = re.compile(r'href="(?:https?:)?//', re.IGNORECASE)


@pytest.fixture
def partner(db):
    return PartnerFactory(
        name="Lens Club", slug="lens-club", shared_fields=["email", "first_name", "phone"]
    )


def share_url(partner):
    return reverse("support:partner_share", args=[partner.slug])


def confirm(partner, **extra):
    return {"shown": partner.shared_fields, "confirm": "on", **extra}


@pytest.mark.django_db
def test_the_partners_page_links_out_only_through_the_notice_page(client, partner):
    PartnerFactory(name="Gone Partner", is_active=False)

    page = client.get(reverse("support:partners"))

    assert page.status_code == 200
    assert "Lens Club" in page.text and "Gone Partner" not in page.text
    assert "E-mail address, First name, Phone" in page.text
    assert not EXTERNAL_HREF.search(page.text)
    assert page.text.count('rel="noopener noreferrer"') == 2
    assert reverse("support:leaving") in page.text


@pytest.mark.django_db
def test_the_share_page_shows_exactly_what_would_be_sent_and_records_nothing(
    member_client, member, partner
):
    page = member_client.get(share_url(partner))

    assert page.status_code == 200
    assert "rosa.private@example.org" in page.text and "Rosalind" in page.text
    assert "+12025550143" in page.text
    assert "Quintero-Vale" not in page.text and "90210" not in page.text  # not asked for
    assert "own privacy policy" in page.text
    assert not PartnerShare.objects.exists()


@pytest.mark.django_db
def test_nothing_is_shared_without_ticking_the_box(member_client, partner):
    response = member_client.post(share_url(partner), {"shown": partner.shared_fields})

    assert response.status_code == 400
    assert CONFIRM_SHARE in response.text
    assert not PartnerShare.objects.exists()
    assert not AuditEvent.objects.filter(event_type="partner.shared").exists()


@pytest.mark.django_db
def test_sharing_records_the_field_names_when_and_with_whom_never_the_values(
    member_client, member, partner
):
    response = member_client.post(share_url(partner), confirm(partner), follow=True)

    assert "Recorded: you shared these details with Lens Club" in response.text
    [share] = partner_shares_of(member=member)
    assert share.partner == partner and share.fields == ["email", "first_name", "phone"]
    assert "rosa.private" not in repr(PartnerShare.objects.values().get())
    event = AuditEvent.objects.get(event_type="partner.shared")
    assert event.category == "account"
    assert event.fields == ["email", "first_name", "phone"]
    assert "What I have shared" in response.text and "Lens Club" in response.text


@pytest.mark.django_db
def test_details_the_member_does_not_have_are_not_sent(member_client, member, partner):
    member.phone = ""
    member.save()

    page = member_client.get(share_url(partner))
    assert "You have none: nothing is sent for it." in page.text
    member_client.post(share_url(partner), confirm(partner))

    assert PartnerShare.objects.get().fields == ["email", "first_name"]


@pytest.mark.django_db
def test_a_partner_that_asks_for_more_meanwhile_is_refused(member_client, partner):
    shown = list(partner.shared_fields)
    Partner.objects.filter(pk=partner.pk).update(shared_fields=[*shown, "zip_code"])

    response = member_client.post(share_url(partner), {"shown": shown, "confirm": "on"})

    assert response.status_code == 409
    assert "review the list again" in response.text
    assert PARTNER_CHANGED.split(".")[0] in response.text
    assert not PartnerShare.objects.exists()
    assert "90210" in response.text  # the page now shows the new list, with the ZIP code


@pytest.mark.django_db
def test_another_members_shares_are_not_theirs(member_client, other_member, partner):
    PartnerShare.objects.create(member=other_member, partner=partner, fields=["email"])

    page = member_client.get(reverse("support:partners"))

    assert "You have not shared anything with a partner." in page.text
    assert list(partner_shares_of(member=other_member).values_list("fields", flat=True)) == [
        ["email"]
    ]


@pytest.mark.django_db
def test_sharing_needs_a_member_and_an_active_partner(client, member_client, partner):
    response = client.get(share_url(partner))
    assert response.status_code == 302 and "login" in response["Location"]
    Partner.objects.filter(pk=partner.pk).update(is_active=False)
    assert member_client.post(share_url(partner), confirm(partner)).status_code == 404
    assert member_client.get(reverse("support:partner_share", args=["nobody"])).status_code == 404
    assert not PartnerShare.objects.exists()


@pytest.mark.django_db
def test_the_privacy_officer_keeps_the_partner_list(staff_client):
    add = reverse("admin:support_partner_add")
    data = {
        "name": "Webcam World",
        "slug": "webcam-world",
        "description": "Webcams",
        "website": "https://webcams.example",
        "privacy_policy_url": "https://webcams.example/privacy",
        "shared_fields": ["email"],
        "is_active": "on",
    }

    assert staff_client(Role.SUPPORT_AGENT).post(add, data).status_code == 403
    refused = staff_client(Role.PRIVACY_OFFICER).post(
        add, {**data, "shared_fields": ["password"], "website": "ftp://webcams.example"}
    )
    assert refused.status_code == 200
    assert set(refused.context["adminform"].form.errors) == {"shared_fields", "website"}
    assert staff_client(Role.PRIVACY_OFFICER).post(add, data).status_code == 302
    assert Partner.objects.get().shared_fields == ["email"]


@pytest.mark.django_db
def test_shares_are_read_only_records_for_the_privacy_officer(staff_client, member, partner):
    share = PartnerShare.objects.create(member=member, partner=partner, fields=["email"])
    change = reverse("admin:support_partnershare_change", args=[share.pk])

    officer = staff_client(Role.PRIVACY_OFFICER)
    assert officer.get(change).status_code == 200
    assert officer.post(change, {"fields": "[]"}).status_code == 403
    assert staff_client(Role.SUPPORT_AGENT).get(change).status_code == 403
    share.refresh_from_db()
    assert share.fields == ["email"]


@pytest.mark.django_db
def test_a_partner_someone_shared_with_is_switched_off_never_deleted(staff_client, member, partner):
    PartnerShare.objects.create(member=member, partner=partner, fields=["email"])
    delete = reverse("admin:support_partner_delete", args=[partner.pk])

    response = staff_client(superuser=True).post(delete, {"post": "yes"})

    assert "Cannot delete partner" in response.text
    assert Partner.objects.filter(pk=partner.pk).exists()
