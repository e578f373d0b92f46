"""Reads of cooperation data: interventions (who does what where), pledges and support needs.

Cooperation data holds no personal data: every role with the PLAN capability reads all of it;
the public (no actor) reads only what is published. Edit scopes live in `mirps.core.access`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from mirps.cooperation.models import Intervention, Pledge, SupportNeed
from mirps.core import access
from mirps.core.access import Actor
from mirps.geo.models import Municipality

CENT = Decimal("0.01")


def interventions_visible(*, actor_or_none: Actor | None, published_only: bool = False) -> QuerySet[Intervention]:
    """Interventions the actor may read: all with PLAN; only published ones for the public."""
    qs = Intervention.objects.all()
    if actor_or_none is None or published_only or not actor_or_none.can(access.PLAN):
        qs = qs.filter(published=True)
    return qs


def interventions_filtered(
    *,
    actor_or_none: Actor | None,
    published_only: bool,
    sector: str | None = None,
    partner: str | None = None,
    status: str | None = None,
    commitment: int | str | None = None,
    population: str | None = None,
    department: str | None = None,
) -> QuerySet[Intervention]:
    """Interventions matching the map/list filters, inside what the actor may read.

    `partner` is an institution code and matches the implementer or any funder; `commitment` is a
    commitment id; `population` one of `Population`; `department` a department INE code ("05").
    Empty values mean "no filter". Unknown values simply match nothing.
    """
    qs = interventions_visible(actor_or_none=actor_or_none, published_only=published_only)
    if sector:
        qs = qs.filter(sector=sector)
    if status:
        qs = qs.filter(status=status)
    if partner:
        qs = qs.filter(Q(implementer__code=partner) | Q(funders__code=partner))
    if commitment:
        try:
            qs = qs.filter(commitments__id=int(commitment))
        except (TypeError, ValueError):
            qs = qs.none()
    if department:
        qs = qs.filter(municipalities__department__code=department)
    if population:
        # JSON "contains" is not available on SQLite: match the list in Python (a few hundred rows).
        ids = [pk for pk, pops in qs.values_list("pk", "populations") if population in (pops or [])]
        qs = Intervention.objects.filter(pk__in=ids)
    else:
        # The joins on funders/commitments/municipalities can repeat a row.
        qs = Intervention.objects.filter(pk__in=qs.values("pk"))
    return qs.select_related("implementer").order_by("code")


def intervention_totals_by_department(qs: QuerySet[Intervention]) -> dict[str, dict[str, Any]]:
    """Per department code: {"interventions": n, "budget_usd": Decimal, "municipalities": {codes}}.

    Counting rule: an intervention covering several municipalities of one department counts once
    for that department (and once in each other department it covers). Budget rule: the budget is
    split equally across the intervention's municipalities and each department receives the share
    of its municipalities, so the department budgets sum to the total budget of the interventions
    (rounded to the cent; the last municipality takes the rounding remainder). An intervention with
    no municipality appears in no department.
    """
    rows = (
        qs.model.objects.filter(pk__in=qs.values("pk"))
        .only("pk", "budget_usd")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.select_related("department").order_by("code"))
        )
    )
    out: dict[str, dict[str, Any]] = {}
    for iv in rows:
        munis = list(iv.municipalities.all())
        if not munis:
            continue
        budget = Decimal(iv.budget_usd or 0)
        share = (budget / len(munis)).quantize(CENT, rounding=ROUND_HALF_UP)
        remainder = budget - share * len(munis)
        seen: set[str] = set()
        for i, m in enumerate(munis):
            dep = m.department.code
            cell = out.setdefault(dep, {"interventions": 0, "budget_usd": Decimal("0.00"), "municipalities": set()})
            if dep not in seen:
                cell["interventions"] += 1
                seen.add(dep)
            cell["budget_usd"] += share + (remainder if i == len(munis) - 1 else 0)
            cell["municipalities"].add(m.code)
    return out


def intervention_get(*, actor_or_none: Actor | None, intervention_id: uuid.UUID | str) -> Intervention:
    """One intervention the actor may read (public: published only); else 404."""
    try:
        return (
            interventions_visible(actor_or_none=actor_or_none)
            .select_related("implementer", "created_by")
            .prefetch_related("funders", "municipalities__department", "commitments")
            .get(pk=intervention_id)
        )
    except (Intervention.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def intervention_get_for_edit(*, actor: Actor, intervention_id: uuid.UUID | str) -> Intervention:
    """One intervention the actor may edit (partner: own organisation's; coordinator: all); else 404."""
    actor.require(access.COOP_EDIT)
    try:
        return (
            Intervention.objects.filter(access.intervention_edit_scope(actor))
            .select_related("implementer")
            .prefetch_related("funders", "municipalities__department", "commitments")
            .get(pk=intervention_id)
        )
    except (Intervention.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def interventions_editable(*, actor: Actor) -> QuerySet[Intervention]:
    actor.require(access.COOP_EDIT)
    return Intervention.objects.filter(access.intervention_edit_scope(actor))


def pledges_visible(*, actor_or_none: Actor | None, published_only: bool = False) -> QuerySet[Pledge]:
    """Pledges the actor may read: all with PLAN; only published ones for the public."""
    qs = Pledge.objects.select_related("partner", "commitment", "need")
    if actor_or_none is None or published_only or not actor_or_none.can(access.PLAN):
        qs = qs.filter(published=True)
    return qs


def pledge_get_for_edit(*, actor: Actor, pledge_id: uuid.UUID | str) -> Pledge:
    """One pledge the actor may edit (partner: own organisation's; coordinator: all); else 404."""
    actor.require(access.COOP_EDIT)
    try:
        return (
            Pledge.objects.filter(access.pledge_edit_scope(actor))
            .select_related("partner", "commitment", "need")
            .get(pk=pledge_id)
        )
    except (Pledge.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def pledge_get(*, actor_or_none: Actor | None, pledge_id: uuid.UUID | str) -> Pledge:
    try:
        return pledges_visible(actor_or_none=actor_or_none).get(pk=pledge_id)
    except (Pledge.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def needs_visible(*, actor_or_none: Actor | None) -> QuerySet[SupportNeed]:
    """Support needs are part of the plan: readable with PLAN, public only for a published plan."""
    qs = SupportNeed.objects.select_related("commitment", "commitment__plan")
    if actor_or_none is None or not actor_or_none.can(access.PLAN):
        qs = qs.filter(commitment__plan__published=True)
    return qs


def need_get_for_edit(*, actor: Actor, need_id: int | str) -> SupportNeed:
    actor.require(access.PLAN_MANAGE)
    try:
        return SupportNeed.objects.select_related("commitment").get(pk=int(need_id))
    except (SupportNeed.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def funding_by_commitment(*, plan: Any, published_only: bool = False) -> list[dict[str, Any]]:
    """Needed / pledged / committed / disbursed / gap per commitment of `plan` (see `funding`)."""
    from mirps.cooperation.funding import funding_by_commitment as compute

    return compute(plan=plan, published_only=published_only)


def totals_by_department_rows(qs: QuerySet[Intervention]) -> dict[str, dict[str, Any]]:
    """Like `intervention_totals_by_department` with municipality sets turned into sorted lists."""
    return {
        k: {**v, "municipalities": sorted(v["municipalities"])}
        for k, v in intervention_totals_by_department(qs).items()
    }


def interventions_by_municipality(qs: QuerySet[Intervention]) -> dict[str, list[str]]:
    """Municipality code → codes of the interventions covering it."""
    out: dict[str, list[str]] = defaultdict(list)
    through = Intervention.municipalities.through
    for code, muni in through.objects.filter(intervention__in=qs.values("pk")).values_list(
        "intervention__code", "municipality__code"
    ):
        out[muni].append(code)
    return dict(out)
