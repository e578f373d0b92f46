"""People and re-migration: arrivals counted per resolved person, and who came back again.

A *person* here is an identity cluster (`identity.Record.cluster`): the records that identity
resolution decided are one human count once. A Person record without an identity Record is a
person of its own (its cluster is its own id, as `record_create` would make it).

Definitions (calendar months in the country's time zone, like the dashboard):

- the people of month M are the clusters with an arrival in M that matches the filters; a person
  who arrived in several months counts once in each of them, and once in the whole period;
- first arrival ever: the cluster has no arrival (at any reception point) before M;
- re-migration within W months: the person's next arrival after their first arrival in M (any
  reception point, any filter) falls no later than the end of month M + W. A window is complete
  once month M + W is over; incomplete cells are not shown;
- the breakdowns (sex, age group at that arrival, department of destination) pool the months
  whose window is complete, each person counted by their first arrival of the month.

One SQL statement (window functions, named windows: SQLite >= 3.28, PostgreSQL) returns a few thousand
grouped counts; every published number then goes through `disclosure`, in one `protect` over
all the counts of the page, since they are bound by sums across tables (the pooled base of a
breakdown is the sum of the monthly people whose window is complete).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mirps.accounts.models import Site
from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.geo.models import Department, Municipality
from mirps.identity.models import Change, Record
from mirps.identity.services import uuid_param
from mirps.registration.models import Arrival, Person, Sex
from mirps.stats import builders, disclosure, exports
from mirps.stats.forms import FilterForm
from mirps.stats.selectors import StatsFilters, add_months
from mirps.stats.tables import (
    COUNT,
    PERCENT,
    Column,
    Context,
    Published,
    Row,
    Table,
    display,
    month_code,
    month_label,
)

WINDOWS = (6, 12, 24)  # months
DEFAULT_MONTHS = 36  # the default period: long enough for a complete 24-month window
ALL = "all"
UNKNOWN = "unknown"

# The page's tables, in page order; the names are also the downloads' (/stats/people/<name>.csv).
TABLES = ("people", "cohort", "sex", "age", "department")


# --- filters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFilters(StatsFilters):
    sex: str = ""
    age_band: str = ""  # a band code of STATS_AGE_BANDS ("18-29", "60+") or "unknown"
    department: str = ""  # INE code

    @classmethod
    def default(cls, today: date | None = None) -> PeopleFilters:
        this = (today or timezone.localdate()).replace(day=1)
        return cls(month_from=add_months(this, -(DEFAULT_MONTHS - 1)), month_to=this)

    def as_query(self) -> dict[str, str]:
        q = super().as_query()
        for k in ("sex", "age_band", "department"):
            if v := getattr(self, k):
                q[k] = v
        return q


def age_band_choices() -> list[tuple[str, str]]:
    bands = builders.age_bands(settings.STATS_AGE_BANDS)
    return [(code, label) for _lo, _hi, code, label in bands] + [(UNKNOWN, _("Unknown"))]


class PeopleFilterForm(FilterForm):
    """The dashboard's filters (period, reception point) and who: sex, age group, department."""

    sex = forms.ChoiceField(label=gettext_lazy("Sex"), required=False)
    age_band = forms.ChoiceField(label=gettext_lazy("Age group"), required=False)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Destination department"),
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All departments"),
    )

    def __init__(self, data: QueryDict, **kwargs: Any) -> None:
        if not data.get("month_from") and not data.get("month_to"):
            default = PeopleFilters.default()
            data = data.copy()
            data["month_from"], data["month_to"] = (
                month_code(default.month_from),
                month_code(default.month_to),
            )
        super().__init__(data, **kwargs)
        self.fields["sex"].choices = [("", _("Both sexes")), *Sex.choices]
        self.fields["age_band"].choices = [("", _("All ages")), *age_band_choices()]

    def filters(self) -> PeopleFilters:
        if not self.is_valid():
            return PeopleFilters.default()
        point, dept = self.cleaned_data.get("point"), self.cleaned_data.get("department")
        return PeopleFilters(
            month_from=self.cleaned_data["month_from"].replace(day=1),
            month_to=self.cleaned_data["month_to"].replace(day=1),
            reception_point_id=point.pk if point else None,
            sex=self.cleaned_data.get("sex") or "",
            age_band=self.cleaned_data.get("age_band") or "",
            department=dept.code if dept else "",
        )


