"""The action plan: plans, commitments with their progress, indicators and progress reports.

Read by every role with PLAN (no personal data); report submission by the focal point of the
responsible institution, review by the national coordinator. Same selectors and services as the pages.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from mirps.api.auth import actor_of
from mirps.api.schemas import MULTI_LINE, ErrorOut, Input, ValidationErrorOut
from mirps.plan import progress, selectors, services
from mirps.plan.models import Area, CommitmentStatus, Pillar, Plan, ProgressReport, ReportStatus

router = Router(tags=["plan"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
MAX_ID = 2_147_483_647  # a larger id cannot name a row, and PostgreSQL would refuse it with an error

AreaCode = Literal[tuple(Area.values)]  # type: ignore[valid-type]
PillarCode = Literal[tuple(Pillar.values)]  # type: ignore[valid-type]
StatusCode = Literal[tuple(CommitmentStatus.values)]  # type: ignore[valid-type]
ReportStatusCode = Literal[tuple(ReportStatus.values)]  # type: ignore[valid-type]


def _f(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


class PlanOut(Schema):
    id: int
    title: str
    title_es: str
    title_en: str
    country: str
    period_start: date
    period_end: date
    version: int
    illustrative: bool
    published: bool
    implementation_share: float | None = Field(description="0..1; see `rule`")
    rule: str


class CommitmentOut(Schema):
    id: int
    code: str
    title: str
    title_es: str
    title_en: str
    area: AreaCode
    pillar: PillarCode
    responsible: str = Field(description="institution code")
    status: StatusCode
    start_date: date | None
    end_date: date | None
    active: bool
    version: int
    progress: float | None = Field(description="0..1, None without data")
    late: bool


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    baseline: float
    target: float
    target_date: date
    direction: Literal["increase", "decrease"]
    source: Literal["reported", "computed"]
    metric: str
    by_sex: bool
    by_age: bool
    by_department: bool
    current_value: float | None
    current_period: str
    current_source: str
    progress: float | None


class CommitmentDetailOut(CommitmentOut):
    description: str
    co_responsible: list[str]
    indicators: list[IndicatorOut]


class ValueOut(Schema):
    indicator_id: int
    breakdown: str
    value: float
    source: str


class ReportOut(Schema):
    id: int
    commitment_id: int
    period: str
    version: int
    supersedes_id: int | None
    status: ReportStatusCode
    commitment_status: StatusCode
    narrative: str
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str
    values: list[ValueOut]


class CommitmentFilterIn(Schema):
    area: AreaCode | None = None
    pillar: PillarCode | None = None
    institution: str | None = Field(None, max_length=40, pattern=r"^[a-z0-9-]*$")
    status: StatusCode | None = None


class ReviewIn(Input):
    comment: str = Field("", max_length=2000, pattern=MULTI_LINE)


def _plan_out(plan: Plan, share: progress.Share) -> PlanOut:
    return PlanOut(
        id=plan.pk, title=plan.title, title_es=plan.title_es, title_en=plan.title_en, country=plan.country.iso2,
        period_start=plan.period_start, period_end=plan.period_end, version=plan.version,
        illustrative=plan.illustrative, published=plan.published, implementation_share=_f(share.value),
        rule=str(progress.RULE),
    )


def _commitment_out(row: selectors.CommitmentRow) -> dict:
    c = row.commitment
    return {
        "id": c.pk, "code": c.code, "title": c.title, "title_es": c.title_es, "title_en": c.title_en,
        "area": c.area, "pillar": c.pillar, "responsible": c.responsible.code, "status": c.status,
        "start_date": c.start_date, "end_date": c.end_date, "active": c.active, "version": c.version,
        "progress": _f(row.progress), "late": row.late,
    }


def _report_out(r: ProgressReport) -> ReportOut:
    return ReportOut(
        id=r.pk, commitment_id=r.commitment_id, period=r.period.label, version=r.version,
        supersedes_id=r.supersedes_id, status=r.status, commitment_status=r.commitment_status, narrative=r.narrative,
        submitted_at=r.submitted_at, reviewed_at=r.reviewed_at, review_comment=r.review_comment,
        values=[
            ValueOut(indicator_id=v.indicator_id, breakdown=v.breakdown, value=float(v.value), source=v.source)
            for v in sorted(r.values.all(), key=lambda v: (v.indicator_id, v.breakdown))
        ],
    )


@router.get("/plan/plans", response={200: list[PlanOut], **ERRORS}, summary="Action plans, most recent first")
def plan_plans(request: HttpRequest) -> list[PlanOut]:
    actor = actor_of(request)
    out = []
    for plan in selectors.plan_list(actor=actor):
        out.append(_plan_out(plan, progress.implementation_share(plan=plan)[None]))
    return out


@router.get(
    "/plan/plans/{plan_id}/commitments",
    response={200: list[CommitmentOut], **ERRORS},
    summary="The active commitments of a plan with their progress",
)
def plan_commitments(
    request: HttpRequest, filters: Query[CommitmentFilterIn], plan_id: int = Path(..., ge=1, le=MAX_ID)
) -> list[dict]:
    actor = actor_of(request)
    plan = selectors.plan_current(actor=actor, plan_id=plan_id)
    f = filters
    rows = selectors.commitment_list(
        actor=actor, plan=plan,  # type: ignore[arg-type]
        filters=selectors.CommitmentFilters(
            area=f.area or "", pillar=f.pillar or "", institution=f.institution or "", status=f.status or ""
        ),
    )
    return [_commitment_out(r) for r in rows]


@router.get(
    "/plan/commitments/{commitment_id}",
    response={200: CommitmentDetailOut, **ERRORS},
    summary="A commitment with its indicators, their current values and progress",
)
def plan_commitment(request: HttpRequest, commitment_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    actor = actor_of(request)
    d = selectors.commitment_detail(actor=actor, commitment=selectors.commitment_get(actor=actor, pk=commitment_id))
    c = d.commitment
    row = selectors.CommitmentRow(commitment=c, progress=d.progress, late=selectors.is_late(c, timezone.localdate()))
    return {
        **_commitment_out(row),
        "description": c.description,
        "co_responsible": sorted(i.code for i in c.co_responsible.all()),
        "indicators": [
            {
                "id": r.indicator.pk, "name": r.indicator.name, "unit": r.indicator.unit,
                "baseline": float(r.indicator.baseline), "target": float(r.indicator.target),
                "target_date": r.indicator.target_date, "direction": r.indicator.direction,
                "source": r.indicator.source, "metric": r.indicator.metric, "by_sex": r.indicator.by_sex,
                "by_age": r.indicator.by_age, "by_department": r.indicator.by_department,
                "current_value": _f(r.current.value), "current_period": r.current.period,
                "current_source": r.current.source_text, "progress": _f(r.progress),
            }
            for r in d.indicators
        ],
    }


@router.get(
    "/plan/commitments/{commitment_id}/reports",
    response={200: list[ReportOut], **ERRORS},
    summary="Progress reports of a commitment, every version (drafts only for their authors' institution)",
)
def plan_commitment_reports(
    request: HttpRequest, commitment_id: int = Path(..., ge=1, le=MAX_ID)
) -> list[ReportOut]:
    actor = actor_of(request)
    c = selectors.commitment_get(actor=actor, pk=commitment_id)
    reports = (
        ProgressReport.objects.filter(selectors.report_visible(actor), commitment=c)
        .select_related("period")
        .prefetch_related("values")
        .order_by("-period__start", "-version")
    )
    return [_report_out(r) for r in reports]


@router.post(
    "/plan/reports/{report_id}/submit",
    response={200: ReportOut, **ERRORS},
    summary="Submit a draft or returned report to the national coordinator (focal point, coordinator)",
)
def plan_report_submit(request: HttpRequest, report_id: int = Path(..., ge=1, le=MAX_ID)) -> ReportOut:
    actor = actor_of(request)
    report = services.report_submit(actor=actor, report=selectors.report_get_for_edit(actor=actor, pk=report_id))
    return _report_out(report)


@router.post(
    "/plan/reports/{report_id}/approve",
    response={200: ReportOut, 400: ErrorOut, **ERRORS},
    summary="Approve a submitted report (coordinator); a correction supersedes the version it corrects",
)
def plan_report_approve(
    request: HttpRequest, body: ReviewIn, report_id: int = Path(..., ge=1, le=MAX_ID)
) -> ReportOut:
    actor = actor_of(request)
    actor.require("plan_manage")
    report = services.report_approve(actor=actor, report=selectors.report_get(actor=actor, pk=report_id), comment=body.comment)
    return _report_out(report)


@router.post(
    "/plan/reports/{report_id}/return",
    response={200: ReportOut, 400: ErrorOut, **ERRORS},
    summary="Return a submitted report with a comment (coordinator)",
)
def plan_report_return(
    request: HttpRequest, body: ReviewIn, report_id: int = Path(..., ge=1, le=MAX_ID)
) -> ReportOut:
    actor = actor_of(request)
    actor.require("plan_manage")
    report = services.report_return(actor=actor, report=selectors.report_get(actor=actor, pk=report_id), comment=body.comment)
    return _report_out(report)
