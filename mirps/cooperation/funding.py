"""Funding needed vs pledged vs disbursed: the one place where these sums are computed.

Rules (also shown on the funding page, see `RULE`):

- Amounts are the pledges' `amount_usd`, fixed when the pledge was recorded from the latest exchange
  rate valid at the pledge date.
- Per need: needed = the need's estimated cost; pledged / committed / disbursed = sums of the
  pledges *in that state* linked to that need; gap = max(needed − (committed + disbursed), 0).
  A pledge only promised does not close a gap; committed and disbursed money does.
- Per commitment: needed = sum of its needs; pledged / committed / disbursed = sums of every pledge
  linked to the commitment, with or without a need, each pledge counted once;
  gap = max(needed − (committed + disbursed), 0).
- Per area (of the commitment) and in total: sums of the commitments' figures; the gap is the sum
  of the commitments' gaps (money given to one commitment does not fill another one's gap).
- Per partner: the sums of that partner's pledges by state.

A pledge belongs to exactly one commitment (and at most one need of that commitment) and to one
partner, so it is counted exactly once in each table: nothing is double counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from mirps.cooperation.models import Pledge, SupportNeed

ZERO = Decimal("0.00")
STATES = (Pledge.State.PLEDGED, Pledge.State.COMMITTED, Pledge.State.DISBURSED)

RULE = _(
    "Amounts in USD at the exchange rate valid on each pledge's date. Pledged, committed and "
    "disbursed are the sums of the pledges in each state. Gap = needed − (committed + disbursed), "
    "never below zero: a pledge only promised does not close a gap. A commitment counts every pledge "
    "linked to it once, with or without a need; an area's gap is the sum of its commitments' gaps. "
    "Each pledge belongs to one commitment and one partner and is never counted twice."
)


def _money() -> dict[str, Decimal]:
    return {"pledged": ZERO, "committed": ZERO, "disbursed": ZERO}


def gap(needed: Decimal, committed: Decimal, disbursed: Decimal) -> Decimal:
    """Unfunded part of a need: what committed and disbursed money does not cover, never negative."""
    return max(needed - (committed + disbursed), ZERO)


def _sums(pledges: Iterable[Pledge] | Any, key: str) -> dict[Any, dict[str, Decimal]]:
    """{key value: {state: sum of amount_usd}} in one grouped query."""
    out: dict[Any, dict[str, Decimal]] = defaultdict(_money)
    for row in pledges.values(key, "state").annotate(total=Sum("amount_usd")).order_by():
        out[row[key]][row["state"]] += row["total"] or ZERO
    return out


def _pledges(plan: Any, published_only: bool) -> Any:
    qs = Pledge.objects.filter(commitment__plan=plan)
    if published_only:
        qs = qs.filter(published=True)
    return qs


def funding_by_need(*, plan: Any, published_only: bool = False) -> list[dict[str, Any]]:
    """One row per support need of the plan's commitments."""
    sums = _sums(_pledges(plan, published_only).filter(need__isnull=False), "need_id")
    rows = []
    for need in SupportNeed.objects.filter(commitment__plan=plan).select_related("commitment").order_by(
        "commitment__code", "id"
    ):
        m = sums.get(need.pk, _money())
        rows.append(
            {
                "need": need,
                "commitment": need.commitment,
                "needed": need.estimated_cost_usd,
                **m,
                "gap": gap(need.estimated_cost_usd, m["committed"], m["disbursed"]),
            }
        )
    return rows


def funding_by_commitment(*, plan: Any, published_only: bool = False) -> list[dict[str, Any]]:
    """One row per commitment of the plan: needed, pledged, committed, disbursed, gap (see module rules)."""
    sums = _sums(_pledges(plan, published_only), "commitment_id")
    needed = {
        row["commitment_id"]: row["total"] or ZERO
        for row in SupportNeed.objects.filter(commitment__plan=plan)
        .values("commitment_id")
        .annotate(total=Sum("estimated_cost_usd"))
        .order_by()
    }
    rows = []
    for c in plan.commitments.order_by("code"):
        m = sums.get(c.pk, _money())
        n = needed.get(c.pk, ZERO)
        rows.append(
            {
                "commitment": c,
                "code": c.code,
                "area": c.area,
                "needed": n,
                **m,
                "gap": gap(n, m["committed"], m["disbursed"]),
            }
        )
    return rows


def funding_by_area(rows: list[dict[str, Any]]) -> dict[str, dict[str, Decimal]]:
    """Sums of commitment rows per area; the gap is the sum of the commitments' gaps."""
    out: dict[str, dict[str, Decimal]] = {}
    for r in rows:
        cell = out.setdefault(r["area"], {"needed": ZERO, **_money(), "gap": ZERO})
        for k in ("needed", "pledged", "committed", "disbursed", "gap"):
            cell[k] += r[k]
    return out


def funding_total(rows: list[dict[str, Any]]) -> dict[str, Decimal]:
    total = {"needed": ZERO, **_money(), "gap": ZERO}
    for r in rows:
        for k in total:
            total[k] += r[k]
    return total


def funding_by_partner(*, plan: Any, published_only: bool = False) -> list[dict[str, Any]]:
    """One row per partner with pledges to the plan: sums by state and their total."""
    from mirps.accounts.models import Institution

    sums = _sums(_pledges(plan, published_only), "partner_id")
    partners = Institution.objects.in_bulk(list(sums))
    rows = [
        {"partner": partners[pid], **m, "total": m["pledged"] + m["committed"] + m["disbursed"]}
        for pid, m in sums.items()
    ]
    rows.sort(key=lambda r: (-r["total"], r["partner"].code))
    return rows
