"""Partners ('Partner Use'): the list, and sharing details with one only by the member's
explicit action on a page that shows exactly what would be sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from bestqm.http.form_errors import add_service_errors
from bestqm.http.rate_limits import rate_limited
from privacy.audit.services import Actor
from support import errors
from support.partners import services
from support.partners.forms import PartnerShareForm
from support.partners.selectors import (
    active_partners,
    field_label,
    partner_by_slug,
    partner_shares_of,
    share_preview,
)

SHARED = (
    "Recorded: you shared these details with {partner}: {fields}. From now on "
    "{partner}'s own privacy policy applies to them."
)


def _labels(names) -> list[str]:
    return [field_label(name) for name in names]


@never_cache
def partners(request):
    """Every partner and what it asks for; for a member, also what they have shared."""
    shares = None
    if request.user.is_authenticated:
        shares = [(s, _labels(s.fields)) for s in partner_shares_of(member=request.user)]
    return render(
        request,
        "support/partners.html",
        {"partners": [(p, _labels(p.shared_fields)) for p in active_partners()], "shares": shares},
    )


@never_cache
@login_required
@rate_limited("partner_share")
def partner_share(request, slug):
    partner = partner_by_slug(slug)
    if partner is None:
        raise Http404
    form = PartnerShareForm(request.POST or None, partner=partner)
    status, refusal = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                share = services.partner_share(
                    member=request.user,
                    partner=partner,
                    actor=Actor.from_request(request),
                    confirmed_fields=form.cleaned_data["shown"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except errors.PartnerChanged as exc:
                # Start again from the list as it is now, which the page shows.
                form, refusal, status = PartnerShareForm(partner=partner), exc.message, 409
            else:
                names = ", ".join(_labels(share.fields))
                messages.success(request, SHARED.format(fields=names, partner=partner.name))
                return redirect("support:partners")
    return render(
        request,
        "support/partner_share.html",
        {
            "partner": partner,
            "preview": share_preview(partner=partner, member=request.user),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )
