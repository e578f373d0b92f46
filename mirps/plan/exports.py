"""The plan's commitments and their progress as a workbook for the annual MIRPS report."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record
from mirps.core import access
from mirps.plan import progress
from mirps.plan.models import Area, CommitmentStatus, IndicatorValue, Pillar, ReportStatus
from mirps.stats.exports import safe_cell

if TYPE_CHECKING:
    from mirps.core.access import Actor
    from mirps.plan.models import Plan


def _pct(x: object) -> object:
    return "" if x is None else float(x) * 100  # type: ignore[arg-type]


def plan_export_xlsx(*, actor: Actor, plan: Plan) -> bytes:
    """Three sheets: commitments with progress, indicators with current values, approved values.

    Anyone with PLAN may export (the same data as the pages); the export is audited. Every text
    cell goes through `safe_cell`, so no cell can become a formula.
    """
    actor.require(access.PLAN)
    commitments = progress.commitments_for_progress(plan)
    metrics = progress.metric_values(plan)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Commitments")[:31]
    ws.append([safe_cell(v) for v in [
        _("Code"), _("Title (Spanish)"), _("Title (English)"), _("Area"), _("MIRPS pillar"),
        _("Responsible institution"), _("Status"), _("Start"), _("End"), _("Progress (%)"), _("Indicators with data"),
    ]])
    ws2 = wb.create_sheet(_("Indicators")[:31])
    ws2.append([safe_cell(v) for v in [
        _("Commitment"), _("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Target date"), _("Direction"),
        _("Current value"), _("Period"), _("Source"), _("Progress (%)"),
    ]])
    for c in commitments:
        with_data = 0
        for ind in c.indicators.all():
            cur = progress.indicator_current(ind, metrics=metrics)
            p = progress.indicator_progress(ind, cur.value)
            with_data += cur.value is not None
            ws2.append([safe_cell(v) for v in [
                c.code, ind.name, ind.unit, float(ind.baseline), float(ind.target), ind.target_date.isoformat(),
                str(ind.get_direction_display()), "" if cur.value is None else float(cur.value), cur.period,
                cur.source_text, _pct(p),
            ]])
        ws.append([safe_cell(v) for v in [
            c.code, c.title_es, c.title_en, str(Area(c.area).label), str(Pillar(c.pillar).label),
            c.responsible.label, str(CommitmentStatus(c.status).label),
            c.start_date.isoformat() if c.start_date else "", c.end_date.isoformat() if c.end_date else "",
            _pct(progress.commitment_progress(c, metrics=metrics)), with_data,
        ]])
    ws3 = wb.create_sheet(_("Reported values")[:31])
    ws3.append([safe_cell(v) for v in [
        _("Commitment"), _("Period"), _("Report version"), _("Indicator"), _("Breakdown"), _("Value"), _("Source"),
    ]])
    values = (
        IndicatorValue.objects.filter(report__commitment__plan=plan, report__status=ReportStatus.APPROVED)
        .select_related("report__commitment", "report__period", "indicator")
        .order_by("report__commitment__code", "report__period__start", "indicator_id", "breakdown")
    )
    for v in values:
        ws3.append([safe_cell(x) for x in [
            v.report.commitment.code, v.report.period.label, v.report.version, v.indicator.name,
            v.breakdown or _("Total"), float(v.value), v.source,
        ]])
    ws4 = wb.create_sheet(_("About")[:31])
    share = progress.implementation_share(plan=plan, commitments=commitments, metrics=metrics)[None]
    for row in [
        (_("Plan"), plan.title), (_("Plan version"), plan.version),
        (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (_("Implementation share (%)"), _pct(share.value)),
        (_("Rule"), str(progress.RULE)),
        *([(_("Note"), _("Illustrative commitments, not the official text"))] if plan.illustrative else []),
    ]:
        ws4.append([safe_cell(x) for x in row])
    for sheet in (ws, ws2, ws3):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditEvent.Action.EXPORT, obj=plan,
            detail={"format": "xlsx", "commitments": len(commitments)},
        )
    return buf.getvalue()
