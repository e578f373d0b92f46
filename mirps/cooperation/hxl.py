"""Interventions as HXL spreadsheets (CSV or XLSX): export, empty template, staged import.

Layout: row 1 holds readable headers, row 2 the HXL hashtags, then ONE ROW PER INTERVENTION.
Lists (funders, departments, municipalities, populations, commitments) are joined with "|" in
one cell, e.g. `#adm2+code` = "HN0501|HN0801". Columns are matched by hashtag, not by position or
header text. Text cells are neutralised on export (a leading "'" before "=", "+", "-", "@") and
that one "'" is removed again on import, so the round trip gives back the same text.

Import: the uploaded file is checked (size, type, hashtags) and kept in an `ImportBatch`;
every row is validated by the same rules as the form (`services.intervention_validate`) and the
report lists each rejected row with its reasons. Nothing is saved until the user confirms: "all"
(only if no row has an error) or "only the valid rows" when they ask for it explicitly.
XLSX formula cells are refused (never evaluated); HTML stays plain text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from mirps.audit.services import audit_record
from mirps.cooperation import services
from mirps.cooperation.models import ImportBatch, Intervention
from mirps.cooperation.services import InterventionInput
from mirps.core import access
from mirps.core.access import Actor
from mirps.geo.models import Municipality
from mirps.plan.models import Commitment
from mirps.stats.exports import FORMULA_STARTS, safe_cell

MAX_UPLOAD = 5 * 1024 * 1024
MAX_ROWS = 5000
SEP = "|"


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # lazy translated header
    tag: str
    kind: str = "text"  # text | list | int | date | money | code


COLUMNS: list[Column] = [
    Column("code", gettext_lazy("Code"), "#meta+id+code", "code"),
    Column("title", gettext_lazy("Title"), "#meta+title", "text"),
    Column("implementer", gettext_lazy("Implementing organisation"), "#org+impl+code", "code"),
    Column("funders", gettext_lazy("Funders"), "#org+funder+code", "list"),
    Column("sector", gettext_lazy("Sector"), "#sector+code", "code"),
    Column("activity", gettext_lazy("Activity"), "#activity+name", "text"),
    Column("departments", gettext_lazy("Departments (P-codes)"), "#adm1+code", "list"),
    Column("municipalities", gettext_lazy("Municipalities (P-codes)"), "#adm2+code", "list"),
    Column("start", gettext_lazy("Start"), "#date+start", "date"),
    Column("end", gettext_lazy("End"), "#date+end", "date"),
    Column("status", gettext_lazy("Status"), "#status+code", "code"),
    Column("populations", gettext_lazy("Target population"), "#population+type+code", "list"),
    Column("targeted_women", gettext_lazy("Targeted: women"), "#targeted+f+adults", "int"),
    Column("targeted_men", gettext_lazy("Targeted: men"), "#targeted+m+adults", "int"),
    Column("targeted_girls", gettext_lazy("Targeted: girls"), "#targeted+f+children", "int"),
    Column("targeted_boys", gettext_lazy("Targeted: boys"), "#targeted+m+children", "int"),
    Column("reached_women", gettext_lazy("Reached: women"), "#reached+f+adults", "int"),
    Column("reached_men", gettext_lazy("Reached: men"), "#reached+m+adults", "int"),
    Column("reached_girls", gettext_lazy("Reached: girls"), "#reached+f+children", "int"),
    Column("reached_boys", gettext_lazy("Reached: boys"), "#reached+m+children", "int"),
    Column("reached_note", gettext_lazy("Note on people reached"), "#description+reached", "text"),
    Column("budget_usd", gettext_lazy("Budget (USD)"), "#value+budget+usd", "money"),
    Column("commitments", gettext_lazy("Commitments (codes)"), "#meta+commitment+code", "list"),
]
TAGS = {c.tag: c for c in COLUMNS}


def _normal_tag(tag: str) -> str:
    """HXL attributes are unordered and case-insensitive: "#Targeted +M+adults" = "#targeted+adults+m"."""
    parts = [p.strip().lower() for p in str(tag or "").replace(" ", "").split("+")]
    return "+".join([parts[0], *sorted(p for p in parts[1:] if p)]) if parts and parts[0] else ""


NORMAL_TAGS = {_normal_tag(c.tag): c for c in COLUMNS}


# --- export ---------------------------------------------------------------------------------


def _current_plan_codes() -> dict[int, str]:
    return dict(Commitment.objects.values_list("pk", "code"))


def intervention_row(iv: Intervention, commitment_codes: dict[int, str]) -> list[Any]:
    munis = sorted(iv.municipalities.all(), key=lambda m: m.pcode)
    values: dict[str, Any] = {
        "code": iv.code,
        "title": iv.title,
        "implementer": iv.implementer.code,
        "funders": SEP.join(sorted(f.code for f in iv.funders.all())),
        "sector": iv.sector,
        "activity": iv.activity,
        "departments": SEP.join(sorted({m.department.pcode for m in munis})),
        "municipalities": SEP.join(m.pcode for m in munis),
        "start": iv.start.isoformat(),
        "end": iv.end.isoformat() if iv.end else "",
        "status": iv.status,
        "populations": SEP.join(iv.populations),
        "reached_note": iv.reached_note,
        "budget_usd": f"{iv.budget_usd:.2f}",
        "commitments": SEP.join(sorted(commitment_codes.get(c.pk, "") for c in iv.commitments.all())),
    }
    for k in ("targeted", "reached"):
        for c in services.CELLS:
            values[f"{k}_{c}"] = getattr(iv, f"{k}_{c}")
    return [safe_cell(values[c.key]) for c in COLUMNS]


def table(qs: QuerySet[Intervention] | None) -> list[list[Any]]:
    """Header row, hashtag row and one row per intervention (none for the empty template)."""
    rows: list[list[Any]] = [[str(c.header) for c in COLUMNS], [c.tag for c in COLUMNS]]
    if qs is not None:
        codes = _current_plan_codes()
        qs = qs.select_related("implementer").prefetch_related(
            "funders", "municipalities__department", "commitments"
        )
        rows += [intervention_row(iv, codes) for iv in qs.order_by("code")]
    return rows


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "interventions"
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    for cell in ws[1]:
        cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export(*, actor: Actor | None, qs: QuerySet[Intervention], fmt: str) -> bytes:
    rows = table(qs)
    if actor is not None:
        audit_record(
            actor=actor, action="export", object_type="intervention", detail={"format": f"hxl-{fmt}", "rows": len(rows) - 2}
        )
    return xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)


# --- import: reading ------------------------------------------------------------------------


class FileRefused(ValidationError):
    """The whole file is refused (size, type, columns): nothing is staged."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_rows(content: bytes, kind: str) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
    """All rows as text; second: the cells holding a formula (row, column) → formula text."""
    formulas: dict[tuple[int, int], str] = {}
    if kind == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileRefused(_("The CSV file must be encoded in UTF-8.")) from None
        if "\x00" in text:
            raise FileRefused(_("This is not a CSV text file."))
        try:
            rows = [list(r) for r in csv.reader(io.StringIO(text))]
        except csv.Error:
            raise FileRefused(_("The CSV file could not be read.")) from None
        return rows, formulas
    try:
        # data_only=False: a formula comes back as its text and is never evaluated.
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        ws = wb.worksheets[0]
        rows = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            if r > MAX_ROWS + 2:
                break
            texts = []
            for c, cell in enumerate(row, start=1):
                if getattr(cell, "data_type", None) == "f":
                    formulas[(r, c)] = str(cell.value)
                texts.append(_cell_text(getattr(cell, "value", None)))
            rows.append(texts)
        wb.close()
    except Exception:
        raise FileRefused(_("The XLSX file could not be read. Save it again as an Excel workbook.")) from None
    return rows, formulas


