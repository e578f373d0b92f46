"""Scopes through the API: outside them a record does not exist (404), and lists never show it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from mirps.api.tests.conftest import registration_body
from mirps.core.testing import arrival_input, person_input, register, screening_input
from mirps.identity.models import ReviewItem
from mirps.registration.models import Arrival

NO_ID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def sps_urgent(world) -> Arrival:
    """An adult registered at CAMR San Pedro Sula with an urgent need: SEDH follows up."""
    return register(
        world.reg_sps,
        person=person_input(),
        screening=screening_input(fear_of_return=True, violence_types=["threat"]),
    )


@pytest.fixture
def omoa_plain(world) -> Arrival:
    return register(
        world.reg_omoa,
        person=person_input(given_names="Marta", surname1="Zúniga", dni="", document_situation="none", sex="F"),
        arrival=arrival_input(reception_point="camr-omoa", entry_point="", modality="land", country_from="MX"),
    )


# Every operation that reads or writes personal data, with the capability that opens it.
PERSONAL = [
    ("get", "/arrivals"),
    ("get", "/arrivals/{arrival_id}"),
    ("post", "/arrivals"),
    ("get", "/persons"),
    ("get", "/persons/candidates"),
    ("get", "/persons/{person_id}"),
    ("get", "/follow-up"),
    ("post", "/follow-up/{arrival_id}/take"),
    ("get", "/identity/review"),
    ("get", "/identity/review/{item_id}"),
    ("post", "/identity/review/{item_id}/decision"),
]


@pytest.fixture
def review_item(world, sps_urgent) -> ReviewItem:
    """sps_urgent's person typed again at Omoa with slips: a pair in SRECI's review queue."""
    again = register(
        world.reg_omoa,
        person=person_input(given_names="José", birth_date=date(1995, 4, 14), dni="", document_situation="none"),
        arrival=arrival_input(reception_point="camr-omoa", destination="0801"),
    )
    ids = sorted([sps_urgent.person_id, again.person_id], key=lambda u: u.int)
    return ReviewItem.objects.get(record_a_id=ids[0], record_b_id=ids[1])


def _call(api, user, method: str, path: str, arrival: Arrival, item: ReviewItem):
    concrete = (path.replace("{arrival_id}", str(arrival.pk)).replace("{person_id}", str(arrival.person_id))
                .replace("{item_id}", str(item.pk)))
    if method == "post":
        body = registration_body() if concrete == "/arrivals" else {"same": True} if "/identity/" in path else None
        return api.post(user, concrete, body)
    params = {"q": "Hernández"} if concrete == "/persons" else {}
    if concrete == "/persons/candidates":
        params = {"dni": "0501199512345", "given_names": "José", "surname1": "Hernández"}
    return api.get(user, concrete, **params)


def test_personal_table_covers_every_non_reference_operation(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    found = {
        (method, path.removeprefix("/api/v1"))
        for path, ops in schema["paths"].items()
        for method in ops
        if not path.startswith(("/api/v1/reference/", "/api/v1/plan/", "/api/v1/cooperation/", "/api/v1/meetings/"))
    }
    assert found == set(PERSONAL)


@pytest.mark.parametrize("role", ["partner", "coord", "focal", "admin", "remote"])
@pytest.mark.parametrize(("method", "path"), PERSONAL)
def test_roles_without_personal_capabilities_get_404_everywhere(world, api, sps_urgent, review_item, role, method, path):
    r = _call(api, getattr(world, role), method, path, sps_urgent, review_item)
    assert r.status_code == 404, r.content
    assert Arrival.objects.count() == 2
    review_item.refresh_from_db()
    assert review_item.status == ReviewItem.Status.OPEN


@pytest.mark.parametrize("role", ["partner", "coord", "focal", "admin", "remote", "reg_sps", "po_sedh"])
@pytest.mark.parametrize("path", ["/reference/sites", "/reference/countries", "/reference/municipalities", "/reference/violence_type"])
def test_reference_data_is_open_to_every_signed_in_role(world, api, role, path):
    r = api.get(getattr(world, role), path)
    assert r.status_code == 200 and r.json()["items"]


def test_registrar_of_another_site_gets_404_on_details(world, api, sps_urgent):
    for user in (world.reg_omoa, world.reg_belen):
        assert api.get(user, f"/arrivals/{sps_urgent.pk}").status_code == 404
        assert api.get(user, f"/persons/{sps_urgent.person_id}").status_code == 404
    # The owner sees both, so the 404 above is scope and not a broken route.
    assert api.get(world.reg_sps, f"/arrivals/{sps_urgent.pk}").status_code == 200
    assert api.get(world.reg_sps, f"/persons/{sps_urgent.person_id}").status_code == 200


def test_unknown_id_and_out_of_scope_id_answer_alike(world, api, sps_urgent):
    other = api.get(world.reg_omoa, f"/arrivals/{sps_urgent.pk}")
    unknown = api.get(world.reg_omoa, f"/arrivals/{uuid.uuid4()}")
    assert (other.status_code, other.json()) == (unknown.status_code, unknown.json())


def test_lists_show_no_rows_of_other_sites(world, api, sps_urgent, omoa_plain):
    rows = api.get(world.reg_omoa, "/arrivals").json()["items"]
    assert [r["id"] for r in rows] == [str(omoa_plain.pk)]
    # Filtering on the other site's code does not open it.
    assert api.get(world.reg_omoa, "/arrivals", reception_point="camr-sps").json()["items"] == []
    assert api.get(world.reg_omoa, "/arrivals", q="Hernández").json()["items"] == []
    assert api.get(world.reg_omoa, "/persons", q="Hernández").json()["items"] == []
    assert api.get(world.reg_belen, "/arrivals").json()["items"] == []
    assert [r["id"] for r in api.get(world.reg_sps, "/arrivals").json()["items"]] == [str(sps_urgent.pk)]


def test_protection_officers_see_only_their_institutions_follow_ups(world, api, sps_urgent, omoa_plain):
    assert [r["id"] for r in api.get(world.po_sedh, "/follow-up").json()["items"]] == [str(sps_urgent.pk)]
    assert [r["id"] for r in api.get(world.po_sedh, "/arrivals").json()["items"]] == [str(sps_urgent.pk)]
    for stranger in (world.po_sesal, world.po_dinaf):
        assert api.get(stranger, "/follow-up").json()["items"] == []
        assert api.get(stranger, "/follow-up", status="all").json()["items"] == []
        assert api.get(stranger, "/arrivals").json()["items"] == []
        assert api.get(stranger, f"/arrivals/{sps_urgent.pk}").status_code == 404
        assert api.get(stranger, f"/persons/{sps_urgent.person_id}").status_code == 404
        assert api.post(stranger, f"/follow-up/{sps_urgent.pk}/take").status_code == 404
    sps_urgent.refresh_from_db()
    assert sps_urgent.follow_up_status == "open"


def test_registrars_have_no_follow_up_queue(world, api, sps_urgent):
    assert api.get(world.reg_sps, "/follow-up").status_code == 404
    assert api.post(world.reg_sps, f"/follow-up/{sps_urgent.pk}/take").status_code == 404


def test_officer_takes_a_follow_up_once(world, api, sps_urgent):
    r = api.post(world.po_sedh, f"/follow-up/{sps_urgent.pk}/take")
    assert r.status_code == 200 and r.json()["follow_up_status"] == "taken"
    again = api.post(world.po_sedh, f"/follow-up/{sps_urgent.pk}/take")
    assert again.json() == r.json()
    assert api.get(world.po_sedh, "/follow-up").json()["items"] == []
    assert [x["id"] for x in api.get(world.po_sedh, "/follow-up", status="taken").json()["items"]] == [str(sps_urgent.pk)]


def test_identity_lookup_shows_a_card_within_the_institution_and_counts_matches_elsewhere(world, api, sps_urgent):
    # Omoa and San Pedro Sula are run by the same institution: the registrar recognises the person.
    r = api.get(world.reg_omoa, "/persons/candidates", dni="0501-1995-12345")
    assert r.status_code == 200
    [card] = r.json()["items"]
    assert card["person_id"] == str(sps_urgent.person_id) and card["dni_last4"] == "2345"
    assert "same_dni" in card["reasons"] and card["probability"] > 0.5
    assert set(card) == {
        "person_id", "full_name", "birth_date", "dni_last4", "arrivals", "last_arrival",
        "last_reception_point", "reasons", "weights", "probability",
    }
    assert r.json()["elsewhere"] == 0
    # Belén is another institution's centre: the match is counted, not shown.
    other = api.get(world.reg_belen, "/persons/candidates", dni="0501-1995-12345").json()
    assert other == {"items": [], "elsewhere": 1}
    assert api.get(world.po_sedh, "/persons/candidates", dni="0501199512345").status_code == 404


def test_person_shows_every_return_and_which_are_in_scope(world, api, sps_urgent):
    second = register(
        world.reg_omoa,
        person_id=sps_urgent.person_id,
        arrival=arrival_input(reception_point="camr-omoa", entry_point="", modality="land", country_from="MX"),
    )
    body = api.get(world.reg_omoa, f"/persons/{sps_urgent.person_id}").json()
    assert {a["id"]: a["in_scope"] for a in body["arrivals"]} == {str(second.pk): True, str(sps_urgent.pk): False}
    assert api.get(world.reg_omoa, f"/arrivals/{sps_urgent.pk}").status_code == 404


def test_paging(world, api, monkeypatch, sps_urgent, omoa_plain):
    from mirps.registration import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    register(world.reg_sps, person=person_input(dni="0501199512346", given_names="Ana", sex="F"))
    first = api.get(world.reg_sps, "/arrivals").json()
    second = api.get(world.reg_sps, "/arrivals", page=2).json()
    assert first["has_next"] and not second["has_next"]
    assert first["page_size"] == 1 and len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert api.get(world.reg_sps, "/arrivals", page=3).json()["items"] == []
    assert api.get(world.reg_sps, "/arrivals", page=0).status_code == 422
    assert api.get(world.reg_sps, "/arrivals", page=10**30).status_code == 422


def test_list_filters(world, api, sps_urgent):
    def ids(**params):
        return [r["id"] for r in api.get(world.reg_sps, "/arrivals", **params).json()["items"]]

    assert ids(need_level="urgent") == [str(sps_urgent.pk)]
    assert ids(need_level="none") == []
    assert ids(date_from="2000-01-01", date_to="2000-12-31") == []
    assert ids(date_from="2000-01-01") == [str(sps_urgent.pk)]
    assert ids(q="hernandez") == [str(sps_urgent.pk)] == ids(q="0501-1995")
    assert ids(reception_point="camr-sps") == [str(sps_urgent.pk)]
    r = api.get(world.reg_sps, "/arrivals", reception_point="nowhere", lang="en")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "reception_point"]
