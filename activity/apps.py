from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Activity"

    def ready(self):
        from activity.ip_networks import InNetwork, register_sqlite_functions
        from activity.models import ClientSession, PageView

        connection_created.connect(register_sqlite_functions, dispatch_uid="activity_sqlite")
        # Only on these fields: other apps' address columns keep Django's own lookups.
        for model in (PageView, ClientSession):
            model._meta.get_field("ip_address").register_lookup(InNetwork)
