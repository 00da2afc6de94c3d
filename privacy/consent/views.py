"""Cookie choice pages: what each kind of cookie does, and the visitor's choice."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from privacy.consent.forms import ConsentForm
from privacy.consent.selectors import consent_history_of
from privacy.consent.services import consent_record

CONSENT_SAVED = "Your cookie choice was saved."


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def consent(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/cookies.html", {"form": form}, status=400)
    response = HttpResponseRedirect(_safe_next(request, reverse("privacy:cookies")))
    consent_record(request=request, response=response, choice=form.cleaned_data["choice"])
    messages.success(request, CONSENT_SAVED)
    return response


@never_cache
def cookies(request):
    current = getattr(request, "consent", None)
    form = ConsentForm(initial={"choice": current.choice if current else None})
    history = consent_history_of(request.user)[:20] if request.user.is_authenticated else []
    return render(request, "privacy/cookies.html", {"form": form, "history": history})
