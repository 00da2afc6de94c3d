import factory

from orders.licence_serials import serial_generate
from tests.accounts.factories import UserFactory


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.Licence"

    serial = factory.LazyFunction(serial_generate)
    member = factory.SubFactory(UserFactory)
