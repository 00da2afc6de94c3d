import pytest
from django.urls import reverse

from accounts.models import PublicProfile
from privacy.audit.models import AuditEvent

MINE = reverse("profile:mine")


def profile_data(**overrides):
    data = {
        "username": "stargazer",
        "gender": "female",
        "gender_visibility": "everyone",
        "birth_date": "1990-04-17",
        "age_visibility": "members",
        "ethnic_background": "mixed",
        "ethnic_background_visibility": "only_me",
        "looking_for": "friendship",
        "lifestyle": "active",
        "lifestyle_text": "Weekend hikes and board games",
        "lifestyle_visibility": "everyone",
        "country": "US",
        "region": "California",
        "city": "Oakland",
        "location_visibility": "members",
        "listed_in_directory": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_member_creates_a_public_profile_and_sees_both_previews(member_client, member):
    response = member_client.post(MINE, profile_data(), follow=True)

    assert "Your public profile was saved." in response.text
    profile = PublicProfile.objects.get(member=member)
    assert profile.username == "stargazer"
    visitor, as_member = response.context["as_visitor"], response.context["as_member"]
    assert set(visitor) == {"username", "gender", "looking_for", "lifestyle", "lifestyle_text"}
    assert set(as_member) == set(visitor) | {"age", "country", "region", "city"}
    assert "ethnic_background" not in as_member  # only me
    assert "1990-04-17" not in response.content.decode().split('id="edit-heading"')[0]
    event = AuditEvent.objects.get(event_type=AuditEvent.EventType.PROFILE_CREATED)
    assert event.category == "public"
    assert "username" in event.fields and "Oakland" not in repr(event.fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": ""}, "username", "Choose a username"),
        ({"username": "rosa.member"}, "username", "Enter a valid username"),
        ({"username": "Rosa_Member"}, "username", "contains your login name"),
        ({"username": "x y!"}, "username", "Enter a valid username"),
        ({"username": "Quintero-Vale"}, "username", "contains your last name"),
        ({"city": "Rosalind"}, "city", "contains your first name"),
        ({"city": "90210"}, "city", "Enter a place name only"),
        ({"region": "12 Main Street"}, "region", "Enter a place name only"),
        (
            {"lifestyle_text": "mail me at someone@example.com"},
            "lifestyle_text",
            "contains an e-mail address",
        ),
        (
            {"lifestyle_text": "rosa.private@example.org is me"},
            "lifestyle_text",
            "contains your e-mail address",
        ),
        (
            {"lifestyle_text": "call (415) 555-0132 anytime"},
            "lifestyle_text",
            "contains a phone number",
        ),
        (
            {"lifestyle_text": "text me 202 555 0143"},
            "lifestyle_text",
            "contains your phone number",
        ),
        ({"lifestyle_text": "I live in 90210"}, "lifestyle_text", "contains your ZIP code"),
        ({"birth_date": "2015-01-01"}, "birth_date", "between 18 and 120"),
        ({"gender": "robot"}, "gender", "Select a valid choice"),
        ({"gender_visibility": "the_world"}, "gender_visibility", "Select a valid choice"),
    ],
)
def test_profile_that_would_identify_the_member_is_refused(
    member_client, member, overrides, field, message
):
    response = member_client.post(MINE, profile_data(**overrides))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert not PublicProfile.objects.filter(member=member).exists()
    assert not AuditEvent.objects.filter(event_type__startswith="profile.").exists()


@pytest.mark.django_db
def test_username_must_be_unique_ignoring_case(member_client, other_member):
    from tests.accounts.factories import ProfileFactory

    ProfileFactory(member=other_member, username="StarGazer")
    response = member_client.post(MINE, profile_data())
    assert "This username is taken." in response.text


@pytest.mark.django_db
def test_a_name_inside_a_longer_word_is_refused_but_the_screen_name_is_not_checked(
    member_client, member
):
    """'Rosa' is the screen name, not a reason to refuse 'Santa Rosa'; the first name
    'Rosalind' inside 'Rosalindale' is caught, as 'AliciaQ' is for Alicia (issue 17)."""
    assert member_client.post(MINE, profile_data(city="Santa Rosa")).status_code == 302
    response = member_client.post(MINE, profile_data(region="Rosalindale"))
    assert response.status_code == 400
    assert "contains your first name" in response.context["form"].errors["region"][0]


