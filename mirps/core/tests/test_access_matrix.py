"""Every page × every role of the three-institution world. A new URL not listed here fails the test."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mirps.core.testing import person_input, register, screening_input, url_names
from mirps.registration.models import RegistrationDraft

ROLES = ["reg_sps", "reg_omoa", "reg_belen", "po_sedh", "po_dinaf", "po_sesal", "remote", "focal", "partner", "coord", "admin",
         "reviewer", "reviewer_dinaf"]
REGISTRARS = {"reg_sps", "reg_omoa", "reg_belen"}
PROTECTION = {"po_sedh", "po_dinaf", "po_sesal"}

# Expected status for a GET by each role. "owner" cases use records of reg_sps (CAMR San Pedro
# Sula) with an urgent adult need, so reg_sps and po_sedh are in scope and everyone else is a stranger.
MATRIX: dict[str, dict[str, int] | None] = {
    "home": None,  # a redirect to each role's work, checked separately
    "registration:arrival_list": {r: 200 if r in REGISTRARS | PROTECTION else 404 for r in ROLES},
    "registration:person_search": {r: 200 if r in REGISTRARS | PROTECTION else 404 for r in ROLES},
    "registration:register": {r: 200 if r in REGISTRARS else 404 for r in ROLES},
    "registration:candidates": {r: 200 if r in REGISTRARS else 404 for r in ROLES},
    "registration:followup_queue": {r: 200 if r in PROTECTION else 404 for r in ROLES},
    "registration:arrival_detail": {r: 200 if r in {"reg_sps", "po_sedh"} else 404 for r in ROLES},
    "registration:person_detail": {r: 200 if r in {"reg_sps", "po_sedh"} else 404 for r in ROLES},
    "stats:dashboard": dict.fromkeys(ROLES, 200),
    "stats:table_export": dict.fromkeys(ROLES, 200),
    "stats:people": dict.fromkeys(ROLES, 200),
    "stats:people_export": dict.fromkeys(ROLES, 200),
    "audit:events": {r: 200 if r == "admin" else 404 for r in ROLES},
    "accounts:tokens": dict.fromkeys(ROLES, 200),
    "accounts:login": dict.fromkeys(ROLES, 200),
    # POST-only endpoints: checked in the POST matrix below.
    "registration:draft_save": None,
    "registration:draft_delete": None,
    "registration:followup_take": None,
    "accounts:logout": None,
    "accounts:token_revoke": None,
    "set_language": None,
}
# Own matrices: admin below, API in mirps/api/tests, the plan apps and identity in their own test modules.
OUTSIDE = ("admin", "api", "djdt", "plan:", "cooperation:", "meetings:", "public:", "identity:")



def test_every_url_is_in_the_matrix():
    names = {n for n in url_names() if not n.startswith(OUTSIDE)}
    missing = names - set(MATRIX)
    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"


@pytest.fixture
def records(world):
    a = register(world.reg_sps, person=person_input(), screening=screening_input(fear_of_return=True, violence_types=["threat"]))
    return {"arrival": a}


def _url(name: str, records) -> str:
    a = records["arrival"]
    if name == "registration:arrival_detail":
        return reverse(name, args=[a.pk])
    if name == "registration:person_detail":
        return reverse(name, args=[a.person_id])
    if name == "stats:table_export":
        return reverse(name, kwargs={"name": "country", "fmt": "csv"})
    if name == "stats:people_export":
        return reverse(name, kwargs={"name": "people", "fmt": "csv"})
    return reverse(name)


@pytest.mark.parametrize("name", [n for n, v in MATRIX.items() if v])
def test_get_matrix(client, world, records, name):
    url = _url(name, records)
    got = {}
    for role in ROLES:
        client.force_login(getattr(world, role))
        got[role] = client.get(url).status_code
    assert got == MATRIX[name]


@pytest.mark.parametrize("name", [n for n, v in MATRIX.items() if v and n != "accounts:login"])
def test_anonymous_is_sent_to_login(client, records, name):
    r = client.get(_url(name, records))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_post_matrix(client, world, records):
    a = records["arrival"]
    take = reverse("registration:followup_take", args=[a.pk])
    for role in ROLES:
        if role == "po_sedh":
            continue
        client.force_login(getattr(world, role))
        assert client.post(take).status_code == 404, role
        if role not in REGISTRARS:
            assert client.post(reverse("registration:draft_save"), {"given_names": "x"}).status_code == 404, role
    client.force_login(world.reg_sps)
    client.post(reverse("registration:draft_save"), {"given_names": "x"})
    draft = RegistrationDraft.objects.get()
    client.force_login(world.reg_omoa)
    assert client.post(reverse("registration:draft_delete", args=[draft.pk])).status_code == 404
    client.force_login(world.po_sedh)
    assert client.post(take).status_code == 302


def test_home_sends_each_role_to_its_work(client, world):
    expect = {"reg_sps": "/registration/arrivals/", "po_sedh": "/registration/follow-up/", "partner": "/stats/", "admin": "/stats/"}
    for role, where in expect.items():
        client.force_login(getattr(world, role))
        assert client.get("/")["Location"] == where


def test_admin_site_only_for_administrators(client, world):
    for role in ROLES:
        client.force_login(getattr(world, role))
        status = client.get("/admin/").status_code
        assert status == (200 if role == "admin" else 302), role
    client.force_login(world.admin)
    assert client.get("/admin/reference/term/").status_code == 200
    assert client.get("/admin/registration/person/").status_code == 404


def test_partner_never_sees_a_name(client, world, records):
    a = records["arrival"]
    client.force_login(world.partner)
    for url in ("/", "/stats/", reverse("stats:table_export", kwargs={"name": "country", "fmt": "csv"})):
        body = client.get(url, follow=True).content.decode()
        assert a.person.surname1 not in body and a.person.given_names not in body


def test_sees_sensitive_only_for_protection_roles(world):
    for role in ROLES:
        assert world.actor(getattr(world, role)).sees_sensitive == (role in PROTECTION), role
