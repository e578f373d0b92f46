"""Where the current act comes from (address, channel), set once per request or task."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Origin:
    address: str | None = None
    channel: str = "cli"


current_origin: ContextVar[Origin] = ContextVar("current_origin", default=Origin())  # noqa: B039 - Origin is frozen


def client_address(request: HttpRequest) -> str | None:
    # Behind a proxy, REMOTE_ADDR is the proxy; the deployment sets it from X-Forwarded-For there.
    return request.META.get("REMOTE_ADDR") or None


class OriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        token = current_origin.set(Origin(address=client_address(request), channel=channel))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
