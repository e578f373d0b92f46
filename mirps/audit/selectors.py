from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from mirps.audit.models import AuditEvent
from mirps.core import access


@dataclass
class AuditFilters:
    object_id: str = ""
    actor: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_events(*, actor: access.Actor, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The audit log, for administrators only ("who viewed this person, and when?")."""
    actor.require(access.AUDIT)
    qs = AuditEvent.objects.select_related("actor")
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.actor:
        qs = qs.filter(actor__username=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    return qs.order_by("-at", "-id")
