"""Meetings: services, follow-up permissions (three institutions), pages, access matrix, demo."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from mirps.accounts.models import Institution, Role
from mirps.audit.models import AuditEvent
from mirps.core.testing import make_user, url_names
from mirps.meetings import services
from mirps.meetings.demo import seed_demo
from mirps.meetings.models import Agreement, FollowUpNote, Meeting

ROLES = ["reg_sps", "reg_omoa", "reg_belen", "po_sedh", "po_dinaf", "po_sesal", "remote", "focal", "partner", "coord", "admin"]


def orgs(*codes: str) -> list[Institution]:
    return list(Institution.objects.filter(code__in=codes))


@pytest.fixture
def meeting(world):
    coord = world.actor(world.coord)
    m = services.meeting_create(actor=coord, date=date(2022, 9, 29), title_es="Reunión", title_en="Meeting", participants=orgs("sesal", "acnur"))
    a1 = services.agreement_create(actor=coord, meeting=m, text_es="Acuerdo de salud", responsible=orgs("sesal"), due_date=date(2022, 12, 1))
    a2 = services.agreement_create(actor=coord, meeting=m, text_es="Acuerdo del ACNUR", responsible=orgs("acnur"))
    return {"meeting": m, "health": a1, "unhcr": a2}


def test_coordinator_creates_meeting_and_numbered_agreements(world, meeting):
    m = meeting["meeting"]
    assert [a.number for a in m.agreements.all()] == [1, 2]
    assert set(m.participants.values_list("code", flat=True)) == {"sesal", "acnur"}
    assert AuditEvent.objects.filter(object_type="agreement", action="create").count() == 2
    assert not m.published


@pytest.mark.parametrize("role", ["focal", "partner", "reg_sps", "po_sedh", "admin"])
def test_only_coordinator_creates(world, role):
    actor = world.actor(getattr(world, role))
    with pytest.raises(Http404):
        services.meeting_create(actor=actor, date=date(2022, 9, 29), title_es="x")
    assert not Meeting.objects.exists()


def test_bad_input_gets_clear_messages_and_saves_nothing(world, meeting):
    coord = world.actor(world.coord)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(actor=coord, date=None, title_es="  ", title_en="x" * 301)
    assert set(exc.value.message_dict) == {"date", "title_es", "title_en"}
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(
            actor=coord, meeting=meeting["meeting"], text_es="", responsible=[], due_date=date(2020, 1, 1), status="bogus"
        )
    assert set(exc.value.message_dict) == {"text_es", "responsible", "due_date", "status"}
    assert Meeting.objects.count() == 1 and Agreement.objects.count() == 2


def test_responsible_focal_point_and_partner_follow_up_their_agreements_only(world, meeting):
    health, unhcr = meeting["health"], meeting["unhcr"]
    focal, partner = world.actor(world.focal), world.actor(world.partner)
    services.agreement_status_set(actor=focal, agreement=health, status="in_progress", note="Avance")
    services.followup_note_add(actor=partner, agreement=unhcr, text="Seguimiento")
    health.refresh_from_db()
    assert health.status == "in_progress"
    assert list(FollowUpNote.objects.values_list("text", flat=True).order_by("id")) == ["Avance", "Seguimiento"]
    # Each is a stranger to the other's agreement, and so is a focal point of a third institution.
    sedh_focal = world.actor(make_user("focal_sedh", Role.FOCAL_POINT, "sedh"))
    for actor, agreement in ((focal, unhcr), (partner, health), (sedh_focal, health), (world.actor(world.po_sesal), health)):
        with pytest.raises(Http404):
            services.agreement_status_set(actor=actor, agreement=agreement, status="done")
        with pytest.raises(Http404):
            services.followup_note_add(actor=actor, agreement=agreement, text="x")
    assert FollowUpNote.objects.count() == 2
    # The coordinator follows up any agreement.
    services.agreement_status_set(actor=world.actor(world.coord), agreement=unhcr, status="done")


def test_status_and_note_validation(world, meeting):
    focal = world.actor(world.focal)
    with pytest.raises(ValidationError) as exc:
        services.agreement_status_set(actor=focal, agreement=meeting["health"], status="nope", note="y" * 2001)
    assert set(exc.value.message_dict) == {"status", "note"}
    with pytest.raises(ValidationError):
        services.followup_note_add(actor=focal, agreement=meeting["health"], text="   ")
    assert not FollowUpNote.objects.exists()


def test_detail_page_shows_agreements_and_forms_only_where_allowed(client, world, meeting):
    m = meeting["meeting"]
    client.force_login(world.focal)
    body = client.get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert "Acuerdo de salud" in body and "Acuerdo del ACNUR" in body
    assert reverse("meetings:agreement_status", args=[meeting["health"].pk]) in body
    assert reverse("meetings:agreement_status", args=[meeting["unhcr"].pk]) not in body
    assert reverse("meetings:publish", args=[m.pk]) not in body


def test_post_views(client, world, meeting):
    health = meeting["health"]
    client.force_login(world.focal)
    r = client.post(reverse("meetings:agreement_status", args=[health.pk]), {"status": "done", "note": "<b>hecho</b>"})
    assert r.status_code == 302
    health.refresh_from_db()
    assert health.status == "done"
    body = client.get(reverse("meetings:detail", args=[health.meeting_id])).content.decode()
    assert "&lt;b&gt;hecho&lt;/b&gt;" in body
    r = client.post(reverse("meetings:note_add", args=[health.pk]), {"text": ""}, follow=True)
    assert r.status_code == 200 and FollowUpNote.objects.count() == 1
    client.force_login(world.coord)
    r = client.post(reverse("meetings:create"), {"date": "2023-01-10", "title_es": "Segunda", "participants": [i.pk for i in orgs("bid")]})
    assert r.status_code == 302
    m2 = Meeting.objects.get(title_es="Segunda")
    r = client.post(reverse("meetings:agreement_create", args=[m2.pk]), {"text_es": "Hacer", "responsible": [i.pk for i in orgs("bid")], "status": "pending", "due_date": "2022-01-01"})
    assert r.status_code == 422 and "due_date" in r.context["form"].errors
    client.post(reverse("meetings:publish", args=[m2.pk]), {"published": "1"})
    m2.refresh_from_db()
    assert m2.published



GET_MATRIX: dict[str, dict[str, int]] = {
    "meetings:list": dict.fromkeys(ROLES, 200),
    "meetings:detail": dict.fromkeys(ROLES, 200),
    "meetings:create": {r: 200 if r == "coord" else 404 for r in ROLES},
    "meetings:agreement_create": {r: 200 if r == "coord" else 404 for r in ROLES},
}
# POST-only: expected status of a POST on the sesal agreement (focal point of sesal is responsible).
POST_MATRIX: dict[str, dict[str, int]] = {
    "meetings:publish": {r: 302 if r == "coord" else 404 for r in ROLES},
    "meetings:agreement_status": {r: 302 if r in {"coord", "focal"} else 404 for r in ROLES},
    "meetings:note_add": {r: 302 if r in {"coord", "focal"} else 404 for r in ROLES},
}


def test_every_meetings_url_is_in_the_matrix():
    names = url_names("meetings:")
    assert names == set(GET_MATRIX) | set(POST_MATRIX)


def _url(name: str, meeting) -> str:
    if name in {"meetings:detail", "meetings:agreement_create", "meetings:publish"}:
        return reverse(name, args=[meeting["meeting"].pk])
    if name in {"meetings:agreement_status", "meetings:note_add"}:
        return reverse(name, args=[meeting["health"].pk])
    return reverse(name)


@pytest.mark.parametrize("name", list(GET_MATRIX))
def test_get_matrix(client, world, meeting, name):
    got = {}
    for role in ROLES:
        client.force_login(getattr(world, role))
        got[role] = client.get(_url(name, meeting)).status_code
    assert got == GET_MATRIX[name]


@pytest.mark.parametrize("name", list(POST_MATRIX))
def test_post_matrix(client, world, meeting, name):
    data = {"status": "in_progress", "text": "nota", "published": "1"}
    got = {}
    for role in ROLES:
        client.force_login(getattr(world, role))
        got[role] = client.post(_url(name, meeting), data).status_code
    assert got == POST_MATRIX[name]


@pytest.mark.parametrize("name", [*GET_MATRIX, *POST_MATRIX])
def test_anonymous_is_sent_to_login(client, meeting, name):
    r = client.get(_url(name, meeting))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_demo_meeting_with_six_agreements(world):
    counts = seed_demo(rng=random.Random(3), coordinator=world.coord)
    assert counts["meetings"] == 1 and counts["agreements"] == 6 and counts["notes"] >= 3
    m = Meeting.objects.get()
    assert m.date == date(2022, 9, 29) and m.published
    assert m.participants.count() == 28
    texts = list(m.agreements.values_list("text_en", flat=True))
    assert texts[2] == "Follow up through UNHCR and UN WOMEN to the Women's Secretariat."
    assert set(m.agreements.get(number=3).responsible.values_list("code", flat=True)) == {"acnur", "onu-mujeres", "semujer"}
    assert all(a.responsible.exists() and a.text_es for a in m.agreements.all())
    assert seed_demo(rng=random.Random(3), coordinator=world.coord)["meetings"] == 0
