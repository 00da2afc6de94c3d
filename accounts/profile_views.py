"""The member's public profile and the public directory (browser pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request

from accounts import services
from accounts.directory_filters import DirectoryFilter
from accounts.directory_pagination import DirectoryPagination
from accounts.forms import ProfileForm
from accounts.models import PublicProfile, Visibility
from accounts.selectors import (
    directory_rows,
    profile_for_viewer,
    profile_of,
    public_view,
    public_views,
    viewer_visibilities,
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


@never_cache
def directory(request):
    """The public directory: visitors see 'everyone' fields, members also 'members only'."""
    filterset = DirectoryFilter(request.GET or None, queryset=directory_rows(), request=request)
    rows, paginator, status = [], DirectoryPagination(), 200
    if filterset.is_bound and not filterset.is_valid():
        status = 400
    else:
        api_request = Request(request)
        try:
            page = paginator.paginate_queryset(filterset.qs, api_request)
        except ApiValidationError:
            page, status = [], 400
            filterset.form.add_error(None, "That page link is not valid; start again.")
        visibilities = viewer_visibilities(request.user)
        rows = public_views(page, visibilities)
        if filterset.is_bound:
            # An interest the site may remember, if the visitor allowed interest cookies.
            request.interest = request.GET.urlencode()
    return render(
        request,
        "accounts/directory.html",
        {
            "filter": filterset,
            "rows": rows,
            "next_link": paginator.get_next_link() if rows else None,
            "previous_link": paginator.get_previous_link() if rows else None,
        },
        status=status,
    )


@never_cache
def profile_detail(request, username):
    profile = profile_for_viewer(username, request.user)
    if profile is None:
        raise Http404
    visibilities = viewer_visibilities(request.user, owner=profile.member)
    return render(
        request,
        "accounts/profile_detail.html",
        {
            "shown": public_view(profile, visibilities),
            "is_owner": profile.member_id == request.user.pk,
        },
    )
