"""The cooperation endpoints: scope (stranger gets 404), validation (422 with messages), OpenAPI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mirps.accounts.models import Role
from mirps.cooperation import services
from mirps.cooperation.models import Intervention, Pledge
from mirps.cooperation.tests import conftest as coop_conftest
from mirps.cooperation.tests.conftest import actor, make_iv
from mirps.core.testing import make_user

pytestmark = pytest.mark.django_db

plan = coop_conftest.plan  # the fixture: a plan with commitments P01, P02, E01, L01


@pytest.fixture
def oim(world):
    return make_user("partner_oim", Role.PARTNER, "oim")


def body(**kw):
    b = {
        "title": "Apoyo psicosocial", "implementer": "acnur", "sector": "protection", "activity": "Sesiones",
        "municipalities": ["HN0501"], "start": "2024-01-01", "end": "2024-12-31", "status": "ongoing",
        "populations": ["returnees"], "targeted_women": 10, "reached_women": 5, "budget_usd": "1000.00", "funders": ["ue"],
    }
    b.update(kw)
    return b


def test_operations_in_openapi(api, world):
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/cooperation/interventions", "/api/v1/cooperation/interventions/{intervention_id}", "/api/v1/cooperation/pledges", "/api/v1/cooperation/funding"):
        assert p in paths


def test_create_read_update(api, world, plan):
    r = api.post(world.partner, "/cooperation/interventions", body(commitments=[plan.commitments.get(code="P01").pk]))
    assert r.status_code == 201, r.json()
    out = r.json()
    assert out["municipalities"] == ["HN0501"] and out["commitments"] == ["P01"] and out["targeted"]["women"] == 10
    got = api.get(world.remote, f"/cooperation/interventions/{out['id']}")
    assert got.status_code == 200 and got.json()["code"] == out["code"]
    r = api.client.put(
        f"/api/v1/cooperation/interventions/{out['id']}", body(title="Nuevo", version=1), content_type="application/json",
        headers=api.headers(world.partner, None),
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    listing = api.get(world.focal, "/cooperation/interventions", sector="protection")
    assert [i["code"] for i in listing.json()["items"]] == [out["code"]]


def test_stranger_gets_404(api, world, plan, oim):
    iv = make_iv(world.partner)
    r = api.client.put(
        f"/api/v1/cooperation/interventions/{iv.pk}", body(version=1), content_type="application/json", headers=api.headers(oim, None)
    )
    assert r.status_code == 404
    assert api.post(world.reg_sps, "/cooperation/interventions", body()).status_code == 404  # no COOP_EDIT
    assert api.post(world.focal, "/cooperation/pledges", {}).status_code in (404, 422)
    assert api.get(world.partner, "/cooperation/interventions/00000000-0000-0000-0000-000000000000").status_code == 404


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"end": "2023-01-01"}, "end", "before the start"),
        ({"reached_women": 50}, "reached_note", "reached"),
        ({"municipalities": ["HN9999"]}, "municipalities", "HN9999"),
        ({"municipalities": ["HN0801"], "department": "05"}, "municipalities", "not in the department"),
        ({"implementer": "oim"}, "implementer", "own organisation"),
    ],
)
def test_service_errors_are_422_at_the_field(api, world, plan, kw, field, words):
    r = api.post(world.partner, "/cooperation/interventions", body(**kw), lang="en")
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert any(d["loc"] == ["body", "payload", field] and words in d["msg"] for d in detail), detail
    assert not Intervention.objects.exists()


def test_schema_errors(api, world, plan):
    assert api.post(world.partner, "/cooperation/interventions", body(budget_usd="-1")).status_code == 422
    assert api.post(world.partner, "/cooperation/interventions", body(sector="space")).status_code == 422
    assert api.post(world.partner, "/cooperation/interventions", body(title="a\x00b")).status_code == 422
    assert api.post(world.partner, "/cooperation/interventions", body(extra=1)).status_code == 422


def test_pledges(api, world, plan):
    p01 = plan.commitments.get(code="P01").pk
    ok = {"partner": "acnur", "commitment": p01, "amount": "100", "currency": "EUR", "date": "2023-01-01"}
    r = api.post(world.partner, "/cooperation/pledges", ok)
    assert r.status_code == 201 and Decimal(r.json()["amount_usd"]) == Decimal("113.00")
    r = api.post(world.partner, "/cooperation/pledges", {**ok, "currency": "XYZ"}, lang="en")
    assert r.status_code == 422 and "Unknown currency" in r.json()["detail"][0]["msg"]
    assert api.post(world.partner, "/cooperation/pledges", {**ok, "amount": "-5"}).status_code == 422
    assert api.post(world.partner, "/cooperation/pledges", {**ok, "partner": "oim"}).status_code == 422
    assert Pledge.objects.count() == 1
    assert len(api.get(world.remote, "/cooperation/pledges", partner="acnur").json()["items"]) == 1


def test_funding(api, world, plan):
    c = plan.commitments.get(code="P01")
    services.need_create(actor=actor(world.coord), commitment=c, description_es="x", kind="financing", estimated_cost_usd="1000")
    services.pledge_create(actor=actor(world.coord), partner="bid", commitment=c, state="disbursed", amount=Decimal(400), currency="USD", date=date(2023, 1, 1))
    rows = {r["commitment"]: r for r in api.get(world.remote, "/cooperation/funding").json()["commitments"]}
    assert Decimal(rows["P01"]["gap"]) == Decimal(600)
