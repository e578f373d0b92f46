from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mirps.core import access


def actor(request: HttpRequest) -> dict[str, Any]:
    a = getattr(request, "actor", None)
    if a is None:
        return {}
    return {
        "actor": a,
        "can_register": a.can(access.REGISTER),
        "can_arrivals": a.can(access.ARRIVALS),
        "can_follow_up": a.can(access.FOLLOW_UP),
        "can_stats": a.can(access.STATS),
        "can_plan": a.can(access.PLAN),
        "can_audit": a.can(access.AUDIT),
        "can_admin": a.can(access.REFERENCE),
        "can_identity_review": a.can(access.IDENTITY_REVIEW),
        "can_identity_run": a.can(access.IDENTITY_RUN),
    }
