"""Reads of the action plan. Everyone with PLAN reads the plan and its reviewed reports.

Drafts are work in progress of one institution: a draft is visible only to those who may write it
(its institution's focal point and the coordinator). Outside a scope a record does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mirps.core import access
from mirps.plan import progress
from mirps.plan.models import (
    Area,
    Commitment,
    CommitmentRevision,
    CommitmentStatus,
    Evidence,
    Indicator,
    Pillar,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)
from mirps.plan.services import snapshot

if TYPE_CHECKING:
    from mirps.core.access import Actor

SHARE_GROUPS = ("area", "pillar", "institution", "status")


def report_visible(actor: Actor) -> Q:
    """Reports the actor may read: every report past draft, and drafts they may write."""
    writable = Commitment.objects.filter(access.commitment_report_scope(actor)).values("pk")
    if not (actor.can(access.PLAN_REPORT) or actor.can(access.PLAN_MANAGE)):
        return ~Q(status=ReportStatus.DRAFT)
    return ~Q(status=ReportStatus.DRAFT) | Q(commitment_id__in=writable)


def plan_current(*, actor: Actor, plan_id: int | None = None) -> Plan | None:
    """The plan asked for, or the most recent one; None when there is no plan yet."""
    actor.require(access.PLAN)
    qs = Plan.objects.select_related("country")
    if plan_id is not None:
        plan = qs.filter(pk=plan_id).first()
        if plan is None:
            raise Http404
        return plan
    return qs.order_by("-period_start", "-pk").first()


def plan_list(*, actor: Actor) -> QuerySet[Plan]:
    actor.require(access.PLAN)
    return Plan.objects.select_related("country").order_by("-period_start", "-pk")


@dataclass
class CommitmentRow:
    commitment: Commitment
    progress: Decimal | None
    late: bool = False
    missing_report: bool = False

    @property
    def percent(self) -> Decimal | None:
        return None if self.progress is None else (self.progress * 100).quantize(Decimal("0.1"))


def is_late(c: Commitment, today: date) -> bool:
    if c.status in (CommitmentStatus.COMPLETED, CommitmentStatus.REPRIORITISED):
        return False
    return c.status == CommitmentStatus.DELAYED or (c.end_date is not None and c.end_date < today)


def last_closed_period(plan: Plan) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(plan=plan, closed=True).order_by("-end").first()


@dataclass
class Dashboard:
    plan: Plan
    overall: progress.Share
    shares: dict[str, list[progress.Share]]
    rows: list[CommitmentRow]
    last_closed: ReportingPeriod | None
    as_of: date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def late(self) -> list[CommitmentRow]:
        return [r for r in self.rows if r.late]

    @property
    def missing_report(self) -> list[CommitmentRow]:
        return [r for r in self.rows if r.missing_report]

    def chart_data(self) -> dict[str, Any]:
        def pct(s: progress.Share) -> float | None:
            return None if s.value is None else float(s.percent or 0)

        return {
            g: {
                "labels": [s.label for s in shares],
                "values": [pct(s) for s in shares],
                "label": _("Implementation share (%)"),
            }
            for g, shares in self.shares.items()
        }


def _rows(plan: Plan, commitments: list[Commitment], metrics: dict[str, int]) -> list[CommitmentRow]:
    today = timezone.localdate()
    last = last_closed_period(plan)
    rows = []
    for c in commitments:
        has_report = last is None or any(r.period_id == last.pk for r in c.approved_reports)
        rows.append(
            CommitmentRow(
                commitment=c,
                progress=progress.commitment_progress(c, metrics=metrics),
                late=is_late(c, today),
                missing_report=not has_report and c.status != CommitmentStatus.REPRIORITISED,
            )
        )
    return rows


def commitment_rows(plan: Plan) -> list[CommitmentRow]:
    """Every active commitment with its progress and warnings, in a fixed number of queries."""
    return _rows(plan, progress.commitments_for_progress(plan), progress.metric_values(plan))


def dashboard_get(*, actor: Actor, plan: Plan) -> Dashboard:
    """The plan dashboard: implementation share overall and by group, late and unreported commitments."""
    actor.require(access.PLAN)
    commitments = progress.commitments_for_progress(plan)
    metrics = progress.metric_values(plan)
    shares = {
        g: list(progress.implementation_share(plan=plan, by=g, commitments=commitments, metrics=metrics).values())
        for g in SHARE_GROUPS
    }
    overall = progress.implementation_share(plan=plan, commitments=commitments, metrics=metrics)[None]
    rows = _rows(plan, commitments, metrics)
    counts = {
        "submitted": ProgressReport.objects.filter(commitment__plan=plan, status=ReportStatus.SUBMITTED).count()
    }
    return Dashboard(
        plan=plan, overall=overall, shares=shares, rows=rows, last_closed=last_closed_period(plan),
        as_of=min(timezone.localdate(), plan.period_end), counts=counts,
    )


@dataclass(frozen=True)
class CommitmentFilters:
    area: str = ""
    pillar: str = ""
    institution: str = ""
    status: str = ""
    q: str = ""
    include_inactive: bool = False


def commitment_list(*, actor: Actor, plan: Plan, filters: CommitmentFilters) -> list[CommitmentRow]:
    """The plan's commitments with their progress, filtered."""
    actor.require(access.PLAN)
    rows = commitment_rows(plan)
    if filters.include_inactive:
        inactive = plan.commitments.filter(active=False).select_related("responsible")
        rows += [CommitmentRow(commitment=c, progress=None) for c in inactive]
    out = []
    q = filters.q.strip().lower()
    for r in rows:
        c = r.commitment
        if filters.area and c.area != filters.area:
            continue
        if filters.pillar and c.pillar != filters.pillar:
            continue
        if filters.institution and c.responsible.code != filters.institution:
            continue
        if filters.status and c.status != filters.status:
            continue
        if q and q not in f"{c.code} {c.title_es} {c.title_en}".lower():
            continue
        out.append(r)
    return sorted(out, key=lambda r: r.commitment.code)