@pytest.mark.django_db
def test_editing_records_only_the_changed_fields(member_client, member):
    member_client.post(MINE, profile_data())
    member_client.post(MINE, profile_data(city="Berkeley", gender_visibility="only_me"))

    profile = PublicProfile.objects.get(member=member)
    assert (profile.city, profile.gender_visibility) == ("Berkeley", "only_me")
    event = AuditEvent.objects.get(event_type=AuditEvent.EventType.PROFILE_UPDATED)
    assert event.fields == ["city", "gender_visibility"]


@pytest.mark.django_db
def test_remove_button_clears_one_field_at_once_everywhere(member_client, member, client):
    member_client.post(MINE, profile_data(location_visibility="everyone"))
    detail = reverse("directory:detail", args=["stargazer"])
    assert "Oakland" in client.get(detail).text

    response = member_client.post(reverse("profile:remove_field", args=["city"]), follow=True)

    assert "It no longer appears anywhere." in response.text
    assert PublicProfile.objects.get(member=member).city == ""
    assert "Oakland" not in client.get(detail).text
    assert "Oakland" not in client.get("/api/v1/directory/stargazer/").content.decode()
    assert "Oakland" not in client.get(reverse("directory:list")).text
    assert AuditEvent.objects.get(event_type=AuditEvent.EventType.PROFILE_FIELD_REMOVED).fields == [
        "city"
    ]


@pytest.mark.django_db
def test_removing_the_age_forgets_the_birth_date(member_client, member):
    member_client.post(MINE, profile_data())
    member_client.post(reverse("profile:remove_field", args=["age"]))
    assert PublicProfile.objects.get(member=member).birth_date is None


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["username", "birth_date", "member", "nonsense"])
def test_only_optional_public_fields_have_a_remove_button(member_client, member, field):
    member_client.post(MINE, profile_data())
    response = member_client.post(reverse("profile:remove_field", args=[field]))
    assert response.status_code == 404
    assert PublicProfile.objects.get(member=member).username == "stargazer"


@pytest.mark.django_db
def test_remove_whole_profile_after_confirmation(member_client, member, client):
    member_client.post(MINE, profile_data(gender_visibility="everyone"))

    confirm = member_client.get(reverse("profile:remove"))
    assert "Remove my public profile?" in confirm.text
    assert PublicProfile.objects.filter(member=member).exists()  # GET changes nothing

    member_client.post(reverse("profile:remove"))

    assert not PublicProfile.objects.filter(member=member).exists()
    assert client.get(reverse("directory:detail", args=["stargazer"])).status_code == 404
    assert client.get("/api/v1/directory/stargazer/").status_code == 404
    assert "stargazer" not in client.get(reverse("directory:list")).text
    assert AuditEvent.objects.filter(event_type=AuditEvent.EventType.PROFILE_REMOVED).exists()
    member.refresh_from_db()  # the private account stays


@pytest.mark.django_db
def test_profile_pages_need_sign_in(client):
    assert client.get(MINE).status_code == 302
    assert client.post(reverse("profile:remove")).status_code == 302


@pytest.mark.django_db
def test_each_visibility_select_is_labelled_with_the_field_it_governs(member_client):
    """Every "who sees" select has its own label naming its field, inside a fieldset
    whose legend names the fields it governs: a screen reader can tell them apart."""
    import re

    html = member_client.get(MINE).text
    groups = {
        "Gender": (["gender"], "gender_visibility"),
        "Age": (["birth_date"], "age_visibility"),
        "Ethnic background": (["ethnic_background"], "ethnic_background_visibility"),
        "Preferences and lifestyle": (
            ["looking_for", "lifestyle", "lifestyle_text"],
            "lifestyle_visibility",
        ),
        "General location": (["country", "region", "city"], "location_visibility"),
    }
    fieldsets = re.findall(r"<fieldset[^>]*>(.*?)</fieldset>", html, re.S)
    legends = {re.search(r"<legend>(.*?)</legend>", f).group(1): f for f in fieldsets}
    assert set(legends) == set(groups)
    for legend, (fields, visibility) in groups.items():
        body = legends[legend]
        for name in [*fields, visibility]:
            assert f'id="id_{name}"' in body, (legend, name)
        label = re.search(rf'<label for="id_{visibility}">(.*?)</label>', body).group(1)
        assert label.rstrip(":") == f"Who sees your {legend.lower()}"
    assert "Who sees it" not in html
