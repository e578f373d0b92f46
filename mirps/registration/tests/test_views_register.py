from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils import timezone

from mirps.audit.models import AuditEvent
from mirps.core.testing import person_input, register, screening_input
from mirps.registration.models import Arrival, Person, RegistrationDraft


def _post_data(**kw):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "document_situation": "dni",
        "dni": "0801-1990-00077",
        "given_names": "María José",
        "surname1": "Núñez",
        "surname2": "Reyes",
        "sex": "F",
        "birth_date": "1990-05-02",
        "nationality": "HN",
        "ethnicity": "none",
        "arrived_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "reception_point": "camr-sps",
        "entry_point": "rvm-airport",
        "modality": "air",
        "country_from": "US",
        "return_type": "deported",
        "travel_mode": "alone",
        "destination": "0801",
        "reasons": ["unemployment", "violence"],
        "consent_registration": "on",
    }
    data.update(kw)
    return data


def test_register_page_renders_for_registrar(client, world):
    client.force_login(world.reg_sps)
    r = client.get(reverse("registration:register"))
    assert r.status_code == 200
    assert b'name="client_uuid"' in r.content


def test_register_page_is_404_for_partner(client, world):
    client.force_login(world.partner)
    assert client.get(reverse("registration:register")).status_code == 404


def test_register_post_creates_arrival_and_shows_need(client, world):
    client.force_login(world.reg_sps)
    data = _post_data(fear_of_return="on", violence_types=["threat"], perpetrator_types=["gang"])
    r = client.post(reverse("registration:register"), data)
    assert r.status_code == 302
    a = Arrival.objects.get()
    assert a.need_level == "urgent"
    page = client.get(r["Location"])
    assert page.status_code == 200
    assert "Amenazas".lower() in page.content.decode().lower() or b"threat" in page.content.lower()


def test_double_submit_creates_one_arrival(client, world):
    client.force_login(world.reg_sps)
    data = _post_data()
    r1 = client.post(reverse("registration:register"), data)
    r2 = client.post(reverse("registration:register"), data)
    assert r1.status_code == r2.status_code == 302 and r1["Location"] == r2["Location"]
    assert Arrival.objects.count() == 1


def test_bad_dni_shows_message_and_saves_nothing(client, world):
    client.force_login(world.reg_sps)
    r = client.post(reverse("registration:register"), _post_data(dni="123"))
    assert r.status_code == 200
    assert "13" in r.content.decode()
    assert Person.objects.count() == 0


def test_script_in_name_is_rejected_and_escaped_on_the_page(client, world):
    client.force_login(world.reg_sps)
    r = client.post(reverse("registration:register"), _post_data(given_names="<script>alert(1)</script>"))
    assert r.status_code == 200
    assert b"<script>alert(1)</script>" not in r.content
    assert Person.objects.count() == 0


def test_candidates_suggest_earlier_registration_by_dni(client, world):
    earlier = register(world.reg_omoa, person=person_input(), arrival=None) if False else None
    from mirps.core.testing import arrival_input

    earlier = register(world.reg_omoa, person=person_input(), arrival=arrival_input(reception_point="camr-omoa"))
    client.force_login(world.reg_sps)
    r = client.get(reverse("registration:candidates"), {"dni": "0501-1995-12345"})
    assert r.status_code == 200
    assert str(earlier.person_id).encode() in r.content
    assert AuditEvent.objects.filter(action="search", detail__lookup="candidates").exists()


def test_attach_to_earlier_person_gives_second_return(client, world):
    from mirps.core.testing import arrival_input

    earlier = register(world.reg_omoa, person=person_input(), arrival=arrival_input(reception_point="camr-omoa"))
    client.force_login(world.reg_sps)
    assert client.get(reverse("registration:register"), {"person": earlier.person_id}).status_code == 200
    r = client.post(reverse("registration:register"), _post_data(person_id=str(earlier.person_id), given_names="", surname1="", sex=""))
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Arrival.objects.filter(person=earlier.person).count() == 2
    assert Person.objects.count() == 1


