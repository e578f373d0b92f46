"""The plan pages end to end: report form → submit → review; evidence upload; dashboard; XLSX export."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from mirps.audit.models import AuditEvent
from mirps.plan.models import Evidence, ProgressReport, ReportStatus


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def test_report_form_submit_and_review(client, world, pw):
    client.force_login(world.focal)
    ind = pw["ind"]
    r = client.get(reverse("plan:report_new", args=[pw["p14"].pk]))
    assert r.status_code == 200 and f'name="value_{ind.pk}_sex_F"' in r.content.decode()
    r = client.post(reverse("plan:report_new", args=[pw["p14"].pk]), {
        "period": pw["open"].pk, "commitment_status": "in_progress", "narrative": "Avance",
        f"value_{ind.pk}": "12", f"value_{ind.pk}_sex_F": "7", f"value_{ind.pk}_dept_05": "3",
        f"source_{ind.pk}": "Registro SESAL",
    })
    report = ProgressReport.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("plan:report_edit", args=[report.pk])
    assert sorted(report.values.values_list("breakdown", "value")) == [("", 12), ("dept:05", 3), ("sex:F", 7)]
    r = client.post(reverse("plan:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    client.force_login(world.coord)
    assert "P14" in client.get(reverse("plan:review_queue")).content.decode()
    r = client.post(reverse("plan:report_review", args=[report.pk]), {"decision": "return", "comment": ""})
    assert r.status_code == 200 and "required" in r.content.decode().lower()
    r = client.post(reverse("plan:report_review", args=[report.pk]), {"decision": "approve", "comment": ""})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    detail = client.get(reverse("plan:commitment_detail", args=[pw["p14"].pk])).content.decode()
    assert "12.00" in detail and "Progress report 2024-S2" in detail


def test_bad_value_shows_message_and_saves_nothing(client, world, pw):
    client.force_login(world.focal)
    ind = pw["ind"]
    r = client.post(reverse("plan:report_new", args=[pw["p14"].pk]), {
        "period": pw["open"].pk, "commitment_status": "in_progress", f"value_{ind.pk}": "-4",
    })
    assert r.status_code == 200 and "A count cannot be negative." in r.content.decode()
    assert not ProgressReport.objects.exists()


def test_closed_period_is_not_offered(client, world, pw):
    client.force_login(world.focal)
    r = client.post(reverse("plan:report_new", args=[pw["p14"].pk]), {
        "period": pw["closed"].pk, "commitment_status": "in_progress",
    })
    assert r.status_code == 200 and not ProgressReport.objects.exists()
    pw["open"].closed = True
    pw["open"].save()
    r = client.get(reverse("plan:report_new", args=[pw["p14"].pk]))
    assert "closed period cannot be made" in r.content.decode()


def _draft(client, world, pw):
    client.force_login(world.focal)
    client.post(reverse("plan:report_new", args=[pw["p14"].pk]), {"period": pw["open"].pk, "commitment_status": "in_progress"})
    return ProgressReport.objects.get()


def test_evidence_upload_checks(client, world, pw):
    report = _draft(client, world, pw)
    url = reverse("plan:evidence_upload", args=[report.pk])
    r = client.post(url, {"file": SimpleUploadedFile("informe.pdf", b"%PDF-1.7 ...")}, follow=True)
    assert "The evidence file was added." in r.content.decode()
    r = client.post(url, {"file": SimpleUploadedFile("informe.pdf", b"<html>not a pdf")}, follow=True)
    assert "is not a PDF file" in r.content.decode()
    big = SimpleUploadedFile("grande.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024))
    r = client.post(url, {"file": big}, follow=True)
    assert r.status_code == 200 and "the limit is 10 MB" in r.content.decode(), [str(m) for m in r.context["messages"]]
    assert Evidence.objects.count() == 1
    ev = Evidence.objects.get()
    r = client.get(reverse("plan:evidence_download", args=[ev.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == b"%PDF-1.7 ..."


def test_upload_without_csrf_token_refused(world, pw):
    from django.test import Client

    from mirps.core.access import Actor
    from mirps.plan import services as s

    c = Client(enforce_csrf_checks=True)
    c.force_login(world.focal)
    report = s.report_create(actor=Actor.of(world.focal), commitment=pw["p14"], period=pw["open"], commitment_status="in_progress")
    r = c.post(reverse("plan:evidence_upload", args=[report.pk]), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1")})
    assert r.status_code == 403
    assert not Evidence.objects.exists()


def test_dashboard_shows_rule_banner_and_warnings(client, world, pw):
    client.force_login(world.partner)
    html = client.get(reverse("plan:dashboard")).content.decode()
    assert "Illustrative commitments, not the official text" in html
    assert "capped between 0% and 100%" in html
    assert "P01" in html  # ended in 2023 and not completed: late
    assert 'id="plan-chart-data"' in html


def test_commitment_list_filters(client, world, pw):
    client.force_login(world.remote)
    html = client.get(reverse("plan:commitment_list"), {"institution": "sedh"}).content.decode()
    assert "P01" in html and "P14" not in html


def test_export_xlsx(client, world, pw):
    from mirps.core.access import Actor
    from mirps.plan import services as s

    p14 = pw["p14"]
    p14.title_es = "=HYPERLINK(\"http://evil\")"
    p14.save()
    focal = Actor.of(world.focal)
    r = s.report_create(actor=focal, commitment=p14, period=pw["open"], commitment_status="in_progress",
                        narrative="n", values=[s.ValueInput(pw["ind"].pk, "50", source="+cmd|' /C calc'!A0")])
    s.report_submit(actor=focal, report=r)
    s.report_approve(actor=Actor.of(world.coord), report=r)
    client.force_login(world.partner)
    resp = client.get(reverse("plan:export"))
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["Commitments", "Indicators", "Reported values", "About"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    rows = list(wb["Commitments"].values)
    p14row = next(r for r in rows if r[0] == "P14")
    assert p14row[1].startswith("'=")
    assert p14row[9] == 50  # one indicator at 50 % of its target, the other without data
    values = list(wb["Reported values"].values)
    assert values[1][5] == 50 and values[1][6].startswith("'+")
    assert AuditEvent.objects.filter(action="export", object_type="plan").count() == 1
