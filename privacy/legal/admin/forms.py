"""Forms of the legal workflow's admin pages. They only collect input: the services
(privacy.legal.services) validate it and say what is wrong, field by field."""

from django import forms

from privacy.legal.models import LegalRequestType, LegalTarget
from privacy.registry import Category

Kind = LegalTarget.Kind


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


def _when(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=_DateTimeInput(), help_text=help_text
    )


class IntakeForm(forms.Form):
    request_type = forms.ChoiceField(
        label="Type", choices=[("", "Choose the kind of legal process"), *LegalRequestType.choices]
    )
    authority = forms.CharField(label="Issuing authority", max_length=200, required=False)
    jurisdiction = forms.CharField(max_length=200, required=False)
    officer_name = forms.CharField(label="Officer's name", max_length=200, required=False)
    contact_email = forms.CharField(label="Officer's e-mail", max_length=254, required=False)
    callback_phone = forms.CharField(
        label="Call-back phone",
        max_length=40,
        required=False,
        help_text="The authority's switchboard, to verify the requester by calling back.",
    )
    reference_number = forms.CharField(
        label="Authority's reference number", max_length=100, required=False
    )
    received_at = _when("Received", required=False, help_text="Leave empty for now.")
    due_at = _when("Requester's due date", required=False)


class TargetForm(forms.Form):
    kind = forms.ChoiceField(
        label="Target kind",
        choices=[(k.value, k.label) for k in (Kind.USERNAME, Kind.EMAIL, Kind.IP)],
    )
    value = forms.CharField(
        label="Username, e-mail or IP address",
        max_length=254,
        required=False,
        help_text="An IP address may be a network in CIDR notation (198.51.100.0/24).",
    )
    window_start = _when("Window start", required=False)
    window_end = _when("Window end", required=False)

    def has_changed(self):
        # A row with only the default kind chosen is an empty row.
        return any(
            self.data.get(self.add_prefix(n)) for n in ("value", "window_start", "window_end")
        )


TargetFormSet = forms.formset_factory(TargetForm, extra=3)


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    file = forms.FileField(required=False)


DocumentFormSet = forms.formset_factory(DocumentForm, extra=2)


class VerifyForm(forms.Form):
    note = forms.CharField(
        label="How the requester was verified",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    called_back = forms.BooleanField(
        label="I called the authority's number back and the requester was confirmed",
        required=False,
    )


class InfoRequestForm(forms.Form):
    question = forms.CharField(
        label="What the requester must send",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ApproveForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label="Scope",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label="Why this scope is necessary",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required for an emergency and for a protection of rights.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why the request is rejected",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class FollowUpForm(forms.Form):
    title = forms.CharField(label="Document title", max_length=200, required=False)
    file = forms.FileField(label="The follow-up legal process", required=False)


class NondisclosureForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the order and what it forbids)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    until = _when("The order ends", required=False)


class TargetAddForm(TargetForm):
    pass


class TraceAddressForm(forms.Form):
    network = forms.CharField(
        label="IP address or network",
        max_length=50,
        help_text="For example 198.51.100.7 or 198.51.100.0/24.",
    )
    start = _when("From")
    end = _when("To")


class TraceAccountForm(forms.Form):
    target = forms.ModelChoiceField(
        label="Account named by this case", queryset=LegalTarget.objects.none()
    )
    start = _when("From")
    end = _when("To")

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = request.targets.exclude(member=None)
        self.fields["target"].label_from_instance = lambda t: (
            f"{t.get_kind_display()}: {t.value}"
            if t.kind != Kind.TRACED
            else f"Member #{t.member_id}"
        )
