"""Public pages (no login) and the signed-in cooperation map."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from mirps.core import access
from mirps.meetings.selectors import meetings_published
from mirps.public import map as coop_map
from mirps.public.selectors import plan_progress, plan_published


def _filters_query(values: dict[str, str]) -> str:
    return urlencode({k: v for k, v in values.items() if v})


def home(request: HttpRequest) -> HttpResponse:
    """The public page: published plan progress, published interventions and meetings."""
    plan = plan_published()
    form = coop_map.MapForm(request.GET, actor_or_none=None, published_only=True, with_layer=False)
    values = form.values()
    built = coop_map.map_build(actor_or_none=None, published_only=True, filters=values, layer="interventions")
    return render(
        request,
        "public/home.html",
        {
            "plan": plan,
            "progress": plan_progress(plan) if plan else None,
            "form": form,
            "interventions": built["interventions"],
            "count": built["count"],
            "budget_total": built["budget_total"],
            "query": _filters_query(values),
            "meetings": meetings_published(),
        },
    )


def _map_page(request: HttpRequest, *, actor: access.Actor | None, published_only: bool) -> HttpResponse:
    form = coop_map.MapForm(request.GET, actor_or_none=actor, published_only=published_only)
    values = form.values()
    layer = values.pop("layer") or "interventions"
    built = coop_map.map_build(actor_or_none=actor, published_only=published_only, filters=values, layer=layer)
    return render(
        request,
        "public/map.html",
        {
            "form": form,
            "built": built,
            "map_data": coop_map.map_json(built),
            "published_only": published_only,
            "query": _filters_query(values),
        },
    )


def map_public(request: HttpRequest) -> HttpResponse:
    return _map_page(request, actor=None, published_only=True)


@login_required
def map_internal(request: HttpRequest) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.PLAN)
    return _map_page(request, actor=actor, published_only=False)
