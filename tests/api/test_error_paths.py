"""Validation errors name each offending input by its dotted path, with plain messages."""

import pytest

pytestmark = pytest.mark.django_db

DATA_REQUESTS = "/api/v1/me/data-requests/"


def test_a_partial_correction_item_is_named_by_its_dotted_path(member_api, member):
    response = member_api.post(
        DATA_REQUESTS,
        {
            "kind": "correction",
            "corrections": [
                {
                    "model_label": "accounts.User",
                    "object_id": str(member.pk),
                    "field_name": "login_name",
                    "proposed_value": "rosa.fixed",
                },
                {"model_label": "accounts.User", "field_name": "login_name"},
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields == {
        "corrections.1.object_id": ["This field is required."],
        "corrections.1.proposed_value": ["This field is required."],
    }
    assert "ErrorDetail" not in response.text
    assert not member.data_requests.exists()


def test_a_top_level_field_keeps_its_plain_name(member_api):
    response = member_api.post(DATA_REQUESTS, {"kind": "nonsense"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["kind"]