# --- the query -------------------------------------------------------------------------------------


class Group(NamedTuple):
    """Counts of one (month, sex, age group, department); people by their first arrival of the month.

    A named tuple rather than a dataclass: thousands of them are kept in the cache, and a tuple is
    pickled by C code (a frozen dataclass took ~100 ms a load at 6,000 groups)."""

    month: date
    sex: str
    band: str
    department: str
    arrivals: int
    people: int  # clusters whose first (filtered) arrival of the month is in this group
    first: int  # of them, with no arrival before the month
    again: tuple[int, ...]  # of them, whose next arrival was by the end of month M + W (WINDOWS)
    # Clusters whose first counted arrival of the period is here: they add up to distinct people.
    period_people: int
    period_new: int  # of them, with no arrival before the period


@dataclass(frozen=True)
class Counts:
    groups: list[Group]
    records: int  # distinct Person records with an arrival of the period (filtered)
    # Read by the same statement (one consistent view of the database): every arrival and every
    # identity change then, so that a later reader can tell exactly what is new (`_brought_forward`).
    arrivals_seen: int = 0
    changes_seen: int = 0


def _month_start(m: date) -> Any:
    """The first instant of a local calendar month, as the database compares it to arrived_at."""
    start = datetime(m.year, m.month, 1, tzinfo=timezone.get_default_timezone())
    return connection.ops.adapt_datetimefield_value(start)


def _month_index_sql(column: str, starts: Sequence[Any]) -> tuple[str, list[Any]]:
    """A CASE giving the index k of the month with starts[k] <= column < starts[k + 1].

    -1 before the first start, len(starts) - 1 from the last one on. A binary search (about
    log2(n) comparisons per row) of instants computed here, in the country's time zone: the
    database needs no time zone support, and SQLite compares its stored UTC text directly.
    """
    params: list[Any] = []

    def node(lo: int, hi: int) -> str:  # the count of starts <= column is in [lo, hi]
        if lo == hi:
            return str(lo - 1)
        mid = (lo + hi + 1) // 2
        params.append(starts[mid - 1])
        return f"CASE WHEN {column} < %s THEN {node(lo, mid - 1)} ELSE {node(mid, hi)} END"

    return node(0, len(starts)), params


def _band_sql(bounds: Sequence[int]) -> tuple[str, list[Any]]:
    """CASE expression mapping a.age_years to a band code (highest band first)."""
    bands = builders.age_bands(bounds)
    sql, params = ["CASE WHEN a.age_years IS NULL THEN %s"], [UNKNOWN]
    for lo, _hi, code, _label in reversed(bands):
        sql.append("WHEN a.age_years >= %s THEN %s")
        params += [lo, code]
    sql.append("ELSE %s END")
    params.append(UNKNOWN)
    return " ".join(sql), params


def _band_range(code: str, bounds: Sequence[int]) -> tuple[int, int | None] | None:
    for lo, hi, c, _label in builders.age_bands(bounds):
        if c == code:
            return lo, hi
    return None


def _conditions(filters: PeopleFilters) -> tuple[list[str], list[Any]]:
    """The filters as SQL conditions on a (arrival), p (person) and mu (municipality)."""
    where: list[str] = []
    params: list[Any] = []
    if filters.reception_point_id is not None:
        where.append("a.reception_point_id = %s")
        params.append(filters.reception_point_id)
    if filters.sex:
        where.append("p.sex = %s")
        params.append(filters.sex)
    if filters.department:
        t_dept = Department._meta.db_table
        where.append(f"mu.department_id = (SELECT id FROM {t_dept} WHERE code = %s)")  # noqa: S608 - our table
        params.append(filters.department)
    if filters.age_band == UNKNOWN:
        where.append("a.age_years IS NULL")
    elif filters.age_band and (band := _band_range(filters.age_band, settings.STATS_AGE_BANDS)):
        where.append("a.age_years >= %s")
        params.append(band[0])
        if band[1] is not None:
            where.append("a.age_years <= %s")
            params.append(band[1])
    elif filters.age_band:
        where.append("1 = 0")  # a band no longer configured: nobody
    return where, params