def test_family_flow_links_members_in_one_group(client, world):
    client.force_login(world.reg_sps)
    r = client.post(reverse("registration:register"), _post_data(travel_mode="family_unit"))
    first = Arrival.objects.get()
    assert first.family_group_id
    page = client.get(reverse("registration:register"), {"family": first.family_group_id})
    assert page.status_code == 200 and str(first.family_group_id).encode() in page.content
    r = client.post(
        reverse("registration:register"),
        _post_data(family_group=str(first.family_group_id), travel_mode="family_unit", dni="", document_situation="none",
                   given_names="Ana", birth_date="2015-01-01"),
    )
    assert r.status_code == 302
    assert Arrival.objects.filter(family_group=first.family_group).count() == 2


def test_draft_autosave_and_resume_only_by_author(client, world):
    client.force_login(world.reg_sps)
    r = client.post(reverse("registration:draft_save"), {"given_names": "Pedro", "surname1": "Zúniga"})
    assert r.status_code == 200
    draft = RegistrationDraft.objects.get()
    assert client.get(reverse("registration:register"), {"draft": draft.pk}).content.count(b"Z\xc3\xbaniga") >= 1
    client.force_login(world.reg_omoa)
    assert client.get(reverse("registration:register"), {"draft": draft.pk}).status_code == 404


def test_registrar_sees_no_sensitive_fields_protection_officer_does(client, world):
    a = register(world.reg_sps, person=person_input(phone="SENTINEL-PHONE"), screening=screening_input(
        fear_of_return=True, violence_types=["threat"], violence_narrative="SENTINEL-NARRATIVE"))
    url = reverse("registration:arrival_detail", args=[a.pk])
    client.force_login(world.reg_sps)
    body = client.get(url).content
    assert b"SENTINEL-NARRATIVE" not in body and b"Colonia Rivera" not in body
    body = client.get(reverse("registration:person_detail", args=[a.person_id])).content
    assert b"SENTINEL-PHONE" not in body
    client.force_login(world.po_sedh)
    body = client.get(url).content
    assert b"SENTINEL-NARRATIVE" in body and b"Colonia Rivera" in body


def test_stranger_gets_404_on_arrival_and_person(client, world):
    a = register(world.reg_sps, person=person_input())
    for user in (world.reg_omoa, world.reg_belen, world.po_sesal, world.partner, world.coord, world.admin, world.focal, world.remote):
        client.force_login(user)
        assert client.get(reverse("registration:arrival_detail", args=[a.pk])).status_code == 404, user.username
        assert client.get(reverse("registration:person_detail", args=[a.person_id])).status_code == 404, user.username


def test_protection_officer_takes_followup(client, world):
    a = register(world.reg_sps, person=person_input(), screening=screening_input(fear_of_return=True, violence_types=["extortion"]))
    client.force_login(world.po_dinaf)
    assert client.post(reverse("registration:followup_take", args=[a.pk])).status_code == 404
    client.force_login(world.po_sedh)
    assert a.pk in [x.pk for x in client.get(reverse("registration:followup_queue")).context["rows"]]
    assert client.post(reverse("registration:followup_take", args=[a.pk])).status_code == 302
    a.refresh_from_db()
    assert a.follow_up_status == "taken"


def test_arrival_list_shows_only_own_reception_point(client, world):
    from mirps.core.testing import arrival_input

    mine = register(world.reg_sps, person=person_input())
    other = register(world.reg_omoa, person=person_input(dni="0801199000001", given_names="Carlos"), arrival=arrival_input(reception_point="camr-omoa"))
    client.force_login(world.reg_sps)
    rows = client.get(reverse("registration:arrival_list")).context["rows"]
    assert [r.pk for r in rows] == [mine.pk]
    assert other.pk not in [r.pk for r in rows]
