import re

import pytest
from django.urls import reverse

EXTERNAL = re.compile(r'(?:src|href|action)\s*=\s*["\'](?:https?:)?//', re.IGNORECASE)

# A <script> that is not an empty element loading a file of this site.
INLINE_SCRIPT = re.compile(r'<script(?! src="/static/[^"]+"></script>)[^>]*>')


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "accounts:signup", "accounts:login", "accounts:password_reset"]
)
def test_public_pages_load_nothing_from_another_site(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert not EXTERNAL.search(response.text), EXTERNAL.findall(response.text)
    # No inline script, so a strict CSP holds: only the site's own static script file.
    assert INLINE_SCRIPT.findall(response.text) == [], INLINE_SCRIPT.findall(response.text)
    assert 'name="viewport"' in response.text


@pytest.mark.django_db
def test_account_and_admin_pages_load_nothing_from_another_site(member_client, staff_client):
    assert not EXTERNAL.search(member_client.get(reverse("accounts:account")).text)
    admin = staff_client(superuser=True)
    assert not EXTERNAL.search(admin.get(reverse("admin:index")).text)


@pytest.mark.django_db
def test_api_docs_are_served_from_our_own_static_files(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert not EXTERNAL.search(response.text)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.text


@pytest.mark.django_db
def test_schema_describes_the_member_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me/account/", "/api/v1/me/settings/"} <= set(paths)


@pytest.mark.django_db
def test_unknown_page_is_a_plain_404(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text and "URLconf" not in response.text


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "inline"}


def test_published_schema_is_valid_and_raises_no_warning(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command(
        "spectacular", "--api-version", "v1", "--validate", "--fail-on-warn", "--file", str(target)
    )
    text = target.read_text()
    assert text.count("operationId:") >= 10
    assert "additionalProperties: false" in text  # request bodies refuse unknown fields
