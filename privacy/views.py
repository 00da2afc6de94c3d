"""Browser pages of the privacy app: the policy, the transparency report, cookie choice,
and the member's privacy centre with export, correction and deletion requests."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from bestqm.form_errors import add_service_errors
from privacy.consent import consent_record
from privacy.data_request_errors import DataRequestError
from privacy.data_request_selectors import (
    consent_history_of,
    data_request_of,
    data_requests_of,
    waiting_on_legal_obligation,
)
from privacy.data_request_services import (
    data_request_cancel,
    data_request_create,
    export_open,
)
from privacy.forms import ConsentForm, CorrectionForm, DeletionForm
from privacy.models import DataRequest
from privacy.policy_clauses import CLAUSES
from privacy.selectors import staff_views_of
from privacy.services import Actor
from privacy.transparency import FIGURES, transparency_report
from privacy.transparency_chart import bar_chart
from support.selectors import partner_shares_of

ALREADY_OPEN = "You already have an open {kind} request; here it is."
EXPORT_STARTED = "We are building your export. This page shows its progress."
CORRECTION_SENT = "Your correction request was sent. A privacy officer will review each field."
REQUEST_CANCELLED = "Your request is cancelled."
CONSENT_SAVED = "Your cookie choice was saved."


def _links(clause):
    links = []
    for label, name in clause.links:
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:
            continue  # a page that this installation does not offer
    return links


def policy(request):
    clauses = [(clause, _links(clause)) for clause in CLAUSES]
    return render(request, "privacy/policy.html", {"clauses": clauses})


@require_safe
def transparency(request):
    """The public transparency report: anyone may read it, and it names no one."""
    report = transparency_report()
    context = {"report": report, "chart": bar_chart(report), "figures": FIGURES}
    return render(request, "privacy/transparency.html", context)


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


def _already_open(request, data_request):
    kind = data_request.get_kind_display().split(" ")[0].lower()
    messages.info(request, ALREADY_OPEN.format(kind=kind))
    return redirect("privacy:request", pk=data_request.pk)


@require_POST
@login_required
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
def deletion_request(request):
    form = DeletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            data_request, created = data_request_create(
                member=request.user,
                actor=Actor.from_request(request),
                kind=DataRequest.Kind.DELETION,
                password=form.cleaned_data["password"],
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
