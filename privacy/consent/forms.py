from django import forms

from privacy.consent.models import ConsentRecord


class ConsentForm(forms.Form):
    choice = forms.ChoiceField(choices=ConsentRecord.Choice.choices, widget=forms.RadioSelect)
