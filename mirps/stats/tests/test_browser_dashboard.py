"""End to end in Chromium: the dashboard draws its charts and map under the real CSP."""

from __future__ import annotations

import os
import re

import pytest

from mirps.core.testing import PASSWORD

# serialized_rollback: a transactional test empties the tables, reference data included;
# this restores them for the tests that follow (and for this one, after an earlier one).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_partner_sees_charts_and_choropleth_without_csp_errors(browser_page, live_server, world, six):
    page, base = browser_page, live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", world.partner.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/stats/"))
    q = "&".join(f"{k}={v}" for k, v in six.filters.as_query().items())
    # Only this page's errors count (the browser's own favicon request is not ours).
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text)
        if m.type == "error" and "favicon" not in m.location.get("url", "")
        else None,
    )
    page.goto(f"{base}/stats/?{q}")

    # Every chart canvas got a Chart.js instance; the map drew all 18 departments and a legend.
    page.wait_for_function("() => document.querySelectorAll('#map path.leaflet-interactive').length === 18")
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')].map(c => !!Chart.getChart(c))"
    )
    assert drawn and all(drawn)
    assert page.locator(".map-legend").count() == 1
    # Atlántida (one arrival) is painted as suppressed and its tooltip says "<5", never 1.
    page.hover("#map path.leaflet-interactive >> nth=0")
    page.wait_for_selector(".leaflet-tooltip .map-tooltip")
    tip = page.inner_text(".leaflet-tooltip")
    assert "Atlántida" in tip and "<5" in tip
    if os.environ.get("STATS_SCREENSHOT"):
        page.screenshot(path=os.environ["STATS_SCREENSHOT"], full_page=True)
    assert not errors, errors
