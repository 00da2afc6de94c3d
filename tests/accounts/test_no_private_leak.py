"""No private value can leak: members with distinctive private values, and every page
and API response a visitor or another member can reach, searched for each value."""

import re
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.profile import services
from privacy.audit.services import Actor
from tests.accounts.factories import UserFactory

SECRET_MEMBERS = [
    {
        "account": {
            "login_name": "zq.loginname7",
            "email": "zq.hidden.mail@example.net",
            "first_name": "Zebulon",
            "last_name": "Xanthopoulos",
            "zip_code": "48213",
            "phone": "+12025550187",
            "screen_name": "Zebby",
        },
        "profile": {
            "username": "quiet_comet",
            "gender": "male",
            "gender_visibility": "everyone",
            "birth_date": date(1987, 3, 9),
            "age_visibility": "everyone",
            "ethnic_background": "pacific_islander",
            "ethnic_background_visibility": "only_me",
            "lifestyle": "night_owl",
            "lifestyle_text": "Stargazing with telescopes",
            "lifestyle_visibility": "members",
            "country": "US",
            "region": "Upper Peninsula",
            "city": "Kalamazoo",
            "location_visibility": "only_me",
        },
    },
    {
        "account": {
            "login_name": "yy.secretlogin",
            "email": "yy.covert@example.org",
            "first_name": "Philippa",
            "last_name": "Okonjo-Wexford",
            "zip_code": "73301",
            "phone": "+13125550162",
            "screen_name": "Pippa",
        },
        "profile": {
            "username": "amber_finch",
            "gender": "female",
            "gender_visibility": "only_me",
            "birth_date": date(1979, 11, 23),
            "age_visibility": "members",
            "lifestyle": "creative",
            "lifestyle_text": "Pottery and printmaking",
            "lifestyle_visibility": "only_me",
            "country": "CA",
            "region": "Prince Edward Island",
            "city": "Haines Junction",
            "location_visibility": "members",
        },
    },
]


def private_values(spec) -> set[str]:
    account = spec["account"]
    values = {
        account[k]
        for k in ("login_name", "email", "first_name", "last_name", "zip_code", "screen_name")
    }
    phone = account["phone"]
    values |= {phone, phone[2:], f"{phone[2:5]}-{phone[5:8]}-{phone[8:]}"}
    born = spec["profile"]["birth_date"]
    values |= {
        born.isoformat(),
        born.strftime("%B %d, %Y").replace(" 0", " "),
        born.strftime("%d/%m/%Y"),
        born.strftime("%m/%d/%Y"),
    }
    # Free text hidden as "only me". (Choice values such as "female" appear in every
    # filter menu and in the schema, so they are checked structurally below.)
    for name in ("lifestyle_text", "region", "city"):
        if spec["profile"].get(_visibility_of(name)) == "only_me":
            values.add(spec["profile"][name])
    return {v for v in values if v}


def _visibility_of(name):
    return {
        "gender": "gender_visibility",
        "ethnic_background": "ethnic_background_visibility",
        "looking_for": "lifestyle_visibility",
        "lifestyle": "lifestyle_visibility",
        "lifestyle_text": "lifestyle_visibility",
        "country": "location_visibility",
        "region": "location_visibility",
        "city": "location_visibility",
    }.get(name, "")


@pytest.fixture
def seeded(db):
    for spec in SECRET_MEMBERS:
        member = UserFactory(**spec["account"])
        services.profile_save(member=member, actor=Actor.system(), data=spec["profile"])
    return SECRET_MEMBERS


PROBES = {
    # query -> member who must not be found by it (the value is hidden from everyone)
    "city=Kalamazoo": "quiet_comet",
    "q=pottery": "amber_finch",
    "lifestyle=creative": "amber_finch",
    "q=zebulon": "quiet_comet",
    "q=okonjo": "amber_finch",
}


