"""Staff roles. Each is a Django group (named by the label) created by a migration."""

from django.db import models


class Role(models.TextChoices):
    SUPPORT_AGENT = "support_agent", "Support agent"
    BILLING_AGENT = "billing_agent", "Billing agent"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    LEGAL_OFFICER = "legal_officer", "Legal officer"
    LEGAL_APPROVER = "legal_approver", "Legal approver"


_ROLE_BY_GROUP_NAME = {role.label: role for role in Role}


def roles_of(user) -> frozenset[Role]:
    """The staff roles a user holds. A superuser holds them all; a non-staff user none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return frozenset()
    if user.is_superuser:
        return frozenset(Role)
    cached = getattr(user, "_privacy_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(_ROLE_BY_GROUP_NAME[n] for n in names if n in _ROLE_BY_GROUP_NAME)
        user._privacy_roles = cached
    return cached


# Admin permissions of each role, declared by the app that owns the models (in its
# privacy.py) with `grant`. They are applied after every migrate and every test-database
# flush, so a role is never left without what it needs.
_GRANTS: dict[Role, set[str]] = {role: set() for role in Role}


def grant(role: Role, *permissions: str) -> None:
    """Give a role admin permissions, named "app_label.codename"."""
    _GRANTS[role].update(permissions)


def role_groups_sync(sender=None, using="default", **kwargs) -> None:
    """Create the role groups and add their declared permissions (only adds: a permission
    an administrator granted by hand is theirs to remove). Runs once per migrate or flush,
    after the last app's post_migrate, making sure every app's permissions exist first
    (this receiver is connected before auth's own, being the first app)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    configs = list(apps.get_app_configs())
    # Django sends post_migrate only for apps with a models module (not the demo app).
    with_models = [config for config in configs if config.models_module is not None]
    if sender is not None and sender is not with_models[-1]:
        return
    for config in configs:
        create_permissions(config, verbosity=0, using=using)
    for role, permissions in _GRANTS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        wanted = Q(pk__in=[])
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.using(using).filter(wanted))
