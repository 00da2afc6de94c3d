"""The support app's admin pages, registered by the package of each subdomain."""

from support.tickets import admin as tickets_admin  # noqa: F401
