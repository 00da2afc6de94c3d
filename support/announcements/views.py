"""Announcements on the site (the notices page) and unsubscribing: from the page when
signed in, or with the one-click link in every newsletter."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from bestqm.http.rate_limits import rate_limited
from privacy.audit.services import Actor
from support import errors
from support.announcements import services
from support.announcements.selectors import notices_for, subscriptions_of
from support.announcements.unsubscribe_links import unsubscribe_request
from support.models import Announcement

UNSUBSCRIBED = (
    "You are unsubscribed from newsletters. Service announcements are still sent: "
    "they carry important information about the service."
)


def _refused(request, exc: errors.UnsubscribeRefused):
    return render(request, "support/unsubscribe_refused.html", {"reason": exc.message}, status=409)


@never_cache
@login_required
def notices(request):
    return render(
        request,
        "support/notices.html",
        {
            "deliveries": notices_for(member=request.user),
            "subscriptions": subscriptions_of(member=request.user),
        },
    )


@never_cache
@login_required
@require_POST
@rate_limited("unsubscribe")
def unsubscribe_signed_in(request, kind):
    if kind not in Announcement.Kind.values:
        raise Http404
    try:
        services.subscription_cancel(
            member=request.user, kind=kind, actor=Actor.from_request(request)
        )
    except errors.UnsubscribeRefused as exc:
        return _refused(request, exc)
    messages.success(request, UNSUBSCRIBED)
    return redirect("support:notices")


# Mail programs unsubscribe with a POST of their own (RFC 8058), without our CSRF cookie;
# the signed token is what proves the request, and it can only ever unsubscribe.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("unsubscribe")
def unsubscribe(request, token):
    """GET asks (link checkers in mail systems follow links; they must not unsubscribe
    anyone), POST unsubscribes. A link we did not make changes nothing: 400."""
    signed = unsubscribe_request(token)
    member = None
    if signed is not None:
        member = get_user_model().objects.filter(pk=signed[0], is_active=True).first()
    if member is None or signed[1] not in Announcement.Kind.values:
        return render(request, "support/bad_link.html", status=400)
    kind = signed[1]
    if request.method == "GET":
        if kind == Announcement.Kind.SERVICE:
            return _refused(
                request, errors.UnsubscribeRefused(errors.SERVICE_ANNOUNCEMENTS_MANDATORY)
            )
        return render(
            request,
            "support/unsubscribe.html",
            {"subscribed": member.newsletter_opt_in, "done": False},
        )
    try:
        services.subscription_cancel(
            member=member, kind=kind, actor=Actor(user=None, ip=Actor.from_request(request).ip)
        )
    except errors.UnsubscribeRefused as exc:
        return _refused(request, exc)
    return render(request, "support/unsubscribe.html", {"subscribed": False, "done": True})
