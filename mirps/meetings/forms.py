"""Input parsing for the meeting pages; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mirps.accounts.models import Institution
from mirps.meetings.models import Agreement


def _organisations():
    return Institution.objects.filter(active=True).exclude(kind__in=["reception_point", "entry_point", "remote_unit", "umar"]).order_by("code")


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title_es = forms.CharField(label=_("Title (Spanish)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"), queryset=_organisations(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    published = forms.BooleanField(label=_("Published on the public page"), required=False)


class AgreementForm(forms.Form):
    text_es = forms.CharField(label=_("Agreement (Spanish)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(label=_("Agreement (English)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible organisations"), queryset=_organisations(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=Agreement.Status.choices, initial=Agreement.Status.PENDING)


class AgreementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Agreement.Status.choices)
    note = forms.CharField(label=_("Follow-up note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Follow-up note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
