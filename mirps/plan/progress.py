"""How far the action plan is implemented: the one place where progress is computed.

The rule (also shown on every page that shows a share, see `RULE`):

1. An indicator's progress is (value − baseline) / (target − baseline), capped between 0 and 1.
   It works for indicators that should decrease too, since then target < baseline.
2. An indicator's current value is, for a reported indicator, the total (breakdown "") in the
   most recent approved progress report of its commitment that has a value for it; for an
   indicator computed from the registration data, the sum of the arrival counts
   (`mirps.stats.models.ArrivalCount`) from the plan's first month to `as_of`.
3. A commitment's progress is the mean of its indicators' progress, leaving out indicators
   without a value. No indicator with a value → no progress (None, "without data"), except a
   completed commitment without indicators, which counts as 1.
4. The implementation share of a group of active commitments is the mean of the progress of those
   with progress; those without are counted apart, never as 0.

Every number is a `Decimal` rounded to 4 places (0.0001 = 0.01 %).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mirps.plan.models import (
    Area,
    Commitment,
    CommitmentStatus,
    Indicator,
    IndicatorValue,
    Pillar,
    Plan,
    ProgressReport,
    ReportStatus,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

RULE = gettext_lazy(
    "Implementation share: mean of the progress of the active commitments that have data. "
    "A commitment's progress is the mean of its indicators' progress towards their targets, "
    "(value − baseline) ÷ (target − baseline), capped between 0% and 100%. Reported values come "
    "from the latest approved progress report; computed values from the registry of returned "
    "persons. A completed commitment without indicators counts as 100%; commitments without any "
    "value are counted as \"without data\", not as 0%."
)

# The registration count cells that make each computed metric (see mirps.stats.services.arrival_keys).
METRIC_CELLS: dict[str, tuple[str, tuple[str, ...]]] = {
    # Every registration includes the protection screening, so every arrival was screened.
    Indicator.Metric.ARRIVALS_SCREENED: ("total", ("all",)),
    Indicator.Metric.ARRIVALS_WITH_NEED: ("need", ("possible", "urgent")),
    Indicator.Metric.REPEAT_RETURNS: ("sequence", ("2", "3+")),
    Indicator.Metric.UNACCOMPANIED_CHILDREN: ("travel_mode", ("unaccompanied_child",)),
}

BY_CHOICES = (None, "area", "pillar", "institution", "status")

Q4 = Decimal("0.0001")
ZERO = Decimal(0)
ONE = Decimal(1)


def _q(x: Decimal) -> Decimal:
    return x.quantize(Q4, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CurrentValue:
    value: Decimal | None
    period: str
    source_text: str


@dataclass(frozen=True)
class Share:
    key: str | None
    label: str
    value: Decimal | None  # 0..1, None when no commitment of the group has data
    commitments: int
    without_data: int

    @property
    def percent(self) -> Decimal | None:
        return None if self.value is None else (self.value * 100).quantize(Decimal("0.1"))


def indicator_progress(indicator: Indicator, value: Decimal | int | None) -> Decimal | None:
    """(value − baseline) / (target − baseline), capped to [0, 1]; None without a value."""
    if value is None:
        return None
    span = indicator.target - indicator.baseline
    if span == 0:  # excluded by a constraint; never divide by zero anyway
        return None
    p = (Decimal(value) - indicator.baseline) / span
    return _q(min(ONE, max(ZERO, p)))


def _month(d: date) -> date:
    return d.replace(day=1)


def _as_of(plan: Plan, as_of: date | None) -> date:
    return as_of or min(timezone.localdate(), plan.period_end)


def computed_period(plan: Plan, as_of: date | None = None) -> str:
    end = _as_of(plan, as_of)
    return f"{plan.period_start:%Y-%m} – {end:%Y-%m}"


def computed_source(plan: Plan, as_of: date | None = None) -> str:
    return _("Registry of returned persons (mirps), %(period)s") % {"period": computed_period(plan, as_of)}


def metric_values(plan: Plan, *, as_of: date | None = None, metrics: Iterable[str] | None = None) -> dict[str, int]:
    """Each computed metric summed over the plan's months up to `as_of`, in one query."""
    from mirps.stats.models import ArrivalCount

    wanted = list(metrics) if metrics is not None else list(METRIC_CELLS)
    wanted = [m for m in wanted if m in METRIC_CELLS]
    if not wanted:
        return {}
    cond = Q(pk__in=[])
    for m in wanted:
        dim, keys = METRIC_CELLS[m]
        cond |= Q(dimension=dim, key__in=keys)
    rows = (
        ArrivalCount.objects.filter(cond, month__gte=_month(plan.period_start), month__lte=_as_of(plan, as_of))
        .values("dimension", "key")
        .annotate(n=Sum("count"))
    )
    cell: dict[tuple[str, str], int] = {(r["dimension"], r["key"]): r["n"] or 0 for r in rows}
    out = {}
    for m in wanted:
        dim, keys = METRIC_CELLS[m]
        out[m] = sum(cell.get((dim, k), 0) for k in keys)
    return out


