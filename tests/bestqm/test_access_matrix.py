"""Every URL of the project, called as every kind of caller, answers as the access-control
matrix (tests/bestqm/access_matrix.py) says; a URL the matrix does not classify fails the
run, so none can ship unclassified.

Besides the status, each call is held to the rules that hold everywhere: a refused write
changes nothing; an object of the member's answers everyone else exactly as one that does
not exist; every API error has the one error shape; and nothing a visitor or another
member is sent names the member.
"""

import json

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from privacy.roles import Role
from tests.accounts.factories import StaffFactory, sign_in_verified
from tests.bestqm.access_matrix import (
    CALLERS,
    MATRIX,
    MEMBER,
    OTHER,
    STAFF,
    STAFF_ROLES,
    VISITOR,
    Check,
)
from tests.bestqm.access_world import MEMBER_PRIVATE_VALUES, World, build_world

pytestmark = pytest.mark.django_db

SIGN_IN_BACKEND = "accounts.backends.LoginNameOrEmailBackend"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Tables a request may change without changing anything of anyone's: the session it
# signs in or out with.
UNWATCHED = {"django_session"}


# --- the URL patterns -------------------------------------------------------------------------


def url_patterns() -> dict[str, str]:
    """Every pattern of the root URLconf, the admin's per-model ones included: key (the
    namespaced name, or the route when it has none) → route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                assert isinstance(pattern, URLPattern)
                route = prefix + str(pattern.pattern)
                key = f"{namespace}{pattern.name}" if pattern.name else route
                assert key not in found, f"two URL patterns are both called {key!r}"
                found[key] = route

    walk(get_resolver().url_patterns)
    return found


def test_every_url_pattern_is_in_the_matrix_and_nothing_else():
    patterns = url_patterns()
    unclassified = sorted(set(patterns) - set(MATRIX))
    gone = sorted(set(MATRIX) - set(patterns))

    assert not unclassified, (
        "URL patterns the access matrix does not classify (add them to "
        "tests/bestqm/access_matrix.py):\n"
        + "\n".join(f"  {k}  ({patterns[k]})" for k in unclassified)
    )
    assert not gone, "the access matrix names URL patterns that do not exist:\n  " + "\n  ".join(
        gone
    )


def test_the_matrix_never_lets_anyone_else_have_a_members_object():
    """Table sanity: no request about one of the member's objects is expected to succeed
    for another member or for a visitor."""
    granted = [
        f"{key} {check.method} → {caller}: {check.expect[caller]}"
        for key, checks in MATRIX.items()
        for check in checks
        if check.missing is not None
        for caller in (VISITOR, OTHER)
        if check.expect[caller].status < 300
    ]
    assert not granted


# --- calling them ---------------------------------------------------------------------------


class _Undo(Exception):
    pass


def _tables() -> dict[str, list]:
    """Every row of every table (plain SQL: this runs twice for each refused write)."""
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - UNWATCHED)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            rows[table] = cursor.fetchall()
    return rows


def _changed(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def _send(client, world: World, check: Check, path: str, token, *, watch: bool = False):
    """Make one request in a savepoint that is rolled back: returns the response and, when
    watching, the tables it changed."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)  # logging out must not sign the caller out for good
    cache.clear()  # throttling counts are not what this test is about
    is_api = path.startswith("/api/")
    headers = {"Authorization": f"Token {token}"} if is_api and token else {}
    data = check.data(world) if check.data else None
    changed: list[str] = []
    response = None
    try:
        with transaction.atomic():
            before = _tables() if watch else None
            if check.method == "GET":
                response = client.get(path, headers=headers)
            elif is_api:
                body = json.dumps(data) if data is not None else ""
                response = client.generic(
                    check.method, path, body, content_type="application/json", headers=headers
                )
            else:
                assert check.method == "POST", "pages are only ever posted to"
                response = client.post(path, data or {}, headers=headers)
            if before is not None:
                changed = _changed(before, _tables())
            raise _Undo
    except _Undo:
        pass
    finally:
        client.cookies = cookies
    return response, changed


def _body(response) -> str:
    # A file is read to the end, which closes it the test client's way: closing it
    # directly would close the database connection in the middle of the test.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _api_error_shape_problem(response) -> str | None:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return "is not the API's error shape"
    if not isinstance(error.get("code"), str) or not isinstance(error.get("message"), str):
        return "is not the API's error shape"
    return None


