"""Writes of the action plan. Each service is one transaction, validated and audited.

Who may call what (mirps.core.access):
- PLAN_MANAGE (the national coordinator): plans, commitments, indicators, reporting periods,
  approving and returning reports, and everything a focal point may do on any commitment.
- PLAN_REPORT (a focal point): progress reports on the commitments their institution is
  responsible for (`commitment_report_scope`). Outside that scope a commitment does not exist (404).
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from mirps.accounts.models import Institution
from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.geo.models import Country, Department
from mirps.plan.models import (
    Area,
    Commitment,
    CommitmentRevision,
    CommitmentStatus,
    Evidence,
    Indicator,
    IndicatorValue,
    Pillar,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)
from mirps.registration.validation import Errors
from mirps.stats.builders import age_bands

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from mirps.core.access import Actor

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_VALUE = Decimal("999999999999.99")  # max_digits=14, decimal_places=2
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# A report tells how the commitment is going; re-prioritising it is the coordinator's plan decision.
REPORTABLE_STATUSES = (
    CommitmentStatus.NOT_STARTED, CommitmentStatus.IN_PROGRESS, CommitmentStatus.COMPLETED, CommitmentStatus.DELAYED,
)
# Units whose values may be negative (a change, a rate); every other unit counts things.
NON_COUNT_UNITS = ("%", "percent", "porcentaje", "index", "índice", "indice", "ratio", "rate", "tasa", "change", "variación")


# --- helpers ---------------------------------------------------------------------------------


def _manage(actor: Actor) -> None:
    actor.require(access.PLAN_MANAGE)


def _report_scope(actor: Actor, commitment: Commitment) -> None:
    """A commitment outside the actor's reporting scope does not exist for them."""
    if not actor.can(access.PLAN_MANAGE):
        actor.require(access.PLAN_REPORT)
    if not Commitment.objects.filter(access.commitment_report_scope(actor), pk=commitment.pk).exists():
        raise Http404


def _text(errors: Errors, field: str, value: str | None, *, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add(field, _("This field is required."))
    if len(value) > max_length:
        errors.add(field, _("At most %(n)d characters.") % {"n": max_length})
    if "\x00" in value:
        errors.add(field, _("The text contains invalid characters."))
    return value


def _choice(errors: Errors, field: str, value: Any, choices: Any) -> None:
    if value not in choices:
        errors.add(field, _("Choose one of the listed options."))


def _decimal(errors: Errors, field: str, value: Any, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return None
    try:
        d = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        errors.add(field, _("Enter a number."))
        return None
    if not d.is_finite():
        errors.add(field, _("Enter a number."))
        return None
    if abs(d) > MAX_VALUE:
        errors.add(field, _("The number is too large."))
        return None
    if d != d.quantize(Decimal("0.01")):
        errors.add(field, _("Use at most two decimals."))
        return None
    return d


def snapshot(c: Commitment) -> dict[str, Any]:
    """The state of a commitment kept in its revision history."""
    return {
        "code": c.code, "title_es": c.title_es, "title_en": c.title_en,
        "description_es": c.description_es, "description_en": c.description_en,
        "area": c.area, "pillar": c.pillar, "responsible": c.responsible.code if c.responsible_id else None,
        "co_responsible": sorted(i.code for i in c.co_responsible.all()) if c.pk else [],
        "status": c.status, "start_date": c.start_date.isoformat() if c.start_date else None,
        "end_date": c.end_date.isoformat() if c.end_date else None, "active": c.active, "version": c.version,
    }


# --- plans -----------------------------------------------------------------------------------

PLAN_FIELDS = ("title_es", "title_en", "period_start", "period_end", "illustrative", "published")


def _validate_plan(errors: Errors, data: dict[str, Any]) -> None:
    data["title_es"] = _text(errors, "title_es", data.get("title_es"), max_length=200, required=True)
    data["title_en"] = _text(errors, "title_en", data.get("title_en"), max_length=200, required=True)
    start, end = data.get("period_start"), data.get("period_end")
    if not isinstance(start, date):
        errors.add("period_start", _("Enter a valid date."))
    if not isinstance(end, date):
        errors.add("period_end", _("Enter a valid date."))
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        errors.add("period_end", _("The end must be after the start."))


@transaction.atomic
def plan_create(
    *, actor: Actor, title_es: str, title_en: str, period_start: date, period_end: date,
    country: Country | None = None, illustrative: bool = False, published: bool = False,
) -> Plan:
    """A new national action plan (coordinator)."""
    _manage(actor)
    errors = Errors()
    data = {
        "title_es": title_es, "title_en": title_en, "period_start": period_start, "period_end": period_end,
        "illustrative": bool(illustrative), "published": bool(published),
    }
    _validate_plan(errors, data)
    errors.raise_if_any()
    plan = Plan.objects.create(country=country or Country.objects.get(iso2="HN"), **data)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=plan)
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, **changes: Any) -> Plan:
    """Change a plan's titles, period, or its illustrative/published flags (coordinator)."""
    _manage(actor)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    data = {f: changes.get(f, getattr(plan, f)) for f in PLAN_FIELDS}
    errors = Errors()
    _validate_plan(errors, data)
    errors.raise_if_any()
    changed = sorted(f for f in PLAN_FIELDS if data[f] != getattr(plan, f))
    for f in PLAN_FIELDS:
        setattr(plan, f, data[f])
    plan.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=plan, detail={"fields": changed})
    return plan