def _approved_reports(commitment: Commitment, as_of: date | None) -> list[ProgressReport]:
    """Approved reports, newest period first; uses `approved_reports` when prefetched."""
    reports = getattr(commitment, "approved_reports", None)
    if reports is None:
        reports = list(
            ProgressReport.objects.filter(commitment=commitment, status=ReportStatus.APPROVED)
            .select_related("period")
            .prefetch_related("values")
        )
    if as_of is not None:
        reports = [r for r in reports if r.period.start <= as_of]
    return sorted(reports, key=lambda r: (r.period.end, r.version), reverse=True)


def _reported_current(indicator: Indicator, commitment: Commitment, as_of: date | None) -> CurrentValue:
    for report in _approved_reports(commitment, as_of):
        for v in report.values.all():
            if v.indicator_id == indicator.pk and v.breakdown == "":
                text = _("Progress report %(period)s, version %(version)s, approved") % {
                    "period": report.period.label, "version": report.version,
                }
                if v.source:
                    text = f"{text}; {v.source}"
                return CurrentValue(v.value, report.period.label, text)
    return CurrentValue(None, "", _("No approved report yet"))


def indicator_current(
    indicator: Indicator, *, as_of: date | None = None, metrics: dict[str, int] | None = None
) -> CurrentValue:
    """The indicator's current value with its period and source (see the module docstring).

    `metrics` (from `metric_values`) lets a caller compute many indicators without one query each.
    """
    commitment = indicator.commitment
    if indicator.source == Indicator.Source.COMPUTED:
        plan = commitment.plan
        if metrics is None or indicator.metric not in metrics:
            metrics = metric_values(plan, as_of=as_of, metrics=[indicator.metric])
        n = metrics.get(indicator.metric)
        value = None if n is None else Decimal(n)
        return CurrentValue(value, computed_period(plan, as_of), computed_source(plan, as_of))
    return _reported_current(indicator, commitment, as_of)


def commitment_progress(
    commitment: Commitment, *, as_of: date | None = None, metrics: dict[str, int] | None = None
) -> Decimal | None:
    """Mean progress of the commitment's indicators that have a value (see the module docstring)."""
    indicators = list(commitment.indicators.all())
    if not indicators:
        return ONE if commitment.status == CommitmentStatus.COMPLETED else None
    if metrics is None and any(i.source == Indicator.Source.COMPUTED for i in indicators):
        metrics = metric_values(commitment.plan, as_of=as_of)
    progresses = []
    for ind in indicators:
        ind.commitment = commitment  # avoid a query per indicator
        p = indicator_progress(ind, indicator_current(ind, as_of=as_of, metrics=metrics).value)
        if p is not None:
            progresses.append(p)
    if not progresses:
        return None
    return _q(sum(progresses, ZERO) / len(progresses))


def commitments_for_progress(plan: Plan) -> list[Commitment]:
    """The plan's active commitments with what progress needs, in a fixed number of queries."""
    approved = (
        ProgressReport.objects.filter(status=ReportStatus.APPROVED)
        .select_related("period")
        .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.filter(breakdown="")))
    )
    return list(
        plan.commitments.filter(active=True)
        .select_related("responsible", "plan")
        .prefetch_related("indicators", Prefetch("reports", queryset=approved, to_attr="approved_reports"))
        .order_by("code")
    )


def _group(c: Commitment, by: str | None) -> tuple[str | None, str]:
    if by is None:
        return None, _("All commitments")
    if by == "area":
        return c.area, str(Area(c.area).label)
    if by == "pillar":
        return c.pillar, str(Pillar(c.pillar).label)
    if by == "institution":
        return c.responsible.code, c.responsible.label
    if by == "status":
        return c.status, str(CommitmentStatus(c.status).label)
    raise ValueError(by)


def _order(by: str | None) -> list[str | None]:
    return {
        None: [None],
        "area": list(Area.values),
        "pillar": list(Pillar.values),
        "status": list(CommitmentStatus.values),
    }.get(by, [])


def implementation_share(
    *, plan: Plan, by: str | None = None, as_of: date | None = None,
    commitments: list[Commitment] | None = None, metrics: dict[str, int] | None = None,
) -> dict[str | None, Share]:
    """Mean progress of the plan's active commitments with data, overall or per group.

    `by` is None (one entry, key None), "area", "pillar", "institution" (keys: institution codes)
    or "status". Groups without commitments are left out. Pass `commitments` (from
    `commitments_for_progress`) and `metrics` (from `metric_values`) to share the queries
    between several calls.
    """
    if by not in BY_CHOICES:
        raise ValueError(by)
    if commitments is None:
        commitments = commitments_for_progress(plan)
    if metrics is None:
        metrics = metric_values(plan, as_of=as_of)
    groups: dict[str | None, list[Decimal | None]] = defaultdict(list)
    labels: dict[str | None, str] = {}
    for c in commitments:
        key, label = _group(c, by)
        labels[key] = label
        groups[key].append(commitment_progress(c, as_of=as_of, metrics=metrics))
    order = _order(by)
    keys = [k for k in order if k in groups] + sorted(
        (k for k in groups if k not in order), key=lambda k: labels[k].lower()
    )
    if by is None and not keys:
        keys = [None]
        labels[None] = _("All commitments")
    out: dict[str | None, Share] = {}
    for k in keys:
        values = [v for v in groups.get(k, []) if v is not None]
        out[k] = Share(
            key=k,
            label=labels[k],
            value=_q(sum(values, ZERO) / len(values)) if values else None,
            commitments=len(groups.get(k, [])),
            without_data=len(groups.get(k, [])) - len(values),
        )
    return out
