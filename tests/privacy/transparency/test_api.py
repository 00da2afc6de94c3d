"""GET /api/v1/transparency/: the same figures as the page, for anyone, counts only, in
the schema, throttled for visitors like the directory."""

import json

import pytest
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from privacy.transparency.report import FIGURES
from tests.privacy.transparency.factories import IDENTIFYING, two_half_years
from tests.privacy.transparency.test_report import H1_2024, H2_2024

pytestmark = pytest.mark.django_db
URL = "/api/v1/transparency/"


@pytest.fixture
def seeded():
    two_half_years()


def _by_half_year(body):
    return {h["half_year"]: h for h in body["half_years"]}


def test_visitors_and_members_read_the_same_report(api_client, member_api, seeded):
    visitor = api_client.get(URL)
    member = member_api.get(URL)
    assert visitor.status_code == member.status_code == 200
    assert visitor.json() == member.json()
    assert reverse("v1:transparency") == URL


def test_exact_figures_per_half_year(api_client, seeded):
    body = api_client.get(URL).json()
    half_years = _by_half_year(body)
    h1, h2 = half_years["2024-H1"], half_years["2024-H2"]
    for figures, expected in ((h1, H1_2024), (h2, H2_2024)):
        assert {name: figures[name] for name in expected} == expected
    assert (h1["requests"], h1["share_with_data_disclosed"]) == (5, 50)
    assert (h2["requests"], h2["share_with_data_disclosed"]) == (3, 100)
    assert (h1["first_day"], h1["last_day"]) == ("2024-01-01", "2024-06-30")
    assert (h2["first_day"], h2["last_day"]) == ("2024-07-01", "2024-12-31")
    # Newest first, down to the first half-year with a request; empty ones say null.
    assert body["half_years"][-1]["half_year"] == "2024-H1"
    assert half_years["2025-H1"]["requests"] == 0
    assert half_years["2025-H1"]["share_with_data_disclosed"] is None
    assert body["published_through"] == body["half_years"][0]["last_day"]


def test_counts_only_nothing_identifying(api_client, seeded):
    body = api_client.get(URL).json()
    text = json.dumps(body).lower()
    for value in IDENTIFYING:
        assert value.lower() not in text, value
    figures = set(body["half_years"][0])
    assert figures == {
        "half_year",
        "first_day",
        "last_day",
        "requests",
        "requests_by_type",
        *H1_2024,
        "share_with_data_disclosed",
    }
    for half_year in body["half_years"]:
        for name, value in half_year.items():
            if name not in ("half_year", "first_day", "last_day", "requests_by_type"):
                assert value is None or isinstance(value, int), name


def test_it_is_in_the_openapi_schema_as_a_public_read(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    assert set(schema["paths"][URL]) == {"get"}
    assert {} in operation["security"]  # no credentials needed
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    output = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "half_years" in output["properties"]
    # Each figure is described in the page's words.
    half_year = schema["components"]["schemas"]["TransparencyHalfYear"]["properties"]
    for name in H1_2024:
        assert half_year[name]["description"] == FIGURES[name][1], name


def test_writing_is_refused(api_client, member_api):
    for client in (api_client, member_api):
        assert client.post(URL, {}, format="json").status_code == 405
        assert client.delete(URL).status_code == 405


def test_visitors_are_throttled_like_the_directory(api_client, monkeypatch):
    # On the class the view uses: DRF copied the configured rates at import.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert [api_client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert api_client.get("/api/v1/directory/").status_code == 429
    assert api_client.get(URL).json()["error"]["code"] == "throttled"
