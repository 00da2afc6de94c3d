"""Pages of e-mail confirmation and e-mail change (accounts.email_verification). Each link
is opened with GET, which only asks; the button POSTs, which acts: mail systems that
follow links to scan them must not confirm or undo anything."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import email_verification
from bestqm.http.rate_limits import rate_limited
from bestqm.http.site_url import site_url
from privacy.audit.services import Actor

SENT_AGAIN = "We sent the confirmation link again. It may take a minute to arrive."
CONFIRMED = "Your e-mail address is confirmed. Welcome to BestQM."
CHANGED = "Your e-mail address is now {email}."
REVERTED = (
    "Your e-mail address is {email} again, and every session of your account was ended. "
    "If you did not ask for the change, choose a new password now."
)

_PAGES = {
    "confirm": {
        "title": "Confirm your e-mail address",
        "text": "Press the button to confirm that this e-mail address is yours.",
        "button": "Confirm my e-mail address",
        "service": email_verification.email_confirm,
    },
    "change": {
        "title": "Confirm your new e-mail address",
        "text": "Press the button to make this your BestQM e-mail address.",
        "button": "Use this e-mail address",
        "service": email_verification.email_change_confirm,
    },
    "revert": {
        "title": "Undo the change of your e-mail address",
        "text": "Press the button to put your previous e-mail address back and sign out "
        "everyone who is signed in to your account, on every device.",
        "button": "Undo the change and sign everyone out",
        "service": email_verification.email_change_revert,
    },
}


def _link_page(request, token, kind):
    page = _PAGES[kind]
    if request.method == "GET":
        return render(request, "accounts/email_link.html", {"page": page})
    try:
        user = page["service"](token=token, actor=Actor.from_request(request))
    except ValidationError as exc:
        return render(
            request,
            "accounts/email_link.html",
            {"page": page, "error": exc.messages[0]},
            status=400,
        )
    if kind == "confirm":
        messages.success(request, CONFIRMED)
    elif kind == "change":
        messages.success(request, CHANGED.format(email=user.email))
    else:
        messages.success(request, REVERTED.format(email=user.email))
        return redirect("accounts:login")
    return redirect("accounts:account" if request.user.is_authenticated else "accounts:login")


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm_view(request, token):
    return _link_page(request, token, "confirm")


@never_cache
@require_http_methods(["GET", "POST"])
def email_change_confirm_view(request, token):
    return _link_page(request, token, "change")


@never_cache
@require_http_methods(["GET", "POST"])
def email_change_revert_view(request, token):
    return _link_page(request, token, "revert")


@never_cache
@login_required
@require_POST
@rate_limited("confirmation_resend")
def confirmation_resend_view(request):
    if request.user.email_verified_at is not None:
        messages.info(request, email_verification.ALREADY_CONFIRMED)
    else:
        email_verification.confirmation_queue(user=request.user, base_url=site_url(request))
        messages.success(request, SENT_AGAIN)
    return redirect("accounts:account")
