"""Cooperation pages: access matrix of every URL × every role, and the page flows."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from mirps.cooperation import hxl, services
from mirps.cooperation.models import ImportBatch, Intervention, Pledge
from mirps.cooperation.tests.conftest import actor, make_iv
from mirps.core.testing import url_names

pytestmark = pytest.mark.django_db

ROLES = ["reg_sps", "reg_omoa", "reg_belen", "po_sedh", "po_dinaf", "po_sesal", "remote", "focal", "partner", "coord", "admin"]
EVERYONE = dict.fromkeys(ROLES, 200)
EDITORS = {r: 200 if r in {"partner", "coord"} else 404 for r in ROLES}
COORD = {r: 200 if r == "coord" else 404 for r in ROLES}

MATRIX: dict[str, dict[str, int] | None] = {
    "cooperation:intervention_list": EVERYONE,
    "cooperation:intervention_detail": EVERYONE,
    "cooperation:intervention_export": EVERYONE,
    "cooperation:intervention_template": EVERYONE,
    "cooperation:intervention_iati": EVERYONE,
    "cooperation:intervention_create": EDITORS,
    "cooperation:intervention_edit": EDITORS,  # acnur's intervention: its partner and the coordinator
    "cooperation:import_upload": EDITORS,
    "cooperation:import_review": {r: 200 if r == "partner" else 404 for r in ROLES},  # the author's only
    "cooperation:pledge_list": EVERYONE,
    "cooperation:pledge_create": EDITORS,
    "cooperation:pledge_edit": EDITORS,
    "cooperation:need_list": EVERYONE,
    "cooperation:need_create": COORD,
    "cooperation:need_edit": COORD,
    "cooperation:funding": EVERYONE,
    # POST only: see test_post_matrix.
    "cooperation:intervention_publish": None,
    "cooperation:pledge_publish": None,
}



def test_every_cooperation_url_is_in_the_matrix():
    names = url_names("cooperation:")
    assert names == set(MATRIX), f"missing: {sorted(names - set(MATRIX))}, stale: {sorted(set(MATRIX) - names)}"


@pytest.fixture
def records(coop, plan):
    iv = make_iv(coop.partner, code="ACNUR-1")
    p01 = plan.commitments.get(code="P01")
    need = services.need_create(actor=actor(coop.coord), commitment=p01, description_es="Fondos", kind="financing", estimated_cost_usd="1000")
    pledge = services.pledge_create(actor=actor(coop.partner), partner="acnur", commitment=p01, need=need, amount=Decimal("500"), currency="USD", date=date(2023, 1, 1))
    batch = hxl.import_stage(actor=actor(coop.partner), filename="x.csv", content=hxl.csv_bytes(hxl.table(Intervention.objects.all())))
    return {"iv": iv, "need": need, "pledge": pledge, "batch": batch}


def _url(name: str, r) -> str:
    args = {
        "cooperation:intervention_detail": [r["iv"].pk],
        "cooperation:intervention_edit": [r["iv"].pk],
        "cooperation:intervention_publish": [r["iv"].pk],
        "cooperation:intervention_export": ["csv"],
        "cooperation:intervention_template": ["xlsx"],
        "cooperation:import_review": [r["batch"].pk],
        "cooperation:pledge_edit": [r["pledge"].pk],
        "cooperation:pledge_publish": [r["pledge"].pk],
        "cooperation:need_edit": [r["need"].pk],
    }.get(name, [])
    return reverse(name, args=args)


@pytest.mark.parametrize("name", [n for n, v in MATRIX.items() if v])
def test_get_matrix(client, coop, records, name):
    url = _url(name, records)
    got = {}
    for role in ROLES:
        client.force_login(getattr(coop, role))
        got[role] = client.get(url).status_code
    assert got == MATRIX[name]
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page


@pytest.mark.parametrize("name", ["cooperation:intervention_publish", "cooperation:pledge_publish"])
def test_post_matrix(client, coop, records, name):
    url = _url(name, records)
    for role in ROLES:
        client.force_login(getattr(coop, role))
        assert client.post(url, {"published": "1"}).status_code == (302 if role == "coord" else 404), role
    model = Intervention if "intervention" in name else Pledge
    assert model.objects.get().published


@pytest.mark.parametrize(
    "name", ["cooperation:intervention_edit", "cooperation:pledge_edit", "cooperation:import_review"]
)
def test_stranger_partner_gets_404(client, coop, records, name):
    client.force_login(coop.extra["partner_oim"])
    assert client.get(_url(name, records)).status_code == 404
    assert client.post(_url(name, records), {"title": "x"}).status_code == 404


def test_unknown_ids_are_404(client, coop, records):
    client.force_login(coop.coord)
    assert client.get("/cooperation/interventions/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get(reverse("cooperation:need_edit", args=[999999])).status_code == 404
    assert client.get(reverse("cooperation:intervention_export", args=["pdf"])).status_code == 404


def form_data(**kw):
    d = {
        "title": "Taller de <b>oficios</b>", "implementer": "acnur", "sector": "livelihoods", "activity": "=1+1",
        "municipalities": "HN0501, 0502", "start": "2024-01-01", "end": "2024-12-31", "status": "ongoing",
        "populations": ["returnees"], "budget_usd": "1000",
        **{f"{k}_{c}": "0" for k in ("targeted", "reached") for c in ("women", "men", "girls", "boys")},
    }
    d.update(kw)
    return d


def test_create_intervention_page_and_escaping(client, coop, plan):
    client.force_login(coop.partner)
    r = client.post(reverse("cooperation:intervention_create"), form_data())
    assert r.status_code == 302
    iv = Intervention.objects.get()
    page = client.get(reverse("cooperation:intervention_detail", args=[iv.pk])).content.decode()
    assert "Taller de &lt;b&gt;oficios&lt;/b&gt;" in page
    assert "<b>oficios</b>" not in page


def test_form_shows_service_errors(client, coop, plan):
    client.force_login(coop.partner)
    r = client.post(
        reverse("cooperation:intervention_create"),
        form_data(end="2023-01-01", municipalities="HN9999", reached_women="3"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "HN9999" in body
    assert not Intervention.objects.exists()


def test_edit_intervention_page(client, coop, plan):
    iv = make_iv(coop.partner)
    client.force_login(coop.partner)
    page = client.get(reverse("cooperation:intervention_edit", args=[iv.pk]))
    assert page.status_code == 200
    r = client.post(reverse("cooperation:intervention_edit", args=[iv.pk]), form_data(title="Cambiado", version="1"))
    assert r.status_code == 302
    iv.refresh_from_db()
    assert iv.title == "Cambiado" and iv.version == 2


def test_pledge_and_need_pages(client, coop, plan):
    p01 = plan.commitments.get(code="P01")
    client.force_login(coop.coord)
    r = client.post(reverse("cooperation:need_create"), {"commitment": p01.pk, "description_es": "Equipos", "kind": "equipment", "estimated_cost_usd": "1000", "priority": "high"})
    assert r.status_code == 302
    client.force_login(coop.partner)
    r = client.post(reverse("cooperation:pledge_create"), {"partner": "acnur", "commitment": p01.pk, "state": "pledged", "amount": "-1", "currency": "USD", "date": "2023-01-01"})
    assert r.status_code == 200 and not Pledge.objects.exists()
    r = client.post(reverse("cooperation:pledge_create"), {"partner": "acnur", "commitment": p01.pk, "state": "committed", "amount": "400", "currency": "USD", "date": "2023-01-01"})
    assert r.status_code == 302
    funding = client.get(reverse("cooperation:funding")).content.decode()
    assert "funding-data" in funding and "600" in funding  # gap 1000 − 400
    assert client.get(reverse("cooperation:need_list")).status_code == 200


def test_import_flow_through_pages(client, coop, plan):
    client.force_login(coop.partner)
    content = hxl.csv_bytes([*hxl.table(None), [{"code": "N-1", "title": "Nuevo", "implementer": "acnur", "sector": "protection", "activity": "Charlas", "municipalities": "HN0501", "start": "2024-01-01", "status": "planned", "populations": "returnees", "budget_usd": "10"}.get(c.key, "") for c in hxl.COLUMNS]])
    upload = io.BytesIO(content)
    upload.name = "interventions.csv"
    r = client.post(reverse("cooperation:import_upload"), {"file": upload})
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert not Intervention.objects.exists()
    assert "N-1" in client.get(r["Location"]).content.decode()
    assert client.post(r["Location"], {"action": "all"}).status_code == 302
    assert Intervention.objects.filter(code="N-1").exists()
    batch.refresh_from_db()
    assert batch.status == "applied"


def test_upload_wrong_file_shows_message(client, coop, plan):
    client.force_login(coop.partner)
    upload = io.BytesIO(b"a,b\n1,2\n")
    upload.name = "x.csv"
    r = client.post(reverse("cooperation:import_upload"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert not ImportBatch.objects.exists()


def test_filters_on_list(client, coop, plan):
    make_iv(coop.partner, code="A-1", sector="cash")
    make_iv(coop.partner, code="A-2", sector="health", populations=["idps"], municipalities=["HN0801"])
    client.force_login(coop.remote)
    body = client.get(reverse("cooperation:intervention_list"), {"sector": "cash"}).content.decode()
    assert "A-1" in body and "A-2" not in body
    body = client.get(reverse("cooperation:intervention_list"), {"population": "idps", "department": "08"}).content.decode()
    assert "A-2" in body and "A-1" not in body
