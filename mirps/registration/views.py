"""Registration pages: thin views over the registration selectors and services."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mirps.accounts.models import Site
from mirps.core import access
from mirps.identity import selectors as identity_selectors
from mirps.identity.reasons import LABELS
from mirps.reference.models import Term
from mirps.registration import screening as rules
from mirps.registration import selectors, services
from mirps.registration.forms import ArrivalFilterForm, CandidateQueryForm, RegistrationForm
from mirps.registration.models import FamilyGroup, RegistrationDraft

FAMILY_SHARED = (
    "reception_point", "entry_point", "modality", "country_from", "return_type", "destination",
)


def _actor(request: HttpRequest) -> access.Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


@login_required
def arrival_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.ARRIVALS)
    form = ArrivalFilterForm(request.GET or None)
    filters = selectors.ArrivalFilters()
    page = 1
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.ArrivalFilters(
            date_from=d["date_from"], date_to=d["date_to"], need_level=d["need_level"], q=d["q"]
        )
        page = d["page"] or 1
    rows, has_next = selectors.arrival_list(actor=actor, filters=filters, page=page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registration/arrival_list.html",
        {"form": form, "rows": rows, "page": page, "has_next": has_next, "query": query.urlencode()},
    )


@login_required
def arrival_detail(request: HttpRequest, arrival_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    arrival = selectors.arrival_get(actor=actor, arrival_id=arrival_id)
    just_registered = request.session.pop("just_registered", None) == str(arrival.pk)
    screening = getattr(arrival, "screening", None)
    context: dict[str, Any] = {
        "a": arrival,
        "sc": screening,
        "sees_sensitive": actor.sees_sensitive,
        "just_registered": just_registered,
        "can_add_family": actor.can(access.REGISTER) and arrival.family_group_id is not None
        and arrival.reception_point_id in actor.registration_sites,
    }
    if screening is not None and (actor.sees_sensitive or just_registered):
        # The registrar who just screened the person sees why the need level was given, once.
        labels = {t.code: t.label for t in Term.objects.all()}
        context["reasons"] = rules.describe(
            screening.need_reasons, labels, screening.perpetrator_types.values_list("code", flat=True)
        )
    if actor.sees_sensitive and screening is not None:
        context["violence"] = list(screening.violence_types.all())
        context["perpetrators"] = list(screening.perpetrator_types.all())
        context["specific_needs"] = list(screening.specific_needs.all())
    context["reasons_migrating"] = list(arrival.reasons.all())
    context["immediate_needs"] = list(arrival.immediate_needs.all())
    if arrival.family_group_id:
        context["family"] = (
            arrival.family_group.arrivals.filter(access.arrival_scope(actor))
            .exclude(pk=arrival.pk)
            .select_related("person")
        )
    return render(request, "registration/arrival_detail.html", context)


@login_required
def person_search(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.ARRIVALS)
    q = (request.GET.get("q") or "")[:60]
    rows = selectors.person_search(actor=actor, q=q) if q else []
    return render(request, "registration/person_search.html", {"q": q, "rows": rows})


@login_required
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    person = selectors.person_get(actor=actor, person_id=person_id)
    in_scope = selectors.arrival_ids_in_scope(actor=actor, person=person)
    return render(
        request,
        "registration/person_detail.html",
        {
            "p": person,
            "arrivals": person.arrivals.all(),
            "in_scope": in_scope,
            "linked": identity_selectors.linked_arrivals(actor=actor, person_id=person.pk),
            "sees_sensitive": actor.sees_sensitive,
            "can_register": actor.can(access.REGISTER),
        },
    )


def _draft_initial(draft: RegistrationDraft) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, values in draft.data.items():
        q.setlist(key, values if isinstance(values, list) else [values])
    return q


@login_required
def register(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.REGISTER)
    sites = actor.registration_sites
    chosen = None
    if request.method == "POST":
        form = RegistrationForm(request.POST, registration_sites=sites)
        if form.is_valid():
            d = form.cleaned_data
            try:
                arrival, created = services.arrival_register(
                    actor=actor,
                    person=form.person_input(),
                    person_id=d.get("person_id"),
                    arrival=form.arrival_input(),
                    screening=form.screening_input(),
                    family_group_id=d.get("family_group"),
                    client_uuid=d["client_uuid"],
                    draft_id=d.get("draft_id"),
                )
            except ValidationError as e:
                form.add_service_errors(e)
            except services.Conflict:
                form.add_error(None, _("This form was already submitted with other content. Reload the page to start a new registration."))
            else:
                request.session["just_registered"] = str(arrival.pk)
                if created:
                    messages.success(request, _("Arrival registered."))
                return redirect("registration:arrival_detail", arrival_id=arrival.pk)
        if form.data.get("person_id"):
            chosen = _candidate_card(actor, form.data.get("person_id"))
    else:
        initial: dict[str, Any] = {
            "client_uuid": uuid.uuid4(),
            "arrived_at": timezone.localtime().replace(second=0, microsecond=0),
            "consent_registration": True,
            "nationality": "HN",
        }
        data = None
        if draft_id := request.GET.get("draft"):
            draft = RegistrationDraft.objects.filter(pk=_uuid_or_404(draft_id), author=request.user).first()
            if draft is None:
                raise Http404
            data = _draft_initial(draft)
            data["draft_id"] = str(draft.pk)
            data.setdefault("client_uuid", str(uuid.uuid4()))
        if family := request.GET.get("family"):
            initial.update(_family_initial(actor, _uuid_or_404(family)))
        if person := request.GET.get("person"):
            chosen = _candidate_card(actor, person)
            if chosen is None:
                raise Http404
            initial["person_id"] = chosen.person_id
        if len(sites) == 1:
            site = Site.objects.get(pk=sites[0])
            initial.setdefault("reception_point", site.code)
            if site.modality:
                initial.setdefault("modality", site.modality)
        form = RegistrationForm(data, initial=initial, registration_sites=sites) if data else RegistrationForm(initial=initial, registration_sites=sites)
        if data is not None:
            form.errors.clear()  # a resumed draft is not yet a submission: show it without errors
    drafts = RegistrationDraft.objects.filter(author=request.user).order_by("-updated_at")[:10]
    return render(request, "registration/register.html", {"form": form, "chosen": chosen, "drafts": drafts})


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def _candidate_card(actor: access.Actor, person_id: Any) -> selectors.Candidate | None:
    pid = _uuid_or_404(person_id)
    return next(iter(selectors.person_cards(actor=actor, person_ids=[pid])), None)


def _family_initial(actor: access.Actor, group_id: uuid.UUID) -> dict[str, Any]:
    group = FamilyGroup.objects.filter(pk=group_id, reception_point_id__in=actor.registration_sites).first()
    first = group.arrivals.order_by("created_at").first() if group else None
    if first is None:
        raise Http404
    out: dict[str, Any] = {"family_group": group.pk, "arrived_at": timezone.localtime(first.arrived_at)}
    out.update(
        reception_point=first.reception_point.code,
        entry_point=first.entry_point.code if first.entry_point else "",
        modality=first.modality,
        country_from=first.country_from.iso2,
        return_type=first.return_type,
        destination=first.destination.code,
        travel_mode=first.travel_mode,
    )
    return out


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    """htmx partial: earlier registrations that may be the person being typed."""
    actor = _actor(request)
    actor.require(access.IDENTITY_LOOKUP)
    form = CandidateQueryForm(request.GET)
    found = selectors.CandidateLookup([], 0)
    if form.is_valid():
        d = form.cleaned_data
        if d["dni"] or (d["surname1"] and d["given_names"]):
            found = selectors.person_candidates(
                actor=actor, dni=d["dni"], given_names=d["given_names"], surname1=d["surname1"],
                surname2=d["surname2"], birth_date=d["birth_date"], sex=d["sex"],
            )
    return render(request, "registration/_candidates.html", {
        "candidates": found.items, "elsewhere": found.elsewhere, "selected": request.GET.get("person_id", ""),
        "labels": LABELS,
    })


@login_required
@require_POST
def draft_save(request: HttpRequest) -> HttpResponse:
    """htmx: keep the form as a draft while the registrar types (only its author can reopen it)."""
    actor = _actor(request)
    actor.require(access.REGISTER)
    raw_id = request.POST.get("draft_id") or None
    draft_id = None
    if raw_id:
        try:
            draft_id = uuid.UUID(raw_id)
        except ValueError:
            draft_id = None
    data = dict(request.POST.lists())
    draft = services.draft_save(actor=actor, draft_id=draft_id, data=data)
    return render(request, "registration/_draft_status.html", {"draft": draft})


@login_required
@require_POST
def draft_delete(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.REGISTER)
    n, _x = RegistrationDraft.objects.filter(pk=draft_id, author=request.user).delete()
    if not n:
        raise Http404
    messages.info(request, _("Draft discarded."))
    return redirect("registration:register")


@login_required
def followup_queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "open")
    if status not in ("open", "taken", "closed", ""):
        status = "open"
    rows = list(selectors.followup_queue(actor=actor, status=status)[:200])
    return render(request, "registration/followup_queue.html", {"rows": rows, "status": status})


@login_required
@require_POST
def followup_take(request: HttpRequest, arrival_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    actor.require(access.FOLLOW_UP)
    services.followup_take(actor=actor, arrival_id=arrival_id)
    messages.success(request, _("You have taken this arrival for follow-up."))
    return redirect("registration:arrival_detail", arrival_id=arrival_id)