def commitment_get(*, actor: Actor, pk: int) -> Commitment:
    actor.require(access.PLAN)
    c = Commitment.objects.select_related("plan", "responsible").filter(pk=pk).first()
    if c is None:
        raise Http404
    return c


def commitment_writable(*, actor: Actor, commitment: Commitment) -> bool:
    if not (actor.can(access.PLAN_REPORT) or actor.can(access.PLAN_MANAGE)):
        return False
    return Commitment.objects.filter(access.commitment_report_scope(actor), pk=commitment.pk).exists()


@dataclass
class IndicatorRow:
    indicator: Indicator
    current: progress.CurrentValue
    progress: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        return None if self.progress is None else (self.progress * 100).quantize(Decimal("0.1"))


# Labels of the snapshot keys, to say what a revision changed.
SNAPSHOT_LABELS = {
    "code": _lazy("code"), "title_es": _lazy("title (Spanish)"), "title_en": _lazy("title (English)"),
    "description_es": _lazy("description (Spanish)"), "description_en": _lazy("description (English)"),
    "area": _lazy("area"), "pillar": _lazy("MIRPS pillar"), "responsible": _lazy("responsible institution"),
    "co_responsible": _lazy("co-responsible institutions"), "status": _lazy("status"), "start_date": _lazy("start"),
    "end_date": _lazy("end"), "active": _lazy("in the current plan version"),
}


@dataclass
class RevisionRow:
    """A revision (the state before a change) and what the change altered."""

    revision: CommitmentRevision
    changed: list[str]

    @property
    def previous_status(self) -> str:
        raw = self.revision.snapshot.get("status", "")
        return str(CommitmentStatus(raw).label) if raw in CommitmentStatus.values else raw


def revision_rows(revisions: list[CommitmentRevision], current: dict[int, dict[str, Any]]) -> list[RevisionRow]:
    """What each revision changed: its snapshot against the next one of the same commitment (or today's state).

    `revisions` are newest first (the model's ordering); `current` maps commitment id → snapshot now.
    """
    after = dict(current)
    rows = []
    for rev in revisions:  # newest first: `after` is the state that followed this revision
        nxt = after.get(rev.commitment_id, {})
        keys = [k for k in SNAPSHOT_LABELS if rev.snapshot.get(k) != nxt.get(k)]
        rows.append(RevisionRow(revision=rev, changed=[str(SNAPSHOT_LABELS[k]) for k in keys]))
        after[rev.commitment_id] = rev.snapshot
    return rows


def plan_history(*, actor: Actor, plan: Plan, limit: int = 50) -> list[RevisionRow]:
    """The latest changes to the plan's commitments, newest first, each with the plan version it was made in."""
    actor.require(access.PLAN)
    commitments = list(Commitment.objects.filter(plan=plan).select_related("responsible").prefetch_related("co_responsible"))
    revisions = list(
        CommitmentRevision.objects.filter(commitment__plan=plan).select_related("changed_by", "commitment")
    )
    return revision_rows(revisions, {c.pk: snapshot(c) for c in commitments})[:limit]


def commitment_get_for_manage(*, actor: Actor, pk: int) -> Commitment:
    """A commitment for the coordinator's edit page; nobody else sees it."""
    actor.require(access.PLAN_MANAGE)
    c = Commitment.objects.select_related("plan", "responsible").prefetch_related("co_responsible").filter(pk=pk).first()
    if c is None:
        raise Http404
    return c


def indicator_get_for_manage(*, actor: Actor, pk: int) -> Indicator:
    actor.require(access.PLAN_MANAGE)
    ind = Indicator.objects.select_related("commitment__plan").filter(pk=pk).first()
    if ind is None:
        raise Http404
    return ind


