"""Forms of the support admin. They check what a page can check; the services decide."""

from django import forms
from django.utils import timezone

from support.models import MESSAGE_MAX_LENGTH, PhoneContact, Ticket
from support.tickets.selectors import assignable_agents
from support.tickets.services import CALL_IN_FUTURE

REPLY_TO_CLOSED = (
    "This ticket is closed: choose “Open” under “Move to” to reopen it with your reply."
)


MOVE_LABELS = {
    Ticket.Status.OPEN: "Open (reopen it)",
    Ticket.Status.ANSWERED: "Answered (waiting on the member)",
    Ticket.Status.CLOSED: "Closed",
}


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Colleagues by name: a member account's str() never names anyone.
        return obj.get_full_name() or obj.login_name


class TicketWorkForm(forms.ModelForm):
    """An agent's work on a ticket: handling fields, a status move, an internal note and a
    public reply, saved together by `services.ticket_work`."""

    move_to = forms.ChoiceField(
        label="Move to", required=False, help_text="Leave empty to keep the status."
    )
    internal_note = forms.CharField(
        label="Internal note",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For support only. Never shown or sent to the member.",
    )
    reply = forms.CharField(
        label="Reply to the member",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown on the member's ticket page; the member is told by e-mail.",
    )

    class Meta:
        model = Ticket
        fields = ["assignee", "priority"]
        field_classes = {"assignee": AgentChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = assignable_agents()
        allowed = Ticket.TRANSITIONS.onward(self.instance.status)
        self.fields["move_to"].choices = [("", "—")] + [
            (status.value, MOVE_LABELS[status]) for status in Ticket.Status if status in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        replying = bool(cleaned.get("reply", "").strip())
        reopening = cleaned.get("move_to") == Ticket.Status.OPEN
        if replying and not reopening and not self.instance.can_receive_messages():
            self.add_error("reply", REPLY_TO_CLOSED)
        return cleaned


class PhoneContactForm(forms.ModelForm):
    class Meta:
        model = PhoneContact
        fields = ["ticket", "direction", "outcome", "summary", "contacted_at"]

    def clean_contacted_at(self):
        value = self.cleaned_data["contacted_at"]
        if value and value > timezone.now():
            raise forms.ValidationError(CALL_IN_FUTURE)
        return value
