"""Anonymous directory, API and profile reads come from the cache, and every change a
visitor could see is in the very next anonymous response (accounts/directory/public_cache)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.directory import public_cache
from accounts.models import PublicProfile, Visibility
from accounts.profile.services import profile_listing_set
from privacy.audit.services import Actor
from privacy.requests.erasure import member_erase
from privacy.requests.services import data_request_create
from tests.accounts.factories import ProfileFactory

LIST = reverse("directory:list")
API = "/api/v1/directory/"
ME = "/api/v1/me/profile/"
CITY = "Tromsø"


@pytest.fixture
def shown(member):
    """Rosa's profile, her city shown to everyone; one more member beside her."""
    ProfileFactory(username="aaron_first", city="Bergen", location_visibility=Visibility.EVERYONE)
    return ProfileFactory(
        member=member,
        username="rosa_sails",
        city=CITY,
        location_visibility=Visibility.EVERYONE,
        listed_in_directory=True,
    )


def _anonymous_reads():
    """Everything a visitor reads: the directory page, its API, the profile page and the
    profile's API, each as text (404 answers included)."""
    client, api = APIClient(), APIClient()
    return {
        "page": client.get(LIST).content.decode(),
        "api": api.get(API).content.decode(),
        "profile": client.get(reverse("directory:detail", args=["rosa_sails"])),
        "api_profile": api.get(f"{API}rosa_sails/"),
    }


def _text(response):
    return response.content.decode() if response.status_code == 200 else ""


def _city_everywhere() -> dict[str, bool]:
    reads = _anonymous_reads()
    return {
        "page": CITY in reads["page"],
        "api": CITY in reads["api"],
        "profile": CITY in _text(reads["profile"]),
        "api_profile": CITY in _text(reads["api_profile"]),
    }


ALL_SEEN = {"page": True, "api": True, "profile": True, "api_profile": True}
NONE_SEEN = dict.fromkeys(ALL_SEEN, False)


@pytest.mark.django_db
def test_anonymous_reads_are_served_from_the_cache(shown):
    """A write that bypasses the services (and so bumps nothing) is not seen: the reads
    really come from the cache. The test of every change below depends on this."""
    assert _city_everywhere() == ALL_SEEN
    PublicProfile.objects.filter(pk=shown.pk).update(city="Oslo")
    assert _city_everywhere() == ALL_SEEN
    public_cache.directory_changed()
    assert _city_everywhere() == NONE_SEEN


@pytest.mark.django_db
def test_members_are_never_served_a_visitors_cached_page(shown, member_client):
    _city_everywhere()
    PublicProfile.objects.filter(pk=shown.pk).update(city="Oslo")
    assert "Oslo" in member_client.get(LIST).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_removed_field_is_gone_from_the_very_next_response(shown, member_api):
    """A real commit (transaction=True): the bump on commit is what the visitor gets."""
    assert _city_everywhere() == ALL_SEEN
    assert member_api.delete(f"{ME}fields/city/").status_code == 204
    assert _city_everywhere() == NONE_SEEN


@pytest.mark.django_db(transaction=True)
def test_a_visibility_change_is_in_the_very_next_response(shown, member_api):
    assert _city_everywhere() == ALL_SEEN
    response = member_api.patch(ME, {"location_visibility": "members"}, format="json")
    assert response.status_code == 200
    assert _city_everywhere() == NONE_SEEN
    member_api.patch(ME, {"location_visibility": "everyone"}, format="json")
    assert _city_everywhere() == ALL_SEEN


@pytest.mark.django_db(transaction=True)
def test_an_edit_is_in_the_very_next_response(shown, member_api):
    assert _city_everywhere() == ALL_SEEN
    assert member_api.patch(ME, {"city": "Narvik"}, format="json").status_code == 200
    reads = _anonymous_reads()
    assert "Narvik" in reads["page"] and "Narvik" in reads["api"]
    assert "Narvik" in _text(reads["profile"]) and "Narvik" in _text(reads["api_profile"])


@pytest.mark.django_db(transaction=True)
def test_leaving_the_directory_is_in_the_very_next_response(shown, member):
    before = _anonymous_reads()
    assert "rosa_sails" in before["page"] and "rosa_sails" in before["api"]
    profile_listing_set(member=member, actor=Actor(user=member), listed=False)
    after = _anonymous_reads()
    assert "rosa_sails" not in after["page"] and "rosa_sails" not in after["api"]
    assert after["profile"].status_code == 404 and after["api_profile"].status_code == 404
    assert "aaron_first" in after["page"]


