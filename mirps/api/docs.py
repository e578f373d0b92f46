"""The interactive API docs, served from this server only (offline sites; CSP without CDNs)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger


class LocalSwagger(Swagger):
    """Swagger UI from static files, with no inline script.

    ninja's own Swagger silently switches to a CDN page when "ninja" is missing from
    INSTALLED_APPS; this one always renders the local page. The Swagger UI files are ninja's
    (static/ninja/), found by the static files finders once "ninja" is an installed app.
    """

    template = "api/docs.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI otherwise sends the schema to validator.swagger.io and shows its badge.
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": settings})