def people_counts(
    *, filters: PeopleFilters, persons: Sequence[Any] | None = None, exclude: Sequence[Any] = ()
) -> Counts:
    """The grouped counts of the period, from one statement over the arrivals.

    `base` gives every arrival its cluster, its month index (-1 before the period) and whether
    it counts (`ok`: in the period and matching the filters). `hist` walks each cluster's
    arrivals in time order, all of them, before any filter (the next arrival may be anywhere,
    and after the period), in a single sort: the month of the next arrival, of the first
    arrival ever, and of the last earlier arrival that counts. An arrival that counts opens a
    person-month when no earlier arrival of the cluster counted in the same month, and a
    person of the period when none counted before at all.

    `persons` restricts the statement to the arrivals of those Person records (whole clusters, so
    that each cluster's contribution is exact), `exclude` leaves out some arrivals: together they
    give the difference a few new arrivals make (`_brought_forward`).
    """
    months = filters.months
    n = len(months)
    # Month starts from the period's first month to the end of the last 24-month window.
    starts = [_month_start(add_months(months[0], k)) for k in range(n + max(WINDOWS) + 1)]
    idx_sql, idx_params = _month_index_sql("a.arrived_at", starts)
    band_sql, band_params = _band_sql(settings.STATS_AGE_BANDS)
    where, where_params = _conditions(filters)
    ok_sql = " AND ".join(["a.arrived_at >= %s", "a.arrived_at < %s", *where])
    t_arrival, t_record = Arrival._meta.db_table, Record._meta.db_table
    t_person, t_muni = Person._meta.db_table, Municipality._meta.db_table
    t_dept, t_change = Department._meta.db_table, Change._meta.db_table
    only, only_params = "", []
    if persons is not None:
        ids = [uuid_param(p) for p in persons] or [None]
        only = f" AND a.person_id IN ({', '.join(['%s'] * len(ids))})"
        only_params += ids
        if exclude:
            only += f" AND a.id NOT IN ({', '.join(['%s'] * len(exclude))})"
            only_params += [uuid_param(a) for a in exclude]
    # What the whole statement saw, for `_brought_forward`; a restricted one needs no totals.
    seen = f"(SELECT COUNT(*) FROM {t_arrival}), (SELECT COUNT(*) FROM {t_change})" if persons is None else "0, 0"  # noqa: S608 - our tables
    opens = "(prev_ok IS NULL OR prev_ok < idx)"  # the person's first counted arrival of the month
    again = [
        f"SUM(CASE WHEN {opens} AND next_idx <= idx + {int(w)} THEN 1 ELSE 0 END) AS again{i}"
        for i, w in enumerate(WINDOWS, start=1)
    ]
    sql = f"""
        WITH base AS (
            SELECT a.id, a.person_id, a.arrived_at, COALESCE(r.cluster, a.person_id) AS cluster,
                   {idx_sql} AS idx,
                   CASE WHEN {ok_sql} THEN 1 ELSE 0 END AS ok,
                   p.sex, {band_sql} AS band, mu.department_id AS dept
            FROM {t_arrival} a
            LEFT JOIN {t_record} r ON r.person_id = a.person_id
            JOIN {t_person} p ON p.id = a.person_id
            JOIN {t_muni} mu ON mu.id = a.destination_id
            WHERE a.arrived_at < %s{only}
        ),
        hist AS (
            SELECT person_id, idx, ok, sex, band, dept,
                   LEAD(idx) OVER w AS next_idx,
                   FIRST_VALUE(idx) OVER w AS first_idx,
                   MAX(CASE WHEN ok = 1 THEN idx END)
                       OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_ok
            FROM base
            WINDOW w AS (PARTITION BY cluster ORDER BY arrived_at, id)
        ),
        grouped AS (
            SELECT idx, sex, band, dept, COUNT(*) AS arrivals,
                   SUM(CASE WHEN {opens} THEN 1 ELSE 0 END) AS people,
                   SUM(CASE WHEN {opens} AND first_idx = idx THEN 1 ELSE 0 END) AS first,
                   {", ".join(again)},
                   SUM(CASE WHEN prev_ok IS NULL THEN 1 ELSE 0 END) AS period_people,
                   SUM(CASE WHEN prev_ok IS NULL AND first_idx >= 0 THEN 1 ELSE 0 END) AS period_new
            FROM hist WHERE ok = 1 GROUP BY idx, sex, band, dept
        )
        SELECT g.idx, g.sex, g.band, d.code, g.arrivals, g.people, g.first, g.again1, g.again2,
               g.again3, g.period_people, g.period_new
        FROM grouped g JOIN {t_dept} d ON d.id = g.dept
        UNION ALL
        SELECT -1, '', '', '', COUNT(DISTINCT person_id), {seen}, 0, 0, 0, 0, 0
        FROM hist WHERE ok = 1
    """  # noqa: S608 - table names are the models' own; values are parameters
    params = [*idx_params, starts[0], starts[n], *where_params, *band_params, starts[-1], *only_params]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        result = cur.fetchall()
    groups, records, seen = [], 0, (0, 0)
    for r in result:
        if r[0] == -1:
            records, seen = int(r[4]), (int(r[5]), int(r[6]))
            continue
        groups.append(
            Group(
                month=months[r[0]],
                sex=r[1],
                band=r[2],
                department=r[3],
                arrivals=int(r[4]),
                people=int(r[5]),
                first=int(r[6]),
                again=(int(r[7]), int(r[8]), int(r[9])),
                period_people=int(r[10]),
                period_new=int(r[11]),
            )
        )
    return Counts(groups, records, *seen)


