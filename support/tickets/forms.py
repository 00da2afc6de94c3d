"""Page forms of the support app. The rules that decide whether an action is allowed live
in the services, which the views call."""

from django import forms

from support.models import MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH
from support.tickets.selectors import shareable_fields

EMPTY_MESSAGE = "Write a message: it cannot be empty."
EMPTY_SUBJECT = "Say in a few words what you need help with."
CONFIRM_SHARE = "Tick the box to confirm that you want to send these details."


class TicketForm(forms.Form):
    subject = forms.CharField(
        max_length=SUBJECT_MAX_LENGTH,
        help_text="A few words about what you need help with.",
        error_messages={"required": EMPTY_SUBJECT},
    )
    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Only you and BestQM support can read it.",
        error_messages={"required": EMPTY_MESSAGE},
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": EMPTY_MESSAGE},
    )


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
