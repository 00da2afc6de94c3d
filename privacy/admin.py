"""The privacy app's admin pages, each registered by the package of its subdomain."""

from privacy.audit import admin as audit_admin  # noqa: F401
from privacy.legal import admin as legal_admin  # noqa: F401
from privacy.requests import admin as requests_admin  # noqa: F401