@transaction.atomic
def plan_publish(*, actor: Actor, plan: Plan, published: bool) -> Plan:
    """Show the plan on the public page, or take it off (coordinator). Audited as its own action."""
    _manage(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    was = plan.published
    plan.published = bool(published)
    plan.save(update_fields=["published"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=plan,
        detail={"fields": ["published"] if was != plan.published else [], "published": plan.published},
    )
    return plan


# --- commitments -----------------------------------------------------------------------------

COMMITMENT_FIELDS = (
    "code", "title_es", "title_en", "description_es", "description_en", "area", "pillar", "responsible",
    "status", "start_date", "end_date", "active",
)


def _validate_commitment(errors: Errors, plan: Plan, data: dict[str, Any], *, pk: int | None) -> None:
    data["code"] = _text(errors, "code", data.get("code"), max_length=10, required=True).upper()
    if data["code"] and Commitment.objects.filter(plan=plan, code=data["code"]).exclude(pk=pk).exists():
        errors.add("code", _("The plan already has a commitment with this code."))
    data["title_es"] = _text(errors, "title_es", data.get("title_es"), max_length=300, required=True)
    data["title_en"] = _text(errors, "title_en", data.get("title_en"), max_length=300)
    data["description_es"] = _text(errors, "description_es", data.get("description_es"), max_length=4000)
    data["description_en"] = _text(errors, "description_en", data.get("description_en"), max_length=4000)
    _choice(errors, "area", data.get("area"), Area.values)
    _choice(errors, "pillar", data.get("pillar"), Pillar.values)
    _choice(errors, "status", data.get("status"), CommitmentStatus.values)
    if not isinstance(data.get("responsible"), Institution):
        errors.add("responsible", _("Choose the responsible institution."))
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        errors.add("end_date", _("The end must not be before the start."))


@transaction.atomic
def commitment_create(
    *, actor: Actor, plan: Plan, code: str, title_es: str, area: str, pillar: str, responsible: Institution,
    title_en: str = "", description_es: str = "", description_en: str = "",
    status: str = CommitmentStatus.NOT_STARTED, start_date: date | None = None, end_date: date | None = None,
    co_responsible: list[Institution] | tuple[Institution, ...] = (),
) -> Commitment:
    """A new commitment in a plan (coordinator)."""
    _manage(actor)
    data = {
        "code": code, "title_es": title_es, "title_en": title_en, "description_es": description_es,
        "description_en": description_en, "area": area, "pillar": pillar, "responsible": responsible,
        "status": status, "start_date": start_date, "end_date": end_date, "active": True,
    }
    errors = Errors()
    _validate_commitment(errors, plan, data, pk=None)
    errors.raise_if_any()
    c = Commitment.objects.create(plan=plan, **data)
    c.co_responsible.set([i for i in co_responsible if i.pk != responsible.pk])
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=c)
    return c


@transaction.atomic
def commitment_update(
    *, actor: Actor, commitment: Commitment, reason: str = "",
    co_responsible: list[Institution] | None = None, **changes: Any,
) -> Commitment:
    """Change a commitment (coordinator), keeping its previous state as a revision.

    A re-prioritisation (status set to reprioritised, or the commitment taken out of the current
    plan version) makes a new plan version: plan.version + 1.
    """
    _manage(actor)
    unknown = set(changes) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    c = Commitment.objects.select_for_update().select_related("plan", "responsible").get(pk=commitment.pk)
    before = snapshot(c)
    data = {f: changes.get(f, getattr(c, f)) for f in COMMITMENT_FIELDS}
    data["active"] = bool(data["active"])
    errors = Errors()
    reason = _text(errors, "reason", reason, max_length=500)
    _validate_commitment(errors, c.plan, data, pk=c.pk)
    reprioritised = (data["status"] == CommitmentStatus.REPRIORITISED and c.status != CommitmentStatus.REPRIORITISED) or (
        c.active and not data["active"]
    )
    if reprioritised and not reason:
        errors.add("reason", _("Say why the commitment is re-prioritised."))
    errors.raise_if_any()
    changed = sorted(f for f in COMMITMENT_FIELDS if data[f] != getattr(c, f))
    new_co = None
    if co_responsible is not None:
        new_co = sorted({i.pk for i in co_responsible} - {data["responsible"].pk})
        if new_co != sorted(c.co_responsible.values_list("pk", flat=True)):
            changed.append("co_responsible")
    if not changed:
        return c
    CommitmentRevision.objects.create(
        commitment=c, plan_version=c.plan.version, snapshot=before, reason=reason, changed_by=actor.user,
    )
    for f in COMMITMENT_FIELDS:
        setattr(c, f, data[f])
    c.version = F("version") + 1
    c.save()
    if new_co is not None:
        c.co_responsible.set(new_co)
    if reprioritised:
        Plan.objects.filter(pk=c.plan_id).update(version=F("version") + 1)
    c.refresh_from_db()
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=c, detail={"fields": changed, "reprioritised": reprioritised}
    )
    return c