# --- the published tables (pure: no database) ------------------------------------------------------


def window_complete(month: date, window: int, today: date) -> bool:
    """Month M's W-month window is over once the whole month M + W has passed."""
    return add_months(month, window + 1) <= today


@dataclass(frozen=True)
class PeopleBoard(disclosure.Labels):
    exact: bool
    summary: list[tuple[str, str, str]]  # (element id, label, published text)
    tables: dict[str, Table]

    @property
    def table_list(self) -> list[Table]:
        return [self.tables[n] for n in TABLES]


def _breakdown_items(ctx: Context, dim: str, seen: set[str]) -> list[tuple[str, str]]:
    """The categories of a breakdown in their usual order; an unexpected code keeps its code."""
    if dim == "sex":
        known = [(c, str(label)) for c, label in Sex.choices]
    elif dim == "age":
        bands = builders.age_bands(ctx.age_bands)
        known = [(code, label) for _lo, _hi, code, label in bands] + [(UNKNOWN, _("Unknown"))]
    else:
        known = sorted(ctx.departments.items())
    codes = {c for c, _label in known}
    return known + [(c, c) for c in sorted(seen - codes)]


def people_board(counts: Counts, ctx: Context, *, today: date) -> PeopleBoard:
    """Every table of the page from the grouped counts, protected together."""
    months = list(ctx.months)
    values: dict[Any, int] = defaultdict(int)
    by_dim: dict[tuple[str, str, date], list[int]] = defaultdict(lambda: [0] * (1 + len(WINDOWS)))
    for g in counts.groups:
        values[("arrivals", g.month)] += g.arrivals
        values[("people", g.month)] += g.people
        values[("first", g.month)] += g.first
        for i, w in enumerate(WINDOWS):
            values[("again", w, g.month)] += g.again[i]
        values[("people", ALL)] += g.period_people
        values[("first", ALL)] += g.period_new
        for dim, key in (("sex", g.sex), ("age", g.band), ("department", g.department)):
            acc = by_dim[(dim, key, g.month)]
            acc[0] += g.people
            for i in range(len(WINDOWS)):
                acc[i + 1] += g.again[i]
    keys: list[Any] = [*months, ALL]
    for k in keys:
        values[("before", k)] = values[("people", k)] - values[("first", k)]
    values[("arrivals", ALL)] = sum(values[("arrivals", m)] for m in months)

    complete = {w: [m for m in months if window_complete(m, w, today)] for w in WINDOWS}
    items = {
        dim: _breakdown_items(ctx, dim, {k for d, k, _m in by_dim if d == dim})
        for dim in ("sex", "age", "department")
    }
    for w_i, w in enumerate(WINDOWS, start=1):
        for dim, cats in items.items():
            for code, _label in cats:
                rows = [by_dim.get((dim, code, m)) for m in complete[w]]
                values[("base", w, dim, code)] = sum(r[0] for r in rows if r)
                values[("remig", w, dim, code)] = sum(r[w_i] for r in rows if r)
        values[("base", w, ALL)] = sum(values[("people", m)] for m in complete[w])
        values[("remig", w, ALL)] = sum(values[("again", w, m)] for m in complete[w])

    # Every additive relation between published counts, across tables.
    sums: list[tuple[Sequence[Any], Any]] = [([("arrivals", m) for m in months], ("arrivals", ALL))]
    sums += [([("first", k), ("before", k)], ("people", k)) for k in keys]
    # Each person new in the period had their first arrival ever in one of its months (an equality
    # when no filter leaves that arrival out, fewer otherwise: treated as a sum either way).
    sums.append(([("first", m) for m in months], ("first", ALL)))
    for w in WINDOWS:
        sums.append(([("people", m) for m in complete[w]], ("base", w, ALL)))
        for dim, cats in items.items():
            sums.append(([("base", w, dim, c) for c, _l in cats], ("base", w, ALL)))
    published_keys = {
        k for k in values if k[0] in ("arrivals", "people", "first", "before", "base")
    }
    count_values = {k: v for k, v in values.items() if k in published_keys}
    # All arrivals of the period is the dashboard's number: never hidden but for being small.
    fixed = {("arrivals", ALL): disclosure.suppress(count_values[("arrivals", ALL)], ctx.exact)}
    pub = ctx.protect(count_values, sums, fixed=fixed)

    def share(num: int, den_key: Any) -> float | str:
        return disclosure.share(num, pub[den_key], num, count_values[den_key], ctx.exact)

    tables = {
        "people": _people_table(months, pub),
        "cohort": _cohort_table(months, values, pub, share, today),
    }
    titles = {
        "sex": (_("Re-migration by sex"), _("Sex")),
        "age": (_("Re-migration by age group"), _("Age group")),
        "department": (_("Re-migration by destination department"), _("Department")),
    }
    for dim, (title, header) in titles.items():
        tables[dim] = _breakdown_table(dim, title, header, items[dim], values, pub, share)

    people_total = pub[("people", ALL)]
    arrivals_total = pub[("arrivals", ALL)]
    ratio = disclosure.NOT_SHOWN
    if not isinstance(people_total, str) and not isinstance(arrivals_total, str) and people_total:
        ratio = number_format(arrivals_total / people_total, decimal_pos=2, force_grouping=True)
    summary = [
        ("arrivals-total", _("Arrivals"), display(arrivals_total, COUNT)),
        ("people-total", _("People (persons resolved)"), display(people_total, COUNT)),
        (
            "records-total",
            _("Person records"),
            display(disclosure.suppress(counts.records, ctx.exact), COUNT),
        ),
        ("arrivals-per-person", _("Arrivals per person"), ratio),
    ]
    return PeopleBoard(exact=ctx.exact, summary=summary, tables=tables)


