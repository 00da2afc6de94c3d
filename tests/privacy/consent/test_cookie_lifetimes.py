"""'Once the user closes their browser, the cookie simply terminates': every cookie BestQM
sets ends with the browser. A member's consent is kept on the account instead, and a
browser sending Sec-GPC: 1 has declined interest cookies without being asked."""

import pytest
from django.test import Client
from django.urls import reverse

from privacy.consent.services import CONSENT_COOKIE, INTEREST_COOKIE
from tests.accounts.factories import PASSWORD, ProfileFactory

pytestmark = pytest.mark.django_db
BANNER = "Allow interest cookies too"


def _lasting(response) -> list[str]:
    """Cookies the response sets (not deletes) that would outlive the browser."""
    return [
        f"{name}: expires={morsel['expires']!r} max-age={morsel['max-age']!r}"
        for name, morsel in response.cookies.items()
        if morsel.value and (morsel["expires"] or morsel["max-age"] != "")
    ]


def test_every_set_cookie_after_sign_in_consent_and_a_search_ends_with_the_browser(member):
    ProfileFactory(username="someone_public", gender="female")
    client = Client()
    seen = []

    page = client.get(reverse("accounts:login"))
    signed_in = client.post(
        reverse("accounts:login"), {"username": "rosa.member", "password": PASSWORD}
    )
    consent = client.post(reverse("privacy:consent"), {"choice": "interest", "next": "/"})
    search = client.get(reverse("directory:list") + "?gender=female")
    for response in (page, signed_in, consent, search):
        seen.extend(response.cookies)
        assert _lasting(response) == []

    assert {"sessionid", "csrftoken", CONSENT_COOKIE, INTEREST_COOKIE} <= set(seen)


def test_a_members_consent_follows_them_to_another_browser_without_a_lasting_cookie(
    member,
):
    first = Client()
    first.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    first.post(reverse("privacy:consent"), {"choice": "interest"})

    elsewhere = Client()
    elsewhere.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    page = elsewhere.get("/")
    assert BANNER not in page.text
    search = elsewhere.get(reverse("directory:list") + "?gender=female")
    assert INTEREST_COOKIE in search.cookies

    visitor = Client()
    assert BANNER in visitor.get("/").text


def test_global_privacy_control_declines_interest_cookies_without_a_banner(client):
    gpc = {"HTTP_SEC_GPC": "1"}
    client.post(reverse("privacy:consent"), {"choice": "interest"})  # even after a yes

    home = client.get("/", **gpc)
    search = client.get(reverse("directory:list") + "?gender=female", **gpc)
    cookies_page = client.get(reverse("privacy:cookies"), **gpc)

    assert BANNER not in home.text
    assert INTEREST_COOKIE not in search.cookies
    assert "Global Privacy Control" in cookies_page.text
    assert BANNER in Client().get("/").text  # no signal: asked as before