# --- indicators ------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "name_es", "name_en", "unit", "baseline", "target", "target_date", "direction",
    "by_sex", "by_age", "by_department", "source", "metric",
)


def _validate_indicator(errors: Errors, data: dict[str, Any]) -> None:
    data["name_es"] = _text(errors, "name_es", data.get("name_es"), max_length=300, required=True)
    data["name_en"] = _text(errors, "name_en", data.get("name_en"), max_length=300)
    data["unit"] = _text(errors, "unit", data.get("unit"), max_length=50, required=True)
    data["baseline"] = _decimal(errors, "baseline", data.get("baseline"))
    data["target"] = _decimal(errors, "target", data.get("target"))
    if data["baseline"] is not None and data["target"] is not None:
        if data["target"] == data["baseline"]:
            errors.add("target", _("The target must differ from the baseline."))
        elif data.get("direction") == Indicator.Direction.INCREASE and data["target"] < data["baseline"]:
            errors.add("target", _("For an indicator that should increase, the target must be above the baseline."))
        elif data.get("direction") == Indicator.Direction.DECREASE and data["target"] > data["baseline"]:
            errors.add("target", _("For an indicator that should decrease, the target must be below the baseline."))
    if not isinstance(data.get("target_date"), date):
        errors.add("target_date", _("Enter a valid date."))
    _choice(errors, "direction", data.get("direction"), Indicator.Direction.values)
    _choice(errors, "source", data.get("source"), Indicator.Source.values)
    data["metric"] = data.get("metric") or ""
    if data.get("source") == Indicator.Source.COMPUTED:
        if data["metric"] not in Indicator.Metric.values:
            errors.add("metric", _("Choose the registration metric the indicator is computed from."))
    elif data["metric"]:
        errors.add("metric", _("Only an indicator computed from the registration data has a metric."))
    for f in ("by_sex", "by_age", "by_department"):
        data[f] = bool(data.get(f))