def plan_get_for_manage(*, actor: Actor, pk: int) -> Plan:
    actor.require(access.PLAN_MANAGE)
    plan = Plan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@dataclass
class CommitmentDetail:
    commitment: Commitment
    progress: Decimal | None
    indicators: list[IndicatorRow]
    reports: list[ProgressReport]
    revisions: list[RevisionRow]
    writable: bool
    open_periods: list[ReportingPeriod]

    @property
    def percent(self) -> Decimal | None:
        return None if self.progress is None else (self.progress * 100).quantize(Decimal("0.1"))


def commitment_detail(*, actor: Actor, commitment: Commitment) -> CommitmentDetail:
    """A commitment with its indicators' current values, its visible reports and its revisions."""
    actor.require(access.PLAN)
    c = commitment
    approved = (
        ProgressReport.objects.filter(status=ReportStatus.APPROVED).select_related("period").prefetch_related("values")
    )
    c = (
        Commitment.objects.select_related("plan", "responsible")
        .prefetch_related("indicators", "co_responsible", Prefetch("reports", queryset=approved, to_attr="approved_reports"))
        .get(pk=c.pk)
    )
    metrics = progress.metric_values(c.plan)
    rows = []
    for ind in c.indicators.all():
        cur = progress.indicator_current(ind, metrics=metrics)
        rows.append(IndicatorRow(indicator=ind, current=cur, progress=progress.indicator_progress(ind, cur.value)))
    reports = list(
        ProgressReport.objects.filter(report_visible(actor), commitment=c)
        .select_related("period", "author", "reviewed_by")
        .order_by("-period__start", "-version")
    )
    writable = commitment_writable(actor=actor, commitment=c)
    reported = {r.period_id for r in ProgressReport.objects.filter(commitment=c)}
    open_periods = [p for p in ReportingPeriod.objects.filter(plan=c.plan, closed=False) if p.pk not in reported]
    return CommitmentDetail(
        commitment=c,
        progress=progress.commitment_progress(c, metrics=metrics),
        indicators=rows,
        reports=reports,
        revisions=revision_rows(list(c.revisions.select_related("changed_by")), {c.pk: snapshot(c)}),
        writable=writable,
        open_periods=open_periods if writable else [],
    )


def report_get(*, actor: Actor, pk: int) -> ProgressReport:
    """A report the actor may read (drafts only for those who may write them)."""
    actor.require(access.PLAN)
    r = (
        ProgressReport.objects.filter(report_visible(actor), pk=pk)
        .select_related("commitment__plan", "commitment__responsible", "period", "author", "reviewed_by", "supersedes")
        .first()
    )
    if r is None:
        raise Http404
    return r


def report_get_for_edit(*, actor: Actor, pk: int) -> ProgressReport:
    """A report on a commitment the actor may report on."""
    if not actor.can(access.PLAN_MANAGE):
        actor.require(access.PLAN_REPORT)
    r = (
        ProgressReport.objects.filter(commitment__in=Commitment.objects.filter(access.commitment_report_scope(actor)), pk=pk)
        .select_related("commitment__plan", "commitment__responsible", "period", "author")
        .first()
    )
    if r is None:
        raise Http404
    return r


def commitment_get_for_report(*, actor: Actor, pk: int) -> Commitment:
    if not actor.can(access.PLAN_MANAGE):
        actor.require(access.PLAN_REPORT)
    c = Commitment.objects.filter(access.commitment_report_scope(actor), pk=pk).select_related("plan", "responsible").first()
    if c is None:
        raise Http404
    return c


def review_queue(*, actor: Actor) -> QuerySet[ProgressReport]:
    """Reports waiting for the coordinator's review, oldest first."""
    actor.require(access.PLAN_MANAGE)
    return (
        ProgressReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("commitment__responsible", "period", "author")
        .order_by("submitted_at", "pk")
    )


def evidence_get(*, actor: Actor, pk: int) -> Evidence:
    actor.require(access.PLAN)
    ev = Evidence.objects.filter(pk=pk, report__in=ProgressReport.objects.filter(report_visible(actor))).first()
    if ev is None:
        raise Http404
    return ev


def period_list(*, actor: Actor, plan: Plan) -> QuerySet[ReportingPeriod]:
    actor.require(access.PLAN_MANAGE)
    return ReportingPeriod.objects.filter(plan=plan).order_by("start")


def period_get(*, actor: Actor, pk: int) -> ReportingPeriod:
    actor.require(access.PLAN_MANAGE)
    p = ReportingPeriod.objects.select_related("plan").filter(pk=pk).first()
    if p is None:
        raise Http404
    return p


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    from mirps.accounts.models import Institution

    insts = Institution.objects.filter(commitments__isnull=False).distinct().order_by("code")
    return {
        "area": list(Area.choices),
        "pillar": list(Pillar.choices),
        "status": list(CommitmentStatus.choices),
        "institution": [(i.code, i.label) for i in insts],
    }
