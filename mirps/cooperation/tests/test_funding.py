"""Funding needed vs pledged vs disbursed, against a hand-worked example."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from mirps.cooperation import funding, services
from mirps.cooperation.tests.conftest import actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(coop, plan):
    """
    Needs: P01/N1 1000, P01/N2 500, P02/N3 300 (USD). Pledges (USD at rate; EUR = 1.13):
      acnur P01 N1 committed 400 · ue P01 N1 disbursed EUR 100 = 113 · bid P01 N1 pledged 700
      acnur P01 (no need) committed 200 · oim P02 N3 disbursed 500 · acnur E01 pledged 50
    """
    a = actor(coop.coord)
    c = {x.code: x for x in plan.commitments.all()}
    n1 = services.need_create(actor=a, commitment=c["P01"], description_es="N1", kind="financing", estimated_cost_usd="1000")
    n2 = services.need_create(actor=a, commitment=c["P01"], description_es="N2", kind="training", estimated_cost_usd="500")
    n3 = services.need_create(actor=a, commitment=c["P02"], description_es="N3", kind="equipment", estimated_cost_usd="300")

    def pledge(partner, commitment, need, state, amount, currency="USD"):
        return services.pledge_create(
            actor=a, partner=partner, commitment=c[commitment], need=need, state=state,
            amount=D(amount), currency=currency, date=date(2023, 3, 1),
        )

    pledge("acnur", "P01", n1, "committed", "400")
    pledge("ue", "P01", n1, "disbursed", "100", "EUR")
    pledge("bid", "P01", n1, "pledged", "700")
    pledge("acnur", "P01", None, "committed", "200")
    pledge("oim", "P02", n3, "disbursed", "500")
    pledge("acnur", "E01", None, "pledged", "50")
    return {"n1": n1, "n2": n2, "n3": n3}


def test_gap_rule():
    assert funding.gap(D(100), D(30), D(20)) == D(50)
    assert funding.gap(D(100), D(80), D(80)) == D(0)  # over-funded: no negative gap


def test_by_need(plan, example):
    rows = {r["need"].description_es: r for r in funding.funding_by_need(plan=plan)}
    assert rows["N1"]["needed"] == D(1000)
    assert (rows["N1"]["pledged"], rows["N1"]["committed"], rows["N1"]["disbursed"]) == (D(700), D(400), D("113.00"))
    assert rows["N1"]["gap"] == D("487.00")  # 1000 − (400 + 113); the 700 only pledged does not count
    assert rows["N2"]["gap"] == D(500)
    assert rows["N3"]["disbursed"] == D(500) and rows["N3"]["gap"] == D(0)


def test_by_commitment_counts_pledges_without_need_once(plan, example):
    rows = {r["code"]: r for r in funding.funding_by_commitment(plan=plan)}
    p01 = rows["P01"]
    assert p01["needed"] == D(1500)
    assert (p01["pledged"], p01["committed"], p01["disbursed"]) == (D(700), D(600), D("113.00"))
    assert p01["gap"] == D("787.00")  # 1500 − (600 + 113)
    assert rows["P02"]["gap"] == D(0)
    assert rows["E01"]["needed"] == D(0) and rows["E01"]["pledged"] == D(50) and rows["E01"]["gap"] == D(0)
    assert rows["L01"]["pledged"] == D(0)


def test_by_area_and_total_never_double_count(plan, example):
    rows = funding.funding_by_commitment(plan=plan)
    areas = funding.funding_by_area(rows)
    assert areas["protection"]["needed"] == D(1800)
    assert areas["protection"]["disbursed"] == D("613.00")
    # The surplus on P02 does not fill P01's gap: 787, not 1800 − 1213 = 587.
    assert areas["protection"]["gap"] == D("787.00")
    assert areas["education"]["pledged"] == D(50)
    total = funding.funding_total(rows)
    assert total == {"needed": D(1800), "pledged": D(750), "committed": D(600), "disbursed": D("613.00"), "gap": D("787.00")}


def test_by_partner_sums_to_total(plan, example):
    rows = {r["partner"].code: r for r in funding.funding_by_partner(plan=plan)}
    assert rows["acnur"]["pledged"] == D(50) and rows["acnur"]["committed"] == D(600) and rows["acnur"]["total"] == D(650)
    assert rows["bid"]["total"] == D(700)
    assert rows["ue"]["disbursed"] == D("113.00")
    assert rows["oim"]["disbursed"] == D(500)
    assert sum(r["total"] for r in rows.values()) == D("1963.00")  # = 750 + 600 + 613


def test_published_only(plan, example, coop):
    assert funding.funding_total(funding.funding_by_commitment(plan=plan, published_only=True))["pledged"] == D(0)
