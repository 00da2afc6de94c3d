"""The member's public profile and the public directory (browser pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm
from accounts.models import PublicProfile, Visibility
from accounts.profile import services
from accounts.profile.selectors import (
    profile_of,
    public_view,
)
from bestqm.http.form_errors import add_service_errors
from privacy.audit.services import Actor

PROFILE_SAVED = "Your public profile was saved."
FIELD_REMOVED = "Removed. It no longer appears anywhere."
PROFILE_REMOVED = "Your public profile was removed. Nothing of it is shown anywhere any more."


def _profile_page(request, profile, form, status=200):
    visitor = member = None
    if profile is not None:
        visitor = public_view(profile, (Visibility.EVERYONE,))
        member = public_view(profile, (Visibility.EVERYONE, Visibility.MEMBERS))
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": profile,
            "form": form,
            "as_visitor": visitor,
            "as_member": member,
            "own_view": public_view(profile, tuple(Visibility.values)) if profile else None,
            "removable": services.removable_profile_fields(),
        },
        status=status,
    )


@never_cache
@login_required
def my_profile(request):
    profile = profile_of(request.user)
    if request.method != "POST":
        return _profile_page(request, profile, ProfileForm(instance=profile))
    form = ProfileForm(request.POST, instance=profile)
    if form.is_valid():
        try:
            services.profile_save(
                member=request.user,
                actor=Actor.from_request(request),
                data=form.changed_values() if profile else form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, PROFILE_SAVED)
            return redirect("profile:mine")
    return _profile_page(request, profile, form, status=400)


@never_cache
@login_required
@require_POST
def remove_field(request, field):
    try:
        services.profile_field_remove(
            member=request.user, actor=Actor.from_request(request), field=field
        )
    except (ValidationError, PublicProfile.DoesNotExist) as exc:
        raise Http404 from exc
    messages.success(request, FIELD_REMOVED)
    return redirect("profile:mine")


@never_cache
@login_required
def remove_profile(request):
    profile = profile_of(request.user)
    if profile is None:
        return redirect("profile:mine")
    if request.method == "POST":
        services.profile_remove(member=request.user, actor=Actor.from_request(request))
        messages.success(request, PROFILE_REMOVED)
        return redirect("profile:mine")
    return render(request, "accounts/profile_remove.html", {"profile": profile})
