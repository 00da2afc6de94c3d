import pytest
from rest_framework.test import APIClient

from accounts.models import PublicProfile
from privacy.audit.models import AuditEvent

ME = "/api/v1/me/profile/"


@pytest.mark.django_db
def test_member_creates_reads_and_changes_own_profile(member_api, member):
    assert member_api.get(ME).status_code == 404

    created = member_api.patch(
        ME,
        {"username": "sky_lark", "city": "Denver", "location_visibility": "everyone"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["username"] == "sky_lark"

    changed = member_api.patch(
        ME, {"birth_date": "1995-06-01", "age_visibility": "everyone"}, format="json"
    )
    assert changed.status_code == 200
    body = member_api.get(ME).json()
    assert body["birth_date"] == "1995-06-01"  # the owner sees their own date
    assert body["age"] >= 31
    public = APIClient().get("/api/v1/directory/sky_lark/").json()
    assert public["age"] == body["age"] and "birth_date" not in public


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"username": "rosa.member"}, "username", "Enter a valid username"),
        ({"username": "rosamember", "city": "Quintero-Vale"}, "city", "contains your last name"),
        (
            {"username": "sky", "lifestyle_text": "ping me: a@b.example"},
            "lifestyle_text",
            "contains an e-mail address",
        ),
        ({"username": "sky", "favourite": 1}, "favourite", "Unknown field."),
        ({"username": "sky", "member": 5}, "member", "Unknown field."),
        ({"username": "sky", "gender": "robot"}, "gender", "is not a valid choice"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_is_saved(
    member_api, member, payload, field, message
):
    response = member_api.patch(ME, payload, format="json")

    assert response.status_code == 400
    messages = response.json()["error"]["fields"][field]
    assert any(message in m for m in messages), messages
    assert not PublicProfile.objects.exists()


@pytest.mark.django_db
def test_remove_one_field_then_the_whole_profile(member_api, member):
    member_api.patch(
        ME,
        {"username": "sky_lark", "gender": "male", "gender_visibility": "everyone"},
        format="json",
    )

    assert member_api.delete(f"{ME}fields/gender/").status_code == 204
    assert "gender" not in APIClient().get("/api/v1/directory/sky_lark/").json()
    assert member_api.delete(f"{ME}fields/username/").status_code == 404
    assert member_api.delete(f"{ME}fields/nope/").status_code == 404

    assert member_api.delete(ME).status_code == 204
    assert APIClient().get("/api/v1/directory/sky_lark/").status_code == 404
    assert member_api.delete(ME).status_code == 404
    kinds = list(
        AuditEvent.objects.filter(event_type__startswith="profile.").values_list(
            "event_type", flat=True
        )
    )
    assert sorted(kinds) == ["profile.created", "profile.field_removed", "profile.removed"]


@pytest.mark.django_db
def test_profile_endpoints_need_a_member(api_client):
    for method in ("get", "patch", "delete"):
        response = getattr(api_client, method)(ME)
        assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("city", ["Évry", "Łódź", "東京", "Île-de-France"])
def test_place_names_in_any_script_are_accepted_and_served(member_api, city):
    response = member_api.patch(ME, {"username": "globe_trotter", "city": city}, format="json")
    assert response.status_code == 201
    assert member_api.get(ME).json()["city"] == city


@pytest.mark.django_db
def test_zip_code_takes_ascii_digits_only(member_api, member):
    response = member_api.patch("/api/v1/me/account/", {"zip_code": "١٢٣٤٥"}, format="json")
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.zip_code == "90210"
