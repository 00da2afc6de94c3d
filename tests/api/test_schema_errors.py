"""The OpenAPI schema documents, for every operation, the error answers it can give, each
with the one error schema; and the errors the API really gives match it."""

import json

import jsonschema
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_its_error_answers_with_the_one_error_schema(schema):
    ref = {"$ref": "#/components/schemas/Error"}
    missing = []
    for path, method, operation in _operations(schema):
        expected = {"401", "429"}
        if "requestBody" in operation:
            expected |= {"400", "413"}
        if "{" in path:
            expected.add("404")
        for status in expected:
            answer = operation["responses"].get(status)
            if answer is None or answer["content"]["application/json"]["schema"] != ref:
                missing.append(f"{method.upper()} {path} {status}")
    assert not missing


def test_real_error_answers_match_the_documented_error_schema(schema, member_api, api_client):
    error = schema["components"]["schemas"]["Error"]
    answers = [
        member_api.post("/api/v1/me/data-requests/", {"kind": "nope"}, format="json"),
        member_api.post(
            "/api/v1/me/data-requests/",
            {"kind": "correction", "corrections": [{"field_name": "x"}]},
            format="json",
        ),
        api_client.get("/api/v1/me/account/"),
        member_api.get("/api/v1/directory/nobody_at_all/"),
    ]
    for answer in answers:
        assert answer.status_code >= 400
        jsonschema.validate(answer.json(), error)
