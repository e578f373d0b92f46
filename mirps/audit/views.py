from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from mirps.audit.models import AuditEvent
from mirps.audit.selectors import AuditFilters, audit_events


class AuditFilterForm(forms.Form):
    object_id = forms.CharField(label=_("Record id"), max_length=64, required=False)
    actor = forms.CharField(label=_("User"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("Action"), choices=[("", "—"), *AuditEvent.Action.choices], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def events(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    qs = audit_events(actor=request.actor, filters=filters)  # type: ignore[attr-defined]
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/events.html", {"form": form, "page": page, "query": query.urlencode()})
