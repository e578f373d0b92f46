"""Small builders for plan tests: a plan, commitments, indicators, periods and reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mirps.accounts.models import Institution
from mirps.geo.models import Country
from mirps.plan.models import (
    Commitment,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)


def make_plan(**kw: Any) -> Plan:
    base = {
        "country": Country.objects.get(iso2="HN"),
        "title_es": "Plan de Acción Nacional MIRPS Honduras",
        "title_en": "MIRPS National Action Plan Honduras",
        "period_start": date(2022, 1, 1),
        "period_end": date(2026, 12, 31),
        "published": True,
    }
    base.update(kw)
    return Plan.objects.create(**base)


def make_commitment(plan: Plan, code: str, institution: str = "sesal", **kw: Any) -> Commitment:
    base = {
        "plan": plan,
        "code": code,
        "title_es": f"Compromiso {code}",
        "title_en": f"Commitment {code}",
        "area": "protection",
        "pillar": "reception",
        "responsible": Institution.objects.get(code=institution),
        "status": "in_progress",
    }
    base.update(kw)
    return Commitment.objects.create(**base)


def make_indicator(commitment: Commitment, baseline: str = "0", target: str = "100", **kw: Any) -> Indicator:
    base = {
        "commitment": commitment,
        "name_es": "Personas atendidas",
        "name_en": "People assisted",
        "unit": "people",
        "baseline": Decimal(baseline),
        "target": Decimal(target),
        "target_date": date(2026, 12, 31),
    }
    base.update(kw)
    return Indicator.objects.create(**base)


def make_period(plan: Plan, label: str, start: date, end: date, closed: bool = False) -> ReportingPeriod:
    return ReportingPeriod.objects.create(plan=plan, label=label, start=start, end=end, closed=closed)


def make_report(
    commitment: Commitment, period: ReportingPeriod, author, values: dict[Indicator, str] | None = None,
    status: str = ReportStatus.APPROVED, **kw: Any,
) -> ProgressReport:
    base = {"commitment_status": commitment.status}
    base.update(kw)
    r = ProgressReport.objects.create(commitment=commitment, period=period, author=author, status=status, **base)
    for ind, v in (values or {}).items():
        IndicatorValue.objects.create(report=r, indicator=ind, value=Decimal(v))
    return r