def _client_for(caller: str, world: World) -> tuple[Client, str | None]:
    client = Client()
    user = {MEMBER: world.member, OTHER: world.other_member}.get(caller) or world.staff.get(caller)
    if user is not None and caller in STAFF:
        sign_in_verified(client, user)
    elif user is not None:
        client.force_login(user, backend=SIGN_IN_BACKEND)
    return client, world.api_secrets.get(caller)


@pytest.fixture
def world(db):
    return build_world(STAFF_ROLES)


def _problems(caller: str, client, world: World, key: str, check: Check, token) -> list[str]:
    """What is wrong with the answer to one request of the matrix, in words."""
    path = check.path(key, world)
    where = f"{check.method} {path} ({key}{', ' + check.note if check.note else ''})"
    expected = check.expect[caller]
    watch = expected.refused and check.method in UNSAFE
    try:
        response, changed = _send(client, world, check, path, token, watch=watch)
    except Exception as exc:  # one broken view must not hide the others
        return [f"{where}: raised {type(exc).__name__}: {exc}"]
    problems = []
    got = f"{response.status_code} {response.get('Location', '')}".strip()
    if not expected.matches(response):
        problems.append(f"{where}: expected {expected}, got {got}")
    if changed:
        problems.append(f"{where}: refused ({got}) but changed {', '.join(changed)}")
    if path.startswith("/api/v1/") and response.status_code >= 400:
        problem = _api_error_shape_problem(response)
        if problem:
            problems.append(f"{where}: the {response.status_code} answer {problem}")
    body = _body(response)
    if caller in (VISITOR, OTHER):
        leaked = [v for v in MEMBER_PRIVATE_VALUES if v in body and v not in path]
        if leaked:
            problems.append(f"{where}: the answer names the member: {leaked}")
    if check.missing is not None and caller != MEMBER:
        ghost_path = check.path(key, world, kwargs=check.missing)
        ghost, _ = _send(client, world, check, ghost_path, token)
        _body(ghost)
        if ghost.status_code != response.status_code:
            problems.append(
                f"{where}: answers {response.status_code} for the member's object but "
                f"{ghost.status_code} for one that does not exist ({ghost_path})"
            )
    return problems


ENROL = "/admin/two-factor/enrol/"


@pytest.mark.parametrize("roles", [list(Role), []], ids=["superuser", "staff_without_roles"])
def test_staff_who_have_not_enrolled_a_second_factor_open_no_admin_page(roles, world):
    """The unenrolled row: a staff account signed in with its password alone (no
    two-factor device yet) gets no admin page at all; every admin URL sends it to the
    sign-in, which sends it on to enrolment, and a refused write changes nothing."""
    staff = StaffFactory(login_name="new.staff", is_superuser=bool(roles), roles=roles)
    client = Client()
    client.force_login(staff, backend=SIGN_IN_BACKEND)

    problems = []
    for key, checks in MATRIX.items():
        for check in checks:
            path = check.path(key, world)
            if not path.startswith("/admin/"):
                continue
            response, changed = _send(client, world, check, path, None, watch=True)
            _body(response)
            location = response.get("Location", "")
            # Django's own logout answers a caller the site refuses with its index, which
            # sends it to the sign-in like every other page.
            expected = {"/admin/login/": ENROL, ENROL: None, "/admin/logout/": "/admin/"}.get(
                path, "/admin/login/?next="
            )
            if expected is None:
                ok = response.status_code == 200 and "QR code" in response.text
            else:
                ok = response.status_code == 302 and location.startswith(expected)
            if not ok or (changed and path != ENROL):
                problems.append(
                    f"{check.method} {path}: {response.status_code} {location} {changed}"
                )

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("caller", CALLERS)
def test_every_url_answers_each_caller_as_the_matrix_says(caller, world):
    client, token = _client_for(caller, world)

    problems = [
        problem
        for key, checks in MATRIX.items()
        for check in checks
        for problem in _problems(caller, client, world, key, check, token)
    ]

    assert not problems, f"{len(problems)} answer(s) to {caller} differ from the matrix:\n" + (
        "\n".join(problems)
    )
