"""The privacy app's own tables are personal data too; each subdomain declares its own,
and this module (the one the registry autodiscovers) gathers them."""

from privacy import admin_log_privacy  # noqa: F401
from privacy.audit import privacy as audit  # noqa: F401
from privacy.consent import privacy as consent  # noqa: F401
from privacy.holds import privacy as holds  # noqa: F401
from privacy.legal import privacy as legal  # noqa: F401
from privacy.requests import privacy as requests  # noqa: F401
