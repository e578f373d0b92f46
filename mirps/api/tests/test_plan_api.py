"""The plan endpoints: reads for every role, report submit/approve/return by scope, stranger 404."""

from __future__ import annotations

import pytest

from mirps.core.access import Actor
from mirps.core.testing import make_user
from mirps.plan import services as s
from mirps.plan.services import ValueInput
from mirps.plan.tests.conftest import _media, pw  # noqa: F401 - fixtures


@pytest.fixture
def reports(world, pw):  # noqa: F811
    focal = Actor.of(world.focal)
    approved = s.report_create(actor=focal, commitment=pw["p14"], period=pw["open"], commitment_status="in_progress",
                               narrative="n", values=[ValueInput(pw["ind"].pk, "25"), ValueInput(pw["ind"].pk, "10", "sex:F")])
    s.report_submit(actor=focal, report=approved)
    s.report_approve(actor=Actor.of(world.coord), report=approved)
    draft = s.report_create(actor=Actor.of(world.extra["focal_sedh"]), commitment=pw["p01"], period=pw["open"],
                            commitment_status="in_progress", narrative="borrador")
    return {"approved": approved, "draft": draft, **pw}


def test_plans_and_commitments(api, world, reports):
    r = api.get(world.reg_sps, "/plan/plans", lang="en")
    assert r.status_code == 200
    [plan] = r.json()
    assert plan["illustrative"] is True and plan["implementation_share"] == 0.25 and "capped" in plan["rule"]
    r = api.get(world.partner, f"/plan/plans/{plan['id']}/commitments", institution="sesal")
    assert [c["code"] for c in r.json()] == ["P14"]
    assert r.json()[0]["progress"] == 0.25
    assert api.get(world.partner, "/plan/plans/999999/commitments").status_code == 404
    assert api.get(world.partner, f"/plan/plans/{plan['id']}/commitments", area="nope").status_code == 422


def test_commitment_detail_and_reports(api, world, reports):
    r = api.get(world.remote, f"/plan/commitments/{reports['p14'].pk}")
    assert r.status_code == 200
    ind = next(i for i in r.json()["indicators"] if i["id"] == reports["ind"].pk)
    assert (ind["current_value"], ind["current_period"], ind["progress"]) == (25.0, "2024-S2", 0.25)
    r = api.get(world.remote, f"/plan/commitments/{reports['p14'].pk}/reports")
    [rep] = r.json()
    assert rep["status"] == "approved" and {v["breakdown"] for v in rep["values"]} == {"", "sex:F"}


def test_drafts_only_for_their_institution(api, world, reports):
    path = f"/plan/commitments/{reports['p01'].pk}/reports"
    assert api.get(world.focal, path).json() == []  # SESAL's focal point: SEDH's draft does not exist
    assert len(api.get(world.extra["focal_sedh"], path).json()) == 1
    assert len(api.get(world.coord, path).json()) == 1


def test_submit_approve_return(api, world, reports):
    draft = reports["draft"]
    # A stranger (SESAL's focal point) and a partner get 404.
    assert api.post(world.focal, f"/plan/reports/{draft.pk}/submit").status_code == 404
    assert api.post(world.partner, f"/plan/reports/{draft.pk}/submit").status_code == 404
    r = api.post(world.extra["focal_sedh"], f"/plan/reports/{draft.pk}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert api.post(world.extra["focal_sedh"], f"/plan/reports/{draft.pk}/approve", {}).status_code == 404
    r = api.post(world.coord, f"/plan/reports/{draft.pk}/return", {"comment": ""}, lang="en")
    assert r.status_code == 422 and "review_comment" in str(r.json())
    r = api.post(world.coord, f"/plan/reports/{draft.pk}/return", {"comment": "Faltan datos"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert api.post(world.extra["focal_sedh"], f"/plan/reports/{draft.pk}/submit").status_code == 200
    r = api.post(world.coord, f"/plan/reports/{draft.pk}/approve", {"comment": "ok"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert api.post(world.coord, f"/plan/reports/{draft.pk}/approve", {"extra": 1}).status_code == 422


def test_unauthenticated(api, reports):
    assert api.get(None, "/plan/plans").status_code == 401


def test_other_focal_point_cannot_submit_via_api(api, world, reports):
    other = make_user("focal_dinaf", "focal_point", "dinaf")
    assert api.post(other, f"/plan/reports/{reports['draft'].pk}/submit").status_code == 404
