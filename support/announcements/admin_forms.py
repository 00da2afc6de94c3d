"""The announcement form of the admin."""

from django import forms

from support.models import Announcement

ONE_LINE = "Keep the subject to one line."


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["kind", "subject", "body"]

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(ONE_LINE)  # it becomes the e-mail's subject line
        return subject
