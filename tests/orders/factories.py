import uuid
from decimal import Decimal

import factory

from orders.licences.serials import serial_generate
from tests.accounts.factories import UserFactory


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.Licence"

    serial = factory.LazyFunction(serial_generate)
    member = factory.SubFactory(UserFactory)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.Product"

    name = factory.Sequence(lambda n: f"Test licence {n}")
    slug = factory.Sequence(lambda n: f"test-licence-{n}")
    kind = "licence"
    price = Decimal("49.00")


class MembershipFactory(ProductFactory):
    name = factory.Sequence(lambda n: f"Test membership {n}")
    slug = factory.Sequence(lambda n: f"test-membership-{n}")
    kind = "membership"
    price = Decimal("9.00")
    membership_days = 30


class OrderFactory(factory.django.DjangoModelFactory):
    """An order awaiting payment; pay it through the services to move it on."""

    class Meta:
        model = "orders.Order"

    member = factory.SubFactory(UserFactory)
    product = factory.SubFactory(ProductFactory)
    product_name = factory.LazyAttribute(lambda o: o.product.name)
    amount = factory.LazyAttribute(lambda o: o.product.price)
    currency = "USD"
    checkout_key = factory.LazyFunction(uuid.uuid4)
    billing_name = "Rosalind Quintero-Vale"
    billing_zip = "90210"
    billing_email = "billing.rosa@example.org"
