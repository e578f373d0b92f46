"""The progress report workflow: create, submit, approve, return, correct; values and evidence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation
from openpyxl import Workbook

from mirps.core.access import Actor
from mirps.plan import services as s
from mirps.plan.models import CommitmentRevision, Evidence, ProgressReport, ReportStatus
from mirps.plan.progress import indicator_current
from mirps.plan.services import ValueInput as V


def A(user):
    return Actor.of(user)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _msgs(exc: pytest.ExceptionInfo) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


def test_submit_approve_correct_supersedes(world, pw):
    focal, coord = A(world.focal), A(world.coord)
    r = s.report_create(
        actor=focal, commitment=pw["p14"], period=pw["open"], commitment_status="in_progress",
        narrative="Avances del semestre", values=[V(pw["ind"].pk, "40"), V(pw["ind"].pk, "25", "sex:F"), V(pw["ind"].pk, "15", "sex:M")],
    )
    assert r.status == ReportStatus.DRAFT and r.values.count() == 3
    s.report_submit(actor=focal, report=r)
    with pytest.raises(Http404):
        s.report_approve(actor=focal, report=r)  # only the coordinator approves
    s.report_approve(actor=coord, report=r)
    r.refresh_from_db()
    assert r.status == ReportStatus.APPROVED and r.reviewed_by == world.coord
    assert indicator_current(pw["ind"]).value == Decimal(40)

    pw["open"].closed = True
    pw["open"].save()  # a correction is still possible after the period closed
    fix = s.report_correct(actor=focal, report=r)
    assert (fix.version, fix.supersedes_id, fix.status) == (2, r.pk, ReportStatus.DRAFT)
    assert fix.values.count() == 3
    with pytest.raises(ValidationError):
        s.report_correct(actor=focal, report=r)  # one correction at a time
    s.report_update(actor=focal, report=fix, commitment_status="completed", narrative="Corregido",
                    values=[V(pw["ind"].pk, "45")])
    s.report_submit(actor=focal, report=fix)
    # Until the correction is approved, the approved report still counts.
    assert indicator_current(pw["ind"]).value == Decimal(40)
    s.report_approve(actor=coord, report=fix)
    r.refresh_from_db()
    assert r.status == ReportStatus.SUPERSEDED
    assert ProgressReport.objects.filter(commitment=pw["p14"], status="approved").get() == fix
    assert indicator_current(pw["ind"]).value == Decimal(45)
    pw["p14"].refresh_from_db()
    assert pw["p14"].status == "completed"
    assert CommitmentRevision.objects.filter(commitment=pw["p14"]).first().snapshot["status"] == "in_progress"
    with pytest.raises(ValidationError):
        s.report_update(actor=focal, report=fix, commitment_status="completed", narrative="x")


def test_return_needs_comment_and_allows_resubmit(world, pw):
    focal, coord = A(world.focal), A(world.coord)
    r = s.report_create(actor=focal, commitment=pw["p14"], period=pw["open"], commitment_status="delayed", narrative="n")
    s.report_submit(actor=focal, report=r)
    with pytest.raises(ValidationError) as e:
        s.report_return(actor=coord, report=r, comment="  ")
    assert "review_comment" in e.value.message_dict
    s.report_return(actor=coord, report=r, comment="Falta el desglose por sexo")
    r.refresh_from_db()
    assert r.status == ReportStatus.RETURNED and r.review_comment == "Falta el desglose por sexo"
    s.report_update(actor=focal, report=r, commitment_status="delayed", narrative="n2", values=[V(pw["ind"].pk, "3")])
    s.report_submit(actor=focal, report=r)
    with pytest.raises(ValidationError):
        s.report_submit(actor=focal, report=r)  # already submitted


def test_closed_period_refused(world, pw):
    with pytest.raises(ValidationError) as e:
        s.report_create(actor=A(world.focal), commitment=pw["p14"], period=pw["closed"], commitment_status="in_progress")
    assert "closed" in _msgs(e)
    assert not ProgressReport.objects.exists()


def test_one_report_per_period_and_submit_needs_narrative(world, pw):
    focal = A(world.focal)
    r = s.report_create(actor=focal, commitment=pw["p14"], period=pw["open"], commitment_status="in_progress")
    with pytest.raises(ValidationError):
        s.report_create(actor=focal, commitment=pw["p14"], period=pw["open"], commitment_status="in_progress")
    with pytest.raises(ValidationError) as e:
        s.report_submit(actor=focal, report=r)
    assert "narrative" in e.value.message_dict


def test_other_institution_and_other_roles_refused(world, pw):
    for user in (world.focal, world.partner, world.reg_sps, world.admin):
        with pytest.raises(Http404):
            s.report_create(actor=A(user), commitment=pw["p01"], period=pw["open"], commitment_status="in_progress")
    # The SEDH focal point and the coordinator may.
    s.report_create(actor=A(world.extra["focal_sedh"]), commitment=pw["p01"], period=pw["open"], commitment_status="in_progress")
    with pytest.raises(Http404):
        s.report_create(actor=A(world.extra["focal_sedh"]), commitment=pw["p14"], period=pw["open"], commitment_status="in_progress")
    s.report_create(actor=A(world.coord), commitment=pw["p14"], period=pw["open"], commitment_status="in_progress")


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ([V(0, "1")], "another commitment"),
        ([("ind", "-1", "")], "negative"),
        ([("ind", "abc", "")], "number"),
        ([("ind", "1.234", "")], "two decimals"),
        ([("ind", "1e20", "")], "too large"),
        ([("ind", "1", "sex:X")], "Unknown breakdown"),
        ([("ind", "1", "dept:99")], "Unknown breakdown"),
        ([("ind", "1", "age:0-5")], "Unknown breakdown"),  # the indicator is not by age
        ([("ind", "10", ""), ("ind", "8", "sex:F"), ("ind", "5", "sex:M")], "more than the total"),
        ([("ind", "1", ""), ("ind", "2", "")], "twice"),
    ],
)
def test_bad_values_refused(world, pw, values, needle):
    vs = [v if isinstance(v, V) else V(pw[v[0]].pk, v[1], v[2]) for v in values]
    with pytest.raises(ValidationError) as e:
        s.report_create(actor=A(world.focal), commitment=pw["p14"], period=pw["open"], commitment_status="in_progress", values=vs)
    assert needle in _msgs(e)
    assert not ProgressReport.objects.exists()


def test_good_breakdowns_and_negative_percent_change(world, pw):
    r = s.report_create(
        actor=A(world.focal), commitment=pw["p14"], period=pw["open"], commitment_status="in_progress",
        values=[V(pw["ind"].pk, "10"), V(pw["ind"].pk, "4", "dept:05"), V(pw["ind_pct"].pk, "-2.5")],
    )
    assert sorted(r.values.values_list("breakdown", flat=True)) == ["", "", "dept:05"]


def _xlsx() -> bytes:
    import io

    wb = Workbook()
    wb.active["A1"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("informe.pdf", b"%PDF-1.4\n...", True),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, True),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, True),
        ("datos.csv", b"municipio,personas\nOmoa,3\n", True),
        ("datos.xlsx", None, True),
        ("informe.pdf", b"MZ\x90\x00 this is an exe", False),  # right name, wrong content
        ("datos.docx", None, False),  # a workbook named .docx
        ("script.exe", b"MZ\x90\x00", False),
        ("nota.html", b"<script>", False),
        ("vacio.pdf", b"", False),
    ],
)
def test_evidence_type_checked_by_content(world, pw, name, content, ok):
    r = s.report_create(actor=A(world.focal), commitment=pw["p14"], period=pw["open"], commitment_status="in_progress")
    upload = SimpleUploadedFile(name, _xlsx() if content is None else content)
    if ok:
        ev = s.evidence_add(actor=A(world.focal), report=r, upload=upload)
        assert ev.size == upload.size and ev.original_name == name
        assert not ev.file.name.endswith(name)  # stored under a random name
    else:
        with pytest.raises(ValidationError):
            s.evidence_add(actor=A(world.focal), report=r, upload=upload)
        assert not Evidence.objects.exists()


def test_evidence_too_big(world, pw):
    r = s.report_create(actor=A(world.focal), commitment=pw["p14"], period=pw["open"], commitment_status="in_progress")
    big = SimpleUploadedFile("grande.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as e:
        s.evidence_add(actor=A(world.focal), report=r, upload=big)
    assert "10 MB" in _msgs(e)


def test_evidence_not_on_approved_report(world, pw):
    focal = A(world.focal)
    r = s.report_create(actor=focal, commitment=pw["p14"], period=pw["open"], commitment_status="in_progress", narrative="n")
    s.report_submit(actor=focal, report=r)
    with pytest.raises(ValidationError):
        s.evidence_add(actor=focal, report=r, upload=SimpleUploadedFile("a.pdf", b"%PDF-1"))
