"""The directory, as a visitor, a member and an API client see it."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Visibility
from tests.accounts.factories import ProfileFactory

LIST = reverse("directory:list")
API = "/api/v1/directory/"
EVERYONE, MEMBERS, ONLY_ME = Visibility.EVERYONE, Visibility.MEMBERS, Visibility.ONLY_ME


def _born_years_ago(years: int) -> date:
    today = date.today()
    return date(today.year - years, 1, 1) if today.month > 1 else date(today.year - years - 1, 1, 1)


@pytest.fixture
def people(db):
    """Three members who show the same kinds of fields to different audiences."""
    return {
        "open": ProfileFactory(
            username="open_olive",
            gender="female",
            gender_visibility=EVERYONE,
            birth_date=_born_years_ago(30),
            age_visibility=EVERYONE,
            lifestyle="traveller",
            lifestyle_text="Trains across Europe",
            lifestyle_visibility=EVERYONE,
            country="US",
            region="Oregon",
            city="Portland",
            location_visibility=EVERYONE,
        ),
        "members": ProfileFactory(
            username="members_mina",
            gender="female",
            gender_visibility=MEMBERS,
            birth_date=_born_years_ago(45),
            age_visibility=MEMBERS,
            lifestyle="traveller",
            lifestyle_text="Sailing small boats",
            lifestyle_visibility=MEMBERS,
            country="US",
            region="Oregon",
            city="Salem",
            location_visibility=MEMBERS,
        ),
        "private": ProfileFactory(
            username="private_pat",
            gender="female",
            gender_visibility=ONLY_ME,
            birth_date=_born_years_ago(30),
            age_visibility=ONLY_ME,
            lifestyle="traveller",
            lifestyle_text="Trains and ferries",
            lifestyle_visibility=ONLY_ME,
            country="US",
            region="Oregon",
            city="Portland",
            location_visibility=ONLY_ME,
        ),
        "unlisted": ProfileFactory(
            username="unlisted_uma",
            gender="female",
            gender_visibility=EVERYONE,
            listed_in_directory=False,
        ),
    }


def usernames(response):
    return [row["username"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_visitor_sees_only_everyone_fields(people, client):
    rows = {r["username"]: r for r in APIClient().get(API).json()["results"]}

    assert set(rows) == {"open_olive", "members_mina", "private_pat"}
    assert rows["open_olive"] == {
        "username": "open_olive",
        "gender": "female",
        "age": 30,
        "lifestyle": "traveller",
        "lifestyle_text": "Trains across Europe",
        "country": "US",
        "region": "Oregon",
        "city": "Portland",
    }
    assert rows["members_mina"] == {"username": "members_mina"}
    assert rows["private_pat"] == {"username": "private_pat"}
    page = client.get(LIST).text
    assert "Trains across Europe" in page and "Sailing small boats" not in page


def test_member_also_sees_members_only_fields_never_only_me(people, member):
    api = APIClient()
    api.force_authenticate(member)
    rows = {r["username"]: r for r in api.get(API).json()["results"]}

    assert rows["members_mina"]["city"] == "Salem"
    assert rows["members_mina"]["age"] == 45
    assert rows["private_pat"] == {"username": "private_pat"}


def test_unlisted_member_is_not_listed_searchable_or_reachable(people, member_client):
    assert "unlisted_uma" not in usernames(APIClient().get(API, {"q": "unlisted"}))
    assert "unlisted_uma" not in member_client.get(LIST, {"q": "uma"}).text
    assert APIClient().get(f"{API}unlisted_uma/").status_code == 404
    assert member_client.get(reverse("directory:detail", args=["unlisted_uma"])).status_code == 404


def test_unlisted_owner_still_sees_their_own_profile(people):
    owner = people["unlisted"].member
    api = APIClient()
    api.force_authenticate(owner)
    assert api.get(f"{API}unlisted_uma/").json()["gender"] == "female"


@pytest.mark.parametrize(
    ("params", "visitor", "member_sees"),
    [
        ({"gender": "female"}, {"open_olive"}, {"open_olive", "members_mina"}),
        ({"age_min": 40}, set(), {"members_mina"}),
        ({"age_min": 25, "age_max": 35}, {"open_olive"}, {"open_olive"}),
        ({"city": "portland"}, {"open_olive"}, {"open_olive"}),
        ({"region": "Oregon"}, {"open_olive"}, {"open_olive", "members_mina"}),
        ({"country": "US"}, {"open_olive"}, {"open_olive", "members_mina"}),
        ({"lifestyle": "traveller"}, {"open_olive"}, {"open_olive", "members_mina"}),
        ({"q": "trains"}, {"open_olive"}, {"open_olive"}),
        ({"q": "sailing"}, set(), {"members_mina"}),
        ({"q": "_pat"}, {"private_pat"}, {"private_pat"}),
    ],
)
def test_filters_match_only_fields_the_viewer_may_see(people, member, params, visitor, member_sees):
    """A filter must not reveal what a member hid: private_pat's gender, age, city and
    lifestyle all match, but nobody else may find that out by filtering."""
    assert set(usernames(APIClient().get(API, params))) == visitor
    api = APIClient()
    api.force_authenticate(member)
    assert set(usernames(api.get(API, params))) == member_sees


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"gender": "robot"}, "gender"),
        ({"lifestyle": "pirate"}, "lifestyle"),
        ({"country": "XX"}, "country"),
        ({"age_min": "old"}, "age_min"),
        ({"age_min": 50, "age_max": 20}, "age_max"),
        ({"age_max": 500}, "age_max"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_filter_values_answer_400_naming_the_field(people, client, params, field):
    response = APIClient().get(API, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]

    page = client.get(LIST, params)
    assert page.status_code == 400


def test_each_request_checks_its_own_filters(people, client):
    """The filters' form is made from shared declarations: a refused value must not
    stay behind for the next request, nor a chosen one."""
    assert APIClient().get(API, {"gender": "robot"}).status_code == 400
    assert usernames(APIClient().get(API, {"gender": "female"})) == ["open_olive"]

    refused = client.get(LIST, {"gender": "robot", "country": "US"})
    assert refused.status_code == 400
    assert "robot is not one of the available choices" in refused.text
    accepted = client.get(LIST, {"lifestyle": "traveller"})
    assert accepted.status_code == 200
    assert "not one of the available choices" not in accepted.text
    assert "Trains across Europe" in accepted.text
    assert '<option value="US" selected>' not in accepted.text


def test_directory_page_offers_every_choice_and_keeps_the_chosen_one(people, client):
    page = client.get(LIST, {"country": "FR", "gender": "male"}).text

    assert '<option value="FR" selected>France</option>' in page
    assert '<option value="US">United States of America</option>' in page
    assert '<option value="male" selected>Male</option>' in page
    assert '<option value="female">Female</option>' in page


def test_page_size_is_clamped_and_pages_follow_the_cursor(db):
    for i in range(120):
        ProfileFactory(username=f"walker{i:03d}")
    api = APIClient()

    first = api.get(API, {"page_size": 1000}).json()
    assert len(first["results"]) == 100  # clamped to the maximum
    default = api.get(API).json()
    assert len(default["results"]) == 50

    second = api.get(default["next"]).json()
    assert second["results"][0]["username"] == "walker050"
    assert not set(usernames_of(default)) & set(usernames_of(second))


def usernames_of(body):
    return [r["username"] for r in body["results"]]


def test_directory_page_paginates_with_next_and_previous_links(db, client):
    for i in range(60):
        ProfileFactory(username=f"walker{i:03d}")

    first = client.get(LIST)
    assert first.text.count('class="card"') == 50
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = client.get(first.context["next_link"])
    assert second.text.count('class="card"') == 10
    assert 'rel="prev"' in second.text


def test_ordering_by_newest(db):
    ProfileFactory(username="aaa_oldest")
    ProfileFactory(username="zzz_newest")
    assert usernames(APIClient().get(API, {"ordering": "-created_at"}))[0] == "zzz_newest"
    assert usernames(APIClient().get(API, {"ordering": "username"}))[0] == "aaa_oldest"


def test_changing_someone_elses_profile_is_refused(people, member):
    """The directory is read only: the methods are not offered at all (issue 16: `Allow`
    and OPTIONS must not advertise PUT, PATCH and DELETE that always fail)."""
    api = APIClient()
    api.force_authenticate(member)
    for method in (api.patch, api.put, api.delete):
        response = method(f"{API}open_olive/", {"city": "Hacked"}, format="json")
        assert response.status_code == 405
        assert response.json()["error"]["code"] == "method_not_allowed"
        assert "PATCH" not in response["Allow"]
    people["open"].refresh_from_db()
    assert people["open"].city == "Portland"


def _anonymous_rate(monkeypatch, rate: str) -> None:
    # monkeypatch puts the inherited class attribute back as it was (removed from the
    # subclass), so later tests that patch SimpleRateThrottle still reach anonymous calls.
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(
        AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": rate}
    )


def test_anonymous_clients_are_throttled_with_retry_after(people, monkeypatch):
    _anonymous_rate(monkeypatch, "3/minute")
    api = APIClient()
    statuses = [api.get(API).status_code for _ in range(4)]
    last = api.get(API)
    assert statuses == [200, 200, 200, 429]
    assert last.status_code == 429
    assert int(last["Retry-After"]) > 0
    assert last.json()["error"]["code"] == "throttled"


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(people, monkeypatch):
    """With no trusted proxy in front (TRUSTED_PROXY_COUNT=0) the client's own address
    counts, whatever X-Forwarded-For says; otherwise a new header value per call would
    be a new anonymous client each time."""
    _anonymous_rate(monkeypatch, "3/minute")
    api = APIClient()
    statuses = [api.get(API, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_client_address_has_its_own_counter(
    people, monkeypatch, settings
):
    """With one proxy in front, the address it forwarded counts (as for sign-in lockouts),
    and whatever the client wrote before it in the header does not."""
    settings.TRUSTED_PROXY_COUNT = 1
    _anonymous_rate(monkeypatch, "2/minute")
    api = APIClient(REMOTE_ADDR="10.0.0.2")  # the proxy

    def calls(forwarded_for, n):
        return [api.get(API, HTTP_X_FORWARDED_FOR=forwarded_for).status_code for _ in range(n)]

    assert calls("198.51.100.7", 3) == [200, 200, 429]
    assert calls("198.51.100.8", 2) == [200, 200]  # another client behind the same proxy
    assert calls("203.0.113.1, 198.51.100.7", 1) == [429]  # a forged first hop changes nothing


def test_anonymous_clients_count_against_the_anonymous_limit_only(people, member, monkeypatch):
    """Visitors are limited by the anonymous rate, members by the members' rate: one
    counter each, whichever rate is the higher."""
    from rest_framework import throttling

    from bestqm.api.throttles import MemberRateThrottle

    rates = {"anon": "4/minute", "user": "2/minute"}
    # Every class that may hold the rates, whichever throttles the settings name.
    for throttle in (
        throttling.SimpleRateThrottle,
        throttling.AnonRateThrottle,
        throttling.UserRateThrottle,
        MemberRateThrottle,
    ):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", rates)
    visitor = [APIClient().get(API).status_code for _ in range(5)]
    api = APIClient()
    api.force_authenticate(member)
    signed_in = [api.get(API).status_code for _ in range(3)]

    assert visitor == [200, 200, 200, 200, 429]
    assert signed_in == [200, 200, 429]


def _cursor(position: str) -> str:
    import base64
    from urllib.parse import urlencode

    return base64.b64encode(urlencode({"p": position}).encode()).decode()


@pytest.mark.parametrize(
    ("params"),
    [
        {"ordering": "created_at", "cursor": _cursor("garbage")},
        {"ordering": "-created_at", "cursor": _cursor("2026-13-45")},
        {"cursor": _cursor("\x00")},
        {"cursor": "%%%not-base64"},
    ],
)
def test_tampered_cursors_are_bad_input_not_server_errors(people, params):
    response = APIClient().get(API, params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"cursor": ["Invalid cursor."]}


@pytest.mark.parametrize("username", ["a\x00b", "../etc", "x" * 200, "drop table"])
def test_impossible_usernames_are_simply_not_found(people, username):
    assert APIClient().get(f"{API}{username}/").status_code == 404
