"""The sensitive field group never leaves the API for a role without the SENSITIVE capability.

Sentinel values go into every sensitive field at registration; then every personal endpoint is
read as the registrar (who may not see them) and as the competent protection officer (who may).
"""

from __future__ import annotations

from typing import Any

import pytest

from mirps.api.tests.conftest import registration_body
from mirps.registration.models import Arrival

SENTINELS = {
    "phone": "+504 SENTINEL-PH0NE",
    "email": "sentinel-mail-q7x@example.org",
    "stay_address": "SENTINEL-STAY-ADDRESS-9k2",
    "violence_narrative": "SENTINEL-NARRATIVE-4h1\nsecond line",
    "health_notes": "SENTINEL-HEALTH-NOTES-8v5",
}
# Coded sensitive values, with their labels in both languages.
CODED = [
    "extortion", "Extorsión", "Extortion", "kidnapping", "Secuestro", "Kidnapping",
    "organised_crime", "Crimen organizado", "Organised crime",
]
FEAR_MUNICIPALITY = ("0801", "Distrito Central")
# The field names of the sensitive group: none may appear as a key in a basic response.
SENSITIVE_KEYS = {
    "phone", "email", "stay_address", "violence_types", "perpetrator_types", "violence_narrative",
    "health_notes", "sgbv_disclosed", "lgbtiq", "fear_municipality", "need_reasons",
    "fear_of_return", "displaced_before", "specific_needs",
}


def _strings(value: Any) -> list[str]:
    """Every key and string value of a JSON document, decoded (no escapes to hide behind)."""
    if isinstance(value, dict):
        return [*value, *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _leaks(response, values: list[str]) -> list[str]:
    strings = _strings(response.json())
    raw = response.content.decode()
    return [v for v in values if v in raw or any(v in s for s in strings)]


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.fixture
def sentinel_body() -> dict[str, Any]:
    return registration_body(
        person__phone=SENTINELS["phone"],
        person__email=SENTINELS["email"],
        arrival__stay_address=SENTINELS["stay_address"],
        screening={
            "consent_registration": True,
            "fear_of_return": True,
            "fear_municipality": FEAR_MUNICIPALITY[0],
            "violence_types": ["extortion", "kidnapping"],
            "perpetrator_types": ["organised_crime"],
            "violence_narrative": SENTINELS["violence_narrative"],
            "health_notes": SENTINELS["health_notes"],
            "sgbv_disclosed": True,
            "lgbtiq": "lgbtiq",
        },
    )


def _personal_responses(api, user, arrival_id: str, person_id: str, replay: dict[str, Any]) -> list:
    responses = [
        api.get(user, "/arrivals"),
        api.get(user, "/arrivals", q="Hernández", need_level="urgent"),
        api.get(user, f"/arrivals/{arrival_id}"),
        api.get(user, "/persons", q="Hernández"),
        api.get(user, f"/persons/{person_id}"),
        api.get(user, "/persons/candidates", dni="0501199512345", given_names="José", surname1="Hernández"),
        api.get(user, "/follow-up"),
        api.get(user, "/follow-up", status="all"),
        api.post(user, "/arrivals", replay),
    ]
    for lang in ("en", "es"):
        responses.append(api.get(user, f"/arrivals/{arrival_id}", lang=lang))
    return responses


def test_registrar_never_receives_sensitive_fields(world, api, sentinel_body):
    created = api.post(world.reg_sps, "/arrivals", sentinel_body)
    assert created.status_code == 201
    arrival = Arrival.objects.get(pk=created.json()["id"])
    assert arrival.need_level == "urgent" and arrival.follow_up_institution.code == "sedh"
    assert arrival.screening.violence_narrative == SENTINELS["violence_narrative"]  # it was stored

    responses = [created, *_personal_responses(api, world.reg_sps, str(arrival.pk), str(arrival.person_id), sentinel_body)]
    read = [r for r in responses if r.status_code == 200]
    assert len(read) >= 8  # all but the follow-up queue, which registrars do not have
    for r in responses:
        assert _leaks(r, [*SENTINELS.values(), *CODED, FEAR_MUNICIPALITY[1]]) == [], r.request["PATH_INFO"]
        assert not (_keys(r.json()) & SENSITIVE_KEYS), r.request["PATH_INFO"]
    assert created.json()["view"] == "basic"


def test_competent_protection_officer_sees_sensitive_fields(world, api, sentinel_body):
    created = api.post(world.reg_sps, "/arrivals", sentinel_body).json()
    detail = api.get(world.po_sedh, f"/arrivals/{created['id']}").json()
    assert detail["view"] == "sensitive"
    assert detail["stay_address"] == SENTINELS["stay_address"]
    assert detail["person"]["phone"] == SENTINELS["phone"] and detail["person"]["email"] == SENTINELS["email"]
    screening = detail["screening"]
    assert screening["violence_narrative"] == SENTINELS["violence_narrative"]
    assert screening["health_notes"] == SENTINELS["health_notes"]
    assert {t["code"] for t in screening["violence_types"]} == {"extortion", "kidnapping"}
    assert [t["code"] for t in screening["perpetrator_types"]] == ["organised_crime"]
    assert screening["fear_municipality"]["code"] == FEAR_MUNICIPALITY[0]
    assert screening["sgbv_disclosed"] is True and screening["lgbtiq"] == "lgbtiq"
    assert "sgbv" in screening["need_reasons"]

    person = api.get(world.po_sedh, f"/persons/{created['person']['id']}").json()
    assert person["view"] == "sensitive" and person["phone"] == SENTINELS["phone"]
    # Lists carry no sensitive field, for anyone.
    queue = api.get(world.po_sedh, "/follow-up")
    assert [r["id"] for r in queue.json()["items"]] == [created["id"]]
    assert not (_keys(queue.json()) & SENSITIVE_KEYS)


def test_other_protection_officers_see_nothing(world, api, sentinel_body):
    created = api.post(world.reg_sps, "/arrivals", sentinel_body).json()
    for officer in (world.po_sesal, world.po_dinaf):
        for r in _personal_responses(api, officer, created["id"], created["person"]["id"], sentinel_body):
            assert _leaks(r, [*SENTINELS.values(), "Hernández", created["id"]]) == [], r.request["PATH_INFO"]


def test_basic_and_sensitive_schemas_differ_exactly_by_the_sensitive_group(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    def props(name: str) -> set[str]:
        return set(schemas[name]["properties"])

    assert props("ArrivalSensitiveOut") - props("ArrivalOut") == {"stay_address"}
    assert props("ArrivalPersonSensitive") - props("ArrivalPerson") == {"phone", "email"}
    assert props("PersonSensitiveOut") - props("PersonOut") == {"phone", "email"}
    assert props("ScreeningSensitiveOut") - props("ScreeningOut") == SENSITIVE_KEYS - {"phone", "email", "stay_address"}
    basic = [n for n in schemas if not n.endswith(("Sensitive", "SensitiveOut", "In"))]
    for name in basic:
        assert not (set(schemas[name].get("properties", {})) & SENSITIVE_KEYS), name
