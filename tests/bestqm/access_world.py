"""The objects the access-control matrix calls its URLs with.

Everything private belongs to `member` (Rosa): an unlisted public profile, a paid order
with its payment, licence and saved card, an order awaiting payment, a support ticket with
a logged call, a finished export, an API token, a client session, a newsletter delivery
and a share with a partner. `other_member` (Otto) has a listed profile and nothing else
of interest. Each staff caller holds one role; `superuser` holds all of them.

The objects are made through the services where a factory would skip something a page
relies on (the checkout charges, fulfils and keeps the card; the export request builds
the zip).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from unittest import mock

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken

from accounts.models import User
from activity.models import ClientSession
from orders.models import Licence, Order, Product, StoredCard
from orders.payment_gateway import CardDetails
from orders.payments import order_checkout
from outbox.models import OutboxMessage, OutboxRefusal
from privacy.audit.models import AuditEvent
from privacy.audit.services import Actor
from privacy.legal.intake import TargetInput
from privacy.legal.models import LegalDocument, LegalRequest
from privacy.legal.packages import package_link_token
from privacy.requests.models import DataRequest
from privacy.requests.services import data_request_create
from privacy.roles import Role
from support.announcements.unsubscribe_links import unsubscribe_token
from support.models import (
    Announcement,
    AnnouncementDelivery,
    Partner,
    PartnerShare,
    PhoneContact,
    Ticket,
)
from tests.accounts.factories import ProfileFactory, StaffFactory, UserFactory
from tests.activity.factories import ClientSessionFactory
from tests.orders.factories import OrderFactory, ProductFactory
from tests.privacy.legal.factories import (
    document,
    legal_approver,
    legal_officer,
    legal_request,
    walk,
)
from tests.support.factories import (
    AnnouncementFactory,
    PartnerFactory,
    PhoneContactFactory,
    TicketFactory,
)

# What the member keeps private (her unlisted profile's name included): no visitor or
# other member may ever be sent any of it.
LOGIN_NAME, EMAIL, BILLING_EMAIL, LAST_NAME = (
    "rosa.member",
    "rosa.private@example.org",
    "billing.rosa@example.org",
    "Quintero-Vale",
)
PROFILE_USERNAME = "rosa_public"
MEMBER_PRIVATE_VALUES = (LOGIN_NAME, EMAIL, BILLING_EMAIL, LAST_NAME, PROFILE_USERNAME)

# Ids no object of any table has: what a guessed id looks like.
MISSING_ID = 987654321
MISSING_UUID = "00000000-0000-4000-8000-000000000000"


@dataclass
class World:
    member: User
    other_member: User
    staff: dict[str, User]
    # The member's objects.
    profile_username: str
    paid_order: Order
    open_order: Order
    stored_card: StoredCard
    licence: Licence
    ticket: Ticket
    support_call: PhoneContact
    export: DataRequest
    # A subpoena naming the member, delivered: its document, package and link.
    legal_case: LegalRequest
    legal_document: LegalDocument
    package_token: str
    token: AuthToken
    client_session: ClientSession
    delivery: AnnouncementDelivery
    partner_share: PartnerShare
    unsubscribe_token: str
    # Someone else's, or nobody's.
    other_username: str
    product: Product
    partner: Partner
    announcement: Announcement  # a draft
    newsletter: Announcement  # sent, to the member
    audit_event: AuditEvent
    group: Group
    access_attempt: AccessAttempt
    access_log: AccessLog
    access_failure: AccessFailureLog
    outbox_message: OutboxMessage
    outbox_refusal: OutboxRefusal
    # API token secrets of every signed-in caller, by caller name.
    api_secrets: dict[str, str] = field(default_factory=dict)

    def password_reset_link(self) -> dict[str, str]:
        """The parameters of the link in a reset e-mail to the member, made now: signing
        in changes the member's last sign-in, which ends every link made before."""
        return {
            "uidb64": urlsafe_base64_encode(force_bytes(self.member.pk)),
            "token": default_token_generator.make_token(self.member),
        }


