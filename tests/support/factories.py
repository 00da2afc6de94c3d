import factory
from django.utils import timezone

from support.models import (
    Announcement,
    Partner,
    PhoneContact,
    Ticket,
    TicketMessage,
    TicketNote,
)
from tests.accounts.factories import UserFactory


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket with the member's first message, as `ticket_open` makes one."""

    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    member = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Help with my licence {n}")

    @factory.post_generation
    def first_message(self, create, extracted, **kwargs):
        if create:
            TicketMessageFactory(
                ticket=self, author=self.member, body=extracted or "My licence key stopped working."
            )


class TicketMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketMessage

    ticket = factory.SubFactory(TicketFactory)
    sender = TicketMessage.Sender.MEMBER
    author = factory.LazyAttribute(lambda m: m.ticket.member)
    body = "It says the serial is invalid."


class TicketNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketNote

    ticket = factory.SubFactory(TicketFactory)
    body = "Internal: serial was revoked by billing."


class PhoneContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneContact

    ticket = factory.SubFactory(TicketFactory)
    direction = PhoneContact.Direction.OUTBOUND
    outcome = PhoneContact.Outcome.REACHED
    summary = "Walked through reinstalling the client."
    contacted_at = factory.LazyFunction(timezone.now)


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    kind = Announcement.Kind.SERVICE
    subject = factory.Sequence(lambda n: f"Planned maintenance {n}")
    body = "BestQM will be unavailable on Sunday from 02:00 to 03:00 UTC."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Camera Club {n}")
    slug = factory.Sequence(lambda n: f"camera-club-{n}")
    description = "Discounts on webcams for BestQM members."
    website = "https://cameraclub.example/"
    privacy_policy_url = "https://cameraclub.example/privacy"
    shared_fields = factory.LazyFunction(lambda: ["email", "first_name"])
