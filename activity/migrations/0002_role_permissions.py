"""The support agent and the privacy officer may open the activity dashboard (counts
only) and look at client sessions, which the registry masks field by field: support sees
versions, cameras and times, never the address or the serial."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Support agent": ["view_activitydashboard", "view_clientsession"],
    "Privacy officer": ["view_activitydashboard", "view_clientsession"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("activity")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.get(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="activity", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="activity", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_page_views_client_sessions_daily_figures"),
        ("privacy", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
