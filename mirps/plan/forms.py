"""HTML input for the action plan. Forms only parse and show errors; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mirps.accounts.models import Institution
from mirps.plan.models import Area, Commitment, CommitmentStatus, Indicator, Pillar, ReportingPeriod
from mirps.plan.services import (
    MAX_EVIDENCE_BYTES,
    REPORTABLE_STATUSES,
    ValueInput,
    breakdown_keys,
    value_field,
)

BLANK = [("", "—")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors next to their fields (the rest at the top of the form)."""
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for m in messages:
            form.add_error(target, m)


class ReportForm(forms.Form):
    """Status, narrative and one field per indicator value (total and each breakdown)."""

    period = forms.ChoiceField(label=_("Reporting period"))
    commitment_status = forms.ChoiceField(
        label=_("Status of the commitment"),
        choices=[(s.value, s.label) for s in CommitmentStatus if s.value in REPORTABLE_STATUSES],
    )
    narrative = forms.CharField(
        label=_("Narrative of the period's progress"), required=False, max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(
        self, *args: Any, indicators: list[Indicator], periods: list[ReportingPeriod] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        if periods is None:
            del self.fields["period"]
        else:
            self.fields["period"].choices = [(str(p.pk), p.label) for p in periods]
        self.indicator_groups: list[tuple[Indicator, list[str], str]] = []
        for ind in indicators:
            if ind.source != Indicator.Source.REPORTED:
                continue
            names = []
            for key, label in breakdown_keys(ind):
                name = value_field(ind.pk, key)
                self.fields[name] = forms.CharField(label=label, required=False, max_length=30)
                self.fields[name].breakdown = key  # type: ignore[attr-defined]
                self.fields[name].indicator_id = ind.pk  # type: ignore[attr-defined]
                names.append(name)
            src = f"source_{ind.pk}"
            self.fields[src] = forms.CharField(label=_("Source of the value"), required=False, max_length=200)
            self.indicator_groups.append((ind, names, src))

    def groups(self) -> list[dict[str, Any]]:
        return [
            {"indicator": ind, "total": self[names[0]], "parts": [self[n] for n in names[1:]], "source": self[src]}
            for ind, names, src in self.indicator_groups
        ]

    def value_inputs(self) -> list[ValueInput]:
        out = []
        for ind, names, src in self.indicator_groups:
            for name in names:
                raw = (self.cleaned_data.get(name) or "").strip()
                if raw:
                    key = self.fields[name].breakdown  # type: ignore[attr-defined]
                    source = self.cleaned_data.get(src, "") if key == "" else ""
                    out.append(ValueInput(indicator_id=ind.pk, value=raw, breakdown=key, source=source))
        return out

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            target = field if field in self.fields else None
            for m in messages:
                self.add_error(target, m)

    @staticmethod
    def initial_from(report: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {"commitment_status": report.commitment_status, "narrative": report.narrative}
        for v in report.values.all():
            initial[value_field(v.indicator_id, v.breakdown)] = v.value
            if v.breakdown == "" and v.source:
                initial[f"source_{v.indicator_id}"] = v.source
        return initial


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file (PDF, PNG, JPEG, XLSX, DOCX or CSV; at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.csv"}),
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(_("The file is too large; the limit is 10 MB."))
        return f


class EvidenceSizeLimit(FileUploadHandler):
    """Stop reading an upload as soon as it passes the evidence limit.

    Django streams big files to a temporary file and only refuses big *non-file* data
    (DATA_UPLOAD_MAX_MEMORY_SIZE), so without this a 200 MB upload would be written to disk in
    full before the form could say it is too big. The rest of the body is read and discarded
    (connection_reset=False) so the page can answer with a clear message.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.too_big = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > MAX_EVIDENCE_BYTES:
            self.too_big = True
            if self.request is not None:
                self.request.evidence_too_big = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (required to return a report)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=40)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))


class CommitmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.ChoiceField(label=_("Area"), required=False, choices=BLANK + list(Area.choices))
    pillar = forms.ChoiceField(label=_("MIRPS pillar"), required=False, choices=BLANK + list(Pillar.choices))
    institution = forms.ChoiceField(label=_("Responsible institution"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=BLANK + list(CommitmentStatus.choices))
    inactive = forms.BooleanField(label=_("Include re-prioritised out of the plan"), required=False)

    def __init__(self, *args: Any, institutions: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["institution"].choices = BLANK + institutions


class CommitmentForm(forms.Form):
    """A commitment of the plan (coordinator). Required fields and rules are checked by the services."""

    code = forms.CharField(label=_("Code"), max_length=10, required=False, help_text=_("For example P01, E01, L01."))
    title_es = forms.CharField(label=_("Title (Spanish)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_es = forms.CharField(
        label=_("Description (Spanish)"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    area = forms.ChoiceField(label=_("Area"), choices=BLANK + list(Area.choices), required=False)
    pillar = forms.ChoiceField(label=_("MIRPS pillar"), choices=BLANK + list(Pillar.choices), required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible institution"), queryset=Institution.objects.none(), required=False, empty_label="—"
    )
    co_responsible = forms.ModelMultipleChoiceField(
        label=_("Co-responsible institutions"), queryset=Institution.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=list(CommitmentStatus.choices), required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE)
    active = forms.BooleanField(label=_("In the current plan version"), required=False)
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the commitment is re-prioritised or taken out of the current plan version; "
                    "kept in the revision history."),
    )

    def __init__(self, *args: Any, commitment: Commitment | None = None, **kw: Any) -> None:
        if commitment is not None and "initial" not in kw:
            kw["initial"] = {
                **{f: getattr(commitment, f) for f in (
                    "code", "title_es", "title_en", "description_es", "description_en", "area", "pillar", "status",
                    "start_date", "end_date", "active",
                )},
                "responsible": commitment.responsible_id,
                "co_responsible": [i.pk for i in commitment.co_responsible.all()],
            }
        super().__init__(*args, **kw)
        # Inactive institutions stay selectable on a commitment that already names them.
        keep = [] if commitment is None else [commitment.responsible_id, *(i.pk for i in commitment.co_responsible.all())]
        qs = Institution.objects.filter(Q(active=True) | Q(pk__in=keep)).order_by("code")
        self.fields["responsible"].queryset = qs
        self.fields["co_responsible"].queryset = qs
        if commitment is None:
            # A new commitment is in the current version; re-prioritising is a change with a reason.
            del self.fields["active"]
            del self.fields["reason"]

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments (commitment_update), without reason and co_responsible."""
        return {
            f: self.cleaned_data[f] for f in self.fields if f not in ("reason", "co_responsible")
        }


class IndicatorForm(forms.Form):
    """An indicator of a commitment (coordinator). Numbers are parsed and checked by the services."""

    name_es = forms.CharField(label=_("Name (Spanish)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False,
        help_text=_("For example: people, institutions, %. Values in counting units cannot be negative."),
    )
    baseline = forms.CharField(label=_("Baseline"), max_length=30, required=False)
    target = forms.CharField(label=_("Target"), max_length=30, required=False)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    direction = forms.ChoiceField(label=_("Direction"), choices=list(Indicator.Direction.choices))
    by_sex = forms.BooleanField(label=_("Disaggregated by sex"), required=False)
    by_age = forms.BooleanField(label=_("Disaggregated by age band"), required=False)
    by_department = forms.BooleanField(label=_("Disaggregated by department"), required=False)
    source = forms.ChoiceField(label=_("Source of the values"), choices=list(Indicator.Source.choices))
    metric = forms.ChoiceField(
        label=_("Computed metric"), choices=BLANK + list(Indicator.Metric.choices), required=False,
        help_text=_("Only for an indicator computed from the registration data."),
    )

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kw: Any) -> None:
        if indicator is not None and "initial" not in kw:
            kw["initial"] = {f: getattr(indicator, f) for f in self.base_fields}
        super().__init__(*args, **kw)
