"""What each staff role may open in the orders admin. Which personal fields of an order a
role then sees is the privacy registry's business (billing agents see the billing contact
and the masked card; support agents see that an order exists, not who paid or how)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Billing agent": [
        "view_product",
        "add_product",
        "change_product",
        "view_order",
        # Opening an order to log a phone call posts its change form; the order itself
        # is read-only there and moves only through the admin actions.
        "change_order",
        "view_payment",
        "view_phonecontact",
        "add_phonecontact",
        "view_licence",
    ],
    "Support agent": ["view_product", "view_order"],
    "Privacy officer": [
        "view_product",
        "view_order",
        "view_payment",
        "view_phonecontact",
        "view_licence",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("orders")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.get(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="orders", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_catalogue"),
        ("privacy", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
