"""End to end in Chromium (the issue's flow): a focal point submits a progress report, the national
coordinator approves it, and the public page shows the new progress and the intervention on the map."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from mirps.accounts.models import Institution
from mirps.cooperation.models import Intervention
from mirps.core.testing import PASSWORD, build_world
from mirps.geo.models import Country, Municipality
from mirps.plan.models import Commitment, Indicator, Plan, ProgressReport, ReportingPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_report_approved_shows_on_public_page_and_map(browser_page, live_server):
    world = build_world()
    plan = Plan.objects.create(
        country=Country.objects.get(iso2="HN"), title_es="Plan Nacional MIRPS", title_en="MIRPS National Plan",
        period_start=date(2022, 1, 1), period_end=date(2030, 12, 31), published=True,
    )  # fmt: skip
    c = Commitment.objects.create(
        plan=plan, code="P01", title_es="Atención en salud a personas retornadas", title_en="Health care for returnees",
        area="protection", pillar="immediate", responsible=Institution.objects.get(code="sesal"), status="in_progress",
    )  # fmt: skip
    ind = Indicator.objects.create(commitment=c, name_es="Personas atendidas", name_en="People assisted", unit="personas", baseline=0, target=200, target_date=date(2030, 12, 31))
    ReportingPeriod.objects.create(plan=plan, label="2024", start=date(2024, 1, 1), end=date(2024, 12, 31))
    iv = Intervention.objects.create(
        code="IV-FLOW-1", title="Clínica móvil para personas retornadas", implementer=Institution.objects.get(code="acnur"),
        sector="health", activity="Atención médica", start=date(2024, 1, 1), status="ongoing", populations=["returnees"],
        budget_usd=Decimal("80000"), published=True, created_by=world.partner,
    )  # fmt: skip
    iv.municipalities.set(Municipality.objects.filter(code="0501"))
    iv.commitments.add(c)
    page, base = browser_page, live_server.url

    # Before: the commitment has no approved report, so no progress.
    page.goto(f"{base}/public/")
    assert "%" not in page.locator("#commitment-P01").inner_text()

    # The focal point of SESAL reports 50 people assisted (25 % of the way from 0 to 200) and submits.
    _login(page, base, world.focal.username)
    page.goto(f"{base}/plan/commitments/{c.pk}/report/")
    page.select_option("#id_commitment_status", "in_progress")
    page.fill("#id_narrative", "Se atendió a 50 personas retornadas en San Pedro Sula.")
    page.fill(f"#id_value_{ind.pk}", "50")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/plan/reports/\d+/edit/"))
    page.click("form[action$='/submit/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/plan/reports/\d+/$"))
    report = ProgressReport.objects.get(commitment=c)
    assert report.status == "submitted"

    # The national coordinator approves it.
    _login(page, base, world.coord.username)
    page.goto(f"{base}/plan/reports/{report.pk}/review/")
    page.check("input[name=decision][value=approve]")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/plan/review/"))
    report.refresh_from_db()
    assert report.status == "approved"

    # Anyone, without signing in, sees the new progress and the intervention on the map.
    page.context.clear_cookies()
    page.goto(f"{base}/public/")
    assert re.search(r"25[.,]0\s*%", page.locator("#commitment-P01").inner_text())
    assert re.search(r"25[.,]0\s*%", page.locator("#share-overall").inner_text())
    assert "Clínica móvil para personas retornadas" in page.locator("#intervention-list").inner_text()
    page.click("#to-map")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.dept-05.has-data").count() >= 1
    page.locator("path.dept-05").first.dispatch_event("click")
    page.wait_for_selector("#dept-panel[data-dept='05']")
    assert "Clínica móvil para personas retornadas" in page.locator("#dept-panel").inner_text()
    assert "San Pedro Sula" in page.locator("#dept-panel .dept-municipalities").inner_text()
    assert page.csp_errors == []  # type: ignore[attr-defined]
