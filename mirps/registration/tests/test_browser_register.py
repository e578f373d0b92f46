"""End to end in Chromium: a registrar registers a family of three, one of them urgent."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from mirps.core.testing import PASSWORD, build_world
from mirps.registration.models import Arrival

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/registration/arrivals/"))


def _fill_member(page, *, given: str, sex: str, birth: str, dni: str = "", urgent: bool = False) -> None:
    if dni:
        page.select_option("#id_document_situation", "dni")
        page.fill("#id_dni", dni)
    else:
        page.select_option("#id_document_situation", "none")
    page.fill("#id_given_names", given)
    page.fill("#id_surname1", "Zelaya")
    page.fill("#id_surname2", "Mejía")
    page.select_option("#id_sex", sex)
    page.fill("#id_birth_date", birth)
    page.select_option("#id_travel_mode", "family_unit")
    page.select_option("#id_country_from", "MX")
    page.select_option("#id_modality", "air")
    page.select_option("#id_destination", "0501")
    if urgent:
        page.check("#id_fear_of_return")
        page.check("input[name=violence_types][value=threat]")
        page.check("input[name=perpetrator_types][value=gang]")


def test_registrar_registers_family_of_three_and_sees_it_counted(browser_page, live_server):
    world = build_world()
    page, base = browser_page, live_server.url
    _login(page, base, world.reg_sps.username)

    page.goto(f"{base}/registration/register/")
    _fill_member(page, given="Rosa Elena", sex="F", birth="1988-04-12", dni="0501-1988-04412", urgent=True)
    page.fill("#id_arrived_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.click("#submit")
    page.wait_for_selector("#registered")
    assert page.locator("#registered .need-urgent").count() == 1

    for given, sex, birth in (("Kevin", "M", "2014-09-01"), ("Daniela", "F", "2018-02-20")):
        page.click("#add-family")
        page.wait_for_selector("#regform")
        _fill_member(page, given=given, sex=sex, birth=birth)
        page.click("#submit")
        page.wait_for_selector("#registered")

    arrivals = Arrival.objects.filter(person__surname1="Zelaya")
    assert arrivals.count() == 3
    assert len({a.family_group_id for a in arrivals}) == 1
    assert sorted(a.need_level for a in arrivals) == ["none", "none", "urgent"]

    page.goto(f"{base}/registration/arrivals/?q=zelaya")
    assert page.locator("#arrivals tbody tr").count() == 3
    assert page.locator("#arrivals .need-urgent").count() == 1

    page.goto(f"{base}/stats/")
    page.select_option("#id_point", str(arrivals[0].reception_point_id))
    page.click(".stats-filters button[type=submit]")
    page.wait_for_load_state()
    total = page.locator(".stats-tiles .tile-value").first.inner_text()
    assert total.strip() == "3"

    page.click("header .lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("header nav").inner_text().count("Arrivals") == 1
    assert page.csp_errors == []
