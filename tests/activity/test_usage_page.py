"""The member's own usage history: /activity/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.activity.factories import ClientSessionFactory, PageViewFactory

pytestmark = pytest.mark.django_db

USAGE = "/activity/"


def test_the_member_sees_their_sessions_and_visits_and_how_long_they_are_kept(
    member_client, member, settings
):
    settings.IP_RETENTION_DAYS = 90
    ClientSessionFactory.ended(
        member=member,
        length=timedelta(minutes=65),
        software_version="2.4.1",
        camera_type="Logitech C920",
        ip_address="203.0.113.5",
    )
    ClientSessionFactory(
        member=member, software_version="2.5.0", ip_truncated=True, ip_address="203.0.113.0"
    )
    PageViewFactory(member=member, path="/directory/lantern_fish/", ip_address="198.51.100.4")

    response = member_client.get(USAGE)

    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "2.4.1",
        "2.5.0",
        "Logitech C920",
        "1 h 05 min",
        "running",
        "203.0.113.5",
        "(shortened)",
        "/directory/lantern_fish/",
        "198.51.100.4",
        "90 days",
    ):
        assert shown in page, shown
    assert response["Cache-Control"].startswith("max-age=0")


def test_no_one_sees_anothers_history(member_client, other_member):
    ClientSessionFactory(member=other_member, camera_type="Stranger Cam", ip_address="192.0.2.99")
    PageViewFactory(member=other_member, path="/secret-path/", ip_address="192.0.2.98")

    page = member_client.get(USAGE).content.decode()

    for private in ("Stranger Cam", "192.0.2.99", "/secret-path/", "192.0.2.98"):
        assert private not in page
    assert "No sessions yet." in page


def test_the_page_needs_a_signed_in_member(client):
    response = client.get(USAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_page_is_in_the_members_navigation(member_client):
    page = member_client.get("/").content.decode()
    assert '<a href="/activity/">My activity</a>' in page


def test_sessions_are_paged(member_client, member):
    now = timezone.now()
    for n in range(27):
        ClientSessionFactory(
            member=member, started_at=now - timedelta(hours=n), software_version=f"1.{n}"
        )

    first = member_client.get(USAGE).content.decode()
    second = member_client.get(USAGE, {"page": 2}).content.decode()
    nonsense = member_client.get(USAGE, {"page": "x'--"})

    assert "1.0<" in first and "1.26<" not in first and 'rel="next"' in first
    assert "1.26<" in second and 'rel="prev"' in second
    assert nonsense.status_code == 200
