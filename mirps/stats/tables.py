"""The shape of a published table, and the generic one-dimensional table of the dashboard.

Pure code, no database, so the disclosure property can be tested on any cells. Every number
leaves through `disclosure` (`protect`, `suppress`, `share`); a chart shows exactly its table's
numbers, with hidden cells as gaps (null), never as their true value.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mirps.stats import disclosure

# dimension -> key -> month (None: the whole period) -> exact count
Cells = dict[str, dict[str, dict[date | None, int]]]
Published = int | float | str  # a count, a percentage, "<5", "x" or "—"

COUNT = "count"
PERCENT = "percent"
GRAND = ("total", "all")  # the key of all arrivals of the period in every protected table


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = COUNT


@dataclass(frozen=True)
class Row:
    code: str  # month as YYYY-MM, ISO country, INE department, term code, band…
    label: str
    values: tuple[Published, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    code_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row | None = None
    note: str = ""
    chart: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Published] = field(default_factory=dict)  # published sums shown elsewhere

    @property
    def all_rows(self) -> tuple[Row, ...]:
        return (*self.rows, self.total) if self.total else self.rows

    def row(self, code: str) -> Row:
        return next(r for r in self.all_rows if r.code == code)

    def display(self, row: Row) -> list[str]:
        return [display(v, c.kind) for v, c in zip(row.values, self.columns, strict=True)]

    @property
    def display_rows(self) -> list[tuple[Row, list[str]]]:
        return [(r, self.display(r)) for r in self.rows]

    @property
    def display_total(self) -> list[str]:
        return self.display(self.total) if self.total else []


@dataclass(frozen=True)
class Context:
    """What a builder needs besides the cells: the months, the disclosure mode and the labels."""

    months: Sequence[date]
    exact: bool
    countries: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    age_bands: Sequence[int] = (0, 6, 12, 18, 30, 60)
    top_countries: int = 7

    def protect(
        self,
        values: dict[Any, int],
        groups: Iterable[tuple[Sequence[Any], Hashable | None]],
        soft_totals: Collection[Any] = (),
        fixed: dict[Any, int | str] | None = None,
    ) -> dict[Any, int | str]:
        return disclosure.protect(values, groups, self.exact, soft_totals, fixed)

    def share(
        self, pub: dict[Any, int | str], values: dict[Any, int], num: Any, den: Any
    ) -> float | str:
        return disclosure.share(pub[num], pub[den], values[num], values[den], self.exact)


def display(value: Published, kind: str) -> str:
    if isinstance(value, str):
        return value
    if kind == PERCENT:
        return f"{number_format(value, decimal_pos=1, force_grouping=True)} %"
    return number_format(value, decimal_pos=0, force_grouping=True)


def month_code(m: date) -> str:
    return f"{m.year:04d}-{m.month:02d}"


def month_label(m: date) -> str:
    return _month_texts(m, get_language())[0]


def month_short(m: date) -> str:
    return _month_texts(m, get_language())[1]


@lru_cache(maxsize=1024)
def _month_texts(m: date, language: str) -> tuple[str, str]:
    # Localised date formatting is slow (translations looked up per call); months repeat.
    return date_format(m, "YEAR_MONTH_FORMAT"), date_format(m, "M Y")


def cell_sum(cells: Cells, dim: str, key: str, months: Iterable[date] | None = None) -> int:
    by_month = cells.get(dim, {}).get(key, {})
    if months is None:
        return sum(by_month.values())
    return sum(by_month.get(m, 0) for m in months)


def keys_total(cells: Cells, dim: str) -> dict[str, int]:
    return {k: sum(v.values()) for k, v in cells.get(dim, {}).items()}


def rank(
    values: dict[str, int], published: dict[str, int | str], labels: dict[str, str]
) -> list[str]:
    """Largest first by the published value, then the hidden, then the zeros.

    Hidden cells sort among themselves by name only, so their order reveals nothing.
    """

    def key(code: str) -> tuple[int, int, str]:
        label = labels.get(code, code)
        if values[code] == 0:
            return (2, 0, label)
        if isinstance(published[code], str):
            return (1, 0, label)
        return (0, -values[code], label)

    return sorted(values, key=key)


def chart(
    labels: Sequence[str], datasets: Sequence[tuple[str, Sequence[Published]]], **options: Any
) -> dict[str, Any]:
    """Chart.js-ready data: a hidden value or a share not shown becomes null and is marked."""
    out = []
    for label, values in datasets:
        data = [v if not isinstance(v, str) else None for v in values]
        hidden = [i for i, v in enumerate(values) if isinstance(v, str)]
        out.append({"label": label, "data": data, "suppressed": hidden})
    return {"labels": list(labels), "datasets": out, **options}


def distribution(
    ctx: Context,
    *,
    name: str,
    title: str,
    code_header: str,
    items: Sequence[tuple[str, str, int]],
    total: int,
    additive: bool = True,
    ranked: bool = False,
    subtotals: Sequence[tuple[str, Sequence[str]]] = (),
    note: str = "",
    horizontal: bool = False,
) -> Table:
    """Arrivals of the period per category, with the share of all arrivals.

    `additive`: the categories add up to the total (not so for multi-answer questions), so
    the total must not give back a hidden category. `ranked`: largest published first.
    `subtotals`: (key, categories) sums published elsewhere (a headline), in `extras`.
    """
    values: dict[Any, int] = {code: n for code, _label, n in items}
    values[GRAND] = total
    groups: list[tuple[Sequence[Any], Any]] = (
        [([c for c, _l, _n in items], GRAND)] if additive else []
    )
    for key, members in subtotals:
        values[key] = sum(values[m] for m in members)
        groups.append((members, key))
    # All arrivals is the same number in every table: never hidden but for being small.
    fixed = {GRAND: disclosure.suppress(total, ctx.exact)}
    pub = ctx.protect(values, groups, soft_totals=[k for k, _m in subtotals], fixed=fixed)
    labels = {code: label for code, label, _n in items}
    order = [c for c, _l, _n in items]
    if ranked:
        order = rank({c: values[c] for c in order}, {c: pub[c] for c in order}, labels)
    rows = tuple(Row(c, labels[c], (pub[c], ctx.share(pub, values, c, GRAND))) for c in order)
    return Table(
        name=name,
        title=title,
        code_header=code_header,
        columns=(Column(_("Arrivals")), Column(_("% of arrivals"), PERCENT)),
        rows=rows,
        total=Row("total", _("All arrivals"), (pub[GRAND], ctx.share(pub, values, GRAND, GRAND))),
        note=note,
        extras={k: pub[k] for k, _m in subtotals},
        chart=chart(
            [r.label for r in rows],
            [(_("Arrivals"), [r.values[0] for r in rows])],
            type="bar",
            horizontal=horizontal,
        ),
    )
