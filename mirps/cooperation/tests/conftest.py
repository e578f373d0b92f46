from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mirps.accounts.models import Institution, Role
from mirps.cooperation import services
from mirps.cooperation.services import InterventionInput
from mirps.core.access import Actor
from mirps.core.testing import make_user
from mirps.geo.models import Country
from mirps.plan.models import Commitment, Plan


@pytest.fixture
def plan(db) -> Plan:
    p = Plan.objects.create(
        country=Country.objects.get(iso2="HN"),
        title_es="Plan de prueba",
        title_en="Test plan",
        period_start=date(2022, 1, 1),
        period_end=date(2026, 12, 31),
    )
    sedh = Institution.objects.get(code="sedh")
    for code, area in (("P01", "protection"), ("P02", "protection"), ("E01", "education"), ("L01", "livelihoods")):
        Commitment.objects.create(plan=p, code=code, title_es=f"Compromiso {code}", area=area, pillar="solutions", responsible=sedh)
    return p


@pytest.fixture
def coop(world, plan):
    """The world plus a partner of OIM (a stranger to ACNUR's records) and handy actors."""
    world.extra["partner_oim"] = make_user("partner_oim", Role.PARTNER, "oim")
    return world


def actor(user) -> Actor:
    return Actor.of(user)


def iv_input(**kw) -> InterventionInput:
    base = {
        "title": "Atención psicosocial a personas retornadas",
        "implementer": "acnur",
        "sector": "protection",
        "activity": "Sesiones de apoyo psicosocial",
        "start": date(2023, 1, 1),
        "end": date(2023, 12, 31),
        "status": "ongoing",
        "funders": ["ue"],
        "municipalities": ["HN0501"],
        "populations": ["returnees"],
        "targeted_women": 10,
        "targeted_men": 10,
        "reached_women": 5,
        "reached_men": 5,
        "budget_usd": Decimal("1000.00"),
    }
    base.update(kw)
    return InterventionInput(**base)


def make_iv(user, **kw):
    return services.intervention_create(actor=actor(user), data=iv_input(**kw))


@pytest.fixture(autouse=True)
def _english():
    # Messages are compared in their English source form.
    from django.utils import translation

    with translation.override("en"):
        yield