def _people_table(months: list[date], pub: dict[Any, int | str]) -> Table:
    def row(k: Any, code: str, label: str) -> Row:
        return Row(
            code,
            label,
            (pub[("arrivals", k)], pub[("people", k)], pub[("first", k)], pub[("before", k)]),
        )

    return Table(
        name="people",
        title=_("Arrivals and people per month"),
        code_header=_("Month"),
        columns=(
            Column(_("Arrivals")),
            Column(_("People")),
            Column(_("First arrival ever")),
            Column(_("Had arrived before")),
        ),
        rows=tuple(row(m, month_code(m), month_label(m)) for m in months),
        total=row(ALL, "total", _("Whole period")),
        note=_(
            "A person who arrived in several months is counted once in each of them, and once in"
            " the whole period. “Had arrived before”: an earlier arrival of the same person, at any"
            " reception point, before the month (before the period, in the last row)."
        ),
    )


def _cohort_table(
    months: list[date], values: dict[Any, int], pub: dict[Any, int | str], share: Any, today: date
) -> Table:
    rows = []
    for m in months:
        cells: list[Published] = [pub[("people", m)]]
        for w in WINDOWS:
            ok = window_complete(m, w, today)
            cells.append(
                share(values[("again", w, m)], ("people", m)) if ok else disclosure.NOT_SHOWN
            )
        rows.append(Row(month_code(m), month_label(m), tuple(cells)))
    return Table(
        name="cohort",
        title=_("Re-migration: people who arrived again"),
        code_header=_("Month of arrival"),
        columns=(
            Column(_("People")),
            *(Column(_("%% again within %(n)d months") % {"n": w}, PERCENT) for w in WINDOWS),
        ),
        rows=tuple(rows),
        note=_(
            "Of the people who arrived in the month, the share whose next arrival (at any reception"
            " point) was by the end of the 6th, 12th or 24th month after it. “—”: the window has not"
            " ended yet, so the share is not known, or the share would rest on fewer than %(n)d people."
        )
        % {"n": disclosure.threshold()},
    )


