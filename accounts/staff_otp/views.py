from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login

from accounts.staff_otp import qr, services
from accounts.staff_otp.forms import EnrolForm
from bestqm.http.form_errors import add_service_errors
from privacy.audit.services import Actor


@method_decorator([never_cache, csrf_protect], name="dispatch")
class EnrolView(View):
    """Set up an authenticator app: the key as a QR code drawn here and as text, then a
    first code from the app to confirm it. Only a staff account without a device opens it."""

    template_name = "admin/staff_otp/enrol.html"
    admin_site = None

    def dispatch(self, request, *args, **kwargs):
        if not services.needs_enrolment(request.user):
            if self.admin_site.has_permission(request):
                return redirect("admin:index")
            login_url = reverse("admin:login")
            return redirect(f"{login_url}?{REDIRECT_FIELD_NAME}={reverse('admin:index')}")
        return super().dispatch(request, *args, **kwargs)

    def _page(self, request, form, status=200):
        device = services.pending_app_device(user=request.user)
        return render(
            request,
            self.template_name,
            {
                **self.admin_site.each_context(request),
                "title": "Set up two-factor sign-in",
                "form": form,
                "qr_svg": qr.svg(device.config_url),
                "key_text": qr.key_text(device),
            },
            status=status,
        )

    def get(self, request):
        return self._page(request, EnrolForm())

    def post(self, request):
        form = EnrolForm(request.POST)
        if form.is_valid():
            try:
                codes = services.staff_device_enrol(
                    user=request.user,
                    actor=Actor.from_request(request),
                    request=request,
                    password=form.cleaned_data["password"],
                    code=form.cleaned_data["code"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                otp_login(request, request.enrolled_device)
                return render(
                    request,
                    "admin/staff_otp/recovery_codes.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": "Your recovery codes",
                        "codes": codes,
                    },
                )
        return self._page(request, form, status=400)
