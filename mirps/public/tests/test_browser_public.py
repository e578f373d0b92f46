"""End to end in Chromium: the public map shows published interventions by department."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mirps.accounts.models import Institution
from mirps.cooperation.models import Intervention
from mirps.core.testing import build_world
from mirps.geo.models import Municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _intervention(code: str, title: str, munis: list[str], *, published: bool, author) -> Intervention:
    iv = Intervention.objects.create(
        code=code, title=title, implementer=Institution.objects.get(code="acnur"), sector="protection",
        activity="Atención", start=date(2023, 1, 1), status="ongoing", populations=["returnees"],
        budget_usd=Decimal("25000"), published=published, created_by=author,
    )  # fmt: skip
    iv.municipalities.set(Municipality.objects.filter(code__in=munis))
    return iv


def test_public_map_shows_published_intervention_and_opens_department(browser_page, live_server):
    world = build_world()
    _intervention("IV-B-1", "Casa de acogida Choloma", ["0502"], published=True, author=world.partner)
    _intervention("IV-B-2", "Proyecto reservado Yoro", ["1801"], published=False, author=world.partner)
    page, base = browser_page, live_server.url

    page.goto(f"{base}/public/map/")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.dept-05.has-data").count() >= 1
    assert page.locator("path.dept-18.has-data").count() == 0  # only an unpublished one there
    page.locator("path.dept-05").first.dispatch_event("click")
    page.wait_for_selector("#dept-panel[data-dept='05']")
    panel = page.locator("#dept-panel")
    assert "Casa de acogida Choloma" in panel.inner_text()
    assert "Choloma" in page.locator("#dept-panel .dept-municipalities").inner_text()
    assert page.locator("path.dept-05.dept-selected").count() >= 1
    # The department table opens the same panel (keyboard users, no map).
    page.click("button.dept-select[data-dept='18']")
    page.wait_for_selector("#dept-panel[data-dept='18']")
    assert "Proyecto reservado" not in page.content()
    assert page.csp_errors == []  # type: ignore[attr-defined]