def _breakdown_table(
    dim: str,
    title: str,
    header: str,
    cats: list[tuple[str, str]],
    values: dict[Any, int],
    pub: dict[Any, int | str],
    share: Any,
) -> Table:
    def row(code: str, label: str, key: tuple[Any, ...]) -> Row:
        cells: list[Published] = []
        for w in WINDOWS:
            cells += [pub[("base", w, *key)], share(values[("remig", w, *key)], ("base", w, *key))]
        return Row(code, label, tuple(cells))

    columns: list[Column] = []
    for w in WINDOWS:
        columns += [
            Column(_("People (%(n)d-month window)") % {"n": w}),
            Column(_("%% again within %(n)d months") % {"n": w}, PERCENT),
        ]
    return Table(
        name=dim,
        title=title,
        code_header=header,
        columns=tuple(columns),
        rows=tuple(row(c, label, (dim, c)) for c, label in cats),
        total=row("total", _("All"), (ALL,)),
        note=_(
            "The months of the period whose window is complete, pooled: a person is counted once for"
            " each month in which they arrived, by their sex, age and destination at that arrival."
        ),
    )


# --- the page and its downloads -------------------------------------------------------------------


FORWARD_LIMIT = 500  # arrivals brought forward at most; beyond, the whole statement runs again


@dataclass(frozen=True)
class _Kept:
    counts: Counts
    taken_at: datetime  # read before the whole statement ran: what was created later is new to it
    arrivals: frozenset[uuid.UUID] = frozenset()  # created since, and brought forward already
    changes: frozenset[uuid.UUID] = frozenset()


def _cached_counts(filters: PeopleFilters) -> Counts:
    """The counts are shared by every viewer (suppression is applied per viewer afterwards). The
    whole statement reads every arrival (seconds at a million); it runs when nothing is kept, or
    after a move between persons other than a new registration's automatic link. New arrivals
    are brought forward: only their persons' clusters are counted again (`_brought_forward`)."""
    key = "people-counts:" + hashlib.sha256(repr(sorted(filters.as_query().items())).encode()).hexdigest()
    kept: _Kept | None = cache.get(key)
    if kept is not None:
        forward = _brought_forward(kept, filters)
        if forward is not None:
            if forward is not kept:
                cache.set(key, forward, timeout=24 * 3600)
            return forward.counts
    taken_at = timezone.now()
    counts = people_counts(filters=filters)
    cache.set(key, _Kept(counts, taken_at), timeout=24 * 3600)
    return counts