def _kind_of(filename: str, content: bytes) -> str:
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise FileRefused(_("This is not an XLSX file."))
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    raise FileRefused(_("Upload a .csv or .xlsx file made from the template."))


def _columns(rows: list[list[str]]) -> dict[str, int]:
    """Column index of each known hashtag; refuses a file whose hashtag row is missing or wrong."""
    if len(rows) < 2:
        raise FileRefused(_("The file has no HXL hashtag row: use the downloadable template."))
    tags = [_normal_tag(t) for t in rows[1]]
    if not any(t.startswith("#") for t in tags):
        raise FileRefused(_("The second row must hold the HXL hashtags: use the downloadable template."))
    where: dict[str, int] = {}
    unknown = []
    for i, t in enumerate(tags):
        if not t:
            continue
        col = NORMAL_TAGS.get(t)
        if col is None:
            unknown.append(rows[1][i])
        elif col.key in where:
            raise FileRefused(_("The hashtag %(tag)s appears twice.") % {"tag": col.tag})
        else:
            where[col.key] = i
    missing = [c.tag for c in COLUMNS if c.key not in where]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing hashtags: %(tags)s") % {"tags": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(tags)s") % {"tags": ", ".join(str(u)[:40] for u in unknown)})
        raise FileRefused(_("Wrong columns (%(detail)s). Use the downloadable template.") % {"detail": "; ".join(parts)})
    return where


