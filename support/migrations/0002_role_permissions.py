"""Support agents work tickets, log phone contacts and send announcements; the privacy
officer reads tickets and deliveries (export, legal scope), keeps the list of partners and
reads members' shares with them. Which fields each role sees is the privacy registry's
business; the admin also checks the role itself (support.access)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Support agent": [
        "view_ticket",
        "change_ticket",
        "view_phonecontact",
        "add_phonecontact",
        "view_announcement",
        "add_announcement",
        "change_announcement",
        "delete_announcement",
        "view_announcementdelivery",
    ],
    "Privacy officer": [
        "view_ticket",
        "view_phonecontact",
        "view_announcement",
        "view_announcementdelivery",
        "view_partner",
        "add_partner",
        "change_partner",
        "view_partnershare",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("support")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.get(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="support", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="support", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_tickets_announcements_partners"),
        ("privacy", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
