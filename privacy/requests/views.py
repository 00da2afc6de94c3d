"""The member's export, correction and deletion requests (browser pages)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bestqm.http.form_errors import add_service_errors
from bestqm.http.rate_limits import rate_limited
from privacy.audit.services import Actor
from privacy.requests.errors import DataRequestError
from privacy.requests.exports import export_open
from privacy.requests.forms import CorrectionForm, DeletionForm
from privacy.requests.models import DataRequest
from privacy.requests.selectors import (
    data_request_of,
    waiting_on_legal_obligation,
)
from privacy.requests.services import data_request_cancel, data_request_create

ALREADY_OPEN = "You already have an open {kind} request; here it is."
EXPORT_STARTED = "We are building your export. This page shows its progress."
CORRECTION_SENT = "Your correction request was sent. A privacy officer will review each field."
REQUEST_CANCELLED = "Your request is cancelled."


def _already_open(request, data_request):
    kind = data_request.get_kind_display().split(" ")[0].lower()
    messages.info(request, ALREADY_OPEN.format(kind=kind))
    return redirect("privacy:request", pk=data_request.pk)


@require_POST
@login_required
@rate_limited("data_request")
def export_request(request):
    data_request, created = data_request_create(
        member=request.user, actor=Actor.from_request(request), kind=DataRequest.Kind.EXPORT
    )
    if not created:
        return _already_open(request, data_request)
    messages.success(request, EXPORT_STARTED)
    return redirect("privacy:request", pk=data_request.pk)


@never_cache
@login_required
@rate_limited("data_request")
def correction_request(request):
    form = CorrectionForm(request.POST if request.method == "POST" else None, member=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            data_request, created = data_request_create(
                member=request.user,
                actor=Actor.from_request(request),
                kind=DataRequest.Kind.CORRECTION,
                corrections=form.proposals(),
            )
        except ValidationError as exc:
            for key, problems in exc.message_dict.items():
                form.add_error(form.field_name_for(key), problems)
        else:
            if not created:
                return _already_open(request, data_request)
            messages.success(request, CORRECTION_SENT)
            return redirect("privacy:request", pk=data_request.pk)
    status = 400 if form.errors else 200
    return render(request, "privacy/correction_request.html", {"form": form}, status=status)


@never_cache
@login_required
@rate_limited("data_request")
def deletion_request(request):
    form = DeletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            data_request, created = data_request_create(
                member=request.user,
                actor=Actor.from_request(request),
                kind=DataRequest.Kind.DELETION,
                password=form.cleaned_data["password"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not created:
                return _already_open(request, data_request)
            # Every session has just ended, this one included.
            logout(request)
            return render(request, "privacy/deletion_requested.html", {"request_": data_request})
    status = 400 if form.errors else 200
    return render(
        request,
        "privacy/deletion_request.html",
        {"form": form, "grace_days": settings.DELETION_GRACE_DAYS},
        status=status,
    )


@never_cache
@login_required
def request_detail(request, pk):
    data_request = data_request_of(request.user, pk)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "request_": data_request,
            "items": data_request.items.all(),
            "waiting": waiting_on_legal_obligation(data_request),
        },
    )


@require_POST
@login_required
def request_cancel(request, pk):
    data_request = data_request_of(request.user, pk)
    try:
        data_request_cancel(request=data_request, actor=Actor.from_request(request))
    except DataRequestError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, REQUEST_CANCELLED)
    return redirect("privacy:request", pk=pk)


@never_cache
@login_required
def export_download(request, pk):
    data_request = data_request_of(request.user, pk)
    try:
        handle = export_open(request=data_request, actor=Actor.from_request(request))
    except DataRequestError as exc:
        status = 410 if exc.code == "export_expired" else 404
        return HttpResponse(exc.message, status=status, content_type="text/plain")
    return FileResponse(handle, as_attachment=True, filename=f"bestqm-export-{data_request.pk}.zip")