def _brought_forward(kept: _Kept, filters: PeopleFilters) -> _Kept | None:
    """The kept counts plus what the arrivals registered since make, or None when that cannot be
    told exactly (then the whole statement runs).

    Counts add up over clusters, so the difference is: the new arrivals' clusters counted now,
    minus the same clusters without the new arrivals. It is exact when the only identity changes
    since are automatic links of persons registered since (they moved nothing counted before).
    The counts say how many arrivals and changes they include: with the ones new to them, the
    totals must be today's, or something committed late (or on a clock apart) would be missed or
    counted twice.
    """
    base = kept.counts
    arrivals_now, changes_now = Arrival.objects.count(), Change.objects.count()
    if (arrivals_now, changes_now) == (base.arrivals_seen, base.changes_seen):
        return kept  # arrivals and changes are never deleted: nothing is new
    since = list(Arrival.objects.filter(created_at__gt=kept.taken_at).values_list("pk", "person_id")[: FORWARD_LIMIT + 1])
    if len(since) > FORWARD_LIMIT:
        return None
    new = [(a, p) for a, p in since if a not in kept.arrivals]
    changes_since = Change.objects.filter(at__gt=kept.taken_at)
    if changes_since.exclude(kind=Change.Kind.AUTO).exists():  # before loading moves: a run's are huge
        return None
    changes = [(pk, moves) for pk, moves in changes_since.values_list("pk", "moves") if pk not in kept.changes]
    if base.arrivals_seen + len(new) != arrivals_now or base.changes_seen + len(changes) != changes_now:
        return None
    new_persons = {p for _a, p in new}
    if any(uuid.UUID(m[0]) not in new_persons for _pk, moves in changes for m in moves):
        return None
    clusters = set(new_persons)
    clusters |= set(Record.objects.filter(pk__in=new_persons).values_list("cluster", flat=True))
    persons = sorted(clusters | set(Record.objects.filter(cluster__in=clusters).values_list("pk", flat=True)))
    now = people_counts(filters=filters, persons=persons)
    before = people_counts(filters=filters, persons=persons, exclude=[a for a, _p in new])
    if (Arrival.objects.count(), Change.objects.count()) != (arrivals_now, changes_now):
        return None  # committed meanwhile: the two statements may have seen it, unrecorded
    return _Kept(
        _plus_minus(base, now, before, arrivals=arrivals_now, changes=changes_now),
        kept.taken_at,
        kept.arrivals | {a for a, _p in new},
        kept.changes | {pk for pk, _m in changes},
    )


def _plus_minus(base: Counts, plus: Counts, minus: Counts, *, arrivals: int, changes: int) -> Counts:
    sums: dict[tuple[Any, ...], list[int]] = {}
    for sign, counts in ((1, base), (1, plus), (-1, minus)):
        for g in counts.groups:
            acc = sums.setdefault((g.month, g.sex, g.band, g.department), [0] * (5 + len(WINDOWS)))
            values = (g.arrivals, g.people, g.first, *g.again, g.period_people, g.period_new)
            for i, v in enumerate(values):
                acc[i] += sign * v
    groups = [
        Group(month, sex, band, dept, v[0], v[1], v[2], tuple(v[3 : 3 + len(WINDOWS)]), v[-2], v[-1])
        for (month, sex, band, dept), v in sums.items()
        if any(v)
    ]
    return Counts(groups, base.records + plus.records - minus.records, arrivals, changes)


def people_get(
    *, actor: access.Actor, filters: PeopleFilters, today: date | None = None
) -> PeopleBoard:
    """Every table of the people page; 404 without the STATS capability."""
    actor.require(access.STATS)
    counts = _cached_counts(filters)
    ctx = Context(
        months=filters.months,
        exact=actor.exact_stats_for(filters.reception_point_id),
        departments={d.code: d.name for d in Department.objects.all()},
        age_bands=tuple(settings.STATS_AGE_BANDS),
    )
    return people_board(counts, ctx, today=today or timezone.localdate())


def people_table_export(
    *, actor: access.Actor, filters: PeopleFilters, name: str, fmt: str, today: date | None = None
) -> bytes:
    """One table of the page as CSV or XLSX, published exactly as on screen; audited."""
    if name not in TABLES or fmt not in ("csv", "xlsx"):
        raise ValueError(name, fmt)
    table = people_get(actor=actor, filters=filters, today=today).tables[name]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            object_type="stats_table",
            detail={"table": f"people.{name}", "format": fmt, "filters": filters.as_query()},
        )
        if fmt == "csv":
            return exports.csv_bytes(table)
        site = None
        if filters.reception_point_id is not None:
            site = Site.objects.filter(pk=filters.reception_point_id).first()
        about = exports.about_rows(
            table, filters, site, exact=actor.exact_stats_for(filters.reception_point_id)
        )
        if filters.sex:
            about.append((_("Sex"), str(dict(Sex.choices).get(filters.sex, filters.sex))))
        if filters.age_band:
            about.append(
                (_("Age group"), dict(age_band_choices()).get(filters.age_band, filters.age_band))
            )
        if filters.department:
            dept = Department.objects.filter(code=filters.department).first()
            about.append((_("Destination department"), dept.name if dept else filters.department))
        return exports.xlsx_bytes(table, about=about)
