"""The public directory and a member's public profile page (browser pages).

Anonymous visitors' whole pages come from the cache (public_cache.public_page) when they
hold nothing of the visitor's own; otherwise their listings and profiles do. The filter
form, which depends on the query alone, is kept in each process for everyone.
"""

from django.core.cache import caches
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request

from accounts.directory.filters import DirectoryFilter
from accounts.directory.pagination import DirectoryPagination
from accounts.directory.public_cache import public_page, public_read, query_key
from accounts.directory.selectors import directory_rows
from accounts.profile.selectors import (
    profile_for_viewer,
    public_view,
    public_views,
    viewer_visibilities,
)

BAD_PAGE_LINK = "That page link is not valid; start again."
RESULTS = "accounts/_directory_results.html"
FORMS = "forms"


def _results(request, filterset) -> str | None:
    """The listing's HTML for this request, or None for a page link that is not valid."""
    paginator = DirectoryPagination()
    try:
        page = paginator.paginate_queryset(filterset.qs, Request(request))
    except ApiValidationError:
        return None
    rows = public_views(page, viewer_visibilities(request.user))
    context = {
        "rows": rows,
        "next_link": paginator.get_next_link() if rows else None,
        "previous_link": paginator.get_previous_link() if rows else None,
    }
    return render_to_string(RESULTS, context, request)


@never_cache
def directory(request):
    """The public directory: visitors see 'everyone' fields, members also 'members only'.
    A visitor's whole page comes from the cache when it holds nothing of their own."""
    if request.user.is_authenticated:
        return _directory_page(request)
    if request.GET:
        # A kept page does not run the view: the interest is noted here (ConsentMiddleware
        # keeps it only from a page answered 200, and only with interest consent).
        request.interest = request.GET.urlencode()
    return public_page("directory-page", request, lambda: _directory_page(request))


def _directory_page(request):
    filterset = DirectoryFilter(request.GET or None, queryset=directory_rows(), request=request)
    results, status = None, 200
    if filterset.is_bound and not filterset.is_valid():
        status = 400
    else:
        if request.user.is_authenticated:
            results = _results(request, filterset)
        else:
            results = public_read(
                "directory-page",
                request,
                lambda: (made := _results(request, filterset), made is not None),
            )
        if results is None:
            status = 400
            filterset.form.add_error(None, BAD_PAGE_LINK)
        if filterset.is_bound:
            # An interest the site may remember, if the visitor allowed interest cookies.
            request.interest = request.GET.urlencode()
    if results is None:
        results = render_to_string(RESULTS, {"rows": []}, request)

    def form_html():
        return render_to_string("includes/form.html", {"form": filterset.form}, request)

    # A form with errors says so, and is made for this request only.
    form = _kept_form(request, form_html) if status == 200 else form_html()
    return render(
        request,
        "accounts/directory.html",
        {"filter": filterset, "filter_form": form, "results": results},
        status=status,
    )


def _kept_form(request, make) -> str:
    """The filter form for this query, kept in this process (the `forms` cache): it
    depends on the query and the language alone, so no change to the directory alters it,
    and it was a third of a directory page made afresh (bench/pages.py)."""
    key = query_key("directory-form", request)
    form = caches[FORMS].get(key)
    if form is None:
        form = make()
        caches[FORMS].set(key, form)
    return form


def _shown_to_visitor(username, visitor):
    profile = profile_for_viewer(username, visitor)
    return None if profile is None else public_view(profile, viewer_visibilities(visitor))


@never_cache
def profile_detail(request, username):
    if not request.user.is_authenticated:
        return public_page("profile-page", request, lambda: _visitor_profile(request, username))
    profile = profile_for_viewer(username, request.user)
    if profile is None:
        raise Http404
    visibilities = viewer_visibilities(request.user, owner=profile.member)
    shown, is_owner = public_view(profile, visibilities), profile.member_id == request.user.pk
    return render(
        request,
        "accounts/profile_detail.html",
        {"shown": shown, "is_owner": is_owner},
    )


def _visitor_profile(request, username):
    shown = public_read(
        "profile-page",
        request,
        lambda: (made := _shown_to_visitor(username, request.user), made is not None),
    )
    if shown is None:
        raise Http404
    return render(request, "accounts/profile_detail.html", {"shown": shown, "is_owner": False})
