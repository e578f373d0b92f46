from __future__ import annotations

from typing import Any

from mirps.audit.context import current_origin
from mirps.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Call it inside the transaction of the act it records.

    `detail` must hold field names, ids and counts only, never personal values.
    """
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
    origin = current_origin.get()
    user = getattr(actor, "user", actor)
    return AuditEvent.objects.create(
        actor=user if (user is not None and getattr(user, "pk", None)) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        address=origin.address,
        channel=origin.channel,
        detail=detail or {},
    )
