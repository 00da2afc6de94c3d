"""The header marks the page the visitor is on, groups the member's own pages in one menu
that works without JavaScript, and the cookie bar sits after the page, not above it."""

import re

import pytest


def _current(html: str) -> list[str]:
    return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/directory/", "Directory"),
        ("/orders/products/", "Products"),
        ("/accounts/login/", "Sign in"),
    ],
)
def test_a_visitor_sees_the_page_they_are_on_marked(client, path, marked):
    html = client.get(path).text
    assert _current(html) == [marked]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/orders/", "My orders"),
        ("/profile/", "My profile"),
        ("/support/tickets/new/", "Support"),
        ("/privacy/centre/", "Privacy centre"),
        ("/accounts/password/", "My account"),
    ],
)
def test_a_member_sees_their_page_marked_inside_the_account_menu(member_client, path, marked):
    html = member_client.get(path).text
    assert _current(html) == [marked]
    menu = html[html.index("<details") : html.index("</details>")]
    assert '<summary class="current">My BestQM</summary>' in menu
    assert f'aria-current="page">{marked}</a>' in menu
    assert "Sign out" in menu


@pytest.mark.django_db
def test_a_public_page_marks_nothing_in_the_member_menu(member_client):
    html = member_client.get("/directory/").text
    assert _current(html) == ["Directory"]
    assert "<summary>My BestQM</summary>" in html


@pytest.mark.django_db
def test_the_cookie_bar_comes_after_the_page_content(client):
    html = client.get("/directory/").text
    assert html.index("</main>") < html.index("</footer>") < html.index('class="consent-bar"')
    assert "data-consent-dismiss" in html


@pytest.mark.django_db
def test_the_favicon_is_served(client, settings):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.ico")
    assert '<link rel="icon" href="/static/img/favicon.ico"' in client.get("/").text
    from django.contrib.staticfiles import finders

    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
