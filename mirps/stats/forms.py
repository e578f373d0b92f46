"""The dashboard's filter form (GET): a period of whole months and, optionally, one reception point."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from mirps.accounts.models import Site
from mirps.stats.selectors import StatsFilters, add_months
from mirps.stats.tables import month_code

MAX_MONTHS = 120  # ten years: longer periods make unreadable charts and are not asked for


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


def _with_period(data: QueryDict) -> QueryDict:
    """Complete a period given by one end only (or none) to twelve months, so the form shows
    exactly the period the page shows."""
    data = data.copy()
    default = StatsFilters.default()
    start, end = data.get("month_from", ""), data.get("month_to", "")
    parsed = {k: _month(v) for k, v in (("from", start), ("to", end))}
    if not start and not end:
        data["month_from"], data["month_to"] = (
            month_code(default.month_from),
            month_code(default.month_to),
        )
    elif not end and parsed["from"]:
        data["month_to"] = month_code(add_months(parsed["from"], 11))
    elif not start and parsed["to"]:
        data["month_from"] = month_code(add_months(parsed["to"], -11))
    return data


def _month(value: str) -> date | None:
    try:
        year, month = (int(p) for p in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


class FilterForm(forms.Form):
    month_from = forms.DateField(
        label=_("From month"), input_formats=["%Y-%m"], widget=MonthInput()
    )
    month_to = forms.DateField(label=_("To month"), input_formats=["%Y-%m"], widget=MonthInput())
    point = forms.ModelChoiceField(
        label=_("Reception point"),
        queryset=Site.objects.filter(kind=Site.Kind.RECEPTION_POINT).order_by("code"),
        required=False,
        empty_label=_("All reception points"),
    )

    def __init__(self, data: QueryDict, **kwargs: Any) -> None:
        super().__init__(_with_period(data), **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("month_from"), data.get("month_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The first month is after the last month."))
            if add_months(start, MAX_MONTHS) <= end:
                raise forms.ValidationError(_("Choose at most %(n)d months.") % {"n": MAX_MONTHS})
        return data

    def filters(self) -> StatsFilters:
        """The filters asked for, or the last twelve months everywhere when they are not valid."""
        if not self.is_valid():
            return StatsFilters.default()
        point = self.cleaned_data.get("point")
        return StatsFilters(
            month_from=self.cleaned_data["month_from"].replace(day=1),
            month_to=self.cleaned_data["month_to"].replace(day=1),
            reception_point_id=point.pk if point else None,
        )
