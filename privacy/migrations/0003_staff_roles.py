"""Staff roles as groups. Later apps grant their own permissions in their own migrations;
which personal fields each role may see is the privacy registry's business, not a
permission's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Support agent": ["accounts.view_user"],
    "Billing agent": ["accounts.view_user"],
    "Privacy officer": ["accounts.view_user", "accounts.change_user", "privacy.view_auditevent"],
    "Legal officer": ["accounts.view_user", "privacy.view_auditevent"],
    "Legal approver": ["accounts.view_user", "privacy.view_auditevent"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure ours exist now.
    for app_label in ("accounts", "privacy"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_audit_append_only_trigger"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
