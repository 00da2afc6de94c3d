"""Legal requests as the transparency report sees them: rows in a given status, with the
timestamps that status implies. Built directly (the workflow's services are tested
elsewhere); every identifying value is distinctive, so a test can look for it."""

from datetime import timedelta

import factory
from django.utils import timezone

from privacy.legal.models import LegalRequest, LegalRequestType, LegalTarget
from tests.accounts.factories import StaffFactory, UserFactory

Status = LegalRequest.Status


def _after(days):
    return factory.LazyAttribute(lambda r: r.received_at + timedelta(days=days))


class LegalRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "privacy.LegalRequest"

    class Params:
        rejected = factory.Trait(
            status=Status.REJECTED,
            rejected_at=_after(5),
            rejection_reason="Overbroad: names the Brightwater Hiking Club",
        )
        delivered = factory.Trait(
            status=Status.DELIVERED, approved_at=_after(3), delivered_at=_after(8)
        )
        closed = factory.Trait(
            status=Status.CLOSED, approved_at=_after(3), delivered_at=_after(8), closed_at=_after(9)
        )
        withdrawn = factory.Trait(status=Status.WITHDRAWN, withdrawn_at=_after(2))

    request_type = LegalRequestType.SUBPOENA
    authority = factory.Sequence(lambda n: f"Zorbington County Sheriff Unit {n}")
    jurisdiction = "Quillmarsh District"
    officer_name = factory.Sequence(lambda n: f"Detective Ottoline Brackenridge {n}")
    contact_email = factory.Sequence(lambda n: f"o.brackenridge{n}@zorbington-sheriff.example")
    callback_phone = "+1 202 555 0187"
    reference_number = factory.Sequence(lambda n: f"ZCS-QX-{n:05d}")
    received_at = factory.LazyFunction(timezone.now)
    due_at = _after(30)
    created_by = factory.SubFactory(StaffFactory)


class LegalTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "privacy.LegalTarget"

    request = factory.SubFactory(LegalRequestFactory)
    kind = LegalTarget.Kind.USERNAME
    value = factory.Sequence(lambda n: f"wanted_wombat_{n}")


class LegalDisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "privacy.LegalDisclosure"

    request = factory.SubFactory(LegalRequestFactory, delivered=True)
    member = factory.SubFactory(UserFactory)
    category = "account"
    model_label = "accounts.User"
    fields = factory.LazyFunction(lambda: ["login_name", "email"])
    records = 1


def utc(*args):
    from datetime import UTC, datetime

    return datetime(*args, tzinfo=UTC)


# What the seeded requests must never let out: every identifying value they hold.
IDENTIFYING = (
    "Zorbington",
    "Quillmarsh",
    "Brackenridge",
    "zorbington-sheriff.example",
    "555 0187",
    "ZCS-QX-",
    "Brightwater Hiking Club",
    "wanted_wombat",
    "WANTED_WOMBAT",
    "nobody-xq@example.net",
    "203.0.113.77",
    "198.51.100.",
    "marla.target",
    "marla.target@example.org",
    "nico.target",
    "pia.preserved",
)


