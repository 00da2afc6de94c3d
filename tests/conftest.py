import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client
from rest_framework.test import APIClient

from tests.accounts.factories import PASSWORD, StaffFactory, UserFactory, sign_in_verified


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Throttle counters and cached pages must not leak from one test into the next."""
    for alias in django_settings.CACHES:
        caches[alias].clear()
    yield
    for alias in django_settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path, monkeypatch):
    """Member exports and legal files are written under a throw-away directory, never the
    checkout."""
    from django.core.files.storage import storages

    from privacy.legal.models import LegalDocument

    settings.STORAGES = {
        **settings.STORAGES,
        **{
            name: {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path / name, "base_url": None},
            }
            for name in ("exports", "legal")
        },
    }
    # A FileField resolves its storage once, at import; point it at the throw-away one.
    monkeypatch.setattr(LegalDocument._meta.get_field("file"), "storage", storages["legal"])


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def member(db):
    return UserFactory(
        login_name="rosa.member",
        email="rosa.private@example.org",
        first_name="Rosalind",
        last_name="Quintero-Vale",
        zip_code="90210",
        phone="+12025550143",
        screen_name="Rosa",
    )


@pytest.fixture
def other_member(db):
    return UserFactory(login_name="otto.other", email="otto@example.org")


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member, backend="accounts.backends.LoginNameOrEmailBackend")
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def member_api(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


@pytest.fixture
def staff_client(db):
    """A signed-in staff client holding the given roles: staff_client(Role.X, ...), signed in
    with a second factor as the admin requires."""

    def make(*roles, superuser=False):
        staff = StaffFactory(roles=roles, is_superuser=superuser)
        client = sign_in_verified(Client(), staff)
        client.staff = staff
        return client

    return make


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test runner empties tables with TRUNCATE between transactional and live-server
    tests; on PostgreSQL the audit log refuses TRUNCATE unless the connection allows it
    (privacy migration 0011), and only the test runner's connections do."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = (
            f"{options.get('options', '')} -c bestqm.audit_truncate=allowed".strip()
        )


@pytest.fixture(autouse=True, scope="session")
def _the_database_ci_asked_for(django_db_setup, django_db_blocker):
    """CI names the database each run must use; a run that silently fell back to another
    one (a typo in DATABASE_URL, say) fails here instead of passing on the wrong engine."""
    import os

    from django.db import connection

    expected = os.environ.get("BESTQM_EXPECT_DATABASE")
    if expected:
        assert connection.vendor == expected, (
            f"this run was meant for {expected} but is on {connection.vendor}"
        )
