from django import forms
from django.core.exceptions import ValidationError

from accounts.forms import AdminSignInForm
from accounts.staff_otp import services
from privacy.audit.services import Actor

CODE_HELP = "The 6-digit code your authenticator app shows, or one of your recovery codes."


def _code_field(**kwargs):
    return forms.CharField(
        label="Authentication code",
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
        **kwargs,
    )


class StaffSignInForm(AdminSignInForm):
    """The admin's sign-in: login, password and, once a device is enrolled, its code."""

    otp_token = _code_field(
        required=False,
        help_text=CODE_HELP + " Leave it empty only if you have not set up two-factor sign-in yet.",
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None or services.needs_enrolment(user):
            return cleaned  # signed in without a device: sent straight to enrolment
        code = cleaned.get("otp_token", "")
        device = None
        if code:
            device = services.staff_code_verify(
                user=user,
                actor=Actor(user=user, ip=Actor.from_request(self.request).ip),
                code=code,
            )
        if device is None:
            services.count_failed_attempt(request=self.request, login=cleaned.get("username", ""))
            self.user_cache = None
            raise ValidationError(
                {"otp_token": services.WRONG_CODE if code else services.CODE_REQUIRED}
            )
        user.otp_device = device  # django-otp keeps it in the session at login
        return cleaned


class EnrolForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field(help_text="The 6-digit code the app shows after you add the key.")
