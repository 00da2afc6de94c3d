"""The legal request's own admin pages: intake, one page per workflow step, adding targets
and documents, the documents and the package (served to legal roles only, each opening
recorded; never through MEDIA_URL) and IP tracing. Every change is done by a service
(privacy.legal.services), whose refusals are shown with `message_user`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from bestqm.http.form_errors import add_service_errors
from bestqm.http.record_keys import parse_key
from privacy.audit.services import Actor
from privacy.legal.access import is_legal_staff
from privacy.legal.admin.forms import (
    DocumentForm,
    DocumentFormSet,
    IntakeForm,
    TargetAddForm,
    TargetFormSet,
    TraceAccountForm,
    TraceAddressForm,
)
from privacy.legal.admin.steps import STEPS, Step
from privacy.legal.errors import LegalRequestError
from privacy.legal.intake import (
    TARGETS_OPEN,
    DocumentInput,
    TargetInput,
    legal_document_add,
    legal_document_open,
    legal_request_create,
    legal_target_add,
)
from privacy.legal.models import LegalDocument, LegalRequest
from privacy.legal.packages import package_open
from privacy.legal.scope import APPROVER_NAMED, unlockable_categories
from privacy.legal.trace import legal_trace_account, legal_trace_address
from privacy.registry import Category

Status = LegalRequest.Status
RECORDED = "Legal request #{pk} was recorded; its targets' data is held."


def _members_get_404(view):
    """A signed-in member is told nothing exists here (the admin would send them to sign
    in as staff, which says there is something)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


