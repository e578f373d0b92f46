"""The dashboard page, the people and re-migration page, and the download of their tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from mirps.core import access
from mirps.stats import remigration
from mirps.stats.builders import TABLES
from mirps.stats.forms import FilterForm
from mirps.stats.selectors import dashboard_get
from mirps.stats.services import stats_table_export

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.STATS)
    data = request.GET
    if "point" not in data and len(actor.registration_sites) == 1:
        # A registrar asks first about their own reception point, where counts are exact.
        data = data.copy()
        data["point"] = str(actor.registration_sites[0])
    form = FilterForm(data)
    filters = form.filters()
    board = dashboard_get(actor=actor, filters=filters)
    return render(
        request,
        "stats/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "point": form.cleaned_data.get("point") if form.is_valid() else None,
            "board": board,
            "tables": board.tables,
            "chart_data": board.chart_data(),
            "query": urlencode(filters.as_query()),
        },
    )


@login_required
def table_export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.STATS)
    if name not in TABLES or fmt not in CONTENT_TYPES:
        raise Http404
    form = FilterForm(request.GET)
    filters = form.filters()
    body = stats_table_export(actor=actor, filters=filters, name=name, fmt=fmt)
    q = filters.as_query()
    filename = f"mirps-{name}-{q['month_from']}-{q['month_to']}.{fmt}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """People (resolved persons) per month and re-migration, with the dashboard's disclosure."""
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.STATS)
    data = request.GET
    if "point" not in data and len(actor.registration_sites) == 1:
        data = data.copy()
        data["point"] = str(actor.registration_sites[0])
    form = remigration.PeopleFilterForm(data)
    filters = form.filters()
    board = remigration.people_get(actor=actor, filters=filters)
    return render(
        request,
        "stats/people.html",
        {
            "form": form,
            "filters": filters,
            "point": form.cleaned_data.get("point") if form.is_valid() else None,
            "board": board,
            "query": urlencode(filters.as_query()),
        },
    )


@login_required
def people_export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.STATS)
    if name not in remigration.TABLES or fmt not in CONTENT_TYPES:
        raise Http404
    filters = remigration.PeopleFilterForm(request.GET).filters()
    body = remigration.people_table_export(actor=actor, filters=filters, name=name, fmt=fmt)
    q = filters.as_query()
    filename = f"mirps-people-{name}-{q['month_from']}-{q['month_to']}.{fmt}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
