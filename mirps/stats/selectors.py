"""Reads of the dashboard. Aggregates only: every number comes from ArrivalCount, never Arrival.

Anyone with the STATS capability sees every reception point's aggregates; what differs is
disclosure. Small counts are exact only for a registrar filtering to their own reception
point, who already sees the names behind them (`Actor.exact_stats_for`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import get_format

from mirps.core import access
from mirps.geo.models import Country, Department
from mirps.reference.models import Term
from mirps.stats import builders, disclosure, tables
from mirps.stats.models import ArrivalCount
from mirps.stats.tables import Cells, Context, Table


def add_months(m: date, n: int) -> date:
    i = m.year * 12 + m.month - 1 + n
    return date(i // 12, i % 12 + 1, 1)


@dataclass(frozen=True)
class StatsFilters:
    month_from: date  # first day of the month
    month_to: date  # first day of the month, inclusive
    reception_point_id: int | None = None

    @classmethod
    def default(cls, today: date | None = None) -> StatsFilters:
        """The last twelve months, the current one included, all reception points."""
        this = (today or timezone.localdate()).replace(day=1)
        return cls(month_from=add_months(this, -11), month_to=this)

    @property
    def months(self) -> list[date]:
        out, m = [], self.month_from
        while m <= self.month_to:
            out.append(m)
            m = add_months(m, 1)
        return out

    def as_query(self) -> dict[str, str]:
        """The GET parameters that reproduce these filters (links to exports, audit detail)."""
        q = {
            "month_from": tables.month_code(self.month_from),
            "month_to": tables.month_code(self.month_to),
        }
        if self.reception_point_id is not None:
            q["point"] = str(self.reception_point_id)
        return q


@dataclass(frozen=True)
class Dashboard(disclosure.Labels):
    exact: bool
    summary: list[tuple[str, str]]
    tables: dict[str, Table]
    map: dict[str, Any]

    def chart_data(self) -> dict[str, Any]:
        # The scripts group digits like the tables (Django's locale formats), not like the browser.
        number = {
            "thousand": get_format("THOUSAND_SEPARATOR"),
            "decimal": get_format("DECIMAL_SEPARATOR"),
        }
        return {
            "charts": {n: t.chart for n, t in self.tables.items()},
            "map": self.map,
            "number": number,
        }


def counts_load(*, filters: StatsFilters, dimensions: Iterable[str]) -> Cells:
    """Count cells of the period summed over reception points (or at one point).

    Month by month only for the dimensions shown per month; the others summed over the
    period in the database (stored under month None): two queries, a few thousand rows.
    """
    qs = ArrivalCount.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if filters.reception_point_id is not None:
        qs = qs.filter(reception_point_id=filters.reception_point_id)
    dimensions = set(dimensions)
    monthly, period = dimensions & builders.MONTHLY, dimensions - builders.MONTHLY
    cells: Cells = {}
    for dims, fields in ((monthly, ("dimension", "key", "month")), (period, ("dimension", "key"))):
        if not dims:
            continue
        rows = qs.filter(dimension__in=dims).values(*fields).annotate(n=Sum("count")).order_by()
        for row in rows:
            by_month = cells.setdefault(row["dimension"], {}).setdefault(row["key"], {})
            by_month[row.get("month")] = row["n"]
    return cells


def _context(
    *, actor: access.Actor, filters: StatsFilters, cells: Cells, names: Iterable[str]
) -> Context:
    """Labels for the tables asked for (one query per vocabulary needed) and the disclosure mode."""
    names = set(names)
    countries: dict[str, str] = {}
    if "country" in names:
        keys = list(cells.get("country", {}))
        countries = {c.iso2: c.label for c in Country.objects.filter(iso2__in=keys)}
    departments: dict[str, str] = {}
    if "department" in names:
        departments = {d.code: d.name for d in Department.objects.all()}
    reasons: dict[str, str] = {}
    if "reason" in names:
        terms = Term.objects.filter(vocabulary=Term.Vocabulary.MIGRATION_REASON)
        reasons = {t.code: t.label for t in terms}
    return Context(
        months=filters.months,
        exact=actor.exact_stats_for(filters.reception_point_id),
        countries=countries,
        departments=departments,
        reasons=reasons,
        age_bands=tuple(settings.STATS_AGE_BANDS),
    )


def stats_table(*, actor: access.Actor, filters: StatsFilters, name: str) -> Table:
    """One published table (the names in `builders.TABLES`); 404 without the STATS capability."""
    actor.require(access.STATS)
    cells = counts_load(filters=filters, dimensions=(*builders.TABLES[name], "total"))
    ctx = _context(actor=actor, filters=filters, cells=cells, names=[name])
    return builders.build(name, cells, ctx)


def dashboard_get(*, actor: access.Actor, filters: StatsFilters) -> Dashboard:
    """Every table, the headline numbers and the map, from one read of the count cells."""
    actor.require(access.STATS)
    dims = {d for ds in builders.TABLES.values() for d in ds} | {"total"}
    cells = counts_load(filters=filters, dimensions=dims)
    ctx = _context(actor=actor, filters=filters, cells=cells, names=builders.TABLES)
    built = {name: builders.build(name, cells, ctx) for name in builders.TABLES}
    return Dashboard(
        exact=ctx.exact,
        summary=builders.summary(built),
        tables=built,
        map=builders.map_data(built["department"]),
    )
