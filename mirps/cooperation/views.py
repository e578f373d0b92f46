"""Cooperation pages: interventions (who does what where), pledges, support needs, funding."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mirps.cooperation import funding, hxl, iati, selectors, services
from mirps.cooperation.forms import (
    FilterForm,
    ImportForm,
    InterventionForm,
    NeedForm,
    PledgeForm,
    implementer_choices_for,
    partner_choices_for,
)
from mirps.cooperation.models import Pledge, Population
from mirps.core import access
from mirps.plan.models import Plan

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _actor(request: HttpRequest) -> access.Actor:
    actor: access.Actor = request.actor  # type: ignore[attr-defined]
    actor.require(access.PLAN)
    return actor


def _form_errors(form: Any, exc: ValidationError) -> None:
    for name, msgs in exc.message_dict.items():
        for m in msgs:
            form.add_error(name if name in form.fields else None, m)


def _filtered(request: HttpRequest, actor: access.Actor) -> tuple[FilterForm, Any]:
    form = FilterForm(request.GET)
    f = form.filters()
    qs = selectors.interventions_filtered(
        actor_or_none=actor,
        published_only=request.GET.get("published") == "1",
        sector=f.get("sector"),
        partner=f.get("partner"),
        status=f.get("status"),
        commitment=f.get("commitment"),
        population=f.get("population"),
        department=f.get("department"),
    )
    return form, qs


# --- interventions --------------------------------------------------------------------------


@login_required
def intervention_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form, qs = _filtered(request, actor)
    rows = list(qs.prefetch_related("funders", "municipalities__department")[:500])
    return render(
        request,
        "cooperation/intervention_list.html",
        {
            "form": form,
            "rows": rows,
            "count": qs.count(),
            "query": urlencode({k: v for k, v in request.GET.items() if v}),
            "can_edit": actor.can(access.COOP_EDIT),
        },
    )


@login_required
def intervention_detail(request: HttpRequest, pk: str) -> HttpResponse:
    actor = _actor(request)
    iv = selectors.intervention_get(actor_or_none=actor, intervention_id=pk)
    can_edit = actor.can(access.COOP_EDIT) and selectors.interventions_editable(actor=actor).filter(pk=iv.pk).exists()
    return render(
        request,
        "cooperation/intervention_detail.html",
        {
            "iv": iv,
            "populations": [str(Population(p).label) for p in iv.populations if p in Population.values],
            "can_edit": can_edit,
            "can_publish": actor.can(access.PLAN_MANAGE),
        },
    )


def _intervention_form(request: HttpRequest, actor: access.Actor, iv: Any = None) -> HttpResponse:
    choices = implementer_choices_for(actor)
    if request.method == "POST":
        form = InterventionForm(request.POST, implementers=choices)
        if form.is_valid():
            try:
                if iv is None:
                    iv = services.intervention_create(actor=actor, data=form.to_input())
                    messages.success(request, _("Intervention saved. The coordinator publishes it."))
                else:
                    iv = services.intervention_update(
                        actor=actor, intervention=iv, data=form.to_input(), version=form.cleaned_data["version"]
                    )
                    messages.success(request, _("Intervention saved."))
                return redirect("cooperation:intervention_detail", pk=iv.pk)
            except ValidationError as exc:
                _form_errors(form, exc)
    elif iv is not None:
        form = InterventionForm(
            initial=InterventionForm.initial_of(services.intervention_input_of(iv), iv.version), implementers=choices
        )
    else:
        form = InterventionForm(initial={"implementer": choices[0][0] if choices else ""}, implementers=choices)
    return render(request, "cooperation/intervention_form.html", {"form": form, "iv": iv})


@login_required
def intervention_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.COOP_EDIT)
    return _intervention_form(request, actor)


@login_required
def intervention_edit(request: HttpRequest, pk: str) -> HttpResponse:
    actor = _actor(request)
    iv = selectors.intervention_get_for_edit(actor=actor, intervention_id=pk)
    return _intervention_form(request, actor, iv)


@login_required
@require_POST
def intervention_publish(request: HttpRequest, pk: str) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.PLAN_MANAGE)
    iv = selectors.intervention_get(actor_or_none=actor, intervention_id=pk)
    services.intervention_publish(actor=actor, intervention=iv, published=request.POST.get("published") == "1")
    return redirect("cooperation:intervention_detail", pk=iv.pk)


@login_required
def intervention_export(request: HttpRequest, fmt: str) -> HttpResponse:
    actor = _actor(request)
    if fmt not in CONTENT_TYPES:
        raise Http404
    _form, qs = _filtered(request, actor)
    response = HttpResponse(hxl.export(actor=actor, qs=qs, fmt=fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="mirps-interventions-hxl.{fmt}"'
    return response


@login_required
def intervention_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _actor(request)
    if fmt not in CONTENT_TYPES:
        raise Http404
    rows = hxl.table(None)
    body = hxl.xlsx_bytes(rows) if fmt == "xlsx" else hxl.csv_bytes(rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="mirps-interventions-template.{fmt}"'
    return response


@login_required
def intervention_iati(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    _form, qs = _filtered(request, actor)
    published = request.GET.get("published") == "1"
    response = HttpResponse(iati.export(actor=actor, qs=qs, published_only=published), content_type="application/xml")
    response["Content-Disposition"] = 'attachment; filename="mirps-interventions-iati.xml"'
    return response


# --- HXL import -----------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.COOP_EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > hxl.MAX_UPLOAD:
            form.add_error("file", _("The file is too large: at most 5 MB."))
        else:
            try:
                batch = hxl.import_stage(actor=actor, filename=upload.name, content=upload.read(hxl.MAX_UPLOAD + 1))
                return redirect("cooperation:import_review", pk=batch.pk)
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error("file", m)
    return render(request, "cooperation/import_upload.html", {"form": form})


@login_required
def import_review(request: HttpRequest, pk: str) -> HttpResponse:
    actor = _actor(request)
    batch = hxl.batch_get(actor=actor, batch_id=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "discard":
                hxl.import_discard(actor=actor, batch=batch)
                messages.info(request, _("Import discarded: nothing was saved."))
                return redirect("cooperation:intervention_list")
            if action in ("all", "valid_only"):
                counts = hxl.import_apply(actor=actor, batch=batch, only_valid=action == "valid_only")
                messages.success(
                    request,
                    _("Import saved: %(created)d created, %(updated)d updated, %(skipped)d rows skipped.") % counts,
                )
                return redirect("cooperation:intervention_list")
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        batch.refresh_from_db()
    return render(request, "cooperation/import_review.html", {"batch": batch, "report": batch.report})


# --- pledges --------------------------------------------------------------------------------


@login_required
def pledge_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    pledges = list(selectors.pledges_visible(actor_or_none=actor).order_by("partner__name_es", "-date"))
    editable = set()
    if actor.can(access.COOP_EDIT):
        editable = set(Pledge.objects.filter(access.pledge_edit_scope(actor)).values_list("pk", flat=True))
    groups: dict[Any, list[Pledge]] = {}
    for p in pledges:
        groups.setdefault(p.partner, []).append(p)
    return render(
        request,
        "cooperation/pledge_list.html",
        {
            "groups": groups,
            "editable": editable,
            "can_edit": actor.can(access.COOP_EDIT),
            "can_publish": actor.can(access.PLAN_MANAGE),
        },
    )


def _pledge_form(request: HttpRequest, actor: access.Actor, pledge: Pledge | None = None) -> HttpResponse:
    choices = partner_choices_for(actor)
    if request.method == "POST":
        form = PledgeForm(request.POST, partners=choices)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                if pledge is None:
                    services.pledge_create(actor=actor, **data)
                else:
                    services.pledge_update(actor=actor, pledge=pledge, version=form.cleaned_data["version"], **data)
                messages.success(request, _("Pledge saved."))
                return redirect("cooperation:pledge_list")
            except ValidationError as exc:
                _form_errors(form, exc)
    elif pledge is not None:
        form = PledgeForm(
            initial={
                "partner": pledge.partner.code,
                "commitment": str(pledge.commitment_id),
                "need": str(pledge.need_id or ""),
                "state": pledge.state,
                "amount": pledge.amount,
                "currency": pledge.currency,
                "date": pledge.date,
                "note": pledge.note,
                "version": pledge.version,
            },
            partners=choices,
        )
    else:
        form = PledgeForm(initial={"currency": "USD"}, partners=choices)
    return render(request, "cooperation/pledge_form.html", {"form": form, "pledge": pledge})


@login_required
def pledge_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.COOP_EDIT)
    return _pledge_form(request, actor)


@login_required
def pledge_edit(request: HttpRequest, pk: str) -> HttpResponse:
    actor = _actor(request)
    pledge = selectors.pledge_get_for_edit(actor=actor, pledge_id=pk)
    return _pledge_form(request, actor, pledge)


@login_required
@require_POST
def pledge_publish(request: HttpRequest, pk: str) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.PLAN_MANAGE)
    pledge = selectors.pledge_get(actor_or_none=actor, pledge_id=pk)
    services.pledge_publish(actor=actor, pledge=pledge, published=request.POST.get("published") == "1")
    return redirect("cooperation:pledge_list")


# --- support needs --------------------------------------------------------------------------


def _plan(request: HttpRequest) -> Plan | None:
    plans = Plan.objects.order_by("-period_start", "-version")
    pid = request.GET.get("plan", "")
    return (plans.filter(pk=int(pid)).first() if pid.isdigit() else None) or plans.first()


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    plan = _plan(request)
    rows = funding.funding_by_need(plan=plan) if plan else []
    groups: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["commitment"], []).append(r)
    return render(
        request,
        "cooperation/need_list.html",
        {"plan": plan, "groups": groups, "can_manage": actor.can(access.PLAN_MANAGE), "rule": funding.RULE},
    )


def _need_form(request: HttpRequest, actor: access.Actor, need: Any = None) -> HttpResponse:
    if request.method == "POST":
        form = NeedForm(request.POST)
        if form.is_valid():
            try:
                if need is None:
                    services.need_create(actor=actor, **form.cleaned_data)
                else:
                    services.need_update(actor=actor, need=need, **form.cleaned_data)
                messages.success(request, _("Support need saved."))
                return redirect("cooperation:need_list")
            except ValidationError as exc:
                _form_errors(form, exc)
    elif need is not None:
        form = NeedForm(
            initial={
                "commitment": str(need.commitment_id),
                "description_es": need.description_es,
                "description_en": need.description_en,
                "kind": need.kind,
                "estimated_cost_usd": need.estimated_cost_usd,
                "priority": need.priority,
            }
        )
    else:
        form = NeedForm(initial={"commitment": request.GET.get("commitment", "")})
    return render(request, "cooperation/need_form.html", {"form": form, "need": need})


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.PLAN_MANAGE)
    return _need_form(request, actor)


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    return _need_form(request, actor, selectors.need_get_for_edit(actor=actor, need_id=pk))


# --- funding --------------------------------------------------------------------------------


@login_required
def funding_page(request: HttpRequest) -> HttpResponse:
    _actor(request)
    plan = _plan(request)
    by_commitment = funding.funding_by_commitment(plan=plan) if plan else []
    by_partner = funding.funding_by_partner(plan=plan) if plan else []
    areas = funding.funding_by_area(by_commitment)

    def f(v: Any) -> float:
        return float(v)

    chart = {
        "labels": [r["code"] for r in by_commitment],
        "datasets": [
            {"label": str(_("Needed")), "data": [f(r["needed"]) for r in by_commitment]},
            {"label": str(_("Pledged")), "data": [f(r["pledged"]) for r in by_commitment]},
            {"label": str(_("Committed")), "data": [f(r["committed"]) for r in by_commitment]},
            {"label": str(_("Disbursed")), "data": [f(r["disbursed"]) for r in by_commitment]},
        ],
    }
    return render(
        request,
        "cooperation/funding.html",
        {
            "plan": plan,
            "by_commitment": by_commitment,
            "by_partner": by_partner,
            "areas": areas,
            "total": funding.funding_total(by_commitment),
            "rule": funding.RULE,
            "chart": chart,
        },
    )
