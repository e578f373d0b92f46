"""Small-cell suppression: who sees exact small counts, and that nothing in 1..4 leaks otherwise."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from mirps.accounts.models import Site
from mirps.stats import builders, disclosure, tables
from mirps.stats.selectors import StatsFilters, dashboard_get, stats_table
from mirps.stats.tables import Context


def test_suppress_and_percent_rules():
    assert [disclosure.suppress(n, exact=False) for n in (0, 1, 4, 5, 17)] == [0, "<5", "<5", 5, 17]
    assert [disclosure.suppress(n, exact=True) for n in (0, 1, 4)] == [0, 1, 4]
    assert disclosure.percent(5, 10, exact=False) == 50.0
    assert disclosure.percent(4, 10, exact=False) == "—"  # numerator small
    assert disclosure.percent(0, 3, exact=False) == 0.0  # a zero share reveals nobody
    assert disclosure.percent(3, 4, exact=True) == 75.0
    assert disclosure.percent(0, 0, exact=True) == "—"


def test_threshold_follows_the_setting(settings):
    settings.STATS_SMALL_CELL = 10
    assert disclosure.suppress(9, exact=False) == "<10"
    assert disclosure.suppress(10, exact=False) == 10


@pytest.mark.parametrize("who", ["partner", "coord", "focal", "po_sedh", "admin", "remote"])
def test_roles_that_see_no_names_here_get_small_cells_suppressed(world, six, who):
    actor = world.actor(getattr(world, who))
    sex = {r.code: r.values for r in stats_table(actor=actor, filters=six.filters, name="sex").all_rows}
    assert sex == {"F": ("<5", "—"), "M": ("<5", "—"), "total": (6, 100.0)}
    country = stats_table(actor=actor, filters=six.filters, name="country")
    assert country.total.values == ("<5", "<5", "<5", 6)
    assert country.chart["datasets"][0]["data"] == [None, None]
    assert country.chart["datasets"][0]["suppressed"] == [0, 1]


def test_registrar_filtered_to_own_point_sees_exact_small_counts(world, six):
    sps = Site.objects.get(code="camr-sps")
    own = StatsFilters(month_from=six.older, month_to=six.recent, reception_point_id=sps.pk)
    sex = {r.code: r.values for r in stats_table(actor=world.actor(world.reg_sps), filters=own, name="sex").all_rows}
    assert sex == {"F": (2, 50.0), "M": (2, 50.0), "total": (4, 100.0)}
    assert dashboard_get(actor=world.actor(world.reg_sps), filters=own).exact


def test_registrar_elsewhere_or_unfiltered_is_suppressed(world, six):
    omoa = Site.objects.get(code="camr-omoa")
    other = StatsFilters(month_from=six.older, month_to=six.recent, reception_point_id=omoa.pk)
    for f in (other, six.filters):
        t = stats_table(actor=world.actor(world.reg_sps), filters=f, name="sex")
        assert {r.code: r.values[0] for r in t.rows}["M"] == "<5"  # 2 at Omoa, 4 in all
        assert not [r for r in t.rows if r.values[0] in (1, 2, 3, 4)]


def published_numbers(obj: Any):
    """Every int published anywhere in a structure (tables, chart data, map data, summary)."""
    if isinstance(obj, bool):
        return
    if isinstance(obj, int):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from published_numbers(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from published_numbers(v)


def assert_nothing_small(board_tables: dict[str, tables.Table], extra: Any = None) -> None:
    for t in board_tables.values():
        for row in t.all_rows:
            counts = [v for v, c in zip(row.values, t.columns, strict=True) if c.kind == tables.COUNT]
            assert not [v for v in counts if isinstance(v, int) and 0 < v < 5], (t.name, row)
        datasets = [d["data"] for d in t.chart["datasets"]]
        if not t.chart.get("percent"):
            assert not [v for v in published_numbers(datasets) if 0 < v < 5], t.name
    if extra is not None:
        # Map values and the summary texts: no integer or text of a small number.
        assert not [v for v in published_numbers(extra) if 0 < v < 5]


def test_whole_dashboard_publishes_no_small_count_for_a_partner(world, six):
    board = dashboard_get(actor=world.actor(world.partner), filters=six.filters)
    values = [d["value"] for d in board.map["departments"].values()]
    assert_nothing_small(board.tables, values)
    assert not [v for _label, v in board.summary if v in {"1", "2", "3", "4"}]
    assert board.map["departments"]["01"]["display"] == "<5"


def hidden(v: Any) -> bool:
    return v in ("<5", "x")


def derivable_small(published: dict[Any, Any], groups: list[tuple[list[Any], Any]]) -> dict[Any, int]:
    """What an attacker works out by repeated subtraction within each published group.

    Returns the cells shown as "<5" whose exact value becomes known: a disclosure.
    """
    known = {k: v for k, v in published.items() if isinstance(v, int)}
    changed = True
    while changed:
        changed = False
        for members, total in groups:
            unknown = [m for m in members if m not in known]
            if total in known and len(unknown) == 1:
                known[unknown[0]] = known[total] - sum(known[m] for m in members if m in known)
                changed = True
            elif total not in known and not unknown:
                known[total] = sum(known[m] for m in members)
                changed = True
    return {k: v for k, v in known.items() if published.get(k) == "<5"}


def table_groups(built: dict[str, tables.Table], cells: dict, ctx: Context) -> tuple[dict, list]:
    """Every published count of the dashboard by reference, and the sums that tie them."""
    pub: dict[Any, Any] = {}
    groups: list[tuple[list[Any], Any]] = []
    for name in ("modality", "sex", "age", "department", "sequence"):
        t = built[name]
        pub.update({(name, r.code): r.values[0] for r in t.all_rows})
        groups.append(([(name, r.code) for r in t.rows], (name, "total")))
    pub["before"] = built["sequence"].extras["before"]
    groups.append(([("sequence", "2"), ("sequence", "3+")], "before"))
    country, need = built["country"], built["need"]
    for r in country.all_rows:
        pub.update({("c", r.code, i): v for i, v in enumerate(r.values)})
        groups.append(([("c", r.code, i) for i in range(len(r.values) - 1)], ("c", r.code, len(r.values) - 1)))
    for i in range(len(country.columns)):
        groups.append(([("c", r.code, i) for r in country.rows], ("c", "total", i)))
    for r in need.all_rows:
        pub.update({("n", r.code, i): r.values[i] for i in range(3)})
        # "% with a need" gives possible + urgent back (exactly, for fewer than 1000 arrivals).
        if isinstance(r.values[5], float):
            months = ctx.months if r.code == "total" else [m for m in ctx.months if tables.month_code(m) == r.code]
            pub[("n", r.code, "either")] = sum(
                cells.get("need", {}).get(lv, {}).get(m, 0) for lv in ("possible", "urgent") for m in months
            )
        groups.append(([("n", r.code, 1), ("n", r.code, 2)], ("n", r.code, "either")))
    for i in (0, 1, 2, "either"):
        groups.append(([("n", r.code, i) for r in need.rows], ("n", "total", i)))
    # The month totals are the same numbers in both tables.
    for r in need.all_rows:
        groups.append(([("n", r.code, 0)], ("c", r.code, len(country.columns) - 1)))
    return pub, groups


MONTHS = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
KEYS = {
    "country": ["US", "MX", "GT", "ES", "CA", "SV", "NI", "CR", "PA"],
    "modality": ["air", "land", "sea"],
    "sex": ["F", "M"],
    "age": ["0", "4", "9", "15", "17", "18", "33", "61", "unknown"],
    "need": ["none", "possible", "urgent"],
    "department": ["01", "05", "08", "11", "18"],
    "sequence": ["1", "2", "3+"],
    "reason": ["unemployment", "family", "violence"],
}
SINGLE = [d for d in KEYS if d != "reason"]
# Arrivals as tuples of (month, one key per single-answer dimension, reasons), counted like the
# live counts: uneven weights give the mix of large, small and empty cells of real data.
arrival = st.tuples(
    st.sampled_from(MONTHS),
    *(st.sampled_from(KEYS[d][:1] * 6 + KEYS[d]) for d in SINGLE),
    st.sets(st.sampled_from(KEYS["reason"])),
)


def count_cells(arrivals: list[tuple]) -> dict:
    cells: dict = {}

    def add(dim: str, key: str, m: date) -> None:
        by_month = cells.setdefault(dim, {}).setdefault(key, {})
        by_month[m] = by_month.get(m, 0) + 1

    for a in arrivals:
        m = a[0]
        add("total", "all", m)
        for dim, key in zip(SINGLE, a[1:-1], strict=True):
            add(dim, key, m)
        for r in a[-1]:
            add("reason", r, m)
    return cells


@hsettings(max_examples=150, deadline=None)
@given(arrivals=st.lists(arrival, max_size=120))
def test_property_nothing_small_is_published_or_derivable_when_not_exact(arrivals):
    cells = count_cells(arrivals)
    ctx = Context(
        months=MONTHS,
        exact=False,
        countries={k: k for k in KEYS["country"]},
        departments={k: k for k in KEYS["department"]},
        reasons={k: k for k in KEYS["reason"]},
        top_countries=4,
    )
    built = {name: builders.build(name, cells, ctx) for name in builders.TABLES}
    assert_nothing_small(built, [d["value"] for d in builders.map_data(built["department"])["departments"].values()])
    pub, groups = table_groups(built, cells, ctx)
    assert derivable_small(pub, groups) == {}
    country, need = built["country"], built["need"]
    assert [r.values[-1] for r in country.all_rows] == [r.values[0] for r in need.all_rows]
    # A share is never published beside a hidden numerator or denominator (a zero share, like
    # a zero count, is published).
    for t in built.values():
        for row in t.all_rows:
            v = row.values
            if t.name == "need":
                pairs = [(v[1], v[3]), (v[2], v[4])] + [(v[0], p) for p in v[3:] if p != 0.0]
            elif t.name != "country":
                pairs = [(v[0], v[1])] + ([(t.total.values[0], v[1])] if v[0] != 0 else [])
            else:
                pairs = []
            for count, share in pairs:
                if hidden(count):
                    assert share == "—", (t.name, row)
    for _label, text in builders.summary(built):
        assert text not in {"1", "2", "3", "4"}


def test_exact_mode_publishes_every_count_as_is():
    cells = {"sex": {"F": {MONTHS[0]: 2}, "M": {MONTHS[0]: 250}}, "total": {"all": {MONTHS[0]: 252}}}
    t = builders.build("sex", cells, Context(months=MONTHS[:1], exact=True))
    assert [r.values for r in t.all_rows] == [(2, 0.8), (250, 99.2), (252, 100.0)]


def test_a_total_cannot_give_back_the_only_small_category():
    # Women 2, men 250, all 252: hiding only the women would leave 252 - 250 = 2 in plain view.
    cells = {"sex": {"F": {MONTHS[0]: 2}, "M": {MONTHS[0]: 250}}, "total": {"all": {MONTHS[0]: 252}}}
    t = builders.build("sex", cells, Context(months=MONTHS[:1], exact=False))
    assert [r.values for r in t.all_rows] == [("<5", "—"), ("x", "—"), (252, 100.0)]


def test_protect_prefers_a_partner_that_does_not_stand_alone():
    # Row a: 3 (small) and 50; row b: 40 and 0. Hiding 40 would be undone by row b's total,
    # so in column 1 the total is hidden instead.
    values = {("a", 0): 3, ("a", 1): 50, ("b", 0): 0, ("b", 1): 40, "ta": 53, "tb": 40, "c0": 3, "c1": 90, "all": 93}
    groups = [
        ([("a", 0), ("a", 1)], "ta"),
        ([("b", 0), ("b", 1)], "tb"),
        ([("a", 0), ("b", 0)], "c0"),
        ([("a", 1), ("b", 1)], "c1"),
        ([ "c0", "c1"], "all"),
    ]
    pub = disclosure.protect(values, groups, exact=False, soft_totals={"c0", "c1"})
    assert pub[("a", 0)] == "<5" and pub[("a", 1)] == "x"
    assert pub[("b", 1)] == 40 and pub["c1"] == "x"


def test_suppressed_departments_sort_by_name_after_the_published_and_before_zeros(world, six):
    t = stats_table(actor=world.actor(world.partner), filters=six.filters, name="department")
    # Cortés 4, Atlántida 1, Francisco Morazán 1: all "<5", so alphabetical, not by size.
    assert [r.label for r in t.rows[:3]] == ["Atlántida", "Cortés", "Francisco Morazán"]
    assert {r.values[0] for r in t.rows[3:]} == {0}
