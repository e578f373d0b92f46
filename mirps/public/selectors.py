"""Reads for the public page. Only what is marked published; no personal data (no authors, notes,
people or arrival records), and no actor: what a signed-in user sees here is what anyone sees."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mirps.plan import progress
from mirps.plan.models import Area, Pillar, Plan


@dataclass(frozen=True)
class CommitmentRow:
    code: str
    title: str
    area: str
    pillar: str
    responsible: str
    status: str
    status_code: str
    progress: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        return None if self.progress is None else (self.progress * 100).quantize(Decimal("0.1"))


def plan_published() -> Plan | None:
    """The current published plan: the most recent period, highest version."""
    return Plan.objects.filter(published=True).order_by("-period_start", "-version", "-pk").first()


def plan_progress(plan: Plan) -> dict[str, Any]:
    """Implementation share overall, by area and by pillar, and each active commitment's progress,
    all computed by `mirps.plan.progress` (one rule, shown with the numbers)."""
    commitments = progress.commitments_for_progress(plan)
    metrics = progress.metric_values(plan)
    share = {by: progress.implementation_share(plan=plan, by=by, commitments=commitments, metrics=metrics) for by in (None, "area", "pillar")}
    rows = [
        CommitmentRow(
            code=c.code,
            title=c.title,
            area=str(Area(c.area).label),
            pillar=str(Pillar(c.pillar).label),
            responsible=c.responsible.label,
            status=c.get_status_display(),
            status_code=c.status,
            progress=progress.commitment_progress(c, metrics=metrics),
        )
        for c in commitments
    ]
    return {
        "overall": share[None][None],
        "by_area": list(share["area"].values()),
        "by_pillar": list(share["pillar"].values()),
        "commitments": rows,
        "rule": progress.RULE,
    }