@transaction.atomic
def indicator_create(
    *, actor: Actor, commitment: Commitment, name_es: str, unit: str, baseline: Any, target: Any,
    target_date: date, name_en: str = "", direction: str = Indicator.Direction.INCREASE,
    by_sex: bool = False, by_age: bool = False, by_department: bool = False,
    source: str = Indicator.Source.REPORTED, metric: str = "",
) -> Indicator:
    """A new indicator of a commitment (coordinator)."""
    _manage(actor)
    data = {
        "name_es": name_es, "name_en": name_en, "unit": unit, "baseline": baseline, "target": target,
        "target_date": target_date, "direction": direction, "by_sex": by_sex, "by_age": by_age,
        "by_department": by_department, "source": source, "metric": metric,
    }
    errors = Errors()
    _validate_indicator(errors, data)
    errors.raise_if_any()
    ind = Indicator.objects.create(commitment=commitment, **data)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=ind)
    return ind


@transaction.atomic
def indicator_update(*, actor: Actor, indicator: Indicator, **changes: Any) -> Indicator:
    """Change an indicator (coordinator). Its reported values stay as they were reported."""
    _manage(actor)
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    ind = Indicator.objects.select_for_update().get(pk=indicator.pk)
    data = {f: changes.get(f, getattr(ind, f)) for f in INDICATOR_FIELDS}
    errors = Errors()
    _validate_indicator(errors, data)
    if data["source"] == Indicator.Source.COMPUTED and ind.values.exists():
        errors.add("source", _("The indicator already has reported values; it cannot become computed."))
    errors.raise_if_any()
    changed = sorted(f for f in INDICATOR_FIELDS if data[f] != getattr(ind, f))
    for f in INDICATOR_FIELDS:
        setattr(ind, f, data[f])
    ind.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=ind, detail={"fields": changed})
    return ind


# --- reporting periods -----------------------------------------------------------------------


@transaction.atomic
def period_create(*, actor: Actor, plan: Plan, label: str, start: date, end: date) -> ReportingPeriod:
    """A reporting period of a plan, open for reports until closed (coordinator)."""
    _manage(actor)
    errors = Errors()
    label = _text(errors, "label", label, max_length=40, required=True)
    if label and ReportingPeriod.objects.filter(plan=plan, label=label).exists():
        errors.add("label", _("The plan already has a period with this label."))
    if not isinstance(start, date):
        errors.add("start", _("Enter a valid date."))
    if not isinstance(end, date):
        errors.add("end", _("Enter a valid date."))
    if isinstance(start, date) and isinstance(end, date):
        if end <= start:
            errors.add("end", _("The end must be after the start."))
        elif start < plan.period_start or end > plan.period_end:
            errors.add("start", _("The period must be inside the plan's period."))
        elif ReportingPeriod.objects.filter(plan=plan, start__lte=end, end__gte=start).exists():
            errors.add("start", _("The period overlaps another reporting period."))
    errors.raise_if_any()
    period = ReportingPeriod.objects.create(plan=plan, label=label, start=start, end=end)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=period)
    return period


@transaction.atomic
def period_close(*, actor: Actor, period: ReportingPeriod, closed: bool = True) -> ReportingPeriod:
    """Close a period for new reports (or reopen it with closed=False) (coordinator)."""
    _manage(actor)
    ReportingPeriod.objects.filter(pk=period.pk).update(closed=closed)
    period.refresh_from_db()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=period, detail={"fields": ["closed"], "closed": closed})
    return period


# --- progress reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueInput:
    """One value of a report: the indicator, "" for the total or a breakdown key, the number."""

    indicator_id: int
    value: Any
    breakdown: str = ""
    source: str = ""


def value_field(indicator_id: int, breakdown: str) -> str:
    """The form field (and error key) of one value: value_<indicator> or value_<indicator>_<kind>_<code>."""
    return f"value_{indicator_id}" + (f"_{breakdown.replace(':', '_')}" if breakdown else "")


def is_count_unit(unit: str) -> bool:
    u = unit.strip().lower()
    return not any(w in u for w in NON_COUNT_UNITS)


def breakdown_keys(indicator: Indicator) -> list[tuple[str, str]]:
    """The breakdown keys an indicator accepts, with a label each ("" is the total)."""
    keys: list[tuple[str, str]] = [("", _("Total"))]
    if indicator.by_sex:
        keys += [("sex:F", _("Women and girls")), ("sex:M", _("Men and boys"))]
    if indicator.by_age:
        keys += [(f"age:{code}", _("Age %(band)s") % {"band": label}) for _lo, _hi, code, label in age_bands(settings.STATS_AGE_BANDS)]
    if indicator.by_department:
        keys += [(f"dept:{d.code}", d.name) for d in Department.objects.order_by("code")]
    return keys


