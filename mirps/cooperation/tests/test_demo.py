"""The demo data obeys the services' rules, runs fast, and runs once."""

from __future__ import annotations

import random
import time
from decimal import Decimal

import pytest

from mirps.cooperation import funding
from mirps.cooperation.demo import seed_demo
from mirps.cooperation.models import Intervention, Pledge

pytestmark = pytest.mark.django_db


def test_demo_with_plan(coop, plan):
    t = time.monotonic()
    counts = seed_demo(rng=random.Random(7), coordinator=coop.coord)
    # About 5 s on an idle machine; the margin is for a busy CI runner.
    assert time.monotonic() - t < 20
    assert counts["interventions"] == 150 and counts["pledges"] > 20 and counts["needs"] >= 1
    assert Intervention.objects.filter(published=True).count() > 100
    assert Pledge.objects.filter(partner__code="bid", amount_usd=Decimal("100000000.00")).exists()
    assert {"pledged", "committed", "disbursed"} <= set(Pledge.objects.values_list("state", flat=True))
    assert Pledge.objects.filter(currency="SEK").exists() and Pledge.objects.filter(currency="CHF").exists()
    assert funding.funding_total(funding.funding_by_commitment(plan=plan))["needed"] > 0
    # Cortés and Francisco Morazán carry the most interventions.
    cortes = Intervention.objects.filter(municipalities__department__code="05").distinct().count()
    assert cortes > Intervention.objects.filter(municipalities__department__code="09").distinct().count()
    assert seed_demo(rng=random.Random(7), coordinator=coop.coord) == {"needs": 0, "interventions": 0, "pledges": 0}


def test_demo_without_plan(world):
    counts = seed_demo(rng=random.Random(1), coordinator=world.coord)
    assert counts == {"needs": 0, "interventions": 150, "pledges": 0}


def test_pages_render_with_demo_data(client, coop, plan):
    from django.urls import reverse

    seed_demo(rng=random.Random(3), coordinator=coop.coord)
    client.force_login(coop.coord)
    for name in ("intervention_list", "pledge_list", "need_list", "funding", "intervention_iati"):
        assert client.get(reverse(f"cooperation:{name}")).status_code == 200, name
    iv = Intervention.objects.first()
    assert client.get(reverse("cooperation:intervention_detail", args=[iv.pk])).status_code == 200
    assert client.get(reverse("cooperation:intervention_edit", args=[iv.pk])).status_code == 200
