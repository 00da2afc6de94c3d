"""Cookie consent ('Cookies'): a visitor's choice lives in an essential cookie, a signed-in
member's on their account (their latest record), and each choice is recorded with its
time and the consent text's version.

"Once the user closes their browser, the cookie simply terminates": the consent and
interest cookies, like the session and CSRF cookies, carry no Expires or Max-Age. The
member's choice therefore follows them from the account, not from a lasting cookie.
A browser sending `Sec-GPC: 1` (Global Privacy Control) has declined interest cookies
already: it is never shown the banner and never given one.

Essential cookies (session, CSRF, this consent cookie) need no consent: they keep a member
signed in ("would not have to log in a password more than once"). Interest cookies, which
"track and target the interests of our users", are set only after the visitor says yes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from privacy.audit.services import Actor, audit_record
from privacy.consent.models import ConsentEvent, ConsentRecord
from privacy.registry import Category

CONSENT_COOKIE = "bestqm_consent"
INTEREST_COOKIE = "bestqm_interest"
Choice = ConsentRecord.Choice


GPC_HEADER = "HTTP_SEC_GPC"


@dataclass(frozen=True)
class Consent:
    visitor_id: uuid.UUID | None
    choice: Choice
    version: str
    # Declined by the browser's Global Privacy Control signal, not by a recorded choice.
    from_gpc: bool = False

    @property
    def allows_interest(self) -> bool:
        return self.choice == Choice.INTEREST and self.version == settings.CONSENT_TEXT_VERSION


def consent_of(request: HttpRequest) -> Consent | None:
    """The visitor's current choice, or None when they have not chosen for this version
    of the consent text (the banner then asks)."""
    if request.META.get(GPC_HEADER, "").strip() == "1":
        return Consent(None, Choice.ESSENTIAL, settings.CONSENT_TEXT_VERSION, from_gpc=True)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        kept = ConsentRecord.objects.filter(member=user).first()
        if kept is not None and kept.text_version == settings.CONSENT_TEXT_VERSION:
            return Consent(kept.visitor_id, Choice(kept.choice), kept.text_version)
    raw = request.get_signed_cookie(CONSENT_COOKIE, default=None, salt="consent")
    if not raw:
        return None
    try:
        visitor, choice, version = raw.split(":", 2)
        consent = Consent(uuid.UUID(visitor), Choice(choice), version)
    except ValueError:
        return None
    return consent if consent.version == settings.CONSENT_TEXT_VERSION else None


def consent_record(*, request: HttpRequest, response: HttpResponse, choice: str) -> Consent:
    """Store the choice in the consent cookie and record it; withdrawing interest
    consent removes the interest cookie at once."""
    choice = Choice(choice)
    previous = consent_of(request)
    visitor_id = previous.visitor_id if previous and previous.visitor_id else uuid.uuid4()
    member = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        ConsentRecord.objects.create(
            member=member,
            visitor_id=visitor_id,
            choice=choice,
            text_version=settings.CONSENT_TEXT_VERSION,
        )
        if member is not None:
            audit_record(
                actor=Actor.from_request(request),
                event_type=ConsentEvent.CONSENT_RECORDED,
                category=Category.ACCOUNT,
                subject=member,
                fields=["choice"],
            )
    consent = Consent(visitor_id, choice, settings.CONSENT_TEXT_VERSION)
    response.set_signed_cookie(
        CONSENT_COOKIE,
        f"{visitor_id}:{choice.value}:{consent.version}",
        salt="consent",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    if not consent.allows_interest:
        response.delete_cookie(INTEREST_COOKIE)
    return consent


def interest_cookie_set(request: HttpRequest, response: HttpResponse, value: str) -> bool:
    """Remember an interest (e.g. the last directory search) only with consent."""
    consent = consent_of(request)
    if consent is None or not consent.allows_interest:
        return False
    response.set_cookie(
        INTEREST_COOKIE,
        value[:200],
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return True
