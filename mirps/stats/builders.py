"""The dashboard's tables by name, built from count cells (pure: no database).

The per-month totals appear in two tables (country, need): they are protected once, on their
own, and handed to both as fixed, so both publish them identically.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from mirps.registration.models import Modality, Sex
from mirps.stats import disclosure
from mirps.stats.tables import (
    COUNT,
    GRAND,
    PERCENT,
    Cells,
    Column,
    Context,
    Row,
    Table,
    cell_sum,
    chart,
    display,
    distribution,
    keys_total,
    month_code,
    month_label,
    month_short,
    rank,
)

OTHER = "other"  # the grouped smaller countries; no ISO code is five letters long

# Dimensions read month by month; the others only as sums over the period.
MONTHLY = frozenset({"total", "country", "need"})

# Table name -> the count dimensions it reads (the total is always read: it is every denominator).
TABLES: dict[str, tuple[str, ...]] = {
    "country": ("country",),
    "modality": ("modality",),
    "sex": ("sex",),
    "age": ("age",),
    "need": ("need",),
    "department": ("department",),
    "sequence": ("sequence",),
    "reason": ("reason",),
}


def _month_totals(cells: Cells, ctx: Context) -> tuple[dict[Any, int], dict[Any, int | str]]:
    """The arrivals of each month and of the period, exact and published.

    Protected on their own, before either table that shows them, so both publish them alike.
    """
    values: dict[Any, int] = {
        ("total", m): cell_sum(cells, "total", "all", [m]) for m in ctx.months
    }
    values[GRAND] = cell_sum(cells, "total", "all", ctx.months)
    fixed = {GRAND: disclosure.suppress(values[GRAND], ctx.exact)}
    return values, ctx.protect(values, [([("total", m) for m in ctx.months], GRAND)], fixed=fixed)


def country_table(cells: Cells, ctx: Context) -> Table:
    """Arrivals per month by country returned from; the smaller countries grouped as "other"."""
    period = {k: n for k, n in keys_total(cells, "country").items() if n}
    first_look = {k: disclosure.suppress(n, ctx.exact) for k, n in period.items()}
    ranked = rank(period, first_look, ctx.countries)
    shown, rest = ranked[: ctx.top_countries], ranked[ctx.top_countries :]
    cols = shown + ([OTHER] if rest else [])

    def count(col: str, months: Iterable[date]) -> int:
        months = list(months)
        return sum(cell_sum(cells, "country", c, months) for c in (rest if col == OTHER else [col]))

    values, fixed = _month_totals(cells, ctx)
    for m in ctx.months:
        values.update({(m, c): count(c, [m]) for c in cols})
    values.update({("sum", c): count(c, ctx.months) for c in cols})
    groups = [([(m, c) for c in cols], ("total", m)) for m in ctx.months]
    groups += [([(m, c) for m in ctx.months], ("sum", c)) for c in cols]
    groups.append(([("sum", c) for c in cols], GRAND))
    # A country's period total is shown only here, so it may be hidden to protect a month.
    pub = ctx.protect(values, groups, soft_totals=[("sum", c) for c in cols], fixed=fixed)

    columns = [Column(ctx.countries.get(c, c)) for c in shown]
    if rest:
        columns.append(Column(_("Other countries")))
    rows = tuple(
        Row(month_code(m), month_label(m), (*(pub[(m, c)] for c in cols), pub[("total", m)]))
        for m in ctx.months
    )
    return Table(
        name="country",
        title=_("Arrivals per month by country returned from"),
        code_header=_("Month"),
        columns=(*columns, Column(_("Total"))),
        rows=rows,
        total=Row("total", _("Total"), (*(pub[("sum", c)] for c in cols), pub[GRAND])),
        chart=chart(
            [month_short(m) for m in ctx.months],
            [
                (col.label, [pub[(m, c)] for m in ctx.months])
                for col, c in zip(columns, cols, strict=True)
            ],
            type="bar",
            stacked=True,
        ),
    )


def need_table(cells: Cells, ctx: Context) -> Table:
    """Per month: arrivals, possible and urgent protection needs, and their shares."""
    values, fixed = _month_totals(cells, ctx)
    for level in ("possible", "urgent"):
        values.update({(level, m): cell_sum(cells, "need", level, [m]) for m in ctx.months})
        values[(level, "sum")] = cell_sum(cells, "need", level, ctx.months)
    # "% with a need" publishes possible + urgent: a sum like any other.
    for m in [*ctx.months, "sum"]:
        values[("either", m)] = values[("possible", m)] + values[("urgent", m)]
    groups: list[tuple[Sequence[Any], Any]] = [
        ([("possible", m), ("urgent", m)], ("either", m)) for m in [*ctx.months, "sum"]
    ]
    groups += [
        ([(lv, m) for m in ctx.months], (lv, "sum")) for lv in ("possible", "urgent", "either")
    ]
    soft = [(lv, "sum") for lv in ("possible", "urgent", "either")]
    soft += [("either", m) for m in ctx.months]
    pub = ctx.protect(values, groups, soft_totals=soft, fixed=fixed)

    def row(m: Any, total: Any, code: str, label: str) -> Row:
        p, u, e = ("possible", m), ("urgent", m), ("either", m)
        return Row(
            code,
            label,
            (
                pub[total], pub[p], pub[u],
                ctx.share(pub, values, p, total), ctx.share(pub, values, u, total),
                ctx.share(pub, values, e, total),
            ),
        )  # fmt: skip

    rows = tuple(row(m, ("total", m), month_code(m), month_label(m)) for m in ctx.months)
    return Table(
        name="need",
        title=_("Arrivals with a protection need"),
        code_header=_("Month"),
        columns=(
            Column(_("Arrivals")),
            Column(_("Possible need")),
            Column(_("Urgent need")),
            Column(_("% possible"), PERCENT),
            Column(_("% urgent"), PERCENT),
            Column(_("% with a need"), PERCENT),
        ),
        rows=rows,
        total=row("sum", GRAND, "total", _("Total")),
        chart=chart(
            [month_short(m) for m in ctx.months],
            [
                (_("% urgent"), [r.values[4] for r in rows]),
                (_("% possible"), [r.values[3] for r in rows]),
            ],
            type="bar",
            stacked=True,
            percent=True,
        ),
    )


def age_bands(bounds: Iterable[int]) -> list[tuple[int, int | None, str, str]]:
    """(low, high or None, code, label) for lower bounds such as [0, 6, 12, 18, 30, 60]."""
    lows = sorted({int(b) for b in bounds if int(b) >= 0} | {0})
    out = []
    for i, lo in enumerate(lows):
        hi = lows[i + 1] - 1 if i + 1 < len(lows) else None
        if hi is None:
            out.append((lo, None, f"{lo}+", f"{lo}+"))
        else:
            out.append((lo, hi, f"{lo}-{hi}", f"{lo}\N{EN DASH}{hi}"))
    return out


def age_band_of(age_key: str, bands: Sequence[tuple[int, int | None, str, str]]) -> str:
    """The band code of an age cell key ("34" → "30-59"); "unknown" for no or odd ages."""
    if not age_key.isdigit():
        return "unknown"
    age = int(age_key)
    for lo, hi, code, _label in bands:
        if age >= lo and (hi is None or age <= hi):
            return code
    return "unknown"


def age_items(cells: Cells, ctx: Context) -> list[tuple[str, str, int]]:
    bands = age_bands(ctx.age_bands)
    counts = dict.fromkeys([b[2] for b in bands] + ["unknown"], 0)
    for key, n in keys_total(cells, "age").items():
        counts[age_band_of(key, bands)] += n
    items = [(code, label, counts[code]) for _lo, _hi, code, label in bands]
    return [*items, ("unknown", _("Unknown"), counts["unknown"])]


def choice_items(
    cells: Cells, dim: str, choices: Sequence[tuple[str, Any]]
) -> list[tuple[str, str, int]]:
    """Categories in their usual order; a key no longer among the choices keeps its code as label."""
    totals = keys_total(cells, dim)
    known = [(code, str(label), totals.get(code, 0)) for code, label in choices]
    extra = [(k, k, n) for k, n in sorted(totals.items()) if k not in dict(choices) and n]
    return known + extra


def labelled_items(
    cells: Cells, dim: str, labels: dict[str, str], *, keep_zero: bool
) -> list[tuple[str, str, int]]:
    """Categories with their labels; with keep_zero, every labelled one even without arrivals."""
    totals = keys_total(cells, dim)
    if keep_zero:
        totals = {**dict.fromkeys(labels, 0), **totals}
    return [(k, labels.get(k, k), n) for k, n in totals.items() if keep_zero or n]


def build(name: str, cells: Cells, ctx: Context) -> Table:
    """One published table by name (see TABLES)."""
    total = cell_sum(cells, "total", "all", ctx.months)
    if name == "country":
        return country_table(cells, ctx)
    if name == "need":
        return need_table(cells, ctx)
    common: dict[str, Any] = {"name": name, "total": total}
    if name == "age":
        return distribution(
            ctx, title=_("Arrivals by age group"), code_header=_("Age group"),
            items=age_items(cells, ctx), **common,
        )  # fmt: skip
    if name == "modality":
        return distribution(
            ctx, title=_("Arrivals by modality"), code_header=_("Modality"),
            items=choice_items(cells, "modality", Modality.choices), **common,
        )  # fmt: skip
    if name == "sex":
        return distribution(
            ctx, title=_("Arrivals by sex"), code_header=_("Sex"),
            items=choice_items(cells, "sex", Sex.choices), **common,
        )  # fmt: skip
    if name == "sequence":
        seq = [
            ("1", _("First return")),
            ("2", _("Second return")),
            ("3+", _("Third return or later")),
        ]
        return distribution(
            ctx, title=_("People who returned more than once"), code_header=_("Return"),
            items=choice_items(cells, "sequence", seq),
            # The headline "returns of people registered before" publishes 2 + 3+.
            subtotals=[("before", ["2", "3+"])],
            note=_("Each arrival counted by how many times the person had been registered, this one included."),
            **common,
        )  # fmt: skip
    if name == "department":
        return distribution(
            ctx, title=_("Destination departments"), code_header=_("Department"),
            items=labelled_items(cells, "department", ctx.departments, keep_zero=True),
            ranked=True, horizontal=True,
            note=_("The department where the person said they are going to live."),
            **common,
        )  # fmt: skip
    if name == "reason":
        return distribution(
            ctx, title=_("Reasons for migrating"), code_header=_("Reason"),
            items=labelled_items(cells, "reason", ctx.reasons, keep_zero=False),
            additive=False, ranked=True, horizontal=True,
            note=_("A person may give several reasons, so the percentages add up to more than 100 %."),
            **common,
        )  # fmt: skip
    raise KeyError(name)


def summary(built: dict[str, Table]) -> list[tuple[str, str]]:
    """The headline numbers (label, published text), taken from the published tables."""
    seq, need = built["sequence"], built["need"]
    return [
        (_("Arrivals"), seq.display(seq.row("total"))[0]),
        (_("With a possible or urgent protection need"), need.display(need.row("total"))[5]),
        (_("Returns of people registered before"), display(seq.extras["before"], COUNT)),
        (_("People reaching their 2nd return in the period"), seq.display(seq.row("2"))[0]),
    ]


def map_data(table: Table) -> dict[str, Any]:
    """The choropleth's values per department code, published exactly like the table beneath it."""
    depts = {
        r.code: {
            "name": r.label,
            "value": r.values[0] if not isinstance(r.values[0], str) else None,
            "display": display(r.values[0], COUNT),
        }
        for r in table.rows
    }
    return {
        "departments": depts,
        "legend": {
            "title": _("Arrivals by destination"),
            "none": _("No arrivals"),
            "small": _("Not shown (small numbers)"),
            "arrivals": _("Arrivals"),
            "failed": _("The map could not be loaded; the table below has the same numbers."),
        },
    }
