"""The catalogue BestQM starts with: two membership plans and the software licence.
Billing staff change prices and add products in the admin; this only seeds them."""

from decimal import Decimal

from django.db import migrations

CATALOGUE = [
    {
        "slug": "membership-monthly",
        "name": "Membership, one month",
        "kind": "membership",
        "description": "Everything BestQM offers members, for 30 days.",
        "price": Decimal("9.00"),
        "membership_days": 30,
    },
    {
        "slug": "membership-yearly",
        "name": "Membership, one year",
        "kind": "membership",
        "description": "Everything BestQM offers members, for 365 days: two months free.",
        "price": Decimal("90.00"),
        "membership_days": 365,
    },
    {
        "slug": "bestqm-licence",
        "name": "BestQM software licence",
        "kind": "licence",
        "description": "A serial number for the BestQM client software, for one computer.",
        "price": Decimal("49.00"),
        "membership_days": None,
    },
]


def add_catalogue(apps, schema_editor):
    Product = apps.get_model("orders", "Product")
    for entry in CATALOGUE:
        Product.objects.get_or_create(slug=entry["slug"], defaults=entry)


def remove_catalogue(apps, schema_editor):
    Product = apps.get_model("orders", "Product")
    Product.objects.filter(slug__in=[e["slug"] for e in CATALOGUE], orders=None).delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_orders_payments_cards")]

    operations = [migrations.RunPython(add_catalogue, remove_catalogue)]
