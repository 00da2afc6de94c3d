"""Property-based fuzzing of the whole API against its own OpenAPI schema (Schemathesis).

The schema is the one the service serves at /api/schema/, fetched in-process. Every operation in it is fuzzed as a visitor (no credentials) and as a member who
has a token and a full public profile; the operations on /api/v1/me/profile/ are fuzzed
once more as a member who has no profile yet, so that creating one is reached too. Each
example runs inside a savepoint that is rolled back afterwards: one example's writes (a
DELETE of the profile, say) never change what the next one sees. Besides random data the
examples draw on dictionaries: strings that break careless servers, and the usernames,
removable fields and orderings that exist, so that path parameters name real things.

Every check Schemathesis has runs (`--checks all`), so a failure is:
- a server error (5xx);
- an answer that does not match the schema: status (every operation documents its error
  answers: bestqm.api.schema), body, content type, headers;
- an error (4xx) not in the API's one error shape (bestqm.api.errors), or a 401 without
  WWW-Authenticate;
- a request the schema calls invalid that is accepted (negative_data_rejection: a wrong
  JSON type, `page_size=null`, an unknown field), or one missing a required header;
- an operation that declares authentication answering without it (ignored_auth), an
  undeclared method answered otherwise than 405 (unsupported_method), or `Allow` naming
  methods the schema does not have (allow_header_conformance);
- a deleted resource still served, or a created one not found (use_after_free,
  ensure_resource_availability).

One check is left out, and why: positive_data_acceptance wants every request the schema
allows to succeed. The server has rules JSON Schema cannot state (a cursor must be one the
server issued, a serial one of the member's licences, a screen name must not contain the
member's name, an age 18 to 120 on the day), and it answers those with the documented 400
and the field's message; a random string that fits the schema's "string" cannot pass
them.

Notes for maintainers:
- `schemathesis.pytest.from_fixture` fails under pytest >= 9.2 (it reads
  `Function._nodeid`, which pytest removed), so the schema is loaded when the module is
  imported, as in Schemathesis' own pytest guide. Loading it touches no database.
- Django's WSGI handler closes "old" database connections when a request starts and ends,
  which would close the test's transaction; django.test.Client disconnects
  `close_old_connections` for that reason, and so does `_in_process_app`.
- DRF copies the throttle rates into `SimpleRateThrottle.THROTTLE_RATES` when
  rest_framework.throttling is first imported, so overriding REST_FRAMEWORK in settings
  lifts them (anon: 60/minute) only if nothing imported it earlier in the run, which in a
  whole-suite run something has; `_in_process_app` patches the class attribute instead
  (rate None: no throttling).
- BESTQM_FUZZ_EXAMPLES=500 runs a deeper search locally; CI keeps the default.
"""

import copy
import json
import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from accounts.directory.apis import DirectoryListApi
from accounts.profile import services
from privacy.audit.services import Actor
from tests.accounts.factories import UserFactory

SCHEMA_URL = "/api/schema/"
HOST = "localhost"  # what Schemathesis' WSGI client sends
OWN_PROFILE = r"^/api/v1/me/profile/"
MAX_EXAMPLES = int(os.environ.get("BESTQM_FUZZ_EXAMPLES", "25"))

# Strings that have broken web applications: NUL (PostgreSQL refuses it in text), SQL and
# path syntax, percent-escapes, a non-BMP character, a right-to-left override, characters
# whose case mapping changes their length, the replacement character, digits that are not
# ASCII (Python's \d takes them, the schema's does not), long text.
HOSTILE_STRINGS = [
    "\x00",
    "a\x00b",
    "' OR '1'='1",
    "%",
    "%00",
    "%2F",
    "../",
    "\\",
    "😀",
    "\u202etxt.exe",
    "ß",
    "İ",
    "\ufffd",
    "١٢٣٤٥",
    " ",
    "x" * 1000,
]


