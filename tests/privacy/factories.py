import factory
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tests.accounts.factories import UserFactory


class DataRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "privacy.DataRequest"

    member = factory.SubFactory(UserFactory)
    kind = "export"
    received_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda r: r.received_at + relativedelta(months=1))


class LegalHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "privacy.LegalHold"

    member = factory.SubFactory(UserFactory)
    categories = factory.LazyFunction(lambda: ["account", "public"])
    reason = "Preservation request, reference PR-2026-0042"
    expires_at = factory.LazyFunction(lambda: timezone.now() + relativedelta(days=90))
