"""The support app's admin pages, registered by the package of each subdomain."""

from support.announcements import admin as announcements_admin  # noqa: F401
from support.partners import admin as partners_admin  # noqa: F401
from support.tickets import admin as tickets_admin  # noqa: F401
