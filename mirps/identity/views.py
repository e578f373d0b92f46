"""Identity review pages: thin views over the identity selectors and services.

Reviewers compare pairs, merge, split and undo within their scope; administrators start batch
runs and set the thresholds. Outside a scope or a capability every page is a 404 (the selectors
and services decide); a refused action (ValidationError) comes back as a message, never a 500.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mirps.core import access
from mirps.geo.models import Municipality
from mirps.identity import batch, selectors, services
from mirps.identity.forms import DecideForm, QueueFilterForm, RunStartForm, ThresholdsForm
from mirps.identity.models import ReviewItem
from mirps.identity.reasons import LABELS
from mirps.registration.names import dni_display

QUEUE_PAGE = 50
RUNS_SHOWN = 50


def _actor(request: HttpRequest) -> access.Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was posted from (a path on this site), else to `fallback`."""
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(nxt)
    return redirect(fallback)


# --- the review queue and one pair ----------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = QueueFilterForm(request.GET)
    status = form.status_value()
    qs = selectors.review_queue(actor=actor, status=status)
    if not status:  # all of them: the ones still waiting first
        waiting = Case(When(status=ReviewItem.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
        qs = qs.order_by(waiting, "-probability", "created_at")
    page = Paginator(qs, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "identity/queue.html", {
        "form": form, "page": page, "status": request.GET.get("status") or ReviewItem.Status.OPEN,
        "statuses": [*ReviewItem.Status.choices, ("all", _("All"))],
        "elsewhere": selectors.review_elsewhere(actor=actor),
    })


@dataclass(frozen=True)
class Row:
    label: str
    a: Any
    b: Any
    differs: bool


def _fmt_date(d: date | None, estimated: bool) -> str:
    if d is None:
        return "—"
    return f"{d.isoformat()} ({_('estimated')})" if estimated else d.isoformat()


def _fmt_dni(dni: str | None) -> str:
    return dni_display(dni) if dni else "—"


def _differs(a: Any, b: Any) -> bool:
    return str(a).strip().casefold() != str(b).strip().casefold()


def _rows(cmp: selectors.Comparison) -> list[Row]:
    """The compared fields, each marked when the two sides differ."""
    pa, pb, ra, rb = cmp.a.person, cmp.b.person, cmp.a.record, cmp.b.record
    names = dict(Municipality.objects.filter(code__in=[ra.municipality, rb.municipality]).values_list("code", "name"))
    pairs = [
        (_("Given names"), pa.given_names, pb.given_names),
        (_("First surname"), pa.surname1, pb.surname1),
        (_("Second surname"), pa.surname2 or "—", pb.surname2 or "—"),
        (_("Sex"), pa.get_sex_display(), pb.get_sex_display()),
        (_("Date of birth"), _fmt_date(pa.birth_date, pa.birth_date_estimated),
         _fmt_date(pb.birth_date, pb.birth_date_estimated)),
        (_("DNI"), _fmt_dni(pa.dni), _fmt_dni(pb.dni)),
        (_("Municipality"), names.get(ra.municipality, ra.municipality or "—"),
         names.get(rb.municipality, rb.municipality or "—")),
    ]
    return [Row(label, a, b, _differs(a, b)) for label, a, b in pairs]


@login_required
@require_GET
def compare(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    cmp = selectors.review_get(actor=actor, item_id=item_id)
    reasons = [{"label": LABELS.get(code, code), "weight": w} for code, w in cmp.reasons]
    following = None
    if cmp.item.status != ReviewItem.Status.OPEN:
        following = selectors.review_queue(actor=actor).exclude(pk=cmp.item.pk).values_list("pk", flat=True).first()
    return render(request, "identity/compare.html", {
        "cmp": cmp, "item": cmp.item, "rows": _rows(cmp), "reasons": reasons, "following": following,
    })


@login_required
@require_POST
def decide(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.IDENTITY_REVIEW)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose “same person” or “different people”."))
        return redirect("identity:compare", item_id=item_id)
    same = form.cleaned_data["same"]
    try:
        services.review_decide(actor=actor, item_id=item_id, same=same)
    except ValidationError as e:
        _refused(request, e)
    else:
        if same:
            messages.success(request, _("The two records are now one person. You can undo this on the person's page."))
        else:
            messages.success(request, _("Recorded: different people. Later batch runs will keep them apart."))
    return redirect("identity:compare", item_id=item_id)


# --- one resolved person: its records, split and undo ---------------------------------------------


@login_required
@require_GET
def cluster(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    view = selectors.cluster_get(actor=actor, person_id=person_id)
    codes = {r.municipality for r in view.records if r.municipality}
    names = dict(Municipality.objects.filter(code__in=codes).values_list("code", "name"))
    records = [{"r": r, "p": r.person, "dni": _fmt_dni(r.person.dni), "municipality": names.get(r.municipality, r.municipality)}
               for r in view.records]
    return render(request, "identity/cluster.html", {
        "view": view, "records": records, "person_id": person_id,
        "splittable": len(view.records) + view.hidden > 1,
    })


@login_required
@require_POST
def split(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    try:
        services.cluster_split(actor=actor, person_id=person_id)
    except ValidationError as e:
        _refused(request, e)
    else:
        messages.success(request, _("The record was split off: it is now a person of its own. You can undo this below."))
    return redirect("identity:cluster", person_id=person_id)


@login_required
@require_POST
def undo(request: HttpRequest, change_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    try:  # the service decides who may undo what (404 otherwise), as for every other action here
        services.change_undo(actor=actor, change_id=change_id)
    except ValidationError as e:
        _refused(request, e)
    else:
        messages.success(request, _("The change was undone: the records are back where they were."))
    fallback = "identity:queue" if actor.can(access.IDENTITY_REVIEW) else "identity:runs"
    return _back(request, reverse(fallback))


# --- batch runs and thresholds (administrators) ---------------------------------------------------


def _runs_page(request: HttpRequest, actor: access.Actor, *, thresholds: ThresholdsForm | None = None) -> HttpResponse:
    rows = list(selectors.runs(actor=actor).select_related("started_by")[:RUNS_SHOWN])
    changes = selectors.run_changes(actor=actor, run_ids=[r.pk for r in rows])
    mv = selectors.model_in_force(actor=actor)
    model = services.current_model()
    if thresholds is None:
        thresholds = ThresholdsForm(initial={
            "auto_threshold": mv.auto_threshold if mv else model.auto_threshold,
            "review_threshold": mv.review_threshold if mv else model.review_threshold,
        })
    return render(request, "identity/runs.html", {
        "runs": [(r, changes.get(r.pk)) for r in rows], "model_version": mv, "model": model,
        "start_form": RunStartForm(), "thresholds": thresholds, **selectors.decision_counts(actor=actor),
        "coverage": selectors.review_coverage(actor=actor),
    })


@login_required
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.IDENTITY_RUN)
    return _runs_page(request, actor)


@login_required
@require_GET
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """One run's table row; htmx polls it while the run is queued or running."""
    actor = _actor(request)
    run = selectors.run_get(actor=actor, run_id=run_id)
    change = selectors.run_changes(actor=actor, run_ids=[run.pk]).get(run.pk)
    return render(request, "identity/_run_row.html", {"run": run, "change": change})


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.IDENTITY_RUN)
    form = RunStartForm(request.POST)
    train = form.is_valid() and form.cleaned_data["train"]
    try:
        batch.run_start(actor=actor, train=train)
    except ValidationError as e:
        _refused(request, e)
    else:
        messages.success(request, _("The batch run was started. Its progress shows below."))
    return redirect("identity:runs")


@login_required
@require_POST
def train_from_decisions(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.IDENTITY_RUN)
    try:
        services.model_train_from_decisions(actor=actor)
    except ValidationError as e:
        _refused(request, e)
    else:
        messages.success(request, _("New weights were estimated from the review decisions. They apply from now on."))
    return redirect("identity:runs")


@login_required
@require_POST
def thresholds(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.IDENTITY_RUN)
    form = ThresholdsForm(request.POST)
    if form.is_valid():
        try:
            services.thresholds_set(
                actor=actor, auto=form.cleaned_data["auto_threshold"], review=form.cleaned_data["review_threshold"]
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("The thresholds were saved. They apply to the next registrations and batch runs."))
            return redirect("identity:runs")
    messages.error(request, _("The thresholds were not saved: correct the values below."))
    return _runs_page(request, actor, thresholds=form)
