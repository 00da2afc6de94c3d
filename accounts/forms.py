"""Page forms. Their fields come from the model and the privacy registry; the rules that
decide whether a change is allowed live in the services, which the views call."""

from dataclasses import dataclass

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.forms.models import fields_for_model

from accounts.models import USERNAME_REQUIRED, PublicProfile, User
from bestqm.prerendered_select import prerender_long_selects
from privacy.registry import registry

PASSWORDS_DIFFER = "The two passwords differ."


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
        derived = fields_for_model(
            User,
            fields=["login_name", *registry.member_fields(User, topic="account", editable=True)],
        )
        derived["login_name"].widget.attrs["autocomplete"] = "username"
        derived["email"].widget.attrs["autocomplete"] = "email"
        self.fields = {**derived, **self.fields}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", PASSWORDS_DIFFER)
        # The service checks the password again; checking it here too shows its problems
        # with every other field's, not one round trip later.
        if cleaned.get("password"):
            names = ("login_name", "email", "first_name", "last_name", "screen_name")
            person = User(**{n: cleaned.get(n) or "" for n in names if n in self.fields})
            try:
                password_validation.validate_password(cleaned["password"], person)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


SIGN_IN_FAILED = (
    "That login name or e-mail and password do not match an account. "
    "The password is case-sensitive."
)


LOGIN_MAX_LENGTH = 254


class _LoginLengthMixin:
    """A login longer than any account's is refused by the form, before django-axes tries
    to write it to its 255-character column; it still counts as a failed sign-in from the
    client's address (accounts.address_lockout).

    Django's AuthenticationForm sets `max_length` after the field is built, which adds no
    validator; this form adds the one that matters."""

    def _limit_login_length(self):
        field = self.fields["username"]
        field.max_length = LOGIN_MAX_LENGTH
        field.widget.attrs["maxlength"] = LOGIN_MAX_LENGTH
        field.validators = [*field.validators, MaxLengthValidator(LOGIN_MAX_LENGTH)]

    def clean(self):
        if "username" in self.errors and self.request is not None:
            from accounts.address_lockout import failure_count

            failure_count(self.request)
        return super().clean()


class SignInForm(_LoginLengthMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": SIGN_IN_FAILED}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Login name or e-mail"
        self._limit_login_length()


class AdminSignInForm(_LoginLengthMixin, AdminAuthenticationForm):
    """The admin's sign-in form, with the same length rule as the member's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_login_length()


class _RegistryFieldsForm(forms.Form):
    """A form of the fields the registry lets the member edit on one topic of a model,
    in declaration order, starting from the record's current values."""

    model = User
    topic = ""

    def __init__(self, *args, instance=None, **kwargs):
        names = registry.member_fields(self.model, topic=self.topic, editable=True)
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in names})
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(self.model, fields=names))
        prerender_long_selects(self.fields)

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class AccountForm(_RegistryFieldsForm):
    topic = "account"


class SettingsForm(_RegistryFieldsForm):
    topic = "settings"


class ReentryPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the current password checked as a counted sign-in
    attempt (accounts.password_reentry)."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        from accounts.password_reentry import password_reentry_check

        old_password = self.cleaned_data["old_password"]
        if not password_reentry_check(request=self.request, user=self.user, password=old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ProfileForm(_RegistryFieldsForm):
    """The member's public profile: each field, then who may see it."""

    model = PublicProfile
    topic = "profile"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = USERNAME_REQUIRED
        self.fields["birth_date"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["birth_date"].label = "Date of birth"
        for group in self._visibility_groups():
            self.fields[group.visibility].label = f"Who sees your {group.legend.lower()}"

    def _visibility_groups(self) -> list["VisibilityGroup"]:
        """Each visibility choice with the fields it governs, from the registry."""
        governed: dict[str, list[str]] = {}
        for declared in registry.published_fields(PublicProfile):
            if declared.visibility_field and declared.name in self.fields:
                governed.setdefault(declared.visibility_field, []).append(declared.name)
        return [
            VisibilityGroup(
                visibility,
                names,
                VISIBILITY_LEGENDS.get(visibility) or str(self[names[0]].label),
            )
            for visibility, names in governed.items()
            if visibility in self.fields
        ]

    def sections(self) -> list[dict]:
        """The form in order, for its template: a field alone, or a fieldset of the fields
        one visibility choice governs followed by that choice, under a legend that names
        them, so a screen reader says which field each "Who sees" select is for."""
        groups = {group.names[0]: group for group in self._visibility_groups()}
        grouped = {name for group in groups.values() for name in (*group.names, group.visibility)}
        sections = []
        for name in self.fields:
            if name in groups:
                group = groups[name]
                sections.append(
                    {
                        "legend": group.legend,
                        "fields": [self[n] for n in group.names],
                        "visibility": self[group.visibility],
                    }
                )
            elif name not in grouped:
                sections.append({"field": self[name]})
        return sections


@dataclass(frozen=True)
class VisibilityGroup:
    visibility: str
    names: list[str]
    legend: str


# The legend of each fieldset of the profile form: what one visibility choice covers.
VISIBILITY_LEGENDS = {
    "gender_visibility": "Gender",
    "age_visibility": "Age",
    "ethnic_background_visibility": "Ethnic background",
    "lifestyle_visibility": "Preferences and lifestyle",
    "location_visibility": "General location",
}
