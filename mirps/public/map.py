"""The cooperation map: interventions and budget (and, signed in, arrivals) by department.

Public version (`published_only`): published interventions only, and no arrival data at all.
Totals per department come from `cooperation.selectors.intervention_totals_by_department`, the one
place that decides how an intervention covering several departments counts; the municipality table
applies the same rule (budget split equally across an intervention's municipalities).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.db.models import Prefetch, Q
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mirps.accounts.models import Institution
from mirps.cooperation.models import Intervention, Population, Sector
from mirps.cooperation.selectors import intervention_totals_by_department, interventions_filtered
from mirps.core import access
from mirps.geo.models import Department, Municipality
from mirps.plan.models import Commitment
from mirps.stats import disclosure

CENT = Decimal("0.01")
LAYERS_PUBLIC = ("interventions", "budget")
LAYERS_INTERNAL = ("interventions", "budget", "arrivals")
FILTERS = ("sector", "partner", "status", "commitment", "population")


class MapForm(forms.Form):
    layer = forms.ChoiceField(label=gettext_lazy("Show"), required=False)
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)
    partner = forms.ChoiceField(label=gettext_lazy("Organisation"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    commitment = forms.ChoiceField(label=gettext_lazy("Commitment"), required=False)
    population = forms.ChoiceField(label=gettext_lazy("Population"), required=False)

    def __init__(self, data, *, actor_or_none: access.Actor | None, published_only: bool, with_layer: bool = True):
        super().__init__(data)
        every = [("", _("All"))]
        layers = {
            "interventions": _("Number of interventions"),
            "budget": _("Budget (USD)"),
            "arrivals": _("Arrivals of returnees"),
        }
        allowed = LAYERS_PUBLIC if published_only else LAYERS_INTERNAL
        if with_layer:
            self.fields["layer"].choices = [(k, layers[k]) for k in allowed]
        else:
            del self.fields["layer"]
        self.fields["sector"].choices = every + list(Sector.choices)
        self.fields["status"].choices = every + list(Intervention.Status.choices)
        self.fields["population"].choices = every + list(Population.choices)
        visible = Intervention.objects.all() if not published_only else Intervention.objects.filter(published=True)
        orgs = Institution.objects.filter(
            Q(interventions__in=visible) | Q(funded_interventions__in=visible)
        ).distinct().order_by("code")
        self.fields["partner"].choices = every + [(o.code, o.label) for o in orgs]
        commitments = Commitment.objects.filter(interventions__in=visible).distinct().order_by("plan_id", "code")
        if published_only:
            # A published intervention may be linked to a plan not yet published: keep that plan out.
            commitments = commitments.filter(plan__published=True)
        self.fields["commitment"].choices = every + [(str(c.pk), f"{c.code} {c.title}"[:90]) for c in commitments]

    def values(self) -> dict[str, str]:
        """Valid filter values only: a tampered or stale parameter is ignored, never an error."""
        self.is_valid()
        return {k: self.cleaned_data.get(k) or "" for k in self.fields}


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    department: str
    interventions: int
    budget_usd: Decimal


def _money(v: Decimal) -> str:
    return "USD " + number_format(v.quantize(Decimal(1)), 0, force_grouping=True)


def _split(budget: Decimal, n: int) -> list[Decimal]:
    """The same split as the department totals: equal cents, the last municipality takes the rest."""
    share = (budget / n).quantize(CENT, rounding=ROUND_HALF_UP)
    return [share] * (n - 1) + [budget - share * (n - 1)]


def arrivals_by_department(*, actor: access.Actor) -> dict[str, Any]:
    """Published (suppressed) arrival counts by destination department, last twelve months."""
    from mirps.stats.builders import map_data
    from mirps.stats.selectors import StatsFilters, stats_table

    filters = StatsFilters.default()
    table = stats_table(actor=actor, filters=filters, name="department")
    data = map_data(table)
    return {"departments": data["departments"], "month_from": filters.month_from, "month_to": filters.month_to}


def map_build(
    *, actor_or_none: access.Actor | None, published_only: bool, filters: dict[str, str], layer: str
) -> dict[str, Any]:
    """Everything the map page shows: per department totals and lists, the municipality table."""
    if not published_only and actor_or_none is not None:
        actor_or_none.require(access.PLAN)
    qs = interventions_filtered(
        actor_or_none=actor_or_none,
        published_only=published_only,
        **{k: filters.get(k) or None for k in FILTERS},
    )
    totals = intervention_totals_by_department(qs)
    munis = Prefetch("municipalities", queryset=Municipality.objects.select_related("department").order_by("code"))
    items = list(qs.select_related("implementer").prefetch_related(munis, "funders"))

    by_dept: dict[str, list[dict[str, Any]]] = defaultdict(list)
    muni_count: dict[str, int] = defaultdict(int)
    muni_budget: dict[str, Decimal] = defaultdict(Decimal)
    muni_obj: dict[str, Municipality] = {}
    for iv in items:
        ms = list(iv.municipalities.all())
        if not ms:
            continue
        per_dept: dict[str, list[str]] = defaultdict(list)
        for m, part in zip(ms, _split(Decimal(iv.budget_usd or 0), len(ms)), strict=True):
            per_dept[m.department.code].append(m.name)
            muni_count[m.code] += 1
            muni_budget[m.code] += part
            muni_obj[m.code] = m
        for dep, names in per_dept.items():
            by_dept[dep].append({
                "code": iv.code,
                "title": iv.title,
                "implementer": iv.implementer.label,
                "funders": ", ".join(f.label for f in iv.funders.all()),
                "sector": iv.get_sector_display(),
                "status": iv.get_status_display(),
                "municipalities": names,
                "budget": _money(Decimal(iv.budget_usd or 0)),
            })  # fmt: skip

    # Arrivals only for a signed-in reader of the dashboard, and always through its disclosure rules.
    with_arrivals = layer == "arrivals" and not published_only and actor_or_none is not None and actor_or_none.can(access.STATS)
    arrivals = arrivals_by_department(actor=actor_or_none) if with_arrivals else None
    departments: dict[str, dict[str, Any]] = {}
    for d in Department.objects.order_by("code"):
        t = totals.get(d.code, {"interventions": 0, "budget_usd": Decimal(0), "municipalities": set()})
        entry: dict[str, Any] = {
            "name": d.name,
            "interventions": t["interventions"],
            "budget": float(t["budget_usd"]),
            "budget_display": _money(t["budget_usd"]),
            "municipalities": sorted(muni_obj[c].name for c in t["municipalities"] if c in muni_obj),
            "items": by_dept.get(d.code, []),
        }
        if arrivals is not None:
            a = arrivals["departments"].get(d.code, {"value": 0, "display": "0"})
            entry["arrivals"] = a["value"]  # None when hidden ("<5" or "x")
            entry["arrivals_display"] = a["display"]
        departments[d.code] = entry

    rows = sorted(
        (
            MunicipalityRow(code, m.name, m.department.name, muni_count[code], muni_budget[code])
            for code, m in muni_obj.items()
        ),
        key=lambda r: (-r.interventions, r.department, r.name),
    )
    legend = {
        "interventions": _("Interventions"),
        "budget": _("Budget (USD)"),
        "arrivals": _("Arrivals of returnees"),
        "none": _("None"),
        "small": _("Not shown (small numbers)"),
        "failed": _("The map could not be loaded; the table beside it has the same numbers."),
        "municipalities": _("Municipalities"),
        "no_items": _("No interventions in this department with these filters."),
        "funders": _("Funded by"),
        "click": _("Select a department on the map to see its interventions and municipalities."),
    }
    return {
        "layer": layer,
        "departments": departments,
        "legend": legend,
        "number": {"thousand": get_format("THOUSAND_SEPARATOR"), "decimal": get_format("DECIMAL_SEPARATOR")},
        "rows": rows,
        "count": len(items),
        "budget_total": _money(sum((Decimal(i.budget_usd or 0) for i in items), Decimal(0))),
        "arrivals_period": (arrivals["month_from"], arrivals["month_to"]) if arrivals else None,
        "small_label": disclosure.suppressed_label(),
        "small_max": disclosure.threshold() - 1,
        "interventions": items,
    }


def map_json(built: dict[str, Any]) -> dict[str, Any]:
    """The part of the map data the script needs (for json_script)."""
    return {k: built[k] for k in ("layer", "departments", "legend", "number")}
