"""HTML input for the action plan. Forms only parse and show errors; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

from mirps.plan.models import Area, CommitmentStatus, Indicator, Pillar, ReportingPeriod
from mirps.plan.services import (
    MAX_EVIDENCE_BYTES,
    REPORTABLE_STATUSES,
    ValueInput,
    breakdown_keys,
    value_field,
)

BLANK = [("", "—")]


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