def reachable(client_get, usernames) -> dict[str, str]:
    """Every page and API response reachable by following the directory."""
    urls = [
        "/",
        reverse("directory:list"),
        "/api/v1/directory/",
        "/api/schema/",
        "/api/docs/",
        reverse("accounts:login"),
        reverse("accounts:signup"),
        "/healthz",
    ]
    for username in usernames:
        urls += [reverse("directory:detail", args=[username]), f"/api/v1/directory/{username}/"]
    for params in (
        "gender=male",
        "gender=female",
        "country=US",
        "country=CA",
        "city=Kalamazoo",
        "city=Haines Junction",
        "lifestyle=creative",
        "q=pottery",
        "q=stargazing",
        "q=okonjo",
        "q=zebulon",
        "age_min=18&age_max=99",
        "region=Prince Edward Island",
        "ethnic_background=pacific_islander",
    ):
        urls += [f"{reverse('directory:list')}?{params}", f"/api/v1/directory/?{params}"]
    pages = {}
    for query, hidden_member in PROBES.items():
        body = client_get(f"/api/v1/directory/?{query}").json()
        assert hidden_member not in [r["username"] for r in body.get("results", [])], query
    for url in urls:
        response = client_get(url)
        assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
        pages[url] = response.content.decode()
    return pages


def assert_no_private_value(pages, forbidden):
    from urllib.parse import unquote_plus

    for url, text in pages.items():
        for value in forbidden:
            if value.lower() in unquote_plus(url).lower():
                continue  # a search page echoes the searcher's own words back to them
            pattern = re.escape(value)
            assert not re.search(pattern, text, re.IGNORECASE), f"{value!r} leaked on {url}"


def assert_hidden_choices_absent(api, *, members_only_hidden):
    """Hidden choice fields are absent from every object that shows the member."""
    comet = api.get("/api/v1/directory/quiet_comet/").json()
    finch = api.get("/api/v1/directory/amber_finch/").json()
    listed = {r["username"]: r for r in api.get("/api/v1/directory/").json()["results"]}
    for shown in (comet, listed["quiet_comet"]):
        assert "ethnic_background" not in shown and "country" not in shown
        assert "lifestyle" in shown if not members_only_hidden else "lifestyle" not in shown
    for shown in (finch, listed["amber_finch"]):
        assert "gender" not in shown and "lifestyle" not in shown
        assert ("country" in shown) != members_only_hidden
    assert "birth_date" not in str(listed)


def test_visitor_sees_no_private_value(seeded, client):
    forbidden = set().union(*(private_values(s) for s in seeded))
    # members-only values are private to a visitor too
    forbidden |= {"Stargazing with telescopes", "Haines Junction", "Prince Edward Island"}
    pages = reachable(client.get, [s["profile"]["username"] for s in seeded])
    assert_no_private_value(pages, forbidden)
    # ...and the visitor did see the public ones, so the search is meaningful
    assert any("quiet_comet" in t and "male" in t for t in pages.values())
    assert_hidden_choices_absent(APIClient(), members_only_hidden=True)


def test_another_member_sees_no_private_value(seeded, member_client):
    forbidden = set().union(*(private_values(s) for s in seeded))
    pages = reachable(member_client.get, [s["profile"]["username"] for s in seeded])
    assert_no_private_value(pages, forbidden)
    assert any("Haines Junction" in t for t in pages.values())  # members-only is shown to members
    api = APIClient()
    api.force_authenticate(member_client.get("/").wsgi_request.user)
    assert_hidden_choices_absent(api, members_only_hidden=False)


def test_api_client_with_a_token_sees_no_private_value(seeded, other_member):
    from knox.models import AuthToken

    _, secret = AuthToken.objects.create(user=other_member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    forbidden = set().union(*(private_values(s) for s in seeded))
    pages = reachable(api.get, [s["profile"]["username"] for s in seeded])
    assert_no_private_value(pages, forbidden)
