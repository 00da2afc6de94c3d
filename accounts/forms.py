"""Page forms. Their fields come from the model and the privacy registry; the rules that
decide whether a change is allowed live in the services, which the views call."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.models import fields_for_model

from accounts.models import USERNAME_REQUIRED, PublicProfile, User
from privacy.registry import registry

PASSWORDS_DIFFER = "The two passwords differ."


def _member_editable(topic: str) -> list[str]:
    return registry.member_fields(User, topic=topic, editable=True)


class SignUpForm(forms.Form):
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password; not like your name.",
    )
    password_confirm = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        derived = fields_for_model(User, fields=["login_name", *_member_editable("account")])
        derived["login_name"].widget.attrs["autocomplete"] = "username"
        derived["email"].widget.attrs["autocomplete"] = "email"
        self.fields = {**derived, **self.fields}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", PASSWORDS_DIFFER)
        return cleaned


SIGN_IN_FAILED = (
    "That login name or e-mail and password do not match an account. "
    "The password is case-sensitive."
)


class SignInForm(AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": SIGN_IN_FAILED}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Login name or e-mail"
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254


class _MemberFieldsForm(forms.Form):
    topic = ""

    def __init__(self, *args, user: User, **kwargs):
        names = _member_editable(self.topic)
        kwargs.setdefault("initial", {name: getattr(user, name) for name in names})
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(User, fields=names))

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class AccountForm(_MemberFieldsForm):
    topic = "account"


class SettingsForm(_MemberFieldsForm):
    topic = "settings"


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ProfileForm(forms.Form):
    """The member's public profile: fields and visibility choices come from the registry
    in declaration order (each field, then who may see it)."""

    def __init__(self, *args, profile=None, **kwargs):
        names = registry.member_fields(PublicProfile, topic="profile", editable=True)
        if profile is not None:
            kwargs.setdefault("initial", {n: getattr(profile, n) for n in names})
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(PublicProfile, fields=names))
        self.fields["username"].error_messages["required"] = USERNAME_REQUIRED
        self.fields["birth_date"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["birth_date"].label = "Date of birth"
        for name, field in self.fields.items():
            if name.endswith("_visibility"):
                field.label = "Who sees it"

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}
