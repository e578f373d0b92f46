from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mirps.core import access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is."""
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    if actor.can(access.REGISTER):
        return redirect("registration:arrival_list")
    if actor.can(access.FOLLOW_UP):
        return redirect("registration:followup_queue")
    if actor.can(access.IDENTITY_REVIEW):
        return redirect("identity:queue")
    if actor.can(access.STATS):
        return redirect("stats:dashboard")
    return render(request, "home.html")