def _validate_values(
    errors: Errors, commitment: Commitment, values: list[ValueInput]
) -> list[tuple[Indicator, str, Decimal, str]]:
    indicators = {i.pk: i for i in commitment.indicators.all()}
    dept_codes = set(Department.objects.values_list("code", flat=True))
    band_codes = {code for _lo, _hi, code, _label in age_bands(settings.STATS_AGE_BANDS)}
    out: list[tuple[Indicator, str, Decimal, str]] = []
    seen: set[tuple[int, str]] = set()
    for v in values:
        ind = indicators.get(v.indicator_id)
        field = value_field(v.indicator_id, v.breakdown or "")
        if ind is None:
            errors.add("values", _("An indicator of another commitment was given."))
            continue
        if ind.source == Indicator.Source.COMPUTED:
            errors.add(field, _("This indicator is computed from the registration data; it is not reported."))
            continue
        key = (v.breakdown or "").strip()
        kind, _sep, code = key.partition(":")
        ok = key == "" or (
            (kind == "sex" and ind.by_sex and code in ("F", "M"))
            or (kind == "age" and ind.by_age and code in band_codes)
            or (kind == "dept" and ind.by_department and code in dept_codes)
        )
        if not ok:
            errors.add(field, _("Unknown breakdown for this indicator: %(key)s") % {"key": key[:20]})
            continue
        if (ind.pk, key) in seen:
            errors.add(field, _("The same value was given twice."))
            continue
        seen.add((ind.pk, key))
        number = _decimal(errors, field, v.value, required=False)
        if number is None:
            continue
        if number < 0 and is_count_unit(ind.unit):
            errors.add(field, _("A count cannot be negative."))
            continue
        source = _text(errors, field, v.source, max_length=200)
        out.append((ind, key, number, source))
    # Parts of one breakdown cannot add up to more than the total.
    totals = {ind.pk: n for ind, key, n, _s in out if key == ""}
    for kind in ("sex", "age", "dept"):
        sums: dict[int, Decimal] = {}
        for ind, key, n, _s in out:
            if key.startswith(kind + ":"):
                sums[ind.pk] = sums.get(ind.pk, Decimal(0)) + n
        for pk, s in sums.items():
            if pk in totals and s > totals[pk] and is_count_unit(indicators[pk].unit):
                errors.add(value_field(pk, ""), _("The values by breakdown add up to more than the total."))
    return out


def _write_values(report: ProgressReport, rows: list[tuple[Indicator, str, Decimal, str]]) -> None:
    report.values.all().delete()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=report, indicator=ind, breakdown=key, value=n, source=s) for ind, key, n, s in rows
    )


def _refuse_closed(errors: Errors, period: ReportingPeriod, report: ProgressReport | None = None) -> None:
    # A correction of an approved report may be made after the period closed: that is its purpose.
    if period.closed and (report is None or report.supersedes_id is None):
        errors.add(
            "period",
            _("The reporting period %(period)s is closed: no progress report can be made for it.")
            % {"period": period.label},
        )


@transaction.atomic
def report_create(
    *, actor: Actor, commitment: Commitment, period: ReportingPeriod, commitment_status: str,
    narrative: str = "", values: list[ValueInput] | tuple[ValueInput, ...] = (),
) -> ProgressReport:
    """A draft progress report for one commitment and an open period.

    Callers: the focal point of the responsible institution, or the coordinator. One report per
    commitment and period: later changes are edits of the draft or corrections of the approved one.
    """
    _report_scope(actor, commitment)
    errors = Errors()
    if period.plan_id != commitment.plan_id:
        errors.add("period", _("The period belongs to another plan."))
    _refuse_closed(errors, period)
    if ProgressReport.objects.filter(commitment=commitment, period=period).exists():
        errors.add(
            "period",
            _("There is already a report for this commitment and period; edit it or correct it."),
        )
    _choice(errors, "commitment_status", commitment_status, REPORTABLE_STATUSES)
    narrative = _text(errors, "narrative", narrative, max_length=8000)
    rows = _validate_values(errors, commitment, list(values))
    errors.raise_if_any()
    report = ProgressReport.objects.create(
        commitment=commitment, period=period, commitment_status=commitment_status, narrative=narrative,
        author=actor.user,
    )
    _write_values(report, rows)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=report, detail={"values": len(rows)})
    return report


