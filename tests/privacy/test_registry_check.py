import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from accounts.models import User
from privacy.checks import check_every_field_is_declared, registry_problems
from privacy.registry import (
    Category,
    NonPersonal,
    PersonalField,
    PrivacyRegistry,
    registry,
)
from privacy.roles import Role


def test_every_project_model_is_declared():
    assert check_every_field_is_declared() == []
    call_command("check")  # raises SystemCheckError on any error


def test_manage_py_check_fails_for_a_model_without_a_declaration():
    """The real command, in a fresh process, with an app whose model was never declared."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.privacy.undeclared_settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "privacy.E001" in result.stderr
    assert "undeclared_app.PetRecord is not declared in the privacy registry" in result.stderr


def test_check_fails_when_one_field_loses_its_declaration(monkeypatch):
    declaration = registry.declaration(User)
    personal = dict(declaration.personal)
    del personal["zip_code"]
    trimmed = type(declaration)(
        declaration.model, declaration.owner, personal, declaration.non_personal
    )
    monkeypatch.setitem(registry._declarations, User, trimmed)

    with pytest.raises(SystemCheckError, match=r"accounts.User.zip_code is neither declared"):
        call_command("check")


@isolate_apps("tests.privacy")
def test_problems_name_undeclared_and_phantom_fields():
    class Visit(models.Model):
        browser = models.CharField(max_length=20)
        ip = models.GenericIPAddressField()

        class Meta:
            app_label = "privacy_tests"

    reg = PrivacyRegistry()
    assert [p.id for p in registry_problems([Visit], reg)] == ["privacy.E001"]

    reg.declare(
        Visit,
        owner=None,
        fields={
            "id": NonPersonal("key"),
            "browser": PersonalField(Category.AGGREGATE, purpose="trends"),
            "camera": PersonalField(Category.SYSTEM, purpose="not a field"),
        },
    )
    problems = {(p.id, p.msg) for p in registry_problems([Visit], reg)}
    assert problems == {
        (
            "privacy.E002",
            "privacy_tests.Visit.ip is neither declared personal nor marked non-personal.",
        ),
        (
            "privacy.E003",
            "privacy_tests.Visit.camera is declared in the privacy registry but is not a field.",
        ),
    }


@isolate_apps("tests.privacy")
def test_visibility_and_published_names_must_exist():
    class Card(models.Model):
        nickname = models.CharField(max_length=20)

        class Meta:
            app_label = "privacy_tests"

    reg = PrivacyRegistry()
    reg.declare(
        Card,
        owner=None,
        fields={
            "id": NonPersonal("key"),
            "nickname": PersonalField(
                Category.PUBLIC,
                purpose="x",
                visibility_field="nickname_visibility",
                published_as="shown_name",
            ),
        },
    )
    assert {p.id for p in registry_problems([Card], reg)} == {"privacy.E005", "privacy.E006"}


def test_declaring_a_model_twice_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        registry.declare(User, owner="", fields={})


def test_third_party_apps_are_not_the_projects_to_declare():
    from privacy.checks import is_project_app

    assert is_project_app(apps.get_app_config("accounts"))
    assert not is_project_app(apps.get_app_config("axes"))
    assert not is_project_app(apps.get_app_config("auth"))


def test_staff_visibility_follows_category_and_field():
    support = set(registry.staff_visible_fields(User, [Role.SUPPORT_AGENT]))
    billing = set(registry.staff_visible_fields(User, [Role.BILLING_AGENT]))
    officer = set(registry.staff_visible_fields(User, [Role.PRIVACY_OFFICER]))

    assert {"email", "phone", "first_name"} <= support
    assert "zip_code" not in support and "settings" not in support
    assert "zip_code" in billing and "login_name" not in billing
    assert officer == {f.name for f in registry.personal_fields(User)}
    assert registry.staff_visible_fields(User, [Role.LEGAL_OFFICER]) == []


def test_password_is_never_disclosable_nor_shown_to_the_member():
    password = next(f for f in registry.personal_fields(User) if f.name == "password")
    assert password.legal_processes == frozenset()
    assert "password" not in registry.member_fields(User, topic="", editable=False)
