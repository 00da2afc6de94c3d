"""The page form of sharing details with a partner."""

from django import forms

from support.partners.selectors import shareable_fields

CONFIRM_SHARE = "Tick the box to confirm that you want to send these details."


class PartnerShareForm(forms.Form):
    """The member's explicit go-ahead. `shown` carries back the details the member was
    shown, so that a list changed in the meantime is refused instead of sent."""

    shown = forms.MultipleChoiceField(widget=forms.MultipleHiddenInput)
    confirm = forms.BooleanField(error_messages={"required": CONFIRM_SHARE})

    def __init__(self, *args, partner, **kwargs):
        kwargs.setdefault("initial", {"shown": list(partner.shared_fields)})
        super().__init__(*args, **kwargs)
        self.fields["shown"].choices = [(name, name) for name in shareable_fields()]
        self.fields["confirm"].label = (
            f"I want to send these details to {partner.name}, and I understand that once "
            f"sent, {partner.name}'s own privacy policy applies to them, not BestQM's."
        )