def _untext(value: str) -> str:
    """Undo the export's neutralising "'" in front of a formula-like start."""
    if value.startswith("'") and value[1:].lstrip().startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass
class RowResult:
    line: int  # row number in the file (1-based, as a spreadsheet shows it)
    code: str
    action: str  # "create" | "update" | "error"
    errors: list[str] = field(default_factory=list)
    data: InterventionInput | None = None
    existing: Intervention | None = None


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(SEP) if p.strip()]


def _row_input(values: dict[str, str], codes: dict[str, int]) -> tuple[InterventionInput, list[str]]:
    errors: list[str] = []
    commitment_ids: list[Any] = []
    for code in _split(values["commitments"]):
        if code.upper() in codes:
            commitment_ids.append(codes[code.upper()])
        else:
            errors.append(_("Unknown commitment: %(codes)s.") % {"codes": code[:20]})
    data = InterventionInput(
        code=values["code"],
        title=values["title"],
        implementer=values["implementer"],
        sector=values["sector"],
        activity=values["activity"],
        start=values["start"] or None,
        end=values["end"] or None,
        status=values["status"],
        funders=_split(values["funders"]),
        municipalities=_split(values["municipalities"]),
        populations=_split(values["populations"]),
        reached_note=values["reached_note"],
        budget_usd=values["budget_usd"] or "0",
        commitments=commitment_ids,
        **{f"{k}_{c}": values[f"{k}_{c}"] or 0 for k in ("targeted", "reached") for c in services.CELLS},
    )
    return data, errors


def _commitment_codes() -> dict[str, int]:
    """Commitment code → id, the most recent plan winning when codes repeat across plans."""
    out: dict[str, int] = {}
    for pk, code in Commitment.objects.order_by("plan__period_start", "pk").values_list("pk", "code"):
        out[code.upper()] = pk
    return out


