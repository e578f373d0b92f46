from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from mirps.core.access import Actor


class IdleTimeoutMiddleware:
    """Log out after SESSION_IDLE_SECONDS without a request, or SESSION_ABSOLUTE_SECONDS after login.

    Also resolves the acting user's memberships once per request (`request.actor`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen", now)
            started = request.session.setdefault("login_at", now)
            if (
                now - last > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
            else:
                request.session["last_seen"] = now
        request.actor = Actor.of(request.user)  # type: ignore[attr-defined]
        return self.get_response(request)
