"""Spreadsheet-safe CSV and XLSX files of a published table.

Labels come from editable reference data (a term label, a site name), so any text could be
`=HYPERLINK(...)`: a spreadsheet would run it when the file is opened (CSV injection).
Every text cell goes through `safe_cell`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mirps.stats import disclosure
from mirps.stats.tables import Published, Table

if TYPE_CHECKING:
    from mirps.accounts.models import Site
    from mirps.stats.selectors import StatsFilters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = int | float | str


def _invisible(ch: str) -> bool:
    # Spaces, control characters and format characters (BOM, zero-width space) hide a formula
    # start from a naive check, but some spreadsheets skip them when parsing the cell.
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def safe_cell(value: Cell | None) -> Cell:
    """Text a spreadsheet cannot take for a formula: prefix "'" when it would start one."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    i = 0
    while i < len(value) and _invisible(value[i]):
        i += 1
    if value[i:].startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_rows(table: Table) -> list[list[Cell]]:
    """Header, rows and total as cells; suppressed counts stay text ("<5"), like on screen."""
    header: list[Cell] = [_("Code"), table.code_header, *(c.label for c in table.columns)]
    out = [header]
    for row in table.all_rows:
        values: Sequence[Published] = row.values
        out.append([row.code, row.label, *values])
    return [[safe_cell(v) for v in r] for r in out]


def csv_bytes(table: Table) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerows(table_rows(table))
    # With a BOM, Excel reads the file as UTF-8 (accents in Spanish labels) instead of ANSI.
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: Table, about: Sequence[tuple[str, str]] = ()) -> bytes:
    """A workbook with the table on the first sheet and, when given, what it is on a second."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Table")[:31]
    for r in table_rows(table):
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    _force_text(ws)
    ws.column_dimensions["B"].width = 36
    if about:
        info = wb.create_sheet(_("About")[:31])
        for k, v in about:
            info.append([safe_cell(k), safe_cell(v)])
        info.column_dimensions["A"].width = 28
        info.column_dimensions["B"].width = 80
        _force_text(info)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _force_text(ws: object) -> None:
    # openpyxl stores any string that starts with "=" as a formula; safe_cell already prevents
    # that, and marking every text cell as a plain string keeps it so if safe_cell ever changes.
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def about_rows(
    table: Table, filters: StatsFilters, site: Site | None, *, exact: bool
) -> list[tuple[str, str]]:
    """What an exported table is: its title, filters, when it was made, and the disclosure rule."""
    q = filters.as_query()
    small = _(
        "Counts from 1 to %(n)d are shown as %(label)s, and counts that would give one of them"
        " away by subtraction as %(hidden)s; shares computed on them as %(dash)s."
    ) % {
        "n": disclosure.threshold() - 1,
        "label": disclosure.suppressed_label(),
        "hidden": disclosure.HIDDEN,
        "dash": disclosure.NOT_SHOWN,
    }
    about = [
        (_("Table"), table.title),
        (_("From month"), q["month_from"]),
        (_("To month"), q["month_to"]),
        (_("Reception point"), site.label if site else _("All reception points")),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (_("Small counts"), _("Exact (your own reception point).") if exact else small),
    ]
    if table.note:
        about.append((_("Note"), table.note))
    return about
