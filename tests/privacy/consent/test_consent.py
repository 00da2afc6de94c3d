"""Cookie consent: a banner on the first visit; essential only, or essential and interest;
declining leaves the site usable; the choice is recorded with its time and text version and
can be changed from every page's footer; no non-essential cookie is set before consent."""

from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.urls import reverse

from privacy.consent.models import ConsentRecord
from privacy.consent.services import CONSENT_COOKIE, INTEREST_COOKIE
from tests.accounts.factories import ProfileFactory

pytestmark = pytest.mark.django_db
ESSENTIAL = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, CONSENT_COOKIE, "messages"}
BANNER = "Allow interest cookies too"


def _walk(client):
    """Every page a visitor reaches, and a directory search; every Set-Cookie seen."""
    ProfileFactory(username="someone_public", gender="female")
    set_cookies = []
    for url in (
        "/",
        reverse("directory:list"),
        reverse("directory:list") + "?gender=female",
        reverse("directory:detail", args=["someone_public"]),
        reverse("privacy:policy"),
        reverse("privacy:cookies"),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        "/api/v1/directory/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        set_cookies.extend(
            SimpleCookie(c.output(header="")).keys() for c in response.cookies.values()
        )
    return {name for names in set_cookies for name in names}


def test_first_visit_shows_the_banner_and_sets_no_non_essential_cookie(client):
    assert BANNER in client.get("/").content.decode()
    assert _walk(client) <= ESSENTIAL


def test_declining_keeps_the_site_usable_and_interest_cookies_off(client):
    response = client.post(reverse("privacy:consent"), {"choice": "essential", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert CONSENT_COOKIE in response.cookies
    assert BANNER not in client.get("/").content.decode()
    assert INTEREST_COOKIE not in _walk(client)
    record = ConsentRecord.objects.get()
    assert (record.choice, record.text_version) == ("essential", settings.CONSENT_TEXT_VERSION)
    assert record.recorded_at is not None


def test_allowing_interest_remembers_the_last_search(client):
    client.post(reverse("privacy:consent"), {"choice": "interest"})
    assert INTEREST_COOKIE in _walk(client)
    page = client.get(reverse("directory:list")).content.decode()
    assert "Repeat your last search" in page


def test_withdrawing_consent_removes_the_interest_cookie_at_once(client):
    client.post(reverse("privacy:consent"), {"choice": "interest"})
    _walk(client)
    response = client.post(reverse("privacy:consent"), {"choice": "essential"})
    assert response.cookies[INTEREST_COOKIE]["max-age"] == 0
    assert ConsentRecord.objects.count() == 2


def test_every_page_links_to_the_cookie_settings(client, member_client):
    for c in (client, member_client):
        for url in ("/", reverse("directory:list"), reverse("privacy:policy")):
            assert f'href="{reverse("privacy:cookies")}"' in c.get(url).content.decode()


def test_a_new_consent_text_asks_again(client, settings):
    client.post(reverse("privacy:consent"), {"choice": "interest"})
    settings.CONSENT_TEXT_VERSION = "2027-01"
    assert BANNER in client.get("/").content.decode()
    assert INTEREST_COOKIE not in _walk(client)


def test_a_forged_consent_cookie_counts_as_no_choice(client):
    client.cookies[CONSENT_COOKIE] = (
        f"00000000-0000-0000-0000-000000000000:interest:{settings.CONSENT_TEXT_VERSION}"
    )
    assert BANNER in client.get("/").content.decode()
    assert INTEREST_COOKIE not in _walk(client)


def test_a_bad_choice_is_refused_and_nothing_is_recorded(client):
    response = client.post(reverse("privacy:consent"), {"choice": "everything"})
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()


def test_consent_history_is_in_the_privacy_centre(member, member_client):
    member_client.post(reverse("privacy:consent"), {"choice": "interest"})
    member_client.post(reverse("privacy:consent"), {"choice": "essential"})
    page = member_client.get(reverse("privacy:centre")).content.decode()
    assert page.count(settings.CONSENT_TEXT_VERSION) >= 2
    assert "Essential cookies only" in page and "interest/targeting" in page
    assert ConsentRecord.objects.filter(member=member).count() == 2


def test_an_off_site_next_is_ignored(client):
    response = client.post(
        reverse("privacy:consent"), {"choice": "essential", "next": "https://evil.example/"}
    )
    assert response.url == reverse("privacy:cookies")
