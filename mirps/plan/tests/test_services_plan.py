"""Plans, commitments (revisions, re-prioritisation), indicators and periods."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from mirps.accounts.models import Institution
from mirps.core.access import Actor
from mirps.plan import services as s
from mirps.plan.models import CommitmentRevision, Plan


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_plan_create_validates_and_needs_coordinator(world):
    with pytest.raises(Http404):
        s.plan_create(actor=Actor.of(world.focal), title_es="x", title_en="x", period_start=date(2022, 1, 1), period_end=date(2026, 1, 1))
    with pytest.raises(ValidationError) as e:
        s.plan_create(actor=Actor.of(world.coord), title_es="", title_en="x", period_start=date(2022, 1, 1), period_end=date(2021, 1, 1))
    assert set(e.value.message_dict) == {"title_es", "period_end"}
    p = s.plan_create(actor=Actor.of(world.coord), title_es="Plan", title_en="Plan", period_start=date(2022, 1, 1), period_end=date(2026, 12, 31))
    p = s.plan_update(actor=Actor.of(world.coord), plan=p, published=True)
    assert p.published and p.version == 1


def test_commitment_update_keeps_revisions_and_reprioritisation_bumps_version(world, pw):
    coord = Actor.of(world.coord)
    c = s.commitment_update(actor=coord, commitment=pw["p14"], title_es="Seguimiento de salud")
    assert c.version == 2 and c.title_es == "Seguimiento de salud"
    rev = CommitmentRevision.objects.get(commitment=c)
    assert rev.snapshot["title_es"] == "Compromiso P14" and rev.plan_version == 1
    assert Plan.objects.get(pk=pw["plan"].pk).version == 1
    with pytest.raises(ValidationError) as e:
        s.commitment_update(actor=coord, commitment=c, status="reprioritised")
    assert "reason" in e.value.message_dict
    c = s.commitment_update(actor=coord, commitment=c, status="reprioritised", reason="Prioridades 2024")
    assert Plan.objects.get(pk=pw["plan"].pk).version == 2
    c = s.commitment_update(actor=coord, commitment=c, active=False, reason="Fuera del plan")
    assert Plan.objects.get(pk=pw["plan"].pk).version == 3
    assert CommitmentRevision.objects.filter(commitment=c).count() == 3
    # No change, no revision.
    s.commitment_update(actor=coord, commitment=c, active=False)
    assert CommitmentRevision.objects.filter(commitment=c).count() == 3
    with pytest.raises(Http404):
        s.commitment_update(actor=Actor.of(world.focal), commitment=c, title_es="x")


def test_commitment_create_validates(world, pw):
    coord = Actor.of(world.coord)
    with pytest.raises(ValidationError) as e:
        s.commitment_create(actor=coord, plan=pw["plan"], code="P14", title_es="", area="nope", pillar="reception",
                            responsible=Institution.objects.get(code="sesal"), start_date=date(2024, 1, 1), end_date=date(2023, 1, 1))
    assert set(e.value.message_dict) == {"code", "title_es", "area", "end_date"}
    c = s.commitment_create(actor=coord, plan=pw["plan"], code="p22", title_es="Nuevo", area="education", pillar="solutions",
                            responsible=Institution.objects.get(code="seduc"), co_responsible=[Institution.objects.get(code="unicef")])
    assert c.code == "P22" and [i.code for i in c.co_responsible.all()] == ["unicef"]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"target": "0"}, "target"),  # equal to the baseline
        ({"unit": ""}, "unit"),
        ({"source": "computed"}, "metric"),
        ({"metric": "repeat_returns"}, "metric"),  # reported with a metric
        ({"target": "-5"}, "target"),  # below the baseline for an increasing indicator
        ({"direction": "decrease"}, "target"),
        ({"baseline": "abc"}, "baseline"),
    ],
)
def test_indicator_validation(world, pw, kw, field):
    base = {"name_es": "Personas", "unit": "personas", "baseline": "0", "target": "10", "target_date": date(2026, 1, 1)}
    with pytest.raises(ValidationError) as e:
        s.indicator_create(actor=Actor.of(world.coord), commitment=pw["p14"], **{**base, **kw})
    assert field in e.value.message_dict


def test_indicator_computed_ok_and_update(world, pw):
    coord = Actor.of(world.coord)
    ind = s.indicator_create(actor=coord, commitment=pw["p14"], name_es="Retornos", unit="personas", baseline="0",
                             target="100", target_date=date(2026, 1, 1), source="computed", metric="repeat_returns")
    ind = s.indicator_update(actor=coord, indicator=ind, target="200")
    assert ind.target == 200


def test_period_create_and_close(world, pw):
    coord = Actor.of(world.coord)
    with pytest.raises(ValidationError) as e:
        s.period_create(actor=coord, plan=pw["plan"], label="2024-X", start=date(2024, 6, 1), end=date(2024, 8, 1))
    assert "overlaps" in " ".join(e.value.messages)
    with pytest.raises(ValidationError):
        s.period_create(actor=coord, plan=pw["plan"], label="2030-S1", start=date(2030, 1, 1), end=date(2030, 6, 30))
    p = s.period_create(actor=coord, plan=pw["plan"], label="2025-S1", start=date(2025, 1, 1), end=date(2025, 6, 30))
    assert s.period_close(actor=coord, period=p).closed
    assert not s.period_close(actor=coord, period=p, closed=False).closed
    with pytest.raises(Http404):
        s.period_close(actor=Actor.of(world.focal), period=p)
