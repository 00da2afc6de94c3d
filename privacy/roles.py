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
