from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        # Every app declares its personal-data fields in its own privacy.py, the way
        # admin.py registers models; importing them fills the registry.
        autodiscover_modules("privacy")
        from privacy import checks  # noqa: F401  (registers the system checks)
        from privacy.roles import role_groups_sync

        # After every app's migrations (and every flush of a test database).
        post_migrate.connect(role_groups_sync, dispatch_uid="privacy.role_groups_sync")
