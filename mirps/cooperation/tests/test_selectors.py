"""Selectors used by the map and the public page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404

from mirps.cooperation import selectors, services
from mirps.cooperation.tests.conftest import actor, make_iv

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivs(coop, plan):
    p01 = plan.commitments.get(code="P01")
    # Two municipalities of Cortés (05) and one of Francisco Morazán (08): 300 / 3 = 100 each.
    a = make_iv(coop.partner, code="A", municipalities=["HN0501", "HN0502", "HN0801"], budget_usd="300", commitments=[p01.pk], funders=["suecia"])
    b = make_iv(coop.extra["partner_oim"], implementer="oim", code="B", municipalities=["HN0501"], budget_usd="100.01", sector="cash", populations=["idps", "host"])
    c = make_iv(coop.partner, code="C", municipalities=["HN0801", "HN0802", "HN0803"], budget_usd="100", status="planned")
    services.intervention_publish(actor=actor(coop.coord), intervention=a)
    return {"a": a, "b": b, "c": c}


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_filters(coop, plan, ivs):
    me = actor(coop.remote)
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False)) == ["A", "B", "C"]
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=True)) == ["A"]
    assert codes(selectors.interventions_filtered(actor_or_none=None, published_only=False)) == ["A"]  # the public
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False, sector="cash")) == ["B"]
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False, partner="suecia")) == ["A"]  # funder
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False, partner="oim")) == ["B"]
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False, status="planned")) == ["C"]
    p01 = plan.commitments.get(code="P01").pk
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False, commitment=p01)) == ["A"]
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False, commitment="x")) == []
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False, population="host")) == ["B"]
    assert codes(selectors.interventions_filtered(actor_or_none=me, published_only=False, department="08")) == ["A", "C"]


def test_totals_by_department_count_once_and_split_budget(coop, plan, ivs):
    me = actor(coop.remote)
    totals = selectors.intervention_totals_by_department(selectors.interventions_filtered(actor_or_none=me, published_only=False))
    assert totals["05"]["interventions"] == 2  # A once (two municipalities), B
    assert totals["05"]["municipalities"] == {"0501", "0502"}
    assert totals["05"]["budget_usd"] == Decimal("300.01")  # A: 200 + B: 100.01
    assert totals["08"]["interventions"] == 2
    assert totals["08"]["budget_usd"] == Decimal("200.00")  # A: 100 + C: 100 (33.33 + 33.33 + 33.34)
    assert sum(t["budget_usd"] for t in totals.values()) == Decimal("500.01")  # = total budget


def test_get_and_edit_scope(coop, plan, ivs):
    assert selectors.intervention_get(actor_or_none=None, intervention_id=ivs["a"].pk) == ivs["a"]
    with pytest.raises(Http404):
        selectors.intervention_get(actor_or_none=None, intervention_id=ivs["b"].pk)  # unpublished
    with pytest.raises(Http404):
        selectors.intervention_get_for_edit(actor=actor(coop.partner), intervention_id=ivs["b"].pk)
    with pytest.raises(Http404):
        selectors.intervention_get_for_edit(actor=actor(coop.focal), intervention_id=ivs["a"].pk)
    assert selectors.intervention_get_for_edit(actor=actor(coop.coord), intervention_id=ivs["b"].pk) == ivs["b"]
