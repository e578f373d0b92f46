"""Every plan page × every role of the three-institution world. A new plan URL not listed fails."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mirps.core.access import Actor
from mirps.core.testing import url_names
from mirps.plan import services as s
from mirps.plan.services import ValueInput

ROLES = ["reg_sps", "reg_omoa", "reg_belen", "po_sedh", "po_dinaf", "po_sesal", "remote", "focal", "partner", "coord", "admin"]
ALL = dict.fromkeys(ROLES, 200)
WRITERS = {r: 200 if r in {"focal", "coord"} else 404 for r in ROLES}  # SESAL's focal point and the coordinator
COORD = {r: 200 if r == "coord" else 404 for r in ROLES}

# GET status per role; the records are SESAL's (see `records`).
MATRIX: dict[str, dict[str, int] | None] = {
    "plan:dashboard": ALL,
    "plan:commitment_list": ALL,
    "plan:commitment_detail": ALL,
    "plan:export": ALL,
    "plan:report_detail": ALL,  # an approved report
    "plan:evidence_download": ALL,  # evidence of an approved report
    "plan:report_new": WRITERS,
    "plan:report_edit": WRITERS,  # a draft
    "plan:report_review": COORD,
    "plan:review_queue": COORD,
    "plan:periods": COORD,
    "plan:commitment_new": COORD,
    "plan:commitment_edit": COORD,  # SESAL's commitment: its own focal point may report on it, not edit it
    "plan:indicator_new": COORD,
    "plan:indicator_edit": COORD,
    # POST only: see POST_MATRIX.
    "plan:report_submit": None,
    "plan:report_correct": None,
    "plan:evidence_upload": None,
    "plan:evidence_remove": None,
    "plan:period_close": None,
    "plan:plan_publish": None,
}
POST_MATRIX = {
    "plan:report_submit": WRITERS,
    "plan:report_correct": WRITERS,
    "plan:evidence_upload": WRITERS,
    "plan:evidence_remove": WRITERS,
    "plan:period_close": COORD,
    "plan:plan_publish": COORD,
}



def test_every_plan_url_is_in_the_matrix():
    names = url_names("plan:")
    assert names == set(MATRIX), f"plan URLs missing from / stale in the matrix: {sorted(names ^ set(MATRIX))}"


@pytest.fixture
def records(world, pw):
    focal, coord = Actor.of(world.focal), Actor.of(world.coord)
    ind = pw["ind"]
    # An approved report with evidence, made while 2024-S1 was open.
    pw["closed"].closed = False
    pw["closed"].save()
    approved = s.report_create(actor=focal, commitment=pw["p14"], period=pw["closed"], commitment_status="in_progress",
                               narrative="Avance", values=[ValueInput(ind.pk, "30")])
    ev = s.evidence_add(actor=focal, report=approved, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    s.report_submit(actor=focal, report=approved)
    s.report_approve(actor=coord, report=approved)
    s.period_close(actor=coord, period=pw["closed"])
    draft = s.report_create(actor=focal, commitment=pw["p14"], period=pw["open"], commitment_status="in_progress", narrative="n")
    draft_ev = s.evidence_add(actor=focal, report=draft, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4 y"))
    # A submitted report of SEDH's commitment, for the review page.
    submitted = s.report_create(actor=coord, commitment=pw["p01"], period=pw["open"], commitment_status="in_progress", narrative="n")
    s.report_submit(actor=coord, report=submitted)
    return {"approved": approved, "ev": ev, "draft": draft, "draft_ev": draft_ev, "submitted": submitted, **pw}


def _url(name: str, rec) -> str:
    args = {
        "plan:commitment_detail": [rec["p14"].pk],
        "plan:report_new": [rec["p14"].pk],
        "plan:report_detail": [rec["approved"].pk],
        "plan:report_edit": [rec["draft"].pk],
        "plan:report_review": [rec["submitted"].pk],
        "plan:evidence_download": [rec["ev"].pk],
        "plan:report_submit": [rec["draft"].pk],
        "plan:report_correct": [rec["approved"].pk],
        "plan:evidence_upload": [rec["draft"].pk],
        "plan:evidence_remove": [rec["draft_ev"].pk],
        "plan:period_close": [rec["open"].pk],
        "plan:commitment_edit": [rec["p14"].pk],
        "plan:indicator_new": [rec["p14"].pk],
        "plan:indicator_edit": [rec["ind"].pk],
        "plan:plan_publish": [rec["plan"].pk],
    }.get(name, [])
    return reverse(name, args=args)


@pytest.mark.parametrize("name", [n for n, v in MATRIX.items() if v])
def test_get_matrix(client, world, records, name):
    url = _url(name, records)
    got = {}
    for role in ROLES:
        client.force_login(getattr(world, role))
        got[role] = client.get(url).status_code
    assert got == MATRIX[name]


@pytest.mark.parametrize("name", list(MATRIX))
def test_anonymous_goes_to_login(client, records, name):
    r = client.get(_url(name, records))
    assert r.status_code == 302 and "/accounts/login" in r["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POST_MATRIX))
def test_post_matrix(client, world, records, name, role):
    client.force_login(getattr(world, role))
    data = {"file": SimpleUploadedFile("c.pdf", b"%PDF-1.4 z")} if name == "plan:evidence_upload" else {}
    r = client.post(_url(name, records), data)
    expected = POST_MATRIX[name][role]
    assert (r.status_code == 404) == (expected == 404), (name, role, r.status_code)
    if expected != 404:
        assert r.status_code == 302


def test_focal_point_of_another_institution_gets_404(client, world, records):
    client.force_login(world.extra["focal_sedh"])
    for name in ("plan:report_edit", "plan:report_new", "plan:report_submit", "plan:evidence_remove", "plan:report_correct"):
        url = _url(name, records)
        r = client.post(url) if name in POST_MATRIX else client.get(url)
        assert r.status_code == 404, name
    # ... but reads the plan and approved reports like everyone, not SESAL's drafts.
    assert client.get(_url("plan:report_detail", records)).status_code == 200
    assert client.get(reverse("plan:report_detail", args=[records["draft"].pk])).status_code == 404


MANAGE_FORMS = ("plan:commitment_new", "plan:commitment_edit", "plan:indicator_new", "plan:indicator_edit")


@pytest.mark.parametrize("role", [r for r in ROLES if r != "coord"])
def test_management_forms_refuse_posts_of_everyone_but_the_coordinator(client, world, records, role):
    from mirps.plan.models import Commitment, Indicator, Plan

    client.force_login(getattr(world, role))
    before = (list(Commitment.objects.values()), list(Indicator.objects.values()), list(Plan.objects.values()))
    for name in MANAGE_FORMS:
        r = client.post(_url(name, records), {"code": "X99", "title_es": "x", "name_es": "x", "status": "reprioritised"})
        assert r.status_code == 404, (name, role)
    assert (list(Commitment.objects.values()), list(Indicator.objects.values()), list(Plan.objects.values())) == before