def _locked(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("commitment__plan", "period")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_update(
    *, actor: Actor, report: ProgressReport, commitment_status: str, narrative: str = "",
    values: list[ValueInput] | tuple[ValueInput, ...] = (),
) -> ProgressReport:
    """Edit a draft or returned report; `values` replaces every value of the report."""
    _report_scope(actor, report.commitment)
    report = _locked(report)
    errors = Errors()
    if report.status not in EDITABLE:
        errors.add("status", _("Only a draft or returned report can be edited."))
    _refuse_closed(errors, report.period, report)
    _choice(errors, "commitment_status", commitment_status, REPORTABLE_STATUSES)
    narrative = _text(errors, "narrative", narrative, max_length=8000)
    rows = _validate_values(errors, report.commitment, list(values))
    errors.raise_if_any()
    report.commitment_status = commitment_status
    report.narrative = narrative
    report.save(update_fields=["commitment_status", "narrative"])
    _write_values(report, rows)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=report, detail={"values": len(rows)})
    return report


@transaction.atomic
def report_submit(*, actor: Actor, report: ProgressReport) -> ProgressReport:
    """Send a draft or returned report to the coordinator for review."""
    _report_scope(actor, report.commitment)
    report = _locked(report)
    errors = Errors()
    if report.status not in EDITABLE:
        errors.add("status", _("Only a draft or returned report can be submitted."))
    _refuse_closed(errors, report.period, report)
    if not report.narrative.strip():
        errors.add("narrative", _("Write a narrative of the period's progress before submitting."))
    errors.raise_if_any()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=report, detail={"status": report.status})
    return report


@transaction.atomic
def report_approve(*, actor: Actor, report: ProgressReport, comment: str = "") -> ProgressReport:
    """Approve a submitted report (coordinator).

    The commitment takes the status given in the report (its previous state kept as a revision).
    A correction makes the report it corrects `superseded` in the same transaction, so there is
    always at most one approved report per commitment and period and nothing approved is lost.
    """
    _manage(actor)
    report = _locked(report)
    errors = Errors()
    if report.status != ReportStatus.SUBMITTED:
        errors.add("status", _("Only a submitted report can be approved."))
    comment = _text(errors, "review_comment", comment, max_length=2000)
    errors.raise_if_any()
    if report.supersedes_id:
        ProgressReport.objects.filter(pk=report.supersedes_id, status=ReportStatus.APPROVED).update(
            status=ReportStatus.SUPERSEDED
        )
    report.status = ReportStatus.APPROVED
    report.reviewed_by = actor.user
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    c = Commitment.objects.select_for_update().select_related("plan", "responsible").get(pk=report.commitment_id)
    if c.status != report.commitment_status and c.status != CommitmentStatus.REPRIORITISED:
        CommitmentRevision.objects.create(
            commitment=c, plan_version=c.plan.version, snapshot=snapshot(c), changed_by=actor.user,
            reason=_("Approved progress report %(period)s, version %(version)s")
            % {"period": report.period.label, "version": report.version},
        )
        Commitment.objects.filter(pk=c.pk).update(status=report.commitment_status, version=F("version") + 1)
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=report,
        detail={"status": report.status, "supersedes": report.supersedes_id},
    )
    return report


@transaction.atomic
def report_return(*, actor: Actor, report: ProgressReport, comment: str) -> ProgressReport:
    """Return a submitted report to its institution with a comment saying what to change (coordinator)."""
    _manage(actor)
    report = _locked(report)
    errors = Errors()
    if report.status != ReportStatus.SUBMITTED:
        errors.add("status", _("Only a submitted report can be returned."))
    comment = _text(errors, "review_comment", comment, max_length=2000, required=True)
    errors.raise_if_any()
    report.status = ReportStatus.RETURNED
    report.reviewed_by = actor.user
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=report, detail={"status": report.status})
    return report


