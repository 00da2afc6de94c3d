"""The member's privacy centre: their requests, cookie choices, every time staff opened
their private details, and what they shared with partners."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from privacy.audit.selectors import staff_views_of
from privacy.consent.selectors import consent_history_of
from privacy.requests.selectors import data_requests_of, waiting_on_legal_obligation
from support.partners.selectors import partner_shares_of


@never_cache
@login_required
def centre(request):
    member = request.user
    requests = list(data_requests_of(member)[:50])
    for data_request in requests:
        data_request.waiting_on_legal_obligation = waiting_on_legal_obligation(data_request)
    return render(
        request,
        "privacy/centre.html",
        {
            "requests": requests,
            "consents": consent_history_of(member)[:20],
            "staff_views": staff_views_of(member)[:50],
            "partner_shares": partner_shares_of(member=member)[:50],
        },
    )
