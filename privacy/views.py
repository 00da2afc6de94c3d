"""The member's privacy centre: their open requests with deadlines and what holds them,
legal disclosures they may be told of, every time staff opened their private details (role,
purpose, fields by label), cookie choices, and what they shared with partners."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from privacy.audit.staff_accesses import staff_accesses_of
from privacy.consent.selectors import consent_history_of
from privacy.legal.member_disclosures import disclosures_told_to, holds_the_member_may_know_of
from privacy.requests.holding import DATE_FORMAT, what_holds
from privacy.requests.selectors import data_requests_of
from support.partners.selectors import partner_shares_of


@never_cache
@login_required
def centre(request):
    member = request.user
    requests = list(data_requests_of(member)[:50])
    known_holds = holds_the_member_may_know_of(member)
    for data_request in requests:
        data_request.holding = what_holds(data_request, known_holds)
    return render(
        request,
        "privacy/centre.html",
        {
            "open_requests": [r for r in requests if r.is_open],
            "past_requests": [r for r in requests if not r.is_open],
            "date_format": DATE_FORMAT,
            "disclosures": disclosures_told_to(member),
            "consents": consent_history_of(member)[:20],
            "staff_accesses": staff_accesses_of(member, limit=200),
            "partner_shares": partner_shares_of(member=member)[:50],
        },
    )