class LegalCasePages:
    """The pages of LegalRequestAdmin beyond Django's list and change page."""

    # -- URLs ------------------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        urls = [
            path(
                "<int:pk>/step/<slug:step>/", view(self.step_view), name="privacy_legalrequest_step"
            ),
            path(
                "<int:pk>/targets/add/",
                view(self.target_add_view),
                name="privacy_legalrequest_target_add",
            ),
            path(
                "<int:pk>/documents/add/",
                view(self.document_add_view),
                name="privacy_legalrequest_document_add",
            ),
            path(
                "<int:pk>/documents/<int:document_pk>/",
                view(self.document_view),
                name="privacy_legalrequest_document",
            ),
            path(
                "<int:pk>/package/<str:token>/",
                view(self.package_view),
                name="privacy_legalrequest_package",
            ),
            path(
                "<int:pk>/trace/address/",
                view(self.trace_address_view),
                name="privacy_legalrequest_trace_address",
            ),
            path(
                "<int:pk>/trace/account/",
                view(self.trace_account_view),
                name="privacy_legalrequest_trace_account",
            ),
            *super().get_urls(),
        ]
        return [
            URLPattern(u.pattern, _members_get_404(u.callback), u.default_args, u.name)
            if isinstance(u, URLPattern)
            else u
            for u in urls
        ]

    def _case(self, request, pk) -> LegalRequest:
        if not is_legal_staff(request.user):
            raise PermissionDenied
        return get_object_or_404(LegalRequest, pk=pk)

    def _back(self, case):
        return redirect("admin:privacy_legalrequest_change", case.pk)

    def _page(self, request, template: str, case: LegalRequest | None, title: str, **context):
        status = context.pop("status", 200)
        return TemplateResponse(
            request,
            f"admin/privacy/{template}",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "case": case,
                "opts": self.model._meta,
                **context,
            },
            status=status,
        )

    def _run(self, request, case, work: Callable[[], object], done: str, form=None):
        """Do one service call: success → back to the case with `done`; a refusal →
        message_user; bad input → errors on the form. Returns a response or None."""
        try:
            work()
        except LegalRequestError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return None if form is not None else self._back(case)
        except ValidationError as exc:
            if form is None:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return self._back(case)
            add_service_errors(form, exc)
            return None
        self.message_user(request, done, messages.SUCCESS)
        return self._back(case)

    # -- intake ----------------------------------------------------------------------------
    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        post = request.method == "POST"
        form = IntakeForm(request.POST if post else None)
        targets = TargetFormSet(request.POST if post else None, prefix="targets")
        documents = DocumentFormSet(
            request.POST if post else None, request.FILES if post else None, prefix="documents"
        )
        if post and form.is_valid() and targets.is_valid() and documents.is_valid():
            rows = [(f, _target_input(f.cleaned_data)) for f in targets.forms if f.has_changed()]
            files = [
                (f, DocumentInput(f.cleaned_data["title"], f.cleaned_data["file"]))
                for f in documents.forms
                if f.cleaned_data.get("file") or f.cleaned_data.get("title")
            ]
            try:
                case = legal_request_create(
                    actor=Actor.from_request(request),
                    **form.cleaned_data,
                    targets=[t for _, t in rows],
                    documents=[d for _, d in files],
                )
            except LegalRequestError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            except ValidationError as exc:
                _show_intake_errors(exc, form, [f for f, _ in rows], [f for f, _ in files])
            else:
                self.message_user(request, RECORDED.format(pk=case.pk), messages.SUCCESS)
                return self._back(case)
        invalid = post and (
            form.errors or targets.total_error_count() or documents.total_error_count()
        )
        return self._page(
            request,
            "legal_intake.html",
            None,
            "Record a legal request",
            form=form,
            targets=targets,
            documents=documents,
            status=400 if invalid else 200,
        )

    # -- steps -----------------------------------------------------------------------------
    def step_view(self, request, pk, step):
        case = self._case(request, pk)
        chosen = STEPS.get(step)
        if chosen is None:
            raise Http404
        post = request.method == "POST"
        form = None
        if chosen.form is not None:
            form = chosen.form(request.POST if post else None, request.FILES if post else None)
        if post and (form is None or form.is_valid()):
            data = form.cleaned_data if form is not None else {}
            actor = Actor.from_request(request)
            response = self._run(
                request, case, lambda: chosen.run(case, actor, data), chosen.done, form
            )
            if response is not None:
                return response
        unlockable = []
        if step == "approve":
            allowed = unlockable_categories(case.request_type)
            unlockable = [category.label for category in Category if category in allowed]
        return self._page(
            request,
            "legal_step.html",
            case,
            f"{chosen.label}: {case}",
            step=chosen,
            form=form,
            unlockable=unlockable,
            scope_needs_reason=case.request_type in APPROVER_NAMED,
            status=400 if post and form is not None and form.errors else 200,
        )

    def target_add_view(self, request, pk):
        case = self._case(request, pk)
        post = request.method == "POST"
        actor = Actor.from_request(request)
        if post and request.POST.get("member"):
            # "Add to the case" from an IP trace's result.
            member = _traced_member(request.POST["member"])
            return self._run(
                request,
                case,
                lambda: legal_target_add(request=case, actor=actor, target=None, member=member),
                "The account was added as a target; its data is held.",
            )
        form = TargetAddForm(request.POST if post else None)
        if post and form.is_valid():
            target = _target_input(form.cleaned_data)
            response = self._run(
                request,
                case,
                lambda: legal_target_add(request=case, actor=actor, target=target),
                "The target was added; its data is held.",
                form,
            )
            if response is not None:
                return response
        return self._page(
            request,
            "legal_step.html",
            case,
            f"Add a target: {case}",
            step=Step("Add the target", lambda *a: None, ""),
            form=form,
            status=400 if post and form.errors else 200,
        )

    # -- documents and the package -----------------------------------------------------------
    def document_add_view(self, request, pk):
        case = self._case(request, pk)
        post = request.method == "POST"
        form = DocumentForm(request.POST if post else None, request.FILES if post else None)
        if post and form.is_valid():
            document = DocumentInput(form.cleaned_data["title"], form.cleaned_data["file"])
            actor = Actor.from_request(request)
            response = self._run(
                request,
                case,
                lambda: legal_document_add(request=case, actor=actor, document=document),
                "The document was added.",
                form,
            )
            if response is not None:
                return response
        return self._page(
            request,
            "legal_step.html",
            case,
            f"Add a document: {case}",
            step=Step("Add the document", lambda *a: None, ""),
            form=form,
            status=400 if post and form.errors else 200,
        )

    def document_view(self, request, pk, document_pk):
        case = self._case(request, pk)
        document = get_object_or_404(LegalDocument, pk=document_pk, request=case)
        try:
            handle = legal_document_open(document=document, actor=Actor.from_request(request))
        except LegalRequestError as exc:
            raise PermissionDenied from exc
        name = PurePosixPath(document.file.name).name
        return FileResponse(handle, as_attachment=True, filename=name)

    def package_view(self, request, pk, token):
        case = self._case(request, pk)
        try:
            handle = package_open(request=case, actor=Actor.from_request(request), token=token)
        except LegalRequestError as exc:
            status = 410 if exc.code == "package_expired" else 404
            return HttpResponse(exc.message, status=status, content_type="text/plain")
        filename = f"legal-request-{case.pk}-package.zip"
        return FileResponse(handle, as_attachment=True, filename=filename)

    # -- IP tracing ------------------------------------------------------------------------
    def trace_address_view(self, request, pk):
        case = self._case(request, pk)
        form = TraceAddressForm(request.GET if "network" in request.GET else None)
        found = None
        if form.is_bound and form.is_valid():
            found = self._trace(
                request, case, form, legal_trace_address, network=form.cleaned_data["network"]
            )
        return self._trace_page(request, case, form, found, "Which accounts used an IP address")

    def trace_account_view(self, request, pk):
        case = self._case(request, pk)
        form = TraceAccountForm(request.GET if "target" in request.GET else None, request=case)
        found = None
        if form.is_bound and form.is_valid():
            found = self._trace(
                request, case, form, legal_trace_account, target=form.cleaned_data["target"]
            )
        return self._trace_page(request, case, form, found, "Which addresses an account used")

    def _trace(self, request, case, form, lookup, **kwargs):
        try:
            return lookup(
                request=case,
                actor=Actor.from_request(request),
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                **kwargs,
            )
        except LegalRequestError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        except ValidationError as exc:
            add_service_errors(form, exc)
        return None

    def _trace_page(self, request, case, form, found, title):
        return self._page(
            request,
            "legal_trace.html",
            case,
            f"{title}: {case}",
            form=form,
            found=found,
            may_add_targets=case.status in TARGETS_OPEN,
            status=400 if form.is_bound and form.errors else 200,
        )


def _target_input(data: dict) -> TargetInput:
    return TargetInput(
        kind=data["kind"],
        value=data.get("value") or "",
        window_start=data.get("window_start"),
        window_end=data.get("window_end"),
    )


def _traced_member(value: str):
    from django.contrib.auth import get_user_model

    key = parse_key(value)
    if key is None:
        raise Http404
    return get_object_or_404(get_user_model(), pk=key)


def _show_intake_errors(exc: ValidationError, form, target_forms, document_forms) -> None:
    """Put each of the service's errors beside its field: "targets.2.value" on the third
    target row given, "due_at" on the intake form, "targets" above the rows."""
    for key, problems in exc.message_dict.items():
        parts = key.split(".")
        rows = {"targets": target_forms, "documents": document_forms}.get(parts[0])
        if rows is not None and len(parts) == 3 and int(parts[1]) < len(rows):
            rows[int(parts[1])].add_error(parts[2], problems)
        else:
            form.add_error(key if key in form.fields else None, problems)
