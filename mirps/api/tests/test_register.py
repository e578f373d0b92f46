"""POST /arrivals: registration through the same service as the form, idempotent on client_uuid."""

from __future__ import annotations

import uuid

from mirps.api.tests.conftest import registration_body
from mirps.audit.models import AuditEvent
from mirps.core.testing import person_input, register
from mirps.registration.models import Arrival, Person


def test_register_creates_arrival_and_answers_201(world, api):
    body = registration_body()
    r = api.post(world.reg_sps, "/arrivals", body)
    assert r.status_code == 201, r.content
    data = r.json()
    arrival = Arrival.objects.get(pk=data["id"])
    assert data["client_uuid"] == body["client_uuid"] == str(arrival.client_uuid)
    assert data["person"]["dni"] == "0501199512345" and data["sequence"] == 1
    assert data["reception_point"]["code"] == "camr-sps" and data["need_level"] == "none"
    assert [t["code"] for t in data["reasons"]] == ["unemployment"]
    assert r["Cache-Control"] == "no-store"


def test_same_submission_twice_is_one_arrival_and_200(world, api):
    body = registration_body()
    first = api.post(world.reg_sps, "/arrivals", body)
    second = api.post(world.reg_sps, "/arrivals", body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Arrival.objects.count() == 1 and Person.objects.count() == 1


def test_same_client_uuid_with_other_content_is_409(world, api):
    body = registration_body()
    assert api.post(world.reg_sps, "/arrivals", body).status_code == 201
    altered = registration_body(client_uuid=body["client_uuid"], arrival__months_abroad=12)
    altered["arrival"]["arrived_at"] = body["arrival"]["arrived_at"]
    r = api.post(world.reg_sps, "/arrivals", altered, lang="en")
    assert r.status_code == 409 and "client_uuid" in r.json()["detail"]
    assert Arrival.objects.count() == 1


def test_client_uuid_of_another_registrar_is_409(world, api):
    body = registration_body()
    assert api.post(world.reg_sps, "/arrivals", body).status_code == 201
    omoa = registration_body(client_uuid=body["client_uuid"], arrival__reception_point="camr-omoa")
    assert api.post(world.reg_omoa, "/arrivals", omoa).status_code == 409


def test_registration_is_audited_once_by_the_service(world, api):
    r = api.post(world.reg_sps, "/arrivals", registration_body())
    events = AuditEvent.objects.filter(object_type="arrival", object_id=r.json()["id"])
    assert [(e.action, e.channel) for e in events] == [("create", "api")]


def test_second_return_attaches_to_earlier_person(world, api):
    first = register(world.reg_sps, person=person_input())
    body = registration_body(
        person=...,
        person_id=str(first.person_id),
        arrival__reception_point="camr-omoa",
        arrival__entry_point="",
        arrival__modality="land",
        arrival__country_from="MX",
    )
    r = api.post(world.reg_omoa, "/arrivals", body)
    assert r.status_code == 201, r.content
    assert r.json()["sequence"] == 2 and r.json()["person"]["id"] == str(first.person_id)
    assert Person.objects.count() == 1


def test_person_and_person_id_together_is_422(world, api):
    first = register(world.reg_sps, person=person_input())
    r = api.post(world.reg_sps, "/arrivals", registration_body(person_id=str(first.person_id)))
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "payload", "person"]


def test_neither_person_nor_person_id_is_422(world, api):
    r = api.post(world.reg_sps, "/arrivals", registration_body(person=...))
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["detail"]] == [["body", "payload", "person"]]


def test_unknown_person_id_is_422_not_a_leak(world, api):
    r = api.post(world.reg_sps, "/arrivals", registration_body(person=..., person_id=str(uuid.uuid4())))
    assert r.status_code == 422
    assert Arrival.objects.count() == 0


def test_family_travel_creates_group_and_members_join_it(world, api):
    first = api.post(world.reg_sps, "/arrivals", registration_body(arrival__travel_mode="family_unit")).json()
    group = first["family_group_id"]
    assert group
    child = registration_body(
        person={"given_names": "Kevin", "surname1": "Hernández", "sex": "M", "birth_date": "2015-02-01"},
        family_group_id=group,
        arrival__travel_mode="family_unit",
    )
    r = api.post(world.reg_sps, "/arrivals", child)
    assert r.status_code == 201 and r.json()["family_group_id"] == group
    elsewhere = registration_body(family_group_id=group, arrival__reception_point="camr-omoa", person__dni=...)
    elsewhere["person"]["document_situation"] = "none"
    r = api.post(world.reg_omoa, "/arrivals", elsewhere)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "payload", "family_group_id"]


def test_registrar_cannot_register_at_another_site(world, api):
    r = api.post(world.reg_sps, "/arrivals", registration_body(arrival__reception_point="camr-omoa"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "payload", "arrival", "reception_point"]
