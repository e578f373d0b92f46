"""The coordinator's management pages: commitments, indicators, publication, plan history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from mirps.accounts.models import Institution
from mirps.audit.models import AuditEvent
from mirps.plan.models import Commitment, CommitmentRevision, Indicator, Plan


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def _commitment_post(**kw):
    data = {
        "code": "p22", "title_es": "Atención psicosocial", "title_en": "Psychosocial care",
        "description_es": "", "description_en": "", "area": "protection", "pillar": "immediate",
        "responsible": Institution.objects.get(code="sesal").pk,
        "co_responsible": [Institution.objects.get(code="dinaf").pk, Institution.objects.get(code="sesal").pk],
        "status": "not_started", "start_date": "2023-01-01", "end_date": "2025-12-31",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def _commitment_state():
    return sorted(Commitment.objects.values_list("code", "title_es", "status", "active", "version"))


def test_coordinator_creates_a_commitment(client, world, pw):
    client.force_login(world.coord)
    url = reverse("plan:commitment_new") + f"?plan={pw['plan'].pk}"
    r = client.get(url)
    assert r.status_code == 200 and 'name="co_responsible"' in r.content.decode()
    r = client.post(url, _commitment_post())
    c = Commitment.objects.get(code="P22")  # the service upper-cases the code
    assert r.status_code == 302 and r["Location"] == reverse("plan:commitment_detail", args=[c.pk])
    assert c.plan == pw["plan"] and c.responsible.code == "sesal" and c.active
    # The responsible institution is not also co-responsible.
    assert [i.code for i in c.co_responsible.all()] == ["dinaf"]
    assert AuditEvent.objects.filter(action="create", object_type="commitment", object_id=str(c.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_date": "2022-06-30"}, "end_date", "The end must not be before the start."),
        ({"code": "P14"}, "code", "The plan already has a commitment with this code."),
        ({"title_es": ""}, "title_es", "This field is required."),
        ({"responsible": ""}, "responsible", "Choose the responsible institution."),
        ({"area": "health"}, "area", "Select a valid choice."),
        ({"start_date": "2023-02-30"}, "start_date", "Enter a valid date."),
    ],
)
def test_bad_commitment_gets_a_message_next_to_its_field_and_saves_nothing(client, world, pw, change, field, message):
    client.force_login(world.coord)
    before = _commitment_state()
    r = client.post(reverse("plan:commitment_new"), _commitment_post(**change))
    assert r.status_code == 200
    assert message in " ".join(r.context["form"].errors[field])
    assert f'id="err-{field}"' in r.content.decode()
    assert _commitment_state() == before


def test_coordinator_edits_and_reprioritises(client, world, pw):
    client.force_login(world.coord)
    p14, plan = pw["p14"], pw["plan"]
    url = reverse("plan:commitment_edit", args=[p14.pk])
    r = client.get(url)
    html = r.content.decode()
    assert r.status_code == 200 and 'value="P14"' in html and 'name="reason"' in html

    form = _commitment_post(code="P14", title_es="Salud mental de retornados", status="in_progress", active="on")
    r = client.post(url, form)
    assert r.status_code == 302
    p14.refresh_from_db()
    assert p14.title_es == "Salud mental de retornados" and p14.version == 2
    assert Plan.objects.get(pk=plan.pk).version == 1  # an edit is not a re-prioritisation

    # Re-prioritising without a reason: the service's message next to the field, nothing saved.
    r = client.post(url, {**form, "status": "reprioritised"})
    assert r.status_code == 200 and "Say why the commitment is re-prioritised." in r.context["form"].errors["reason"]
    p14.refresh_from_db()
    assert p14.status == "in_progress" and Plan.objects.get(pk=plan.pk).version == 1

    r = client.post(url, {**form, "status": "reprioritised", "reason": "Prioridades 2024"}, follow=True)
    assert "the plan is now version 2" in r.content.decode()
    p14.refresh_from_db()
    assert p14.status == "reprioritised" and p14.version == 3
    assert Plan.objects.get(pk=plan.pk).version == 2
    revs = list(CommitmentRevision.objects.filter(commitment=p14))
    assert [r.reason for r in revs] == ["Prioridades 2024", ""]
    assert revs[0].snapshot["status"] == "in_progress" and revs[0].plan_version == 1
    assert revs[1].snapshot["title_es"] == "Compromiso P14"

    # Taking it out of the plan version (unticking "active") also needs a reason.
    out = {k: v for k, v in form.items() if k != "active"}
    r = client.post(url, {**out, "status": "reprioritised"})
    assert "Say why the commitment is re-prioritised." in r.context["form"].errors["reason"]
    assert Commitment.objects.get(pk=p14.pk).active
    client.post(url, {**out, "status": "reprioritised", "reason": "Fuera del plan"})
    assert not Commitment.objects.get(pk=p14.pk).active and Plan.objects.get(pk=plan.pk).version == 3

    # The history is on the commitment page (what changed, the reason, the label of the old status)...
    html = client.get(reverse("plan:commitment_detail", args=[p14.pk])).content.decode()
    assert "Prioridades 2024" in html and "Fuera del plan" in html and "in the current plan version" in html
    assert "In progress" in html
    # ... and on the dashboard, with the plan version each change was made in.
    html = client.get(reverse("plan:dashboard")).content.decode()
    assert "Plan versions and revisions" in html and "Prioridades 2024" in html and "version 3" in html


def test_links_to_management_pages_only_for_the_coordinator(client, world, pw):
    p14 = pw["p14"]
    edit = reverse("plan:commitment_edit", args=[p14.pk])
    new = reverse("plan:commitment_new")
    for user, shown in ((world.coord, True), (world.focal, False), (world.partner, False)):
        client.force_login(user)
        detail = client.get(reverse("plan:commitment_detail", args=[p14.pk])).content.decode()
        listing = client.get(reverse("plan:commitment_list")).content.decode()
        dashboard = client.get(reverse("plan:dashboard")).content.decode()
        assert (edit in detail) is shown
        assert (reverse("plan:indicator_new", args=[p14.pk]) in detail) is shown
        assert (reverse("plan:indicator_edit", args=[pw["ind"].pk]) in detail) is shown
        assert (new in listing) is shown
        assert (reverse("plan:plan_publish", args=[pw["plan"].pk]) in dashboard) is shown


def test_focal_point_cannot_edit_even_their_own_institutions_commitment(client, world, pw):
    client.force_login(world.extra["focal_sedh"])
    p01 = pw["p01"]
    assert client.get(reverse("plan:commitment_edit", args=[p01.pk])).status_code == 404
    r = client.post(reverse("plan:commitment_edit", args=[p01.pk]), _commitment_post(code="P01", status="reprioritised", reason="x"))
    assert r.status_code == 404
    assert client.post(reverse("plan:indicator_new", args=[p01.pk]), {"name_es": "x"}).status_code == 404
    assert client.post(reverse("plan:indicator_edit", args=[pw["ind_sedh"].pk]), {"name_es": "x"}).status_code == 404
    assert Commitment.objects.get(pk=p01.pk).status == "in_progress" and Indicator.objects.count() == 3


def test_unknown_ids_are_404_for_the_coordinator(client, world, pw):
    client.force_login(world.coord)
    for name in ("plan:commitment_edit", "plan:indicator_new", "plan:indicator_edit"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert client.post(reverse("plan:plan_publish", args=[999999])).status_code == 404
    assert client.get(reverse("plan:commitment_new") + "?plan=999999").status_code == 404


def _indicator_post(**kw):
    data = {
        "name_es": "Personas con atención psicosocial", "name_en": "People with psychosocial care", "unit": "people",
        "baseline": "0", "target": "1,500", "target_date": "2026-12-31", "direction": "increase",
        "by_sex": "on", "by_department": "on", "source": "reported", "metric": "",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def test_coordinator_creates_and_edits_an_indicator(client, world, pw):
    client.force_login(world.coord)
    p01 = pw["p01"]
    r = client.post(reverse("plan:indicator_new", args=[p01.pk]), _indicator_post())
    assert r.status_code == 302 and r["Location"] == reverse("plan:commitment_detail", args=[p01.pk])
    ind = Indicator.objects.get(name_es="Personas con atención psicosocial")
    assert ind.commitment == p01 and ind.target == Decimal("1500") and ind.by_sex and ind.by_department and not ind.by_age

    url = reverse("plan:indicator_edit", args=[ind.pk])
    r = client.get(url)
    assert r.status_code == 200 and 'value="2026-12-31"' in r.content.decode()
    r = client.post(url, _indicator_post(
        name_es="Llegadas tamizadas", unit="arrivals", source="computed", metric="arrivals_screened",
        by_sex=None, by_department=None,
    ))
    assert r.status_code == 302
    ind.refresh_from_db()
    assert ind.source == "computed" and ind.metric == "arrivals_screened" and not ind.by_sex
    assert AuditEvent.objects.filter(object_type="indicator", object_id=str(ind.pk)).count() == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"target": "0"}, "target", "The target must differ from the baseline."),
        ({"target": "abc"}, "target", "Enter a number."),
        ({"baseline": "10", "target": "5"}, "target", "the target must be above the baseline"),
        ({"source": "computed"}, "metric", "Choose the registration metric"),
        ({"metric": "repeat_returns"}, "metric", "Only an indicator computed from the registration data has a metric."),
        ({"target_date": ""}, "target_date", "Enter a valid date."),
        ({"unit": ""}, "unit", "This field is required."),
    ],
)
def test_bad_indicator_gets_a_message_and_saves_nothing(client, world, pw, change, field, message):
    client.force_login(world.coord)
    r = client.post(reverse("plan:indicator_new", args=[pw["p01"].pk]), _indicator_post(**change))
    assert r.status_code == 200
    assert message in " ".join(r.context["form"].errors[field])
    assert Indicator.objects.count() == 3


def test_edit_keeps_indicator_when_input_is_bad(client, world, pw):
    client.force_login(world.coord)
    ind = pw["ind"]
    r = client.post(reverse("plan:indicator_edit", args=[ind.pk]), _indicator_post(baseline="100", target="100"))
    assert "The target must differ from the baseline." in r.context["form"].errors["target"]
    ind.refresh_from_db()
    assert ind.name_es == "Personas atendidas" and ind.target == Decimal("100") and ind.baseline == Decimal("0")


def test_publish_toggles_is_audited_and_reaches_the_public_page(client, world, pw):
    plan = pw["plan"]
    Plan.objects.filter(pk=plan.pk).update(published=False)
    url = reverse("plan:plan_publish", args=[plan.pk])
    titles = (plan.title_es, plan.title_en)
    r = client.get(reverse("public:home"))
    assert r.status_code == 200 and not any(t in r.content.decode() for t in titles)

    client.force_login(world.coord)
    assert client.get(url).status_code == 405  # POST only
    r = client.post(url, {"published": "1"})
    assert r.status_code == 302 and r["Location"] == reverse("plan:dashboard") + f"?plan={plan.pk}"
    assert Plan.objects.get(pk=plan.pk).published
    html = client.get(reverse("plan:dashboard")).content.decode()
    assert "Take the plan off the public page" in html
    client.logout()
    assert any(t in client.get(reverse("public:home")).content.decode() for t in titles)

    client.force_login(world.coord)
    client.post(url, {"published": "0"})
    assert not Plan.objects.get(pk=plan.pk).published
    events = AuditEvent.objects.filter(object_type="plan", object_id=str(plan.pk), action="update").order_by("pk")
    assert [e.detail for e in events] == [
        {"fields": ["published"], "published": True}, {"fields": ["published"], "published": False},
    ]
    assert all(e.actor_id == world.coord.pk for e in events)

    client.force_login(world.partner)
    assert client.post(url, {"published": "1"}).status_code == 404
    assert not Plan.objects.get(pk=plan.pk).published
