from datetime import timedelta

import factory
from django.utils import timezone

from activity.models import ClientSession, DeviceType, PageView
from orders.licences.serials import serial_generate
from tests.accounts.factories import UserFactory


class PageViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PageView

    occurred_at = factory.LazyFunction(timezone.now)
    member = factory.SubFactory(UserFactory)
    ip_address = factory.Sequence(lambda n: f"198.51.100.{n % 250 + 1}")
    visitor_hash = factory.Sequence(lambda n: f"{n:032x}")
    path = "/directory/"
    route = "directory:list"
    browser_family = "Firefox"
    browser_version = "121"
    os_family = "Windows"
    device_type = DeviceType.DESKTOP


class ClientSessionFactory(factory.django.DjangoModelFactory):
    """A session as the API opens it; `serial` is any well-formed serial (the licence
    check belongs to the service, tested through the API)."""

    class Meta:
        model = ClientSession

    member = factory.SubFactory(UserFactory)
    serial = factory.LazyFunction(serial_generate)
    software_version = "2.4.1"
    camera_type = "Logitech C920"
    started_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyAttribute(lambda s: s.started_at)
    ip_address = factory.Sequence(lambda n: f"203.0.113.{n % 250 + 1}")

    @classmethod
    def ended(cls, *, length: timedelta, **kwargs):
        """A session the client ended after `length`."""
        started = kwargs.pop("started_at", None) or timezone.now() - length
        return cls(
            started_at=started,
            last_seen_at=started + length,
            ended_at=started + length,
            status=ClientSession.Status.ENDED,
            **kwargs,
        )