@pytest.mark.django_db(transaction=True)
def test_a_deletion_request_hides_the_profile_from_the_very_next_response(shown, member, password):
    assert _city_everywhere() == ALL_SEEN
    data_request_create(member=member, actor=Actor(user=member), kind="deletion", password=password)
    after = _anonymous_reads()
    assert "rosa_sails" not in after["page"] and "rosa_sails" not in after["api"]
    assert after["profile"].status_code == 404 and after["api_profile"].status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_erased_member_is_gone_from_the_very_next_response(shown, member):
    assert _city_everywhere() == ALL_SEEN
    member_erase(member=member)
    after = _anonymous_reads()
    assert "rosa_sails" not in after["page"] and CITY not in after["api"]
    assert after["profile"].status_code == 404 and after["api_profile"].status_code == 404


@pytest.mark.django_db
def test_a_change_during_a_slow_request_is_never_stored_as_current(rf):
    """The generation is read before the query: rows read before a change, stored after
    it, are stored under the generation the change replaced, and never served again."""
    request = rf.get(API)

    def slow_read_across_a_change():
        public_cache.directory_changed()  # committed while the old rows are in hand
        return "old rows", True

    assert public_cache.public_read("t", request, slow_read_across_a_change) == "old rows"
    assert public_cache.public_read("t", request, lambda: ("new rows", True)) == "new rows"


@pytest.mark.django_db
def test_a_cache_outage_serves_uncached_pages(shown, settings):
    settings.CACHES = {
        **settings.CACHES,
        "public": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/5",  # nothing listens on the discard port
        },
    }
    reads = _anonymous_reads()
    assert reads["profile"].status_code == 200 and reads["api_profile"].status_code == 200
    assert _city_everywhere() == ALL_SEEN
    PublicProfile.objects.filter(pk=shown.pk).update(city="Oslo")
    assert _city_everywhere() == NONE_SEEN  # made afresh each time
    # A change made during the outage does not fail either.
    ProfileFactory(username="during_outage", listed_in_directory=True)
    profile_listing_set(member=shown.member, actor=Actor.system(), listed=False)
    assert "rosa_sails" not in _anonymous_reads()["page"]


@pytest.mark.django_db
def test_a_refused_query_is_answered_and_never_cached(shown):
    api = APIClient()
    assert api.get(API, {"cursor": "garbage"}).status_code == 400
    assert api.get(API, {"cursor": "garbage"}).status_code == 400
    page = APIClient().get(LIST, {"age_min": "200"})
    assert page.status_code == 400
    assert APIClient().get(LIST, {"age_min": "30"}).status_code == 200


CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _choose_cookies(client: Client, choice: str) -> None:
    """Answer the cookie banner from the page it is on, token and all, as a browser does."""
    page = client.get(LIST).content.decode()
    token = CSRF_VALUE.search(page).group(1)
    answer = client.post(
        reverse("privacy:consent"),
        {"choice": choice, "next": LIST, "csrfmiddlewaretoken": token},
        follow=True,
    )
    assert answer.status_code == 200  # not 403: the token on the page was this visitor's
    assert "Your cookie choice was saved." in answer.content.decode()


@pytest.mark.django_db
def test_a_kept_whole_page_carries_each_visitors_own_csrf_token(shown):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(LIST).content.decode()
    PublicProfile.objects.filter(pk=shown.pk).update(city="Oslo")  # bumps nothing
    second_page = second.get(LIST).content.decode()
    assert CITY in second_page  # the kept page
    tokens = CSRF_VALUE.findall(first_page) + CSRF_VALUE.findall(second_page)
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert "\x00" not in second_page
    _choose_cookies(second, "essential")
    _choose_cookies(first, "essential")


@pytest.mark.django_db
def test_a_visitor_whose_page_is_their_own_is_never_served_a_kept_one(shown):
    """A remembered search (interest consent) and a message are the visitor's own: their
    page is made for them, and never kept for anyone else."""
    keen = Client()
    _choose_cookies(keen, "interest")
    keen.get(LIST, {"gender": "female"})  # remembered
    offered = keen.get(LIST).content.decode()
    assert "Repeat your last search" in offered and "gender=female" in offered
    assert "Repeat your last search" not in Client().get(LIST).content.decode()

    Client().get(LIST)  # whole pages kept for visitors who have not chosen
    _choose_cookies(Client(), "essential")  # and for those who chose essential cookies
    assert "Repeat your last search" in keen.get(LIST).content.decode()  # made for them

    # A visitor with a message waiting (the cookie choice just saved) sees it.
    other = Client()
    page = other.get(LIST).content.decode()
    token = CSRF_VALUE.search(page).group(1)
    saved = other.post(
        reverse("privacy:consent"),
        {"choice": "essential", "next": LIST, "csrfmiddlewaretoken": token},
        follow=True,
    )
    assert "Your cookie choice was saved." in saved.content.decode()
    assert "Your cookie choice was saved." not in Client().get(LIST).content.decode()
