"""Page forms of support tickets. The rules that decide whether an action is allowed live
in the services, which the views call."""

from django import forms

from support.models import MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH

EMPTY_MESSAGE = "Write a message: it cannot be empty."
EMPTY_SUBJECT = "Say in a few words what you need help with."


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