def _run_on_commit_now():
    """Building the world commits nothing (the test's transaction never does): run what
    the services schedule after commit at once, as the app tests do."""
    return mock.patch(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def build_world(staff_callers: dict[str, Role | None]) -> World:
    """Every object the matrix needs. `staff_callers` maps a caller's name to its role,
    or to None for the superuser."""
    member = UserFactory(login_name=LOGIN_NAME, email=EMAIL, last_name=LAST_NAME)
    other = UserFactory(login_name="otto.other", email="otto@example.org")
    staff = {
        name: StaffFactory(roles=[role] if role else [], is_superuser=role is None)
        for name, role in staff_callers.items()
    }
    # Rosa stays out of the directory: her profile exists only for her.
    ProfileFactory(member=member, username=PROFILE_USERNAME, listed_in_directory=False)
    ProfileFactory(member=other, username="otto_public", listed_in_directory=True)

    product = ProductFactory()
    with _run_on_commit_now():
        paid_order, _, _ = order_checkout(
            member=member,
            actor=Actor(user=member, ip="203.0.113.7"),
            product=product,
            checkout_key=uuid.uuid4(),
            billing={
                "billing_name": f"Rosalind {LAST_NAME}",
                "billing_zip": "90210",
                "billing_email": BILLING_EMAIL,
            },
            card=CardDetails(
                number="4242424242424242",
                exp_month=4,
                exp_year=date.today().year + 1,
                security_code="737",
            ),
            keep_card=True,
            domain="testserver",
            use_https=True,
        )
        export, _ = data_request_create(
            member=member, actor=Actor(user=member, ip="203.0.113.7"), kind="export"
        )
        # Two legal staff of their own: the callers' legal roles must not be the ones who
        # collected (four eyes would then refuse them for a reason other than access).
        officer, approver = legal_officer(), legal_approver()
        legal_case = legal_request(
            officer,
            targets=[TargetInput("username", PROFILE_USERNAME)],
            documents=[document()],
        )
        walk(legal_case, LegalRequest.Status.DELIVERED, officer=officer, approver=approver)
    export.refresh_from_db()
    assert export.status == DataRequest.Status.COMPLETED, "the export was not built"
    licence = paid_order.licences.get()

    ticket = TicketFactory(member=member, subject="My licence stopped working")
    announcement = AnnouncementFactory(kind=Announcement.Kind.SERVICE)  # a draft
    now = timezone.now()
    newsletter = AnnouncementFactory(
        kind=Announcement.Kind.NEWSLETTER,
        status=Announcement.Status.SENT,
        sending_at=now,
        sent_at=now,
    )
    partner = PartnerFactory()

    token, _ = AuthToken.objects.create(user=member)
    world = World(
        member=member,
        other_member=other,
        staff=staff,
        profile_username=PROFILE_USERNAME,
        paid_order=paid_order,
        open_order=OrderFactory(member=member, product=product),
        stored_card=StoredCard.objects.get(member=member),
        licence=licence,
        ticket=ticket,
        support_call=PhoneContactFactory(ticket=ticket),
        export=export,
        legal_case=legal_case,
        legal_document=legal_case.documents.get(),
        package_token=package_link_token(legal_case),
        token=token,
        client_session=ClientSessionFactory(member=member, serial=licence.serial),
        delivery=AnnouncementDelivery.objects.create(
            announcement=newsletter,
            member=member,
            status=AnnouncementDelivery.Status.SENT,
            sent_at=now,
        ),
        partner_share=PartnerShare.objects.create(member=member, partner=partner, fields=["email"]),
        unsubscribe_token=unsubscribe_token(member_id=member.pk, kind="newsletter"),
        other_username="otto_public",
        product=product,
        partner=partner,
        announcement=announcement,
        newsletter=newsletter,
        audit_event=AuditEvent.objects.order_by("pk").first(),
        group=Group.objects.get(name=Role.SUPPORT_AGENT.label),
        access_attempt=AccessAttempt.objects.create(
            username=LOGIN_NAME, ip_address="203.0.113.9", failures_since_start=1
        ),
        access_log=AccessLog.objects.create(username=LOGIN_NAME, ip_address="203.0.113.9"),
        access_failure=AccessFailureLog.objects.create(
            username=LOGIN_NAME, ip_address="203.0.113.9"
        ),
        outbox_message=OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAIL).first(),
        outbox_refusal=OutboxRefusal.objects.create(key="not-a-key", reason="not an outbox key"),
    )
    for name, user in [("member", member), ("other_member", other), *staff.items()]:
        _, world.api_secrets[name] = AuthToken.objects.create(user=user)
    return world
