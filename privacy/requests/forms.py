"""Page forms of data requests: what the member types; the services decide."""

from django import forms

from privacy.requests.correctable_fields import correctable_fields_of
from privacy.requests.services import ProposedCorrection


class DeletionForm(forms.Form):
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="We ask again so that nobody else can delete your account from your browser.",
    )


class CorrectionForm(forms.Form):
    """One optional input per correctable field, labelled with its current value."""

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.correctable = {f.key.replace(":", "__"): f for f in correctable_fields_of(member)}
        for name, found in self.correctable.items():
            self.fields[name] = forms.CharField(
                label=found.label,
                required=False,
                max_length=found.declaration.model._meta.get_field(found.personal.name).max_length
                or 2000,
                help_text=f"Now: {found.current_value or '—'}",
            )

    def proposals(self) -> list[ProposedCorrection]:
        return [
            ProposedCorrection(
                model_label=found.model_label,
                object_id=str(found.obj.pk),
                field_name=found.personal.name,
                proposed_value=self.cleaned_data[name],
            )
            for name, found in self.correctable.items()
            if self.cleaned_data.get(name, "").strip()
        ]

    def field_name_for(self, key: str) -> str | None:
        name = key.replace(":", "__")
        return name if name in self.fields else None
