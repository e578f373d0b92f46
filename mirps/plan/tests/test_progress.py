"""The progress rule against hand-worked examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mirps.accounts.models import Site
from mirps.plan import progress
from mirps.plan.models import Indicator, ReportStatus
from mirps.plan.tests.factories import (
    make_commitment,
    make_indicator,
    make_period,
    make_plan,
    make_report,
)
from mirps.stats.models import ArrivalCount

D = Decimal


def test_indicator_progress_increase_and_decrease():
    up = Indicator(baseline=D(0), target=D(100))
    assert progress.indicator_progress(up, D(40)) == D("0.4")
    assert progress.indicator_progress(up, D(150)) == D(1)  # capped at 100 %
    assert progress.indicator_progress(up, D(-5)) == D(0)
    assert progress.indicator_progress(up, None) is None
    down = Indicator(baseline=D(200), target=D(100), direction="decrease")
    assert progress.indicator_progress(down, D(150)) == D("0.5")
    assert progress.indicator_progress(down, D(250)) == D(0)
    assert progress.indicator_progress(down, D(50)) == D(1)
    third = Indicator(baseline=D(10), target=D(40))
    assert progress.indicator_progress(third, D(20)) == D("0.3333")


@pytest.fixture
def plan(world):
    return make_plan()


def test_reported_current_is_latest_approved(world, plan):
    c = make_commitment(plan, "P14")
    ind = make_indicator(c)
    s1 = make_period(plan, "2024-S1", date(2024, 1, 1), date(2024, 6, 30), closed=True)
    s2 = make_period(plan, "2024-S2", date(2024, 7, 1), date(2024, 12, 31), closed=True)
    s3 = make_period(plan, "2025-S1", date(2025, 1, 1), date(2025, 6, 30))
    make_report(c, s1, world.focal, {ind: "30"})
    old = make_report(c, s2, world.focal, {ind: "50"}, status=ReportStatus.SUPERSEDED)
    make_report(c, s2, world.focal, {ind: "60"}, version=2, supersedes=old)
    make_report(c, s3, world.focal, {ind: "90"}, status=ReportStatus.SUBMITTED)
    cur = progress.indicator_current(ind)
    assert cur.value == D(60)
    assert cur.period == "2024-S2"
    assert "2024-S2" in cur.source_text
    # As of a date before 2024-S2 started, the S1 value is the current one.
    assert progress.indicator_current(ind, as_of=date(2024, 5, 1)).value == D(30)
    other = make_indicator(c)
    assert progress.indicator_current(other).value is None


def _cells(rows):
    site = Site.objects.get(code="camr-sps")
    for month, dim, key, n in rows:
        ArrivalCount.objects.create(month=month, reception_point=site, dimension=dim, key=key, count=n)


def test_computed_metrics_from_registration_counts(world, plan):
    _cells([
        (date(2021, 12, 1), "total", "all", 10),  # before the plan: left out
        (date(2022, 3, 1), "total", "all", 5),
        (date(2024, 1, 1), "total", "all", 7),
        (date(2025, 2, 1), "total", "all", 100),  # after as_of: left out
        (date(2022, 3, 1), "need", "none", 4),
        (date(2022, 3, 1), "need", "possible", 3),
        (date(2024, 1, 1), "need", "urgent", 2),
        (date(2022, 3, 1), "sequence", "1", 4),
        (date(2022, 3, 1), "sequence", "2", 2),
        (date(2024, 1, 1), "sequence", "3+", 1),
        (date(2024, 1, 1), "travel_mode", "unaccompanied_child", 2),
        (date(2024, 1, 1), "travel_mode", "alone", 9),
    ])
    as_of = date(2024, 12, 31)
    assert progress.metric_values(plan, as_of=as_of) == {
        "arrivals_screened": 12, "arrivals_with_need": 5, "repeat_returns": 3, "unaccompanied_children": 2,
    }
    c = make_commitment(plan, "P04", "sreci-dgphm")
    ind = make_indicator(c, "0", "24", source="computed", metric="arrivals_screened")
    cur = progress.indicator_current(ind, as_of=as_of)
    assert cur.value == D(12)
    assert cur.period == "2022-01 – 2024-12"
    assert "(mirps)" in cur.source_text and "2022-01 – 2024-12" in cur.source_text
    assert progress.commitment_progress(c, as_of=as_of) == D("0.5")


def test_commitment_progress(world, plan):
    s1 = make_period(plan, "2024-S1", date(2024, 1, 1), date(2024, 6, 30), closed=True)
    c = make_commitment(plan, "P14")
    a = make_indicator(c, "0", "100")
    b = make_indicator(c, "200", "100", direction="decrease")
    make_indicator(c, "0", "10")  # no value: left out of the mean
    make_report(c, s1, world.focal, {a: "40", b: "150"})
    assert progress.commitment_progress(c) == D("0.45")  # (0.4 + 0.5) / 2

    done = make_commitment(plan, "P15", status="completed")
    assert progress.commitment_progress(done) == D(1)
    empty = make_commitment(plan, "P16")
    assert progress.commitment_progress(empty) is None
    novalue = make_commitment(plan, "P17")
    make_indicator(novalue)
    assert progress.commitment_progress(novalue) is None


def test_implementation_share_overall_and_by_group(world, plan, django_assert_max_num_queries):
    s1 = make_period(plan, "2024-S1", date(2024, 1, 1), date(2024, 6, 30), closed=True)
    a = make_commitment(plan, "P14", "sesal", area="protection", pillar="reception")
    ia = make_indicator(a, "0", "100")
    ib = make_indicator(a, "200", "100")
    make_report(a, s1, world.focal, {ia: "40", ib: "150"})  # 0.45
    make_commitment(plan, "P01", "sedh", area="protection", pillar="immediate", status="completed")  # 1
    make_commitment(plan, "E01", "seduc", area="education", pillar="solutions")  # no data
    gone = make_commitment(plan, "P20", "sedh", active=False, status="reprioritised")
    make_indicator(gone)  # inactive: not counted at all

    with django_assert_max_num_queries(6):
        overall = progress.implementation_share(plan=plan)
    assert list(overall) == [None]
    s = overall[None]
    assert (s.value, s.commitments, s.without_data) == (D("0.725"), 3, 1)
    assert s.percent == D("72.5")

    by_area = progress.implementation_share(plan=plan, by="area")
    assert list(by_area) == ["protection", "education"]
    assert (by_area["protection"].value, by_area["protection"].commitments) == (D("0.725"), 2)
    assert (by_area["education"].value, by_area["education"].without_data) == (None, 1)

    by_pillar = progress.implementation_share(plan=plan, by="pillar")
    assert [(k, v.value) for k, v in by_pillar.items()] == [
        ("reception", D("0.45")), ("immediate", D(1)), ("solutions", None),
    ]
    by_inst = progress.implementation_share(plan=plan, by="institution")
    assert {k: v.value for k, v in by_inst.items()} == {"sesal": D("0.45"), "sedh": D(1), "seduc": None}
    by_status = progress.implementation_share(plan=plan, by="status")
    assert {k: v.value for k, v in by_status.items()} == {"in_progress": D("0.45"), "completed": D(1)}
    assert by_status["in_progress"].without_data == 1

    with pytest.raises(ValueError):
        progress.implementation_share(plan=plan, by="colour")


def test_share_query_count_does_not_grow(world, plan, django_assert_max_num_queries):
    s1 = make_period(plan, "2024-S1", date(2024, 1, 1), date(2024, 6, 30), closed=True)
    for i in range(20):
        c = make_commitment(plan, f"P{i:02}")
        ind = make_indicator(c)
        make_indicator(c, source="computed", metric="repeat_returns")
        make_report(c, s1, world.focal, {ind: str(i * 5)})
    with django_assert_max_num_queries(6):
        progress.implementation_share(plan=plan, by="institution")


def test_empty_plan_has_one_overall_row(world, plan):
    s = progress.implementation_share(plan=plan)[None]
    assert (s.value, s.commitments, s.without_data) == (None, 0, 0)