# Usernames the `directory` and `identity` fixtures create (listed, unlisted, deactivated,
# the member's own), in other cases too, as lookups ignore case: without them a path
# parameter would only ever name nobody, and every answer would be a 404.
USERNAMES = [
    "sky_lark",
    "SKY_LARK",
    "Night-Owl_7",
    "night-owl_7",
    "quiet_one",
    "not_listed",
    "gone_away",
    "rosa_q",
]
# The fields a member may remove one at a time (DELETE .../fields/{field}/).
REMOVABLE_FIELDS = sorted(services.removable_profile_fields())
# The orderings the directory offers (the schema only says "string").
ORDERINGS = [f"{sign}{name}" for name in DirectoryListApi.ordering_fields for sign in ("", "-")]


def _config(coverage_mode: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # Credentials are real (the identity fixtures), never generated.
                "with-security-parameters": False,
                # Now and then a string a careless server chokes on, instead of a random one.
                "dictionaries": {"string": {"dictionary": "hostile", "probability": 0.2}},
            },
            "dictionaries": {
                "hostile": {"values": HOSTILE_STRINGS},
                "usernames": {"values": USERNAMES},
                "fields": {"values": REMOVABLE_FIELDS},
                "orderings": {"values": ORDERINGS},
            },
            "parameters": {
                "path.username": {"dictionary": "usernames", "probability": 0.5},
                "body.username": {"dictionary": "usernames", "probability": 0.2},
                "path.field": {"dictionary": "fields", "probability": 0.5},
                "query.ordering": {"dictionary": "orderings", "probability": 0.5},
            },
            "phases": {"coverage": {"generation": {"mode": coverage_mode}}},
        }
    )


def _served_schema() -> dict:
    """The schema exactly as /api/schema/ serves it (request bodies there already say
    that unknown fields are refused: bestqm.api.schema)."""
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        response = Client().get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200, response
    served = json.loads(response.content)
    bodies = [
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        for ops in served["paths"].values()
        for op in ops.values()
        if "requestBody" in op
    ]
    assert bodies and all(
        served["components"]["schemas"][name].get("additionalProperties") is False
        for name in bodies
    ), "the served schema must say that request bodies refuse unknown fields"
    return served


def _load(served: dict, config: schemathesis.Config):
    loaded = schemathesis.openapi.from_dict(copy.deepcopy(served), config=config)
    loaded.app = WSGI_APP
    return loaded


WSGI_APP = WSGIHandler()
SERVED_SCHEMA = _served_schema()
# The coverage phase's valid half sends every documented value in turn: each of ~600 time
# zones, ~250 countries. For all operations that would take most of the run, so there the
# phase only sends wrong values and boundaries (the fuzzing phase draws valid ones). The
# newcomer's operations get the whole phase: its valid objects create a profile, which
# random data seldom manages.
schema = _load(SERVED_SCHEMA, _config(coverage_mode="negative"))
own_profile_schema = _load(SERVED_SCHEMA, _config(coverage_mode="all")).include(
    path_regex=OWN_PROFILE
)


# --- Checks ---------------------------------------------------------------------------


def error_shape(ctx, response, case):
    """Every 4xx answers the one error shape of bestqm.api.errors."""
    if not 400 <= response.status_code < 500 or response.request.method == "HEAD":
        return None
    request = f"{response.request.method} {response.request.url}"
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), (
        f"{response.status_code} for {request} is {content_type!r}, not the error shape"
    )
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error, dict) and {"code", "message"} <= set(error), error
    assert set(error) <= {"code", "message", "fields"}, error
    assert isinstance(error["code"], str) and error["code"], error
    assert isinstance(error["message"], str) and error["message"], error
    if "fields" in error:
        assert isinstance(error["fields"], dict) and error["fields"], error
        for messages in error["fields"].values():
            assert isinstance(messages, list) and messages, error
            assert all(isinstance(m, str) and m for m in messages), error
    if response.status_code == 401:
        assert "www-authenticate" in response.headers, f"401 for {request} lacks WWW-Authenticate"
    return None


def once_per_operation(check):
    """`check` on an operation's first 2xx answer only: ignored_auth sends two more requests
    for every answer, and an operation either enforces authentication or it does not."""
    done = set()

    def run(ctx, response, case):
        if not 200 <= response.status_code < 300 or case.operation.label in done:
            return None
        result = check(ctx, response, case)
        done.add(case.operation.label)  # only once it passed, so that shrinking sees it fail again
        return result

    run.__name__ = check.__name__
    return run


