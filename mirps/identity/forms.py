"""HTML input for identity review and batch runs. Forms only parse; the services validate and save."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mirps.identity.models import ReviewItem

ALL = "all"


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[*ReviewItem.Status.choices, (ALL, _("All"))],
    )

    def status_value(self) -> str:
        """The status to filter by ("" for all); waiting pairs unless asked otherwise."""
        status = self.cleaned_data.get("status") if self.is_valid() else ""
        if not status:
            return ReviewItem.Status.OPEN
        return "" if status == ALL else status


class DecideForm(forms.Form):
    same = forms.TypedChoiceField(choices=[("1", _("Same person")), ("0", _("Different people"))],
                                  coerce=lambda v: v == "1")


class RunStartForm(forms.Form):
    train = forms.BooleanField(label=_("Re-estimate the model from the data (EM)"), required=False)


class ThresholdsForm(forms.Form):
    auto_threshold = forms.FloatField(
        label=_("Link automatically from"), min_value=0, max_value=1,
        help_text=_("Probability from which a new record joins an earlier person without review (0 to 1)."),
    )
    review_threshold = forms.FloatField(
        label=_("Send to review from"), min_value=0, max_value=1,
        help_text=_("Probability from which a pair goes to the review queue (0 to 1)."),
    )

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's errors next to their fields (the rest at the top of the form)."""
        if not hasattr(exc, "error_dict"):
            for m in exc.messages:
                self.add_error(None, m)
            return
        for field, messages in exc.message_dict.items():
            target = field if field in self.fields else None
            for m in messages:
                self.add_error(target, m)
