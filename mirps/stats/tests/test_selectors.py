"""The dashboard's numbers against the six hand-worked arrivals of `six` (conftest)."""

from __future__ import annotations

import pytest
from django.utils import translation

from mirps.accounts.models import Site
from mirps.geo.models import Country
from mirps.stats.models import ArrivalCount
from mirps.stats.selectors import StatsFilters, counts_load, dashboard_get, stats_table
from mirps.stats.services import stats_rebuild
from mirps.stats.tables import Table


def values(table: Table) -> dict[str, tuple]:
    return {r.code: r.values for r in table.all_rows}


@pytest.fixture
def no_suppression(settings):
    # A threshold of 1 publishes every count: the arithmetic is checked apart from disclosure.
    settings.STATS_SMALL_CELL = 1


def test_country_per_month_stacked_with_totals(world, six, no_suppression):
    t = stats_table(actor=world.actor(world.coord), filters=six.filters, name="country")
    labels = [Country.objects.get(iso2=c).label for c in ("US", "MX", "GT")]
    assert [c.label for c in t.columns] == [*labels, "Total"]
    assert values(t) == {
        f"{six.older:%Y-%m}": (2, 0, 0, 2),
        f"{six.recent:%Y-%m}": (1, 2, 1, 4),
        "total": (3, 2, 1, 6),
    }
    assert [d["data"] for d in t.chart["datasets"]] == [[2, 1], [0, 2], [0, 1]]
    assert t.chart["stacked"] is True


def test_more_than_seven_countries_are_grouped_as_other(world, six, no_suppression):
    from mirps.stats import builders
    from mirps.stats.tables import Context

    cells = {"country": {c: {six.older: 10 - i} for i, c in enumerate("ABCDEFGHI")}, "total": {"all": {six.older: 54}}}
    from django.utils import translation

    with translation.override("en"):
        t = builders.country_table(cells, Context(months=[six.older], exact=False))
        assert [str(c.label) for c in t.columns][-2:] == ["Other countries", "Total"]
    assert t.total.values[-2:] == (3 + 2, 54)


def test_modality_sex_and_age_group_distributions(world, six, no_suppression):
    actor = world.actor(world.partner)
    modality = stats_table(actor=actor, filters=six.filters, name="modality")
    assert values(modality) == {"air": (4, 66.7), "land": (2, 33.3), "sea": (0, 0.0), "total": (6, 100.0)}
    sex = stats_table(actor=actor, filters=six.filters, name="sex")
    assert values(sex) == {"F": (2, 33.3), "M": (4, 66.7), "total": (6, 100.0)}
    with translation.override("en"):
        age = stats_table(actor=actor, filters=six.filters, name="age")
    assert [r.label for r in age.rows] == ["0–5", "6–11", "12–17", "18–29", "30–59", "60+", "Unknown"]
    assert [r.values[0] for r in age.rows] == [1, 0, 1, 2, 1, 1, 0]


def test_protection_need_share_per_month_and_overall(world, six, no_suppression):
    t = stats_table(actor=world.actor(world.focal), filters=six.filters, name="need")
    # arrivals, possible, urgent, % possible, % urgent, % with a need
    assert values(t) == {
        f"{six.older:%Y-%m}": (2, 1, 0, 50.0, 0.0, 50.0),
        f"{six.recent:%Y-%m}": (4, 0, 2, 0.0, 50.0, 50.0),
        "total": (6, 1, 2, 16.7, 33.3, 50.0),
    }


def test_destination_departments_largest_first_with_every_department(world, six, no_suppression):
    t = stats_table(actor=world.actor(world.coord), filters=six.filters, name="department")
    assert [r.code for r in t.rows][:3] == ["05", "01", "08"]  # ties by name: Atlántida, Francisco Morazán
    assert [r.values[0] for r in t.rows][:4] == [4, 1, 1, 0]
    assert len(t.rows) == 18


def test_returns_by_sequence_and_headline_numbers(world, six, no_suppression):
    actor = world.actor(world.coord)
    t = stats_table(actor=actor, filters=six.filters, name="sequence")
    assert values(t) == {"1": (5, 83.3), "2": (1, 16.7), "3+": (0, 0.0), "total": (6, 100.0)}
    board = dashboard_get(actor=actor, filters=six.filters)
    assert [v for _label, v in board.summary] == ["6", "50,0 %", "1", "1"]


def test_reasons_counted_per_answer_with_a_note(world, six, no_suppression):
    t = stats_table(actor=world.actor(world.coord), filters=six.filters, name="reason")
    assert values(t) == {
        "unemployment": (3, 50.0),
        "family": (2, 33.3),
        "violence": (1, 16.7),
        "total": (6, 100.0),
    }
    assert "100" in t.note


def test_reception_point_filter_and_period(world, six, no_suppression):
    omoa = Site.objects.get(code="camr-omoa")
    f = StatsFilters(month_from=six.older, month_to=six.recent, reception_point_id=omoa.pk)
    assert values(stats_table(actor=world.actor(world.coord), filters=f, name="sex"))["M"][0] == 2
    only_older = StatsFilters(month_from=six.older, month_to=six.older)
    assert values(stats_table(actor=world.actor(world.coord), filters=only_older, name="sex"))["total"][0] == 2


def test_rebuild_gives_the_same_cells_as_live_counting(world, six):
    def snapshot():
        return set(
            ArrivalCount.objects.filter(count__gt=0).values_list("month", "reception_point_id", "dimension", "key", "count")
        )

    live = snapshot()
    assert len(live) > 40
    assert stats_rebuild() == 6
    assert snapshot() == live


def test_dashboard_reads_counts_in_two_queries_plus_labels(world, six, django_assert_max_num_queries):
    actor = world.actor(world.coord)
    with django_assert_max_num_queries(5):  # counts (monthly, period), countries, departments, reasons
        dashboard_get(actor=actor, filters=six.filters)


def test_counts_load_sums_over_reception_points(world, six):
    cells = counts_load(filters=six.filters, dimensions=["total"])
    assert cells == {"total": {"all": {six.older: 2, six.recent: 4}}}


def test_selectors_refuse_an_actor_without_stats(world, six):
    from django.contrib.auth import get_user_model
    from django.http import Http404

    nobody = get_user_model().objects.create_user(username="nobody", password="x" * 20)
    with pytest.raises(Http404):
        stats_table(actor=world.actor(nobody), filters=six.filters, name="sex")
