"""What the privacy registry says of support data, which export, erasure and legal scope
are derived from."""

import pytest

from privacy.checks import registry_problems
from privacy.registry import Category, MemberAccess, owner_of, registry
from support.models import (
    Announcement,
    AnnouncementDelivery,
    Partner,
    PartnerShare,
    PhoneContact,
    Ticket,
    TicketMessage,
    TicketNote,
)
from tests.support.factories import (
    AnnouncementFactory,
    PartnerFactory,
    PhoneContactFactory,
    TicketNoteFactory,
)

MODELS = [
    Ticket,
    TicketMessage,
    TicketNote,
    PhoneContact,
    Announcement,
    AnnouncementDelivery,
    Partner,
    PartnerShare,
]


def test_every_support_model_is_declared_field_by_field():
    assert registry_problems(MODELS) == []


def test_internal_notes_are_never_the_members_to_see_or_export():
    [body] = registry.personal_fields(TicketNote)
    assert body.member_access == MemberAccess.NONE
    assert registry.member_fields(TicketNote, topic="", editable=False) == []


def test_tickets_and_messages_are_support_information_the_member_sees():
    for model in (Ticket, TicketMessage, PhoneContact, AnnouncementDelivery):
        fields = registry.personal_fields(model)
        assert fields, model
        assert {f.category for f in fields} == {Category.SUPPORT}
        assert {f.member_access for f in fields} == {MemberAccess.VIEW}


def test_announcements_and_partners_belong_to_no_member():
    for model in (Announcement, Partner):
        declaration = registry.declaration(model)
        assert declaration.owner is None and not declaration.personal


@pytest.mark.django_db
def test_every_owned_record_leads_back_to_its_member(ticket, member):
    delivery = AnnouncementDelivery.objects.create(
        announcement=AnnouncementFactory(), member=member
    )
    share = PartnerShare.objects.create(member=member, partner=PartnerFactory(), fields=["email"])
    records = [
        ticket,
        ticket.messages.get(),
        TicketNoteFactory(ticket=ticket),
        PhoneContactFactory(ticket=ticket),
        delivery,
        share,
    ]

    assert [owner_of(record) for record in records] == [member] * len(records)
