"""Staff in the admin: the activity dashboard (counts only) and client sessions (masked
by role, every opening logged)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.audit.models import AuditEvent
from privacy.roles import Role
from tests.activity.factories import ClientSessionFactory, PageViewFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/activity/activitydashboard/"


@pytest.fixture
def activity(member):
    now = timezone.now()
    PageViewFactory.create_batch(
        3, member=member, ip_address="198.51.100.77", occurred_at=now - timedelta(days=2)
    )
    PageViewFactory(member=member, browser_family="Chrome", occurred_at=now - timedelta(days=2))
    ClientSessionFactory.ended(
        member=member,
        started_at=now - timedelta(days=2),
        length=timedelta(minutes=42),
        software_version="3.1.0",
        camera_type="Contoso Cam 4K",
        ip_address="203.0.113.55",
    )


@pytest.mark.parametrize("role", [Role.SUPPORT_AGENT, Role.PRIVACY_OFFICER])
def test_the_dashboard_draws_every_figure_as_svg_with_its_numbers(staff_client, activity, role):
    response = staff_client(role).get(DASHBOARD)

    assert response.status_code == 200
    page = response.content.decode()
    for title in (
        "Page views",
        "Distinct visitors",
        "Browser share",
        "Client versions",
        "Camera types",
        "Concurrent sessions",
        "Session durations",
    ):
        assert f">{title}</h2>" in page
    assert page.count("<svg") >= 9
    assert "Firefox</th><td>3 (75 %)" in page
    assert "Chrome</th><td>1 (25 %)" in page
    assert "3.1.0</th><td>1 (100 %)" in page
    assert "Contoso Cam 4K" in page
    assert "10 to 60 minutes</th><td>1 (100 %)" in page


def test_the_dashboard_names_no_one_and_loads_nothing_from_elsewhere(
    staff_client, activity, member
):
    page = staff_client(Role.PRIVACY_OFFICER).get(DASHBOARD).content.decode()

    content = page[page.index('id="content-main"') :]
    for private in ("198.51.100", "203.0.113", member.login_name, member.email, "Member #"):
        assert private not in content
    assert "<script" not in content and "style=" not in content
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)
    assert "/static/activity/dashboard.css" in page


def test_weeks_are_a_period_too_and_an_unknown_period_falls_back_to_days(staff_client, activity):
    staff = staff_client(Role.SUPPORT_AGENT)

    weekly = staff.get(DASHBOARD, {"period": "week"}).content.decode()
    assert "Week of" in weekly
    assert '<strong aria-current="page">Per week</strong>' in weekly
    daily = staff.get(DASHBOARD, {"period": "'; DROP TABLE"}).content.decode()
    assert '<strong aria-current="page">Per day</strong>' in daily


def test_roles_without_the_dashboard_are_refused_and_visitors_sent_to_sign_in(staff_client, client):
    assert staff_client(Role.BILLING_AGENT).get(DASHBOARD).status_code == 403
    assert staff_client(Role.LEGAL_OFFICER).get(DASHBOARD).status_code == 403
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_dashboard_is_its_only_page(staff_client):
    staff = staff_client(superuser=True)
    assert staff.get(f"{DASHBOARD}1/change/").status_code == 404
    assert staff.get(f"{DASHBOARD}add/").status_code == 404


def test_support_sees_how_a_session_ran_but_not_its_address_or_serial(staff_client, member):
    session = ClientSessionFactory(member=member, ip_address="203.0.113.55")
    support = staff_client(Role.SUPPORT_AGENT)

    page = support.get(f"/admin/activity/clientsession/{session.pk}/change/").content.decode()

    assert session.software_version in page and session.camera_type in page
    assert "203.0.113.55" not in page and session.serial not in page
    assert "Hidden for your role" in page
    listing = support.get("/admin/activity/clientsession/").content.decode()
    assert "203.0.113.55" not in listing and session.serial not in listing


def test_the_privacy_officer_sees_the_address_and_the_opening_is_logged(staff_client, member):
    session = ClientSessionFactory(member=member, ip_address="203.0.113.55")
    officer = staff_client(Role.PRIVACY_OFFICER)

    page = officer.get(f"/admin/activity/clientsession/{session.pk}/change/").content.decode()

    assert "203.0.113.55" in page and session.serial in page
    event = AuditEvent.objects.get(event_type="staff.viewed_private")
    assert "ip_address" in event.fields and "serial" in event.fields
    assert event.object_id == str(session.pk)
    assert "203.0.113.55" not in str(AuditEvent.objects.values_list().get(pk=event.pk))


def test_client_sessions_cannot_be_added_changed_or_deleted_in_the_admin(staff_client, member):
    session = ClientSessionFactory(member=member)
    admin_client = staff_client(superuser=True)
    url = f"/admin/activity/clientsession/{session.pk}/"

    assert admin_client.get("/admin/activity/clientsession/add/").status_code == 403
    assert admin_client.post(f"{url}change/", {"camera_type": "Other"}).status_code == 403
    assert admin_client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    session.refresh_from_db()
    assert session.camera_type == "Logitech C920"
