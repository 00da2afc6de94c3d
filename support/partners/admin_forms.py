"""The partner form of the admin."""

from django import forms

from support.models import Partner
from support.partners.selectors import field_label, shareable_fields

PARTNER_ASKS_NOTHING = "Choose at least one detail the partner receives when a member shares."


class PartnerForm(forms.ModelForm):
    website = forms.URLField(assume_scheme="https")
    privacy_policy_url = forms.URLField(label="Privacy policy address", assume_scheme="https")
    shared_fields = forms.MultipleChoiceField(
        label="Details a share sends",
        widget=forms.CheckboxSelectMultiple,
        help_text="Members see exactly these, with their values, before they decide.",
        error_messages={"required": PARTNER_ASKS_NOTHING},
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "slug",
            "description",
            "website",
            "privacy_policy_url",
            "shared_fields",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_fields"].choices = [
            (name, field_label(name)) for name in shareable_fields()
        ]
