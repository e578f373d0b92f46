"""HXL export, template and staged import (round trip, bad files, row-by-row report)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from mirps.cooperation import hxl
from mirps.cooperation.models import ImportBatch, Intervention
from mirps.cooperation.tests.conftest import actor, make_iv

pytestmark = pytest.mark.django_db


def rows_of_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def three(coop, plan):
    p01 = plan.commitments.get(code="P01").pk
    e01 = plan.commitments.get(code="E01").pk
    make_iv(coop.partner, code="ACNUR-1", municipalities=["HN0501", "HN0801"], commitments=[p01, e01], funders=["ue", "suecia"])
    make_iv(
        coop.partner, code="ACNUR-2", title="=HYPERLINK(\"http://evil\")", activity="<b>Taller</b> de oficios",
        populations=["idps", "host"], end=None, reached_women=20, reached_note="+ mujeres de lo previsto",
    )
    make_iv(coop.extra["partner_oim"], implementer="oim", code="OIM-1", sector="cash", start=date(2021, 5, 1), end=date(2026, 1, 31), budget_usd="250000.50")
    return coop


def test_template_has_header_and_hashtag_rows(three):
    rows = rows_of_csv(hxl.csv_bytes(hxl.table(None)))
    assert len(rows) == 2
    for tag in ("#org+impl+code", "#org+funder+code", "#sector+code", "#activity+name", "#adm1+code", "#adm2+code",
                "#date+start", "#date+end", "#status+code", "#targeted+f+adults", "#reached+m+children", "#value+budget+usd", "#meta+id+code"):
        assert tag in rows[1]


def test_export_neutralises_formulas(three):
    rows = rows_of_csv(hxl.export(actor=actor(three.coord), qs=Intervention.objects.all(), fmt="csv"))
    titles = [r[1] for r in rows[2:]]
    assert "'=HYPERLINK(\"http://evil\")" in titles
    acnur1 = next(r for r in rows if r[0] == "ACNUR-1")
    assert acnur1[7] == "HN0501|HN0801" and acnur1[6] == "HN05|HN08"
    assert acnur1[22] == "E01|P01"
    wb = load_workbook(io.BytesIO(hxl.export(actor=None, qs=Intervention.objects.all(), fmt="xlsx")))
    ws = wb.active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip(three, fmt):
    coord = actor(three.coord)
    before = hxl.table(Intervention.objects.all())
    data = hxl.export(actor=coord, qs=Intervention.objects.all(), fmt=fmt)
    Intervention.objects.all().delete()
    batch = hxl.import_stage(actor=coord, filename=f"x.{fmt}", content=data)
    assert batch.report["errors"] == 0, batch.report
    assert not Intervention.objects.exists()  # nothing saved before confirmation
    counts = hxl.import_apply(actor=coord, batch=batch, only_valid=False)
    assert counts == {"created": 3, "updated": 0, "skipped": 0}
    assert hxl.table(Intervention.objects.all()) == before
    assert Intervention.objects.get(code="ACNUR-2").title == "=HYPERLINK(\"http://evil\")"
    assert Intervention.objects.get(code="ACNUR-2").activity == "<b>Taller</b> de oficios"
    # Importing the same file again updates, and changes nothing.
    batch = hxl.import_stage(actor=coord, filename=f"x.{fmt}", content=data)
    assert hxl.import_apply(actor=coord, batch=batch, only_valid=False)["updated"] == 3
    assert hxl.table(Intervention.objects.all()) == before


def csv_file(rows: list[list[str]]) -> bytes:
    return hxl.csv_bytes(hxl.table(None) + rows)


def good_row(**kw) -> list[str]:
    v = {c.key: "" for c in hxl.COLUMNS}
    v.update(code="NEW-1", title="Nuevo", implementer="acnur", sector="protection", activity="Charlas", municipalities="HN0501",
             start="2024-01-01", status="planned", populations="returnees", budget_usd="10")
    v.update(kw)
    return [v[c.key] for c in hxl.COLUMNS]


def test_row_by_row_report_and_confirmation(three):
    partner = actor(three.partner)
    content = csv_file([
        good_row(code="NEW-1"),
        good_row(code="NEW-2", end="2023-01-01"),
        good_row(code="NEW-3", municipalities="HN9999"),
        good_row(code="NEW-4", reached_women="5"),
        good_row(code="NEW-5", municipalities="HN0801", departments="HN05"),
        good_row(code="OIM-1"),  # another organisation's
        good_row(code="NEW-1"),  # repeated
        good_row(code="NEW-6", budget_usd="-4"),
    ])
    batch = hxl.import_stage(actor=partner, filename="x.csv", content=content)
    rows = {r["line"]: r for r in batch.report["rows"]}
    assert rows[3]["action"] == "create" and not rows[3]["errors"]
    assert "before the start" in rows[4]["errors"][0]
    assert "HN9999" in rows[5]["errors"][0]
    assert "reached" in rows[6]["errors"][0]
    assert "not in the department" in rows[7]["errors"][0]
    assert "another organisation" in rows[8]["errors"][0]
    assert "repeated" in rows[9]["errors"][0]
    assert "negative" in rows[10]["errors"][0]
    assert batch.report["errors"] == 7
    with pytest.raises(ValidationError):
        hxl.import_apply(actor=partner, batch=batch, only_valid=False)
    assert Intervention.objects.count() == 3  # nothing half-saved
    counts = hxl.import_apply(actor=partner, batch=batch, only_valid=True)
    assert counts == {"created": 1, "updated": 0, "skipped": 7}
    assert Intervention.objects.filter(code="NEW-1").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    with pytest.raises(ValidationError):
        hxl.import_apply(actor=partner, batch=batch, only_valid=True)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("x.csv", b"a,b\n1,2\n", "hashtag"),
        ("x.csv", b"Title\n#meta+title\nfoo\n", "missing hashtags"),
        ("x.pdf", b"%PDF", ".csv or .xlsx"),
        ("x.xlsx", b"not a zip", "not an XLSX"),
        ("x.xlsx", b"PK\x03\x04garbage", "could not be read"),
        ("x.csv", "é".encode("latin-1"), "UTF-8"),
        ("x.csv", b"x" * (5 * 1024 * 1024 + 1), "too large"),
    ],
)
def test_bad_files_refused(three, name, content, words):
    with pytest.raises(ValidationError) as exc:
        hxl.import_stage(actor=actor(three.partner), filename=name, content=content)
    assert words in exc.value.messages[0]
    assert not ImportBatch.objects.exists()


def test_unknown_column_refused(three):
    rows = hxl.table(None)
    rows[0].append("Extra")
    rows[1].append("#foo+bar")
    with pytest.raises(ValidationError) as exc:
        hxl.import_stage(actor=actor(three.partner), filename="x.csv", content=hxl.csv_bytes(rows))
    assert "#foo+bar" in exc.value.messages[0]


def test_hashtags_match_in_any_order_and_attribute_order(three):
    rows = [*hxl.table(None), good_row()]
    cols = list(zip(*rows, strict=True))[::-1]
    rows = [list(r) for r in zip(*cols, strict=True)]
    rows[1] = [t.replace("#targeted+f+adults", "#Targeted+adults+F") for t in rows[1]]
    batch = hxl.import_stage(actor=actor(three.partner), filename="x.csv", content=hxl.csv_bytes(rows))
    assert batch.report["errors"] == 0, batch.report


def test_xlsx_formula_cells_are_refused_never_evaluated(three):
    wb = Workbook()
    ws = wb.active
    for r in hxl.table(None):
        ws.append(r)
    ws.append(good_row())
    ws.cell(row=3, column=22).value = "=1000*1000"  # budget as a formula
    buf = io.BytesIO()
    wb.save(buf)
    batch = hxl.import_stage(actor=actor(three.partner), filename="x.xlsx", content=buf.getvalue())
    assert batch.report["errors"] == 1
    assert "Formulas are not accepted" in batch.report["rows"][0]["errors"][0]


def test_batch_is_private_to_its_author(three):
    from django.http import Http404

    batch = hxl.import_stage(actor=actor(three.partner), filename="x.csv", content=csv_file([good_row()]))
    with pytest.raises(Http404):
        hxl.batch_get(actor=actor(three.extra["partner_oim"]), batch_id=batch.pk)
    assert hxl.batch_get(actor=actor(three.partner), batch_id=batch.pk) == batch
