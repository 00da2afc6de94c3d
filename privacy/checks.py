"""System checks: nothing ships unclassified.

`manage.py check` (and so runserver, migrate and the test run) fails when a concrete field
of any installed app's model (Django's own and third-party apps' included: the admin's log,
sessions, axes, knox) is neither declared personal nor marked non-personal in the registry.
"""

import sys
from collections.abc import Iterable
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.db import models

from privacy.registry import OwnedBy, PrivacyRegistry, registry

_THIRD_PARTY_ROOTS = tuple(
    str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, *sys.path} if "-packages" in p
)


def is_project_app(app_config: AppConfig) -> bool:
    """An app whose code lives in this repository (not an installed package)."""
    path = str(Path(app_config.path).resolve())
    return path.startswith(str(settings.BASE_DIR)) and not path.startswith(_THIRD_PARTY_ROOTS)


def _declarable_fields(model: type[models.Model]) -> list[str]:
    opts = model._meta
    return [f.name for f in [*opts.concrete_fields, *opts.local_many_to_many]]


def registry_problems(
    model_classes: Iterable[type[models.Model]], reg: PrivacyRegistry = registry
) -> list[checks.CheckMessage]:
    problems = []
    for model in model_classes:
        if model._meta.proxy or model._meta.auto_created:
            continue
        label = model._meta.label
        declaration = reg.declaration(model)
        if declaration is None:
            problems.append(
                checks.Error(
                    f"{label} is not declared in the privacy registry.",
                    hint=f"Declare every field of {label} in its app's privacy.py "
                    "as PersonalField(...) or NonPersonal(reason).",
                    obj=model,
                    id="privacy.E001",
                )
            )
            continue
        actual = _declarable_fields(model)
        for name in actual:
            if name not in declaration.declared_names:
                problems.append(
                    checks.Error(
                        f"{label}.{name} is neither declared personal nor marked non-personal.",
                        hint="Add it to the model's declaration in privacy.py.",
                        obj=model,
                        id="privacy.E002",
                    )
                )
        for name in sorted(declaration.declared_names - set(actual)):
            problems.append(
                checks.Error(
                    f"{label}.{name} is declared in the privacy registry but is not a field.",
                    obj=model,
                    id="privacy.E003",
                )
            )
        for field in declaration.personal.values():
            if field.visibility_field and field.visibility_field not in actual:
                problems.append(
                    checks.Error(
                        f"{label}.{field.name}: visibility field "
                        f"'{field.visibility_field}' is not a field.",
                        obj=model,
                        id="privacy.E005",
                    )
                )
            if field.published_as and not callable(
                getattr(model, f"publish_{field.published_as}", None)
            ):
                problems.append(
                    checks.Error(
                        f"{label}.{field.name}: published as '{field.published_as}', but the "
                        f"model has no publish_{field.published_as}(value) to derive it.",
                        obj=model,
                        id="privacy.E006",
                    )
                )
        if declaration.owner and not isinstance(declaration.owner, OwnedBy):
            try:
                model._meta.get_field(declaration.owner.split("__")[0])
            except Exception:
                problems.append(
                    checks.Error(
                        f"{label}: owner path '{declaration.owner}' is not a field.",
                        obj=model,
                        id="privacy.E004",
                    )
                )
        correctable = [f.name for f in declaration.personal.values() if f.correctable]
        if correctable and declaration.corrected_by is None:
            problems.append(
                checks.Error(
                    f"{label}: {', '.join(correctable)} declared correctable, but the "
                    "declaration names no corrected_by service to write corrections.",
                    obj=model,
                    id="privacy.E007",
                )
            )
    return problems


@checks.register("privacy")
def check_every_field_is_declared(app_configs=None, **kwargs):
    configs = app_configs or apps.get_app_configs()
    models_to_check = [m for c in configs for m in c.get_models()]
    return registry_problems(models_to_check)