def validate_file(*, actor: Actor, filename: str, content: bytes) -> list[RowResult]:
    """Parse and validate every row (nothing saved). Raises FileRefused for a wrong file."""
    if len(content) > MAX_UPLOAD:
        raise FileRefused(_("The file is too large: at most 5 MB."))
    kind = _kind_of(filename, content)
    rows, formulas = _read_rows(content, kind)
    where = _columns(rows)
    body = rows[2:]
    if len(body) > MAX_ROWS:
        raise FileRefused(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
    codes = _commitment_codes()
    editable = set(Intervention.objects.filter(access.intervention_edit_scope(actor)).values_list("code", flat=True))
    existing_all = dict(Intervention.objects.values_list("code", "pk"))
    muni_dept = dict(Municipality.objects.values_list("pcode", "department__pcode"))
    muni_dept.update(Municipality.objects.values_list("code", "department__pcode"))
    seen: dict[str, int] = {}
    results: list[RowResult] = []
    for offset, raw in enumerate(body):
        line = offset + 3
        if not any(str(v).strip() for v in raw):
            continue
        values = {key: _untext(raw[i].strip()) if i < len(raw) else "" for key, i in where.items()}
        res = RowResult(line=line, code=values["code"], action="create")
        for (r, c), _f in formulas.items():
            if r == line:
                res.errors.append(
                    _("Formulas are not accepted (column %(col)d): type the value instead.") % {"col": c}
                )
        data, errs = _row_input(values, codes)
        res.errors += errs
        code = values["code"]
        if code:
            if code in seen:
                res.errors.append(_("The code %(code)s is repeated (row %(row)d).") % {"code": code, "row": seen[code]})
            seen[code] = line
            if code in existing_all:
                if code in editable:
                    res.action = "update"
                    res.existing = Intervention.objects.get(code=code)
                else:
                    res.errors.append(
                        _("The intervention %(code)s belongs to another organisation: you cannot change it.")
                        % {"code": code}
                    )
        depts = {d.upper() for d in _split(values["departments"])}
        if depts:
            outside = [m for m in data.municipalities if m.upper() in muni_dept and muni_dept[m.upper()] not in depts]
            if outside:
                res.errors.append(
                    _("%(names)s is not in the department %(department)s.")
                    % {"names": ", ".join(outside), "department": ", ".join(sorted(depts))}
                )
        try:
            services.intervention_validate(actor=actor, data=data, existing=res.existing)
        except ValidationError as exc:
            for name, msgs in exc.message_dict.items():
                col = next((c for c in COLUMNS if c.key == name), None)
                label = col.tag if col else name
                res.errors += [f"{label}: {m}" for m in msgs]
        if res.errors:
            res.action = "error"
        res.data = data
        results.append(res)
    return results


def report_of(results: list[RowResult]) -> dict[str, Any]:
    return {
        "rows": [{"line": r.line, "code": r.code, "action": r.action, "errors": r.errors} for r in results],
        "valid": sum(1 for r in results if r.action != "error"),
        "errors": sum(1 for r in results if r.action == "error"),
    }


@transaction.atomic
def import_stage(*, actor: Actor, filename: str, content: bytes) -> ImportBatch:
    """Check the file and keep it with its validation report; nothing is imported yet."""
    actor.require(access.COOP_EDIT)
    results = validate_file(actor=actor, filename=filename, content=content)
    batch = ImportBatch.objects.create(
        created_by=actor.user,
        filename=filename[:200],
        kind=_kind_of(filename, content),
        content=content,
        report=report_of(results),
    )
    audit_record(actor=actor, action="create", obj=batch, detail={"rows": len(results), "errors": batch.report["errors"]})
    return batch


def batch_get(*, actor: Actor, batch_id: Any) -> ImportBatch:
    """A staged import of the actor's own (else 404)."""
    from django.http import Http404

    actor.require(access.COOP_EDIT)
    try:
        return ImportBatch.objects.get(pk=batch_id, created_by=actor.user)
    except (ImportBatch.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@transaction.atomic
def import_apply(*, actor: Actor, batch: ImportBatch, only_valid: bool) -> dict[str, int]:
    """Save the staged rows after the user confirmed: all of them (refused if any row has an error)
    or, when the user asked explicitly, only the valid ones. The file is validated again first."""
    actor.require(access.COOP_EDIT)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, created_by=actor.user)
    if batch.status != ImportBatch.Status.STAGED:
        raise ValidationError({"__all__": [_("This import was already saved or discarded.")]})
    results = validate_file(actor=actor, filename=batch.filename, content=bytes(batch.content))
    bad = [r for r in results if r.action == "error"]
    if bad and not only_valid:
        raise ValidationError(
            {"__all__": [_("%(n)d rows have errors: correct the file, or choose to save only the valid rows.") % {"n": len(bad)}]}
        )
    counts = {"created": 0, "updated": 0, "skipped": len(bad)}
    for r in results:
        if r.action == "create":
            services.intervention_create(actor=actor, data=r.data)  # type: ignore[arg-type]
            counts["created"] += 1
        elif r.action == "update":
            services.intervention_update(actor=actor, intervention=r.existing, data=r.data)  # type: ignore[arg-type]
            counts["updated"] += 1
    batch.status = ImportBatch.Status.APPLIED
    batch.report = {**report_of(results), "saved": counts}
    batch.content = b""  # the data now lives in the interventions
    batch.save()
    audit_record(actor=actor, action="update", obj=batch, detail=counts)
    return counts


@transaction.atomic
def import_discard(*, actor: Actor, batch: ImportBatch) -> None:
    actor.require(access.COOP_EDIT)
    ImportBatch.objects.filter(pk=batch.pk, created_by=actor.user, status=ImportBatch.Status.STAGED).update(
        status=ImportBatch.Status.DISCARDED, content=b""
    )
    audit_record(actor=actor, action="update", obj=batch, detail={"status": "discarded"})

