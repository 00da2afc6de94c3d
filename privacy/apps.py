from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
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
        from privacy.audit.db_role import app_role_grant_after_migrate

        post_migrate.connect(
            app_role_grant_after_migrate, sender=self, dispatch_uid="privacy.app_role_grant"
        )
        self._drop_transparency_report_on_legal_changes()

    def _drop_transparency_report_on_legal_changes(self):
        # Connected here rather than where the report is read, so that a change made in a
        # worker or a management command drops the cached report as well.
        from privacy.transparency.report import transparency_cache_drop

        for name in ("LegalRequest", "LegalTarget", "LegalDisclosure"):
            model = self.get_model(name)
            for signal, event in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    transparency_cache_drop,
                    sender=model,
                    dispatch_uid=f"privacy.transparency.{name}.{event}",
                )