@transaction.atomic
def report_correct(*, actor: Actor, report: ProgressReport) -> ProgressReport:
    """Start a correction of an approved report: a new draft version with the same values.

    The approved report stays approved (and counted) until the correction is approved.
    """
    _report_scope(actor, report.commitment)
    report = _locked(report)
    errors = Errors()
    if report.status != ReportStatus.APPROVED:
        errors.add("status", _("Only an approved report can be corrected."))
    elif ProgressReport.objects.filter(supersedes=report).exists():
        errors.add("status", _("A correction of this report is already under way."))
    errors.raise_if_any()
    latest = ProgressReport.objects.filter(commitment=report.commitment, period=report.period).aggregate(
        v=Max("version")
    )["v"]
    new = ProgressReport.objects.create(
        commitment=report.commitment, period=report.period, version=(latest or 0) + 1, supersedes=report,
        commitment_status=report.commitment_status, narrative=report.narrative, author=actor.user,
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=new, indicator_id=v.indicator_id, breakdown=v.breakdown, value=v.value, source=v.source)
        for v in report.values.all()
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=new, detail={"corrects": report.pk})
    return new


# --- evidence --------------------------------------------------------------------------------

# extension → (stored content type, check of the file's first bytes / structure)
EVIDENCE_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}


def _signature_ok(ext: str, head: bytes, data: bytes) -> bool:
    """Whether the content really is what its extension says (the name alone proves nothing)."""
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext in ("xlsx", "docx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        part = "xl/workbook.xml" if ext == "xlsx" else "word/document.xml"
        return "[Content_Types].xml" in names and part in names
    if ext == "csv":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                return False
        return True
    return False


def evidence_check(errors: Errors, upload: UploadedFile) -> tuple[str, bytes] | None:
    """The extension and content of an acceptable evidence file, or errors added."""
    size = upload.size or 0
    if size > MAX_EVIDENCE_BYTES:
        errors.add(
            "file",
            _("The file is too large (%(size)s MB); the limit is 10 MB.") % {"size": f"{size / 1024 / 1024:.1f}"},
        )
        return None
    if size == 0:
        errors.add("file", _("The file is empty."))
        return None
    ext = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if ext not in EVIDENCE_TYPES:
        errors.add("file", _("Accepted files: PDF, PNG, JPEG, XLSX, DOCX and CSV."))
        return None
    upload.seek(0)
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    if len(data) > MAX_EVIDENCE_BYTES:
        errors.add("file", _("The file is too large; the limit is 10 MB."))
        return None
    if not _signature_ok(ext, data[:16], data):
        errors.add("file", _("The content of the file is not a %(kind)s file.") % {"kind": ext.upper()})
        return None
    return ext, data


@transaction.atomic
def evidence_add(*, actor: Actor, report: ProgressReport, upload: UploadedFile) -> Evidence:
    """Attach an evidence file (≤ 10 MB; PDF, PNG, JPEG, XLSX, DOCX or CSV) to an editable report."""
    _report_scope(actor, report.commitment)
    report = _locked(report)
    errors = Errors()
    if report.status not in EDITABLE:
        errors.add("file", _("Evidence can only be added to a draft or returned report."))
        errors.raise_if_any()
    checked = evidence_check(errors, upload)
    errors.raise_if_any()
    assert checked is not None
    ext, data = checked
    original = get_valid_filename(PurePath(upload.name or "file").name)[:200] or f"file.{ext}"
    ev = Evidence(
        report=report, original_name=original, content_type=EVIDENCE_TYPES[ext], size=len(data), uploaded_by=actor.user,
    )
    # Stored under a random name: the user's file name never becomes a path.
    ev.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    ev.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=ev, detail={"report": report.pk, "size": len(data)})
    return ev


@transaction.atomic
def evidence_remove(*, actor: Actor, evidence: Evidence) -> None:
    """Remove an evidence file from an editable report."""
    report = evidence.report
    _report_scope(actor, report.commitment)
    if report.status not in EDITABLE:
        raise ValidationError({"file": [_("Evidence can only be removed from a draft or returned report.")]})
    name = evidence.file.name
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=report, detail={"evidence_removed": evidence.pk})
    evidence.delete()
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(name))
