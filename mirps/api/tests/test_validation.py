"""Bad input answers 422 with a message per field, in the caller's language; never a 500."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from mirps.api.tests.conftest import registration_body
from mirps.registration.models import Arrival, Person


def _errors(response) -> dict[tuple, str]:
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}


def _post(api, world, lang: str | None = None, **overrides: Any):
    return api.post(world.reg_sps, "/arrivals", registration_body(**overrides), lang=lang)


PERSON = ("body", "payload", "person")
ARRIVAL = ("body", "payload", "arrival")
SCREENING = ("body", "payload", "screening")


def test_dni_of_wrong_length(world, api):
    errors = _errors(_post(api, world, lang="en", person__dni="05011995123"))
    assert "13" in errors[(*PERSON, "dni")]


def test_unknown_municipality(world, api):
    errors = _errors(_post(api, world, lang="en", arrival__destination="9999"))
    assert "9999" in errors[(*ARRIVAL, "destination")]


def test_arrival_in_the_future(world, api):
    future = (timezone.now() + timedelta(days=1)).isoformat(timespec="seconds")
    errors = _errors(_post(api, world, lang="en", arrival__arrived_at=future))
    assert "future" in errors[(*ARRIVAL, "arrived_at")]


def test_adult_as_unaccompanied_child(world, api):
    errors = _errors(_post(api, world, lang="en", arrival__travel_mode="unaccompanied_child"))
    assert "18" in errors[(*ARRIVAL, "travel_mode")]
    assert Arrival.objects.count() == 0 and Person.objects.count() == 0


def test_oversized_name_is_refused_by_the_schema(world, api):
    errors = _errors(_post(api, world, lang="en", person__given_names="A" * 101))
    assert "100" in errors[(*PERSON, "given_names")]


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "<b>José</b>", "=HYPERLINK(\"x\")"])
def test_html_or_formula_in_name(world, api, name):
    errors = _errors(_post(api, world, lang="en", person__surname1=name))
    assert "letters" in errors[(*PERSON, "surname1")]


def test_several_errors_are_reported_together(world, api):
    errors = _errors(
        _post(api, world, person__dni="123", arrival__destination="9999", arrival__country_from="ZZ")
    )
    assert {(*PERSON, "dni"), (*ARRIVAL, "destination"), (*ARRIVAL, "country_from")} <= set(errors)


def test_messages_follow_accept_language(world, api):
    es = _errors(_post(api, world, person__given_names="A" * 101))[(*PERSON, "given_names")]
    en = _errors(_post(api, world, lang="en", person__given_names="A" * 101))[(*PERSON, "given_names")]
    assert es != en
    assert "caracteres" in es and "characters" in en


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"arrival__arrived_at": 1700000000}, (*ARRIVAL, "arrived_at")),  # not a timestamp
        ({"arrival__arrived_at": "2024-01-01T10:00:00"}, (*ARRIVAL, "arrived_at")),  # no offset
        ({"arrival__arrived_at": "2024-01-01"}, (*ARRIVAL, "arrived_at")),
        ({"arrival__arrived_at": "0001-01-01T00:00:00+14:00"}, (*ARRIVAL, "arrived_at")),  # overflow
        ({"arrival__arrived_at": "9999-12-31T23:59:59-12:00"}, (*ARRIVAL, "arrived_at")),
        ({"person__birth_date": "14/03/1995"}, (*PERSON, "birth_date")),
        ({"person__birth_date": "1995-02-30"}, (*PERSON, "birth_date")),
        ({"person__birth_date": 795139200}, (*PERSON, "birth_date")),
        ({"person__sex": "X"}, (*PERSON, "sex")),
        ({"arrival__modality": "AIR"}, (*ARRIVAL, "modality")),
        ({"person__wg_seeing": True}, (*PERSON, "wg_seeing")),
        ({"person__wg_seeing": 5}, (*PERSON, "wg_seeing")),
        ({"arrival__months_abroad": "12"}, (*ARRIVAL, "months_abroad")),
        ({"arrival__months_abroad": 12.5}, (*ARRIVAL, "months_abroad")),
        ({"arrival__months_abroad": 10**40}, (*ARRIVAL, "months_abroad")),
        ({"screening__consent_registration": "true"}, (*SCREENING, "consent_registration")),
        ({"screening__consent_registration": ...}, (*SCREENING, "consent_registration")),
        ({"screening__nickname": "x"}, (*SCREENING, "nickname")),  # misspelt fields are not dropped
        ({"arrival__stay_address": "casa\x00 12"}, (*ARRIVAL, "stay_address")),
        ({"person__phone": "9999\n0000"}, (*PERSON, "phone")),
        ({"screening__violence_narrative": "x" * 4001}, (*SCREENING, "violence_narrative")),
        ({"arrival__reasons": ["x" * 21]}, (*ARRIVAL, "reasons", 0)),
        ({"arrival__reasons": ["unemployment"] * 101}, (*ARRIVAL, "reasons")),
        ({"arrival__reasons": "unemployment"}, (*ARRIVAL, "reasons")),
        ({"person__documents": [{"kind": "passport", "number": "X1"}] * 6}, (*PERSON, "documents")),
        ({"client_uuid": "not-a-uuid"}, ("body", "payload", "client_uuid")),
        ({"client_uuid": ...}, ("body", "payload", "client_uuid")),
    ],
)
def test_schema_refuses_malformed_values(world, api, overrides, loc):
    errors = _errors(_post(api, world, **overrides))
    assert loc in errors, errors
    assert all(msg for msg in errors.values())
    assert Arrival.objects.count() == 0


def test_multiline_text_keeps_line_breaks(world, api):
    r = _post(api, world, screening__violence_narrative="first line\r\nsecond\tline", screening__health_notes="a\nb")
    assert r.status_code == 201, r.content


def test_unknown_term_code_is_reported_by_the_service(world, api):
    errors = _errors(_post(api, world, lang="en", arrival__reasons=["unemployment", "nope"]))
    assert "nope" in errors[(*ARRIVAL, "reasons")]


def test_lone_surrogate_is_refused(world, api, client):
    body = '{"client_uuid": "6f1c8a9e-1d7b-4c3e-9a51-2b8f0e6d4c11", "person": {"given_names": "\\ud800"}}'
    r = client.post(
        "/api/v1/arrivals", body, content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(world.reg_sps)}"},
    )
    assert r.status_code == 422


@pytest.mark.parametrize("body", ["{not json", "[]", "null", '"text"', "\xff\xfe"])
def test_malformed_body_is_4xx(world, api, client, body):
    r = client.post(
        "/api/v1/arrivals", body, content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(world.reg_sps)}"},
    )
    assert r.status_code in (400, 422)
    assert isinstance(r.json()["detail"], str | list)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "yesterday"},
        {"date_from": "2024-13-01"},
        {"date_to": "0001-01-01"},
        {"need_level": "high"},
        {"q": "x" * 101},
        {"q": "a\x00b"},
        {"page": "two"},
    ],
)
def test_list_filters_are_validated(world, api, params):
    r = api.get(world.reg_sps, "/arrivals", **params)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/persons", {}),
        ("/persons", {"q": "a"}),
        ("/persons/candidates", {"birth_date": "1995-3-14"}),
        ("/persons/candidates", {"surname1": "x" * 61}),
        ("/persons/not-a-uuid", {}),
        ("/arrivals/not-a-uuid", {}),
        ("/reference/not_a_vocabulary", {}),
    ],
)
def test_other_parameters_are_validated(world, api, path, params):
    assert api.get(world.reg_sps, path, **params).status_code == 422