def two_half_years():
    """Legal requests in 2024 H1 and 2024 H2 (and one in the half-year in progress),
    meant for exact figures; see tests/privacy/transparency/test_report.py."""
    Kind, T = LegalTarget.Kind, LegalRequestType
    marla = UserFactory(login_name="marla.target", email="marla.target@example.org")
    nico = UserFactory(login_name="nico.target")
    pia = UserFactory(login_name="pia.preserved")

    # 2024 H1 -------------------------------------------------------------------------
    # A subpoena answered with Marla's data; she is named twice (username and e-mail).
    a = LegalRequestFactory(
        request_type=T.SUBPOENA,
        received_at=utc(2024, 1, 1, 0, 0),
        delivered=True,
        notice=LegalRequest.Notice.SENT,
        notice_sent_at=utc(2024, 1, 20),
    )
    LegalTargetFactory(request=a, kind=Kind.USERNAME, value="marla.target", member=marla)
    LegalTargetFactory(request=a, kind=Kind.EMAIL, value="marla.target@example.org", member=marla)
    LegalDisclosureFactory(request=a, member=marla, records=3)
    # A court order that found nothing: it named a username no account has.
    b = LegalRequestFactory(
        request_type=T.COURT_ORDER,
        received_at=utc(2024, 2, 14, 9, 30),
        delivered=True,
        notice=LegalRequest.Notice.NONE_AFFECTED,
    )
    LegalTargetFactory(request=b, kind=Kind.USERNAME, value="wanted_wombat")
    # A search warrant rejected: the same unknown name in other capitals, and an IP
    # address that led to no account.
    c = LegalRequestFactory(
        request_type=T.SEARCH_WARRANT, received_at=utc(2024, 3, 3), rejected=True
    )
    LegalTargetFactory(request=c, kind=Kind.USERNAME, value="WANTED_WOMBAT")
    LegalTargetFactory(
        request=c,
        kind=Kind.IP,
        value="203.0.113.77",
        window_start=utc(2024, 2, 1),
        window_end=utc(2024, 2, 2),
    )
    # An emergency on the last evening of June (UTC): Nico's data, told after.
    d = LegalRequestFactory(
        request_type=T.EMERGENCY,
        received_at=utc(2024, 6, 30, 23, 59, 59),
        delivered=True,
        notice=LegalRequest.Notice.AFTER_EMERGENCY,
    )
    LegalTargetFactory(request=d, kind=Kind.USERNAME, value="nico.target", member=nico)
    LegalDisclosureFactory(request=d, member=nico, records=1)
    # A subpoena withdrawn, naming Marla again.
    e = LegalRequestFactory(request_type=T.SUBPOENA, received_at=utc(2024, 4, 1), withdrawn=True)
    LegalTargetFactory(request=e, kind=Kind.USERNAME, value="marla.target", member=marla)
    # Two preservations: Pia is named only there, so she is no account specified.
    f = LegalRequestFactory(
        request_type=T.PRESERVATION,
        received_at=utc(2024, 5, 5),
        status=LegalRequest.Status.APPROVED,
        approved_at=utc(2024, 5, 6),
    )
    LegalTargetFactory(request=f, kind=Kind.USERNAME, value="pia.preserved", member=pia)
    LegalRequestFactory(
        request_type=T.PRESERVATION,
        received_at=utc(2024, 5, 6),
        status=LegalRequest.Status.CLOSED,
        closed_at=utc(2024, 11, 1),
    )

    # 2024 H2 -------------------------------------------------------------------------
    # A court order received on the first second of July, answered with Nico's data
    # (found through an IP address); a non-disclosure order keeps him from being told.
    h = LegalRequestFactory(
        request_type=T.COURT_ORDER,
        received_at=utc(2024, 7, 1, 0, 0, 0),
        closed=True,
        notice=LegalRequest.Notice.DEFERRED,
        nondisclosure_reason="Order of the Quillmarsh District court",
        nondisclosure_until=utc(2027, 1, 1),
    )
    LegalTargetFactory(
        request=h,
        kind=Kind.IP,
        value="198.51.100.0/24",
        window_start=utc(2024, 6, 1),
        window_end=utc(2024, 6, 30),
        member=nico,
    )
    LegalDisclosureFactory(request=h, member=nico, category="system", records=12)
    # A subpoena still in legal review, naming an e-mail address nobody uses.
    i = LegalRequestFactory(
        request_type=T.SUBPOENA,
        received_at=utc(2024, 8, 8),
        status=LegalRequest.Status.LEGAL_REVIEW,
    )
    LegalTargetFactory(request=i, kind=Kind.EMAIL, value="nobody-xq@example.net")
    # Protection of rights in second review: collected, not delivered, so not disclosed.
    j = LegalRequestFactory(
        request_type=T.RIGHTS_PROTECTION,
        received_at=utc(2024, 12, 31, 23, 59),
        status=LegalRequest.Status.SECOND_REVIEW,
        approved_at=utc(2025, 1, 2),
        collected_at=utc(2025, 1, 3),
    )
    LegalTargetFactory(request=j, kind=Kind.USERNAME, value="marla.target", member=marla)
    LegalDisclosure = LegalDisclosureFactory._meta.model
    LegalDisclosure.objects.create(
        request=j, member=marla, category="account", model_label="accounts.User", records=1
    )
    LegalRequestFactory(request_type=T.PRESERVATION, received_at=utc(2024, 10, 10))

    # The half-year in progress: not published yet.
    current = LegalRequestFactory(request_type=T.SEARCH_WARRANT, delivered=True)
    LegalTargetFactory(request=current, kind=Kind.USERNAME, value="nico.target", member=nico)
    LegalDisclosureFactory(request=current, member=nico)
