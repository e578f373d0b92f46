"""Public page and cooperation map: only published records, no personal data, access matrix."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import Resolver404, resolve, reverse

from mirps.accounts.models import Institution
from mirps.core.testing import person_input, register, url_names
from mirps.meetings.models import Agreement, FollowUpNote, Meeting
from mirps.public.map import map_build

ROLES = ["reg_sps", "reg_omoa", "reg_belen", "po_sedh", "po_dinaf", "po_sesal", "remote", "focal", "partner", "coord", "admin"]
PUBLIC_PAGES = ["public:home", "public:map"]


@pytest.fixture
def secrets(world, public_data):
    """Things that must never reach a public page."""
    arrival = register(world.reg_sps, person=person_input(given_names="Marisol Esperanza", surname1="Ferrera", dni="0801199900123"))
    m_pub = Meeting.objects.create(date=date(2022, 9, 29), title_es="Reunión publicada", published=True)
    a = Agreement.objects.create(meeting=m_pub, number=1, text_es="Mapear dónde están las intervenciones.")
    a.responsible.set(Institution.objects.filter(code="acnur"))
    FollowUpNote.objects.create(agreement=a, text="Nota interna de seguimiento", author=world.coord)
    Meeting.objects.create(date=date(2023, 2, 1), title_es="Reunión reservada sin publicar", published=False)
    return {
        "arrival": arrival,
        "texts": [
            "Intervención confidencial Yoro", "IV-SECRET", "Plan borrador secreto", "Compromiso borrador X99",
            "Narrativa interna del informe", "Nota interna de seguimiento", "Reunión reservada sin publicar",
            "Marisol", "Ferrera", "0801199900123", "Colonia Rivera",
        ],
    }  # fmt: skip


def _map_json(body: str) -> dict:
    m = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', body, re.S)
    assert m, "map data block missing"
    return json.loads(m.group(1))


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize("who", [None, "coord", "partner", "reg_sps"])
def test_public_pages_never_show_unpublished_or_personal_data(client, world, secrets, name, who):
    if who:
        client.force_login(getattr(world, who))
    for query in ("", "?layer=arrivals", "?partner=acnur", "?sector=protection&status=ongoing"):
        r = client.get(reverse(name) + query)
        assert r.status_code == 200
        body = r.content.decode()
        if 'id="map-data"' in body:  # json_script escapes non-ASCII: check the decoded data too
            body += json.dumps(_map_json(body), ensure_ascii=False)
        for text in secrets["texts"]:
            assert text not in body, (name, who, query, text)


def test_public_home_shows_progress_interventions_and_meetings(client, public_data, secrets):
    r = client.get(reverse("public:home"), HTTP_ACCEPT_LANGUAGE="en")
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="illustrative"' in body
    # P01: 40 of 100 → 40 %; E01 completed without indicators → 100 %; overall mean 70 %.
    assert re.search(r'id="share-overall">\s*<span class="share-value">70[.,]0 %', body)
    assert re.search(r'id="commitment-P01">.*?40[.,]0 %', body, re.S)
    assert 'value="70.0"' in body  # progress bars always use a dot
    assert "Albergue temporal San Pedro" in body and "Reintegración Choloma" in body
    assert "Mapear dónde están las intervenciones." in body and "Reunión publicada" in body
    assert str(public_data["e01"].code) in body


def test_public_home_filters_and_tampered_filters(client, public_data):
    body = client.get(reverse("public:home") + "?sector=livelihoods").content.decode()
    assert "Reintegración Choloma" in body and "Albergue temporal San Pedro" not in body
    # A commitment of the unpublished plan is not a choice: the filter is ignored, not an error.
    r = client.get(reverse("public:home") + f"?commitment={public_data['hidden_c'].pk}&status=bogus")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Reintegración Choloma" in body and "Compromiso borrador X99" not in body


def test_public_page_without_a_published_plan(client, public_data):
    public_data["plan"].published = False
    public_data["plan"].save()
    r = client.get(reverse("public:home"))
    assert r.status_code == 200 and "Plan MIRPS Honduras" not in r.content.decode()


def _links(body: str) -> list[str]:
    main = body.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return re.findall(r'href="([^"]+)"', main)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_link_only_to_public_pages_and_sign_in(client, public_data, secrets, name):
    body = client.get(reverse(name)).content.decode()
    for href in _links(body):
        path = href.split("?")[0].split("#")[0]
        if not path or path.startswith("/static/"):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            pytest.fail(f"unknown link {href}")
        assert match.namespace == "public" or match.view_name == "accounts:login", href
    assert reverse("accounts:login") in body


def test_public_map_totals_and_no_arrivals(client, public_data, secrets):
    data = _map_json(client.get(reverse("public:map") + "?layer=arrivals").content.decode())
    assert data["layer"] == "interventions"  # arrivals are not a public layer
    d = data["departments"]
    assert d["05"]["interventions"] == 2 and Decimal(str(d["05"]["budget"])) == Decimal("800.01")
    assert d["08"]["interventions"] == 1 and d["08"]["budget"] == 500
    assert d["18"]["interventions"] == 0 and d["18"]["items"] == []
    assert "arrivals" not in d["05"]
    assert sorted(d["05"]["municipalities"]) == ["Choloma", "San Pedro Sula"]
    assert [i["code"] for i in d["08"]["items"]] == ["IV-PUB-1"]


def test_map_municipality_table_matches_department_totals(world, public_data):
    built = map_build(actor_or_none=world.actor(world.coord), published_only=False, filters={}, layer="budget")
    by_dept: dict[str, Decimal] = {}
    names = {d["name"]: code for code, d in built["departments"].items()}
    for row in built["rows"]:
        by_dept[names[row.department]] = by_dept.get(names[row.department], Decimal(0)) + row.budget_usd
    for code, d in built["departments"].items():
        assert Decimal(str(d["budget"])) == by_dept.get(code, Decimal(0)), code
    assert sum(by_dept.values()) == Decimal("6300.01")  # every budget counted once, secret included
    assert built["departments"]["18"]["interventions"] == 1


def test_internal_map_shows_all_and_suppresses_small_arrival_counts(client, world, public_data, secrets):
    client.force_login(world.partner)
    body = client.get(reverse("public:map_internal") + "?layer=arrivals").content.decode()
    data = _map_json(body)
    assert [i["title"] for i in data["departments"]["18"]["items"]] == ["Intervención confidencial Yoro"]
    assert data["layer"] == "arrivals"
    # One arrival to Cortés (05): published as "<5", drawn as hidden (null), never as 1.
    assert data["departments"]["05"]["arrivals"] is None and data["departments"]["05"]["arrivals_display"] == "<5"
    assert data["departments"]["18"]["arrivals"] == 0
    assert "&lt;5" in body
    data = _map_json(client.get(reverse("public:map_internal") + "?partner=oim").content.decode())
    titles = [i["title"] for d in data["departments"].values() for i in d["items"]]
    assert titles == ["Reintegración Choloma"]



MATRIX: dict[str, dict[str | None, int]] = {
    "public:home": {None: 200, **dict.fromkeys(ROLES, 200)},
    "public:map": {None: 200, **dict.fromkeys(ROLES, 200)},
    "public:map_internal": {None: 302, **dict.fromkeys(ROLES, 200)},  # every role has PLAN
}


def test_every_public_url_is_in_the_matrix():
    assert url_names("public:") == set(MATRIX)


@pytest.mark.parametrize("name", list(MATRIX))
def test_access_matrix(client, world, public_data, name):
    got: dict[str | None, int] = {}
    client.logout()
    r = client.get(reverse(name))
    got[None] = r.status_code
    if r.status_code == 302:
        assert reverse("accounts:login") in r["Location"]
    for role in ROLES:
        client.force_login(getattr(world, role))
        got[role] = client.get(reverse(name)).status_code
    assert got == MATRIX[name]
