"""Redis away (restarting): what needs the cache answers 503 with Retry-After, as a
database outage does, never a 500."""

import pytest
from rest_framework.test import APIClient

UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


@pytest.fixture
def redis_away(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }


@pytest.mark.django_db
def test_the_api_answers_503_to_try_again_while_redis_is_away(redis_away):
    # As a browser sees it: the exception is answered by the error handler, not raised.
    response = APIClient(raise_request_exception=False).get("/api/v1/directory/")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["error"]["code"] == "service_unavailable"