@pytest.fixture
def checks():
    return [
        not_a_server_error,
        status_code_conformance,
        response_schema_conformance,
        content_type_conformance,
        response_headers_conformance,
        negative_data_rejection,
        missing_required_header,
        unsupported_method,
        allow_header_conformance,
        use_after_free,
        ensure_resource_availability,
        error_shape,
        once_per_operation(ignored_auth),
    ]


# --- State ----------------------------------------------------------------------------


@pytest.fixture
def _in_process_app(settings, monkeypatch):
    """Let Schemathesis' WSGI calls run inside the test's transaction, unthrottled."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _profile(member, **data):
    return services.profile_save(member=member, actor=Actor.system(), data=data)


def _someone(**kwargs):
    # Fixed names: a random first name such as "Dawn" would trip the identity guard.
    return UserFactory(first_name="Pat", last_name="Doe", **kwargs)


@pytest.fixture
def directory(db):
    """Listed members showing every kind of public field to every kind of viewer, and
    profiles the directory must not show (unlisted, deactivated)."""
    _profile(
        _someone(),
        username="sky_lark",
        gender="female",
        gender_visibility="everyone",
        birth_date="1990-02-03",
        age_visibility="everyone",
        ethnic_background="mixed",
        ethnic_background_visibility="everyone",
        looking_for="friendship",
        lifestyle="active",
        lifestyle_text="Hiking at dawn, coffee after.",
        lifestyle_visibility="everyone",
        country="FR",
        region="Île-de-France",
        city="Évry",
        location_visibility="everyone",
    )
    _profile(
        _someone(),
        username="Night-Owl_7",
        gender="non_binary",
        birth_date="1970-12-31",
        lifestyle="night_owl",
        lifestyle_text="Jazz and long walks.",
        country="US",
        region="Colorado",
        city="Denver",
    )
    _profile(
        _someone(),
        username="quiet_one",
        gender="other",
        gender_visibility="only_me",
        birth_date="2001-06-15",
        age_visibility="only_me",
        location_visibility="only_me",
        country="JP",
    )
    _profile(_someone(), username="not_listed", listed_in_directory=False)
    _profile(_someone(is_active=False), username="gone_away")


def _rosa_with_token(**profile):
    rosa = UserFactory(
        login_name="rosa.member",
        first_name="Rosalind",
        last_name="Quintero-Vale",
        zip_code="90210",
        phone="+12025550143",
    )
    if profile:
        _profile(rosa, **profile)
    _, secret = AuthToken.objects.create(user=rosa)
    return {"Authorization": f"Token {secret}"}


@pytest.fixture(params=["visitor", "member"])
def identity(request, directory, _in_process_app):
    """The headers the examples are sent with: a visitor's (no credentials), or those of a
    member with a token and a full public profile."""
    if request.param == "visitor":
        return {}
    return _rosa_with_token(
        username="rosa_q",
        gender="female",
        birth_date="1985-04-01",
        age_visibility="everyone",
        ethnic_background="hispanic",
        ethnic_background_visibility="only_me",
        looking_for="chat",
        lifestyle="creative",
        lifestyle_text="Painting.",
        country="MX",
        region="Querétaro",
        city="Ébano",
        location_visibility="members",
    )


# One parameter: under pytest >= 9.2 a Schemathesis item is named after its operation only
# when it has parameters of its own.
@pytest.fixture(params=["newcomer"])
def newcomer(directory, _in_process_app):
    """The headers of a member with a token and no public profile yet."""
    return _rosa_with_token()


def _exchange(case, headers, checks):
    """Send one example, check the answer, then undo whatever it changed."""
    cache.clear()
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=checks)
        transaction.set_rollback(True)


# --- The tests ------------------------------------------------------------------------

FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # The fixtures last the whole test on purpose: every example is rolled back.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_conforms_to_its_schema(case, identity, checks):
    _exchange(case, identity, checks)


@own_profile_schema.parametrize()
@FUZZ_SETTINGS
def test_own_profile_api_conforms_before_there_is_a_profile(case, newcomer, checks):
    _exchange(case, newcomer, checks)
