"""End to end in Chromium: a reviewer merges a pair from the queue, and one person fewer is counted."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from mirps.core.testing import PASSWORD, arrival_input, build_world, person_input, register
from mirps.identity.models import ReviewItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def _people(page, base: str) -> int:
    """The number of people (resolved persons) on the statistics page of people."""
    page.goto(f"{base}{reverse('stats:people')}")
    text = page.locator("#people-total").inner_text()
    assert re.fullmatch(r"[\d.,\s]+", text), text  # a number, not "<5"
    return int(re.sub(r"\D", "", text))


# Other people, clearly distinct: small counts are shown as "<5" to a reviewer, so the total
# must stay above the disclosure threshold before and after the merge.
OTHERS = [
    ("María Fernanda", "Ayala", "Rivera", "F", date(1988, 1, 9)),
    ("Kevin Alexander", "Bonilla", "Torres", "M", date(2001, 7, 23)),
    ("Dunia Marisol", "Escoto", "Paz", "F", date(1979, 11, 2)),
    ("Wilmer Josué", "Funes", "Cruz", "M", date(1992, 5, 30)),
    ("Sonia Patricia", "Gálvez", "Ordóñez", "F", date(1985, 9, 17)),
    ("Óscar Danilo", "Izaguirre", "Mejía", "M", date(1999, 2, 4)),
]


def test_reviewer_merges_a_pair_and_the_people_count_drops_by_one(browser_page, live_server):
    world = build_world()
    for given, s1, s2, sex, born in OTHERS:
        register(world.reg_sps, person=person_input(given_names=given, surname1=s1, surname2=s2, sex=sex,
                                                    birth_date=born, dni=None, document_situation="none"))
    register(world.reg_sps, person=person_input(surname1="Cárcamo"))
    register(
        world.reg_omoa,
        person=person_input(surname1="Cárcamo", given_names="José", birth_date=date(1995, 4, 14),
                            dni=None, document_situation="none"),
        arrival=arrival_input(reception_point="camr-omoa", destination="0801"),
    )
    item = ReviewItem.objects.get()
    page, base = browser_page, live_server.url
    _login(page, base, world.reviewer.username)
    before = _people(page, base)

    page.click("header nav a[href='/identity/review/']")
    page.wait_for_selector("#review-queue")
    assert page.locator("#review-queue tbody tr").count() == 1
    page.click("#review-queue a.compare-link")
    page.wait_for_selector("#comparison")
    assert page.locator("#comparison tr.differs").count() >= 2
    assert page.locator("#reasons .reason-for").count() >= 1

    page.click("#decide-same")
    page.wait_for_selector(".messages .msg-success")
    assert page.locator("#decide").count() == 0
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.SAME

    assert _people(page, base) == before - 1
    assert page.csp_errors == []
