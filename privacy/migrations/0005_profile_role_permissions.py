"""Support agents and the privacy officer may look at public profiles in the admin; the
privacy officer may also correct or remove one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Support agent": ["view_publicprofile"],
    "Privacy officer": ["view_publicprofile", "change_publicprofile", "delete_publicprofile"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.get(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_profile_events"),
        ("accounts", "0003_profile_search_trigram"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
