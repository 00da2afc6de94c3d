"""The public directory and a member's public profile page (browser pages)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request

from accounts.directory.filters import DirectoryFilter
from accounts.directory.pagination import DirectoryPagination
from accounts.directory.selectors import directory_rows
from accounts.profile.selectors import (
    profile_for_viewer,
    public_view,
    public_views,
    viewer_visibilities,
)


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
